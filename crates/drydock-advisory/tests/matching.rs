//! Expected findings on images built from real package databases and real
//! advisory feeds: exact lists (no misses, no false positives), backported
//! distro fixes respected, one finding per (vulnerability, package), KEV
//! and severities attached, VEX applied.
//!
//! The language and Go lists were derived independently by
//! `tests/oracle/expected_findings.py` (OSV range algorithm over the same
//! fixtures with the `packaging` library's version ordering).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use drydock_advisory::{AssessOptions, ImportOptions, Store, assess, import};
use drydock_core::report::Report;
use drydock_core::vulnerability::{Finding, Severity};
use drydock_image::{OpenOptions, open};
use drydock_scan::{ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(shared(rel)).unwrap()
}

fn report_of(builder: ImageBuilder) -> Report {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    builder.write_oci_layout(&dir, "t").unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();
    drydock_scan::report::build(&image, &result, "test")
}

fn database(dir: &Path, feeds: &[(&str, &str)]) -> PathBuf {
    let db = dir.join("advisories.db");
    for (name, rel) in feeds {
        import(&db, &[shared(rel)], &ImportOptions { name: Some((*name).into()), fetched_at: None }).unwrap();
    }
    db
}

fn assessed(report: &mut Report, db: &Path, vex: &[drydock_advisory::vex::Statement]) {
    let store = Store::open(db).unwrap();
    let options = AssessOptions { warn_age_hours: 120.0, vex, severities: &[], ignore_unfixed: false, now: jiff::Timestamp::now() };
    assess(report, &store, &options).unwrap();
}

fn metadata(name: &str, version: &str) -> Vec<u8> {
    format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: test\n").into_bytes()
}

fn find<'a>(report: &'a Report, id: &str, package: &str) -> &'a Finding {
    report.vulnerabilities.iter().find(|f| f.id == id && f.package.name == package).unwrap_or_else(|| panic!("no {id} in {package}"))
}

/// (package, advisory ids) for every finding.
fn matched(report: &Report, package: &str) -> BTreeSet<String> {
    report.vulnerabilities.iter().filter(|f| f.package.name == package).flat_map(|f| f.advisories.iter().map(|a| a.id.clone())).collect()
}

