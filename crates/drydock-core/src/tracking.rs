//! Findings tracked across scans: stable identity, first-seen dates and
//! remediation deadlines (filled in from the scan history).
//!
//! Pure data and pure rules; the history file itself lives in
//! `drydock-history`. The rules are FedRAMP Rev5's (POA&M guide,
//! Continuous Monitoring Playbook):
//!
//! * the clock starts when a weakness is first detected (POA&M column
//!   "Original Detection Date") and runs 30 days for Critical and High,
//!   90 for Moderate, 180 for Low ([`Profile::fedramp_rev5`]);
//! * the original risk rating is the NVD CVSS v3 base score, else CVSS v2,
//!   else the scanner's own rating ([`original_risk`]);
//! * a CISA KEV `dueDate` earlier than that deadline takes precedence
//!   (BOD 22-01; the POA&M carries it in its own column), see [`deadline`];
//! * deviations ([`DeviationKind`]) change the clock: a false positive
//!   stops it, a risk adjustment moves the item to a lower class, an
//!   operational requirement or a vendor dependency keeps it running.
//!
//! ```
//! use drydock_core::tracking::{Profile, deadline};
//! use drydock_core::vulnerability::Severity;
//! let first_seen: jiff::civil::Date = "2026-11-01".parse().unwrap();
//! let (due, why) = deadline(&Profile::fedramp_rev5(), first_seen, Severity::High, None).unwrap();
//! assert_eq!(due.to_string(), "2026-12-01");
//! assert_eq!(why, "fedramp-rev5: High, 30 days from first seen");
//! ```

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::vulnerability::{Finding, Severity};

/// What the scan history says about this report's findings.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Tracking {
    /// The history file the data came from.
    pub history: String,
    /// The scan's number in that file.
    pub scan_id: i64,
    /// The image repository findings are tracked under (the reference
    /// without tag or digest): a rebuilt image keeps its findings' ids.
    pub repository: String,
    /// The deadline profile in force (`fedramp-rev5`).
    pub profile: String,
    /// Checksum of the scanner settings used, recorded with every scan:
    /// FedRAMP asks for monthly evidence that they were not altered.
    pub config_checksum: String,
    /// The day `days_left`, `overdue` and deviation expiry were judged on
    /// (`YYYY-MM-DD`, UTC).
    pub as_of: String,
    /// Every finding this scan saw, overdue first, then by due date.
    pub findings: Vec<TrackedFinding>,
    /// Findings that were open before this scan and are gone from it:
    /// closed by this scan.
    #[serde(default)]
    pub closed: Vec<TrackedFinding>,
}

/// Which scanner a tracked finding came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    Vulnerability,
    Hardening,
    Secret,
    Fips,
}

impl FindingKind {
    /// Every kind: a scan that ran every scanner covers these.
    pub const ALL: &'static [FindingKind] = &[FindingKind::Vulnerability, FindingKind::Hardening, FindingKind::Secret, FindingKind::Fips];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Hardening => "hardening",
            FindingKind::Secret => "secret",
            FindingKind::Fips => "fips",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FindingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "vulnerability" => FindingKind::Vulnerability,
            "hardening" => FindingKind::Hardening,
            "secret" => FindingKind::Secret,
            "fips" => FindingKind::Fips,
            _ => return Err(format!("unknown finding kind `{s}` (vulnerability, hardening, secret or fips)")),
        })
    }
}

