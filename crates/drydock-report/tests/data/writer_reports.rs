//! Reports the SARIF, JUnit and HTML writer tests share (included with
//! `#[path]` by `tests/sarif.rs`, `tests/junit.rs` and `tests/html.rs`).
//!
//! The base is a real `drydock scan examples/hello-oci:latest --format json`
//! (`hello-oci-scan.json`: Debian base files, busybox, an `app` user, two
//! hardening findings, FIPS posture unknown), read back as the writers read
//! a report from the history. On top of it, what a real image has: an
//! advisory database, CVEs (one in CISA KEV and in two packages, one in a
//! Go module of a binary, one without a fix, one unrated, one VEX
//! suppressed), a FIPS check and posture, secrets (one in a file a later
//! layer deleted), and the scan history's tracking with ids computed by
//! the history crate itself.

#![allow(dead_code)]

use drydock_core::check::{CheckFinding, Evidence, SecretFinding};
use drydock_core::fips::{CryptoModule, FipsEvidence, FipsPosture, FipsVerdict, Stance};
use drydock_core::package::{Ecosystem, Package, PackageRecord};
use drydock_core::report::{LayerOrigin, Report};
use drydock_core::tracking::{Deviation, DeviationKind, FindingKind, Profile, TrackedFinding, Tracking, deadline, original_risk};
use drydock_core::vulnerability::{
    AdvisoryDbInfo, AdvisoryRef, AffectedPackage, CvssInfo, DbSourceInfo, Finding, KevInfo, Severity, VexInfo,
};
use sha2::{Digest as _, Sha256};

pub const REFERENCE: &str = "registry.invalid/team/hello-oci:1.0";
pub const REPOSITORY: &str = "registry.invalid/team/hello-oci";
/// The day the tracking was judged on.
pub const AS_OF: &str = "2026-12-10";
/// AWS's documented example access key id: the "secret" in a layer file.
/// The report holds only its redacted form; no output may contain it.
pub const RAW_SECRET: &str = "AKIAIOSFODNN7EXAMPLE";
/// The controls the scanner puts on every secret finding.
const SECRET_CONTROLS: &[&str] = &["IA-5(7)", "IA-5", "SC-28", "SC-12"];
/// A title with markup characters, as advisory data has them.
pub const MARKUP_TITLE: &str = "Heap overflow in <tls_parse> & \"quoted\" 'names'";

/// The real scan, read back from its JSON, with a registry reference.
pub fn scanned() -> Report {
    let json = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hello-oci-scan.json")).expect("hello-oci-scan.json");
    let mut report: Report = serde_json::from_slice(&json).expect("a drydock JSON report");
    report.image.reference = REFERENCE.into();
    report
}

fn origin(report: &Report, layer: usize) -> LayerOrigin {
    let l = &report.layers[layer];
    LayerOrigin { layer_index: layer, base_image: l.base_image, digest: l.digest.clone(), created_by: l.created_by.clone() }
}

fn package(
    report: &Report,
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    location: &str,
    layer: usize,
) -> Package {
    let qualifiers: &[(&str, &str)] = if ecosystem.is_os() { &[("arch", "amd64"), ("distro", "debian-12")] } else { &[] };
    Package {
        ecosystem,
        record: PackageRecord {
            name: name.into(),
            version: version.into(),
            arch: ecosystem.is_os().then(|| "amd64".into()),
            namespace: namespace.map(Into::into),
            ..PackageRecord::default()
        },
        purl: drydock_core::package::purl(ecosystem, namespace, name, version, qualifiers),
        locations: vec![location.into()],
        origin: origin(report, layer),
    }
}

