//! VEX in: statements from OpenVEX (v0.0.x and v0.2) and CycloneDX VEX
//! documents that a vulnerability does not affect, or no longer affects, a
//! product.
//!
//! A statement applies to a finding when it names the finding's id or one
//! of its aliases, and one of its products is the finding's package: same
//! purl type, namespace and name, and the same version when the statement
//! gives one (qualifiers such as `arch` and `distro` are ignored). A product
//! that is the image itself (`pkg:oci/…`) without subcomponents covers
//! every package. `not_affected` and `fixed` suppress the finding;
//! `affected` and `under_investigation` are attached for the record only.
//! Suppressed findings stay in the JSON report with the statement.

use std::path::Path;

use drydock_core::vulnerability::{Finding, VexInfo};
use serde_json::Value;

/// One VEX statement, format-neutral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Ids the statement names (its vulnerability and that one's aliases).
    pub vulnerabilities: Vec<String>,
    /// Package URLs it applies to; empty: every package.
    pub products: Vec<String>,
    /// `not_affected`, `affected`, `fixed`, `under_investigation`.
    pub status: String,
    pub justification: Option<String>,
    pub statement: Option<String>,
    /// The document it came from.
    pub document: String,
}

#[derive(Debug, thiserror::Error)]
#[error("VEX document {path}: {reason}")]
pub struct VexError {
    pub path: String,
    pub reason: String,
}

/// Largest VEX document read.
const MAX_BYTES: u64 = 256 << 20;

/// Reads the statements of an OpenVEX or CycloneDX VEX document.
pub fn load(path: &Path) -> Result<Vec<Statement>, VexError> {
    let err = |reason: String| VexError { path: path.display().to_string(), reason };
    let len = std::fs::metadata(path).map_err(|e| err(e.to_string()))?.len();
    if len > MAX_BYTES {
        return Err(err(format!("{len} bytes is more than the {MAX_BYTES}-byte limit")));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    parse(&bytes, &path.display().to_string()).map_err(err)
}

/// Parses a VEX document held in memory; `document` names it.
pub fn parse(bytes: &[u8], document: &str) -> Result<Vec<Statement>, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if doc.get("statements").is_some() {
        openvex(&doc, document)
    } else if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") || doc.get("vulnerabilities").is_some() {
        cyclonedx(&doc, document)
    } else {
        Err("neither OpenVEX (`statements`) nor CycloneDX VEX (`vulnerabilities`)".into())
    }
}

fn openvex(doc: &Value, document: &str) -> Result<Vec<Statement>, String> {
    let statements = doc.get("statements").and_then(Value::as_array).ok_or("`statements` is not an array")?;
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let at = |what: &str| format!("statement {}: {what}", i + 1);
        // v0.2: {"name": …, "aliases": […]}; v0.0.x: a plain string.
        let vuln = s.get("vulnerability").ok_or_else(|| at("no `vulnerability`"))?;
        let mut vulnerabilities = Vec::new();
        match vuln {
            Value::String(name) => vulnerabilities.push(name.clone()),
            Value::Object(_) => {
                if let Some(name) = vuln.get("name").and_then(Value::as_str) {
                    vulnerabilities.push(name.to_owned());
                }
                for alias in vuln.get("aliases").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                    // Aliases may be URLs (`…?id=CVE-2023-38545`); keep plain ids.
                    if !alias.contains('/') {
                        vulnerabilities.push(alias.to_owned());
                    }
                }
            }
            _ => return Err(at("`vulnerability` is neither a string nor an object")),
        }
        if vulnerabilities.is_empty() {
            return Err(at("`vulnerability` has no name"));
        }
        let mut products = Vec::new();
        for p in s.get("products").and_then(Value::as_array).into_iter().flatten() {
            let (id, subs) = match p {
                Value::String(id) => (Some(id.as_str()), None),
                Value::Object(_) => (
                    p.get("@id").and_then(Value::as_str).or_else(|| p.pointer("/identifiers/purl").and_then(Value::as_str)),
                    p.get("subcomponents").and_then(Value::as_array),
                ),
                _ => return Err(at("a product is neither a string nor an object")),
            };
            match subs.filter(|s| !s.is_empty()) {
                // The statement is about these components inside the product.
                Some(subs) => products
                    .extend(subs.iter().filter_map(|c| c.as_str().or_else(|| c.get("@id").and_then(Value::as_str))).map(str::to_owned)),
                None => products.extend(id.map(str::to_owned)),
            }
        }
        let status = s.get("status").and_then(Value::as_str).ok_or_else(|| at("no `status`"))?;
        let status = match status {
            "not_affected" | "affected" | "fixed" | "under_investigation" => status.to_owned(),
            other => return Err(at(&format!("unknown status `{other}`"))),
        };
        let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_owned);
        out.push(Statement {
            vulnerabilities,
            products,
            status,
            justification: text("justification"),
            statement: text("impact_statement").or_else(|| text("action_statement")).or_else(|| text("status_notes")),
            document: document.to_owned(),
        });
    }
    Ok(out)
}

