//! The advisory database: one SQLite file, replaced whole.
//!
//! Writers never touch the live file. [`Rebuild`] copies it beside itself
//! (or starts empty), applies a whole import or update in one transaction,
//! fsyncs, and renames the copy over the original; the directory is fsynced
//! too. A crash or kill at any moment leaves either the old file or the new
//! one, never a mix, and readers that opened the old file keep reading it.
//! An exclusive lock file serialises writers.
//!
//! Why SQLite and not a key-value store: look-ups are by (family, release,
//! name) with a handful of rows each, the file doubles as an inspectable
//! artefact (`sqlite3 advisories.db`), and rusqlite is already in the
//! build for rpm databases. Measured figures are in docs/performance.md.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::ecosystem::{PackageKey, key_of_affected};
use crate::model::{Advisory, Affected, CveScore, EpssEntry, KevEntry};

/// Bump when the table layout changes; an older file is refused with a
/// message to rebuild it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("advisory database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("advisory database {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no advisory database at {0} (run `drydock db update`, or `drydock db import` a bundle)")]
    Missing(PathBuf),
    #[error(
        "advisory database {path} has schema {found}, this drydock reads {SCHEMA_VERSION} (rebuild it with `drydock db update` or import a new bundle)"
    )]
    Schema { path: PathBuf, found: String },
    #[error("advisory database {path} is being written by another drydock process (lock file {lock})")]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("advisory database {path}: stored record {id} is corrupt: {reason}")]
    Corrupt { path: PathBuf, id: String, reason: String },
}

/// What the database knows about one source (a feed URL or an imported path).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub name: String,
    /// `osv`, `alpine-secdb`, `kev`, `epss`, `nvd`, or `mixed`.
    pub kind: String,
    /// The URL or path it was read from.
    pub location: String,
    /// When its data was fetched from the publisher (RFC 3339). Bundles
    /// carry it across the air gap unchanged.
    pub fetched_at: String,
    pub advisories: u64,
    pub kev: u64,
    pub epss: u64,
    pub cve_scores: u64,
    /// Records skipped on purpose (withdrawn, not security errata).
    pub dropped: u64,
    /// Records that could not be read.
    pub malformed: u64,
    /// sha256 of the fetched file(s), when fetched over HTTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// When the publisher produced the data, where the feed says (KEV
    /// `dateReleased`, EPSS `score_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl SourceInfo {
    pub fn records(&self) -> u64 {
        self.advisories + self.kev + self.epss + self.cve_scores
    }
}

const SCHEMA: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE advisories(
    rowid INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE(source, id));
CREATE TABLE affected(
    advisory INTEGER NOT NULL,
    entry INTEGER NOT NULL,
    family TEXT NOT NULL,
    release TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL);
