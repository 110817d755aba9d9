//! Any bytes as an installed gem specification.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = drydock_scan::analyzers::ruby::parse(data) {
        assert!(!r.name.is_empty() && !r.version.is_empty());
    }
});
