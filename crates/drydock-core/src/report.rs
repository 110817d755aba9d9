//! The report model: what `drydock scan --format json` prints.
//!
//! Versioned by [`SCHEMA_VERSION`]; later issues add sections (packages,
//! findings) without renaming existing fields. Writers take a [`Report`] and
//! nothing else. Every collection is sorted once when the report is built, so
//! output is deterministic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Digest;

/// Bump on any incompatible change to the JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub schema_version: u32,
    pub scanner: Scanner,
    /// When the scan ran (RFC 3339, UTC).
    pub scanned_at: String,
    pub image: ImageInfo,
    pub layers: Vec<LayerInfo>,
    /// The full build history, including steps that made no layer.
    pub history: Vec<HistoryInfo>,
    pub filesystem: FilesystemSummary,
    /// Operating system identification from `/etc/os-release`, if found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<OsInfo>,
    /// Every package in the final filesystem, sorted by ecosystem, name,
    /// version and location.
    #[serde(default)]
    pub packages: Vec<crate::package::Package>,
    /// The advisory database the packages were matched against; absent
    /// when no database was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_db: Option<crate::vulnerability::AdvisoryDbInfo>,
    /// Vulnerability findings, most severe first (suppressed ones included,
    /// marked `suppressed`).
    #[serde(default)]
    pub vulnerabilities: Vec<crate::vulnerability::Finding>,
    /// Hardening findings (`IMG…` checks), most severe first.
    #[serde(default)]
    pub hardening: Vec<crate::check::CheckFinding>,
    /// Secrets in layer files, including files later layers deleted.
    #[serde(default)]
    pub secrets: Vec<crate::check::SecretFinding>,
    /// How much an intruder would find to work with (set by the hardening checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimality: Option<crate::check::Minimality>,
    /// The FIPS 140 posture judged from the image alone (set by the FIPS scanner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fips: Option<crate::fips::FipsPosture>,
    /// Each finding's tracked identity, first-seen date and remediation
    /// deadline, from the scan history (set when history is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<crate::tracking::Tracking>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Scanner {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ImageInfo {
    /// What was scanned, as resolved (path and tag, or registry reference).
    pub reference: String,
    /// `oci-layout`, `docker-archive`, `oci-archive`, `rootfs` or `registry`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The config's `created` time (RFC 3339), as the image states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// How many bottom layers came from the base image; absent when the
    /// build history doesn't tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_image_layers: Option<usize>,
    pub config: ConfigInfo,
}

/// The runtime configuration baked into the image.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ConfigInfo {
    /// `User` as written; `None` when unset (the container runs as root).
    pub user: Option<String>,
    pub env: Vec<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthcheckInfo>,
    pub labels: BTreeMap<String, String>,
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub on_build: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct HealthcheckInfo {
    /// `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`.
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<i64>,
}

/// Where a fact came from: which layer, and the build step that made it.
/// Lets a finding say "fix it in the base image" or "in your own layer".
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LayerOrigin {
    pub layer_index: usize,
    /// The layer came from the base image (judged from the build history):
    /// fix it by updating the base image, not in your own Dockerfile steps.
    #[serde(default)]
    pub base_image: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LayerInfo {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<Digest>,
    pub media_type: String,
    /// `none`, `gzip` or `zstd`, as sniffed from the content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// Stored (compressed) size in bytes, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Bytes of the uncompressed tar stream.
    pub uncompressed_size: u64,
    /// Tar entries in the layer (files, dirs, links, whiteouts).
    pub entries: u64,
    /// Whiteouts and opaque-directory markers in the layer.
    pub whiteouts: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The layer came from the base image (judged from the build history).
    pub base_image: bool,
    /// Why the layer was not read (foreign / non-distributable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HistoryInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub empty_layer: bool,
    /// The layer this step made, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<usize>,
}

/// Counts over the final (merged) filesystem.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FilesystemSummary {
    pub files: u64,
    pub directories: u64,
    pub symlinks: u64,
    pub hardlinks: u64,
    /// Devices, FIFOs and other special files.
    pub other: u64,
    /// Bytes in regular files of the final view.
    pub total_file_bytes: u64,
    /// Paths present in some layer but deleted or hidden by a later one.
    /// Their bytes are still in the image for anyone who pulls it.
    pub removed_by_later_layers: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct OsInfo {
    /// `ID` (e.g. `debian`, `alpine`).
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    /// End of free security support (`YYYY-MM-DD`), where drydock knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<String>,
    /// The file it was read from and the layer that put it there.
    pub evidence: String,
    pub origin: LayerOrigin,
}
