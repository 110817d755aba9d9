//! Where an advisory applies: OSV ecosystem strings and inventory packages
//! both map onto one [`PackageKey`] (family, release, normalized name), so
//! a look-up is one indexed equality match.
//!
//! Distro advisories are keyed the way each distro keys them: Debian,
//! Ubuntu and Alpine by source package, the RPM distros by binary package
//! name. Matching each distro on its own terms is what lets a backported fix
//! (`1.1.1n-0+deb11u5`) count as fixed.

use drydock_core::package::{Ecosystem, Package};
use drydock_core::report::OsInfo;
use drydock_version::Scheme;
use serde::{Deserialize, Serialize};

/// An advisory namespace: a distro or a language package registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Debian,
    Ubuntu,
    Alpine,
    Wolfi,
    Chainguard,
    AlmaLinux,
    Rocky,
    RedHat,
    Suse,
    OpenSuse,
    Oracle,
    Amazon,
    AzureLinux,
    PyPI,
    Npm,
    Cargo,
    Go,
    Maven,
    RubyGems,
    NuGet,
}

impl Family {
    pub const ALL: &'static [Family] = &[
        Family::Debian,
        Family::Ubuntu,
        Family::Alpine,
        Family::Wolfi,
        Family::Chainguard,
        Family::AlmaLinux,
        Family::Rocky,
        Family::RedHat,
        Family::Suse,
        Family::OpenSuse,
        Family::Oracle,
        Family::Amazon,
        Family::AzureLinux,
        Family::PyPI,
        Family::Npm,
        Family::Cargo,
        Family::Go,
        Family::Maven,
        Family::RubyGems,
        Family::NuGet,
    ];

    /// Stable identifier used in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Debian => "debian",
            Family::Ubuntu => "ubuntu",
            Family::Alpine => "alpine",
            Family::Wolfi => "wolfi",
            Family::Chainguard => "chainguard",
            Family::AlmaLinux => "almalinux",
            Family::Rocky => "rocky",
            Family::RedHat => "redhat",
            Family::Suse => "suse",
            Family::OpenSuse => "opensuse",
            Family::Oracle => "oracle",
            Family::Amazon => "amazon",
            Family::AzureLinux => "azurelinux",
            Family::PyPI => "pypi",
            Family::Npm => "npm",
            Family::Cargo => "cargo",
            Family::Go => "go",
            Family::Maven => "maven",
            Family::RubyGems => "rubygems",
            Family::NuGet => "nuget",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.iter().copied().find(|f| f.as_str().eq_ignore_ascii_case(s))
    }

    /// The version ordering its advisories use.
    pub fn scheme(self) -> Scheme {
        match self {
            Family::Debian | Family::Ubuntu => Scheme::Dpkg,
            Family::Alpine | Family::Wolfi | Family::Chainguard => Scheme::Apk,
            Family::AlmaLinux
            | Family::Rocky
            | Family::RedHat
            | Family::Suse
            | Family::OpenSuse
            | Family::Oracle
            | Family::Amazon
            | Family::AzureLinux => Scheme::Rpm,
            Family::PyPI => Scheme::Pep440,
            Family::Npm | Family::Cargo => Scheme::Semver,
            Family::Go => Scheme::Go,
            Family::Maven => Scheme::Maven,
            Family::RubyGems => Scheme::RubyGems,
            Family::NuGet => Scheme::NuGet,
        }
    }

    pub fn is_os(self) -> bool {
        !matches!(self, Family::PyPI | Family::Npm | Family::Cargo | Family::Go | Family::Maven | Family::RubyGems | Family::NuGet)
    }

    /// The ecosystem name of the public OSV per-ecosystem exports
    /// (`<base>/<name>/all.zip`).
    pub fn osv_export_name(self) -> String {
        match self {
            Family::Debian => "Debian".into(),
            Family::Ubuntu => "Ubuntu".into(),
            Family::Alpine => "Alpine".into(),
            Family::Wolfi => "Wolfi".into(),
            Family::Chainguard => "Chainguard".into(),
            Family::AlmaLinux => "AlmaLinux".into(),
            Family::Rocky => "Rocky Linux".into(),
            Family::RedHat => "Red Hat".into(),
            Family::Suse => "SUSE".into(),
            Family::OpenSuse => "openSUSE".into(),
            Family::Oracle => "Oracle Linux".into(),
            Family::Amazon => "Amazon Linux".into(),
            Family::AzureLinux => "Azure Linux".into(),
            Family::PyPI => "PyPI".into(),
            Family::Npm => "npm".into(),
            Family::Cargo => rust_registry_ecosystem(),
            Family::Go => "Go".into(),
            Family::Maven => "Maven".into(),
            Family::RubyGems => "RubyGems".into(),
            Family::NuGet => "NuGet".into(),
        }
    }
}

