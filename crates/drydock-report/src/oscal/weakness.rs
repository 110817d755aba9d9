//! The weaknesses a POA&M tracks: the report's findings joined with their
//! tracking. Shared by the OSCAL documents and the POA&M spreadsheet, so
//! the three always list the same items with the same ids and dates.
//!
//! One weakness per tracked identity, as the scan history keys findings
//! (a vulnerability per package, a check per rule, a secret per path and
//! value). With tracking, each tracked finding is joined to the report's
//! findings by its id, recomputed from kind, repository, rule and subject
//! (the history's recipe, [`finding_id`]); when that doesn't match (a
//! vulnerability renamed from an alias to its CVE) by kind, rule or alias,
//! and subject. Without tracking, the report's findings are grouped the same
//! way and clocked from the scan: first seen = this scan.

use std::collections::BTreeMap;
use std::io;

use drydock_core::check::{CheckFinding, Evidence, SecretFinding};
use drydock_core::report::Report;
use drydock_core::tracking::{self, Deviation, DeviationKind, FindingKind, Profile, TrackedFinding};
use drydock_core::vulnerability::{Finding, Severity};
use jiff::civil::Date;

use super::{Scan, day, timestamp};

/// Said of every item clocked without scan history.
pub(crate) const NO_HISTORY: &str = "first seen = this scan (no history)";

/// The report findings behind a weakness (none for a closed one).
#[derive(Default)]
pub(crate) struct Sources<'r> {
    pub vulns: Vec<&'r Finding>,
    pub checks: Vec<&'r CheckFinding>,
    pub secrets: Vec<&'r SecretFinding>,
}

impl Sources<'_> {
    fn is_empty(&self) -> bool {
        self.vulns.is_empty() && self.checks.is_empty() && self.secrets.is_empty()
    }
}

/// One POA&M item's worth of facts. Timestamps are normalised RFC 3339
/// (UTC); days are `Date`s.
pub(crate) struct Weakness<'r> {
    /// The POA&M ID: the tracked `DD-…` id (computed the same way without
    /// history).
    pub id: String,
    pub kind: FindingKind,
    /// `CVE-…` or the check id (`IMG001`, `SEC003`).
    pub rule: String,
    /// Other ids of the vulnerability.
    pub aliases: Vec<String>,
    /// The package name, or the path / config location.
    pub subject: String,
    pub title: String,
    /// The original risk rating.
    pub severity: Severity,
    pub cvss_v3_score: Option<f64>,
    /// The rating after an active risk adjustment.
    pub adjusted: Option<Severity>,
    /// Original detection (RFC 3339) and its day.
    pub first_seen: String,
    pub first_seen_day: Date,
    pub last_seen: String,
    pub closed_at: Option<String>,
    pub reopened: u32,
    /// From the scan history; `false`: clocked from this scan.
    pub tracked: bool,
    pub due: Option<Date>,
    pub due_reason: String,
    pub overdue: bool,
    pub kev_due: Option<Date>,
    /// Every deviation, oldest first (expired ones marked inactive).
    pub deviations: Vec<Deviation>,
    pub sources: Sources<'r>,
}

