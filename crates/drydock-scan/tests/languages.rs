//! Language packages in an image: real package metadata and binaries laid
//! out where their package managers put them, scanned through the whole
//! pipeline. Each `tests/data/<ecosystem>/README.md` says where its files
//! came from.

use std::io::{Cursor, Write};

use drydock_core::package::Ecosystem;
use drydock_image::{OpenOptions, open};
use drydock_scan::{FactKind, ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};

fn data(rel: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A war holding the real jar in `WEB-INF/lib`, built here so the nested
/// path is exercised end to end.
fn war_with(jar: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("WEB-INF/web.xml", opts).unwrap();
    w.write_all(b"<web-app/>").unwrap();
    w.start_file("WEB-INF/lib/commons-lang3-3.12.0.jar", opts).unwrap();
    w.write_all(jar).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn every_language_package_is_found() {
    let site = "usr/local/lib/python3.11/site-packages";
    let jar = data("java/commons-lang3-3.12.0.jar");
    let image = ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .file(&format!("{site}/pip-23.2.1.dist-info/METADATA"), &data("python/pip-23.2.1.dist-info/METADATA"))
                .file(&format!("{site}/pip-23.2.1.dist-info/RECORD"), b"pip/__init__.py,,\n")
                .file(&format!("{site}/attrs-26.1.0.dist-info/METADATA"), &data("python/attrs-26.1.0.dist-info/METADATA"))
                .file("usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO", &data("python/PyJWT-2.6.0.egg-info/PKG-INFO"))
                .file("usr/lib/python2.7/wsgiref.egg-info", &data("python/wsgiref.egg-info"))
                .file("app/package.json", br#"{"name":"app","version":"1.0.0","private":true}"#)
                .file("app/package-lock.json", &data("node/package-lock.v3.json"))
                .file("app/node_modules/is-number/package.json", &data("node/node_modules/is-number/package.json"))
                .file("app/node_modules/is-number/index.js", b"module.exports = () => true;\n")
                .file(
                    "app/node_modules/@isaacs/string-locale-compare/package.json",
                    &data("node/node_modules/@isaacs/string-locale-compare/package.json"),
                )
                .file("legacy/package-lock.json", &data("node/package-lock.v1.json"))
                .file("usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec", &data("ruby/rack-2.2.22.gemspec"))
                .file("usr/local/bundle/specifications/minitest-5.17.0.gemspec", &data("ruby/minitest-5.17.0.gemspec"))
                .created_by("/bin/sh -c pip install && npm ci && gem install"),
        )
        .layer(
            LayerSpec::new()
                .file_mode("usr/local/bin/hello", &data("golang/hello"), 0o755)
                .file_mode("usr/local/bin/rshello", &data("rust/rshello"), 0o755)
                .file("src/rshello/Cargo.lock", &data("rust/Cargo.lock"))
                .file("usr/share/java/commons-lang3-3.12.0.jar", &jar)
                .file("opt/tomcat/webapps/shop.war", &war_with(&jar))
                .file_mode("usr/local/bin/run.sh", &[b'#'; 4096], 0o755)
                .created_by("/bin/sh -c #(nop) COPY dir:abc in / "),
        )
        .layer(LayerSpec::new().whiteout("legacy/package-lock.json").created_by("/bin/sh -c rm legacy/package-lock.json"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    image.write_oci_layout(&dir, "t").unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();

    let warnings: Vec<&String> = result.warnings.iter().chain(result.layers.iter().flat_map(|l| &l.warnings)).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");

    let mut found: Vec<(Ecosystem, Option<String>, String, String, String)> = Vec::new();
    for fact in result.visible_facts() {
        match &fact.kind {
            FactKind::Packages(eco, records) => {
                found.extend(records.iter().map(|r| (*eco, r.namespace.clone(), r.name.clone(), r.version.clone(), fact.path.clone())))
            }
            FactKind::Warning(w) => panic!("{}: {w}", fact.path),
            _ => {}
        }
    }
    let has = |eco: Ecosystem, ns: Option<&str>, name: &str, version: &str, path: &str| {
        assert!(
            found.iter().any(|(e, n, nm, v, p)| *e == eco && n.as_deref() == ns && nm == name && v == version && p == path),
            "{eco:?} {ns:?} {name} {version} at {path} not found in {found:#?}"
        );
    };
    use Ecosystem::*;
    has(Pypi, None, "pip", "23.2.1", &format!("{site}/pip-23.2.1.dist-info/METADATA"));
    has(Pypi, None, "attrs", "26.1.0", &format!("{site}/attrs-26.1.0.dist-info/METADATA"));
    has(Pypi, None, "PyJWT", "2.6.0", "usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO");
    has(Pypi, None, "wsgiref", "0.1.2", "usr/lib/python2.7/wsgiref.egg-info");
    has(Npm, None, "is-number", "7.0.0", "app/node_modules/is-number/package.json");
    has(Npm, Some("@isaacs"), "string-locale-compare", "1.1.0", "app/node_modules/@isaacs/string-locale-compare/package.json");
    has(Npm, None, "is-number", "7.0.0", "app/package-lock.json");
    has(Npm, Some("@isaacs"), "string-locale-compare", "1.1.0", "app/package-lock.json");
    has(Gem, None, "rack", "2.2.22", "usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec");
    has(Gem, None, "minitest", "5.17.0", "usr/local/bundle/specifications/minitest-5.17.0.gemspec");
    for (name, version) in
        [("example.com/hello", "(devel)"), ("example.com/greet", "(devel)"), ("example.com/quote", "v1.5.2"), ("stdlib", "1.19.8")]
    {
        has(Golang, None, name, version, "usr/local/bin/hello");
    }
    for (name, version) in [("itoa", "1.0.11"), ("rshello", "0.1.0"), ("semver", "1.0.23")] {
        has(Cargo, None, name, version, "usr/local/bin/rshello");
        has(Cargo, None, name, version, "src/rshello/Cargo.lock");
    }
    has(Maven, Some("org.apache.commons"), "commons-lang3", "3.12.0", "usr/share/java/commons-lang3-3.12.0.jar");
    has(Maven, Some("org.apache.commons"), "commons-lang3", "3.12.0", "opt/tomcat/webapps/shop.war");

    // Exactly these, and nothing from the application's own manifest, the
    // deleted lockfile or the shell script.
    assert_eq!(found.len(), 4 + 4 + 2 + 4 + 6 + 2, "{found:#?}");
    assert!(result.removed_facts().any(|f| f.path == "legacy/package-lock.json"));
    // Each binary was offered to both binary analyzers; only the right one spoke.
    let by = |path: &str| -> Vec<&str> { result.visible_facts().filter(|f| f.path == path).map(|f| f.analyzer).collect() };
    assert_eq!(by("usr/local/bin/hello"), vec!["golang"]);
    assert_eq!(by("usr/local/bin/rshello"), vec!["rust"]);
}
