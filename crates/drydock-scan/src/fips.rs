//! The FIPS 140 verdict (seed 000; FedRAMP SC-13): which cryptographic
//! modules the image carries, whether each can run in FIPS mode, and
//! whether the image itself makes it so.
//!
//! Evidence comes from the facts the [`crate::analyzers::fips`] analyzer
//! gathered (version texts, configs, Go build settings), from the final
//! file tree (files whose presence is the evidence: `fips.so`, `.hmac`
//! integrity files, `/etc/system-fips`), from the image's `Env`, and from
//! the package inventory. Only files present in the final image count: a
//! provider a later layer deleted is not loaded by anyone.
//!
//! Each module gets its own posture; the image's verdict is the strongest
//! one, and every non-FIPS module beside a FIPS claim is listed, because the
//! application may well be using that one instead. What only the host or a
//! running container can show is said, every time.

use std::collections::BTreeMap;

use drydock_core::fips::{CryptoModule, FipsEvidence, FipsPosture, FipsVerdict, Stance};
use drydock_core::package::Ecosystem;
use drydock_core::report::Report;

use crate::analyzers::fips::{CryptoFact, GoCrypto, OpenSslBuild, OpenSslConf};
use crate::{FactKind, FileKind, ScanResult};

/// What only the host or a running container can show.
const HOST_ONLY: &[&str] = &[
    "Kernel FIPS mode (/proc/sys/crypto/fips_enabled) belongs to the host: RHEL-family libraries enter FIPS mode from it, and containers inherit it.",
    "Self-tests and the module integrity check run when a module loads: only a running container shows them passing (`openssl list -providers`, an MD5 digest refused).",
    "Environment variables in the image can be overridden at deploy time.",
];

const NOT_VALIDATION: &str = "A version string or package name is not a CMVP validation: check the certificate for this exact module version and operational environment on the CMVP list.";

/// Judges the image's FIPS posture.
pub fn assess(report: &Report, scan: &ScanResult) -> FipsPosture {
    let mut cx = Assessment { report, scan, env: env_map(report), evidence: Vec::new(), modules: Vec::new(), notes: Vec::new() };
    cx.environment();
    cx.markers();
    cx.packages();
    let facts: Vec<(&str, usize, &CryptoFact)> = scan
        .visible_facts()
        .filter_map(|f| if let FactKind::Crypto(c) = &f.kind { Some((f.path.as_str(), f.layer, c)) } else { None })
        .collect();
    let configs: BTreeMap<&str, (usize, &OpenSslConf)> =
        facts.iter().filter_map(|(p, l, c)| if let CryptoFact::OpenSslConfig(conf) = c { Some((*p, (*l, conf))) } else { None }).collect();
    for (path, layer, fact) in &facts {
        match fact {
            CryptoFact::OpenSslLibrary(build) => cx.openssl(path, *layer, build, &configs),
            CryptoFact::BundledOpenSsl(build) => cx.bundled_openssl(path, *layer, build),
            CryptoFact::Go(go) => cx.go(path, *layer, go),
            CryptoFact::CryptoPolicy(policy) => cx.crypto_policy(path, *layer, policy),
            CryptoFact::JavaSecurity { providers, fips_providers } => cx.java(path, *layer, providers, fips_providers),
            CryptoFact::OpenSslConfig(_) => {}
        }
    }
    cx.libraries();
    cx.finish()
}

struct Assessment<'a> {
    report: &'a Report,
    scan: &'a ScanResult,
    env: BTreeMap<&'a str, &'a str>,
    evidence: Vec<FipsEvidence>,
    modules: Vec<CryptoModule>,
    notes: Vec<String>,
}

fn env_map(report: &Report) -> BTreeMap<&str, &str> {
    report.image.config.env.iter().filter_map(|kv| kv.split_once('=')).collect()
}

fn truthy(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "yes" | "true" | "on")
}

/// `fips140=on` (or `only`) in a `GODEBUG` value.
fn godebug_fips(value: &str) -> Option<&str> {
    value.split(',').filter_map(|kv| kv.trim().strip_prefix("fips140=")).next_back()
}

impl<'a> Assessment<'a> {
    fn evidence(&mut self, kind: &str, stance: Stance, location: String, detail: String, layer: Option<usize>) {
        let info = layer.and_then(|l| self.report.layers.get(l));
        self.evidence.push(FipsEvidence {
            kind: kind.to_owned(),
            stance,
            location,
            detail,
            layer_index: layer,
            layer_digest: info.and_then(|l| l.digest.clone()),
            created_by: info.and_then(|l| l.created_by.clone()),
        });
    }

