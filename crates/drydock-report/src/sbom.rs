//! What both SBOM formats share: stable identifiers and license handling.

use drydock_core::package::Package;
use drydock_core::report::Report;
use sha2::{Digest as _, Sha256};

/// A UUID (version 4 layout) derived from the report's identity, so the same
/// scan of the same image gives the same document id (reproducible
/// evidence), and a rescan at another time a new one.
pub fn document_uuid(report: &Report) -> String {
    let mut h = Sha256::new();
    h.update(report.image.reference.as_bytes());
    h.update(report.image.manifest_digest.as_ref().map(|d| d.to_string()).unwrap_or_default().as_bytes());
    h.update(report.image.config_digest.as_ref().map(|d| d.to_string()).unwrap_or_default().as_bytes());
    h.update(report.scanned_at.as_bytes());
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &x[..8], &x[8..12], &x[12..16], &x[16..20], &x[20..])
}

/// The license as a valid SPDX expression, when it is one.
pub fn spdx_expression(package: &Package) -> Option<String> {
    let joined = package.record.licenses.join(" AND ");
    if joined.is_empty() {
        return None;
    }
    spdx::Expression::parse_mode(&joined, spdx::ParseMode::LAX).ok().map(|e| e.to_string())
}

/// A stable reference for a package within one document: its purl plus the
/// location (the same package may be installed in two places).
pub fn package_ref(index: usize, package: &Package) -> String {
    format!("{}#{}", package.purl, package.locations.first().map(String::as_str).unwrap_or(&index.to_string()))
}
