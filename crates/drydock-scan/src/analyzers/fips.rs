//! FIPS evidence that needs a file's content: the OpenSSL version text and
//! compiled-in directories in `libcrypto`, OpenSSL configuration files, the
//! system crypto policy, Java's `java.security`, and the crypto a compiled
//! binary carries (Go build settings and BoringCrypto markers; a copy of
//! OpenSSL linked in statically).
//!
//! Evidence that is a file's mere presence (`fips.so`, `.hmac` integrity
//! files, `/etc/system-fips`, libgcrypt/GnuTLS/NSS libraries) is read from
//! the merged file tree after the walk instead: no bytes need reading. The
//! verdict is [`crate::fips::assess`]; this only gathers.
//!
//! Not in [`super::ALL`]: `drydock scan` adds it when the FIPS scanner is
//! selected (it searches every executable's bytes for OpenSSL's version
//! text, which an inventory alone doesn't need).

use std::sync::OnceLock;

use memchr::memmem;
use regex::bytes::Regex;

use super::elf::is_executable;
use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

/// What a file says about the crypto in the image.
#[derive(Clone, Debug, PartialEq)]
pub enum CryptoFact {
    /// A shared `libcrypto`: its version text and the directories compiled
    /// into it (`openssl version -d`, `-m`).
    OpenSslLibrary(OpenSslBuild),
    /// OpenSSL's version text in a binary that doesn't load `libcrypto`
    /// dynamically: a private, statically linked copy (Node.js, some Go and
    /// Rust binaries, Python wheels).
    BundledOpenSsl(OpenSslBuild),
    /// An OpenSSL configuration file.
    OpenSslConfig(OpenSslConf),
    /// A Go binary's crypto: what its build settings and symbols say.
    Go(GoCrypto),
    /// `/etc/crypto-policies/config`: the system-wide policy name.
    CryptoPolicy(String),
    /// Java's `java.security`: the security providers it lists, and the
    /// `fips.provider.N` list Red Hat's OpenJDK switches to in FIPS mode.
    JavaSecurity { providers: Vec<String>, fips_providers: Vec<String> },
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenSslBuild {
    /// `3.0.19`, `1.0.2k`, `3.0.15+quic`.
    pub version: String,
    /// The whole version text (`OpenSSL 1.0.2k-fips  26 Jan 2017`).
    pub text: String,
    /// A vendor FIPS-capable build: `-fips` (RHEL 7, Amazon Linux 2) or
    /// ` FIPS ` (RHEL 8) in the version text.
    pub fips_build: bool,
    pub openssldir: Option<String>,
    pub modulesdir: Option<String>,
}

impl OpenSslBuild {
    /// The major version (1 or 3).
    pub fn major(&self) -> u32 {
        self.version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0)
    }
}

/// An OpenSSL config file as OpenSSL reads it: `[section]`s of
/// `name = value` pairs (the unnamed first section is `default`), and
/// `.include` directives in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenSslConf {
    pub sections: Vec<(String, Vec<(String, String)>)>,
    pub includes: Vec<String>,
}

impl OpenSslConf {
    /// Parses the format of OpenSSL's `config(5)`: `#` comments, `[ name ]`
    /// headers, `name = value` with optional quotes, backslash line
    /// continuation, `.include [=] path` and `.pragma` directives.
    pub fn parse(text: &str) -> OpenSslConf {
        let mut conf = OpenSslConf { sections: vec![("default".into(), Vec::new())], includes: Vec::new() };
        let mut logical = String::new();
        for raw in text.lines() {
            let line = raw.trim_end_matches('\r');
            if let Some(body) = line.strip_suffix('\\') {
                logical.push_str(body);
                continue;
            }
            logical.push_str(line);
            let full = std::mem::take(&mut logical);
            conf.line(&full);
        }
        if !logical.is_empty() {
            conf.line(&logical.clone());
        }
        conf
    }