fn vuln(id: &str, p: &Package, fixed: &[&str], severity: Severity, title: Option<&str>) -> Finding {
    let name = match &p.record.namespace {
        Some(ns) if !p.ecosystem.is_os() => format!("{ns}/{}", p.record.name),
        _ => p.record.name.clone(),
    };
    Finding {
        id: id.into(),
        aliases: Vec::new(),
        advisories: vec![AdvisoryRef { id: id.into(), source: if p.ecosystem.is_os() { "debian" } else { "ghsa" }.into() }],
        package: AffectedPackage {
            name,
            version: p.record.version.clone(),
            ecosystem: p.ecosystem,
            purl: p.purl.clone(),
            matched_as: None,
        },
        fixed_versions: fixed.iter().map(|s| (*s).into()).collect(),
        severity,
        severity_source: "debian".into(),
        cvss_v3_score: None,
        cvss: Vec::new(),
        kev: None,
        epss: None,
        title: title.map(Into::into),
        references: vec![format!("https://www.cve.org/CVERecord?id={id}")],
        origin: p.origin.clone(),
        vex: None,
        suppressed: false,
    }
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The real scan plus every kind of finding.
pub fn full() -> Report {
    let mut r = scanned();
    r.warnings.clear();
    r.advisory_db = Some(AdvisoryDbInfo {
        path: "advisories.db".into(),
        built_at: "2026-11-02T06:00:00Z".into(),
        oldest_source_at: Some("2026-11-02T05:30:00Z".into()),
        age_hours: 4.0,
        max_age_hours: 72.0,
        stale: false,
        sources: vec![
            DbSourceInfo {
                name: "debian".into(),
                kind: "debian-security-tracker".into(),
                fetched_at: "2026-11-02T05:30:00Z".into(),
                records: 51234,
            },
            DbSourceInfo { name: "ghsa".into(), kind: "osv".into(), fetched_at: "2026-11-02T05:40:00Z".into(), records: 20871 },
            DbSourceInfo { name: "kev".into(), kind: "cisa-kev".into(), fetched_at: "2026-11-02T05:45:00Z".into(), records: 1402 },
        ],
    });

    let libssl = package(&r, Ecosystem::Deb, Some("debian"), "libssl3", "3.0.11-1~deb12u2", "/var/lib/dpkg/status", 1);
    let openssl = package(&r, Ecosystem::Deb, Some("debian"), "openssl", "3.0.11-1~deb12u2", "/var/lib/dpkg/status", 1);
    let xnet = package(&r, Ecosystem::Golang, Some("golang.org/x"), "net", "v0.20.0", "/app/server", 2);
    r.packages.extend([libssl.clone(), openssl.clone(), xnet.clone()]);
    r.packages.sort_by(|a, b| (a.ecosystem, &a.record.name).cmp(&(b.ecosystem, &b.record.name)));
    let busybox = r.packages.iter().find(|p| p.record.name == "busybox-static").expect("busybox in the scan").clone();
    let netbase = r.packages.iter().find(|p| p.record.name == "netbase").expect("netbase in the scan").clone();

    let kev = KevInfo { date_added: "2026-10-01".into(), due_date: "2026-10-22".into(), ransomware: true };
    let mut critical = vuln(
        "CVE-2026-0101",
        &libssl,
        &["3.0.15-1~deb12u1"],
        Severity::Critical,
        Some("OpenSSL: remote code execution in X.509 name constraints"),
    );
    critical.cvss_v3_score = Some(9.8);
    critical.cvss = vec![CvssInfo {
        version: "3.1".into(),
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        base_score: 9.8,
        source: "nvd@nist.gov".into(),
    }];
    critical.kev = Some(kev.clone());
    critical.references.push("https://www.openssl.org/news/secadv/20261001.txt".into());
    let mut critical_too = vuln("CVE-2026-0101", &openssl, &["3.0.15-1~deb12u1"], Severity::Critical, critical.title.as_deref());
    critical_too.cvss_v3_score = Some(9.8);
    critical_too.kev = Some(kev);
    let mut high = vuln("CVE-2026-0202", &xnet, &["v0.33.0"], Severity::High, Some("golang.org/x/net: HTTP/2 CONTINUATION flood"));
    high.cvss = vec![CvssInfo {
        version: "3.1".into(),
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into(),
        base_score: 7.5,
        source: "GHSA-xxxx".into(),
    }];
    let mut medium = vuln("CVE-2026-0303", &busybox, &[], Severity::Medium, Some(MARKUP_TITLE));
    medium.package.matched_as = Some("busybox 1:1.35.0-4+deb12u1".into());
    let unrated = vuln("CVE-2026-0505", &netbase, &[], Severity::Unknown, None);
    let mut suppressed =
        vuln("CVE-2026-0606", &libssl, &["3.0.15-1~deb12u1"], Severity::High, Some("OpenSSL: timing side channel in RSA decryption"));
    suppressed.vex = Some(VexInfo {
        status: "not_affected".into(),
        justification: Some("vulnerable_code_not_in_execute_path".into()),
        statement: Some("The application never decrypts with RSA.".into()),
        document: "vex/hello-oci.openvex.json".into(),
    });
    suppressed.suppressed = true;
    r.vulnerabilities = vec![critical, critical_too, high, suppressed, medium, unrated];

    r.hardening.push(CheckFinding {
        rule_id: "FIPS001".into(),
        name: "openssl-without-fips-provider".into(),
        severity: Severity::High,
        title: "OpenSSL 3 is present without its FIPS provider".into(),
        evidence: vec![Evidence {
            location: "/usr/lib/x86_64-linux-gnu/libcrypto.so.3".into(),
            detail: "OpenSSL 3.0.11; no ossl-modules/fips.so".into(),
            layer_index: Some(1),
            layer_digest: r.layers[1].digest.clone(),
            created_by: r.layers[1].created_by.clone(),
        }],
        remediation: "Use a base image that ships a validated OpenSSL FIPS provider and enable it in openssl.cnf.".into(),
        controls: vec!["SC-13".into()],
        references: vec!["FIPS 140-3".into()],
    });
    r.hardening.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));

    r.secrets = vec![
        SecretFinding {
            rule_id: "SEC001".into(),
            name: "aws-access-key-id".into(),
            title: "AWS access key ID".into(),
            severity: Severity::Critical,
            path: "/app/.env".into(),
            line: 3,
            column: 19,
            redacted: "AKIA************MPLE".into(),
            fingerprint: sha256_hex(RAW_SECRET),
            layer_index: 2,
            layer_digest: r.layers[2].digest.clone(),
            created_by: r.layers[2].created_by.clone(),
            removed: false,
            remediation: "Revoke and rotate this credential: anyone who pulls the image can read it. Keep it out of the image: inject it at run time.".into(),
            controls: SECRET_CONTROLS.iter().map(|c| (*c).to_owned()).collect(),
        },
        SecretFinding {
            rule_id: "SEC005".into(),
            name: "private-key".into(),
            title: "Private key".into(),
            severity: Severity::High,
            path: "/home/app/.ssh/id_ed25519".into(),
            line: 1,
            column: 1,
            redacted: "-----BEGIN OPENSSH PRIVATE KEY-----****".into(),
            fingerprint: sha256_hex("a private key body"),
            layer_index: 1,
            layer_digest: r.layers[1].digest.clone(),
            created_by: r.layers[1].created_by.clone(),
            removed: true,
            remediation: "Revoke and rotate this credential: anyone who pulls the image can read it. Deleting the file in a later layer does not remove it from the image.".into(),
            controls: SECRET_CONTROLS.iter().map(|c| (*c).to_owned()).collect(),
        },
    ];

    let fips = r.fips.take().unwrap_or_default();
    r.fips = Some(FipsPosture {
        verdict: FipsVerdict::NotFips,
        summary: "Not FIPS: OpenSSL 3.0.11 is present without its FIPS provider.".into(),
        modules: vec![CryptoModule {
            name: "OpenSSL".into(),
            version: Some("3.0.11".into()),
            location: "/usr/lib/x86_64-linux-gnu/libcrypto.so.3".into(),
            posture: FipsVerdict::NotFips,
            reason: "No FIPS provider (fips.so) in the image.".into(),
            layer_index: Some(1),
            layer_digest: r.layers[1].digest.clone(),
        }],
        evidence: vec![FipsEvidence {
            kind: "openssl-config".into(),
            stance: Stance::Against,
            location: "/usr/lib/ssl/openssl.cnf".into(),
            detail: "no fips provider section".into(),
            layer_index: Some(1),
            layer_digest: r.layers[1].digest.clone(),
            created_by: None,
        }],
        non_fips_beside_claim: Vec::new(),
        host_only: fips.host_only,
        notes: fips.notes,
    });
    r
}

