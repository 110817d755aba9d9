//! The scan history: one SQLite file that follows every finding across
//! rescans and rebuilds, so each one has a first-seen date, a FedRAMP
//! remediation deadline and a record of its deviations.
//!
//! FedRAMP continuous monitoring (Rev5 POA&M guide) wants every scan-found
//! weakness remediated within a deadline counted from its *original
//! detection date*, or carried on a POA&M with a deviation. A scan alone
//! cannot know when a weakness was first seen; this crate remembers.
//!
//! # Identity
//! A finding keeps its id (`DD-` + 12 hex digits) across scans of the same
//! image *repository* (the reference without tag or digest), so the
//! rebuilt `app:1.1@sha256:…` carries `app:1.0`'s findings and their
//! clocks. The id hashes: for a vulnerability its id (a CVE where known),
//! the package's ecosystem and name; for a hardening or FIPS check its
//! check id alone (one POA&M item per check: its evidence locations are
//! indexes such as `history[3]` that move with every added build step);
//! for a secret the rule, path and fingerprint. A vulnerability whose id
//! changes because the advisory data learnt its CVE keeps the finding
//! recorded under the old id when the old id is among its aliases. See
//! [`repository_of`] and [`finding_id`]. FedRAMP asks for one POA&M item
//! per unique vulnerability, keyed by the scanner's vulnerability id (Rev5
//! Vulnerability Scanning Requirements); "unique" here is per repository
//! and package, which FedRAMP allows (one vulnerability may be split
//! across items, never several joined in one).
//!
//! # The clock
//! * Starts at first detection and is never restarted: a finding that
//!   closes (a scan no longer sees it) and comes back *reopens* with its
//!   original first-seen date (a regression is the same weakness, and
//!   restarting would let a flapping scan reset deadlines); `reopened`
//!   counts how often.
//! * Runs by the original risk rating: NVD CVSS v3, else CVSS v2, else the
//!   scanner's rating (FedRAMP Vulnerability Scanning Requirements). A 9.8
//!   that a distribution labels Medium is Critical. The rating follows the
//!   latest scan (a rescored CVE moves class; the start does not move).
//!   Unrated findings are clocked as Moderate.
//! * Lasts what the [`Profile`] says per class (FedRAMP Rev5: Critical and
//!   High 30 days, Moderate 90, Low 180); a CISA KEV `dueDate` that is
//!   earlier wins (BOD 22-01, POA&M columns AB/AC).
//! * Suppressed vulnerabilities (VEX `not_affected` / `fixed`) are not
//!   open weaknesses: they are not recorded, and an open one that becomes
//!   suppressed closes.
//!
//! # Deviations
//! FedRAMP's deviation types ([`DeviationKind`]), recorded with who, when,
//! why and until when, and judged when recorded:
//! * *false positive*: off the clock while active (FedRAMP moves validated
//!   false positives to the POA&M's Closed tab);
//! * *risk adjustment*: needs an adjusted severity lower than the original
//!   rating; the deadline becomes that class's, still from first detection;
//! * *operational requirement*: refused for a High or Critical finding
//!   ("FedRAMP will not approve an OR for a High"); allowed with an
//!   adjusted severity below High in the same request (an "OR RA");
//!   the clock keeps running;
//! * *vendor dependency*: no approval needed; the item stays on its clock,
//!   marked (FedRAMP expects monthly vendor check-ins).
//!
//! A deviation past its `expires` day stops applying: the finding is back
//! on its original clock. Deviations are never deleted.
//!
//! # Concurrency and crashes
//! Each record is one `BEGIN IMMEDIATE` transaction in WAL mode with a
//! 30-second busy timeout: concurrent writers (CI jobs sharing a file)
//! queue instead of failing, and a writer killed mid-record leaves the file
//! as it was before that scan. Scans of two different images that share a
//! repository close each other's findings; give them different
//! repositories (names) if they are different products.
//!
//! ```
//! use drydock_core::report::Report;
//! use drydock_core::tracking::{FindingKind, Profile};
//! use drydock_history::{History, RecordOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let report: Report = serde_json::from_value(serde_json::json!({
//!     "schema_version": 1, "scanner": {"name": "drydock", "version": "0.1.0"},
//!     "scanned_at": "2026-11-01T10:00:00Z",
//!     "image": {"reference": "registry.invalid/app:1.0", "source": "registry", "config": {
//!         "user": null, "env": [], "entrypoint": [], "cmd": [], "labels": {}, "exposed_ports": [], "volumes": []}},
//!     "layers": [], "history": [], "warnings": [],
//!     "filesystem": {"files": 0, "directories": 0, "symlinks": 0, "hardlinks": 0, "other": 0,
//!         "total_file_bytes": 0, "removed_by_later_layers": 0},
//!     "hardening": [{"rule_id": "IMG001", "name": "runs-as-root", "severity": "HIGH",
//!         "title": "Runs as root", "evidence": [{"location": "config.User", "detail": "unset"}],
//!         "remediation": "Set USER.", "controls": ["AC-6"]}]
//! }))?;
//! let mut history = History::open(dir.path().join("history.db"))?;
//! let tracking = history.record(&report, &RecordOptions {
//!     profile: &Profile::fedramp_rev5(),
//!     config_checksum: "sha256:…",
//!     now: "2026-11-01T10:00:00Z".parse()?,
//!     covered: FindingKind::ALL,
//! })?;
//! let finding = &tracking.findings[0];
//! assert_eq!(tracking.repository, "registry.invalid/app");
//! assert_eq!(finding.due.as_deref(), Some("2026-12-01"));
//! assert_eq!(finding.days_left, Some(30));
//! # Ok(()) }
//! ```

