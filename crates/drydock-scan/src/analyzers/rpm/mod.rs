//! rpm databases: the packages installed on Red Hat, Fedora, SUSE, Amazon
//! Linux and CBL-Mariner images.
//!
//! rpm has kept three on-disk formats, and images in the wild carry all of
//! them; which one a file is comes from its magic, not its name (the names
//! differ by one suffix, and a database converted with `rpmdb --rebuilddb`
//! or copied between images need not keep the name that matches it):
//!
//! | format | file | module |
//! |---|---|---|
//! | SQLite | `rpmdb.sqlite` | [`sqlite`] |
//! | Berkeley DB hash | `Packages` | [`bdb`] |
//! | NDB | `Packages.db` | [`ndb`] |
//!
//! Each stores one rpm header image per package ([`header`]); this module
//! turns those into [`PackageRecord`]s.
//!
//! ```
//! use drydock_scan::analyzers::rpm::parse_database;
//! // Not an rpm database of any kind: an error that says so.
//! assert!(parse_database(b"hello").is_err());
//! ```

mod bdb;
mod header;
mod ndb;
mod sqlite;

use drydock_core::package::{Ecosystem, PackageRecord};
use thiserror::Error;

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;
use header::Header;

pub use header::HeaderError;

/// Directories rpm keeps its database in: the classic one, the
/// `/usr`-merged one (Fedora ≥ 36, SUSE) and the one some image builders
/// use (rpm-ostree).
const DIRS: [&str; 3] = ["var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"];
const FILES: [&str; 3] = ["Packages", "Packages.db", "rpmdb.sqlite"];

/// Why a database yielded no packages at all.
#[derive(Debug, Error)]
pub enum RpmDbError {
    #[error("not an rpm database (no SQLite, Berkeley DB hash or NDB magic)")]
    UnknownFormat,
    #[error("{format} rpm database is unreadable: {reason}")]
    Unreadable { format: &'static str, reason: String },
    #[error("{format} rpm database: none of its {bad} package headers could be read (first problem: {first})")]
    NoReadableHeaders { format: &'static str, bad: usize, first: String },
}

/// What a container format reports besides the blobs it hands over: how
/// many entries it had to skip, and the first reason, for the error message.
#[derive(Debug, Default)]
pub(crate) struct Source {
    skipped: usize,
    first_problem: Option<String>,
    /// Blob bytes the reader may still hand over. Every blob is stored once
    /// in the file, so together they cannot outgrow it; more means entries
    /// point at the same bytes (a hostile file), and refusing them keeps
    /// the work linear in the input size.
    left: usize,
}

impl Source {
    pub(crate) fn new(file_len: usize) -> Self {
        Source { left: file_len, ..Default::default() }
    }
    /// Takes `n` bytes from the budget, or notes why not.
    fn allow(&mut self, n: usize) -> bool {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.note("package entries overlap: more blob bytes than the file holds".into());
                false
            }
        }
    }
    fn note(&mut self, problem: String) {
        self.skipped += 1;
        self.first_problem.get_or_insert(problem);
    }
}

/// A container format's reader: hands each package blob to the callback.
type ReadFn = fn(&[u8], &mut dyn FnMut(&[u8])) -> Result<Source, String>;

pub struct RpmAnalyzer;

impl Analyzer for RpmAnalyzer {
    fn name(&self) -> &'static str {
        "rpm"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && DIRS.iter().any(|d| entry.path.strip_prefix(d).is_some_and(|f| FILES.contains(&f)))
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let (records, skipped) = parse_with_skips(content).map_err(|e| e.to_string())?;
        let mut facts = Vec::new();
        if let Some((count, first)) = skipped {
            facts.push(FactKind::Warning(format!("{count} damaged package entries skipped (first: {first}); the rest were read")));
        }
        facts.push(FactKind::Packages(Ecosystem::Rpm, records));
        Ok(facts)
    }
}

/// Reads every package from an rpm database in any of the three formats.
///
/// A damaged package (bad page, bad header) is skipped and the rest are
/// returned; an error means nothing at all could be read. `gpg-pubkey`
/// entries (imported signing keys, which `rpm -qa` lists but which are not
/// software) are left out.
pub fn parse_database(bytes: &[u8]) -> Result<Vec<PackageRecord>, RpmDbError> {
    parse_with_skips(bytes).map(|(records, _)| records)
}

/// How many entries were skipped, and the first problem met.
type Skipped = (usize, String);

