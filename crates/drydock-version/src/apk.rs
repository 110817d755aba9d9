//! Alpine package versions, as apk-tools orders them (`apk version -t`).
//!
//! Format (apk-package(5), src/version.c):
//! `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`.
//!
//! The string is read as a sequence of tokens, and two versions are compared
//! token by token:
//!
//! * numbers: the first one numerically; later ones numerically too, unless
//!   either has a leading zero, in which case they compare as strings
//!   (Gentoo's rule: `1.01 < 1.1`, and `1.010 < 1.02` since `010 < 02` as
//!   text);
//! * an optional single lower-case letter (`1.2a`);
//! * suffixes, ordered `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn <
//!   _git < _hg < _p`, each optionally numbered (`_rc2`);
//! * `~hash`: a commit hash, compared as a string;
//! * `-rN`: the package revision, numeric.
//!
//! When the token kinds differ at some position the version that ends first
//! (or has the "smaller" kind) is older, except that a pre-release suffix
//! (`_alpha` … `_rc`) is older than anything: `1.2_rc1 < 1.2 < 1.2.1`,
//! `1.2 < 1.2_p1`, `1.2 < 1.2a < 1.2.1`. As an order on tokens:
//! `pre-suffix < invalid < end < -r < ~hash < suffix number < post-suffix <
//! letter < number`; versions compare lexicographically on that.
//!
//! This follows apk-tools 3 (`apk_version_compare`), hand-written because no
//! crate implements it. Two deliberate additions keep the order total and
//! agree with the OSV/osv-scalibr test vectors, where apk itself would only
//! say "invalid":
//!
//! * apk stops at the first character it cannot read and calls every such
//!   rest equal. Here the unreadable rest is compared as a byte string, so
//!   `a < b` and `1.2.3p1 < 1.2.3p2` instead of equal. A rest starting at
//!   `-` is junk after the version proper (`1-ruff`, `1-r0-1`): all such
//!   rests stay equal, like apk 2 treated them.
//! * `-r` with no number, at the end or followed by `-`, is revision 0 (as
//!   apk 2 read it), so `1-r = 1-r0`.
//!
//! Numbers of any length are compared exactly (apk itself wraps at 2^64).

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Orders two Alpine versions like `apk version -t`.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let mut ta = Tokens { rest: a.as_bytes(), last: Kind::InitialDigit };
    let mut tb = Tokens { rest: b.as_bytes(), last: Kind::InitialDigit };
    let mut x = ta.first();
    let mut y = tb.first();
    while x.kind == y.kind && x.kind < Kind::End {
        let ord = cmp_same_kind(&x, &y);
        if ord.is_ne() {
            return ord;
        }
        x = ta.next_token();
        y = tb.next_token();
    }
    if x.kind == y.kind {
        // Both ended, or both became unreadable at the same position.
        return if x.kind == Kind::Invalid { invalid_key(x.value).cmp(invalid_key(y.value)) } else { Ordering::Equal };
    }
    if x.kind == Kind::Suffix && x.suffix < SUFFIX_NONE {
        return Ordering::Less;
    }
    if y.kind == Kind::Suffix && y.suffix < SUFFIX_NONE {
        return Ordering::Greater;
    }
    // A "later" token kind (closer to the end of the grammar) is older.
    y.kind.cmp(&x.kind)
}

/// Token kinds in grammar order, numbered like apk's `enum PARTS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    Revision,
    End,
    Invalid,
}

/// Suffix ranks; `SUFFIX_NONE` is where "no suffix" sits.
const SUFFIXES: [(&str, u8); 9] =
    [("alpha", 1), ("beta", 2), ("pre", 3), ("rc", 4), ("cvs", 6), ("svn", 7), ("git", 8), ("hg", 9), ("p", 10)];
const SUFFIX_NONE: u8 = 5;

struct Token<'a> {
    kind: Kind,
    /// Digits, letter, suffix name, hash; for `Invalid`, the unread rest.
    value: &'a [u8],
    /// Rank from `SUFFIXES` when `kind` is `Suffix`.
    suffix: u8,
}

struct Tokens<'a> {
    rest: &'a [u8],
    last: Kind,
}

impl<'a> Tokens<'a> {
    fn token(&mut self, kind: Kind, value: &'a [u8]) -> Token<'a> {
        self.last = kind;
        Token { kind, value, suffix: 0 }
    }

    /// Everything from `start` on is unreadable.
    fn invalid(&mut self, start: &'a [u8]) -> Token<'a> {
        self.rest = &[];
        self.token(Kind::Invalid, start)
    }

    fn digits(&mut self) -> &'a [u8] {
        let (digits, rest) = crate::num::split_digits(self.rest);
        self.rest = rest;
        digits
    }

    fn first(&mut self) -> Token<'a> {
        let start = self.rest;
        let digits = self.digits();
        if digits.is_empty() { self.invalid(start) } else { self.token(Kind::InitialDigit, digits) }
    }

