//! Reports the OSCAL and POA&M writer tests share (included with `#[path]`
//! by `tests/oscal.rs` and `tests/poam_sheet.rs`).
//!
//! The base is a real scan of `examples/hello-oci` (Debian packages,
//! busybox, an `app` user) by drydock's own scanner, run the way
//! `drydock scan` runs it (all analyzers, secrets, FIPS, hardening checks)
//! with a fixed clock. On top of it, findings a real image has: CVEs from
//! the advisory matcher (one in CISA KEV, one without a fix, one VEX
//! suppressed), a secret in a layer file, and the scan history's tracking
//! with deviations and a closed item.

#![allow(dead_code)]

use drydock_core::check::SecretFinding;
use drydock_core::report::{LayerOrigin, Report};
use drydock_core::tracking::{Deviation, DeviationKind, FindingKind, Profile, TrackedFinding, Tracking, deadline, original_risk};
use drydock_core::vulnerability::{AdvisoryRef, AffectedPackage, CvssInfo, Finding, KevInfo, Severity, VexInfo};
use drydock_image::{OpenOptions, open};
use drydock_scan::{ScanOptions, scan};
use sha2::{Digest as _, Sha256};

pub const SCANNED_AT: &str = "2026-11-02T09:30:00Z";
pub const REFERENCE: &str = "registry.invalid/team/hello-oci:1.0";
pub const REPOSITORY: &str = "registry.invalid/team/hello-oci";
/// AWS's documented example access key id: the "secret" in a layer file.
/// The report holds only its redacted form; no output may contain it.
pub const RAW_SECRET: &str = "AKIAIOSFODNN7EXAMPLE";

/// The real scan, with a fixed clock and a registry-style reference.
pub fn scanned() -> Report {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hello-oci");
    let image = open(&format!("oci:{dir}:latest").parse().expect("target"), &OpenOptions::default()).expect("hello-oci opens");
    let mut analyzers: Vec<&dyn drydock_scan::Analyzer> = drydock_scan::analyzers::ALL.to_vec();
    analyzers.push(&drydock_scan::analyzers::secrets::SecretsAnalyzer);
    analyzers.push(&drydock_scan::analyzers::fips::FipsAnalyzer);
    let scanned = scan(&image, &ScanOptions { analyzers: &analyzers, ..ScanOptions::default() }).expect("scan");
    let mut report = drydock_scan::report::build(&image, &scanned, "0.1.0-test");
    report.scanned_at = SCANNED_AT.into();
    report.image.reference = REFERENCE.into();
    report.secrets = drydock_scan::checks::secrets(&report, &scanned);
    report.fips = Some(drydock_scan::fips::assess(&report, &scanned));
    let (findings, minimality) = drydock_scan::checks::run(&report, Some(&scanned), SCANNED_AT.parse().expect("time"));
    report.hardening = findings;
    report.minimality = minimality;
    drydock_scan::checks::secrets_in_config::redact(&mut report);
    report.hardening.extend(drydock_scan::checks::fips(&report));
    report.hardening.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));
    report
}

fn origin(report: &Report, layer: usize) -> LayerOrigin {
    let l = &report.layers[layer];
    LayerOrigin { layer_index: layer, base_image: l.base_image, digest: l.digest.clone(), created_by: l.created_by.clone() }
}

#[allow(clippy::too_many_arguments)]
fn vuln(
    report: &Report,
    id: &str,
    package: (&str, &str),
    fixed: &[&str],
    severity: Severity,
    cvss: Option<(f64, &str)>,
    title: &str,
    layer: usize,
) -> Finding {
    let (name, version) = package;
    Finding {
        id: id.into(),
        aliases: Vec::new(),
        advisories: vec![AdvisoryRef { id: id.into(), source: "debian".into() }],
        package: AffectedPackage {
            name: name.into(),
            version: version.into(),
            ecosystem: drydock_core::package::Ecosystem::Deb,
            purl: format!("pkg:deb/debian/{name}@{}?arch=amd64&distro=debian-12", version.replace(':', "%3A")),
            matched_as: None,
        },
        fixed_versions: fixed.iter().map(|s| (*s).into()).collect(),
        severity,
        severity_source: "nvd".into(),
        cvss_v3_score: cvss.map(|c| c.0),
        cvss: cvss
            .map(|(score, vector)| CvssInfo {
                version: "3.1".into(),
                vector: vector.into(),
                base_score: score,
                source: "nvd@nist.gov".into(),
            })
            .into_iter()
            .collect(),
        kev: None,
        epss: None,
        title: Some(title.into()),
        references: vec![format!("https://security-tracker.debian.org/tracker/{id}")],
        origin: origin(report, layer),
        vex: None,
        suppressed: false,
    }
}

