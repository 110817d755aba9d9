//! Java archives: `.jar`, `.war`, `.ear` and Jenkins plugins (`.jpi`, `.hpi`).
//!
//! Maven writes `META-INF/maven/<groupId>/<artifactId>/pom.properties` into
//! every artifact it builds; a shaded ("uber") jar keeps one per bundled
//! artifact, so each is a package (groupId -> namespace, artifactId ->
//! name). An archive without any falls back to `META-INF/MANIFEST.MF`
//! (`Implementation-Title`/`-Version`, then OSGi `Bundle-SymbolicName`/
//! `Bundle-Version`) and to the file name (`name-1.2.3.jar`).
//!
//! Archives inside archives (`WEB-INF/lib/*.jar`, Spring Boot's
//! `BOOT-INF/lib/*.jar`, any nested `*.jar`) are read from memory, never
//! from disk, at most [`MAX_DEPTH`] deep and within [`MAX_INFLATED`] bytes
//! decompressed in total: a zip bomb costs a warning, not the scan.

use std::io::{Cursor, Read};

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct JavaAnalyzer;

impl Analyzer for JavaAnalyzer {
    fn name(&self) -> &'static str {
        "java"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && entry.size > 0 && is_archive_name(entry.path)
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let (records, problems) = parse_archive(entry.path, content)?;
        let mut facts: Vec<FactKind> = problems.into_iter().map(FactKind::Warning).collect();
        facts.push(FactKind::Packages(Ecosystem::Maven, records));
        Ok(facts)
    }
}

/// Archives nested deeper than this (a jar in a jar in a war) are not opened.
pub const MAX_DEPTH: usize = 3;
/// Decompressed bytes one top-level archive may cost, nested archives and
/// metadata files together.
pub const MAX_INFLATED: u64 = 256 << 20;
/// `pom.properties` and manifests are a few KiB; bigger ones are not metadata.
const MAX_METADATA: u64 = 1 << 20;

/// Case-insensitive suffix check without allocating (hot: every entry).
fn is_archive_name(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() > 4 && {
        let ext = &b[b.len() - 4..];
        [b".jar", b".war", b".ear", b".jpi", b".hpi"].iter().any(|e| ext.eq_ignore_ascii_case(*e))
    }
}

/// Reads one archive and what is nested in it. `Err` only when `content`
/// itself is not a zip; problems with nested archives or single entries
/// come back as warnings beside the packages that could be read.
pub fn parse_archive(path: &str, content: &[u8]) -> Result<(Vec<PackageRecord>, Vec<String>), String> {
    parse_with_budget(path, content, MAX_INFLATED)
}

fn parse_with_budget(path: &str, content: &[u8], budget: u64) -> Result<(Vec<PackageRecord>, Vec<String>), String> {
    let mut walk = Walk { budget, records: Vec::new(), problems: Vec::new() };
    walk.archive(path, content, 0)?;
    Ok((walk.records, walk.problems))
}

struct Walk {
    budget: u64,
    records: Vec<PackageRecord>,
    problems: Vec<String>,
}

impl Walk {
    fn archive(&mut self, path: &str, content: &[u8], depth: usize) -> Result<(), String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(content)).map_err(|e| format!("`{path}` is not a readable zip archive: {e}"))?;
        let mut poms = Vec::new();
        let mut manifest = None;
        // Names first (the central directory, no decompression): a jar has
        // thousands of classes and a handful of entries worth opening.
        let wanted: Vec<(usize, String)> = (0..zip.len())
            .filter_map(|i| Some((i, zip.name_for_index(i)?)))
            .filter(|(_, name)| is_pom_properties(name) || name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") || is_archive_name(name))
            .map(|(i, name)| (i, name.to_owned()))
            .collect();
        for (i, name) in wanted {
            let nested = is_archive_name(&name);
            if nested && depth + 1 > MAX_DEPTH {
                self.problems.push(format!("`{path}!/{name}`: archive nested more than {MAX_DEPTH} deep; not opened"));
                continue;
            }
            let cap = if nested { self.budget } else { MAX_METADATA.min(self.budget) };
            let data = match self.read(&mut zip, i, cap) {
                Ok(Some(d)) => d,
                Ok(None) if nested => {
                    self.problems.push(format!(
                        "`{path}!/{name}`: not opened: nested archives decompress to more than {MAX_INFLATED} bytes in all (a zip bomb?)"
                    ));
                    if self.budget == 0 {
                        return Ok(()); // nothing more can be read
                    }
                    continue;
                }
                Ok(None) => continue, // an oversized metadata file: not metadata
                Err(e) => {
                    self.problems.push(format!("`{path}!/{name}`: {e}"));
                    continue;
                }
            };
            if nested {
                let inner = format!("{path}!/{name}");
                if let Err(e) = self.archive(&inner, &data, depth + 1) {
                    self.problems.push(e);
                }
            } else if is_pom_properties(&name) {
                poms.extend(pom_properties(&String::from_utf8_lossy(&data)));
            } else {
                manifest = Some(String::from_utf8_lossy(&data).into_owned());
            }
        }
        if poms.is_empty() {
            let file_name = path.rsplit(['/', '!']).next().unwrap_or(path);
            poms.extend(fallback(file_name, manifest.as_deref()));
        }
        self.records.extend(poms);
        Ok(())
    }

    /// Decompresses entry `i`, at most `cap` bytes (charged to the budget).
    /// `Ok(None)` when it is bigger than `cap`.
    fn read(&mut self, zip: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize, cap: u64) -> Result<Option<Vec<u8>>, String> {
        let file = zip.by_index(i).map_err(|e| e.to_string())?;
        if file.size() > cap {
            return Ok(None); // as declared: don't even start
        }
        // The declared size can lie; the reader is capped all the same.
        let mut data = Vec::new();
        let read = file.take(cap.saturating_add(1)).read_to_end(&mut data);
        self.budget = self.budget.saturating_sub(data.len() as u64);
        read.map_err(|e| e.to_string())?;
        if data.len() as u64 > cap {
            return Ok(None);
        }
        Ok(Some(data))
    }
}

