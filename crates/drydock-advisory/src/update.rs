//! `drydock db update`: fetch the configured feeds and swap the database.
//!
//! Every feed is downloaded to a temp file beside the database with a
//! conditional request (`If-None-Match` / `If-Modified-Since` from the last
//! fetch), its length checked against `Content-Length` and its sha256
//! recorded. Only when every feed arrived whole and parsed is a new
//! database built and renamed over the old one; any failure leaves the old
//! database as it was. A `304 Not Modified` keeps a feed's records and
//! refreshes its fetch time: the publisher confirmed it is current.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest as _, Sha256};

use crate::ecosystem::Family;
use crate::import::{ImportError, SourceOutcome, now_rfc3339, read_input, store_batch};
use crate::store::{Rebuild, SourceInfo, Store, StoreError};

/// The public OSV per-ecosystem exports (`<base>/<Ecosystem>/all.zip`).
pub const OSV_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// The CISA KEV catalog.
pub const KEV_URL: &str = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
/// FIRST EPSS scores for every CVE, current day.
pub const EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";

/// Ecosystems fetched when neither the command line nor the database
/// names any: the distros and registries drydock inventories.
pub const DEFAULT_FAMILIES: &[Family] = &[
    Family::Debian,
    Family::Ubuntu,
    Family::Alpine,
    Family::Wolfi,
    Family::Chainguard,
    Family::AlmaLinux,
    Family::Rocky,
    Family::RedHat,
    Family::Suse,
    Family::OpenSuse,
    Family::PyPI,
    Family::Npm,
    Family::Cargo,
    Family::Go,
    Family::Maven,
    Family::RubyGems,
    Family::NuGet,
];

/// Largest feed accepted (the Debian OSV export is a few hundred MB).
pub const MAX_DOWNLOAD_BYTES: u64 = 4 << 30;

/// One feed to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    /// Source name in the database (`osv-debian`, `kev`, `epss`).
    pub name: String,
    pub url: String,
}

/// The default feeds for `families`, under the given base URLs.
pub fn default_feeds(families: &[Family], osv_base: &str, kev_url: Option<&str>, epss_url: Option<&str>) -> Vec<Feed> {
    let mut feeds: Vec<Feed> = families
        .iter()
        .map(|f| Feed {
            name: format!("osv-{}", f.as_str()),
            url: format!("{}/{}/all.zip", osv_base.trim_end_matches('/'), f.osv_export_name().replace(' ', "%20")),
        })
        .collect();
    if let Some(kev) = kev_url {
        feeds.push(Feed { name: "kev".into(), url: kev.into() });
    }
    if let Some(epss) = epss_url {
        feeds.push(Feed { name: "epss".into(), url: epss.into() });
    }
    feeds
}

/// The OSV families already in the database (from `osv-<family>` sources).
pub fn families_in(store: &Store) -> Result<Vec<Family>, StoreError> {
    Ok(store.sources()?.iter().filter_map(|s| s.name.strip_prefix("osv-").and_then(Family::parse)).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{url}: {reason} (the database was not changed)")]
    Fetch { url: String, reason: String },
}

#[derive(Clone, Debug)]
pub struct UpdateOptions {
    /// Allow plain HTTP to hosts other than loopback.
    pub insecure: bool,
    pub timeout: Duration,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions { insecure: false, timeout: Duration::from_secs(60) }
    }
}

/// What happened to one feed.
#[derive(Clone, Debug)]
pub enum FeedResult {
    Updated(SourceOutcome),
    /// 304: kept, fetch time refreshed.
    NotModified(SourceInfo),
}

/// Progress for a terminal: (feed name, bytes so far, total if known).
pub type ProgressFn<'a> = &'a (dyn Fn(&str, u64, Option<u64>) + Sync);

