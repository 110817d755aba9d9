//! Cross-checks against the real tools: `dpkg --compare-versions` for
//! [`Scheme::Dpkg`] and rpm's `rpm.vercmp()` for [`Scheme::Rpm`].
//!
//! A missing tool FAILS the test with the command to install it (CI
//! installs both: `apt-get install -y dpkg rpm`), so a green run means the
//! oracle really ran. To run the rest of the suite on a machine without
//! them, set `DRYDOCK_SKIP_ORACLES=1`; the oracle tests then pass without
//! checking anything and say so on stderr.
//!
//! Calls are batched (one `sh` loop for dpkg, one Lua chunk for rpm) so the
//! ~500 pairs per tool take well under ten seconds.

mod common;

use std::cmp::Ordering;
use std::io::Write;
use std::process::{Command, Stdio};

use common::{Lcg, fixture, parse};
use drydock_version::{Scheme, compare};

/// `true` if `tool` runs; otherwise fails the test with install
/// instructions, or returns `false` when `DRYDOCK_SKIP_ORACLES=1`.
fn require(tool: &str, package: &str) -> bool {
    if Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    if std::env::var("DRYDOCK_SKIP_ORACLES").is_ok_and(|v| v == "1") {
        eprintln!("DRYDOCK_SKIP_ORACLES=1: `{tool}` not found, oracle check skipped");
        return false;
    }
    panic!(
        "`{tool}` is needed to cross-check version ordering against the real tool; \
         install it (Debian/Ubuntu: `apt-get install -y {package}`) or set DRYDOCK_SKIP_ORACLES=1 to skip"
    );
}

/// Versions from consecutive lines of a generated fixture (every `step`th
/// vector) plus `cross` pseudo-random pairs of versions from anywhere in it,
/// so that distant versions are compared too.
fn sample(vectors: &[(String, String)], step: usize, cross: usize, seed: u64) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = vectors.iter().step_by(step).cloned().collect();
    let mut rng = Lcg(seed);
    for _ in 0..cross {
        let a = &vectors[rng.below(vectors.len())].0;
        let b = &vectors[rng.below(vectors.len())].1;
        pairs.push((a.clone(), b.clone()));
    }
    pairs
}

fn vectors_of(file: &str, text: &str) -> Vec<(String, String)> {
    parse(file, text).iter().map(|v| (v.a.to_owned(), v.b.to_owned())).collect()
}

/// Compares our answer with the tool's for every pair, collecting all
/// mismatches into one failure message.
fn assert_agrees(scheme: Scheme, tool: &str, pairs: &[(String, String)], answers: &[Ordering]) {
    assert_eq!(pairs.len(), answers.len(), "{tool} gave {} answers for {} pairs", answers.len(), pairs.len());
    let wrong: Vec<String> = pairs
        .iter()
        .zip(answers)
        .filter(|((a, b), want)| compare(scheme, a, b) != **want || compare(scheme, b, a) != want.reverse())
        .map(|((a, b), want)| format!("{a:?} vs {b:?}: {tool} says {want:?}, we say {:?}", compare(scheme, a, b)))
        .collect();
    assert!(wrong.is_empty(), "{} of {} pairs disagree with {tool}:\n{}", wrong.len(), pairs.len(), wrong.join("\n"));
}

/// Hand-picked dpkg edge cases: `~`, epochs, revisions, leading zeros,
/// letters against symbols, very long numbers.
const DPKG_TRICKY: &[(&str, &str)] = &[
    ("1.0~rc1", "1.0"),
    ("1.0~~", "1.0~~a"),
    ("1.0~~a", "1.0~"),
    ("1.0~", "1.0"),
    ("1.0", "1.0a"),
    ("1.0a", "1.0+"),
    ("1.0+", "1.0."),
    ("1.0.", "1.0.1"),
    ("1.0-1", "1.0-1~bpo1"),
    ("1:1.0", "2.0"),
    ("0:1.0", "1.0"),
    ("10:1", "9:99"),
    ("1.0", "1.0-0"),
    ("1.0-0", "1.0-00"),
    ("1.0009", "1.9"),
    ("1.0-a-1", "1.0-b"),
    ("1.0-a-1", "1.0-a-2"),
    ("1.2.3+dfsg-1", "1.2.3-1"),
    ("1.2.3+dfsg1-1", "1.2.3+dfsg-1"),
    ("2.30-1ubuntu1", "2.30-1+deb11u1"),
    ("7.4.052-1ubuntu3", "7.4.052-1ubuntu3.1"),
    ("1:2.30~rc1-1", "1:2.30-1"),
    ("1.99999999999999999999999", "1.99999999999999999999998"),
    ("1.0+really0.9-1", "1.0-1"),
    ("0.0~git20200101.abcdef-1", "0.0~git20191231.fedcba-1"),
    ("1.A", "1.a"),
    ("1.Z", "1.a"),
    ("1:0", "0:99999999999999999999"),
];

