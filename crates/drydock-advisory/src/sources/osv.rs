//! OSV records (<https://ossf.github.io/osv-schema/>), JSON or YAML.
//!
//! A file holds one record, or (JSON) an array of records, or (YAML) one
//! record per document. Each record is read on its own: a record with a
//! missing id or a field of the wrong type is named in
//! [`Parsed::malformed`] and the others are kept. Unknown fields are
//! ignored; `ecosystem_specific`/`database_specific` may hold anything.
//!
//! Severity is gathered from every place feeds put it:
//! - `severity[]` (`CVSS_V2`/`CVSS_V3`/`CVSS_V4`/`Ubuntu`), record-level and
//!   per package;
//! - `database_specific.severity` (GHSA `MODERATE`, …) as a label;
//! - per package `ecosystem_specific.severity`/`urgency` (Debian urgency)
//!   and `database_specific.severity`/`urgency`;
//! - Ubuntu USN records keep each CVE's priority in
//!   `affected[].database_specific.cves_map.cves[].severity[]`: the highest
//!   becomes the package's `Ubuntu` score;
//! - Red Hat-derived errata (AlmaLinux, Rocky, Red Hat) carry the rating
//!   only as the summary's first word (`Important: openssl security
//!   update`): it becomes a label when nothing else rates the record.

use serde::Deserialize;
use serde_json::Value;

use super::kind_of;
use crate::model::{Advisory, Affected, Event, Parsed, Range, RangeKind, Score, ScoreKind};

/// Errata prefixes of bug-fix and enhancement advisories: they fix no
/// vulnerability, so they are dropped.
const NON_SECURITY_PREFIXES: &[&str] = &["ALBA-", "ALEA-", "RLBA-", "RLEA-", "RHBA-", "RHEA-"];

/// Longest summary kept when it is made from `details`.
const SUMMARY_MAX_CHARS: usize = 200;

/// Most reference URLs kept per record.
const MAX_REFERENCES: usize = 10;

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    modified: Option<String>,
    published: Option<String>,
    withdrawn: Option<String>,
    aliases: Option<Vec<String>>,
    related: Option<Vec<String>>,
    /// OSV 1.7: the CVEs a distro record is derived from.
    upstream: Option<Vec<String>>,
    summary: Option<String>,
    details: Option<String>,
    severity: Option<Vec<RawSeverity>>,
    affected: Option<Vec<RawAffected>>,
    references: Option<Vec<RawReference>>,
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RawAffected {
    package: Option<RawPackage>,
    severity: Option<Vec<RawSeverity>>,
    ranges: Option<Vec<RawRange>>,
    versions: Option<Vec<String>>,
    ecosystem_specific: Option<Value>,
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
    purl: Option<String>,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

/// Just the id, to name a record that failed to read.
#[derive(Deserialize)]
struct IdOnly {
    id: Option<String>,
}

/// Reads OSV JSON: one record object, or an array of them.
pub fn parse_json(bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let mut parsed = Parsed::default();
    match first {
        Some(b'{') => match serde_json::from_slice::<RawRecord>(bytes) {
            Ok(raw) => add_record(&mut parsed, raw),
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                // The JSON is sound but the record is not: name it.
                let name = serde_json::from_slice::<Value>(bytes).ok().map_or_else(|| "#0".to_owned(), |v| name_of(&v, 0));
                parsed.malformed.push((name, e.to_string()));
            }
            Err(e) => return Err(format!("not valid JSON: {e}")),
        },
        Some(b'[') => {
            let records: Vec<Value> = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
            for (i, value) in records.into_iter().enumerate() {
                if !value.is_object() {
                    parsed.malformed.push((format!("#{i}"), format!("record is {}, not an object", kind_of(&value))));
                    continue;
                }
                let name = name_of(&value, i);
                match serde_json::from_value::<RawRecord>(value) {
                    Ok(raw) => add_record(&mut parsed, raw),
                    Err(e) => parsed.malformed.push((name, e.to_string())),
                }
            }
        }
        Some(_) => return Err("not an OSV record: expected a JSON object or array".into()),
        None => return Err("empty file".into()),
    }
    Ok(parsed)
}

