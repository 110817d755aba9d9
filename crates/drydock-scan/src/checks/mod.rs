//! Image hardening checks (`IMG…`): judgments over the built image's
//! config, history and (later) its files. One file per check, with its
//! documentation (what, why with the seed / CIS / NIST reference, fix) and
//! tests; one explicit registry.

use drydock_core::check::{CheckFinding, Evidence, Minimality};
use drydock_core::report::Report;
use drydock_core::vulnerability::Severity;

use crate::analyzers::accounts::Accounts;
use crate::{FactKind, FileEntry, FileTree, ScanResult};

mod accounts;
mod add_in_history;
mod fips_beside_claim;
mod fips_none;
mod fips_not_enforced;
mod healthcheck_network_tool;
mod image_age;
mod intruder_tools;
mod leftover_files;
mod no_healthcheck;
mod runs_as_root;
pub mod secrets_in_config;
mod setuid_files;
mod world_writable;

/// What a check is.
#[derive(Debug)]
pub struct CheckMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub remediation: &'static str,
    pub controls: &'static [&'static str],
    pub references: &'static [&'static str],
}

impl CheckMeta {
    /// A finding of this check with the given evidence.
    pub fn finding(&'static self, evidence: Vec<Evidence>) -> CheckFinding {
        CheckFinding {
            rule_id: self.id.to_owned(),
            name: self.name.to_owned(),
            severity: self.severity,
            title: self.title.to_owned(),
            evidence,
            remediation: self.remediation.to_owned(),
            controls: self.controls.iter().map(|c| (*c).to_owned()).collect(),
            references: self.references.iter().map(|c| (*c).to_owned()).collect(),
        }
    }
}

/// What checks read.
pub struct CheckContext<'a> {
    pub report: &'a Report,
    /// The merged final filesystem (absent when only a report is at hand).
    pub tree: Option<&'a FileTree>,
    /// Accounts from the final image's `/etc/passwd`, `/etc/group`, `/etc/shadow`.
    pub accounts: Vec<&'a Accounts>,
    /// "Now", for age checks (a parameter so tests are stable).
    pub now: jiff::Timestamp,
}

type Check = fn(&CheckContext<'_>) -> Vec<CheckFinding>;

/// Every check, in id order.
pub static CHECKS: &[(&CheckMeta, Check)] = &[
    (&runs_as_root::META, runs_as_root::check),
    (&no_healthcheck::META, no_healthcheck::check),
    (&healthcheck_network_tool::META, healthcheck_network_tool::check),
    (&setuid_files::META, setuid_files::check),
    (&world_writable::META, world_writable::check),
    (&intruder_tools::META, intruder_tools::check),
    (&accounts::META, accounts::check),
    (&leftover_files::META, leftover_files::check),
    (&add_in_history::META, add_in_history::check),
    (&image_age::META, image_age::check),
    (&secrets_in_config::META, secrets_in_config::check),
];

/// The FIPS checks (`FIPS…`): judgments over the FIPS posture, run when the
/// FIPS scanner is selected.
pub static FIPS_CHECKS: &[(&CheckMeta, Check)] = &[
    (&fips_none::META, fips_none::check),
    (&fips_not_enforced::META, fips_not_enforced::check),
    (&fips_beside_claim::META, fips_beside_claim::check),
];

/// Runs the FIPS checks over `report.fips`; findings most severe first.
pub fn fips(report: &Report) -> Vec<CheckFinding> {
    let cx = CheckContext { report, tree: None, accounts: Vec::new(), now: jiff::Timestamp::UNIX_EPOCH };
    let mut out: Vec<CheckFinding> = FIPS_CHECKS.iter().flat_map(|(_, check)| check(&cx)).collect();
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));
    out
}

