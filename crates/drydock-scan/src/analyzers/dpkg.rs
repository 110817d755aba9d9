//! dpkg: `/var/lib/dpkg/status` (Debian, Ubuntu), distroless's one-file-per-
//! package `/var/lib/dpkg/status.d/*`, and the `info/<pkg>.list` file lists
//! that say which files each package owns.
//!
//! Only packages in the `installed` state are inventoried: `dpkg -l` shows
//! `rc` (removed, config files left) packages too, but their code is gone.
//! Debian and Ubuntu advisories are keyed by the *source* package, so
//! `Source: name (version)` is kept (binNMUs like `+b1` differ from it).

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct DpkgAnalyzer;

const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";
const INFO: &str = "var/lib/dpkg/info/";

impl Analyzer for DpkgAnalyzer {
    fn name(&self) -> &'static str {
        "dpkg"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        if *entry.kind != FileKind::File {
            return false;
        }
        let p = entry.path;
        p == STATUS
            || (p.starts_with(STATUS_D) && !p.ends_with(".md5sums") && !p[STATUS_D.len()..].contains('/'))
            || (p.starts_with(INFO) && p.ends_with(".list"))
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let text = String::from_utf8_lossy(content);
        if let Some(list) = entry.path.strip_prefix(INFO) {
            // `libc6:amd64.list` -> `libc6` (multi-arch packages carry the arch).
            let name = list.trim_end_matches(".list");
            let package = name.split_once(':').map(|(n, _)| n).unwrap_or(name).to_owned();
            let files = text.lines().map(|l| l.trim_start_matches('/')).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            return Ok(vec![FactKind::OwnedFiles { package, files }]);
        }
        let (records, problems) = parse_status(&text);
        let mut facts: Vec<FactKind> = problems.into_iter().map(FactKind::Warning).collect();
        if records.is_empty() && !facts.is_empty() && entry.path == STATUS {
            return Err("no readable package stanza".into());
        }
        facts.push(FactKind::Packages(Ecosystem::Deb, records));
        Ok(facts)
    }
}

/// Parses a dpkg status file: RFC 822-style stanzas separated by blank
/// lines, continuation lines starting with a space. Returns the installed
/// packages and a message per stanza that had to be skipped.
pub fn parse_status(text: &str) -> (Vec<PackageRecord>, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut line_no = 0usize;
    for stanza in text.split("\n\n") {
        let first_line = line_no + 1;
        line_no += stanza.lines().count() + 1;
        if stanza.trim().is_empty() {
            continue;
        }
        let field = |name: &str| -> Option<&str> {
            stanza.lines().find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')).map(str::trim))
        };
        let (Some(name), Some(version)) = (field("Package"), field("Version")) else {
            problems.push(format!("stanza at line {first_line} has no Package or Version field; skipped"));
            continue;
        };
        if name.is_empty() || version.is_empty() || name.contains(char::is_whitespace) {
            problems.push(format!("stanza at line {first_line} (`{name}`) has an empty or malformed Package/Version; skipped"));
            continue;
        }
        // Status: want flag, error flag, state. Distroless status.d files
        // have no Status field: they only list installed packages.
        if let Some(status) = field("Status")
            && status.split_whitespace().nth(2) != Some("installed")
        {
            continue;
        }
        let (source_name, source_version) = match field("Source") {
            Some(src) => match src.split_once('(') {
                Some((n, v)) => (n.trim().to_owned(), v.trim_end_matches(')').trim().to_owned()),
                None => (src.to_owned(), version.to_owned()),
            },
            None => (name.to_owned(), version.to_owned()),
        };
        records.push(PackageRecord {
            name: name.to_owned(),
            version: version.to_owned(),
            arch: field("Architecture").map(str::to_owned),
            source_name: Some(source_name),
            source_version: Some(source_version),
            ..PackageRecord::default()
        });
    }
    (records, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn fixture(distro: &str) -> String {
        format!("{}/../../../shared/fixtures/pkgdb/{distro}/var/lib/dpkg", env!("CARGO_MANIFEST_DIR"))
    }

    /// dpkg's own listing is the oracle: same names, versions, arches and
    /// source packages, nothing more, nothing less.
    #[test]
    fn matches_dpkg_query_on_real_databases() {
        for distro in ["debian-bookworm-minbase", "ubuntu-focal-minbase"] {
            let admindir = fixture(distro);
            let out = Command::new("dpkg-query")
                .args([
                    "--admindir",
                    &admindir,
                    "-W",
                    "-f",
                    "${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n",
                ])
                .output()
                .expect("dpkg-query (part of dpkg) is the oracle");
            assert!(out.status.success());
            let mut oracle: Vec<String> = String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("ii"))
                .map(|l| l.split_once('\t').unwrap().1.to_owned())
                .collect();
            oracle.sort();
            let (records, problems) = parse_status(&std::fs::read_to_string(format!("{admindir}/status")).unwrap());
            assert!(problems.is_empty(), "{problems:?}");
            let mut ours: Vec<String> = records
                .iter()
                .map(|r| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.name,
                        r.version,
                        r.arch.as_deref().unwrap_or(""),
                        r.source_name.as_deref().unwrap(),
                        r.source_version.as_deref().unwrap()
                    )
                })
                .collect();
            ours.sort();
            assert_eq!(ours, oracle, "{distro}");
            assert!(ours.len() > 80, "{distro}: {}", ours.len());
        }
    }

    #[test]
    fn corrupt_stanza_is_skipped_and_reported() {
        let text = "Package: ok\nStatus: install ok installed\nVersion: 1.0\n\nStatus: install ok installed\nVersion: 2\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 3\n\nPackage: also-ok\nVersion: 1:2.3-4\nSource: srcpkg\n";
        let (records, problems) = parse_status(text);
        assert_eq!(records.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["ok", "also-ok"]);
        assert_eq!(records[1].source_name.as_deref(), Some("srcpkg"));
        assert_eq!(records[1].source_version.as_deref(), Some("1:2.3-4"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("line 5"), "{problems:?}");
    }

    #[test]
    fn garbage_gives_an_error_not_a_panic() {
        let info = EntryInfo { path: STATUS, kind: &FileKind::File, size: 4, mode: 0o644 };
        assert!(DpkgAnalyzer.analyze(&info, &[0xff, 0xfe, 0, 1]).is_err());
        assert!(DpkgAnalyzer.analyze(&info, b"").unwrap().iter().all(|f| matches!(f, FactKind::Packages(_, r) if r.is_empty())));
    }

    #[test]
    fn wants_status_status_d_and_lists_only() {
        let want = |p: &str| DpkgAnalyzer.wants(&EntryInfo { path: p, kind: &FileKind::File, size: 1, mode: 0o644 });
        assert!(want("var/lib/dpkg/status"));
        assert!(want("var/lib/dpkg/status.d/libc6"));
        assert!(!want("var/lib/dpkg/status.d/libc6.md5sums"));
        assert!(want("var/lib/dpkg/info/libc6:amd64.list"));
        assert!(!want("var/lib/dpkg/info/libc6:amd64.md5sums"));
        assert!(!want("var/lib/dpkg/status-old"));
    }
}
