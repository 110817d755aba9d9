//! Rust crates: what a binary was built from, and what a project pinned.
//!
//! - Binaries built with `cargo auditable`: the ELF section `.dep-v0` holds
//!   the zlib-compressed JSON dependency tree (`auditable-serde`'s
//!   `VersionInfo`). Every package in it is emitted, the root crate too.
//!   Executables without the section (plain `cargo build`, C programs) are
//!   quietly nothing: Rust binaries carry no other reliable record.
//! - `Cargo.lock` (any lockfile version): every `[[package]]` with a name
//!   and a version, path and workspace members included (they are code in
//!   the image, even if no advisory will name them).

use drydock_core::package::{Ecosystem, PackageRecord};
use serde::Deserialize;

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

use super::elf::{elf_sections, is_executable};

pub struct RustAnalyzer;

impl Analyzer for RustAnalyzer {
    fn name(&self) -> &'static str {
        "rust"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        // Executables: the Go analyzer wants the same files; the walk reads
        // each once and offers it to both.
        is_lockfile(entry.path) && *entry.kind == FileKind::File || is_executable(entry)
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let records = if is_lockfile(entry.path) {
            parse_cargo_lock(content)?
        } else {
            match parse_binary(content)? {
                Some(records) => records,
                None => return Ok(vec![]),
            }
        };
        Ok(vec![FactKind::Packages(Ecosystem::Cargo, records)])
    }
}

fn is_lockfile(path: &str) -> bool {
    path == "Cargo.lock" || path.ends_with("/Cargo.lock")
}

/// cargo-auditable caps its own data far below this; anything bigger is a
/// zlib bomb.
const MAX_DEP_INFO: usize = 8 << 20;

/// Reads the `.dep-v0` section of an ELF file. `Ok(None)` when the file is
/// not an ELF or has no such section.
pub fn parse_binary(content: &[u8]) -> Result<Option<Vec<PackageRecord>>, String> {
    if !content.starts_with(b"\x7fELF") {
        return Ok(None);
    }
    let sections = elf_sections(content);
    let Some((_, compressed)) = sections.iter().find(|(name, _)| *name == b".dep-v0") else { return Ok(None) };
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, MAX_DEP_INFO)
        .map_err(|e| format!("cargo-auditable section `.dep-v0` does not decompress: {e}"))?;
    let info: auditable_serde::VersionInfo =
        serde_json::from_slice(&json).map_err(|e| format!("cargo-auditable section `.dep-v0` is not a valid dependency list: {e}"))?;
    Ok(Some(
        info.packages.into_iter().map(|p| PackageRecord { name: p.name, version: p.version.to_string(), ..Default::default() }).collect(),
    ))
}

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    // Optional so one odd entry doesn't discard the whole file.
    version: Option<String>,
}

/// Parses a `Cargo.lock`.
pub fn parse_cargo_lock(content: &[u8]) -> Result<Vec<PackageRecord>, String> {
    let text = std::str::from_utf8(content).map_err(|e| format!("Cargo.lock is not UTF-8: {e}"))?;
    let lock: Lockfile = toml::from_str(text).map_err(|e| format!("Cargo.lock is not a valid lockfile: {}", e.message()))?;
    Ok(lock
        .package
        .into_iter()
        .filter_map(|p| {
            let version = p.version.filter(|v| !v.is_empty())?;
            Some(PackageRecord { name: p.name, version, ..Default::default() })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/rust/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn brief(rs: &[PackageRecord]) -> Vec<(&str, &str)> {
        rs.iter().map(|r| (r.name.as_str(), r.version.as_str())).collect()
    }

    const EXPECTED: [(&str, &str); 3] = [("itoa", "1.0.11"), ("rshello", "0.1.0"), ("semver", "1.0.23")];

    #[test]
    fn reads_a_real_cargo_auditable_binary() {
        let rs = parse_binary(&data("rshello")).unwrap().unwrap();
        assert_eq!(brief(&rs), EXPECTED);
    }

    #[test]
    fn reads_the_real_lockfile_it_was_built_from() {
        let rs = parse_cargo_lock(&data("Cargo.lock")).unwrap();
        assert_eq!(brief(&rs), EXPECTED);
    }

    #[test]
    fn other_binaries_are_nothing_and_damaged_sections_are_errors() {
        // This test binary: an ELF without `.dep-v0`.
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        assert_eq!(parse_binary(&me).unwrap(), None);
        assert_eq!(parse_binary(b"\x7fELF garbage").unwrap(), None);
        assert_eq!(parse_binary(b"MZ").unwrap(), None);
        let bin = data("rshello");
        let sections = elf_sections(&bin);
        let (_, dep) = sections.iter().find(|(n, _)| *n == b".dep-v0").unwrap();
        let at = dep.as_ptr() as usize - bin.as_ptr() as usize;
        let mut broken = bin.clone();
        broken[at + dep.len() / 2..at + dep.len()].fill(0);
        assert!(parse_binary(&broken).unwrap_err().contains("`.dep-v0`"));
        for cut in [4, 64, 4096, bin.len() / 2] {
            let _ = parse_binary(&bin[..cut]);
        }
    }

    #[test]
    fn malformed_lockfiles_are_errors_not_panics() {
        assert!(parse_cargo_lock(b"[[package]\nname=").is_err());
        assert!(parse_cargo_lock(b"package = 3").is_err());
        assert!(parse_cargo_lock(&[0xff, 0xfe]).is_err());
        assert!(parse_cargo_lock(b"").unwrap().is_empty());
        assert_eq!(parse_cargo_lock(b"[[package]]\nname = \"a\"\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n").unwrap().len(), 1);
        let real = data("Cargo.lock");
        for cut in [10, 100, 200] {
            let _ = parse_cargo_lock(&real[..cut]);
        }
    }

    #[test]
    fn wants_lockfiles_and_executables() {
        let w = |path: &str, mode: u32, size: u64| RustAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size, mode });
        assert!(w("src/app/Cargo.lock", 0o644, 100));
        assert!(w("Cargo.lock", 0o644, 100));
        assert!(w("usr/local/bin/app", 0o755, 300_000));
        assert!(!w("src/app/Cargo.toml", 0o644, 100));
        assert!(!w("src/app/NotCargo.lock.bak", 0o644, 100));
    }
}
