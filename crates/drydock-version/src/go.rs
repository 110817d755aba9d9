//! Go module versions, as `golang.org/x/mod/semver.Compare` orders them.
//!
//! Go module versions are SemVer 2.0 with a mandatory `v` (`v1.2.3`), so the
//! precedence rules are those of [`crate::semver`]. The Go specifics:
//!
//! * the `v` is optional here, because OSV advisories omit it (`1.2.3`);
//! * `vMAJOR` and `vMAJOR.MINOR` are shorthands for `.0` (Go accepts them);
//! * pseudo-versions (`v0.0.0-20210101000000-abcdef123456`,
//!   `v1.2.4-0.20210101000000-abcdef123456`,
//!   `v1.2.3-pre.0.20210101000000-abcdef123456`) need no special case: they
//!   are pre-releases whose fixed-width UTC timestamp makes the ASCII order
//!   of the identifiers the chronological order, and they sort below the
//!   release they precede, as `go` intends;
//! * `+incompatible` (a v2+ module without `go.mod`) is build metadata and
//!   is ignored, like any build metadata.
//!
//! Where Go would call a string invalid (and sort it below every valid
//! version), the lenient reading of [`crate::semver`] still gives it a place
//! in one consistent total order.

use std::cmp::Ordering;

use crate::semver::{Case, Lenient};

/// Orders two Go module versions; the leading `v` is optional.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    Lenient::parse(a).cmp(&Lenient::parse(b), Case::Sensitive)
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    const CASES: &[(&str, &str, Ordering)] = &[
        ("v1.2.3", "1.2.3", Equal),
        ("v1", "v1.0.0", Equal),
        ("v1.2", "v1.2.0", Equal),
        ("v2.0.0+incompatible", "v2.0.0", Equal),
        ("v2.0.1+incompatible", "v2.0.0", Greater),
        // Pseudo-versions: chronological, and below the release they precede.
        ("v0.0.0-20210101000000-abcdef123456", "v0.0.0-20211231235959-000000000000", Less),
        ("v0.0.0-20210101000000-abcdef123456", "v0.0.1", Less),
        ("v1.2.4-0.20210101000000-abcdef123456", "v1.2.3", Greater),
        ("v1.2.4-0.20210101000000-abcdef123456", "v1.2.4", Less),
        ("v1.2.4-0.20210101000000-abcdef123456", "v1.2.4-rc.1", Less),
        ("v1.2.3-pre.0.20210101000000-abcdef123456", "v1.2.3-pre", Greater),
        ("v1.2.3-pre.0.20210101000000-abcdef123456", "v1.2.3-pre.1", Less),
        ("v1.10.0", "v1.9.0", Greater),
        ("", "v0.0.0", Equal),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
