//! Ordering vectors from google/osv-scalibr (`semantic/testdata`,
//! Apache-2.0), copied to `/work/shared/fixtures/versions/` and read from
//! `concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/versions/…")`.
//!
//! Each non-comment line is `A < B`, `A = B` or `A > B`. Every vector is
//! checked in both directions (`compare(a, b)` and `compare(b, a)` must be
//! mirror images). The `*-generated.txt` files list consecutive pairs of
//! real package versions sorted by the distribution's own tool.
//!
//! Exceptions are listed in `EXCEPTIONS` with the reason; a listed vector
//! that starts passing fails the test, so the list cannot go stale.

mod common;

use std::cmp::Ordering;

use common::{Vector, fixture, parse};
use drydock_version::{Scheme, compare};

/// Vectors whose expected result contradicts the real tool, as
/// (file, line as written, what the tool and we say for `compare(A, B)`, why).
const EXCEPTIONS: &[(&str, &str, Ordering, &str)] = &[(
    "maven-versions.txt",
    "1-1 = 1-ga-1",
    Ordering::Greater,
    "encodes the pom.xml 'version order specification' text, which trims `ga` before the \
     nested `-1`; Maven's ComparableVersion (3.9.16 and 4.0, checked against the Java class) \
     keeps the nesting and says 1-1 > 1-ga-1",
)];

/// Checks every vector of `file` under `scheme`, skipping those `skip`
/// selects (with a reason given at the call site). Returns how many ran.
fn check(scheme: Scheme, (file, text): (&str, String), skip: impl Fn(&Vector<'_>) -> bool) -> usize {
    let mut failures = Vec::new();
    let mut ran = 0;
    for v in parse(file, &text) {
        if skip(&v) {
            continue;
        }
        ran += 1;
        let exception = EXCEPTIONS.iter().find(|&&(f, l, _, _)| f == file && l == v.line);
        // An exception must give the tool's answer instead (and so must
        // still fail as written, or the list has gone stale).
        let want = exception.map_or(v.want, |&(_, _, tool, _)| tool);
        let forward = compare(scheme, v.a, v.b);
        let backward = compare(scheme, v.b, v.a);
        let ok = forward == want && backward == want.reverse() && (exception.is_none() || want != v.want);
        if !ok {
            let what = if exception.is_some() { "is listed as an exception but does not give the tool's answer" } else { "fails" };
            failures.push(format!("{file}:{}: {:?} {what}: compare(a, b) = {forward:?}, compare(b, a) = {backward:?}", v.line_no, v.line));
        }
    }
    assert!(failures.is_empty(), "{scheme:?}: {} of {ran} vectors wrong:\n{}", failures.len(), failures.join("\n"));
    ran
}

fn none(_: &Vector<'_>) -> bool {
    false
}

#[test]
fn alpine() {
    check(Scheme::Apk, fixture!("alpine-versions.txt"), none);
}

#[test]
fn alpine_generated() {
    check(Scheme::Apk, fixture!("alpine-versions-generated.txt"), none);
}

#[test]
fn debian() {
    check(Scheme::Dpkg, fixture!("debian-versions.txt"), none);
}

#[test]
fn debian_generated() {
    check(Scheme::Dpkg, fixture!("debian-versions-generated.txt"), none);
}

#[test]
fn maven() {
    check(Scheme::Maven, fixture!("maven-versions.txt"), none);
}

#[test]
fn pypi() {
    check(Scheme::Pep440, fixture!("pypi-versions.txt"), none);
}

#[test]
fn redhat() {
    check(Scheme::Rpm, fixture!("redhat-versions.txt"), none);
}

#[test]
fn semver() {
    check(Scheme::Semver, fixture!("semver-versions.txt"), none);
}

/// Go module versions are SemVer with an optional `v`: same precedence.
#[test]
fn semver_as_go() {
    check(Scheme::Go, fixture!("semver-versions.txt"), none);
}

/// NuGet compares release labels case-insensitively, so the vectors with
/// upper-case labels (`5-foo` vs `5-Foo`, `r100` vs `R2`), which test
/// SemVer's case-sensitive ASCII order, do not apply; the rest must hold.
#[test]
fn semver_as_nuget() {
    let has_upper = |s: &str| s.trim_start_matches('v').bytes().any(|c| c.is_ascii_uppercase());
    let ran = check(Scheme::NuGet, fixture!("semver-versions.txt"), |v| has_upper(v.a) || has_upper(v.b));
    assert!(ran > 70, "only {ran} semver vectors ran under NuGet");
}
