//! IMG002 `no-healthcheck`: the image defines no HEALTHCHECK.
//!
//! ## What it checks
//! The config has no `Healthcheck`, or `Healthcheck.Test` is `["NONE"]`.
//! ## Why it matters
//! Without a health check the runtime cannot tell a hung service from a
//! working one. CIS Docker Benchmark 4.6; NIST 800-53 SI-4, CP-10.
//! ## Fix
//! `HEALTHCHECK CMD ["/app", "healthcheck"]`: a probe built into the app
//! (not curl or wget; see IMG003), or probe from the orchestrator.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG002",
    name: "no-healthcheck",
    severity: Severity::Low,
    title: "The image has no HEALTHCHECK",
    remediation: "Add `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` (a localhost-only probe built into the app), or rely on orchestrator probes and say so.",
    controls: &["SI-4", "CP-10"],
    references: &["CIS Docker 4.6"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let hc = cx.report.image.config.healthcheck.as_ref();
    let none = hc.is_none_or(|h| h.test.is_empty() || h.test.first().is_some_and(|t| t.eq_ignore_ascii_case("NONE")));
    if !none {
        return Vec::new();
    }
    let detail = if hc.is_some() { "Healthcheck is disabled (NONE)" } else { "no Healthcheck in the image config" };
    vec![META.finding(vec![Evidence { location: "config.Healthcheck".into(), detail: detail.into(), ..Evidence::default() }])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{healthcheck, now, report};

    fn with(test: Option<Vec<&str>>) -> Vec<CheckFinding> {
        let r = report(healthcheck(test.as_deref()), &[], None);
        check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() })
    }

    #[test]
    fn fires_without_one_or_with_none() {
        assert_eq!(with(None).len(), 1);
        assert_eq!(with(Some(vec!["NONE"])).len(), 1);
    }

    #[test]
    fn silent_with_a_probe() {
        assert!(with(Some(vec!["CMD", "/app", "healthcheck"])).is_empty());
    }
}
