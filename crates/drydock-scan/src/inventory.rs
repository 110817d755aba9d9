//! The package inventory: every package the analyzers found in files still
//! present in the final filesystem, with its package URL, the layer that
//! introduced it and the files that evidence it.

use std::collections::HashMap;

use drydock_core::package::{Ecosystem, Package, PackageRecord, purl};
use drydock_core::report::OsInfo;

use crate::report::Origins;
use crate::{Fact, FactKind, ScanResult};

/// Builds the sorted inventory.
pub fn build(origins: &Origins<'_>, scan: &ScanResult, os: Option<&OsInfo>) -> Vec<Package> {
    // Every package fact at each path, in layer order (deleted ones too:
    // they tell when an unchanged package first appeared).
    let mut history: HashMap<&str, Vec<&Fact>> = HashMap::new();
    for fact in scan.layers.iter().flat_map(|l| &l.facts) {
        if matches!(fact.kind, FactKind::Packages(..)) {
            history.entry(fact.path.as_str()).or_default().push(fact);
        }
    }
    let owned = owned_files(scan);
    let mut packages = Vec::new();
    for fact in scan.visible_facts() {
        let FactKind::Packages(ecosystem, records) = &fact.kind else { continue };
        let ecosystem = *ecosystem;
        if !ecosystem.is_os() && owned.contains_key(fact.path.as_str()) {
            // Installed by the OS package manager: the OS package stands for
            // it (and its advisories come from the distribution).
            continue;
        }
        for record in records {
            let layer = introduced_in(history.get(fact.path.as_str()).map(Vec::as_slice).unwrap_or(&[]), fact, record);
            packages.push(Package {
                ecosystem,
                purl: package_url(ecosystem, record, os),
                record: PackageRecord { files: Vec::new(), ..record.clone() },
                locations: vec![format!("/{}", fact.path)],
                origin: origins.of(layer),
            });
        }
    }
    packages.sort_by(|a, b| {
        (a.ecosystem, &a.record.name, &a.record.version, &a.locations).cmp(&(b.ecosystem, &b.record.name, &b.record.version, &b.locations))
    });
    packages.dedup_by(|a, b| a.ecosystem == b.ecosystem && a.record == b.record && a.locations == b.locations);
    packages
}

/// The layer that introduced `record`: walking down from the visible fact,
/// the lowest layer in an unbroken run of the same database file recording
/// the same name, version and arch. (A package upgraded in layer 3 was
/// introduced in layer 3, even though an older version came in layer 0.)
fn introduced_in(at_path: &[&Fact], visible: &Fact, record: &PackageRecord) -> usize {
    let same = |f: &Fact| match &f.kind {
        FactKind::Packages(_, rs) => rs.iter().any(|r| r.name == record.name && r.version == record.version && r.arch == record.arch),
        _ => false,
    };
    let mut layer = visible.layer;
    for f in at_path.iter().rev().filter(|f| f.layer < visible.layer) {
        if !same(f) {
            break;
        }
        layer = f.layer;
    }
    layer
}

/// Files owned by visible OS packages: `path -> package name`. apk and rpm
/// keep file lists in their databases; dpkg in `info/<pkg>.list`.
pub(crate) fn owned_files(scan: &ScanResult) -> HashMap<&str, &str> {
    let mut owned = HashMap::new();
    for fact in scan.visible_facts() {
        match &fact.kind {
            FactKind::Packages(eco, records) if eco.is_os() => {
                for r in records {
                    owned.extend(r.files.iter().map(|f| (f.as_str(), r.name.as_str())));
                }
            }
            FactKind::OwnedFiles { package, files } => owned.extend(files.iter().map(|f| (f.as_str(), package.as_str()))),
            _ => {}
        }
    }
    owned
}

/// The package URL; OS packages carry the distro (`distro=debian-12`) and
/// arch, rpm its epoch as a qualifier (per the purl spec's rpm type).
fn package_url(ecosystem: Ecosystem, r: &PackageRecord, os: Option<&OsInfo>) -> String {
    if !ecosystem.is_os() {
        return purl(ecosystem, r.namespace.as_deref(), &r.name, &r.version, &[]);
    }
    let namespace = os.map(|o| o.id.as_str());
    let distro = os.map(|o| match &o.version_id {
        Some(v) => format!("{}-{v}", o.id),
        None => o.id.clone(),
    });
    let arch = r.arch.as_deref().unwrap_or("");
    let distro = distro.as_deref().unwrap_or("");
    if ecosystem == Ecosystem::Rpm {
        let epoch = r.epoch.map(|e| e.to_string()).unwrap_or_default();
        let version = match r.epoch {
            Some(e) => r.version.strip_prefix(&format!("{e}:")).unwrap_or(&r.version),
            None => &r.version,
        };
        return purl(ecosystem, namespace, &r.name, version, &[("arch", arch), ("distro", distro), ("epoch", &epoch)]);
    }
    purl(ecosystem, namespace, &r.name, &r.version, &[("arch", arch), ("distro", distro)])
}