/// Reads OSV YAML: one record per document. Scalars are read as written
/// (`1.10` stays `1.10`).
pub fn parse_yaml(bytes: &[u8]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut failures = Vec::new();
    let mut read = 0usize;
    let mut cursor = std::io::Cursor::new(bytes);
    for (i, doc) in serde_saphyr::read::<_, RawRecord>(&mut cursor).enumerate() {
        match doc {
            Ok(raw) => {
                read += 1;
                add_record(&mut parsed, raw);
            }
            Err(e) => failures.push((i, first_line(&e.to_string()))),
        }
    }
    if failures.is_empty() {
        if read == 0 {
            return Err("no YAML document".into());
        }
        return Ok(parsed);
    }
    // Name the failed documents by id where the document is readable at all.
    let mut cursor = std::io::Cursor::new(bytes);
    let ids: Vec<Option<String>> = serde_saphyr::read::<_, IdOnly>(&mut cursor).map(|d| d.ok().and_then(|d| d.id)).collect();
    if read == 0 && failures.len() == 1 && ids.first().is_none_or(|id| id.is_none()) {
        return Err(format!("not a readable OSV YAML record: {}", failures[0].1));
    }
    for (i, reason) in failures {
        let name = ids.get(i).cloned().flatten().unwrap_or_else(|| format!("#{i}"));
        parsed.malformed.push((name, reason));
    }
    Ok(parsed)
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    truncate_chars(line, 300)
}

fn name_of(v: &Value, index: usize) -> String {
    match v.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => truncate_chars(id.trim(), 200),
        _ => format!("#{index}"),
    }
}

fn add_record(parsed: &mut Parsed, raw: RawRecord) {
    let id = raw.id.trim().to_owned();
    if id.is_empty() {
        parsed.malformed.push(("#?".into(), "empty id".into()));
        return;
    }
    if let Some(when) = raw.withdrawn.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        parsed.dropped.push((id, format!("withdrawn {when}")));
        return;
    }
    if let Some(prefix) = NON_SECURITY_PREFIXES.iter().find(|p| id.starts_with(**p)) {
        let kind = if prefix.ends_with("BA-") { "bug-fix" } else { "enhancement" };
        parsed.dropped.push((id, format!("{kind} errata: not a security advisory")));
        return;
    }
    // RustSec `informational` advisories (unmaintained, unsound, notice)
    // are code-health notes, not vulnerabilities: cargo-audit prints them
    // as warnings, and a FedRAMP POA&M has no place for them.
    if let Some(kind) = raw.database_specific.as_ref().and_then(|d| d.get("informational")).and_then(Value::as_str) {
        parsed.dropped.push((id, format!("informational ({kind}): not a vulnerability")));
        return;
    }
    parsed.advisories.push(convert(id, raw));
}

fn convert(id: String, raw: RawRecord) -> Advisory {
    let aliases = unique(raw.aliases.unwrap_or_default(), &id);
    let mut related_in = raw.related.unwrap_or_default();
    related_in.extend(raw.upstream.unwrap_or_default());
    let mut related = unique(related_in, &id);
    related.retain(|r| !aliases.contains(r));

    let summary = raw.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| truncate_chars(s, 1000)).or_else(|| {
        let details = raw.details.as_deref()?;
        let line = details.lines().map(str::trim).find(|l| !l.is_empty())?;
        Some(truncate_chars(line, SUMMARY_MAX_CHARS))
    });

    let mut severity = Vec::new();
    for s in raw.severity.unwrap_or_default() {
        push_unique(&mut severity, score_of(s));
    }
    if let Some(label) = raw.database_specific.as_ref().and_then(|d| label_at(d, "severity")) {
        push_unique(&mut severity, Some(Score { kind: ScoreKind::Label, value: label }));
    }

    let affected: Vec<Affected> = raw.affected.unwrap_or_default().into_iter().filter_map(convert_affected).collect();

    if severity.is_empty()
        && affected.iter().all(|a| a.severity.is_empty())
        && let Some(label) = summary.as_deref().and_then(errata_rating)
    {
        severity.push(Score { kind: ScoreKind::Label, value: label.to_owned() });
    }

    Advisory {
        id,
        aliases,
        related,
        summary,
        published: raw.published.filter(|s| !s.trim().is_empty()),
        modified: raw.modified.filter(|s| !s.trim().is_empty()),
        severity,
        affected,
        references: references(raw.references.unwrap_or_default()),
    }
}

/// An affected entry without a package (GIT-only ranges of an upstream
/// CVE record) names nothing installable: it is left out.
fn convert_affected(raw: RawAffected) -> Option<Affected> {
    let package = raw.package?;
    let mut severity = Vec::new();
    for s in raw.severity.unwrap_or_default() {
        push_unique(&mut severity, score_of(s));
    }
    for blob in [raw.ecosystem_specific.as_ref(), raw.database_specific.as_ref()].into_iter().flatten() {
        for key in ["severity", "urgency"] {
            if let Some(label) = label_at(blob, key) {
                push_unique(&mut severity, Some(Score { kind: ScoreKind::Label, value: label }));
            }
        }
    }
    if let Some(priority) = raw.database_specific.as_ref().and_then(ubuntu_cves_map_priority) {
        push_unique(&mut severity, Some(Score { kind: ScoreKind::Ubuntu, value: priority }));
    }
    let ranges = raw.ranges.unwrap_or_default().into_iter().filter_map(convert_range).collect();
    Some(Affected {
        ecosystem: package.ecosystem.trim().to_owned(),
        name: package.name.trim().to_owned(),
        purl: package.purl.filter(|p| !p.trim().is_empty()),
        ranges,
        versions: raw.versions.unwrap_or_default(),
        severity,
    })
}

