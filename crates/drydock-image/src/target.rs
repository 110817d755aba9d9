//! What the user typed, turned into a [`Target`].
//!
//! Explicit prefixes (`oci:`, `docker-archive:`, `oci-archive:`, `dir:`,
//! `registry:`) always win. Without one, an existing path is inspected (a
//! directory with `index.json` is an OCI layout, any other directory a root
//! filesystem; a tar holding `manifest.json` is a docker-save archive, one
//! holding only `index.json` an oci-archive), and anything else is taken as a
//! registry reference.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use drydock_core::Digest;

use crate::error::ImageError;

/// Which image inside a layout or archive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selector {
    /// The only image there (an error if there are several).
    #[default]
    Default,
    /// By tag: `org.opencontainers.image.ref.name` or a docker `RepoTags` entry.
    Tag(String),
    /// By manifest or index digest.
    Digest(Digest),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Default => Ok(()),
            Selector::Tag(t) => write!(f, ":{t}"),
            Selector::Digest(d) => write!(f, "@{d}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    OciLayout { path: PathBuf, selector: Selector },
    DockerArchive { path: PathBuf, selector: Selector },
    OciArchive { path: PathBuf, selector: Selector },
    Rootfs { path: PathBuf },
    Registry { reference: String },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::OciLayout { path, selector } => write!(f, "oci:{}{selector}", path.display()),
            Target::DockerArchive { path, selector } => write!(f, "docker-archive:{}{selector}", path.display()),
            Target::OciArchive { path, selector } => write!(f, "oci-archive:{}{selector}", path.display()),
            Target::Rootfs { path } => write!(f, "dir:{}", path.display()),
            Target::Registry { reference } => write!(f, "registry:{reference}"),
        }
    }
}

fn bad(target: &str, reason: impl Into<String>) -> ImageError {
    ImageError::BadTarget { target: target.to_owned(), reason: reason.into() }
}

/// Splits `path[:tag|@digest]`, preferring the whole string when it exists
/// as a path (file names may contain `:`), then the shortest existing path
/// prefix (a docker tag such as `team/app:1.0` contains `:` and `/` itself).
fn split_selector(input: &str) -> Result<(PathBuf, Selector), ImageError> {
    if Path::new(input).exists() {
        return Ok((PathBuf::from(input), Selector::Default));
    }
    for (pos, sep) in input.char_indices().filter(|(_, c)| *c == ':' || *c == '@') {
        let (path, rest) = (&input[..pos], &input[pos + 1..]);
        if path.is_empty() || rest.is_empty() || !Path::new(path).exists() {
            continue;
        }
        return selector_for(input, path, sep, rest);
    }
    // Nothing exists: split at the last separator so the error names the path.
    if let Some((path, digest)) = input.rsplit_once('@') {
        return selector_for(input, path, '@', digest);
    }
    let file_part_start = input.rfind('/').map(|i| i + 1).unwrap_or(0);
    if let Some(colon) = input[file_part_start..].rfind(':') {
        let (path, tag) = (&input[..file_part_start + colon], &input[file_part_start + colon + 1..]);
        if !tag.is_empty() && !path.is_empty() {
            return selector_for(input, path, ':', tag);
        }
    }
    Ok((PathBuf::from(input), Selector::Default))
}

fn selector_for(input: &str, path: &str, sep: char, rest: &str) -> Result<(PathBuf, Selector), ImageError> {
    let selector = if sep == '@' {
        Selector::Digest(rest.parse::<Digest>().map_err(|e| bad(input, e.to_string()))?)
    } else {
        Selector::Tag(rest.to_owned())
    };
    Ok((PathBuf::from(path), selector))
}

/// What kind of tar archive `path` is, by looking at its member names.
fn sniff_archive(path: &Path) -> Result<Option<&'static str>, ImageError> {
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    let mut archive = tar::Archive::new(file);
    let entries = match archive.entries_with_seek() {
        Ok(e) => e,
        Err(_) => return Ok(None),
    };
    let (mut manifest, mut index) = (false, false);
    for entry in entries.take(100_000) {
        let Ok(entry) = entry else { return Ok(None) };
        let Ok(p) = entry.path() else { continue };
        let name = p.to_string_lossy();
        let name = name.trim_start_matches("./");
        manifest |= name == "manifest.json";
        index |= name == "index.json";
    }
    Ok(match (manifest, index) {
        (true, _) => Some("docker-archive"),
        (false, true) => Some("oci-archive"),
        _ => None,
    })
}

