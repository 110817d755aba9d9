//! The Dockerfile parser and every lint rule on untrusted text: located
//! diagnostics, never a panic, and every span inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = drydock_lint::lint_source("Dockerfile", &text, &drydock_lint::Settings::default(), Some(".git\n"));
    for d in &result.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
        assert!(d.line >= 1 && d.column >= 1);
    }
    let _ = drydock_lint::output::sarif::document(&[result]);
});
