//! The one streaming pass over one layer.
//!
//! Each tar entry is read at most once: its header becomes a [`FileEntry`];
//! if any analyzer wants it, its content is read into one reused buffer and
//! offered to each of them. Nothing touches the disk. After the last entry the
//! rest of the stream is drained so the blob digest and diff_id are verified
//! even when the tar ends early.

use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::Ordering;

use crate::ScanError;
use crate::analyzer::{Analyzer, EntryInfo, Fact, FactKind};
use crate::entry::{FileEntry, FileKind};
use crate::limits::{Budget, CountingReader, InflateLimit, Limits};
use crate::path::{self, Whiteout};

/// What one layer contributed, before merging.
#[derive(Debug, Default)]
pub struct LayerResult {
    pub index: usize,
    /// The layer's entries, until [`crate::FileTree::merge`] moves them into the tree.
    pub entries: Vec<FileEntry>,
    /// Paths this layer deletes from lower layers.
    pub whiteouts: Vec<String>,
    /// Directories whose lower-layer content this layer hides.
    pub opaque_dirs: Vec<String>,
    pub facts: Vec<Fact>,
    pub warnings: Vec<String>,
    pub uncompressed_bytes: u64,
    pub entry_count: u64,
    /// Compression as sniffed from the blob (`None` for directories).
    pub compression: Option<drydock_image::Compression>,
}

pub(crate) struct LayerCtx<'a> {
    pub image: &'a str,
    pub layer_id: String,
    pub index: usize,
    pub analyzers: &'a [&'a dyn Analyzer],
    pub limits: &'a Limits,
    pub budget: &'a Budget,
}

impl LayerCtx<'_> {
    fn bad_entry(&self, path: &str, reason: impl Into<String>) -> ScanError {
        ScanError::BadEntry { image: self.image.to_owned(), layer: self.layer_id.clone(), path: path.to_owned(), reason: reason.into() }
    }
    fn bad_layer(&self, e: &io::Error) -> ScanError {
        ScanError::BadLayer { image: self.image.to_owned(), layer: self.layer_id.clone(), reason: describe_io(e) }
    }
    /// `image: layer L: path: analyzer: message`, the shape of every
    /// analyzer warning.
    fn analyzer_warning(&self, entry: &FileEntry, analyzer: &dyn Analyzer, msg: &str) -> String {
        format!("{}: layer {}: {}: {}: {msg}", self.image, self.layer_id, entry.path, analyzer.name())
    }

    fn count_entry(&self) -> Result<(), ScanError> {
        let n = self.budget.entries.fetch_add(1, Ordering::Relaxed) + 1;
        if n > self.limits.max_entries {
            return Err(ScanError::BadLayer {
                image: self.image.to_owned(),
                layer: self.layer_id.clone(),
                reason: format!("more than {} entries in the image; raise --max-entries if it is genuine", self.limits.max_entries),
            });
        }
        Ok(())
    }

    /// Offers one entry to the analyzers that want it. `read` is called at
    /// most once, and only if someone wants the content.
    fn offer(
        &self,
        entry: &FileEntry,
        buf: &mut Vec<u8>,
        out: &mut LayerResult,
        read: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> Result<(), ScanError> {
        let info = EntryInfo { path: &entry.path, kind: &entry.kind, size: entry.size, mode: entry.mode };
        // Small fixed set; a Vec per wanted file is cheaper than it looks
        // because almost no entries are wanted.
        let wanting: Vec<&dyn Analyzer> = self.analyzers.iter().copied().filter(|a| a.wants(&info)).collect();
        if wanting.is_empty() {
            return Ok(());
        }
        if entry.size > self.limits.max_file_bytes {
            out.warnings.push(format!(
                "{}: layer {}: {}: {} bytes is over the {}-byte limit for analysis; skipped",
                self.image, self.layer_id, entry.path, entry.size, self.limits.max_file_bytes
            ));
            return Ok(());
        }
        buf.clear();
        read(buf).map_err(|e| self.bad_layer(&e))?;
        for a in wanting {
            match a.analyze(&info, buf) {
                Ok(kinds) => {
                    for kind in kinds {
                        match kind {
                            FactKind::Warning(msg) => out.warnings.push(self.analyzer_warning(entry, a, &msg)),
                            kind => out.facts.push(Fact { analyzer: a.name(), path: entry.path.clone(), layer: self.index, kind }),
                        }
                    }
                }
                Err(msg) => out.warnings.push(self.analyzer_warning(entry, a, &msg)),
            }
        }
        Ok(())
    }
}

/// Describes an I/O error with its chain. Verification and limit errors
/// speak for themselves; anything else from the decompressor or the tar
/// reader means the layer's bytes are broken, so it says so up front.
pub(crate) fn describe_io(e: &io::Error) -> String {
    if let Some(inner) = e.get_ref()
        && (inner.downcast_ref::<InflateLimit>().is_some() || inner.downcast_ref::<drydock_image::verify::VerifyError>().is_some())
    {
        return inner.to_string();
    }
    let mut s = format!("truncated or corrupt layer data: {e}");
    let mut src = e.get_ref().and_then(|i| i.source());
    while let Some(cause) = src {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        src = cause.source();
    }
    s
}