/// Ranges of a type this schema version does not define are left out.
fn convert_range(raw: RawRange) -> Option<Range> {
    let kind = match raw.kind.trim().to_ascii_uppercase().as_str() {
        "ECOSYSTEM" => RangeKind::Ecosystem,
        "SEMVER" => RangeKind::Semver,
        "GIT" => RangeKind::Git,
        _ => return None,
    };
    let mut events = Vec::with_capacity(raw.events.len());
    for e in raw.events {
        if let Some(v) = e.introduced {
            events.push(Event::Introduced(v));
        }
        if let Some(v) = e.fixed {
            events.push(Event::Fixed(v));
        }
        if let Some(v) = e.last_affected {
            events.push(Event::LastAffected(v));
        }
        if let Some(v) = e.limit {
            events.push(Event::Limit(v));
        }
    }
    Some(Range { kind, events })
}

fn score_of(s: RawSeverity) -> Option<Score> {
    let kind = match s.kind.trim().to_ascii_uppercase().as_str() {
        "CVSS_V2" => ScoreKind::CvssV2,
        "CVSS_V3" => ScoreKind::CvssV3,
        "CVSS_V4" => ScoreKind::CvssV4,
        "UBUNTU" => ScoreKind::Ubuntu,
        _ => return None,
    };
    let value = s.score.trim();
    (!value.is_empty()).then(|| Score { kind, value: value.to_owned() })
}

/// A string label at `blob[key]`. Debian's "not yet assigned" urgency says
/// there is no rating, so it is not one.
fn label_at(blob: &Value, key: &str) -> Option<String> {
    let s = blob.get(key)?.as_str()?.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("not yet assigned") || s.len() > 64 {
        return None;
    }
    Some(s.to_owned())
}

/// Ubuntu priorities, lowest first.
const UBUNTU_PRIORITIES: &[&str] = &["negligible", "low", "medium", "high", "critical"];

/// The highest Ubuntu priority of the CVEs a USN package entry fixes.
fn ubuntu_cves_map_priority(database_specific: &Value) -> Option<String> {
    let cves = database_specific.get("cves_map")?.get("cves")?.as_array()?;
    let mut best: Option<(usize, &str)> = None;
    for cve in cves {
        let Some(scores) = cve.get("severity").and_then(Value::as_array) else { continue };
        for s in scores {
            let is_ubuntu = s.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("Ubuntu"));
            let Some(value) = s.get("score").and_then(Value::as_str).filter(|_| is_ubuntu) else { continue };
            let rank = UBUNTU_PRIORITIES.iter().position(|p| p.eq_ignore_ascii_case(value.trim()));
            let Some(rank) = rank else { continue };
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, UBUNTU_PRIORITIES[rank]));
            }
        }
    }
    best.map(|(_, p)| p.to_owned())
}

/// `Important: openssl security update` -> `Important`; also the
/// `ALSA-2022:5468: php:8.0 security update (Important)` spelling.
fn errata_rating(summary: &str) -> Option<&'static str> {
    const RATINGS: [&str; 4] = ["Critical", "Important", "Moderate", "Low"];
    let leading = summary.split_once(':').map(|(word, _)| word.trim());
    let trailing = summary.trim_end().strip_suffix(')').and_then(|s| s.rsplit_once('(')).map(|(_, word)| word.trim());
    [leading, trailing].into_iter().flatten().find_map(|word| RATINGS.into_iter().find(|r| word.eq_ignore_ascii_case(r)))
}