#[test]
fn language_packages_match_exactly_with_kev_and_alias_joins() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(
        tmp.path(),
        &[
            ("pypa", "osv/pypa/vulns"),
            ("rustsec", "osv/rustsec/crates"),
            ("go", "osv/go/data"),
            ("kev", "osv/kev/known_exploited_vulnerabilities.json"),
        ],
    );
    let site = "usr/lib/python3/dist-packages";
    let cargo_lock =
        b"version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://registry.invalid/index\"\n\n\
[[package]]\nname = \"time\"\nversion = \"0.1.43\"\nsource = \"registry+https://registry.invalid/index\"\n\n\
[[package]]\nname = \"itoa\"\nversion = \"1.0.11\"\nsource = \"registry+https://registry.invalid/index\"\n";
    let hello = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../drydock-scan/tests/data/golang/hello")).unwrap();
    let mut report = report_of(
        ImageBuilder::new()
            .layer(
                LayerSpec::new()
                    .file(&format!("{site}/pyspark-3.0.0.dist-info/METADATA"), &metadata("pyspark", "3.0.0"))
                    .file(&format!("{site}/Pillow-10.0.0.dist-info/METADATA"), &metadata("Pillow", "10.0.0"))
                    .file(&format!("{site}/Jinja2-2.11.2.dist-info/METADATA"), &metadata("Jinja2", "2.11.2"))
                    .file(&format!("{site}/six-1.16.0.dist-info/METADATA"), &metadata("six", "1.16.0"))
                    .created_by("RUN pip install pyspark==3.0.0 Pillow==10.0.0 Jinja2==2.11.2 six==1.16.0"),
            )
            .layer(LayerSpec::new().file("src/app/Cargo.lock", cargo_lock).created_by("COPY Cargo.lock /src/app/"))
            .layer(LayerSpec::new().file_mode("usr/local/bin/hello", &hello, 0o755).created_by("COPY hello /usr/local/bin/")),
    );
    assessed(&mut report, &db, &[]);

    assert_eq!(
        matched(&report, "pyspark"),
        ["PYSEC-2022-186", "PYSEC-2022-236", "PYSEC-2022-42976", "PYSEC-2023-44", "PYSEC-2023-72"].map(String::from).into()
    );
    assert_eq!(matched(&report, "Pillow"), ["PYSEC-2023-175"].map(String::from).into());
    assert_eq!(matched(&report, "Jinja2"), ["PYSEC-2021-66"].map(String::from).into());
    assert!(matched(&report, "six").is_empty());
    assert_eq!(matched(&report, "smallvec"), ["RUSTSEC-2021-0003"].map(String::from).into());
    assert_eq!(matched(&report, "time"), ["RUSTSEC-2020-0071"].map(String::from).into());
    assert!(matched(&report, "itoa").is_empty());

    // Go: stdlib 1.19.8 (the binary's toolchain), per the oracle.
    let go: BTreeSet<String> = matched(&report, "stdlib");
    let expected_go: BTreeSet<String> = GO_STDLIB_1_19_8.iter().map(|s| s.to_string()).collect();
    assert_eq!(go.difference(&expected_go).collect::<Vec<_>>(), Vec::<&String>::new(), "false positives");
    assert_eq!(expected_go.difference(&go).collect::<Vec<_>>(), Vec::<&String>::new(), "misses");

    // One finding per (vulnerability, package).
    let mut keys: Vec<(String, String)> = report.vulnerabilities.iter().map(|f| (f.id.clone(), f.package.purl.clone())).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate findings");

    // The errata relating two CVEs keeps its own id, CVEs as aliases, and
    // the KEV entry of one of them (CVE-2023-4863, libwebp).
    let pillow = find(&report, "PYSEC-2023-175", "Pillow");
    assert_eq!(pillow.aliases, ["CVE-2023-4863", "CVE-2023-5129"]);
    let kev = pillow.kev.as_ref().expect("CVE-2023-4863 is in the KEV catalog");
    assert_eq!(kev.due_date, "2023-10-04");
    assert_eq!(pillow.fixed_versions, ["10.0.1"]);

    // A record with a CVE alias is reported under the CVE, with its CVSS.
    let smallvec = find(&report, "CVE-2021-25900", "smallvec");
    assert!(smallvec.aliases.contains(&"RUSTSEC-2021-0003".to_owned()));
    assert_eq!(smallvec.fixed_versions, ["1.6.1"]);
    assert!(smallvec.cvss_v3_score.is_some());
    assert_eq!(smallvec.severity, Severity::from_score(smallvec.cvss_v3_score.unwrap()));
    assert_eq!(smallvec.origin.layer_index, 1);
    assert_eq!(smallvec.origin.created_by.as_deref(), Some("COPY Cargo.lock /src/app/"));

    // Sorted most severe first.
    assert!(report.vulnerabilities.windows(2).all(|w| w[0].severity >= w[1].severity));
    assert!(report.advisory_db.as_ref().is_some_and(|d| !d.stale && d.sources.len() == 4));
}