/// The scan plus what the advisory matcher and the secret scanner find in
/// a real image of this kind.
pub fn with_findings() -> Report {
    let mut r = scanned();
    let busybox = ("busybox-static", "1:1.35.0-4+deb12u1+b1");
    let mut glibc = vuln(
        &r,
        "CVE-2023-4911",
        ("libc6", "2.36-9+deb12u1"),
        &["2.36-9+deb12u3"],
        Severity::High,
        Some((7.8, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H")),
        "glibc: buffer overflow in ld.so leading to privilege escalation",
        0,
    );
    glibc.advisories.push(AdvisoryRef { id: "DSA-5514-1".into(), source: "debian".into() });
    glibc.kev = Some(KevInfo { date_added: "2023-11-21".into(), due_date: "2023-12-12".into(), ransomware: false });
    let ash = vuln(
        &r,
        "CVE-2022-48174",
        busybox,
        &[],
        Severity::Critical,
        Some((9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
        "busybox: stack overflow in ash",
        1,
    );
    let awk = vuln(
        &r,
        "CVE-2023-42363",
        busybox,
        &[],
        Severity::Medium,
        Some((5.5, "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H")),
        "busybox: use-after-free in awk",
        1,
    );
    let awk2 = vuln(&r, "CVE-2023-42366", busybox, &[], Severity::Low, None, "busybox: heap-buffer-overflow in awk", 1);
    let mut suppressed = vuln(&r, "CVE-2023-42364", busybox, &[], Severity::Medium, None, "busybox: use-after-free in awk", 1);
    suppressed.suppressed = true;
    suppressed.vex = Some(VexInfo {
        status: "not_affected".into(),
        justification: Some("vulnerable_code_not_in_execute_path".into()),
        statement: Some("awk is not used by the application".into()),
        document: "vex/hello.openvex.json".into(),
    });
    r.vulnerabilities = vec![ash, glibc, awk, suppressed, awk2];

    // libssl3 from Debian: OpenSSL 3 without its FIPS provider. The FIPS
    // checks are drydock's own, run over that posture.
    let fips = r.fips.get_or_insert_with(Default::default);
    fips.verdict = drydock_core::fips::FipsVerdict::NotFips;
    fips.summary = "OpenSSL 3.0.15 without a FIPS provider: nothing in the image can run in FIPS mode.".into();
    fips.modules.push(drydock_core::fips::CryptoModule {
        name: "OpenSSL".into(),
        version: Some("3.0.15".into()),
        location: "/usr/lib/x86_64-linux-gnu/libcrypto.so.3".into(),
        posture: drydock_core::fips::FipsVerdict::NotFips,
        reason: "no fips.so provider and no FIPS configuration".into(),
        layer_index: Some(0),
        layer_digest: r.layers[0].digest.clone(),
    });
    r.hardening.retain(|c| !c.rule_id.starts_with("FIPS"));
    let fips_findings = drydock_scan::checks::fips(&r);
    assert!(!fips_findings.is_empty(), "FIPS001 fires on a not-fips posture");
    r.hardening.extend(fips_findings);
    r.hardening.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));

    let layer = r.layers.len() - 1;
    let info = &r.layers[layer];
    r.secrets.push(SecretFinding {
        rule_id: "SEC001".into(),
        name: "aws-access-key-id".into(),
        title: "AWS access key ID".into(),
        severity: Severity::High,
        path: "/app/www/.env".into(),
        line: 3,
        column: 19,
        redacted: format!("{}****************", &RAW_SECRET[..4]),
        fingerprint: hex::encode(Sha256::digest(RAW_SECRET.as_bytes())),
        layer_index: layer,
        layer_digest: info.digest.clone(),
        created_by: info.created_by.clone(),
        removed: false,
        remediation: "Revoke and rotate this credential: anyone who pulls the image can read it.".into(),
        controls: vec!["IA-5(7)".into(), "IA-5".into(), "SC-28".into(), "SC-12".into()],
    });
    r
}

pub use drydock_core::tracking::finding_id;

fn deviation(id: &str, kind: DeviationKind, rationale: &str, adjusted: Option<Severity>, expires: Option<&str>, active: bool) -> Deviation {
    Deviation {
        id: id.into(),
        kind,
        rationale: rationale.into(),
        adjusted_severity: adjusted,
        expires: expires.map(Into::into),
        recorded_by: "isso@example.invalid".into(),
        recorded_at: "2026-10-01T14:00:00Z".into(),
        active,
    }
}

/// [`with_findings`] with the tracking a scan history kept since
/// September: each finding's stable id and first-seen date, deadlines,
/// a vendor dependency with a risk adjustment, a false positive, an expired
/// operational requirement, a finding closed by an earlier scan, and a new
/// finding the tracking doesn't list yet.
pub fn tracked() -> Report {
    let mut r = with_findings();
    let profile = Profile::fedramp_rev5();
    let as_of: jiff::civil::Date = "2026-11-02".parse().expect("date");
    let first_seen = "2026-09-15T08:00:00Z";
    let first_day: jiff::civil::Date = "2026-09-15".parse().expect("date");
    let mut findings = Vec::new();
    let track =
        |kind: FindingKind, rule: &str, subject: &str, key: &str, title: &str, severity: Severity, cvss: Option<f64>, kev: Option<&str>| {
            let (due, why) = deadline(&profile, first_day, severity, kev.map(|k| k.parse().expect("date"))).expect("a deadline");
            TrackedFinding {
                id: finding_id(kind, REPOSITORY, rule, key),
                repository: REPOSITORY.into(),
                kind,
                rule: rule.into(),
                subject: subject.into(),
                title: title.into(),
                severity,
                cvss_v3_score: cvss,
                adjusted_severity: None,
                first_seen: first_seen.into(),
                last_seen: SCANNED_AT.into(),
                closed_at: None,
                reopened: 0,
                due: Some(due.to_string()),
                due_reason: why,
                days_left: Some(as_of.until(due).expect("span").get_days().into()),
                overdue: due < as_of,
                kev_due: kev.map(Into::into),
                deviation: None,
                deviations: Vec::new(),
            }
        };
    for f in r.vulnerabilities.iter().filter(|f| !f.suppressed && f.id != "CVE-2023-42366") {
        let key = format!("deb/{}", f.package.name);
        let title = f.title.clone().unwrap_or_default();
        let kev = f.kev.as_ref().map(|k| k.due_date.as_str());
        let mut t = track(FindingKind::Vulnerability, &f.id, &f.package.name, &key, &title, original_risk(f), f.cvss_v3_score, kev);
        match f.id.as_str() {
            "CVE-2022-48174" => {
                // No fix from Debian: a vendor dependency, and (High VDs must
                // be mitigated to Moderate) a risk adjustment.
                let vd =
                    deviation("DEV-1", DeviationKind::VendorDependency, "Debian has not released a fix for bookworm.", None, None, true);
                let ra = deviation(
                    "DEV-2",
                    DeviationKind::RiskAdjustment,
                    "The image runs no ash scripts from untrusted input; the shell is not reachable from the network.",
                    Some(Severity::Medium),
                    Some("2027-03-31"),
                    true,
                );
                let (due, why) = deadline(&profile, first_day, Severity::Medium, None).expect("deadline");
                t.adjusted_severity = Some(Severity::Medium);
                t.due = Some(due.to_string());
                t.due_reason = format!("{why} (risk adjustment DEV-2)");
                t.overdue = false;
                t.deviation = Some(ra.clone());
                t.deviations = vec![vd, ra];
            }
            "CVE-2023-42363" => {
                let fp =
                    deviation("DEV-3", DeviationKind::FalsePositive, "awk is not present: busybox is built without it.", None, None, true);
                t.due = None;
                t.due_reason = "false positive DEV-3: off the clock".into();
                t.days_left = None;
                t.overdue = false;
                t.deviation = Some(fp.clone());
                t.deviations = vec![fp];
            }
            "CVE-2023-4911" => {
                // Recorded before the advisory data named it this way: an id
                // the recipe doesn't give, joined by kind, rule and subject.
                t.id = "DD-0123456789ab".into();
            }
            _ => {}
        }
        findings.push(t);
    }
    for (i, c) in r.hardening.iter().enumerate() {
        let kind = if c.rule_id.starts_with("FIPS") { FindingKind::Fips } else { FindingKind::Hardening };
        let subject = c.evidence.first().map(|e| e.location.clone()).unwrap_or_default();
        let mut t = track(kind, &c.rule_id, &subject, "", &c.title, c.severity, None, None);
        if i == 0 {
            t.deviations = vec![deviation(
                "DEV-4",
                DeviationKind::OperationalRequirement,
                "Needed by the health check until the orchestrator probes over HTTP.",
                None,
                Some("2026-10-31"),
                false,
            )];
        }
        findings.push(t);
    }
    for s in &r.secrets {
        let key = format!("{}\n{}", s.path, s.fingerprint);
        findings.push(track(FindingKind::Secret, &s.rule_id, &s.path, &key, &s.title, s.severity, None, None));
    }
    let mut closed = track(
        FindingKind::Vulnerability,
        "CVE-2023-4863",
        "libwebp7",
        "deb/libwebp7",
        "libwebp: heap buffer overflow in WebP codec",
        Severity::High,
        Some(8.8),
        Some("2023-10-04"),
    );
    closed.closed_at = Some("2026-10-20T08:00:00Z".into());
    closed.last_seen = "2026-10-13T08:00:00Z".into();
    closed.days_left = None;
    closed.overdue = false;
    r.tracking = Some(Tracking {
        history: "drydock-history.db".into(),
        scan_id: 7,
        repository: REPOSITORY.into(),
        profile: "fedramp-rev5".into(),
        config_checksum: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".into(),
        as_of: "2026-11-02".into(),
        findings,
        closed: vec![closed],
    });
    r
}
