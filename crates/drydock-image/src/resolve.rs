//! From a descriptor to an [`Image`]: walk nested indexes down to the
//! manifest for the wanted platform, fetch and verify the config, and line the
//! layers up with their history. Shared by the OCI layout, docker-save (OCI
//! flavour), oci-archive and registry sources so they agree on every detail.

use std::sync::Arc;

use drydock_core::Digest;

use crate::error::{ImageError, Result};
use crate::platform::{self, Platform};
use crate::spec::{Descriptor, ImageConfigFile, Manifest, ManifestOrIndex, media};
use crate::{BlobSource, Content, Image, Layer, SourceKind};

/// Manifests and indexes larger than this are refused (real ones are a few KiB).
pub const MAX_MANIFEST_BYTES: u64 = 4 << 20;
/// Configs carry the build history; 16 MiB is far beyond any real one.
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;
/// Nested indexes deeper than this are refused (a loop or a hostile layout).
const MAX_INDEX_DEPTH: usize = 8;
/// More layers than any runtime accepts (overlayfs stops at 128 by default).
pub const MAX_LAYERS: usize = 1000;

pub struct Wanted<'a> {
    pub platform: &'a Platform,
    /// Whether the user chose the platform (`--platform`) or it is the default.
    pub explicit: bool,
}

/// Resolves `top` (an index or a manifest) into an image.
pub fn image_from_descriptor(
    source: Arc<dyn BlobSource>,
    kind: SourceKind,
    reference: String,
    top: &Descriptor,
    wanted: &Wanted<'_>,
) -> Result<Image> {
    let name = source.name().to_owned();
    let mut desc = top.clone();
    let mut index_digest = None;
    let mut warnings = Vec::new();
    for depth in 0.. {
        if depth > MAX_INDEX_DEPTH {
            return Err(ImageError::BadMetadata {
                image: name,
                file: top.digest.to_string(),
                reason: format!("indexes nested more than {MAX_INDEX_DEPTH} deep"),
            });
        }
        let bytes = source.read_manifest(&desc)?;
        let doc = ManifestOrIndex::parse(&bytes, &desc.media_type).map_err(|e| ImageError::BadJson {
            image: name.clone(),
            file: desc.digest.to_string(),
            what: "an image manifest or index",
            source: e,
        })?;
        match doc {
            ManifestOrIndex::Index(index) => {
                if index_digest.is_none() {
                    index_digest = Some(desc.digest.clone());
                }
                let chosen = platform::select(&index.manifests, wanted.platform, wanted.explicit)
                    .map_err(|available| ImageError::NoPlatform { image: name.clone(), wanted: wanted.platform.to_string(), available })?;
                if let Some(p) = &chosen.platform
                    && !wanted.platform.matches(p)
                {
                    warnings.push(format!(
                        "the image is for {} only; scanning it although {} was the default platform",
                        Platform::from_spec(p),
                        wanted.platform
                    ));
                }
                desc = chosen.clone();
            }
            ManifestOrIndex::Manifest(manifest) => {
                let mut image = image_from_manifest(source, kind, reference, &desc.digest, *manifest)?;
                image.index_digest = index_digest;
                image.warnings.splice(0..0, warnings);
                return Ok(image);
            }
        }
    }
    unreachable!("loop returns or errors")
}

/// Builds the image from a parsed manifest: fetch and verify the config,
/// then pair layers with diff_ids and non-empty history entries.
pub fn image_from_manifest(
    source: Arc<dyn BlobSource>,
    kind: SourceKind,
    reference: String,
    manifest_digest: &Digest,
    manifest: Manifest,
) -> Result<Image> {
    let name = source.name().to_owned();
    if manifest.layers.len() > MAX_LAYERS {
        return Err(ImageError::BadMetadata {
            image: name,
            file: manifest_digest.to_string(),
            reason: format!("{} layers is more than the {MAX_LAYERS} drydock accepts", manifest.layers.len()),
        });
    }
    let config_bytes = source.read_blob_small(&manifest.config, MAX_CONFIG_BYTES)?;
    let config: ImageConfigFile = serde_json::from_slice(&config_bytes).map_err(|e| ImageError::BadJson {
        image: name.clone(),
        file: manifest.config.digest.to_string(),
        what: "an image config",
        source: e,
    })?;
    let layers = pair_layers(&name, &manifest.config.digest.to_string(), &manifest.layers, &config)?;
    let platform = config.platform();
    Ok(Image {
        reference,
        source: kind,
        index_digest: None,
        manifest_digest: Some(manifest_digest.clone()),
        config_digest: Some(manifest.config.digest.clone()),
        platform,
        config,
        layers,
        warnings: Vec::new(),
        content: Content::Blobs(source),
    })
}

/// Pairs each layer descriptor with its diff_id and the history entry that
/// created it (history entries with `empty_layer` made no layer).
pub(crate) fn pair_layers(image: &str, config_name: &str, descriptors: &[Descriptor], config: &ImageConfigFile) -> Result<Vec<Layer>> {
    let diff_ids = config.rootfs.as_ref().map(|r| r.diff_ids.as_slice()).unwrap_or(&[]);
    if diff_ids.len() != descriptors.len() {
        return Err(ImageError::BadMetadata {
            image: image.to_owned(),
            file: config_name.to_owned(),
            reason: format!("the manifest lists {} layers but the config has {} diff_ids", descriptors.len(), diff_ids.len()),
        });
    }
    let mut history = config.history.iter().enumerate().filter(|(_, h)| !h.empty_layer);
    Ok(descriptors
        .iter()
        .zip(diff_ids)
        .enumerate()
        .map(|(index, (d, diff_id))| {
            let hist = history.next();
            Layer {
                index,
                digest: Some(d.digest.clone()),
                diff_id: Some(diff_id.clone()),
                media_type: d.media_type.clone(),
                size: u64::try_from(d.size).ok(),
                created_by: hist.and_then(|(_, h)| h.created_by.clone()),
                history_index: hist.map(|(i, _)| i),
                foreign: media::is_foreign_layer(&d.media_type),
                urls: d.urls.clone(),
            }
        })
        .collect())
}
