//! Ruby gem versions, as RubyGems' `Gem::Version#<=>` orders them.
//!
//! `Gem::Version` (rubygems/lib/rubygems/version.rb):
//!
//! * the string is stripped; an empty version is `"0"`; every `-` becomes
//!   `.pre.` (`1.0-rc1` is the prerelease `1.0.pre.rc1`);
//! * segments are the runs of ASCII digits and runs of ASCII letters
//!   (`/[0-9]+|[a-z]+/i`), so `1.0a1` has segments `1, 0, a, 1`;
//! * any letter segment makes the version a prerelease, which sorts before
//!   the release: letter segments sort before number segments, so
//!   `1.0.a < 1.0 < 1.0.1`;
//! * canonical segments drop trailing zeros from the leading numeric part
//!   and from the rest (`1.0.0 = 1`, `1.0.a = 1.a`);
//! * segments then compare pairwise, a missing one counting as 0: numbers by
//!   value, letters case-sensitively by bytes (`1.A < 1.a`).
//!
//! Hand-written: no Rust crate implements `Gem::Version`, and the rule is a
//! few lines. RubyGems rejects strings outside its grammar; here any string
//! is read through the same segment scan (other characters only separate
//! segments), which keeps the order total and consistent.

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero};

/// Orders two gem versions like `Gem::Version#<=>`.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (canonical_segments(a), canonical_segments(b));
    let zero = Segment::Num(b"0");
    (0..a.len().max(b.len()))
        .map(|i| {
            let (x, y) = (a.get(i).unwrap_or(&zero), b.get(i).unwrap_or(&zero));
            match (x, y) {
                (Segment::Num(x), Segment::Num(y)) => cmp_digits(x, y),
                (Segment::Str(x), Segment::Str(y)) => x.cmp(y),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
            }
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

enum Segment<'a> {
    Num(&'a [u8]),
    Str(&'a [u8]),
}

impl Segment<'_> {
    fn is_zero(&self) -> bool {
        matches!(self, Segment::Num(n) if is_zero(n))
    }
}

/// `Gem::Version#canonical_segments`.
fn canonical_segments(s: &str) -> Vec<Segment<'_>> {
    let s = s.trim().as_bytes();
    let mut segments = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let len = if c.is_ascii_digit() {
            s[i..].iter().take_while(|c| c.is_ascii_digit()).count()
        } else if c.is_ascii_alphabetic() {
            s[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count()
        } else {
            // `-` stands for `.pre.`: a separator plus the segment "pre".
            if c == b'-' {
                segments.push(Segment::Str(b"pre"));
            }
            i += 1;
            continue;
        };
        let run = &s[i..i + len];
        segments.push(if c.is_ascii_digit() { Segment::Num(run) } else { Segment::Str(run) });
        i += len;
    }
    // Drop trailing zeros of the numeric prefix and of the remainder.
    let split = segments.iter().position(|s| matches!(s, Segment::Str(_))).unwrap_or(segments.len());
    let mut rest = segments.split_off(split);
    while segments.last().is_some_and(Segment::is_zero) {
        segments.pop();
    }
    while rest.last().is_some_and(Segment::is_zero) {
        rest.pop();
    }
    segments.extend(rest);
    segments
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from RubyGems' test_gem_version.rb.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0.0", Equal),
        ("1", "1.0.0.0", Equal),
        ("1.0", "1.0.a", Greater),
        ("1.8.2", "0.0.0", Greater),
        ("1.8.2", "1.8.2.a", Greater),
        ("1.8.2.b", "1.8.2.a", Greater),
        ("1.8.2.a10", "1.8.2.a9", Greater),
        ("1.0.0.a", "1.0.0.b", Less),
        ("1.0.a", "1.a", Equal),
        ("1.0.a.0", "1.a", Equal),
        ("1.2.a1", "1.2.a.1", Equal),
        ("1.0.0-rc1", "1.0.0.pre.rc1", Equal),
        ("1.0.0-rc1", "1.0.0", Less),
        ("1.0.0-1", "1.0.0", Less),
        ("1.A", "1.a", Less),
        ("1.9.3", "1.9.3p0", Greater),
        ("5.x", "5.0.0.rc2", Greater),
        ("0.beta.1", "0.0.beta.1", Equal),
        ("  1.0  ", "1", Equal),
        ("", "0", Equal),
        ("1.99999999999999999999999", "1.99999999999999999999998", Greater),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
