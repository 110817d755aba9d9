//! Recording scans: identity across rescans and rebuilds, first seen,
//! closing and reopening, deadlines, and what the file keeps.

mod common;

use common::*;
use drydock_core::tracking::{FindingKind, Profile};
use drydock_core::vulnerability::Severity;
use drydock_history::{History, HistoryError, finding_id};
use serde_json::json;

#[test]
fn open_creates_the_directory_and_a_versioned_wal_file() {
    let (_dir, path, h) = history();
    assert!(path.exists());
    drop(h);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, drydock_history::SCHEMA_VERSION);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    assert_eq!(mode, "wal");
    // Reopening an existing file is fine.
    History::open(&path).expect("reopen");
}

#[test]
fn newer_schema_is_refused_naming_the_file() {
    let (_dir, path, h) = history();
    drop(h);
    rusqlite::Connection::open(&path).and_then(|c| c.execute_batch("PRAGMA user_version = 99")).expect("bump version");
    let err = History::open(&path).err().expect("refused");
    assert!(matches!(err, HistoryError::Schema { found: 99, .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()), "{err}");
}

#[test]
fn rescan_of_the_same_image_keeps_ids_and_first_seen() {
    let (_dir, _path, mut h) = history();
    let r = report(
        &format!("{APP}:1.0"),
        1,
        vec![vuln("CVE-2026-0001", "openssl", "HIGH")],
        vec![check("IMG001", "HIGH", &["config.User"])],
        vec![secret("SEC001", "/app/.env", "fp-1", 3)],
    );
    let first = record(&mut h, &r, "2026-11-01T10:00:00Z");
    let again = record(&mut h, &r, "2026-11-08T10:00:00Z");
    assert_eq!(first.findings.len(), 3);
    assert_eq!(first.repository, APP);
    let ids = |t: &drydock_core::tracking::Tracking| t.findings.iter().map(|f| f.id.clone()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(ids(&first), ids(&again));
    for f in &again.findings {
        assert_eq!(f.first_seen, "2026-11-01T10:00:00Z", "{}", f.rule);
        assert_eq!(f.last_seen, "2026-11-08T10:00:00Z");
        assert_eq!(f.reopened, 0);
    }
    assert!(again.closed.is_empty());
    let v = by_rule(&again.findings, "CVE-2026-0001");
    assert_eq!(v.id, finding_id(FindingKind::Vulnerability, APP, "CVE-2026-0001", "deb/openssl"));
    assert_eq!(v.kind, FindingKind::Vulnerability);
    assert_eq!(v.subject, "openssl");
    assert_eq!(by_rule(&again.findings, "SEC001").subject, "/app/.env");
}

#[test]
fn rebuilt_image_with_new_tag_and_digest_keeps_ids_and_first_seen() {
    let (_dir, _path, mut h) = history();
    let before = record(
        &mut h,
        &report(
            &format!("{APP}:1.0"),
            1,
            vec![vuln("CVE-2026-0001", "openssl", "HIGH")],
            vec![check("IMG010", "LOW", &["history[3]"])],
            vec![secret("SEC001", "/app/.env", "fp-1", 3)],
        ),
        "2026-11-01T10:00:00Z",
    );
    // The rebuild: new tag, new digest, a build step added before the ADD
    // (its history index moved), the secret moved down two lines.
    let after = record(
        &mut h,
        &report(
            &format!("{APP}:1.1@{}", digest(2)),
            2,
            vec![vuln("CVE-2026-0001", "openssl", "HIGH")],
            vec![check("IMG010", "LOW", &["history[4]", "history[7]"])],
            vec![secret("SEC001", "/app/.env", "fp-1", 5)],
        ),
        "2026-11-20T10:00:00Z",
    );
    assert_eq!(after.repository, before.repository);
    for rule in ["CVE-2026-0001", "IMG010", "SEC001"] {
        let (a, b) = (by_rule(&before.findings, rule), by_rule(&after.findings, rule));
        assert_eq!(a.id, b.id, "{rule}");
        assert_eq!(b.first_seen, "2026-11-01T10:00:00Z", "{rule}");
    }
    assert_eq!(by_rule(&after.findings, "IMG010").subject, "history[4] and 1 more");
    assert!(after.closed.is_empty());
}

#[test]
fn a_fixed_finding_closes_and_a_new_one_opens() {
    let (_dir, _path, mut h) = history();
    record(
        &mut h,
        &vulns(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH"), vuln("CVE-2026-0002", "zlib", "LOW")]),
        "2026-11-01T10:00:00Z",
    );
    let t = record(
        &mut h,
        &vulns(APP, 2, vec![vuln("CVE-2026-0002", "zlib", "LOW"), vuln("CVE-2026-0003", "curl", "MEDIUM")]),
        "2026-11-05T10:00:00Z",
    );
    assert_eq!(t.closed.len(), 1);
    let fixed = &t.closed[0];
    assert_eq!(fixed.rule, "CVE-2026-0001");
    assert_eq!(fixed.closed_at.as_deref(), Some("2026-11-05T10:00:00Z"));
    assert_eq!(fixed.last_seen, "2026-11-01T10:00:00Z");
    assert_eq!((fixed.days_left, fixed.overdue), (None, false));
    assert_eq!(by_rule(&t.findings, "CVE-2026-0003").first_seen, "2026-11-05T10:00:00Z");

    let open = h.open_findings(Some(APP), at("2026-11-05T12:00:00Z")).expect("open findings");
    assert_eq!(open.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["CVE-2026-0003", "CVE-2026-0002"]);
    let closed = h.finding(&fixed.id, at("2026-11-06T00:00:00Z")).expect("closed finding still known");
    assert_eq!(closed.closed_at.as_deref(), Some("2026-11-05T10:00:00Z"));
}

#[test]
fn a_finding_that_comes_back_reopens_on_its_original_clock() {
    let (_dir, _path, mut h) = history();
    let with_bug = vulns(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]);
    record(&mut h, &with_bug, "2026-11-01T10:00:00Z");
    record(&mut h, &vulns(APP, 2, vec![]), "2026-11-10T10:00:00Z");
    let back = record(&mut h, &with_bug, "2026-12-20T10:00:00Z");
    let f = by_rule(&back.findings, "CVE-2026-0001");
    assert_eq!(f.first_seen, "2026-11-01T10:00:00Z");
    assert_eq!(f.reopened, 1);
    assert_eq!(f.closed_at, None);
    assert_eq!(f.due.as_deref(), Some("2026-12-01"));
    assert!(f.overdue);
    assert_eq!(f.days_left, Some(-19));
    let scans = h.scans(None, None).expect("scans");
    assert_eq!(scans.iter().map(|s| (s.opened, s.reopened, s.closed)).collect::<Vec<_>>(), [(1, 0, 0), (0, 0, 1), (0, 1, 0)]);
}

#[test]
fn repositories_are_tracked_apart() {
    let (_dir, _path, mut h) = history();
    let a = record(&mut h, &vulns("registry.invalid/a:1", 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]), "2026-11-01T10:00:00Z");
    // Scanning b does not close a's finding, and the same CVE is its own item.
    let b = record(&mut h, &vulns("registry.invalid/b:1", 2, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]), "2026-11-02T10:00:00Z");
    assert!(b.closed.is_empty());
    assert_ne!(a.findings[0].id, b.findings[0].id);
    assert_eq!(h.open_findings(None, at("2026-11-03T00:00:00Z")).expect("open").len(), 2);
    assert_eq!(h.open_findings(Some("registry.invalid/a"), at("2026-11-03T00:00:00Z")).expect("open").len(), 1);
}

