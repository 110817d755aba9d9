//! The layer walk: every layer of an image streamed exactly once, each tar
//! entry offered to the analyzers that want it, the per-layer results merged
//! in layer order into the final filesystem view.
//!
//! ```no_run
//! use drydock_image::{open, OpenOptions};
//! use drydock_scan::{scan, ScanOptions};
//! let image = open(&"oci:examples/hello-oci:latest".parse()?, &OpenOptions::default())?;
//! let result = scan(&image, &ScanOptions::default())?;
//! println!("{} files; os: {:?}", result.tree.len(), result.os_release());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analyzer;
pub mod analyzers;
pub mod checks;
pub mod entry;
pub mod fips;
pub mod inventory;
pub mod limits;
pub mod os;
pub mod path;
pub mod report;
pub mod tree;
pub mod walk;

use std::sync::atomic::{AtomicUsize, Ordering};

use drydock_image::{Image, ImageError, LayerStream};
use rayon::prelude::*;

pub use analyzer::{Analyzer, Fact, FactKind};
pub use entry::{FileEntry, FileKind};
pub use limits::Limits;
pub use tree::FileTree;
pub use walk::LayerResult;

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error("{image}: layer {layer}: entry `{path}`: {reason}")]
    BadEntry { image: String, layer: String, path: String, reason: String },
    #[error("{image}: layer {layer}: {reason}")]
    BadLayer { image: String, layer: String, reason: String },
}

/// Progress events for a front end (a progress bar, a log line).
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The walk starts; `layers` will be read.
    Start { layers: usize, bytes: u64 },
    /// A layer is done.
    LayerDone { index: usize, bytes: u64 },
}

pub struct ScanOptions<'a> {
    pub limits: Limits,
    pub analyzers: &'a [&'a dyn Analyzer],
    /// Called from worker threads as layers finish.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

impl Default for ScanOptions<'_> {
    fn default() -> Self {
        ScanOptions { limits: Limits::default(), analyzers: analyzers::ALL, progress: None }
    }
}

/// What the walk found.
#[derive(Debug)]
pub struct ScanResult {
    /// Per-layer results in layer order (foreign layers have empty results).
    pub layers: Vec<LayerResult>,
    /// The merged, final filesystem.
    pub tree: FileTree,
    /// Indexes of layers skipped (foreign / non-distributable) with why.
    pub skipped: Vec<(usize, String)>,
    pub warnings: Vec<String>,
}

impl ScanResult {
    /// Facts whose file is still present, unchanged, in the final view.
    pub fn visible_facts(&self) -> impl Iterator<Item = &Fact> {
        self.layers.iter().flat_map(|l| &l.facts).filter(|f| self.tree.get(&f.path).is_some_and(|e| e.layer == f.layer))
    }
    /// Facts from files a later layer deleted or replaced: invisible to the
    /// container, still readable by anyone who pulls the image.
    pub fn removed_facts(&self) -> impl Iterator<Item = &Fact> {
        self.layers.iter().flat_map(|l| &l.facts).filter(|f| self.tree.get(&f.path).is_none_or(|e| e.layer != f.layer))
    }
    /// The release file that names the distribution: `/etc/os-release`
    /// (following its usual symlink to `/usr/lib/os-release`), then the older
    /// per-distribution files, in [`analyzers::os_release::PATHS`] order.
    pub fn os_release(&self) -> Option<(&Fact, &analyzers::os_release::OsRelease)> {
        for candidate in analyzers::os_release::PATHS {
            let Some((real, entry)) = self.tree.resolve(candidate) else { continue };
            let found = self.visible_facts().find_map(|f| match &f.kind {
                FactKind::OsRelease(r) if f.path == real && f.layer == entry.layer => Some((f, r)),
                _ => None,
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }
}

/// Walks every layer of `image` once (in parallel across layers) and merges.
pub fn scan(image: &Image, options: &ScanOptions<'_>) -> Result<ScanResult, ScanError> {
    let budget = limits::Budget::default();
    let total_bytes = image.layers.iter().filter_map(|l| l.size).sum();
    if let Some(p) = options.progress {
        p(Progress::Start { layers: image.layers.len(), bytes: total_bytes });
    }
    let done = AtomicUsize::new(0);
    let results: Vec<Result<Option<LayerResult>, ScanError>> = image
        .layers
        .par_iter()
        .map(|layer| {
            if layer.foreign {
                return Ok(None);
            }
            let ctx = walk::LayerCtx {
                image: &image.reference,
                layer_id: layer.display_id(),
                index: layer.index,
                analyzers: options.analyzers,
                limits: &options.limits,
                budget: &budget,
            };
            tracing::debug!(layer = %ctx.layer_id, "walking layer");
            let result = match image.open_layer(layer)? {
                LayerStream::Tar { reader, compression } => {
                    let mut r = walk::walk_tar(&ctx, reader)?;
                    r.compression = Some(compression);
                    r
                }
                LayerStream::Directory(root) => walk::walk_dir(&ctx, &root)?,
            };
            done.fetch_add(1, Ordering::Relaxed);
            if let Some(p) = options.progress {
                p(Progress::LayerDone { index: layer.index, bytes: layer.size.unwrap_or(result.uncompressed_bytes) });
            }
            Ok(Some(result))
        })
        .collect();

    let mut layers = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    let mut warnings = image.warnings.clone();
    for (layer, result) in image.layers.iter().zip(results) {
        match result? {
            Some(r) => {
                warnings.extend(r.warnings.iter().cloned());
                layers.push(r);
            }
            None => {
                let why = "foreign or non-distributable layer: its content is not part of the image and was not read".to_owned();
                warnings.push(format!("{}: layer {}: {why}", image.reference, layer.display_id()));
                skipped.push((layer.index, why));
                layers.push(LayerResult { index: layer.index, ..Default::default() });
            }
        }
    }
    let tree = FileTree::merge(&mut layers);
    Ok(ScanResult { layers, tree, skipped, warnings })
}

/// Walks one tar stream as layer 0 of an image named `name`: the same code
/// path as [`scan`], for callers (and fuzzers) holding a bare layer.
pub fn walk_tar_stream(name: &str, reader: Box<dyn std::io::Read + Send>, options: &ScanOptions<'_>) -> Result<LayerResult, ScanError> {
    let budget = limits::Budget::default();
    let ctx = walk::LayerCtx {
        image: name,
        layer_id: "#0".into(),
        index: 0,
        analyzers: options.analyzers,
        limits: &options.limits,
        budget: &budget,
    };
    walk::walk_tar(&ctx, reader)
}
