//! SARIF: validates against the OASIS 2.1.0 schema, keeps GitHub code
//! scanning's documented constraints, locates findings in the image, keeps
//! fingerprints across rebuilds, and joins the scan history's tracking.

#[path = "data/writer_reports.rs"]
mod reports;

use std::collections::{BTreeMap, BTreeSet};

use drydock_core::report::Report;
use drydock_core::tracking::{FindingKind, Profile};
use drydock_core::vulnerability::Severity;
use drydock_history::{History, RecordOptions};
use drydock_report::sarif;
use reports::{RAW_SECRET, REFERENCE};
use serde_json::Value;

fn render(report: &Report) -> (String, Value) {
    let mut out = Vec::new();
    sarif::write(report, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("UTF-8");
    let doc = serde_json::from_str(&text).expect("JSON");
    (text, doc)
}

fn validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).expect("the SARIF 2.1.0 schema")).expect("schema JSON");
    jsonschema::options().should_validate_formats(true).build(&schema).expect("schema compiles")
}

fn assert_schema_valid(doc: &Value, what: &str) {
    let errors: Vec<String> = validator().iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// GitHub code scanning's documented rules for an upload, beyond the schema.
fn assert_github_accepts(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "drydock", "the linter's SARIF names the tool the same");
    assert!(driver["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= sarif::MAX_RESULTS && rules.len() <= 25_000);
    let mut ids = BTreeSet::new();
    for rule in rules {
        let id = rule["id"].as_str().expect("rule id");
        assert!(!id.is_empty() && id.len() <= 255, "{id}");
        assert!(ids.insert(id), "rule {id} declared twice");
        assert!(rule["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{id}");
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.trim().is_empty()), "{id}: help.text");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|t| !t.trim().is_empty()), "{id}: help.markdown");
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(tags.len() <= 20, "{id}");
        if let Some(s) = rule["properties"].get("security-severity") {
            let score: f64 = s.as_str().expect("security-severity is a string").parse().expect("a number");
            assert!((0.0..=10.0).contains(&score), "{id}: {score}");
        }
    }
    let bases = run["originalUriBaseIds"].as_object().expect("originalUriBaseIds");
    let mut used = BTreeSet::new();
    for r in results {
        let rule_id = r["ruleId"].as_str().expect("ruleId");
        used.insert(rule_id);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "ruleIndex points at its rule");
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().expect("level")));
        let locations = r["locations"].as_array().expect("locations");
        assert!(!locations.is_empty() && locations.len() <= 1000);
        let physical = &locations[0]["physicalLocation"];
        assert!(physical["artifactLocation"]["uri"].as_str().is_some_and(|u| !u.is_empty()), "{rule_id}");
        assert!(physical["region"]["startLine"].as_u64().is_some_and(|l| l >= 1), "{rule_id}: region.startLine");
        if let Some(base) = physical["artifactLocation"]["uriBaseId"].as_str() {
            assert!(bases.contains_key(base), "{base} is declared");
        }
        assert!(r.get("relatedLocations").and_then(Value::as_array).is_none_or(|l| l.len() <= 1000));
        let fp = r["partialFingerprints"][sarif::FINGERPRINT_KEY].as_str().expect("a fingerprint");
        assert_eq!(fp.len(), 32, "the linter's fingerprint length");
    }
    assert_eq!(used, ids, "every declared rule is used, every used rule declared");
}

fn result<'a>(doc: &'a Value, rule: &str, needle: &str) -> &'a Value {
    doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == rule && r["message"]["text"].as_str().is_some_and(|m| m.contains(needle)))
        .unwrap_or_else(|| panic!("no {rule} result mentioning {needle}"))
}

fn rule<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules").iter().find(|r| r["id"] == id).expect("rule")
}

#[test]
fn validates_against_the_schema_and_github_constraints() {
    for (what, report) in
        [("the real scan", reports::scanned()), ("every kind of finding", reports::full()), ("with tracking", reports::with_tracking())]
    {
        let (_, doc) = render(&report);
        assert_schema_valid(&doc, what);
        assert_github_accepts(&doc);
    }
}

#[test]
fn the_schema_check_catches_a_broken_log() {
    let (_, mut doc) = render(&reports::full());
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(validator().iter_errors(&doc).next().is_some(), "an invalid level must fail validation");
}

