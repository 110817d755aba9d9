//! The SBOMs of a real inventory validate against the official CycloneDX
//! 1.6 and SPDX 2.3 JSON schemas, and carry every inventory field back out.

use drydock_core::report::Report;
use drydock_image::{OpenOptions, open};
use drydock_scan::{ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};
use jsonschema::{Draft, Resource};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = format!("{}/tests/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../../shared/fixtures/pkgdb/{rel}", env!("CARGO_MANIFEST_DIR"))).expect("shared fixtures")
}

/// A real Debian 12 package set in the base layer, a real Alpine apk
/// database in another (odd, but it exercises both OS ecosystems at once).
fn report() -> Report {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .file("etc/os-release", &fixture("debian-bookworm-minbase/etc/os-release"))
                .file("var/lib/dpkg/status", &fixture("debian-bookworm-minbase/var/lib/dpkg/status"))
                .created_by("/bin/sh -c #(nop) ADD file:rootfs in / "),
        )
        .layer(
            LayerSpec::new()
                .file("lib/apk/db/installed", &fixture("alpine-3.20.3/lib/apk/db/installed"))
                .created_by("COPY installed /lib/apk/db/"),
        )
        .write_oci_layout(&dir, "t")
        .unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();
    drydock_scan::report::build(&image, &result, "0.1.0-test")
}

#[test]
fn cyclonedx_1_6_validates_and_round_trips() {
    let report = report();
    assert_eq!(report.packages.len(), 88 + 14);
    let mut buf = Vec::new();
    drydock_report::cyclonedx::write(&report, &mut buf).unwrap();
    let doc: Value = serde_json::from_slice(&buf).unwrap();
    let validator = jsonschema::options()
        .with_draft(Draft::Draft7)
        .with_resource(
            "http://cyclonedx.org/schema/spdx.schema.json",
            Resource::from_contents(schema("cyclonedx-spdx.schema.json")).unwrap(),
        )
        .with_resource(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            Resource::from_contents(schema("cyclonedx-jsf-0.82.schema.json")).unwrap(),
        )
        .build(&schema("cyclonedx-bom-1.6.schema.json"))
        .unwrap();
    assert_valid(&validator, &doc, "CycloneDX");

    let components = doc["components"].as_array().unwrap();
    assert_eq!(components.len(), 1 + report.packages.len(), "the OS plus every package");
    assert_eq!(components[0]["type"], "operating-system");
    for (p, c) in report.packages.iter().zip(&components[1..]) {
        assert_eq!(c["purl"], p.purl);
        assert_eq!(c["name"], p.record.name);
        assert_eq!(c["version"], p.record.version);
        let props: Vec<(&str, &str)> =
            c["properties"].as_array().unwrap().iter().map(|x| (x["name"].as_str().unwrap(), x["value"].as_str().unwrap())).collect();
        let digest = p.origin.digest.as_ref().unwrap().to_string();
        assert!(props.contains(&("drydock:layer:digest", digest.as_str())));
        assert!(props.contains(&("drydock:layer:created_by", p.origin.created_by.as_deref().unwrap())));
        let locations: Vec<&str> =
            c["evidence"]["occurrences"].as_array().unwrap().iter().map(|o| o["location"].as_str().unwrap()).collect();
        assert_eq!(locations, p.locations);
        if !p.record.licenses.is_empty() {
            assert!(c["licenses"].is_array(), "{}", p.record.name);
        }
    }
    let busybox = components.iter().find(|c| c["name"] == "busybox").unwrap();
    assert_eq!(busybox["licenses"][0]["expression"], "GPL-2.0-only");
    assert_eq!(doc["metadata"]["component"]["type"], "container");
    assert_eq!(doc["dependencies"][0]["dependsOn"].as_array().unwrap().len(), components.len());
}

#[test]
fn spdx_2_3_validates_and_round_trips() {
    let report = report();
    let mut buf = Vec::new();
    drydock_report::spdx_json::write(&report, &mut buf).unwrap();
    let doc: Value = serde_json::from_slice(&buf).unwrap();
    let validator = jsonschema::options().with_draft(Draft::Draft7).build(&schema("spdx-2.3.schema.json")).unwrap();
    assert_valid(&validator, &doc, "SPDX");

    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2 + report.packages.len(), "image, OS, packages");
    let ids: std::collections::HashSet<&str> = packages.iter().map(|p| p["SPDXID"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), packages.len(), "SPDX ids are unique");
    for (p, s) in report.packages.iter().zip(&packages[2..]) {
        assert_eq!(s["name"], p.record.name);
        assert_eq!(s["versionInfo"], p.record.version);
        assert_eq!(s["externalRefs"][0]["referenceLocator"], p.purl);
        let info = s["sourceInfo"].as_str().unwrap();
        assert!(info.contains(&p.locations[0]) && info.contains(&p.origin.digest.as_ref().unwrap().to_string()), "{info}");
    }
    let busybox = packages.iter().find(|p| p["name"] == "busybox").unwrap();
    assert_eq!(busybox["licenseDeclared"], "GPL-2.0-only");
    let relationships = doc["relationships"].as_array().unwrap();
    assert_eq!(relationships.len(), packages.len(), "DESCRIBES the image, which CONTAINS the rest");
}

#[test]
fn document_ids_are_stable_for_the_same_scan() {
    let report = report();
    let a = drydock_report::cyclonedx::document(&report);
    let b = drydock_report::cyclonedx::document(&report);
    assert_eq!(a["serialNumber"], b["serialNumber"]);
    let mut later = report.clone();
    later.scanned_at = "2030-01-01T00:00:00Z".into();
    assert_ne!(drydock_report::cyclonedx::document(&later)["serialNumber"], a["serialNumber"]);
}
