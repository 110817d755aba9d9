//! Finding identity: what makes a finding in one scan "the same" as one in
//! an earlier scan of a rebuilt image.
//!
//! * vulnerability: the scanner's vulnerability id (the finding's primary
//!   id, a CVE where there is exactly one), the package (ecosystem and
//!   name, not version: an upgrade that does not fix it is the same
//!   weakness) and the repository;
//! * hardening (and FIPS checks, `FIPS…`, which report as hardening
//!   findings): the check id and the repository. One item per check, not
//!   per evidence location: locations such as `history[3]` or
//!   `config.Env[2]` are indexes that shift whenever a build step is added,
//!   so keying on them would close and reopen the same weakness with a new
//!   id (and a new clock) on every rebuild; and a check that still fires is
//!   a weakness that is still there, whichever files it now names;
//! * secret: the rule id, the path and the fingerprint (sha256 of the
//!   value) and the repository: the same key moved to another line is the
//!   same finding, a rotated key in the same file is a new one.
//!
//! The repository is the image reference without tag or digest
//! ([`repository_of`]), so `app:1.0` and `app:1.1@sha256:…` share findings.

use std::collections::BTreeMap;

use drydock_core::report::Report;
use drydock_core::tracking::{FindingKind, original_risk};
use drydock_core::vulnerability::Severity;

pub use drydock_core::tracking::{finding_id, repository_of};

/// One finding of the report, reduced to what the history keeps.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Observation {
    pub id: String,
    pub kind: FindingKind,
    pub rule: String,
    /// Other ids of the vulnerability: a finding recorded under one of them
    /// (before the advisory database learnt the CVE) is the same finding.
    pub aliases: Vec<String>,
    /// The identity part after the rule (package, or path and fingerprint).
    pub subject_key: String,
    pub subject: String,
    pub title: String,
    pub severity: Severity,
    pub cvss_v3_score: Option<f64>,
    pub kev_due: Option<String>,
}

/// The report's findings as observations, one per identity, sorted by id.
/// Suppressed (VEX `not_affected` / `fixed`) vulnerabilities are left out:
/// they are not open weaknesses, so an open one that becomes suppressed
/// closes. Several findings with one identity (the same vulnerability in
/// two copies of a Go module) are one item: the worst rating and the
/// earliest KEV date.
pub(crate) fn observations(report: &Report, repository: &str) -> Vec<Observation> {
    let mut by_id: BTreeMap<String, Observation> = BTreeMap::new();
    let mut add = |o: Observation| match by_id.get_mut(&o.id) {
        Some(seen) => {
            seen.severity = seen.severity.max(o.severity);
            seen.cvss_v3_score = match (seen.cvss_v3_score, o.cvss_v3_score) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            seen.kev_due = match (seen.kev_due.take(), o.kev_due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            for alias in o.aliases {
                if !seen.aliases.contains(&alias) {
                    seen.aliases.push(alias);
                }
            }
        }
        None => {
            by_id.insert(o.id.clone(), o);
        }
    };
    for f in report.vulnerabilities.iter().filter(|f| !f.suppressed) {
        let subject_key = drydock_core::tracking::identity::vulnerability_key(f);
        add(Observation {
            id: finding_id(FindingKind::Vulnerability, repository, &f.id, &subject_key),
            kind: FindingKind::Vulnerability,
            rule: f.id.clone(),
            aliases: f.aliases.clone(),
            subject_key,
            subject: f.package.name.clone(),
            title: f.title.clone().unwrap_or_else(|| format!("{} in {} {}", f.id, f.package.name, f.package.version)),
            severity: original_risk(f),
            cvss_v3_score: f.cvss_v3_score,
            kev_due: f.kev.as_ref().map(|k| k.due_date.clone()),
        });
    }
    for c in &report.hardening {
        // The FIPS checks (`FIPS001`…) report through the hardening list;
        // their own kind lets a POA&M put them with SC-13 items.
        let kind = drydock_core::tracking::identity::check_kind(c);
        let subject = drydock_core::tracking::identity::check_subject(c);
        add(Observation {
            id: finding_id(kind, repository, &c.rule_id, ""),
            kind,
            rule: c.rule_id.clone(),
            aliases: Vec::new(),
            subject_key: String::new(),
            subject,
            title: c.title.clone(),
            severity: c.severity,
            cvss_v3_score: None,
            kev_due: None,
        });
    }
    for s in &report.secrets {
        let subject_key = drydock_core::tracking::identity::secret_key(s);
        add(Observation {
            id: finding_id(FindingKind::Secret, repository, &s.rule_id, &subject_key),
            kind: FindingKind::Secret,
            rule: s.rule_id.clone(),
            aliases: Vec::new(),
            subject_key,
            subject: s.path.clone(),
            title: s.title.clone(),
            severity: s.severity,
            cvss_v3_score: None,
            kev_due: None,
        });
    }
    by_id.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_strips_tag_and_digest() {
        for (reference, repository) in [
            ("alpine", "alpine"),
            ("alpine:3.20", "alpine"),
            ("registry.invalid/team/app:1.0", "registry.invalid/team/app"),
            ("registry.invalid/team/app@sha256:abcdef0123", "registry.invalid/team/app"),
            ("registry.invalid/team/app:1.0@sha256:abcdef0123", "registry.invalid/team/app"),
            ("host:5000/app", "host:5000/app"),
            ("host:5000/app:2", "host:5000/app"),
            ("host:5000/app:2@sha256:abcdef0123", "host:5000/app"),
            ("examples/hello-oci:latest", "examples/hello-oci"),
            ("./out/layout", "./out/layout"),
            ("/srv/rootfs/", "/srv/rootfs"),
            ("oci:examples/hello-oci:latest", "examples/hello-oci"),
            ("oci:5000/app:1", "oci:5000/app"),
            ("docker-archive:app.tar:app:1.0", "app.tar:app"),
            ("registry:registry.invalid/app:1@sha256:00ff", "registry.invalid/app"),
            ("dir:/srv/rootfs", "/srv/rootfs"),
            // Not a digest: kept (a path may contain `@`).
            ("/builds/a@b/layout", "/builds/a@b/layout"),
            ("  app:1  ", "app"),
        ] {
            assert_eq!(repository_of(reference), repository, "{reference}");
        }
    }

    #[test]
    fn finding_id_is_stable_and_separates_fields() {
        let a = finding_id(FindingKind::Vulnerability, "app", "CVE-2026-1", "deb/openssl");
        assert_eq!(a, finding_id(FindingKind::Vulnerability, "app", "CVE-2026-1", "deb/openssl"));
        assert_eq!(a.len(), 15);
        assert!(a.starts_with("DD-"));
        assert_ne!(a, finding_id(FindingKind::Vulnerability, "app", "CVE-2026-1d", "eb/openssl"));
        assert_ne!(a, finding_id(FindingKind::Vulnerability, "app2", "CVE-2026-1", "deb/openssl"));
        assert_ne!(a, finding_id(FindingKind::Secret, "app", "CVE-2026-1", "deb/openssl"));
    }
}
