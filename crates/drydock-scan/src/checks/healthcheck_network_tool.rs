//! IMG003 `healthcheck-network-tool`: the HEALTHCHECK calls curl or wget.
//!
//! ## What it checks
//! `Healthcheck.Test` whose command (exec form, or the `CMD-SHELL` script)
//! runs `curl` or `wget`.
//! ## Why it matters
//! A health check that needs curl or wget keeps a download tool in the
//! image, which lets an intruder fetch more tools (hardening guide stage
//! 2.7: use a localhost-only probe). NIST 800-53 CM-7 (least functionality).
//! ## Fix
//! Build the probe into the application (`/app healthcheck`) or ship a tiny
//! static probe binary, and remove curl and wget from the final image.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG003",
    name: "healthcheck-network-tool",
    severity: Severity::Medium,
    title: "The HEALTHCHECK uses curl or wget",
    remediation: "Probe with the application itself or a small static probe binary, and drop curl/wget from the final image.",
    controls: &["CM-7"],
    references: &["hardening guide stage 2.7"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(hc) = &cx.report.image.config.healthcheck else { return Vec::new() };
    let words: Vec<&str> = match hc.test.first().map(String::as_str) {
        Some("CMD") => hc.test[1..].iter().map(String::as_str).collect(),
        Some("CMD-SHELL") => hc.test[1..].iter().flat_map(|s| s.split(|c: char| c.is_whitespace() || ";&|()".contains(c))).collect(),
        _ => return Vec::new(),
    };
    let tool = words.iter().map(|w| w.rsplit('/').next().unwrap_or(w)).find(|w| *w == "curl" || *w == "wget");
    match tool {
        Some(tool) => vec![META.finding(vec![Evidence {
            location: "config.Healthcheck.Test".into(),
            detail: format!("`{}` runs {tool}", hc.test.join(" ")),
            ..Evidence::default()
        }])],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{healthcheck, now, report};

    fn with(test: &[&str]) -> Vec<CheckFinding> {
        let r = report(healthcheck(Some(test)), &[], None);
        check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() })
    }

    #[test]
    fn fires_on_curl_and_wget() {
        assert_eq!(with(&["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"]).len(), 1);
        assert_eq!(with(&["CMD", "/usr/bin/wget", "-qO-", "http://127.0.0.1/"]).len(), 1);
    }

    #[test]
    fn silent_on_other_probes() {
        assert!(with(&["CMD", "/app", "healthcheck"]).is_empty());
        assert!(with(&["CMD-SHELL", "pg_isready -U postgres"]).is_empty());
        assert!(with(&["NONE"]).is_empty());
    }
}
