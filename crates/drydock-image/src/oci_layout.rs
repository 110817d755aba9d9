//! OCI image layouts (`oci-layout` + `index.json` + `blobs/<alg>/<hex>`), as
//! a directory or tarred up as an oci-archive; also the OCI layout that
//! `docker save` writes since Docker 25.

use std::path::Path;
use std::sync::Arc;

use drydock_core::Digest;

use crate::archive_fs::ArchiveFs;
use crate::error::{ImageError, Result};
use crate::resolve::{self, MAX_MANIFEST_BYTES, Wanted};
use crate::spec::{Descriptor, Index, ManifestOrIndex, media};
use crate::target::Selector;
use crate::{BlobSource, Image, SourceKind, platform};

const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";

pub(crate) struct LayoutBlobs {
    fs: ArchiveFs,
    name: String,
}

pub(crate) fn blob_path(d: &Digest) -> String {
    format!("blobs/{}/{}", d.algorithm().as_str(), d.hex())
}

impl BlobSource for LayoutBlobs {
    fn name(&self) -> &str {
        &self.name
    }
    fn open_blob(&self, desc: &Descriptor) -> Result<Box<dyn std::io::Read + Send>> {
        self.fs
            .open(&blob_path(&desc.digest))?
            .ok_or_else(|| ImageError::MissingBlob { image: self.name.clone(), digest: desc.digest.clone() })
    }
}

pub(crate) fn open_dir(path: &Path, selector: &Selector, wanted: &Wanted<'_>) -> Result<Image> {
    if !path.is_dir() {
        return Err(ImageError::BadTarget { target: path.display().to_string(), reason: "not a directory".into() });
    }
    open_fs(ArchiveFs::dir(path)?, SourceKind::OciLayout, selector, wanted)
}

pub(crate) fn open_archive(path: &Path, selector: &Selector, wanted: &Wanted<'_>) -> Result<Image> {
    open_fs(ArchiveFs::tar(path)?, SourceKind::OciArchive, selector, wanted)
}

/// Whether an index entry answers to `tag`: its `ref.name` (`v1`, or a
/// full `name:v1`), or containerd's full image name as Docker writes it.
fn answers_to(desc: &Descriptor, tag: &str) -> bool {
    let names = [desc.annotations.get(REF_NAME), desc.annotations.get(CONTAINERD_NAME)];
    names.into_iter().flatten().any(|n| {
        n == tag
            || n.strip_suffix(tag).is_some_and(|head| head.ends_with(':') || head.ends_with('/'))
            || n.strip_prefix("docker.io/library/").is_some_and(|short| short == tag)
            || n.strip_prefix("docker.io/").is_some_and(|short| short == tag)
    })
}

fn tags_of(index: &Index) -> String {
    let tags: Vec<&str> = index
        .manifests
        .iter()
        .filter_map(|d| d.annotations.get(REF_NAME).or(d.annotations.get(CONTAINERD_NAME)))
        .map(String::as_str)
        .collect();
    if tags.is_empty() { "(no tagged images)".into() } else { tags.join(", ") }
}

pub(crate) fn open_fs(fs: ArchiveFs, kind: SourceKind, selector: &Selector, wanted: &Wanted<'_>) -> Result<Image> {
    let name = fs.display();
    let bytes = fs
        .read_small("index.json", MAX_MANIFEST_BYTES)?
        .ok_or_else(|| ImageError::NotFound { image: name.clone(), reason: "no index.json: not an OCI image layout".into() })?;
    let index: Index = serde_json::from_slice(&bytes).map_err(|e| ImageError::BadJson {
        image: name.clone(),
        file: "index.json".into(),
        what: "an OCI image index",
        source: e,
    })?;
    if !fs.exists("oci-layout") {
        tracing::debug!(image = %name, "no oci-layout file; reading index.json anyway");
    }
    let source: Arc<dyn BlobSource> = Arc::new(LayoutBlobs { fs, name: name.clone() });
    let reference = format!("{name}{selector}");

    let top: Descriptor = match selector {
        Selector::Tag(tag) => index.manifests.iter().find(|d| answers_to(d, tag)).cloned().ok_or_else(|| ImageError::NotFound {
            image: name.clone(),
            reason: format!("no image tagged `{tag}`; the layout has: {}", tags_of(&index)),
        })?,
        Selector::Digest(digest) => find_digest(source.as_ref(), &index, digest, 0)?
            .ok_or_else(|| ImageError::NotFound { image: name.clone(), reason: format!("no manifest or index with digest {digest}") })?,
        Selector::Default => match index.manifests.as_slice() {
            [] => return Err(ImageError::NotFound { image: name, reason: "index.json lists no images".into() }),
            [only] => only.clone(),
            several => {
                // index.json may itself be the multi-platform index (skopeo
                // `--all`, BuildKit `--output type=oci`): choose by platform.
                let all_platform_manifests = several.iter().all(|d| d.platform.is_some() && !d.annotations.contains_key(REF_NAME));
                if all_platform_manifests {
                    platform::select(several, wanted.platform, wanted.explicit)
                        .map_err(|available| ImageError::NoPlatform {
                            image: name.clone(),
                            wanted: wanted.platform.to_string(),
                            available,
                        })?
                        .clone()
                } else {
                    return Err(ImageError::NotFound {
                        image: name.clone(),
                        reason: format!(
                            "{} images in this layout; choose one with `:TAG` or `@DIGEST`: {}",
                            several.len(),
                            tags_of(&index)
                        ),
                    });
                }
            }
        },
    };
    resolve::image_from_descriptor(source, kind, reference, &top, wanted)
}

/// Finds the descriptor of `digest` in the index or any index nested in it.
fn find_digest(source: &dyn BlobSource, index: &Index, digest: &Digest, depth: usize) -> Result<Option<Descriptor>> {
    if let Some(d) = index.manifests.iter().find(|d| &d.digest == digest) {
        return Ok(Some(d.clone()));
    }
    if depth >= 8 {
        return Ok(None);
    }
    for child in index.manifests.iter().filter(|d| media::is_index(&d.media_type)) {
        let bytes = source.read_manifest(child)?;
        if let Ok(ManifestOrIndex::Index(nested)) = ManifestOrIndex::parse(&bytes, &child.media_type)
            && let Some(found) = find_digest(source, &nested, digest, depth + 1)?
        {
            return Ok(Some(found));
        }
    }
    Ok(None)
}