fn date(s: &str) -> jiff::civil::Date {
    s.parse().expect("date")
}

#[allow(clippy::too_many_arguments)]
fn tracked(
    kind: FindingKind,
    rule: &str,
    subject_key: &str,
    subject: &str,
    title: &str,
    severity: Severity,
    first_seen: &str,
    kev_due: Option<&str>,
) -> TrackedFinding {
    let profile = Profile::fedramp_rev5();
    let (due, why) = deadline(&profile, date(first_seen), severity, kev_due.map(date)).expect("a deadline");
    let days_left = (due - date(AS_OF)).get_days() as i64;
    TrackedFinding {
        id: drydock_history::finding_id(kind, REPOSITORY, rule, subject_key),
        repository: REPOSITORY.into(),
        kind,
        rule: rule.into(),
        subject: subject.into(),
        title: title.into(),
        severity,
        cvss_v3_score: None,
        adjusted_severity: None,
        first_seen: format!("{first_seen}T08:00:00Z"),
        last_seen: "2026-12-10T08:00:00Z".into(),
        closed_at: None,
        reopened: 0,
        due: Some(due.to_string()),
        due_reason: why,
        days_left: Some(days_left),
        overdue: days_left < 0,
        kev_due: kev_due.map(Into::into),
        deviation: None,
        deviations: Vec::new(),
    }
}

