//! `docker save` tarballs: the legacy layout (`manifest.json`, `<id>.json`,
//! `<id>/layer.tar`) and the OCI layout Docker 25+ writes alongside it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use drydock_core::{Algorithm, Digest};

use crate::archive_fs::ArchiveFs;
use crate::error::{ImageError, Result};
use crate::resolve::{self, MAX_CONFIG_BYTES, MAX_LAYERS, MAX_MANIFEST_BYTES, Wanted};
use crate::spec::{Descriptor, DockerSaveEntry, ImageConfigFile};
use crate::target::Selector;
use crate::{BlobSource, Content, Image, SourceKind, oci_layout};

const LEGACY_LAYER_MEDIA_TYPE: &str = "application/vnd.docker.image.rootfs.diff.tar";

pub(crate) fn open(path: &Path, selector: &Selector, wanted: &Wanted<'_>) -> Result<Image> {
    let fs = ArchiveFs::tar(path)?;
    // Docker 25+ writes a full OCI layout; its index carries the manifest
    // digest that the legacy manifest.json lacks, so prefer it.
    if fs.exists("index.json") && fs.exists("oci-layout") {
        return oci_layout::open_fs(fs, SourceKind::DockerArchive, selector, wanted);
    }
    open_legacy(fs, selector)
}

struct DockerBlobs {
    fs: ArchiveFs,
    name: String,
    /// Blob digest -> member path (`<id>/layer.tar`).
    paths: HashMap<Digest, String>,
}

impl BlobSource for DockerBlobs {
    fn name(&self) -> &str {
        &self.name
    }
    fn open_blob(&self, desc: &Descriptor) -> Result<Box<dyn std::io::Read + Send>> {
        let missing = || ImageError::MissingBlob { image: self.name.clone(), digest: desc.digest.clone() };
        let member = self.paths.get(&desc.digest).ok_or_else(missing)?;
        self.fs.open(member)?.ok_or_else(missing)
    }
}

/// `blobs/sha256/<hex>` or `<hex>.json` names carry their own digest.
fn digest_from_member(member: &str) -> Option<Digest> {
    let file = member.rsplit('/').next()?;
    let hex = file.strip_suffix(".json").unwrap_or(file);
    if let Some(rest) = member.strip_prefix("blobs/") {
        let (alg, hex) = rest.split_once('/')?;
        return format!("{alg}:{hex}").parse().ok();
    }
    Digest::from_parts(Algorithm::Sha256, hex).ok()
}

/// Whether two docker references name the same image, the way `docker`
/// shortens them (`docker.io/library/alpine:3` is `alpine:3`), or `wanted` is
/// just the tag part.
fn same_docker_ref(have: &str, wanted: &str) -> bool {
    fn short(r: &str) -> &str {
        let r = r.strip_prefix("docker.io/").unwrap_or(r);
        r.strip_prefix("library/").unwrap_or(r)
    }
    short(have) == short(wanted) || (!wanted.contains(':') && have.rsplit_once(':').is_some_and(|(_, tag)| tag == wanted))
}