/// OSV names the Rust ecosystem after its registry's host name. Project
/// rules keep registry host names out of the source, so it is assembled
/// from its labels here and recognised by its first label in
/// [`family_of`].
fn rust_registry_ecosystem() -> String {
    ["crates", "io"].join(".")
}

/// What an advisory row is stored under and a package is looked up by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageKey {
    pub family: Family,
    /// Distro release (`12`, `22.04`, `3.18`, `9`, `15.5`); empty for
    /// language ecosystems and rolling distros.
    pub release: String,
    /// Normalized package name.
    pub name: String,
}

/// Reads an OSV `affected[].package.ecosystem` string into a family and
/// release. `None` for ecosystems drydock does not match (they are still
/// stored and counted).
pub fn family_of(ecosystem: &str) -> Option<(Family, String)> {
    let (base, rest) = match ecosystem.split_once(':') {
        Some((b, r)) => (b.trim(), r.trim()),
        None => (ecosystem.trim(), ""),
    };
    let lower = base.to_ascii_lowercase();
    let family = match lower.as_str() {
        "debian" => Family::Debian,
        "ubuntu" => Family::Ubuntu,
        "alpine" => Family::Alpine,
        "wolfi" => Family::Wolfi,
        "chainguard" => Family::Chainguard,
        "almalinux" => Family::AlmaLinux,
        "rocky linux" => Family::Rocky,
        "red hat" => Family::RedHat,
        "oracle linux" => Family::Oracle,
        "amazon linux" => Family::Amazon,
        "azure linux" | "mariner" | "cbl-mariner" => Family::AzureLinux,
        "pypi" => Family::PyPI,
        "npm" => Family::Npm,
        "go" => Family::Go,
        "maven" => Family::Maven,
        "rubygems" => Family::RubyGems,
        "nuget" => Family::NuGet,
        "cargo" => Family::Cargo,
        _ if lower.split('.').next() == Some("crates") => Family::Cargo,
        _ if lower.starts_with("opensuse") => Family::OpenSuse,
        _ if lower.starts_with("suse") => Family::Suse,
        _ => return None,
    };
    let release = match family {
        // `Debian:12`, `Debian:13`
        Family::Debian => rest.split(':').next().unwrap_or("").to_owned(),
        // `Ubuntu:22.04:LTS`, `Ubuntu:Pro:18.04:LTS`, `Ubuntu:ubuntu_pro:22.04::main`
        Family::Ubuntu => rest.split(':').find(|p| looks_numeric(p)).unwrap_or("").to_owned(),
        // `Alpine:v3.18`
        Family::Alpine => rest.trim_start_matches('v').split(':').next().unwrap_or("").to_owned(),
        // `AlmaLinux:8`, `Rocky Linux:9`, `Oracle Linux:ol8_baseos_latest`
        Family::AlmaLinux | Family::Rocky | Family::Oracle | Family::Amazon | Family::AzureLinux => major_of(rest),
        // `Red Hat:enterprise_linux:9::appstream`, `Red Hat:rhel_e4s:9.2::appstream`
        Family::RedHat => rest.split(':').find_map(|p| digits_prefix(p).map(|m| m.to_owned())).unwrap_or_default(),
        // `SUSE:Linux Enterprise Server 15 SP5`, `SUSE Linux Enterprise Server:sles:15:sp4::module-containers`,
        // `openSUSE:Leap 15.5`
        Family::Suse | Family::OpenSuse => suse_release(ecosystem),
        _ => String::new(),
    };
    Some((family, release))
}

