//! Version ordering per package ecosystem.
//!
//! Advisories say "fixed in X"; whether an installed version is below X
//! depends on the ecosystem's own rules. [`compare`] is total: it never
//! fails, because advisory feeds contain odd version strings and a scan must
//! still finish. Each scheme lives in its own module with its test table.
//!
//! Every scheme reads any string — empty, junk, 50-digit numbers, non-ASCII
//! — into a sort key and compares keys, so for each scheme the result is a
//! consistent total order (a total preorder: distinct strings may compare
//! equal, like `1.0` and `1.0.0`). Numbers are compared as digit strings of
//! any length, never parsed into fixed-width integers. On input the real
//! tool accepts, the result is the tool's; each module documents how it
//! reads input the tool would reject, and where the tool itself is not a
//! consistent order (apk, Maven), what it does instead.

mod apk;
mod dpkg;
mod go;
mod maven;
mod nuget;
mod num;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;

/// A version ordering scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Debian / Ubuntu (`deb-version(7)`): epoch, upstream, revision, `~`.
    Dpkg,
    /// rpm EVR (`rpmvercmp`), including `~` and `^`.
    Rpm,
    /// Alpine apk (`apk version -t`): suffixes `_alpha` … `_p`, `-rN`.
    Apk,
    /// Python PEP 440.
    Pep440,
    /// SemVer 2.0 (npm, Rust crates).
    Semver,
    /// Go modules: SemVer with a `v` prefix, pseudo-versions, `+incompatible`.
    Go,
    /// Maven `ComparableVersion`.
    Maven,
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// NuGet (SemVer 2 with an optional fourth numeric part).
    NuGet,
}

impl Scheme {
    /// Every scheme, for callers (and tests) that iterate over them.
    pub const ALL: [Scheme; 9] = [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Pep440,
        Scheme::Semver,
        Scheme::Go,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::NuGet,
    ];
}

/// Orders `a` against `b` under `scheme`. Never panics, whatever the input.
///
/// For a fixed scheme this is a total preorder on all strings:
/// `compare(s, a, b) == compare(s, b, a).reverse()`, and it is transitive.
///
/// ```
/// use std::cmp::Ordering;
/// use drydock_version::{Scheme, compare};
///
/// assert_eq!(compare(Scheme::Dpkg, "1:1.0~rc1-1", "1:1.0-1"), Ordering::Less);
/// assert_eq!(compare(Scheme::Rpm, "1.0^git1", "1.0"), Ordering::Greater);
/// assert_eq!(compare(Scheme::Pep440, "1.0.dev1", "1.0a1"), Ordering::Less);
/// assert_eq!(compare(Scheme::Go, "v0.0.0-20210101000000-abcdef123456", "0.0.1"), Ordering::Less);
/// // Junk still has a place: no panic, no error.
/// assert_eq!(compare(Scheme::Maven, "unknown", "unknown"), Ordering::Equal);
/// ```
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Ordering {
    match scheme {
        Scheme::Dpkg => dpkg::compare(a, b),
        Scheme::Rpm => rpm::compare(a, b),
        Scheme::Apk => apk::compare(a, b),
        Scheme::Pep440 => pep440::compare(a, b),
        Scheme::Semver => semver::compare(a, b),
        Scheme::Go => go::compare(a, b),
        Scheme::Maven => maven::compare(a, b),
        Scheme::RubyGems => rubygems::compare(a, b),
        Scheme::NuGet => nuget::compare(a, b),
    }
}