impl FromStr for Target {
    type Err = ImageError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.is_empty() {
            return Err(bad(input, "empty target"));
        }
        if let Some(rest) = input.strip_prefix("oci:") {
            let (path, selector) = split_selector(rest)?;
            return Ok(Target::OciLayout { path, selector });
        }
        if let Some(rest) = input.strip_prefix("docker-archive:") {
            let (path, selector) = split_selector(rest)?;
            return Ok(Target::DockerArchive { path, selector });
        }
        if let Some(rest) = input.strip_prefix("oci-archive:") {
            let (path, selector) = split_selector(rest)?;
            return Ok(Target::OciArchive { path, selector });
        }
        if let Some(rest) = input.strip_prefix("dir:") {
            return Ok(Target::Rootfs { path: PathBuf::from(rest) });
        }
        if let Some(rest) = input.strip_prefix("registry:").or_else(|| input.strip_prefix("docker://")) {
            return Ok(Target::Registry { reference: rest.to_owned() });
        }
        let (path, selector) = split_selector(input)?;
        if path.is_dir() {
            if path.join("index.json").is_file() {
                return Ok(Target::OciLayout { path, selector });
            }
            if selector != Selector::Default {
                return Err(bad(input, "a root filesystem directory has no tags; drop the `:tag`/`@digest`"));
            }
            return Ok(Target::Rootfs { path });
        }
        if path.is_file() {
            return match sniff_archive(&path)? {
                Some("docker-archive") => Ok(Target::DockerArchive { path, selector }),
                Some(_) => Ok(Target::OciArchive { path, selector }),
                None => Err(bad(
                    input,
                    "this file is neither a docker-save nor an oci-archive tarball (no manifest.json or index.json inside); \
                     compressed archives must be decompressed first",
                )),
            };
        }
        if input.starts_with('.') || input.starts_with('/') || input.contains(std::path::MAIN_SEPARATOR_STR) && !looks_like_registry(input)
        {
            return Err(bad(input, "no such file or directory"));
        }
        Ok(Target::Registry { reference: input.to_owned() })
    }
}

/// A reference like `host[:port]/repo[:tag]`, `repo:tag` or `name`.
fn looks_like_registry(input: &str) -> bool {
    input.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_prefixes_win() {
        assert_eq!(
            "oci:/tmp/nope:v1".parse::<Target>().unwrap(),
            Target::OciLayout { path: "/tmp/nope".into(), selector: Selector::Tag("v1".into()) }
        );
        assert_eq!("dir:/x".parse::<Target>().unwrap(), Target::Rootfs { path: "/x".into() });
        assert_eq!(
            "registry:localhost:5000/a/b:1".parse::<Target>().unwrap(),
            Target::Registry { reference: "localhost:5000/a/b:1".into() }
        );
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            format!("docker-archive:a.tar@{d}").parse::<Target>().unwrap(),
            Target::DockerArchive { path: "a.tar".into(), selector: Selector::Digest(d.parse().unwrap()) }
        );
        assert!("oci:x@sha256:zz".parse::<Target>().is_err());
    }

    #[test]
    fn bare_names_are_registry_references_and_missing_paths_are_errors() {
        assert!(matches!("alpine:3.20".parse::<Target>().unwrap(), Target::Registry { .. }));
        assert!(matches!("registry.example.com/team/app:1.2".parse::<Target>().unwrap(), Target::Registry { .. }));
        assert!("./does/not/exist".parse::<Target>().is_err());
        assert!("".parse::<Target>().is_err());
    }

    #[test]
    fn directories_are_detected_by_content() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().to_str().unwrap().to_owned();
        assert_eq!(p.parse::<Target>().unwrap(), Target::Rootfs { path: p.clone().into() });
        std::fs::write(tmp.path().join("index.json"), "{}").unwrap();
        assert_eq!(
            format!("{p}:v2").parse::<Target>().unwrap(),
            Target::OciLayout { path: p.into(), selector: Selector::Tag("v2".into()) }
        );
    }
}
