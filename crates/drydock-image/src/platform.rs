//! `os/arch[/variant]` platforms and choosing one manifest from an index.

use std::fmt;
use std::str::FromStr;

use crate::spec::{Descriptor, PlatformSpec};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// The host's platform as container images name it (`linux/amd64` on
    /// x86_64, `linux/arm64` on aarch64), falling back to `linux/amd64`.
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            "s390x" => "s390x",
            "riscv64" => "riscv64",
            _ => "amd64",
        };
        Platform { os: "linux".into(), architecture: architecture.into(), variant: None }
    }

    /// Whether an index entry's platform satisfies this one. A missing
    /// variant on either side matches (arm64 images rarely say `v8`).
    pub fn matches(&self, spec: &PlatformSpec) -> bool {
        if spec.os != self.os || spec.architecture != self.architecture {
            return false;
        }
        match (&self.variant, &spec.variant) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        }
    }

    pub fn from_spec(spec: &PlatformSpec) -> Platform {
        Platform { os: spec.os.clone(), architecture: spec.architecture.clone(), variant: spec.variant.clone().filter(|v| !v.is_empty()) }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        match parts.as_slice() {
            [os, arch] if ok(os) && ok(arch) => Ok(Platform { os: os.to_string(), architecture: arch.to_string(), variant: None }),
            [os, arch, variant] if ok(os) && ok(arch) && ok(variant) => {
                Ok(Platform { os: os.to_string(), architecture: arch.to_string(), variant: Some(variant.to_string()) })
            }
            _ => Err(format!("`{s}` is not a platform: expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7")),
        }
    }
}

/// Whether an index entry is a BuildKit attestation or other non-image
/// artifact (platform `unknown/unknown`).
pub fn is_attestation(d: &Descriptor) -> bool {
    d.annotations.contains_key("vnd.docker.reference.type")
        || d.platform.as_ref().is_some_and(|p| p.os == "unknown" || p.architecture == "unknown")
}

/// Chooses the manifest for `wanted` among an index's entries.
///
/// When the user did not ask for a platform explicitly (`explicit == false`)
/// and exactly one image manifest is offered, that one is taken even if it is
/// for another platform: scanning a single-arch arm64 image on an amd64
/// laptop is normal. Returns the list of offered platforms on failure.
pub fn select<'a>(manifests: &'a [Descriptor], wanted: &Platform, explicit: bool) -> Result<&'a Descriptor, String> {
    let images: Vec<&Descriptor> = manifests.iter().filter(|d| !is_attestation(d)).collect();
    if let Some(hit) = images.iter().find(|d| d.platform.as_ref().is_some_and(|p| wanted.matches(p))) {
        return Ok(hit);
    }
    // Entries without a platform are taken to be for any platform.
    if let Some(hit) = images.iter().find(|d| d.platform.is_none()) {
        return Ok(hit);
    }
    if !explicit && images.len() == 1 {
        return Ok(images[0]);
    }
    let offered: Vec<String> = images.iter().filter_map(|d| d.platform.as_ref().map(|p| Platform::from_spec(p).to_string())).collect();
    Err(if offered.is_empty() { "(nothing)".into() } else { offered.join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(os: &str, arch: &str, variant: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: crate::spec::media::OCI_MANIFEST.into(),
            digest: drydock_core::Digest::sha256_of(format!("{os}{arch}{variant:?}").as_bytes()),
            size: 1,
            platform: Some(PlatformSpec { os: os.into(), architecture: arch.into(), variant: variant.map(Into::into), os_version: None }),
            annotations: Default::default(),
            urls: vec![],
        }
    }

    #[test]
    fn parses_platforms() {
        assert_eq!("linux/arm/v7".parse::<Platform>().unwrap().variant.as_deref(), Some("v7"));
        assert!("linux".parse::<Platform>().is_err());
        assert!("linux/amd64/v1/x".parse::<Platform>().is_err());
        assert!("linux//".parse::<Platform>().is_err());
    }

    #[test]
    fn selects_matching_platform_and_skips_attestations() {
        let list = vec![
            desc("unknown", "unknown", None),
            desc("linux", "arm", Some("v7")),
            desc("linux", "arm64", Some("v8")),
            desc("linux", "amd64", None),
        ];
        let want: Platform = "linux/arm64".parse().unwrap();
        assert_eq!(select(&list, &want, true).unwrap(), &list[2]);
        let want: Platform = "linux/arm/v6".parse().unwrap();
        let err = select(&list, &want, true).unwrap_err();
        assert_eq!(err, "linux/arm/v7, linux/arm64/v8, linux/amd64");
    }

    #[test]
    fn single_foreign_platform_is_taken_only_when_not_explicit() {
        let list = vec![desc("linux", "s390x", None), desc("unknown", "unknown", None)];
        let want: Platform = "linux/amd64".parse().unwrap();
        assert!(select(&list, &want, false).is_ok());
        assert!(select(&list, &want, true).is_err());
    }
}
