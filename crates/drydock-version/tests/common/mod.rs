//! Fixture reading shared by the integration tests.
//!
//! The ordering vectors come from google/osv-scalibr (`semantic/testdata`,
//! Apache-2.0) and live in `/work/shared/fixtures/versions/`, reached
//! relative to this crate so the checkout can sit anywhere next to `shared/`.

#![allow(dead_code, reason = "each test crate uses a different subset")]

use std::cmp::Ordering;

/// `(file name, contents)` of a fixture file.
macro_rules! fixture {
    ($file:literal) => {
        ($file, $crate::common::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/versions/", $file)))
    };
}
#[allow(unused_imports, reason = "not every test crate reads single fixtures")]
pub(crate) use fixture;

/// The hand-written fixture files (the `*-generated.txt` ones are long lists
/// of real versions sorted by the distribution's tool).
pub fn hand_written() -> Vec<(&'static str, String)> {
    vec![
        fixture!("alpine-versions.txt"),
        fixture!("debian-versions.txt"),
        fixture!("maven-versions.txt"),
        fixture!("pypi-versions.txt"),
        fixture!("redhat-versions.txt"),
        fixture!("semver-versions.txt"),
    ]
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"))
}

/// One line `A op B` of a fixture.
pub struct Vector<'a> {
    pub line_no: usize,
    pub line: &'a str,
    pub a: &'a str,
    pub b: &'a str,
    pub want: Ordering,
}

/// Parses a fixture: blank lines and `#` / `//` comment lines are skipped
/// (pypi-versions.txt has `//` lines, the others `#`); anything else must be
/// exactly `A op B` with `op` one of `<`, `=`, `>`.
pub fn parse<'a>(file: &str, text: &'a str) -> Vec<Vector<'a>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        let [a, op, b] = fields[..] else {
            panic!("{file}:{}: expected `A op B`, got {line:?}", i + 1);
        };
        let want = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            _ => panic!("{file}:{}: unknown operator {op:?}", i + 1),
        };
        out.push(Vector { line_no: i + 1, line: trimmed, a, b, want });
    }
    assert!(!out.is_empty(), "{file}: no vectors found");
    out
}

/// A small deterministic generator (64-bit LCG), so sampled pairs are the
/// same on every run without a `rand` dependency.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // The high bits of an LCG are the well-mixed ones.
        usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
    }
}
