//! `drydock db import`: files, directories, zip archives and tarballs
//! (`.tar`, `.tar.gz`, `.tar.zst`) of advisory feeds, or a drydock bundle.
//!
//! Each input path becomes one source. Files are parsed in parallel in
//! batches and written by one thread into a [`Rebuild`], so an import is
//! all-or-nothing: the live database is replaced only when every input was
//! read. Bad records are counted and named, never fatal; an unreadable
//! input (truncated archive, I/O error) aborts the import.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::bundle;
use crate::model::Parsed;
use crate::sources::{self, Format};
use crate::store::{Rebuild, SourceInfo, StoreError};

/// Files bigger than this inside an archive or directory are refused: no
/// advisory record is that large, an EPSS file is ~10 MB.
pub const MAX_FILE_BYTES: u64 = 512 << 20;
const BATCH: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {reason}")]
    Input { path: String, reason: String },
    #[error("bundle {path}: {reason}")]
    Bundle { path: String, reason: String },
}

/// A record that could not be read: which file, which record, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub file: String,
    pub record: String,
    pub reason: String,
}

/// What importing one input did.
#[derive(Clone, Debug, Default)]
pub struct SourceOutcome {
    pub info: SourceInfo,
    /// Files read.
    pub files: u64,
    /// Records read from the input (before ids repeated across files were
    /// merged): the import's throughput counts these.
    pub records_read: u64,
    /// Files that are not advisory data (READMEs, schemas): skipped.
    pub unrecognised: Vec<String>,
    /// Files that matched a format but could not be parsed at all.
    pub unreadable: Vec<Malformed>,
    pub malformed: Vec<Malformed>,
}

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Name for the source (default: derived from the path). Only valid
    /// with a single input.
    pub name: Option<String>,
    /// When the data was fetched (default: now).
    pub fetched_at: Option<String>,
}

/// Imports `inputs` into the database at `db`, replacing sources of the
/// same name and keeping the others.
pub fn import(db: &Path, inputs: &[PathBuf], options: &ImportOptions) -> Result<Vec<SourceOutcome>, ImportError> {
    if options.name.is_some() && inputs.len() > 1 {
        return Err(ImportError::Input { path: inputs[0].display().to_string(), reason: "--name needs a single input".into() });
    }
    let mut rebuild = Rebuild::start(db, true)?;
    let now = now_rfc3339();
    let mut outcomes = Vec::new();
    for input in inputs {
        if bundle::is_bundle(input) {
            outcomes.extend(bundle::import_into(&mut rebuild, input)?);
            continue;
        }
        let name = options.name.clone().unwrap_or_else(|| source_name(input));
        let fetched_at = options.fetched_at.clone().unwrap_or_else(|| now.clone());
        let location = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone()).display().to_string();
        let mut outcome = SourceOutcome {
            info: SourceInfo { name: name.clone(), location, fetched_at, ..SourceInfo::default() },
            ..SourceOutcome::default()
        };
        rebuild.clear_source(&name)?;
        let mut kinds = std::collections::BTreeSet::new();
        read_input(input, &mut |batch| store_batch(&mut rebuild, &name, batch, &mut outcome, &mut kinds))?;
        outcome.info.kind = match kinds.len() {
            0 => "empty".into(),
            1 => kinds.into_iter().next().unwrap_or_default(),
            _ => "mixed".into(),
        };
        if outcome.files == 0 {
            return Err(ImportError::Input { path: input.display().to_string(), reason: "no files to import".into() });
        }
        if outcome.info.records() == 0 && outcome.info.dropped == 0 {
            return Err(ImportError::Input {
                path: input.display().to_string(),
                reason: format!(
                    "no advisory records found in {} file(s) (formats read: OSV JSON/YAML, Alpine secdb, CISA KEV, EPSS CSV, NVD API 2.0, drydock bundles)",
                    outcome.files
                ),
            });
        }
        rebuild.put_source(&outcome.info)?;
        outcomes.push(outcome);
    }
    rebuild.commit(&now)?;
    Ok(outcomes)
}

