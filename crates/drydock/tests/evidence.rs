//! FedRAMP evidence from the command line: the scan history keeps finding
//! ids and first-seen dates across rescans and rebuilt tags, deviations
//! follow the FedRAMP rules, the gate lists every reason, and `drydock
//! report` writes outputs again without rescanning.

use std::path::Path;

use assert_cmd::Command;
use drydock_testkit::{ImageBuilder, LayerSpec};
use predicates::prelude::*;
use serde_json::Value;

fn drydock(history: &Path) -> Command {
    let mut cmd = Command::cargo_bin("drydock").unwrap();
    cmd.env_remove("DRYDOCK_DB").env("XDG_DATA_HOME", "/nonexistent/drydock-test-data").env("DRYDOCK_HISTORY", history);
    cmd
}

/// An AWS access key id shape, assembled at run time.
fn planted_key() -> String {
    format!("{}{}", "AKIA", "Q3EGT2ZR5MBX7HNW")
}

/// Runs as root, has no healthcheck, and (optionally) an AWS key in `.env`;
/// `build` changes the layer bytes so the digest changes (a rebuild).
fn image(dir: &Path, tag: &str, build: u32, secret: bool) -> String {
    let mut layer = LayerSpec::new().file("srv/app/build-id", build.to_string().as_bytes()).created_by("COPY . /srv/app # buildkit");
    if secret {
        layer = layer.file("srv/app/.env", format!("AWS_ACCESS_KEY_ID={}\n", planted_key()).as_bytes());
    }
    ImageBuilder::new().layer(layer).config(serde_json::json!({"Entrypoint": ["/srv/app/run"]})).write_oci_layout(dir, tag).unwrap();
    format!("oci:{}:{tag}", dir.display())
}

fn scan_json(history: &Path, target: &str, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--scanners", "config,secret", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(target);
    serde_json::from_slice(&drydock(history).args(&args).assert().success().get_output().stdout).unwrap()
}

