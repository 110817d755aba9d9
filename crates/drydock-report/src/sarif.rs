//! SARIF 2.1.0 for GitHub code scanning: one run whose `tool.driver` is
//! drydock (named as the linter's SARIF names it, so both appear as one
//! tool), a rule for every vulnerability id and check that fired, and a
//! result per finding.
//!
//! * Rules carry help text GitHub shows beside the alert: for a
//!   vulnerability its title, the affected packages with their fixed
//!   versions and the references; for a hardening or FIPS check its fix,
//!   controls and references; for a secret rule a generic help (the report
//!   holds only the redacted value, and that is all this writer prints).
//! * `level` follows the severity (Critical and High `error`, Medium
//!   `warning`, the rest `note`); `security-severity`, which GitHub ranks
//!   security alerts by, is the CVSS score when known, else a score inside
//!   the severity's band (see [`security_severity`]).
//! * Each result is located in the image: the file behind it (the package
//!   database or binary a vulnerable package was read from, the file a
//!   secret or check points at) relative to the `IMAGE_ROOT` base id, plus a
//!   logical location naming the image and the layer that introduced it. A
//!   finding without a file (a config setting) is located at the image
//!   reference. GitHub needs a physical location with a line, so results
//!   without one point at line 1.
//! * `partialFingerprints` hash the rule, the subject (package or path) and
//!   the image repository, never the digest or the version: a rebuilt
//!   image keeps its alerts, and a fix closes them.
//! * With scan history (`report.tracking`), each result carries its
//!   tracked id, first-seen date, due date and whether it is overdue in
//!   `properties.tracking`.
//!
//! The output validates against the OASIS schema and keeps GitHub's
//! documented limits (results and rules per run, tags per rule, rule id
//! length), which the tests check.
//!
//! Findings reach the run most severe first; past GitHub's 25,000 results
//! per run the rest are left out and a tool notification says how many.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use drydock_core::check::{CheckFinding, Evidence, SecretFinding};
use drydock_core::package::Package;
use drydock_core::report::Report;
use drydock_core::tracking::{FindingKind, TrackedFinding};
use drydock_core::vulnerability::{Finding, KevInfo, Severity};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub keeps at most this many tags per rule (and shows 10).
const MAX_TAGS: usize = 20;
/// GitHub's limit on a rule id's length.
const MAX_RULE_ID: usize = 255;
/// The base id of paths inside the image's filesystem.
pub const IMAGE_ROOT: &str = "IMAGE_ROOT";
/// The `partialFingerprints` key; the linter's SARIF uses the same one.
pub const FINGERPRINT_KEY: &str = "drydockFingerprint/v1";