/// Parses and stores one batch of (file name, bytes).
pub(crate) fn store_batch(
    rebuild: &mut Rebuild,
    source: &str,
    batch: Vec<(String, Vec<u8>)>,
    outcome: &mut SourceOutcome,
    kinds: &mut std::collections::BTreeSet<String>,
) -> Result<(), ImportError> {
    let parsed: Vec<(String, Option<Format>, Result<Parsed, String>)> = batch
        .into_par_iter()
        .map(|(name, bytes)| {
            let head = &bytes[..bytes.len().min(64 << 10)];
            match sources::detect(&name, head) {
                Some(format) => {
                    let parsed = sources::parse(format, &name, &bytes);
                    (name, Some(format), parsed)
                }
                None => (name, None, Ok(Parsed::default())),
            }
        })
        .collect();
    for (file, format, result) in parsed {
        outcome.files += 1;
        let Some(format) = format else {
            outcome.unrecognised.push(file);
            continue;
        };
        let parsed = match result {
            Ok(p) => p,
            Err(reason) => {
                outcome.unreadable.push(Malformed { file, record: "-".into(), reason });
                continue;
            }
        };
        kinds.insert(kind_name(format).to_owned());
        let info = &mut outcome.info;
        info.dropped += parsed.dropped.len() as u64;
        if parsed.feed_date.is_some() && parsed.feed_date > info.feed_date {
            info.feed_date = parsed.feed_date.clone();
        }
        info.malformed += parsed.malformed.len() as u64;
        outcome.malformed.extend(parsed.malformed.into_iter().map(|(record, reason)| Malformed { file: file.clone(), record, reason }));
        outcome.records_read += (parsed.advisories.len() + parsed.kev.len() + parsed.epss.len() + parsed.cve_scores.len()) as u64;
        for adv in parsed.advisories {
            if rebuild.put_advisory(source, adv)? {
                info.advisories += 1;
            }
        }
        for k in &parsed.kev {
            rebuild.put_kev(source, k)?;
            info.kev += 1;
        }
        for e in &parsed.epss {
            rebuild.put_epss(source, e)?;
            info.epss += 1;
        }
        for s in &parsed.cve_scores {
            rebuild.put_cve_score(source, s)?;
            info.cve_scores += 1;
        }
    }
    Ok(())
}

/// Receives the files of an input in batches of (name, bytes).
pub(crate) type Sink<'a> = dyn FnMut(Vec<(String, Vec<u8>)>) -> Result<(), ImportError> + 'a;

pub fn kind_name(format: Format) -> &'static str {
    match format {
        Format::OsvJson | Format::OsvYaml => "osv",
        Format::AlpineSecdb => "alpine-secdb",
        Format::Kev => "kev",
        Format::Epss => "epss",
        Format::Nvd => "nvd",
    }
}

/// Streams the files of `input` to `sink` in batches.
pub(crate) fn read_input(input: &Path, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let err = |reason: String| ImportError::Input { path: input.display().to_string(), reason };
    let meta = std::fs::metadata(input).map_err(|e| err(e.to_string()))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(input).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| err(e.to_string()))?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        for chunk in files.chunks(BATCH) {
            let batch: Vec<(String, Vec<u8>)> = chunk
                .par_iter()
                .map(|p| {
                    let name = p.strip_prefix(input).unwrap_or(p).display().to_string();
                    read_capped(p).map(|b| (name, b))
                })
                .collect::<Result<_, _>>()?;
            sink(batch)?;
        }
        return Ok(());
    }
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let mut magic = [0u8; 6];
    let n = File::open(input).and_then(|mut f| read_up_to(&mut f, &mut magic)).map_err(|e| err(e.to_string()))?;
    let magic = &magic[..n];
    if magic.starts_with(b"PK\x03\x04") || magic.starts_with(b"PK\x05\x06") {
        return read_zip(input, sink);
    }
    let is_tar_like = lower.ends_with(".tar")
        || lower.ends_with(".tar.zst")
        || lower.ends_with(".tzst")
        || lower.ends_with(".tar.gz")
        || lower.ends_with(".tgz");
    if is_tar_like {
        let file = BufReader::new(File::open(input).map_err(|e| err(e.to_string()))?);
        let reader: Box<dyn Read> = if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Box::new(zstd::Decoder::with_buffer(file).map_err(|e| err(e.to_string()))?)
        } else if magic.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::bufread::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        return read_tar(input, reader, sink);
    }
    sink(vec![(name, read_capped(input)?)])
}

