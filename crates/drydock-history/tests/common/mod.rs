//! Reports and clocks for the history tests.
#![allow(dead_code)] // Each test binary uses part of it.

use std::path::PathBuf;

use drydock_core::report::Report;
use drydock_core::tracking::{FindingKind, Profile, TrackedFinding, Tracking};
use drydock_history::{History, RecordOptions};
use jiff::Timestamp;
use serde_json::{Value, json};

pub const APP: &str = "registry.invalid/team/app";

/// A fresh history in a temporary directory (kept alive by the guard).
pub fn history() -> (tempfile::TempDir, PathBuf, History) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state").join("history.db");
    let h = History::open(&path).expect("open history");
    (dir, path, h)
}

pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// `sha256:` and 32 copies of the byte `n` in hex.
pub fn digest(n: u8) -> String {
    format!("sha256:{}", format!("{n:02x}").repeat(32))
}

pub fn record(h: &mut History, report: &Report, now: &str) -> Tracking {
    record_with(h, report, now, &Profile::fedramp_rev5())
}

pub fn record_with(h: &mut History, report: &Report, now: &str, profile: &Profile) -> Tracking {
    h.record(report, &RecordOptions { profile, config_checksum: "sha256:settings-v1", now: at(now), covered: FindingKind::ALL })
        .expect("record scan")
}

pub fn vuln(id: &str, package: &str, severity: &str) -> Value {
    json!({
        "id": id, "advisories": [{"id": id, "source": "osv"}],
        "package": {"name": package, "version": "1.0-1", "ecosystem": "deb", "purl": format!("pkg:deb/debian/{package}@1.0-1")},
        "severity": severity, "severity_source": "debian", "origin": {"layer_index": 0}
    })
}

pub fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

pub fn kev(v: Value, due: &str) -> Value {
    with(v, "kev", json!({"date_added": "2026-10-01", "due_date": due, "ransomware": false}))
}

pub fn check(rule: &str, severity: &str, locations: &[&str]) -> Value {
    let evidence: Vec<Value> = locations.iter().map(|l| json!({"location": l, "detail": "seen"})).collect();
    json!({
        "rule_id": rule, "name": rule.to_lowercase(), "severity": severity, "title": format!("check {rule}"),
        "evidence": evidence, "remediation": "fix it", "controls": ["CM-6"]
    })
}

pub fn secret(rule: &str, path: &str, fingerprint: &str, line: usize) -> Value {
    json!({
        "rule_id": rule, "name": "aws-access-key", "title": "AWS access key", "severity": "HIGH",
        "path": path, "line": line, "column": 1, "redacted": "AKIA****", "fingerprint": fingerprint,
        "layer_index": 1, "removed": false
    })
}

/// A report of `reference` (manifest digest from `n`) with these findings.
pub fn report(reference: &str, n: u8, vulnerabilities: Vec<Value>, hardening: Vec<Value>, secrets: Vec<Value>) -> Report {
    serde_json::from_value(json!({
        "schema_version": 1,
        "scanner": {"name": "drydock", "version": "0.1.0"},
        "scanned_at": "2026-11-01T00:00:00Z",
        "image": {
            "reference": reference, "source": "registry", "manifest_digest": digest(n), "config_digest": digest(n.wrapping_add(100)),
            "config": {"user": null, "env": [], "entrypoint": [], "cmd": [], "labels": {}, "exposed_ports": [], "volumes": []}
        },
        "layers": [], "history": [], "warnings": [],
        "filesystem": {"files": 0, "directories": 0, "symlinks": 0, "hardlinks": 0, "other": 0, "total_file_bytes": 0, "removed_by_later_layers": 0},
        "advisory_db": {"path": "advisories.db", "built_at": "2026-10-31T00:00:00Z", "age_hours": 20.0, "max_age_hours": 24.0, "stale": false, "sources": []},
        "vulnerabilities": vulnerabilities,
        "hardening": hardening,
        "secrets": secrets
    }))
    .expect("test report deserializes")
}

pub fn vulns(reference: &str, n: u8, vulnerabilities: Vec<Value>) -> Report {
    report(reference, n, vulnerabilities, vec![], vec![])
}

/// The tracked finding with this rule (and subject, when several share it).
pub fn by_rule<'a>(findings: &'a [TrackedFinding], rule: &str) -> &'a TrackedFinding {
    let mut it = findings.iter().filter(|f| f.rule == rule);
    let f = it.next().unwrap_or_else(|| panic!("no finding {rule} in {findings:#?}"));
    assert!(it.next().is_none(), "several findings {rule}");
    f
}
