//! Any bytes as a cargo-auditable binary and as a Cargo.lock.
#![no_main]

use drydock_scan::analyzers::rust;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rust::parse_binary(data);
    let _ = rust::parse_cargo_lock(data);
});
