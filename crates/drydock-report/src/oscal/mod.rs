//! OSCAL 1.1 documents from one scan: assessment results (`ar`) and a plan
//! of action and milestones (`poam`), in the JSON format, with FedRAMP's
//! extensions (`https://fedramp.gov/ns/oscal`) where FedRAMP's POA&M
//! template and OSCAL guide use them.
//!
//! Both documents are built from the same [`weakness`] list: the report's
//! findings joined with their tracking (stable `DD-…` id, first-seen date,
//! deadline, deviations). Without tracking (no scan history kept) the
//! deadlines are computed with the built-in FedRAMP Rev5 profile from the
//! scan time, and every item says "first seen = this scan (no history)".
//!
//! Hand-written with `serde_json`, like the SBOM writers: no maintained
//! crate models OSCAL 1.1, and drydock writes a small part of it. The
//! output is validated against NIST's OSCAL 1.1.2 and 1.1.3 JSON schemas
//! (and the 1.0.6 ones) in tests.
//!
//! Every UUID is a version 5 UUID of drydock's namespace and the thing it
//! names, so writing the same report twice gives the same bytes:
//! documents, results and observations are named by the scan (image and
//! scan time), POA&M items and their risks by the finding's stable id, so
//! a monthly POA&M keeps each item's UUID from one revision to the next
//! (OSCAL asks for per-subject UUIDs).
//!
//! ```
//! # let report: drydock_core::report::Report = serde_json::from_value(serde_json::json!({
//! #     "schema_version": 1, "scanner": {"name": "drydock", "version": "0.1.0"},
//! #     "scanned_at": "2026-11-01T10:00:00Z",
//! #     "image": {"reference": "registry.invalid/app:1.0", "source": "registry", "config": {
//! #         "user": null, "env": [], "entrypoint": [], "cmd": [], "labels": {}, "exposed_ports": [], "volumes": []}},
//! #     "layers": [], "history": [], "warnings": [],
//! #     "filesystem": {"files": 0, "directories": 0, "symlinks": 0, "hardlinks": 0, "other": 0,
//! #         "total_file_bytes": 0, "removed_by_later_layers": 0},
//! #     "hardening": [{"rule_id": "IMG001", "name": "runs-as-root", "severity": "HIGH",
//! #         "title": "Runs as root", "evidence": [{"location": "config.User", "detail": "unset"}],
//! #         "remediation": "Set USER.", "controls": ["AC-6"]}]
//! # })).unwrap();
//! let mut out = Vec::new();
//! drydock_report::oscal::write_poam(&report, &mut out).unwrap();
//! let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! let risk = &doc["plan-of-action-and-milestones"]["risks"][0];
//! assert_eq!(risk["deadline"], "2026-12-01T00:00:00Z"); // High: 30 days from first seen
//! assert_eq!(risk["props"][0]["value"], "ac-6");
//! ```

mod ar;
mod poam;
pub(crate) mod weakness;

use std::io::{self, Write};

use drydock_core::report::Report;
use drydock_core::tracking::{DeviationKind, FindingKind, fedramp_name, risk_class};
use drydock_core::vulnerability::Severity;
use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Value, json};
use uuid::Uuid;

use weakness::{Weakness, source_line};

/// The OSCAL version the documents declare. FedRAMP's OSCAL templates and
/// NIST's example documents use 1.1.2; tests validate against the 1.1.2 and
/// 1.1.3 schemas.
pub const OSCAL_VERSION: &str = "1.1.2";

/// FedRAMP's extension namespace (props such as `POAM-ID`, `kev-due-date`).
pub const FEDRAMP_NS: &str = "https://fedramp.gov/ns/oscal";

/// drydock's own props and facets (layer digests, finding ids). OSCAL wants
/// an absolute URI its owner controls: the project's repository.
pub const DRYDOCK_NS: &str = "https://github.com/drydock-dev/drydock/ns/oscal";

/// The namespace of every UUID drydock writes: the version 5 UUID of
/// [`DRYDOCK_NS`] in the URL namespace (a test checks the constant).
const UUID_NAMESPACE: Uuid = Uuid::from_u128(0x5e23_ecd4_9c92_5394_85ca_74c9_1161_58ac);

const NIST_NS: &str = "http://csrc.nist.gov/ns/oscal";