fn tracked(report: &Value) -> Vec<(String, String, String, String)> {
    let mut out: Vec<_> = report["tracking"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("id"), s("first_seen"), s("due"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn rescans_and_rebuilds_keep_ids_and_first_seen_and_fixes_close() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("evidence/history.db");
    let dir = tmp.path().join("app");
    let first = scan_json(&history, &image(&dir, "1.0", 1, true), &[]);
    let before = tracked(&first);
    let rules: Vec<&str> = before.iter().map(|t| t.0.as_str()).collect();
    // Root, no healthcheck, the `.env` left in the image, and the key in it.
    assert_eq!(rules, ["IMG001", "IMG002", "IMG008", "SEC001"], "{:#}", first["tracking"]);
    assert_eq!(first["tracking"]["repository"], dir.display().to_string());
    assert_eq!(first["tracking"]["profile"], "fedramp-rev5");
    assert!(first["tracking"]["config_checksum"].as_str().unwrap().starts_with("sha256:"));
    // Root (High): 30 days from first seen.
    let first_seen: jiff::Timestamp = before[0].2.parse().unwrap();
    let due = first_seen.to_zoned(jiff::tz::TimeZone::UTC).date().checked_add(jiff::ToSpan::days(30)).unwrap();
    assert_eq!(before[0].3, due.to_string());

    // The same image again, then a rebuild under a new tag: same ids, same first-seen.
    let again = scan_json(&history, &image(&dir, "1.0", 1, true), &[]);
    assert_eq!(tracked(&again), before);
    let rebuilt = scan_json(&history, &image(&dir, "1.1", 2, true), &[]);
    assert_ne!(rebuilt["image"]["manifest_digest"], first["image"]["manifest_digest"]);
    assert_eq!(tracked(&rebuilt), before);

    // The secret is gone in the next build: its finding closes.
    let fixed = scan_json(&history, &image(&dir, "1.2", 3, false), &[]);
    let mut closed: Vec<&str> = fixed["tracking"]["closed"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    closed.sort();
    assert_eq!(closed, ["IMG008", "SEC001"]);

    // `drydock findings` lists what is still open.
    let out = drydock(&history).args(["findings", "--format", "json"]).assert().success().get_output().stdout.clone();
    let open: Value = serde_json::from_slice(&out).unwrap();
    let rules: Vec<&str> = open.as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["IMG001", "IMG002"]);
    drydock(&history).args(["findings"]).assert().success().stdout(predicate::str::contains("2 open, 0 overdue"));
    // A scan that didn't run the config checks leaves them open.
    let secrets_only = serde_json::from_slice::<Value>(
        &drydock(&history)
            .args(["scan", "--scanners", "secret", "--format", "json", &image(&dir, "1.3", 4, false)])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(secrets_only["tracking"]["closed"], serde_json::json!([]));
}

#[test]
fn deviations_follow_the_fedramp_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.db");
    let report = scan_json(&history, &image(&tmp.path().join("app"), "1", 1, false), &[]);
    let ids: Vec<(String, String)> = tracked(&report).into_iter().map(|t| (t.0, t.1)).collect();
    let id = |rule: &str| ids.iter().find(|(r, _)| r == rule).unwrap().1.clone();
    // Root is High: an operational requirement is refused.
    drydock(&history)
        .args(["poam", "deviate", &id("IMG001"), "--type", "operational-requirement", "--rationale", "init needs root", "--by", "isso"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("High"));
    // A risk adjustment must come with a lower rating, and is recorded with who.
    drydock(&history)
        .args(["poam", "deviate", &id("IMG001"), "--type", "risk-adjustment", "--rationale", "read-only rootfs, no caps", "--by", "isso"])
        .assert()
        .code(2);
    drydock(&history)
        .args([
            "poam",
            "deviate",
            &id("IMG001"),
            "--type",
            "risk-adjustment",
            "--adjusted-severity",
            "medium",
            "--rationale",
            "read-only rootfs, all capabilities dropped",
            "--by",
            "isso",
            "--expires",
            "2099-01-31",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("risk-adjustment"));
    let out = drydock(&history).args(["findings", "--format", "json"]).assert().success().get_output().stdout.clone();
    let open: Value = serde_json::from_slice(&out).unwrap();
    let root = open.as_array().unwrap().iter().find(|f| f["rule"] == "IMG001").unwrap();
    assert_eq!(root["adjusted_severity"], "MEDIUM");
    assert_eq!(root["deviation"]["recorded_by"], "isso");
    // Moderate now: 90 days from first seen.
    let first_seen: jiff::Timestamp = root["first_seen"].as_str().unwrap().parse().unwrap();
    let due = first_seen.to_zoned(jiff::tz::TimeZone::UTC).date().checked_add(jiff::ToSpan::days(90)).unwrap();
    assert_eq!(root["due"], due.to_string());
    // An unknown id is named.
    drydock(&history)
        .args(["poam", "deviate", "DD-000000000000", "--type", "false-positive", "--rationale", "x", "--by", "isso"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("DD-000000000000"));
}

#[test]
fn the_gate_lists_every_reason_and_honours_ignore_files() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.db");
    let target = image(&tmp.path().join("app"), "1", 1, true);
    drydock(&history)
        .args(["scan", "--scanners", "config,secret", "--fail-on-root", "--fail-on-secrets", "--fail-on", "critical", &target])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("policy failed:")
                .and(predicate::str::contains("the image runs as root (IMG001)"))
                .and(predicate::str::contains("1 secret in the image's layers"))
                .and(predicate::str::contains("CRITICAL secret (fail-on critical)")),
        );
    // The same policy from a file; the root finding accepted until a date, with a reason.
    let policy = tmp.path().join("policy.toml");
    std::fs::write(&policy, "[policy]\nroot = true\nsecrets = true\n").unwrap();
    let ignore = tmp.path().join("accepted.toml");
    std::fs::write(&ignore, "[[ignore]]\nid = \"IMG001\"\nexpires = 2099-12-31\nreason = \"init container; tracked on the POA&M\"\n")
        .unwrap();
    drydock(&history)
        .args(["scan", "--scanners", "config,secret", "--policy", policy.to_str().unwrap(), "--ignore-file", ignore.to_str().unwrap()])
        .args(["--exit-code", "3", &target])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("1 secret in the image's layers")
                .and(predicate::str::contains("runs as root (IMG001)").not())
                .and(predicate::str::contains("ignored until 2099-12-31: IMG001")),
        );
    // An expired entry no longer applies.
    std::fs::write(&ignore, "[[ignore]]\nid = \"IMG001\"\nexpires = 2020-01-31\nreason = \"old\"\n").unwrap();
    drydock(&history)
        .args(["scan", "--scanners", "config", "--fail-on-root", "--ignore-file", ignore.to_str().unwrap(), &target])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("expired on 2020-01-31").and(predicate::str::contains("runs as root")));
    // An entry without a reason is an error, not a pass.
    std::fs::write(&ignore, "[[ignore]]\nid = \"IMG001\"\nexpires = 2099-01-31\n").unwrap();
    drydock(&history)
        .args(["scan", "--fail-on-root", "--ignore-file", ignore.to_str().unwrap(), &target])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("accepted.toml").and(predicate::str::contains("reason")));
    // A passing image exits 0.
    let clean = image(&tmp.path().join("clean"), "1", 1, false);
    drydock(&history).args(["scan", "--scanners", "secret", "--fail-on-secrets", &clean]).assert().success();
}

