//! rpm databases against real data: the three formats from go-rpmdb's test
//! data (MIT; /work/shared/fixtures/rpmdb, see its README), checked against
//! `rpm -qa` output where Debian's rpm can produce one.

use std::collections::BTreeSet;

use drydock_core::package::PackageRecord;
use drydock_scan::analyzers::rpm::parse_database;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/rpmdb/");

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{rel}")).unwrap_or_else(|e| panic!("shared fixture {rel} beside the repository: {e}"))
}

/// One oracle line: name, epoch, version, release, arch, source rpm.
type Row = (String, u32, String, String, String, String);

fn oracle(rel: &str) -> BTreeSet<Row> {
    String::from_utf8(fixture(rel))
        .expect("oracle is UTF-8")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 6, "oracle line {l:?}");
            (f[0].into(), f[1].parse().expect("epoch"), f[2].into(), f[3].into(), f[4].into(), f[5].into())
        })
        .collect()
}

/// Our record in the oracle's shape. `rpm -qa` printed `%{EPOCHNUM}`, so
/// no epoch reads as 0; the version field must agree with the epoch.
fn row(r: &PackageRecord) -> Row {
    let epoch = r.epoch.unwrap_or(0);
    let evr = r.version.split_once(':').map_or(r.version.as_str(), |(e, rest)| {
        assert_eq!(e.parse::<u32>().ok(), r.epoch, "{}: epoch prefix of {:?}", r.name, r.version);
        rest
    });
    let (version, release) = evr.rsplit_once('-').unwrap_or_else(|| panic!("{}: version {:?} has no release", r.name, r.version));
    let srpm = match (&r.source_name, &r.source_version) {
        (Some(n), Some(v)) => format!("{n}-{v}.src.rpm"),
        _ => "(none)".into(),
    };
    (r.name.clone(), epoch, version.into(), release.into(), r.arch.clone().unwrap_or_default(), srpm)
}

fn assert_matches_oracle(db: &str, qa: &str) -> Vec<PackageRecord> {
    let records = parse_database(&fixture(db)).unwrap_or_else(|e| panic!("{db}: {e}"));
    let ours: BTreeSet<Row> = records.iter().map(row).collect();
    assert_eq!(ours.len(), records.len(), "{db}: duplicate records");
    let want = oracle(qa);
    let missing: Vec<_> = want.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&want).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{db}: missing from drydock {missing:#?}\nnot in rpm -qa {extra:#?}");
    records
}

#[test]
fn sqlite_cbl_mariner_matches_rpm_qa() {
    let records = assert_matches_oracle("cbl-mariner-2.0/rpmdb.sqlite", "cbl-mariner-2.0.rpm-qa.txt");
    let bash = records.iter().find(|r| r.name == "bash").expect("bash");
    assert_eq!(bash.version, "5.1.8-1.cm2");
    // Mariner 2.0 is not /usr-merged: bash lives in /bin.
    assert!(bash.files.iter().any(|f| f == "bin/bash"), "bash owns bin/bash: {:?}", bash.files);
    assert!(bash.files.iter().all(|f| !f.starts_with('/')));
    assert!(bash.vendor.is_some() && !bash.licenses.is_empty());
    let ca = records.iter().find(|r| r.name == "ca-certificates-base").expect("ca-certificates-base");
    assert_eq!((ca.version.as_str(), ca.epoch), ("1:2.0.0-1.cm2", Some(1)));
}

#[test]
fn bdb_libuuid_matches_rpm_qa() {
    let records = assert_matches_oracle("libuuid/Packages", "libuuid.rpm-qa.txt");
    let r = &records[0];
    assert_eq!((r.source_name.as_deref(), r.source_version.as_deref()), (Some("util-linux"), Some("2.32.1-42.el8_8")));
    assert!(r.files.iter().any(|f| f.starts_with("usr/lib64/libuuid.so")), "{:?}", r.files);
}

#[test]
fn bdb_converted_from_mariner_matches_rpm_qa_and_the_sqlite_original() {
    let bdb = assert_matches_oracle("synth-bdb-from-mariner/Packages", "synth-bdb-from-mariner.rpm-qa.txt");
    let sqlite = parse_database(&fixture("cbl-mariner-2.0/rpmdb.sqlite")).expect("sqlite");
    // Same headers, different container: every field, files included, agrees.
    let key = |r: &PackageRecord| (r.name.clone(), r.arch.clone());
    let mut a = bdb.clone();
    let mut b = sqlite.clone();
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b);
}

