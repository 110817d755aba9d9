//! Python package versions, ordered per PEP 440 (as `packaging.version`).
//!
//! Format: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, parsed with the
//! permissive spellings PEP 440 normalises: case-insensitive, optional `v`
//! prefix, `alpha`/`beta`/`c`/`pre`/`preview` for `a`/`b`/`rc`, `rev`/`r`
//! for `post`, `-N` as an implicit post-release, `-`/`_`/`.` separators,
//! missing numbers as 0 and surrounding whitespace ignored. The parse is an
//! exact transcription of the regular expression in PEP 440 Appendix B,
//! backtracking included.
//!
//! Ordering (PEP 440 "Summary of permitted suffixes and relative ordering"):
//! epoch, then the release compared numerically with trailing zeros ignored
//! (`1.0 = 1.0.0`), then
//! `.devN < aN < bN < rcN < (final) < .postN`, where a dev release of a
//! pre- or post-release sorts just before it (`1.0a1.dev1 < 1.0a1`), and a
//! local version sorts after the same public version (`1.0 < 1.0+local`);
//! local segments compare numerically when both are numbers, a number beats
//! a string, strings compare case-insensitively.
//!
//! Strings that are not PEP 440 (`0.1-bulbasaur`, `unknown`) are ordered the
//! way `packaging` < 22 ordered its `LegacyVersion`, which is what old
//! releases on PyPI were published under: all of them sort before every
//! PEP 440 version, and among themselves by setuptools' historical
//! `parse_version` key. The one change is that its numbers compare by value
//! at any length (setuptools padded them to 8 characters and compared text,
//! which misorders longer ones).
//!
//! Hand-written rather than using `pep440_rs`: that crate stores numbers as
//! `u64`, so long numeric segments (valid PEP 440) would be rejected and fall
//! to the legacy order, and the legacy order is needed anyway.

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero};

/// Orders two Python versions per PEP 440; non-PEP 440 strings first.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    // Both `packaging` parsers lower-case; only `Version` ignores
    // surrounding whitespace (its regex allows it), `LegacyVersion` keeps it.
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    match (Pep440::parse(la.trim().as_bytes()), Pep440::parse(lb.trim().as_bytes())) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => legacy_key(&la).cmp(&legacy_key(&lb)),
    }
}

/// Pre-release labels in the order the PEP 440 regex tries them, with the
/// rank of their normalised form (`a` = 0, `b` = 1, `rc` = 2).
const PRE_LABELS: [(&str, u8); 8] = [("alpha", 0), ("a", 0), ("beta", 1), ("b", 1), ("preview", 2), ("pre", 2), ("c", 2), ("rc", 2)];
const POST_LABELS: [&str; 3] = ["post", "rev", "r"];

#[derive(Debug)]
struct Pep440<'a> {
    epoch: &'a [u8],
    release: Vec<&'a [u8]>,
    /// (rank, number)
    pre: Option<(u8, &'a [u8])>,
    post: Option<&'a [u8]>,
    dev: Option<&'a [u8]>,
    local: Option<Vec<&'a [u8]>>,
}

/// One way an optional group of the regex can match: its value and where
/// the input continues. `None` is the group being absent.
type Alt<'a, T> = (Option<T>, usize);

fn is_sep(c: u8) -> bool {
    matches!(c, b'-' | b'_' | b'.')
}

/// Positions after an optional `[-_.]`, greedy first.
fn seps(s: &[u8], i: usize) -> Vec<usize> {
    if s.get(i).is_some_and(|&c| is_sep(c)) { vec![i + 1, i] } else { vec![i] }
}

fn digits_at(s: &[u8], i: usize) -> &[u8] {
    crate::num::split_digits(s.get(i..).unwrap_or_default()).0
}

/// `[-_.]?label[-_.]?[0-9]*` for each label, in regex preference order.
fn labelled<'a, T: Copy>(s: &'a [u8], i: usize, labels: &[(&str, T)]) -> Vec<Alt<'a, (T, &'a [u8])>> {
    let mut alts = Vec::new();
    for j in seps(s, i) {
        for &(label, value) in labels {
            if !s.get(j..).is_some_and(|rest| rest.starts_with(label.as_bytes())) {
                continue;
            }
            for k in seps(s, j + label.len()) {
                let n = digits_at(s, k);
                // A number, when present, is always taken: nothing after
                // this group may start with a digit.
                alts.push((Some((value, n)), k + n.len()));
            }
        }
    }
    alts
}

