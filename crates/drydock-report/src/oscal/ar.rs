//! OSCAL assessment results: one `result` for the scan, with the scanner
//! and the image in its local definitions, and per weakness an observation
//! (method TEST, the evidence: layer, digest, path, build step), a risk
//! (CVE, CVSS, ratings, deadline, KEV, deviations) and a finding whose
//! target is the first control's objective, not satisfied. The FIPS 140
//! posture, when judged, is one more observation, related to the FIPS
//! findings.
//!
//! There is no OSCAL assessment plan for an automated scan: `import-ap`
//! points at a back-matter resource that says so, the way FedRAMP's
//! templates point `import-ssp` at a `no-oscal-ssp` resource.

use drydock_core::tracking::FindingKind;
use serde_json::{Value, json};

use super::weakness::Weakness;
use super::{
    DRYDOCK_NS, FEDRAMP_NS, OSCAL_VERSION, Scan, control_id, kind_name, ns_prop, prop, props, reviewed_controls, risk, scan_observation,
    set_nonempty,
};

pub(crate) fn document(scan: &Scan<'_>, weaknesses: &[Weakness<'_>]) -> Value {
    let r = scan.report;
    // Items the scan saw: closed ones (tracked, not seen) are the POA&M's.
    let seen: Vec<&Weakness<'_>> = weaknesses.iter().filter(|w| w.closed_at.is_none()).collect();
    let fips_observation = r.fips.as_ref().map(|f| {
        let uuid = scan.uuid("fips-observation", &[]);
        let mut o = json!({
            "uuid": uuid,
            "title": format!("FIPS 140 posture: {}", f.verdict),
            "description": f.summary,
            "props": props([ns_prop(DRYDOCK_NS, "fips-verdict", f.verdict.as_str())]),
            "methods": ["TEST"],
            "types": ["control-objective"],
            "origins": [scan.tool_origin()],
            "subjects": [{"subject-uuid": scan.image_item_uuid(), "type": "inventory-item"}],
            "collected": scan.at,
        });
        let mut evidence: Vec<Value> = f
            .modules
            .iter()
            .map(|m| {
                json!({
                    "description": format!("{} {}: {} ({}), at {}", m.name, m.version.as_deref().unwrap_or(""), m.posture, m.reason, m.location),
                    "props": props([
                        ns_prop(DRYDOCK_NS, "crypto-module", &m.name),
                        ns_prop(DRYDOCK_NS, "location", &m.location),
                        ns_prop(DRYDOCK_NS, "layer-digest", &m.layer_digest.as_ref().map(|d| d.to_string()).unwrap_or_default()),
                    ]),
                })
            })
            .collect();
        evidence.extend(f.evidence.iter().map(|e| {
            json!({
                "description": format!("{} ({}, {:?}): {}", e.location, e.kind, e.stance, e.detail),
                "props": props([
                    ns_prop(DRYDOCK_NS, "location", &e.location),
                    ns_prop(DRYDOCK_NS, "layer-digest", &e.layer_digest.as_ref().map(|d| d.to_string()).unwrap_or_default()),
                    ns_prop(DRYDOCK_NS, "created-by", e.created_by.as_deref().unwrap_or("")),
                ]),
            })
        }));
        set_nonempty(&mut o, "relevant-evidence", Value::Array(evidence));
        let notes: Vec<&str> = f.host_only.iter().chain(&f.notes).map(String::as_str).collect();
        if !notes.is_empty() {
            o["remarks"] = json!(notes.join("\n\n"));
        }
        (uuid, o)
    });

    let mut observations = Vec::new();
    let mut risks = Vec::new();
    let mut findings = Vec::new();
    for w in &seen {
        let obs = scan.uuid("observation", &[&w.id]);
        let risk_uuid = scan.uuid("risk", &[&w.id]);
        observations.push(scan_observation(scan, w, obs.clone(), &scan.at));
        risks.push(risk(scan, w, risk_uuid.clone(), std::slice::from_ref(&obs)));
        let mut related = vec![json!({"observation-uuid": obs})];
        if let (FindingKind::Fips, Some((fips, _))) = (w.kind, &fips_observation) {
            related.push(json!({"observation-uuid": fips}));
        }
        let controls = w.controls();
        let target = controls.first().map(|c| control_id(c)).unwrap_or_else(|| "ra-5".to_owned());
        let mut p: Vec<Option<Value>> = controls.iter().map(|c| ns_prop(FEDRAMP_NS, "impacted-control-id", &control_id(c))).collect();
        p.push(ns_prop(DRYDOCK_NS, "finding-id", &w.id));
        findings.push(json!({
            "uuid": scan.uuid("finding", &[&w.id]),
            "title": format!("{}: {}", kind_name(w.kind), w.title),
            "description": w.description(),
            "props": props(p),
            "origins": [scan.tool_origin()],
            "target": {
                "type": "objective-id",
                "target-id": format!("{target}_obj"),
                "status": {"state": "not-satisfied", "reason": "fail"},
            },
            "related-observations": related,
            "related-risks": [{"risk-uuid": risk_uuid}],
        }));
    }
    if let Some((_, o)) = fips_observation {
        observations.push(o);
    }

    let no_plan = scan.uuid("no-assessment-plan", &[]);
    let include: Vec<Value> = reviewed_controls(scan, weaknesses).into_iter().map(|c| json!({"control-id": c})).collect();
    let mut result_props = vec![ns_prop(DRYDOCK_NS, "scanner-version", &r.scanner.version)];
    if let Some(db) = &r.advisory_db {
        // RA-5(2): how current the vulnerability signatures were.
        result_props.push(ns_prop(DRYDOCK_NS, "advisory-db-built-at", &db.built_at));
        result_props.push(ns_prop(DRYDOCK_NS, "advisory-db-age-hours", &format!("{:.1}", db.age_hours)));
        result_props.push(ns_prop(DRYDOCK_NS, "advisory-db-stale", if db.stale { "true" } else { "false" }));
    }
    if let Some(t) = &r.tracking {
        result_props.push(ns_prop(DRYDOCK_NS, "scanner-config-checksum", &t.config_checksum));
        result_props.push(ns_prop(DRYDOCK_NS, "deadline-profile", &t.profile));
    }
    let mut result = json!({
        "uuid": scan.uuid("result", &[]),
        "title": format!("Scan of {}", scan.asset()),
        "description": format!(
            "Automated scan of the container image `{}` by {}: {} weaknesses ({} vulnerabilities, {} hardening findings, {} secrets).",
            scan.asset(),
            scan.tool_name(),
            seen.len(),
            seen.iter().filter(|w| w.kind == FindingKind::Vulnerability).count(),
            seen.iter().filter(|w| matches!(w.kind, FindingKind::Hardening | FindingKind::Fips)).count(),
            seen.iter().filter(|w| w.kind == FindingKind::Secret).count(),
        ),
        "start": scan.at,
        "props": props(result_props),
        "local-definitions": {
            "components": scan.components(),
            "inventory-items": scan.inventory_items(),
        },
        "reviewed-controls": {
            "control-selections": [{"include-controls": include}],
            "remarks": "RA-5 for the scan itself, SI-2 when an advisory database was used, SC-13 when the FIPS posture was judged, and every control a finding names.",
        },
    });
    set_nonempty(&mut result, "observations", Value::Array(observations));
    set_nonempty(&mut result, "risks", Value::Array(risks));
    set_nonempty(&mut result, "findings", Value::Array(findings));
    if !r.warnings.is_empty() {
        result["remarks"] =
            json!(format!("Scanner warnings:\n\n{}", r.warnings.iter().map(|w| format!("* {w}")).collect::<Vec<_>>().join("\n")));
    }

    json!({"assessment-results": {
        "uuid": scan.uuid("assessment-results", &[]),
        "metadata": {
            "title": format!("{} assessment results: {}", r.scanner.name, scan.asset()),
            "last-modified": scan.at,
            "version": scan.at,
            "oscal-version": OSCAL_VERSION,
            "remarks": "Generated from one drydock scan report. The document version is the scan time.",
        },
        "import-ap": {
            "href": format!("#{no_plan}"),
            "remarks": "An automated scan has no OSCAL assessment plan: this points at the back-matter resource describing the scan.",
        },
        "results": [result],
        "back-matter": {"resources": [{
            "uuid": no_plan,
            "title": "No OSCAL assessment plan: automated container image scan",
            "description": format!("{} scanned `{}` at {}.", scan.tool_name(), scan.asset(), scan.at),
            "props": props([prop("type", "plan"), ns_prop(DRYDOCK_NS, "assessment-plan", "none")]),
        }]},
    }})
}
