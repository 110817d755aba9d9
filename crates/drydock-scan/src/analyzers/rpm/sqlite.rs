//! SQLite `rpmdb.sqlite` (rpm ≥ 4.16: Fedora, RHEL/UBI 9, AL2023,
//! CBL-Mariner): table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`.
//!
//! The bytes are handed to SQLite in memory with `sqlite3_deserialize`:
//! the walk never writes to disk, and SQLite, not a hand-written b-tree
//! reader, deals with freelists, overflow pages and corrupt pages.
//! rusqlite's `serialize` feature wraps that call safely.
//!
//! The database is hostile input, so the connection is locked down before
//! the file is attached: defensive mode, untrusted schema, no blob larger
//! than the file, and `Packages` must be a real table (a view could run an
//! endless recursive query).

use std::ffi::c_int;

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, MAIN_DB};

use super::Source;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub(crate) fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Calls `each` with every `Packages.blob`. `Err` if SQLite cannot open the
/// file or it has no `Packages` table; a read error part-way keeps what was
/// read and is counted.
pub(crate) fn read(bytes: &[u8], each: &mut dyn FnMut(&[u8])) -> Result<Source, String> {
    // rpm puts its database in WAL mode (header bytes 18 and 19 = 2), which
    // an in-memory database refuses to open. Any committed data is in the
    // main file once rpm has checkpointed, which it does on close; marking
    // the copy as a rollback-journal database (1, 1) makes it readable.
    let mut image = bytes.to_vec();
    if let Some(v) = image.get_mut(18..20) {
        v.copy_from_slice(&[1, 1]);
    }
    let mut conn = Connection::open_in_memory().map_err(|e| format!("cannot open SQLite in memory: {e}"))?;
    lock_down(&conn, image.len()).map_err(|e| format!("cannot configure SQLite: {e}"))?;
    // Copied into SQLite's own memory, read-only: nothing touches the disk.
    conn.deserialize_read_exact(MAIN_DB, &image[..], image.len(), true).map_err(|e| format!("SQLite refused the database: {e}"))?;
    query(&conn, image.len(), each)
}

fn lock_down(conn: &Connection, file_len: usize) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    // No value read from the file can be longer than the file.
    let cap = c_int::try_from(file_len.max(1)).unwrap_or(c_int::MAX);
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, cap)?;
    Ok(())
}

fn query(conn: &Connection, file_len: usize, each: &mut dyn FnMut(&[u8])) -> Result<Source, String> {
    let kind: Option<String> =
        conn.query_row("SELECT type FROM sqlite_schema WHERE name = 'Packages'", [], |r| r.get(0)).map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => "SQLite database has no Packages table".to_owned(),
            e => format!("cannot read the SQLite schema: {e}"),
        })?;
    if kind.as_deref() != Some("table") {
        return Err(format!("SQLite `Packages` is a {}, not a table", kind.as_deref().unwrap_or("NULL")));
    }
    let mut stmt = conn.prepare("SELECT blob FROM Packages").map_err(|e| format!("cannot query Packages: {e}"))?;
    let mut rows = stmt.query([]).map_err(|e| format!("cannot query Packages: {e}"))?;
    let mut src = Source::new(file_len);
    loop {
        match rows.next() {
            Ok(Some(row)) => match row.get_ref(0) {
                Ok(rusqlite::types::ValueRef::Blob(b)) if src.allow(b.len()) => each(b),
                // Rows sharing overflow pages: stop before the work grows
                // with the square of the file.
                Ok(rusqlite::types::ValueRef::Blob(_)) => break,
                Ok(_) => src.note("Packages row whose blob is not a BLOB".into()),
                Err(e) => src.note(format!("Packages row: {e}")),
            },
            Ok(None) => break,
            // A corrupt page ends the scan: SQLite cannot step past it.
            Err(e) => {
                src.note(format!("reading Packages stopped: {e}"));
                break;
            }
        }
    }
    Ok(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a database with `sql` to a temporary file (tests only: the
    /// analyzer itself never touches the disk) and returns its bytes.
    fn db(sql: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rpmdb.sqlite");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(sql).expect("sql");
        drop(conn);
        std::fs::read(&path).expect("read back")
    }

    fn blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
        let mut out = Vec::new();
        read(bytes, &mut |b| out.push(b.to_vec()))?;
        Ok(out)
    }

    #[test]
    fn reads_blobs_from_a_wal_mode_database() {
        let bytes = db("PRAGMA journal_mode=WAL; CREATE TABLE Packages(hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL);
             INSERT INTO Packages VALUES (1, x'0102'), (2, x'03');");
        assert_eq!(&bytes[18..20], &[2, 2], "rpm's databases are in WAL mode; so is this one");
        assert_eq!(blobs(&bytes).unwrap(), vec![vec![1, 2], vec![3]]);
    }

    #[test]
    fn a_view_or_a_missing_table_is_refused_without_running_it() {
        // An endless recursive view: running it would hang the scan.
        let bytes = db("CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS blob FROM c;");
        assert!(blobs(&bytes).unwrap_err().contains("not a table"));
        let bytes = db("CREATE TABLE Other(x);");
        assert!(blobs(&bytes).unwrap_err().contains("no Packages table"));
    }

    #[test]
    fn non_blob_values_are_counted_not_returned() {
        let bytes = db("CREATE TABLE Packages(hnum INTEGER PRIMARY KEY, blob); INSERT INTO Packages VALUES (1, 'text'), (2, x'00');");
        let mut n = 0;
        let src = read(&bytes, &mut |_| n += 1).unwrap();
        assert_eq!((n, src.skipped), (1, 1));
    }
}