CREATE INDEX affected_key ON affected(family, name, release);
CREATE INDEX affected_advisory ON affected(advisory);
CREATE TABLE kev(cve TEXT NOT NULL, source TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY(cve, source));
CREATE TABLE epss(cve TEXT NOT NULL, source TEXT NOT NULL, score REAL NOT NULL, percentile REAL NOT NULL, PRIMARY KEY(cve, source));
CREATE TABLE cve_scores(cve TEXT NOT NULL, source TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX cve_scores_cve ON cve_scores(cve);
";

/// A read-only handle on the database file.
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

/// One stored affected entry, as the matcher reads it.
pub struct AffectedRow {
    pub advisory: i64,
    pub release: String,
    pub affected: Affected,
}

/// An advisory without its affected entries (they are stored per row).
pub struct AdvisoryRow {
    pub source: String,
    pub advisory: Advisory,
}

impl Store {
    /// Opens the database read-only. Missing file: [`StoreError::Missing`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        // `immutable=1`: the live file is never written in place (writers
        // rename a new file over it), so SQLite may skip file locking and
        // change detection. Without it, every look-up paid for fcntl locks
        // and a hot-journal check: half the matching time, measured.
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| sql(path, e))?;
        // Memory-map the file: look-ups touch pages all over it, and with
        // SQLite's default 2 MiB cache each one was a pread (measured).
        conn.execute_batch("PRAGMA mmap_size = 1073741824;").map_err(|e| sql(path, e))?;
        let store = Store { path: path.to_owned(), conn };
        let found = store.meta("schema_version")?.unwrap_or_default();
        if found != SCHEMA_VERSION.to_string() {
            return Err(StoreError::Schema { path: path.to_owned(), found: if found.is_empty() { "none".into() } else { found } });
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(|e| sql(&self.path, e))
    }

    /// When the file was last built (RFC 3339).
    pub fn built_at(&self) -> Result<String, StoreError> {
        Ok(self.meta("built_at")?.unwrap_or_default())
    }

    pub fn sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT name, doc FROM sources ORDER BY name").map_err(|e| sql(&self.path, e))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(|e| sql(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, doc) = row.map_err(|e| sql(&self.path, e))?;
            out.push(serde_json::from_str(&doc).map_err(|e| self.corrupt(&name, e))?);
        }
        Ok(out)
    }

    /// Affected entries stored under `key`'s family and name, for `key`'s
    /// release (distro families) or any (language ecosystems).
    pub fn affected(&self, key: &PackageKey) -> Result<Vec<AffectedRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT advisory, release, doc FROM affected WHERE family = ?1 AND name = ?2 AND release = ?3")
            .map_err(|e| sql(&self.path, e))?;
        let rows = stmt
            .query_map(params![key.family.as_str(), key.name, key.release], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(|e| sql(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (advisory, release, doc) = row.map_err(|e| sql(&self.path, e))?;
            let affected = serde_json::from_str(&doc).map_err(|e| self.corrupt(&format!("#{advisory}"), e))?;
            out.push(AffectedRow { advisory, release, affected });
        }
        Ok(out)
    }

    /// The advisory record (without affected entries) stored at `rowid`.
    pub fn advisory(&self, rowid: i64) -> Result<AdvisoryRow, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT source, doc FROM advisories WHERE rowid = ?1").map_err(|e| sql(&self.path, e))?;
        let (source, doc): (String, String) = stmt.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| sql(&self.path, e))?;
        let advisory = serde_json::from_str(&doc).map_err(|e| self.corrupt(&format!("#{rowid}"), e))?;
        Ok(AdvisoryRow { source, advisory })
    }

    pub fn kev(&self, cve: &str) -> Result<Option<KevEntry>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT doc FROM kev WHERE cve = ?1 ORDER BY source LIMIT 1").map_err(|e| sql(&self.path, e))?;
        let doc: Option<String> = stmt.query_row([cve], |r| r.get(0)).optional().map_err(|e| sql(&self.path, e))?;
        doc.map(|d| serde_json::from_str(&d).map_err(|e| self.corrupt(cve, e))).transpose()
    }

    pub fn epss(&self, cve: &str) -> Result<Option<EpssEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT score, percentile FROM epss WHERE cve = ?1 ORDER BY source LIMIT 1")
            .map_err(|e| sql(&self.path, e))?;
        stmt.query_row([cve], |r| Ok(EpssEntry { cve: cve.to_owned(), score: r.get(0)?, percentile: r.get(1)? }))
            .optional()
            .map_err(|e| sql(&self.path, e))
    }

    pub fn cve_scores(&self, cve: &str) -> Result<Vec<CveScore>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT doc FROM cve_scores WHERE cve = ?1").map_err(|e| sql(&self.path, e))?;
        let rows = stmt.query_map([cve], |r| r.get::<_, String>(0)).map_err(|e| sql(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let doc = row.map_err(|e| sql(&self.path, e))?;
            out.push(serde_json::from_str(&doc).map_err(|e| self.corrupt(cve, e))?);
        }
        Ok(out)
    }

    /// Every record of `source`, for bundle export: advisories with their
    /// affected entries restored, in id order.
    pub fn for_each_advisory(&self, source: &str, mut f: impl FnMut(Advisory) -> std::io::Result<()>) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.rowid, a.doc, f.doc FROM advisories a LEFT JOIN affected f ON f.advisory = a.rowid \
                 WHERE a.source = ?1 ORDER BY a.id, a.rowid, f.entry",
            )
            .map_err(|e| sql(&self.path, e))?;
        let mut rows = stmt.query([source]).map_err(|e| sql(&self.path, e))?;
        let mut current: Option<(i64, Advisory)> = None;
        while let Some(row) = rows.next().map_err(|e| sql(&self.path, e))? {
            let rowid: i64 = row.get(0).map_err(|e| sql(&self.path, e))?;
            if current.as_ref().is_none_or(|(id, _)| *id != rowid) {
                if let Some((_, adv)) = current.take() {
                    f(adv).map_err(|e| io(&self.path, e))?;
                }
                let doc: String = row.get(1).map_err(|e| sql(&self.path, e))?;
                current = Some((rowid, serde_json::from_str(&doc).map_err(|e| self.corrupt(&format!("#{rowid}"), e))?));
            }
            let affected: Option<String> = row.get(2).map_err(|e| sql(&self.path, e))?;
            if let (Some(doc), Some((_, adv))) = (affected, current.as_mut()) {
                adv.affected.push(serde_json::from_str(&doc).map_err(|e| self.corrupt(&format!("#{rowid}"), e))?);
            }
        }
        if let Some((_, adv)) = current.take() {
            f(adv).map_err(|e| io(&self.path, e))?;
        }
        Ok(())
    }

    pub fn kev_of_source(&self, source: &str) -> Result<Vec<KevEntry>, StoreError> {
        self.docs_of("SELECT doc FROM kev WHERE source = ?1 ORDER BY cve", source)
    }

    pub fn cve_scores_of_source(&self, source: &str) -> Result<Vec<CveScore>, StoreError> {
        self.docs_of("SELECT doc FROM cve_scores WHERE source = ?1 ORDER BY cve, doc", source)
    }

    pub fn epss_of_source(&self, source: &str) -> Result<Vec<EpssEntry>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT cve, score, percentile FROM epss WHERE source = ?1 ORDER BY cve").map_err(|e| sql(&self.path, e))?;
        let rows = stmt
            .query_map([source], |r| Ok(EpssEntry { cve: r.get(0)?, score: r.get(1)?, percentile: r.get(2)? }))
            .map_err(|e| sql(&self.path, e))?;
        rows.collect::<Result<_, _>>().map_err(|e| sql(&self.path, e))
    }

    fn docs_of<T: serde::de::DeserializeOwned>(&self, query: &str, source: &str) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.conn.prepare(query).map_err(|e| sql(&self.path, e))?;
        let rows = stmt.query_map([source], |r| r.get::<_, String>(0)).map_err(|e| sql(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let doc = row.map_err(|e| sql(&self.path, e))?;
            out.push(serde_json::from_str(&doc).map_err(|e| self.corrupt(source, e))?);
        }
        Ok(out)
    }

    /// Affected-entry counts per family (for `db status`).
    pub fn family_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT family, COUNT(DISTINCT advisory) FROM affected GROUP BY family ORDER BY family")
            .map_err(|e| sql(&self.path, e))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(|e| sql(&self.path, e))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (family, n) = row.map_err(|e| sql(&self.path, e))?;
            out.insert(if family.is_empty() { "(other)".to_owned() } else { family }, n.max(0) as u64);
        }
        Ok(out)
    }

    /// Whether any advisory is stored for a distro release.
    pub fn has_family_release(&self, family: crate::ecosystem::Family, release: &str) -> Result<bool, StoreError> {
        let releases = self.meta("releases")?.unwrap_or_default();
        let releases: Vec<(String, String)> = serde_json::from_str(&releases).unwrap_or_default();
        Ok(releases.iter().any(|(f, r)| f == family.as_str() && r == release))
    }

    fn corrupt(&self, id: &str, e: serde_json::Error) -> StoreError {
        StoreError::Corrupt { path: self.path.clone(), id: id.to_owned(), reason: e.to_string() }
    }
}