mod clock;
mod error;
mod identity;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use drydock_core::report::Report;
use drydock_core::tracking::{
    Deviation, DeviationKind, FindingKind, ImageScans, PeriodSummary, Profile, ScanRecord, TrackedFinding, Tracking, risk_class,
};
use drydock_core::vulnerability::Severity;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};

pub use error::{HistoryError, Refusal, Result};
pub use identity::{finding_id, repository_of};
pub use schema::SCHEMA_VERSION;

/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open history file.
pub struct History {
    path: PathBuf,
    conn: Connection,
    record_hook: Option<Box<dyn FnMut(usize) + Send>>,
}

/// What [`History::record`] needs besides the report.
#[derive(Clone, Copy, Debug)]
pub struct RecordOptions<'a> {
    pub profile: &'a Profile,
    /// Checksum of the scanner settings the scan used.
    pub config_checksum: &'a str,
    /// The history's clock: first seen, last seen and closed times.
    pub now: Timestamp,
    /// The kinds of finding the scan looked for. Open findings of other
    /// kinds are left open: a scan that skipped the secret scanner (or had
    /// no advisory database) has not seen those weaknesses fixed.
    pub covered: &'a [FindingKind],
}

/// A deviation to record with [`History::deviate`].
#[derive(Clone, Debug, PartialEq)]
pub struct DeviationRequest {
    pub kind: DeviationKind,
    pub rationale: String,
    pub adjusted_severity: Option<Severity>,
    /// Last day it applies.
    pub expires: Option<Date>,
    pub recorded_by: String,
}