const INFORMATION_URI: &str = "https://github.com/drydock-dev/drydock";

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn document(report: &Report) -> Value {
    let repository = repository_of(&report.image.reference);
    let tracking = TrackingIndex::new(report);
    let mut rules = Rules::default();
    let mut results: Vec<(Severity, Value)> = Vec::new();

    let packages = PackageIndex::new(&report.packages);
    let mut used: HashSet<(&str, usize)> = HashSet::new();
    for f in &report.vulnerabilities {
        let package = packages.find(f, &mut used);
        let index = rules.vulnerability(f);
        results.push((f.severity, vulnerability_result(report, &repository, f, package, index, &tracking)));
    }
    for c in &report.hardening {
        let index = rules.check(c);
        results.push((c.severity, check_result(report, &repository, c, index, &tracking)));
    }
    for s in &report.secrets {
        let index = rules.secret(s);
        results.push((s.severity, secret_result(report, &repository, s, index, &tracking)));
    }

    // Most severe first (stable: each scanner's own order within a
    // severity), so a cut at GitHub's limit drops the least severe.
    results.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut notifications: Vec<Value> = report.warnings.iter().map(|w| json!({"level": "warning", "message": {"text": w}})).collect();
    if results.len() > MAX_RESULTS {
        let left_out = results.len() - MAX_RESULTS;
        results.truncate(MAX_RESULTS);
        notifications.push(json!({
            "level": "warning",
            "message": {"text": format!(
                "{left_out} least severe results left out: GitHub code scanning accepts at most {MAX_RESULTS} results per run (the JSON report has them all)"
            )},
        }));
    }
    let results: Vec<Value> = results.into_iter().map(|(_, r)| r).collect();
    let rules = rules.finish();

    let img = &report.image;
    let mut run_properties = Map::new();
    run_properties.insert("image".into(), json!(img.reference));
    run_properties.insert("repository".into(), json!(repository));
    for (key, digest) in
        [("manifestDigest", &img.manifest_digest), ("configDigest", &img.config_digest), ("indexDigest", &img.index_digest)]
    {
        if let Some(d) = digest {
            run_properties.insert(key.into(), json!(d.to_string()));
        }
    }
    if let Some(p) = &img.platform {
        run_properties.insert("platform".into(), json!(p));
    }
    run_properties.insert("scannedAt".into(), json!(report.scanned_at));
    if let Some(f) = &report.fips {
        run_properties.insert("fipsVerdict".into(), json!(f.verdict.as_str()));
    }
    if let Some(db) = &report.advisory_db {
        run_properties.insert("advisoryDbBuiltAt".into(), json!(db.built_at));
        run_properties.insert("advisoryDbAgeHours".into(), json!(db.age_hours));
        run_properties.insert("advisoryDbStale".into(), json!(db.stale));
    }

    let mut invocation = json!({"executionSuccessful": true});
    // The schema wants a date-time; a report read back from elsewhere may not have one.
    if report.scanned_at.parse::<jiff::Timestamp>().is_ok() {
        invocation["endTimeUtc"] = json!(report.scanned_at);
    }
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }

    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "drydock",
                "version": report.scanner.version,
                "semanticVersion": report.scanner.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            // GitHub's category: one per image repository, so several
            // images (and the linter's Dockerfile run) uploaded for one
            // commit do not replace each other's alerts.
            "automationDetails": {"id": format!("drydock-image/{repository}/")},
            "originalUriBaseIds": {
                IMAGE_ROOT: {
                    "uri": "file:///",
                    "description": {"text": format!("The root of the filesystem of image {}", img.reference)},
                },
            },
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": run_properties,
        }],
    })
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "note",
    }
}

/// GitHub's `security-severity`: a CVSS-like score as a string. A score
/// inside each band (GitHub: over 9.0 critical, 7.0–8.9 high, 4.0–6.9
/// medium, 0.1–3.9 low), not on its edge, so the band does not depend on
/// whether GitHub reads a bound as inclusive. `None` for an unrated finding:
/// inventing a band for it would rank it.
pub fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Unknown => None,
    }
}

/// A vulnerability's score for GitHub: its CVSS v3 score (NVD's where
/// known), else its highest CVSS v3 or v4 score, else the severity's band.
fn vulnerability_score(f: &Finding) -> Option<String> {
    let cvss = f.cvss_v3_score.filter(|s| *s > 0.0).or_else(|| {
        f.cvss
            .iter()
            .filter(|c| (c.version.starts_with('3') || c.version.starts_with('4')) && c.base_score > 0.0)
            .map(|c| c.base_score)
            .reduce(f64::max)
    });
    match cvss {
        Some(s) => Some(format!("{:.1}", s.clamp(0.0, 10.0))),
        None => security_severity(f.severity).map(str::to_owned),
    }
}

/// The rules of the run, in order of first use, with each one's index.
#[derive(Default)]
struct Rules {
    list: Vec<Value>,
    index: HashMap<String, usize>,
    /// Vulnerability rules are written last ([`Rules::finish`]) from
    /// everything their findings say: a CVE in several packages has one
    /// rule listing them all, with every reference and the highest score.
    vulnerabilities: BTreeMap<usize, VulnerabilityRule>,
}

