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

/// Release files, most authoritative first: os-release(5), then the older
/// per-distribution files (Alpine, Debian, Red Hat family, Amazon Linux).
pub const PATHS: [&str; 6] =
    ["etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/system-release", "etc/redhat-release", "etc/debian_version"];

impl Analyzer for OsReleaseAnalyzer {
    fn name(&self) -> &'static str {
        "os-release"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && PATHS.contains(&entry.path)
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let parsed = match entry.path {
            "etc/os-release" | "usr/lib/os-release" => parse(content),
            _ => parse_legacy(entry.path, content),
        };
        parsed.map(|r| vec![FactKind::OsRelease(r)])
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

/// Parses the one-line release files that predate os-release.
pub fn parse_legacy(path: &str, content: &[u8]) -> Result<OsRelease, String> {
    let text = std::str::from_utf8(content).map_err(|_| format!("{path} is not UTF-8"))?;
    let line = text.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        return Err(format!("{path} is empty"));
    }
    let simple = |id: &str| OsRelease { id: id.into(), version_id: Some(line.to_owned()), pretty_name: None, codename: None };
    match path {
        "etc/alpine-release" => Ok(simple("alpine")),
        "etc/debian_version" => Ok(simple("debian")),
        // `Amazon Linux release 2 (Karoo)`, `CentOS Linux release 7.9.2009 (Core)`,
        // `Red Hat Enterprise Linux release 8.9 (Ootpa)`, `Rocky Linux release 9.3 (Blue Onyx)`.
        _ => {
            let (name, rest) = line.split_once(" release ").ok_or_else(|| format!("{path}: no `release` in `{line}`"))?;
            let version = rest.split_whitespace().next().unwrap_or("").to_owned();
            let codename = rest.split_once('(').map(|(_, c)| c.trim_end_matches(')').to_owned());
            let lower = name.to_ascii_lowercase();
            let id = [
                ("amazon", "amzn"),
                ("centos", "centos"),
                ("red hat", "rhel"),
                ("rocky", "rocky"),
                ("almalinux", "almalinux"),
                ("oracle", "ol"),
                ("fedora", "fedora"),
            ]
            .iter()
            .find(|(k, _)| lower.contains(k))
            .map(|(_, id)| *id)
            .ok_or_else(|| format!("{path}: unknown distribution `{name}`"))?;
            Ok(OsRelease { id: id.into(), version_id: Some(version), pretty_name: Some(line.to_owned()), codename })
        }
    }
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
    fn parses_legacy_release_files() {
        let r = parse_legacy("etc/system-release", b"Amazon Linux release 2 (Karoo)\n").unwrap();
        assert_eq!((r.id.as_str(), r.version_id.as_deref(), r.codename.as_deref()), ("amzn", Some("2"), Some("Karoo")));
        let r = parse_legacy("etc/redhat-release", b"CentOS Linux release 7.9.2009 (Core)\n").unwrap();
        assert_eq!((r.id.as_str(), r.version_id.as_deref()), ("centos", Some("7.9.2009")));
        let alpine =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/pkgdb/alpine-3.20.3/etc/alpine-release")).unwrap();
        assert_eq!(parse_legacy("etc/alpine-release", &alpine).unwrap().version_id.as_deref(), Some("3.20.3"));
        assert!(parse_legacy("etc/redhat-release", b"Plan 9 from Bell Labs\n").is_err());
        assert!(parse_legacy("etc/debian_version", b"").is_err());
    }

    #[test]
    fn missing_id_and_binary_content_are_errors() {
        assert!(parse(b"NAME=x\n").is_err());
        assert!(parse(&[0xff, 0xfe]).is_err());
    }
}
