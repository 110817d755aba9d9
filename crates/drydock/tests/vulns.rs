//! Vulnerability scanning from the command line: the database commands,
//! findings in table and JSON, filters, VEX, staleness and the exit-code
//! gate.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use drydock_testkit::{ImageBuilder, LayerSpec};
use predicates::prelude::*;
use serde_json::Value;

fn drydock() -> Command {
    let mut cmd = Command::cargo_bin("drydock").unwrap();
    cmd.env_remove("DRYDOCK_DB").env("XDG_DATA_HOME", "/nonexistent/drydock-test-data");
    cmd
}

fn shared(rel: &str) -> String {
    format!("{}/../../../shared/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn metadata(name: &str, version: &str) -> Vec<u8> {
    format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n").into_bytes()
}

/// Pillow 10.0.0 (PYSEC-2023-175: KEV via CVE-2023-4863, fixed 10.0.1),
/// Jinja2 2.11.2 (PYSEC-2021-66), and smallvec 1.6.0 (RUSTSEC-2021-0003).
fn image(dir: &Path) -> String {
    let site = "usr/lib/python3/dist-packages";
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .file(&format!("{site}/Pillow-10.0.0.dist-info/METADATA"), &metadata("Pillow", "10.0.0"))
                .file(&format!("{site}/Jinja2-2.11.2.dist-info/METADATA"), &metadata("Jinja2", "2.11.2"))
                .file(
                    "src/Cargo.lock",
                    b"version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://registry.invalid/index\"\n",
                )
                .created_by("RUN pip install Pillow==10.0.0 Jinja2==2.11.2"),
        )
        .write_oci_layout(dir, "v1")
        .unwrap();
    format!("oci:{}:v1", dir.display())
}

fn database(dir: &Path) -> PathBuf {
    let db = dir.join("advisories.db");
    drydock()
        .args(["db", "import", "--db"])
        .arg(&db)
        .args([shared("osv/pypa/vulns/pillow"), shared("osv/pypa/vulns/jinja2"), shared("osv/rustsec/crates")])
        .arg(shared("osv/kev/known_exploited_vulnerabilities.json"))
        .assert()
        .success()
        .stderr(predicate::str::contains("known_exploited_vulnerabilities: 1404 KEV entries"));
    db
}

fn json_scan(db: &Path, target: &str, extra: &[&str]) -> Value {
    let out =
        drydock().args(["scan", "--format", "json", "--db"]).arg(db).args(extra).arg(target).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn ids(report: &Value) -> Vec<String> {
    report["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["id"].as_str().unwrap(), f["package"]["name"].as_str().unwrap()))
        .collect()
}

#[test]
fn scan_reports_findings_filters_and_gates() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    let target = image(&tmp.path().join("img"));

    let report = json_scan(&db, &target, &[]);
    let mut found = ids(&report);
    found.sort();
    assert_eq!(found, ["CVE-2020-28493 Jinja2", "CVE-2021-25900 smallvec", "PYSEC-2023-175 Pillow"]);
    let pillow = report["vulnerabilities"].as_array().unwrap().iter().find(|f| f["id"] == "PYSEC-2023-175").unwrap();
    assert_eq!(pillow["kev"]["due_date"], "2023-10-04");
    assert_eq!(pillow["fixed_versions"][0], "10.0.1");
    assert_eq!(pillow["origin"]["created_by"], "RUN pip install Pillow==10.0.0 Jinja2==2.11.2");
    assert_eq!(report["advisory_db"]["stale"], false);
    assert_eq!(report["advisory_db"]["sources"].as_array().unwrap().len(), 4);

    // The table names the database and lists findings, KEV first in mind.
    drydock().args(["scan", "--db"]).arg(&db).arg(&target).assert().success().stdout(
        predicate::str::contains("Advisory database: 4 sources")
            .and(predicate::str::contains("Vulnerabilities (3)"))
            .and(predicate::str::contains("KEV due 2023-10-04"))
            .and(predicate::str::contains("CVE-2021-25900")),
    );

    // --severity keeps only the named severities.
    // (The PyPA records carry no severity; RustSec's carries a CVSS vector.)
    let unknown_only = json_scan(&db, &target, &["--severity", "unknown"]);
    assert_eq!(ids(&unknown_only).len(), 2, "{:?}", ids(&unknown_only));
    assert!(unknown_only["vulnerabilities"].as_array().unwrap().iter().all(|f| f["severity"] == "UNKNOWN"));
    let critical = json_scan(&db, &target, &["--severity", "critical,high"]);
    for f in critical["vulnerabilities"].as_array().unwrap() {
        assert!(matches!(f["severity"].as_str(), Some("CRITICAL" | "HIGH")));
    }

    // The gate: exit 1 (or --exit-code) when findings at or above --fail-on remain.
    drydock().args(["scan", "-q", "--fail-on", "medium", "--db"]).arg(&db).arg(&target).assert().code(1);
    drydock()
        .args(["scan", "--fail-on", "unknown", "--exit-code", "7", "--db"])
        .arg(&db)
        .arg(&target)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("policy failed").and(predicate::str::contains("(fail-on unknown)")));
    drydock().args(["scan", "--fail-on", "critical", "--severity", "low", "--db"]).arg(&db).arg(&target).assert().success();
}