fn is_pom_properties(name: &str) -> bool {
    name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties")
}

/// `key=value` lines (java.util.Properties, minus escapes: Maven writes
/// plain coordinates).
fn pom_properties(text: &str) -> Option<PackageRecord> {
    let (mut group, mut artifact, mut version) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', '!']) {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else { continue };
        let v = v.trim();
        match k.trim() {
            "groupId" => group = Some(v),
            "artifactId" => artifact = Some(v),
            "version" => version = Some(v),
            _ => {}
        }
    }
    let name = artifact.filter(|a| !a.is_empty())?;
    let version = version.filter(|v| !v.is_empty())?;
    Some(PackageRecord {
        name: name.to_owned(),
        version: version.to_owned(),
        namespace: group.filter(|g| !g.is_empty()).map(str::to_owned),
        ..Default::default()
    })
}

/// Manifest attributes, then the file name. `None` when neither gives both
/// a name and a version.
fn fallback(file_name: &str, manifest: Option<&str>) -> Option<PackageRecord> {
    let attrs = manifest.map(manifest_attributes).unwrap_or_default();
    let get = |key: &str| attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let (file_stem, file_version) = split_file_name(file_name);
    // OSGi symbolic names may carry directives: `org.x.y;singleton:=true`.
    let bundle = get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or(s).trim());
    let name = get("Implementation-Title").or(bundle).or(file_stem)?;
    let version = get("Implementation-Version").or(get("Bundle-Version")).or(file_version)?;
    Some(PackageRecord { name: name.to_owned(), version: version.to_owned(), ..Default::default() })
}

/// `commons-io-2.11.0.jar` -> (`commons-io`, `2.11.0`): the version starts
/// at the first `-` followed by a digit (Maven's `artifactId-version`, and
/// versions such as `1.0-20240101` keep their own dashes).
fn split_file_name(file_name: &str) -> (Option<&str>, Option<&str>) {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let split = stem.char_indices().find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
    match split {
        Some((i, _)) => (Some(&stem[..i]).filter(|s| !s.is_empty()), Some(&stem[i + 1..])),
        None => (Some(stem).filter(|s| !s.is_empty()), None),
    }
}

