//! OSV records (JSON and YAML, one record or an array) and format detection
//! from untrusted bytes: `Ok` or `Err`, never a panic.
#![no_main]

use drydock_advisory::sources::{Format, detect, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::OsvJson, "osv.json", data);
    let _ = parse(Format::OsvYaml, "osv.yaml", data);
    for name in ["a/GHSA-1.json", "a/PYSEC-1.yaml", "x.yml", "epss.csv", "epss.csv.gz", "x.gz", "x"] {
        let _ = detect(name, data);
    }
});
