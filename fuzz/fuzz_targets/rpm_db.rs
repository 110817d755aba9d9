//! rpm databases (SQLite, Berkeley DB hash, NDB) and the header blobs
//! inside them, from untrusted bytes: no panic, no unbounded allocation.
//! Seed the corpus with /work/shared/fixtures/rpmdb/*/* (cut to a few
//! hundred KiB: libFuzzer's default -max_len is 4 KiB).
#![no_main]

use drydock_scan::analyzers::rpm::parse_database;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(records) = parse_database(data) {
        for r in records {
            assert!(!r.name.is_empty());
        }
    }
});
