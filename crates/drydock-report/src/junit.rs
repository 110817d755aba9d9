//! JUnit XML for CI dashboards (Jenkins, GitLab, Azure DevOps and others
//! that read Ant's JUnit format): one test suite per scanner
//! (`vulnerabilities`, `hardening`, `secrets`, `fips`), one failed test
//! case per finding, and a passed case for a scanner that found nothing,
//! so a clean scan still shows four green suites.
//!
//! * A failure's `type` is the severity and its `message` the severity,
//!   title and package or path; its text has the details (fixed versions,
//!   layer, remediation, and the due date when the scan history tracks the
//!   finding).
//! * VEX-suppressed vulnerabilities are skipped cases, not failures.
//! * A scanner the report shows did not run (no advisory database, no FIPS
//!   posture) is one skipped case saying so, not a pass.
//!
//! The shape follows the Jenkins JUnit schema (`junit-4.xsd`), which the
//! tests validate against: `skipped` holds text and no attributes, and
//! `testsuites` has no `skipped` count. Hand-written: the format is a
//! handful of elements, and [`escape`] covers what XML 1.0 needs.

use std::fmt::Write as _;
use std::io::{self, Write};

use drydock_core::report::Report;
use drydock_core::tracking::TrackedFinding;
use drydock_core::vulnerability::Severity;

use crate::sarif::TrackingIndex;

/// Escapes text for XML 1.0 element content and attribute values (and
/// HTML 5, which needs the same five). Characters XML 1.0 forbids (C0
/// controls but tab, newline and carriage return; U+FFFE and U+FFFF) become
/// U+FFFD: a parser must reject a document that has them, even as
/// character references. In attributes, tab, newline and carriage return
/// are written as character references, which attribute-value
/// normalization leaves alone.
pub(crate) fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn attr(s: &str) -> String {
    escape(s, true)
}

fn text(s: &str) -> String {
    escape(s, false)
}

/// One test case: passed, failed or skipped.
struct Case {
    name: String,
    outcome: Outcome,
}

enum Outcome {
    Passed(Option<String>),
    Failed { severity: Severity, message: String, details: String },
    Skipped(String),
}

struct Suite {
    name: &'static str,
    cases: Vec<Case>,
    /// What the whole scanner said (database age, FIPS verdict).
    out: Option<String>,
}