fn read_zip(input: &Path, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let err = |reason: String| ImportError::Input { path: input.display().to_string(), reason };
    let file = BufReader::new(File::open(input).map_err(|e| err(e.to_string()))?);
    let mut zip = zip::ZipArchive::new(file).map_err(|e| err(format!("not a readable zip archive: {e}")))?;
    let mut batch = Batch::default();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| err(format!("zip entry #{i}: {e}")))?;
        if !entry.is_file() {
            continue;
        }
        let name = entry.name().to_owned();
        if entry.size() > MAX_FILE_BYTES {
            return Err(err(format!("{name}: {} bytes is more than the {MAX_FILE_BYTES}-byte limit for one file", entry.size())));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        // The zip reader checks each entry's CRC-32 at its end: a damaged
        // archive fails here rather than importing half a file.
        entry.by_ref().take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| err(format!("{name}: {e}")))?;
        batch.push((name, bytes), sink)?;
    }
    batch.finish(sink)
}

fn read_tar(input: &Path, reader: Box<dyn Read>, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let err = |reason: String| ImportError::Input { path: input.display().to_string(), reason };
    let mut archive = tar::Archive::new(reader);
    let mut batch = Batch::default();
    for entry in archive.entries().map_err(|e| err(e.to_string()))? {
        let mut entry = entry.map_err(|e| err(format!("damaged tar archive: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path().map(|p| p.display().to_string()).unwrap_or_default();
        let size = entry.size();
        if size > MAX_FILE_BYTES {
            return Err(err(format!("{name}: {size} bytes is more than the {MAX_FILE_BYTES}-byte limit for one file")));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        entry.read_to_end(&mut bytes).map_err(|e| err(format!("{name}: {e}")))?;
        batch.push((name, bytes), sink)?;
    }
    batch.finish(sink)
}

/// Files collected for the sink, handed over every [`BATCH`] files.
#[derive(Default)]
struct Batch(Vec<(String, Vec<u8>)>);

impl Batch {
    fn push(&mut self, file: (String, Vec<u8>), sink: &mut Sink<'_>) -> Result<(), ImportError> {
        self.0.push(file);
        if self.0.len() == BATCH {
            sink(std::mem::take(&mut self.0))?;
        }
        Ok(())
    }

    fn finish(self, sink: &mut Sink<'_>) -> Result<(), ImportError> {
        if self.0.is_empty() { Ok(()) } else { sink(self.0) }
    }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, ImportError> {
    let err = |reason: String| ImportError::Input { path: path.display().to_string(), reason };
    let file = File::open(path).map_err(|e| err(e.to_string()))?;
    let len = file.metadata().map_err(|e| err(e.to_string()))?.len();
    if len > MAX_FILE_BYTES {
        return Err(err(format!("{len} bytes is more than the {MAX_FILE_BYTES}-byte limit for one file")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES).read_to_end(&mut bytes).map_err(|e| err(e.to_string()))?;
    Ok(bytes)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// `osv/rustsec/` -> `rustsec`, `Debian-all.zip` -> `Debian-all`,
/// `kev.json` -> `kev`.
pub fn source_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into());
    let mut stem = name.as_str();
    for ext in [".zst", ".gz", ".tar", ".tgz", ".tzst", ".zip", ".json", ".yaml", ".yml", ".csv"] {
        if stem.to_ascii_lowercase().ends_with(ext) && stem.len() > ext.len() {
            stem = &stem[..stem.len() - ext.len()];
        }
    }
    stem.to_owned()
}

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now().round(jiff::Unit::Second).map(|t| t.to_string()).unwrap_or_else(|_| jiff::Timestamp::now().to_string())
}