/// One weakness followed across scans: a POA&M item.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TrackedFinding {
    /// Stable id: `DD-` and 12 hex digits of the sha256 of its identity
    /// (kind, repository, rule, subject). The same weakness in a rebuilt
    /// image (new tag, new digest) keeps it.
    pub id: String,
    pub repository: String,
    pub kind: FindingKind,
    /// `CVE-…` (the scanner's vulnerability id), or the check id
    /// (`IMG001`, `SEC003`).
    pub rule: String,
    /// The package name, or the path / config location.
    pub subject: String,
    pub title: String,
    /// The original risk rating (see [`original_risk`]).
    pub severity: Severity,
    /// The NVD (else advisory) CVSS v3 base score behind `severity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3_score: Option<f64>,
    /// The rating after an active risk adjustment; the clock uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted_severity: Option<Severity>,
    /// First detection (RFC 3339, UTC): the clock starts here.
    pub first_seen: String,
    /// The last scan that saw it (RFC 3339, UTC).
    pub last_seen: String,
    /// When a scan no longer saw it (RFC 3339, UTC); `None` while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    /// How often it came back after being closed. The clock does not
    /// restart: `first_seen` stays the original detection.
    #[serde(default)]
    pub reopened: u32,
    /// Remediation due date (`YYYY-MM-DD`); `None` while an active false
    /// positive stops the clock, or when the profile sets no deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Why `due` is what it is (`fedramp-rev5: High, 30 days from first
    /// seen`, `CISA KEV due date`, a deviation).
    pub due_reason: String,
    /// Days from `as_of` to `due`; negative when overdue. `None` for
    /// closed findings and findings off the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// The CISA KEV remediation due date, when the vulnerability is in KEV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_due: Option<String>,
    /// The newest active deviation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<Deviation>,
    /// Every deviation recorded for it, oldest first, expired ones
    /// included (marked inactive): the POA&M's record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deviations: Vec<Deviation>,
}

impl TrackedFinding {
    /// The rating the clock runs on: adjusted, else original.
    pub fn effective_severity(&self) -> Severity {
        self.adjusted_severity.unwrap_or(self.severity)
    }
}

/// The FedRAMP deviation types (DR form "Type of DR", plus vendor
/// dependency, which needs no approval).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationKind {
    /// The finding indicates a condition that does not exist. Stops the
    /// clock while active (validated false positives go to the POA&M's
    /// Closed tab).
    FalsePositive,
    /// Compensating controls lower the risk: the item moves to the
    /// adjusted severity's deadline class, from the original detection.
    RiskAdjustment,
    /// Cannot be remediated. Stays open, clock running. FedRAMP does not
    /// approve one for a High (or Critical): risk-adjust it down first.
    OperationalRequirement,
    /// No fix from the vendor yet. Not a deviation request; stays open,
    /// clock running, marked for monthly vendor check-ins.
    VendorDependency,
}

impl DeviationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviationKind::FalsePositive => "false-positive",
            DeviationKind::RiskAdjustment => "risk-adjustment",
            DeviationKind::OperationalRequirement => "operational-requirement",
            DeviationKind::VendorDependency => "vendor-dependency",
        }
    }

    /// The abbreviation FedRAMP's forms use (FP, RA, OR, VD).
    pub fn abbreviation(self) -> &'static str {
        match self {
            DeviationKind::FalsePositive => "FP",
            DeviationKind::RiskAdjustment => "RA",
            DeviationKind::OperationalRequirement => "OR",
            DeviationKind::VendorDependency => "VD",
        }
    }
}

impl std::fmt::Display for DeviationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DeviationKind {
    type Err = String;
    /// Reads the kebab-case name or the FedRAMP abbreviation (`fp`, `ra`,
    /// `or`, `vd`), in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "false-positive" | "fp" => DeviationKind::FalsePositive,
            "risk-adjustment" | "ra" => DeviationKind::RiskAdjustment,
            "operational-requirement" | "or" => DeviationKind::OperationalRequirement,
            "vendor-dependency" | "vd" => DeviationKind::VendorDependency,
            _ => {
                return Err(format!(
                    "unknown deviation type `{s}` (false-positive, risk-adjustment, operational-requirement or vendor-dependency)"
                ));
            }
        })
    }
}

/// A recorded deviation: who said what about a finding, and until when.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Deviation {
    /// `DEV-` and a number, unique in the history file.
    pub id: String,
    pub kind: DeviationKind,
    pub rationale: String,
    /// Risk adjustments (and an operational requirement recorded together
    /// with one, FedRAMP's "OR RA") carry the adjusted rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted_severity: Option<Severity>,
    /// Last day it applies (`YYYY-MM-DD`); after it, the finding is back
    /// on its original clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub recorded_by: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
    /// Not expired on the `as_of` day.
    pub active: bool,
}

