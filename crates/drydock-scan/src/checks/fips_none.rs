//! FIPS001 `no-fips-crypto`: the image carries cryptography and none of it
//! can run in FIPS mode.
//!
//! ## What it checks
//! The FIPS verdict is `not-fips`: every cryptographic module found (OpenSSL,
//! Go crypto, libgcrypt, GnuTLS, NSS, Java providers, bundled copies) lacks a
//! FIPS module. Claims the image makes anyway (`OPENSSL_FIPS=1` with OpenSSL
//! 3, `dracut-fips` in a container) are listed as evidence.
//! ## Why it matters
//! FedRAMP requires FIPS-validated cryptography to protect federal data
//! (SC-13, SC-28; seed 002), and seed 000 builds its base image around it.
//! CMMC / 800-171 3.13.11 asks the same for CUI.
//! ## Fix
//! Build on a FIPS base image (a distribution's FIPS OpenSSL provider, or an
//! OpenSSL 3 FIPS provider installed with `openssl fipsinstall`), and build
//! Go with `GOFIPS140=v1.0.0`.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::fips::FipsVerdict;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "FIPS001",
    name: "no-fips-crypto",
    severity: Severity::High,
    title: "No cryptographic module in the image can run in FIPS mode",
    remediation: "Use a FIPS base image (a FIPS OpenSSL provider activated in openssl.cnf with default_properties = fips=yes) and build Go with GOFIPS140=v1.0.0.",
    controls: &["SC-13", "SC-28", "SC-8"],
    references: &["seed 000 FIPS base image", "FedRAMP SC-13", "NIST SP 800-171 3.13.11"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(fips) = &cx.report.fips else { return Vec::new() };
    if fips.verdict != FipsVerdict::NotFips {
        return Vec::new();
    }
    let mut evidence: Vec<Evidence> = fips.modules.iter().map(super::fips_module_evidence).collect();
    evidence.extend(
        fips.evidence
            .iter()
            .filter(|e| matches!(e.stance, drydock_core::fips::Stance::Claim | drydock_core::fips::Stance::Against))
            .map(super::fips_evidence),
    );
    vec![META.finding(evidence)]
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fips, module};
    use super::*;

    #[test]
    fn fires_on_not_fips_only() {
        let r = fips(FipsVerdict::NotFips, vec![module("OpenSSL", FipsVerdict::NotFips)]);
        let cx = CheckContext { report: &r, tree: None, accounts: vec![], now: super::super::testing::now() };
        let f = check(&cx);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[0].location, "/usr/lib/libcrypto.so.3");
        for verdict in [FipsVerdict::Unknown, FipsVerdict::FipsCapable, FipsVerdict::FipsEnforced] {
            let r = fips(verdict, vec![]);
            assert!(check(&CheckContext { report: &r, tree: None, accounts: vec![], now: super::super::testing::now() }).is_empty());
        }
    }
}
