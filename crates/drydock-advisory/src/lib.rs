//! The offline advisory database and the matcher.
//!
//! Data flows one way: feeds (OSV JSON/YAML, Alpine secdb, CISA KEV, EPSS,
//! NVD CVSS pages) are parsed by [`sources`] into the normalized
//! [`model`], stored by [`store`] in one SQLite file that is only ever
//! replaced whole (build beside, fsync, rename), and read by [`matcher`],
//! which turns an inventory into findings. [`bundle`] carries a database
//! across an air gap; [`update`] refreshes it from the publishers.

pub mod bundle;
pub mod cvss;
pub mod ecosystem;
pub mod freshness;
pub mod import;
pub mod matcher;
pub mod model;
pub mod sources;
pub mod store;
pub mod update;
pub mod vex;

pub use freshness::{db_info, default_db_path};
pub use import::{ImportError, ImportOptions, import};
pub use matcher::match_packages;
pub use store::{Store, StoreError};

use drydock_core::report::Report;
use drydock_core::vulnerability::Severity;

/// How a scan's findings are judged and trimmed.
#[derive(Clone, Debug)]
pub struct AssessOptions<'a> {
    /// Age above which the report flags the database stale.
    pub warn_age_hours: f64,
    /// VEX statements to apply.
    pub vex: &'a [vex::Statement],
    /// Only keep these severities (empty: all).
    pub severities: &'a [Severity],
    /// Drop findings with no fixed version.
    pub ignore_unfixed: bool,
    pub now: jiff::Timestamp,
}

/// Matches the report's packages against `store` and fills in
/// `vulnerabilities` and `advisory_db`.
pub fn assess(report: &mut Report, store: &Store, options: &AssessOptions<'_>) -> Result<(), StoreError> {
    let info = db_info(store, options.warn_age_hours, options.now)?;
    if info.stale {
        report.warnings.push(format!(
            "the advisory database is {:.1} days old (oldest source fetched {}), older than {:.0} days: run `drydock db update`",
            info.age_hours / 24.0,
            info.oldest_source_at.as_deref().unwrap_or("never"),
            options.warn_age_hours / 24.0
        ));
    }
    let mut findings = match_packages(store, report.os.as_ref(), &report.packages)?;
    vex::apply(&mut findings, options.vex);
    findings.retain(|f| {
        (options.severities.is_empty() || options.severities.contains(&f.severity)) && (f.has_fix() || !options.ignore_unfixed)
    });
    if let Some(os) = &report.os
        && let Some((family, release)) = ecosystem::os_family(os)
        && report.packages.iter().any(|p| p.ecosystem.is_os())
        && !store.has_family_release(family, &release)?
    {
        report.warnings.push(format!(
            "the advisory database has no {} {release} advisories: OS packages were not checked (run `drydock db update --ecosystem {}`)",
            family.osv_export_name(),
            family.as_str()
        ));
    }
    report.advisory_db = Some(info);
    report.vulnerabilities = findings;
    Ok(())
}
