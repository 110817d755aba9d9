//! Air-gap bundles (`.tar.zst` with a manifest first) from untrusted bytes:
//! reading the manifest and importing into a fresh database give `Ok` or a
//! typed error, never a panic. One temp dir is reused across runs; the input
//! is rewritten and the database removed before each run.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use drydock_advisory::{ImportOptions, bundle, import};
use libfuzzer_sys::fuzz_target;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temp dir")).path();
    let input = dir.join("x.tar.zst");
    let db = dir.join("fuzz.db");
    let _ = std::fs::remove_file(&db);
    if std::fs::write(&input, data).is_err() {
        return;
    }
    let _ = bundle::read_manifest(&input);
    let _ = import(&db, &[PathBuf::from(&input)], &ImportOptions::default());
});