    fn line(&mut self, line: &str) {
        let line = strip_comment(line).trim();
        if line.is_empty() {
            return;
        }
        if let Some(rest) = line.strip_prefix(".include") {
            let path = rest.trim_start().trim_start_matches('=').trim();
            if !path.is_empty() {
                self.includes.push(unquote(path).to_owned());
            }
            return;
        }
        if line.starts_with(".pragma") {
            return;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            self.sections.push((name.trim().to_owned(), Vec::new()));
            return;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            // `section::name = value` sets a name in another section.
            let (section, key) = match key.split_once("::") {
                Some((s, k)) => (Some(s.trim()), k.trim()),
                None => (None, key),
            };
            let entry = (key.to_owned(), unquote(value.trim()).to_owned());
            match section {
                Some(s) => match self.sections.iter_mut().find(|(n, _)| n == s) {
                    Some((_, pairs)) => pairs.push(entry),
                    None => self.sections.push((s.to_owned(), vec![entry])),
                },
                None => {
                    if let Some((_, pairs)) = self.sections.last_mut() {
                        pairs.push(entry);
                    }
                }
            }
        }
    }
}

fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) => return &line[..i],
            _ => {}
        }
    }
    line
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoCrypto {
    /// `go1.22.5 X:boringcrypto`.
    pub go_version: String,
    /// `build KEY=VALUE` settings that bear on crypto: `GOEXPERIMENT`,
    /// `GOFIPS140`, `DefaultGODEBUG`, `-tags`, `CGO_ENABLED`.
    pub settings: Vec<(String, String)>,
    /// Linked with BoringCrypto (`crypto/internal/boring/sig.BoringCrypto`).
    pub boring: bool,
    /// Imports `crypto/tls/fipsonly` (`sig.FIPSOnly`): TLS restricted to
    /// FIPS-approved settings.
    pub fips_only: bool,
    /// Contains Go's standard crypto at all.
    pub uses_crypto: bool,
}

impl GoCrypto {
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Build settings worth keeping.
const GO_SETTINGS: &[&str] = &["GOEXPERIMENT", "GOFIPS140", "DefaultGODEBUG", "-tags", "CGO_ENABLED"];

pub struct FipsAnalyzer;

/// Config files are small; anything larger is not one.
const MAX_CONFIG: u64 = 1 << 20;

impl Analyzer for FipsAnalyzer {
    fn name(&self) -> &'static str {
        "fips"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        if *entry.kind != FileKind::File {
            return false;
        }
        let name = entry.path.rsplit('/').next().unwrap_or(entry.path);
        if name.starts_with("libcrypto.so") {
            return true;
        }
        if entry.size <= MAX_CONFIG
            && (is_openssl_config(entry.path, name)
                || entry.path == "etc/crypto-policies/config"
                || entry.path.ends_with("/security/java.security"))
        {
            return true;
        }
        is_executable(entry)
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let name = entry.path.rsplit('/').next().unwrap_or(entry.path);
        let fact = if name.starts_with("libcrypto.so") {
            openssl_build(content).map(CryptoFact::OpenSslLibrary)
        } else if is_openssl_config(entry.path, name) {
            Some(CryptoFact::OpenSslConfig(OpenSslConf::parse(&String::from_utf8_lossy(content))))
        } else if entry.path == "etc/crypto-policies/config" {
            let text = String::from_utf8_lossy(content);
            let policy = text.lines().map(|l| strip_comment(l).trim()).find(|l| !l.is_empty()).unwrap_or("");
            Some(CryptoFact::CryptoPolicy(policy.to_owned()))
        } else if entry.path.ends_with("/security/java.security") {
            let text = String::from_utf8_lossy(content);
            Some(CryptoFact::JavaSecurity {
                providers: java_providers(&text, "security.provider."),
                fips_providers: java_providers(&text, "fips.provider."),
            })
        } else {
            return binary(content);
        };
        Ok(fact.map(|f| vec![FactKind::Crypto(f)]).unwrap_or_default())
    }
}