/// What the findings of one vulnerability id say, joined.
struct VulnerabilityRule {
    id: String,
    title: Option<String>,
    severity: Severity,
    score: Option<f64>,
    kev: Option<KevInfo>,
    affected: Vec<String>,
    ecosystems: Vec<&'static str>,
    aliases: Vec<String>,
    references: Vec<String>,
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl Rules {
    fn vulnerability(&mut self, f: &Finding) -> usize {
        let id = rule_id(&f.id);
        let index = match self.index.get(&id) {
            Some(&i) => i,
            None => {
                let i = self.push(&id, Value::Null);
                let rule = VulnerabilityRule {
                    id: f.id.clone(),
                    title: None,
                    severity: f.severity,
                    score: None,
                    kev: None,
                    affected: Vec::new(),
                    ecosystems: Vec::new(),
                    aliases: Vec::new(),
                    references: Vec::new(),
                };
                self.vulnerabilities.insert(i, rule);
                i
            }
        };
        let rule = self.vulnerabilities.get_mut(&index).expect("inserted with the rule");
        if rule.title.is_none() {
            rule.title = f.title.clone().filter(|t| !t.trim().is_empty());
        }
        rule.severity = rule.severity.max(f.severity);
        let score = vulnerability_score(f).and_then(|s| s.parse::<f64>().ok());
        rule.score = match (rule.score, score) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if let Some(k) = &f.kev
            && rule.kev.as_ref().is_none_or(|seen| k.due_date < seen.due_date)
        {
            rule.kev = Some(k.clone());
        }
        let fixed = if f.fixed_versions.is_empty() { "no fix yet".to_owned() } else { format!("fixed in {}", f.fixed_versions.join(", ")) };
        push_new(&mut rule.affected, format!("{} {} ({}): {fixed}", f.package.name, f.package.version, f.package.ecosystem.purl_type()));
        push_new(&mut rule.ecosystems, f.package.ecosystem.purl_type());
        for a in &f.aliases {
            push_new(&mut rule.aliases, a.clone());
        }
        for r in &f.references {
            push_new(&mut rule.references, r.clone());
        }
        index
    }

    /// The rules, vulnerability rules written out.
    fn finish(mut self) -> Vec<Value> {
        for (i, rule) in std::mem::take(&mut self.vulnerabilities) {
            self.list[i] = vulnerability_rule(&rule_id(&rule.id), &rule);
        }
        self.list
    }

    fn check(&mut self, c: &CheckFinding) -> usize {
        let id = rule_id(&c.rule_id);
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        self.push(&id, check_rule(&id, c))
    }

    fn secret(&mut self, s: &SecretFinding) -> usize {
        let id = rule_id(&s.rule_id);
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        self.push(&id, secret_rule(&id, s))
    }

    fn push(&mut self, id: &str, rule: Value) -> usize {
        let i = self.list.len();
        self.list.push(rule);
        self.index.insert(id.to_owned(), i);
        i
    }
}

/// A rule id within GitHub's length limit (ids come from advisory data).
fn rule_id(id: &str) -> String {
    if id.len() <= MAX_RULE_ID {
        return id.to_owned();
    }
    let mut end = MAX_RULE_ID;
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    id[..end].to_owned()
}

fn vulnerability_rule(id: &str, v: &VulnerabilityRule) -> Value {
    let title = v.title.clone().unwrap_or_else(|| format!("{} in {}", v.id, v.affected.first().map(String::as_str).unwrap_or("a package")));
    let mut text = format!("{}: {title}\n\nSeverity: {}", v.id, v.severity);
    let mut md = format!("**{}**: {}\n\nSeverity: **{}**", md_escape(&v.id), md_escape(&title), v.severity);
    if let Some(s) = v.score {
        let _ = write!(text, " (CVSS {s:.1})");
        let _ = write!(md, " (CVSS {s:.1})");
    }
    if let Some(k) = &v.kev {
        let _ = write!(text, ". Known exploited (CISA KEV since {}, remediation due {})", k.date_added, k.due_date);
        let _ =
            write!(md, ". **Known exploited** (CISA KEV since {}, remediation due {})", md_escape(&k.date_added), md_escape(&k.due_date));
    }
    text.push_str("\n\nAffected packages:\n");
    md.push_str("\n\n#### Affected packages\n");
    for a in &v.affected {
        let _ = writeln!(text, "- {a}");
        let _ = writeln!(md, "- {}", md_escape(a));
    }
    if !v.aliases.is_empty() {
        let _ = write!(text, "\nAlso known as: {}\n", v.aliases.join(", "));
        let _ = write!(md, "\nAlso known as: {}\n", md_escape(&v.aliases.join(", ")));
    }
    if !v.references.is_empty() {
        text.push_str("\nReferences:\n");
        md.push_str("\n#### References\n");
        for r in &v.references {
            let _ = writeln!(text, "- {r}");
            if is_web_uri(r) {
                let _ = writeln!(md, "- <{r}>");
            } else {
                let _ = writeln!(md, "- {}", md_escape(r));
            }
        }
    }

    let mut tags = vec!["security".to_owned(), "vulnerability".to_owned()];
    tags.extend(v.ecosystems.iter().map(|e| (*e).to_owned()));
    if v.kev.is_some() {
        tags.push("kev".into());
    }
    tags.truncate(MAX_TAGS);
    let mut properties = json!({"tags": tags, "precision": "very-high"});
    if let Some(s) = v.score.map(|s| format!("{s:.1}")).or_else(|| security_severity(v.severity).map(str::to_owned)) {
        properties["security-severity"] = json!(s);
    }
    let mut rule = json!({
        "id": id,
        "shortDescription": {"text": one_line(&title, 1024)},
        "fullDescription": {"text": one_line(&title, 1024)},
        "help": {"text": text, "markdown": md},
        "defaultConfiguration": {"level": level(v.severity)},
        "properties": properties,
    });
    if let Some(uri) = v.references.iter().find(|r| is_web_uri(r)) {
        rule["helpUri"] = json!(uri);
    }
    rule
}

fn check_rule(id: &str, c: &CheckFinding) -> Value {
    let what = if c.rule_id.starts_with("FIPS") { "FIPS 140 check" } else { "Image hardening check" };
    let mut text = format!("{what} {} ({}): {}\n\nFix: {}\n", c.rule_id, c.name, c.title, c.remediation);
    let mut md = format!(
        "**{}** `{}`: {}\n\n#### Fix\n{}\n",
        md_escape(&c.rule_id),
        md_escape(&c.name),
        md_escape(&c.title),
        md_escape(&c.remediation)
    );
    if !c.controls.is_empty() {
        let _ = write!(text, "\nNIST SP 800-53: {}\n", c.controls.join(", "));
        let _ = write!(md, "\n#### NIST SP 800-53\n{}\n", md_escape(&c.controls.join(", ")));
    }
    if !c.references.is_empty() {
        text.push_str("\nReferences:\n");
        md.push_str("\n#### References\n");
        for r in &c.references {
            let _ = writeln!(text, "- {r}");
            let _ = writeln!(md, "- {}", md_escape(r));
        }
    }
    let mut tags = vec!["security".to_owned(), if c.rule_id.starts_with("FIPS") { "fips" } else { "hardening" }.to_owned()];
    tags.extend(c.controls.iter().map(|ctl| format!("NIST-SP-800-53/{ctl}")));
    tags.truncate(MAX_TAGS);
    let mut properties = json!({"tags": tags, "precision": "high"});
    if let Some(s) = security_severity(c.severity) {
        properties["security-severity"] = json!(s);
    }
    json!({
        "id": id,
        "name": c.name,
        "shortDescription": {"text": one_line(&c.title, 1024)},
        "fullDescription": {"text": one_line(&format!("{} Fix: {}", c.title, c.remediation), 1024)},
        "help": {"text": text, "markdown": md},
        "defaultConfiguration": {"level": level(c.severity)},
        "properties": properties,
    })
}

/// The help of every secret rule: what to do about a leaked credential.
/// Generic on purpose: a rule's help is shared by all its results, and no
/// part of a secret may appear in it.
const SECRET_HELP: &str = "A credential (key, token or password) is stored in a file of an image layer. \
Anyone who can pull the image can read it, even when a later layer deleted the file: every layer ships.\n\n\
Fix: revoke or rotate the credential now, remove it from the build context (and from any layer: rebuild \
without it, do not delete it in a later step), and give it to the container at run time instead \
(a mounted secret or a secrets manager; BuildKit `RUN --mount=type=secret` for build-time use).\n\n\
NIST SP 800-53: IA-5(7) (no static authenticators embedded in storage), IA-5, SC-28, SC-12.";

fn secret_rule(id: &str, s: &SecretFinding) -> Value {
    let mut properties = json!({"tags": ["security", "secret"], "precision": "high"});
    if let Some(sev) = security_severity(s.severity) {
        properties["security-severity"] = json!(sev);
    }
    json!({
        "id": id,
        "name": s.name,
        "shortDescription": {"text": one_line(&s.title, 1024)},
        "fullDescription": {"text": one_line(&format!("{}: a secret in a file of an image layer", s.title), 1024)},
        "help": {"text": SECRET_HELP, "markdown": SECRET_HELP},
        "defaultConfiguration": {"level": level(s.severity)},
        "properties": properties,
    })
}

fn vulnerability_result(
    report: &Report,
    repository: &str,
    f: &Finding,
    package: Option<&Package>,
    rule_index: usize,
    tracking: &TrackingIndex<'_>,
) -> Value {
    let path = package.and_then(|p| p.locations.first()).map(String::as_str);
    let fixed = if f.fixed_versions.is_empty() { "No fix yet".to_owned() } else { format!("Fixed in {}", f.fixed_versions.join(", ")) };
    let title = f.title.as_deref().filter(|t| !t.trim().is_empty()).map(|t| format!(": {}", one_line(t, 300))).unwrap_or_default();
    let mut message = format!("{} {} is affected by {} ({}){title}. {fixed}.", f.package.name, f.package.version, f.id, f.severity);
    if let Some(k) = &f.kev {
        let _ = write!(message, " Known exploited (CISA KEV), due {}.", k.due_date);
    }
    let layer = LayerRef {
        index: Some(f.origin.layer_index),
        digest: f.origin.digest.as_ref().map(ToString::to_string),
        created_by: f.origin.created_by.clone(),
        base_image: Some(f.origin.base_image),
    };
    message.push_str(&layer.sentence());
    let subject = drydock_core::tracking::identity::vulnerability_key(f);
    let mut result = result(rule_index, &f.id, level(f.severity), message, location(report, path, None, &layer));
    result["partialFingerprints"] = json!({FINGERPRINT_KEY: fingerprint(&[&f.id, &subject, path.unwrap_or(""), repository])});
    let mut props = Map::new();
    props.insert("kind".into(), json!("vulnerability"));
    props.insert("package".into(), json!({"name": f.package.name, "version": f.package.version, "purl": f.package.purl}));
    props.insert("fixedVersions".into(), json!(f.fixed_versions));
    if let Some(s) = vulnerability_score(f) {
        props.insert("security-severity".into(), json!(s));
    }
    if let Some(k) = &f.kev {
        props.insert("kev".into(), json!({"dateAdded": k.date_added, "dueDate": k.due_date, "ransomware": k.ransomware}));
    }
    layer.insert_into(&mut props);
    if let Some(t) = tracking.vulnerability(f) {
        props.insert("tracking".into(), tracking_json(t));
    }
    result["properties"] = Value::Object(props);
    if f.suppressed {
        let mut s = json!({"kind": "external", "status": "accepted"});
        if let Some(v) = &f.vex {
            let why =
                [Some(v.status.as_str()), v.justification.as_deref(), v.statement.as_deref()].into_iter().flatten().collect::<Vec<_>>();
            s["justification"] = json!(format!("VEX: {} ({})", why.join("; "), v.document));
        }
        result["suppressions"] = json!([s]);
    }
    result
}

fn check_result(report: &Report, repository: &str, c: &CheckFinding, rule_index: usize, tracking: &TrackingIndex<'_>) -> Value {
    // The first evidence that is a file in the image locates the result;
    // config settings and history lines become logical locations.
    let primary = c.evidence.iter().find(|e| e.location.starts_with('/')).or(c.evidence.first());
    let layer = primary.map(evidence_layer).unwrap_or_default();
    let path = primary.map(|e| e.location.as_str()).filter(|l| l.starts_with('/'));
    let setting = primary.map(|e| e.location.as_str()).filter(|l| !l.starts_with('/'));
    let mut message = format!("{} ({})", c.title, c.severity);
    let shown = 10;
    for e in c.evidence.iter().take(shown) {
        let _ = write!(message, "\n- {}: {}", e.location, one_line(&e.detail, 300));
    }
    if c.evidence.len() > shown {
        let _ = write!(message, "\n- and {} more", c.evidence.len() - shown);
    }
    let _ = write!(message, "\nFix: {}", c.remediation);
    let mut result = result(rule_index, &c.rule_id, level(c.severity), message, location(report, path, setting, &layer));
    // One alert per check, as the scan history keeps one item per check:
    // its evidence locations (`history[3]`) move with every added step.
    result["partialFingerprints"] = json!({FINGERPRINT_KEY: fingerprint(&[&c.rule_id, "", "", repository])});
    let related: Vec<Value> = c
        .evidence
        .iter()
        .take(1000)
        .enumerate()
        .map(|(i, e)| {
            let layer = evidence_layer(e);
            let (path, setting) =
                if e.location.starts_with('/') { (Some(e.location.as_str()), None) } else { (None, Some(e.location.as_str())) };
            let mut l = location(report, path, setting, &layer);
            l["id"] = json!(i);
            l["message"] = json!({"text": one_line(&e.detail, 1000)});
            l
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    let mut props = Map::new();
    props.insert("kind".into(), json!(if c.rule_id.starts_with("FIPS") { "fips" } else { "hardening" }));
    props.insert("controls".into(), json!(c.controls));
    if let Some(s) = security_severity(c.severity) {
        props.insert("security-severity".into(), json!(s));
    }
    layer.insert_into(&mut props);
    if let Some(t) = tracking.check(c) {
        props.insert("tracking".into(), tracking_json(t));
    }
    result["properties"] = Value::Object(props);
    result
}

fn secret_result(report: &Report, repository: &str, s: &SecretFinding, rule_index: usize, tracking: &TrackingIndex<'_>) -> Value {
    let layer = LayerRef {
        index: Some(s.layer_index),
        digest: s.layer_digest.as_ref().map(ToString::to_string),
        created_by: s.created_by.clone(),
        base_image: None,
    };
    let mut message = format!("{} ({}) in {} line {}: {}.", s.title, s.severity, s.path, s.line, s.redacted);
    if s.removed {
        message.push_str(" A later layer deleted the file; the layer still ships it to anyone who pulls the image.");
    }
    message.push_str(&layer.sentence());
    if !s.remediation.is_empty() {
        let _ = write!(message, "\nFix: {}", s.remediation);
    }
    let mut loc = location(report, Some(&s.path), None, &layer);
    loc["physicalLocation"]["region"] = json!({"startLine": s.line.max(1), "startColumn": s.column.max(1)});
    let mut result = result(rule_index, &s.rule_id, level(s.severity), message, loc);
    // The fingerprint of the value (already a hash in the report) keeps a
    // rotated key in the same file a new alert, as the history does.
    result["partialFingerprints"] = json!({FINGERPRINT_KEY: fingerprint(&[&s.rule_id, &s.path, &s.fingerprint, repository])});
    let mut props = Map::new();
    props.insert("kind".into(), json!("secret"));
    props.insert("redacted".into(), json!(s.redacted));
    props.insert("deletedByLaterLayer".into(), json!(s.removed));
    if !s.controls.is_empty() {
        props.insert("controls".into(), json!(s.controls));
    }
    if let Some(sev) = security_severity(s.severity) {
        props.insert("security-severity".into(), json!(sev));
    }
    layer.insert_into(&mut props);
    if let Some(t) = tracking.secret(s) {
        props.insert("tracking".into(), tracking_json(t));
    }
    result["properties"] = Value::Object(props);
    result
}

fn result(rule_index: usize, rule: &str, level: &str, message: String, location: Value) -> Value {
    json!({
        "ruleId": rule_id(rule),
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": message},
        "locations": [location],
    })
}

/// The layer a finding came from, as far as the report knows it.
#[derive(Default)]
struct LayerRef {
    index: Option<usize>,
    digest: Option<String>,
    created_by: Option<String>,
    base_image: Option<bool>,
}

impl LayerRef {
    fn sentence(&self) -> String {
        let Some(i) = self.index else { return String::new() };
        let whose = match self.base_image {
            Some(true) => " of the base image",
            Some(false) => " (your own build step)",
            None => "",
        };
        match &self.created_by {
            Some(c) => format!(" Introduced by layer {i}{whose}: {}", one_line(c, 200)),
            None => format!(" Introduced by layer {i}{whose}."),
        }
    }

    fn insert_into(&self, props: &mut Map<String, Value>) {
        if let Some(i) = self.index {
            props.insert("layerIndex".into(), json!(i));
        }
        if let Some(d) = &self.digest {
            props.insert("layerDigest".into(), json!(d));
        }
        if let Some(c) = &self.created_by {
            props.insert("layerCreatedBy".into(), json!(c));
        }
        if let Some(b) = self.base_image {
            props.insert("baseImage".into(), json!(b));
        }
    }
}

fn evidence_layer(e: &Evidence) -> LayerRef {
    LayerRef {
        index: e.layer_index,
        digest: e.layer_digest.as_ref().map(ToString::to_string),
        created_by: e.created_by.clone(),
        base_image: None,
    }
}

/// A location: the file in the image (relative to `IMAGE_ROOT`) when there
/// is one, else the image reference; and a logical location naming the
/// image and layer, or the config setting.
fn location(report: &Report, path: Option<&str>, setting: Option<&str>, layer: &LayerRef) -> Value {
    let reference = &report.image.reference;
    let artifact = match path.map(|p| p.trim_start_matches('/')).filter(|p| !p.is_empty()) {
        Some(p) => json!({"uri": uri_path(p), "uriBaseId": IMAGE_ROOT}),
        None => json!({"uri": uri_path(reference)}),
    };
    let mut logical = Vec::new();
    if let Some(s) = setting {
        logical.push(json!({"name": s, "fullyQualifiedName": format!("{reference} {s}"), "kind": "property"}));
    }
    let layer_name = match (&layer.index, &layer.digest) {
        (Some(i), Some(d)) => Some(format!("layer {i} {d}")),
        (Some(i), None) => Some(format!("layer {i}")),
        (None, Some(d)) => Some(format!("layer {d}")),
        (None, None) => None,
    };
    match layer_name {
        Some(name) => logical.push(json!({"name": name, "fullyQualifiedName": format!("{reference} {name}"), "kind": "module"})),
        None if setting.is_none() => logical.push(json!({"name": reference, "fullyQualifiedName": reference, "kind": "module"})),
        None => {}
    }
    json!({
        "physicalLocation": {"artifactLocation": artifact, "region": {"startLine": 1}},
        "logicalLocations": logical,
    })
}

/// Percent-encodes a path for a URI reference: everything but RFC 3986's
/// unreserved characters and `/`. Colons are encoded too: in a relative
/// reference's first segment (`alpine:3.20`) one would read as a scheme.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A plain `http(s)` URL that the schema's `uri` format and a Markdown
/// autolink both accept.
fn is_web_uri(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && r.bytes().all(|b| b.is_ascii_graphic() && !b"<>\"{}|\\^`".contains(&b)))
}

/// Escapes the characters Markdown would read as inline markup (emphasis,
/// code, links, HTML, tables, GitHub's single-tilde strikethrough). Used
/// inline only, never at a line start, so `#`, `-` and `+` are safe.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One line of at most `max` characters.
fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max { flat } else { format!("{}…", flat.chars().take(max.saturating_sub(1)).collect::<String>()) }
}

/// 32 hex digits of the sha256 of the parts, each followed by a NUL (the
/// linter's fingerprint style).
fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

fn tracking_json(t: &TrackedFinding) -> Value {
    let mut v = json!({
        "id": t.id,
        "firstSeen": t.first_seen,
        "lastSeen": t.last_seen,
        "severity": t.effective_severity().as_str(),
        "dueReason": t.due_reason,
        "overdue": t.overdue,
    });
    if let Some(d) = &t.due {
        v["due"] = json!(d);
    }
    if let Some(d) = t.days_left {
        v["daysLeft"] = json!(d);
    }
    if let Some(k) = &t.kev_due {
        v["kevDue"] = json!(k);
    }
    if t.reopened > 0 {
        v["reopened"] = json!(t.reopened);
    }
    if let Some(d) = &t.deviation {
        v["deviation"] = json!({"id": d.id, "kind": d.kind.as_str(), "expires": d.expires, "active": d.active});
    }
    v
}

/// Finds the inventory package a vulnerability was matched on, for its
/// file: by purl, preferring the layer the finding names, and not reusing
/// a package the same vulnerability already took (two copies of one Go
/// module in two binaries are two findings).
struct PackageIndex<'a> {
    by_purl: HashMap<&'a str, Vec<(usize, &'a Package)>>,
}

