//! `os-release` (freedesktop.org): which distribution and release the image
//! is built on. Advisory matching is keyed by it (later issues), and the
//! report states it.

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsRelease {
    pub id: String,
    pub version_id: Option<String>,
    pub pretty_name: Option<String>,
    pub codename: Option<String>,
}

pub struct OsReleaseAnalyzer;

pub const PATHS: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];

impl Analyzer for OsReleaseAnalyzer {
    fn name(&self) -> &'static str {
        "os-release"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && PATHS.contains(&entry.path)
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        parse(content).map(|r| vec![FactKind::OsRelease(r)])
    }
}

/// Parses `KEY=value` lines with shell-style quoting, as os-release(5) says.
pub fn parse(content: &[u8]) -> Result<OsRelease, String> {
    let text = std::str::from_utf8(content).map_err(|_| "os-release is not UTF-8".to_owned())?;
    let mut r = OsRelease::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = unquote(value.trim());
        match key.trim() {
            "ID" => r.id = value,
            "VERSION_ID" => r.version_id = Some(value),
            "PRETTY_NAME" => r.pretty_name = Some(value),
            "VERSION_CODENAME" => r.codename = Some(value),
            _ => {}
        }
    }
    if r.id.is_empty() {
        return Err("os-release has no ID".into());
    }
    Ok(r)
}

fn unquote(v: &str) -> String {
    let inner = match v.as_bytes() {
        [b'"', .., b'"'] | [b'\'', .., b'\''] if v.len() >= 2 => &v[1..v.len() - 1],
        _ => v,
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_debian_and_alpine_files() {
        // Real file from a debootstrap'd Debian 12 (shared fixtures).
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/pkgdb/debian-bookworm-minbase/etc/os-release");
        let r = parse(&std::fs::read(path).expect("shared fixtures beside the repository")).unwrap();
        assert_eq!(r.id, "debian");
        assert_eq!(r.version_id.as_deref(), Some("12"));
        assert_eq!(r.codename.as_deref(), Some("bookworm"));
        let r = parse(b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n").unwrap();
        assert_eq!((r.id.as_str(), r.version_id.as_deref()), ("alpine", Some("3.20.3")));
        assert_eq!(r.pretty_name.as_deref(), Some("Alpine Linux v3.20"));
    }

    #[test]
    fn missing_id_and_binary_content_are_errors() {
        assert!(parse(b"NAME=x\n").is_err());
        assert!(parse(&[0xff, 0xfe]).is_err());
    }
}