#[test]
fn every_finding_is_a_result_most_severe_first() {
    let report = reports::full();
    let (_, doc) = render(&report);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), report.vulnerabilities.len() + report.hardening.len() + report.secrets.len());
    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().expect("level")).collect();
    let rank = |l: &str| ["error", "warning", "note"].iter().position(|x| *x == l).expect("level");
    assert!(levels.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{levels:?}");
}

#[test]
fn vulnerability_rules_have_help_with_title_fixes_and_references() {
    let (_, doc) = render(&reports::full());
    let critical = rule(&doc, "CVE-2026-0101");
    let help = critical["help"]["text"].as_str().expect("help");
    assert!(help.contains("OpenSSL: remote code execution in X.509 name constraints"), "{help}");
    assert!(help.contains("libssl3 3.0.11-1~deb12u2 (deb): fixed in 3.0.15-1~deb12u1"), "{help}");
    assert!(help.contains("openssl 3.0.11-1~deb12u2 (deb): fixed in 3.0.15-1~deb12u1"), "one rule lists both packages: {help}");
    assert!(help.contains("https://www.openssl.org/news/secadv/20261001.txt"), "{help}");
    assert!(help.contains("CISA KEV"), "{help}");
    assert_eq!(critical["helpUri"], "https://www.cve.org/CVERecord?id=CVE-2026-0101");
    assert_eq!(critical["properties"]["security-severity"], "9.8");
    assert!(critical["help"]["markdown"].as_str().expect("markdown").contains("<https://www.openssl.org/news/secadv/20261001.txt>"));
    // A score from the CVSS list when the finding has no NVD v3 score.
    assert_eq!(rule(&doc, "CVE-2026-0202")["properties"]["security-severity"], "7.5");
    // Markup in a title stays text in the Markdown help.
    let markdown = rule(&doc, "CVE-2026-0303")["help"]["markdown"].as_str().expect("markdown");
    assert!(markdown.contains("\\<tls\\_parse\\>"), "{markdown}");
    // Unrated: no invented score.
    assert!(rule(&doc, "CVE-2026-0505")["properties"].get("security-severity").is_none());
}

#[test]
fn check_and_secret_rules_carry_their_remediation_not_the_secret() {
    let report = reports::full();
    let (text, doc) = render(&report);
    let img006 = rule(&doc, "IMG006");
    let fix = &report.hardening.iter().find(|c| c.rule_id == "IMG006").expect("IMG006").remediation;
    assert!(img006["help"]["text"].as_str().expect("help").contains(fix.as_str()));
    assert!(img006["help"]["markdown"].as_str().expect("markdown").contains("#### Fix"));
    assert_eq!(img006["properties"]["security-severity"], "2.0");
    assert_eq!(rule(&doc, "FIPS001")["properties"]["tags"][1], "fips");
    let sec = rule(&doc, "SEC001");
    assert!(sec["help"]["text"].as_str().expect("help").contains("revoke or rotate"));
    assert!(!text.contains(RAW_SECRET), "the secret value must never be written");
    assert!(!text.contains(&report.secrets[0].fingerprint), "nor its fingerprint");
    let r = result(&doc, "SEC001", "/app/.env");
    assert_eq!(r["properties"]["redacted"], "AKIA************MPLE");
}

