//! CycloneDX 1.6 JSON: the image as the root `container` component, the OS
//! as an `operating-system` component, each package a `library` with its
//! purl, licenses, evidence paths and the layer that introduced it
//! (`drydock:layer:*` properties).
//!
//! Hand-written with `serde_json`: `cyclonedx-bom` only speaks 1.5, and the
//! generated 1.6 types of `serde-cyclonedx` are far larger than the few
//! fields drydock writes. The output is checked against the official
//! schema in tests.

use std::io::{self, Write};

use drydock_core::package::Package;
use drydock_core::report::{LayerOrigin, Report};
use serde_json::{Value, json};

use crate::sbom::{document_uuid, package_ref, spdx_expression};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    out.write_all(b"\n")
}

fn origin_properties(origin: &LayerOrigin) -> Vec<Value> {
    let mut props = vec![json!({"name": "drydock:layer:index", "value": origin.layer_index.to_string()})];
    if let Some(d) = &origin.digest {
        props.push(json!({"name": "drydock:layer:digest", "value": d.to_string()}));
    }
    if let Some(c) = &origin.created_by {
        props.push(json!({"name": "drydock:layer:created_by", "value": c}));
    }
    props.push(json!({"name": "drydock:layer:base_image", "value": origin.base_image.to_string()}));
    props
}

fn component(index: usize, p: &Package) -> Value {
    let mut c = json!({
        "type": "library",
        "bom-ref": package_ref(index, p),
        "name": p.record.name,
        "version": p.record.version,
        "purl": p.purl,
    });
    if let Some(ns) = &p.record.namespace {
        c["group"] = json!(ns);
    }
    if let Some(expr) = spdx_expression(p) {
        c["licenses"] = json!([{"expression": expr}]);
    } else if !p.record.licenses.is_empty() {
        c["licenses"] = Value::Array(p.record.licenses.iter().map(|l| json!({"license": {"name": l}})).collect());
    }
    let mut props = vec![json!({"name": "drydock:package:type", "value": p.ecosystem.purl_type()})];
    for (key, value) in [
        ("drydock:package:arch", &p.record.arch),
        ("drydock:package:source_name", &p.record.source_name),
        ("drydock:package:source_version", &p.record.source_version),
        ("drydock:package:vendor", &p.record.vendor),
        ("drydock:package:modularity_label", &p.record.modularity_label),
    ] {
        if let Some(v) = value {
            props.push(json!({"name": key, "value": v}));
        }
    }
    props.extend(origin_properties(&p.origin));
    c["properties"] = Value::Array(props);
    c["evidence"] = json!({"occurrences": p.locations.iter().map(|l| json!({"location": l})).collect::<Vec<_>>()});
    c
}

pub fn document(report: &Report) -> Value {
    let img = &report.image;
    let root_ref = format!("image:{}", img.reference);
    let mut root = json!({
        "type": "container",
        "bom-ref": root_ref,
        "name": img.reference,
    });
    if let Some(d) = img.manifest_digest.as_ref().or(img.config_digest.as_ref()) {
        root["version"] = json!(d.to_string());
    }
    let mut root_props = vec![json!({"name": "drydock:image:source", "value": img.source})];
    for (k, v) in [
        ("drydock:image:manifest_digest", &img.manifest_digest),
        ("drydock:image:config_digest", &img.config_digest),
        ("drydock:image:index_digest", &img.index_digest),
    ] {
        if let Some(d) = v {
            root_props.push(json!({"name": k, "value": d.to_string()}));
        }
    }
    if let Some(p) = &img.platform {
        root_props.push(json!({"name": "drydock:image:platform", "value": p}));
    }
    root["properties"] = Value::Array(root_props);

    let mut components = Vec::new();
    let mut refs = Vec::new();
    if let Some(os) = &report.os {
        let os_ref = format!("os:{}", os.id);
        let mut c = json!({"type": "operating-system", "bom-ref": os_ref, "name": os.id});
        if let Some(v) = &os.version_id {
            c["version"] = json!(v);
        }
        if let Some(p) = &os.pretty_name {
            c["description"] = json!(p);
        }
        let mut props = origin_properties(&os.origin);
        if let Some(eol) = &os.end_of_life {
            props.push(json!({"name": "drydock:os:end_of_life", "value": eol}));
        }
        c["properties"] = Value::Array(props);
        c["evidence"] = json!({"occurrences": [{"location": os.evidence}]});
        refs.push(os_ref);
        components.push(c);
    }
    for (i, p) in report.packages.iter().enumerate() {
        refs.push(package_ref(i, p));
        components.push(component(i, p));
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", document_uuid(report)),
        "version": 1,
        "metadata": {
            "timestamp": report.scanned_at,
            "tools": {"components": [{"type": "application", "name": report.scanner.name, "version": report.scanner.version}]},
            "component": root,
        },
        "components": components,
        "dependencies": [{"ref": root_ref, "dependsOn": refs}],
    })
}