/// The name of the built-in FedRAMP Rev5 profile.
pub const FEDRAMP_REV5: &str = "fedramp-rev5";

/// Remediation deadlines per severity class. `drydock.toml` can define
/// others as `[profiles.<name>]`; a class set to `0` days has no deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    /// Filled from the table name when read from a config file.
    #[serde(default)]
    pub name: String,
    pub critical_days: u32,
    pub high_days: u32,
    pub moderate_days: u32,
    pub low_days: u32,
    /// A CISA KEV due date earlier than the class deadline wins.
    #[serde(default = "yes")]
    pub kev_precedence: bool,
}

fn yes() -> bool {
    true
}

impl Default for Profile {
    fn default() -> Self {
        Profile::fedramp_rev5()
    }
}

impl Profile {
    /// FedRAMP Rev5 (POA&M guide): Critical and High 30 days from
    /// discovery, Moderate 90, Low 180; KEV due dates take precedence.
    pub fn fedramp_rev5() -> Profile {
        Profile { name: FEDRAMP_REV5.to_owned(), critical_days: 30, high_days: 30, moderate_days: 90, low_days: 180, kev_precedence: true }
    }

    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Option<Profile> {
        (name == FEDRAMP_REV5).then(Profile::fedramp_rev5)
    }

    /// Days allowed for a finding of this severity; `None` when the
    /// profile sets no deadline for its class. Unknown severity is clocked
    /// as Moderate (see [`risk_class`]).
    pub fn days_for(&self, severity: Severity) -> Option<u32> {
        let days = match risk_class(severity) {
            Severity::Critical => self.critical_days,
            Severity::High => self.high_days,
            Severity::Medium | Severity::Unknown => self.moderate_days,
            Severity::Low => self.low_days,
        };
        (days > 0).then_some(days)
    }
}

/// The deadline class a severity is clocked in. An unrated finding
/// (`Unknown`: no CVSS score and no vendor label) is clocked as Moderate:
/// FedRAMP has no unrated class and every scan-derived weakness needs a
/// deadline; Moderate is the middle one, and a later score moves the item
/// (the clock always counts from first detection, so nothing is lost).
pub fn risk_class(severity: Severity) -> Severity {
    match severity {
        Severity::Unknown => Severity::Medium,
        s => s,
    }
}

/// FedRAMP's word for a severity (it says Moderate for Medium).
pub fn fedramp_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Moderate",
        Severity::Low => "Low",
        Severity::Unknown => "Unknown",
    }
}

/// The FedRAMP original risk rating of a vulnerability finding: the CVSS
/// v3 base score (NVD's where the database has it), else a CVSS v2 base
/// score on the v2 scale (no Critical), else the scanner's rating. A vendor
/// label of Medium on a 9.8 is Critical here.
pub fn original_risk(finding: &Finding) -> Severity {
    if let Some(score) = finding.cvss_v3_score.filter(|s| *s > 0.0) {
        return Severity::from_score(score);
    }
    let v2 = finding.cvss.iter().filter(|c| c.version.starts_with('2') && c.base_score > 0.0).map(|c| c.base_score).reduce(f64::max);
    match v2 {
        // NVD's CVSS v2 qualitative scale.
        Some(s) if s >= 7.0 => Severity::High,
        Some(s) if s >= 4.0 => Severity::Medium,
        Some(_) => Severity::Low,
        None => finding.severity,
    }
}

/// The remediation due date of a finding first seen on `first_seen`, and
/// why: the profile's class deadline, or the CISA KEV due date when the
/// profile gives KEV precedence and it is earlier (a KEV date in the past
/// makes a newly found vulnerability overdue on discovery: the directive's
/// date stands). `None` when neither applies.
pub fn deadline(profile: &Profile, first_seen: Date, severity: Severity, kev_due: Option<Date>) -> Option<(Date, String)> {
    let class = profile.days_for(severity).map(|days| {
        let due = first_seen.checked_add(jiff::Span::new().days(i64::from(days))).unwrap_or(Date::MAX);
        let name = match severity {
            Severity::Unknown => "Unknown (clocked as Moderate)",
            s => fedramp_name(s),
        };
        (due, format!("{}: {name}, {days} days from first seen", profile.name))
    });
    let kev = kev_due.filter(|_| profile.kev_precedence).map(|d| (d, "CISA KEV due date".to_owned()));
    match (class, kev) {
        (Some(c), Some(k)) => Some(if k.0 < c.0 { k } else { c }),
        (c, k) => c.or(k),
    }
}

