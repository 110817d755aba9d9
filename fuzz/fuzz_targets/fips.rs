//! The FIPS evidence analyzer on untrusted bytes: OpenSSL configs, the
//! crypto-policy file, `java.security`, libcrypto version texts and
//! binaries (Go build info). No panic, whatever the bytes.
#![no_main]

use drydock_scan::analyzer::{Analyzer, EntryInfo};
use drydock_scan::analyzers::fips::{FipsAnalyzer, OpenSslConf};
use drydock_scan::FileKind;
use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "etc/ssl/openssl.cnf",
    "etc/crypto-policies/config",
    "usr/lib/jvm/jdk/conf/security/java.security",
    "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
    "usr/local/bin/app",
];

fuzz_target!(|data: &[u8]| {
    let _ = OpenSslConf::parse(&String::from_utf8_lossy(data));
    for path in PATHS {
        let entry = EntryInfo { path, kind: &FileKind::File, size: data.len() as u64, mode: 0o755 };
        let _ = FipsAnalyzer.analyze(&entry, data);
    }
});
