//! The FIPS verdict on images made of real crypto: Debian's `openssl` and
//! `libssl3` packages as installed on this machine (`dpkg -L`, with
//! `openssl version` as the oracle), Go binaries built with and without
//! BoringCrypto (`tests/data/fips`), and hand-made OpenSSL 3 provider
//! configurations for the cases Debian doesn't ship.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use drydock_core::fips::{FipsPosture, FipsVerdict, Stance};
use drydock_image::{OpenOptions, open};
use drydock_scan::analyzers::{ALL, fips::FipsAnalyzer};
use drydock_scan::{ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};
use serde_json::json;

fn gunzip(rel: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/fips/{rel}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file).read_to_end(&mut out).unwrap_or_else(|e| panic!("{path}: {e}"));
    out
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd} (installed by .ci/run): {e}"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Debian's `openssl` and `libssl3` as installed here: every file and link
/// they own, and their dpkg status stanzas so the inventory lists them.
fn debian_openssl() -> LayerSpec {
    let mut layer = LayerSpec::new();
    for line in run("dpkg", &["-L", "libssl3", "openssl"]).lines() {
        let path = Path::new(line);
        let Ok(meta) = std::fs::symlink_metadata(path) else { continue };
        let rel = line.trim_start_matches('/');
        if rel.is_empty() || rel.starts_with("usr/share/doc") || rel.starts_with("usr/share/man") {
            continue;
        }
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(path).unwrap();
            layer = layer.symlink(rel, target.to_str().unwrap());
        } else if meta.is_file() {
            use std::os::unix::fs::PermissionsExt;
            layer = layer.file_mode(rel, &std::fs::read(path).unwrap(), meta.permissions().mode() & 0o7777);
        }
    }
    let status = run("dpkg", &["-s", "libssl3", "openssl"]);
    layer.file("var/lib/dpkg/status", status.as_bytes()).created_by("/bin/sh -c apt-get install -y openssl")
}

/// The version `openssl version` prints here (`3.0.19`).
fn host_openssl_version() -> String {
    run("openssl", &["version"]).split_whitespace().nth(1).unwrap().to_owned()
}

fn assess(image: ImageBuilder) -> FipsPosture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    image.write_oci_layout(&dir, "t").unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let mut analyzers: Vec<&dyn drydock_scan::Analyzer> = ALL.to_vec();
    analyzers.push(&FipsAnalyzer);
    let result = scan(&image, &ScanOptions { analyzers: &analyzers, ..ScanOptions::default() }).unwrap();
    let report = drydock_scan::report::build(&image, &result, "test");
    drydock_scan::fips::assess(&report, &result)
}

fn env(vars: &[&str]) -> serde_json::Value {
    json!({ "Env": vars })
}

const MODULESDIR: &str = "usr/lib/x86_64-linux-gnu/ossl-modules";

/// An OpenSSL 3 FIPS provider as `openssl fipsinstall` leaves it: the
/// module, and `fipsmodule.cnf` with its MAC. (The module's bytes don't
/// matter to a static check; a real one is not in Debian.)
fn fips_provider(layer: LayerSpec) -> LayerSpec {
    layer.file(&format!("{MODULESDIR}/fips.so"), b"\x7fELF placeholder for the FIPS provider module").file(
        "etc/ssl/fipsmodule.cnf",
        b"[fips_sect]\nactivate = 1\nconditional-errors = 1\nsecurity-checks = 1\nmodule-mac = 41:9C:38:C2:8F:59:09:43:2C:AA:2F:58:36:2D:D9:04:F9:6C:56:8B:09:E0:18:3A:2E:D6:CC:69:05:04:E1:11\n",
    )
}

const ENFORCING_CNF: &str = "openssl_conf = openssl_init\n.include /etc/ssl/fipsmodule.cnf\n\n[openssl_init]\nproviders = provider_sect\nalg_section = algorithm_sect\n\n[provider_sect]\nfips = fips_sect\nbase = base_sect\n\n[base_sect]\nactivate = 1\n\n[algorithm_sect]\ndefault_properties = fips=yes\n";

fn module<'a>(p: &'a FipsPosture, name: &str) -> &'a drydock_core::fips::CryptoModule {
    p.modules.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no {name} module in {:#?}", p.modules))
}

#[test]
fn stock_debian_openssl_is_not_fips() {
    let p = assess(ImageBuilder::new().layer(debian_openssl()));
    assert_eq!(p.verdict, FipsVerdict::NotFips, "{p:#?}");
    let openssl = module(&p, "OpenSSL");
    assert_eq!(openssl.version.as_deref(), Some(host_openssl_version().as_str()));
    assert_eq!(openssl.location, "/usr/lib/x86_64-linux-gnu/libcrypto.so.3");
    assert!(openssl.reason.contains("fips.so is absent"), "{}", openssl.reason);
    // Debian's openssl.cnf is read through the /usr/lib/ssl symlink.
    assert!(p.evidence.iter().any(|e| e.kind == "openssl-config" && e.location == "/etc/ssl/openssl.cnf"), "{:#?}", p.evidence);
    // The `openssl` command links libcrypto: not a bundled copy.
    assert!(p.modules.iter().all(|m| m.name != "OpenSSL (bundled)"), "{:#?}", p.modules);
    assert!(p.non_fips_beside_claim.is_empty());
    assert!(p.host_only.iter().any(|h| h.contains("fips_enabled")));
    assert!(p.notes.iter().any(|n| n.contains("not a CMVP validation")));
}