/// One recorded scan.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ScanRecord {
    pub id: i64,
    /// The reference as scanned.
    pub reference: String,
    pub repository: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_digest: Option<String>,
    /// When the scan ran, as the report says (RFC 3339).
    pub scanned_at: String,
    /// When it was recorded in the history: the history's clock (RFC 3339, UTC).
    pub recorded_at: String,
    pub scanner_version: String,
    /// The advisory database's build time and age at scan time (RA-5(2)
    /// evidence); absent when no database was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_db_built_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_db_age_hours: Option<f64>,
    #[serde(default)]
    pub advisory_db_stale: bool,
    pub config_checksum: String,
    pub profile: String,
    /// Findings the scan saw, found for the first time, came back, closed.
    pub seen: u64,
    pub opened: u64,
    pub reopened: u64,
    pub closed: u64,
}

/// One image repository's scans within a period.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ImageScans {
    pub repository: String,
    /// The most recent reference scanned.
    pub last_reference: String,
    /// Distinct manifest digests scanned (the IIW's per-image hashes).
    pub manifest_digests: Vec<String>,
    pub scans: u64,
    pub first_scanned_at: String,
    pub last_scanned_at: String,
}

/// What a continuous-monitoring month (or any period) looked like.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PeriodSummary {
    /// First and last day, inclusive (`YYYY-MM-DD`, UTC).
    pub from: String,
    pub to: String,
    /// The day `open` and `overdue` were judged on.
    pub as_of: String,
    pub scans: u64,
    /// Images scanned in the period, by repository.
    pub images: Vec<ImageScans>,
    /// Findings first detected in the period.
    pub opened: u64,
    /// Findings that came back after being closed.
    pub reopened: u64,
    /// Findings a scan in the period no longer saw.
    pub closed: u64,
    /// Deviations recorded in the period.
    pub deviations: u64,
    /// Findings open on `as_of` (active false positives excluded), and
    /// how many of them are past due.
    pub open: u64,
    pub overdue: u64,
    /// Open findings by effective severity class, for the escalation
    /// thresholds (Critical, High, Moderate, Low; unrated counted as
    /// Moderate).
    pub open_by_class: SeverityCounts,
    pub overdue_by_class: SeverityCounts,
    /// Distinct scanner-settings checksums used in the period: more than
    /// one means the settings changed.
    pub config_checksums: Vec<String>,
    /// The oldest advisory database any scan in the period used, in
    /// hours, and how many scans used a stale one (RA-5(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_advisory_db_age_hours: Option<f64>,
    pub stale_advisory_db_scans: u64,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SeverityCounts {
    pub critical: u64,
    pub high: u64,
    pub moderate: u64,
    pub low: u64,
}

