//! FIPS002 `fips-not-enforced`: a FIPS module is present, but the image
//! does not make it the one used.
//!
//! ## What it checks
//! The FIPS verdict is `fips-capable`: for example an OpenSSL 3 FIPS provider
//! that `openssl.cnf` doesn't activate, or activates beside the default
//! provider without `default_properties = fips=yes`; a FIPS-capable OpenSSL
//! 1.x without `OPENSSL_FORCE_FIPS_MODE`; a Go binary built with
//! `GOFIPS140` whose `fips140` mode is off.
//! ## Why it matters
//! Capable is not in use. On a host without kernel FIPS mode, or with an
//! application that doesn't ask, non-FIPS algorithms are served (SC-13;
//! CM-6 wants the secure configuration set, not available).
//! ## Fix
//! Activate the FIPS provider and set `default_properties = fips=yes`, set
//! `GODEBUG=fips140=on`, or document that the host runs in FIPS mode.

use drydock_core::check::CheckFinding;
use drydock_core::fips::{FipsVerdict, Stance};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "FIPS002",
    name: "fips-not-enforced",
    severity: Severity::Medium,
    title: "A FIPS module is present but the image does not enforce FIPS mode",
    remediation: "Activate the FIPS provider with default_properties = fips=yes (OpenSSL 3), set OPENSSL_FORCE_FIPS_MODE=1 (RHEL/SUSE OpenSSL 1.x) or GODEBUG=fips140=on, or run only on FIPS-mode hosts and record that as the control.",
    controls: &["SC-13", "CM-6"],
    references: &["seed 000 FIPS base image", "FedRAMP SC-13"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(fips) = &cx.report.fips else { return Vec::new() };
    if fips.verdict != FipsVerdict::FipsCapable {
        return Vec::new();
    }
    let mut evidence: Vec<_> =
        fips.modules.iter().filter(|m| m.posture == FipsVerdict::FipsCapable).map(super::fips_module_evidence).collect();
    evidence.extend(fips.evidence.iter().filter(|e| matches!(e.stance, Stance::Claim | Stance::Against)).map(super::fips_evidence));
    vec![META.finding(evidence)]
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fips, module, now};
    use super::*;

    #[test]
    fn fires_on_capable_only() {
        let r =
            fips(FipsVerdict::FipsCapable, vec![module("OpenSSL", FipsVerdict::FipsCapable), module("Go crypto", FipsVerdict::NotFips)]);
        let f = check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() });
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence.len(), 1, "only the capable module is evidence");
        let r = fips(FipsVerdict::FipsEnforced, vec![module("OpenSSL", FipsVerdict::FipsEnforced)]);
        assert!(check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() }).is_empty());
    }
}
