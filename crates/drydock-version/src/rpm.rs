//! RPM versions (Fedora, RHEL, SUSE, …), as rpm ≥ 4.18's `rpmverCmp` orders
//! them — the function behind `rpm.vercmp()`.
//!
//! Format: `[epoch:]version[-release]`, split like rpm's `parseEVR`
//! (rpmio/rpmver.c): the epoch is the run of leading digits when a `:`
//! follows it (an empty epoch is 0; no epoch compares as 0); the release is
//! everything after the *last* `-`. Epochs, then versions, then releases are
//! compared with `rpmvercmp` (rpmio/rpmvercmp.c); a missing release sorts
//! before any release, even an empty one (`1 < 1-`).
//!
//! `rpmvercmp` splits a string into runs of ASCII digits and runs of ASCII
//! letters; every other byte only separates runs (so `1.0 = 1_0`). Runs are
//! compared in order: digits numerically (leading zeros ignored), letters
//! with `strcmp`, and a digit run beats a letter run. When one side runs out,
//! the side with runs left is newer. Two markers change that:
//!
//! * `~` sorts before anything, even the end of the string:
//!   `1.0~rc1 < 1.0`.
//! * `^` sorts after the end of the string but before any further run:
//!   `1.0 < 1.0^git1 < 1.0.1`.
//!
//! Hand-written: rpm's algorithm is short, and the crates on offer either
//! use fixed-width integers or predate `^`. Every byte string, however odd,
//! has a well-defined meaning under these rules, so no separate fallback is
//! needed: an empty string (which rpm itself refuses) is an empty version.
//!
//! The comparison is a lexicographic order on the token sequences with
//! `~ < end < ^ < letters < digits`, hence total and transitive.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Orders two EVR strings like rpm's `rpmverCmp`.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let a = Evr::new(a.as_bytes());
    let b = Evr::new(b.as_bytes());
    rpmvercmp(a.epoch, b.epoch).then_with(|| rpmvercmp(a.version, b.version)).then_with(|| match (a.release, b.release) {
        (Some(x), Some(y)) => rpmvercmp(x, y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    })
}

struct Evr<'a> {
    /// Digits, or `"0"` when absent or empty.
    epoch: &'a [u8],
    version: &'a [u8],
    release: Option<&'a [u8]>,
}

impl<'a> Evr<'a> {
    fn new(s: &'a [u8]) -> Self {
        let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let (epoch, rest) = if s.get(digits) == Some(&b':') {
            let epoch = if digits == 0 { &b"0"[..] } else { &s[..digits] };
            (epoch, &s[digits + 1..])
        } else {
            (&b"0"[..], s)
        };
        match rest.iter().rposition(|&c| c == b'-') {
            Some(hyphen) => Evr { epoch, version: &rest[..hyphen], release: Some(&rest[hyphen + 1..]) },
            None => Evr { epoch, version: rest, release: None },
        }
    }
}

/// `rpmvercmp` on byte slices; a faithful port of rpmio/rpmvercmp.c.
pub(crate) fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    let is_sep = |c: &u8| !c.is_ascii_alphanumeric() && *c != b'~' && *c != b'^';
    let (mut one, mut two) = (a, b);
    loop {
        one = &one[one.iter().take_while(|c| is_sep(c)).count()..];
        two = &two[two.iter().take_while(|c| is_sep(c)).count()..];

        // Tilde sorts before everything else, even the end of the string.
        match (one.first(), two.first()) {
            (Some(b'~'), Some(b'~')) => {
                (one, two) = (&one[1..], &two[1..]);
                continue;
            }
            (Some(b'~'), _) => return Ordering::Less,
            (_, Some(b'~')) => return Ordering::Greater,
            _ => {}
        }
        // Caret is like tilde except that it sorts after the end of the
        // string: a snapshot after a release, before the next release.
        match (one.first(), two.first()) {
            (Some(b'^'), Some(b'^')) => {
                (one, two) = (&one[1..], &two[1..]);
                continue;
            }
            (Some(b'^'), None) => return Ordering::Greater,
            (None, Some(b'^')) => return Ordering::Less,
            (Some(b'^'), _) => return Ordering::Less,
            (_, Some(b'^')) => return Ordering::Greater,
            _ => {}
        }
        if one.is_empty() || two.is_empty() {
            break;
        }

        if one[0].is_ascii_digit() {
            let (x, rest_one) = crate::num::split_digits(one);
            let (y, rest_two) = crate::num::split_digits(two);
            // A numeric run is newer than an alphabetic one.
            if y.is_empty() {
                return Ordering::Greater;
            }
            let ord = cmp_digits(x, y);
            if ord.is_ne() {
                return ord;
            }
            (one, two) = (rest_one, rest_two);
        } else {
            let x_len = one.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let y_len = two.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            if y_len == 0 {
                return Ordering::Less;
            }
            let ord = one[..x_len].cmp(&two[..y_len]);
            if ord.is_ne() {
                return ord;
            }
            (one, two) = (&one[x_len..], &two[y_len..]);
        }
    }
    // Whichever still has runs left is newer.
    (!one.is_empty()).cmp(&!two.is_empty())
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from rpm's tests/rpmvercmp.at and the Fedora versioning
    /// guidelines, plus EVR splitting.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0", Equal),
        ("1.0", "2.0", Less),
        ("2.0.1", "2.0", Greater),
        ("2.0.1a", "2.0.1", Greater),
        ("5.5p1", "5.5p10", Less),
        ("10xyz", "10.1xyz", Less),
        ("xyz10", "xyz10.1", Less),
        ("xyz.4", "8", Less),
        ("6.0.rc1", "6.0", Greater),
        ("10b2", "10a1", Greater),
        ("1.0aa", "1.0a", Greater),
        ("10.0001", "10.1", Equal),
        ("2_0", "2.0", Equal),
        ("a+", "a_", Equal),
        ("+", "_", Equal),
        ("1.0~rc1", "1.0", Less),
        ("1.0~rc1~git123", "1.0~rc1", Less),
        ("1.0~rc1", "1.0arc1", Less),
        ("1.0^", "1.0", Greater),
        ("1.0^git1", "1.01", Less),
        ("1.0^20160101", "1.0.1", Less),
        ("1.0^20160102", "1.0^20160101^git1", Greater),
        ("1.0~rc1^git1", "1.0~rc1", Greater),
        ("1.0^git1~pre", "1.0^git1", Less),
        ("1.0^", "1.0~", Greater),
        // EVR: epoch first, missing release before any release.
        ("1:1.0", "2.0", Greater),
        ("0:1.0", "1.0", Equal),
        (":1.0", "1.0", Equal),
        ("01:2", "1:2", Equal),
        ("1", "1-", Less),
        ("1", "1-0", Less),
        ("1.0-1", "1.0-1.el7", Less),
        ("0:3.10.0-229.el7", "0:3.10.0-229.1.2.ael7b", Less),
        ("a:1", "b:1", Less),
        ("1.2-3-4", "1.2-4", Greater),
        ("99999999999999999999999", "99999999999999999999998", Greater),
        ("", "0", Less),
        ("", "~", Greater),
        ("1.1.α", "1.1.β", Equal),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