#[test]
fn openssl_fips_env_on_openssl_3_is_a_claim_not_fips_mode() {
    let p = assess(ImageBuilder::new().layer(debian_openssl()).config(env(&["OPENSSL_FIPS=1"])));
    assert_eq!(p.verdict, FipsVerdict::NotFips);
    assert!(p.evidence.iter().any(|e| e.location == "env:OPENSSL_FIPS" && e.stance == Stance::Claim));
    assert!(p.summary.contains("claims it (env:OPENSSL_FIPS)"), "{}", p.summary);
}

#[test]
fn provider_activated_with_fips_default_properties_is_enforced() {
    let layer = fips_provider(debian_openssl()).file("etc/ssl/openssl.cnf", ENFORCING_CNF.as_bytes());
    let p = assess(ImageBuilder::new().layer(layer));
    assert_eq!(p.verdict, FipsVerdict::FipsEnforced, "{p:#?}");
    let openssl = module(&p, "OpenSSL");
    assert!(openssl.reason.contains("default_properties = fips=yes"), "{}", openssl.reason);
    let config = p.evidence.iter().find(|e| e.kind == "openssl-config").unwrap();
    assert_eq!(config.location, "/etc/ssl/openssl.cnf + /etc/ssl/fipsmodule.cnf");
    assert!(config.detail.contains("fips (activated)") && config.detail.contains("base (activated)"), "{}", config.detail);
    assert!(p.evidence.iter().any(|e| e.kind == "openssl-provider" && e.location == format!("/{MODULESDIR}/fips.so")));
}

#[test]
fn provider_beside_the_default_provider_is_only_capable() {
    let cnf = "openssl_conf = openssl_init\n.include fipsmodule.cnf\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\ndefault = default_sect\nfips = fips_sect\n[default_sect]\nactivate = 1\n";
    let layer = fips_provider(debian_openssl()).file("etc/ssl/openssl.cnf", cnf.as_bytes());
    let p = assess(ImageBuilder::new().layer(layer));
    assert_eq!(p.verdict, FipsVerdict::FipsCapable, "{p:#?}");
    assert!(module(&p, "OpenSSL").reason.contains("beside the default provider"));
    // The relative include resolved next to openssl.cnf.
    assert!(p.evidence.iter().any(|e| e.location == "/etc/ssl/openssl.cnf + /etc/ssl/fipsmodule.cnf"), "{:#?}", p.evidence);
}

#[test]
fn provider_present_but_not_activated_is_capable() {
    let p = assess(ImageBuilder::new().layer(fips_provider(debian_openssl())));
    assert_eq!(p.verdict, FipsVerdict::FipsCapable);
    assert!(module(&p, "OpenSSL").reason.contains("not activated"), "{}", module(&p, "OpenSSL").reason);
}

#[test]
fn activated_provider_missing_from_the_image_is_not_fips() {
    let layer = debian_openssl()
        .file("etc/ssl/openssl.cnf", ENFORCING_CNF.as_bytes())
        .file("etc/ssl/fipsmodule.cnf", b"[fips_sect]\nactivate = 1\nmodule-mac = 00:11\n");
    let p = assess(ImageBuilder::new().layer(layer));
    assert_eq!(p.verdict, FipsVerdict::NotFips);
    assert!(p.evidence.iter().any(|e| e.stance == Stance::Against && e.detail.contains("does not contain")), "{:#?}", p.evidence);
}

#[test]
fn a_provider_deleted_by_a_later_layer_does_not_count() {
    let layer = fips_provider(debian_openssl()).file("etc/ssl/openssl.cnf", ENFORCING_CNF.as_bytes());
    let removed = LayerSpec::new().whiteout(&format!("{MODULESDIR}/fips.so")).created_by("/bin/sh -c rm fips.so");
    let p = assess(ImageBuilder::new().layer(layer).layer(removed));
    assert_eq!(p.verdict, FipsVerdict::NotFips, "{p:#?}");
}

