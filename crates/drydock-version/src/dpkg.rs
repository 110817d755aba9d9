//! Debian package versions, as `dpkg --compare-versions` orders them.
//!
//! Format (deb-version(7)): `[epoch:]upstream_version[-debian_revision]`.
//!
//! * The epoch is the decimal number before the first `:`; absent means 0.
//!   It is compared numerically first.
//! * The revision is everything after the *last* `-`; absent means `""`,
//!   which compares equal to `"0"`.
//! * Upstream version and revision are each compared with dpkg's `verrevcmp`
//!   (lib/dpkg/version.c): alternately a run of non-digits, compared
//!   character by character, then a run of digits, compared numerically
//!   (empty = 0). In the non-digit runs letters sort by ASCII, every other
//!   character sorts after all letters, `~` sorts before everything —
//!   including the end of the run, so `1.0~rc1 < 1.0` — and the end of the
//!   run sorts like a digit.
//!
//! Hand-written rather than taken from a crate: the algorithm is forty lines,
//! the crates on offer parse into fixed-width integers or reject what dpkg
//! merely warns about, and advisories must still be ordered when they carry
//! odd versions.
//!
//! Leniency, where dpkg would refuse the string: leading and trailing blanks
//! are trimmed (as dpkg does); a prefix before `:` that is not all digits is
//! not an epoch but part of the upstream version; an empty epoch is 0. Bytes
//! outside ASCII sort like dpkg's "other" characters, after letters (dpkg
//! rejects them, so no real version depends on where they land). Every input
//! maps to one (epoch, upstream, revision) triple compared field by field, so
//! the order stays total and consistent.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Orders two Debian versions like `dpkg --compare-versions`.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let a = Parsed::new(a);
    let b = Parsed::new(b);
    cmp_digits(a.epoch, b.epoch).then_with(|| verrevcmp(a.upstream, b.upstream)).then_with(|| verrevcmp(a.revision, b.revision))
}

struct Parsed<'a> {
    /// ASCII digits; empty means 0.
    epoch: &'a [u8],
    upstream: &'a [u8],
    revision: &'a [u8],
}

impl<'a> Parsed<'a> {
    fn new(s: &'a str) -> Self {
        // dpkg trims blanks (space and tab) before parsing.
        let s = s.trim_matches([' ', '\t']).as_bytes();
        let (epoch, rest) = match s.iter().position(|&c| c == b':') {
            Some(colon) if s[..colon].iter().all(u8::is_ascii_digit) => (&s[..colon], &s[colon + 1..]),
            _ => (&[][..], s),
        };
        let (upstream, revision) = match rest.iter().rposition(|&c| c == b'-') {
            Some(hyphen) => (&rest[..hyphen], &rest[hyphen + 1..]),
            None => (rest, &[][..]),
        };
        Parsed { epoch, upstream, revision }
    }
}

/// Weight of a byte inside a non-digit run (dpkg's `order()`); `None` is the
/// end of the string, which weighs like a digit: both end the run.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`, on byte slices.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // Non-digit prefix, character by character.
        while a.get(i).is_some_and(|c| !c.is_ascii_digit()) || b.get(j).is_some_and(|c| !c.is_ascii_digit()) {
            let (wa, wb) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            // Equal weights here mean both are the same non-digit byte.
            i += 1;
            j += 1;
        }
        // Digit run, numerically.
        let (da, ra) = crate::num::split_digits(&a[i..]);
        let (db, rb) = crate::num::split_digits(&b[j..]);
        let ord = cmp_digits(da, db);
        if ord.is_ne() {
            return ord;
        }
        i = a.len() - ra.len();
        j = b.len() - rb.len();
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from deb-version(7) and dpkg's own test suite (t-version.c),
    /// plus lenient handling of strings dpkg would reject.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0", Equal),
        ("1.0", "1.0-0", Equal),
        ("0:1.0", "1.0", Equal),
        ("1:0.1", "2.0", Greater),
        ("1.0~rc1", "1.0", Less),
        ("1.0~~", "1.0~~a", Less),
        ("1.0~~a", "1.0~", Less),
        ("1.0~", "1.0", Less),
        ("1.0", "1.0a", Less),
        ("1.0a", "1.0+", Less),
        ("1.0+", "1.0.", Less),
        ("1.0.", "1.0.1", Less),
        ("1.2.3-1~deb7u1", "1.2.3-1", Less),
        ("2.7.4+reloaded2-13ubuntu1", "2.7.4+reloaded2-13+deb9u1", Less),
        ("1.0-1", "1.0-1.1", Less),
        ("1.0-a-1", "1.0-a-2", Less),
        ("1.0-a-1", "1.0-b", Greater),
        ("0.9", "0.10", Less),
        ("1.0009", "1.9", Equal),
        ("10:1", "9:99", Greater),
        ("99999999999999999999:1", "99999999999999999998:2", Greater),
        ("1.99999999999999999999999", "1.99999999999999999999998", Greater),
        // Leniency: blanks trimmed, non-numeric "epoch" kept in the version.
        (" 1.0 ", "1.0", Equal),
        ("a:1", "1", Greater),
        (":1", "0:1", Equal),
        ("", "0", Equal),
        ("", "~", Greater),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