impl<'a> Pep440<'a> {
    /// Matches the PEP 440 Appendix B regex against the whole (trimmed,
    /// lower-cased) string, trying alternatives in the regex's order.
    fn parse(s: &'a [u8]) -> Option<Self> {
        let mut i = usize::from(s.first() == Some(&b'v'));
        let mut epoch: &[u8] = b"0";
        let n = digits_at(s, i);
        if !n.is_empty() && s.get(i + n.len()) == Some(&b'!') {
            epoch = n;
            i += n.len() + 1;
        }
        let mut release = Vec::new();
        loop {
            let n = digits_at(s, i);
            if n.is_empty() {
                return None;
            }
            release.push(n);
            i += n.len();
            if s.get(i) == Some(&b'.') && !digits_at(s, i + 1).is_empty() {
                i += 1;
            } else {
                break;
            }
        }

        let mut pres = labelled(s, i, &PRE_LABELS);
        pres.push((None, i));
        for &(pre, i) in &pres {
            let mut posts: Vec<Alt<'a, &'a [u8]>> = Vec::new();
            if s.get(i) == Some(&b'-') && !digits_at(s, i + 1).is_empty() {
                let n = digits_at(s, i + 1);
                posts.push((Some(n), i + 1 + n.len()));
            }
            let post_labels: Vec<(&str, ())> = POST_LABELS.iter().map(|&l| (l, ())).collect();
            posts.extend(labelled(s, i, &post_labels).into_iter().map(|(v, k)| (v.map(|((), n)| n), k)));
            posts.push((None, i));
            for &(post, i) in &posts {
                let mut devs: Vec<Alt<'a, &'a [u8]>> =
                    labelled(s, i, &[("dev", ())]).into_iter().map(|(v, k)| (v.map(|((), n)| n), k)).collect();
                devs.push((None, i));
                for &(dev, i) in &devs {
                    let local = match s.get(i) {
                        None => None,
                        Some(b'+') => Some(parse_local(&s[i + 1..])?),
                        Some(_) => continue,
                    };
                    return Some(Pep440 { epoch, release, pre, post, dev, local });
                }
            }
        }
        None
    }

    /// `packaging`'s `_cmpkey`, compared field by field.
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.epoch, other.epoch)
            .then_with(|| cmp_release(&self.release, &other.release))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| cmp_opt_num(self.post, other.post, Ordering::Less))
            .then_with(|| cmp_opt_num(self.dev, other.dev, Ordering::Greater))
            .then_with(|| match (&self.local, &other.local) {
                (Some(x), Some(y)) => cmp_local(x, y),
                (x, y) => x.is_some().cmp(&y.is_some()),
            })
    }

    /// `1.0.dev0` sorts before `1.0a0`: a bare dev release counts as a
    /// pre-release below alpha. No pre-release at all is above `rc`.
    fn pre_key(&self) -> (u8, u8, Num<'a>) {
        match self.pre {
            Some((rank, n)) => (1, rank, Num(n)),
            None if self.post.is_none() && self.dev.is_some() => (0, 0, Num(b"")),
            None => (2, 0, Num(b"")),
        }
    }
}

/// `[a-z0-9]+([-_.][a-z0-9]+)*` covering all of `s`, split into segments.
fn parse_local(s: &[u8]) -> Option<Vec<&[u8]>> {
    let parts: Vec<&[u8]> = s.split(|&c| is_sep(c)).collect();
    parts.iter().all(|p| !p.is_empty() && p.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())).then_some(parts)
}

/// A digit run ordered by numeric value (so `01 = 1`).
#[derive(Debug)]
struct Num<'a>(&'a [u8]);

impl Ord for Num<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.0, other.0)
    }
}

impl PartialOrd for Num<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Num<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Num<'_> {}

/// Absent sorts `absent` relative to any present number.
fn cmp_opt_num(a: Option<&[u8]>, b: Option<&[u8]>, absent: Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => cmp_digits(x, y),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => absent,
        (Some(_), None) => absent.reverse(),
    }
}

