//! The database lifecycle on real feeds: import, re-import, bundles across
//! an air gap (and tampered or truncated ones), updates from a loopback
//! HTTP server with conditional requests, and atomic replacement.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use drydock_advisory::bundle;
use drydock_advisory::update::{Feed, FeedResult, UpdateOptions, update};
use drydock_advisory::{ImportOptions, Store, import};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/")).join(rel)
}

fn import_one(db: &Path, path: PathBuf, name: &str) -> drydock_advisory::import::SourceOutcome {
    let mut out = import(db, &[path], &ImportOptions { name: Some(name.into()), fetched_at: None }).expect("import");
    out.remove(0)
}

fn source_names(db: &Path) -> Vec<(String, u64)> {
    Store::open(db).unwrap().sources().unwrap().into_iter().map(|s| (s.name.clone(), s.records())).collect()
}

#[test]
fn real_feeds_import_with_exact_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("advisories.db");
    // RustSec: 1,206 advisories in OSV JSON (rustsec/advisory-db, CC0-1.0).
    let rust = import_one(&db, fixture("osv/rustsec/crates"), "rustsec");
    assert_eq!(rust.info.advisories + rust.info.dropped, 1206, "{:?}", rust.malformed);
    assert_eq!(rust.info.malformed, 0, "{:?}", rust.malformed);
    assert_eq!(rust.info.kind, "osv");
    // PyPA advisory database: OSV YAML (CC-BY-4.0).
    let pypa = import_one(&db, fixture("osv/pypa/vulns"), "pypa");
    assert_eq!(pypa.info.malformed, 0, "{:?}", pypa.malformed);
    assert!(pypa.info.advisories > 2500, "{}", pypa.info.advisories);
    // CISA KEV catalog, 1,404 entries (CC0).
    let kev = import_one(&db, fixture("osv/kev/known_exploited_vulnerabilities.json"), "kev");
    assert_eq!(kev.info.kev, 1404);
    assert_eq!(kev.unrecognised.len(), 0);

    let names = source_names(&db);
    assert_eq!(names.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["kev", "pypa", "rustsec"]);

    // Importing a source again replaces its records, not adds to them.
    let again = import_one(&db, fixture("osv/rustsec/crates"), "rustsec");
    assert_eq!(again.info.advisories, rust.info.advisories);
    assert_eq!(source_names(&db), names);
    let store = Store::open(&db).unwrap();
    let counts = store.family_counts().unwrap();
    assert_eq!(counts.get("cargo").copied(), Some(rust.info.advisories));
}

