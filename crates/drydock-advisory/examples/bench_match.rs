//! Matching speed on a real database: `cargo run --release -p
//! drydock-advisory --example bench_match -- DB [N]`. Builds N packages
//! from names the database holds advisories for (PyPI, crates, Go, at
//! version 0.0.1, so most of them match several advisories: a worst case),
//! then times warm matching runs. See docs/performance.md.

use std::time::Instant;

use drydock_advisory::{Store, match_packages};
use drydock_core::package::{Ecosystem, Package, PackageRecord};
use drydock_core::report::LayerOrigin;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = args.get(1).expect("usage: bench_match DB [N] [VERSION]");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    // `0.0.1` is below nearly every fix (worst case: most packages match);
    // `99999.0.0` is above every fix (the look-ups alone).
    let version = args.get(3).cloned().unwrap_or_else(|| "0.0.1".to_owned());
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut packages = Vec::new();
    for (family, ecosystem) in [("pypi", Ecosystem::Pypi), ("cargo", Ecosystem::Cargo), ("go", Ecosystem::Golang)] {
        let mut stmt = conn.prepare("SELECT DISTINCT name FROM affected WHERE family = ?1 ORDER BY name LIMIT ?2").unwrap();
        let names: Vec<String> = stmt.query_map(rusqlite::params![family, n as i64], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        for name in names {
            let record = PackageRecord { name: name.clone(), version: version.clone(), ..PackageRecord::default() };
            packages.push(Package {
                ecosystem,
                record,
                purl: format!("pkg:{}/{name}@{version}", ecosystem.purl_type()),
                locations: vec![],
                origin: LayerOrigin::default(),
            });
        }
    }
    // Interleave ecosystems, then take N.
    packages.sort_by(|a, b| a.record.name.cmp(&b.record.name));
    packages.truncate(n);
    let store = Store::open(std::path::Path::new(db)).unwrap();
    let first = Instant::now();
    let findings = match_packages(&store, None, &packages).unwrap();
    let cold = first.elapsed();
    let mut runs = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let again = match_packages(&store, None, &packages).unwrap();
        runs.push(t.elapsed());
        assert_eq!(again.len(), findings.len());
    }
    runs.sort();
    println!(
        "{} packages, {} findings: first run {:.1} ms, warm median {:.1} ms (min {:.1}, max {:.1}) over {} runs",
        packages.len(),
        findings.len(),
        cold.as_secs_f64() * 1e3,
        runs[runs.len() / 2].as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3,
        runs.len()
    );
}
