//! The deployment gate: does this report break policy, and why.
//!
//! Seed 002 asks for a pipeline that stops non-compliant images; an
//! assessor asks why one was stopped. [`evaluate`] returns every reason,
//! not the first, and lists what an ignore entry let through (each entry
//! carries an expiry and a reason; expired ones no longer apply).

use crate::fips::FipsVerdict;
use crate::report::Report;
use crate::vulnerability::Severity;

/// What breaks the policy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// Findings (vulnerabilities, hardening, secrets) at or above this severity.
    pub fail_on: Option<Severity>,
    /// Any finding past its remediation deadline (needs the scan history).
    pub overdue: bool,
    /// Any vulnerability in the CISA KEV catalog.
    pub kev: bool,
    /// Any secret in any layer.
    pub secrets: bool,
    /// The image runs as root (IMG001).
    pub root: bool,
    /// The advisory database is older than this (hours).
    pub max_db_age_hours: Option<f64>,
    /// The FIPS verdict must be at least this.
    pub fips: Option<FipsVerdict>,
    pub ignores: Vec<Ignore>,
}

/// A finding the gate lets through until `expires`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    /// A vulnerability id or alias (`CVE-…`), a rule id (`IMG001`, `SEC003`)
    /// or a tracked finding id (`DD-…`).
    pub id: String,
    /// Only for this package (vulnerabilities) or path (secrets, evidence).
    pub target: Option<String>,
    /// Last day it applies (`YYYY-MM-DD`).
    pub expires: String,
    pub reason: String,
}

/// The gate's answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Why the image fails; empty when it passes.
    pub reasons: Vec<String>,
    /// What ignore entries let through, and expired entries that no longer do.
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// One finding as the gate sees it.
struct Item<'a> {
    kind: &'static str,
    ids: Vec<&'a str>,
    target: String,
    severity: Severity,
    label: String,
}

