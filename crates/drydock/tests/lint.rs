//! `drydock lint`, `rules` and `explain` as a user meets them.

use assert_cmd::Command;
use predicates::prelude::*;

fn drydock() -> Command {
    let mut cmd = Command::cargo_bin("drydock").unwrap();
    cmd.env_remove("DRYDOCK_DB").env("XDG_DATA_HOME", "/nonexistent/drydock-test-data").env("NO_COLOR", "1");
    cmd
}

const BAD: &str = "FROM python:latest\nCMD [\"python\"]\n";
const GOOD: &str = "FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000\n\
HEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request as u; u.urlopen('http://127.0.0.1:8080/health')\"]\n\
USER 10001\nCMD [\"python\", \"-m\", \"app\"]\n";

#[test]
fn lint_shows_code_frames_and_exits_by_threshold() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("Dockerfile");
    std::fs::write(&bad, BAD).unwrap();
    drydock().current_dir(tmp.path()).args(["lint", "Dockerfile"]).assert().code(1).stdout(
        predicate::str::contains("Dockerfile:1:6")
            .and(predicate::str::contains("[DF002]"))
            .and(predicate::str::contains("FROM python:latest")),
    );
    // Below the threshold: exit 0.
    drydock().current_dir(tmp.path()).args(["lint", "--failure-threshold", "none", "Dockerfile"]).assert().success();
    drydock()
        .current_dir(tmp.path())
        .args(["lint", "--ignore", "DF002", "--ignore", "DF001", "--ignore", "DF022", "--failure-threshold", "style"])
        .assert()
        .success();
    drydock().current_dir(tmp.path()).args(["lint", "--ignore", "DF999"]).assert().code(2).stderr(predicate::str::contains("DF999"));
}

#[test]
fn lint_reads_directories_stdin_and_writes_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("svc/api")).unwrap();
    std::fs::create_dir_all(tmp.path().join("node_modules/x")).unwrap();
    std::fs::write(tmp.path().join("svc/api/Dockerfile"), BAD).unwrap();
    std::fs::write(tmp.path().join("svc/worker.Dockerfile"), BAD).unwrap();
    std::fs::write(tmp.path().join("node_modules/x/Dockerfile"), BAD).unwrap();
    let sarif = tmp.path().join("out.sarif");
    drydock().current_dir(tmp.path()).args(["lint", "--format", "sarif", "-o"]).arg(&sarif).arg("svc").assert().code(1);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let uris: std::collections::BTreeSet<String> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(uris.into_iter().collect::<Vec<_>>(), ["svc/api/Dockerfile", "svc/worker.Dockerfile"]);
    drydock().args(["lint", "--format", "json", "-"]).write_stdin(BAD).assert().code(1).stdout(predicate::str::contains("\"path\": \"-\""));
}

#[test]
fn drydock_toml_configures_the_linter() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("app")).unwrap();
    std::fs::write(project.join("app/Dockerfile"), GOOD.replace("python:3.12", "quay.io/team/python:3.12")).unwrap();
    std::fs::write(
        project.join("drydock.toml"),
        "[lint]\napproved-registries = [\"registry.example.gov\"]\nfailure-threshold = \"error\"\n",
    )
    .unwrap();
    drydock()
        .current_dir(tmp.path())
        .args(["lint", "project/app/Dockerfile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("DF003").and(predicate::str::contains("quay.io")));
    std::fs::write(project.join("drydock.toml"), "[lint]\napproved-registries = [\"quay.io/team\"]\nfailure-threshold = \"error\"\n")
        .unwrap();
    drydock().current_dir(tmp.path()).args(["lint", "project/app/Dockerfile"]).assert().success();
    std::fs::write(project.join("drydock.toml"), "[lint]\ndisable = [\"DF999\"]\n").unwrap();
    drydock().current_dir(tmp.path()).args(["lint", "project/app/Dockerfile"]).assert().code(2).stderr(predicate::str::contains("DF999"));
    std::fs::write(project.join("drydock.toml"), "[lint]\naproved-registries = []\n").unwrap();
    drydock()
        .current_dir(tmp.path())
        .args(["lint", "project/app/Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("drydock.toml").and(predicate::str::contains("aproved-registries")));
}

#[test]
fn rules_and_explain_teach() {
    drydock()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("DF001").and(predicate::str::contains("unpinned-base-image")));
    drydock()
        .args(["explain", "DF002"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Why it matters").and(predicate::str::contains("CM-2")));
    drydock().args(["explain", "DL3006"]).assert().success().stdout(predicate::str::contains("DF002"));
    drydock().args(["explain", "unpinned-base-image"]).assert().success();
    drydock().args(["explain", "DF999"]).assert().code(2);
    let md = drydock().args(["rules", "--format", "markdown"]).assert().success().get_output().stdout.clone();
    let on_disk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md")).unwrap();
    assert!(md == on_disk, "docs/rules.md differs from `drydock rules --format markdown`");
}
