//! The secret scanner on untrusted bytes: no panic, and no finding carries
//! more of the value than its redacted prefix.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scanner() -> &'static drydock_secrets::Scanner {
    static S: OnceLock<drydock_secrets::Scanner> = OnceLock::new();
    S.get_or_init(|| drydock_secrets::Scanner::new(Default::default(), Default::default()).expect("built-in rules compile"))
}

fuzz_target!(|data: &[u8]| {
    for m in scanner().scan("/fuzz", data) {
        assert!(m.line >= 1 && m.column >= 1);
        assert!(m.redacted.chars().count() <= 64, "{m:?}");
    }
    let text = String::from_utf8_lossy(data);
    let (k, v) = text.split_once('=').unwrap_or(("KEY", &text));
    let _ = scanner().scan_key_value(k, v, "config.Env");
});