/// Judges `report` against `policy` on `today` (`YYYY-MM-DD`, for ignore expiry).
pub fn evaluate(report: &Report, policy: &Policy, today: &str) -> Outcome {
    let mut out = Outcome::default();
    let live: Vec<&Ignore> = policy
        .ignores
        .iter()
        .filter(|i| {
            let live = i.expires.as_str() >= today;
            if !live {
                out.notes.push(format!("ignore entry for {} expired on {}: it no longer applies", i.id, i.expires));
            }
            live
        })
        .collect();
    let tracked_id = |kind: &str, rule: &str, subject: &str| -> Option<&str> {
        let t = report.tracking.as_ref()?;
        t.findings.iter().find(|f| f.kind.as_str() == kind && f.rule == rule && f.subject.starts_with(subject)).map(|f| f.id.as_str())
    };
    let mut items: Vec<Item<'_>> = Vec::new();
    for v in report.vulnerabilities.iter().filter(|v| !v.suppressed) {
        let mut ids: Vec<&str> = std::iter::once(v.id.as_str()).chain(v.aliases.iter().map(String::as_str)).collect();
        ids.extend(tracked_id("vulnerability", &v.id, &v.package.name));
        items.push(Item {
            kind: "vulnerability",
            ids,
            target: v.package.name.clone(),
            severity: v.severity,
            label: format!("{} in {} {}", v.id, v.package.name, v.package.version),
        });
    }
    for h in &report.hardening {
        let kind = crate::tracking::identity::check_kind(h).as_str();
        let mut ids = vec![h.rule_id.as_str()];
        ids.extend(tracked_id(kind, &h.rule_id, h.evidence.first().map(|e| e.location.as_str()).unwrap_or("")));
        let target = h.evidence.first().map(|e| e.location.clone()).unwrap_or_default();
        items.push(Item { kind: "hardening", ids, target, severity: h.severity, label: format!("{} {}", h.rule_id, h.title) });
    }
    for s in &report.secrets {
        let mut ids = vec![s.rule_id.as_str()];
        ids.extend(tracked_id("secret", &s.rule_id, &s.path));
        items.push(Item {
            kind: "secret",
            ids,
            target: s.path.clone(),
            severity: s.severity,
            label: format!("{} {} at {}:{}", s.rule_id, s.title, s.path, s.line),
        });
    }
    let ignored = |item: &Item<'_>| -> Option<&Ignore> {
        live.iter()
            .find(|i| {
                item.ids.iter().any(|id| id.eq_ignore_ascii_case(&i.id))
                    && i.target
                        .as_ref()
                        .is_none_or(|t| item.target == *t || item.target.trim_start_matches('/') == t.trim_start_matches('/'))
            })
            .copied()
    };
    let mut counted: Vec<&Item<'_>> = Vec::new();
    for item in &items {
        match ignored(item) {
            Some(i) => out.notes.push(format!("ignored until {}: {} ({})", i.expires, item.label, i.reason)),
            None => counted.push(item),
        }
    }
    if let Some(fail_on) = policy.fail_on {
        for kind in ["vulnerability", "hardening", "secret"] {
            for sev in Severity::ALL.iter().filter(|s| **s >= fail_on) {
                let n = counted.iter().filter(|i| i.kind == kind && i.severity == *sev).count();
                if n > 0 {
                    let noun = match (kind, n) {
                        ("vulnerability", 1) => "vulnerability",
                        ("vulnerability", _) => "vulnerabilities",
                        ("hardening", 1) => "hardening finding",
                        ("hardening", _) => "hardening findings",
                        (_, 1) => "secret",
                        _ => "secrets",
                    };
                    out.reasons.push(format!("{n} {sev} {noun} (fail-on {})", fail_on.as_str().to_ascii_lowercase()));
                }
            }
        }
    }
    if policy.kev {
        let kev: Vec<String> = report
            .vulnerabilities
            .iter()
            .filter(|v| !v.suppressed && v.kev.is_some())
            .filter(|v| counted.iter().any(|i| i.kind == "vulnerability" && i.ids[0] == v.id && i.target == v.package.name))
            .map(|v| format!("{} ({})", v.id, v.package.name))
            .collect();
        if !kev.is_empty() {
            out.reasons.push(format!("{} known exploited (CISA KEV): {}", kev.len(), kev.join(", ")));
        }
    }
    if policy.overdue {
        match &report.tracking {
            Some(t) => {
                let overdue: Vec<String> = t
                    .findings
                    .iter()
                    .filter(|f| f.overdue)
                    .filter(|f| !live.iter().any(|i| i.id.eq_ignore_ascii_case(&f.id) || i.id.eq_ignore_ascii_case(&f.rule)))
                    .map(|f| format!("{} {} (due {})", f.id, f.rule, f.due.as_deref().unwrap_or("?")))
                    .collect();
                if !overdue.is_empty() {
                    out.reasons.push(format!("{} overdue: {}", overdue.len(), overdue.join(", ")));
                }
            }
            None => out.reasons.push("overdue findings can't be judged without the scan history (drop --no-history)".into()),
        }
    }
    if policy.secrets {
        let n = counted.iter().filter(|i| i.kind == "secret").count();
        if n > 0 {
            out.reasons.push(format!("{n} secret{} in the image's layers", if n == 1 { "" } else { "s" }));
        }
    }
    if policy.root && counted.iter().any(|i| i.ids[0] == "IMG001") {
        out.reasons.push("the image runs as root (IMG001)".into());
    }
    if let Some(max) = policy.max_db_age_hours {
        match &report.advisory_db {
            Some(db) if db.age_hours > max => {
                out.reasons.push(format!("advisory database is {:.1} days old (max {:.1})", db.age_hours / 24.0, max / 24.0));
            }
            Some(_) => {}
            None => out.reasons.push("vulnerabilities were not checked: no advisory database".into()),
        }
    }
    if let Some(required) = policy.fips {
        match &report.fips {
            Some(f) if f.verdict < required => out.reasons.push(format!("FIPS verdict {} is below the required {required}", f.verdict)),
            Some(_) => {}
            None => out.reasons.push("the FIPS posture was not assessed (add fips to --scanners)".into()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: serde_json::Value) -> Report {
        let mut base = serde_json::json!({
            "schema_version": 1, "scanner": {"name": "drydock", "version": "t"}, "scanned_at": "2026-11-23T00:00:00Z",
            "image": {"reference": "app:1", "source": "oci", "config": {"user": null, "env": [], "entrypoint": [], "cmd": [], "labels": {}, "exposed_ports": [], "volumes": []}},
            "layers": [], "history": [], "filesystem": serde_json::to_value(crate::report::FilesystemSummary::default()).expect("serializes"),
            "warnings": []
        });
        for (k, v) in json.as_object().expect("object") {
            base[k] = v.clone();
        }
        serde_json::from_value(base).expect("report")
    }

    fn vuln(id: &str, pkg: &str, severity: &str, kev: bool) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": id, "aliases": [], "advisories": [], "package": {"name": pkg, "version": "1", "ecosystem": "deb", "purl": "pkg:deb/x"},
            "fixed_versions": [], "severity": severity, "severity_source": "nvd", "cvss": [], "references": [],
            "origin": {"layer_index": 0}, "suppressed": false
        });
        if kev {
            v["kev"] = serde_json::json!({"date_added": "2026-01-01", "due_date": "2026-01-22", "ransomware": false});
        }
        v
    }

    #[test]
    fn every_reason_is_listed() {
        let r = report(serde_json::json!({
            "vulnerabilities": [vuln("CVE-1", "openssl", "CRITICAL", true), vuln("CVE-2", "zlib", "HIGH", false), vuln("CVE-3", "zlib", "LOW", false)],
            "hardening": [{"rule_id": "IMG001", "name": "runs-as-root", "severity": "HIGH", "title": "root", "evidence": [], "remediation": "", "controls": [], "references": []}],
            "secrets": [{"rule_id": "SEC001", "name": "aws", "title": "AWS key", "severity": "CRITICAL", "path": "/srv/.env", "line": 3, "column": 1, "redacted": "AKIA…", "fingerprint": "ab", "layer_index": 0, "removed": true}]
        }));
        let policy = Policy {
            fail_on: Some(Severity::High),
            kev: true,
            secrets: true,
            root: true,
            fips: Some(FipsVerdict::FipsCapable),
            ..Policy::default()
        };
        let out = evaluate(&r, &policy, "2026-11-23");
        assert_eq!(
            out.reasons,
            [
                "1 CRITICAL vulnerability (fail-on high)",
                "1 HIGH vulnerability (fail-on high)",
                "1 HIGH hardening finding (fail-on high)",
                "1 CRITICAL secret (fail-on high)",
                "1 known exploited (CISA KEV): CVE-1 (openssl)",
                "1 secret in the image's layers",
                "the image runs as root (IMG001)",
                "the FIPS posture was not assessed (add fips to --scanners)",
            ]
        );
        assert!(!out.passed());
        assert!(evaluate(&r, &Policy::default(), "2026-11-23").passed());
    }

    #[test]
    fn ignores_apply_until_they_expire() {
        let r = report(serde_json::json!({"vulnerabilities": [vuln("CVE-1", "openssl", "CRITICAL", true)]}));
        let ignore = |expires: &str, target: Option<&str>| Ignore {
            id: "cve-1".into(),
            target: target.map(str::to_owned),
            expires: expires.into(),
            reason: "vendor fix pending".into(),
        };
        let mut policy =
            Policy { fail_on: Some(Severity::High), kev: true, ignores: vec![ignore("2026-12-31", None)], ..Policy::default() };
        let out = evaluate(&r, &policy, "2026-11-23");
        assert!(out.passed(), "{:?}", out.reasons);
        assert_eq!(out.notes, ["ignored until 2026-12-31: CVE-1 in openssl 1 (vendor fix pending)"]);
        // The last day still applies; the day after it doesn't.
        assert!(evaluate(&r, &policy, "2026-12-31").passed());
        let out = evaluate(&r, &policy, "2027-01-01");
        assert_eq!(out.reasons.len(), 2);
        assert!(out.notes[0].contains("expired on 2026-12-31"));
        // An entry for another package does not apply.
        policy.ignores = vec![ignore("2026-12-31", Some("zlib"))];
        assert!(!evaluate(&r, &policy, "2026-11-23").passed());
    }

    #[test]
    fn overdue_findings_from_the_history_fail_unless_ignored() {
        let finding = |id: &str, overdue: bool| {
            serde_json::json!({
                "id": id, "repository": "app", "kind": "hardening", "rule": "IMG001", "subject": "config.User", "title": "root",
                "severity": "HIGH", "first_seen": "2026-09-01T00:00:00Z", "last_seen": "2026-11-23T00:00:00Z",
                "due": "2026-10-01", "due_reason": "fedramp-rev5: High, 30 days from first seen", "days_left": -53, "overdue": overdue
            })
        };
        let r = report(serde_json::json!({"tracking": {
            "history": "h.db", "scan_id": 7, "repository": "app", "profile": "fedramp-rev5", "config_checksum": "sha256:x", "as_of": "2026-11-23",
            "findings": [finding("DD-aaaaaaaaaaaa", true), finding("DD-bbbbbbbbbbbb", false)], "closed": []
        }}));
        let mut policy = Policy { overdue: true, ..Policy::default() };
        let out = evaluate(&r, &policy, "2026-11-23");
        assert_eq!(out.reasons, ["1 overdue: DD-aaaaaaaaaaaa IMG001 (due 2026-10-01)"]);
        policy.ignores =
            vec![Ignore { id: "DD-aaaaaaaaaaaa".into(), target: None, expires: "2026-12-01".into(), reason: "on the POA&M".into() }];
        assert!(evaluate(&r, &policy, "2026-11-23").passed());
    }

    #[test]
    fn overdue_needs_history_and_db_age_needs_a_database() {
        let r = report(serde_json::json!({}));
        let policy = Policy { overdue: true, max_db_age_hours: Some(120.0), ..Policy::default() };
        let out = evaluate(&r, &policy, "2026-11-23");
        assert_eq!(out.reasons.len(), 2);
        assert!(out.reasons[0].contains("scan history") && out.reasons[1].contains("no advisory database"));
    }
}