#[test]
fn dpkg_agrees() {
    if !require("dpkg", "dpkg") {
        return;
    }
    let (file, text) = fixture!("debian-versions-generated.txt");
    let mut pairs = sample(&vectors_of(file, &text), 40, 120, 0x5eed);
    let (file, text) = fixture!("debian-versions.txt");
    pairs.extend(vectors_of(file, &text));
    pairs.extend(DPKG_TRICKY.iter().map(|&(a, b)| (a.to_owned(), b.to_owned())));

    // One shell runs all comparisons; `lt` then `eq` decide the ordering.
    // Exit statuses other than 0/1 mean dpkg rejected a version.
    let script = "while IFS='\t' read -r a b; do \
                    dpkg --compare-versions \"$a\" lt \"$b\"; r=$?; \
                    if [ $r = 0 ]; then echo '<'; elif [ $r != 1 ]; then echo \"error $r\"; \
                    elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo '='; else echo '>'; fi; \
                  done";
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let out = run("sh", &["-c", script], &input);
    let answers: Vec<Ordering> = out
        .lines()
        .zip(&pairs)
        .map(|(line, (a, b))| match line {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            other => panic!("dpkg on {a:?} vs {b:?}: {other}"),
        })
        .collect();
    assert!(pairs.len() >= 450, "only {} dpkg pairs", pairs.len());
    assert_agrees(Scheme::Dpkg, "dpkg", &pairs, &answers);
}

/// Hand-picked rpm edge cases for `~` (before anything, even the end) and
/// `^` (after the end, before anything else), and EVR splitting.
const RPM_TRICKY: &[(&str, &str)] = &[
    ("1.0~rc1", "1.0"),
    ("1.0~rc1", "1.0~rc2"),
    ("1.0~rc1~git123", "1.0~rc1"),
    ("1.0~rc1", "1.0arc1"),
    ("1.0^", "1.0"),
    ("1.0^git1", "1.0"),
    ("1.0^git1", "1.0^git2"),
    ("1.0^git1", "1.01"),
    ("1.0^20160101", "1.0.1"),
    ("1.0^20160101^git1", "1.0^20160102"),
    ("1.0~rc1^git1", "1.0~rc1"),
    ("1.0^git1~pre", "1.0^git1"),
    ("1.0^", "1.0~"),
    ("1.0~", "1.0"),
    ("1.0^", "1.0^^"),
    ("1.0~~", "1.0~"),
    ("~", "0"),
    ("^", "0"),
    ("1.0", "1.0-1"),
    ("1.0-", "1.0"),
    ("1.0-1", "1.0-1.el9"),
    ("1.0-1.el9", "1.0-1.el9_1"),
    ("1:1.0", "2.0"),
    ("0:1.0", "1.0"),
    ("01:1", "1:1"),
    (":1", "0:1"),
    ("a:1", "0:1"),
    ("1.2-3-4", "1.2-4"),
    ("2.0.0-0.1.rc1.fc40", "2.0.0-1.fc40"),
    ("1.99999999999999999999999", "1.99999999999999999999998"),
    ("1.1.α", "1.1.β"),
    ("1_0", "1.0"),
    ("1a", "1.a"),
    ("1.0a", "1.0"),
    ("1.0", "1.0.a"),
];

#[test]
fn rpm_agrees() {
    if !require("rpm", "rpm") {
        return;
    }
    let (file, text) = fixture!("redhat-versions.txt");
    let redhat = vectors_of(file, &text);
    let mut pairs = sample(&redhat, 1, 150, 0xc0ffee);
    // Debian's versions carry epochs, `~` and `+`: good rpm inputs too.
    let (file, text) = fixture!("debian-versions-generated.txt");
    pairs.extend(sample(&vectors_of(file, &text), 200, 100, 0xbeef));
    pairs.extend(RPM_TRICKY.iter().map(|&(a, b)| (a.to_owned(), b.to_owned())));
    // rpm expands `%` macros, balances `{}` in `%{lua:…}` and refuses empty
    // versions; no fixture version needs those, so they are left out.
    pairs.retain(|(a, b)| [a, b].iter().all(|s| !s.is_empty() && !s.contains(['%', '{', '}', ']'])));

    // One Lua chunk for everything; `[==[…]==]` strings need no escaping.
    // Inside `%{lua:}`, `print` appends to the expansion without a newline,
    // hence the explicit separator.
    let chunk: String = pairs.iter().map(|(a, b)| format!("print(rpm.vercmp([==[{a}]==], [==[{b}]==]) .. ' ')\n")).collect();
    let out = run("rpm", &["--eval", &format!("%{{lua:\n{chunk}}}")], "");
    let answers: Vec<Ordering> = out
        .split_whitespace()
        .zip(&pairs)
        .map(|(word, (a, b))| match word {
            "-1" => Ordering::Less,
            "0" => Ordering::Equal,
            "1" => Ordering::Greater,
            other => panic!("rpm on {a:?} vs {b:?}: {other:?}"),
        })
        .collect();
    assert!(pairs.len() >= 400, "only {} rpm pairs", pairs.len());
    assert_eq!(out.split_whitespace().count(), pairs.len(), "rpm output: {out}");
    assert_agrees(Scheme::Rpm, "rpm", &pairs, &answers);
}

/// Runs `program args`, feeding `stdin`, and returns its stdout; fails the
/// test with stderr if it does not exit successfully.
fn run(program: &str, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.as_bytes()).unwrap_or_else(|e| panic!("cannot feed {program}: {e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{program} failed: {e}"));
    assert!(out.status.success(), "{program} exited with {}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