    fn next_token(&mut self) -> Token<'a> {
        let start = self.rest;
        let Some(&c) = start.first() else {
            return self.token(Kind::End, &[]);
        };
        let last = self.last;
        match c {
            b'a'..=b'z' if last <= Kind::Digit => {
                self.rest = &start[1..];
                self.token(Kind::Letter, &start[..1])
            }
            b'.' | b'0'..=b'9' => {
                let kind = match last {
                    Kind::InitialDigit | Kind::Digit => Kind::Digit,
                    Kind::Suffix if c != b'.' => Kind::SuffixNo,
                    _ => return self.invalid(start),
                };
                if c == b'.' {
                    self.rest = &start[1..];
                }
                let digits = self.digits();
                if digits.is_empty() { self.invalid(start) } else { self.token(kind, digits) }
            }
            b'_' if last <= Kind::SuffixNo => {
                let name_len = start[1..].iter().take_while(|c| c.is_ascii_lowercase()).count();
                let name = &start[1..1 + name_len];
                let Some(&(_, rank)) = SUFFIXES.iter().find(|(s, _)| s.as_bytes() == name) else {
                    return self.invalid(start);
                };
                self.rest = &start[1 + name_len..];
                let mut token = self.token(Kind::Suffix, name);
                token.suffix = rank;
                token
            }
            b'~' if last < Kind::CommitHash => {
                let hash_len = start[1..].iter().take_while(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')).count();
                if hash_len == 0 {
                    return self.invalid(start);
                }
                self.rest = &start[1 + hash_len..];
                self.token(Kind::CommitHash, &start[1..1 + hash_len])
            }
            b'-' if last < Kind::Revision && start.get(1) == Some(&b'r') => {
                self.rest = &start[2..];
                let digits = self.digits();
                // `-r` alone (or `-r-…`) is revision 0, as in apk 2.
                if digits.is_empty() && self.rest.first().is_some_and(|&c| c != b'-') {
                    return self.invalid(start);
                }
                self.token(Kind::Revision, digits)
            }
            _ => self.invalid(start),
        }
    }
}

fn cmp_same_kind(x: &Token<'_>, y: &Token<'_>) -> Ordering {
    match x.kind {
        // Leading zero on either side: string order, as in Gentoo.
        Kind::Digit if x.value.first() == Some(&b'0') || y.value.first() == Some(&b'0') => x.value.cmp(y.value),
        Kind::InitialDigit | Kind::Digit | Kind::SuffixNo | Kind::Revision => cmp_digits(x.value, y.value),
        Kind::Suffix => x.suffix.cmp(&y.suffix),
        Kind::Letter | Kind::CommitHash | Kind::End | Kind::Invalid => x.value.cmp(y.value),
    }
}

/// Sort key of an unreadable rest: bytewise, except that all rests starting
/// with `-` (junk after the revision) are equal to each other.
fn invalid_key(rest: &[u8]) -> &[u8] {
    if rest.first() == Some(&b'-') { b"-" } else { rest }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from apk-tools' test/unit/version.data and the grammar above.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0", Equal),
        ("1.0", "1.0.0", Less),
        ("1.0", "1.0a", Less),
        ("1.0a", "1.0.1", Less),
        ("1.0_rc1", "1.0", Less),
        ("1.0_alpha", "1.0_alpha1", Less),
        ("1.0_alpha9", "1.0_beta", Less),
        ("1.0_pre1", "1.0_rc1", Less),
        ("1.0", "1.0_cvs", Less),
        ("1.0_cvs", "1.0_svn", Less),
        ("1.0_git", "1.0_hg", Less),
        ("1.0_hg", "1.0_p", Less),
        ("1.0_p", "1.0_p1", Less),
        ("1.0_p1", "1.0a", Less),
        ("0.1.0_alpha_pre2", "0.1.0_alpha", Less),
        ("1.0-r1", "1.0-r2", Less),
        ("1.0-r10", "1.0-r9", Greater),
        ("1.0", "1.0-r0", Less),
        ("1.0-r", "1.0-r0", Equal),
        ("1.0~1234", "1.0~2345", Less),
        ("1.0~1234-r1", "1.0~2345-r0", Less),
        ("1.0~1234-r1", "1.0~1234-r0", Greater),
        ("1.01", "1.1", Less),
        ("1.01", "1.010", Less),
        ("1.10", "1.9", Greater),
        ("01", "1", Equal),
        ("6.0_pre1", "6.0", Less),
        ("6.0_p1", "6.0", Greater),
        ("2.34", "0.1.0_alpha", Greater),
        ("18446744073709551616", "18446744073709551615", Greater),
        ("1.18446744073709551616", "1.18446744073709551615", Greater),
        // Unreadable rests: apk says "equal"; here they still order.
        ("a", "b", Less),
        (".1", "1", Less),
        ("1.2.0A", "1.2.0d", Less),
        ("1.2", "1.2_blah", Greater),
        ("1", "1-ruff", Greater),
        ("1-r0-1", "1-r-2", Equal),
        ("1-ruff2", "1--ruff1", Equal),
        ("", "0", Less),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
