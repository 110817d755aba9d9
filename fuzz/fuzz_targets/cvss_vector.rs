//! CVSS v2/v3.x/v4.0 vector scoring on arbitrary strings: no panic, and any
//! score returned lies in 0.0..=10.0.
#![no_main]

use drydock_advisory::cvss::base_score;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let vector = String::from_utf8_lossy(data);
    if let Some(score) = base_score(&vector) {
        assert!((0.0..=10.0).contains(&score.base_score), "{vector:?} scored {score:?}");
        let _ = score.rating();
    }
});
