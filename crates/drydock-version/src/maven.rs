//! Maven versions, as Maven 3.9's `ComparableVersion` orders them
//! (maven-artifact, org.apache.maven.artifact.versioning), made total.
//!
//! Parsing (case-insensitive):
//!
//! * `.` and `-` separate items, and so does every switch between digits and
//!   non-digits; a `-`, or a switch between digits and letters, opens a
//!   nested sub-list: `1.0-alpha-1` is `[1, 0, [alpha, [1]]]`;
//! * numbers compare by value at any length; an empty item is 0;
//! * qualifiers order `alpha < beta < milestone < rc = cr < snapshot <
//!   "" = ga = final = release < sp`, then any other qualifier, those among
//!   themselves alphabetically; `a1`, `b1`, `m1` mean `alpha-1`, `beta-1`,
//!   `milestone-1`;
//! * each list drops its trailing "null" items (`0`, `""`, empty lists), so
//!   `1 = 1.0 = 1.0.0 = 1-0 = 1-ga = 1-final`.
//!
//! Comparison walks both lists item by item; a list that runs out is padded
//! with "nothing". Against nothing, a number is greater unless it is 0, a
//! qualifier is greater or smaller as it sorts after or before release
//! (`1-sp > 1 > 1-rc`), and a sub-list is as its first item that is not
//! null. Between items of different kinds Maven says
//! `number > sub-list > qualifier` (`1.1 > 1-1 > 1-sp`).
//!
//! Those two rules contradict each other in corner cases, and Maven 3.9.x is
//! then not transitive: `2.0.alpha.1 < 2 < 2-1 < 2.0.alpha.1` and
//! `1-alpha < 1 < 1.sp.1 < 1-alpha` (checked against the Java class). To
//! stay a total order, items here rank first by how they compare with
//! nothing — for `0` and `""`, which equal nothing, by how the rest of their
//! list does, which is what Maven reaches when it pads — and only then by
//! kind and value. That is Maven's answer whenever both rules agree, which
//! covers ordinary versions (`1-1 < 1.0.1`, `2.0.2 > 2-1`); where they
//! clash the padding rule wins, giving `2.0.alpha.1 < 2 < 2-1` and
//! `1-alpha < 1 < 1.sp.1`.
//!
//! Hand-written: no Rust crate implements `ComparableVersion`. Other
//! differences from Java, none of which matter for real versions: only
//! ASCII digits count as digits, and lower-casing is Rust's Unicode
//! `to_lowercase` (Java's ENGLISH-locale lowercase gives the same result for
//! letters used in versions).

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero};

/// Orders two Maven versions like Maven's `ComparableVersion`, made total.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    cmp_versions(&parse(a), &parse(b))
}

/// A leaf item of a parsed version.
#[derive(Debug)]
enum Item {
    /// ASCII digits, possibly with leading zeros.
    Num(String),
    /// A qualifier after aliasing (`cr` → `rc`, `ga`/`final`/`release` → ``).
    Str(String),
}

/// A parsed version. Maven's lists nest only at their end — a new sub-list
/// is always appended to the current list and becomes current — so the tree
/// is a chain, stored flat: `levels[k + 1]` is the sub-list at the end of
/// `levels[k]`. Flat storage keeps parsing, comparing and dropping free of
/// recursion, so `"-".repeat(1_000_000)` cannot overflow the stack.
type Levels = Vec<Vec<Item>>;

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE: usize = 5;

/// Index in `QUALIFIERS`; unknown qualifiers come after all of them.
fn qualifier_rank(q: &str) -> usize {
    QUALIFIERS.iter().position(|&k| k == q).unwrap_or(QUALIFIERS.len())
}

/// `StringItem.comparableQualifier` comparison: rank, then Java string order
/// (UTF-16 code units) between two unknown qualifiers.
fn cmp_qualifier(a: &str, b: &str) -> Ordering {
    let (ra, rb) = (qualifier_rank(a), qualifier_rank(b));
    ra.cmp(&rb).then_with(|| if ra == QUALIFIERS.len() { a.encode_utf16().cmp(b.encode_utf16()) } else { Ordering::Equal })
}

impl Item {
    fn string(value: &str, followed_by_digit: bool) -> Item {
        let value = match value {
            "a" if followed_by_digit => "alpha",
            "b" if followed_by_digit => "beta",
            "m" if followed_by_digit => "milestone",
            "ga" | "final" | "release" => "",
            "cr" => "rc",
            v => v,
        };
        Item::Str(value.to_owned())
    }

    fn parse_item(is_digit: bool, buf: &str) -> Item {
        if is_digit { Item::Num(buf.to_owned()) } else { Item::string(buf, false) }
    }