#[test]
fn vex_suppresses_and_keeps_the_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    let target = image(&tmp.path().join("img"));
    let vex = tmp.path().join("app.openvex.json");
    std::fs::write(
        &vex,
        serde_json::to_vec(&serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/app-1",
            "author": "app team",
            "timestamp": "2026-11-01T00:00:00Z",
            "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2023-4863"},
                "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:pypi/pillow@10.0.0"}]}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
                "impact_statement": "The app never decodes WebP images."
            }]
        }))
        .unwrap(),
    )
    .unwrap();
    let cdx = tmp.path().join("app.cdx.json");
    std::fs::write(
        &cdx,
        serde_json::to_vec(&serde_json::json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "bom-ref": "jinja", "name": "Jinja2", "purl": "pkg:pypi/jinja2@2.11.2"}],
            "vulnerabilities": [{
                "id": "CVE-2020-28493",
                "analysis": {"state": "resolved", "detail": "patched in our fork"},
                "affects": [{"ref": "jinja"}]
            }]
        }))
        .unwrap(),
    )
    .unwrap();
    let report = json_scan(&db, &target, &["--vex", vex.to_str().unwrap(), "--vex", cdx.to_str().unwrap()]);
    let all = report["vulnerabilities"].as_array().unwrap();
    assert_eq!(all.len(), 3, "suppressed findings stay in the JSON");
    let pillow = all.iter().find(|f| f["id"] == "PYSEC-2023-175").unwrap();
    assert_eq!(pillow["suppressed"], true);
    assert_eq!(pillow["vex"]["status"], "not_affected");
    assert_eq!(pillow["vex"]["justification"], "vulnerable_code_not_in_execute_path");
    assert_eq!(pillow["vex"]["statement"], "The app never decodes WebP images.");
    let jinja = all.iter().find(|f| f["id"] == "CVE-2020-28493").unwrap();
    assert_eq!(jinja["suppressed"], true);
    assert_eq!(jinja["vex"]["status"], "fixed");
    let smallvec = all.iter().find(|f| f["id"] == "CVE-2021-25900").unwrap();
    assert_eq!(smallvec["suppressed"], false);

    // Suppressed findings neither fail the gate nor fill the table.
    drydock()
        .args(["scan", "--fail-on", "unknown", "--vex"])
        .arg(&vex)
        .arg("--vex")
        .arg(&cdx)
        .arg("--db")
        .arg(&db)
        .arg(&target)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("2 suppressed by VEX").and(predicate::str::contains("PYSEC-2023-175").not()));

    // A broken VEX document is an error naming it, before any scanning.
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, b"{\"statements\": [{\"status\": \"not_affected\"}]}").unwrap();
    drydock()
        .args(["scan", "--vex"])
        .arg(&bad)
        .arg("--db")
        .arg(&db)
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json").and(predicate::str::contains("statement 1")));
}

