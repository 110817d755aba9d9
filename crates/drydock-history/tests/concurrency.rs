//! Several writers, and a writer that dies mid-record.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::*;
use drydock_core::report::Report;
use drydock_core::tracking::{FindingKind, Profile};
use drydock_history::{History, RecordOptions};

/// `count` vulnerabilities `CVE-<year>-<n>` in packages `pkg-<n>`.
fn many(reference: &str, n: u8, year: u32, count: usize) -> Report {
    vulns(reference, n, (0..count).map(|i| vuln(&format!("CVE-{year}-{i:05}"), &format!("pkg-{i}"), "HIGH")).collect())
}

#[test]
fn two_threads_recording_at_once_lose_nothing() {
    const SCANS: usize = 15;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = ["registry.invalid/a", "registry.invalid/b"]
        .into_iter()
        .enumerate()
        .map(|(w, repository)| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                // Both create the file at the same moment, too.
                barrier.wait();
                let mut h = History::open(&path).expect("open");
                let mut scan_ids = Vec::new();
                for i in 0..SCANS {
                    // Each scan drops one finding and adds one.
                    let findings = (i..i + 40).map(|k| vuln(&format!("CVE-2026-{k:05}"), "pkg", "HIGH")).collect();
                    let report = vulns(&format!("{repository}:{i}"), u8::try_from(i).expect("small"), findings);
                    let now = at(&format!("2026-11-01T10:{:02}:{:02}Z", i, w));
                    let t = h
                        .record(
                            &report,
                            &RecordOptions {
                                profile: &Profile::fedramp_rev5(),
                                config_checksum: "sha256:c",
                                now,
                                covered: FindingKind::ALL,
                            },
                        )
                        .expect("record under contention");
                    assert_eq!(t.findings.len(), 40);
                    assert_eq!(t.closed.len(), usize::from(i > 0));
                    scan_ids.push(t.scan_id);
                }
                scan_ids
            })
        })
        .collect();
    let ids: Vec<Vec<i64>> = writers.into_iter().map(|w| w.join().expect("writer thread")).collect();

    let h = History::open(&path).expect("open");
    h.integrity_check().expect("consistent");
    let scans = h.scans(None, None).expect("scans");
    assert_eq!(scans.len(), 2 * SCANS);
    for scan in &scans {
        assert_eq!(scan.seen, 40, "scan {} is complete", scan.id);
    }
    for (w, repository) in ["registry.invalid/a", "registry.invalid/b"].into_iter().enumerate() {
        assert_eq!(ids[w].len(), SCANS);
        let open = h.open_findings(Some(repository), at("2026-11-02T00:00:00Z")).expect("open");
        assert_eq!(open.len(), 40, "{repository}");
        assert!(open.iter().all(|f| f.first_seen.starts_with("2026-11-01T10:")));
        let last = h.tracking_for_scan(*ids[w].last().expect("scans")).expect("tracking");
        assert_eq!(last.repository, repository);
        assert_eq!(last.findings.len(), 40);
    }
}

const CHILD_DB: &str = "DRYDOCK_HISTORY_TEST_CRASH_DB";
const CHILD_MARK: &str = "DRYDOCK_HISTORY_TEST_CRASH_MARK";
const BIG: usize = 20_000;

/// Not a test on its own: the writer the crash test starts (this test
/// binary again, with the environment set) and kills. It records a scan
/// of `BIG` findings and, halfway through the transaction, says so in the
/// mark file and waits to be killed.
#[test]
fn crash_writer_child() {
    let (Some(db), Some(mark)) = (std::env::var_os(CHILD_DB), std::env::var_os(CHILD_MARK)) else { return };
    let mut h = History::open(&db).expect("child opens the history");
    h.set_record_hook(Box::new(move |written| {
        if written == BIG / 2 {
            std::fs::write(&mark, b"halfway").expect("write mark");
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }));
    let report = many("registry.invalid/crash:2", 2, 2027, BIG);
    h.record(
        &report,
        &RecordOptions {
            profile: &Profile::fedramp_rev5(),
            config_checksum: "sha256:c",
            now: at("2026-11-02T10:00:00Z"),
            covered: FindingKind::ALL,
        },
    )
    .expect("the child is killed before this returns");
    unreachable!("the parent kills the child halfway");
}

fn wait_for(mark: &Path, child: &mut std::process::Child) {
    let start = Instant::now();
    while !mark.exists() {
        if let Some(status) = child.try_wait().expect("child status") {
            panic!("the writer exited ({status}) before reaching halfway");
        }
        assert!(start.elapsed() < Duration::from_secs(300), "the writer never reached halfway");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_writer_killed_mid_transaction_leaves_the_history_consistent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("history.db");
    let mark = dir.path().join("halfway");
    let before = {
        let mut h = History::open(&db).expect("open");
        record(&mut h, &many("registry.invalid/crash:1", 1, 2026, 50), "2026-11-01T10:00:00Z")
    };

    let wal_size = || std::fs::metadata(dir.path().join("history.db-wal")).map(|m| m.len()).unwrap_or(0);
    let committed = wal_size();
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["crash_writer_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, &db)
        .env(CHILD_MARK, &mark)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the writer");
    wait_for(&mark, &mut child);
    // Uncommitted pages of the half-written scan are in the WAL by now
    // (10,000 findings overflow the page cache), so what is tested is
    // recovery from a torn transaction, not just a lost page cache.
    let torn = wal_size();
    child.kill().expect("kill the writer");
    let status = child.wait().expect("reap the writer");
    assert!(!status.success());
    assert!(torn > committed, "the killed writer spilled nothing to the WAL ({torn} bytes, {committed} before it)");

    let mut h = History::open(&db).expect("open after the crash");
    h.integrity_check().expect("integrity_check and foreign_key_check pass");
    let scans = h.scans(None, None).expect("scans");
    assert_eq!(scans.len(), 1, "only the complete scan: {scans:?}");
    assert_eq!(scans[0].seen, 50);
    assert_eq!(h.tracking_for_scan(before.scan_id).expect("first scan"), before);
    let open = h.open_findings(None, at("2026-11-03T00:00:00Z")).expect("open");
    assert_eq!(open.len(), 50, "the killed scan closed nothing and added nothing");
    assert!(open.iter().all(|f| f.rule.starts_with("CVE-2026-") && f.last_seen == "2026-11-01T10:00:00Z"));

    // The file takes the next writer at once (no lock left behind).
    let t = record(&mut h, &many("registry.invalid/crash:3", 3, 2026, 10), "2026-11-04T10:00:00Z");
    assert_eq!((t.findings.len(), t.closed.len()), (10, 40));
    h.integrity_check().expect("consistent");
}
