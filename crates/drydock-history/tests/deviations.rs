//! Deviations: FedRAMP's rules for recording them and what they do to the
//! clock.

mod common;

use common::*;
use drydock_core::tracking::{DeviationKind, Tracking};
use drydock_core::vulnerability::Severity;
use drydock_history::{DeviationRequest, History, HistoryError, Refusal};

fn request(kind: DeviationKind, adjusted: Option<Severity>) -> DeviationRequest {
    DeviationRequest {
        kind,
        rationale: "Compensating control: the service is not reachable from outside the enclave (SC-7).".into(),
        adjusted_severity: adjusted,
        expires: None,
        recorded_by: "isso@agency.invalid".into(),
    }
}

/// A history with one High, one Moderate and one Critical finding, first
/// seen 2026-11-01.
fn three_findings() -> (tempfile::TempDir, History, Tracking) {
    let (dir, _path, mut h) = history();
    let t = record(
        &mut h,
        &vulns(
            APP,
            1,
            vec![
                vuln("CVE-2026-0001", "openssl", "HIGH"),
                vuln("CVE-2026-0002", "zlib", "MEDIUM"),
                vuln("CVE-2026-0003", "curl", "CRITICAL"),
            ],
        ),
        "2026-11-01T10:00:00Z",
    );
    (dir, h, t)
}

fn refusal(err: HistoryError) -> Refusal {
    match err {
        HistoryError::DeviationRefused { reason, .. } => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn operational_requirement_is_refused_for_high_and_critical() {
    let (_dir, mut h, t) = three_findings();
    for rule in ["CVE-2026-0001", "CVE-2026-0003"] {
        let id = &by_rule(&t.findings, rule).id;
        let err = h.deviate(id, &request(DeviationKind::OperationalRequirement, None), at("2026-11-02T00:00:00Z")).expect_err("refused");
        let message = err.to_string();
        assert!(message.contains(id.as_str()), "{message}");
        assert!(message.contains("FedRAMP does not approve an operational requirement"), "{message}");
        assert!(message.contains("risk adjustment"), "{message}");
        assert!(matches!(refusal(err), Refusal::OperationalRequirementForHigh { .. }));
    }
    // Nothing was recorded.
    let f = h.finding(&by_rule(&t.findings, "CVE-2026-0001").id, at("2026-11-02T00:00:00Z")).expect("finding");
    assert!(f.deviations.is_empty());
}

#[test]
fn operational_requirement_is_allowed_for_moderate_and_keeps_the_clock() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0002").id;
    let d = h.deviate(id, &request(DeviationKind::OperationalRequirement, None), at("2026-11-02T09:00:00Z")).expect("recorded");
    assert_eq!(d.id, "DEV-1");
    assert_eq!((d.kind, d.active), (DeviationKind::OperationalRequirement, true));
    assert_eq!(d.recorded_at, "2026-11-02T09:00:00Z");
    assert_eq!(d.recorded_by, "isso@agency.invalid");
    let f = h.finding(id, at("2026-11-03T00:00:00Z")).expect("finding");
    assert_eq!(f.due.as_deref(), Some("2027-01-30"));
    assert_eq!(f.due_reason, "fedramp-rev5: Moderate, 90 days from first seen; operational requirement DEV-1");
    assert_eq!(f.deviation.as_ref().map(|d| d.id.as_str()), Some("DEV-1"));
}

#[test]
fn operational_requirement_for_high_is_allowed_with_a_risk_adjustment() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0001").id;
    // An "OR RA": both in one request.
    h.deviate(id, &request(DeviationKind::OperationalRequirement, Some(Severity::Medium)), at("2026-11-02T00:00:00Z")).expect("OR RA");
    let f = h.finding(id, at("2026-11-03T00:00:00Z")).expect("finding");
    assert_eq!(f.adjusted_severity, Some(Severity::Medium));
    assert_eq!(f.due.as_deref(), Some("2027-01-30"));

    // Or an RA first, then the OR on its own.
    let id = &by_rule(&t.findings, "CVE-2026-0003").id;
    h.deviate(id, &request(DeviationKind::RiskAdjustment, Some(Severity::Low)), at("2026-11-02T00:00:00Z")).expect("RA");
    h.deviate(id, &request(DeviationKind::OperationalRequirement, None), at("2026-11-02T01:00:00Z")).expect("OR after RA");
    let f = h.finding(id, at("2026-11-03T00:00:00Z")).expect("finding");
    assert_eq!(f.deviations.len(), 2);
    assert_eq!(f.deviation.as_ref().map(|d| d.kind), Some(DeviationKind::OperationalRequirement));
    assert_eq!(f.effective_severity(), Severity::Low);
}

