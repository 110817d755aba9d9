//! The OSCAL writers: every document validates against NIST's OSCAL 1.1.2,
//! 1.1.3 and 1.0.6 JSON schemas, every UUID reference resolves, FedRAMP's
//! POA&M conventions are followed, and the same report gives the same
//! bytes.

#[path = "data/reports.rs"]
mod reports;

use std::collections::{BTreeMap, BTreeSet};

use drydock_core::report::Report;
use drydock_core::tracking::FindingKind;
use jsonschema::Draft;
use reports::{RAW_SECRET, REFERENCE, REPOSITORY, SCANNED_AT};
use serde_json::{Value, json};

const FEDRAMP: &str = "https://fedramp.gov/ns/oscal";

fn read_json(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shared(name: &str) -> String {
    format!("{}/../../../shared/fixtures/oscal/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn vendored(name: &str) -> String {
    format!("{}/tests/schemas/oscal/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Draft 7 as the schemas declare, formats asserted (date-time, uri,
/// uri-reference), patterns with jsonschema's default fancy-regex engine
/// (OSCAL's tokens use `\p{L}` and `\p{N}`).
fn validators(model: &str) -> Vec<(String, jsonschema::Validator)> {
    let files = match model {
        "ar" => [
            vendored("oscal_assessment-results_schema-1.1.2.json"),
            vendored("oscal_assessment-results_schema-1.1.3.json"),
            shared("oscal_assessment-results_schema_v1.0.6.json"),
        ],
        _ => [vendored("oscal_poam_schema-1.1.2.json"), vendored("oscal_poam_schema-1.1.3.json"), shared("oscal_poam_schema_v1.0.6.json")],
    };
    files
        .into_iter()
        .map(|f| {
            let v = jsonschema::options()
                .with_draft(Draft::Draft7)
                .should_validate_formats(true)
                .build(&read_json(&f))
                .unwrap_or_else(|e| panic!("{f}: {e}"));
            (f.rsplit('/').next().unwrap_or_default().to_owned(), v)
        })
        .collect()
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

fn assert_valid(model: &str, doc: &Value, what: &str) {
    for (schema, v) in validators(model) {
        let errs = errors(&v, doc);
        assert!(errs.is_empty(), "{what} does not validate against {schema}:\n{}", errs.join("\n"));
    }
}

fn ar(report: &Report) -> Value {
    let mut out = Vec::new();
    drydock_report::oscal::write_assessment_results(report, &mut out).expect("writes");
    serde_json::from_slice(&out).expect("JSON")
}

fn poam(report: &Report) -> Value {
    let mut out = Vec::new();
    drydock_report::oscal::write_poam(report, &mut out).expect("writes");
    serde_json::from_slice(&out).expect("JSON")
}

fn props_named<'a>(obj: &'a Value, name: &str) -> Vec<&'a str> {
    obj["props"].as_array().into_iter().flatten().filter(|p| p["name"] == name).filter_map(|p| p["value"].as_str()).collect()
}

fn prop<'a>(obj: &'a Value, name: &str) -> Option<&'a str> {
    props_named(obj, name).first().copied()
}

/// A clean image: the real scan without any finding.
fn clean() -> Report {
    let mut r = reports::scanned();
    r.hardening.clear();
    r.secrets.clear();
    r.vulnerabilities.clear();
    r
}

#[test]
fn validators_accept_nist_examples_and_reject_broken_documents() {
    // The validators are not vacuous: NIST's and FedRAMP-style examples
    // pass, documents with a missing field, a bad UUID, a padded string or
    // a non-token name fail.
    for (model, examples) in [("poam", ["min_poam.json", "ifa_poam.json"]), ("ar", ["min_ar.json", "ifa_ar_example.json"])] {
        for e in examples {
            assert_valid(model, &read_json(&shared(e)), e);
        }
    }
    let good = read_json(&shared("min_poam.json"));
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut d = good.clone();
        edit(&mut d);
        d
    };
    let cases = [
        ("no metadata", broken(&|d| _ = d["plan-of-action-and-milestones"].as_object_mut().map(|o| o.remove("metadata")))),
        ("bad uuid", broken(&|d| d["plan-of-action-and-milestones"]["uuid"] = json!("not-a-uuid"))),
        (
            "padded prop value",
            broken(&|d| d["plan-of-action-and-milestones"]["poam-items"][0]["props"] = json!([{"name": "POAM-ID", "value": "V-1 "}])),
        ),
        (
            "non-token prop name",
            broken(&|d| d["plan-of-action-and-milestones"]["poam-items"][0]["props"] = json!([{"name": "POAM ID", "value": "V-1"}])),
        ),
        ("date without zone", broken(&|d| d["plan-of-action-and-milestones"]["metadata"]["last-modified"] = json!("2025-01-15T00:00:00"))),
    ];
    // Deep inside one of ours too: the schemas' `#assembly_…` references
    // resolve, so nested definitions are checked.
    let ours = poam(&reports::tracked());
    let deep = |edit: &dyn Fn(&mut Value)| {
        let mut d = ours.clone();
        edit(&mut d);
        d
    };
    let deep_cases = [
        (
            "an empty facet value",
            deep(&|d| d["plan-of-action-and-milestones"]["risks"][0]["characterizations"][0]["facets"][0]["value"] = json!("")),
        ),
        (
            "a risk without status",
            deep(&|d| _ = d["plan-of-action-and-milestones"]["risks"][0].as_object_mut().map(|o| o.remove("status"))),
        ),
        ("an unknown observation field", deep(&|d| d["plan-of-action-and-milestones"]["observations"][0]["severity"] = json!("high"))),
        ("a bad deadline", deep(&|d| d["plan-of-action-and-milestones"]["risks"][0]["deadline"] = json!("2026-12-01"))),
    ];
    for (schema, v) in validators("poam") {
        for (what, doc) in cases.iter().chain(&deep_cases) {
            assert!(!errors(&v, doc).is_empty(), "{schema} accepted a document with {what}");
        }
    }
}