/// Fetches `feeds` and replaces the database at `db` atomically.
pub fn update(
    db: &Path,
    feeds: &[Feed],
    options: &UpdateOptions,
    progress: Option<ProgressFn<'_>>,
) -> Result<Vec<FeedResult>, UpdateError> {
    let previous: Vec<SourceInfo> = match Store::open(db) {
        Ok(store) => store.sources()?,
        Err(StoreError::Missing(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned();
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io { path: dir.clone(), source: e })?;
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .user_agent(concat!("drydock/", env!("CARGO_PKG_VERSION")))
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_response(Some(options.timeout))
        .timeout_per_read(Some(options.timeout))
        .build()
        .new_agent();

    // 1. Download everything first; nothing is touched until all arrive.
    let mut downloads: Vec<(Feed, Option<Download>)> = Vec::new();
    for feed in feeds {
        let before = previous.iter().find(|s| s.name == feed.name);
        let d = fetch(&agent, feed, before, &dir, options, progress)?;
        downloads.push((feed.clone(), d));
    }

    // 2. Build the new database from the old one plus the new feeds.
    let mut rebuild = Rebuild::start(db, true)?;
    let now = now_rfc3339();
    let mut results = Vec::new();
    for (feed, download) in downloads {
        match download {
            None => {
                let mut info = previous.iter().find(|s| s.name == feed.name).cloned().unwrap_or_default();
                info.fetched_at = now.clone();
                rebuild.put_source(&info)?;
                results.push(FeedResult::NotModified(info));
            }
            Some(d) => {
                rebuild.clear_source(&feed.name)?;
                let mut outcome = SourceOutcome {
                    info: SourceInfo {
                        name: feed.name.clone(),
                        location: feed.url.clone(),
                        fetched_at: now.clone(),
                        sha256: Some(d.sha256.clone()),
                        etag: d.etag.clone(),
                        last_modified: d.last_modified.clone(),
                        ..SourceInfo::default()
                    },
                    ..SourceOutcome::default()
                };
                let mut kinds = std::collections::BTreeSet::new();
                read_input(d.path(), &mut |batch| store_batch(&mut rebuild, &feed.name, batch, &mut outcome, &mut kinds))?;
                outcome.info.kind = match kinds.len() {
                    1 => kinds.into_iter().next().unwrap_or_default(),
                    0 => "empty".into(),
                    _ => "mixed".into(),
                };
                // Verification: a feed that yields nothing is not a feed.
                if outcome.info.records() == 0 && outcome.info.dropped == 0 {
                    return Err(UpdateError::Fetch {
                        url: feed.url.clone(),
                        reason: format!(
                            "downloaded {} bytes but found no advisory records in {} file(s){}",
                            d.bytes,
                            outcome.files,
                            outcome.unreadable.first().map(|m| format!(" ({}: {})", m.file, m.reason)).unwrap_or_default()
                        ),
                    });
                }
                rebuild.put_source(&outcome.info)?;
                results.push(FeedResult::Updated(outcome));
            }
        }
    }
    rebuild.commit(&now)?;
    Ok(results)
}

/// A fetched feed in a temp file (removed on drop).
struct Download {
    file: tempfile::TempPath,
    bytes: u64,
    sha256: String,
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Download {
    fn path(&self) -> &Path {
        &self.file
    }
}

fn fetch(
    agent: &ureq::Agent,
    feed: &Feed,
    before: Option<&SourceInfo>,
    dir: &Path,
    options: &UpdateOptions,
    progress: Option<ProgressFn<'_>>,
) -> Result<Option<Download>, UpdateError> {
    let err = |reason: String| UpdateError::Fetch { url: feed.url.clone(), reason };
    let uri: ureq::http::Uri = feed.url.parse().map_err(|_| err("not a URL".into()))?;
    let host = uri.host().unwrap_or("");
    let loopback = host == "localhost" || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if loopback || options.insecure => {}
        Some("http") => return Err(err("plain HTTP to a non-loopback host: use https, or pass --insecure".into())),
        _ => return Err(err("only http(s) URLs can be fetched (use `drydock db import` for files)".into())),
    }
    let mut req = agent.get(&feed.url);
    if let Some(prev) = before.filter(|p| p.location == feed.url) {
        if let Some(etag) = &prev.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(lm) = &prev.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
    }
    let resp = req.call().map_err(|e| err(e.to_string()))?;
    let status = resp.status().as_u16();
    if status == 304 {
        if before.is_none() {
            return Err(err("304 Not Modified for a feed the database does not have".into()));
        }
        return Ok(None);
    }
    if !(200..300).contains(&status) {
        return Err(err(format!("HTTP {status}")));
    }
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let etag = header("etag");
    let last_modified = header("last-modified");
    let expected: Option<u64> = header("content-length").and_then(|v| v.parse().ok());
    if expected.is_some_and(|n| n > MAX_DOWNLOAD_BYTES) {
        return Err(err(format!("{} bytes is more than the {MAX_DOWNLOAD_BYTES}-byte limit", expected.unwrap_or(0))));
    }
    // Keep the URL's file name so the importer recognises the format.
    let file_name = uri.path().rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("feed");
    let tmp = tempfile::Builder::new()
        .prefix(".drydock-download-")
        .suffix(&format!("-{file_name}"))
        .tempfile_in(dir)
        .map_err(|e| err(format!("temp file in {}: {e}", dir.display())))?;
    let (mut file, path) = tmp.into_parts();
    let mut body = resp.into_body().into_with_config().limit(MAX_DOWNLOAD_BYTES).reader();
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 256 << 10];
    loop {
        let n = body.read(&mut buf).map_err(|e| err(format!("download interrupted after {bytes} bytes: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(|e| err(format!("writing {}: {e}", path.display())))?;
        bytes += n as u64;
        if let Some(p) = progress {
            p(&feed.name, bytes, expected);
        }
    }
    if let Some(n) = expected
        && n != bytes
    {
        return Err(err(format!("incomplete download: {bytes} of {n} bytes")));
    }
    file.sync_all().map_err(|e| err(e.to_string()))?;
    drop::<File>(file);
    Ok(Some(Download { file: path, bytes, sha256: hex::encode(hasher.finalize()), etag, last_modified }))
}

/// Where a download would be kept; exposed for messages.
pub fn download_dir(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned()
}
