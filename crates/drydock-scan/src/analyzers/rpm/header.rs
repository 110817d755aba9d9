//! The rpm "header image": how every rpm database stores one package.
//!
//! Layout (all integers big-endian, rpm's `lib/header.c`):
//! ```text
//! il: u32  number of index entries
//! dl: u32  length of the data store
//! il × { tag: u32, type: u32, offset: u32, count: u32 }
//! dl bytes of data store; each entry's offset is relative to its start
//! ```
//! Installed headers start with a region entry (tag 61, 62 or 63) whose
//! offset points at a 16-byte trailer inside the data store; entries after
//! the region ("dribble" entries) were added by rpm at install time and win
//! over earlier entries with the same tag, which is why lookups take the
//! last occurrence.
//!
//! Every offset and count is checked against the data store before it is
//! used, and every allocation is bounded by the blob's length, so a hostile
//! header costs at most a few passes over its own bytes.

use thiserror::Error;

pub(crate) const NAME: u32 = 1000;
pub(crate) const VERSION: u32 = 1001;
pub(crate) const RELEASE: u32 = 1002;
pub(crate) const EPOCH: u32 = 1003;
pub(crate) const VENDOR: u32 = 1011;
pub(crate) const LICENSE: u32 = 1014;
pub(crate) const ARCH: u32 = 1022;
pub(crate) const OLDFILENAMES: u32 = 1027;
pub(crate) const SOURCERPM: u32 = 1044;
pub(crate) const DIRINDEXES: u32 = 1116;
pub(crate) const BASENAMES: u32 = 1117;
pub(crate) const DIRNAMES: u32 = 1118;
pub(crate) const MODULARITYLABEL: u32 = 5096;

/// The tags drydock reads; everything else is skipped while indexing.
const WANTED: [u32; 13] =
    [NAME, VERSION, RELEASE, EPOCH, VENDOR, LICENSE, ARCH, OLDFILENAMES, SOURCERPM, DIRINDEXES, BASENAMES, DIRNAMES, MODULARITYLABEL];

/// Region tags: HEADERSIGNATURES, HEADERIMMUTABLE, HEADERIMAGE (62, 63, 61).
const REGION_TAGS: [u32; 3] = [61, 62, 63];

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_BIN: u32 = 7;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// rpm refuses headers with more than 0xffff index entries or a data store
/// of 256 MiB or more (`hdrchkTags`, `hdrchkData`); so do we.
const MAX_INDEX_ENTRIES: usize = 0xffff;
const MAX_DATA_LEN: usize = 0x0fff_ffff;

const INDEX_ENTRY_LEN: usize = 16;

/// Why one header blob could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error("header blob is {0} bytes, shorter than its 8-byte preamble")]
    TooShort(usize),
    #[error("header declares {il} index entries and {dl} data bytes, which does not fit in its {len} bytes")]
    BadSize { il: usize, dl: usize, len: usize },
    #[error("header has a malformed region entry (tag {0})")]
    BadRegion(u32),
    #[error("header has no {0} tag")]
    MissingTag(&'static str),
    #[error("tag {tag}: type {typ} is not the expected type")]
    BadType { tag: u32, typ: u32 },
    #[error("tag {tag}: offset {offset} / count {count} runs past the {dl}-byte data store")]
    OutOfBounds { tag: u32, offset: usize, count: u32, dl: usize },
}

/// One index entry we care about.
#[derive(Clone, Copy, Debug)]
struct Entry {
    tag: u32,
    typ: u32,
    offset: usize,
    count: u32,
}

/// A validated header: its data store and the index entries drydock reads.
#[derive(Debug)]
pub(crate) struct Header<'a> {
    data: &'a [u8],
    entries: Vec<Entry>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Checks the preamble, the index and the region trailer, and keeps the
