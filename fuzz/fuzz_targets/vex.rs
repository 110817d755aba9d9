//! OpenVEX and CycloneDX VEX documents from untrusted bytes: statements or
//! an error message, never a panic.
#![no_main]

use drydock_advisory::vex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vex::parse(data, "fuzz.vex.json");
});