#[test]
fn stale_databases_warn_and_max_db_age_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("old.db");
    drydock()
        .args(["db", "import", "--fetched-at", "2026-01-01T00:00:00Z", "--db"])
        .arg(&db)
        .arg(shared("osv/pypa/vulns/pillow"))
        .assert()
        .success();
    let target = image(&tmp.path().join("img"));
    let report = json_scan(&db, &target, &[]);
    assert_eq!(report["advisory_db"]["stale"], true);
    assert_eq!(report["advisory_db"]["oldest_source_at"], "2026-01-01T00:00:00Z");
    assert!(report["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("run `drydock db update`")));
    drydock()
        .args(["scan", "--max-db-age", "5d", "--db"])
        .arg(&db)
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-db-age"));
    drydock().args(["db", "status", "--max-db-age", "5d", "--db"]).arg(&db).assert().code(1).stdout(predicate::str::contains("STALE"));
}

#[test]
fn db_commands_round_trip_through_a_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    let status = drydock().args(["db", "status", "--format", "json", "--db"]).arg(&db).assert().success().get_output().stdout.clone();
    let status: Value = serde_json::from_slice(&status).unwrap();
    assert_eq!(status["sources"].as_array().unwrap().len(), 4);
    assert!(status["advisories_by_ecosystem"]["cargo"].as_u64().unwrap() > 1000);

    let bundle = tmp.path().join("advisories.tar.zst");
    let out = drydock().args(["db", "export", "--db"]).arg(&db).arg(&bundle).assert().success().get_output().stdout.clone();
    let line = String::from_utf8(out).unwrap();
    let digest = line.split_whitespace().next().unwrap().strip_prefix("sha256:").unwrap().to_owned();
    use sha2::Digest as _;
    assert_eq!(digest, hex::encode(sha2::Sha256::digest(std::fs::read(&bundle).unwrap())));

    let far = tmp.path().join("far").join("advisories.db");
    drydock().env("DRYDOCK_DB", &far).args(["db", "import"]).arg(&bundle).assert().success();
    let target = image(&tmp.path().join("img"));
    let near = json_scan(&db, &target, &[]);
    let away = json_scan(&far, &target, &[]);
    assert_eq!(near["vulnerabilities"], away["vulnerabilities"], "the air-gapped copy finds exactly the same");
}

#[test]
fn without_a_database_the_scan_says_vulnerabilities_were_not_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let target = image(&tmp.path().join("img"));
    let out = drydock().args(["scan", "--format", "json", &target]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert!(report["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("vulnerabilities were not checked")));
    assert!(report.get("advisory_db").is_none());
    // An explicit --db that does not exist is an error, not a silent skip.
    drydock()
        .args(["scan", "--db", "/nonexistent/advisories.db", &target])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no advisory database"));
}

#[test]
fn ignore_unfixed_drops_findings_without_a_fix() {
    // Ubuntu tracks CVE-2016-20013 in glibc for 20.04 with no fix.
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("ubuntu.db");
    drydock().args(["db", "import", "--db"]).arg(&db).arg(shared("upstream-samples/ubuntu/test-fixtures/osv")).assert().success();
    let dir = tmp.path().join("img");
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .file("etc/os-release", &std::fs::read(shared("pkgdb/ubuntu-focal-minbase/etc/os-release")).unwrap())
                .file("var/lib/dpkg/status", &std::fs::read(shared("pkgdb/ubuntu-focal-minbase/var/lib/dpkg/status")).unwrap()),
        )
        .write_oci_layout(&dir, "focal")
        .unwrap();
    let target = format!("oci:{}:focal", dir.display());
    let all = json_scan(&db, &target, &[]);
    assert_eq!(ids(&all), ["CVE-2016-20013 libc-bin", "CVE-2016-20013 libc6"]);
    assert!(all["vulnerabilities"][0]["fixed_versions"].as_array().unwrap().is_empty());
    let fixable = json_scan(&db, &target, &["--ignore-unfixed"]);
    assert!(ids(&fixable).is_empty(), "{:?}", ids(&fixable));
    drydock().args(["scan", "--db"]).arg(&db).arg(&target).assert().success().stdout(predicate::str::contains("(no fix yet)"));
}

#[test]
fn db_status_shows_when_feeds_were_published() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("a.db");
    drydock()
        .args(["db", "import", "--db"])
        .arg(&db)
        .arg(shared("osv/kev/known_exploited_vulnerabilities.json"))
        .arg(shared("upstream-samples/epss/test-fixtures/example-1.csv"))
        .assert()
        .success();
    let out = drydock().args(["db", "status", "--format", "json", "--db"]).arg(&db).assert().success().get_output().stdout.clone();
    let status: Value = serde_json::from_slice(&out).unwrap();
    let sources = status["sources"].as_array().unwrap();
    let epss = sources.iter().find(|s| s["kind"] == "epss").unwrap();
    assert_eq!(epss["feed_date"], "2025-02-20T00:00:00+0000");
    let kev = sources.iter().find(|s| s["kind"] == "kev").unwrap();
    assert!(kev["feed_date"].as_str().unwrap().starts_with("20"), "{kev}");
}

