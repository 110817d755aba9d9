//! The normalized advisory record every source is read into.
//!
//! It follows the OSV schema (<https://ossf.github.io/osv-schema/>) because
//! OSV is the richest of the formats drydock reads; Alpine secdb, KEV and
//! EPSS are mapped onto it or kept beside it. Text that matching never needs
//! (`details`, credits) is dropped so the database stays small.

use serde::{Deserialize, Serialize};

/// One advisory (an OSV record, or a CVE from a distro feed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The record's own id (`DLA-3623-1`, `GHSA-…`, `RUSTSEC-…`, `CVE-…`).
    pub id: String,
    /// Ids of the same vulnerability in other databases (OSV `aliases`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Ids of closely related vulnerabilities (OSV `related`): a distro
    /// errata lists the CVEs it fixes here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Record-level severity (OSV `severity[]`, plus the database's own
    /// label from `database_specific.severity` as [`ScoreKind::Label`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Score>,
    pub affected: Vec<Affected>,
    /// Reference URLs, advisory pages first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A severity statement: a CVSS vector, or a vendor's label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub kind: ScoreKind,
    /// The CVSS vector string, or the label as written (`HIGH`, `moderate`,
    /// `Important`, Debian urgency `low**`).
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKind {
    CvssV2,
    CvssV3,
    CvssV4,
    /// Ubuntu priority (`negligible` … `critical`).
    Ubuntu,
    /// A vendor or database label (GHSA `MODERATE`, Red Hat `Important`,
    /// Debian urgency, Alpine/SUSE ratings).
    Label,
}

/// One package an advisory affects, with the versions it affects.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The OSV ecosystem string as written (`Debian:12`, `Alpine:v3.18`,
    /// `PyPI`, `Red Hat:enterprise_linux:9::appstream`).
    pub ecosystem: String,
    /// The package name as the feed writes it (source package for Debian,
    /// Ubuntu and Alpine; binary package for the RPM distros).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicitly enumerated affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Per-package severity (OSV `affected[].severity`, or
    /// `ecosystem_specific`/`database_specific` severity/urgency labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Score>,
}

/// An OSV range: events in version order, evaluated by the OSV algorithm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeKind {
    /// Versions ordered by the ecosystem's own scheme.
    Ecosystem,
    /// SemVer 2.0 ordering, whatever the ecosystem.
    Semver,
    /// Commit hashes: cannot be evaluated against an installed version;
    /// kept so the record round-trips, ignored by the matcher.
    Git,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

/// A CISA Known Exploited Vulnerabilities catalog entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve: String,
    /// `YYYY-MM-DD`
    pub date_added: String,
    /// `YYYY-MM-DD`: the remediation deadline for federal agencies.
    pub due_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `knownRansomwareCampaignUse == "Known"`.
    #[serde(default)]
    pub ransomware: bool,
}

/// An EPSS score row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpssEntry {
    pub cve: String,
    /// Probability of exploitation activity in the next 30 days (0..1).
    pub score: f64,
    pub percentile: f64,
}

/// A CVSS score published by a scoring authority for a CVE (NVD API 2.0
/// `metrics`): NVD's own ("Primary", `nvd@nist.gov`) v3 base score is the
/// FedRAMP "original risk rating".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CveScore {
    pub cve: String,
    /// `nvd@nist.gov`, or the CNA's address.
    pub source: String,
    /// `Primary` or `Secondary`.
    pub role: String,
    /// `2.0`, `3.0`, `3.1`, `4.0`.
    pub version: String,
    pub vector: String,
    pub base_score: f64,
}

/// Everything one input file yields. Parsers return this; the importer
/// stores it.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub advisories: Vec<Advisory>,
    pub kev: Vec<KevEntry>,
    pub epss: Vec<EpssEntry>,
    pub cve_scores: Vec<CveScore>,
    /// Records skipped on purpose (withdrawn, not a security advisory),
    /// with the reason.
    pub dropped: Vec<(String, String)>,
    /// Records that could not be read: (record id or position, what is wrong).
    pub malformed: Vec<(String, String)>,
    /// When the publisher produced the feed, if it says (KEV
    /// `dateReleased`, EPSS `score_date`).
    pub feed_date: Option<String>,
}
