//! ELF helpers shared by the analyzers that read compiled binaries (Go
//! build info, Rust's cargo-auditable `.dep-v0`). The walk reads such a file
//! once and offers the same bytes to both; each parses only the section table.

use crate::analyzer::EntryInfo;
use crate::entry::FileKind;

/// Executables smaller than this are scripts or stubs, never compiled
/// binaries worth reading (the smallest Go binary is over a megabyte).
const MIN_BINARY: u64 = 1024;

/// A regular file with any exec bit, big enough to be a compiled binary.
pub(crate) fn is_executable(entry: &EntryInfo<'_>) -> bool {
    *entry.kind == FileKind::File && entry.mode & 0o111 != 0 && entry.size > MIN_BINARY
}

/// Named sections of an ELF file (`SHT_NOBITS` ones have no data and are
/// left out). Empty when the headers are missing or broken: callers then
/// fall back to what they can do without them.
pub(crate) fn elf_sections(content: &[u8]) -> Vec<(&[u8], &[u8])> {
    use goblin::container::Ctx;
    use goblin::elf::{Elf, SectionHeader, section_header::SHT_NOBITS};
    // Header and section table only: a full `Elf::parse` also reads symbol
    // tables and relocations, which we don't need and which are the bulk of
    // a large binary.
    let Ok(header) = Elf::parse_header(content) else { return Vec::new() };
    let (Ok(container), Ok(endian)) = (header.container(), header.endianness()) else { return Vec::new() };
    let ctx = Ctx::new(container, endian);
    let Ok(shoff) = usize::try_from(header.e_shoff) else { return Vec::new() };
    let count = usize::from(header.e_shnum);
    if shoff == 0
        || count == 0
        || shoff.checked_add(count.saturating_mul(usize::from(header.e_shentsize))).is_none_or(|end| end > content.len())
    {
        return Vec::new();
    }
    let Ok(shdrs) = SectionHeader::parse(content, shoff, count, ctx) else { return Vec::new() };
    let data = |sh: &SectionHeader| -> Option<&[u8]> {
        let start = usize::try_from(sh.sh_offset).ok()?;
        let len = usize::try_from(sh.sh_size).ok()?;
        content.get(start..start.checked_add(len)?)
    };
    let Some(strtab) = shdrs.get(usize::from(header.e_shstrndx)).and_then(data) else { return Vec::new() };
    shdrs
        .iter()
        .filter(|sh| sh.sh_type != SHT_NOBITS)
        .filter_map(|sh| {
            let name = strtab.get(sh.sh_name..)?;
            let name = &name[..name.iter().position(|&b| b == 0)?];
            Some((name, data(sh)?))
        })
        .collect()
}