/// OSCAL assessment results: one result for this scan, an observation,
/// a risk and a finding per weakness.
pub fn write_assessment_results(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_json(&assessment_results(report)?, out)
}

/// OSCAL plan of action and milestones: a poam-item per weakness (open,
/// deviated and closed), each with its scan observation, deviation
/// observations and exactly one risk, as FedRAMP's OSCAL POA&M guide asks.
pub fn write_poam(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_json(&poam(report)?, out)
}

/// The assessment results document.
pub fn assessment_results(report: &Report) -> io::Result<Value> {
    let scan = Scan::new(report)?;
    let weaknesses = weakness::collect(report, &scan)?;
    Ok(ar::document(&scan, &weaknesses))
}

/// The POA&M document.
pub fn poam(report: &Report) -> io::Result<Value> {
    let scan = Scan::new(report)?;
    let weaknesses = weakness::collect(report, &scan)?;
    Ok(poam::document(&scan, &weaknesses))
}

fn write_json(doc: &Value, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    out.write_all(b"\n")
}

/// A report field that can't be read (a timestamp that isn't one).
pub(crate) fn bad_input(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// The scan as every part of the documents names it.
pub(crate) struct Scan<'r> {
    pub report: &'r Report,
    /// `scanned_at`, normalised to `YYYY-MM-DDTHH:MM:SS[.fff]Z` (OSCAL's
    /// date-time pattern wants seconds and a zone).
    pub at: String,
    /// The UTC day of the scan: first-seen day of untracked findings and
    /// the day overdue is judged on without history.
    pub day: Date,
    ts: Timestamp,
    /// What identifies this scan in UUIDs: image and time.
    key: String,
}