impl SeverityCounts {
    /// Counts one finding in its deadline class.
    pub fn add(&mut self, severity: Severity) {
        match risk_class(severity) {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium | Severity::Unknown => self.moderate += 1,
            Severity::Low => self.low += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.critical + self.high + self.moderate + self.low
    }
}

/// The image repository of a reference: the reference without its `:tag`
/// and `@digest`, and without drydock's transport prefix (`oci:`,
/// `docker-archive:`, `oci-archive:`, `dir:`, `registry:`).
///
/// A `:` before the last `/` is a registry port, not a tag
/// (`host:5000/team/app:1.0` -> `host:5000/team/app`); local paths work
/// the same way (`examples/hello-oci:latest` -> `examples/hello-oci`).
/// Names are not otherwise normalised: `alpine` and its fully qualified
/// name are different repositories to the history (drydock prints
/// registry references fully qualified, so scans agree with each other).
///
/// ```
/// use drydock_core::tracking::repository_of;
/// assert_eq!(repository_of("host:5000/team/app:1.0@sha256:0123abcd"), "host:5000/team/app");
/// assert_eq!(repository_of("examples/hello-oci:latest"), "examples/hello-oci");
/// ```
pub fn repository_of(reference: &str) -> String {
    let mut r = reference.trim();
    for prefix in ["registry:", "docker-archive:", "oci-archive:", "dir:"] {
        r = r.strip_prefix(prefix).unwrap_or(r);
    }
    // `oci:` is drydock's layout prefix unless it is a host named `oci`
    // with a port (`oci:5000/app`).
    if let Some(rest) = r.strip_prefix("oci:").filter(|rest| !rest.starts_with(|c: char| c.is_ascii_digit())) {
        r = rest;
    }
    if let Some((name, digest)) = r.rsplit_once('@')
        && is_digest(digest)
    {
        r = name;
    }
    let name_start = r.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = r[name_start..].rfind(':') {
        r = &r[..name_start + colon];
    }
    let trimmed = r.trim_end_matches('/');
    if trimmed.is_empty() { r.to_owned() } else { trimmed.to_owned() }
}

/// `algorithm:encoded`, as in an OCI digest.
fn is_digest(s: &str) -> bool {
    s.split_once(':').is_some_and(|(alg, enc)| {
        !alg.is_empty()
            && !enc.is_empty()
            && alg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
            && enc.bytes().all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b))
    })
}