#[test]
fn every_document_validates() {
    for (what, report) in
        [("clean scan", clean()), ("scan", reports::scanned()), ("untracked", reports::with_findings()), ("tracked", reports::tracked())]
    {
        assert_valid("ar", &ar(&report), &format!("assessment results ({what})"));
        assert_valid("poam", &poam(&report), &format!("POA&M ({what})"));
    }
}

/// Every `*-uuid` reference and `#fragment` href points at something the
/// document defines, and no UUID is defined twice.
fn assert_references_resolve(doc: &Value, what: &str) {
    fn walk<'a>(v: &'a Value, defined: &mut Vec<&'a str>, refs: &mut Vec<(&'a str, &'a str)>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match (k.as_str(), x.as_str()) {
                        ("uuid", Some(u)) => defined.push(u),
                        (k, Some(u)) if k.ends_with("-uuid") => refs.push((k, u)),
                        ("href", Some(h)) if h.starts_with('#') => refs.push(("href", &h[1..])),
                        _ => walk(x, defined, refs),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, defined, refs)),
            _ => {}
        }
    }
    let (mut defined, mut refs) = (Vec::new(), Vec::new());
    walk(doc, &mut defined, &mut refs);
    let unique: BTreeSet<&str> = defined.iter().copied().collect();
    assert_eq!(unique.len(), defined.len(), "{what}: a UUID is defined twice");
    for (k, u) in refs {
        assert!(unique.contains(u), "{what}: {k} {u} points at nothing");
    }
}

#[test]
fn every_uuid_reference_resolves() {
    for (what, report) in [("clean", clean()), ("untracked", reports::with_findings()), ("tracked", reports::tracked())] {
        assert_references_resolve(&ar(&report), &format!("AR {what}"));
        assert_references_resolve(&poam(&report), &format!("POA&M {what}"));
    }
}

/// The POA&M's items by POAM-ID, with their risk and observations.
struct Item<'a> {
    item: &'a Value,
    risk: &'a Value,
    observations: Vec<&'a Value>,
}

