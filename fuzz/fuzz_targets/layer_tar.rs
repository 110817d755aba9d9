//! Any byte string as a layer: the walk must return Ok or a typed error,
//! never panic, and stay within its limits.
#![no_main]

use drydock_scan::{Limits, ScanOptions, walk_tar_stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ScanOptions {
        limits: Limits { max_inflated_bytes: 16 << 20, max_entries: 10_000, max_file_bytes: 1 << 20 },
        ..ScanOptions::default()
    };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(mut layer) = walk_tar_stream("fuzz", reader, &options) {
        for e in &layer.entries {
            assert!(!e.path.starts_with('/') && !e.path.split('/').any(|p| p == ".."), "{}", e.path);
        }
        let tree = drydock_scan::FileTree::merge([&mut layer]);
        for e in tree.iter() {
            let _ = tree.resolve(&e.path);
        }
    }
});
