//! Air-gap bundles: `drydock db export` writes the whole database as a
//! self-describing `.tar.zst`; `drydock db import` verifies and loads it.
//!
//! Layout: `manifest.json` first (format, build time, every source with its
//! fetch time and counts, every part with its size, record count and
//! sha256), then one JSON-lines part per source and record kind. The
//! manifest comes first so an import can check each part while streaming
//! it, and loads nothing unless every part matches. Sources keep their
//! original fetch times, so the far side of the air gap sees how old the
//! data really is. The bundle file's own sha256 is printed at export for
//! the transfer record.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::import::{ImportError, SourceOutcome, now_rfc3339};
use crate::model::{Advisory, CveScore, EpssEntry, KevEntry};
use crate::store::{Rebuild, SourceInfo, Store};

pub const FORMAT: &str = "drydock-advisory-bundle";
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// A manifest bigger than this is not one of ours.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;
/// One JSON line longer than this is refused (no record is that big).
const MAX_LINE_BYTES: usize = 64 << 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// When the bundle was written.
    pub created_at: String,
    /// When the exported database was last built.
    pub database_built_at: String,
    pub drydock_version: String,
    pub sources: Vec<SourceInfo>,
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub path: String,
    pub source: String,
    /// `advisories`, `kev`, `epss`, `cve_scores`.
    pub kind: String,
    pub records: u64,
    pub bytes: u64,
    pub sha256: String,
}

/// What `export` wrote.
#[derive(Clone, Debug)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub manifest: Manifest,
}

/// Writes the database at `db` to `out` (atomically: a temp file beside
/// `out`, renamed into place).
pub fn export(db: &Path, out: &Path) -> Result<ExportSummary, ImportError> {
    let store = Store::open(db)?;
    let bundle_err = |reason: String| ImportError::Bundle { path: out.display().to_string(), reason };
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let parts_dir = tempfile::Builder::new().prefix(".drydock-export-").tempdir_in(dir).map_err(|e| bundle_err(e.to_string()))?;
    let sources = store.sources()?;
    let mut parts = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let mut write_part = |kind: &str, fill: &mut dyn FnMut(&mut PartWriter) -> Result<(), ImportError>| -> Result<(), ImportError> {
            let rel = format!("parts/{i:03}-{}.{kind}.jsonl", sanitize(&source.name));
            let path = parts_dir.path().join(format!("{i:03}.{kind}"));
            let mut w = PartWriter::create(&path).map_err(|e| bundle_err(e.to_string()))?;
            fill(&mut w)?;
            let (records, bytes, sha256) = w.finish().map_err(|e| bundle_err(e.to_string()))?;
            if records > 0 {
                parts.push((path, Part { path: rel, source: source.name.clone(), kind: kind.into(), records, bytes, sha256 }));
            }
            Ok(())
        };
        write_part("advisories", &mut |w| {
            store.for_each_advisory(&source.name, |a| w.line(&a))?;
            Ok(())
        })?;
        write_part("kev", &mut |w| {
            for k in store.kev_of_source(&source.name)? {
                w.line(&k).map_err(|e| bundle_err(e.to_string()))?;
            }
            Ok(())
        })?;
        write_part("epss", &mut |w| {
            for e in store.epss_of_source(&source.name)? {
                w.line(&e).map_err(|e| bundle_err(e.to_string()))?;
            }
            Ok(())
        })?;
        write_part("cve_scores", &mut |w| {
            for s in store.cve_scores_of_source(&source.name)? {
                w.line(&s).map_err(|e| bundle_err(e.to_string()))?;
            }
            Ok(())
        })?;
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        created_at: now_rfc3339(),
        database_built_at: store.built_at()?,
        drydock_version: env!("CARGO_PKG_VERSION").into(),
        sources,
        parts: parts.iter().map(|(_, p)| p.clone()).collect(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("plain struct serializes");

    let tmp = tempfile::Builder::new().prefix(".drydock-bundle-").tempfile_in(dir).map_err(|e| bundle_err(e.to_string()))?;
    {
        let file = tmp.reopen().map_err(|e| bundle_err(e.to_string()))?;
        let hashing = HashingWriter { inner: BufWriter::new(file), hasher: Sha256::new(), bytes: 0 };
        let zstd = zstd::Encoder::new(hashing, 9).map_err(|e| bundle_err(e.to_string()))?;
        let mut tar = tar::Builder::new(zstd);
        tar.mode(tar::HeaderMode::Deterministic);
        append(&mut tar, MANIFEST, &mut &manifest_bytes[..], manifest_bytes.len() as u64).map_err(|e| bundle_err(e.to_string()))?;
        for (path, part) in &parts {
            let mut f = File::open(path).map_err(|e| bundle_err(e.to_string()))?;
            append(&mut tar, &part.path, &mut f, part.bytes).map_err(|e| bundle_err(e.to_string()))?;
        }
        let zstd = tar.into_inner().map_err(|e| bundle_err(e.to_string()))?;
        let mut hashing = zstd.finish().map_err(|e| bundle_err(e.to_string()))?;
        hashing.inner.flush().map_err(|e| bundle_err(e.to_string()))?;
        let HashingWriter { inner, hasher, bytes } = hashing;
        drop(inner);
        let sha256 = hex::encode(hasher.finalize());
        tmp.as_file().sync_all().map_err(|e| bundle_err(e.to_string()))?;
        tmp.persist(out).map_err(|e| bundle_err(e.to_string()))?;
        Ok(ExportSummary { path: out.to_owned(), bytes, sha256, manifest })
    }
}

fn append(tar: &mut tar::Builder<impl Write>, path: &str, data: &mut dyn Read, size: u64) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mtime(0);
    tar.append_data(&mut header, path, data)
}

fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect()
}

struct PartWriter {
    out: BufWriter<File>,
    hasher: Sha256,
    records: u64,
    bytes: u64,
}

impl PartWriter {
    fn create(path: &Path) -> std::io::Result<PartWriter> {
        Ok(PartWriter { out: BufWriter::new(File::create(path)?), hasher: Sha256::new(), records: 0, bytes: 0 })
    }
    fn line<T: Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.hasher.update(&line);
        self.bytes += line.len() as u64;
        self.records += 1;
        self.out.write_all(&line)
    }
    fn finish(mut self) -> std::io::Result<(u64, u64, String)> {
        self.out.flush()?;
        Ok((self.records, self.bytes, hex::encode(self.hasher.finalize())))
    }
}

struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// True when `path` is a zstd tarball whose first entry is our manifest.
pub fn is_bundle(path: &Path) -> bool {
    let Ok(file) = File::open(path) else { return false };
    let Ok(decoder) = zstd::Decoder::new(file) else { return false };
    let mut archive = tar::Archive::new(decoder);
    let Ok(mut entries) = archive.entries() else { return false };
    matches!(entries.next(), Some(Ok(e)) if e.path().is_ok_and(|p| p == Path::new(MANIFEST)))
}

/// Reads the manifest of the bundle at `path` without importing it.
pub fn read_manifest(path: &Path) -> Result<Manifest, ImportError> {
    let err = |reason: String| ImportError::Bundle { path: path.display().to_string(), reason };
    let file = File::open(path).map_err(|e| err(e.to_string()))?;
    let decoder = zstd::Decoder::new(file).map_err(|e| err(e.to_string()))?;
    let mut archive = tar::Archive::new(decoder);
    let mut entries = archive.entries().map_err(|e| err(e.to_string()))?;
    let first = entries.next().ok_or_else(|| err("empty archive".into()))?.map_err(|e| err(e.to_string()))?;
    parse_manifest(first, &err)
}

fn parse_manifest(entry: tar::Entry<'_, impl Read>, err: &dyn Fn(String) -> ImportError) -> Result<Manifest, ImportError> {
    if entry.path().map_err(|e| err(e.to_string()))? != Path::new(MANIFEST) {
        return Err(err(format!("first entry is not {MANIFEST}")));
    }
    if entry.size() > MAX_MANIFEST_BYTES {
        return Err(err(format!("{MANIFEST} is {} bytes, more than the {MAX_MANIFEST_BYTES}-byte limit", entry.size())));
    }
    let manifest: Manifest = serde_json::from_reader(entry).map_err(|e| err(format!("{MANIFEST}: {e}")))?;
    if manifest.format != FORMAT {
        return Err(err(format!("{MANIFEST}: format is `{}`, expected `{FORMAT}`", manifest.format)));
    }
    if manifest.format_version != FORMAT_VERSION {
        return Err(err(format!(
            "{MANIFEST}: bundle format version {} is not supported (this drydock reads {FORMAT_VERSION})",
            manifest.format_version
        )));
    }
    Ok(manifest)
}