fn items(doc: &Value) -> BTreeMap<String, Item<'_>> {
    let p = &doc["plan-of-action-and-milestones"];
    let by_uuid = |list: &str| -> BTreeMap<&str, &Value> {
        p[list].as_array().into_iter().flatten().map(|x| (x["uuid"].as_str().unwrap_or_default(), x)).collect()
    };
    let (risks, observations) = (by_uuid("risks"), by_uuid("observations"));
    p["poam-items"]
        .as_array()
        .expect("poam-items")
        .iter()
        .filter_map(|item| {
            let id = item["props"].as_array()?.iter().find(|x| x["name"] == "POAM-ID" && x["ns"] == FEDRAMP)?["value"].as_str()?;
            let related = item["related-risks"].as_array().expect("related-risks");
            assert_eq!(related.len(), 1, "{id}: FedRAMP wants exactly one risk per poam-item");
            let risk = risks[related[0]["risk-uuid"].as_str().expect("risk-uuid")];
            let observations: Vec<&Value> = item["related-observations"]
                .as_array()
                .expect("at least one observation")
                .iter()
                .map(|o| observations[o["observation-uuid"].as_str().expect("uuid")])
                .collect();
            Some((id.to_owned(), Item { item, risk, observations }))
        })
        .collect()
}

fn item_for<'a>(items: &'a BTreeMap<String, Item<'a>>, rule: &str) -> &'a Item<'a> {
    items
        .values()
        .find(|i| i.observations[0]["props"].as_array().is_some_and(|p| p.iter().any(|x| x["name"] == "rule" && x["value"] == rule)))
        .unwrap_or_else(|| panic!("no item for {rule}"))
}

