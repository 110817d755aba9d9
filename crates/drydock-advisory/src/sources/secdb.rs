//! Alpine secdb (`v3.18/main.yaml`, or the JSON form Alpine's secdb service
//! serves): per origin package, the versions that fixed which CVEs.
//!
//! ```yaml
//! distroversion: v3.6
//! packages:
//!   - pkg:
//!       name: apache2
//!       secfixes:
//!         2.4.39-r0:
//!           - CVE-2019-0196
//!         0:
//!           - CVE-2017-0000   # "0": this branch never shipped it
//! ```
//!
//! Each vulnerability id becomes one [`Advisory`] (id = the CVE) with one
//! [`Affected`] per package (`Alpine:v3.6`, origin name) and one
//! `ECOSYSTEM` range `introduced 0, fixed <version>` per listed version. A
//! fix version of `0` means the branch was never affected: it yields no
//! range (it is recorded in [`Parsed::dropped`]).
//!
//! Entries are free text in places (`CVE-2016-6258 XSA-182`,
//! `CVE-2018-10103 (SMB - partially fixed)`, `CVE_2019-2426`): ids are
//! picked out of each entry; other ids in the same entry (XSA, TALOS)
//! become aliases of its CVEs.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::model::{Advisory, Affected, Event, Parsed, Range, RangeKind};

/// A YAML/JSON tree whose mapping keys are kept exactly as written (a
/// version key `1.10` stays `1.10`, not the number 1.1).
#[derive(Debug, PartialEq)]
enum Node {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = seq.next_element()? {
            out.push(n);
        }
        Ok(Node::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        // Keys are read as strings: YAML hands over the scalar as written.
        while let Some(k) = map.next_key::<String>()? {
            out.push((k, map.next_value()?));
        }
        Ok(Node::Map(out))
    }
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Scalar(_) => "a scalar",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

/// Reads one secdb file. `origin` (its path) supplies the release when the
/// file has no `distroversion`.
pub fn parse(origin: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let root: Node = if first == Some(&b'{') {
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?
    } else {
        let options = serde_saphyr::options! { duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough };
        serde_saphyr::from_slice_with_options(bytes, options).map_err(|e| format!("not valid YAML: {}", first_line(&e.to_string())))?
    };
    if !matches!(root, Node::Map(_)) {
        return Err(format!("not an Alpine secdb file: the top level is {}, not a mapping", root.kind()));
    }
    let release = match root.get("distroversion").and_then(Node::as_str).map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => v.to_owned(),
        None => release_from_path(origin).ok_or("no `distroversion`, and the file's path names no release (`v3.18/main.yaml`)")?,
    };
    let release = if release.starts_with(|c: char| c.is_ascii_digit()) { format!("v{release}") } else { release };
    let ecosystem = format!("Alpine:{release}");

    let packages: &[Node] = match root.get("packages") {
        None | Some(Node::Null) => &[],
        Some(Node::Seq(p)) => p,
        Some(other) => return Err(format!("`packages` is {}, not a list", other.kind())),
    };

    let mut parsed = Parsed::default();
    let mut builder = Builder::default();
    for (i, entry) in packages.iter().enumerate() {
        let pkg = entry.get("pkg").unwrap_or(entry);
        let Some(name) = pkg.get("name").and_then(Node::as_str).map(str::trim).filter(|n| !n.is_empty()) else {
            parsed.malformed.push((format!("packages[{i}]"), "no package name".into()));
            continue;
        };
        let fixes: &[(String, Node)] = match pkg.get("secfixes") {
            None | Some(Node::Null) => &[],
            Some(Node::Map(m)) => m,
            Some(other) => {
                parsed.malformed.push((name.to_owned(), format!("`secfixes` is {}, not a mapping", other.kind())));
                continue;
            }
        };
        for (version, ids) in fixes {
            let version = version.trim();
            let entries: Vec<&str> = match ids {
                Node::Null => Vec::new(),
                Node::Scalar(s) => vec![s.as_str()],
                Node::Seq(items) => {
                    let mut out = Vec::new();
                    for item in items {
                        match item {
                            Node::Scalar(s) => out.push(s.as_str()),
                            Node::Null => {}
                            other => {
                                parsed.malformed.push((format!("{name}@{version}"), format!("an entry is {}, not text", other.kind())))
                            }
                        }
                    }
                    out
                }
                Node::Map(_) => {
                    parsed.malformed.push((format!("{name}@{version}"), "the fixed ids are a mapping, not a list".into()));
                    continue;
                }
            };
            if version.is_empty() {
                parsed.malformed.push((name.to_owned(), "empty fixed version".into()));
                continue;
            }
            for entry in entries {
                let (cves, others) = ids_in(entry);
                let primaries: Vec<&String> = if cves.is_empty() { others.iter().take(1).collect() } else { cves.iter().collect() };
                if primaries.is_empty() {
                    parsed.malformed.push((format!("{name}@{version}"), format!("no vulnerability id in {entry:?}")));
                    continue;
                }
                let aliases: Vec<&String> = if cves.is_empty() { others.iter().skip(1).collect() } else { others.iter().collect() };
                for id in primaries {
                    if version == "0" {
                        parsed.dropped.push((id.clone(), format!("{name}: not affected in {ecosystem} (secfixes version 0)")));
                        continue;
                    }
                    builder.add(id, &aliases, &ecosystem, name, version);
                }
            }
        }
    }
    parsed.advisories = builder.finish();
    Ok(parsed)
}

