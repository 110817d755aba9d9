//! Berkeley DB hash databases: rpm's `Packages` up to rpm 4.16 (CentOS 7,
//! RHEL/UBI 8, Amazon Linux 2).
//!
//! Only what rpm writes is read (libdb `src/dbinc/db_page.h`):
//! - page 0 is the hash metadata page: magic `0x061561` at byte 12 (its byte
//!   order tells the file's), page size at 20, last page number at 32,
//!   encryption at 24;
//! - every page has a 26-byte header: number of entries at 20, "high free
//!   offset" at 22 (on overflow pages: the bytes of data on that page),
//!   next page at 16, page type at 25;
//! - hash pages (type 13, or 2 before libdb 4.6) hold an array of 2-byte
//!   item offsets, key and value alternating; an item starts with its type:
//!   1 = data inline, 3 = stored on a chain of overflow pages (type 7),
//!   given as `{type, pad[3], first page: u32, total length: u32}`.
//!
//! Pages are visited in file order rather than by walking buckets: it reads
//! each page once, needs no hash function, and cannot loop. The record
//! with key 0 is rpm's own counter, not a package, and is skipped.

use super::Source;

const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;
const HASH_META: u8 = 8;
const HASH_UNSORTED: u8 = 2;
const HASH: u8 = 13;
const OVERFLOW: u8 = 7;
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;

pub(crate) fn is_bdb(bytes: &[u8]) -> bool {
    matches!(bytes.get(12..16), Some(m) if u32::from_le_bytes([m[0], m[1], m[2], m[3]]) == HASH_MAGIC
        || u32::from_be_bytes([m[0], m[1], m[2], m[3]]) == HASH_MAGIC)
}

/// Byte order of the file, decided once from the magic.
#[derive(Clone, Copy)]
struct Order {
    big: bool,
}

impl Order {
    fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let s: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) })
    }
    fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let s: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big { u16::from_be_bytes(s) } else { u16::from_le_bytes(s) })
    }
}

struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    order: Order,
    /// Overflow pages already read: a page belongs to one chain only, so
    /// seeing it again means a cycle or chains sharing pages, and all
    /// chains together cost at most one visit per page.
    seen: Vec<bool>,
}

impl<'a> Db<'a> {
    /// Page `n`, or `None` if it lies (even partly) past the end of the file.
    fn page(&self, n: u32) -> Option<&'a [u8]> {
        let start = (n as usize).checked_mul(self.page_size)?;
        self.bytes.get(start..start.checked_add(self.page_size)?)
    }

    /// Concatenates an overflow chain of `total` bytes starting at `first`.
    /// Each page is read at most once per database (see `seen`), so a
    /// cycle ends the chain, and the output never exceeds `total`, which
    /// the caller has checked against the file size.
    fn overflow(&mut self, first: u32, total: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(total);
        let mut next = first;
        while out.len() < total {
            let page = self.page(next).ok_or_else(|| format!("overflow page {next} is past the end of the file"))?;
            let seen = self.seen.get_mut(next as usize).ok_or_else(|| format!("overflow page {next} is past the end of the file"))?;
            if std::mem::replace(seen, true) {
                return Err(format!("overflow page {next} is reached twice"));
            }
            if page[25] != OVERFLOW {
                return Err(format!("page {next} in an overflow chain has type {}, not 7", page[25]));
            }
            let on_page = self.order.u16(page, 22).map_or(0, usize::from).min(self.page_size - PAGE_HEADER);
            let take = on_page.min(total - out.len());
            out.extend_from_slice(&page[PAGE_HEADER..PAGE_HEADER + take]);
            next = self.order.u32(page, 16).unwrap_or(0);
            if next == 0 {
                break;
            }
        }
        if out.len() != total {
            return Err(format!("overflow chain from page {first} holds {} of {total} bytes", out.len()));
        }
        Ok(out)
    }
}

