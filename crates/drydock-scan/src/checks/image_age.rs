//! IMG011 `stale-image`: the image was built more than 30 days ago.
//!
//! ## What it checks
//! The config `created` time against the scan time.
//! ## Why it matters
//! Continuous patching (seed 004; FedRAMP continuous monitoring) means
//! rebuilding at least every 30 days so base-image fixes reach production.
//! NIST 800-53 SI-2 (flaw remediation), CM-3.
//! ## Fix
//! Rebuild from a current base image on a schedule (at least monthly) and
//! redeploy.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

/// Rebuild at least this often.
pub(crate) const MAX_AGE_DAYS: i64 = 30;

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG011",
    name: "stale-image",
    severity: Severity::Medium,
    title: "The image was built more than 30 days ago",
    remediation: "Rebuild from a current base image at least every 30 days and redeploy.",
    controls: &["SI-2", "CM-3"],
    references: &["registry design (seed 004): continuous patching"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(created) = cx.report.image.created.as_deref() else { return Vec::new() };
    let Ok(at) = created.parse::<jiff::Timestamp>() else { return Vec::new() };
    let days = (cx.now.as_second() - at.as_second()) / 86_400;
    if days <= MAX_AGE_DAYS {
        return Vec::new();
    }
    vec![META.finding(vec![Evidence {
        location: "config.created".into(),
        detail: format!("built {created}, {days} days before the scan"),
        ..Evidence::default()
    }])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{now, report};
    use drydock_core::report::ConfigInfo;

    fn at(created: Option<&str>) -> Vec<CheckFinding> {
        let r = report(ConfigInfo::default(), &[], created);
        check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() })
    }

    #[test]
    fn fires_past_thirty_days() {
        let f = at(Some("2026-09-01T12:00:00Z"));
        assert_eq!(f.len(), 1);
        assert!(f[0].evidence[0].detail.contains("82 days"), "{:?}", f[0].evidence);
    }

    #[test]
    fn silent_when_fresh_or_unknown() {
        assert!(at(Some("2026-11-01T00:00:00Z")).is_empty());
        assert!(at(None).is_empty());
        assert!(at(Some("yesterday")).is_empty());
        // Reproducible builds stamp the epoch: very old, and reported.
        assert_eq!(at(Some("1970-01-01T00:00:00Z")).len(), 1);
    }
}