#[test]
fn risk_adjustment_changes_the_deadline_class() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0001").id;
    let before = h.finding(id, at("2026-12-10T00:00:00Z")).expect("finding");
    assert!(before.overdue);
    let d = h.deviate(id, &request(DeviationKind::RiskAdjustment, Some(Severity::Medium)), at("2026-11-20T00:00:00Z")).expect("RA");
    assert_eq!(d.adjusted_severity, Some(Severity::Medium));
    let after = h.finding(id, at("2026-12-10T00:00:00Z")).expect("finding");
    assert_eq!(after.severity, Severity::High, "the original rating is kept");
    assert_eq!(after.adjusted_severity, Some(Severity::Medium));
    // Moderate's 90 days, still from the original detection.
    assert_eq!(after.due.as_deref(), Some("2027-01-30"));
    assert!(!after.overdue);
    assert_eq!(after.days_left, Some(51));
    assert_eq!(after.due_reason, "fedramp-rev5: Moderate, 90 days from first seen; risk adjusted from High to Moderate by DEV-1");
}

#[test]
fn risk_adjustment_must_lower_the_rating() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0002").id;
    let now = at("2026-11-02T00:00:00Z");
    let same = h.deviate(id, &request(DeviationKind::RiskAdjustment, Some(Severity::Medium)), now).expect_err("not lower");
    assert_eq!(refusal(same), Refusal::AdjustmentNotLower { original: Severity::Medium, adjusted: Severity::Medium });
    let higher = h.deviate(id, &request(DeviationKind::RiskAdjustment, Some(Severity::High)), now).expect_err("higher");
    assert!(higher.to_string().contains("must be lower than the original risk rating (Moderate)"), "{higher}");
    let missing = h.deviate(id, &request(DeviationKind::RiskAdjustment, None), now).expect_err("no severity");
    assert_eq!(refusal(missing), Refusal::AdjustmentMissing { kind: DeviationKind::RiskAdjustment });
    let unknown = h.deviate(id, &request(DeviationKind::RiskAdjustment, Some(Severity::Unknown)), now).expect_err("unknown");
    assert_eq!(refusal(unknown), Refusal::AdjustmentUnknown);
    let on_vd = h.deviate(id, &request(DeviationKind::VendorDependency, Some(Severity::Low)), now).expect_err("VD keeps rating");
    assert_eq!(refusal(on_vd), Refusal::AdjustmentNotAllowed { kind: DeviationKind::VendorDependency });
}

#[test]
fn false_positive_stops_the_clock_while_active() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0001").id;
    let mut fp = request(DeviationKind::FalsePositive, None);
    fp.expires = Some("2026-12-31".parse().expect("date"));
    h.deviate(id, &fp, at("2026-11-05T00:00:00Z")).expect("FP");
    let f = h.finding(id, at("2026-12-10T00:00:00Z")).expect("finding");
    assert_eq!((f.due.as_deref(), f.days_left, f.overdue), (None, None, false));
    assert_eq!(f.due_reason, "off the clock: false positive DEV-1 while it is active");
    // Still listed, after everything on the clock.
    let open = h.open_findings(Some(APP), at("2026-12-10T00:00:00Z")).expect("open");
    assert_eq!(open.last().map(|f| f.id.as_str()), Some(id.as_str()));
    let p = h.period("2026-11-01".parse().expect("date"), "2026-11-30".parse().expect("date"), at("2026-12-10T00:00:00Z")).expect("period");
    assert_eq!((p.open, p.overdue, p.deviations), (2, 1, 1), "the FP is neither open nor overdue; the Critical is overdue");
}

#[test]
fn an_expired_deviation_no_longer_applies() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0001").id;
    let mut fp = request(DeviationKind::FalsePositive, None);
    fp.expires = Some("2026-11-30".parse().expect("date"));
    h.deviate(id, &fp, at("2026-11-05T00:00:00Z")).expect("FP");
    // The last day it applies.
    let on = h.finding(id, at("2026-11-30T23:00:00Z")).expect("finding");
    assert_eq!(on.due, None);
    assert!(on.deviations[0].active);
    // The day after: back on the original High clock, and overdue.
    let off = h.finding(id, at("2026-12-02T00:00:00Z")).expect("finding");
    assert_eq!(off.due.as_deref(), Some("2026-12-01"));
    assert!(off.overdue);
    assert_eq!(off.deviation, None);
    assert!(!off.deviations[0].active);
    assert_eq!(off.due_reason, "fedramp-rev5: High, 30 days from first seen; false-positive DEV-1 expired 2026-11-30");

    // An expired risk adjustment likewise.
    let id = &by_rule(&t.findings, "CVE-2026-0003").id;
    let mut ra = request(DeviationKind::RiskAdjustment, Some(Severity::Low));
    ra.expires = Some("2026-11-15".parse().expect("date"));
    h.deviate(id, &ra, at("2026-11-05T00:00:00Z")).expect("RA");
    assert_eq!(h.finding(id, at("2026-11-10T00:00:00Z")).expect("finding").due.as_deref(), Some("2027-04-30"));
    let f = h.finding(id, at("2026-11-16T00:00:00Z")).expect("finding");
    assert_eq!((f.adjusted_severity, f.due.as_deref()), (None, Some("2026-12-01")));
}

