//! The inventory over real package databases laid out in layers: which
//! packages survive, which layer introduced each, their package URLs.

use drydock_core::package::Ecosystem;
use drydock_image::{OpenOptions, open};
use drydock_scan::{ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../../shared/fixtures/pkgdb/{rel}", env!("CARGO_MANIFEST_DIR"))).expect("shared fixtures")
}

fn report_of(builder: ImageBuilder) -> drydock_core::report::Report {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    builder.write_oci_layout(&dir, "t").unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();
    drydock_scan::report::build(&image, &result, "test")
}

#[test]
fn debian_layers_attribute_each_package_to_the_layer_that_introduced_it() {
    let status = String::from_utf8(fixture("debian-bookworm-minbase/var/lib/dpkg/status")).unwrap();
    // Layer 1: `apt-get install hello` and an upgrade of `gzip` (a new
    // version string), as dpkg would rewrite the status file.
    let gzip_old = status.split("\n\n").find(|s| s.starts_with("Package: gzip\n")).unwrap().to_owned();
    let gzip_new = gzip_old.replace("Version: 1.12-1", "Version: 1.12-1+deb12u9");
    assert_ne!(gzip_old, gzip_new, "fixture has gzip 1.12-1");
    let hello = "Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n";
    let upgraded = format!("{}\n{hello}", status.replace(&gzip_old, &gzip_new));
    // Layer 2: `dpkg --purge hello`.
    let purged = upgraded.replace(hello, "");
    let report = report_of(
        ImageBuilder::new()
            .layer(
                LayerSpec::new()
                    .file("etc/os-release", &fixture("debian-bookworm-minbase/etc/os-release"))
                    .file("var/lib/dpkg/status", status.as_bytes())
                    .created_by("/bin/sh -c #(nop) ADD file:rootfs in / "),
            )
            .empty_history(1, "/bin/sh -c #(nop)  CMD [\"bash\"]")
            .layer(
                LayerSpec::new()
                    .file("var/lib/dpkg/status", upgraded.as_bytes())
                    .created_by("RUN apt-get install -y hello && apt-get upgrade -y gzip"),
            )
            .layer(LayerSpec::new().file("var/lib/dpkg/status", purged.as_bytes()).created_by("RUN apt-get purge -y hello")),
    );
    let debs: Vec<_> = report.packages.iter().filter(|p| p.ecosystem == Ecosystem::Deb).collect();
    assert_eq!(debs.len(), 88);
    assert!(debs.iter().all(|p| p.locations == ["/var/lib/dpkg/status"]));
    assert!(!debs.iter().any(|p| p.record.name == "hello"), "purged in layer 2");
    let gzip = debs.iter().find(|p| p.record.name == "gzip").unwrap();
    assert_eq!(gzip.record.version, "1.12-1+deb12u9");
    assert_eq!(gzip.origin.layer_index, 1);
    assert!(!gzip.origin.base_image);
    assert_eq!(gzip.origin.created_by.as_deref(), Some("RUN apt-get install -y hello && apt-get upgrade -y gzip"));
    let bash = debs.iter().find(|p| p.record.name == "bash").unwrap();
    assert_eq!(bash.origin.layer_index, 0, "unchanged since the base layer");
    assert!(bash.origin.base_image);
    assert_eq!(bash.purl, "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12");
    assert_eq!(bash.record.source_name.as_deref(), Some("bash"));
    assert_eq!(bash.record.source_version.as_deref(), Some("5.2.15-2"));
    let os = report.os.unwrap();
    assert_eq!((os.id.as_str(), os.version_id.as_deref(), os.codename.as_deref()), ("debian", Some("12"), Some("bookworm")));
    assert_eq!(os.end_of_life.as_deref(), Some("2028-06-30"));
}

#[test]
fn alpine_packages_with_origin_license_and_purl() {
    let report = report_of(
        ImageBuilder::new().layer(
            LayerSpec::new()
                .file("etc/os-release", &fixture("alpine-3.20.3/etc/os-release"))
                .file("etc/alpine-release", &fixture("alpine-3.20.3/etc/alpine-release"))
                .file("lib/apk/db/installed", &fixture("alpine-3.20.3/lib/apk/db/installed")),
        ),
    );
    assert_eq!(report.packages.len(), 14);
    let busybox = report.packages.iter().find(|p| p.record.name == "busybox").unwrap();
    assert_eq!(busybox.ecosystem, Ecosystem::Apk);
    assert!(busybox.purl.starts_with("pkg:apk/alpine/busybox@1.36.1-r"), "{}", busybox.purl);
    assert!(busybox.purl.ends_with("?arch=x86_64&distro=alpine-3.20.3"), "{}", busybox.purl);
    assert_eq!(busybox.record.source_name.as_deref(), Some("busybox"));
    assert!(!busybox.record.licenses.is_empty());
    assert_eq!(report.os.unwrap().end_of_life.as_deref(), Some("2026-04-01"));
}

