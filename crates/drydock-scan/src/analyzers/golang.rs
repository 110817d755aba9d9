//! Go binaries: the build information the Go linker embeds in every
//! executable since Go 1.13 (what `go version -m <binary>` prints).
//!
//! The blob starts with the 14-byte magic `\xff Go buildinf:`, in the
//! `.go.buildinfo` ELF section (or, when section headers were stripped,
//! somewhere in the data, 16-byte aligned). Go 1.18+ writes the version
//! and module info inline after a 32-byte header as varint-prefixed strings
//! (flag bit 2); older linkers wrote pointers into the data segment, which
//! this analyzer reports as unsupported rather than guessing. The module
//! info is text, one tab-separated line per record:
//!
//! ```text
//! path  example.com/hello
//! mod   example.com/hello  (devel)
//! dep   example.com/quote  v1.5.2  h1:…
//! =>    example.com/fork   v1.5.3  h1:…     (replaces the line above)
//! build GOOS=linux
//! ```
//!
//! Emitted: the main module, each dependency and `stdlib` at the toolchain
//! version (`go1.22.5` -> `1.22.5`), the name advisories for the standard
//! library use. Go module paths go whole into `name` (no namespace).

use drydock_core::package::{Ecosystem, PackageRecord};

use super::elf::{elf_sections, is_executable};
use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct GoBinaryAnalyzer;

impl Analyzer for GoBinaryAnalyzer {
    fn name(&self) -> &'static str {
        "golang"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        is_executable(entry)
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(match parse(content)? {
            Some(records) => vec![FactKind::Packages(Ecosystem::Golang, records)],
            None => vec![],
        })
    }
}

const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
/// Header: magic, pointer size, flags, then two pointers (old format) or
/// padding (inline format).
const HEADER_LEN: usize = 32;
const FLAG_INLINE: u8 = 0x2;
/// A Go version plus a module list fits in far less; a claimed length
/// above this is garbage.
const MAX_STRING: u64 = 16 << 20;

/// Parses the Go build info of an ELF file. `Ok(None)` when the file is
/// not an ELF or not a Go binary; `Err` when it is a Go binary whose build
/// info can't be read.
pub fn parse(content: &[u8]) -> Result<Option<Vec<PackageRecord>>, String> {
    Ok(build_info(content)?.map(|(go_version, modinfo)| records(&go_version, &modinfo)))
}

/// The Go version (`go1.22.5 X:boringcrypto`) and the module-info text
/// (`path`, `mod`, `dep`, `=>` and `build` lines) of a Go ELF binary, with
/// the same `Ok(None)` / `Err` meaning as [`parse`].
pub fn build_info(content: &[u8]) -> Result<Option<(String, String)>, String> {
    if !content.starts_with(b"\x7fELF") {
        return Ok(None);
    }
    let sections = elf_sections(content);
    let blob = match sections.iter().find(|(name, _)| *name == b".go.buildinfo") {
        Some((_, data)) => Some(*data),
        // Section headers stripped (sstrip, some packers): search the file
        // for the magic where the linker puts it, at 16-byte alignment.
        // The string can also appear as an ordinary constant (the `go`
        // tool contains it), so the header's flags are checked too. Only
        // then: scanning every C binary of an image would cost a full pass
        // over its bytes for nothing.
        None if sections.is_empty() => find_aligned_magic(content),
        None => None,
    };
    let Some(blob) = blob else {
        // Go binaries always have these; other ELF files (C, Rust) don't.
        if sections.iter().any(|(name, _)| *name == b".gopclntab" || *name == b".note.go.buildid") {
            return Err("Go binary without readable build info".into());
        }
        return Ok(None);
    };
    read_blob(blob).map(Some)
}

fn find_aligned_magic(content: &[u8]) -> Option<&[u8]> {
    let mut off = 0;
    while off + HEADER_LEN <= content.len() {
        let here = &content[off..];
        if here.starts_with(MAGIC) && matches!(here[14], 4 | 8) && here[15] & !0x3 == 0 {
            return Some(here);
        }
        off += 16;
    }
    None
}

/// The Go version and the module-info text from the blob at the magic.
fn read_blob(blob: &[u8]) -> Result<(String, String), String> {
    if blob.len() < HEADER_LEN || !blob.starts_with(MAGIC) {
        return Err("Go binary without readable build info: `.go.buildinfo` is too short or lacks the magic".into());
    }
    let flags = blob[15];
    if flags & FLAG_INLINE == 0 {
        return Err("Go binary built before Go 1.18 (pointer-based build info): unsupported".into());
    }
    let mut rest = &blob[HEADER_LEN..];
    let version = read_string(&mut rest).ok_or("Go binary without readable build info: bad Go version string")?;
    let modinfo = read_string(&mut rest).ok_or("Go binary without readable build info: bad module info string")?;
    let version = String::from_utf8_lossy(version).into_owned();
    if !version.starts_with("go") && !version.starts_with("devel") {
        return Err(format!("Go binary without readable build info: `{}` is not a Go version", version.escape_debug()));
    }
    // The linker wraps the module info in two 16-byte sentinels so it can be
    // found in memory; the text between them ends with a newline.
    let modinfo = if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' { &modinfo[16..modinfo.len() - 16] } else { modinfo };
    Ok((version, String::from_utf8_lossy(modinfo).into_owned()))
}