    fn module(
        &mut self,
        name: &str,
        version: Option<String>,
        location: String,
        posture: FipsVerdict,
        reason: String,
        layer: Option<usize>,
    ) {
        let layer_digest = layer.and_then(|l| self.report.layers.get(l)).and_then(|l| l.digest.clone());
        self.modules.push(CryptoModule { name: name.to_owned(), version, location, posture, reason, layer_index: layer, layer_digest });
    }

    fn env(&self, name: &str) -> Option<&'a str> {
        self.env.get(name).copied()
    }

    /// A regular file at `path` in the final image (links followed).
    fn exists(&self, path: &str) -> Option<(String, usize)> {
        self.scan.tree.resolve(path).filter(|(_, e)| e.kind == FileKind::File).map(|(p, e)| (p, e.layer))
    }

    fn environment(&mut self) {
        let vars: &[(&str, Stance, &str)] = &[
            ("OPENSSL_FIPS", Stance::Claim, "asks OpenSSL 1.0.x FIPS-capable builds to enter FIPS mode; OpenSSL 3 ignores it"),
            ("OPENSSL_FORCE_FIPS_MODE", Stance::Claim, "forces FIPS mode in Red Hat and SUSE patched OpenSSL builds"),
            ("OPENSSL_CONF", Stance::Info, "the OpenSSL configuration file read instead of the built-in default"),
            ("OPENSSL_MODULES", Stance::Info, "where OpenSSL 3 looks for provider modules"),
            ("GOLANG_FIPS", Stance::Claim, "forces FIPS mode in Go built with the Red Hat (golang-fips) toolchain"),
            ("GOFIPS140", Stance::Claim, "a Go build setting: at run time it has no effect"),
            ("LIBGCRYPT_FORCE_FIPS_MODE", Stance::Claim, "forces libgcrypt's FIPS mode"),
            ("GNUTLS_FORCE_FIPS_MODE", Stance::Claim, "forces GnuTLS's FIPS mode"),
            ("NSS_FIPS", Stance::Claim, "starts NSS in FIPS mode"),
        ];
        for (name, stance, what) in vars {
            if let Some(value) = self.env(name) {
                let stance = if *stance == Stance::Claim && !truthy(value) && *name != "GOFIPS140" { Stance::Info } else { *stance };
                self.evidence("environment", stance, format!("env:{name}"), format!("{name}={value}: {what}"), None);
            }
        }
        if let Some(value) = self.env("GODEBUG")
            && let Some(mode) = godebug_fips(value)
        {
            let stance = if matches!(mode, "on" | "only") { Stance::Claim } else { Stance::Info };
            self.evidence("environment", stance, "env:GODEBUG".into(), format!("GODEBUG fips140={mode}: Go 1.24+ FIPS 140 mode"), None);
        }
        if let Some(value) = self.env("NODE_OPTIONS")
            && (value.contains("--force-fips") || value.contains("--enable-fips"))
        {
            self.evidence(
                "environment",
                Stance::Claim,
                "env:NODE_OPTIONS".into(),
                format!("NODE_OPTIONS={value}: Node.js FIPS mode"),
                None,
            );
        }
    }

    fn markers(&mut self) {
        if let Some((path, layer)) = self.exists("etc/system-fips") {
            self.evidence(
                "marker",
                Stance::Claim,
                format!("/{path}"),
                "RHEL 7/8 FIPS marker (Podman injects it on FIPS hosts); baked into an image it claims FIPS mode without making it".into(),
                Some(layer),
            );
        }
        if let Some((path, layer)) = self.exists("etc/gcrypt/fips_enabled") {
            self.evidence(
                "marker",
                Stance::Enforces,
                format!("/{path}"),
                "libgcrypt starts in FIPS mode when this file exists".into(),
                Some(layer),
            );
        }
        let providers: Vec<(String, usize)> = self
            .scan
            .tree
            .iter()
            .filter(|e| e.kind == FileKind::File && (e.path.ends_with("/fips.so") || e.path == "fips.so"))
            .map(|e| (e.path.clone(), e.layer))
            .collect();
        for (path, layer) in providers {
            self.evidence("openssl-provider", Stance::Enables, format!("/{path}"), "OpenSSL 3 FIPS provider module".into(), Some(layer));
        }
    }

    fn packages(&mut self) {
        let report = self.report;
        for p in &report.packages {
            let name = p.record.name.as_str();
            let lower = name.to_ascii_lowercase();
            let layer = Some(p.origin.layer_index);
            let location = format!("package:{name}");
            let version = Some(p.record.version.clone());
            if p.ecosystem.is_os() {
                if lower == "dracut-fips" {
                    self.evidence(
                        "package",
                        Stance::Claim,
                        location,
                        format!(
                            "{name} {}: configures the host's initramfs for a FIPS boot; inside a container it does nothing",
                            p.record.version
                        ),
                        layer,
                    );
                } else if lower.contains("fips") {
                    self.evidence("package", Stance::Enables, location, format!("{name} {}", p.record.version), layer);
                } else if p.record.version.to_ascii_lowercase().contains("fips")
                    && ["libssl", "openssl", "libgcrypt", "gnutls", "libgnutls", "nss", "libnss", "libcrypto"]
                        .iter()
                        .any(|n| lower.starts_with(n))
                {
                    self.evidence("package", Stance::Enables, location, format!("{name} {}: a vendor FIPS build", p.record.version), layer);
                }
                continue;
            }
            let verdict: Option<(&str, FipsVerdict, &str)> = match (p.ecosystem, lower.as_str()) {
                (Ecosystem::Pypi, "cryptography") => Some((
                    "Python cryptography",
                    FipsVerdict::NotFips,
                    "pip wheels link their own copy of OpenSSL, not the system's FIPS module",
                )),
                (Ecosystem::Pypi, "pycryptodome" | "pycryptodomex") => {
                    Some(("PyCryptodome", FipsVerdict::NotFips, "its own implementations, not a validated module"))
                }
                (Ecosystem::Maven, n) if n.starts_with("bc-fips") || n.starts_with("bctls-fips") || n.starts_with("bcpkix-fips") => Some((
                    "Bouncy Castle FIPS",
                    FipsVerdict::FipsCapable,
                    "approved-only mode needs org.bouncycastle.fips.approved_only=true",
                )),
                (Ecosystem::Maven, n) if n.starts_with("bcprov") => {
                    Some(("Bouncy Castle", FipsVerdict::NotFips, "the general Bouncy Castle provider is not the FIPS one"))
                }
                (Ecosystem::Cargo, "ring") => Some(("ring", FipsVerdict::NotFips, "not a validated module")),
                (Ecosystem::Cargo, "aws-lc-fips-sys") => {
                    Some(("AWS-LC FIPS", FipsVerdict::FipsCapable, "the FIPS build of AWS-LC, used when the application selects it"))
                }
                (Ecosystem::Cargo, "aws-lc-sys") => Some(("AWS-LC", FipsVerdict::NotFips, "AWS-LC without its FIPS build")),
                (Ecosystem::Cargo, "openssl-src") => {
                    Some(("OpenSSL (vendored)", FipsVerdict::NotFips, "OpenSSL compiled into the binary, not the system's module"))
                }
                (Ecosystem::Npm, "node-forge" | "crypto-js") => {
                    Some((name, FipsVerdict::NotFips, "JavaScript crypto, not a validated module"))
                }
                _ => None,
            };
            if let Some((module, posture, reason)) = verdict {
                let location = p.locations.first().map(|l| format!("/{}", l.trim_start_matches('/'))).unwrap_or(location);
                self.module(module, version, location, posture, reason.to_owned(), layer);
            }
        }
    }

    fn crypto_policy(&mut self, path: &str, layer: usize, policy: &str) {
        let (stance, detail) = if policy.to_ascii_uppercase().starts_with("FIPS") {
            (
                Stance::Enables,
                format!(
                    "system crypto policy {policy}: libraries that follow crypto-policies allow only FIPS-approved algorithms; their FIPS mode still comes from the host kernel"
                ),
            )
        } else {
            (Stance::Info, format!("system crypto policy {policy} (not FIPS)"))
        };
        self.evidence("crypto-policy", stance, format!("/{path}"), detail, Some(layer));
    }

    /// A shared libcrypto and the configuration it reads.
    fn openssl(&mut self, path: &str, layer: usize, build: &OpenSslBuild, configs: &BTreeMap<&str, (usize, &OpenSslConf)>) {
        let location = format!("/{path}");
        let kind_detail = if build.fips_build { " (a FIPS-capable vendor build)" } else { "" };
        self.evidence(
            "openssl-library",
            if build.fips_build { Stance::Enables } else { Stance::Info },
            location.clone(),
            format!("{}{kind_detail}", build.text),
            Some(layer),
        );
        let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        // RHEL's FIPS builds check themselves against `.libcrypto.so.N.hmac`.
        let hmac = self.scan.tree.children(dir).find(|e| {
            let name = e.path.rsplit('/').next().unwrap_or("");
            name.starts_with(".libcrypto.so") && name.ends_with(".hmac")
        });
        if let Some(h) = hmac {
            let (p, l) = (h.path.clone(), h.layer);
            self.evidence(
                "openssl-library",
                Stance::Enables,
                format!("/{p}"),
                "integrity-check file of a FIPS OpenSSL build".into(),
                Some(l),
            );
        }
        let forced = self.env("OPENSSL_FORCE_FIPS_MODE").is_some_and(truthy);
        let vendor_fips = build.fips_build
            || self.evidence.iter().any(|e| e.kind == "package" && e.stance == Stance::Enables && e.location.contains("ssl"));
        let version = Some(build.version.clone());
        if build.major() < 3 {
            let legacy_env = build.version.starts_with("1.0") && self.env("OPENSSL_FIPS").is_some_and(truthy);
            let (posture, reason) = if vendor_fips && (forced || legacy_env) {
                let var = if forced { "OPENSSL_FORCE_FIPS_MODE" } else { "OPENSSL_FIPS" };
                (FipsVerdict::FipsEnforced, format!("a FIPS-capable build, and {var}=1 in the image's Env puts it in FIPS mode"))
            } else if vendor_fips {
                (
                    FipsVerdict::FipsCapable,
                    "a FIPS-capable build: FIPS mode when the host kernel runs in FIPS mode, or with OPENSSL_FORCE_FIPS_MODE=1".to_owned(),
                )
            } else {
                (FipsVerdict::NotFips, format!("OpenSSL {} without a FIPS module", build.version))
            };
            self.module("OpenSSL", version, location, posture, reason, Some(layer));
            return;
        }
        // OpenSSL 3: the FIPS provider, and the config that loads it.
        let modulesdir = self
            .env("OPENSSL_MODULES")
            .map(str::to_owned)
            .or_else(|| build.modulesdir.clone())
            .unwrap_or_else(|| format!("/{dir}/ossl-modules"));
        let openssldir = build.openssldir.clone().unwrap_or_else(|| "/usr/lib/ssl".into());
        let conf_path = self.env("OPENSSL_CONF").map(str::to_owned).unwrap_or_else(|| format!("{openssldir}/openssl.cnf"));
        let resolved = self.resolve_config(&conf_path, &openssldir, configs);
        let providers = resolved.as_ref().map(|c| c.providers()).unwrap_or_default();
        let fips_section = providers.iter().find(|p| p.name == "fips" || p.module.as_deref().is_some_and(|m| m.ends_with("fips.so")));
        let fips_module =
            fips_section.and_then(|p| p.module.clone()).unwrap_or_else(|| format!("{}/fips.so", modulesdir.trim_end_matches('/')));
        let provider_file = self.exists(&fips_module);
        match &resolved {
            Some(conf) => {
                let summary = if providers.is_empty() {
                    "no providers configured: OpenSSL loads the default provider only".to_owned()
                } else {
                    let list: Vec<String> =
                        providers.iter().map(|p| format!("{}{}", p.name, if p.active { " (activated)" } else { "" })).collect();
                    format!("providers: {}", list.join(", "))
                };
                let props = conf.default_properties.clone().map(|p| format!("; default_properties = {p}")).unwrap_or_default();
                let files = conf.files.join(" + ");
                self.evidence("openssl-config", Stance::Info, files, format!("{summary}{props}"), conf.layer);
            }
            None => self.evidence(
                "openssl-config",
                Stance::Info,
                conf_path.clone(),
                "no OpenSSL configuration file: OpenSSL loads the default provider only".into(),
                None,
            ),
        }
        let fips_active = fips_section.is_some_and(|p| p.active) || forced;
        let default_active = providers.is_empty() || providers.iter().any(|p| p.name == "default" && p.active);
        let requires_fips = resolved.as_ref().and_then(|c| c.default_properties.as_deref()).is_some_and(requires_fips);
        let (posture, reason) = match (provider_file.is_some() || vendor_fips, fips_active) {
            (true, true) if requires_fips || !default_active => {
                let how = if forced && !fips_section.is_some_and(|p| p.active) {
                    "OPENSSL_FORCE_FIPS_MODE=1 forces it".to_owned()
                } else if requires_fips {
                    "the configuration activates it and sets default_properties = fips=yes".to_owned()
                } else {
                    "the configuration activates it and not the default provider".to_owned()
                };
                (FipsVerdict::FipsEnforced, format!("FIPS provider {fips_module}: {how}"))
            }
            (true, true) => (
                FipsVerdict::FipsCapable,
                format!(
                    "FIPS provider {fips_module} is activated beside the default provider, and default_properties does not require fips=yes: algorithms come from the default (non-FIPS) provider unless the application asks"
                ),
            ),
            (true, false) => (
                FipsVerdict::FipsCapable,
                format!(
                    "FIPS provider {fips_module} is present but not activated by {conf_path}: RHEL-family builds load it when the host kernel runs in FIPS mode; otherwise an application must load it"
                ),
            ),
            (false, true) => {
                self.evidence(
                    "openssl-provider",
                    Stance::Against,
                    fips_module.clone(),
                    "the configuration activates a FIPS provider the image does not contain: OpenSSL fails to load it".into(),
                    None,
                );
                (FipsVerdict::NotFips, format!("the configured FIPS provider {fips_module} is missing"))
            }
            (false, false) => (
                FipsVerdict::NotFips,
                format!("no FIPS provider ({fips_module} is absent): only the default provider, not a validated module"),
            ),
        };
        if posture != FipsVerdict::NotFips
            && let Some(section) = fips_section
            && section.module_mac.is_none()
            && !vendor_fips
        {
            self.evidence(
                "openssl-config",
                Stance::Against,
                section.section.clone(),
                "the FIPS provider's section has no module-mac: upstream builds fail their integrity check without the `openssl fipsinstall` output".into(),
                None,
            );
        }
        self.module("OpenSSL", version, location, posture, reason, Some(layer));
    }

    /// Reads `path` and everything it includes into one view of the
    /// sections, the way OpenSSL does: later definitions win; relative
    /// includes resolve against the including file's directory, then
    /// OPENSSLDIR; a directory includes its `*.cnf` and `*.conf` files.
    fn resolve_config(&mut self, path: &str, openssldir: &str, configs: &BTreeMap<&str, (usize, &OpenSslConf)>) -> Option<ResolvedConf> {
        let (real, entry) = self.scan.tree.resolve(path)?;
        let mut out = ResolvedConf { layer: Some(entry.layer), ..Default::default() };
        let mut pending = vec![(real, 0usize)];
        while let Some((file, depth)) = pending.pop() {
            if depth > 8 || out.files.iter().any(|f| f == &format!("/{file}")) {
                continue;
            }
            let Some((_, conf)) = configs.get(file.as_str()) else {
                self.evidence("openssl-config", Stance::Info, format!("/{file}"), "included configuration file was not read".into(), None);
                continue;
            };
            out.files.push(format!("/{file}"));
            for (name, pairs) in &conf.sections {
                out.sections.entry(name.clone()).or_default().extend(pairs.iter().cloned());
            }
            let dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let mut next = Vec::new();
            for include in &conf.includes {
                let candidates = if include.starts_with('/') {
                    vec![include.clone()]
                } else {
                    vec![format!("{dir}/{include}"), format!("{}/{include}", openssldir.trim_end_matches('/'))]
                };
                for candidate in candidates {
                    let Some((real, entry)) = self.scan.tree.resolve(&candidate) else { continue };
                    if entry.kind == FileKind::Dir {
                        let mut files: Vec<String> = self
                            .scan
                            .tree
                            .children(&real)
                            .filter(|e| e.kind == FileKind::File && (e.path.ends_with(".cnf") || e.path.ends_with(".conf")))
                            .map(|e| e.path.clone())
                            .collect();
                        files.sort();
                        next.extend(files.into_iter().map(|f| (f, depth + 1)));
                    } else {
                        next.push((real, depth + 1));
                    }
                    break;
                }
            }
            // Processed in order: the stack pops from the end.
            pending.extend(next.into_iter().rev());
        }
        let init = out.get("default", "openssl_conf");
        if let Some(init) = init {
            out.provider_section = out.get(&init, "providers");
            let alg = out.get(&init, "alg_section");
            out.default_properties = alg.and_then(|a| out.get(&a, "default_properties"));
        }
        Some(out)
    }

    fn bundled_openssl(&mut self, path: &str, layer: usize, build: &OpenSslBuild) {
        let (posture, reason) = if build.fips_build {
            (FipsVerdict::FipsCapable, format!("a private FIPS-capable OpenSSL build inside {path}"))
        } else {
            (
                FipsVerdict::NotFips,
                format!("a private copy of OpenSSL {} linked into the binary: it does not use the system's FIPS module", build.version),
            )
        };
        self.module("OpenSSL (bundled)", Some(build.version.clone()), format!("/{path}"), posture, reason, Some(layer));
    }

    fn go(&mut self, path: &str, layer: usize, go: &GoCrypto) {
        let toolchain = go.go_version.split_whitespace().next().unwrap_or(&go.go_version);
        let minor: u32 = toolchain.strip_prefix("go1.").and_then(|r| r.split('.').next()).and_then(|m| m.parse().ok()).unwrap_or(0);
        let experiment = go.setting("GOEXPERIMENT").unwrap_or("");
        let tags = go.setting("-tags").unwrap_or("");
        let gofips140 = go.setting("GOFIPS140").filter(|v| !v.is_empty() && *v != "off");
        // GODEBUG from the environment overrides the binary's default.
        let runtime_mode = self.env("GODEBUG").and_then(godebug_fips).or_else(|| go.setting("DefaultGODEBUG").and_then(godebug_fips));
        let mode_on = runtime_mode.is_some_and(|m| matches!(m, "on" | "only"));
        let system_openssl = ["systemcrypto", "opensslcrypto", "cngcrypto"].iter().any(|e| experiment.contains(e))
            || tags.contains("goexperiment.opensslcrypto")
            || tags.contains("strictfipsruntime")
            || self.env("GOLANG_FIPS").is_some_and(truthy) && experiment.contains("strictfipsruntime");
        let location = format!("/{path}");
        let (name, posture, reason) = if go.boring || experiment.contains("boringcrypto") {
            if go.fips_only {
                ("Go BoringCrypto", FipsVerdict::FipsEnforced, "built with GOEXPERIMENT=boringcrypto and crypto/tls/fipsonly: BoringSSL's FIPS module serves approved algorithms and TLS is restricted to FIPS settings".to_owned())
            } else {
                ("Go BoringCrypto", FipsVerdict::FipsCapable, "built with GOEXPERIMENT=boringcrypto: BoringSSL's FIPS module serves approved algorithms, Go's own code the rest; import crypto/tls/fipsonly to restrict TLS".to_owned())
            }
        } else if let Some(version) = gofips140 {
            if version == "v1.0.0" || version.starts_with("v1.0.0-") {
                self.notes.push(format!("{path}: Go Cryptographic Module v1.0.0 is CMVP certificate #5247."));
            }
            if mode_on {
                (
                    "Go FIPS 140 module",
                    FipsVerdict::FipsEnforced,
                    format!("GOFIPS140={version} and fips140={} (GODEBUG)", runtime_mode.unwrap_or("on")),
                )
            } else {
                (
                    "Go FIPS 140 module",
                    FipsVerdict::FipsCapable,
                    format!("GOFIPS140={version}, but fips140 mode is off: set GODEBUG=fips140=on"),
                )
            }
        } else if system_openssl {
            (
                "Go (system OpenSSL)",
                FipsVerdict::FipsCapable,
                format!("crypto through the system's OpenSSL (GOEXPERIMENT={experiment} {tags}): FIPS when that OpenSSL is"),
            )
        } else if minor >= 24 && mode_on {
            (
                "Go FIPS 140 module",
                FipsVerdict::FipsEnforced,
                "fips140 mode on (GODEBUG) with the in-tree module, not a frozen validated version: build with GOFIPS140=v1.0.0".to_owned(),
            )
        } else if go.uses_crypto {
            (
                "Go crypto",
                FipsVerdict::NotFips,
                "Go's own crypto, not built with a FIPS module (GOFIPS140, or GOEXPERIMENT=boringcrypto)".to_owned(),
            )
        } else {
            return;
        };
        self.evidence(
            "go-binary",
            match posture {
                FipsVerdict::FipsEnforced => Stance::Enforces,
                FipsVerdict::FipsCapable => Stance::Enables,
                _ => Stance::Against,
            },
            location.clone(),
            format!("{} ({reason})", go.go_version),
            Some(layer),
        );
        self.module(name, Some(toolchain.trim_start_matches("go").to_owned()), location, posture, reason, Some(layer));
    }

    fn java(&mut self, path: &str, layer: usize, providers: &[String], fips_providers: &[String]) {
        let is_fips = |p: &String| p.contains("FIPS") || p.contains("BCFIPS") || p.contains("BouncyCastleFipsProvider");
        let (posture, reason) = if providers.first().is_some_and(is_fips) {
            (FipsVerdict::FipsCapable, format!("the first security provider is a FIPS one ({})", providers[0]))
        } else if !fips_providers.is_empty() {
            (FipsVerdict::FipsCapable, format!("switches to {} in FIPS mode (Red Hat OpenJDK, host FIPS mode)", fips_providers.join(", ")))
        } else {
            (FipsVerdict::NotFips, "the JDK's own providers (SunJCE and others), not a validated module".to_owned())
        };
        self.module("Java security providers", None, format!("/{path}"), posture, reason, Some(layer));
    }

    /// libgcrypt, GnuTLS and NSS: FIPS-capable builds ship integrity-check
    /// files beside the library; environment variables or a marker file
    /// force FIPS mode.
    fn libraries(&mut self) {
        struct Lib {
            name: &'static str,
            prefix: &'static str,
            check: fn(&str, &str) -> bool,
            force_env: &'static str,
        }
        let libs = [
            Lib {
                name: "libgcrypt",
                prefix: "libgcrypt.so",
                check: |n, _| n.starts_with(".libgcrypt.so") && n.ends_with(".hmac"),
                force_env: "LIBGCRYPT_FORCE_FIPS_MODE",
            },
            Lib {
                name: "GnuTLS",
                prefix: "libgnutls.so",
                check: |n, _| n.starts_with(".libgnutls.so") && n.ends_with(".hmac"),
                force_env: "GNUTLS_FORCE_FIPS_MODE",
            },
            Lib { name: "NSS", prefix: "libsoftokn3.so", check: |n, _| n == "libsoftokn3.chk", force_env: "NSS_FIPS" },
        ];
        let found: Vec<(usize, String, usize, Option<String>)> = self
            .scan
            .tree
            .iter()
            .filter(|e| e.kind == FileKind::File)
            .filter_map(|e| {
                let (dir, name) = e.path.rsplit_once('/').unwrap_or(("", e.path.as_str()));
                let i = libs.iter().position(|l| name.starts_with(l.prefix))?;
                let check = self
                    .scan
                    .tree
                    .children(dir)
                    .find(|c| (libs[i].check)(c.path.rsplit('/').next().unwrap_or(""), name))
                    .map(|c| c.path.clone());
                Some((i, e.path.clone(), e.layer, check))
            })
            .collect();
        let gcrypt_marker = self.exists("etc/gcrypt/fips_enabled").is_some();
        for (i, path, layer, check) in found {
            let lib = &libs[i];
            let forced = self.env(lib.force_env).is_some_and(truthy) || (lib.name == "libgcrypt" && gcrypt_marker);
            let (posture, reason) = match (&check, forced) {
                (Some(c), true) => (FipsVerdict::FipsEnforced, format!("a FIPS-capable build (/{c}), forced into FIPS mode by the image")),
                (Some(c), false) => {
                    (FipsVerdict::FipsCapable, format!("a FIPS-capable build (/{c}): FIPS mode when the host kernel runs in FIPS mode"))
                }
                (None, _) => (FipsVerdict::NotFips, "no FIPS integrity-check file beside it: not a FIPS build".to_owned()),
            };
            let version = self.owner_version(&path);
            self.module(lib.name, version, format!("/{path}"), posture, reason, Some(layer));
        }
    }

    /// `name version` of the OS package that owns `path`, for modules whose
    /// files carry no version text.
    fn owner_version(&self, path: &str) -> Option<String> {
        let owned = crate::inventory::owned_files(self.scan);
        let owner = owned.iter().find(|(f, _)| f.trim_start_matches('/') == path).map(|(_, p)| *p)?;
        let p = self.report.packages.iter().find(|p| p.ecosystem.is_os() && p.record.name == owner)?;
        Some(format!("{} {}", p.record.name, p.record.version))
    }

    fn finish(mut self) -> FipsPosture {
        self.modules.sort_by(|a, b| b.posture.cmp(&a.posture).then_with(|| (&a.name, &a.location).cmp(&(&b.name, &b.location))));
        self.modules.dedup_by(|a, b| a.name == b.name && a.location == b.location);
        let verdict = self.modules.first().map(|m| m.posture).unwrap_or(FipsVerdict::Unknown);
        let claims: Vec<&FipsEvidence> =
            self.evidence.iter().filter(|e| matches!(e.stance, Stance::Claim | Stance::Enables | Stance::Enforces)).collect();
        let claimed = verdict >= FipsVerdict::FipsCapable || !claims.is_empty();
        let non_fips: Vec<CryptoModule> =
            if claimed { self.modules.iter().filter(|m| m.posture == FipsVerdict::NotFips).cloned().collect() } else { Vec::new() };
        let names = |posture: FipsVerdict| -> String {
            let list: Vec<String> = self
                .modules
                .iter()
                .filter(|m| m.posture == posture)
                .map(|m| format!("{}{} ({})", m.name, m.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default(), m.location))
                .collect();
            list.join(", ")
        };
        let mut summary = match verdict {
            FipsVerdict::FipsEnforced => format!("FIPS mode is enforced by the image for {}.", names(FipsVerdict::FipsEnforced)),
            FipsVerdict::FipsCapable => {
                format!(
                    "FIPS-capable, not enforced by the image: {} (FIPS mode depends on the host or the application).",
                    names(FipsVerdict::FipsCapable)
                )
            }
            FipsVerdict::NotFips if !claims.is_empty() => format!(
                "Not FIPS, although the image claims it ({}): none of its crypto can run in FIPS mode: {}.",
                claims.iter().map(|c| c.location.as_str()).collect::<Vec<_>>().join(", "),
                names(FipsVerdict::NotFips)
            ),
            FipsVerdict::NotFips => format!("Not FIPS: none of the image's crypto can run in FIPS mode: {}.", names(FipsVerdict::NotFips)),
            FipsVerdict::Unknown => {
                "Unknown: no cryptographic module found (no libcrypto, Go crypto, libgcrypt, GnuTLS, NSS or Java providers).".to_owned()
            }
        };
        if verdict >= FipsVerdict::FipsCapable && !non_fips.is_empty() {
            summary.push_str(&format!(" Beside it, {} module(s) that are not FIPS.", non_fips.len()));
        }
        let mut notes = vec![NOT_VALIDATION.to_owned()];
        notes.extend(self.notes);
        FipsPosture {
            verdict,
            summary,
            modules: self.modules,
            evidence: self.evidence,
            non_fips_beside_claim: non_fips,
            host_only: HOST_ONLY.iter().map(|s| (*s).to_owned()).collect(),
            notes,
        }
    }
}