#[test]
fn results_are_located_in_the_image() {
    let report = reports::full();
    let (_, doc) = render(&report);
    let layer1 = report.layers[1].digest.as_ref().expect("digest").to_string();
    let layer2 = report.layers[2].digest.as_ref().expect("digest").to_string();

    // An OS package: its package database, with the layer that installed it.
    let r = result(&doc, "CVE-2026-0101", "libssl3");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0];
    assert_eq!(loc["physicalLocation"]["artifactLocation"]["uri"], "var/lib/dpkg/status");
    assert_eq!(loc["physicalLocation"]["artifactLocation"]["uriBaseId"], sarif::IMAGE_ROOT);
    let logical = loc["logicalLocations"][0]["fullyQualifiedName"].as_str().expect("logical location");
    assert!(logical.contains(REFERENCE) && logical.contains(&layer1), "{logical}");
    assert_eq!(r["properties"]["layerDigest"], layer1.as_str());
    assert_eq!(r["properties"]["security-severity"], "9.8");

    // A Go module: the binary it is linked into.
    let r = result(&doc, "CVE-2026-0202", "golang.org/x/net");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app/server");
    assert!(r["locations"][0]["logicalLocations"][0]["name"].as_str().expect("name").contains(&layer2));

    // A config setting: the image reference, and the setting as a logical location.
    let r = result(&doc, "IMG003", "HEALTHCHECK");
    let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "registry.invalid/team/hello-oci%3A1.0");
    assert!(artifact.get("uriBaseId").is_none());
    assert_eq!(r["locations"][0]["logicalLocations"][0]["name"], "config.Healthcheck.Test");
    assert_eq!(r["locations"][0]["logicalLocations"][0]["kind"], "property");

    // Files a check names: the first locates it, all are related locations.
    let r = result(&doc, "IMG006", "");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bin/busybox");
    assert_eq!(r["relatedLocations"].as_array().expect("related").len(), 3);

    // A secret: its file, line and column.
    let r = result(&doc, "SEC005", "id_ed25519");
    let physical = &r["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "home/app/.ssh/id_ed25519");
    assert_eq!(physical["region"]["startLine"], 1);
    assert_eq!(r["properties"]["deletedByLaterLayer"], true);
    assert!(r["message"]["text"].as_str().expect("text").contains("later layer deleted"));

    // VEX-suppressed: present, with the statement as a suppression.
    let r = result(&doc, "CVE-2026-0606", "libssl3");
    assert_eq!(r["suppressions"][0]["kind"], "external");
    assert!(r["suppressions"][0]["justification"].as_str().expect("why").contains("vulnerable_code_not_in_execute_path"));

    let run = &doc["runs"][0];
    assert_eq!(run["originalUriBaseIds"][sarif::IMAGE_ROOT]["uri"], "file:///");
    assert_eq!(run["automationDetails"]["id"], "drydock-image/registry.invalid/team/hello-oci/");
}