impl Weakness<'_> {
    /// The newest active deviation of this kind.
    pub fn active(&self, kind: DeviationKind) -> Option<&Deviation> {
        self.deviations.iter().rev().find(|d| d.active && d.kind == kind)
    }

    /// On the POA&M's Open tab: not closed, and not an active false
    /// positive (FedRAMP moves validated false positives to Closed).
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none() && self.active(DeviationKind::FalsePositive).is_none()
    }

    /// OSCAL's risk status. drydock records deviations after checking them
    /// against FedRAMP's rules and keeps no separate approval state, so an
    /// active one is reported as approved.
    pub fn risk_status(&self) -> &'static str {
        if self.closed_at.is_some() || self.active(DeviationKind::FalsePositive).is_some() {
            "closed"
        } else if self.active(DeviationKind::RiskAdjustment).is_some() || self.active(DeviationKind::OperationalRequirement).is_some() {
            "deviation-approved"
        } else {
            "open"
        }
    }

    /// The day the item left the Open tab: closed, or an active false
    /// positive recorded.
    pub fn closed_day(&self) -> Option<Date> {
        if let Some(c) = &self.closed_at {
            return day(c, "closed_at").ok();
        }
        self.active(DeviationKind::FalsePositive).and_then(|d| day(&d.recorded_at, "recorded_at").ok())
    }

    /// NIST SP 800-53 controls as drydock writes them (`AC-6`, `IA-5(7)`):
    /// the checks' own; RA-5 and SI-2 for a vulnerability (found by
    /// scanning, fixed by flaw remediation); for an item without report
    /// findings (closed), its kind's: secrets IA-5 and SC-28, FIPS SC-13,
    /// other hardening CM-6 (configuration settings).
    pub fn controls(&self) -> Vec<String> {
        fn add(out: &mut Vec<String>, c: &str) {
            if !out.iter().any(|o| o == c) {
                out.push(c.to_owned());
            }
        }
        let mut out: Vec<String> = Vec::new();
        if !self.sources.vulns.is_empty() {
            add(&mut out, "RA-5");
            add(&mut out, "SI-2");
        }
        for c in self.sources.checks.iter().flat_map(|c| &c.controls).chain(self.sources.secrets.iter().flat_map(|s| &s.controls)) {
            add(&mut out, c);
        }
        if out.is_empty() {
            let defaults: &[&str] = match self.kind {
                FindingKind::Vulnerability => &["RA-5", "SI-2"],
                FindingKind::Secret => &["IA-5", "SC-28"],
                FindingKind::Fips => &["SC-13"],
                FindingKind::Hardening => &["CM-6"],
            };
            defaults.iter().for_each(|x| add(&mut out, x));
        }
        out
    }

    /// Every CVE id of the item.
    pub fn cves(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let ids = std::iter::once(&self.rule).chain(&self.aliases).chain(self.sources.vulns.iter().flat_map(|f| &f.aliases));
        for id in ids {
            if id.starts_with("CVE-") && !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// The CVSS v3 vector behind the original rating, when the report has one.
    pub fn cvss_v3_vector(&self) -> Option<&str> {
        let v3 = || self.sources.vulns.iter().flat_map(|f| &f.cvss).filter(|c| c.version.starts_with('3'));
        v3().find(|c| Some(c.base_score) == self.cvss_v3_score).or_else(|| v3().next()).map(|c| c.vector.as_str())
    }

    /// Weakness Description: what was found and where. Secrets appear
    /// redacted only (the report never holds their values).
    pub fn description(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        for f in &self.sources.vulns {
            let p = &f.package;
            let mut l = format!("{} in {} {} ({}).", f.id, p.name, p.version, p.purl);
            if let Some(t) = &f.title {
                l = format!("{l} {t}");
            }
            lines.push(l);
        }
        if let Some(f) = self.sources.vulns.first() {
            lines.push(match f.fixed_versions.as_slice() {
                [] => "No fixed version has been published.".to_owned(),
                fixed => format!("Fixed in {}.", fixed.join(", ")),
            });
        }
        for c in &self.sources.checks {
            lines.push(format!("{} ({} {}).", c.title, c.rule_id, c.name));
        }
        for s in &self.sources.secrets {
            let mut l = format!("{} ({}) in `{}` line {}: `{}`.", s.title, s.rule_id, s.path, s.line, s.redacted);
            if s.removed {
                l.push_str(" A later layer deleted the file: it is still in the image for anyone who pulls it.");
            }
            lines.push(l);
        }
        if self.sources.is_empty() {
            lines.push(format!("{} ({}: {}).", self.title, self.rule, self.subject));
        }
        lines.join("\n\n")
    }

    /// The risk statement: how bad, and why it is rated so.
    pub fn statement(&self) -> String {
        let mut s = format!("Original risk rating: {}", tracking::fedramp_name(self.severity));
        match (self.cvss_v3_score, self.sources.vulns.first()) {
            (Some(score), _) => s.push_str(&format!(" (CVSS v3 base score {score:.1})")),
            (None, Some(f)) => s.push_str(&format!(" ({} rating)", f.severity_source)),
            (None, None) => s.push_str(" (drydock's rating)"),
        }
        s.push('.');
        if let Some(a) = self.adjusted {
            s.push_str(&format!(" Adjusted risk rating: {}.", tracking::fedramp_name(a)));
        }
        if let Some(kev) = self.kev_due {
            s.push_str(&format!(" In the CISA Known Exploited Vulnerabilities catalog: remediate by {kev} (BOD 22-01)."));
        }
        if self.sources.vulns.iter().any(|f| f.kev.as_ref().is_some_and(|k| k.ransomware)) {
            s.push_str(" Known to be used in ransomware campaigns.");
        }
        if self.kind == FindingKind::Secret {
            s.push_str(" Anyone who can pull the image can read the credential.");
        }
        s
    }

    /// The tool's recommended remediation.
    pub fn remediation(&self) -> String {
        let mut fixes: Vec<String> = Vec::new();
        for f in &self.sources.vulns {
            let p = &f.package;
            let mut fix = match f.fixed_versions.as_slice() {
                [] => format!("No fixed version of {} is published yet: track the vendor's fix, or remove the package.", p.name),
                v => format!("Upgrade {} from {} to {}.", p.name, p.version, v.join(" or ")),
            };
            if f.origin.base_image {
                fix.push_str(" The package comes from the base image: update or rebuild the base image.");
            }
            fixes.push(fix);
        }
        fixes.extend(self.sources.checks.iter().map(|c| c.remediation.clone()));
        for s in &self.sources.secrets {
            fixes.push(if s.remediation.trim().is_empty() {
                "Revoke and rotate the credential, and rebuild the image without it in any layer.".to_owned()
            } else {
                s.remediation.clone()
            });
        }
        fixes.dedup();
        if fixes.is_empty() {
            return match &self.closed_at {
                Some(_) => "No longer found by the scan.".to_owned(),
                None => format!("Remediate {} ({}).", self.rule, self.subject),
            };
        }
        fixes.join("\n\n")
    }

    /// Where it was seen: one piece of evidence per place.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut out = Vec::new();
        for f in &self.sources.vulns {
            let advisories: Vec<&str> = f.advisories.iter().map(|a| a.id.as_str()).collect();
            let mut detail = format!("{} {} ({})", f.package.name, f.package.version, f.package.ecosystem.purl_type());
            if let Some(m) = &f.package.matched_as {
                detail.push_str(&format!(", matched as {m}"));
            }
            if !advisories.is_empty() {
                detail.push_str(&format!(", advisories {}", advisories.join(", ")));
            }
            if f.origin.base_image {
                detail.push_str(", from the base image");
            }
            out.push(Evidence {
                location: f.package.purl.clone(),
                detail,
                layer_index: Some(f.origin.layer_index),
                layer_digest: f.origin.digest.clone(),
                created_by: f.origin.created_by.clone(),
            });
        }
        for c in &self.sources.checks {
            out.extend(c.evidence.iter().cloned());
        }
        for s in &self.sources.secrets {
            let mut detail = format!("{} {}: {}", s.rule_id, s.name, s.redacted);
            if s.removed {
                detail.push_str(" (deleted by a later layer, still in the image)");
            }
            out.push(Evidence {
                location: format!("{}:{}:{}", s.path, s.line, s.column),
                detail,
                layer_index: Some(s.layer_index),
                layer_digest: s.layer_digest.clone(),
                created_by: s.created_by.clone(),
            });
        }
        out
    }
}