/// A new database file being built beside the live one. Dropped without
/// [`Rebuild::commit`], it removes itself and the live file is untouched.
pub struct Rebuild {
    target: PathBuf,
    temp: PathBuf,
    conn: Option<Connection>,
    _lock: File,
}

impl Rebuild {
    /// Starts a rebuild of `target`: from a copy of it when `keep_existing`
    /// and it exists, else empty. Takes the writer lock.
    pub fn start(target: &Path, keep_existing: bool) -> Result<Rebuild, StoreError> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let lock_path = with_suffix(target, ".lock");
        let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(|e| io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(StoreError::Locked { path: target.to_owned(), lock: lock_path }),
            Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path, e)),
        }
        // Holding the lock, no other writer is alive: temp files beside the
        // target are leftovers of a killed writer, and go.
        let prefix = format!("{}.tmp-", target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if let Ok(entries) = fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        let temp = with_suffix(target, &format!(".tmp-{}", std::process::id()));
        let copy = keep_existing && target.exists();
        if copy {
            // Refuse to build on a file we cannot read (wrong schema).
            Store::open(target)?;
            fs::copy(target, &temp).map_err(|e| io(&temp, e))?;
        }
        let conn = Connection::open(&temp).map_err(|e| sql(&temp, e))?;
        // The temp file is private until the rename, so its journal buys
        // nothing: a crash leaves a stray temp file, never a torn database.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;")
            .map_err(|e| sql(&temp, e))?;
        if !copy {
            conn.execute_batch(SCHEMA).map_err(|e| sql(&temp, e))?;
        }
        conn.execute_batch("BEGIN").map_err(|e| sql(&temp, e))?;
        let mut rebuild = Rebuild { target: target.to_owned(), temp, conn: Some(conn), _lock: lock };
        rebuild.set_meta("schema_version", &SCHEMA_VERSION.to_string())?;
        Ok(rebuild)
    }

    fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("connection lives until commit or drop")
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn()
            .execute("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
            .map_err(|e| sql(&self.temp, e))?;
        Ok(())
    }

    /// The sources already in the file (when rebuilding from a copy).
    pub fn sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let mut stmt = self.conn().prepare("SELECT doc FROM sources ORDER BY name").map_err(|e| sql(&self.temp, e))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| sql(&self.temp, e))?;
        let mut out = Vec::new();
        for row in rows {
            let doc = row.map_err(|e| sql(&self.temp, e))?;
            out.push(serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt {
                path: self.temp.clone(),
                id: "sources".into(),
                reason: e.to_string(),
            })?);
        }
        Ok(out)
    }

    /// Removes every record of `source` (before it is imported again).
    pub fn clear_source(&mut self, source: &str) -> Result<(), StoreError> {
        let c = self.conn();
        let run = |q: &str| c.execute(q, [source]).map(|_| ()).map_err(|e| sql(&self.temp, e));
        run("DELETE FROM affected WHERE advisory IN (SELECT rowid FROM advisories WHERE source = ?1)")?;
        run("DELETE FROM advisories WHERE source = ?1")?;
        run("DELETE FROM kev WHERE source = ?1")?;
        run("DELETE FROM epss WHERE source = ?1")?;
        run("DELETE FROM cve_scores WHERE source = ?1")?;
        run("DELETE FROM sources WHERE name = ?1")?;
        Ok(())
    }

    pub fn put_source(&mut self, info: &SourceInfo) -> Result<(), StoreError> {
        let doc = serde_json::to_string(info).expect("plain struct serializes");
        self.conn()
            .execute(
                "INSERT INTO sources(name, doc) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET doc = excluded.doc",
                [&info.name, &doc],
            )
            .map_err(|e| sql(&self.temp, e))?;
        Ok(())
    }

    /// Stores one advisory; returns true when its id is new in `source`.
    ///
    /// A second record with the same id in the same source is merged into
    /// the first: its affected entries are added (exact duplicates are
    /// skipped), ids and references are unioned, and its other fields win.
    /// Alpine secdb repeats one CVE id in every branch file, and OSV exports
    /// occasionally carry one record in two files; replacing would lose the
    /// first copy's packages.
    pub fn put_advisory(&mut self, source: &str, mut advisory: Advisory) -> Result<bool, StoreError> {
        let mut affected = std::mem::take(&mut advisory.affected);
        let c = self.conn.as_ref().expect("connection lives until commit or drop");
        let t = &self.temp;
        let old: Option<(i64, String)> = c
            .prepare_cached("SELECT rowid, doc FROM advisories WHERE source = ?1 AND id = ?2")
            .and_then(|mut s| s.query_row([source, &advisory.id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(|e| sql(t, e))?;
        let corrupt = |e: serde_json::Error| StoreError::Corrupt { path: t.clone(), id: advisory.id.clone(), reason: e.to_string() };
        let (rowid, first_entry, is_new) = match old {
            Some((rowid, doc)) => {
                let previous: Advisory = serde_json::from_str(&doc).map_err(corrupt)?;
                let mut stmt = c.prepare_cached("SELECT doc FROM affected WHERE advisory = ?1 ORDER BY entry").map_err(|e| sql(t, e))?;
                let existing: Vec<Affected> = stmt
                    .query_map([rowid], |r| r.get::<_, String>(0))
                    .map_err(|e| sql(t, e))?
                    .map(|d| d.map_err(|e| sql(t, e)).and_then(|d| serde_json::from_str(&d).map_err(corrupt)))
                    .collect::<Result<_, _>>()?;
                affected.retain(|a| !existing.contains(a));
                union(&mut advisory.aliases, previous.aliases);
                union(&mut advisory.related, previous.related);
                union(&mut advisory.references, previous.references);
                for s in previous.severity {
                    if !advisory.severity.contains(&s) {
                        advisory.severity.push(s);
                    }
                }
                let doc = serde_json::to_string(&advisory).expect("plain struct serializes");
                c.execute("UPDATE advisories SET doc = ?1 WHERE rowid = ?2", params![doc, rowid]).map_err(|e| sql(t, e))?;
                (rowid, existing.len(), false)
            }
            None => {
                let doc = serde_json::to_string(&advisory).expect("plain struct serializes");
                c.prepare_cached("INSERT INTO advisories(source, id, doc) VALUES (?1, ?2, ?3)")
                    .and_then(|mut s| s.execute(params![source, advisory.id, doc]))
                    .map_err(|e| sql(t, e))?;
                (c.last_insert_rowid(), 0, true)
            }
        };
        let mut insert = c
            .prepare_cached("INSERT INTO affected(advisory, entry, family, release, name, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(|e| sql(t, e))?;
        for (i, a) in affected.iter().enumerate() {
            let doc = serde_json::to_string(a).expect("plain struct serializes");
            let (family, release, name) = match key_of_affected(&a.ecosystem, &a.name) {
                Some(k) => (k.family.as_str().to_owned(), k.release, k.name),
                // Stored (so bundles round-trip) but never matched.
                None => (String::new(), a.ecosystem.clone(), a.name.clone()),
            };
            insert.execute(params![rowid, (first_entry + i) as i64, family, release, name, doc]).map_err(|e| sql(t, e))?;
        }
        Ok(is_new)
    }

    pub fn put_kev(&mut self, source: &str, entry: &KevEntry) -> Result<(), StoreError> {
        let doc = serde_json::to_string(entry).expect("plain struct serializes");
        self.conn()
            .prepare_cached("INSERT OR REPLACE INTO kev(cve, source, doc) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![entry.cve, source, doc]))
            .map_err(|e| sql(&self.temp, e))?;
        Ok(())
    }

    pub fn put_epss(&mut self, source: &str, entry: &EpssEntry) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("INSERT OR REPLACE INTO epss(cve, source, score, percentile) VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut s| s.execute(params![entry.cve, source, entry.score, entry.percentile]))
            .map_err(|e| sql(&self.temp, e))?;
        Ok(())
    }

    pub fn put_cve_score(&mut self, source: &str, score: &CveScore) -> Result<(), StoreError> {
        let doc = serde_json::to_string(score).expect("plain struct serializes");
        self.conn()
            .prepare_cached("INSERT INTO cve_scores(cve, source, doc) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![score.cve, source, doc]))
            .map_err(|e| sql(&self.temp, e))?;
        Ok(())
    }

    /// Commits, fsyncs and renames the new file over the live one.
    pub fn commit(mut self, built_at: &str) -> Result<(), StoreError> {
        self.set_meta("built_at", built_at)?;
        // The (family, release) pairs present, so a scan can say when its
        // distro release is missing without scanning the table.
        let releases: Vec<(String, String)> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT DISTINCT family, release FROM affected WHERE family != '' ORDER BY 1, 2")
                .map_err(|e| sql(&self.temp, e))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| sql(&self.temp, e))?;
            rows.collect::<Result<_, _>>().map_err(|e| sql(&self.temp, e))?
        };
        self.set_meta("releases", &serde_json::to_string(&releases).expect("strings serialize"))?;
        let conn = self.conn.take().expect("connection lives until commit or drop");
        conn.execute_batch("COMMIT; PRAGMA optimize;").map_err(|e| sql(&self.temp, e))?;
        conn.close().map_err(|(_, e)| sql(&self.temp, e))?;
        File::open(&self.temp).and_then(|f| f.sync_all()).map_err(|e| io(&self.temp, e))?;
        fs::rename(&self.temp, &self.target).map_err(|e| io(&self.target, e))?;
        if let Some(dir) = self.target.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Makes the rename itself durable.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            drop(conn);
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A path as a `file:` URI path: absolute, with `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = String::new();
    for c in abs.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

fn union(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn sql(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.to_owned(), source }
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.to_owned(), source }
}