/// `openssl.cnf`, `fipsmodule.cnf`, and what they include: `*.cnf` in the
/// usual OpenSSL directories, and crypto-policies' OpenSSL back-ends.
fn is_openssl_config(path: &str, name: &str) -> bool {
    if name == "openssl.cnf" || name == "fipsmodule.cnf" {
        return true;
    }
    if path.starts_with("etc/crypto-policies/back-ends/") {
        return name.starts_with("openssl");
    }
    name.ends_with(".cnf")
        && ["etc/ssl/", "etc/pki/tls/", "usr/lib/ssl/", "usr/local/ssl/", "usr/local/etc/openssl", "etc/openssl/"]
            .iter()
            .any(|dir| path.starts_with(dir))
}

/// `<prefix>N=Name` lines of `java.security`, in order of N.
fn java_providers(text: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<(u32, String)> = text
        .lines()
        .filter_map(|l| {
            let (key, value) = l.trim().split_once('=')?;
            let n = key.trim().strip_prefix(prefix)?.parse().ok()?;
            Some((n, value.trim().to_owned()))
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, v)| v).collect()
}

fn version_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `OpenSSL 3.0.19 27 Jan 2026`, `OpenSSL 1.0.2k-fips  26 Jan 2017`,
    // `OpenSSL 1.1.1k  FIPS 25 Mar 2021`, `OpenSSL 3.0.15+quic 3 Sep 2024`.
    // The date is required: bare `OpenSSL 3.` fragments are everywhere.
    RE.get_or_init(|| {
        Regex::new(r"OpenSSL (\d{1,2}\.\d{1,2}\.\d{1,2}[a-z]{0,2}(?:\+[a-z]{1,10})?)(-fips)? {1,2}(FIPS {1,2})?\d{1,2} [A-Z][a-z]{2} \d{4}")
            .expect("valid regex")
    })
}

fn dir_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(OPENSSLDIR|MODULESDIR): "([^"\x00]{1,256})""#).expect("valid regex"))
}

/// The OpenSSL build a binary carries, from its version text.
pub fn openssl_build(content: &[u8]) -> Option<OpenSslBuild> {
    let caps = version_regex().captures(content)?;
    let mut build = OpenSslBuild {
        version: String::from_utf8_lossy(&caps[1]).into_owned(),
        text: String::from_utf8_lossy(&caps[0]).into_owned(),
        fips_build: caps.get(2).is_some() || caps.get(3).is_some(),
        openssldir: None,
        modulesdir: None,
    };
    for c in dir_regex().captures_iter(content).take(4) {
        let value = String::from_utf8_lossy(&c[2]).into_owned();
        match &c[1] {
            b"OPENSSLDIR" => build.openssldir.get_or_insert(value),
            _ => build.modulesdir.get_or_insert(value),
        };
    }
    Some(build)
}