/// One piece of evidence as a sentence: place, what is there, and the layer
/// and build step that put it there.
pub(crate) fn source_line(e: &Evidence) -> String {
    let mut s = format!("{}: {}", e.location, e.detail);
    let mut from = Vec::new();
    if let Some(i) = e.layer_index {
        from.push(format!("layer {i}"));
    }
    if let Some(d) = &e.layer_digest {
        from.push(d.to_string());
    }
    if let Some(c) = &e.created_by {
        from.push(format!("created by `{}`", c.trim()));
    }
    if !from.is_empty() {
        s.push_str(&format!(" ({})", from.join(", ")));
    }
    s
}

/// The report's findings as the history groups them, before tracking.
struct Group<'r> {
    id: String,
    kind: FindingKind,
    rule: String,
    aliases: Vec<String>,
    subject: String,
    title: String,
    severity: Severity,
    cvss_v3_score: Option<f64>,
    kev_due: Option<String>,
    sources: Sources<'r>,
}

/// Every weakness: open items first (by due date, most severe first), then
/// closed ones and active false positives (by the day they left).
pub(crate) fn collect<'r>(report: &'r Report, scan: &Scan<'r>) -> io::Result<Vec<Weakness<'r>>> {
    let repository = match &report.tracking {
        Some(t) => t.repository.clone(),
        None => repository_of(&report.image.reference),
    };
    let mut groups = groups(report, &repository);
    let mut out = Vec::new();
    if let Some(t) = &report.tracking {
        for tf in &t.findings {
            let found = groups
                .iter()
                .position(|g| g.id == tf.id)
                .or_else(|| groups.iter().position(|g| same_fields(g, tf)))
                .map(|i| groups.remove(i));
            out.push(tracked(tf, found.map(|g| g.sources).unwrap_or_default())?);
        }
        for tf in &t.closed {
            out.push(tracked(tf, Sources::default())?);
        }
    }
    // Findings the tracking doesn't list (no history, or a tracking that
    // predates them) are clocked from this scan rather than left out.
    for g in groups {
        out.push(untracked(g, scan)?);
    }
    out.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// Open before closed; then by due day (closed: by the day they left),
/// undated last; then most severe first.
fn order(w: &Weakness<'_>) -> (bool, bool, Option<Date>, std::cmp::Reverse<Severity>) {
    let open = w.is_open();
    let day = if open { w.due } else { w.closed_day() };
    (!open, day.is_none(), day, std::cmp::Reverse(w.adjusted.unwrap_or(w.severity)))
}

/// The field match: kind, rule (or an alias of the report's finding) and
/// subject; a check is one item per rule whatever its evidence says.
fn same_fields(g: &Group<'_>, tf: &TrackedFinding) -> bool {
    g.kind == tf.kind
        && (g.rule == tf.rule || g.aliases.contains(&tf.rule))
        && (matches!(g.kind, FindingKind::Hardening | FindingKind::Fips) || g.subject == tf.subject)
}

fn tracked<'r>(tf: &TrackedFinding, sources: Sources<'r>) -> io::Result<Weakness<'r>> {
    let what = |field: &str| format!("tracked finding {}: {field}", tf.id);
    let first = timestamp(&tf.first_seen, &what("first_seen"))?;
    let mut deviations = tf.deviations.clone();
    if deviations.is_empty()
        && let Some(d) = &tf.deviation
    {
        deviations.push(d.clone());
    }
    for d in &mut deviations {
        d.recorded_at = timestamp(&d.recorded_at, &what(&format!("deviation {} recorded_at", d.id)))?.to_string();
        if let Some(e) = &d.expires {
            day(e, &what(&format!("deviation {} expires", d.id)))?;
        }
    }
    let aliases = sources.vulns.iter().flat_map(|f| f.aliases.iter().cloned()).collect();
    Ok(Weakness {
        id: tf.id.clone(),
        kind: tf.kind,
        rule: tf.rule.clone(),
        aliases,
        subject: tf.subject.clone(),
        title: tf.title.clone(),
        severity: tf.severity,
        cvss_v3_score: tf.cvss_v3_score,
        adjusted: tf.adjusted_severity,
        first_seen: first.to_string(),
        first_seen_day: first.to_zoned(jiff::tz::TimeZone::UTC).date(),
        last_seen: timestamp(&tf.last_seen, &what("last_seen"))?.to_string(),
        closed_at: tf.closed_at.as_deref().map(|c| timestamp(c, &what("closed_at")).map(|t| t.to_string())).transpose()?,
        reopened: tf.reopened,
        tracked: true,
        due: tf.due.as_deref().map(|d| day(d, &what("due"))).transpose()?,
        due_reason: tf.due_reason.clone(),
        overdue: tf.overdue,
        kev_due: tf.kev_due.as_deref().map(|d| day(d, &what("kev_due"))).transpose()?,
        deviations,
        sources,
    })
}

