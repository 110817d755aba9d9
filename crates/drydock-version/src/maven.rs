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
//! then not transitive: `1-0.alpha-1 < 1 < 1-ga.1 < 1-0.alpha-1`. To stay a
//! total order, items here are ranked first by how they compare with
//! nothing (below, equal, above) and only then by kind and value. That
//! agrees with Maven wherever the two rules agree, which covers ordinary
//! versions; when they clash, comparing against "nothing" wins, because that
//! is the rule that orders `1-rc < 1 < 1-sp`. The null items that Maven
//! ranks differently from each other (`0`, `""`) then compare equal.
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
    cmp_list(&parse(a), &parse(b))
}

#[derive(Debug)]
enum Item {
    /// ASCII digits, possibly with leading zeros.
    Num(String),
    /// A qualifier after aliasing (`cr` → `rc`, `ga`/`final`/`release` → ``).
    Str(String),
    List(Vec<Item>),
}

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
            Item::Num(n) => {
                if is_zero(n.as_bytes()) {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Item::Str(q) => qualifier_rank(q).cmp(&RELEASE),
            Item::List(items) => items.iter().map(Item::sign).find(|s| s.is_ne()).unwrap_or(Ordering::Equal),
        }
    }

    /// Maven's kind order: number > sub-list > qualifier.
    fn kind(&self) -> u8 {
        match self {
            Item::Str(_) => 0,
            Item::List(_) => 1,
            Item::Num(_) => 2,
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Num(n) => is_zero(n.as_bytes()),
            Item::Str(q) => q.is_empty(),
            Item::List(items) => items.is_empty(),
        }
    }
}

/// Compares two items, `None` being list padding.
fn cmp_item(a: Option<&Item>, b: Option<&Item>) -> Ordering {
    let (sa, sb) = (a.map_or(Ordering::Equal, Item::sign), b.map_or(Ordering::Equal, Item::sign));
    if sa != sb {
        return sa.cmp(&sb);
    }
    let (Some(a), Some(b)) = (a, b) else {
        return Ordering::Equal;
    };
    if sa.is_eq() {
        // Null-valued items (0, "", empty lists) all equal nothing.
        return Ordering::Equal;
    }
    match (a, b) {
        (Item::Num(x), Item::Num(y)) => cmp_digits(x.as_bytes(), y.as_bytes()),
        (Item::Str(x), Item::Str(y)) => cmp_qualifier(x, y),
        (Item::List(x), Item::List(y)) => cmp_list(x, y),
        _ => a.kind().cmp(&b.kind()),
    }
}

fn cmp_list(a: &[Item], b: &[Item]) -> Ordering {
    (0..a.len().max(b.len())).map(|i| cmp_item(a.get(i), b.get(i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
}

/// Drops trailing null items, looking through (non-null) sub-lists too, like
/// `ListItem.normalize`.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// `ComparableVersion.parseVersion` from Maven 3.9.x. Each new sub-list is
/// appended to the current list and becomes current, so the lists form a
/// chain: `parents` holds the enclosing lists, outermost first, and `cur`
/// is hung at the end of the last parent once complete.
fn parse(version: &str) -> Vec<Item> {
    let version = version.to_lowercase();
    let mut parents: Vec<Vec<Item>> = Vec::new();
    let mut cur: Vec<Item> = Vec::new();
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in version.char_indices() {
        let text = version.get(start..i).unwrap_or_default();
        if c == '.' || c == '-' {
            cur.push(if i == start { Item::Num("0".to_owned()) } else { Item::parse_item(is_digit, text) });
            start = i + c.len_utf8();
            if c == '-' {
                parents.push(std::mem::take(&mut cur));
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // Letters then digits: `1.0.0.X1 < 1.0.0-X2`, `.X` counts as `-X`.
                if !cur.is_empty() {
                    parents.push(std::mem::take(&mut cur));
                }
                cur.push(Item::string(text, true));
                start = i;
                parents.push(std::mem::take(&mut cur));
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                cur.push(Item::parse_item(true, text));
                start = i;
                parents.push(std::mem::take(&mut cur));
            }
            is_digit = false;
        }
    }
    if let Some(rest) = version.get(start..).filter(|r| !r.is_empty()) {
        if !is_digit && !cur.is_empty() {
            parents.push(std::mem::take(&mut cur));
        }
        cur.push(Item::parse_item(is_digit, rest));
    }
    // Normalise innermost first, then hang each list on its parent.
    normalize(&mut cur);
    while let Some(mut parent) = parents.pop() {
        parent.push(Item::List(cur));
        normalize(&mut parent);
        cur = parent;
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from Maven's ComparableVersionTest (3.9.x), each checked
    /// against the Java class.
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
        ("1.0.final-redhat", "1.0-sp1-redhat", Less),
        ("1.0-RC1", "1.0-cr1", Equal),
        ("0000000000000000001", "1", Equal),
        ("12345678901234567890", "1234567890123456789", Greater),
        ("", "0", Equal),
        // Maven 3.9 is circular here (1-0.alpha-1 < 1 < 1-ga.1 < 1-0.alpha-1);
        // comparison against "nothing" decides.
        ("1-0.alpha-1", "1", Less),
        ("1", "1-ga.1", Less),
        ("1-0.alpha-1", "1-ga.1", Less),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
