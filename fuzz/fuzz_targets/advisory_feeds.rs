//! The score and catalog feeds from untrusted bytes: the first byte picks
//! CISA KEV JSON, FIRST EPSS CSV (plain or gzip) or an NVD API 2.0 page;
//! the rest is the file.
#![no_main]

use drydock_advisory::sources::{Format, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (format, origin) = match selector % 3 {
        0 => (Format::Kev, "known_exploited_vulnerabilities.json"),
        1 => (Format::Epss, "epss_scores.csv"),
        _ => (Format::Nvd, "nvd.json"),
    };
    let _ = parse(format, origin, rest);
});
