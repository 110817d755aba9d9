//! Arbitrary-length comparison of ASCII digit runs, shared by every scheme.
//!
//! Advisory feeds contain version components far beyond `u64` (date stamps
//! glued together, 30-digit junk), so no scheme parses digits into an integer:
//! that would either overflow or need a fallback that silently changes the
//! order. Comparing the digit strings themselves is exact for any length.

use std::cmp::Ordering;

/// Compares two runs of ASCII digits by numeric value, whatever their length.
///
/// Leading zeros are ignored and an empty run counts as zero, which is how
/// every scheme here treats a missing number. Callers pass only ASCII digits;
/// other bytes would still give a consistent (if meaningless) order.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_zeros(a);
    let b = strip_zeros(b);
    // Without leading zeros, the longer run is the larger number; runs of the
    // same length compare like their text.
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `true` when the run is empty or only zeros: numerically zero.
pub(crate) fn is_zero(digits: &[u8]) -> bool {
    digits.iter().all(|&c| c == b'0')
}

fn strip_zeros(digits: &[u8]) -> &[u8] {
    let start = digits.iter().position(|&c| c != b'0').unwrap_or(digits.len());
    &digits[start..]
}

/// Splits `s` at the end of its leading run of ASCII digits.
pub(crate) fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s.iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_order_of_any_length() {
        let cases: &[(&str, &str, Ordering)] = &[
            ("", "0", Ordering::Equal),
            ("000", "", Ordering::Equal),
            ("9", "10", Ordering::Less),
            ("010", "9", Ordering::Greater),
            ("0001", "1", Ordering::Equal),
            ("999999999999999999999999999991", "999999999999999999999999999999", Ordering::Less),
            ("18446744073709551616", "18446744073709551615", Ordering::Greater),
        ];
        for &(a, b, want) in cases {
            assert_eq!(cmp_digits(a.as_bytes(), b.as_bytes()), want, "{a} vs {b}");
            assert_eq!(cmp_digits(b.as_bytes(), a.as_bytes()), want.reverse(), "{b} vs {a}");
        }
    }
}