/// entries for [`WANTED`] tags. Trailing bytes after the data store are
/// ignored (NDB pads blobs).
pub(crate) fn parse(blob: &[u8]) -> Result<Header<'_>, HeaderError> {
    let (Some(il), Some(dl)) = (be32(blob, 0), be32(blob, 4)) else { return Err(HeaderError::TooShort(blob.len())) };
    let (il, dl) = (il as usize, dl as usize);
    let bad_size = HeaderError::BadSize { il, dl, len: blob.len() };
    if il == 0 || il > MAX_INDEX_ENTRIES || dl > MAX_DATA_LEN {
        return Err(bad_size);
    }
    // il ≤ 0xffff and dl < 2^28, so this cannot overflow even on 32-bit.
    let data_start = 8 + il * INDEX_ENTRY_LEN;
    let Some(data) = blob.get(data_start..data_start + dl) else { return Err(bad_size) };
    let index = &blob[8..data_start];

    let mut entries = Vec::new();
    for (i, raw) in index.chunks_exact(INDEX_ENTRY_LEN).enumerate() {
        let field = |k: usize| u32::from_be_bytes([raw[k], raw[k + 1], raw[k + 2], raw[k + 3]]);
        let e = Entry { tag: field(0), typ: field(4), offset: field(8) as usize, count: field(12) };
        if i == 0 && REGION_TAGS.contains(&e.tag) {
            check_region(&e, data, il)?;
        } else if WANTED.contains(&e.tag) {
            entries.push(e);
        }
    }
    Ok(Header { data, entries })
}

/// The region entry's offset points at a trailer (another index entry, in
/// the data store) whose negated offset is the region's index size. rpm
/// rejects headers where either is inconsistent; a header that fails here
/// is damaged, not merely unusual.
fn check_region(e: &Entry, data: &[u8], il: usize) -> Result<(), HeaderError> {
    let bad = || HeaderError::BadRegion(e.tag);
    if e.typ != TYPE_BIN || e.count != INDEX_ENTRY_LEN as u32 {
        return Err(bad());
    }
    let trailer = data.get(e.offset..e.offset.checked_add(INDEX_ENTRY_LEN).ok_or_else(bad)?).ok_or_else(bad)?;
    let region_bytes = be32(trailer, 8).ok_or_else(bad)?.wrapping_neg() as usize;
    if !region_bytes.is_multiple_of(INDEX_ENTRY_LEN) || region_bytes / INDEX_ENTRY_LEN > il {
        return Err(bad());
    }
    Ok(())
}

impl<'a> Header<'a> {
    /// The last entry for `tag` (dribble entries override the region).
    fn entry(&self, tag: u32) -> Option<Entry> {
        self.entries.iter().rev().find(|e| e.tag == tag).copied()
    }

    fn out_of_bounds(&self, e: &Entry) -> HeaderError {
        HeaderError::OutOfBounds { tag: e.tag, offset: e.offset, count: e.count, dl: self.data.len() }
    }

    /// A `STRING` tag (or the first string of an array / i18n string).
    /// rpm writes `(none)` for some unset values; that reads as absent.
    pub(crate) fn string(&self, tag: u32) -> Result<Option<String>, HeaderError> {
        let Some(e) = self.entry(tag) else { return Ok(None) };
        if !matches!(e.typ, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) || e.count == 0 {
            return Err(HeaderError::BadType { tag, typ: e.typ });
        }
        let s = self.strings_at(&e, 1)?.pop().unwrap_or_default();
        Ok(Some(s).filter(|s| s != "(none)"))
    }

    /// A `STRING_ARRAY` tag; absent reads as empty.
    pub(crate) fn string_array(&self, tag: u32) -> Result<Vec<String>, HeaderError> {
        let Some(e) = self.entry(tag) else { return Ok(Vec::new()) };
        if e.typ != TYPE_STRING_ARRAY {
            return Err(HeaderError::BadType { tag, typ: e.typ });
        }
        self.strings_at(&e, e.count)
    }

