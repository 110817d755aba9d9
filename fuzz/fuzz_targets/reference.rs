//! Registry references and platform strings from untrusted text.
#![no_main]

use drydock_image::Platform;
use drydock_image::registry::Reference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(r) = s.parse::<Reference>() {
        // Whatever parses must print back to something that parses the same.
        let again: Reference = r.to_string().parse().expect("round trip");
        assert_eq!(again.to_string(), r.to_string());
    }
    let _ = s.parse::<Platform>();
});