/// What a compiled binary says: Go crypto settings, or a private OpenSSL.
fn binary(content: &[u8]) -> Result<Vec<FactKind>, String> {
    if !content.starts_with(b"\x7fELF") {
        return Ok(Vec::new());
    }
    // A Go binary whose build info can't be read is the Go analyzer's
    // warning to give; here it is simply not judged.
    if let Ok(Some((go_version, modinfo))) = super::golang::build_info(content) {
        let settings = modinfo
            .lines()
            .filter_map(|l| l.strip_prefix("build\t"))
            .filter_map(|kv| kv.split_once('='))
            .filter(|(k, _)| GO_SETTINGS.contains(k))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let has = |needle: &[u8]| memmem::find(content, needle).is_some();
        let go = GoCrypto {
            go_version,
            settings,
            boring: has(b"crypto/internal/boring/sig.BoringCrypto"),
            fips_only: has(b"crypto/internal/boring/sig.FIPSOnly"),
            // Every package of Go's crypto imports the `sig` markers (up to
            // Go 1.23) or the FIPS 140 module (Go 1.24 on).
            uses_crypto: has(b"crypto/internal/boring/sig.") || has(b"crypto/internal/fips140"),
        };
        return Ok(vec![FactKind::Crypto(CryptoFact::Go(go))]);
    }
    // The `openssl` command and anything else linked against the shared
    // library name it in their dynamic section; a private copy doesn't.
    match openssl_build(content) {
        Some(build) if memmem::find(content, b"libcrypto.so").is_none() => Ok(vec![FactKind::Crypto(CryptoFact::BundledOpenSsl(build))]),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_texts_of_real_builds() {
        let b = openssl_build(
            b"\0OpenSSL 3.0.19 27 Jan 2026\0OPENSSLDIR: \"/usr/lib/ssl\"\0MODULESDIR: \"/usr/lib/x86_64-linux-gnu/ossl-modules\"\0",
        )
        .unwrap();
        assert_eq!((b.version.as_str(), b.fips_build, b.major()), ("3.0.19", false, 3));
        assert_eq!(b.openssldir.as_deref(), Some("/usr/lib/ssl"));
        assert_eq!(b.modulesdir.as_deref(), Some("/usr/lib/x86_64-linux-gnu/ossl-modules"));
        let b = openssl_build(b"xxOpenSSL 1.0.2k-fips  26 Jan 2017\0").unwrap();
        assert_eq!((b.version.as_str(), b.fips_build, b.major()), ("1.0.2k", true, 1));
        let b = openssl_build(b"OpenSSL 1.1.1k  FIPS 25 Mar 2021").unwrap();
        assert_eq!((b.version.as_str(), b.fips_build), ("1.1.1k", true));
        let b = openssl_build(b"OpenSSL 3.0.15+quic 3 Sep 2024").unwrap();
        assert_eq!((b.version.as_str(), b.fips_build), ("3.0.15+quic", false));
        assert_eq!(openssl_build(b"OpenSSL 3.\0OpenSSL default\0"), None);
    }

    #[test]
    fn config_sections_includes_and_continuations() {
        let conf = OpenSslConf::parse(
            "HOME = .\nopenssl_conf = openssl_init # comment\n.include /etc/ssl/fipsmodule.cnf\n.include = conf.d\n\n[ openssl_init ]\nproviders = provider_sect\nalg_section = algorithm_sect\n\n[provider_sect]\nfips = fips_sect\nbase = base_sect\n[algorithm_sect]\ndefault_properties = \"fips=yes\"\nlong = a\\\nb\nfips_sect::activate = 1\n",
        );
        assert_eq!(conf.includes, vec!["/etc/ssl/fipsmodule.cnf", "conf.d"]);
        let section = |n: &str| conf.sections.iter().find(|(s, _)| s == n).map(|(_, p)| p.clone()).unwrap();
        assert_eq!(section("default"), vec![("HOME".into(), ".".into()), ("openssl_conf".into(), "openssl_init".into())]);
        assert_eq!(section("algorithm_sect"), vec![("default_properties".into(), "fips=yes".into()), ("long".into(), "ab".into())]);
        assert_eq!(section("fips_sect"), vec![("activate".into(), "1".into())]);
    }

    #[test]
    fn java_security_providers_in_order() {
        let text = "security.provider.2=SunRsaSign\n#security.provider.9=Nope\nsecurity.provider.1=SunPKCS11 ${java.home}/conf/security/nss.fips.cfg\nsecurity.provider.10=X\n";
        assert_eq!(
            java_providers(text, "security.provider."),
            vec!["SunPKCS11 ${java.home}/conf/security/nss.fips.cfg", "SunRsaSign", "X"]
        );
        assert!(java_providers(text, "fips.provider.").is_empty());
    }

    #[test]
    fn wants_libcrypto_configs_and_binaries() {
        let w = |path: &str, size: u64, mode: u32| FipsAnalyzer.wants(&EntryInfo { path, kind: &FileKind::File, size, mode });
        assert!(w("usr/lib/x86_64-linux-gnu/libcrypto.so.3", 4_000_000, 0o644));
        assert!(w("usr/lib/ssl/openssl.cnf", 12_000, 0o644));
        assert!(w("etc/pki/tls/fipsmodule.cnf", 800, 0o644));
        assert!(w("etc/crypto-policies/config", 5, 0o644));
        assert!(w("usr/lib/jvm/java-17/conf/security/java.security", 60_000, 0o644));
        assert!(w("usr/local/bin/app", 3_000_000, 0o755));
        assert!(!w("usr/share/doc/x.cnf", 100, 0o644));
        assert!(!w("usr/lib/x86_64-linux-gnu/libssl.so.3", 600_000, 0o644));
    }
}