#[derive(Default)]
struct Builder {
    advisories: Vec<Advisory>,
    index: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, id: &str, aliases: &[&String], ecosystem: &str, name: &str, version: &str) {
        let at = *self.index.entry(id.to_owned()).or_insert_with(|| {
            self.advisories.push(Advisory { id: id.to_owned(), ..Advisory::default() });
            self.advisories.len() - 1
        });
        let adv = &mut self.advisories[at];
        for a in aliases {
            if a.as_str() != id && !adv.aliases.contains(a) {
                adv.aliases.push((*a).clone());
            }
        }
        let range = Range { kind: RangeKind::Ecosystem, events: vec![Event::Introduced("0".into()), Event::Fixed(version.to_owned())] };
        match adv.affected.iter_mut().find(|a| a.name == name) {
            Some(affected) => {
                if !affected.ranges.contains(&range) {
                    affected.ranges.push(range);
                }
            }
            None => adv.affected.push(Affected {
                ecosystem: ecosystem.to_owned(),
                name: name.to_owned(),
                ranges: vec![range],
                ..Affected::default()
            }),
        }
    }

    fn finish(self) -> Vec<Advisory> {
        self.advisories
    }
}

/// `v3.18` (or `edge`) from a path such as `secdb/v3.18/main.yaml`.
fn release_from_path(origin: &str) -> Option<String> {
    origin.split(['/', '\\']).rev().skip(1).find_map(|part| {
        let digits = part.strip_prefix('v')?;
        let ok = !digits.is_empty() && digits.contains('.') && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
        ok.then(|| part.to_owned())
    })
}

/// The ids in one secfixes entry: CVEs, and other ids (XSA, GHSA, TALOS,
/// vendor ids).
/// Tolerates the spellings found in real files: `CVE_2019-2426`,
/// `CVE 2018-16859`, `CVE-2017-17434-1`, `CVE-2019-19451.patch`.
fn ids_in(entry: &str) -> (Vec<String>, Vec<String>) {
    let text = entry.replace("CVE_", "CVE-").replace("CVE ", "CVE-");
    let mut cves = Vec::new();
    let mut others = Vec::new();
    for token in text.split_whitespace() {
        let token = token.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | '[' | ']'));
        if let Some(cve) = cve_prefix(token) {
            if !cves.contains(&cve) {
                cves.push(cve);
            }
        } else if let Some(other) = other_id(token)
            && !others.contains(&other)
        {
            others.push(other);
        }
    }
    (cves, others)
}

/// `CVE-YYYY-NNNN…` at the start of `token`, ignoring a suffix that is
/// not a digit (`-1`, `.patch`).
fn cve_prefix(token: &str) -> Option<String> {
    let rest = token.strip_prefix("CVE-")?;
    let year = rest.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
    let num_part = rest.get(4..)?.strip_prefix('-')?;
    let end = num_part.find(|c: char| !c.is_ascii_digit()).unwrap_or(num_part.len());
    let num = &num_part[..end];
    (num.len() >= 4 && num.len() <= 19).then(|| format!("CVE-{year}-{num}"))
}

/// A non-CVE id: `XSA-182`, `TALOS-2019-0844`, `ZBX-11023`,
/// `wnpa-sec-2017-18` (letter segments, then number segments), or a GHSA id.
fn other_id(token: &str) -> Option<String> {
    if let Some(rest) = token.strip_prefix("GHSA-") {
        let parts: Vec<&str> = rest.split('-').collect();
        let ok = parts.len() == 3 && parts.iter().all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphanumeric()));
        return ok.then(|| token.to_owned());
    }
    let parts: Vec<&str> = token.split('-').collect();
    let letters = parts.iter().take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphabetic())).count();
    let digits = &parts[letters..];
    let ok = letters > 0 && !digits.is_empty() && digits.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (ok && token.len() <= 64).then(|| token.to_owned())
}