/// Runs every check; findings most severe first, and the image's
/// minimality (when the file tree is at hand).
pub fn run(report: &Report, scan: Option<&ScanResult>, now: jiff::Timestamp) -> (Vec<CheckFinding>, Option<Minimality>) {
    let tree = scan.map(|s| &s.tree);
    let accounts = scan
        .map(|s| s.visible_facts().filter_map(|f| if let FactKind::Accounts(a) = &f.kind { Some(a) } else { None }).collect())
        .unwrap_or_default();
    let cx = CheckContext { report, tree, accounts, now };
    let mut out: Vec<CheckFinding> = CHECKS.iter().flat_map(|(_, check)| check(&cx)).collect();
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));
    (out, tree.map(intruder_tools::minimality))
}

/// Evidence pointing at a file in the final image.
pub(crate) fn file_evidence(report: &Report, entry: &FileEntry, detail: String) -> Evidence {
    let layer = report.layers.get(entry.layer);
    Evidence {
        location: format!("/{}", entry.path),
        detail,
        layer_index: Some(entry.layer),
        layer_digest: layer.and_then(|l| l.digest.clone()),
        created_by: layer.and_then(|l| l.created_by.clone()),
    }
}

/// A crypto module as finding evidence.
pub(crate) fn fips_module_evidence(m: &drydock_core::fips::CryptoModule) -> Evidence {
    Evidence {
        location: m.location.clone(),
        detail: format!("{}{}: {} ({})", m.name, m.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default(), m.posture, m.reason),
        layer_index: m.layer_index,
        layer_digest: m.layer_digest.clone(),
        created_by: None,
    }
}

/// A piece of FIPS evidence as finding evidence.
pub(crate) fn fips_evidence(e: &drydock_core::fips::FipsEvidence) -> Evidence {
    Evidence {
        location: e.location.clone(),
        detail: e.detail.clone(),
        layer_index: e.layer_index,
        layer_digest: e.layer_digest.clone(),
        created_by: e.created_by.clone(),
    }
}