/// [`parse_database`], also saying how many entries were skipped and why
/// (the first problem), when any were.
fn parse_with_skips(bytes: &[u8]) -> Result<(Vec<PackageRecord>, Option<Skipped>), RpmDbError> {
    let (format, read): (&'static str, ReadFn) = if sqlite::is_sqlite(bytes) {
        ("SQLite", sqlite::read)
    } else if ndb::is_ndb(bytes) {
        ("NDB", ndb::read)
    } else if bdb::is_bdb(bytes) {
        ("Berkeley DB", bdb::read)
    } else {
        return Err(RpmDbError::UnknownFormat);
    };
    let mut records = Vec::new();
    let mut bad_headers = Source::default();
    // File paths are the only output that can grow faster than the input
    // (a directory name is repeated for each of its files); real databases
    // expand a few times at most, so past this budget file lists are cut.
    let mut path_budget = bytes.len().saturating_mul(16).max(1 << 20);
    let src = read(bytes, &mut |blob| match record(blob, &mut path_budget) {
        Ok(Some(r)) => records.push(r),
        Ok(None) => {}
        Err(e) => bad_headers.note(e.to_string()),
    })
    .map_err(|reason| RpmDbError::Unreadable { format, reason })?;
    if records.is_empty() && src.skipped + bad_headers.skipped > 0 {
        let first = src.first_problem.or(bad_headers.first_problem).unwrap_or_else(|| "unreadable entry".into());
        return Err(RpmDbError::NoReadableHeaders { format, bad: src.skipped + bad_headers.skipped, first });
    }
    let skipped = src.skipped + bad_headers.skipped;
    let first = src.first_problem.or(bad_headers.first_problem);
    Ok((records, first.filter(|_| skipped > 0).map(|f| (skipped, f))))
}

/// One header blob as a record; `Ok(None)` for `gpg-pubkey`.
fn record(blob: &[u8], path_budget: &mut usize) -> Result<Option<PackageRecord>, HeaderError> {
    let h = header::parse(blob)?;
    // An empty name or version is as useless to the matcher as a missing one.
    let Some(name) = h.string(header::NAME)?.filter(|n| !n.is_empty()) else { return missing("NAME") };
    if name == "gpg-pubkey" {
        return Ok(None);
    }
    let version = h.string(header::VERSION)?.filter(|v| !v.is_empty()).map_or_else(|| missing("VERSION"), Ok)?;
    let release = h.string(header::RELEASE)?.map_or_else(|| missing("RELEASE"), Ok)?;
    let epoch = h.int32_array(header::EPOCH)?.first().copied();
    // rpm prints the epoch whenever the tag is present, even when it is 0.
    let full = match epoch {
        Some(e) => format!("{e}:{version}-{release}"),
        None => format!("{version}-{release}"),
    };
    let (source_name, source_version) = match h.string(header::SOURCERPM)?.as_deref().and_then(split_source_rpm) {
        Some((n, v)) => (Some(n), Some(v)),
        None => (None, None),
    };
    Ok(Some(PackageRecord {
        name,
        version: full,
        arch: h.string(header::ARCH)?,
        source_name,
        source_version,
        epoch,
        vendor: h.string(header::VENDOR)?,
        modularity_label: h.string(header::MODULARITYLABEL)?.filter(|l| !l.is_empty()),
        licenses: h.string(header::LICENSE)?.into_iter().collect(),
        files: files(&h, path_budget)?,
        ..Default::default()
    }))
}

fn missing<T>(tag: &'static str) -> Result<T, HeaderError> {
    Err(HeaderError::MissingTag(tag))
}

/// `name-version-release.src.rpm` → (`name`, `version-release`). Names may
/// contain dashes; version and release may not, so split from the right.
fn split_source_rpm(srpm: &str) -> Option<(String, String)> {
    let stem = srpm.strip_suffix(".rpm")?;
    let stem = stem.strip_suffix(".src").or_else(|| stem.strip_suffix(".nosrc")).unwrap_or(stem);
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some((name.to_owned(), format!("{version}-{release}")))
}

/// The files a package owns, image-root-relative. Modern headers split
/// paths into DIRNAMES + BASENAMES + DIRINDEXES; headers from rpm < 4.0
/// have OLDFILENAMES instead. A file whose directory index is out of range
/// is dropped, not the package.
fn files(h: &Header<'_>, budget: &mut usize) -> Result<Vec<String>, HeaderError> {
    let base = h.string_array(header::BASENAMES)?;
    if base.is_empty() {
        let old = h.string_array(header::OLDFILENAMES)?;
        return Ok(old.into_iter().map(|p| p.trim_start_matches('/').to_owned()).take_while(|p| spend(budget, p.len())).collect());
    }
    let dirs = h.string_array(header::DIRNAMES)?;
    let idx = h.int32_array(header::DIRINDEXES)?;
    let mut out = Vec::with_capacity(base.len().min(idx.len()));
    for (b, &i) in base.iter().zip(&idx) {
        let Some(d) = dirs.get(i as usize) else { continue };
        if !spend(budget, d.len() + b.len()) {
            break;
        }
        let d = d.trim_start_matches('/');
        out.push(format!("{d}{b}"));
    }
    Ok(out)
}