/// Loads a bundle into `rebuild`, verifying every part against the
/// manifest as it streams. On any mismatch the caller drops the rebuild,
/// so nothing of the bundle reaches the live database.
pub(crate) fn import_into(rebuild: &mut Rebuild, path: &Path) -> Result<Vec<SourceOutcome>, ImportError> {
    let err = |reason: String| ImportError::Bundle { path: path.display().to_string(), reason };
    let file = File::open(path).map_err(|e| err(e.to_string()))?;
    let decoder = zstd::Decoder::new(file).map_err(|e| err(e.to_string()))?;
    let mut archive = tar::Archive::new(decoder);
    let mut entries = archive.entries().map_err(|e| err(e.to_string()))?;
    let first = entries.next().ok_or_else(|| err("empty archive".into()))?.map_err(|e| err(format!("damaged archive: {e}")))?;
    let manifest = parse_manifest(first, &err)?;

    let source_names: BTreeSet<&str> = manifest.sources.iter().map(|s| s.name.as_str()).collect();
    let mut expected: BTreeMap<&str, &Part> = BTreeMap::new();
    for part in &manifest.parts {
        if !source_names.contains(part.source.as_str()) {
            return Err(err(format!("part {} names source `{}`, which the manifest does not list", part.path, part.source)));
        }
        if expected.insert(part.path.as_str(), part).is_some() {
            return Err(err(format!("part {} is listed twice", part.path)));
        }
    }
    for s in &manifest.sources {
        rebuild.clear_source(&s.name)?;
    }
    let mut seen = BTreeSet::new();
    for entry in entries {
        let entry = entry.map_err(|e| err(format!("damaged archive: {e}")))?;
        let name = entry.path().map_err(|e| err(e.to_string()))?.display().to_string();
        let part = *expected.get(name.as_str()).ok_or_else(|| err(format!("{name} is not listed in the manifest")))?;
        if !seen.insert(part.path.clone()) {
            return Err(err(format!("{name} appears twice")));
        }
        let mut reader = BufReader::new(HashingReader { inner: entry, hasher: Sha256::new(), bytes: 0 });
        let mut records = 0u64;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut reader).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut line).map_err(|e| err(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            if n > MAX_LINE_BYTES {
                return Err(err(format!("{name}: record {} is longer than {MAX_LINE_BYTES} bytes", records + 1)));
            }
            records += 1;
            let bad = |e: serde_json::Error| err(format!("{name}: record {records}: {e}"));
            match part.kind.as_str() {
                "advisories" => {
                    let a: Advisory = serde_json::from_slice(&line).map_err(bad)?;
                    rebuild.put_advisory(&part.source, a)?;
                }
                "kev" => rebuild.put_kev(&part.source, &serde_json::from_slice::<KevEntry>(&line).map_err(bad)?)?,
                "epss" => rebuild.put_epss(&part.source, &serde_json::from_slice::<EpssEntry>(&line).map_err(bad)?)?,
                "cve_scores" => rebuild.put_cve_score(&part.source, &serde_json::from_slice::<CveScore>(&line).map_err(bad)?)?,
                other => return Err(err(format!("{name}: unknown part kind `{other}`"))),
            }
        }
        let hashing = reader.into_inner();
        let sha256 = hex::encode(hashing.hasher.finalize());
        if sha256 != part.sha256 || hashing.bytes != part.bytes {
            return Err(err(format!(
                "{name}: content does not match the manifest (sha256 {sha256}, {} bytes; manifest says {}, {} bytes): the bundle was altered or damaged",
                hashing.bytes, part.sha256, part.bytes
            )));
        }
        if records != part.records {
            return Err(err(format!("{name}: {records} records, manifest says {}", part.records)));
        }
    }
    if let Some(missing) = manifest.parts.iter().find(|p| !seen.contains(&p.path)) {
        return Err(err(format!("{} is listed in the manifest but missing from the archive (truncated?)", missing.path)));
    }
    let mut outcomes = Vec::new();
    for s in &manifest.sources {
        rebuild.put_source(s)?;
        outcomes.push(SourceOutcome {
            info: s.clone(),
            files: manifest.parts.iter().filter(|p| p.source == s.name).count() as u64,
            ..SourceOutcome::default()
        });
    }
    Ok(outcomes)
}

struct HashingReader<R: Read> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}