impl<'a> PackageIndex<'a> {
    fn new(packages: &'a [Package]) -> Self {
        let mut by_purl: HashMap<&str, Vec<(usize, &Package)>> = HashMap::new();
        for (i, p) in packages.iter().enumerate() {
            by_purl.entry(p.purl.as_str()).or_default().push((i, p));
        }
        PackageIndex { by_purl }
    }

    fn find<'f>(&self, f: &'f Finding, used: &mut HashSet<(&'f str, usize)>) -> Option<&'a Package> {
        let candidates = self.by_purl.get(f.package.purl.as_str())?;
        let pick = candidates
            .iter()
            .filter(|(i, _)| !used.contains(&(f.id.as_str(), *i)))
            .min_by_key(|(_, p)| p.origin.layer_index != f.origin.layer_index)
            .or_else(|| candidates.first())?;
        used.insert((f.id.as_str(), pick.0));
        Some(pick.1)
    }
}

/// Joins findings to `report.tracking` by the scan history's identity:
/// `DD-` and 12 hex digits of the sha256 of kind, repository, rule and
/// subject key, each length-prefixed (the history crate's `finding_id`,
/// restated here because writers depend on the report alone; a test
/// checks the two agree). A vulnerability the history recorded under an
/// older id (an alias, before the advisory data learnt its CVE) keeps that
/// id, so the join falls back to kind, rule and subject.
pub(crate) struct TrackingIndex<'a> {
    repository: &'a str,
    by_id: HashMap<&'a str, &'a TrackedFinding>,
    by_subject: BTreeMap<(FindingKind, &'a str, &'a str), &'a TrackedFinding>,
}

