//! The table layout, versioned with `PRAGMA user_version`.
//!
//! Times are stored as RFC 3339 UTC text truncated to whole seconds
//! (`2026-11-01T10:00:00Z`), so text order is time order and `sqlite3`
//! shows them readably. Dates are `YYYY-MM-DD`.

use rusqlite::{Connection, TransactionBehavior};

/// The schema this build writes. Older files are migrated forward in one
/// transaction; newer files are refused.
pub const SCHEMA_VERSION: i64 = 2;

/// `MIGRATIONS[n]` takes a file from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[V1, V2];

const V2: &str = "
-- The whole report of each scan (zstd-compressed JSON), so any output can be
-- written again later without rescanning (`drydock report`).
CREATE TABLE scan_reports(
    scan_id INTEGER PRIMARY KEY REFERENCES scans(id),
    report BLOB NOT NULL);
";

const V1: &str = "
-- One row per recorded scan: the evidence of what was scanned, with what
-- settings and how current the advisory data was.
CREATE TABLE scans(
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL,
    repository TEXT NOT NULL,
    index_digest TEXT,
    manifest_digest TEXT,
    config_digest TEXT,
    -- When the scan ran (the report's own time) and when it was recorded:
    -- the history's clock (first seen, last seen, closed) is the latter.
    scanned_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    scanner_name TEXT NOT NULL,
    scanner_version TEXT NOT NULL,
    advisory_db_built_at TEXT,
    advisory_db_age_hours REAL,
    advisory_db_stale INTEGER NOT NULL DEFAULT 0,
    -- Checksum of the scanner settings (FedRAMP: monthly evidence that
    -- they were not altered).
    config_checksum TEXT NOT NULL,
    profile TEXT NOT NULL,
    -- The whole deadline profile, so a scan's deadlines can be rebuilt.
    profile_json TEXT NOT NULL);
CREATE INDEX scans_recorded ON scans(recorded_at);
CREATE INDEX scans_repository ON scans(repository, recorded_at);

-- One row per tracked weakness (a POA&M item): its current state.
CREATE TABLE findings(
    id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    -- The identity part after the rule: `ecosystem/name`, or path and
    -- fingerprint; empty for hardening checks.
    subject_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    -- The original risk rating (CVSS v3 where known).
    severity TEXT NOT NULL,
    cvss_v3 REAL,
    kev_due TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    closed_at TEXT,
    first_scan INTEGER NOT NULL REFERENCES scans(id),
    last_scan INTEGER NOT NULL REFERENCES scans(id),
    reopened INTEGER NOT NULL DEFAULT 0);
CREATE INDEX findings_open ON findings(repository, closed_at);
CREATE INDEX findings_alias ON findings(repository, kind, subject_key, rule);

-- What each scan did to each finding (`new`, `seen`, `reopened`,
-- `closed`), with the finding's state right after it: a scan's tracking
-- can be rebuilt exactly, later.
CREATE TABLE scan_findings(
    scan INTEGER NOT NULL REFERENCES scans(id),
    finding TEXT NOT NULL REFERENCES findings(id),
    event TEXT NOT NULL CHECK(event IN ('new', 'seen', 'reopened', 'closed')),
    rule TEXT NOT NULL,
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    cvss_v3 REAL,
    kev_due TEXT,
    last_seen TEXT NOT NULL,
    closed_at TEXT,
    reopened INTEGER NOT NULL,
    PRIMARY KEY(scan, finding)) WITHOUT ROWID;
CREATE INDEX scan_findings_finding ON scan_findings(finding);

-- Deviations, append-only: who recorded what, when, until when.
CREATE TABLE deviations(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    finding TEXT NOT NULL REFERENCES findings(id),
    kind TEXT NOT NULL CHECK(kind IN ('false-positive', 'risk-adjustment', 'operational-requirement', 'vendor-dependency')),
    rationale TEXT NOT NULL,
    adjusted_severity TEXT,
    expires TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL);
CREATE INDEX deviations_finding ON deviations(finding);
";

/// Brings the file to [`SCHEMA_VERSION`]. Returns the version found when
/// it is newer than this build knows, or nonsense (the caller refuses it).
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), i64>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(Ok(()));
    }
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Ok(Err(version));
    }
    // Two processes may create the file at once: the write lock decides,
    // and the loser sees the winner's version.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Ok(Err(version));
    }
    while version < SCHEMA_VERSION {
        let step = usize::try_from(version).unwrap_or(usize::MAX);
        tx.execute_batch(MIGRATIONS[step])?;
        version += 1;
    }
    // `user_version` takes no parameters; the value is our own constant.
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    tx.commit()?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_migration_per_version() {
        assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
    }
}
