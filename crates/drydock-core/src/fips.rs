//! The FIPS 140 posture of an image, judged from its files and config alone.
//!
//! An image can show which cryptographic modules it carries and how they are
//! configured; it cannot show what only the host or a running container can
//! (the kernel's FIPS flag, self-tests passing), and a version string is
//! never a CMVP validation. The posture keeps those apart: a verdict, the
//! modules it rests on, every piece of evidence, and what is left to check.

use serde::{Deserialize, Serialize};

use crate::Digest;

/// What the image alone says about FIPS mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FipsVerdict {
    /// No cryptographic module was found: nothing to judge.
    #[default]
    Unknown,
    /// Cryptography is present, and none of it can run in FIPS mode.
    NotFips,
    /// A FIPS module is present, but the image does not force its use (the
    /// host's FIPS mode or the application has to).
    FipsCapable,
    /// A FIPS module is present and the image's own configuration or
    /// environment makes it the one used.
    FipsEnforced,
}

impl FipsVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            FipsVerdict::Unknown => "unknown",
            FipsVerdict::NotFips => "not-fips",
            FipsVerdict::FipsCapable => "fips-capable",
            FipsVerdict::FipsEnforced => "fips-enforced",
        }
    }
}

impl std::fmt::Display for FipsVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a piece of evidence points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// Makes a FIPS module the one in use.
    Enforces,
    /// Makes FIPS mode possible (a module, a FIPS build, a FIPS policy).
    Enables,
    /// Says the image means to be FIPS, without making it so by itself.
    Claim,
    /// Counts against FIPS mode.
    Against,
    /// Context (which configuration file is read, and so on).
    Info,
}

/// One observation behind the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FipsEvidence {
    /// `openssl-library`, `openssl-provider`, `openssl-config`, `environment`,
    /// `marker`, `crypto-policy`, `package`, `go-binary`, `library`.
    pub kind: String,
    pub stance: Stance,
    /// A path in the image, `env:NAME`, or `package:NAME`.
    pub location: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// A cryptographic module in the image and its own posture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CryptoModule {
    /// `OpenSSL`, `Go crypto`, `libgcrypt`, `GnuTLS`, `NSS`, `BoringCrypto`…
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where it is (a path, or `package:NAME`).
    pub location: String,
    /// `fips-enforced`, `fips-capable` or `not-fips` for this module.
    pub posture: FipsVerdict,
    /// Why, in one sentence.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<Digest>,
}

/// The verdict with every piece of evidence behind it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FipsPosture {
    pub verdict: FipsVerdict,
    /// One or two sentences a person reads first.
    pub summary: String,
    /// Every cryptographic module found, strongest posture first.
    pub modules: Vec<CryptoModule>,
    pub evidence: Vec<FipsEvidence>,
    /// Modules that are not FIPS while the image claims or enables FIPS:
    /// the application may be using these instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_fips_beside_claim: Vec<CryptoModule>,
    /// What only the host or a running container can show.
    pub host_only: Vec<String>,
    /// Caveats (a version string is not a CMVP validation, and so on).
    pub notes: Vec<String>,
}
