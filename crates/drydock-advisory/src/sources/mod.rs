//! Advisory feed parsers: bytes of one file in, [`Parsed`] records out.
//! Parsers never fail on a bad record: they count and name it in
//! [`Parsed::malformed`] and go on.

use crate::model::Parsed;

pub mod epss;
pub mod kev;
pub mod nvd;
pub mod osv;
pub mod secdb;

/// The formats `drydock db import` understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// One OSV record, or a JSON array of them.
    OsvJson,
    OsvYaml,
    /// Alpine secdb (`packages[].pkg.secfixes`), YAML or JSON.
    AlpineSecdb,
    /// CISA Known Exploited Vulnerabilities catalog JSON.
    Kev,
    /// FIRST EPSS scores CSV (optionally gzip-compressed).
    Epss,
    /// NVD CVE API 2.0 response pages (CVSS scores).
    Nvd,
}

/// Guesses the format of one file from its name and first bytes (`head`,
/// up to 64 KiB). `None` for files that are none of the formats.
pub fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    if lower.ends_with(".csv") || lower.ends_with(".csv.gz") || (gzip && lower.ends_with(".gz")) {
        let text = if gzip { epss::inflate_head(head) } else { head.to_vec() };
        let text = String::from_utf8_lossy(&text);
        let start = text.trim_start_matches('\u{feff}').trim_start();
        let first_lines: String = start.lines().take(2).collect::<Vec<_>>().join("\n").to_ascii_lowercase();
        if first_lines.starts_with("#model_version") || first_lines.starts_with("cve,epss") || first_lines.contains("\ncve,epss") {
            return Some(Format::Epss);
        }
        return None;
    }
    if gzip {
        return None;
    }
    let text = String::from_utf8_lossy(head);
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        if yaml_has_key(&text, "secfixes") || yaml_has_key(&text, "distroversion") {
            return Some(Format::AlpineSecdb);
        }
        if yaml_has_key(&text, "id") || yaml_has_key(&text, "affected") || yaml_has_key(&text, "modified") {
            return Some(Format::OsvYaml);
        }
        return None;
    }
    if lower.ends_with(".json") {
        let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
        if !matches!(first, Some('{') | Some('[')) {
            return None;
        }
        let has = |key: &str| json_has_key(&text, key);
        if has("$schema") && has("properties") {
            // A JSON schema describing a feed, not a feed.
            return None;
        }
        if has("catalogVersion") || (has("cveID") && (has("vulnerabilities") || has("dueDate"))) {
            return Some(Format::Kev);
        }
        if has("resultsPerPage") || text.contains("\"NVD_CVE\"") {
            return Some(Format::Nvd);
        }
        if has("distroversion") || has("secfixes") {
            return Some(Format::AlpineSecdb);
        }
        if has("id") && (has("affected") || has("modified")) {
            return Some(Format::OsvJson);
        }
        return None;
    }
    None
}

/// `"key"` followed by optional blanks and a colon.
fn json_has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted).any(|(i, q)| text[i + q.len()..].trim_start().starts_with(':'))
}

/// A line that is `key:` (possibly indented, possibly a list item).
fn yaml_has_key(text: &str, key: &str) -> bool {
    text.lines().any(|line| {
        let l = line.trim_start().trim_start_matches("- ").trim_start();
        l.strip_prefix(key).is_some_and(|rest| rest.starts_with(':'))
    })
}

/// Parses one file. `origin` is its path: Alpine secdb takes the release
/// from it when the file does not say it. An `Err` means the file as a whole
/// is unreadable (not JSON, wrong top-level shape); its message does not
/// repeat `origin`, which the caller reports beside it.
pub fn parse(format: Format, origin: &str, bytes: &[u8]) -> Result<Parsed, String> {
    match format {
        Format::OsvJson => osv::parse_json(bytes),
        Format::OsvYaml => osv::parse_yaml(bytes),
        Format::AlpineSecdb => secdb::parse(origin, bytes),
        Format::Kev => kev::parse(bytes),
        Format::Epss => epss::parse(bytes),
        Format::Nvd => nvd::parse(bytes),
    }
}

/// Id patterns used by several feeds: `CVE-2021-44228`.
pub(crate) fn is_cve_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else { return false };
    let Some((year, num)) = rest.split_once('-') else { return false };
    year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && (4..=19).contains(&num.len()) && num.bytes().all(|b| b.is_ascii_digit())
}

/// How a JSON value's type reads in a message ("an array", "null").
pub(crate) fn kind_of(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_name_and_content() {
        assert_eq!(detect("a/b.json", br#"{"id": "GHSA-1", "modified": "x"}"#), Some(Format::OsvJson));
        assert_eq!(detect("a/b.json", br#"[{"id": "GHSA-1", "affected": []}]"#), Some(Format::OsvJson));
        assert_eq!(
            detect("kev.json", br#"{"title": "x", "catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-1"}]}"#),
            Some(Format::Kev)
        );
        assert_eq!(detect("one.json", br#"{"cveID": "CVE-2025-0108", "dueDate": "2025-03-11"}"#), Some(Format::Kev));
        assert_eq!(detect("page.json", br#"{"resultsPerPage": 1, "format": "NVD_CVE"}"#), Some(Format::Nvd));
        assert_eq!(detect("main.json", br#"{"distroversion": "v3.20", "packages": []}"#), Some(Format::AlpineSecdb));
        assert_eq!(detect("main.yaml", b"---\ndistroversion: v3.6\npackages:\n"), Some(Format::AlpineSecdb));
        assert_eq!(detect("PYSEC-1.yaml", b"id: PYSEC-1\ndetails: x\n"), Some(Format::OsvYaml));
        assert_eq!(detect("ci.yml", b"on: push\njobs:\n  build: {}\n"), None);
        assert_eq!(
            detect("epss.csv", b"#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\n"),
            Some(Format::Epss)
        );
        assert_eq!(detect("epss.csv", b"cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n"), Some(Format::Epss));
        assert_eq!(detect("other.csv", b"a,b,c\n"), None);
        assert_eq!(detect("package.json", br#"{"name": "x", "version": "1"}"#), None);
        assert_eq!(detect("notes.json", b"not json"), None);
        assert_eq!(detect("README.md", b"# id: x"), None);
        assert_eq!(detect("x.json", b""), None);
        assert_eq!(
            detect("kev_schema.json", br#"{"$schema": "x", "properties": {"catalogVersion": {}, "cveID": {}, "vulnerabilities": {}}}"#),
            None
        );
        // gzip EPSS
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"#model_version:v1,score_date:2025-01-01T00:00:00+0000\ncve,epss,percentile\n").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(detect("epss_scores-current.csv.gz", &bytes), Some(Format::Epss));
        assert_eq!(detect("blob.gz", &bytes), Some(Format::Epss));
        assert_eq!(detect("x.json.gz", &bytes[..4]), None);
    }

    #[test]
    fn cve_ids() {
        assert!(is_cve_id("CVE-2021-44228"));
        assert!(is_cve_id("CVE-2018-128911"));
        assert!(!is_cve_id("CVE-21-44228"));
        assert!(!is_cve_id("CVE-2021-442"));
        assert!(!is_cve_id("CVE_2019-2426"));
        assert!(!is_cve_id("CVE-????-?????"));
    }
}
