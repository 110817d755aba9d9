//! Manifests, indexes, configs and docker-save manifests from untrusted bytes.
#![no_main]

use drydock_image::spec::{DockerSaveEntry, ImageConfigFile, ManifestOrIndex, media};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mt in ["", media::OCI_INDEX, media::OCI_MANIFEST, media::DOCKER_LIST, media::DOCKER_MANIFEST] {
        let _ = ManifestOrIndex::parse(data, mt);
    }
    let _ = serde_json::from_slice::<ImageConfigFile>(data);
    let _ = serde_json::from_slice::<Vec<DockerSaveEntry>>(data);
});