/// GO advisories affecting the Go 1.19.8 standard library, from
/// `tests/oracle/expected_findings.py` over `fixtures/osv/go`.
const GO_STDLIB_1_19_8: &[&str] = &[
    "GO-2023-1751",
    "GO-2023-1752",
    "GO-2023-1753",
    "GO-2023-1840",
    "GO-2023-1878",
    "GO-2023-1987",
    "GO-2023-2041",
    "GO-2023-2043",
    "GO-2023-2102",
    "GO-2023-2185",
    "GO-2023-2186",
    "GO-2023-2375",
    "GO-2023-2382",
    "GO-2024-2598",
    "GO-2024-2599",
    "GO-2024-2600",
    "GO-2024-2609",
    "GO-2024-2610",
    "GO-2024-2687",
    "GO-2024-2887",
    "GO-2024-2888",
    "GO-2024-2963",
    "GO-2024-3105",
    "GO-2024-3106",
    "GO-2024-3107",
    "GO-2025-3373",
    "GO-2025-3420",
    "GO-2025-3447",
    "GO-2025-3503",
    "GO-2025-3563",
    "GO-2025-3750",
    "GO-2025-3751",
    "GO-2025-3849",
    "GO-2025-3956",
    "GO-2025-4006",
    "GO-2025-4007",
    "GO-2025-4008",
    "GO-2025-4009",
    "GO-2025-4010",
    "GO-2025-4011",
    "GO-2025-4012",
    "GO-2025-4013",
    "GO-2025-4014",
    "GO-2025-4015",
    "GO-2025-4155",
    "GO-2025-4175",
    "GO-2026-4337",
    "GO-2026-4340",
    "GO-2026-4341",
    "GO-2026-4342",
    "GO-2026-4403",
    "GO-2026-4601",
    "GO-2026-4602",
    "GO-2026-4603",
    "GO-2026-4864",
    "GO-2026-4865",
    "GO-2026-4869",
    "GO-2026-4870",
    "GO-2026-4918",
    "GO-2026-4946",
    "GO-2026-4947",
    "GO-2026-4970",
    "GO-2026-4971",
    "GO-2026-4976",
    "GO-2026-4977",
    "GO-2026-4980",
    "GO-2026-4981",
    "GO-2026-4982",
    "GO-2026-4986",
    "GO-2026-5026",
    "GO-2026-5037",
    "GO-2026-5038",
    "GO-2026-5039",
    "GO-2026-5856",
    "GO-2026-5972",
    "GO-2026-6088",
    "GO-2026-6089",
    "GO-2026-6090",
    "GO-2026-6091",
    "GO-2026-6218",
];

#[test]
fn alpine_secdb_respects_backported_fixes() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path(), &[("alpine-v3.6", "osv/alpine-secdb/v3.6")]);
    let mut report = report_of(
        ImageBuilder::new().layer(
            LayerSpec::new()
                .file("etc/os-release", &read("pkgdb/alpine-3.6.5/etc/os-release"))
                .file("lib/apk/db/installed", &read("pkgdb/alpine-3.6.5/lib/apk/db/installed"))
                .created_by("ADD alpine-minirootfs-3.6.5-x86_64.tar.gz /"),
        ),
    );
    assessed(&mut report, &db, &[]);
    let got: Vec<String> = report
        .vulnerabilities
        .iter()
        .map(|f| format!("{} {} {} -> {:?}", f.id, f.package.name, f.package.version, f.fixed_versions))
        .collect();
    // musl 1.1.16-r15 carries Alpine's backport of the CVE-2017-15650 fix
    // (secdb: fixed in 1.1.16-r14; upstream fixed it only in 1.1.17).
    assert!(report.packages.iter().any(|p| p.record.name == "musl" && p.record.version == "1.1.16-r15"));
    assert!(!report.vulnerabilities.iter().any(|f| f.id == "CVE-2017-15650"), "backported fix reported as vulnerable");
    assert_eq!(got, ALPINE_3_6_5_EXPECTED);
}

/// Alpine 3.6.5 is the last 3.6 point release: every secdb v3.6 fix for
/// its packages (busybox 1.26.2-r9, libressl 2.5.3-r1, musl 1.1.15-r4 and
/// 1.1.16-r14) is at or below the installed version, so nothing matches.
const ALPINE_3_6_5_EXPECTED: &[&str] = &[];