/// The fingerprint of each result, by rule and message subject.
fn fingerprints(report: &Report) -> BTreeMap<(String, String), String> {
    let (_, doc) = render(report);
    doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            // A file in the image names the subject; the image reference does not.
            let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            let file = artifact.get("uriBaseId").and(artifact["uri"].as_str());
            let subject = r["properties"]["package"]["name"].as_str().or(file).unwrap_or("").to_owned();
            (
                (r["ruleId"].as_str().expect("id").to_owned(), subject),
                r["partialFingerprints"][sarif::FINGERPRINT_KEY].as_str().expect("fp").to_owned(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_a_rebuild_and_an_upgrade_without_a_fix() {
    let before = reports::full();
    let mut after = before.clone();
    after.image.reference =
        "registry.invalid/team/hello-oci:1.1@sha256:00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff".into();
    after.image.manifest_digest = None;
    after.scanned_at = "2026-12-24T00:00:00Z".into();
    for l in &mut after.layers {
        l.digest = None;
    }
    for f in &mut after.vulnerabilities {
        f.package.version.push_str("+b1");
        f.origin.digest = None;
        f.origin.layer_index += 1;
    }
    for s in &mut after.secrets {
        s.line += 10;
    }
    let a = fingerprints(&before);
    assert_eq!(a.len(), before.vulnerabilities.len() + before.hardening.len() + before.secrets.len(), "fingerprints are distinct");
    assert_eq!(a, fingerprints(&after));

    let mut elsewhere = before.clone();
    elsewhere.image.reference = "registry.invalid/team/other:1.0".into();
    let b = fingerprints(&elsewhere);
    assert!(a.iter().all(|(k, v)| b[k] != *v), "another repository's alerts are its own");

    let mut rotated = before.clone();
    rotated.secrets[0].fingerprint = "0".repeat(64);
    assert_ne!(fingerprints(&rotated)[&("SEC001".into(), "app/.env".into())], a[&("SEC001".into(), "app/.env".into())]);
}

#[test]
fn tracking_is_in_each_result() {
    let report = reports::with_tracking();
    let (_, doc) = render(&report);
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        let tracking = &r["properties"]["tracking"];
        if r.get("suppressions").is_some() {
            assert!(tracking.is_null(), "suppressed findings are not tracked");
            continue;
        }
        assert!(tracking["id"].as_str().is_some_and(|id| id.starts_with("DD-")), "{r}");
        assert!(tracking["firstSeen"].is_string() && tracking["due"].is_string() && tracking["overdue"].is_boolean());
    }
    let critical = &result(&doc, "CVE-2026-0101", "libssl3")["properties"]["tracking"];
    assert_eq!(critical["due"], "2026-10-22");
    assert_eq!(critical["dueReason"], "CISA KEV due date");
    assert_eq!(critical["overdue"], true);
    assert_eq!(critical["daysLeft"], -49);
    let medium = &result(&doc, "CVE-2026-0303", "busybox")["properties"]["tracking"];
    assert_eq!(medium["deviation"]["kind"], "vendor-dependency");
    let secret = &result(&doc, "SEC001", "/app/.env")["properties"]["tracking"];
    assert_eq!(secret["overdue"], false);
    assert_eq!(secret["daysLeft"], 15);
}

#[test]
fn ids_and_repositories_agree_with_the_history_crate() {
    for reference in [REFERENCE, "alpine:3.20", "host:5000/app:2@sha256:abcdef0123", "oci:examples/hello-oci:latest", "/srv/rootfs/"] {
        assert_eq!(sarif::repository_of(reference), drydock_history::repository_of(reference), "{reference}");
    }
    for kind in [FindingKind::Vulnerability, FindingKind::Hardening, FindingKind::Secret, FindingKind::Fips] {
        assert_eq!(
            sarif::finding_id(kind, "app", "CVE-2026-1", "deb/openssl"),
            drydock_history::finding_id(kind, "app", "CVE-2026-1", "deb/openssl")
        );
    }
}

fn record(history: &mut History, report: &Report, now: &str) -> drydock_core::tracking::Tracking {
    let options = RecordOptions {
        profile: &Profile::fedramp_rev5(),
        config_checksum: "sha256:test",
        now: now.parse().expect("timestamp"),
        covered: &[FindingKind::Vulnerability, FindingKind::Hardening, FindingKind::Secret, FindingKind::Fips],
    };
    history.record(report, &options).expect("records")
}

#[test]
fn tracking_from_a_real_history_joins_every_open_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut history = History::open(dir.path().join("history.db")).expect("history");

    // First scan: the KEV finding is known only by its Debian advisory id.
    let mut first = reports::full();
    first.vulnerabilities[0].id = "DSA-5999-1".into();
    record(&mut history, &first, "2026-10-01T00:00:00Z");

    // Rescan: the advisory data learnt the CVE; the history keeps the old id.
    let mut second = reports::full();
    second.vulnerabilities[0].aliases = vec!["DSA-5999-1".into()];
    second.tracking = Some(record(&mut history, &second, "2026-12-10T00:00:00Z"));
    let tracking = second.tracking.as_ref().expect("tracking");
    let old_id = drydock_history::finding_id(FindingKind::Vulnerability, reports::REPOSITORY, "DSA-5999-1", "deb/libssl3");
    assert!(tracking.findings.iter().any(|t| t.id == old_id), "the history kept the alias's id");

    let (_, doc) = render(&second);
    assert_schema_valid(&doc, "with a real history's tracking");
    let mut joined = BTreeSet::new();
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        if r.get("suppressions").is_some() {
            continue;
        }
        let id = r["properties"]["tracking"]["id"].as_str().unwrap_or_else(|| panic!("{} is not joined", r["ruleId"]));
        joined.insert(id.to_owned());
    }
    let tracked: BTreeSet<String> = tracking.findings.iter().map(|t| t.id.clone()).collect();
    assert_eq!(joined, tracked, "every open finding joined, each to its own item");
    let libssl = result(&doc, "CVE-2026-0101", "libssl3");
    assert_eq!(libssl["properties"]["tracking"]["id"], old_id.as_str());
    assert_eq!(libssl["properties"]["tracking"]["firstSeen"], "2026-10-01T00:00:00Z");
}

#[test]
fn results_past_githubs_limit_are_cut_least_severe_first_and_said() {
    let mut report = reports::full();
    let template = report.vulnerabilities[4].clone();
    for i in 0..sarif::MAX_RESULTS {
        let mut f = template.clone();
        f.id = format!("CVE-2099-{i:05}");
        f.severity = Severity::Low;
        report.vulnerabilities.push(f);
    }
    let (_, doc) = render(&report);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), sarif::MAX_RESULTS);
    assert!(results.iter().any(|r| r["ruleId"] == "CVE-2026-0101"), "the most severe are kept");
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().expect("a notification");
    assert!(notes.iter().any(|n| n["message"]["text"].as_str().is_some_and(|t| t.contains("left out"))));
}
