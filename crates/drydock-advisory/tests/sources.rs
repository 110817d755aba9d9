use std::path::{Path, PathBuf};
use drydock_advisory::model::*;
use drydock_advisory::sources::{self, Format};
use rayon::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/");

fn fixture(rel: &str) -> PathBuf { Path::new(FIXTURES).join(rel) }

fn files_under(rel: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(fixture(rel)).into_iter().filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
    v.sort();
    v
}

fn parse_all(rel: &str) -> Vec<(PathBuf, Option<Format>, Result<Parsed, String>)> {
    files_under(rel).into_par_iter().map(|p| {
        let bytes = std::fs::read(&p).unwrap();
        let name = p.to_string_lossy().into_owned();
        let head = &bytes[..bytes.len().min(64 << 10)];
        match sources::detect(&name, head) {
            Some(f) => { let r = sources::parse(f, &name, &bytes); (p, Some(f), r) }
            None => (p, None, Ok(Parsed::default())),
        }
    }).collect()
}

#[test]
fn explore() {
    for rel in ["osv/rustsec", "osv/go", "osv/pypa", "osv/almalinux", "osv/samples", "osv/alpine-secdb", "osv/kev", "upstream-samples"] {
        let t = std::time::Instant::now();
        let all = parse_all(rel);
        let mut fmts = std::collections::BTreeMap::new();
        let (mut adv, mut drop, mut mal, mut err) = (0, 0, 0, 0);
        for (p, f, r) in &all {
            *fmts.entry(format!("{f:?}")).or_insert(0) += 1;
            match r { Ok(x) => { adv += x.advisories.len() + x.kev.len() + x.epss.len() + x.cve_scores.len(); drop += x.dropped.len(); mal += x.malformed.len();
                if !x.malformed.is_empty() { println!("  MAL {} {:?}", p.display(), &x.malformed[..x.malformed.len().min(3)]); } }
                Err(e) => { err += 1; println!("  ERR {e}"); } }
            if f.is_none() && !rel.starts_with("upstream") { println!("  NONE {}", p.display()); }
        }
        println!("{rel}: files {} {fmts:?} records {adv} dropped {drop} malformed {mal} errors {err} in {:?}", all.len(), t.elapsed());
    }
}