fn spend(budget: &mut usize, n: usize) -> bool {
    match budget.checked_sub(n) {
        Some(left) => {
            *budget = left;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::header::tests::{build, s};
    use super::*;

    fn info(path: &str) -> bool {
        RpmAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size: 1, mode: 0o644 })
    }

    #[test]
    fn wants_the_three_files_in_the_three_directories_only() {
        for d in DIRS {
            for f in FILES {
                assert!(info(&format!("{d}{f}")), "{d}{f}");
            }
        }
        for p in ["var/lib/rpm/Name", "var/lib/rpm/rpmdb.sqlite-wal", "x/var/lib/rpm/Packages", "/var/lib/rpm/Packages", "var/lib/rpm"] {
            assert!(!info(p), "{p}");
        }
    }

    #[test]
    fn source_rpm_names_split_from_the_right() {
        assert_eq!(split_source_rpm("util-linux-2.32.1-42.el8_8.src.rpm"), Some(("util-linux".to_owned(), "2.32.1-42.el8_8".to_owned())));
        assert_eq!(split_source_rpm("foo-1-2.nosrc.rpm"), Some(("foo".into(), "1-2".into())));
        assert_eq!(split_source_rpm("nodashes.src.rpm"), None);
        assert_eq!(split_source_rpm("(none)"), None);
    }

    fn pkg(name: &str, epoch: Option<u32>) -> Vec<u8> {
        let mut e = vec![
            (header::NAME, 6, 1, s(name)),
            (header::VERSION, 6, 1, s("1.0")),
            (header::RELEASE, 6, 1, s("3.el9")),
            (header::ARCH, 6, 1, s("x86_64")),
            (header::SOURCERPM, 6, 1, s("src-pkg-1.0-3.el9.src.rpm")),
            (header::LICENSE, 6, 1, s("MIT AND BSD-3-Clause")),
            (header::BASENAMES, 8, 3, [s("ls"), s("cp"), s("passwd")].concat()),
            (header::DIRNAMES, 8, 2, [s("/usr/bin/"), s("/etc/")].concat()),
            (header::DIRINDEXES, 4, 3, [0u32, 0, 1].iter().flat_map(|v| v.to_be_bytes()).collect()),
        ];
        if let Some(ep) = epoch {
            e.push((header::EPOCH, 4, 1, ep.to_be_bytes().to_vec()));
        }
        build(&e, true)
    }

    #[test]
    fn records_carry_epoch_source_license_and_files() {
        let mut budget = usize::MAX;
        let r = record(&pkg("coreutils", Some(1)), &mut budget).unwrap().unwrap();
        assert_eq!(r.name, "coreutils");
        assert_eq!(r.version, "1:1.0-3.el9");
        assert_eq!(r.epoch, Some(1));
        assert_eq!(r.arch.as_deref(), Some("x86_64"));
        assert_eq!((r.source_name.as_deref(), r.source_version.as_deref()), (Some("src-pkg"), Some("1.0-3.el9")));
        assert_eq!(r.licenses, vec!["MIT AND BSD-3-Clause"]);
        assert_eq!(r.files, vec!["usr/bin/ls", "usr/bin/cp", "etc/passwd"]);
        let r = record(&pkg("bash", None), &mut budget).unwrap().unwrap();
        assert_eq!((r.version.as_str(), r.epoch), ("1.0-3.el9", None));
        assert_eq!(record(&pkg("gpg-pubkey", None), &mut budget).unwrap(), None);
    }

    #[test]
    fn file_lists_stop_at_the_budget() {
        let mut budget = 12;
        let r = record(&pkg("coreutils", None), &mut budget).unwrap().unwrap();
        assert_eq!(r.files, vec!["usr/bin/ls"]);
    }

    #[test]
    fn headers_without_name_or_version_are_errors() {
        let blob = build(&[(header::VERSION, 6, 1, s("1"))], true);
        assert_eq!(record(&blob, &mut 0).unwrap_err(), HeaderError::MissingTag("NAME"));
        // Found by the fuzzer: an empty NAME string.
        let blob = build(&[(header::NAME, 6, 1, s("")), (header::VERSION, 6, 1, s("1"))], true);
        assert_eq!(record(&blob, &mut 0).unwrap_err(), HeaderError::MissingTag("NAME"));
    }

    #[test]
    fn unknown_and_empty_inputs_are_errors_not_panics() {
        assert!(matches!(parse_database(b""), Err(RpmDbError::UnknownFormat)));
        assert!(parse_database(b"SQLite format 3\0").is_err());
        assert!(parse_database(b"RpmP").is_err());
    }
}
