//! Any bytes as an installed package.json and as a package-lock.json.
#![no_main]

use drydock_scan::analyzers::node;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = node::parse_package_json(data);
    if let Ok(records) = node::parse_lockfile(data) {
        assert!(records.iter().all(|r| !r.name.is_empty() && !r.version.is_empty()));
    }
});