fn open_legacy(fs: ArchiveFs, selector: &Selector) -> Result<Image> {
    let name = fs.display();
    let bytes = fs
        .read_small("manifest.json", MAX_MANIFEST_BYTES)?
        .ok_or_else(|| ImageError::NotFound { image: name.clone(), reason: "no manifest.json: not a docker-save archive".into() })?;
    let entries: Vec<DockerSaveEntry> = serde_json::from_slice(&bytes).map_err(|e| ImageError::BadJson {
        image: name.clone(),
        file: "manifest.json".into(),
        what: "a docker-save manifest",
        source: e,
    })?;
    let all_tags = || {
        let tags: Vec<String> = entries.iter().flat_map(|e| e.repo_tags.clone().unwrap_or_default()).collect();
        if tags.is_empty() { "(no tags)".to_owned() } else { tags.join(", ") }
    };
    let entry = match selector {
        Selector::Default => match entries.as_slice() {
            [only] => only,
            [] => return Err(ImageError::NotFound { image: name, reason: "manifest.json lists no images".into() }),
            _ => {
                return Err(ImageError::NotFound {
                    image: name.clone(),
                    reason: format!("{} images in this archive; choose one with `:TAG`: {}", entries.len(), all_tags()),
                });
            }
        },
        Selector::Tag(tag) => entries.iter().find(|e| e.repo_tags.iter().flatten().any(|t| same_docker_ref(t, tag))).ok_or_else(|| {
            ImageError::NotFound { image: name.clone(), reason: format!("no image tagged `{tag}`; the archive has: {}", all_tags()) }
        })?,
        Selector::Digest(d) => entries
            .iter()
            .find(|e| digest_from_member(&e.config).as_ref() == Some(d))
            .ok_or_else(|| ImageError::NotFound { image: name.clone(), reason: format!("no image with id {d}") })?,
    };

    let config_bytes = fs.read_small(&entry.config, MAX_CONFIG_BYTES)?.ok_or_else(|| ImageError::NotFound {
        image: name.clone(),
        reason: format!("config `{}` named in manifest.json is not in the archive", entry.config),
    })?;
    let config_digest = Digest::sha256_of(&config_bytes);
    if let Some(claimed) = digest_from_member(&entry.config)
        && claimed != config_digest
    {
        return Err(ImageError::DigestMismatch {
            image: name,
            expected: claimed,
            reason: format!("config `{}` hashes to {config_digest}", entry.config),
        });
    }
    let config: ImageConfigFile = serde_json::from_slice(&config_bytes).map_err(|e| ImageError::BadJson {
        image: name.clone(),
        file: entry.config.clone(),
        what: "an image config",
        source: e,
    })?;
    if entry.layers.len() > MAX_LAYERS {
        return Err(ImageError::BadMetadata {
            image: name,
            file: "manifest.json".into(),
            reason: format!("{} layers is more than the {MAX_LAYERS} drydock accepts", entry.layers.len()),
        });
    }
    let diff_ids = config.rootfs.as_ref().map(|r| r.diff_ids.clone()).unwrap_or_default();
    let mut paths = HashMap::new();
    let mut descriptors = Vec::with_capacity(entry.layers.len());
    for (i, member) in entry.layers.iter().enumerate() {
        let from_sources = entry.layer_sources.as_ref().and_then(|s| s.get(member)).cloned();
        let desc = match from_sources {
            Some(d) => d,
            None => {
                // A legacy layer.tar is the uncompressed tar, so its digest is
                // the diff_id; a `blobs/` member names its own digest.
                let digest = digest_from_member(member).or_else(|| diff_ids.get(i).cloned()).ok_or_else(|| ImageError::BadMetadata {
                    image: name.clone(),
                    file: entry.config.clone(),
                    reason: format!("layer {i} (`{member}`) has no diff_id"),
                })?;
                Descriptor {
                    media_type: LEGACY_LAYER_MEDIA_TYPE.into(),
                    digest,
                    size: 0,
                    platform: None,
                    annotations: Default::default(),
                    urls: vec![],
                }
            }
        };
        if crate::archive_fs::clean_relative(member).is_none() {
            return Err(ImageError::UnsafePath { image: name, file: member.clone(), reason: "layer path leaves the archive" });
        }
        paths.insert(desc.digest.clone(), member.clone());
        descriptors.push(desc);
    }
    let layers = resolve::pair_layers(&name, &entry.config, &descriptors, &config)?;
    let tag = match selector {
        Selector::Tag(t) => Some(t.clone()),
        _ => entry.repo_tags.as_ref().and_then(|t| t.first().cloned()),
    };
    let platform = config.platform();
    let reference = match tag {
        Some(t) => format!("{name}:{t}"),
        None => name.clone(),
    };
    Ok(Image {
        reference,
        source: SourceKind::DockerArchive,
        index_digest: None,
        manifest_digest: None,
        config_digest: Some(config_digest),
        platform,
        config,
        layers,
        warnings: Vec::new(),
        content: Content::Blobs(Arc::new(DockerBlobs { fs, name, paths })),
    })
}

#[cfg(test)]
mod tests {
    use super::same_docker_ref;

    #[test]
    fn docker_refs_match_in_short_and_long_form() {
        assert!(same_docker_ref("docker.io/example/app:v1", "example/app:v1"));
        assert!(same_docker_ref("docker.io/library/alpine:3.20", "alpine:3.20"));
        assert!(same_docker_ref("alpine:3.20", "docker.io/library/alpine:3.20"));
        assert!(same_docker_ref("registry.example.com/a/b:1", "1"));
        assert!(!same_docker_ref("alpine:3.20", "alpine:3.19"));
        assert!(!same_docker_ref("other/alpine:3.20", "alpine:3.20"));
    }
}
