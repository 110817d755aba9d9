//! `compare` must never panic and must be a consistent total order for
//! every scheme, whatever the input: advisory feeds contain junk.
//!
//! No proptest: a fixed corpus of hostile strings (empty, separators only,
//! huge digit runs, non-ASCII, control characters, every scheme's special
//! characters) plus real versions from the fixture files is checked
//! exhaustively: every pair for antisymmetry and reflexivity, and the whole
//! set for transitivity (sorted, then every pair checked against the sorted
//! order, which catches cycles and non-transitive equality alike).

mod common;

use std::cmp::Ordering;

use drydock_version::{Scheme, compare};

fn hostile() -> Vec<String> {
    let fixed = [
        "",
        " ",
        "\t",
        "\n",
        "\0",
        "0",
        "00",
        "000",
        "1",
        "01",
        "*",
        "x",
        "unknown",
        "null",
        "latest",
        "N/A",
        "~",
        "~~",
        "~~~",
        "^",
        "^^",
        "^^^",
        "~^",
        "^~",
        "-",
        "--",
        "---",
        "+",
        "++",
        "_",
        "__",
        ".",
        "..",
        "...",
        ":",
        "::",
        ":::",
        "0:",
        ":0",
        "1:",
        ":1",
        "a:",
        "1:2:3",
        "a:b:c",
        "0:-",
        "1:-1",
        "!",
        "1!",
        "!1",
        "1!2",
        "1!!2",
        "v",
        "V",
        "vv1",
        "v.1",
        "=",
        "=v1",
        "1-",
        "-1",
        "1.",
        ".1",
        "1..1",
        "1--1",
        "1-.-1",
        "1.-1",
        "1_",
        "_1",
        "1~",
        "~1",
        "1^",
        "^1",
        "1.0~^",
        "1.0^~",
        "1:1-1",
        "1:1:1-1-1",
        "1.0-r",
        "1.0-r-",
        "1.0-r1-r2",
        "1-r-r",
        "1_p_p",
        "1_alpha_beta_pre_rc_cvs_svn_git_hg_p",
        "1~deadbeef-r1",
        "1~DEADBEEF",
        "1a1a",
        "a1",
        "1a.1",
        "0.0.0-0",
        "1.0.0-alpha..1",
        "1.0.0-.",
        "1.0.0-",
        "1.0.0+",
        "1.0.0-+",
        "1.0.0+-",
        "v1.2.3+incompatible",
        "1.0.0+local",
        "1.0+a.b-c_d",
        "1.0+",
        "1.0+_",
        "1.0.post",
        "1.0.dev",
        "1.0-1-1",
        "1.0a-",
        "1.0.a.",
        "SNAPSHOT",
        "-SNAPSHOT",
        "1-SNAPSHOT",
        "ga",
        "final",
        "1-ga",
        "1-sp",
        "1.x",
        "x.1",
        "1-0.alpha-1",
        "1-ga.1",
        "2.0.alpha.1",
        "2",
        "2-1",
        "1.sp.1",
        "1-alpha",
        "é",
        "α",
        "日本",
        "1.1.α",
        "1.α.1",
        "🦀",
        "1.🦀",
        "１２３",
        "٨",
        "1.٨",
        "İ",
        "1-İ",
        "ǅ",
        "ß",
        "e\u{301}",
        "\u{feff}1",
        "1\u{200b}",
        "1.0\u{0}",
        "\u{7f}",
        "\u{ffff}",
    ];
    let mut out: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    // Long enough to overflow any fixed-width integer; the really long
    // strings are in `huge_inputs`, which does not compare every pair.
    let nines = "9".repeat(60);
    let zeros = "0".repeat(60);
    out.extend([
        nines.clone(),
        zeros.clone(),
        format!("{zeros}1"),
        format!("1.{nines}"),
        format!("{nines}.{nines}.{nines}"),
        format!("{nines}:{nines}-{nines}"),
        format!("1.0-r{nines}"),
        format!("1.0_p{nines}"),
        format!("1.0.0-{nines}"),
        format!("1!{nines}"),
        format!("1.0.post{nines}.dev{nines}+{nines}"),
        "1.".repeat(100),
        "a-".repeat(100),
        "-".repeat(200),
        "~".repeat(200),
    ]);
    out
}