pub(crate) fn walk_tar(ctx: &LayerCtx<'_>, reader: Box<dyn Read + Send>) -> Result<LayerResult, ScanError> {
    let counting = CountingReader { inner: reader, budget: ctx.budget, limit: ctx.limits.max_inflated_bytes, counted: 0 };
    let mut archive = tar::Archive::new(counting);
    let mut out = LayerResult { index: ctx.index, ..Default::default() };
    let mut buf = Vec::new();
    for item in archive.entries().map_err(|e| ctx.bad_layer(&e))? {
        let mut entry = item.map_err(|e| ctx.bad_layer(&e))?;
        ctx.count_entry()?;
        out.entry_count += 1;
        let raw_path = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw_path).into_owned();
        let path = path::normalize(&raw_path).map_err(|p| ctx.bad_entry(&shown, p.describe()))?;
        let header = entry.header();
        if let Some(w) = path::whiteout(&path) {
            match w {
                Whiteout::Delete(p) => out.whiteouts.push(p),
                Whiteout::Opaque(d) => out.opaque_dirs.push(d),
                Whiteout::Ignored => {}
            }
            continue;
        }
        let link = || -> Result<String, ScanError> {
            let target = entry.link_name_bytes().ok_or_else(|| ctx.bad_entry(&shown, "link without a target"))?;
            Ok(String::from_utf8_lossy(&target).into_owned())
        };
        let kind = match header.entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => FileKind::File,
            tar::EntryType::Directory => FileKind::Dir,
            tar::EntryType::Symlink => FileKind::Symlink(link()?.into()),
            tar::EntryType::Link => {
                let target = link()?;
                let clean = path::normalize(target.trim_start_matches('/').as_bytes())
                    .map_err(|p| ctx.bad_entry(&shown, format!("hard link target `{target}`: {}", p.describe())))?;
                if clean.is_empty() {
                    return Err(ctx.bad_entry(&shown, "hard link to the root directory"));
                }
                FileKind::Hardlink(clean.into())
            }
            tar::EntryType::Char => FileKind::CharDevice,
            tar::EntryType::Block => FileKind::BlockDevice,
            tar::EntryType::Fifo => FileKind::Fifo,
            // PAX and GNU long-name headers are consumed by the tar crate;
            // anything else (sparse, vendor types) is recorded as a file.
            _ => FileKind::File,
        };
        if path.is_empty() && kind == FileKind::Dir {
            continue; // the `./` entry for the root itself
        }
        let file = FileEntry {
            path,
            kind,
            mode: header.mode().unwrap_or(0) & 0o7777,
            // Ids past u32 exist only in hostile headers; clamp rather than fail.
            uid: header.uid().map(|u| u32::try_from(u).unwrap_or(u32::MAX)).unwrap_or(0),
            gid: header.gid().map(|g| u32::try_from(g).unwrap_or(u32::MAX)).unwrap_or(0),
            size: entry.size(),
            layer: ctx.index,
        };
        ctx.offer(&file, &mut buf, &mut out, |b| entry.read_to_end(b).map(drop))?;
        out.entries.push(file);
    }
    // Drain what follows the end-of-archive marker so the verifiers see the
    // whole blob: a digest mismatch anywhere fails the layer.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(|e| ctx.bad_layer(&e))?;
    out.uncompressed_bytes = rest.counted;
    // Layers wait for each other before the merge: don't keep growth slack.
    out.entries.shrink_to_fit();
    Ok(out)
}

/// Walks a root filesystem directory as one layer, never following symlinks.
pub(crate) fn walk_dir(ctx: &LayerCtx<'_>, root: &Path) -> Result<LayerResult, ScanError> {
    use std::os::unix::fs::MetadataExt;
    let mut out = LayerResult { index: ctx.index, ..Default::default() };
    let mut buf = Vec::new();
    for item in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                out.warnings.push(format!("{}: {e}", ctx.image));
                continue;
            }
        };
        let rel = item.path().strip_prefix(root).unwrap_or(item.path());
        let path = rel.to_string_lossy().into_owned();
        if path.is_empty() {
            continue;
        }
        ctx.count_entry()?;
        out.entry_count += 1;
        let meta = item.metadata().map_err(|e| ctx.bad_entry(&path, e.to_string()))?;
        let ft = meta.file_type();
        use std::os::unix::fs::FileTypeExt;
        let kind = if ft.is_symlink() {
            let target = std::fs::read_link(item.path()).map_err(|e| ctx.bad_entry(&path, e.to_string()))?;
            FileKind::Symlink(target.to_string_lossy().into())
        } else if ft.is_dir() {
            FileKind::Dir
        } else if ft.is_file() {
            FileKind::File
        } else if ft.is_char_device() {
            FileKind::CharDevice
        } else if ft.is_block_device() {
            FileKind::BlockDevice
        } else {
            FileKind::Fifo
        };
        let file = FileEntry {
            path,
            size: if kind == FileKind::File { meta.len() } else { 0 },
            kind,
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
            layer: ctx.index,
        };
        if file.kind == FileKind::File {
            out.uncompressed_bytes += file.size;
        }
        let full = item.path().to_owned();
        ctx.offer(&file, &mut buf, &mut out, |b| {
            // Opened only after symlink_metadata said "regular file"; the
            // read is capped so a file growing underneath us stays bounded.
            let f = std::fs::File::open(&full)?;
            f.take(ctx.limits.max_file_bytes + 1).read_to_end(b).map(drop)
        })?;
        out.entries.push(file);
    }
    Ok(out)
}