/// Evidence pointing at a history step (and the layer it made).
pub(crate) fn history_evidence(report: &Report, index: usize, detail: String) -> Evidence {
    let h = &report.history[index];
    let layer = h.layer_index.and_then(|i| report.layers.get(i));
    Evidence {
        location: format!("history[{index}]"),
        detail,
        layer_index: h.layer_index,
        layer_digest: layer.and_then(|l| l.digest.clone()),
        created_by: h.created_by.clone(),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use drydock_core::report::{ConfigInfo, FilesystemSummary, HistoryInfo, ImageInfo, Report};

    /// A report with only the parts checks read.
    pub fn report(config: ConfigInfo, history: &[&str], created: Option<&str>) -> Report {
        let json = serde_json::json!({
            "schema_version": 1, "scanner": {"name": "drydock", "version": "test"}, "scanned_at": "2026-11-23T00:00:00Z",
            "image": {"reference": "t", "source": "oci", "config": serde_json::to_value(ConfigInfo::default()).expect("serializes")},
            "layers": [], "history": [], "filesystem": serde_json::to_value(FilesystemSummary::default()).expect("serializes"),
            "warnings": []
        });
        let mut r: Report = serde_json::from_value(json).expect("minimal report");
        r.image = ImageInfo { created: created.map(str::to_owned), config, ..r.image };
        r.history = history
            .iter()
            .map(|h| HistoryInfo { created: None, created_by: Some((*h).to_owned()), comment: None, empty_layer: true, layer_index: None })
            .collect();
        r
    }

    /// A config with this `Healthcheck.Test` (or none).
    pub fn healthcheck(test: Option<&[&str]>) -> ConfigInfo {
        let healthcheck = test.map(|t| drydock_core::report::HealthcheckInfo {
            test: t.iter().map(|s| (*s).to_owned()).collect(),
            interval_seconds: None,
            timeout_seconds: None,
            start_period_seconds: None,
            retries: None,
        });
        ConfigInfo { healthcheck, ..ConfigInfo::default() }
    }

    /// A report with this FIPS verdict and modules.
    pub fn fips(verdict: drydock_core::fips::FipsVerdict, modules: Vec<drydock_core::fips::CryptoModule>) -> Report {
        let mut r = report(ConfigInfo::default(), &[], None);
        r.fips = Some(drydock_core::fips::FipsPosture { verdict, modules, ..Default::default() });
        r
    }

    /// A module at `/usr/lib/libcrypto.so.3` with this posture.
    pub fn module(name: &str, posture: drydock_core::fips::FipsVerdict) -> drydock_core::fips::CryptoModule {
        drydock_core::fips::CryptoModule {
            name: name.to_owned(),
            version: None,
            location: "/usr/lib/libcrypto.so.3".into(),
            posture,
            reason: "why".into(),
            layer_index: Some(0),
            layer_digest: None,
        }
    }

    pub fn now() -> jiff::Timestamp {
        "2026-11-23T00:00:00Z".parse().expect("valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        let ids: Vec<&str> = CHECKS.iter().map(|(m, _)| m.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert!(CHECKS.iter().chain(FIPS_CHECKS).all(|(m, _)| !m.controls.is_empty() && !m.remediation.is_empty()));
        let fips: Vec<&str> = FIPS_CHECKS.iter().map(|(m, _)| m.id).collect();
        assert!(fips.windows(2).all(|w| w[0] < w[1]) && fips.iter().all(|id| id.starts_with("FIPS")));
    }
}

/// Controls a secret baked into an image breaks: static authenticators
/// embedded in storage (IA-5(7)), authenticator protection (IA-5), data at
/// rest (SC-28), key management (SC-12).
pub const SECRET_CONTROLS: &[&str] = &["IA-5(7)", "IA-5", "SC-28", "SC-12"];

fn secret_remediation(removed: bool) -> String {
    let mut fix = String::from("Revoke and rotate this credential: anyone who pulls the image can read it. ");
    if removed {
        fix.push_str(
            "Deleting the file in a later layer does not remove it from the image: keep it out of every layer (a multi-stage build, or `RUN --mount=type=secret`).",
        );
    } else {
        fix.push_str("Keep it out of the image: inject it at run time (a mounted secret or the orchestrator's secret store), or use `RUN --mount=type=secret` at build time.");
    }
    fix
}

/// The secrets found in layer files, with their layer and whether a later
/// layer removed the file; one per (path, secret), the visible copy first.
pub fn secrets(report: &Report, scan: &ScanResult) -> Vec<drydock_core::check::SecretFinding> {
    let mut out: Vec<drydock_core::check::SecretFinding> = Vec::new();
    for layer in &scan.layers {
        for fact in &layer.facts {
            let FactKind::Secret(m) = &fact.kind else { continue };
            let removed = scan.tree.get(&fact.path).is_none_or(|e| e.layer != fact.layer);
            let info = report.layers.get(fact.layer);
            out.push(drydock_core::check::SecretFinding {
                rule_id: m.rule_id.clone(),
                name: m.rule_name.clone(),
                title: m.title.clone(),
                severity: m.severity.parse().unwrap_or(Severity::Unknown),
                path: format!("/{}", fact.path),
                line: m.line,
                column: m.column,
                redacted: m.redacted.clone(),
                fingerprint: m.fingerprint.clone(),
                layer_index: fact.layer,
                layer_digest: info.and_then(|l| l.digest.clone()),
                created_by: info.and_then(|l| l.created_by.clone()),
                removed,
                remediation: secret_remediation(removed),
                controls: SECRET_CONTROLS.iter().map(|c| (*c).to_owned()).collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.removed, &a.path, a.line, &a.rule_id, a.layer_index).cmp(&(b.removed, &b.path, b.line, &b.rule_id, b.layer_index))
    });
    out.dedup_by(|later, first| later.path == first.path && later.fingerprint == first.fingerprint && later.rule_id == first.rule_id);
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| (&a.path, a.line).cmp(&(&b.path, b.line))));
    out
}