fn references(refs: Vec<RawReference>) -> Vec<String> {
    let mut advisory = Vec::new();
    let mut other = Vec::new();
    for r in refs {
        let Some(url) = r.url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()) else { continue };
        if r.kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("ADVISORY")) {
            advisory.push(url);
        } else {
            other.push(url);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for url in advisory.into_iter().chain(other) {
        if out.len() == MAX_REFERENCES {
            break;
        }
        if !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

/// Trimmed, non-empty, first occurrence only, without `own`.
fn unique(ids: Vec<String>, own: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        let id = id.trim();
        if !id.is_empty() && id != own && !out.iter().any(|o| o == id) {
            out.push(id.to_owned());
        }
    }
    out
}

fn push_unique(scores: &mut Vec<Score>, score: Option<Score>) {
    if let Some(s) = score
        && !scores.contains(&s)
    {
        scores.push(s);
    }
}

/// At most `max` characters, with `…` when cut.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((cut, _)) => {
            let mut out = s[..cut].trim_end().to_owned();
            out.push('…');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_full_record() {
        let json = br#"{
          "id": "GHSA-xxxx-yyyy-zzzz", "modified": "2024-01-02T00:00:00Z", "published": "2024-01-01T00:00:00Z",
          "aliases": ["CVE-2024-1", "CVE-2024-1", "GHSA-xxxx-yyyy-zzzz"], "related": ["CVE-2024-2"], "upstream": ["CVE-2024-3"],
          "details": "\n  First line of the details.\nSecond line.",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"type": "WEIRD", "score": "1"}],
          "database_specific": {"severity": "MODERATE", "cwe_ids": ["CWE-79"]},
          "affected": [{
            "package": {"ecosystem": "PyPI", "name": "demo", "purl": "pkg:pypi/demo"},
            "ranges": [
              {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}], "database_specific": {"x": 1}},
              {"type": "GIT", "repo": "https://example.invalid/r", "events": [{"introduced": "0"}, {"limit": "abc"}]},
              {"type": "NOPE", "events": [{"introduced": "0"}]}
            ],
            "versions": ["1.0", "1.1"],
            "ecosystem_specific": ["anything", 1],
            "database_specific": {"severity": "high", "urgency": "not yet assigned"}
          }, {"ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}]}],
          "references": [{"type": "WEB", "url": "https://w"}, {"type": "ADVISORY", "url": "https://a"}, {"type": "WEB", "url": "https://w"}],
          "credits": [{"name": "x"}]
        }"#;
        let p = parse_json(json).unwrap();
        assert!(p.malformed.is_empty(), "{:?}", p.malformed);
        let a = &p.advisories[0];
        assert_eq!(a.id, "GHSA-xxxx-yyyy-zzzz");
        assert_eq!(a.aliases, ["CVE-2024-1"]);
        assert_eq!(a.related, ["CVE-2024-2", "CVE-2024-3"]);
        assert_eq!(a.summary.as_deref(), Some("First line of the details."));
        assert_eq!(
            a.severity,
            [
                Score { kind: ScoreKind::CvssV3, value: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into() },
                Score { kind: ScoreKind::Label, value: "MODERATE".into() },
            ]
        );
        assert_eq!(a.affected.len(), 1);
        let af = &a.affected[0];
        assert_eq!((af.ecosystem.as_str(), af.name.as_str(), af.purl.as_deref()), ("PyPI", "demo", Some("pkg:pypi/demo")));
        assert_eq!(
            af.ranges,
            [
                Range { kind: RangeKind::Ecosystem, events: vec![Event::Introduced("0".into()), Event::Fixed("1.2".into())] },
                Range { kind: RangeKind::Git, events: vec![Event::Introduced("0".into()), Event::Limit("abc".into())] },
            ]
        );
        assert_eq!(af.versions, ["1.0", "1.1"]);
        assert_eq!(af.severity, [Score { kind: ScoreKind::Label, value: "high".into() }]);
        assert_eq!(a.references, ["https://a", "https://w"]);
    }

    #[test]
    fn summary_falls_back_to_truncated_details() {
        let long = "x".repeat(500);
        let json = format!(r#"{{"id": "A-1", "details": "{long}\nmore", "affected": []}}"#);
        let p = parse_json(json.as_bytes()).unwrap();
        let s = p.advisories[0].summary.as_deref().unwrap();
        assert_eq!(s.chars().count(), SUMMARY_MAX_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn drops_withdrawn_and_non_security_errata() {
        let json = br#"[
          {"id": "RUSTSEC-1", "withdrawn": "2020-01-01T00:00:00Z", "affected": []},
          {"id": "ALBA-2022:1", "summary": "Important: x bug fix", "affected": []},
          {"id": "RHEA-2022:1", "affected": []},
          {"id": "ALSA-2022:1", "summary": "Important: x security update", "affected": []},
          {"id": "OSV-1", "withdrawn": null, "affected": null},
          {"id": "ALSA-2022:5468", "summary": "ALSA-2022:5468: php:8.0 security update (Important)"},
          {"id": "ALSA-2022:2", "summary": "Lowly: not a rating"}
        ]"#;
        let p = parse_json(json).unwrap();
        let ids: Vec<&str> = p.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["ALSA-2022:1", "OSV-1", "ALSA-2022:5468", "ALSA-2022:2"]);
        let important = [Score { kind: ScoreKind::Label, value: "Important".into() }];
        assert_eq!(p.advisories[0].severity, important);
        assert_eq!(p.advisories[2].severity, important);
        assert!(p.advisories[1].severity.is_empty() && p.advisories[3].severity.is_empty());
        assert_eq!(
            p.dropped,
            [
                ("RUSTSEC-1".to_owned(), "withdrawn 2020-01-01T00:00:00Z".to_owned()),
                ("ALBA-2022:1".to_owned(), "bug-fix errata: not a security advisory".to_owned()),
                ("RHEA-2022:1".to_owned(), "enhancement errata: not a security advisory".to_owned()),
            ]
        );
    }

    #[test]
    fn one_bad_record_does_not_lose_the_others() {
        let json = br#"[
          {"id": "GOOD-1", "affected": []},
          {"id": "BAD-1", "affected": {"package": 1}},
          {"affected": []},
          {"id": 7, "affected": []},
          "string",
          {"id": "BAD-2", "aliases": [1, 2]},
          {"id": "BAD-3", "affected": [{"package": {"ecosystem": "PyPI"}}]},
          {"id": "BAD-4", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"fixed": 1}]}]}]},
          {"id": "GOOD-2", "modified": "x"}
        ]"#;
        let p = parse_json(json).unwrap();
        let ids: Vec<&str> = p.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["GOOD-1", "GOOD-2"]);
        let bad: Vec<&str> = p.malformed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(bad, ["BAD-1", "#2", "#3", "#4", "BAD-2", "BAD-3", "BAD-4"]);
        assert!(p.malformed[1].1.contains("missing field `id`"), "{:?}", p.malformed[1]);
    }

    #[test]
    fn single_record_type_errors_are_malformed_and_syntax_errors_fail() {
        let p = parse_json(br#"{"id": "X-1", "affected": "no"}"#).unwrap();
        assert_eq!(p.malformed.len(), 1);
        assert_eq!(p.malformed[0].0, "X-1");
        assert!(parse_json(br#"{"id": "X-1", "affected": ["#).is_err());
        assert!(parse_json(b"").is_err());
        assert!(parse_json(b"42").is_err());
        assert!(parse_json(b"\xef\xbb\xbf{\"id\": \"BOM-1\"}").unwrap().advisories.len() == 1);
    }

    #[test]
    fn yaml_keeps_scalars_as_written() {
        let yaml = b"id: PYSEC-1\naffected:\n- package: {name: demo, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n  versions: [1.0, 1.1, 1.10, 2]\nmodified: 2021-07-05T00:01:22Z\n";
        let p = parse_yaml(yaml).unwrap();
        assert!(p.malformed.is_empty(), "{:?}", p.malformed);
        let af = &p.advisories[0].affected[0];
        assert_eq!(af.ranges[0].events, [Event::Introduced("0".into()), Event::Fixed("1.10".into())]);
        assert_eq!(af.versions, ["1.0", "1.1", "1.10", "2"]);
        assert_eq!(p.advisories[0].modified.as_deref(), Some("2021-07-05T00:01:22Z"));
    }

    #[test]
    fn yaml_multi_document_and_bad_documents() {
        let yaml = b"id: A-1\naffected: []\n---\nid: A-2\naffected: 5\n---\nid: A-3\n";
        let p = parse_yaml(yaml).unwrap();
        let ids: Vec<&str> = p.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["A-1", "A-3"]);
        assert_eq!(p.malformed.len(), 1);
        assert_eq!(p.malformed[0].0, "A-2");
        assert!(parse_yaml(b"id: [unclosed\n").is_err());
        assert!(parse_yaml(b"").is_err());
        assert!(parse_yaml(b"- 1\n- 2\n").is_err());
    }

    #[test]
    fn ubuntu_usn_priority_comes_from_cves_map() {
        let json = br#"{"id": "USN-1", "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "x"},
          "database_specific": {"cves_map": {"cves": [
            {"id": "CVE-1", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"type": "Ubuntu", "score": "low"}]},
            {"id": "CVE-2", "severity": [{"type": "Ubuntu", "score": "high"}]},
            {"id": "CVE-3", "severity": [{"type": "Ubuntu", "score": "untriaged"}]}
          ]}}}]}"#;
        let p = parse_json(json).unwrap();
        assert_eq!(p.advisories[0].affected[0].severity, [Score { kind: ScoreKind::Ubuntu, value: "high".into() }]);
    }
}