impl History {
    /// Opens the history file, creating it (and its directory) if needed
    /// and bringing its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<History> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io { path: path.clone(), source })?;
        }
        let sql = |source| HistoryError::Sqlite { path: path.clone(), source };
        let mut conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // WAL: readers never block the writer. FULL: a committed scan
        // survives power loss too (it is audit evidence; scans are rare).
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(HistoryError::Corrupt {
                path: path.clone(),
                what: "journal mode".into(),
                reason: format!("could not switch to WAL (got `{mode}`)"),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").map_err(sql)?;
        if let Err(found) = schema::migrate(&mut conn).map_err(sql)? {
            return Err(HistoryError::Schema { path, found, supported: SCHEMA_VERSION });
        }
        Ok(History { path, conn, record_hook: None })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Test seam: called inside the record transaction after each finding
    /// is written, with how many are written so far. The crash test uses
    /// it to stop a writer halfway.
    #[doc(hidden)]
    pub fn set_record_hook(&mut self, hook: Box<dyn FnMut(usize) + Send>) {
        self.record_hook = Some(hook);
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> HistoryError + '_ {
        |source| HistoryError::Sqlite { path: self.path.clone(), source }
    }

    fn corrupt(&self, what: impl Into<String>) -> impl Fn(String) -> HistoryError + '_ {
        let what = what.into();
        move |reason| HistoryError::Corrupt { path: self.path.clone(), what: what.clone(), reason }
    }

    /// SQLite's `integrity_check` and `foreign_key_check` over the file.
    pub fn integrity_check(&self) -> Result<()> {
        let sql = self.sql();
        let problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect())
            .map_err(&sql)?;
        if problems != ["ok"] {
            return Err(HistoryError::Corrupt { path: self.path.clone(), what: "database".into(), reason: problems.join("; ") });
        }
        let dangling: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut st| {
                st.query_map([], |r| Ok(format!("{} row {:?}", r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))?.collect()
            })
            .map_err(&sql)?;
        if !dangling.is_empty() {
            return Err(HistoryError::Corrupt { path: self.path.clone(), what: "references".into(), reason: dangling.join("; ") });
        }
        Ok(())
    }

    /// Records a scan: in one transaction, stores the scan, upserts every
    /// finding (first seen kept, last seen now, a closed one reopened) and
    /// closes the repository's open findings the scan no longer sees.
    /// Returns the report's tracking as of `now`.
    pub fn record(&mut self, report: &Report, options: &RecordOptions<'_>) -> Result<Tracking> {
        let repository = repository_of(&report.image.reference);
        let observations = identity::observations(report, &repository);
        let now = stamp(options.now);
        let profile_json = serde_json::to_string(options.profile).map_err(|e| HistoryError::Corrupt {
            path: self.path.clone(),
            what: "profile".into(),
            reason: e.to_string(),
        })?;
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let db = report.advisory_db.as_ref();
        tx.execute(
            "INSERT INTO scans(reference, repository, index_digest, manifest_digest, config_digest, scanned_at, recorded_at,
                scanner_name, scanner_version, advisory_db_built_at, advisory_db_age_hours, advisory_db_stale,
                config_checksum, profile, profile_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                report.image.reference,
                repository,
                report.image.index_digest.as_ref().map(ToString::to_string),
                report.image.manifest_digest.as_ref().map(ToString::to_string),
                report.image.config_digest.as_ref().map(ToString::to_string),
                report.scanned_at,
                now,
                report.scanner.name,
                report.scanner.version,
                db.map(|d| d.built_at.clone()),
                db.map(|d| d.age_hours),
                db.is_some_and(|d| d.stale),
                options.config_checksum,
                options.profile.name,
                profile_json,
            ],
        )
        .map_err(sql)?;
        let scan_id = tx.last_insert_rowid();
        tx.execute("INSERT INTO scan_reports(scan_id, report) VALUES (?1, ?2)", params![scan_id, compress_report(report, &self.path)?])
            .map_err(sql)?;

        // An alias match must not take a row that another observation of
        // this report owns by its own id.
        let reported: HashSet<&str> = observations.iter().map(|o| o.id.as_str()).collect();
        let mut seen: HashSet<String> = HashSet::with_capacity(observations.len());
        for (done, o) in observations.iter().enumerate() {
            // Hot loop (thousands of findings in a big image): cached statements.
            let mut existing: Option<(String, bool)> = tx
                .prepare_cached("SELECT id, closed_at IS NOT NULL FROM findings WHERE id = ?1")
                .and_then(|mut st| st.query_row([&o.id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
                .map_err(sql)?;
            if existing.is_none() && o.kind == FindingKind::Vulnerability && !o.aliases.is_empty() {
                existing = alias_match(&tx, &repository, o, |id| seen.contains(id) || reported.contains(id)).map_err(sql)?;
            }
            let (id, event) = match existing {
                Some((id, closed)) => {
                    tx.prepare_cached(
                        "UPDATE findings SET rule = ?2, subject = ?3, title = ?4, severity = ?5, cvss_v3 = ?6, kev_due = ?7,
                            last_seen = ?8, last_scan = ?9, closed_at = NULL, reopened = reopened + ?10
                         WHERE id = ?1",
                    )
                    .and_then(|mut st| {
                        st.execute(params![
                            id,
                            o.rule,
                            o.subject,
                            o.title,
                            o.severity.as_str(),
                            o.cvss_v3_score,
                            o.kev_due,
                            now,
                            scan_id,
                            closed
                        ])
                    })
                    .map_err(sql)?;
                    (id, if closed { "reopened" } else { "seen" })
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO findings(id, repository, kind, rule, subject_key, subject, title, severity, cvss_v3, kev_due,
                            first_seen, last_seen, first_scan, last_scan)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?12)",
                    )
                    .and_then(|mut st| {
                        st.execute(params![
                            o.id,
                            repository,
                            o.kind.as_str(),
                            o.rule,
                            o.subject_key,
                            o.subject,
                            o.title,
                            o.severity.as_str(),
                            o.cvss_v3_score,
                            o.kev_due,
                            now,
                            scan_id
                        ])
                    })
                    .map_err(sql)?;
                    (o.id.clone(), "new")
                }
            };
            snapshot(&tx, scan_id, &id, event).map_err(sql)?;
            seen.insert(id);
            if let Some(hook) = self.record_hook.as_mut() {
                hook(done + 1);
            }
        }

        let open: Vec<(String, String)> = {
            let mut stmt =
                tx.prepare("SELECT id, kind FROM findings WHERE repository = ?1 AND closed_at IS NULL ORDER BY id").map_err(sql)?;
            stmt.query_map([&repository], |r| Ok((r.get(0)?, r.get(1)?))).map_err(sql)?.collect::<rusqlite::Result<_>>().map_err(sql)?
        };
        let covered = |kind: &str| options.covered.iter().any(|k| k.as_str() == kind);
        for (id, _) in open.iter().filter(|(id, kind)| !seen.contains(id) && covered(kind)) {
            tx.execute("UPDATE findings SET closed_at = ?2 WHERE id = ?1", params![id, now]).map_err(sql)?;
            snapshot(&tx, scan_id, id, "closed").map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        self.tracking(scan_id, None)
    }

    /// The report a scan recorded, as it was written then (without its
    /// tracking: pair it with [`History::tracking_for_scan`]).
    pub fn report(&self, scan_id: i64) -> Result<Report> {
        let sql = |source| HistoryError::Sqlite { path: self.path.clone(), source };
        let blob: Option<Vec<u8>> =
            self.conn.query_row("SELECT report FROM scan_reports WHERE scan_id = ?1", [scan_id], |r| r.get(0)).optional().map_err(sql)?;
        let blob = blob.ok_or_else(|| HistoryError::UnknownScan { path: self.path.clone(), id: scan_id })?;
        let corrupt = |reason: String| HistoryError::Corrupt { path: self.path.clone(), what: format!("report of scan {scan_id}"), reason };
        let json = zstd::decode_all(blob.as_slice()).map_err(|e| corrupt(e.to_string()))?;
        serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
    }

    /// The tracking of a recorded scan, rebuilt from the file as it was
    /// when the scan was recorded (deviations recorded later are left
    /// out, days left counted from the scan's day): what [`record`]
    /// returned.
    ///
    /// [`record`]: History::record
    pub fn tracking_for_scan(&self, scan_id: i64) -> Result<Tracking> {
        self.tracking(scan_id, None)
    }

    /// The findings of a recorded scan judged on `now`: today's deviations
    /// and days left.
    pub fn tracking_for_scan_as_of(&self, scan_id: i64, now: Timestamp) -> Result<Tracking> {
        self.tracking(scan_id, Some(now))
    }

    fn tracking(&self, scan_id: i64, as_of: Option<Timestamp>) -> Result<Tracking> {
        let sql = self.sql();
        let scan: Option<(String, String, String, String)> = self
            .conn
            .query_row("SELECT repository, config_checksum, profile_json, recorded_at FROM scans WHERE id = ?1", [scan_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(&sql)?;
        let Some((repository, config_checksum, profile_json, recorded_at)) = scan else {
            return Err(HistoryError::UnknownScan { path: self.path.clone(), id: scan_id });
        };
        let profile = self.profile(&profile_json)?;
        let cutoff = as_of.map(stamp).unwrap_or(recorded_at);
        let today = clock::day_of(&cutoff).map_err(self.corrupt(format!("scan {scan_id}")))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT f.id, f.repository, f.kind, sf.rule, sf.subject, sf.title, sf.severity, sf.cvss_v3, f.first_seen,
                    sf.last_seen, sf.closed_at, sf.reopened, sf.kev_due, sf.event
                 FROM scan_findings sf JOIN findings f ON f.id = sf.finding
                 WHERE sf.scan = ?1",
            )
            .map_err(&sql)?;
        let rows: Vec<(TrackedFinding, String)> = stmt
            .query_map([scan_id], |r| Ok((self.finding_row(r)?, r.get::<_, String>(13)?)))
            .map_err(&sql)?
            .map(|r| r.map_err(&sql).and_then(|(f, event)| Ok((f?, event))))
            .collect::<Result<_>>()?;
        let mut deviations = self.deviations_of(rows.iter().map(|(f, _)| f.id.as_str()), &cutoff)?;
        let (mut findings, mut closed) = (Vec::new(), Vec::new());
        for (mut f, event) in rows {
            f.deviations = deviations.remove(&f.id).unwrap_or_default();
            let open = event != "closed";
            clock::assess(&mut f, &profile, today, open).map_err(self.corrupt(format!("finding {}", f.id)))?;
            if open { findings.push(f) } else { closed.push(f) }
        }
        findings.sort_by(clock::by_urgency);
        closed.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Tracking {
            history: self.path.display().to_string(),
            scan_id,
            repository,
            profile: profile.name,
            config_checksum,
            as_of: today.to_string(),
            findings,
            closed,
        })
    }

    /// Every open finding (of one repository, or all), judged on `now`
    /// with the deadline profile of its repository's latest scan: overdue
    /// first, then by due date; findings off the clock (active false
    /// positives) last.
    pub fn open_findings(&self, repository: Option<&str>, now: Timestamp) -> Result<Vec<TrackedFinding>> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT f.id, f.repository, f.kind, f.rule, f.subject, f.title, f.severity, f.cvss_v3, f.first_seen,
                    f.last_seen, f.closed_at, f.reopened, f.kev_due, s.profile_json
                 FROM findings f JOIN scans s ON s.id = f.last_scan
                 WHERE f.closed_at IS NULL AND (?1 IS NULL OR f.repository = ?1)",
            )
            .map_err(&sql)?;
        let rows: Vec<(TrackedFinding, String)> = stmt
            .query_map([repository], |r| Ok((self.finding_row(r)?, r.get::<_, String>(13)?)))
            .map_err(&sql)?
            .map(|r| r.map_err(&sql).and_then(|(f, profile)| Ok((f?, profile))))
            .collect::<Result<_>>()?;
        self.judge(rows, now)
    }

    /// One finding, open or closed, judged on `now`.
    pub fn finding(&self, id: &str, now: Timestamp) -> Result<TrackedFinding> {
        let sql = self.sql();
        let row = self
            .conn
            .query_row(
                "SELECT f.id, f.repository, f.kind, f.rule, f.subject, f.title, f.severity, f.cvss_v3, f.first_seen,
                    f.last_seen, f.closed_at, f.reopened, f.kev_due, s.profile_json
                 FROM findings f JOIN scans s ON s.id = f.last_scan WHERE f.id = ?1",
                [id],
                |r| Ok((self.finding_row(r)?, r.get::<_, String>(13)?)),
            )
            .optional()
            .map_err(&sql)?;
        let Some((f, profile)) = row else {
            return Err(HistoryError::UnknownFinding { path: self.path.clone(), id: id.to_owned() });
        };
        let mut judged = self.judge(vec![(f?, profile)], now)?;
        judged.pop().ok_or_else(|| HistoryError::UnknownFinding { path: self.path.clone(), id: id.to_owned() })
    }

    /// Attaches deviations and runs the clock on `now` for findings read
    /// from the `findings` table, each with its profile's JSON.
    fn judge(&self, rows: Vec<(TrackedFinding, String)>, now: Timestamp) -> Result<Vec<TrackedFinding>> {
        let cutoff = stamp(now);
        let today = now.to_zoned(TimeZone::UTC).date();
        let mut deviations = self.deviations_of(rows.iter().map(|(f, _)| f.id.as_str()), &cutoff)?;
        let mut profiles: HashMap<String, Profile> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (mut f, profile_json) in rows {
            if !profiles.contains_key(&profile_json) {
                let p = self.profile(&profile_json)?;
                profiles.insert(profile_json.clone(), p);
            }
            let profile = &profiles[&profile_json];
            f.deviations = deviations.remove(&f.id).unwrap_or_default();
            let open = f.closed_at.is_none();
            clock::assess(&mut f, profile, today, open).map_err(self.corrupt(format!("finding {}", f.id)))?;
            out.push(f);
        }
        out.sort_by(clock::by_urgency);
        Ok(out)
    }

    fn profile(&self, json: &str) -> Result<Profile> {
        serde_json::from_str(json).map_err(|e| HistoryError::Corrupt {
            path: self.path.clone(),
            what: "profile".into(),
            reason: e.to_string(),
        })
    }

    /// A finding from columns 0..=12 (id, repository, kind, rule, subject,
    /// title, severity, cvss_v3, first_seen, last_seen, closed_at,
    /// reopened, kev_due); the clock fields are left for [`clock::assess`].
    fn finding_row(&self, r: &Row<'_>) -> rusqlite::Result<Result<TrackedFinding>> {
        let id: String = r.get(0)?;
        let kind: String = r.get(2)?;
        let severity: String = r.get(6)?;
        let reopened: i64 = r.get(11)?;
        let corrupt = self.corrupt(format!("finding {id}"));
        let kind = match kind.parse::<FindingKind>() {
            Ok(k) => k,
            Err(e) => return Ok(Err(corrupt(e))),
        };
        let severity = match severity.parse::<Severity>() {
            Ok(s) => s,
            Err(e) => return Ok(Err(corrupt(e))),
        };
        Ok(Ok(TrackedFinding {
            repository: r.get(1)?,
            kind,
            rule: r.get(3)?,
            subject: r.get(4)?,
            title: r.get(5)?,
            severity,
            cvss_v3_score: r.get(7)?,
            adjusted_severity: None,
            first_seen: r.get(8)?,
            last_seen: r.get(9)?,
            closed_at: r.get(10)?,
            reopened: u32::try_from(reopened).unwrap_or(u32::MAX),
            due: None,
            due_reason: String::new(),
            days_left: None,
            overdue: false,
            kev_due: r.get(12)?,
            deviation: None,
            deviations: Vec::new(),
            id,
        }))
    }

    /// The deviations of these findings recorded up to `cutoff`, oldest
    /// first, by finding (activity is judged later, by the clock).
    fn deviations_of<'a>(&self, ids: impl Iterator<Item = &'a str>, cutoff: &str) -> Result<HashMap<String, Vec<Deviation>>> {
        let sql = self.sql();
        let wanted: HashSet<&str> = ids.collect();
        let mut out: HashMap<String, Vec<Deviation>> = HashMap::new();
        if wanted.is_empty() {
            return Ok(out);
        }
        // All deviations up to the cutoff, filtered here: there are few,
        // and a huge `IN (…)` list would exceed SQLite's variable limit.
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, finding, kind, rationale, adjusted_severity, expires, recorded_by, recorded_at
                 FROM deviations WHERE recorded_at <= ?1 ORDER BY recorded_at, seq",
            )
            .map_err(&sql)?;
        let mut rows = stmt.query([cutoff]).map_err(&sql)?;
        while let Some(r) = rows.next().map_err(&sql)? {
            let finding: String = r.get(1).map_err(&sql)?;
            if !wanted.contains(finding.as_str()) {
                continue;
            }
            let seq: i64 = r.get(0).map_err(&sql)?;
            let corrupt = self.corrupt(format!("deviation DEV-{seq}"));
            let kind: String = r.get(2).map_err(&sql)?;
            let adjusted: Option<String> = r.get(4).map_err(&sql)?;
            let deviation = Deviation {
                id: format!("DEV-{seq}"),
                kind: kind.parse().map_err(&corrupt)?,
                rationale: r.get(3).map_err(&sql)?,
                adjusted_severity: adjusted.map(|s| s.parse::<Severity>()).transpose().map_err(&corrupt)?,
                expires: r.get(5).map_err(&sql)?,
                recorded_by: r.get(6).map_err(&sql)?,
                recorded_at: r.get(7).map_err(&sql)?,
                active: true,
            };
            out.entry(finding).or_default().push(deviation);
        }
        Ok(out)
    }

    /// Records a deviation for a finding, after checking it against
    /// FedRAMP's rules (see the crate docs); returns it as stored.
    pub fn deviate(&mut self, finding_id: &str, request: &DeviationRequest, now: Timestamp) -> Result<Deviation> {
        let today = now.to_zoned(TimeZone::UTC).date();
        let current = self.finding(finding_id, now)?;
        let refuse = |reason| HistoryError::DeviationRefused { path: self.path.clone(), finding: finding_id.to_owned(), reason };
        check_request(&current, request, today).map_err(refuse)?;
        let recorded_at = stamp(now);
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        tx.execute(
            "INSERT INTO deviations(finding, kind, rationale, adjusted_severity, expires, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                finding_id,
                request.kind.as_str(),
                request.rationale.trim(),
                request.adjusted_severity.map(Severity::as_str),
                request.expires.map(|d| d.to_string()),
                request.recorded_by.trim(),
                recorded_at,
            ],
        )
        .map_err(sql)?;
        let seq = tx.last_insert_rowid();
        tx.commit().map_err(sql)?;
        Ok(Deviation {
            id: format!("DEV-{seq}"),
            kind: request.kind,
            rationale: request.rationale.trim().to_owned(),
            adjusted_severity: request.adjusted_severity,
            expires: request.expires.map(|d| d.to_string()),
            recorded_by: request.recorded_by.trim().to_owned(),
            recorded_at,
            active: true,
        })
    }

    /// Scans recorded in `[since, until)` (the history's clock), oldest
    /// first; either bound may be open.
    pub fn scans(&self, since: Option<Timestamp>, until: Option<Timestamp>) -> Result<Vec<ScanRecord>> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.reference, s.repository, s.manifest_digest, s.config_digest, s.scanned_at, s.recorded_at,
                    s.scanner_version, s.advisory_db_built_at, s.advisory_db_age_hours, s.advisory_db_stale,
                    s.config_checksum, s.profile,
                    COUNT(CASE WHEN sf.event != 'closed' THEN 1 END),
                    COUNT(CASE WHEN sf.event = 'new' THEN 1 END),
                    COUNT(CASE WHEN sf.event = 'reopened' THEN 1 END),
                    COUNT(CASE WHEN sf.event = 'closed' THEN 1 END)
                 FROM scans s LEFT JOIN scan_findings sf ON sf.scan = s.id
                 WHERE (?1 IS NULL OR s.recorded_at >= ?1) AND (?2 IS NULL OR s.recorded_at < ?2)
                 GROUP BY s.id ORDER BY s.recorded_at, s.id",
            )
            .map_err(&sql)?;
        let count = |r: &Row<'_>, i| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or_default());
        stmt.query_map(params![since.map(stamp), until.map(stamp)], |r| {
            Ok(ScanRecord {
                id: r.get(0)?,
                reference: r.get(1)?,
                repository: r.get(2)?,
                manifest_digest: r.get(3)?,
                config_digest: r.get(4)?,
                scanned_at: r.get(5)?,
                recorded_at: r.get(6)?,
                scanner_version: r.get(7)?,
                advisory_db_built_at: r.get(8)?,
                advisory_db_age_hours: r.get(9)?,
                advisory_db_stale: r.get(10)?,
                config_checksum: r.get(11)?,
                profile: r.get(12)?,
                seen: count(r, 13)?,
                opened: count(r, 14)?,
                reopened: count(r, 15)?,
                closed: count(r, 16)?,
            })
        })
        .map_err(&sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(&sql)
    }

    /// The continuous-monitoring summary of the days `from` to `to`
    /// (inclusive, UTC): images scanned, findings opened, reopened and
    /// closed by scans in the period, deviations recorded, and the open
    /// and overdue findings as of `now`.
    pub fn period(&self, from: Date, to: Date, now: Timestamp) -> Result<PeriodSummary> {
        let start = from.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).unwrap_or(Timestamp::MIN);
        let end = to
            .checked_add(jiff::Span::new().days(1))
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map_or(Timestamp::MAX, |z| z.timestamp());
        let scans = self.scans(Some(start), Some(end))?;
        let mut images: BTreeMap<&str, ImageScans> = BTreeMap::new();
        let mut checksums = BTreeSet::new();
        let mut summary = PeriodSummary {
            from: from.to_string(),
            to: to.to_string(),
            as_of: now.to_zoned(TimeZone::UTC).date().to_string(),
            scans: scans.len() as u64,
            ..PeriodSummary::default()
        };
        for s in &scans {
            let image = images.entry(&s.repository).or_insert_with(|| ImageScans {
                repository: s.repository.clone(),
                first_scanned_at: s.recorded_at.clone(),
                ..ImageScans::default()
            });
            image.scans += 1;
            image.last_reference.clone_from(&s.reference);
            image.last_scanned_at.clone_from(&s.recorded_at);
            if let Some(d) = &s.manifest_digest
                && !image.manifest_digests.contains(d)
            {
                image.manifest_digests.push(d.clone());
            }
            summary.opened += s.opened;
            summary.reopened += s.reopened;
            summary.closed += s.closed;
            checksums.insert(s.config_checksum.clone());
            if let Some(age) = s.advisory_db_age_hours {
                summary.max_advisory_db_age_hours = Some(summary.max_advisory_db_age_hours.map_or(age, |m| m.max(age)));
            }
            summary.stale_advisory_db_scans += u64::from(s.advisory_db_stale);
        }
        summary.images = images.into_values().collect();
        summary.config_checksums = checksums.into_iter().collect();
        let deviations: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM deviations WHERE recorded_at >= ?1 AND recorded_at < ?2",
                params![stamp(start), stamp(end)],
                |r| r.get(0),
            )
            .map_err(self.sql())?;
        summary.deviations = u64::try_from(deviations).unwrap_or_default();
        for f in self.open_findings(None, now)? {
            if f.deviations.iter().any(|d| d.active && d.kind == DeviationKind::FalsePositive) {
                continue;
            }
            summary.open += 1;
            summary.open_by_class.add(risk_class(f.effective_severity()));
            if f.overdue {
                summary.overdue += 1;
                summary.overdue_by_class.add(risk_class(f.effective_severity()));
            }
        }
        Ok(summary)
    }
}

