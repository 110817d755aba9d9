//! Read-only access to the files of an image layout, whether it is a
//! directory on disk or members of a tar archive (`docker save`,
//! `oci-archive`).
//!
//! A tar archive is indexed once (member name -> byte range) by seeking over
//! the headers, so a blob is then read straight from its range: archives are
//! never extracted, and several layers can be read in parallel from their own
//! file handles.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use crate::error::{ImageError, Result};

/// Symlink chains inside an archive longer than this are refused.
const MAX_LINK_HOPS: usize = 16;
/// Archives with more members than this are refused (real ones have a few dozen
/// to a few thousand).
const MAX_MEMBERS: usize = 1_000_000;

pub(crate) enum ArchiveFs {
    Dir { root: PathBuf, canonical_root: PathBuf },
    Tar { archive: PathBuf, members: HashMap<String, Member> },
}

#[derive(Clone, Debug)]
pub(crate) enum Member {
    File { offset: u64, size: u64 },
    Symlink(String),
}

/// Normalises a relative member path; `None` if it tries to leave the root.
pub(crate) fn clean_relative(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for comp in Path::new(path).components() {
        match comp {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

impl ArchiveFs {
    pub(crate) fn dir(root: &Path) -> Result<ArchiveFs> {
        let canonical_root = root.canonicalize().map_err(|e| ImageError::io(root, e))?;
        Ok(ArchiveFs::Dir { root: root.to_owned(), canonical_root })
    }

    pub(crate) fn tar(archive: &Path) -> Result<ArchiveFs> {
        let file = File::open(archive).map_err(|e| ImageError::io(archive, e))?;
        let mut tar = tar::Archive::new(file);
        let bad = |e: io::Error| ImageError::BadMetadata {
            image: archive.display().to_string(),
            file: archive.display().to_string(),
            reason: format!("not a readable tar archive: {e}"),
        };
        let mut members = HashMap::new();
        for entry in tar.entries_with_seek().map_err(bad)? {
            let entry = entry.map_err(bad)?;
            if members.len() >= MAX_MEMBERS {
                return Err(bad(io::Error::other(format!("more than {MAX_MEMBERS} members"))));
            }
            let raw = entry.path().map_err(bad)?.to_string_lossy().into_owned();
            // Members that would resolve outside the archive root are simply
            // not addressable; nothing is ever written, so ignoring them is safe.
            let Some(name) = clean_relative(&raw) else { continue };
            match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let size = entry.size();
                    members.insert(name, Member::File { offset: entry.raw_file_position(), size });
                }
                tar::EntryType::Symlink | tar::EntryType::Link => {
                    if let Ok(Some(target)) = entry.link_name() {
                        let target = target.to_string_lossy().into_owned();
                        // Hard links name the target from the archive root;
                        // symlinks are relative to the member's directory.
                        let resolved = if entry.header().entry_type() == tar::EntryType::Link {
                            clean_relative(&target)
                        } else {
                            let dir = Path::new(&name).parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
                            clean_relative(&format!("{dir}/{target}"))
                        };
                        if let Some(t) = resolved {
                            members.insert(name, Member::Symlink(t));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(ArchiveFs::Tar { archive: archive.to_owned(), members })
    }

    pub(crate) fn display(&self) -> String {
        match self {
            ArchiveFs::Dir { root, .. } => root.display().to_string(),
            ArchiveFs::Tar { archive, .. } => archive.display().to_string(),
        }
    }

    pub(crate) fn exists(&self, name: &str) -> bool {
        match self {
            ArchiveFs::Dir { root, .. } => root.join(name).is_file(),
            ArchiveFs::Tar { .. } => self.resolve_member(name).is_some(),
        }
    }

    fn resolve_member(&self, name: &str) -> Option<(u64, u64)> {
        let ArchiveFs::Tar { members, .. } = self else { return None };
        let mut name = clean_relative(name)?;
        for _ in 0..MAX_LINK_HOPS {
            match members.get(&name)? {
                Member::File { offset, size } => return Some((*offset, *size)),
                Member::Symlink(target) => name = target.clone(),
            }
        }
        None
    }

    /// Opens a member for reading. `name` must be relative and stay inside
    /// the layout: for a directory, the resolved file (after symlinks) must
    /// still be under the layout root.
    pub(crate) fn open(&self, name: &str) -> Result<Option<Box<dyn Read + Send>>> {
        let unsafe_path = |reason| ImageError::UnsafePath { image: self.display(), file: name.to_owned(), reason };
        let clean = clean_relative(name).ok_or_else(|| unsafe_path("path leaves the image layout"))?;
        match self {
            ArchiveFs::Dir { root, canonical_root } => {
                let path = root.join(&clean);
                let real = match path.canonicalize() {
                    Ok(r) => r,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(ImageError::io(path, e)),
                };
                if !real.starts_with(canonical_root) {
                    return Err(unsafe_path("symlink points outside the image layout"));
                }
                let file = File::open(&real).map_err(|e| ImageError::io(&path, e))?;
                Ok(Some(Box::new(file)))
            }
            ArchiveFs::Tar { archive, .. } => {
                let Some((offset, size)) = self.resolve_member(&clean) else { return Ok(None) };
                let mut file = File::open(archive).map_err(|e| ImageError::io(archive, e))?;
                file.seek(SeekFrom::Start(offset)).map_err(|e| ImageError::io(archive, e))?;
                Ok(Some(Box::new(file.take(size))))
            }
        }
    }

    /// Reads a small member whole (JSON documents), with a size cap.
    pub(crate) fn read_small(&self, name: &str, cap: u64) -> Result<Option<Vec<u8>>> {
        let Some(reader) = self.open(name)? else { return Ok(None) };
        let mut buf = Vec::new();
        reader.take(cap + 1).read_to_end(&mut buf).map_err(|e| ImageError::io(format!("{}/{name}", self.display()), e))?;
        if buf.len() as u64 > cap {
            return Err(ImageError::BadMetadata {
                image: self.display(),
                file: name.to_owned(),
                reason: format!("larger than the {cap}-byte limit for metadata"),
            });
        }
        Ok(Some(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_relative_refuses_escapes() {
        assert_eq!(clean_relative("./blobs/sha256/ab").as_deref(), Some("blobs/sha256/ab"));
        assert_eq!(clean_relative("a/../b").as_deref(), Some("b"));
        assert_eq!(clean_relative("../etc/passwd"), None);
        assert_eq!(clean_relative("/etc/passwd"), None);
        assert_eq!(clean_relative("a/../../b"), None);
        assert_eq!(clean_relative("."), None);
    }
}