/// The stable id of a finding: `DD-` and the first 12 hex digits of the
/// sha256 of its identity fields. 48 bits: a collision needs millions of
/// findings in one history.
pub fn finding_id(kind: FindingKind, repository: &str, rule: &str, subject_key: &str) -> String {
    use sha2::{Digest as _, Sha256};
    let mut h = Sha256::new();
    for part in [kind.as_str(), repository, rule, subject_key] {
        // Length-prefixed, so no choice of fields can run into the next.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    format!("DD-{}", &hex::encode(digest)[..12])
}

/// The identity of each kind of finding, defined once: the history keys
/// on these, and the writers that join findings to the history (OSCAL,
/// SARIF) recompute them.
pub mod identity {
    use super::FindingKind;
    use crate::check::{CheckFinding, SecretFinding};
    use crate::vulnerability::Finding;

    /// A vulnerability is the same weakness in the same package
    /// (ecosystem and name, not version), whatever version is installed.
    pub fn vulnerability_key(f: &Finding) -> String {
        format!("{}/{}", f.package.ecosystem.purl_type(), f.package.name)
    }

    /// FIPS checks (`FIPS…`) report through the hardening list under their own kind.
    pub fn check_kind(c: &CheckFinding) -> FindingKind {
        if c.rule_id.starts_with("FIPS") { FindingKind::Fips } else { FindingKind::Hardening }
    }

    /// A check is keyed on its rule alone (evidence locations shift with
    /// every added build step); this is how its subject reads.
    pub fn check_subject(c: &CheckFinding) -> String {
        match c.evidence.as_slice() {
            [] => String::new(),
            [one] => one.location.clone(),
            [first, rest @ ..] => format!("{} and {} more", first.location, rest.len()),
        }
    }

    /// A secret is its path and value: moved to another line, the same;
    /// rotated, a new one.
    pub fn secret_key(s: &SecretFinding) -> String {
        format!("{}\n{}", s.path, s.fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn due(severity: Severity, kev: Option<&str>) -> (String, String) {
        let (d, why) = deadline(&Profile::fedramp_rev5(), date("2026-11-01"), severity, kev.map(date)).expect("a deadline");
        (d.to_string(), why)
    }

    #[test]
    fn fedramp_rev5_classes() {
        assert_eq!(due(Severity::Critical, None), ("2026-12-01".into(), "fedramp-rev5: Critical, 30 days from first seen".into()));
        assert_eq!(due(Severity::High, None).0, "2026-12-01");
        assert_eq!(due(Severity::Medium, None), ("2027-01-30".into(), "fedramp-rev5: Moderate, 90 days from first seen".into()));
        assert_eq!(due(Severity::Low, None).0, "2027-04-30");
    }

    #[test]
    fn unknown_severity_is_clocked_as_moderate() {
        assert_eq!(Profile::fedramp_rev5().days_for(Severity::Unknown), Some(90));
        let (d, why) = due(Severity::Unknown, None);
        assert_eq!(d, "2027-01-30");
        assert!(why.contains("clocked as Moderate"), "{why}");
    }

    #[test]
    fn earlier_kev_due_date_wins() {
        assert_eq!(due(Severity::High, Some("2026-11-15")), ("2026-11-15".into(), "CISA KEV due date".into()));
    }

    #[test]
    fn later_kev_due_date_does_not_extend_the_deadline() {
        assert_eq!(due(Severity::High, Some("2026-12-20")).0, "2026-12-01");
        assert_eq!(due(Severity::Low, Some("2026-12-20")).0, "2026-12-20");
    }

    #[test]
    fn kev_due_date_before_detection_is_kept() {
        assert_eq!(due(Severity::Medium, Some("2022-05-03")).0, "2022-05-03");
    }

    #[test]
    fn kev_ignored_without_precedence() {
        let p = Profile { kev_precedence: false, ..Profile::fedramp_rev5() };
        let (d, _) = deadline(&p, date("2026-11-01"), Severity::High, Some(date("2026-11-05"))).expect("deadline");
        assert_eq!(d.to_string(), "2026-12-01");
    }

    #[test]
    fn zero_days_means_no_deadline() {
        let p = Profile { name: "strict-high".into(), low_days: 0, ..Profile::fedramp_rev5() };
        assert_eq!(p.days_for(Severity::Low), None);
        assert_eq!(deadline(&p, date("2026-11-01"), Severity::Low, None), None);
        assert_eq!(
            deadline(&p, date("2026-11-01"), Severity::Low, Some(date("2026-11-09"))).map(|d| d.0.to_string()),
            Some("2026-11-09".into())
        );
    }

    #[test]
    fn profile_from_config_rejects_unknown_keys() {
        let p: Profile =
            serde_json::from_str(r#"{"critical-days": 15, "high-days": 30, "moderate-days": 90, "low-days": 180}"#).expect("valid profile");
        assert!(p.kev_precedence);
        assert_eq!(p.days_for(Severity::Critical), Some(15));
        let err = serde_json::from_str::<Profile>(
            r#"{"critical-days": 15, "high-days": 30, "moderate-days": 90, "low-days": 180, "medium-days": 1}"#,
        )
        .expect_err("unknown key");
        assert!(err.to_string().contains("medium-days"), "{err}");
    }

    #[test]
    fn deviation_kind_reads_fedramp_abbreviations() {
        assert_eq!("OR".parse::<DeviationKind>(), Ok(DeviationKind::OperationalRequirement));
        assert_eq!("risk-adjustment".parse::<DeviationKind>(), Ok(DeviationKind::RiskAdjustment));
        assert!("waiver".parse::<DeviationKind>().is_err());
        assert_eq!(serde_json::to_string(&DeviationKind::FalsePositive).expect("serializes"), "\"false-positive\"");
    }

    #[test]
    fn original_risk_prefers_cvss_v3_over_the_vendor_label() {
        let mut f: Finding = serde_json::from_value(serde_json::json!({
            "id": "CVE-2026-0001", "advisories": [], "severity": "MEDIUM", "severity_source": "debian",
            "package": {"name": "openssl", "version": "3.0.1", "ecosystem": "deb", "purl": "pkg:deb/debian/openssl@3.0.1"},
            "origin": {"layer_index": 0}
        }))
        .expect("finding");
        assert_eq!(original_risk(&f), Severity::Medium);
        f.cvss.push(crate::vulnerability::CvssInfo { version: "2.0".into(), vector: String::new(), base_score: 7.5, source: "nvd".into() });
        assert_eq!(original_risk(&f), Severity::High);
        f.cvss_v3_score = Some(9.8);
        assert_eq!(original_risk(&f), Severity::Critical);
    }
}
