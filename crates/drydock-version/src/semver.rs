//! Semantic Versioning 2.0.0 precedence (npm, Rust crates, Hex, Pub, …).
//!
//! Format: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]` (semver.org, §9–11):
//!
//! * `MAJOR.MINOR.PATCH` compare numerically, left to right;
//! * a version with a pre-release sorts before the same version without
//!   one (`1.0.0-rc.1 < 1.0.0`);
//! * pre-releases compare identifier by identifier (split on `.`): numeric
//!   identifiers by value, numeric before alphanumeric, alphanumeric by
//!   ASCII (case-sensitive: `1.0.0-Beta < 1.0.0-alpha`), and a longer list
//!   wins when all shared identifiers are equal;
//! * build metadata (`+…`) is ignored for ordering.
//!
//! Hand-written rather than the `semver` crate: that crate stores numbers as
//! `u64` and rejects everything outside the grammar, while advisory feeds
//! carry `v1.2.3`, `1.2`, 30-digit components and plain junk, all of which
//! must still be ordered. The lenient reading, used for every input:
//!
//! * surrounding whitespace and a leading `v`, `V` or `=` are dropped;
//! * the core is the leading run of `.`-separated numbers, any length, any
//!   count; missing components are 0 (`1.2 = 1.2.0`) and components past the
//!   third are compared too (`1.2.3.1 > 1.2.3`), leading zeros are ignored;
//! * whatever follows the core up to `+` is the pre-release, whether or not
//!   it starts with `-` (`1.2.3rc1` reads as `1.2.3-rc1`, `unknown` as
//!   `0.0.0-unknown`).
//!
//! Every string thus maps to one (core, pre-release) pair, compared as
//! above: a total order that coincides with SemVer on valid input.
//!
//! [`crate::Scheme::Go`] and [`crate::Scheme::NuGet`] reuse this reading with
//! their own small differences.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Orders two versions by SemVer 2.0 precedence.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    Lenient::parse(a).cmp(&Lenient::parse(b), Case::Sensitive)
}

/// How alphanumeric pre-release identifiers compare.
#[derive(Clone, Copy)]
pub(crate) enum Case {
    /// ASCII order, as SemVer specifies.
    Sensitive,
    /// ASCII order ignoring case, as NuGet compares release labels.
    Insensitive,
}

/// A version read leniently as (core numbers, pre-release identifiers).
pub(crate) struct Lenient<'a> {
    core: Vec<&'a [u8]>,
    pre: Option<Vec<&'a [u8]>>,
}

impl<'a> Lenient<'a> {
    pub(crate) fn parse(s: &'a str) -> Self {
        let s = s.trim();
        let s = s.strip_prefix(['v', 'V', '=']).unwrap_or(s).as_bytes();
        // Build metadata never affects precedence.
        let s = s.split(|&c| c == b'+').next().unwrap_or_default();
        let mut core = Vec::new();
        let mut rest = s;
        loop {
            let (n, after) = crate::num::split_digits(rest);
            if n.is_empty() {
                break;
            }
            core.push(n);
            rest = after;
            match rest {
                [b'.', next, ..] if next.is_ascii_digit() => rest = &rest[1..],
                _ => break,
            }
        }
        let pre = match rest {
            [] => None,
            // The `-` that introduces a pre-release, or a stray separator
            // before a suffix glued on without one (`1.2.x`, `1.2.3_rc1`).
            [b'-' | b'.' | b'_', tail @ ..] => Some(tail.split(|&c| c == b'.').collect()),
            _ => Some(rest.split(|&c| c == b'.').collect()),
        };
        Lenient { core, pre }
    }

    pub(crate) fn cmp(&self, other: &Self, case: Case) -> Ordering {
        let len = self.core.len().max(other.core.len());
        let part = |v: &Self, i: usize| v.core.get(i).copied().unwrap_or_default();
        (0..len).map(|i| cmp_digits(part(self, i), part(other, i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal).then_with(|| {
            match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                // A release is newer than any of its pre-releases.
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => cmp_pre(x, y, case),
            }
        })
    }
}

fn cmp_pre(a: &[&[u8]], b: &[&[u8]], case: Case) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let numeric = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        let ord = match (numeric(x), numeric(y)) {
            (true, true) => cmp_digits(x, y),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => match case {
                Case::Sensitive => x.cmp(y),
                Case::Insensitive => x.iter().map(u8::to_ascii_uppercase).cmp(y.iter().map(u8::to_ascii_uppercase)),
            },
        };
        if ord.is_ne() {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// The precedence chain from semver.org §11, plus lenient readings.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0.0-alpha", "1.0.0-alpha.1", Less),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta", Less),
        ("1.0.0-alpha.beta", "1.0.0-beta", Less),
        ("1.0.0-beta", "1.0.0-beta.2", Less),
        ("1.0.0-beta.2", "1.0.0-beta.11", Less),
        ("1.0.0-beta.11", "1.0.0-rc.1", Less),
        ("1.0.0-rc.1", "1.0.0", Less),
        ("1.0.0", "2.0.0", Less),
        ("2.0.0", "2.1.0", Less),
        ("2.1.0", "2.1.1", Less),
        ("1.0.0+build.1", "1.0.0+build.2", Equal),
        ("1.0.0-rc.1+build.1", "1.0.0-rc.1", Equal),
        ("1.0.0-Beta", "1.0.0-alpha", Less),
        ("1.0.0-a-b", "1.0.0-a", Greater),
        ("v1.2.3", "1.2.3", Equal),
        ("=1.2.3", "1.2.3", Equal),
        ("1.2", "1.2.0", Equal),
        ("1", "1.0.0", Equal),
        ("01.2.3", "1.2.3", Equal),
        ("1.2.3.1", "1.2.3", Greater),
        ("1.2.3rc1", "1.2.3-rc1", Equal),
        ("1.2.3rc1", "1.2.3", Less),
        ("1.2.x", "1.2.0", Less),
        ("unknown", "0.0.0", Less),
        ("", "0.0.0", Equal),
        ("*", "0.0.0-0", Greater),
        ("99999999999999999999999.0.0", "99999999999999999999998.0.0", Greater),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