#[test]
fn a_directory_without_advisories_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("advisories.db");
    import_one(&db, fixture("osv/kev/known_exploited_vulnerabilities.json"), "kev");
    let before = std::fs::read(&db).unwrap();
    let junk = tmp.path().join("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("README.md"), "not advisories").unwrap();
    let err = import(&db, std::slice::from_ref(&junk), &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("no advisory records"), "{err}");
    assert!(err.contains("junk"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "a failed import must leave the database byte-identical");
    let stray: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(stray.len(), 3, "no temp files left behind: {stray:?}"); // db, its lock file, junk/
}

#[test]
fn malformed_records_are_named_and_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("feed");
    std::fs::create_dir(&feed).unwrap();
    std::fs::copy(fixture("osv/rustsec/crates/RUSTSEC-2016-0001.json"), feed.join("RUSTSEC-2016-0001.json")).unwrap();
    std::fs::write(feed.join("BROKEN-1.json"), br#"{"id": "BROKEN-1", "affected": 7, "modified": "2024-01-01T00:00:00Z"}"#).unwrap();
    std::fs::write(feed.join("TRUNC-1.json"), br#"{"id": "TRUNC-1", "modified": "2024-"#).unwrap();
    let db = tmp.path().join("a.db");
    let out = import_one(&db, feed, "mixed-quality");
    assert_eq!(out.info.advisories, 1);
    let named: Vec<String> =
        out.malformed.iter().map(|m| format!("{} {}", m.file, m.record)).chain(out.unreadable.iter().map(|m| m.file.clone())).collect();
    assert!(named.iter().any(|n| n.contains("BROKEN-1")), "{named:?}");
    assert!(named.iter().any(|n| n.contains("TRUNC-1")), "{named:?}");
}

#[test]
fn bundles_round_trip_and_refuse_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("src.db");
    import_one(&db, fixture("osv/rustsec/crates"), "rustsec");
    import_one(&db, fixture("osv/kev/known_exploited_vulnerabilities.json"), "kev");
    import_one(&db, fixture("upstream-samples/epss/test-fixtures/example-1.csv"), "epss");
    let original = Store::open(&db).unwrap().sources().unwrap();

    let bundle_path = tmp.path().join("advisories.tar.zst");
    let summary = bundle::export(&db, &bundle_path).unwrap();
    assert_eq!(summary.sha256.len(), 64);
    assert_eq!(summary.manifest.sources, original);
    assert!(summary.manifest.parts.iter().all(|p| p.sha256.len() == 64 && p.records > 0));

    // The air-gapped side: a fresh database from the bundle alone.
    let far = tmp.path().join("far.db");
    let out = import(&far, std::slice::from_ref(&bundle_path), &ImportOptions::default()).unwrap();
    assert_eq!(out.len(), 3);
    let imported = Store::open(&far).unwrap().sources().unwrap();
    assert_eq!(imported, original, "sources keep their names, counts and original fetch times");
    // Exporting the copy gives the same parts, byte for byte.
    let again = bundle::export(&far, &tmp.path().join("again.tar.zst")).unwrap();
    assert_eq!(again.manifest.parts, summary.manifest.parts);

    // Tampering: change one byte inside a part and re-pack.
    let tampered = repack(&bundle_path, tmp.path(), |name, data| {
        if name.ends_with(".kev.jsonl") {
            let i = data.iter().position(|b| *b == b'2').unwrap();
            data[i] = b'3';
        }
    });
    let before = std::fs::read(&far).unwrap();
    let err = import(&far, &[tampered], &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("does not match the manifest"), "{err}");
    assert_eq!(std::fs::read(&far).unwrap(), before);

    // Truncation: drop the last part.
    let truncated = repack(&bundle_path, tmp.path(), |_, _| {});
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = import(&far, &[truncated], &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("bundle") || err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&far).unwrap(), before);
}

/// Rewrites a bundle through `edit`, keeping entry order.
fn repack(bundle_path: &Path, dir: &Path, mut edit: impl FnMut(&str, &mut Vec<u8>)) -> PathBuf {
    let out = dir.join(format!("repacked-{}.tar.zst", std::time::SystemTime::now().elapsed().map(|d| d.as_nanos()).unwrap_or(0)));
    let mut archive = tar::Archive::new(zstd::Decoder::new(std::fs::File::open(bundle_path).unwrap()).unwrap());
    let mut builder = tar::Builder::new(zstd::Encoder::new(std::fs::File::create(&out).unwrap(), 3).unwrap().auto_finish());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        edit(&name, &mut data);
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, &name, &data[..]).unwrap();
    }
    builder.into_inner().unwrap();
    out
}

/// Served files: path -> (body, ETag).
type Files = Arc<Mutex<HashMap<String, (Vec<u8>, String)>>>;

/// A loopback HTTP/1.1 server for feed files: honours `If-None-Match`,
/// counts requests, and can be told to cut a body short.
struct FeedServer {
    addr: String,
    files: Files,
    truncate: Arc<Mutex<bool>>,
    requests: Arc<Mutex<Vec<(String, u16)>>>,
}

impl FeedServer {
    fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let files: Files = Arc::default();
        let truncate: Arc<Mutex<bool>> = Arc::default();
        let requests: Arc<Mutex<Vec<(String, u16)>>> = Arc::default();
        let (f, t, r) = (files.clone(), truncate.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let mut if_none_match = None;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':')
                        && k.eq_ignore_ascii_case("if-none-match")
                    {
                        if_none_match = Some(v.trim().to_owned());
                    }
                }
                let file = f.lock().unwrap().get(&path).cloned();
                let status = match file {
                    None => {
                        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        404
                    }
                    Some((_, etag)) if if_none_match.as_deref() == Some(etag.as_str()) => {
                        let _ = write!(stream, "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n");
                        304
                    }
                    Some((body, etag)) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let cut = if *t.lock().unwrap() { body.len() / 2 } else { body.len() };
                        let _ = stream.write_all(&body[..cut]);
                        200
                    }
                };
                r.lock().unwrap().push((path, status));
            }
        });
        FeedServer { addr, files, truncate, requests }
    }

    fn serve(&self, path: &str, body: Vec<u8>, etag: &str) {
        self.files.lock().unwrap().insert(path.to_owned(), (body, format!("\"{etag}\"")));
    }
}