impl Suite {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.outcome)).count()
    }
    fn failures(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed { .. }))
    }
    fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let img = &report.image;
    let mut properties = vec![("image", img.reference.clone()), ("scanned_at", report.scanned_at.clone())];
    if let Some(d) = img.manifest_digest.as_ref().or(img.config_digest.as_ref()) {
        properties.push(("digest", d.to_string()));
    }
    properties.push(("scanner", format!("{} {}", report.scanner.name, report.scanner.version)));

    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"0\">",
        attr(&format!("drydock scan {}", img.reference))
    );
    for suite in &suites {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\">",
            suite.name,
            suite.cases.len(),
            suite.failures(),
            suite.skipped()
        );
        xml.push_str("    <properties>\n");
        for (name, value) in &properties {
            let _ = writeln!(xml, "      <property name=\"{name}\" value=\"{}\"/>", attr(value));
        }
        xml.push_str("    </properties>\n");
        let classname = format!("drydock.{}", suite.name);
        for case in &suite.cases {
            let _ = write!(xml, "    <testcase classname=\"{classname}\" name=\"{}\" time=\"0\"", attr(&case.name));
            match &case.outcome {
                Outcome::Passed(None) => xml.push_str("/>\n"),
                Outcome::Passed(Some(out)) => {
                    let _ = writeln!(xml, "><system-out>{}</system-out></testcase>", text(out));
                }
                Outcome::Failed { severity, message, details } => {
                    let _ = writeln!(
                        xml,
                        ">\n      <failure type=\"{severity}\" message=\"{}\">{}</failure>\n    </testcase>",
                        attr(message),
                        text(details)
                    );
                }
                Outcome::Skipped(why) => {
                    let _ = writeln!(xml, "><skipped>{}</skipped></testcase>", text(why));
                }
            }
        }
        if let Some(o) = &suite.out {
            let _ = writeln!(xml, "    <system-out>{}</system-out>", text(o));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn suites(report: &Report) -> Vec<Suite> {
    let tracking = TrackingIndex::new(report);
    vec![vulnerabilities(report, &tracking), checks(report, &tracking, false), secrets(report, &tracking), checks(report, &tracking, true)]
}

/// `Due 2026-12-01 (3 days overdue), tracked as DD-…, first seen …`.
fn due_line(t: &TrackedFinding) -> String {
    let mut s = match (&t.due, t.days_left) {
        (Some(due), Some(d)) if d < 0 => format!("Due {due} ({} days overdue)", -d),
        (Some(due), Some(0)) => format!("Due {due} (today)"),
        (Some(due), Some(d)) => format!("Due {due} ({d} days left)"),
        (Some(due), None) => format!("Due {due}"),
        (None, _) => "No due date".to_owned(),
    };
    let _ = write!(s, ": {}. Tracked as {}, first seen {}.", t.due_reason, t.id, t.first_seen);
    if let Some(d) = &t.deviation {
        let _ = write!(s, " Deviation {} ({}).", d.id, d.kind);
    }
    s
}

fn vulnerabilities(report: &Report, tracking: &TrackingIndex<'_>) -> Suite {
    let mut cases = Vec::new();
    for f in &report.vulnerabilities {
        let name = format!("{} in {} {}", f.id, f.package.name, f.package.version);
        if f.suppressed {
            let why = match &f.vex {
                Some(v) => {
                    let reason = [v.justification.as_deref(), v.statement.as_deref()].into_iter().flatten().collect::<Vec<_>>().join("; ");
                    format!("Suppressed by VEX ({}): {} {reason}", v.document, v.status)
                }
                None => "Suppressed by VEX".to_owned(),
            };
            cases.push(Case { name, outcome: Outcome::Skipped(why.trim_end().to_owned()) });
            continue;
        }
        let title = f.title.as_deref().filter(|t| !t.trim().is_empty()).map(|t| format!(": {t}")).unwrap_or_default();
        let message = format!("{} {}{title} ({} {})", f.severity, f.id, f.package.name, f.package.version);
        let mut details = format!("{}{title}\nPackage: {} {} ({})\n", f.id, f.package.name, f.package.version, f.package.purl);
        if f.fixed_versions.is_empty() {
            details.push_str("Fixed in: no fix yet\n");
        } else {
            let _ = writeln!(details, "Fixed in: {}", f.fixed_versions.join(", "));
        }
        if let Some(s) = f.cvss_v3_score {
            let _ = writeln!(details, "CVSS v3: {s:.1}");
        }
        if let Some(k) = &f.kev {
            let _ = writeln!(details, "Known exploited (CISA KEV): remediation due {}", k.due_date);
        }
        let whose = if f.origin.base_image { " (base image)" } else { "" };
        let _ = writeln!(details, "Layer {}{whose}: {}", f.origin.layer_index, f.origin.created_by.as_deref().unwrap_or("-"));
        if let Some(t) = tracking.vulnerability(f) {
            let _ = writeln!(details, "{}", due_line(t));
        }
        for r in &f.references {
            let _ = writeln!(details, "Reference: {r}");
        }
        cases.push(Case { name, outcome: Outcome::Failed { severity: f.severity, message, details } });
    }
    let out = report.advisory_db.as_ref().map(|db| {
        let stale = if db.stale { format!(" STALE: older than {:.0} hours.", db.max_age_hours) } else { String::new() };
        format!("Advisory database built {}, {:.1} hours old.{stale}", db.built_at, db.age_hours)
    });
    let open = cases.iter().any(|c| matches!(c.outcome, Outcome::Failed { .. }));
    if report.advisory_db.is_none() && report.vulnerabilities.is_empty() {
        cases.push(Case {
            name: "vulnerabilities not checked".into(),
            outcome: Outcome::Skipped("No advisory database was used: run `drydock db update` and scan again.".into()),
        });
    } else if !open {
        cases.push(Case { name: "no vulnerabilities".into(), outcome: Outcome::Passed(None) });
    }
    Suite { name: "vulnerabilities", cases, out }
}

/// The hardening checks (`IMG…`) or the FIPS checks (`FIPS…`), which
/// report through the same list.
fn checks(report: &Report, tracking: &TrackingIndex<'_>, fips: bool) -> Suite {
    let mut cases = Vec::new();
    for c in report.hardening.iter().filter(|c| c.rule_id.starts_with("FIPS") == fips) {
        let first = c.evidence.first().map(|e| format!(" at {}", e.location)).unwrap_or_default();
        let message = format!("{} {}: {}{first}", c.severity, c.rule_id, c.title);
        let mut details = format!("{} {}: {}\n", c.rule_id, c.name, c.title);
        for e in &c.evidence {
            let layer = e.layer_index.map(|i| format!(" (layer {i})")).unwrap_or_default();
            let _ = writeln!(details, "Evidence: {}{layer}: {}", e.location, e.detail);
        }
        let _ = writeln!(details, "Fix: {}", c.remediation);
        if !c.controls.is_empty() {
            let _ = writeln!(details, "NIST SP 800-53: {}", c.controls.join(", "));
        }
        if let Some(t) = tracking.check(c) {
            let _ = writeln!(details, "{}", due_line(t));
        }
        cases.push(Case { name: format!("{} {}", c.rule_id, c.name), outcome: Outcome::Failed { severity: c.severity, message, details } });
    }
    if !fips {
        if cases.is_empty() {
            cases.push(Case { name: "no hardening findings".into(), outcome: Outcome::Passed(None) });
        }
        return Suite {
            name: "hardening",
            cases,
            out: report.minimality.map(|m| format!("Minimality: {}", format!("{m:?}").to_lowercase())),
        };
    }
    let out = report.fips.as_ref().map(|f| format!("FIPS 140 verdict: {}. {}", f.verdict, f.summary));
    if cases.is_empty() {
        match &report.fips {
            Some(f) => {
                cases.push(Case { name: "no FIPS findings".into(), outcome: Outcome::Passed(Some(format!("Verdict: {}", f.verdict))) })
            }
            None => cases.push(Case {
                name: "FIPS posture not assessed".into(),
                outcome: Outcome::Skipped("The FIPS scanner did not run for this report.".into()),
            }),
        }
    }
    Suite { name: "fips", cases, out }
}

fn secrets(report: &Report, tracking: &TrackingIndex<'_>) -> Suite {
    let mut cases = Vec::new();
    for s in &report.secrets {
        let message = format!("{} {}: {} in {}:{}", s.severity, s.rule_id, s.title, s.path, s.line);
        let mut details = format!(
            "{} {}: {}\nFile: {} line {} column {}\nValue (redacted): {}\n",
            s.rule_id, s.name, s.title, s.path, s.line, s.column, s.redacted
        );
        let _ = writeln!(details, "Layer {}: {}", s.layer_index, s.created_by.as_deref().unwrap_or("-"));
        if s.removed {
            details.push_str("A later layer deleted the file; the layer still ships it.\n");
        }
        let fix = if s.remediation.is_empty() {
            "Revoke or rotate the credential, rebuild without it, and pass it at run time."
        } else {
            &s.remediation
        };
        let _ = writeln!(details, "Fix: {fix}");
        if !s.controls.is_empty() {
            let _ = writeln!(details, "NIST SP 800-53: {}", s.controls.join(", "));
        }
        if let Some(t) = tracking.secret(s) {
            let _ = writeln!(details, "{}", due_line(t));
        }
        cases.push(Case {
            name: format!("{} {} in {}:{}", s.rule_id, s.name, s.path, s.line),
            outcome: Outcome::Failed { severity: s.severity, message, details },
        });
    }
    if cases.is_empty() {
        cases.push(Case { name: "no secrets".into(), outcome: Outcome::Passed(None) });
    }
    Suite { name: "secrets", cases, out: None }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">&'</a>"#, false), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
        assert_eq!(escape("]]>", false), "]]&gt;");
    }

    #[test]
    fn replaces_characters_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{1b}[31mc\u{7f}", false), "a\u{fffd}b\u{fffd}[31mc\u{7f}");
        assert_eq!(escape("\u{fffe}\u{ffff}", false), "\u{fffd}\u{fffd}");
        assert_eq!(escape("\u{0b}\u{0c}", true), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn keeps_line_breaks_in_text_and_encodes_them_in_attributes() {
        assert_eq!(escape("a\n\tb\r", false), "a\n\tb&#13;");
        assert_eq!(escape("a\n\tb\r", true), "a&#10;&#9;b&#13;");
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(escape("CVE-2024-0001 in libssl3 3.0.11 — ünïcode", true), "CVE-2024-0001 in libssl3 3.0.11 — ünïcode");
    }
}
