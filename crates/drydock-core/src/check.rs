//! Hardening findings: what the image checks (`IMG…`) report.

use serde::{Deserialize, Serialize};

use crate::vulnerability::Severity;

/// One hardening problem found in an image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckFinding {
    /// `IMG001`.
    pub rule_id: String,
    /// `runs-as-root`.
    pub name: String,
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: String,
    /// Where it was seen: config fields, history lines, paths in layers.
    pub evidence: Vec<Evidence>,
    /// How to fix it.
    pub remediation: String,
    /// NIST SP 800-53 control ids (`AC-6`, `CM-7`).
    pub controls: Vec<String>,
    /// Benchmark items and seed references (`CIS 4.1`, `hardening guide 2.8`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A piece of evidence: a place in the image and what is there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `config.User`, `config.Healthcheck`, `history[3]`, or an image path.
    pub location: String,
    /// What was found there (values that may be secret are redacted).
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<crate::Digest>,
    /// The build step that made the layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// How minimal the final image is, from the tools it contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Minimality {
    /// No OS files at all: just the application.
    Scratch,
    /// OS files but no shell and no package manager.
    Distroless,
    /// A shell or package manager, but no compilers or download tools.
    Slim,
    /// Shell, package manager and download tools or compilers.
    Full,
}

/// A secret found in a file of some layer. The value is never kept: only
/// its redacted form and a fingerprint (sha256 of the raw value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretFinding {
    /// `SEC001`.
    pub rule_id: String,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    /// Absolute path in the image.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub redacted: String,
    pub fingerprint: String,
    pub layer_index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<crate::Digest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// A later layer deleted or replaced the file: invisible in a running
    /// container, still readable by anyone who pulls the image.
    pub removed: bool,
    /// What to do about it.
    #[serde(default)]
    pub remediation: String,
    /// NIST 800-53 controls (`IA-5(7)`: no static authenticators embedded in storage).
    #[serde(default)]
    pub controls: Vec<String>,
}
