//! Secrets in file contents, in every layer (a file a later layer deletes
//! is still in the image). Not in [`super::ALL`]: `drydock scan` adds it
//! when the secret scanner is selected, because it reads every small text
//! file rather than a few known paths.
//!
//! Binary files and files over [`MAX_BYTES`] are skipped: by extension
//! before reading, and by the scanner's NUL-byte check after.

use std::sync::OnceLock;

use drydock_secrets::{Allowlist, ScanOptions, Scanner};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

/// Files larger than this are not read for secrets (config files, keys
/// and scripts are small; large files are data or binaries).
pub const MAX_BYTES: u64 = 1 << 20;

/// Extensions that are binary or archives: skipped without reading.
const BINARY_EXTENSIONS: &[&str] = &[
    "so", "a", "o", "ko", "dll", "exe", "bin", "png", "jpg", "jpeg", "gif", "ico", "webp", "bmp", "svgz", "ttf", "otf", "woff", "woff2",
    "gz", "xz", "bz2", "zst", "zip", "jar", "war", "whl", "egg", "tar", "tgz", "deb", "rpm", "apk", "pyc", "pyo", "mo", "db", "sqlite",
    "wasm", "class", "node", "pdf", "mp3", "mp4", "ogg", "wav", "gpg", "kbx",
];

/// Paths whose content is not the image builder's: compiled locale and
/// timezone data.
const SKIP_PREFIXES: &[&str] = &["usr/share/zoneinfo/", "usr/lib/locale/", "usr/share/locale/", "usr/share/i18n/", "proc/", "sys/"];

pub struct SecretsAnalyzer;

/// The one scanner with the built-in rules, shared by the layer walk and
/// the config checks (rules compile once per process).
static SCANNER: OnceLock<Option<Scanner>> = OnceLock::new();

pub(crate) fn scanner() -> Option<&'static Scanner> {
    SCANNER.get_or_init(|| Scanner::new(Allowlist::default(), ScanOptions::default()).ok()).as_ref()
}

/// Sets the allow-list (known test fixtures: paths, rule ids, value
/// fingerprints) for this process's scans. Call it before the first scan:
/// the scanner is built once; a second call is an error.
pub fn configure(allow: Allowlist) -> Result<(), String> {
    let scanner = Scanner::new(allow, ScanOptions::default()).map_err(|e| format!("secret allow-list: {e}"))?;
    SCANNER.set(Some(scanner)).map_err(|_| "the secret scanner was already configured".to_owned())
}

impl Analyzer for SecretsAnalyzer {
    fn name(&self) -> &'static str {
        "secrets"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        if *entry.kind != FileKind::File || entry.size == 0 || entry.size > MAX_BYTES {
            return false;
        }
        if SKIP_PREFIXES.iter().any(|p| entry.path.starts_with(p)) {
            return false;
        }
        let name = entry.path.rsplit('/').next().unwrap_or(entry.path);
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        // `.so.6` and friends: a shared library with a version suffix.
        let versioned_so = name.contains(".so.");
        !(versioned_so || BINARY_EXTENSIONS.iter().any(|b| ext.eq_ignore_ascii_case(b)))
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let Some(scanner) = scanner() else { return Ok(Vec::new()) };
        Ok(scanner.scan(&format!("/{}", entry.path), content).into_iter().map(FactKind::Secret).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wants(path: &str, size: u64) -> bool {
        SecretsAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size, mode: 0o644 })
    }

    #[test]
    fn reads_small_text_files_only() {
        assert!(wants("srv/app/.env", 120));
        assert!(wants("root/.aws/credentials", 300));
        assert!(!wants("usr/lib/x86_64-linux-gnu/libc.so.6", 2_000_000));
        assert!(!wants("usr/lib/libz.so.1.3", 100_000));
        assert!(!wants("srv/logo.png", 5000));
        assert!(!wants("srv/big.json", MAX_BYTES + 1));
        assert!(!wants("usr/share/zoneinfo/UTC", 100));
    }
}
