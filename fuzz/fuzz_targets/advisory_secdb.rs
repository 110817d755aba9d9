//! Alpine secdb files (YAML and JSON; the release taken from the origin
//! path when the file lacks `distroversion`) from untrusted bytes.
#![no_main]

use drydock_advisory::sources::{Format, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::AlpineSecdb, "v3.6/main.yaml", data);
    let _ = parse(Format::AlpineSecdb, "main.json", data);
});