/// Calls `each` with every value (header blob) in the database. Returns the
/// number of values that could not be read; `Err` if the file is not a
/// readable hash database at all.
pub(crate) fn read(bytes: &[u8], each: &mut dyn FnMut(&[u8])) -> Result<Source, String> {
    let meta = bytes.get(..PAGE_HEADER + 10).ok_or("Berkeley DB file is shorter than its metadata page")?;
    let le = u32::from_le_bytes([meta[12], meta[13], meta[14], meta[15]]);
    let order = Order { big: le != HASH_MAGIC };
    let page_size = order.u32(meta, 20).unwrap_or(0) as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("Berkeley DB page size {page_size} is not a power of two between 512 and 65536"));
    }
    if meta[25] != HASH_META {
        return Err(format!("Berkeley DB metadata page has type {}, not a hash database (8)", meta[25]));
    }
    if meta[24] != 0 {
        return Err("Berkeley DB file is encrypted".into());
    }
    let last = order.u32(meta, 32).unwrap_or(0);
    let mut db = Db { bytes, page_size, order, seen: vec![false; bytes.len() / page_size] };
    let mut src = Source::new(bytes.len());
    // Pages past the end of a truncated file are counted, not read.
    let in_file = (bytes.len() / page_size) as u64;
    if u64::from(last) + 1 > in_file {
        src.skipped += 1;
    }
    for n in 1..=u64::from(last).min(in_file.saturating_sub(1)) {
        let Some(page) = db.page(n as u32) else { break };
        if page[25] != HASH && page[25] != HASH_UNSORTED {
            continue;
        }
        let entries = usize::from(order.u16(page, 20).unwrap_or(0));
        let Some(offsets) = page.get(PAGE_HEADER..PAGE_HEADER + 2 * entries) else {
            src.skipped += 1;
            continue;
        };
        let item = |i: usize| -> Option<&[u8]> {
            let start = usize::from(order.u16(offsets, 2 * i)?);
            // Items are packed from the end of the page downwards: each
            // ends where the previous one starts.
            let end = if i == 0 { page_size } else { usize::from(order.u16(offsets, 2 * (i - 1))?) };
            page.get(start..end).filter(|s| !s.is_empty() && start >= PAGE_HEADER + 2 * entries)
        };
        for pair in 0..entries / 2 {
            let (key, value) = (item(2 * pair), item(2 * pair + 1));
            let Some(value) = value else {
                src.skipped += 1;
                continue;
            };
            if matches!(key, Some([H_KEYDATA, 0, 0, 0, 0])) {
                continue;
            }
            match value[0] {
                H_KEYDATA if src.allow(value.len() - 1) => each(&value[1..]),
                H_KEYDATA => {}
                H_OFFPAGE => {
                    let (Some(first), Some(total)) = (order.u32(value, 4), order.u32(value, 8)) else {
                        src.skipped += 1;
                        continue;
                    };
                    if !src.allow(total as usize) {
                        continue;
                    }
                    match db.overflow(first, total as usize) {
                        Ok(blob) => each(&blob),
                        Err(e) => src.note(e),
                    }
                }
                // Duplicates (2, 4) are never written by rpm.
                _ => src.skipped += 1,
            }
        }
    }
    Ok(src)
}

#[cfg(test)]
mod tests {
    use super::super::header::tests::{build, s};
    use super::*;

    const PS: usize = 512;

    fn page(n: u32, typ: u8, next: u32, entries: u16, hf: u16) -> Vec<u8> {
        let mut p = vec![0u8; PS];
        p[8..12].copy_from_slice(&n.to_le_bytes());
        p[16..20].copy_from_slice(&next.to_le_bytes());
        p[20..22].copy_from_slice(&entries.to_le_bytes());
        p[22..24].copy_from_slice(&hf.to_le_bytes());
        p[25] = typ;
        p
    }

    /// A little-endian hash database: page 1 holds `items` (key, value,
    /// key, value…), `overflow` pages follow from page 2.
    fn db(items: &[Vec<u8>], overflow: &[Vec<u8>]) -> Vec<u8> {
        let last = 1 + overflow.len() as u32;
        let mut meta = page(0, HASH_META, 0, 0, 0);
        meta[12..16].copy_from_slice(&HASH_MAGIC.to_le_bytes());
        meta[20..24].copy_from_slice(&(PS as u32).to_le_bytes());
        meta[32..36].copy_from_slice(&last.to_le_bytes());
        let mut hash = page(1, HASH, 0, items.len() as u16, 0);
        let mut end = PS;
        for (i, item) in items.iter().enumerate() {
            let start = end - item.len();
            hash[start..end].copy_from_slice(item);
            hash[PAGE_HEADER + 2 * i..PAGE_HEADER + 2 * i + 2].copy_from_slice(&(start as u16).to_le_bytes());
            end = start;
        }
        [meta, hash].into_iter().chain(overflow.iter().cloned()).collect::<Vec<_>>().concat()
    }

