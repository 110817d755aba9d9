//! Image access: every place an image lives, read the same way, verified.
//!
//! [`open`] turns a [`Target`] (parsed from what the user typed) into an
//! [`Image`]: its reference, digests, platform, config and the ordered list of
//! [`Layer`]s. [`Image::open_layer`] then gives one layer as a stream of tar
//! bytes: read from the source once, digest-verified and decompressed in the
//! same pass, never written to disk.
//!
//! ```no_run
//! use drydock_image::{open, OpenOptions, Target};
//! let target: Target = "oci:./examples/hello-oci:latest".parse()?;
//! let image = open(&target, &OpenOptions::default())?;
//! for layer in &image.layers {
//!     println!("{} {:?}", layer.display_id(), layer.created_by);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod error;
pub mod layer;
pub mod platform;
pub mod registry;
pub mod resolve;
pub mod spec;
pub mod target;
pub mod verify;

mod archive_fs;
mod docker_archive;
mod oci_layout;
mod rootfs;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use drydock_core::Digest;

pub use error::{ImageError, Result};
pub use layer::Compression;
pub use platform::Platform;
pub use spec::{Descriptor, ImageConfigFile};
pub use target::{Selector, Target};

/// Where an image was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    OciLayout,
    DockerArchive,
    OciArchive,
    Rootfs,
    Registry,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::OciLayout => "oci-layout",
            SourceKind::DockerArchive => "docker-archive",
            SourceKind::OciArchive => "oci-archive",
            SourceKind::Rootfs => "rootfs",
            SourceKind::Registry => "registry",
        }
    }
}

/// How to open an image. Everything has a sensible default.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Platform to pick from a multi-arch index.
    pub platform: Platform,
    /// Whether `platform` was chosen by the user (an explicit mismatch is an error).
    pub platform_explicit: bool,
    /// Allow plain HTTP to registries (always allowed for loopback).
    pub insecure: bool,
    /// Credentials given on the command line; they win over config.json.
    pub credentials: Option<registry::Credentials>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { platform: Platform::host(), platform_explicit: false, insecure: false, credentials: None }
    }
}

/// A source of content-addressed blobs (a layout directory, a tar archive, a
/// registry). Returns raw, *unverified* bytes; callers wrap them in
/// [`verify::VerifyingReader`], so verification lives in one place.
pub trait BlobSource: Send + Sync {
    /// A name for the image in messages (a path or a reference).
    fn name(&self) -> &str;
    /// Opens a blob's raw bytes.
    fn open_blob(&self, desc: &Descriptor) -> Result<Box<dyn Read + Send>>;
    /// Reads a manifest or index. Registries serve those from `/manifests/`,
    /// everything else stores them as blobs.
    fn read_manifest(&self, desc: &Descriptor) -> Result<Vec<u8>> {
        self.read_blob_small(desc, resolve::MAX_MANIFEST_BYTES)
    }
    /// Reads a small blob whole, verifying digest and size.
    fn read_blob_small(&self, desc: &Descriptor, cap: u64) -> Result<Vec<u8>> {
        let raw = self.open_blob(desc)?;
        verify::read_verified(raw, &desc.digest, u64::try_from(desc.size).ok().filter(|s| *s > 0), cap)
            .map_err(|e| ImageError::DigestMismatch { image: self.name().to_owned(), expected: desc.digest.clone(), reason: e.to_string() })
    }
}

pub(crate) enum Content {
    Blobs(Arc<dyn BlobSource>),
    Directory(PathBuf),
}

/// One layer, in order, with what created it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Layer {
    pub index: usize,
    /// Digest of the blob as stored (compressed); `None` for a rootfs directory.
    pub digest: Option<Digest>,
    /// Digest of the uncompressed tar, from the config's `rootfs.diff_ids`.
    pub diff_id: Option<Digest>,
    pub media_type: String,
    /// Size of the stored blob, when known.
    pub size: Option<u64>,
    /// The history line (`created_by`) of the build step that made this layer.
    pub created_by: Option<String>,
    /// Index of that history entry in the config.
    pub history_index: Option<usize>,
    /// Foreign or non-distributable layer: reported, not read.
    pub foreign: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