/// `fips=yes` required (not merely preferred, `?fips=yes`).
fn requires_fips(properties: &str) -> bool {
    properties.split(',').map(str::trim).any(|p| p == "fips=yes" || p == "fips")
}

/// The merged sections of a config file and its includes.
#[derive(Debug, Default)]
struct ResolvedConf {
    files: Vec<String>,
    layer: Option<usize>,
    sections: BTreeMap<String, Vec<(String, String)>>,
    provider_section: Option<String>,
    default_properties: Option<String>,
}

struct Provider {
    name: String,
    section: String,
    active: bool,
    module: Option<String>,
    module_mac: Option<String>,
}

impl ResolvedConf {
    /// The last value of `key` in `section`.
    fn get(&self, section: &str, key: &str) -> Option<String> {
        self.sections.get(section)?.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn providers(&self) -> Vec<Provider> {
        let Some(list) = &self.provider_section else { return Vec::new() };
        let Some(pairs) = self.sections.get(list) else { return Vec::new() };
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for (name, section) in pairs.iter().rev() {
            if seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            out.push(Provider {
                name: name.clone(),
                section: section.clone(),
                active: self.get(section, "activate").is_some_and(|v| truthy(&v)),
                module: self.get(section, "module"),
                module_mac: self.get(section, "module-mac"),
            });
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_properties_and_godebug() {
        assert!(requires_fips("fips=yes"));
        assert!(requires_fips("provider=fips, fips=yes"));
        assert!(!requires_fips("?fips=yes"));
        assert!(!requires_fips("fips=no"));
        assert_eq!(godebug_fips("http2client=0,fips140=only"), Some("only"));
        assert_eq!(godebug_fips("fips140=on,fips140=off"), Some("off"));
        assert_eq!(godebug_fips("x=1"), None);
    }
}