impl<'r> Scan<'r> {
    pub fn new(report: &'r Report) -> io::Result<Scan<'r>> {
        let ts = timestamp(&report.scanned_at, "scanned_at")?;
        let img = &report.image;
        let digest = img.manifest_digest.as_ref().or(img.config_digest.as_ref()).map(|d| d.to_string()).unwrap_or_default();
        Ok(Scan {
            report,
            at: ts.to_string(),
            day: ts.to_zoned(jiff::tz::TimeZone::UTC).date(),
            key: format!("{}\n{digest}\n{ts}", img.reference),
            ts,
        })
    }

    pub fn timestamp(&self) -> Timestamp {
        self.ts
    }

    /// A UUID for something of this scan (`kind` and the names after it).
    pub fn uuid(&self, kind: &str, names: &[&str]) -> String {
        let mut all = vec![kind, self.key.as_str()];
        all.extend_from_slice(names);
        uuid(&all)
    }

    /// The asset: the image reference with its manifest digest (FedRAMP's
    /// inventory names a container image by repository, name and version,
    /// and its registry hash).
    pub fn asset(&self) -> String {
        let img = &self.report.image;
        match img.manifest_digest.as_ref().or(img.config_digest.as_ref()) {
            Some(d) if !img.reference.contains('@') => format!("{}@{d}", img.reference),
            _ => img.reference.clone(),
        }
    }

    /// "drydock 0.1.0": FedRAMP's "Weakness Detector Source".
    pub fn tool_name(&self) -> String {
        format!("{} {}", self.report.scanner.name, self.report.scanner.version)
    }

    /// The scanner, as a component (FedRAMP: one per scanning tool).
    pub fn tool_uuid(&self) -> String {
        uuid(&["tool", &self.report.scanner.name, &self.report.scanner.version])
    }

    /// The image as a component, and as the inventory item findings are about.
    pub fn image_component_uuid(&self) -> String {
        self.uuid("image-component", &[])
    }

    pub fn image_item_uuid(&self) -> String {
        self.uuid("image-item", &[])
    }

    pub fn tool_origin(&self) -> Value {
        json!({"actors": [{"type": "tool", "actor-uuid": self.tool_uuid()}]})
    }

    /// The scanner and the image, for `local-definitions`.
    pub fn components(&self) -> Value {
        let r = self.report;
        json!([
            {
                "uuid": self.tool_uuid(),
                "type": "software",
                "title": r.scanner.name,
                "description": "Container image scanner: vulnerabilities (advisory matching of the image's packages), hardening checks, secrets in layer files, FIPS 140 posture.",
                "props": props([
                    ns_prop(FEDRAMP_NS, "vendor-name", &r.scanner.name),
                    ns_prop(FEDRAMP_NS, "name", &r.scanner.name),
                    prop("version", &r.scanner.version),
                ]),
                "status": {"state": "operational"},
                "remarks": "The Weakness Detector Source of every item in this document.",
            },
            {
                "uuid": self.image_component_uuid(),
                "type": "software",
                "title": r.image.reference,
                "description": format!("Container image `{}` ({}).", r.image.reference, r.image.source),
                "props": props(self.image_props()),
                "status": {"state": "operational"},
            },
        ])
    }

    pub fn inventory_items(&self) -> Value {
        let mut p = vec![prop("asset-id", &self.asset())];
        p.extend(self.image_props());
        json!([{
            "uuid": self.image_item_uuid(),
            "description": format!("The container image `{}` as scanned.", self.asset()),
            "props": props(p),
            "implemented-components": [{"component-uuid": self.image_component_uuid()}],
        }])
    }

    fn image_props(&self) -> Vec<Option<Value>> {
        let img = &self.report.image;
        let digest = |d: &Option<drydock_core::Digest>| d.as_ref().map(|d| d.to_string()).unwrap_or_default();
        let mut p = vec![
            ns_prop(DRYDOCK_NS, "image-reference", &img.reference),
            ns_prop(DRYDOCK_NS, "image-source", &img.source),
            ns_prop(DRYDOCK_NS, "manifest-digest", &digest(&img.manifest_digest)),
            ns_prop(DRYDOCK_NS, "config-digest", &digest(&img.config_digest)),
            ns_prop(DRYDOCK_NS, "index-digest", &digest(&img.index_digest)),
            ns_prop(DRYDOCK_NS, "platform", img.platform.as_deref().unwrap_or("")),
        ];
        if let Some(os) = &self.report.os {
            let name = os.pretty_name.clone().unwrap_or_else(|| format!("{} {}", os.id, os.version_id.as_deref().unwrap_or("")));
            p.push(ns_prop(DRYDOCK_NS, "os", &name));
        }
        p
    }
}

/// A version 5 UUID in drydock's namespace. The names are length-prefixed,
/// so no choice of names can run into the next.
pub(crate) fn uuid(names: &[&str]) -> String {
    let mut bytes = Vec::new();
    for n in names {
        bytes.extend_from_slice(&(n.len() as u64).to_le_bytes());
        bytes.extend_from_slice(n.as_bytes());
    }
    Uuid::new_v5(&UUID_NAMESPACE, &bytes).to_string()
}

/// An RFC 3339 timestamp from the report.
pub(crate) fn timestamp(value: &str, what: &str) -> io::Result<Timestamp> {
    value.trim().parse().map_err(|e| bad_input(format!("{what}: `{value}` is not an RFC 3339 timestamp: {e}")))
}

/// A day from the report: `YYYY-MM-DD`, or the UTC day of a timestamp.
pub(crate) fn day(value: &str, what: &str) -> io::Result<Date> {
    let v = value.trim();
    if v.len() == 10 {
        return v.parse().map_err(|e| bad_input(format!("{what}: `{value}` is not a date: {e}")));
    }
    Ok(timestamp(v, what)?.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// A day as an OSCAL date-time (midnight UTC, as FedRAMP's examples write
/// deadlines).
pub(crate) fn day_time(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// OSCAL's strings (prop and facet values) are one line without leading or
/// trailing blanks.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A prop in OSCAL's own namespace; `None` when the value is empty.
pub(crate) fn prop(name: &str, value: &str) -> Option<Value> {
    let v = one_line(value);
    (!v.is_empty()).then(|| json!({"name": name, "value": v}))
}

pub(crate) fn ns_prop(ns: &str, name: &str, value: &str) -> Option<Value> {
    let v = one_line(value);
    (!v.is_empty()).then(|| json!({"name": name, "ns": ns, "value": v}))
}

/// The props that have a value.
pub(crate) fn props(p: impl IntoIterator<Item = Option<Value>>) -> Value {
    Value::Array(p.into_iter().flatten().collect())
}

/// Sets `key` to the array unless it is empty (OSCAL arrays have at least
/// one member).
pub(crate) fn set_nonempty(obj: &mut Value, key: &str, array: Value) {
    if array.as_array().is_some_and(|a| !a.is_empty()) {
        obj[key] = array;
    }
}

/// An 800-53 control as drydock writes it (`AC-6`, `IA-5(7)`) as an OSCAL
/// control id (`ac-6`, `ia-5.7`).
pub fn control_id(control: &str) -> String {
    let c = control.trim().to_ascii_lowercase();
    match c.split_once('(') {
        Some((base, rest)) => format!("{base}.{}", rest.trim_end_matches(')').trim()),
        None => c,
    }
}

/// The rating on FedRAMP's scale, lower case (`critical` … `low`); an
/// unrated finding is clocked as Moderate.
fn fedramp_risk(severity: Severity) -> String {
    fedramp_name(risk_class(severity)).to_ascii_lowercase()
}

/// The observation of one weakness in this scan (or, for a closed item,
/// its last record): what the tool saw, where, and on which asset.
/// `collected` is the scan time in assessment results and the original
/// detection date in a POA&M (FedRAMP's rule).
pub(crate) fn scan_observation(scan: &Scan<'_>, w: &Weakness<'_>, uuid: String, collected: &str) -> Value {
    let mut o = json!({
        "uuid": uuid,
        "title": w.title,
        "description": w.description(),
        "props": props([
            ns_prop(DRYDOCK_NS, "finding-id", &w.id),
            ns_prop(DRYDOCK_NS, "finding-kind", w.kind.as_str()),
            ns_prop(DRYDOCK_NS, "rule", &w.rule),
            ns_prop(DRYDOCK_NS, "subject", &w.subject),
            ns_prop(DRYDOCK_NS, "last-seen", &w.last_seen),
        ]),
        "methods": ["TEST"],
        "types": ["finding"],
        "origins": [scan.tool_origin()],
        "subjects": [{"subject-uuid": scan.image_item_uuid(), "type": "inventory-item", "title": scan.asset()}],
        "collected": collected,
    });
    let evidence: Vec<Value> = w
        .evidence()
        .iter()
        .map(|e| {
            let mut ev = json!({"description": source_line(e)});
            set_nonempty(
                &mut ev,
                "props",
                props([
                    ns_prop(DRYDOCK_NS, "location", &e.location),
                    ns_prop(DRYDOCK_NS, "layer-index", &e.layer_index.map(|i| i.to_string()).unwrap_or_default()),
                    ns_prop(DRYDOCK_NS, "layer-digest", &e.layer_digest.as_ref().map(|d| d.to_string()).unwrap_or_default()),
                    ns_prop(DRYDOCK_NS, "created-by", e.created_by.as_deref().unwrap_or("")),
                ]),
            );
            ev
        })
        .collect();
    set_nonempty(&mut o, "relevant-evidence", Value::Array(evidence));
    if !w.tracked {
        o["remarks"] = json!(weakness::NO_HISTORY);
    }
    o
}

/// The risk of one weakness: FedRAMP props (controls, KEV, deviations),
/// the tool's characterisation (CVE, CVSS, severity) and the FedRAMP risk
/// rating, initial and adjusted, the deadline and the tool's recommended
/// remediation. `extra` lets the POA&M add its plan and log.
pub(crate) fn risk(scan: &Scan<'_>, w: &Weakness<'_>, uuid: String, observations: &[String]) -> Value {
    let mut p: Vec<Option<Value>> = w.controls().iter().map(|c| ns_prop(FEDRAMP_NS, "impacted-control-id", &control_id(c))).collect();
    if let Some(kev) = &w.kev_due {
        p.push(ns_prop(FEDRAMP_NS, "kev-catalog", "yes"));
        p.push(ns_prop(FEDRAMP_NS, "kev-due-date", &kev.to_string()));
    }
    for (kind, name, value) in [
        (DeviationKind::FalsePositive, "false-positive", "approved"),
        (DeviationKind::OperationalRequirement, "operational-requirement", "approved"),
        (DeviationKind::RiskAdjustment, "risk-adjustment", "approved"),
        (DeviationKind::VendorDependency, "vendor-dependency", "tracking"),
    ] {
        if w.active(kind).is_some() {
            p.push(ns_prop(FEDRAMP_NS, name, value));
        }
    }
    p.push(ns_prop(DRYDOCK_NS, "finding-id", &w.id));
    p.push(ns_prop(DRYDOCK_NS, "due-reason", &w.due_reason));
    if w.closed_at.is_none() {
        p.push(ns_prop(DRYDOCK_NS, "overdue", if w.overdue { "true" } else { "false" }));
    }

    let mut tool_facets = Vec::new();
    for cve in w.cves() {
        tool_facets.push(json!({"name": "cve-id", "system": "http://cve.mitre.org", "value": cve}));
    }
    tool_facets.push(json!({"name": "severity", "system": NIST_NS, "value": w.severity.as_str().to_ascii_lowercase()}));
    if let Some(score) = w.cvss_v3_score {
        // CVSS systems only name vector metrics; the base score is drydock's.
        tool_facets.push(json!({"name": "cvss-v3-base-score", "system": DRYDOCK_NS, "value": format!("{score:.1}")}));
    }
    if let Some((system, metrics)) = w.cvss_v3_vector().and_then(cvss_v3_facets) {
        for (name, value) in metrics {
            tool_facets.push(json!({"name": name, "system": system, "value": value}));
        }
    }
    let mut fedramp_facets = vec![json!({
        "name": "risk", "system": FEDRAMP_NS, "value": fedramp_risk(w.severity),
        "props": [{"name": "state", "value": "initial"}],
    })];
    if let Some(adjusted) = w.adjusted {
        let mut f = json!({
            "name": "risk", "system": FEDRAMP_NS, "value": fedramp_risk(adjusted),
            "props": [{"name": "state", "value": "adjusted"}],
        });
        if let Some(d) = w.active(DeviationKind::RiskAdjustment).or(w.active(DeviationKind::OperationalRequirement)) {
            f["remarks"] = json!(format!("{} ({}): {}", d.kind, d.id, d.rationale));
        }
        fedramp_facets.push(f);
    }
    let mut tool_actor = json!({"type": "tool", "actor-uuid": scan.tool_uuid()});
    set_nonempty(
        &mut tool_actor,
        "props",
        props([ns_prop(FEDRAMP_NS, "vulnerability-id", &w.rule), ns_prop(FEDRAMP_NS, "plugin-id", &w.rule)]),
    );
    let origin = json!({"actors": [tool_actor]});

    let mut r = json!({
        "uuid": uuid,
        "title": w.title,
        "description": w.description(),
        "statement": w.statement(),
        "props": props(p),
        "status": w.risk_status(),
        "characterizations": [
            {"origin": origin, "facets": tool_facets},
            {"origin": scan.tool_origin(), "facets": fedramp_facets},
        ],
    });
    let mitigations: Vec<Value> = w
        .deviations
        .iter()
        .filter(|d| d.active && matches!(d.kind, DeviationKind::RiskAdjustment | DeviationKind::OperationalRequirement))
        .map(|d| json!({"uuid": crate::oscal::uuid(&["mitigating-factor", &w.id, &d.id]), "description": d.rationale}))
        .collect();
    set_nonempty(&mut r, "mitigating-factors", Value::Array(mitigations));
    if let Some(due) = w.due {
        r["deadline"] = json!(day_time(due));
    }
    r["remediations"] = json!([{
        "uuid": crate::oscal::uuid(&["recommendation", &w.id]),
        "lifecycle": "recommendation",
        "title": "Tool's recommendation",
        "description": w.remediation(),
        "origins": [scan.tool_origin()],
    }]);
    set_nonempty(&mut r, "related-observations", Value::Array(observations.iter().map(|o| json!({"observation-uuid": o})).collect()));
    r
}

/// The base metrics of a CVSS v3 vector as OSCAL facets (the names and
/// values of OSCAL's CVSS v3 facet vocabulary). `None` for anything that
/// isn't a v3 vector.
fn cvss_v3_facets(vector: &str) -> Option<(&'static str, Vec<(&'static str, &'static str)>)> {
    let mut parts = vector.trim().split('/');
    let system = match parts.next()? {
        "CVSS:3.1" => "http://www.first.org/cvss/v3.1",
        "CVSS:3.0" => "http://www.first.org/cvss/v3.0",
        _ => return None,
    };
    let mut out = Vec::new();
    for part in parts {
        let (metric, value) = part.split_once(':')?;
        let facet = match (metric, value) {
            ("AV", "N") => ("attack-vector", "network"),
            ("AV", "A") => ("attack-vector", "adjacent"),
            ("AV", "L") => ("attack-vector", "local"),
            ("AV", "P") => ("attack-vector", "physical"),
            ("AC", "L") => ("access-complexity", "low"),
            ("AC", "H") => ("access-complexity", "high"),
            ("PR", v) => ("privileges-required", level(v)?),
            ("UI", "N") => ("user-interaction", "none"),
            ("UI", "R") => ("user-interaction", "required"),
            ("S", "U") => ("scope", "unchanged"),
            ("S", "C") => ("scope", "changed"),
            ("C", v) => ("confidentiality-impact", level(v)?),
            ("I", v) => ("integrity-impact", level(v)?),
            ("A", v) => ("availability-impact", level(v)?),
            // Temporal and environmental metrics are not the scanner's to state.
            _ => continue,
        };
        out.push(facet);
    }
    (!out.is_empty()).then_some((system, out))
}

fn level(v: &str) -> Option<&'static str> {
    match v {
        "N" => Some("none"),
        "L" => Some("low"),
        "H" => Some("high"),
        _ => None,
    }
}

/// The controls a scan reviews whatever it finds: RA-5 (it is a
/// vulnerability scan), SI-2 when an advisory database was used, SC-13
/// when the FIPS posture was judged, and every control a finding names.
pub(crate) fn reviewed_controls(scan: &Scan<'_>, weaknesses: &[Weakness<'_>]) -> Vec<String> {
    let mut ids = vec![control_id("RA-5")];
    if scan.report.advisory_db.is_some() {
        ids.push(control_id("SI-2"));
    }
    if scan.report.fips.is_some() {
        ids.push(control_id("SC-13"));
    }
    for w in weaknesses {
        ids.extend(w.controls().iter().map(|c| control_id(c)));
    }
    ids.sort();
    ids.dedup();
    ids
}

/// FedRAMP's name of a deviation type ("Deviation Type : Rationale").
pub(crate) fn deviation_name(kind: DeviationKind) -> &'static str {
    match kind {
        DeviationKind::FalsePositive => "False Positive",
        DeviationKind::RiskAdjustment => "Risk Adjustment",
        DeviationKind::OperationalRequirement => "Operational Requirement",
        DeviationKind::VendorDependency => "Vendor Dependency",
    }
}

/// The words a person reads for a finding kind.
pub(crate) fn kind_name(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Vulnerability => "Vulnerability",
        FindingKind::Hardening => "Hardening",
        FindingKind::Secret => "Secret",
        FindingKind::Fips => "FIPS 140",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_namespace_is_derived_from_the_drydock_namespace_uri() {
        assert_eq!(UUID_NAMESPACE, Uuid::new_v5(&Uuid::NAMESPACE_URL, DRYDOCK_NS.as_bytes()));
    }

    #[test]
    fn uuids_are_version_5_and_separate_their_names() {
        let a = uuid(&["x", "ab", "c"]);
        assert_eq!(a, uuid(&["x", "ab", "c"]));
        assert_ne!(a, uuid(&["x", "a", "bc"]));
        assert_eq!(&a[14..15], "5");
    }

    #[test]
    fn control_ids_follow_oscal_catalog_form() {
        assert_eq!(control_id("AC-6"), "ac-6");
        assert_eq!(control_id("IA-5(7)"), "ia-5.7");
        assert_eq!(control_id(" ra-5(2) "), "ra-5.2");
    }

    #[test]
    fn cvss_vectors_become_oscal_facets() {
        let (system, facets) = cvss_v3_facets("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N/E:P").expect("a v3 vector");
        assert_eq!(system, "http://www.first.org/cvss/v3.1");
        assert_eq!(facets.len(), 8, "base metrics only");
        assert_eq!(facets[0], ("attack-vector", "network"));
        assert_eq!(facets[3], ("user-interaction", "required"));
        assert_eq!(cvss_v3_facets("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None, "v2 vectors are not v3");
        assert_eq!(cvss_v3_facets("CVSS:3.1/AV:X"), None);
    }

    #[test]
    fn prop_values_are_one_trimmed_line() {
        assert_eq!(prop("x", "  RUN a \\\n  && b "), Some(json!({"name": "x", "value": "RUN a \\ && b"})));
        assert_eq!(prop("x", " \n "), None);
    }
}