/// [`full`] with the scan history's tracking: every open finding, some
/// overdue, one with a vendor-dependency deviation, one closed.
pub fn with_tracking() -> Report {
    let mut r = full();
    let mut findings = Vec::new();
    let first_seen = ["2026-10-15", "2026-11-02", "2026-11-02", "2026-09-01", "2026-12-01"];
    for (i, f) in r.vulnerabilities.iter().filter(|f| !f.suppressed).enumerate() {
        let key = format!("{}/{}", f.package.ecosystem.purl_type(), f.package.name);
        let mut t = tracked(
            FindingKind::Vulnerability,
            &f.id,
            &key,
            &f.package.name,
            f.title.as_deref().unwrap_or(&f.id),
            original_risk(f),
            first_seen[i % first_seen.len()],
            f.kev.as_ref().map(|k| k.due_date.as_str()),
        );
        t.cvss_v3_score = f.cvss_v3_score;
        findings.push(t);
    }
    for c in &r.hardening {
        let kind = if c.rule_id.starts_with("FIPS") { FindingKind::Fips } else { FindingKind::Hardening };
        let subject = match c.evidence.as_slice() {
            [] => String::new(),
            [one] => one.location.clone(),
            [first, rest @ ..] => format!("{} and {} more", first.location, rest.len()),
        };
        findings.push(tracked(kind, &c.rule_id, "", &subject, &c.title, c.severity, "2026-08-20", None));
    }
    for s in &r.secrets {
        findings.push(tracked(
            FindingKind::Secret,
            &s.rule_id,
            &format!("{}\n{}", s.path, s.fingerprint),
            &s.path,
            &s.title,
            s.severity,
            "2026-11-25",
            None,
        ));
    }
    if let Some(t) = findings.iter_mut().find(|t| t.rule == "CVE-2026-0303") {
        let d = Deviation {
            id: "DEV-1".into(),
            kind: DeviationKind::VendorDependency,
            rationale: "Debian has not released a fix.".into(),
            adjusted_severity: None,
            expires: Some("2027-03-01".into()),
            recorded_by: "isso".into(),
            recorded_at: "2026-11-03T10:00:00Z".into(),
            active: true,
        };
        t.deviation = Some(d.clone());
        t.deviations = vec![d];
    }
    findings.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| a.due.cmp(&b.due)).then_with(|| a.id.cmp(&b.id)));
    let mut closed = tracked(
        FindingKind::Vulnerability,
        "CVE-2025-9999",
        "deb/zlib1g",
        "zlib1g",
        "zlib: an old one",
        Severity::High,
        "2026-09-01",
        None,
    );
    closed.closed_at = Some("2026-12-10T08:00:00Z".into());
    closed.days_left = None;
    closed.overdue = false;
    r.tracking = Some(Tracking {
        history: "history.db".into(),
        scan_id: 7,
        repository: REPOSITORY.into(),
        profile: "fedramp-rev5".into(),
        config_checksum: "sha256:0d1f".into(),
        as_of: AS_OF.into(),
        findings,
        closed: vec![closed],
    });
    r
}