#[test]
fn report_writes_outputs_again_from_history_and_sums_up_a_period() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.db");
    let dir = tmp.path().join("app");
    let target = image(&dir, "1", 1, true);
    // Two scans at once into the same history: both recorded.
    let mut children: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("drydock"))
                .args(["scan", "-q", "--scanners", "config,secret", "--format", "json", &target])
                .env("DRYDOCK_HISTORY", &history)
                .env("XDG_DATA_HOME", "/nonexistent/drydock-test-data")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    let scanned = scan_json(&history, &target, &[]);
    let out = drydock(&history)
        .args(["report", "--latest", &dir.display().to_string(), "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let again: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(again["tracking"]["scan_id"], 3);
    assert_eq!(again["image"], scanned["image"]);
    assert_eq!(again["secrets"], scanned["secrets"]);
    assert_eq!(tracked(&again), tracked(&scanned));
    let today = jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::UTC).date().to_string();
    drydock(&history)
        .args(["report", "--from", &today, "--to", &today])
        .assert()
        .success()
        .stdout(predicate::str::contains("scans: 3").and(predicate::str::contains("findings opened: 4")));
    let outdir = tmp.path().join("monthly");
    drydock(&history)
        .args(["report", "--from", &today, "--to", &today, "--format", "json", "-o", outdir.to_str().unwrap()])
        .assert()
        .success();
    let files: Vec<_> = std::fs::read_dir(&outdir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with(".json"));
    // Without a history there is nothing to report.
    drydock(&tmp.path().join("none.db"))
        .args(["report", "--scan", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scan history"));
}

#[test]
fn every_evidence_format_is_written_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.db");
    let target = image(&tmp.path().join("app"), "1", 1, true);
    for (format, starts) in [
        ("sarif", &b"{"[..]),
        ("oscal-ar", b"{"),
        ("oscal-poam", b"{"),
        ("poam-csv", b"POAM ID"),
        ("poam-xlsx", b"PK"),
        ("junit", b"<?xml"),
        ("html", b"<!DOCTYPE html>"),
    ] {
        let out = tmp.path().join(format!("out.{format}"));
        drydock(&history)
            .args(["scan", "-q", "--scanners", "config,secret", "--format", format, "-o"])
            .arg(&out)
            .arg(&target)
            .assert()
            .success();
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(starts), "{format}: {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(40)]));
        assert!(!String::from_utf8_lossy(&bytes).contains(&planted_key()), "{format} leaked the secret");
    }
}