    /// An `INT32` tag; absent reads as empty.
    pub(crate) fn int32_array(&self, tag: u32) -> Result<Vec<u32>, HeaderError> {
        let Some(e) = self.entry(tag) else { return Ok(Vec::new()) };
        if e.typ != TYPE_INT32 {
            return Err(HeaderError::BadType { tag, typ: e.typ });
        }
        let len = (e.count as usize).checked_mul(4).ok_or_else(|| self.out_of_bounds(&e))?;
        let end = e.offset.checked_add(len).ok_or_else(|| self.out_of_bounds(&e))?;
        let bytes = self.data.get(e.offset..end).ok_or_else(|| self.out_of_bounds(&e))?;
        Ok(bytes.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// `n` NUL-terminated strings starting at the entry's offset. Each
    /// takes at least one byte, so `n` is checked against the data left
    /// before anything is allocated.
    fn strings_at(&self, e: &Entry, n: u32) -> Result<Vec<String>, HeaderError> {
        let mut rest = self.data.get(e.offset..).ok_or_else(|| self.out_of_bounds(e))?;
        let n = n as usize;
        if n > rest.len() {
            return Err(self.out_of_bounds(e));
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let nul = rest.iter().position(|&b| b == 0).ok_or_else(|| self.out_of_bounds(e))?;
            out.push(String::from_utf8_lossy(&rest[..nul]).into_owned());
            rest = &rest[nul + 1..];
        }
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a header image from (tag, type, count, data) entries, with an
    /// optional immutable region covering all of them, the way rpm does.
    pub(crate) fn build(entries: &[(u32, u32, u32, Vec<u8>)], region: bool) -> Vec<u8> {
        let mut data = Vec::new();
        let mut index = Vec::new();
        let il = entries.len() + usize::from(region);
        let push = |index: &mut Vec<u8>, tag: u32, typ: u32, off: usize, count: u32| {
            for v in [tag, typ, off as u32, count] {
                index.extend_from_slice(&v.to_be_bytes());
            }
        };
        for (tag, typ, count, bytes) in entries {
            if *typ == TYPE_INT32 {
                while !data.len().is_multiple_of(4) {
                    data.push(0);
                }
            }
            push(&mut index, *tag, *typ, data.len(), *count);
            data.extend_from_slice(bytes);
        }
        let mut out = Vec::new();
        if region {
            let trailer_at = data.len();
            let mut trailer = Vec::new();
            push(&mut trailer, 63, TYPE_BIN, (il * INDEX_ENTRY_LEN).wrapping_neg(), 16);
            data.extend_from_slice(&trailer);
            let mut region_entry = Vec::new();
            push(&mut region_entry, 63, TYPE_BIN, trailer_at, 16);
            index = [region_entry, index].concat();
        }
        out.extend_from_slice(&(il as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&index);
        out.extend_from_slice(&data);
        out
    }

    pub(crate) fn s(v: &str) -> Vec<u8> {
        let mut b = v.as_bytes().to_vec();
        b.push(0);
        b
    }

    #[test]
    fn reads_strings_arrays_and_ints() {
        let blob = build(
            &[
                (NAME, TYPE_STRING, 1, s("bash")),
                (EPOCH, TYPE_INT32, 1, 2u32.to_be_bytes().to_vec()),
                (DIRNAMES, TYPE_STRING_ARRAY, 2, [s("/usr/bin/"), s("/etc/")].concat()),
                (VENDOR, TYPE_STRING, 1, s("(none)")),
            ],
            true,
        );
        let h = parse(&blob).unwrap();
        assert_eq!(h.string(NAME).unwrap().as_deref(), Some("bash"));
        assert_eq!(h.int32_array(EPOCH).unwrap(), vec![2]);
        assert_eq!(h.string_array(DIRNAMES).unwrap(), vec!["/usr/bin/", "/etc/"]);
        assert_eq!(h.string(VENDOR).unwrap(), None);
        assert_eq!(h.string(RELEASE).unwrap(), None);
    }

    #[test]
    fn rejects_out_of_bounds_entries_and_bad_regions() {
        // A string array claiming more strings than bytes.
        let blob = build(&[(BASENAMES, TYPE_STRING_ARRAY, 1_000_000, s("a"))], false);
        assert!(matches!(parse(&blob).unwrap().string_array(BASENAMES), Err(HeaderError::OutOfBounds { .. })));
        // An int array running off the end.
        let blob = build(&[(DIRINDEXES, TYPE_INT32, u32::MAX, vec![0; 4])], false);
        assert!(parse(&blob).unwrap().int32_array(DIRINDEXES).is_err());
        // Wrong type.
        let blob = build(&[(NAME, TYPE_INT32, 1, vec![0; 4])], false);
        assert!(matches!(parse(&blob).unwrap().string(NAME), Err(HeaderError::BadType { .. })));
        // Region trailer offset pointing outside the data store.
        let mut blob = build(&[(NAME, TYPE_STRING, 1, s("x"))], true);
        blob[16..20].copy_from_slice(&0xffff_fff0u32.to_be_bytes());
        assert_eq!(parse(&blob).unwrap_err(), HeaderError::BadRegion(63));
    }

    #[test]
    fn truncated_and_absurd_preambles_are_errors() {
        let blob = build(&[(NAME, TYPE_STRING, 1, s("bash"))], true);
        for cut in 0..blob.len() {
            assert!(parse(&blob[..cut]).is_err(), "cut at {cut}");
        }
        assert!(parse(&[0xff; 64]).is_err());
        assert!(parse(&[0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