#[test]
fn suppressed_vulnerabilities_are_not_open() {
    let (_dir, _path, mut h) = history();
    let t = record(
        &mut h,
        &vulns(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH"), vuln("CVE-2026-0002", "zlib", "HIGH")]),
        "2026-11-01T10:00:00Z",
    );
    assert_eq!(t.findings.len(), 2);
    // VEX now says zlib is not affected: it closes, and is not reopened.
    let vexed = with(vuln("CVE-2026-0002", "zlib", "HIGH"), "suppressed", json!(true));
    let t = record(&mut h, &vulns(APP, 2, vec![vuln("CVE-2026-0001", "openssl", "HIGH"), vexed]), "2026-11-02T10:00:00Z");
    assert_eq!(t.findings.len(), 1);
    assert_eq!(t.closed.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["CVE-2026-0002"]);
}

#[test]
fn deadlines_follow_the_fedramp_rev5_classes() {
    let (_dir, _path, mut h) = history();
    let t = record(
        &mut h,
        &vulns(
            APP,
            1,
            vec![
                vuln("CVE-2026-0001", "a", "CRITICAL"),
                vuln("CVE-2026-0002", "b", "HIGH"),
                vuln("CVE-2026-0003", "c", "MEDIUM"),
                vuln("CVE-2026-0004", "d", "LOW"),
                vuln("CVE-2026-0005", "e", "UNKNOWN"),
            ],
        ),
        "2026-11-01T23:30:00Z",
    );
    let due = |rule| by_rule(&t.findings, rule).due.clone().expect("due date");
    assert_eq!(due("CVE-2026-0001"), "2026-12-01");
    assert_eq!(due("CVE-2026-0002"), "2026-12-01");
    assert_eq!(due("CVE-2026-0003"), "2027-01-30");
    assert_eq!(due("CVE-2026-0004"), "2027-04-30");
    assert_eq!(due("CVE-2026-0005"), "2027-01-30");
    let high = by_rule(&t.findings, "CVE-2026-0002");
    assert_eq!(high.due_reason, "fedramp-rev5: High, 30 days from first seen");
    assert_eq!((high.days_left, high.overdue), (Some(30), false));
    assert_eq!(t.profile, "fedramp-rev5");
    assert_eq!(t.as_of, "2026-11-01");
    // Most urgent first.
    assert_eq!(t.findings[0].rule, "CVE-2026-0001");
    assert_eq!(t.findings.last().map(|f| f.rule.as_str()), Some("CVE-2026-0004"));
}

#[test]
fn a_custom_profile_sets_the_deadlines() {
    let (_dir, _path, mut h) = history();
    let strict =
        Profile { name: "agency-strict".into(), critical_days: 15, high_days: 30, moderate_days: 60, low_days: 0, kev_precedence: true };
    let t = record_with(
        &mut h,
        &vulns(APP, 1, vec![vuln("CVE-2026-0001", "a", "CRITICAL"), vuln("CVE-2026-0004", "d", "LOW")]),
        "2026-11-01T10:00:00Z",
        &strict,
    );
    let critical = by_rule(&t.findings, "CVE-2026-0001");
    assert_eq!(critical.due.as_deref(), Some("2026-11-16"));
    assert_eq!(critical.due_reason, "agency-strict: Critical, 15 days from first seen");
    let low = by_rule(&t.findings, "CVE-2026-0004");
    assert_eq!(low.due, None);
    assert_eq!(low.due_reason, "agency-strict: no deadline for Low findings");
    // The profile is kept with the scan: open findings are judged by it.
    let open = h.open_findings(None, at("2026-11-20T00:00:00Z")).expect("open");
    assert!(by_rule(&open, "CVE-2026-0001").overdue);
}

#[test]
fn an_earlier_kev_due_date_wins_and_a_later_one_does_not() {
    let (_dir, _path, mut h) = history();
    let t = record(
        &mut h,
        &vulns(
            APP,
            1,
            vec![
                kev(vuln("CVE-2026-0001", "a", "HIGH"), "2026-11-22"),
                kev(vuln("CVE-2026-0002", "b", "HIGH"), "2026-12-20"),
                kev(vuln("CVE-2026-0003", "c", "LOW"), "2026-12-20"),
            ],
        ),
        "2026-11-01T10:00:00Z",
    );
    let earlier = by_rule(&t.findings, "CVE-2026-0001");
    assert_eq!((earlier.due.as_deref(), earlier.due_reason.as_str()), (Some("2026-11-22"), "CISA KEV due date"));
    assert_eq!(earlier.kev_due.as_deref(), Some("2026-11-22"));
    let later = by_rule(&t.findings, "CVE-2026-0002");
    assert_eq!(later.due.as_deref(), Some("2026-12-01"));
    assert_eq!(later.due_reason, "fedramp-rev5: High, 30 days from first seen");
    assert_eq!(by_rule(&t.findings, "CVE-2026-0003").due.as_deref(), Some("2026-12-20"));
}

#[test]
fn cvss_9_8_with_a_vendor_medium_label_is_critical() {
    let (_dir, _path, mut h) = history();
    let v = with(vuln("CVE-2026-0001", "openssl", "MEDIUM"), "cvss_v3_score", json!(9.8));
    let t = record(&mut h, &vulns(APP, 1, vec![v]), "2026-11-01T10:00:00Z");
    let f = &t.findings[0];
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.cvss_v3_score, Some(9.8));
    assert_eq!(f.due_reason, "fedramp-rev5: Critical, 30 days from first seen");
}