#[test]
fn ubuntu_matches_by_source_package_and_keeps_unfixed_findings() {
    let tmp = tempfile::tempdir().unwrap();
    // Canonical's OSV records (upstream-samples, Apache-2.0 via vunnel's fixtures).
    let db = database(tmp.path(), &[("ubuntu", "upstream-samples/ubuntu/test-fixtures/osv")]);
    let mut report = report_of(
        ImageBuilder::new().layer(
            LayerSpec::new()
                .file("etc/os-release", &read("pkgdb/ubuntu-focal-minbase/etc/os-release"))
                .file("var/lib/dpkg/status", &read("pkgdb/ubuntu-focal-minbase/var/lib/dpkg/status"))
                .created_by("ADD ubuntu-focal-minbase.tar /"),
        ),
    );
    assessed(&mut report, &db, &[]);
    let got: Vec<String> = report
        .vulnerabilities
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {:?} {} {}",
                f.id,
                f.package.name,
                f.package.version,
                f.fixed_versions,
                f.severity,
                f.package.matched_as.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(got, UBUNTU_FOCAL_EXPECTED, "{got:#?}");
}

/// glibc is the source package of libc6 and libc-bin; Ubuntu tracks
/// CVE-2016-20013 for 20.04 (now under Ubuntu Pro) with no fix. Severity
/// comes from the record's CVSS v3.1 vector (7.5), not Ubuntu's priority.
/// No other record in the fixtures names a package of this image.
const UBUNTU_FOCAL_EXPECTED: &[&str] = &[
    "CVE-2016-20013 libc-bin 2.31-0ubuntu9 [] HIGH glibc 2.31-0ubuntu9",
    "CVE-2016-20013 libc6 2.31-0ubuntu9 [] HIGH glibc 2.31-0ubuntu9",
];

/// The version evaluation on real distro records, below and at the fix.
#[test]
fn distro_fixes_are_judged_by_the_distro_version_scheme() {
    use drydock_advisory::ecosystem::Family;
    use drydock_advisory::matcher::affects;
    use drydock_advisory::sources::{Format, parse};

    // Alpine secdb: musl's CVE-2017-15650 fix was backported to 1.1.16-r14.
    let secdb = parse(Format::AlpineSecdb, "v3.6/main.yaml", &read("osv/alpine-secdb/v3.6/main.yaml")).unwrap();
    let cve = secdb.advisories.iter().find(|a| a.id == "CVE-2017-15650").unwrap();
    let musl = cve.affected.iter().find(|a| a.name == "musl").unwrap();
    assert_eq!(affects(Family::Alpine, musl, "1.1.16-r13"), Some(vec!["1.1.16-r14".to_owned()]));
    assert_eq!(affects(Family::Alpine, musl, "1.1.16-r14"), None);
    assert_eq!(affects(Family::Alpine, musl, "1.1.16-r15"), None);
    assert_eq!(affects(Family::Alpine, musl, "1.1.15-r4"), Some(vec!["1.1.16-r14".to_owned()]));
    // `_git` marks a snapshot after the release: above every 1.1.16-rN.
    assert_eq!(affects(Family::Alpine, musl, "1.1.16_git20170101-r0"), None);

    // AlmaLinux errata: rpm EVR ordering, dist tags and epochs.
    let alsa = parse(Format::OsvJson, "ALSA-2021:2363.json", &read("osv/almalinux/advisories/almalinux8/ALSA-2021:2363.json")).unwrap();
    let gupnp = alsa.advisories[0].affected.iter().find(|a| a.name == "gupnp").unwrap();
    assert_eq!(affects(Family::AlmaLinux, gupnp, "1.0.6-1.el8"), Some(vec!["1.0.6-2.el8_4".to_owned()]));
    assert_eq!(affects(Family::AlmaLinux, gupnp, "1.0.6-2.el8_4"), None);
    assert_eq!(affects(Family::AlmaLinux, gupnp, "1.0.6-2.el8_4.1"), None);
    assert_eq!(affects(Family::AlmaLinux, gupnp, "1.0.5-99.el8"), Some(vec!["1.0.6-2.el8_4".to_owned()]));
}