    /// How this item compares with "nothing" (list padding).
    fn sign(&self) -> Ordering {
        match self {
            Item::Num(n) if is_zero(n.as_bytes()) => Ordering::Equal,
            Item::Num(_) => Ordering::Greater,
            Item::Str(q) => qualifier_rank(q).cmp(&RELEASE),
        }
    }

    /// Maven's null items: `0` and the release qualifier `""`.
    fn is_null(&self) -> bool {
        self.sign().is_eq()
    }
}

/// Maven's kind order between different kinds: number > sub-list > qualifier.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Str,
    List,
    Num,
}

/// One position of a list during comparison.
enum Slot<'a> {
    Item(&'a Item),
    /// The sub-list at the end of the list.
    List,
    Padding,
}

/// Per level, how the level (as a list) compares with "nothing": the sign of
/// its first non-null item, looking into its sub-list.
fn list_signs(v: &Levels) -> Vec<Ordering> {
    let mut signs = vec![Ordering::Equal; v.len()];
    let mut below = Ordering::Equal;
    for (k, level) in v.iter().enumerate().rev() {
        below = level.iter().map(Item::sign).find(|s| s.is_ne()).unwrap_or(below);
        signs[k] = below;
    }
    signs
}

/// How each position of level `k` compares with "nothing": its own sign, or
/// for a null item (`0`, `""`), the sign of what follows it in the list —
/// the answer Maven reaches when it pads the other side. The last entry is
/// the sub-list's, if there is one.
fn effective_signs(v: &Levels, list_signs: &[Ordering], k: usize) -> Vec<Ordering> {
    let level = v.get(k).map(Vec::as_slice).unwrap_or_default();
    let child = list_signs.get(k + 1).copied();
    let mut signs: Vec<Ordering> = level.iter().map(Item::sign).chain(child).collect();
    let mut rest = Ordering::Equal;
    for s in signs.iter_mut().rev() {
        if s.is_ne() {
            rest = *s;
        }
        *s = rest;
    }
    signs
}

fn slot<'a>(v: &'a Levels, k: usize, i: usize) -> Slot<'a> {
    let level = v.get(k).map(Vec::as_slice).unwrap_or_default();
    match level.get(i) {
        Some(item) => Slot::Item(item),
        None if i == level.len() && k + 1 < v.len() => Slot::List,
        None => Slot::Padding,
    }
}

/// Compares two versions list by list, padding the shorter list with
/// "nothing". Positions rank first by effective sign, then by Maven's kind
/// order, then by value; positions whose effective sign is "equal" equal
/// nothing.
fn cmp_versions(a: &Levels, b: &Levels) -> Ordering {
    let (la, lb) = (list_signs(a), list_signs(b));
    let mut k = 0;
    loop {
        let (sa, sb) = (effective_signs(a, &la, k), effective_signs(b, &lb, k));
        let mut descend = false;
        for i in 0..sa.len().max(sb.len()) {
            let (x_sign, y_sign) = (sa.get(i).copied().unwrap_or(Ordering::Equal), sb.get(i).copied().unwrap_or(Ordering::Equal));
            if x_sign != y_sign {
                return x_sign.cmp(&y_sign);
            }
            if x_sign.is_eq() {
                continue;
            }
            let ord = match (slot(a, k, i), slot(b, k, i)) {
                (Slot::Item(Item::Num(x)), Slot::Item(Item::Num(y))) => cmp_digits(x.as_bytes(), y.as_bytes()),
                (Slot::Item(Item::Str(x)), Slot::Item(Item::Str(y))) => cmp_qualifier(x, y),
                (Slot::List, Slot::List) => {
                    // Both sub-lists are the last position of their lists:
                    // the answer is theirs.
                    descend = true;
                    break;
                }
                (x, y) => kind(&x).cmp(&kind(&y)),
            };
            if ord.is_ne() {
                return ord;
            }
        }
        if !descend {
            return Ordering::Equal;
        }
        k += 1;
    }
}

fn kind(slot: &Slot<'_>) -> Kind {
    match slot {
        Slot::Item(Item::Num(_)) => Kind::Num,
        Slot::Item(Item::Str(_)) => Kind::Str,
        // Padding never reaches here: its sign is "equal".
        Slot::List | Slot::Padding => Kind::List,
    }
}

/// `ListItem.normalize` on every level, innermost first: drop a sub-list
/// that ended up empty, then trailing null items (Maven walks back over a
/// non-empty sub-list and keeps removing nulls before it).
fn normalize(v: &mut Levels) {
    for k in (0..v.len()).rev() {
        if v.get(k + 1).is_some_and(Vec::is_empty) && v.len() == k + 2 {
            v.truncate(k + 1);
        }
        let level = &mut v[k];
        while level.last().is_some_and(Item::is_null) {
            level.pop();
        }
    }
}

