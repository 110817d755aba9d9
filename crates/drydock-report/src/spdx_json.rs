//! SPDX 2.3 JSON: the image is the described `CONTAINER` package; every
//! package `CONTAINS`-related to it, with its purl as an external
//! reference, its declared license when it is a valid SPDX expression, and
//! the layer and evidence paths in `sourceInfo` and an annotation-free
//! comment. Checked against the official schema in tests.

use std::io::{self, Write};

use drydock_core::report::Report;
use serde_json::{Value, json};

use crate::sbom::{document_uuid, spdx_expression};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    out.write_all(b"\n")
}

/// SPDX ids allow letters, digits, `.` and `-` only.
fn spdx_id(prefix: &str, index: usize, name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    format!("SPDXRef-{prefix}-{index}-{clean}")
}

pub fn document(report: &Report) -> Value {
    let img = &report.image;
    let uuid = document_uuid(report);
    let image_id = "SPDXRef-Image".to_owned();
    let mut image = json!({
        "SPDXID": image_id,
        "name": img.reference,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": "CONTAINER",
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
    });
    if let Some(d) = img.manifest_digest.as_ref().or(img.config_digest.as_ref()) {
        image["versionInfo"] = json!(d.to_string());
        if d.algorithm() == drydock_core::Algorithm::Sha256 {
            image["checksums"] = json!([{"algorithm": "SHA256", "checksumValue": d.hex()}]);
        }
    }
    let mut packages = vec![image];
    let mut relationships =
        vec![json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": image_id})];
    if let Some(os) = &report.os {
        let id = spdx_id("OperatingSystem", 0, &os.id);
        let mut p = json!({
            "SPDXID": id,
            "name": os.id,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "OPERATING_SYSTEM",
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "sourceInfo": format!("identified from {} in layer {}", os.evidence, os.origin.layer_index),
        });
        if let Some(v) = &os.version_id {
            p["versionInfo"] = json!(v);
        }
        if let Some(d) = &os.pretty_name {
            p["description"] = json!(d);
        }
        packages.push(p);
        relationships.push(json!({"spdxElementId": image_id, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    for (i, pkg) in report.packages.iter().enumerate() {
        let id = spdx_id("Package", i + 1, &pkg.record.name);
        let layer = match (&pkg.origin.digest, &pkg.origin.created_by) {
            (Some(d), Some(c)) => format!("layer {} ({d}), created by `{c}`", pkg.origin.layer_index),
            (Some(d), None) => format!("layer {} ({d})", pkg.origin.layer_index),
            _ => format!("layer {}", pkg.origin.layer_index),
        };
        let mut p = json!({
            "SPDXID": id,
            "name": pkg.record.name,
            "versionInfo": pkg.record.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": if pkg.ecosystem.is_os() { "INSTALL" } else { "LIBRARY" },
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": spdx_expression(pkg).unwrap_or_else(|| "NOASSERTION".into()),
            "copyrightText": "NOASSERTION",
            "sourceInfo": format!("found in {} in {layer}", pkg.locations.join(", ")),
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": pkg.purl}],
        });
        if let Some(src) = &pkg.record.source_name {
            p["comment"] =
                json!(format!("source package {src} {}", pkg.record.source_version.as_deref().unwrap_or("")).trim_end().to_owned());
        }
        if !pkg.record.licenses.is_empty() && spdx_expression(pkg).is_none() {
            p["licenseComments"] = json!(format!("as recorded: {}", pkg.record.licenses.join("; ")));
        }
        packages.push(p);
        relationships.push(json!({"spdxElementId": image_id, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    let safe_name: String = img.reference.chars().map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '-' }).collect();
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": img.reference,
        "documentNamespace": format!("urn:uuid:{uuid}:{safe_name}"),
        "creationInfo": {
            "created": report.scanned_at,
            "creators": [format!("Tool: {}-{}", report.scanner.name, report.scanner.version)],
        },
        "documentDescribes": [image_id],
        "packages": packages,
        "relationships": relationships,
    })
}
