//! Node packages (npm, yarn and pnpm all install npm's layout).
//!
//! - `node_modules/<name>/package.json` and
//!   `node_modules/@scope/<name>/package.json`: what is installed. Other
//!   `package.json` files (an application's own manifest, `lib/package.json`
//!   files that only set `"type": "module"`) are not packages and not read.
//! - `package-lock.json`: what the application pinned. `lockfileVersion` 1
//!   nests a `dependencies` tree; 2 and 3 list a flat `packages` map keyed by
//!   install path (`node_modules/a/node_modules/b`). Version 2 carries both;
//!   the `packages` map is read. npm's hidden `node_modules/.package-lock.json`
//!   is not read: the `package.json` files beside it say the same.
//!
//! Scoped names become namespace + name (`@types/node` -> `@types`, `node`),
//! as the purl spec's npm type wants.

use drydock_core::package::{Ecosystem, PackageRecord};
use serde_json::{Map, Value};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct NodeAnalyzer;

impl Analyzer for NodeAnalyzer {
    fn name(&self) -> &'static str {
        "node"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && (is_lockfile(entry.path) || is_installed_manifest(entry.path))
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let records = if is_lockfile(entry.path) {
            parse_lockfile(content)?
        } else {
            // A package.json without name and version (a private stub, a
            // half-extracted tarball) is not a package: nothing to report.
            parse_package_json(content)?.into_iter().collect()
        };
        Ok(vec![FactKind::Packages(Ecosystem::Npm, records)])
    }
}

fn is_lockfile(path: &str) -> bool {
    path == "package-lock.json" || path.ends_with("/package-lock.json")
}

/// `…node_modules/<name>/package.json` or `…node_modules/@scope/<name>/package.json`.
/// Hot: called for every entry; string slicing only.
fn is_installed_manifest(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/package.json") else { return false };
    let Some(at) = dir.rfind("node_modules/") else { return false };
    if at != 0 && dir.as_bytes()[at - 1] != b'/' {
        return false;
    }
    let rest = &dir[at + "node_modules/".len()..];
    match rest.split_once('/') {
        None => !rest.is_empty() && !rest.starts_with('@'),
        Some((scope, name)) => scope.starts_with('@') && scope.len() > 1 && !name.is_empty() && !name.contains('/'),
    }
}

/// Parses an installed `package.json`; `Ok(None)` when it has no name or
/// no version.
pub fn parse_package_json(content: &[u8]) -> Result<Option<PackageRecord>, String> {
    let v: Value = serde_json::from_slice(content).map_err(|e| format!("package.json is not valid JSON: {e}"))?;
    let obj = v.as_object().ok_or("package.json is not a JSON object")?;
    let (Some(name), Some(version)) = (str_field(obj, "name"), str_field(obj, "version")) else { return Ok(None) };
    Ok(Some(record(name, version, licenses(obj))))
}

/// Parses a `package-lock.json` (lockfileVersion 1, 2 or 3).
pub fn parse_lockfile(content: &[u8]) -> Result<Vec<PackageRecord>, String> {
    let v: Value = serde_json::from_slice(content).map_err(|e| format!("package-lock.json is not valid JSON: {e}"))?;
    let obj = v.as_object().ok_or("package-lock.json is not a JSON object")?;
    let mut out = Vec::new();
    if let Some(packages) = obj.get("packages") {
        let packages = packages.as_object().ok_or("package-lock.json: `packages` is not an object")?;
        for (key, entry) in packages {
            // "" is the project itself; keys outside node_modules are
            // workspace folders (the project's own code), whose installed
            // copies appear as `link: true` entries.
            let Some(at) = key.rfind("node_modules/") else { continue };
            let Some(entry) = entry.as_object() else { continue };
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let Some(version) = str_field(entry, "version") else { continue };
            // An aliased install (`"b": "npm:a@1"`) records the real name.
            let name = str_field(entry, "name").unwrap_or(&key[at + "node_modules/".len()..]);
            if name.is_empty() {
                continue;
            }
            out.push(record(name, version, licenses(entry)));
        }
        return Ok(out);
    }
    match obj.get("dependencies") {
        Some(deps) => {
            let deps = deps.as_object().ok_or("package-lock.json: `dependencies` is not an object")?;
            walk_v1(deps, 0, &mut out);
            Ok(out)
        }
        None => Err("package-lock.json has neither `packages` nor `dependencies`".into()),
    }
}

/// Nesting deeper than this is hostile (npm flattens trees); the recursion
/// stops there instead of exhausting the stack. serde_json's own recursion
/// limit (128) already bounds it; this keeps the bound explicit.
const MAX_V1_DEPTH: usize = 64;