fn first_line(s: &str) -> String {
    super::osv::truncate_chars(s.lines().next().unwrap_or(s), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(a: &Affected) -> Vec<&str> {
        a.ranges
            .iter()
            .flat_map(|r| r.events.iter())
            .filter_map(|e| match e {
                Event::Fixed(v) => Some(v.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn version_keys_stay_as_written() {
        let yaml = b"distroversion: v3.20\npackages:\n  - pkg:\n      name: demo\n      secfixes:\n        1.10:\n          - CVE-2020-1000\n        1.1:\n          - CVE-2020-1000\n        2:\n          - CVE-2020-1001\n        0:\n          - CVE-2020-1002\n";
        let p = parse("x/main.yaml", yaml).unwrap();
        assert!(p.malformed.is_empty(), "{:?}", p.malformed);
        let ids: Vec<&str> = p.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["CVE-2020-1000", "CVE-2020-1001"]);
        assert_eq!(p.advisories[0].affected[0].ecosystem, "Alpine:v3.20");
        assert_eq!(fixed(&p.advisories[0].affected[0]), ["1.10", "1.1"]);
        assert_eq!(fixed(&p.advisories[1].affected[0]), ["2"]);
        assert_eq!(p.dropped, [("CVE-2020-1002".to_owned(), "demo: not affected in Alpine:v3.20 (secfixes version 0)".to_owned())]);
    }

    #[test]
    fn free_text_entries() {
        assert_eq!(ids_in("CVE-2016-6258 XSA-182"), (vec!["CVE-2016-6258".into()], vec!["XSA-182".into()]));
        assert_eq!(ids_in("CVE-2018-3639   XSA-263"), (vec!["CVE-2018-3639".into()], vec!["XSA-263".into()]));
        assert_eq!(ids_in("CVE-2018-10103 (SMB - partially fixed, but SMB printing disabled)"), (vec!["CVE-2018-10103".into()], vec![]));
        assert_eq!(ids_in("CVE_2019-2426"), (vec!["CVE-2019-2426".into()], vec![]));
        assert_eq!(ids_in("CVE 2018-16859"), (vec!["CVE-2018-16859".into()], vec![]));
        assert_eq!(ids_in("CVE-2017-17434-1"), (vec!["CVE-2017-17434".into()], vec![]));
        assert_eq!(ids_in("CVE-2019-19451.patch"), (vec!["CVE-2019-19451".into()], vec![]));
        assert_eq!(ids_in("CVE-????-?????  XSA-295"), (vec![], vec!["XSA-295".into()]));
        assert_eq!(ids_in("CVE-2019-5060 TALOS-2019-0844"), (vec!["CVE-2019-5060".into()], vec!["TALOS-2019-0844".into()]));
        assert_eq!(
            ids_in("CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI"),
            (vec!["CVE-2017-5753".into(), "CVE-2017-5715".into(), "CVE-2017-5754".into()], vec!["XSA-254".into()])
        );
        assert_eq!(ids_in("ZBX-11023"), (vec![], vec!["ZBX-11023".into()]));
        assert_eq!(ids_in("wnpa-sec-2017-18"), (vec![], vec!["wnpa-sec-2017-18".into()]));
        assert_eq!(ids_in("GHSA-8r3f-844c-mc37"), (vec![], vec!["GHSA-8r3f-844c-mc37".into()]));
        assert_eq!(ids_in("CVE-2018-14879 (tcpdump -V) XPTI IKEv1 802.11 -1 a-"), (vec!["CVE-2018-14879".into()], vec![]));
        assert_eq!(ids_in("no id here"), (vec![], vec![]));
    }

    #[test]
    fn xsa_only_entries_are_their_own_advisory_and_aliases_attach() {
        let yaml = b"distroversion: v3.8\npackages:\n- pkg:\n    name: xen\n    secfixes:\n      4.7.1-r5:\n      - XSA-207\n      - CVE-2017-2615 XSA-208\n      - nonsense\n";
        let p = parse("v3.8/main.yaml", yaml).unwrap();
        let ids: Vec<(&str, &[String])> = p.advisories.iter().map(|a| (a.id.as_str(), a.aliases.as_slice())).collect();
        assert_eq!(ids, [("XSA-207", &[][..]), ("CVE-2017-2615", &["XSA-208".to_owned()][..])]);
        assert_eq!(p.malformed, [("xen@4.7.1-r5".to_owned(), "no vulnerability id in \"nonsense\"".to_owned())]);
    }

    #[test]
    fn json_form_and_release_from_path() {
        let json = br#"{"reponame": "main", "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.2.12-r2": ["CVE-2022-37434"], "1.2.12-r0": null}}}, {"pkg": {"secfixes": {}}}, {"pkg": {"name": "bad", "secfixes": ["x"]}}]}"#;
        let p = parse("mirror/v3.15/main.json", json).unwrap();
        assert_eq!(p.advisories.len(), 1);
        assert_eq!(p.advisories[0].affected[0].ecosystem, "Alpine:v3.15");
        assert_eq!(p.advisories[0].affected[0].name, "zlib");
        assert_eq!(p.malformed.len(), 2);
        assert!(parse("main.json", json).is_err());
        assert_eq!(release_from_path("a/v3.15/main.yaml").as_deref(), Some("v3.15"));
        assert_eq!(release_from_path("main.yaml"), None);
    }

    #[test]
    fn hostile_input_is_an_error() {
        assert!(parse("v3.6/main.yaml", b"- just\n- a list\n").is_err());
        assert!(parse("v3.6/main.yaml", b"packages: {a: 1}\n").is_err());
        assert!(parse("v3.6/main.yaml", b"packages: [\n").is_err());
        assert!(parse("v3.6/main.json", b"{\"packages\": [").is_err());
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse("v3.6/main.yaml", deep.as_bytes()).is_err());
        let deep_json = format!("{{\"packages\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse("v3.6/main.json", deep_json.as_bytes()).is_err());
    }
}
