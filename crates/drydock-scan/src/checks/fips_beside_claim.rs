//! FIPS003 `non-fips-crypto-beside-claim`: the image claims or enables FIPS
//! mode, and also carries cryptography that is not FIPS.
//!
//! ## What it checks
//! Modules listed as `non_fips_beside_claim` in the FIPS posture: a Go
//! binary with Go's own crypto, a private OpenSSL linked into Node.js or a
//! Python wheel, a non-FIPS libgcrypt, Bouncy Castle's general provider,
//! next to a FIPS OpenSSL or a FIPS environment.
//! ## Why it matters
//! The FIPS module only protects what goes through it. An application that
//! brings its own crypto is not covered by the image's FIPS claim (SC-13),
//! and an assessor will ask which one the service uses.
//! ## Fix
//! Rebuild the component against the FIPS module (Go: `GOFIPS140=v1.0.0`;
//! Python: link `cryptography` against the system OpenSSL), or remove it.

use drydock_core::check::CheckFinding;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "FIPS003",
    name: "non-fips-crypto-beside-claim",
    severity: Severity::Medium,
    title: "Non-FIPS cryptography beside the image's FIPS claim",
    remediation: "Rebuild these components against the FIPS module (Go: GOFIPS140=v1.0.0; Python cryptography: build against the system OpenSSL) or remove them.",
    controls: &["SC-13"],
    references: &["seed 000 FIPS base image", "FedRAMP SC-13"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(fips) = &cx.report.fips else { return Vec::new() };
    // With a not-fips verdict FIPS001 already lists every module.
    if fips.non_fips_beside_claim.is_empty() || fips.verdict < drydock_core::fips::FipsVerdict::FipsCapable {
        return Vec::new();
    }
    vec![META.finding(fips.non_fips_beside_claim.iter().map(super::fips_module_evidence).collect())]
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fips, module, now};
    use super::*;
    use drydock_core::fips::FipsVerdict;

    #[test]
    fn fires_when_non_fips_modules_sit_beside_a_claim() {
        let mut r = fips(FipsVerdict::FipsEnforced, vec![module("OpenSSL", FipsVerdict::FipsEnforced)]);
        assert!(check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() }).is_empty());
        r.fips.as_mut().unwrap().non_fips_beside_claim = vec![module("Go crypto", FipsVerdict::NotFips)];
        let f = check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() });
        assert_eq!(f[0].evidence[0].detail, "Go crypto: not-fips (why)");
    }
}