/// A zip of OSV files, like the OSV per-ecosystem `all.zip` exports.
fn osv_zip(dir: &Path, limit: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let mut entries: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        entries.sort();
        for p in entries.into_iter().take(limit) {
            zip.start_file(p.file_name().unwrap().to_string_lossy(), zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn update_fetches_conditionally_and_never_installs_a_partial_download() {
    let server = FeedServer::start();
    server.serve("/osv/Go/all.zip", osv_zip(&fixture("osv/go/data"), 300), "go-1");
    server.serve("/kev.json", std::fs::read(fixture("osv/kev/known_exploited_vulnerabilities.json")).unwrap(), "kev-1");
    let feeds = vec![
        Feed { name: "osv-go".into(), url: format!("{}/osv/Go/all.zip", server.addr) },
        Feed { name: "kev".into(), url: format!("{}/kev.json", server.addr) },
    ];
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("advisories.db");

    let first = update(&db, &feeds, &UpdateOptions::default(), None).unwrap();
    assert!(matches!(&first[0], FeedResult::Updated(o) if o.info.advisories + o.info.dropped == 300));
    assert!(matches!(&first[1], FeedResult::Updated(o) if o.info.kev == 1404));
    let sources = Store::open(&db).unwrap().sources().unwrap();
    assert!(sources.iter().all(|s| s.etag.is_some() && s.sha256.as_ref().is_some_and(|h| h.len() == 64)));

    // Unchanged feeds: 304, records kept.
    let second = update(&db, &feeds, &UpdateOptions::default(), None).unwrap();
    assert!(second.iter().all(|r| matches!(r, FeedResult::NotModified(_))), "{second:?}");
    assert_eq!(
        Store::open(&db).unwrap().sources().unwrap().iter().map(|s| s.records()).collect::<Vec<_>>(),
        sources.iter().map(|s| s.records()).collect::<Vec<_>>()
    );

    // A new export that arrives cut short: the update fails, the old database stays.
    server.serve("/osv/Go/all.zip", osv_zip(&fixture("osv/go/data"), 600), "go-2");
    *server.truncate.lock().unwrap() = true;
    let before = std::fs::read(&db).unwrap();
    let err = update(&db, &feeds, &UpdateOptions::default(), None).unwrap_err().to_string();
    assert!(err.contains("osv/Go/all.zip"), "{err}");
    assert!(err.contains("database was not changed"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // Whole again: the new records replace the old.
    *server.truncate.lock().unwrap() = false;
    let third = update(&db, &feeds, &UpdateOptions::default(), None).unwrap();
    assert!(matches!(&third[0], FeedResult::Updated(o) if o.info.advisories + o.info.dropped == 600));
    assert!(matches!(&third[1], FeedResult::NotModified(_)));
    let statuses: Vec<u16> = server.requests.lock().unwrap().iter().map(|(_, s)| *s).collect();
    // The cut-short attempt stopped at the first feed; nothing after it was fetched.
    assert_eq!(statuses, [200, 200, 304, 304, 200, 200, 304]);

    // A 404 names the URL and changes nothing.
    let missing = vec![Feed { name: "osv-npm".into(), url: format!("{}/osv/npm/all.zip", server.addr) }];
    let err = update(&db, &missing, &UpdateOptions::default(), None).unwrap_err().to_string();
    assert!(err.contains("HTTP 404") && err.contains("/osv/npm/all.zip"), "{err}");
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("advisories.db");
    let first = drydock_advisory::store::Rebuild::start(&db, true).unwrap();
    let err = import(&db, &[fixture("osv/kev/known_exploited_vulnerabilities.json")], &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("another drydock process"), "{err}");
    drop(first);
    import(&db, &[fixture("osv/kev/known_exploited_vulnerabilities.json")], &ImportOptions::default()).unwrap();
}
