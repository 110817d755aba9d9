//! NuGet package versions, as NuGet's `VersionComparer.Default` orders them.
//!
//! Format (docs.microsoft.com "Package versioning"): SemVer 2.0 with an
//! optional fourth number, `Major.Minor.Patch[.Revision][-label][+metadata]`.
//! Differences from [`crate::semver`]:
//!
//! * up to four numbers, missing ones are 0 (`1.0 = 1.0.0 = 1.0.0.0`);
//! * leading zeros are tolerated and ignored (`1.01 = 1.1`), as NuGet
//!   normalises them away;
//! * release labels compare case-insensitively (`1.0.0-RC.1 = 1.0.0-rc.1`);
//!   numeric labels still compare by value and sort before alphanumeric ones;
//! * metadata after `+` is ignored.
//!
//! Built on the lenient reading of [`crate::semver`], so strings NuGet
//! would reject still take a place in one consistent total order.

use std::cmp::Ordering;

use crate::semver::{Case, Lenient};

/// Orders two NuGet versions.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    Lenient::parse(a).cmp(&Lenient::parse(b), Case::Insensitive)
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    /// Cases from NuGet.Versioning's tests and the NuGet docs.
    const CASES: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0.0.0", Equal),
        ("1.0.0.1", "1.0.0", Greater),
        ("1.0.0.1", "1.0.1", Less),
        ("1.01.1", "1.1.1", Equal),
        ("1.0.0-RC.1", "1.0.0-rc.1", Equal),
        ("1.0.0-Beta", "1.0.0-alpha", Greater),
        ("1.0.0-beta.2", "1.0.0-beta.10", Less),
        ("1.0.0-beta.2", "1.0.0-beta.x", Less),
        ("1.0.0-beta", "1.0.0", Less),
        ("1.0.0-alpha", "1.0.0-alpha.1", Less),
        ("1.0.0+abc", "1.0.0+def", Equal),
        ("1.0.0.0-beta", "1.0.0-BETA", Equal),
        ("2.0.0", "10.0.0", Less),
    ];

    #[test]
    fn table() {
        for &(a, b, want) in CASES {
            assert_eq!(compare(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }
}