/// FedRAMP's rules for a deviation request against a finding's current state.
fn check_request(current: &TrackedFinding, request: &DeviationRequest, today: Date) -> Result<(), Refusal> {
    if request.rationale.trim().is_empty() {
        return Err(Refusal::EmptyRationale);
    }
    if request.recorded_by.trim().is_empty() {
        return Err(Refusal::NoRecorder);
    }
    if let Some(expires) = request.expires
        && expires < today
    {
        return Err(Refusal::AlreadyExpired { expires: expires.to_string(), today: today.to_string() });
    }
    // Unrated findings are clocked, and so adjusted, as Moderate.
    let original = risk_class(current.severity);
    if let Some(adjusted) = request.adjusted_severity {
        match request.kind {
            DeviationKind::FalsePositive | DeviationKind::VendorDependency => {
                return Err(Refusal::AdjustmentNotAllowed { kind: request.kind });
            }
            DeviationKind::RiskAdjustment | DeviationKind::OperationalRequirement => {}
        }
        if adjusted == Severity::Unknown {
            return Err(Refusal::AdjustmentUnknown);
        }
        if adjusted >= original {
            return Err(Refusal::AdjustmentNotLower { original, adjusted });
        }
    }
    match request.kind {
        DeviationKind::RiskAdjustment if request.adjusted_severity.is_none() => Err(Refusal::AdjustmentMissing { kind: request.kind }),
        DeviationKind::OperationalRequirement => {
            // The rating the OR would stand on: its own adjustment (an OR
            // RA), else an active risk adjustment, else the original.
            let standing = request.adjusted_severity.or(current.adjusted_severity).unwrap_or(original);
            if risk_class(standing) >= Severity::High {
                return Err(Refusal::OperationalRequirementForHigh { severity: risk_class(standing) });
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Copies a finding's state after `event` into `scan_findings`.
fn snapshot(tx: &Connection, scan: i64, finding: &str, event: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO scan_findings(scan, finding, event, rule, subject, title, severity, cvss_v3, kev_due, last_seen, closed_at, reopened)
         SELECT ?1, id, ?3, rule, subject, title, severity, cvss_v3, kev_due, last_seen, closed_at, reopened
         FROM findings WHERE id = ?2",
    )?
    .execute(params![scan, finding, event])?;
    Ok(())
}

/// A vulnerability recorded under one of this finding's aliases (the
/// advisory data learnt a CVE for a GHSA, say), in the same repository and
/// package, not already matched in this scan.
fn alias_match(
    tx: &Connection,
    repository: &str,
    o: &identity::Observation,
    taken: impl Fn(&str) -> bool,
) -> rusqlite::Result<Option<(String, bool)>> {
    let marks = vec!["?"; o.aliases.len()].join(", ");
    let query = format!(
        "SELECT id, closed_at IS NOT NULL FROM findings
         WHERE repository = ? AND kind = 'vulnerability' AND subject_key = ? AND rule IN ({marks})
         ORDER BY closed_at IS NOT NULL, first_seen, id"
    );
    let mut stmt = tx.prepare(&query)?;
    let args = [repository, o.subject_key.as_str()].into_iter().chain(o.aliases.iter().map(String::as_str));
    let found: Vec<(String, bool)> =
        stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(found.into_iter().find(|(id, _)| !taken(id)))
}

/// The stored form of a time: RFC 3339 UTC, whole seconds.
fn stamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The report as zstd-compressed JSON (a scan's report is mostly package
/// lists: it compresses about tenfold).
fn compress_report(report: &Report, path: &Path) -> Result<Vec<u8>> {
    let corrupt = |reason: String| HistoryError::Corrupt { path: path.to_owned(), what: "report".into(), reason };
    let json = serde_json::to_vec(report).map_err(|e| corrupt(e.to_string()))?;
    zstd::encode_all(json.as_slice(), 3).map_err(|e| corrupt(e.to_string()))
}
