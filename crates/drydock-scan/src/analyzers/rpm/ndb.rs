//! NDB: rpm's own "new database" `Packages.db` (SUSE, since SLE 15 SP3).
//!
//! Layout (rpm `lib/backend/ndb/rpmpkg.c`, all little-endian):
//! - a 32-byte header: magic `RpmP`, version 0, generation, number of
//!   4096-byte slot pages, 16 reserved bytes;
//! - the slot pages, starting at byte 0 (the header takes the first two
//!   slots): 16-byte slots `{magic "Slot", package index, block offset,
//!   block count}`; package index 0 is a free slot;
//! - blobs at `block offset × 16`: a 16-byte blob header `{magic "BlbS",
//!   package index, checksum, length}` followed by the header image.

use super::Source;

const HEADER_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_MAGIC: &[u8; 4] = b"BlbS";
const SLOT_PAGE: usize = 4096;
const SLOT_LEN: usize = 16;
const BLOCK: usize = 16;
const BLOB_HEADER: usize = 16;

pub(crate) fn is_ndb(bytes: &[u8]) -> bool {
    bytes.starts_with(HEADER_MAGIC)
}

fn le32(b: &[u8], at: usize) -> u32 {
    // Callers pass slices already checked to hold `at + 4` bytes.
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Calls `each` with every package blob. `Err` if the header or the slot
/// pages are unreadable; a bad slot or blob is counted and skipped.
pub(crate) fn read(bytes: &[u8], each: &mut dyn FnMut(&[u8])) -> Result<Source, String> {
    let head = bytes.get(..32).ok_or("NDB file is shorter than its 32-byte header")?;
    if &head[..4] != HEADER_MAGIC || le32(head, 4) != 0 {
        return Err(format!("not an NDB database of version 0 (version {})", le32(head, 4)));
    }
    let pages = le32(head, 12) as usize;
    let mut src = Source::new(bytes.len());
    // A truncated file keeps the slots it still has.
    let slot_bytes = pages.checked_mul(SLOT_PAGE).ok_or("NDB slot page count overflows")?;
    if pages == 0 {
        return Err("NDB header declares no slot pages".into());
    }
    if slot_bytes > bytes.len() {
        src.note(format!("NDB declares {pages} slot pages but the file is {} bytes", bytes.len()));
    }
    let slots = &bytes[..slot_bytes.min(bytes.len())];
    for slot in slots.chunks_exact(SLOT_LEN).skip(2) {
        if &slot[..4] != SLOT_MAGIC {
            src.note("NDB slot with a bad magic".into());
            continue;
        }
        let pkg = le32(slot, 4);
        if pkg == 0 {
            continue;
        }
        match blob(bytes, pkg, le32(slot, 8) as usize) {
            Ok(b) if src.allow(b.len()) => each(b),
            Ok(_) => {}
            Err(e) => src.note(e),
        }
    }
    Ok(src)
}

fn blob(bytes: &[u8], pkg: u32, block: usize) -> Result<&[u8], String> {
    let at = block.checked_mul(BLOCK).ok_or_else(|| format!("NDB package {pkg}: block offset overflows"))?;
    let head =
        bytes.get(at..at.saturating_add(BLOB_HEADER)).ok_or_else(|| format!("NDB package {pkg}: blob is past the end of the file"))?;
    if &head[..4] != BLOB_MAGIC || le32(head, 4) != pkg {
        return Err(format!("NDB package {pkg}: blob header does not match its slot"));
    }
    let len = le32(head, 12) as usize;
    let start = at + BLOB_HEADER;
    bytes.get(start..start.saturating_add(len)).ok_or_else(|| format!("NDB package {pkg}: {len}-byte blob runs past the end of the file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One slot page; slot 2 (the first after the header) for package 1,
    /// whose blob sits at block `block`.
    fn db(blob: &[u8], block: u32) -> Vec<u8> {
        let mut b = vec![0u8; SLOT_PAGE];
        b[..4].copy_from_slice(HEADER_MAGIC);
        b[12..16].copy_from_slice(&1u32.to_le_bytes());
        for slot in b[32..].chunks_exact_mut(SLOT_LEN) {
            slot[..4].copy_from_slice(SLOT_MAGIC);
        }
        b[36..40].copy_from_slice(&1u32.to_le_bytes());
        b[40..44].copy_from_slice(&block.to_le_bytes());
        let mut head = BLOB_MAGIC.to_vec();
        head.extend_from_slice(&1u32.to_le_bytes());
        head.extend_from_slice(&0u32.to_le_bytes());
        head.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        b.extend_from_slice(&head);
        b.extend_from_slice(blob);
        b
    }

    #[test]
    fn finds_the_blob_a_slot_points_at() {
        let bytes = db(b"header", (SLOT_PAGE / BLOCK) as u32);
        let mut got = Vec::new();
        let src = read(&bytes, &mut |b| got.push(b.to_vec())).unwrap();
        assert_eq!((got, src.skipped), (vec![b"header".to_vec()], 0));
    }

    #[test]
    fn dangling_or_mismatched_blobs_are_counted() {
        for block in [u32::MAX, 3, (SLOT_PAGE / BLOCK) as u32 + 1] {
            let bytes = db(b"header", block);
            let src = read(&bytes, &mut |_| panic!("no blob expected")).unwrap();
            assert_eq!(src.skipped, 1, "block {block}");
        }
        let mut bytes = db(b"header", (SLOT_PAGE / BLOCK) as u32);
        let n = bytes.len();
        bytes.truncate(n - 2);
        assert_eq!(read(&bytes, &mut |_| {}).unwrap().skipped, 1);
    }

    #[test]
    fn slots_sharing_one_blob_stop_at_the_file_size() {
        // Every slot names package 1 at the same block: a 4 KiB file would
        // otherwise hand over 254 copies of the blob.
        let mut bytes = db(&[7; 3000], (SLOT_PAGE / BLOCK) as u32);
        let first = bytes[32..48].to_vec();
        for slot in bytes[48..SLOT_PAGE].chunks_exact_mut(SLOT_LEN) {
            slot.copy_from_slice(&first);
        }
        let mut n = 0;
        let src = read(&bytes, &mut |_| n += 1).unwrap();
        assert_eq!(n, 2);
        assert_eq!(src.skipped, 252);
    }

    #[test]
    fn bad_headers_are_errors() {
        let good = db(b"x", (SLOT_PAGE / BLOCK) as u32);
        let mut bad = good.clone();
        bad[4] = 1;
        assert!(read(&bad, &mut |_| {}).is_err());
        let mut bad = good.clone();
        bad[12..16].fill(0);
        assert!(read(&bad, &mut |_| {}).is_err());
        assert!(read(&good[..31], &mut |_| {}).is_err());
    }
}
