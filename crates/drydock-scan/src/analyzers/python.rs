//! Python packages: the core metadata file every installer leaves behind.
//!
//! - `<name>-<version>.dist-info/METADATA`: wheels and modern pip (PEP 566).
//! - `<name>.egg-info/PKG-INFO`: setuptools / `setup.py install` and
//!   Debian's `python3-*` packages.
//! - `<name>.egg-info` as a plain file: distutils (Python 2's stdlib
//!   modules such as `wsgiref.egg-info`).
//!
//! All three are RFC 822 headers (the "core metadata" spec) followed by a
//! blank line and the long description, which is not read.

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct PythonAnalyzer;

impl Analyzer for PythonAnalyzer {
    fn name(&self) -> &'static str {
        "python"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File
            && (entry.path.ends_with(".dist-info/METADATA")
                || entry.path.ends_with(".egg-info/PKG-INFO")
                || entry.path.ends_with(".egg-info"))
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        parse(content).map(|r| vec![FactKind::Packages(Ecosystem::Pypi, vec![r])])
    }
}

/// A `License:` longer than this is the license's full text (some projects
/// paste it in); the classifiers say it better.
const MAX_LICENSE_FIELD: usize = 100;

/// Parses one core-metadata file into its package.
pub fn parse(content: &[u8]) -> Result<PackageRecord, String> {
    // Old PKG-INFO files are sometimes Latin-1; the fields we read are ASCII
    // in practice, so a lossy decode loses nothing that matters.
    let text = String::from_utf8_lossy(content);
    let mut name = None;
    let mut version = None;
    let mut expression = None;
    let mut license: Option<String> = None;
    let mut classifiers = Vec::new();
    // (field, value) of the header being read, to append continuation lines.
    let mut current: Option<(&str, String)> = None;
    let mut flush = |field: Option<(&str, String)>| {
        let Some((key, value)) = field else { return };
        let value = value.trim().to_owned();
        match key.to_ascii_lowercase().as_str() {
            "name" if name.is_none() => name = Some(value),
            "version" if version.is_none() => version = Some(value),
            "license-expression" => expression = Some(value),
            "license" => license = Some(value),
            "classifier" => {
                if let Some(rest) = value.strip_prefix("License ::") {
                    // `License :: OSI Approved :: MIT License` -> `MIT License`.
                    let last = rest.rsplit("::").next().unwrap_or(rest).trim();
                    if !last.is_empty() && last != "OSI Approved" {
                        classifiers.push(last.to_owned());
                    }
                }
            }
            _ => {}
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            break; // the body (long description) starts here
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.as_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        flush(current.take());
        current = line.split_once(':').map(|(k, v)| (k.trim(), v.to_owned()));
    }
    flush(current.take());
    let name = name.filter(|n| !n.is_empty()).ok_or("core metadata has no Name: header")?;
    let version = version.filter(|v| !v.is_empty()).ok_or_else(|| format!("core metadata for `{name}` has no Version: header"))?;
    let license = license.filter(|l| !l.is_empty() && l != "UNKNOWN" && !l.contains('\n') && l.len() <= MAX_LICENSE_FIELD);
    // An SPDX expression (PEP 639) is authoritative; then the free-text
    // field; then the trove classifiers.
    let licenses = match (expression.filter(|e| !e.is_empty()), license) {
        (Some(e), _) => vec![e],
        (None, Some(l)) => vec![l],
        (None, None) => classifiers,
    };
    Ok(PackageRecord { name, version, licenses, ..Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/python/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn parses_real_dist_info_and_egg_info() {
        let r = parse(&data("pip-23.2.1.dist-info/METADATA")).unwrap();
        assert_eq!((r.name.as_str(), r.version.as_str(), r.licenses.as_slice()), ("pip", "23.2.1", &["MIT".to_owned()][..]));
        // Metadata 2.4: License-Expression wins.
        let r = parse(&data("attrs-26.1.0.dist-info/METADATA")).unwrap();
        assert_eq!((r.name.as_str(), r.version.as_str(), r.licenses.as_slice()), ("attrs", "26.1.0", &["MIT".to_owned()][..]));
        let r = parse(&data("PyJWT-2.6.0.egg-info/PKG-INFO")).unwrap();
        assert_eq!((r.name.as_str(), r.version.as_str(), r.licenses.as_slice()), ("PyJWT", "2.6.0", &["MIT".to_owned()][..]));
        let r = parse(&data("wsgiref.egg-info")).unwrap();
        assert_eq!((r.name.as_str(), r.version.as_str(), r.licenses.as_slice()), ("wsgiref", "0.1.2", &["PSF or ZPL".to_owned()][..]));
    }

    #[test]
    fn classifiers_stand_in_for_a_missing_or_pasted_license() {
        let r = parse(b"Name: x\nVersion: 1\nLicense: Copyright (c) someone\n  Permission is hereby granted\nClassifier: License :: OSI Approved :: BSD License\n\nbody\nLicense: no\n").unwrap();
        assert_eq!(r.licenses, vec!["BSD License"]);
        let r = parse(b"Name: x\nVersion: 1\nLicense: UNKNOWN\n").unwrap();
        assert!(r.licenses.is_empty());
    }

    #[test]
    fn malformed_metadata_is_an_error_not_a_panic() {
        assert!(parse(b"").is_err());
        assert!(parse(b"Version: 1.0\n").is_err());
        assert!(parse(b"Name: x\n\nVersion: 1.0\n").unwrap_err().contains("`x`"), "the body is not headers");
        assert!(parse(&[0xff, 0xfe, b':', b'\n', b' ', 0]).is_err());
        let real = data("pip-23.2.1.dist-info/METADATA");
        for cut in [1, 5, 20, 40] {
            let _ = parse(&real[..cut]);
        }
    }

    #[test]
    fn wants_only_metadata_files() {
        let w = |path: &str, kind: FileKind| PythonAnalyzer.wants(&EntryInfo { path, kind: &kind, size: 10, mode: 0o644 });
        assert!(w("usr/lib/python3.11/site-packages/pip-23.2.1.dist-info/METADATA", FileKind::File));
        assert!(w("usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO", FileKind::File));
        assert!(w("usr/lib/python2.7/wsgiref.egg-info", FileKind::File));
        assert!(!w("usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info", FileKind::Dir));
        assert!(!w("usr/lib/python3.11/site-packages/pip-23.2.1.dist-info/RECORD", FileKind::File));
    }
}
