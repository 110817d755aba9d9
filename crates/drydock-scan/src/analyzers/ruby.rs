//! Ruby gems: the specification RubyGems writes for every installed gem,
//! `…/specifications/<name>-<version>.gemspec` (under `GEM_HOME`, a
//! bundler path, or Debian's `rubygems-integration`).
//!
//! The file is Ruby source in `Gem::Specification#to_ruby` style:
//!
//! ```ruby
//! Gem::Specification.new do |s|
//!   s.name = "rack".freeze
//!   s.version = "2.2.22"
//!   s.licenses = ["MIT".freeze]
//! ```
//!
//! It is read as text, never evaluated: the assignments to `name`,
//! `version`, `license` and `licenses` on the block variable, with string
//! literals (`"x"`, `'x'`, `%q{x}`, `.freeze`) and `Gem::Version.new("…")`.
//! The `# stub: <name> <version> …` line RubyGems puts on top stands in when
//! an assignment is not a plain literal.

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

pub struct RubyAnalyzer;

impl Analyzer for RubyAnalyzer {
    fn name(&self) -> &'static str {
        "ruby"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File
            && entry.path.ends_with(".gemspec")
            && (entry.path.contains("/specifications/") || entry.path.starts_with("specifications/"))
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        parse(content).map(|r| vec![FactKind::Packages(Ecosystem::Gem, vec![r])])
    }
}

/// Parses an installed gem specification.
pub fn parse(content: &[u8]) -> Result<PackageRecord, String> {
    let text = String::from_utf8_lossy(content);
    let (mut name, mut version) = (None, None);
    let mut licenses = Vec::new();
    let mut stub = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("# stub: ") {
            let mut words = rest.split_whitespace();
            stub = words.next().zip(words.next());
            continue;
        }
        let Some((lhs, rhs)) = line.split_once('=') else { continue };
        // `s.name = …` (not `==`, `=>` or `s.name ||= …`).
        if rhs.starts_with(['=', '>', '~']) || lhs.ends_with(['|', '&', '!', '<', '>']) {
            continue;
        }
        let Some((_, attr)) = lhs.trim().rsplit_once('.') else { continue };
        let rhs = rhs.trim();
        match attr {
            "name" if name.is_none() => name = string_literal(rhs),
            "version" if version.is_none() => {
                let v = rhs.strip_prefix("Gem::Version.new(").and_then(|r| r.strip_suffix(')')).unwrap_or(rhs);
                version = string_literal(v.trim());
            }
            "license" if licenses.is_empty() => licenses.extend(string_literal(rhs)),
            "licenses" if licenses.is_empty() => licenses = all_literals(rhs),
            _ => {}
        }
    }
    let (stub_name, stub_version) = stub.unzip();
    let name = name.or(stub_name.map(str::to_owned)).ok_or("gemspec has no `name` assignment")?;
    let version = version.or(stub_version.map(str::to_owned)).ok_or_else(|| format!("gemspec for `{name}` has no `version` assignment"))?;
    Ok(PackageRecord { name, version, licenses, ..Default::default() })
}

/// `"x"`, `'x'`, `%q{x}` / `%q<x>` / `%q(x)`, each optionally `.freeze`d.
/// `None` for anything else (an expression, a constant).
fn string_literal(s: &str) -> Option<String> {
    let s = s.strip_suffix(".freeze").unwrap_or(s).trim();
    let inner = if let Some(rest) = s.strip_prefix("%q").or_else(|| s.strip_prefix("%Q")) {
        let close = match rest.chars().next()? {
            '{' => '}',
            '<' => '>',
            '(' => ')',
            '[' => ']',
            c => c,
        };
        rest.get(1..)?.strip_suffix(close)?
    } else {
        let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        s.get(1..)?.strip_suffix(quote)?
    };
    if inner.is_empty() || inner.contains(['"', '\'', '#', '\\']) {
        return None; // interpolation or escapes: not a plain value
    }
    Some(inner.to_owned())
}

/// Every quoted string in `["MIT".freeze, "Ruby".freeze]`.
fn all_literals(s: &str) -> Vec<String> {
    let inner = s.trim().strip_prefix('[').and_then(|r| r.trim_end().strip_suffix(']')).unwrap_or(s);
    inner.split(',').filter_map(|item| string_literal(item.trim())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/ruby/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn brief(r: &PackageRecord) -> (&str, &str, Vec<&str>) {
        (r.name.as_str(), r.version.as_str(), r.licenses.iter().map(String::as_str).collect())
    }

    #[test]
    fn parses_real_debian_gemspecs() {
        assert_eq!(brief(&parse(&data("rack-2.2.22.gemspec")).unwrap()), ("rack", "2.2.22", vec!["MIT"]));
        assert_eq!(brief(&parse(&data("minitest-5.17.0.gemspec")).unwrap()), ("minitest", "5.17.0", vec!["MIT"]));
    }

    #[test]
    fn other_spellings() {
        let spec = b"Gem::Specification.new do |spec|\n  spec.name    = 'nokogiri'\n  spec.version = Gem::Version.new(\"1.16.0\".freeze)\n  spec.license = %q{MIT}\n  spec.licenses = [\"Apache-2.0\"]\nend\n";
        assert_eq!(brief(&parse(spec).unwrap()), ("nokogiri", "1.16.0", vec!["MIT"]));
        let spec = b"# stub: json 2.7.1 ruby lib\nGem::Specification.new do |s|\n  s.name = NAME\n  s.version = JSON::VERSION\n  s.licenses = [\"Ruby\".freeze, \"BSD-2-Clause\".freeze]\nend\n";
        assert_eq!(brief(&parse(spec).unwrap()), ("json", "2.7.1", vec!["Ruby", "BSD-2-Clause"]));
        let spec = b"s.name = \"x\"\ns.metadata = { \"a\" => \"b\" }\nif s.version == \"0\"\ns.version = \"1.0\"\n";
        assert_eq!(brief(&parse(spec).unwrap()), ("x", "1.0", vec![]));
    }

    #[test]
    fn malformed_specs_are_errors_not_panics() {
        assert!(parse(b"").is_err());
        assert!(parse(b"s.name = \"x\"\n").unwrap_err().contains("`x`"));
        assert!(parse(b"s.name = \"\ns.version = '\n").is_err());
        assert!(parse(b"s.name = %q\ns.version = %q{\n# stub:\n").is_err());
        assert!(parse(&[0xff, b'=', b'.', b'"', 0xfe]).is_err());
        let real = data("rack-2.2.22.gemspec");
        for cut in [1, 10, 60, 100] {
            let _ = parse(&real[..cut]);
        }
    }

    #[test]
    fn wants_installed_specifications_only() {
        let w = |path: &str| RubyAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size: 10, mode: 0o644 });
        assert!(w("usr/local/bundle/specifications/rack-2.2.22.gemspec"));
        assert!(w("usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec"));
        assert!(!w("app/rack.gemspec"), "a project's own gemspec is source code");
        assert!(!w("usr/local/bundle/specifications/rack-2.2.22.gemspec.bak"));
    }
}
