//! The feed parsers against real feed data (`/work/shared/fixtures`, see its
//! README for sources and licenses): RustSec, Go vulndb, PyPA (YAML),
//! AlmaLinux errata, osv.dev test records, Ubuntu/Rocky OSV samples (anchore
//! vunnel fixtures), Alpine secdb, CISA KEV, EPSS and NVD API 2.0 pages; and
//! against hostile input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use drydock_advisory::cvss;
use drydock_advisory::ecosystem::{Family, family_of};
use drydock_advisory::model::{Advisory, Affected, Event, Parsed, Range, RangeKind, Score, ScoreKind};
use drydock_advisory::sources::{self, Format, epss};
use rayon::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/");

fn fixture(rel: &str) -> PathBuf {
    Path::new(FIXTURES).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files_under(rel: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(fixture(rel))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// What the importer does with one file: detect, then parse.
fn detect_and_parse(path: &Path) -> Option<(Format, Result<Parsed, String>)> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.to_string_lossy();
    let format = sources::detect(&name, &bytes[..bytes.len().min(64 << 10)])?;
    Some((format, sources::parse(format, &name, &bytes)))
}

/// Parses a file the test knows the format of.
fn parse(format: Format, rel: &str) -> Parsed {
    sources::parse(format, rel, &read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[derive(Default)]
struct Feed {
    files: usize,
    advisories: Vec<Advisory>,
    dropped: Vec<(String, String)>,
    malformed: Vec<(String, String)>,
}

impl Feed {
    fn get(&self, id: &str) -> &Advisory {
        self.advisories.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id} not parsed"))
    }
}

/// Parses every file with `ext` under `rel`; each must be detected as `format`.
fn parse_feed(rel: &str, ext: &str, format: Format) -> Feed {
    let results: Vec<_> = files_under(rel)
        .into_par_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| {
            let (detected, parsed) = detect_and_parse(&p).unwrap_or_else(|| panic!("{} not detected", p.display()));
            assert_eq!(detected, format, "{}", p.display());
            parsed.unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let mut feed = Feed { files: results.len(), ..Feed::default() };
    for p in results {
        assert!(p.kev.is_empty() && p.epss.is_empty() && p.cve_scores.is_empty());
        feed.advisories.extend(p.advisories);
        feed.dropped.extend(p.dropped);
        feed.malformed.extend(p.malformed);
    }
    feed
}

fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
    let events = events
        .iter()
        .map(|(k, v)| match *k {
            "introduced" => Event::Introduced((*v).into()),
            "fixed" => Event::Fixed((*v).into()),
            "last_affected" => Event::LastAffected((*v).into()),
            "limit" => Event::Limit((*v).into()),
            _ => unreachable!(),
        })
        .collect();
    Range { kind, events }
}

fn score(kind: ScoreKind, value: &str) -> Score {
    Score { kind, value: value.into() }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Every CVSS vector the feeds carry must score.
fn assert_vectors_score(advisories: &[Advisory]) -> usize {
    let mut n = 0;
    for a in advisories {
        let all = a.severity.iter().chain(a.affected.iter().flat_map(|af| af.severity.iter()));
        for s in all.filter(|s| matches!(s.kind, ScoreKind::CvssV2 | ScoreKind::CvssV3 | ScoreKind::CvssV4)) {
            let scored = cvss::base_score(&s.value).unwrap_or_else(|| panic!("{}: {} does not score", a.id, s.value));
            let expected = match s.kind {
                ScoreKind::CvssV2 => &["2.0"][..],
                ScoreKind::CvssV3 => &["3.0", "3.1"][..],
                _ => &["4.0"][..],
            };
            assert!(expected.contains(&scored.version.as_str()), "{}: {} typed {:?}", a.id, s.value, s.kind);
            n += 1;
        }
    }
    n
}

#[test]
fn real_osv_feeds() {
    let started = std::time::Instant::now();
    let ((rustsec, go), (pypa, alma)) = rayon::join(
        || {
            rayon::join(
                || parse_feed("osv/rustsec/crates", "json", Format::OsvJson),
                || parse_feed("osv/go/data/osv", "json", Format::OsvJson),
            )
        },
        || {
            rayon::join(
                || parse_feed("osv/pypa/vulns", "yaml", Format::OsvYaml),
                || parse_feed("osv/almalinux/advisories", "json", Format::OsvJson),
            )
        },
    );
    eprintln!("parsed the OSV feeds in {:?}", started.elapsed());

    // Counts: every record is read; withdrawn records and bug-fix/enhancement
    // errata are dropped, nothing is malformed.
    let counts = |f: &Feed| (f.files, f.advisories.len(), f.dropped.len(), f.malformed.len());
    assert_eq!(counts(&rustsec), (1206, 1193, 13, 0), "{:?}", rustsec.malformed);
    assert_eq!(counts(&go), (4291, 4274, 17, 0), "{:?}", go.malformed);
    assert_eq!(counts(&pypa), (2661, 2651, 10, 0), "{:?}", pypa.malformed);
    assert_eq!(counts(&alma), (5680, 4480, 1200, 0), "{:?}", alma.malformed);
    assert!(rustsec.dropped.iter().all(|(_, why)| why.starts_with("withdrawn ")));
    assert!(rustsec.dropped.contains(&("RUSTSEC-2019-0031".into(), "withdrawn 2020-10-08T12:00:00Z".into())), "{:?}", rustsec.dropped);
    assert!(pypa.dropped.iter().any(|(id, _)| id == "PYSEC-2022-43059"));
    let errata: BTreeMap<&str, usize> = alma.dropped.iter().fold(BTreeMap::new(), |mut m, (id, _)| {
        *m.entry(&id[..4]).or_default() += 1;
        m
    });
    assert_eq!(errata, BTreeMap::from([("ALBA", 978), ("ALEA", 222)]));

    // Every affected package is in an ecosystem drydock matches.
    for (feed, family) in [(&rustsec, Family::Cargo), (&go, Family::Go), (&pypa, Family::PyPI), (&alma, Family::AlmaLinux)] {
        for a in &feed.advisories {
            for af in &a.affected {
                assert_eq!(family_of(&af.ecosystem).map(|f| f.0), Some(family), "{} {}", a.id, af.ecosystem);
            }
        }
    }

    // RustSec: a CVSS v4 record.
    let a = rustsec.get("RUSTSEC-2024-0445");
    assert_eq!(a.aliases, strings(&["CVE-2024-51756", "GHSA-hxf5-99xg-86hw"]));
    assert_eq!(a.summary.as_deref(), Some("cap-primitives doesn't fully sandbox all the Windows device filenames"));
    assert_eq!((a.published.as_deref(), a.modified.as_deref()), (Some("2024-11-05T12:00:00Z"), Some("2025-12-19T21:01:24Z")));
    assert_eq!(a.severity, [score(ScoreKind::CvssV4, "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N")]);
    assert_eq!(a.affected.len(), 1);
    let af = &a.affected[0];
    assert_eq!(af.ecosystem, Family::Cargo.osv_export_name());
    assert_eq!((af.name.as_str(), af.purl.as_deref()), ("cap-primitives", Some("pkg:cargo/cap-primitives")));
    assert_eq!(af.ranges, [range(RangeKind::Semver, &[("introduced", "0.0.0-0"), ("fixed", "3.4.1")])]);
    assert!(af.versions.is_empty() && af.severity.is_empty());
    // ADVISORY references first, in feed order.
    assert_eq!(
        a.references[..2],
        strings(&[
            "https://rustsec.org/advisories/RUSTSEC-2024-0445.html",
            "https://github.com/bytecodealliance/cap-std/security/advisories/GHSA-hxf5-99xg-86hw"
        ])
    );
    assert_eq!(a.references.len(), 5);

    // Go: a module range.
    let a = go.get("GO-2021-0113");
    assert_eq!(a.aliases, strings(&["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"]));
    assert_eq!(a.summary.as_deref(), Some("Out-of-bounds read in golang.org/x/text/language"));
    assert_eq!(a.affected.len(), 1);
    assert_eq!((a.affected[0].ecosystem.as_str(), a.affected[0].name.as_str()), ("Go", "golang.org/x/text"));
    assert_eq!(a.affected[0].ranges, [range(RangeKind::Semver, &[("introduced", "0"), ("fixed", "0.3.7")])]);
    assert!(a.severity.is_empty());

    // PyPA (YAML): summary from `details`, quoted and unquoted versions, GIT ranges.
    let a = pypa.get("PYSEC-2014-9");
    assert_eq!(a.aliases, ["CVE-2014-3146"]);
    let summary = a.summary.as_deref().unwrap();
    assert!(summary.starts_with("Incomplete blacklist vulnerability in the lxml.html.clean module in lxml before 3.3.5"), "{summary}");
    assert!(summary.ends_with("in the link scheme to…") && summary.chars().count() == 201, "{summary}");
    let af = &a.affected[0];
    assert_eq!((af.ecosystem.as_str(), af.name.as_str(), af.purl.as_deref()), ("PyPI", "lxml", Some("pkg:pypi/lxml")));
    assert_eq!(af.ranges, [range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", "3.3.5")])]);
    assert_eq!(af.versions.len(), 101);
    assert_eq!((af.versions[0].as_str(), af.versions[3].as_str(), af.versions[100].as_str()), ("0.9", "1.0", "3.3.4"));
    assert_eq!(a.references[0], "http://secunia.com/advisories/58013");
    assert_eq!(a.references.len(), 10);
    let a = pypa.get("PYSEC-2023-246");
    assert_eq!(a.aliases, strings(&["CVE-2023-47627", "GHSA-gfw2-4jvh-wgfg"]));
    assert_eq!(a.severity, [score(ScoreKind::CvssV3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N")]);
    assert_eq!(
        a.affected[0].ranges,
        [
            range(RangeKind::Git, &[("introduced", "0"), ("fixed", "d5c12ba890557a575c313bb3017910d7616fce3d")]),
            range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", "3.8.6")]),
        ]
    );
    assert_eq!(
        pypa.get("PYSEC-2022-42969").affected[0].ranges,
        [range(RangeKind::Ecosystem, &[("introduced", "0"), ("last_affected", "1.11.0")])]
    );

    // AlmaLinux: the rating is the summary's first word.
    let a = alma.get("ALSA-2024:2433");
    assert_eq!(a.summary.as_deref(), Some("Moderate: avahi security update"));
    assert_eq!(a.severity, [score(ScoreKind::Label, "Moderate")]);
    assert_eq!(a.related, strings(&["CVE-2023-38469", "CVE-2023-38470", "CVE-2023-38471", "CVE-2023-38472", "CVE-2023-38473"]));
    assert_eq!((a.affected[0].ecosystem.as_str(), a.affected[0].name.as_str()), ("AlmaLinux:9", "avahi"));
    assert_eq!(a.affected[0].ranges, [range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", "0.8-20.el9")])]);
    assert_eq!(
        a.references[..2],
        strings(&["https://access.redhat.com/errata/RHSA-2024:2433", "https://errata.almalinux.org/9/ALSA-2024-2433.html"])
    );
    // `ALSA-2022:5468: php:8.0 security update (Important)`
    assert_eq!(alma.get("ALSA-2022:5468").severity, [score(ScoreKind::Label, "Important")]);
    let mut ratings: BTreeMap<String, usize> = BTreeMap::new();
    for a in &alma.advisories {
        assert_eq!(a.severity.len(), 1, "{} has no rating", a.id);
        *ratings.entry(a.severity[0].value.clone()).or_default() += 1;
    }
    assert_eq!(
        ratings,
        BTreeMap::from([("Critical".into(), 34), ("Important".into(), 2385), ("Low".into(), 154), ("Moderate".into(), 1907)])
    );

    let vectors = assert_vectors_score(&rustsec.advisories) + assert_vectors_score(&pypa.advisories);
    assert_eq!(vectors, 417 + 199, "CVSS vectors in RustSec and PyPA (withdrawn records excluded)");
}

#[test]
fn osv_samples() {
    // osv.dev test records: every OSV file in the folder is detected and read.
    let mut all = Vec::new();
    let mut skipped = Vec::new();
    for path in files_under("osv/samples") {
        match detect_and_parse(&path) {
            Some((format, parsed)) => {
                assert_eq!(format, Format::OsvJson, "{}", path.display());
                let parsed = parsed.unwrap();
                assert!(parsed.malformed.is_empty(), "{}: {:?}", path.display(), parsed.malformed);
                all.extend(parsed.advisories);
            }
            None => skipped.push(path.file_name().unwrap().to_string_lossy().into_owned()),
        }
    }
    assert_eq!(all.len(), 26);
    // The vulnfeeds "parts" files are converter intermediates, not OSV.
    assert_eq!(skipped.len(), 15, "{skipped:?}");
    assert!(skipped.iter().all(|s| s.ends_with(".alpine.json") || s.ends_with(".debian.json") || s == "README.md" || s.contains("mock")));

    let get = |id: &str| all.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id}"));
    // Debian DLA: the CVEs it fixes come as OSV 1.7 `upstream`, kept in `related`.
    let dla = get("DLA-3623-1");
    assert_eq!(dla.related.len(), 44);
    assert_eq!(dla.related[..2], strings(&["CVE-2022-39189", "CVE-2022-4269"]));
    assert!(dla.affected.is_empty() && dla.severity.is_empty());
    assert_eq!(get("SUSE-SU-2023:3313-1").modified.as_deref(), Some("2025-10-13T15:48:05.474651Z"));
    let cve5 = get("CVE-5");
    let ecosystems: Vec<&str> = cve5.affected.iter().map(|a| a.ecosystem.as_str()).collect();
    assert_eq!(ecosystems[0], "Red Hat:rhel_e4s:9.2::appstream");
    assert_eq!(ecosystems.len(), 5);
    let multi = get("MULTI-ECO-FIX-DEMO");
    assert_eq!(multi.affected[1].ranges, [range(RangeKind::Semver, &[("introduced", "0")])]);
    assert_eq!(get("ALIAS-CVE-1").aliases, strings(&["CVE-1", "ALIAS"]));
    assert_eq!(get("ALIAS-CVE-1").related, strings(&["CVE-2"]), "upstream ids already in aliases are not repeated");
}

#[test]
fn ubuntu_rocky_and_alma_osv_samples() {
    let p = parse(Format::OsvJson, "upstream-samples/ubuntu/test-fixtures/osv/cve/2021/UBUNTU-CVE-2021-3782.json");
    let a = &p.advisories[0];
    assert_eq!(a.id, "UBUNTU-CVE-2021-3782");
    // The two identical CVSS entries are one score; the Ubuntu priority is kept.
    assert_eq!(a.severity, [score(ScoreKind::CvssV3, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H"), score(ScoreKind::Ubuntu, "medium")]);
    assert_eq!(a.related, strings(&["USN-5614-1", "USN-5614-2", "CVE-2021-3782"]));
    assert!(a.summary.as_deref().unwrap().starts_with("An internal reference count is held on the buffer pool"));
    let af = &a.affected[0];
    assert_eq!((af.ecosystem.as_str(), af.name.as_str()), ("Ubuntu:Pro:16.04:LTS", "wayland"));
    assert_eq!(af.ranges, [range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", "1.12.0-1~ubuntu16.04.3+esm1")])]);
    assert_eq!(af.versions.len(), 5);
    assert_eq!(cvss::base_score(&a.severity[0].value).unwrap().base_score, 6.6);

    // A USN keeps each CVE's priority under the package's cves_map.
    let p = parse(Format::OsvJson, "upstream-samples/ubuntu/test-fixtures/osv/usn/USN-5614-1.json");
    let a = &p.advisories[0];
    assert_eq!((a.id.as_str(), a.summary.as_deref()), ("USN-5614-1", Some("wayland vulnerability")));
    assert_eq!(a.related, ["UBUNTU-CVE-2021-3782"]);
    assert!(a.severity.is_empty());
    assert!(!a.affected.is_empty());
    for af in &a.affected {
        assert_eq!(af.severity, [score(ScoreKind::Ubuntu, "medium")], "{}", af.ecosystem);
    }

    // Rocky: the rating is the summary's first word; ranges' database_specific is dropped.
    let p = parse(Format::OsvJson, "upstream-samples/rocky/test-fixtures/osv/RLSA-2023_3220.json");
    let a = &p.advisories[0];
    assert_eq!(a.id, "RLSA-2023:3220");
    assert_eq!(a.severity, [score(ScoreKind::Label, "Important")]);
    assert_eq!(a.related.len(), 7);
    assert_eq!((a.affected[0].ecosystem.as_str(), a.affected[0].name.as_str()), ("Rocky Linux:8", "firefox"));
    assert_eq!(a.affected[0].ranges, [range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", "0:102.11.0-2.el8_7")])]);
    assert_eq!(a.references[0], "https://errata.rockylinux.org/RLSA-2023:3220");

    // AlmaLinux bug-fix errata are dropped even when they name a CVE.
    let p = parse(Format::OsvJson, "upstream-samples/alma/test-fixtures/osv-database/advisories/almalinux8/ALBA-2021:4378.json");
    assert!(p.advisories.is_empty());
    assert_eq!(p.dropped, [("ALBA-2021:4378".to_owned(), "bug-fix errata: not a security advisory".to_owned())]);

    // Every Ubuntu/Rocky/Alma/Go OSV sample reads cleanly and its vectors score.
    let mut advisories = Vec::new();
    let mut dropped = Vec::new();
    for dir in [
        "upstream-samples/ubuntu/test-fixtures/osv",
        "upstream-samples/ubuntu/test-fixtures/osv-esm-cases",
        "upstream-samples/rocky/test-fixtures/osv",
        "upstream-samples/alma/test-fixtures/osv-database",
        "upstream-samples/govulndb/test-fixtures/vulndb",
    ] {
        let feed = parse_feed(dir, "json", Format::OsvJson);
        assert!(feed.malformed.is_empty(), "{dir}: {:?}", feed.malformed);
        advisories.extend(feed.advisories);
        dropped.extend(feed.dropped.into_iter().map(|(id, why)| format!("{id}: {}", why.split(' ').next().unwrap())));
    }
    assert_eq!(advisories.len(), 15);
    dropped.sort();
    assert_eq!(
        dropped,
        [
            "ALBA-2021:4378: bug-fix",
            "UBUNTU-CVE-2013-2208: withdrawn",
            "UBUNTU-CVE-2014-2901: withdrawn",
            "UBUNTU-CVE-2020-36325: withdrawn"
        ]
    );
    // UBUNTU-CVE-2016-20013, -2021-3782, -2014-9913, -2022-24823 and RLSA-2021:3891.
    assert_eq!(assert_vectors_score(&advisories), 5);
}

#[test]
fn alpine_secdb() {
    let p = parse(Format::AlpineSecdb, "osv/alpine-secdb/v3.6/main.yaml");
    assert!(p.malformed.is_empty() && p.dropped.is_empty(), "{:?} {:?}", p.malformed, p.dropped);
    assert_eq!(p.advisories.len(), 868);
    let find = |id: &str| p.advisories.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id}"));
    let fixed_in = |id: &str, pkg: &str| -> Vec<Range> {
        let a = find(id);
        let af: &Affected = a.affected.iter().find(|af| af.name == pkg).unwrap();
        assert_eq!(af.ecosystem, "Alpine:v3.6");
        af.ranges.clone()
    };
    let fixed = |v: &str| range(RangeKind::Ecosystem, &[("introduced", "0"), ("fixed", v)]);
    // freetype: 2.7.1-r2: [CVE-2018-6942], 2.7.1-r1: [CVE-2017-8105, CVE-2017-8287]
    assert_eq!(fixed_in("CVE-2018-6942", "freetype"), [fixed("2.7.1-r2")]);
    assert_eq!(fixed_in("CVE-2017-8105", "freetype"), [fixed("2.7.1-r1")]);
    assert_eq!(fixed_in("CVE-2017-8287", "freetype"), [fixed("2.7.1-r1")]);
    let freetype: Vec<&str> =
        p.advisories.iter().filter(|a| a.affected.iter().any(|af| af.name == "freetype")).map(|a| a.id.as_str()).collect();
    assert_eq!(freetype, ["CVE-2018-6942", "CVE-2017-8105", "CVE-2017-8287"]);
    // gdk-pixbuf: 2.36.7-r0: [CVE-2017-2862], 2.36.6-r1: [CVE-2017-6311, CVE-2017-6312, CVE-2017-6314]
    assert_eq!(fixed_in("CVE-2017-6314", "gdk-pixbuf"), [fixed("2.36.6-r1")]);
    assert_eq!(find("CVE-2017-2862").affected.len(), 1);
    // heimdal's `7.4.0-r0:` lists nothing: no advisory, nothing malformed.
    assert!(
        p.advisories.iter().all(|a| a.affected.iter().all(|af| af.ranges.iter().all(|r| r.events[1] != Event::Fixed("7.4.0-r0".into()))))
    );
    assert!(p.advisories.iter().all(|a| a.affected.iter().all(|af| !af.ranges.is_empty() && af.purl.is_none())));

    // v3.8: Berkeley DB's CVEs under version "0" never affected the branch.
    let p = parse(Format::AlpineSecdb, "osv/alpine-secdb/v3.8/main.yaml");
    let db: Vec<&str> = p.dropped.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(db, ["CVE-2016-0682", "CVE-2016-0689", "CVE-2016-0692", "CVE-2016-0694", "CVE-2016-3418"]);
    assert_eq!(p.dropped[0].1, "db: not affected in Alpine:v3.8 (secfixes version 0)");
    assert!(p.advisories.iter().all(|a| a.affected.iter().all(|af| af.name != "db")));
    // Xen entries: `CVE-2016-6258 XSA-182` is the CVE with the XSA as alias; `XSA-207` alone is its own record.
    let xsa = p.advisories.iter().find(|a| a.id == "CVE-2016-6258").unwrap();
    assert_eq!(xsa.aliases, ["XSA-182"]);
    assert!(p.advisories.iter().any(|a| a.id == "XSA-207" && a.affected[0].name == "xen"));

    // Every secdb file: per-file distinct ids (counted independently with a
    // Python YAML reader), nothing malformed.
    let expected = [
        ("v3.3/community", 0),
        ("v3.3/main", 458),
        ("v3.4/community", 14),
        ("v3.4/main", 666),
        ("v3.5/community", 98),
        ("v3.5/main", 801),
        ("v3.6/community", 195),
        ("v3.6/main", 868),
        ("v3.7/community", 378),
        ("v3.7/main", 1037),
        ("v3.8/community", 462),
        ("v3.8/main", 1084),
        ("v3.9/community", 575),
        ("v3.9/main", 1059),
        ("v3.10/community", 692),
        ("v3.10/main", 1110),
        ("v3.11/community", 829),
        ("v3.11/main", 1123),
    ];
    for (file, count) in expected {
        let path = fixture(&format!("osv/alpine-secdb/{file}.yaml"));
        let (format, parsed) = detect_and_parse(&path).unwrap();
        assert_eq!(format, Format::AlpineSecdb);
        let parsed = parsed.unwrap();
        assert_eq!(parsed.advisories.len(), count, "{file}");
        assert!(parsed.malformed.is_empty(), "{file}: {:?}", parsed.malformed);
        let release = file.split('/').next().unwrap();
        assert!(parsed.advisories.iter().flat_map(|a| &a.affected).all(|af| af.ecosystem == format!("Alpine:{release}")));
    }
    // Vendor ids with no CVE become their own records.
    let p = parse(Format::AlpineSecdb, "osv/alpine-secdb/v3.4/main.yaml");
    assert!(p.advisories.iter().any(|a| a.id == "ZBX-11023" && a.affected[0].name == "zabbix"));

    // The secdb sample vunnel reads (v3.15).
    let p = parse(Format::AlpineSecdb, "upstream-samples/alpine/test-fixtures/input/secdb/v3.15/main.yaml");
    let zlib: Vec<(&str, &Range)> =
        p.advisories.iter().filter(|a| a.affected[0].name == "zlib").map(|a| (a.id.as_str(), &a.affected[0].ranges[0])).collect();
    assert_eq!(zlib, [("CVE-2018-25032", &fixed("1.2.12-r0")), ("CVE-2022-37434", &fixed("1.2.12-r2"))]);
    assert_eq!(p.advisories[0].affected[0].ecosystem, "Alpine:v3.15");
}

#[test]
fn kev_catalog() {
    let rel = "osv/kev/known_exploited_vulnerabilities.json";
    let (format, parsed) = detect_and_parse(&fixture(rel)).unwrap();
    assert_eq!(format, Format::Kev);
    let p = parsed.unwrap();
    assert_eq!((p.kev.len(), p.malformed.len()), (1404, 0));
    assert_eq!(p.kev.iter().filter(|k| k.ransomware).count(), 293);
    let git = p.kev.iter().find(|k| k.cve == "CVE-2025-48384").unwrap();
    assert_eq!((git.date_added.as_str(), git.due_date.as_str()), ("2025-08-25", "2025-09-15"));
    assert_eq!((git.vendor_project.as_deref(), git.product.as_deref()), (Some("Git"), Some("Git")));
    assert_eq!(git.name.as_deref(), Some("Git Link Following Vulnerability"));
    assert!(!git.ransomware);
    let sharepoint = p.kev.iter().find(|k| k.cve == "CVE-2025-49704").unwrap();
    assert!(sharepoint.ransomware);
    assert_eq!(sharepoint.due_date, "2025-07-23");
    let last = p.kev.last().unwrap();
    assert_eq!((last.cve.as_str(), last.date_added.as_str(), last.due_date.as_str()), ("CVE-2020-29583", "2021-11-03", "2022-05-03"));

    // The schema beside it is not a catalog.
    let schema = fixture("osv/kev/known_exploited_vulnerabilities_schema.json");
    assert_eq!(sources::detect(&schema.to_string_lossy(), &std::fs::read(&schema).unwrap()), None);
    // vunnel's samples: a three-entry catalog and a bare entry.
    assert_eq!(parse(Format::Kev, "upstream-samples/kev/test-fixtures/valid-catalog-1.json").kev.len(), 3);
    let one = parse(Format::Kev, "upstream-samples/kev/test-fixtures/single-entry/example1.json");
    assert_eq!((one.kev.len(), one.kev[0].cve.as_str(), one.kev[0].due_date.as_str()), (1, "CVE-2025-0108", "2025-03-11"));
}

#[test]
fn epss_scores() {
    let dir = "upstream-samples/epss/test-fixtures/";
    let (format, parsed) = detect_and_parse(&fixture(&format!("{dir}example-1.csv"))).unwrap();
    assert_eq!(format, Format::Epss);
    let p = parsed.unwrap();
    assert_eq!((p.epss.len(), p.malformed.len()), (5, 0));
    assert_eq!((p.epss[0].cve.as_str(), p.epss[0].score, p.epss[0].percentile), ("CVE-1999-0001", 0.00383, 0.73075));
    assert_eq!((p.epss[4].cve.as_str(), p.epss[4].score, p.epss[4].percentile), ("CVE-1999-0005", 0.91963, 0.99214));
    let bytes = read(&format!("{dir}example-1.csv"));
    assert_eq!(epss::score_date(&bytes).as_deref(), Some("2025-02-20T00:00:00+0000"));

    let invalid = read(&format!("{dir}invalid-header.csv"));
    let err = sources::parse(Format::Epss, "invalid-header.csv", &invalid).unwrap_err();
    assert!(err.contains("header is `invalid,header,format`"), "{err}");

    let missing = read(&format!("{dir}missing-date.csv"));
    let p = sources::parse(Format::Epss, "missing-date.csv", &missing).unwrap();
    assert_eq!(p.epss.len(), 5);
    assert_eq!(epss::score_date(&missing), None);
    assert_eq!(epss::model_version(&missing).as_deref(), Some("v2023.03.01"));

    // The same file gzip-compressed, as FIRST serves it.
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    let gz = gz.finish().unwrap();
    assert_eq!(sources::detect("epss_scores-2025-02-20.csv.gz", &gz), Some(Format::Epss));
    assert_eq!(sources::parse(Format::Epss, "x.csv.gz", &gz).unwrap().epss, parse_epss(&bytes));
    assert_eq!(epss::score_date(&gz).as_deref(), Some("2025-02-20T00:00:00+0000"));
}

fn parse_epss(bytes: &[u8]) -> Vec<drydock_advisory::model::EpssEntry> {
    sources::parse(Format::Epss, "x.csv", bytes).unwrap().epss
}

#[test]
fn nvd_pages_and_cvss_cross_check() {
    let (format, parsed) = detect_and_parse(&fixture("upstream-samples/nvd/test-fixtures/full-page.json")).unwrap();
    assert_eq!(format, Format::Nvd);
    let page = parsed.unwrap();
    assert_eq!((page.cve_scores.len(), page.malformed.len()), (48, 0));
    let cves: std::collections::BTreeSet<&str> = page.cve_scores.iter().map(|s| s.cve.as_str()).collect();
    assert_eq!(cves.len(), 35);
    let netapp: Vec<_> = page.cve_scores.iter().filter(|s| s.cve == "CVE-2023-27314").collect();
    assert_eq!(netapp.len(), 2);
    assert_eq!((netapp[0].source.as_str(), netapp[0].role.as_str(), netapp[0].version.as_str()), ("nvd@nist.gov", "Primary", "3.1"));
    assert_eq!((netapp[1].source.as_str(), netapp[1].role.as_str(), netapp[1].base_score), ("security-alert@netapp.com", "Secondary", 7.5));

    let single = parse(Format::Nvd, "upstream-samples/nvd/test-fixtures/single-entry.json");
    assert_eq!(single.cve_scores.len(), 2);
    let v2 = single.cve_scores.iter().find(|s| s.version == "2.0").unwrap();
    assert_eq!((v2.cve.as_str(), v2.source.as_str(), v2.role.as_str()), ("CVE-2022-1576", "nvd@nist.gov", "Primary"));

    // Our computed base score equals NVD's for every metric on both pages.
    for s in page.cve_scores.iter().chain(&single.cve_scores) {
        let ours = cvss::base_score(&s.vector).unwrap_or_else(|| panic!("{}: {} does not score", s.cve, s.vector));
        assert_eq!(ours.base_score, s.base_score, "{} {} ({})", s.cve, s.vector, s.source);
        assert_eq!(ours.version, s.version, "{}", s.vector);
    }
}

/// A small deterministic generator, so the garbage is the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const ALL_FORMATS: [Format; 6] = [Format::OsvJson, Format::OsvYaml, Format::AlpineSecdb, Format::Kev, Format::Epss, Format::Nvd];

#[test]
fn hostile_input_never_panics() {
    // Truncations of real files: an error or fewer records, never a panic.
    let samples: [(Format, &str); 6] = [
        (Format::OsvJson, "osv/rustsec/crates/RUSTSEC-2024-0445.json"),
        (Format::OsvYaml, "osv/pypa/vulns/lxml/PYSEC-2014-9.yaml"),
        (Format::AlpineSecdb, "upstream-samples/alpine/test-fixtures/input/secdb/v3.15/main.yaml"),
        (Format::Kev, "upstream-samples/kev/test-fixtures/valid-catalog-1.json"),
        (Format::Epss, "upstream-samples/epss/test-fixtures/example-1.csv"),
        (Format::Nvd, "upstream-samples/nvd/test-fixtures/single-entry.json"),
    ];
    for (format, rel) in samples {
        let bytes = read(rel);
        let step = (bytes.len() / 150).max(1);
        for end in (0..bytes.len()).step_by(step) {
            let cut = &bytes[..end];
            let _ = sources::detect(rel, cut);
            match sources::parse(format, rel, cut) {
                Ok(_) | Err(_) => {}
            }
        }
        // JSON cut mid-document is an error, not an empty success.
        if matches!(format, Format::OsvJson | Format::Kev | Format::Nvd) {
            assert!(sources::parse(format, rel, &bytes[..bytes.len() / 2]).is_err(), "{rel}");
        }
        // Every format reads every other format's file without panicking.
        for other in ALL_FORMATS {
            let _ = sources::parse(other, rel, &bytes);
        }
    }

    // Random bytes, and random bytes after a plausible start.
    let mut rng = Lcg(42);
    for round in 0..200 {
        let len = (rng.next() % 2048) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if round % 2 == 0 {
            let prefix: &[u8] =
                [b"{\"id\": \"X\", \"affected\": [".as_slice(), b"distroversion: v3.6\npackages:\n", b"cve,epss,percentile\n"][round % 3];
            bytes.splice(0..0, prefix.iter().copied());
        }
        for format in ALL_FORMATS {
            let _ = sources::parse(format, "v3.6/main.yaml", &bytes);
        }
        let _ = sources::detect("x.json", &bytes);
        let _ = cvss::base_score(&String::from_utf8_lossy(&bytes));
    }

    // Deep nesting: the JSON recursion limit and YAML depth budget stop it.
    let deep_json = format!("{{\"id\": \"DEEP\", \"database_specific\": {}1{}}}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(sources::parse(Format::OsvJson, "deep.json", deep_json.as_bytes()).is_err());
    let deep_array = format!("[{}]", "[".repeat(50_000));
    assert!(sources::parse(Format::OsvJson, "deep.json", deep_array.as_bytes()).is_err());
    let deep_yaml = format!("id: DEEP\naffected: []\ndatabase_specific: {}1{}\n", "[".repeat(50_000), "]".repeat(50_000));
    let p = sources::parse(Format::OsvYaml, "deep.yaml", deep_yaml.as_bytes());
    assert!(p.is_err() || p.unwrap().advisories.is_empty());
    let deep_kev = format!("{{\"vulnerabilities\": {}{}}}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(sources::parse(Format::Kev, "deep.json", deep_kev.as_bytes()).is_err());
    let deep_nvd = format!("{{\"vulnerabilities\": [{{\"cve\": {}}}]}}", "{\"a\":".repeat(50_000));
    assert!(sources::parse(Format::Nvd, "deep.json", deep_nvd.as_bytes()).is_err());

    // Huge strings: read, and cut where they are kept.
    let huge = "A".repeat(8 << 20);
    let json =
        format!(r#"{{"id": "HUGE-1", "summary": "{huge}", "severity": [{{"type": "CVSS_V3", "score": "{huge}"}}], "affected": []}}"#);
    let p = sources::parse(Format::OsvJson, "huge.json", json.as_bytes()).unwrap();
    assert_eq!(p.advisories[0].summary.as_ref().unwrap().chars().count(), 1001);
    assert_eq!(cvss::base_score(&p.advisories[0].severity[0].value), None);
    let kev = format!(r#"{{"vulnerabilities": [{{"cveID": "{huge}", "dateAdded": "2021-01-01", "dueDate": "2021-01-02"}}]}}"#);
    let p = sources::parse(Format::Kev, "huge.json", kev.as_bytes()).unwrap();
    assert_eq!((p.kev.len(), p.malformed[0].0.as_str()), (0, "#0"));
    let csv = format!("cve,epss,percentile\n{huge},0.1,0.2\n");
    let p = sources::parse(Format::Epss, "huge.csv", csv.as_bytes()).unwrap();
    assert_eq!(p.malformed.len(), 1);
    assert!(p.malformed[0].1.len() < 200);
}

#[test]
fn wrong_types_are_malformed_records() {
    // OSV: the bad record is named and the good ones kept.
    let json = br#"[{"id": "OK-1", "affected": []}, {"id": "BAD-1", "affected": [{"package": {"ecosystem": 1, "name": "x"}}]}, {"id": "BAD-2", "severity": "HIGH"}]"#;
    let p = sources::parse(Format::OsvJson, "x.json", json).unwrap();
    assert_eq!(p.advisories.len(), 1);
    assert_eq!(p.malformed.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["BAD-1", "BAD-2"]);
    // OSV YAML: a wrong type in one document of several.
    let yaml = b"id: Y-1\naffected:\n- package: {ecosystem: PyPI, name: [x]}\n---\nid: Y-2\n";
    let p = sources::parse(Format::OsvYaml, "x.yaml", yaml).unwrap();
    assert_eq!((p.advisories.len(), p.malformed[0].0.as_str()), (1, "Y-1"));
    // secdb: a package whose name is a list.
    let yaml = b"distroversion: v3.6\npackages:\n- pkg: {name: [x], secfixes: {1.0-r0: [CVE-2020-1000]}}\n- pkg: {name: ok, secfixes: {1.0-r0: [CVE-2020-1001]}}\n";
    let p = sources::parse(Format::AlpineSecdb, "x.yaml", yaml).unwrap();
    assert_eq!((p.advisories.len(), p.malformed.len()), (1, 1));
    // KEV: a numeric cveID; NVD: a string baseScore.
    let p = sources::parse(Format::Kev, "x.json", br#"{"vulnerabilities": [{"cveID": 5}]}"#).unwrap();
    assert_eq!(p.malformed, [("#0".to_owned(), "`cveID` is a number, not a string".to_owned())]);
    let nvd = br#"{"vulnerabilities": [{"cve": {"id": "CVE-2020-1000", "metrics": {"cvssMetricV31": [{"source": "s", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "v", "baseScore": "9.8"}}]}}}]}"#;
    let p = sources::parse(Format::Nvd, "x.json", nvd).unwrap();
    assert_eq!(p.malformed, [("CVE-2020-1000".to_owned(), "metrics.cvssMetricV31[0]: no numeric `cvssData.baseScore`".to_owned())]);
}
