//! Installed packages: what the inventory finds and the SBOM writers print.

use serde::{Deserialize, Serialize};

use crate::report::LayerOrigin;

/// Where a package's version and advisories come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Deb,
    Apk,
    Rpm,
    Pypi,
    Npm,
    Golang,
    Cargo,
    Maven,
    Gem,
}

impl Ecosystem {
    /// The package-url type (purl spec `PURL-TYPES`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::Golang => "golang",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Maven => "maven",
            Ecosystem::Gem => "gem",
        }
    }
    /// OS package managers (their file lists own language packages).
    pub fn is_os(self) -> bool {
        matches!(self, Ecosystem::Deb | Ecosystem::Apk | Ecosystem::Rpm)
    }
}

/// What an analyzer reads from one database or manifest: a package as its
/// package manager records it, before the inventory adds the purl, the
/// layer that introduced it and the evidence paths.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRecord {
    pub name: String,
    /// The version exactly as the package manager prints it: dpkg
    /// `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release`, apk
    /// `version-rN`, language packages their own version string.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// purl namespace: Maven groupId, npm scope (`@types`), Go module path
    /// prefix; for OS packages the inventory fills in the distro id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Source package (dpkg `Source:`, rpm source RPM name, apk `origin`):
    /// distro advisories are keyed by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// rpm epoch, when the header has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// rpm modularity label (RHEL/Alma/Rocky module streams).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modularity_label: Option<String>,
    /// Licenses as recorded (SPDX expressions where the source uses them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Files the package owns (OS packages), image-root-relative without
    /// a leading slash. Used to attribute language packages to their OS
    /// package; not printed.
    #[serde(skip)]
    pub files: Vec<String>,
}

/// A package in the final inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    #[serde(flatten)]
    pub record: PackageRecord,
    /// Package URL, with `distro=` for OS packages.
    pub purl: String,
    /// Files that evidence the package (absolute paths in the image).
    pub locations: Vec<String>,
    /// The layer that introduced this package (version), and its build step.
    pub origin: LayerOrigin,
}

/// Builds a package URL: `pkg:type/namespace/name@version?qualifiers`, with
/// the purl spec's percent-encoding. Qualifiers are sorted, empty ones dropped.
pub fn purl(ecosystem: Ecosystem, namespace: Option<&str>, name: &str, version: &str, qualifiers: &[(&str, &str)]) -> String {
    let mut s = format!("pkg:{}/", ecosystem.purl_type());
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        for seg in ns.split('/') {
            s.push_str(&encode(seg));
            s.push('/');
        }
    }
    let name = if ecosystem == Ecosystem::Pypi { name.to_lowercase().replace('_', "-") } else { name.to_owned() };
    s.push_str(&encode(&name));
    if !version.is_empty() {
        s.push('@');
        s.push_str(&encode(version));
    }
    let mut q: Vec<&(&str, &str)> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    q.sort();
    for (i, (k, v)) in q.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        s.push_str(&encode(v));
    }
    s
}

/// Percent-encodes everything but the purl spec's unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_follow_the_spec_examples() {
        assert_eq!(
            purl(Ecosystem::Deb, Some("debian"), "curl", "7.50.3-1", &[("arch", "i386"), ("distro", "jessie")]),
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"
        );
        assert_eq!(purl(Ecosystem::Npm, Some("@angular"), "animation", "12.3.1", &[]), "pkg:npm/%40angular/animation@12.3.1");
        assert_eq!(purl(Ecosystem::Pypi, None, "Django_Allauth", "0.5", &[]), "pkg:pypi/django-allauth@0.5");
        assert_eq!(
            purl(Ecosystem::Rpm, Some("fedora"), "curl", "1:7.50.3-1.fc25", &[("arch", "")]),
            "pkg:rpm/fedora/curl@1%3A7.50.3-1.fc25"
        );
        assert_eq!(
            purl(Ecosystem::Golang, Some("github.com/gorilla"), "context", "v1.1.2", &[]),
            "pkg:golang/github.com/gorilla/context@v1.1.2"
        );
    }
}