/// Seed 000: Amazon Linux 2's `OpenSSL 1.0.2k-fips` with `ENV OPENSSL_FIPS=1`.
#[test]
fn openssl_1_0_fips_build_with_openssl_fips_env_is_enforced() {
    let lib = b"\x7fELF\x02\x01\x01\0 ... OpenSSL 1.0.2k-fips  26 Jan 2017\0OPENSSLDIR: \"/etc/pki/tls\"\0".to_vec();
    let layer = LayerSpec::new()
        .file("usr/lib64/libcrypto.so.1.0.2k", &lib)
        .file("usr/lib64/.libcrypto.so.1.0.2k.hmac", b"3a4c0c8f1e2d\n")
        .created_by("/bin/sh -c yum install -y dracut-fips openssl");
    let capable = assess(ImageBuilder::new().layer(layer.clone()));
    assert_eq!(capable.verdict, FipsVerdict::FipsCapable);
    assert_eq!(module(&capable, "OpenSSL").version.as_deref(), Some("1.0.2k"));
    assert!(capable.evidence.iter().any(|e| e.location == "/usr/lib64/.libcrypto.so.1.0.2k.hmac"));
    let enforced = assess(ImageBuilder::new().layer(layer).config(env(&["OPENSSL_FIPS=1"])));
    assert_eq!(enforced.verdict, FipsVerdict::FipsEnforced);
    assert!(module(&enforced, "OpenSSL").reason.contains("OPENSSL_FIPS=1"));
}

#[test]
fn go_boringcrypto_with_fipsonly_is_enforced_and_plain_go_is_not() {
    let layer = LayerSpec::new()
        .file_mode("usr/local/bin/boring", &gunzip("go-boringcrypto.gz"), 0o755)
        .file_mode("usr/local/bin/plain", &gunzip("go-plain.gz"), 0o755)
        .created_by("/bin/sh -c #(nop) COPY dir:go in /usr/local/bin");
    let p = assess(ImageBuilder::new().layer(layer));
    assert_eq!(p.verdict, FipsVerdict::FipsEnforced, "{p:#?}");
    let boring = module(&p, "Go BoringCrypto");
    assert_eq!((boring.location.as_str(), boring.version.as_deref()), ("/usr/local/bin/boring", Some("1.19.8")));
    assert!(boring.reason.contains("fipsonly"));
    // Go's own crypto beside the FIPS claim is reported.
    assert_eq!(p.non_fips_beside_claim.len(), 1, "{:#?}", p.non_fips_beside_claim);
    assert_eq!(p.non_fips_beside_claim[0].location, "/usr/local/bin/plain");
    assert!(p.summary.contains("1 module(s) that are not FIPS"), "{}", p.summary);
}

#[test]
fn plain_go_with_the_go_fips_env_is_still_not_fips() {
    // Go 1.19 has no FIPS 140 module: GODEBUG=fips140=on does nothing.
    let layer = LayerSpec::new().file_mode("app", &gunzip("go-plain.gz"), 0o755);
    let p = assess(ImageBuilder::new().layer(layer).config(env(&["GODEBUG=fips140=on"])));
    assert_eq!(p.verdict, FipsVerdict::NotFips);
    assert_eq!(module(&p, "Go crypto").posture, FipsVerdict::NotFips);
}

#[test]
fn rhel_style_markers_policy_and_libraries() {
    let layer = LayerSpec::new()
        .file("etc/system-fips", b"# FIPS module installation complete\n")
        .file("etc/crypto-policies/config", b"# policy\nFIPS:OSPP\n")
        .file("usr/lib64/libgcrypt.so.20.4.1", b"\x7fELF gcrypt")
        .file("usr/lib64/.libgcrypt.so.20.hmac", b"ab12\n")
        .file("usr/lib64/libgnutls.so.30.37.1", b"\x7fELF gnutls")
        .file("usr/lib64/libsoftokn3.so", b"\x7fELF softokn")
        .file("usr/lib64/libsoftokn3.chk", b"chk");
    let p = assess(ImageBuilder::new().layer(layer).config(env(&["NSS_FIPS=1"])));
    assert_eq!(p.verdict, FipsVerdict::FipsEnforced, "{p:#?}");
    assert_eq!(module(&p, "NSS").posture, FipsVerdict::FipsEnforced);
    assert_eq!(module(&p, "libgcrypt").posture, FipsVerdict::FipsCapable);
    assert_eq!(module(&p, "GnuTLS").posture, FipsVerdict::NotFips);
    assert!(p.evidence.iter().any(|e| e.location == "/etc/system-fips" && e.stance == Stance::Claim));
    assert!(p.evidence.iter().any(|e| e.kind == "crypto-policy" && e.stance == Stance::Enables && e.detail.contains("FIPS:OSPP")));
    assert_eq!(p.non_fips_beside_claim.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), vec!["GnuTLS"]);
}

#[test]
fn no_crypto_at_all_is_unknown() {
    let p = assess(ImageBuilder::new().layer(LayerSpec::new().file("app/index.html", b"<p>hi</p>")));
    assert_eq!(p.verdict, FipsVerdict::Unknown);
    assert!(p.modules.is_empty());
    assert!(p.summary.starts_with("Unknown"));
}