/// `ComparableVersion.parseVersion` from Maven 3.9.x, building the chain of
/// levels: "open a sub-list" is pushing a new level.
fn parse(version: &str) -> Levels {
    let version = version.to_lowercase();
    let mut v: Levels = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in version.char_indices() {
        let text = version.get(start..i).unwrap_or_default();
        if c == '.' || c == '-' {
            push(&mut v, if i == start { Item::Num("0".to_owned()) } else { Item::parse_item(is_digit, text) });
            start = i + c.len_utf8();
            if c == '-' {
                v.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // Letters then digits: `1.0.0.X1 < 1.0.0-X2`, `.X` counts as `-X`.
                if v.last().is_some_and(|l| !l.is_empty()) {
                    v.push(Vec::new());
                }
                push(&mut v, Item::string(text, true));
                start = i;
                v.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                push(&mut v, Item::parse_item(true, text));
                start = i;
                v.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if let Some(rest) = version.get(start..).filter(|r| !r.is_empty()) {
        if !is_digit && v.last().is_some_and(|l| !l.is_empty()) {
            v.push(Vec::new());
        }
        push(&mut v, Item::parse_item(is_digit, rest));
    }
    normalize(&mut v);
    v
}

/// Appends to the current (deepest) list.
fn push(v: &mut Levels, item: Item) {
    match v.last_mut() {
        Some(level) => level.push(item),
        None => v.push(vec![item]),
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from Maven's ComparableVersionTest; each agrees with Maven
    /// 3.9.16's Java class except the last pair of each circular triple.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1-alpha2snapshot", "1-alpha2", Less),
        ("1-alpha2", "1-alpha-123", Less),
        ("1-alpha-123", "1-beta-2", Less),
        ("1-beta-2", "1-beta123", Less),
        ("1-beta123", "1-m2", Less),
        ("1-m2", "1-m11", Less),
        ("1-m11", "1-rc", Less),
        ("1-rc", "1-cr2", Less),
        ("1-cr2", "1-rc123", Less),
        ("1-rc123", "1-SNAPSHOT", Less),
        ("1-SNAPSHOT", "1", Less),
        ("1", "1-sp", Less),
        ("1-sp", "1-sp2", Less),
        ("1-sp2", "1-sp123", Less),
        ("1-sp123", "1-abc", Less),
        ("1-abc", "1-def", Less),
        ("1-def", "1-pom-1", Less),
        ("1-pom-1", "1-1-snapshot", Less),
        ("1-1-snapshot", "1-1", Less),
        ("1-1", "1-2", Less),
        ("1-2", "1-123", Less),
        ("2.0", "2.0.a", Less),
        ("2.0.a", "2-1", Less),
        ("2-1", "2.0.2", Less),
        ("2.0.2", "2.0.123", Less),
        ("2.0.123", "2.1.0", Less),
        ("2.1.0", "2.1-a", Less),
        ("2.1-a", "2.1b", Less),
        ("2.1b", "2.1-c", Less),
        ("2.1-c", "2.1-1", Less),
        ("2.1-1", "2.1.0.1", Less),
        ("2.1.0.1", "2.2", Less),
        ("2.2", "2.123", Less),
        ("2.123", "11.a2", Less),
        ("11.a2", "11.a11", Less),
        ("11.a11", "11.b2", Less),
        ("11.b2", "11.b11", Less),
        ("11.b11", "11.m2", Less),
        ("11.m2", "11.m11", Less),
        ("11.m11", "11", Less),
        ("11", "11.a", Less),
        ("11.a", "11b", Less),
        ("11b", "11c", Less),
        ("11c", "11m", Less),
        ("1-0.alpha", "1", Less),
        ("1-0.alpha", "1-0.beta", Less),
        // Maven 4 says Less: its `CombinationItem` reads `sp1` differently.
        ("1.0.final-redhat", "1.0-sp1-redhat", Greater),
        ("1.0-RC1", "1.0-cr1", Equal),
        ("0000000000000000001", "1", Equal),
        ("12345678901234567890", "1234567890123456789", Greater),
        ("", "0", Equal),
        // Maven 3.9 is circular on each of these triples; the padding rule
        // decides the last pair of each.
        ("1-0.alpha-1", "1", Less),
        ("1", "1-ga.1", Less),
        ("1-0.alpha-1", "1-ga.1", Less),
        ("2.0.alpha.1", "2", Less),
        ("2", "2-1", Less),
        ("2.0.alpha.1", "2-1", Less),
        ("1-alpha", "1", Less),
        ("1", "1.sp.1", Less),
        ("1-alpha", "1.sp.1", Less),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