/// Clocked from this scan with the built-in FedRAMP Rev5 profile.
fn untracked<'r>(g: Group<'r>, scan: &Scan<'r>) -> io::Result<Weakness<'r>> {
    let kev_due = g.kev_due.as_deref().map(|d| day(d, &format!("{} {}: KEV due date", g.rule, g.subject))).transpose()?;
    let clock = tracking::deadline(&Profile::fedramp_rev5(), scan.day, g.severity, kev_due);
    Ok(Weakness {
        id: g.id,
        kind: g.kind,
        rule: g.rule,
        aliases: g.aliases,
        subject: g.subject,
        title: g.title,
        severity: g.severity,
        cvss_v3_score: g.cvss_v3_score,
        adjusted: None,
        first_seen: scan.at.clone(),
        first_seen_day: scan.day,
        last_seen: scan.at.clone(),
        closed_at: None,
        reopened: 0,
        tracked: false,
        overdue: clock.as_ref().is_some_and(|(due, _)| *due < scan.day),
        due: clock.as_ref().map(|c| c.0),
        due_reason: clock.map(|c| c.1).unwrap_or_else(|| "no deadline in the profile".to_owned()),
        kev_due,
        deviations: Vec::new(),
        sources: g.sources,
    })
}

/// The report's findings grouped by identity, sorted by id: the scan
/// history's grouping (several findings with one identity are one item,
/// with the worst rating and the earliest KEV date). Suppressed (VEX)
/// vulnerabilities are not weaknesses.
fn groups<'r>(report: &'r Report, repository: &str) -> Vec<Group<'r>> {
    let mut by_id: BTreeMap<String, Group<'r>> = BTreeMap::new();
    let mut add = |g: Group<'r>| match by_id.get_mut(&g.id) {
        Some(seen) => {
            seen.severity = seen.severity.max(g.severity);
            seen.cvss_v3_score = match (seen.cvss_v3_score, g.cvss_v3_score) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            seen.kev_due = match (seen.kev_due.take(), g.kev_due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            for a in g.aliases {
                if !seen.aliases.contains(&a) {
                    seen.aliases.push(a);
                }
            }
            seen.sources.vulns.extend(g.sources.vulns);
            seen.sources.checks.extend(g.sources.checks);
            seen.sources.secrets.extend(g.sources.secrets);
        }
        None => {
            by_id.insert(g.id.clone(), g);
        }
    };
    for f in report.vulnerabilities.iter().filter(|f| !f.suppressed) {
        let key = drydock_core::tracking::identity::vulnerability_key(f);
        add(Group {
            id: finding_id(FindingKind::Vulnerability, repository, &f.id, &key),
            kind: FindingKind::Vulnerability,
            rule: f.id.clone(),
            aliases: f.aliases.clone(),
            subject: f.package.name.clone(),
            title: f.title.clone().unwrap_or_else(|| format!("{} in {} {}", f.id, f.package.name, f.package.version)),
            severity: tracking::original_risk(f),
            cvss_v3_score: f.cvss_v3_score,
            kev_due: f.kev.as_ref().map(|k| k.due_date.clone()),
            sources: Sources { vulns: vec![f], ..Sources::default() },
        });
    }
    for c in &report.hardening {
        // FIPS checks report through the hardening list under their own kind.
        let kind = drydock_core::tracking::identity::check_kind(c);
        let subject = drydock_core::tracking::identity::check_subject(c);
        add(Group {
            id: finding_id(kind, repository, &c.rule_id, ""),
            kind,
            rule: c.rule_id.clone(),
            aliases: Vec::new(),
            subject,
            title: c.title.clone(),
            severity: c.severity,
            cvss_v3_score: None,
            kev_due: None,
            sources: Sources { checks: vec![c], ..Sources::default() },
        });
    }
    for s in &report.secrets {
        let key = drydock_core::tracking::identity::secret_key(s);
        add(Group {
            id: finding_id(FindingKind::Secret, repository, &s.rule_id, &key),
            kind: FindingKind::Secret,
            rule: s.rule_id.clone(),
            aliases: Vec::new(),
            subject: s.path.clone(),
            title: s.title.clone(),
            severity: s.severity,
            cvss_v3_score: None,
            kev_due: None,
            sources: Sources { secrets: vec![s], ..Sources::default() },
        });
    }
    by_id.into_values().collect()
}

