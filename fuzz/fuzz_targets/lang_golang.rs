//! Any bytes as a Go binary's build info. Inputs that don't start with the
//! ELF magic get it prepended, so the fuzzer spends its time past the first
//! check; seed with `crates/drydock-scan/tests/data/golang/hello`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = drydock_scan::analyzers::golang::parse(data);
    if !data.starts_with(b"\x7fELF") {
        let mut elf = b"\x7fELF".to_vec();
        elf.extend_from_slice(data);
        let _ = drydock_scan::analyzers::golang::parse(&elf);
    }
});