#[test]
fn a_rescored_cve_moves_class_but_not_its_start() {
    let (_dir, _path, mut h) = history();
    record(&mut h, &vulns(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "MEDIUM")]), "2026-11-01T10:00:00Z");
    let v = with(vuln("CVE-2026-0001", "openssl", "MEDIUM"), "cvss_v3_score", json!(7.5));
    let t = record(&mut h, &vulns(APP, 2, vec![v]), "2026-11-20T10:00:00Z");
    let f = &t.findings[0];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.due.as_deref(), Some("2026-12-01"));
}

#[test]
fn a_cve_learnt_for_an_advisory_keeps_the_finding() {
    let (_dir, _path, mut h) = history();
    let before = record(&mut h, &vulns(APP, 1, vec![vuln("GHSA-xxxx-yyyy-zzzz", "requests", "HIGH")]), "2026-11-01T10:00:00Z");
    let renamed = with(vuln("CVE-2026-0009", "requests", "HIGH"), "aliases", json!(["GHSA-xxxx-yyyy-zzzz"]));
    let after = record(&mut h, &vulns(APP, 2, vec![renamed]), "2026-11-05T10:00:00Z");
    assert!(after.closed.is_empty(), "{:?}", after.closed);
    let f = &after.findings[0];
    assert_eq!(f.id, before.findings[0].id);
    assert_eq!(f.rule, "CVE-2026-0009");
    assert_eq!(f.first_seen, "2026-11-01T10:00:00Z");
}