impl<'a> TrackingIndex<'a> {
    pub(crate) fn new(report: &'a Report) -> Self {
        let mut index = TrackingIndex { repository: "", by_id: HashMap::new(), by_subject: BTreeMap::new() };
        if let Some(t) = &report.tracking {
            index.repository = &t.repository;
            for f in &t.findings {
                index.by_id.insert(&f.id, f);
                index.by_subject.entry((f.kind, &f.rule, &f.subject)).or_insert(f);
            }
        }
        index
    }

    pub(crate) fn vulnerability(&self, f: &Finding) -> Option<&'a TrackedFinding> {
        if f.suppressed || self.by_id.is_empty() {
            return None;
        }
        let key = drydock_core::tracking::identity::vulnerability_key(f);
        let kind = FindingKind::Vulnerability;
        self.by_id.get(finding_id(kind, self.repository, &f.id, &key).as_str()).copied().or_else(|| {
            std::iter::once(&f.id)
                .chain(&f.aliases)
                .find_map(|rule| self.by_subject.get(&(kind, rule.as_str(), f.package.name.as_str())).copied())
        })
    }

    pub(crate) fn check(&self, c: &CheckFinding) -> Option<&'a TrackedFinding> {
        let kind = drydock_core::tracking::identity::check_kind(c);
        self.by_id.get(finding_id(kind, self.repository, &c.rule_id, "").as_str()).copied().or_else(|| {
            self.by_subject
                .range((kind, c.rule_id.as_str(), "")..)
                .next()
                .filter(|((k, r, _), _)| *k == kind && *r == c.rule_id)
                .map(|(_, t)| *t)
        })
    }

    pub(crate) fn secret(&self, s: &SecretFinding) -> Option<&'a TrackedFinding> {
        let kind = FindingKind::Secret;
        let key = drydock_core::tracking::identity::secret_key(s);
        self.by_id
            .get(finding_id(kind, self.repository, &s.rule_id, &key).as_str())
            .copied()
            .or_else(|| self.by_subject.get(&(kind, s.rule_id.as_str(), s.path.as_str())).copied())
    }
}