/// A writer killed mid-import (SIGKILL, no cleanup) leaves the previous
/// database intact and usable; the next writer clears its temp file.
#[test]
fn a_killed_import_leaves_the_previous_database_usable() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("advisories.db");
    drydock().args(["db", "import", "--db"]).arg(&db).arg(shared("osv/kev/known_exploited_vulnerabilities.json")).assert().success();
    let before = std::fs::read(&db).unwrap();
    for delay_ms in [50u64, 200, 400] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drydock"))
            .args(["db", "import", "-q", "--db"])
            .arg(&db)
            .arg(shared("osv/almalinux/advisories"))
            .arg(shared("osv/go/data"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            continue; // finished before the kill: nothing to check this round
        }
        assert_eq!(std::fs::read(&db).unwrap(), before, "killed after {delay_ms} ms");
        let out = drydock().args(["db", "status", "--format", "json", "--db"]).arg(&db).assert().success().get_output().stdout.clone();
        let status: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(status["sources"].as_array().unwrap().len(), 1);
    }
    // The next import clears what the killed ones left behind.
    drydock().args(["db", "import", "--db"]).arg(&db).arg(shared("osv/pypa/vulns/jinja2")).assert().success();
    let left: Vec<String> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|n| !n.contains(".tmp-")), "{left:?}");
}

/// NVD's CVSS v3 base score is the FedRAMP original risk rating: when the
/// database has it, it sets the severity. EPSS scores attach by CVE.
#[test]
fn nvd_scores_set_severity_and_epss_attaches() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    // An NVD CVE API 2.0 page in NVD's format for CVE-2020-28493 (Jinja2),
    // with the base metrics NVD publishes for it, and an EPSS row.
    let nvd = tmp.path().join("nvd-page.json");
    std::fs::write(
        &nvd,
        serde_json::to_vec(&serde_json::json!({
            "resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE", "version": "2.0",
            "timestamp": "2026-11-20T00:00:00.000",
            "vulnerabilities": [{"cve": {
                "id": "CVE-2020-28493", "sourceIdentifier": "report@snyk.io", "published": "2021-02-01T20:15:12.517",
                "lastModified": "2024-11-21T05:22:53.193", "vulnStatus": "Modified", "descriptions": [],
                "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {
                    "version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", "baseScore": 5.3, "baseSeverity": "MEDIUM"},
                    "exploitabilityScore": 3.9, "impactScore": 1.4}]},
                "references": []}}]
        }))
        .unwrap(),
    )
    .unwrap();
    let epss = tmp.path().join("epss.csv");
    std::fs::write(
        &epss,
        "#model_version:v2025.03.14,score_date:2026-11-20T00:00:00+0000\ncve,epss,percentile\nCVE-2020-28493,0.00412,0.61023\n",
    )
    .unwrap();
    drydock().args(["db", "import", "--db"]).arg(&db).arg(&nvd).arg(&epss).assert().success();
    let report = json_scan(&db, &image(&tmp.path().join("img")), &[]);
    let jinja = report["vulnerabilities"].as_array().unwrap().iter().find(|f| f["id"] == "CVE-2020-28493").unwrap();
    assert_eq!(jinja["severity"], "MEDIUM");
    assert_eq!(jinja["severity_source"], "nvd");
    assert_eq!(jinja["cvss_v3_score"], 5.3);
    assert_eq!(jinja["cvss"][0]["source"], "nvd@nist.gov");
    assert_eq!(jinja["epss"]["score"], 0.00412);
    assert_eq!(jinja["epss"]["percentile"], 0.61023);
}

/// drydock.toml, found upward from the working directory: the database
/// path (relative to the file) and the maximum age; typos are located errors.
#[test]
fn drydock_toml_sets_the_database_and_its_maximum_age() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    let deep = project.join("services/api");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(project.join("drydock.toml"), "[db]\npath = \"cache/advisories.db\"\nmax-age = \"5d\"\n").unwrap();
    drydock()
        .current_dir(&deep)
        .args(["db", "import", "--fetched-at", "2026-01-01T00:00:00Z"])
        .arg(shared("osv/pypa/vulns/jinja2"))
        .assert()
        .success();
    assert!(project.join("cache/advisories.db").is_file());
    let target = image(&tmp.path().join("img"));
    drydock().current_dir(&deep).args(["scan", &target]).assert().code(2).stderr(predicate::str::contains("--max-db-age"));
    // The flag wins over the file.
    drydock().current_dir(&deep).args(["scan", "--max-db-age", "52w", &target]).assert().success();

    std::fs::write(project.join("drydock.toml"), "[db]\npath = \"cache/advisories.db\"\nmax_age = \"5d\"\n").unwrap();
    drydock().current_dir(&deep).args(["db", "status"]).assert().code(2).stderr(
        predicate::str::contains("drydock.toml")
            .and(predicate::str::contains("unknown field `max_age`"))
            .and(predicate::str::contains("3")),
    );
}
