//! apk: `/lib/apk/db/installed` (Alpine, Wolfi, Chainguard).
//!
//! One stanza per package, one `X:value` field per line: `P` name, `V`
//! version, `A` arch, `L` license, `o` origin (the aport that built it:
//! Alpine's secdb keys advisories by it), `F` directory and `R` file within
//! the last `F`, which together list the files the package owns.

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct ApkAnalyzer;

pub const INSTALLED: &str = "lib/apk/db/installed";

impl Analyzer for ApkAnalyzer {
    fn name(&self) -> &'static str {
        "apk"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && entry.path == INSTALLED
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let text = std::str::from_utf8(content).map_err(|e| format!("not UTF-8: {e}"))?;
        let (records, problems) = parse_installed(text);
        let mut facts: Vec<FactKind> = problems.into_iter().map(FactKind::Warning).collect();
        facts.push(FactKind::Packages(Ecosystem::Apk, records));
        Ok(facts)
    }
}

pub fn parse_installed(text: &str) -> (Vec<PackageRecord>, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut current = PackageRecord::default();
    let mut dir = String::new();
    let mut start_line = 1;
    let finish = |rec: &mut PackageRecord, line: usize, records: &mut Vec<PackageRecord>, problems: &mut Vec<String>| {
        let rec = std::mem::take(rec);
        if rec.name.is_empty() && rec.version.is_empty() {
            return;
        }
        if rec.name.is_empty() || rec.version.is_empty() {
            problems.push(format!("stanza at line {line} has no P: or V: field; skipped"));
            return;
        }
        records.push(rec);
    };
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            finish(&mut current, start_line, &mut records, &mut problems);
            dir.clear();
            start_line = i + 2;
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        match key {
            "P" => current.name = value.to_owned(),
            "V" => current.version = value.to_owned(),
            "A" => current.arch = Some(value.to_owned()),
            "L" if !value.is_empty() => current.licenses = vec![value.to_owned()],
            "o" => current.source_name = Some(value.to_owned()),
            "F" => dir = value.to_owned(),
            "R" => current.files.push(if dir.is_empty() { value.to_owned() } else { format!("{dir}/{value}") }),
            _ => {}
        }
    }
    finish(&mut current, start_line, &mut records, &mut problems);
    for r in &mut records {
        if r.source_name.is_some() {
            r.source_version = Some(r.version.clone());
        }
    }
    (records, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database itself is the oracle: every `P:` line is a package, with
    /// the `V:`, `A:` and `o:` of its stanza.
    #[test]
    fn reads_real_alpine_databases() {
        for (distro, count) in [("alpine-3.20.3", 14), ("alpine-3.6.5", 13)] {
            let path = format!("{}/../../../shared/fixtures/pkgdb/{distro}/lib/apk/db/installed", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let (records, problems) = parse_installed(&text);
            assert!(problems.is_empty());
            assert_eq!(records.len(), count, "{distro}");
            let names: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("P:")).collect();
            assert_eq!(records.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), names);
            let versions: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("V:")).collect();
            assert_eq!(records.iter().map(|r| r.version.as_str()).collect::<Vec<_>>(), versions);
        }
        let text = std::fs::read_to_string(format!(
            "{}/../../../shared/fixtures/pkgdb/alpine-3.20.3/lib/apk/db/installed",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let (records, _) = parse_installed(&text);
        let base = &records[0];
        assert_eq!((base.name.as_str(), base.version.as_str(), base.arch.as_deref()), ("alpine-baselayout", "3.6.5-r0", Some("x86_64")));
        assert_eq!(base.licenses, ["GPL-2.0-only"]);
        assert!(base.files.contains(&"etc/motd".to_owned()), "{:?}", &base.files[..5]);
        let busybox = records.iter().find(|r| r.name == "busybox").unwrap();
        assert!(busybox.files.contains(&"bin/busybox".to_owned()));
    }

    #[test]
    fn stanza_without_version_is_skipped_and_reported() {
        let (records, problems) = parse_installed("P:a\nV:1-r0\n\nP:b\n\nP:c\nV:2-r1\no:cc\n");
        assert_eq!(records.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(records[1].source_name.as_deref(), Some("cc"));
        assert_eq!(problems, ["stanza at line 4 has no P: or V: field; skipped"]);
    }
}
