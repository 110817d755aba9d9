//! Any bytes as a Java archive: Ok with packages and warnings, or Err;
//! never a panic, never more than the decompression budget.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = drydock_scan::analyzers::java::parse_archive("fuzz.jar", data);
});