fn facets(risk: &Value) -> Vec<(String, String, String, Option<String>)> {
    risk["characterizations"]
        .as_array()
        .expect("characterizations")
        .iter()
        .flat_map(|c| c["facets"].as_array().expect("facets"))
        .map(|f| {
            let state = f["props"].as_array().and_then(|p| p.iter().find(|x| x["name"] == "state")).and_then(|x| x["value"].as_str());
            (
                f["name"].as_str().unwrap_or_default().to_owned(),
                f["system"].as_str().unwrap_or_default().to_owned(),
                f["value"].as_str().unwrap_or_default().to_owned(),
                state.map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn tracked_poam_items_carry_fedramp_props() {
    let report = reports::tracked();
    let t = report.tracking.as_ref().expect("tracking");
    let doc = poam(&report);
    let items = items(&doc);
    // Every tracked finding (open, deviated, closed) and the one the
    // tracking doesn't list yet; the VEX-suppressed CVE is not a weakness.
    assert_eq!(items.len(), t.findings.len() + t.closed.len() + 1);
    for f in t.findings.iter().chain(&t.closed) {
        let item = &items.get(&f.id).unwrap_or_else(|| panic!("no poam-item for {}", f.id));
        assert_eq!(item.observations[0]["collected"], f.first_seen, "{}: collected = original detection", f.id);
        assert_eq!(item.observations[0]["methods"], json!(["TEST"]));
        assert_eq!(item.observations[0]["types"], json!(["finding"]));
        assert_eq!(item.risk["deadline"].as_str().map(|d| d[..10].to_owned()), f.due, "{}: deadline = due date", f.id);
    }
    assert!(items.values().all(|i| i.item["related-observations"].as_array().is_some_and(|o| !o.is_empty())));
    assert!(!serde_json::to_string(&doc).expect("json").contains("CVE-2023-42364"), "VEX not_affected is not on the POA&M");

    // KEV: joined by kind, rule and subject though its id is not the recipe's.
    let glibc = &items["DD-0123456789ab"];
    assert_eq!(prop(glibc.risk, "kev-catalog"), Some("yes"));
    assert_eq!(prop(glibc.risk, "kev-due-date"), Some("2023-12-12"));
    assert_eq!(glibc.risk["deadline"], "2023-12-12T00:00:00Z", "an earlier KEV due date wins");
    assert_eq!(props_named(glibc.risk, "impacted-control-id"), ["ra-5", "si-2"]);
    let evidence = glibc.observations[0]["relevant-evidence"][0]["description"].as_str().expect("evidence");
    let layer0 = report.layers[0].digest.as_ref().expect("digest").to_string();
    assert!(evidence.contains(&layer0) && evidence.contains("pkg:deb/debian/libc6@"), "{evidence}");
    let f = facets(glibc.risk);
    assert!(f.contains(&("cve-id".into(), "http://cve.mitre.org".into(), "CVE-2023-4911".into(), None)));
    assert!(f.contains(&("attack-vector".into(), "http://www.first.org/cvss/v3.1".into(), "local".into(), None)));
    assert!(f.contains(&("risk".into(), FEDRAMP.into(), "high".into(), Some("initial".into()))));

    // Vendor dependency with a risk adjustment from Critical to Moderate.
    let ash = item_for(&items, "CVE-2022-48174");
    assert_eq!(ash.risk["status"], "deviation-approved");
    assert_eq!(prop(ash.risk, "vendor-dependency"), Some("tracking"));
    assert_eq!(prop(ash.risk, "risk-adjustment"), Some("approved"));
    assert_eq!(ash.risk["deadline"], "2026-12-14T00:00:00Z", "Moderate: 90 days from 2026-09-15");
    let f = facets(ash.risk);
    assert!(f.contains(&("risk".into(), FEDRAMP.into(), "critical".into(), Some("initial".into()))));
    assert!(f.contains(&("risk".into(), FEDRAMP.into(), "moderate".into(), Some("adjusted".into()))));
    assert!(f.contains(&("cvss-v3-base-score".into(), drydock_report::oscal::DRYDOCK_NS.into(), "9.8".into(), None)));
    assert_eq!(ash.risk["mitigating-factors"].as_array().map(Vec::len), Some(1));
    let types: Vec<&Value> = ash.observations.iter().map(|o| &o["types"][0]).collect();
    assert_eq!(types, [&json!("finding"), &json!("vendor-dependency"), &json!("risk-adjustment")]);
    assert_eq!(ash.observations[2]["expires"], "2027-03-31T00:00:00Z");
    assert_eq!(ash.observations[1]["methods"], json!(["INTERVIEW"]));

    // An approved false positive closes the risk and stops the clock.
    let fp = item_for(&items, "CVE-2023-42363");
    assert_eq!(fp.risk["status"], "closed");
    assert_eq!(prop(fp.risk, "false-positive"), Some("approved"));
    assert!(fp.risk.get("deadline").is_none());

    // A finding closed by an earlier scan stays, closed, with its log.
    let closed = item_for(&items, "CVE-2023-4863");
    assert_eq!(closed.risk["status"], "closed");
    let log = closed.risk["risk-log"]["entries"].as_array().expect("risk log");
    assert_eq!(log.last().map(|e| (&e["status-change"], &e["start"])), Some((&json!("closed"), &json!("2026-10-20T08:00:00Z"))));

    // The expired operational requirement is recorded, inactive.
    let or = items.values().find(|i| i.observations.iter().any(|o| o["types"][0] == "operational-requirement")).expect("the OR item");
    assert!(prop(or.risk, "operational-requirement").is_none(), "expired: no longer applies");
    assert_eq!(or.risk["status"], "open");

    // The secret: controls from the finding, value redacted.
    let secret = item_for(&items, "SEC001");
    assert_eq!(props_named(secret.risk, "impacted-control-id"), ["ia-5.7", "ia-5", "sc-28", "sc-12"]);
    assert!(secret.item["description"].as_str().is_some_and(|d| d.contains("AKIA****")));

    // The new finding, not yet in the tracking, is clocked from this scan.
    let new = item_for(&items, "CVE-2023-42366");
    assert!(new.item["remarks"].as_str().is_some_and(|r| r.contains("first seen = this scan (no history)")));
    assert_eq!(new.risk["deadline"], "2027-05-01T00:00:00Z", "Low: 180 days from the scan");

    let p = &doc["plan-of-action-and-milestones"];
    assert_eq!(p["metadata"]["last-modified"], SCANNED_AT);
    assert_eq!(p["metadata"]["oscal-version"], "1.1.2");
    let resources = p["back-matter"]["resources"].as_array().expect("back-matter");
    let no_ssp = &p["import-ssp"]["href"].as_str().expect("href")[1..];
    let target = resources.iter().find(|r| r["uuid"] == no_ssp).expect("import-ssp target");
    assert_eq!(prop(target, "type"), Some("no-oscal-ssp"));
    assert_eq!(target["title"], REPOSITORY);
}

#[test]
fn untracked_items_are_clocked_from_the_scan() {
    let report = reports::with_findings();
    let doc = poam(&report);
    let items = items(&doc);
    assert_eq!(items.len(), 4 + report.hardening.len() + report.secrets.len(), "4 CVEs (one suppressed left out), checks, secrets");
    for (id, i) in &items {
        assert!(i.item["remarks"].as_str().is_some_and(|r| r.contains("first seen = this scan (no history)")), "{id}");
        assert_eq!(i.observations[0]["collected"], SCANNED_AT, "{id}");
        assert_eq!(i.risk["risk-log"]["entries"][0]["start"], SCANNED_AT, "{id}");
    }
    // POAM IDs are the scan history's ids: the same with and without history.
    let ash = item_for(&items, "CVE-2022-48174");
    assert_eq!(prop(ash.item, "POAM-ID"), Some("DD-a11199144583"));
    assert_eq!(reports::finding_id(FindingKind::Vulnerability, REPOSITORY, "CVE-2022-48174", "deb/busybox-static"), "DD-a11199144583");
    assert_eq!(reports::finding_id(FindingKind::Hardening, "registry.invalid/app", "IMG001", ""), "DD-adf83f1d5a06");
    assert_eq!(ash.risk["deadline"], "2026-12-02T00:00:00Z", "Critical: 30 days");
    let glibc = item_for(&items, "CVE-2023-4911");
    assert_eq!(glibc.risk["deadline"], "2023-12-12T00:00:00Z", "the KEV date stands, overdue on discovery");
    assert_eq!(prop(glibc.risk, "overdue"), Some("true"));
    assert_eq!(item_for(&items, "CVE-2023-42363").risk["deadline"], "2027-01-31T00:00:00Z", "Moderate: 90 days");
}

#[test]
fn assessment_results_have_one_result_with_findings_per_weakness() {
    let report = reports::tracked();
    let doc = ar(&report);
    let a = &doc["assessment-results"];
    assert_eq!(a["metadata"]["last-modified"], SCANNED_AT);
    assert!(a["import-ap"]["href"].as_str().is_some_and(|h| h.starts_with('#')));
    let results = a["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "one result per scan");
    let result = &results[0];
    assert_eq!(result["start"], SCANNED_AT);
    let t = report.tracking.as_ref().expect("tracking");
    let findings = result["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), t.findings.len() + 1, "what this scan saw (not the closed item), and the new one");
    let observations: BTreeMap<&str, &Value> =
        result["observations"].as_array().expect("observations").iter().map(|o| (o["uuid"].as_str().unwrap_or_default(), o)).collect();
    for f in findings {
        assert_eq!(f["target"]["type"], "objective-id");
        assert_eq!(f["target"]["status"]["state"], "not-satisfied");
        let control = props_named(f, "impacted-control-id")[0];
        assert_eq!(f["target"]["target-id"], format!("{control}_obj"));
        let obs = observations[f["related-observations"][0]["observation-uuid"].as_str().expect("uuid")];
        assert_eq!(obs["collected"], SCANNED_AT);
        assert_eq!(obs["methods"], json!(["TEST"]));
        assert!(obs["relevant-evidence"].as_array().is_some_and(|e| !e.is_empty()), "{}", obs["title"]);
    }
    let vuln = findings.iter().find(|f| f["title"].as_str().is_some_and(|t| t.contains("ld.so"))).expect("the glibc finding");
    assert_eq!(vuln["target"]["target-id"], "ra-5_obj");
    // The FIPS posture is an observation of its own, related to FIPS findings.
    let fips = result["observations"].as_array().expect("observations").iter().find(|o| o["types"] == json!(["control-objective"]));
    let fips = fips.expect("FIPS posture observation");
    assert!(fips["title"].as_str().is_some_and(|t| t.starts_with("FIPS 140 posture")));
    let fips_findings: Vec<&Value> = findings.iter().filter(|f| f["title"].as_str().is_some_and(|t| t.starts_with("FIPS 140:"))).collect();
    assert!(!fips_findings.is_empty(), "FIPS001");
    for f in fips_findings {
        assert_eq!(f["target"]["target-id"], "sc-13_obj");
        assert!(f["related-observations"].as_array().is_some_and(|r| r.iter().any(|o| o["observation-uuid"] == fips["uuid"])));
    }
    let controls: Vec<&str> = result["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .expect("controls")
        .iter()
        .filter_map(|c| c["control-id"].as_str())
        .collect();
    for c in ["ra-5", "si-2", "sc-13", "ia-5.7"] {
        assert!(controls.contains(&c), "{c} in {controls:?}");
    }
    let item = &result["local-definitions"]["inventory-items"][0];
    let digest = report.image.manifest_digest.as_ref().expect("digest");
    assert_eq!(prop(item, "asset-id"), Some(format!("{REFERENCE}@{digest}").as_str()));
}

#[test]
fn secrets_appear_redacted_only() {
    let report = reports::tracked();
    for doc in [ar(&report), poam(&report)] {
        let text = serde_json::to_string(&doc).expect("json");
        assert!(!text.contains(RAW_SECRET), "a secret value in the output");
        assert!(text.contains("AKIA****************"), "the redacted form is the evidence");
    }
}

#[test]
fn same_report_gives_the_same_bytes_and_items_keep_their_uuids() {
    let report = reports::tracked();
    let write = |r: &Report| {
        let (mut a, mut p) = (Vec::new(), Vec::new());
        drydock_report::oscal::write_assessment_results(r, &mut a).expect("AR");
        drydock_report::oscal::write_poam(r, &mut p).expect("POA&M");
        (a, p)
    };
    assert_eq!(write(&report), write(&report.clone()), "byte-identical output");

    // A later scan of the same image: a new document, the same items.
    let mut later = report.clone();
    later.scanned_at = "2026-12-01T09:30:00Z".into();
    let (now, next) = (poam(&report), poam(&later));
    assert_ne!(now["plan-of-action-and-milestones"]["uuid"], next["plan-of-action-and-milestones"]["uuid"]);
    let uuids = |d: &Value, key: &str| -> Vec<Value> {
        d["plan-of-action-and-milestones"][key].as_array().expect("list").iter().map(|x| x["uuid"].clone()).collect()
    };
    assert_eq!(uuids(&now, "poam-items"), uuids(&next, "poam-items"));
    assert_eq!(uuids(&now, "risks"), uuids(&next, "risks"));
}

#[test]
fn clean_scan_gives_a_valid_poam_with_one_placeholder_item() {
    let doc = poam(&clean());
    let items = doc["plan-of-action-and-milestones"]["poam-items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "OSCAL requires one");
    assert_eq!(prop(&items[0], "no-weaknesses"), Some("true"));
    assert!(prop(&items[0], "POAM-ID").is_none());
    assert!(doc["plan-of-action-and-milestones"].get("risks").is_none());
    assert!(ar(&clean())["assessment-results"]["results"][0].get("findings").is_none());
}

#[test]
fn unreadable_times_are_errors_that_name_the_field() {
    let mut report = reports::with_findings();
    report.scanned_at = "yesterday".into();
    let err = drydock_report::oscal::write_poam(&report, &mut Vec::new()).expect_err("not a time");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("scanned_at"), "{err}");

    let mut report = reports::tracked();
    let t = report.tracking.as_mut().expect("tracking");
    t.findings[0].first_seen = "2026-13-45".into();
    let id = t.findings[0].id.clone();
    let err = drydock_report::oscal::write_assessment_results(&report, &mut Vec::new()).expect_err("bad first_seen");
    assert!(err.to_string().contains(&id) && err.to_string().contains("first_seen"), "{err}");
}