impl Layer {
    /// The layer's digest, or a placeholder for a directory pseudo-layer.
    pub fn display_id(&self) -> String {
        match &self.digest {
            Some(d) => d.to_string(),
            None => format!("layer #{}", self.index),
        }
    }
}

/// An opened image: metadata is read and verified; layers are read on demand.
pub struct Image {
    /// The reference as resolved (path and tag, or registry reference).
    pub reference: String,
    pub source: SourceKind,
    pub index_digest: Option<Digest>,
    pub manifest_digest: Option<Digest>,
    pub config_digest: Option<Digest>,
    pub platform: Option<Platform>,
    pub config: ImageConfigFile,
    pub layers: Vec<Layer>,
    /// Things worth telling the user that are not errors.
    pub warnings: Vec<String>,
    content: Content,
}

/// One layer's content, ready to walk.
pub enum LayerStream {
    /// A tar stream: verified and decompressed as it is read. A read error is
    /// an `io::Error` carrying [`verify::VerifyError`] or the decoder's error.
    Tar { compression: Compression, reader: Box<dyn Read + Send> },
    /// A root filesystem directory, walked in place without following symlinks.
    Directory(PathBuf),
}

impl Image {
    /// How many of the bottom layers came from the base image, judged from
    /// the build history; `None` when the history doesn't say.
    ///
    /// A base image ends with a `CMD` or `ENTRYPOINT` step, which makes no
    /// layer. Walking the history from the top, past your own trailing
    /// metadata steps and at least one layer of your own, the first such
    /// empty step is the base image's last instruction; every layer below it
    /// is the base image's. (Trivy uses the same signal to skip base layers.)
    pub fn base_layers(&self) -> Option<usize> {
        let history = &self.config.history;
        let mut seen_own_layer = false;
        let boundary = history.iter().enumerate().rev().find_map(|(i, h)| {
            if !h.empty_layer {
                seen_own_layer = true;
                return None;
            }
            let line = h.created_by.as_deref().unwrap_or("");
            let instruction = line.trim_start_matches("/bin/sh -c #(nop)").trim_start();
            let is_final_step = instruction.starts_with("CMD") || instruction.starts_with("ENTRYPOINT");
            (seen_own_layer && is_final_step).then_some(i)
        })?;
        Some(self.layers.iter().filter(|l| l.history_index.is_some_and(|h| h < boundary)).count())
    }

    /// Opens one layer for a single streaming read.
    pub fn open_layer(&self, layer: &Layer) -> Result<LayerStream> {
        match &self.content {
            Content::Directory(root) => Ok(LayerStream::Directory(root.clone())),
            Content::Blobs(source) => {
                let digest = layer.digest.clone().ok_or_else(|| ImageError::Layer {
                    image: self.reference.clone(),
                    layer: layer.display_id(),
                    reason: "layer has no digest".into(),
                })?;
                let desc = Descriptor {
                    media_type: layer.media_type.clone(),
                    digest: digest.clone(),
                    size: layer.size.map(|s| s as i64).unwrap_or(0),
                    platform: None,
                    annotations: Default::default(),
                    urls: layer.urls.clone(),
                };
                let raw = source.open_blob(&desc)?;
                let verified = verify::VerifyingReader::new(raw, digest, layer.size.filter(|s| *s > 0));
                let (compression, reader) = layer::decompress(Box::new(verified), layer.diff_id.as_ref())
                    .map_err(|e| ImageError::Layer { image: self.reference.clone(), layer: layer.display_id(), reason: e.to_string() })?;
                Ok(LayerStream::Tar { compression, reader })
            }
        }
    }
}

/// Opens the image `target` names.
pub fn open(target: &Target, options: &OpenOptions) -> Result<Image> {
    let wanted = resolve::Wanted { platform: &options.platform, explicit: options.platform_explicit };
    match target {
        Target::OciLayout { path, selector } => oci_layout::open_dir(path, selector, &wanted),
        Target::OciArchive { path, selector } => oci_layout::open_archive(path, selector, &wanted),
        Target::DockerArchive { path, selector } => docker_archive::open(path, selector, &wanted),
        Target::Rootfs { path } => rootfs::open(path),
        Target::Registry { reference } => registry::open(reference, options),
    }
}
