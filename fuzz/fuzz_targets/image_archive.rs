//! Any byte string as a docker-save or oci-archive tarball: opening and
//! walking it must give Ok or a typed error, and write nothing.
#![no_main]

use drydock_image::{OpenOptions, Target, open};
use drydock_scan::{Limits, ScanOptions, scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    if std::io::Write::write_all(&mut file, data).is_err() {
        return;
    }
    let path = file.path().to_owned();
    for target in [Target::DockerArchive { path: path.clone(), selector: Default::default() }, Target::OciArchive { path, selector: Default::default() }] {
        if let Ok(image) = open(&target, &OpenOptions::default()) {
            let options = ScanOptions { limits: Limits { max_inflated_bytes: 16 << 20, max_entries: 10_000, max_file_bytes: 1 << 20 }, ..ScanOptions::default() };
            let _ = scan(&image, &options);
        }
    }
});