#[test]
fn fips_checks_are_their_own_kind() {
    let (_dir, _path, mut h) = history();
    let t = record(
        &mut h,
        &report(
            APP,
            1,
            vec![],
            vec![check("FIPS001", "HIGH", &["/usr/lib/libcrypto.so.3"]), check("IMG001", "HIGH", &["config.User"])],
            vec![],
        ),
        "2026-11-01T10:00:00Z",
    );
    assert_eq!(by_rule(&t.findings, "FIPS001").kind, FindingKind::Fips);
    assert_eq!(by_rule(&t.findings, "IMG001").kind, FindingKind::Hardening);
}

#[test]
fn secrets_are_identified_by_path_and_fingerprint() {
    let (_dir, _path, mut h) = history();
    let before = record(&mut h, &report(APP, 1, vec![], vec![], vec![secret("SEC001", "/app/.env", "fp-old", 3)]), "2026-11-01T10:00:00Z");
    // The key was rotated: a new value in the same file is a new finding.
    let after = record(&mut h, &report(APP, 2, vec![], vec![], vec![secret("SEC001", "/app/.env", "fp-new", 3)]), "2026-11-02T10:00:00Z");
    assert_ne!(before.findings[0].id, after.findings[0].id);
    assert_eq!(after.closed.len(), 1);
    assert_eq!(after.findings[0].kind, FindingKind::Secret);
}

#[test]
fn one_vulnerability_in_two_copies_of_a_package_is_one_item() {
    let (_dir, _path, mut h) = history();
    let a = kev(vuln("CVE-2026-0001", "golang.org/x/net", "MEDIUM"), "2026-12-24");
    let b = kev(with(vuln("CVE-2026-0001", "golang.org/x/net", "MEDIUM"), "cvss_v3_score", json!(7.5)), "2026-11-20");
    let t = record(&mut h, &vulns(APP, 1, vec![a, b]), "2026-11-01T10:00:00Z");
    assert_eq!(t.findings.len(), 1);
    assert_eq!(t.findings[0].severity, Severity::High);
    assert_eq!(t.findings[0].kev_due.as_deref(), Some("2026-11-20"));
}