#[test]
fn ndb_sle15_bci_lists_plausible_packages() {
    let records = parse_database(&fixture("sle15-bci/Packages.db")).expect("NDB");
    // `rpm -qa` inside the image lists 35 (go-rpmdb's expectation too).
    assert_eq!(records.len(), 35, "{} packages", records.len());
    for r in &records {
        assert!(!r.name.is_empty() && !r.version.is_empty() && r.arch.is_some(), "{r:?}");
        assert_ne!(r.name, "gpg-pubkey");
    }
    for name in ["bash", "glibc", "rpm-ndb", "sles-release", "filesystem"] {
        assert!(records.iter().any(|r| r.name == name), "{name} missing from SLE 15 BCI");
    }
    // Versions and source rpms as `rpm -qa` printed them inside the image
    // (go-rpmdb's `SLE15WithNDB` expectation).
    let find = |n: &str| records.iter().find(|r| r.name == n).unwrap_or_else(|| panic!("{n}"));
    assert_eq!(find("bash").version, "4.4-19.6.1");
    let gcc = find("libgcc_s1");
    assert_eq!((gcc.version.as_str(), gcc.source_name.as_deref()), ("11.2.1+git610-1.3.9", Some("gcc11")));
    assert_eq!(gcc.source_version.as_deref(), Some("11.2.1+git610-1.3.9"));
    assert_eq!(find("libcap2").licenses, vec!["BSD-3-Clause or GPL-2.0"]);
    let glibc = records.iter().find(|r| r.name == "glibc").expect("glibc");
    assert!(glibc.vendor.as_deref().is_some_and(|v| v.contains("SUSE")), "{:?}", glibc.vendor);
    assert!(glibc.files.iter().any(|f| f.starts_with("lib64/libc.so") || f.starts_with("usr/lib64/libc.so")), "glibc owns libc");
}

/// Cut and damaged copies of every database: never a panic; either some
/// packages (all of them well-formed) or an error that names the format.
#[test]
fn truncated_and_corrupted_databases_never_panic() {
    for db in ["cbl-mariner-2.0/rpmdb.sqlite", "libuuid/Packages", "synth-bdb-from-mariner/Packages", "sle15-bci/Packages.db"] {
        let bytes = fixture(db);
        let full = parse_database(&bytes).expect(db).len();
        let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
        for frac in [0, 1, 2, 3, 5, 7, 9] {
            let cut = bytes.len() * frac / 10;
            cases.push((format!("cut at {cut}"), bytes[..cut].to_vec()));
        }
        cases.push(("cut one byte short".into(), bytes[..bytes.len() - 1].to_vec()));
        // Deterministic pseudo-random byte flips, dense and sparse.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for (round, flips) in [1usize, 8, 64, 512, 4096].into_iter().enumerate() {
            let mut b = bytes.clone();
            for _ in 0..flips {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % b.len();
                b[at] ^= (seed >> 32) as u8 | 1;
            }
            cases.push((format!("round {round}: {flips} flipped bytes"), b));
        }
        // Every header blob's preamble zeroed would be caught per package;
        // zeroing whole regions exercises page-level damage.
        let mut b = bytes.clone();
        let mid = b.len() / 2;
        b[mid..(mid + 8192).min(bytes.len())].fill(0xff);
        cases.push(("8 KiB of 0xff in the middle".into(), b));
        for (what, b) in cases {
            match parse_database(&b) {
                Ok(records) => {
                    assert!(records.len() <= full + 1, "{db}, {what}: {} packages from a {full}-package database", records.len());
                    assert!(records.iter().all(|r| !r.name.is_empty()), "{db}, {what}: nameless record");
                }
                Err(e) => assert!(!e.to_string().is_empty(), "{db}, {what}"),
            }
        }
    }
}

#[test]
fn half_a_database_still_yields_the_packages_in_that_half() {
    // BDB and NDB keep working past damage; these two keep most of it.
    for db in ["synth-bdb-from-mariner/Packages", "sle15-bci/Packages.db"] {
        let bytes = fixture(db);
        let full = parse_database(&bytes).expect(db).len();
        let half = parse_database(&bytes[..bytes.len() / 2]).unwrap_or_else(|e| panic!("{db} cut in half: {e}"));
        assert!(!half.is_empty() && half.len() < full, "{db}: {} of {full} from half the file", half.len());
    }
}