fn cyclonedx(doc: &Value, document: &str) -> Result<Vec<Statement>, String> {
    let vulns = doc.get("vulnerabilities").and_then(Value::as_array).ok_or("`vulnerabilities` is not an array")?;
    // `affects[].ref` names a component by bom-ref; map those to purls.
    let mut refs = std::collections::HashMap::new();
    collect_bom_refs(doc.get("components"), &mut refs);
    if let Some(meta) = doc.pointer("/metadata/component") {
        collect_bom_refs(Some(&Value::Array(vec![meta.clone()])), &mut refs);
    }
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let at = |what: &str| format!("vulnerability {}: {what}", i + 1);
        let Some(analysis) = v.get("analysis") else { continue };
        let id = v.get("id").and_then(Value::as_str).ok_or_else(|| at("no `id`"))?;
        let mut vulnerabilities = vec![id.to_owned()];
        for r in v.get("references").and_then(Value::as_array).into_iter().flatten() {
            if let Some(rid) = r.get("id").and_then(Value::as_str) {
                vulnerabilities.push(rid.to_owned());
            }
        }
        let state = analysis.get("state").and_then(Value::as_str).ok_or_else(|| at("`analysis` has no `state`"))?;
        let status = match state {
            "not_affected" | "false_positive" => "not_affected",
            "resolved" | "resolved_with_pedigree" => "fixed",
            "exploitable" => "affected",
            "in_triage" => "under_investigation",
            other => return Err(at(&format!("unknown analysis state `{other}`"))),
        };
        let products = v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("ref").and_then(Value::as_str))
            .map(|r| refs.get(r).cloned().unwrap_or_else(|| r.to_owned()))
            .collect();
        let text = |k: &str| analysis.get(k).and_then(Value::as_str).map(str::to_owned);
        out.push(Statement {
            vulnerabilities,
            products,
            status: status.to_owned(),
            justification: text("justification"),
            statement: text("detail"),
            document: document.to_owned(),
        });
    }
    Ok(out)
}

fn collect_bom_refs(components: Option<&Value>, refs: &mut std::collections::HashMap<String, String>) {
    for c in components.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(r), Some(purl)) = (c.get("bom-ref").and_then(Value::as_str), c.get("purl").and_then(Value::as_str)) {
            refs.insert(r.to_owned(), purl.to_owned());
        }
        collect_bom_refs(c.get("components"), refs);
    }
}