/// The scan history's finding id and repository (see [`TrackingIndex`]).
pub use drydock_core::tracking::{finding_id, repository_of};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_relative_references() {
        assert_eq!(uri_path("usr/lib/libssl.so.3"), "usr/lib/libssl.so.3");
        assert_eq!(uri_path("alpine:3.20"), "alpine%3A3.20");
        assert_eq!(uri_path("app/my file#1"), "app/my%20file%231");
        assert_eq!(uri_path("é"), "%C3%A9");
    }

    #[test]
    fn only_plain_web_urls_become_links() {
        assert!(is_web_uri("https://security-tracker.debian.org/tracker/CVE-2024-0001"));
        assert!(!is_web_uri("javascript:alert(1)"));
        assert!(!is_web_uri("https://a b"));
        assert!(!is_web_uri("https://"));
        assert!(!is_web_uri("https://x/<script>"));
    }

    #[test]
    fn security_severity_bands_sit_inside_github_bands() {
        assert_eq!(security_severity(Severity::Critical), Some("9.5"));
        assert_eq!(security_severity(Severity::Low), Some("2.0"));
        assert_eq!(security_severity(Severity::Unknown), None);
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Unknown), "note");
    }

    #[test]
    fn long_rule_ids_are_cut_on_a_char_boundary() {
        let id = "é".repeat(200);
        let cut = rule_id(&id);
        assert!(cut.len() <= MAX_RULE_ID && cut.chars().all(|c| c == 'é'));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md_escape("a|b *c* <d>"), "a\\|b \\*c\\* \\<d\\>");
    }
}
