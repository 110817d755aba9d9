//! Any bytes as a Python core-metadata file (METADATA / PKG-INFO): Ok or
//! Err, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = drydock_scan::analyzers::python::parse(data) {
        assert!(!r.name.is_empty() && !r.version.is_empty());
    }
});