// The scan history's identity recipe (drydock-history `identity.rs`),
// repeated here because writers take the report alone and must not depend
// on the history crate: the same weakness gets the same POA&M ID with or
// without history. Tests pin it with vectors computed outside Rust (sha256
// over the length-prefixed fields); keep it in step with the history's.

pub(crate) use drydock_core::tracking::{finding_id, repository_of};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_id_is_the_history_recipe() {
        // Computed with Python's hashlib over the same length-prefixed fields.
        assert_eq!(finding_id(FindingKind::Hardening, "registry.invalid/app", "IMG001", ""), "DD-adf83f1d5a06");
        assert_eq!(
            finding_id(FindingKind::Vulnerability, "registry.invalid/team/hello-oci", "CVE-2022-48174", "deb/busybox-static"),
            "DD-a11199144583"
        );
    }

    #[test]
    fn repository_strips_tag_digest_and_transport() {
        for (reference, repository) in [
            ("registry.invalid/team/app:1.0@sha256:abcdef0123", "registry.invalid/team/app"),
            ("host:5000/app:2", "host:5000/app"),
            ("examples/hello-oci:latest", "examples/hello-oci"),
            ("oci:examples/hello-oci:latest", "examples/hello-oci"),
            ("oci:5000/app:1", "oci:5000/app"),
            ("/builds/a@b/layout", "/builds/a@b/layout"),
        ] {
            assert_eq!(repository_of(reference), repository, "{reference}");
        }
    }
}
