//! Builds the versioned [`Report`] from an opened image and its walk.

use drydock_core::report::{
    ConfigInfo, FilesystemSummary, HealthcheckInfo, HistoryInfo, ImageInfo, LayerInfo, LayerOrigin, Report, SCHEMA_VERSION, Scanner,
};
use drydock_image::Image;

use crate::{FileKind, ScanResult};

/// Tells where a fact came from. Built once per report: the base-image
/// boundary walks the history, which is not work to redo per package.
pub struct Origins<'a> {
    image: &'a Image,
    /// How many bottom layers belong to the base image, if the history says.
    pub base_layers: Option<usize>,
}

impl<'a> Origins<'a> {
    pub fn new(image: &'a Image) -> Self {
        Origins { image, base_layers: image.base_layers() }
    }

    /// Origin of a fact or file: the layer and the build step that made it.
    pub fn of(&self, layer_index: usize) -> LayerOrigin {
        let layer = self.image.layers.get(layer_index);
        LayerOrigin {
            layer_index,
            base_image: self.base_layers.is_some_and(|n| layer_index < n),
            digest: layer.and_then(|l| l.digest.clone()),
            created_by: layer.and_then(|l| l.created_by.clone()),
        }
    }
}

fn ns_to_seconds(ns: Option<i64>) -> Option<f64> {
    ns.filter(|n| *n > 0).map(|n| n as f64 / 1e9)
}

pub fn build(image: &Image, scan: &ScanResult, scanner_version: &str) -> Report {
    let origins = Origins::new(image);
    let base_layers = origins.base_layers.unwrap_or(0);
    debug_assert!(base_layers <= image.layers.len());
    let c = image.config.config.clone().unwrap_or_default();
    let config = ConfigInfo {
        user: c.user.filter(|u| !u.is_empty()),
        env: c.env.unwrap_or_default(),
        entrypoint: c.entrypoint.unwrap_or_default(),
        cmd: c.cmd.unwrap_or_default(),
        working_dir: c.working_dir.filter(|w| !w.is_empty()),
        healthcheck: c.healthcheck.map(|h| HealthcheckInfo {
            test: h.test.unwrap_or_default(),
            interval_seconds: ns_to_seconds(h.interval),
            timeout_seconds: ns_to_seconds(h.timeout),
            start_period_seconds: ns_to_seconds(h.start_period),
            retries: h.retries.filter(|r| *r > 0),
        }),
        labels: c.labels.unwrap_or_default(),
        exposed_ports: c.exposed_ports.unwrap_or_default().into_keys().collect(),
        volumes: c.volumes.unwrap_or_default().into_keys().collect(),
        stop_signal: c.stop_signal.filter(|s| !s.is_empty()),
        on_build: c.on_build.unwrap_or_default(),
    };
    let layers = image
        .layers
        .iter()
        .zip(&scan.layers)
        .map(|(l, r)| LayerInfo {
            index: l.index,
            digest: l.digest.clone(),
            diff_id: l.diff_id.clone(),
            media_type: l.media_type.clone(),
            compression: r.compression.map(|c| c.as_str().to_owned()),
            size: l.size,
            uncompressed_size: r.uncompressed_bytes,
            entries: r.entry_count,
            whiteouts: (r.whiteouts.len() + r.opaque_dirs.len()) as u64,
            created_by: l.created_by.clone(),
            base_image: l.index < base_layers,
            skipped: scan.skipped.iter().find(|(i, _)| *i == l.index).map(|(_, why)| why.clone()),
        })
        .collect();
    let history = image
        .config
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| HistoryInfo {
            created: h.created.clone(),
            created_by: h.created_by.clone(),
            comment: h.comment.clone(),
            empty_layer: h.empty_layer,
            layer_index: image.layers.iter().find(|l| l.history_index == Some(i)).map(|l| l.index),
        })
        .collect();
    let mut fs = FilesystemSummary { removed_by_later_layers: scan.tree.removed, ..Default::default() };
    for e in scan.tree.iter() {
        match e.kind {
            FileKind::File => {
                fs.files += 1;
                fs.total_file_bytes += e.size;
            }
            FileKind::Dir => fs.directories += 1,
            FileKind::Symlink(_) => fs.symlinks += 1,
            FileKind::Hardlink(_) => fs.hardlinks += 1,
            _ => fs.other += 1,
        }
    }
    let os = crate::os::detect(&origins, scan);
    let packages = crate::inventory::build(&origins, scan, os.as_ref());
    Report {
        schema_version: SCHEMA_VERSION,
        scanner: Scanner { name: "drydock".into(), version: scanner_version.into() },
        scanned_at: jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        image: ImageInfo {
            reference: image.reference.clone(),
            source: image.source.as_str().into(),
            index_digest: image.index_digest.clone(),
            manifest_digest: image.manifest_digest.clone(),
            config_digest: image.config_digest.clone(),
            platform: image.platform.as_ref().map(|p| p.to_string()),
            created: image.config.created.clone(),
            author: image.config.author.clone(),
            base_image_layers: origins.base_layers,
            config,
        },
        layers,
        history,
        filesystem: fs,
        os,
        packages,
        advisory_db: None,
        vulnerabilities: Vec::new(),
        hardening: Vec::new(),
        minimality: None,
        fips: None,
        tracking: None,
        secrets: Vec::new(),
        warnings: scan.warnings.clone(),
    }
}