#[test]
fn tracking_for_a_scan_is_rebuilt_as_recorded() {
    let (_dir, path, mut h) = history();
    let r1 = report(
        &format!("{APP}:1"),
        1,
        vec![kev(vuln("CVE-2026-0001", "openssl", "HIGH"), "2026-11-20"), vuln("CVE-2026-0002", "zlib", "LOW")],
        vec![check("IMG001", "HIGH", &["config.User"])],
        vec![],
    );
    let first = record(&mut h, &r1, "2026-11-01T10:00:00Z");
    let second = record(&mut h, &vulns(&format!("{APP}:2"), 2, vec![vuln("CVE-2026-0002", "zlib", "LOW")]), "2026-11-15T10:00:00Z");
    assert_eq!(first.history, path.display().to_string());
    assert_eq!(h.tracking_for_scan(first.scan_id).expect("first"), first);
    assert_eq!(h.tracking_for_scan(second.scan_id).expect("second"), second);
    // Judged today instead: days left move, the findings are the scan's.
    let later = h.tracking_for_scan_as_of(first.scan_id, at("2026-12-10T00:00:00Z")).expect("as of");
    assert_eq!(later.findings.len(), 3);
    assert!(by_rule(&later.findings, "CVE-2026-0001").overdue);
    let err = h.tracking_for_scan(99).expect_err("no such scan");
    assert!(matches!(err, HistoryError::UnknownScan { id: 99, .. }), "{err:?}");
}

#[test]
fn open_findings_are_sorted_overdue_first_then_by_due_date() {
    let (_dir, _path, mut h) = history();
    record(&mut h, &vulns(APP, 1, vec![vuln("CVE-2026-0004", "d", "LOW")]), "2026-06-01T10:00:00Z");
    record(&mut h, &vulns(APP, 2, vec![vuln("CVE-2026-0004", "d", "LOW"), vuln("CVE-2026-0003", "c", "MEDIUM")]), "2026-10-01T10:00:00Z");
    record(
        &mut h,
        &vulns(
            APP,
            3,
            vec![vuln("CVE-2026-0004", "d", "LOW"), vuln("CVE-2026-0003", "c", "MEDIUM"), vuln("CVE-2026-0001", "a", "CRITICAL")],
        ),
        "2026-12-01T10:00:00Z",
    );
    let open = h.open_findings(None, at("2026-12-05T00:00:00Z")).expect("open");
    // Low from June: due 2026-11-28, overdue. Critical: due 2026-12-31.
    // Moderate from October: due 2026-12-30.
    let order: Vec<_> = open.iter().map(|f| (f.rule.as_str(), f.overdue, f.due.clone().unwrap_or_default())).collect();
    assert_eq!(
        order,
        [
            ("CVE-2026-0004", true, "2026-11-28".into()),
            ("CVE-2026-0003", false, "2026-12-30".into()),
            ("CVE-2026-0001", false, "2026-12-31".into())
        ]
    );
    assert_eq!(open[0].days_left, Some(-7));
}