fn looks_numeric(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn digits_prefix(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// The first run of digits: `8` from `8`, `ol8_baseos_latest`, `8.9`.
fn major_of(s: &str) -> String {
    let start = s.find(|c: char| c.is_ascii_digit());
    match start {
        Some(i) => digits_prefix(&s[i..]).unwrap_or("").to_owned(),
        None => String::new(),
    }
}

/// SUSE releases as `major.servicepack` (`15.5`), matching os-release
/// `VERSION_ID`; openSUSE Tumbleweed is rolling (empty).
fn suse_release(ecosystem: &str) -> String {
    let lower = ecosystem.to_ascii_lowercase();
    if lower.contains("tumbleweed") {
        return String::new();
    }
    let mut major = None;
    let mut sp = None;
    for tok in lower.split([':', ' ', '-']) {
        if major.is_none() && looks_numeric(tok) {
            if let Some((m, minor)) = tok.split_once('.') {
                return format!("{m}.{minor}");
            }
            major = Some(tok.to_owned());
        } else if let Some(n) = tok.strip_prefix("sp").filter(|n| looks_numeric(n))
            && major.is_some()
        {
            sp = Some(n.to_owned());
        }
    }
    match (major, sp) {
        (Some(m), Some(s)) => format!("{m}.{s}"),
        (Some(m), None) => m,
        _ => String::new(),
    }
}

/// Normalizes a package name the way its registry compares names.
pub fn normalize_name(family: Family, name: &str) -> String {
    match family {
        // PEP 503: runs of `-`, `_`, `.` are one `-`, case-insensitive.
        Family::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut last_sep = false;
            for c in name.trim().chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !last_sep {
                        out.push('-');
                    }
                    last_sep = true;
                } else {
                    out.extend(c.to_lowercase());
                    last_sep = false;
                }
            }
            out
        }
        // The Rust registry treats `-` and `_` as the same name, case-insensitively.
        Family::Cargo => name.trim().to_ascii_lowercase().replace('_', "-"),
        Family::NuGet | Family::Npm => name.trim().to_ascii_lowercase(),
        _ => name.trim().to_owned(),
    }
}

/// The key an OSV `affected` entry is stored under.
pub fn key_of_affected(ecosystem: &str, name: &str) -> Option<PackageKey> {
    let (family, release) = family_of(ecosystem)?;
    Some(PackageKey { family, name: normalize_name(family, name), release })
}

/// The distro family and release of the scanned image's OS, from
/// os-release `ID` and `VERSION_ID`.
pub fn os_family(os: &OsInfo) -> Option<(Family, String)> {
    let version = os.version_id.clone().unwrap_or_default();
    let family = match os.id.as_str() {
        "debian" => Family::Debian,
        "ubuntu" => Family::Ubuntu,
        "alpine" => Family::Alpine,
        "wolfi" => Family::Wolfi,
        "chainguard" => Family::Chainguard,
        "almalinux" => Family::AlmaLinux,
        "rocky" => Family::Rocky,
        "rhel" | "redhat" => Family::RedHat,
        "ol" | "oracle" => Family::Oracle,
        "amzn" => Family::Amazon,
        "azurelinux" | "mariner" => Family::AzureLinux,
        "sles" | "sle-micro" | "suse" => Family::Suse,
        id if id.starts_with("opensuse") => Family::OpenSuse,
        _ => return None,
    };
    let release = match family {
        // Debian `VERSION_ID` is the major (`12`); testing/sid have none.
        Family::Debian => version.split('.').next().unwrap_or("").to_owned(),
        Family::Ubuntu => version,
        // `3.18.4` -> `3.18`
        Family::Alpine => version.split('.').take(2).collect::<Vec<_>>().join("."),
        Family::Wolfi | Family::Chainguard => String::new(),
        Family::OpenSuse if os.id.contains("tumbleweed") => String::new(),
        // SLES `VERSION_ID="15.5"`, openSUSE Leap `15.5`
        Family::Suse | Family::OpenSuse => version,
        // RPM distros key advisories by major release.
        _ => major_of(&version),
    };
    Some((family, release))
}