#[test]
fn old_release_files_and_distroless_are_detected() {
    let report = report_of(ImageBuilder::new().layer(LayerSpec::new().file("etc/system-release", b"Amazon Linux release 2 (Karoo)\n")));
    let os = report.os.unwrap();
    assert_eq!((os.id.as_str(), os.version_id.as_deref(), os.evidence.as_str()), ("amzn", Some("2"), "/etc/system-release"));

    // Distroless: one status file per package, no os-release.
    let status = String::from_utf8(fixture("debian-bookworm-minbase/var/lib/dpkg/status")).unwrap();
    let base_files =
        status.split("\n\n").find(|s| s.starts_with("Package: base-files\n")).unwrap().replace("Status: install ok installed\n", "");
    let report = report_of(ImageBuilder::new().layer(LayerSpec::new().file("var/lib/dpkg/status.d/base-files", base_files.as_bytes())));
    assert_eq!(report.os.as_ref().unwrap().id, "debian");
    assert_eq!(report.packages.len(), 1);
    assert_eq!(report.packages[0].locations, ["/var/lib/dpkg/status.d/base-files"]);
}

#[test]
fn corrupt_stanza_warns_with_image_layer_and_path_and_the_rest_comes_out() {
    let status = String::from_utf8(fixture("debian-bookworm-minbase/var/lib/dpkg/status")).unwrap();
    let broken = status.replacen("Package: bash\n", "Pckage: bash\n", 1);
    let report = report_of(ImageBuilder::new().layer(LayerSpec::new().file("var/lib/dpkg/status", broken.as_bytes())));
    assert_eq!(report.packages.len(), 87);
    let warning = report.warnings.iter().find(|w| w.contains("var/lib/dpkg/status")).expect("a warning");
    assert!(warning.contains("layer sha256:") && warning.contains("dpkg") && warning.contains("no Package or Version"), "{warning}");
}

/// A Python package installed by dpkg (its METADATA is in the deb's file
/// list) is listed once, as the deb; one installed by pip is listed as PyPI.
#[test]
fn language_packages_owned_by_an_os_package_are_listed_once() {
    let data = |rel: &str| std::fs::read(format!("{}/tests/data/python/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let status = "Package: python3-jwt\nStatus: install ok installed\nArchitecture: all\nVersion: 2.6.0-1\n\n";
    let owned = "usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO";
    let pip = "usr/local/lib/python3.11/site-packages/attrs-26.1.0.dist-info/METADATA";
    let report = report_of(
        ImageBuilder::new().layer(
            LayerSpec::new()
                .file("var/lib/dpkg/status", status.as_bytes())
                .file("var/lib/dpkg/info/python3-jwt.list", format!("/.\n/usr\n/{owned}\n").as_bytes())
                .file(owned, &data("PyJWT-2.6.0.egg-info/PKG-INFO"))
                .file(pip, &data("attrs-26.1.0.dist-info/METADATA")),
        ),
    );
    let names: Vec<(Ecosystem, &str)> = report.packages.iter().map(|p| (p.ecosystem, p.record.name.as_str())).collect();
    assert_eq!(names, [(Ecosystem::Deb, "python3-jwt"), (Ecosystem::Pypi, "attrs")]);
    assert_eq!(report.packages[1].purl, "pkg:pypi/attrs@26.1.0");
    assert_eq!(report.packages[1].locations, [format!("/{pip}")]);
}

/// rpm through the whole pipeline: a real SQLite rpmdb (CBL-Mariner 2.0),
/// purls with epoch and arch qualifiers; a BerkeleyDB cut in half still
/// gives packages, with a warning naming the layer and path.
#[test]
fn rpm_databases_in_the_inventory_and_a_truncated_one_warns() {
    let rpmdb = |rel: &str| std::fs::read(format!("{}/../../../shared/fixtures/rpmdb/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let oracle = String::from_utf8(rpmdb("cbl-mariner-2.0.rpm-qa.txt")).unwrap();
    let report = report_of(
        ImageBuilder::new().layer(
            LayerSpec::new()
                .file("etc/os-release", b"ID=mariner\nVERSION_ID=\"2.0\"\nPRETTY_NAME=\"CBL-Mariner/Linux\"\n")
                .file("var/lib/rpm/rpmdb.sqlite", &rpmdb("cbl-mariner-2.0/rpmdb.sqlite")),
        ),
    );
    assert_eq!(report.packages.len(), oracle.lines().filter(|l| !l.trim().is_empty()).count());
    let p = &report.packages[0];
    assert_eq!(p.ecosystem, Ecosystem::Rpm);
    assert!(p.purl.starts_with("pkg:rpm/mariner/") && p.purl.contains("distro=mariner-2.0"), "{}", p.purl);
    assert!(report.packages.iter().all(|p| p.record.source_name.is_some()));

    let bdb = rpmdb("synth-bdb-from-mariner/Packages");
    let report = report_of(ImageBuilder::new().layer(LayerSpec::new().file("var/lib/rpm/Packages", &bdb[..bdb.len() / 2])));
    assert!(!report.packages.is_empty() && report.packages.len() < 129, "{}", report.packages.len());
    let w = report.warnings.iter().find(|w| w.contains("var/lib/rpm/Packages")).expect("a warning for the cut database");
    assert!(w.contains("layer sha256:") && w.contains("rpm"), "{w}");
}