/// Release tuples without their trailing zeros, element by element.
fn cmp_release(a: &[&[u8]], b: &[&[u8]]) -> Ordering {
    let trim = |r: &[&[u8]]| r.len() - r.iter().rev().take_while(|n| is_zero(n)).count();
    let (a, b) = (&a[..trim(a)], &b[..trim(b)]);
    a.iter().zip(b).map(|(x, y)| cmp_digits(x, y)).find(|o| o.is_ne()).unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// Local segments: numbers by value, above any string; strings bytewise
/// (already lower-cased); then the longer wins.
fn cmp_local(a: &[&[u8]], b: &[&[u8]]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        // Segments are never empty (see `parse_local`).
        let (xn, yn) = (x.iter().all(u8::is_ascii_digit), y.iter().all(u8::is_ascii_digit));
        let ord = match (xn, yn) {
            (true, true) => cmp_digits(x, y),
            _ => xn.cmp(&yn).then_with(|| x.cmp(y)),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

/// A part of setuptools' legacy key: `*word` strings sort before numbers.
#[derive(Debug, PartialEq, Eq)]
enum LegacyPart {
    Str(String),
    Num(String),
}

impl Ord for LegacyPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LegacyPart::Num(x), LegacyPart::Num(y)) => cmp_digits(x.as_bytes(), y.as_bytes()),
            (LegacyPart::Str(x), LegacyPart::Str(y)) => x.cmp(y),
            (LegacyPart::Str(_), LegacyPart::Num(_)) => Ordering::Less,
            (LegacyPart::Num(_), LegacyPart::Str(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for LegacyPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `packaging.version._legacy_cmpkey` (packaging ≤ 21.3) of a lower-cased
/// string. `Str` holds the part without setuptools' leading `*`.
fn legacy_key(s: &str) -> Vec<LegacyPart> {
    let mut parts: Vec<LegacyPart> = Vec::new();
    let raw = legacy_split(s).into_iter().chain(std::iter::once("final"));
    for part in raw {
        let part = match part {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            p => p,
        };
        if part.is_empty() || part == "." {
            continue;
        }
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            parts.push(LegacyPart::Num(part.to_owned()));
            continue;
        }
        // Remove "-" before a pre-release tag, and trailing zeros of each
        // numeric series.
        if part < "final" {
            while matches!(parts.last(), Some(LegacyPart::Str(s)) if s == "final-") {
                parts.pop();
            }
        }
        while matches!(parts.last(), Some(LegacyPart::Num(n)) if is_zero(n.as_bytes())) {
            parts.pop();
        }
        parts.push(LegacyPart::Str(part.to_owned()));
    }
    parts
}

/// `re.split(r"(\d+|[a-z]+|\.|-)", s)`: the matches and the text between.
fn legacy_split(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut gap) = (0, 0);
    while i < b.len() {
        let c = b[i];
        let len = if c.is_ascii_digit() {
            b[i..].iter().take_while(|c| c.is_ascii_digit()).count()
        } else if c.is_ascii_lowercase() {
            b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count()
        } else if c == b'.' || c == b'-' {
            1
        } else {
            0
        };
        if len == 0 {
            i += 1;
            continue;
        }
        // Slicing at ASCII bytes is always on a char boundary.
        out.push(s.get(gap..i).unwrap_or_default());
        out.push(s.get(i..i + len).unwrap_or_default());
        i += len;
        gap = i;
    }
    out.push(s.get(gap..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from PEP 440's examples and `packaging`'s test suite.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0.dev456", "1.0a1", Less),
        ("1.0a1", "1.0a2.dev456", Less),
        ("1.0a2.dev456", "1.0a12.dev456", Less),
        ("1.0a12.dev456", "1.0a12", Less),
        ("1.0a12", "1.0b1.dev456", Less),
        ("1.0b2", "1.0b2.post345.dev456", Less),
        ("1.0b2.post345.dev456", "1.0b2.post345", Less),
        ("1.0b2.post345", "1.0b2-346", Less),
        ("1.0c1.dev456", "1.0c1", Less),
        ("1.0c1", "1.0rc2", Less),
        ("1.0rc2", "1.0", Less),
        ("1.0", "1.0+abc.5", Less),
        ("1.0+abc.5", "1.0+abc.7", Less),
        ("1.0+abc.7", "1.0+5", Less),
        ("1.0+5", "1.0.post456.dev34", Less),
        ("1.0.post456.dev34", "1.0.post456", Less),
        ("1.0.post456", "1.1.dev1", Less),
        ("1.0", "1.0.0", Equal),
        ("1.0", "v1.0", Equal),
        (" 1.0 ", "1.0", Equal),
        ("1.0RC1", "1.0rc1", Equal),
        ("1.0-alpha-1", "1.0a1", Equal),
        ("1.0.pre", "1.0rc0", Equal),
        ("1.0-r4", "1.0.post4", Equal),
        ("1.0a.", "1.0a0", Equal),
        ("1.0+ABC", "1.0+abc", Equal),
        ("1.0+1_2", "1.0+1.2", Equal),
        ("1.0+01", "1.0+1", Equal),
        ("1!1.0", "2.0", Greater),
        ("1.0-pre", "1.0-dev", Greater),
        ("1.0+a", "1.0+1", Less),
        ("1.0+1", "1.0+1.0", Less),
        ("1.99999999999999999999999", "1.99999999999999999999998", Greater),
        // Legacy strings sort before any PEP 440 version.
        ("0.1-bulbasaur", "0.0.1", Less),
        ("unknown", "0", Less),
        ("0.1-bulbasaur", "0.1-charmander", Less),
        ("1.0.dev-x", "1.0.dev-y", Less),
        ("1.0.a.b", "1.0.a.c", Less),
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