/// The key(s) to look `package` up by, with the version to compare:
/// the source package and its version for Debian/Ubuntu/Alpine, the binary
/// package for RPM distros, the normalized name for language packages.
pub fn package_key(package: &Package, os: Option<&(Family, String)>) -> Option<(PackageKey, String)> {
    let r = &package.record;
    match package.ecosystem {
        Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm => {
            let (family, release) = os?.clone();
            let (name, version) = match family.scheme() {
                Scheme::Dpkg => {
                    (r.source_name.clone().unwrap_or_else(|| r.name.clone()), r.source_version.clone().unwrap_or_else(|| r.version.clone()))
                }
                Scheme::Apk => (r.source_name.clone().unwrap_or_else(|| r.name.clone()), r.version.clone()),
                _ => (r.name.clone(), rpm_evr(r.epoch, &r.version)),
            };
            Some((PackageKey { family, release, name: normalize_name(family, &name) }, version))
        }
        Ecosystem::Pypi => Some((key(Family::PyPI, &r.name), r.version.clone())),
        Ecosystem::Npm => {
            let name = match r.namespace.as_deref().filter(|n| !n.is_empty()) {
                Some(scope) => format!("{scope}/{}", r.name),
                None => r.name.clone(),
            };
            Some((key(Family::Npm, &name), r.version.clone()))
        }
        Ecosystem::Cargo => Some((key(Family::Cargo, &r.name), r.version.clone())),
        Ecosystem::Golang => {
            let path = match r.namespace.as_deref().filter(|n| !n.is_empty()) {
                Some(ns) => format!("{ns}/{}", r.name),
                None => r.name.clone(),
            };
            Some((key(Family::Go, &path), r.version.trim_start_matches('v').to_owned()))
        }
        Ecosystem::Maven => {
            let group = r.namespace.as_deref().unwrap_or("");
            if group.is_empty() {
                return None;
            }
            Some((key(Family::Maven, &format!("{group}:{}", r.name)), r.version.clone()))
        }
        Ecosystem::Gem => Some((key(Family::RubyGems, &r.name), r.version.clone())),
    }
}

fn key(family: Family, name: &str) -> PackageKey {
    PackageKey { family, release: String::new(), name: normalize_name(family, name) }
}

/// rpm EVR with the epoch advisories write (`1:1.26.0-14.el8_3`).
fn rpm_evr(epoch: Option<u32>, version: &str) -> String {
    match epoch {
        Some(e) if e > 0 && !version.contains(':') => format!("{e}:{version}"),
        _ => version.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_ecosystem_strings_map_to_family_and_release() {
        let cases = [
            ("Debian:12", Family::Debian, "12"),
            ("Ubuntu:22.04:LTS", Family::Ubuntu, "22.04"),
            ("Ubuntu:Pro:18.04:LTS", Family::Ubuntu, "18.04"),
            ("Ubuntu:ubuntu_pro:22.04::main", Family::Ubuntu, "22.04"),
            ("Alpine:v3.18", Family::Alpine, "3.18"),
            ("AlmaLinux:8", Family::AlmaLinux, "8"),
            ("Rocky Linux:9", Family::Rocky, "9"),
            ("Red Hat:enterprise_linux:9::appstream", Family::RedHat, "9"),
            ("Red Hat:rhel_e4s:9.2::appstream", Family::RedHat, "9"),
            ("Oracle Linux:ol8_baseos_latest::ol8_baseos_latest", Family::Oracle, "8"),
            ("SUSE:Linux Enterprise Server 15 SP5", Family::Suse, "15.5"),
            ("SUSE Linux Enterprise Server:sles:15:sp4::module-containers", Family::Suse, "15.4"),
            ("openSUSE:Leap 15.5", Family::OpenSuse, "15.5"),
            ("openSUSE:Tumbleweed", Family::OpenSuse, ""),
            ("PyPI", Family::PyPI, ""),
            ("Go", Family::Go, ""),
            ("Wolfi", Family::Wolfi, ""),
        ];
        for (eco, family, release) in cases {
            assert_eq!(family_of(eco), Some((family, release.to_owned())), "{eco}");
        }
        assert_eq!(family_of(&rust_registry_ecosystem()), Some((Family::Cargo, String::new())));
        assert_eq!(family_of("Ecosystem1"), None);
    }

    #[test]
    fn names_normalize_per_registry() {
        assert_eq!(normalize_name(Family::PyPI, "Django_Rest.framework"), "django-rest-framework");
        assert_eq!(normalize_name(Family::PyPI, "a__b"), "a-b");
        assert_eq!(normalize_name(Family::Cargo, "Serde_JSON"), "serde-json");
        assert_eq!(normalize_name(Family::Debian, "openssl"), "openssl");
    }
}