#[test]
fn vendor_dependency_keeps_the_clock_and_marks_the_item() {
    let (_dir, mut h, t) = three_findings();
    let id = &by_rule(&t.findings, "CVE-2026-0001").id;
    h.deviate(id, &request(DeviationKind::VendorDependency, None), at("2026-11-02T00:00:00Z")).expect("VD");
    let f = h.finding(id, at("2026-12-05T00:00:00Z")).expect("finding");
    assert_eq!(f.due.as_deref(), Some("2026-12-01"));
    assert!(f.overdue);
    assert_eq!(f.deviation.as_ref().map(|d| d.kind), Some(DeviationKind::VendorDependency));
    assert!(f.due_reason.ends_with("; vendor dependency DEV-1"), "{}", f.due_reason);
}

#[test]
fn requests_are_checked() {
    let (_dir, mut h, t) = three_findings();
    let id = by_rule(&t.findings, "CVE-2026-0002").id.clone();
    let now = at("2026-11-10T00:00:00Z");

    let err = h.deviate("DD-000000000000", &request(DeviationKind::VendorDependency, None), now).expect_err("unknown id");
    assert!(matches!(&err, HistoryError::UnknownFinding { id, .. } if id == "DD-000000000000"), "{err:?}");
    assert!(err.to_string().contains("no finding `DD-000000000000`"), "{err}");

    let mut blank = request(DeviationKind::VendorDependency, None);
    blank.rationale = "  ".into();
    assert_eq!(refusal(h.deviate(&id, &blank, now).expect_err("blank")), Refusal::EmptyRationale);

    let mut nobody = request(DeviationKind::VendorDependency, None);
    nobody.recorded_by = String::new();
    assert_eq!(refusal(h.deviate(&id, &nobody, now).expect_err("nobody")), Refusal::NoRecorder);

    let mut stale = request(DeviationKind::VendorDependency, None);
    stale.expires = Some("2026-11-09".parse().expect("date"));
    assert!(matches!(refusal(h.deviate(&id, &stale, now).expect_err("expired")), Refusal::AlreadyExpired { .. }));

    let fp_with_severity = request(DeviationKind::FalsePositive, Some(Severity::Low));
    assert_eq!(
        refusal(h.deviate(&id, &fp_with_severity, now).expect_err("FP has no rating")),
        Refusal::AdjustmentNotAllowed { kind: DeviationKind::FalsePositive }
    );
}

#[test]
fn a_scans_tracking_shows_the_deviations_of_its_day() {
    let (_dir, mut h, t) = three_findings();
    let id = by_rule(&t.findings, "CVE-2026-0001").id.clone();
    h.deviate(&id, &request(DeviationKind::RiskAdjustment, Some(Severity::Low)), at("2026-11-03T00:00:00Z")).expect("RA");
    // As recorded on 2026-11-01: no deviation yet.
    let then = h.tracking_for_scan(t.scan_id).expect("tracking");
    assert_eq!(then, t);
    // As of today: the risk adjustment applies.
    let now = h.tracking_for_scan_as_of(t.scan_id, at("2026-11-04T00:00:00Z")).expect("tracking");
    assert_eq!(by_rule(&now.findings, "CVE-2026-0001").adjusted_severity, Some(Severity::Low));
    // And the next scan carries it.
    let next = record(
        &mut h,
        &vulns(
            APP,
            2,
            vec![
                vuln("CVE-2026-0001", "openssl", "HIGH"),
                vuln("CVE-2026-0002", "zlib", "MEDIUM"),
                vuln("CVE-2026-0003", "curl", "CRITICAL"),
            ],
        ),
        "2026-11-05T00:00:00Z",
    );
    let f = by_rule(&next.findings, "CVE-2026-0001");
    assert_eq!((f.adjusted_severity, f.due.as_deref()), (Some(Severity::Low), Some("2027-04-30")));
}