    fn inline(b: &[u8]) -> Vec<u8> {
        [&[H_KEYDATA][..], b].concat()
    }

    fn offpage(first: u32, len: u32) -> Vec<u8> {
        [vec![H_OFFPAGE, 0, 0, 0], first.to_le_bytes().to_vec(), len.to_le_bytes().to_vec()].concat()
    }

    fn collect(bytes: &[u8]) -> Result<(Vec<Vec<u8>>, usize), String> {
        let mut out = Vec::new();
        let src = read(bytes, &mut |b| out.push(b.to_vec()))?;
        Ok((out, src.skipped))
    }

    #[test]
    fn reads_inline_and_overflow_values_and_skips_the_counter_record() {
        let blob = build(&[(1000, 6, 1, s("bash")), (1001, 6, 1, s(&"9".repeat(600)))], true);
        let (a, b) = blob.split_at(PS - PAGE_HEADER);
        let mut p2 = page(2, OVERFLOW, 3, 0, a.len() as u16);
        p2[PAGE_HEADER..].copy_from_slice(a);
        let mut p3 = page(3, OVERFLOW, 0, 0, b.len() as u16);
        p3[PAGE_HEADER..PAGE_HEADER + b.len()].copy_from_slice(b);
        let small = build(&[(1000, 6, 1, s("zsh"))], true);
        let bytes = db(
            &[
                inline(&[0; 4]),
                inline(&[9, 0, 0, 0]),
                inline(&[1, 0, 0, 0]),
                offpage(2, blob.len() as u32),
                inline(&[2, 0, 0, 0]),
                inline(&small),
            ],
            &[p2, p3],
        );
        let (values, skipped) = collect(&bytes).unwrap();
        assert_eq!((values, skipped), (vec![blob, small], 0));
    }

    #[test]
    fn overflow_cycles_and_dangling_pages_end_with_a_count_not_a_hang() {
        // Page 2 points back at itself and never holds enough bytes.
        let p2 = page(2, OVERFLOW, 2, 0, 8);
        let bytes = db(&[inline(&[1, 0, 0, 0]), offpage(2, 1000), inline(&[2, 0, 0, 0]), offpage(99, 10)], &[p2]);
        let (values, skipped) = collect(&bytes).unwrap();
        assert_eq!((values.len(), skipped), (0, 2));
    }

    #[test]
    fn values_sharing_overflow_pages_are_read_once() {
        // Many keys pointing at the same chain would make the work grow
        // with the square of the file; the second one is refused.
        let mut p2 = page(2, OVERFLOW, 0, 0, 4);
        p2[PAGE_HEADER..PAGE_HEADER + 4].copy_from_slice(b"abcd");
        let bytes = db(&[inline(&[1, 0, 0, 0]), offpage(2, 4), inline(&[2, 0, 0, 0]), offpage(2, 4)], &[p2]);
        let (values, skipped) = collect(&bytes).unwrap();
        assert_eq!((values, skipped), (vec![b"abcd".to_vec()], 1));
        // Claimed lengths beyond the file are refused before any copying.
        let bytes = db(&[inline(&[1, 0, 0, 0]), offpage(2, u32::MAX)], &[page(2, OVERFLOW, 0, 0, 0)]);
        assert_eq!(collect(&bytes).unwrap().1, 1);
    }

    #[test]
    fn bad_metadata_is_an_error() {
        let good = db(&[], &[]);
        let mut bad = good.clone();
        bad[20..24].copy_from_slice(&1000u32.to_le_bytes());
        assert!(read(&bad, &mut |_| {}).unwrap_err().contains("page size"));
        let mut bad = good.clone();
        bad[25] = 9;
        assert!(read(&bad, &mut |_| {}).unwrap_err().contains("not a hash database"));
        assert!(read(&good[..20], &mut |_| {}).is_err());
    }
}