/// The main section of a manifest, with 72-byte lines unfolded
/// (continuation lines start with one space).
fn manifest_attributes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break; // per-entry sections follow
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push_str(cont);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn lang3() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/java/commons-lang3-3.12.0.jar");
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn brief(rs: &[PackageRecord]) -> Vec<(Option<&str>, &str, &str)> {
        rs.iter().map(|r| (r.namespace.as_deref(), r.name.as_str(), r.version.as_str())).collect()
    }

    /// A zip of `(name, data)` entries, stored or deflated.
    fn zip_of(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Rewrites the uncompressed size in every local and central header.
    fn lie_about_sizes(zip: &mut [u8], size: u32) {
        for (sig, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let starts: Vec<usize> = zip.windows(4).enumerate().filter(|(_, w)| w == sig).map(|(i, _)| i).collect();
            for i in starts {
                zip[i + at..i + at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
    }

    #[test]
    fn reads_a_real_jar() {
        let (rs, problems) = parse_archive("usr/share/java/commons-lang3-3.12.0.jar", &lang3()).unwrap();
        assert_eq!(brief(&rs), vec![(Some("org.apache.commons"), "commons-lang3", "3.12.0")]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn reads_jars_nested_in_a_war_and_a_spring_boot_jar() {
        let war = zip_of(&[("WEB-INF/web.xml", b"<web-app/>"), ("WEB-INF/lib/commons-lang3-3.12.0.jar", &lang3())], false);
        let boot = zip_of(
            &[
                ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nImplementation-Title: shop\r\nImplementation-Version: 2.0.1\r\n\r\n"),
                ("BOOT-INF/lib/app.war", &war),
            ],
            true,
        );
        let (rs, problems) = parse_archive("app/shop.jar", &boot).unwrap();
        assert_eq!(brief(&rs), vec![(Some("org.apache.commons"), "commons-lang3", "3.12.0"), (None, "shop", "2.0.1")]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn manifest_and_file_name_fallbacks() {
        let m = "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.very.long.symbolic.name.that.the.manifest.writer.fol\n ds;singleton:=true\nBundle-Version: 4.5.6\n\nName: x\nImplementation-Version: 9\n";
        let jar = zip_of(&[("META-INF/MANIFEST.MF", m.as_bytes())], true);
        let (rs, _) = parse_archive("opt/x.jar", &jar).unwrap();
        assert_eq!(brief(&rs), vec![(None, "org.example.very.long.symbolic.name.that.the.manifest.writer.folds", "4.5.6")]);
        let jar = zip_of(&[("a.class", b"\xca\xfe\xba\xbe")], false);
        let (rs, _) = parse_archive("opt/lib/jackson-core-2.15.0-rc1.jar", &jar).unwrap();
        assert_eq!(brief(&rs), vec![(None, "jackson-core", "2.15.0-rc1")]);
        let (rs, _) = parse_archive("opt/lib/unversioned.jar", &jar).unwrap();
        assert!(rs.is_empty());
    }

    #[test]
    fn depth_limit_and_zip_bomb_budget() {
        let mut nested = lang3();
        for _ in 0..4 {
            nested = zip_of(&[("lib/inner.jar", &nested)], false);
        }
        let (rs, problems) = parse_archive("deep.jar", &nested).unwrap();
        assert!(rs.is_empty());
        assert!(problems.iter().any(|p| p.contains("nested more than 3 deep")), "{problems:?}");
        // A small budget stands in for the real one (which would take a
        // 256 MiB test input): zeros deflate ~1000:1.
        let zeros = vec![0u8; 4 << 20];
        let honest = zip_of(&[("lib/a.jar", &zeros), ("lib/b.jar", &zeros)], true);
        let (_, problems) = parse_with_budget("bomb.war", &honest, 6 << 20).unwrap();
        assert!(problems.iter().any(|p| p.contains("bomb.war!/lib/b.jar`: not opened") && p.contains("zip bomb")), "{problems:?}");
        // An entry whose header understates its size is cut off all the same.
        let mut liar = zip_of(&[("lib/a.jar", &zeros)], true);
        lie_about_sizes(&mut liar, 100);
        let (_, problems) = parse_with_budget("liar.war", &liar, 1 << 20).unwrap();
        assert!(problems.iter().any(|p| p.contains("liar.war!/lib/a.jar")), "{problems:?}");
    }

    #[test]
    fn hostile_archives_are_errors_or_warnings_never_panics() {
        assert!(parse_archive("x.jar", b"").unwrap_err().contains("`x.jar` is not a readable zip archive"));
        assert!(parse_archive("x.jar", b"PK\x03\x04garbage").is_err());
        let real = lang3();
        for cut in [10, 1000, real.len() / 2, real.len() - 10] {
            let _ = parse_archive("cut.jar", &real[..cut]);
        }
        // A nested "jar" that isn't one: a warning, the outer result stands.
        let war = zip_of(
            &[("WEB-INF/lib/fake.jar", b"not a zip"), ("META-INF/maven/g/a/pom.properties", b"groupId=g\nartifactId=a\nversion=1\n")],
            false,
        );
        let (rs, problems) = parse_archive("app.war", &war).unwrap();
        assert_eq!(brief(&rs), vec![(Some("g"), "a", "1")]);
        assert!(problems[0].contains("app.war!/WEB-INF/lib/fake.jar"), "{problems:?}");
        // Flip bytes through the middle of the real jar.
        let mut flipped = real.clone();
        for i in (0..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5a;
        }
        let _ = parse_archive("flipped.jar", &flipped);
    }

    #[test]
    fn wants_archives_by_extension() {
        let w = |path: &str| JavaAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size: 10, mode: 0o644 });
        for p in ["usr/share/java/x.jar", "opt/app.WAR", "a.ear", "var/jenkins_home/plugins/git.jpi", "p.hpi"] {
            assert!(w(p), "{p}");
        }
        for p in ["x.jar.sha1", "jar", "x.zip", ".jar"] {
            assert!(!w(p), "{p}");
        }
    }
}