/// Long strings: no stack overflow (nothing may recurse per character:
/// 64 Ki levels of recursion would overflow a test thread's 2 MiB stack),
/// no quadratic blow-up, still antisymmetric.
#[test]
fn huge_inputs() {
    const N: usize = 1 << 16;
    let huge = [
        "-".repeat(N),
        "1-".repeat(N / 2),
        "a-".repeat(N / 2),
        "1.".repeat(N / 2),
        "9".repeat(N),
        "~".repeat(N),
        "^".repeat(N),
        format!("1.0{}", "_p1".repeat(N / 3)),
        format!("1!{}", "0.".repeat(N / 2)),
    ];
    let small = ["", "0", "1", "1.0", "1-1", "1.0~rc1", "unknown"];
    for scheme in Scheme::ALL {
        for a in &huge {
            for b in small.into_iter().chain([a.as_str()]) {
                assert_eq!(
                    compare(scheme, a, b),
                    compare(scheme, b, a).reverse(),
                    "{scheme:?}: {} vs {}",
                    &a[..8],
                    b.get(..8).unwrap_or(b)
                );
            }
        }
    }
}

/// Distinct version strings of the hand-written fixtures (the generated
/// ones add volume, not variety), every third one to bound the run time.
fn fixture_versions() -> Vec<String> {
    let mut out = Vec::new();
    for (file, text) in common::hand_written() {
        for v in common::parse(file, &text) {
            out.extend([v.a.to_owned(), v.b.to_owned()]);
        }
    }
    out.sort();
    out.dedup();
    out.into_iter().step_by(3).collect()
}

fn corpus() -> Vec<String> {
    let mut all = hostile();
    all.extend(fixture_versions());
    all
}

/// Checks one scheme on the whole corpus: sorted with `compare`, the
/// versions fall into blocks of equal ones, and every pair must then compare
/// exactly as its blocks do, in both directions. That is antisymmetry and
/// transitivity (of both `<` and `=`) on the corpus, with each pair
/// compared once each way.
fn check_total_order(scheme: Scheme, corpus: &[String]) {
    let mut sorted: Vec<&str> = corpus.iter().map(String::as_str).collect();
    for a in &sorted {
        assert_eq!(compare(scheme, a, a), Ordering::Equal, "{scheme:?}: {a:?} vs itself");
    }
    sorted.sort_by(|a, b| compare(scheme, a, b));
    let mut block = vec![0usize; sorted.len()];
    for i in 1..sorted.len() {
        block[i] = block[i - 1] + usize::from(compare(scheme, sorted[i - 1], sorted[i]).is_lt());
    }
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            let (a, b) = (sorted[i], sorted[j]);
            let want = block[i].cmp(&block[j]);
            let (ab, ba) = (compare(scheme, a, b), compare(scheme, b, a));
            assert_eq!(ab, ba.reverse(), "{scheme:?}: not antisymmetric: {a:?} vs {b:?} is {ab:?}, reversed {ba:?}");
            assert_eq!(ab, want, "{scheme:?}: not transitive: {a:?} vs {b:?} is {ab:?}, but the sorted order says {want:?}");
        }
    }
}

#[test]
fn total_order_on_hostile_input() {
    let corpus = corpus();
    // Two threads: the pairwise check is quadratic and the build is debug.
    let (first, second) = Scheme::ALL.split_at(Scheme::ALL.len() / 2);
    std::thread::scope(|s| {
        let corpus = &corpus;
        let handle = s.spawn(move || first.iter().for_each(|&scheme| check_total_order(scheme, corpus)));
        second.iter().for_each(|&scheme| check_total_order(scheme, corpus));
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    });
}