fn walk_v1(deps: &Map<String, Value>, depth: usize, out: &mut Vec<PackageRecord>) {
    if depth > MAX_V1_DEPTH {
        return;
    }
    for (name, entry) in deps {
        let Some(entry) = entry.as_object() else { continue };
        if let Some(version) = str_field(entry, "version").filter(|_| !name.is_empty()) {
            out.push(record(name, version, Vec::new()));
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            walk_v1(nested, depth + 1, out);
        }
    }
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn record(full_name: &str, version: &str, licenses: Vec<String>) -> PackageRecord {
    let (namespace, name) = match full_name.split_once('/') {
        Some((scope, name)) if scope.starts_with('@') && !name.is_empty() => (Some(scope.to_owned()), name.to_owned()),
        _ => (None, full_name.to_owned()),
    };
    PackageRecord { name, version: version.to_owned(), namespace, licenses, ..Default::default() }
}

/// `license: "MIT"`, the deprecated `license: {type: "MIT"}` and
/// `licenses: [{type: "MIT"}, "BSD"]`.
fn licenses(obj: &Map<String, Value>) -> Vec<String> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Object(o) => o.get("type").and_then(Value::as_str).map(|s| s.trim().to_owned()),
            _ => None,
        }
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(l) = obj.get("license").and_then(one) {
        out.push(l);
    }
    if let Some(list) = obj.get("licenses").and_then(Value::as_array) {
        out.extend(list.iter().filter_map(one));
    }
    out.retain(|l| !l.is_empty());
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/node/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn brief(r: &PackageRecord) -> (Option<&str>, &str, &str, Vec<&str>) {
        (r.namespace.as_deref(), r.name.as_str(), r.version.as_str(), r.licenses.iter().map(String::as_str).collect())
    }

    #[test]
    fn parses_real_installed_package_json() {
        let r = parse_package_json(&data("node_modules/is-number/package.json")).unwrap().unwrap();
        assert_eq!(brief(&r), (None, "is-number", "7.0.0", vec!["MIT"]));
        let r = parse_package_json(&data("node_modules/@isaacs/string-locale-compare/package.json")).unwrap().unwrap();
        assert_eq!(brief(&r), (Some("@isaacs"), "string-locale-compare", "1.1.0", vec!["ISC"]));
    }

    #[test]
    fn parses_real_lockfiles_v1_and_v3() {
        for file in ["package-lock.v1.json", "package-lock.v3.json"] {
            let mut rs = parse_lockfile(&data(file)).unwrap();
            rs.sort_by(|a, b| a.name.cmp(&b.name));
            let got: Vec<_> = rs.iter().map(|r| (r.namespace.as_deref(), r.name.as_str(), r.version.as_str())).collect();
            assert_eq!(got, vec![(None, "is-number", "7.0.0"), (Some("@isaacs"), "string-locale-compare", "1.1.0")], "{file}");
        }
        let v3 = parse_lockfile(&data("package-lock.v3.json")).unwrap();
        assert!(v3.iter().any(|r| r.name == "is-number" && r.licenses == ["MIT"]));
    }

    #[test]
    fn lockfile_skips_root_links_and_workspaces_and_reads_nested_paths() {
        let lock = br#"{"lockfileVersion":3,"packages":{
            "":{"name":"app","version":"1.0.0"},
            "packages/lib":{"name":"lib","version":"0.1.0"},
            "node_modules/lib":{"resolved":"packages/lib","link":true},
            "node_modules/a/node_modules/b":{"version":"2.0.0"},
            "node_modules/alias":{"name":"real","version":"3.0.0"},
            "node_modules/bad":{"version":7}}}"#;
        let rs = parse_lockfile(lock).unwrap();
        let got: Vec<_> = rs.iter().map(|r| (r.name.as_str(), r.version.as_str())).collect();
        assert_eq!(got, vec![("b", "2.0.0"), ("real", "3.0.0")]);
        let v1 = br#"{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}}}}"#;
        assert_eq!(parse_lockfile(v1).unwrap().len(), 2);
    }

    #[test]
    fn legacy_license_shapes() {
        let r = parse_package_json(br#"{"name":"x","version":"1.0.0","license":{"type":"BSD-3-Clause","url":"u"}}"#).unwrap().unwrap();
        assert_eq!(r.licenses, vec!["BSD-3-Clause"]);
        let r = parse_package_json(br#"{"name":"x","version":"1.0.0","licenses":[{"type":"MIT"},"Apache-2.0",3]}"#).unwrap().unwrap();
        assert_eq!(r.licenses, vec!["MIT", "Apache-2.0"]);
    }

    #[test]
    fn malformed_input_is_an_error_or_nothing_never_a_panic() {
        assert!(parse_package_json(b"").is_err());
        assert!(parse_package_json(b"[1,2]").is_err());
        assert_eq!(parse_package_json(br#"{"name":"x"}"#).unwrap(), None);
        assert_eq!(parse_package_json(br#"{"name":1,"version":[]}"#).unwrap(), None);
        assert!(parse_lockfile(br#"{"packages":[]}"#).is_err());
        assert!(parse_lockfile(br#"{"lockfileVersion":1}"#).is_err());
        assert!(parse_lockfile(br#"{"dependencies":{"a":1,"b":{"version":null}}}"#).unwrap().is_empty());
        let real = data("package-lock.v3.json");
        assert!(parse_lockfile(&real[..real.len() / 2]).is_err());
        // Deep nesting: serde_json refuses it before we recurse.
        let deep = format!("{}{}", r#"{"dependencies":{"a":"#.repeat(200), "}".repeat(401));
        let _ = parse_lockfile(deep.as_bytes());
    }

    #[test]
    fn wants_installed_manifests_and_lockfiles_only() {
        let w = |path: &str| NodeAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size: 10, mode: 0o644 });
        assert!(w("app/node_modules/is-number/package.json"));
        assert!(w("node_modules/@types/node/package.json"));
        assert!(w("usr/lib/node_modules/npm/node_modules/a/node_modules/b/package.json"));
        assert!(w("app/package-lock.json"));
        assert!(!w("app/package.json"), "an application manifest");
        assert!(!w("app/node_modules/x/lib/package.json"), "not a package root");
        assert!(!w("app/node_modules/@types/package.json"));
        assert!(!w("app/node_modules/.package-lock.json"));
        assert!(!w("app/my_node_modules/x/package.json"));
    }
}
