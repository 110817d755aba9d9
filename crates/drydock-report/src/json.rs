//! The full report as pretty JSON (`schema_version` first).

use std::io::{self, Write};

use drydock_core::report::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The inventory part of the report: enough to identify the image, the OS
/// and every package, in the report's own field names.
pub fn write_inventory(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = serde_json::json!({
        "schema_version": report.schema_version,
        "scanner": report.scanner,
        "scanned_at": report.scanned_at,
        "image": {
            "reference": report.image.reference,
            "manifest_digest": report.image.manifest_digest,
            "config_digest": report.image.config_digest,
            "platform": report.image.platform,
        },
        "os": report.os,
        "packages": report.packages,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