/// A uvarint length, then that many bytes; advances `rest`.
fn read_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let mut len: u64 = 0;
    let mut shift = 0;
    let mut used = 0;
    loop {
        let b = *rest.get(used)?;
        used += 1;
        len |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 35 {
            return None;
        }
    }
    if len > MAX_STRING {
        return None;
    }
    let len = usize::try_from(len).ok()?;
    let s = rest.get(used..used.checked_add(len)?)?;
    *rest = &rest[used + len..];
    Some(s)
}

/// One `mod`/`dep` line (possibly replaced by the `=>` line after it).
struct Module<'a> {
    path: &'a str,
    version: &'a str,
}

fn records(go_version: &str, modinfo: &str) -> Vec<PackageRecord> {
    let mut modules: Vec<Module<'_>> = Vec::new();
    for line in modinfo.lines() {
        let mut fields = line.split('\t');
        let kind = fields.next().unwrap_or("");
        let path = fields.next().unwrap_or("").trim();
        let version = fields.next().unwrap_or("").trim();
        match kind {
            "mod" | "dep" if !path.is_empty() => modules.push(Module { path, version }),
            "=>" => {
                let Some(last) = modules.last_mut() else { continue };
                if path.starts_with('.') || path.starts_with('/') {
                    // A local directory: still the required module (what
                    // advisories are about), but not its released code,
                    // so the replacement's version (`(devel)`) it is.
                    last.version = version;
                } else if !path.is_empty() {
                    *last = Module { path, version };
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<PackageRecord> = modules
        .into_iter()
        .map(|m| PackageRecord { name: m.path.to_owned(), version: m.version.to_owned(), ..Default::default() })
        .collect();
    // `go1.22.5 X:boringcrypto` -> `1.22.5`; a `devel` toolchain is kept as is.
    let toolchain = go_version.split_whitespace().next().unwrap_or(go_version);
    let stdlib = toolchain.strip_prefix("go").unwrap_or(toolchain);
    out.push(PackageRecord { name: "stdlib".into(), version: stdlib.to_owned(), ..Default::default() });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::FileKind;

    fn hello() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golang/hello");
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn brief(rs: &[PackageRecord]) -> Vec<(&str, &str)> {
        rs.iter().map(|r| (r.name.as_str(), r.version.as_str())).collect()
    }

    #[test]
    fn reads_a_real_go_1_19_binary() {
        let rs = parse(&hello()).unwrap().unwrap();
        assert_eq!(
            brief(&rs),
            vec![("example.com/hello", "(devel)"), ("example.com/greet", "(devel)"), ("example.com/quote", "v1.5.2"), ("stdlib", "1.19.8")]
        );
        assert!(rs.iter().all(|r| r.namespace.is_none()));
    }

    #[test]
    fn finds_the_blob_without_section_headers() {
        // What sstrip does: the section table is gone, the data stays.
        let mut bin = hello();
        let shoff = 0x28; // e_shoff in an ELF64 header
        bin[shoff..shoff + 8].fill(0);
        let rs = parse(&bin).unwrap().unwrap();
        assert_eq!(rs.last().map(|r| r.version.as_str()), Some("1.19.8"));
    }

    #[test]
    fn replacements_by_module_and_by_directory() {
        let info = "path\tex.com/a\nmod\tex.com/a\tv0.1.0\t\ndep\tex.com/b\tv1.0.0\th1:x\n=>\tex.com/fork\tv1.0.1\th1:y\ndep\tex.com/c\tv2.0.0\n=>\t../c\t(devel)\t\n\n";
        assert_eq!(
            brief(&records("go1.22.5 X:boringcrypto", info)),
            vec![("ex.com/a", "v0.1.0"), ("ex.com/fork", "v1.0.1"), ("ex.com/c", "(devel)"), ("stdlib", "1.22.5")]
        );
    }

    #[test]
    fn garbled_build_info_is_an_error_and_other_elf_is_nothing() {
        let bin = hello();
        let at = bin.windows(MAGIC.len()).position(|w| w == MAGIC).unwrap();
        // The version string's length claims more than the file holds.
        let mut bad = bin.clone();
        bad[at + HEADER_LEN..at + HEADER_LEN + 5].fill(0xff);
        assert!(parse(&bad).unwrap_err().contains("without readable build info"));
        // Pre-1.18 layout.
        let mut old = bin.clone();
        old[at + 15] = 0;
        assert!(parse(&old).unwrap_err().contains("unsupported"));
        // Magic gone entirely: still a Go binary by its sections.
        let mut gone = bin.clone();
        gone[at..at + MAGIC.len()].fill(0);
        assert!(parse(&gone).unwrap_err().contains("without readable build info"));
        // Not ELF, truncated ELF, a non-Go ELF (this test binary itself).
        assert_eq!(parse(b"#!/bin/sh\necho hi\n").unwrap(), None);
        for cut in [4, 64, 1000, bin.len() / 2] {
            let _ = parse(&bin[..cut]);
        }
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        assert_eq!(parse(&me).unwrap(), None);
    }

    #[test]
    fn wants_executables_only() {
        let w = |mode: u32, size: u64| GoBinaryAnalyzer.wants(&EntryInfo { path: "usr/bin/x", kind: &FileKind::File, size, mode });
        assert!(w(0o755, 2_000_000));
        assert!(w(0o700, 2_000_000));
        assert!(!w(0o644, 2_000_000));
        assert!(!w(0o755, 512));
    }
}