/// Attaches matching statements to findings; the last matching statement
/// wins (later documents refine earlier ones).
pub fn apply(findings: &mut [Finding], statements: &[Statement]) {
    for f in findings.iter_mut() {
        let pkg = Purl::parse(&f.package.purl);
        for s in statements {
            let names_it = s.vulnerabilities.iter().any(|v| *v == f.id || f.aliases.contains(v));
            if !names_it {
                continue;
            }
            let covers = s.products.is_empty()
                || s.products.iter().any(|p| {
                    let Some(product) = Purl::parse(p) else { return false };
                    // The image itself: every package in it.
                    product.ty == "oci" || pkg.as_ref().is_some_and(|pkg| product.covers(pkg))
                });
            if covers {
                f.vex = Some(VexInfo {
                    status: s.status.clone(),
                    justification: s.justification.clone(),
                    statement: s.statement.clone(),
                    document: s.document.clone(),
                });
                f.suppressed = matches!(s.status.as_str(), "not_affected" | "fixed");
            }
        }
    }
}

/// The parts of a package URL that identify a package version.
#[derive(Debug, PartialEq, Eq)]
struct Purl {
    ty: String,
    namespace: String,
    name: String,
    version: Option<String>,
}

impl Purl {
    fn parse(s: &str) -> Option<Purl> {
        let rest = s.strip_prefix("pkg:")?;
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let (path, version) = match rest.rsplit_once('@') {
            // An `@` inside the path is an npm scope, not a version.
            Some((p, v)) if !v.contains('/') => (p, Some(decode(v))),
            _ => (rest, None),
        };
        let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segs.len() < 2 {
            return None;
        }
        let ty = segs.remove(0).to_ascii_lowercase();
        let name = decode(segs.pop()?);
        let namespace = segs.iter().map(|s| decode(s)).collect::<Vec<_>>().join("/");
        Some(Purl { ty, namespace, name, version })
    }

    fn covers(&self, pkg: &Purl) -> bool {
        let fold = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.ty == pkg.ty
            && fold(&self.namespace, &pkg.namespace)
            && fold(&self.name, &pkg.name)
            && self.version.as_ref().is_none_or(|v| pkg.version.as_ref() == Some(v))
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_compare_without_qualifiers() {
        let stmt = Purl::parse("pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=amd64&distro=jammy").unwrap();
        let pkg = Purl::parse("pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=amd64&distro=ubuntu-22.04").unwrap();
        assert!(stmt.covers(&pkg));
        let other = Purl::parse("pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.10?arch=amd64").unwrap();
        assert!(!stmt.covers(&other));
        let any_version = Purl::parse("pkg:deb/ubuntu/curl").unwrap();
        assert!(any_version.covers(&other));
        assert_eq!(Purl::parse("pkg:npm/%40angular/core@1.0.0").unwrap().namespace, "@angular");
        assert_eq!(Purl::parse("pkg:rpm/almalinux/bash@1%3A5.1-2").unwrap().version.as_deref(), Some("1:5.1-2"));
        assert_eq!(Purl::parse("pkg:"), None);
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz%41"), "%zzA");
    }

    #[test]
    fn canonical_ubuntu_openvex_reads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/fixtures/upstream-samples/ubuntu/test-fixtures/vex/cve/2023/CVE-2023-38545.json"
        );
        let statements = load(Path::new(path)).unwrap();
        assert_eq!(statements.len(), 3);
        assert!(statements.iter().all(|s| s.vulnerabilities[0] == "CVE-2023-38545"));
        let fixed = statements.iter().find(|s| s.status == "fixed").unwrap();
        assert!(fixed.products.iter().any(|p| p == "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=amd64&distro=jammy"));
    }

    #[test]
    fn bad_documents_are_named_errors() {
        assert!(parse(b"{", "x").unwrap_err().contains("not JSON"));
        assert!(parse(b"{}", "x").is_err());
        assert!(
            parse(br#"{"statements": [{"vulnerability": {"name": "CVE-1"}, "status": "maybe"}]}"#, "x")
                .unwrap_err()
                .contains("unknown status")
        );
        assert!(parse(br#"{"statements": 3}"#, "x").is_err());
    }
}