#[test]
fn scans_and_the_monthly_summary_are_evidence() {
    let (_dir, _path, mut h) = history();
    record(&mut h, &vulns(&format!("{APP}:1"), 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]), "2026-10-20T10:00:00Z");
    record(
        &mut h,
        &vulns(&format!("{APP}:2"), 2, vec![vuln("CVE-2026-0001", "openssl", "HIGH"), vuln("CVE-2026-0002", "zlib", "MEDIUM")]),
        "2026-11-03T10:00:00Z",
    );
    record(&mut h, &vulns(&format!("{APP}:3"), 3, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]), "2026-11-30T23:59:59Z");
    let mut other = vulns("registry.invalid/other:1", 9, vec![vuln("CVE-2026-0003", "curl", "LOW")]);
    other.advisory_db.as_mut().expect("db info").stale = true;
    other.advisory_db.as_mut().expect("db info").age_hours = 50.0;
    h.record(
        &other,
        &drydock_history::RecordOptions {
            profile: &Profile::fedramp_rev5(),
            config_checksum: "sha256:settings-v2",
            now: at("2026-11-15T00:00:00Z"),
            covered: FindingKind::ALL,
        },
    )
    .expect("record");
    record(&mut h, &vulns(&format!("{APP}:4"), 4, vec![]), "2026-12-01T00:00:00Z");

    let november = h.scans(Some(at("2026-11-01T00:00:00Z")), Some(at("2026-12-01T00:00:00Z"))).expect("scans");
    assert_eq!(november.len(), 3);
    let s = &november[0];
    assert_eq!((s.reference.as_str(), s.repository.as_str()), ("registry.invalid/team/app:2", APP));
    assert_eq!(s.manifest_digest.as_deref(), Some(digest(2).as_str()));
    assert_eq!((s.seen, s.opened, s.closed), (2, 1, 0));
    assert_eq!(s.advisory_db_built_at.as_deref(), Some("2026-10-31T00:00:00Z"));
    assert_eq!(s.config_checksum, "sha256:settings-v1");

    let p = h.period("2026-11-01".parse().expect("date"), "2026-11-30".parse().expect("date"), at("2026-12-05T00:00:00Z")).expect("period");
    assert_eq!((p.from.as_str(), p.to.as_str(), p.as_of.as_str()), ("2026-11-01", "2026-11-30", "2026-12-05"));
    assert_eq!(p.scans, 3);
    assert_eq!(p.images.iter().map(|i| (i.repository.as_str(), i.scans)).collect::<Vec<_>>(), [("registry.invalid/other", 1), (APP, 2)]);
    assert_eq!(p.images[1].manifest_digests, [digest(2), digest(3)]);
    assert_eq!(p.images[1].last_reference, "registry.invalid/team/app:3");
    assert_eq!((p.opened, p.reopened, p.closed), (2, 0, 1));
    assert_eq!(p.config_checksums, ["sha256:settings-v1", "sha256:settings-v2"]);
    assert_eq!((p.max_advisory_db_age_hours, p.stale_advisory_db_scans), (Some(50.0), 1));
    // As of 2026-12-05 the December scan closed the app's findings: only
    // the other image's Low is open, not overdue.
    assert_eq!((p.open, p.overdue), (1, 0));
    assert_eq!(p.open_by_class.low, 1);
}

#[test]
fn the_history_survives_reopening() {
    let (_dir, path, mut h) = history();
    let t = record(&mut h, &vulns(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")]), "2026-11-01T10:00:00Z");
    drop(h);
    let h = History::open(&path).expect("reopen");
    assert_eq!(h.tracking_for_scan(t.scan_id).expect("tracking"), t);
    h.integrity_check().expect("consistent");
}

#[test]
fn a_scan_that_skipped_a_scanner_leaves_those_findings_open() {
    let (_dir, _path, mut h) = history();
    let both = report(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")], vec![check("IMG001", "HIGH", &["config.User"])], vec![]);
    record(&mut h, &both, "2026-11-01T10:00:00Z");
    // Only the vulnerability scanner ran: the root-user finding is not fixed, just not looked at.
    let vulns_only = report(APP, 2, vec![vuln("CVE-2026-0001", "openssl", "HIGH")], vec![], vec![]);
    let options = drydock_history::RecordOptions {
        profile: &Profile::fedramp_rev5(),
        config_checksum: "sha256:settings-v1",
        now: at("2026-11-02T10:00:00Z"),
        covered: &[FindingKind::Vulnerability],
    };
    let t = h.record(&vulns_only, &options).expect("record");
    assert!(t.closed.is_empty(), "{:#?}", t.closed);
    let open = h.open_findings(Some(APP), at("2026-11-02T12:00:00Z")).expect("open findings");
    assert_eq!(open.len(), 2);
    // A scan that covers hardening again closes it.
    let t = record(&mut h, &vulns_only, "2026-11-03T10:00:00Z");
    assert_eq!(t.closed.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["IMG001"]);
}

#[test]
fn each_scan_keeps_its_report_for_later_outputs() {
    let (_dir, _path, mut h) = history();
    let r = report(APP, 1, vec![vuln("CVE-2026-0001", "openssl", "HIGH")], vec![], vec![]);
    let t = record(&mut h, &r, "2026-11-01T10:00:00Z");
    let back = h.report(t.scan_id).expect("stored report");
    assert_eq!(back, r);
    assert!(matches!(h.report(t.scan_id + 100), Err(drydock_history::HistoryError::UnknownScan { .. })));
}
