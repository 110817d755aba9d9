//! Which operating system an image is built on, and until when it gets
//! security fixes.

use drydock_core::report::OsInfo;

use crate::ScanResult;
use crate::analyzers::os_release::OsRelease;
use crate::report::Origins;

/// End of free security support per release, as the distributions publish
/// it (Debian: end of LTS; Ubuntu: end of standard support; Alpine: end of
/// the branch's security fixes; RHEL family: end of maintenance). Checked
/// November 2026; extend as releases come.
const END_OF_LIFE: &[(&str, &str, &str)] = &[
    ("alpine", "3.16", "2024-05-23"),
    ("alpine", "3.17", "2024-11-22"),
    ("alpine", "3.18", "2025-05-09"),
    ("alpine", "3.19", "2025-11-01"),
    ("alpine", "3.20", "2026-04-01"),
    ("alpine", "3.21", "2026-11-01"),
    ("alpine", "3.22", "2027-05-01"),
    ("debian", "9", "2022-06-30"),
    ("debian", "10", "2024-06-30"),
    ("debian", "11", "2026-08-31"),
    ("debian", "12", "2028-06-30"),
    ("ubuntu", "18.04", "2023-05-31"),
    ("ubuntu", "20.04", "2025-05-31"),
    ("ubuntu", "22.04", "2027-06-01"),
    ("ubuntu", "24.04", "2029-05-31"),
    ("amzn", "2", "2026-06-30"),
    ("amzn", "2023", "2029-06-30"),
    ("centos", "7", "2024-06-30"),
    ("centos", "8", "2021-12-31"),
    ("rhel", "7", "2024-06-30"),
    ("rhel", "8", "2029-05-31"),
    ("rhel", "9", "2032-05-31"),
    ("almalinux", "8", "2029-03-01"),
    ("almalinux", "9", "2032-05-31"),
    ("rocky", "8", "2029-05-31"),
    ("rocky", "9", "2032-05-31"),
];

/// The release key for the table: Alpine `3.20.3` -> `3.20`, Debian
/// `12.4` -> `12`, RHEL `8.9` -> `8`, Ubuntu stays `22.04`.
fn release_key(id: &str, version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    match id {
        "alpine" | "ubuntu" => parts.iter().take(2).copied().collect::<Vec<_>>().join("."),
        _ => parts.first().copied().unwrap_or("").to_owned(),
    }
}

pub fn end_of_life(id: &str, version: &str) -> Option<&'static str> {
    let key = release_key(id, version);
    END_OF_LIFE.iter().find(|(d, v, _)| *d == id && *v == key).map(|(_, _, date)| *date)
}

/// The OS, from the most authoritative release file present in the final
/// filesystem. Distroless images without any release file but with
/// `/var/lib/dpkg/status.d` are Debian-based.
pub fn detect(origins: &Origins<'_>, scan: &ScanResult) -> Option<OsInfo> {
    if let Some((fact, r)) = scan.os_release() {
        return Some(info(r, format!("/{}", fact.path), origins.of(fact.layer)));
    }
    let status_d = scan.tree.children("var/lib/dpkg/status.d").next()?;
    let r = OsRelease { id: "debian".into(), version_id: None, pretty_name: Some("Distroless (Debian-based)".into()), codename: None };
    Some(info(&r, "/var/lib/dpkg/status.d".into(), origins.of(status_d.layer)))
}

fn info(r: &OsRelease, evidence: String, origin: drydock_core::report::LayerOrigin) -> OsInfo {
    OsInfo {
        id: r.id.clone(),
        version_id: r.version_id.clone(),
        pretty_name: r.pretty_name.clone(),
        codename: r.codename.clone(),
        end_of_life: r.version_id.as_deref().and_then(|v| end_of_life(&r.id, v)).map(str::to_owned),
        evidence,
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_life_by_release() {
        assert_eq!(end_of_life("alpine", "3.20.3"), Some("2026-04-01"));
        assert_eq!(end_of_life("debian", "12.4"), Some("2028-06-30"));
        assert_eq!(end_of_life("ubuntu", "20.04"), Some("2025-05-31"));
        assert_eq!(end_of_life("amzn", "2"), Some("2026-06-30"));
        assert_eq!(end_of_life("debian", "bookworm/sid"), None);
        assert_eq!(end_of_life("plan9", "4"), None);
    }
}
