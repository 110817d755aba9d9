//! Every local image source, built at test time from the same layers, must
//! give the same merged filesystem and metadata.

use drydock_image::{OpenOptions, SourceKind, Target, open};
use drydock_scan::{FileKind, ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec, write_multi_platform_layout};

fn debian_os_release() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/pkgdb/debian-bookworm-minbase/etc/os-release"))
        .expect("shared fixtures")
}

fn sample() -> ImageBuilder {
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .dir("etc")
                .dir("usr/lib")
                .file("usr/lib/os-release", &debian_os_release())
                .symlink("etc/os-release", "../usr/lib/os-release")
                .file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
                .dir("var/cache/apt")
                .file("var/cache/apt/pkgcache.bin", &[0u8; 4096])
                .created_by("/bin/sh -c #(nop) ADD file:abc in / "),
        )
        .empty_history(1, "/bin/sh -c #(nop)  ENV APP=1")
        .layer(
            LayerSpec::new()
                .zstd()
                .file_mode("usr/bin/app", b"\x7fELF fake", 0o4755)
                .hardlink("usr/bin/app-link", "usr/bin/app")
                .whiteout("etc/passwd")
                .opaque("var/cache/apt")
                .created_by("/bin/sh -c make install"),
        )
        .config(serde_json::json!({
            "User": "app",
            "Env": ["PATH=/usr/bin"],
            "Entrypoint": ["/usr/bin/app"],
            "ExposedPorts": {"8080/tcp": {}},
            "Labels": {"org.opencontainers.image.source": "https://example.invalid/app"},
            "Healthcheck": {"Test": ["CMD", "/usr/bin/app", "health"], "Interval": 30000000000u64}
        }))
}

fn check(target: &str, kind: SourceKind) {
    let t: Target = target.parse().unwrap();
    let image = open(&t, &OpenOptions::default()).unwrap_or_else(|e| panic!("{target}: {e}"));
    assert_eq!(image.source, kind, "{target}");
    assert_eq!(image.layers.len(), 2);
    assert_eq!(image.layers[1].created_by.as_deref(), Some("/bin/sh -c make install"));
    let result = scan(&image, &ScanOptions::default()).unwrap();
    let tree = &result.tree;
    assert!(tree.get("etc/passwd").is_none(), "whiteout honoured");
    assert!(tree.get("var/cache/apt/pkgcache.bin").is_none(), "opaque dir honoured");
    let app = tree.get("usr/bin/app").unwrap();
    assert_eq!((app.mode, app.layer), (0o4755, 1));
    assert_eq!(tree.get("usr/bin/app-link").unwrap().kind, FileKind::Hardlink("usr/bin/app".into()));
    let (fact, os) = result.os_release().expect("os-release through the symlink");
    assert_eq!((os.id.as_str(), fact.path.as_str(), fact.layer), ("debian", "usr/lib/os-release", 0));
    let report = drydock_scan::report::build(&image, &result, "test");
    assert_eq!(report.filesystem.removed_by_later_layers, 2);
    assert_eq!(report.image.config.user.as_deref(), Some("app"));
    assert_eq!(report.image.config.exposed_ports, vec!["8080/tcp"]);
    assert_eq!(report.image.config.healthcheck.as_ref().unwrap().interval_seconds, Some(30.0));
    assert_eq!(report.history.len(), 3);
    assert_eq!(report.history[2].layer_index, Some(1));
    assert!(report.history[1].empty_layer);
    assert_eq!(report.os.as_ref().unwrap().origin.created_by.as_deref(), Some("/bin/sh -c #(nop) ADD file:abc in / "));
}

#[test]
fn oci_layout_by_tag_and_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    let built = sample().write_oci_layout(&dir, "v1").unwrap();
    check(&format!("{}:v1", dir.display()), SourceKind::OciLayout);
    check(&format!("oci:{}@{}", dir.display(), built.manifest_digest), SourceKind::OciLayout);
    check(&dir.display().to_string(), SourceKind::OciLayout);
    let err = open(&format!("oci:{}:v2", dir.display()).parse().unwrap(), &OpenOptions::default()).err().unwrap();
    assert!(err.to_string().contains("no image tagged `v2`; the layout has: v1"), "{err}");
}

#[test]
fn docker_save_legacy_and_docker25_layouts() {
    let tmp = tempfile::tempdir().unwrap();
    let legacy = tmp.path().join("legacy.tar");
    let built = sample().write_docker_archive_legacy(&legacy, "app:1.0").unwrap();
    check(&legacy.display().to_string(), SourceKind::DockerArchive);
    check(&format!("docker-archive:{}:app:1.0", legacy.display()), SourceKind::DockerArchive);
    let image = open(&legacy.display().to_string().parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(image.config_digest.as_ref(), Some(&built.config_digest));
    assert!(image.manifest_digest.is_none());

    let modern = tmp.path().join("modern.tar");
    let built = sample().write_docker_archive_oci(&modern, "app:1.0").unwrap();
    check(&modern.display().to_string(), SourceKind::DockerArchive);
    check(&format!("{}:1.0", modern.display()), SourceKind::DockerArchive);
    let image = open(&modern.display().to_string().parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(image.manifest_digest.as_ref(), Some(&built.manifest_digest));
}

#[test]
fn oci_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("image.tar");
    sample().write_oci_archive(&file, "v1").unwrap();
    check(&file.display().to_string(), SourceKind::OciArchive);
    check(&format!("oci-archive:{}:v1", file.display()), SourceKind::OciArchive);
}

#[test]
fn multi_platform_index_resolves_to_platform() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("multi");
    let amd = ImageBuilder::new().layer(LayerSpec::new().file("arch", b"amd64"));
    let arm = ImageBuilder::new().platform("linux", "arm64").layer(LayerSpec::new().file("arch", b"arm64"));
    let built = write_multi_platform_layout(&dir, "multi", &[&amd, &arm]).unwrap();
    for (platform, idx) in [("linux/amd64", 0), ("linux/arm64", 1)] {
        let opts = OpenOptions { platform: platform.parse().unwrap(), platform_explicit: true, ..Default::default() };
        let image = open(&format!("oci:{}:multi", dir.display()).parse().unwrap(), &opts).unwrap();
        assert_eq!(image.manifest_digest.as_ref(), Some(&built[idx].manifest_digest));
        assert!(image.index_digest.is_some());
        assert_eq!(image.platform.as_ref().unwrap().to_string(), platform);
    }
    let opts = OpenOptions { platform: "linux/s390x".parse().unwrap(), platform_explicit: true, ..Default::default() };
    let err = open(&format!("oci:{}:multi", dir.display()).parse().unwrap(), &opts).err().unwrap();
    assert!(err.to_string().contains("linux/amd64, linux/arm64"), "{err}");
}

#[test]
fn rootfs_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("usr/lib")).unwrap();
    std::fs::write(root.join("usr/lib/os-release"), debian_os_release()).unwrap();
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release")).unwrap();
    // A symlink pointing out of the root must not be followed.
    std::os::unix::fs::symlink("/etc/shadow", root.join("etc/shadow-link")).unwrap();
    let image = open(&format!("dir:{}", root.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(image.source, SourceKind::Rootfs);
    let result = scan(&image, &ScanOptions::default()).unwrap();
    assert_eq!(result.os_release().unwrap().1.id, "debian");
    assert_eq!(result.tree.get("etc/shadow-link").unwrap().kind, FileKind::Symlink("/etc/shadow".into()));
    assert!(result.tree.resolve("etc/shadow-link").is_none(), "resolves inside the image root only");
}

#[test]
fn base_image_layers_are_told_apart_from_your_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    ImageBuilder::new()
        .layer(LayerSpec::new().file("etc/os-release", &debian_os_release()).created_by("/bin/sh -c #(nop) ADD file:6fef in / "))
        .empty_history(1, "/bin/sh -c #(nop)  CMD [\"bash\"]")
        .layer(LayerSpec::new().file("app/a", b"1").created_by("RUN /bin/sh -c make # buildkit"))
        .layer(LayerSpec::new().file("app/b", b"2").created_by("COPY b /app/b # buildkit"))
        .empty_history(3, "CMD [\"/app/a\"]")
        .write_oci_layout(&dir, "t")
        .unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(image.base_layers(), Some(1));
    let result = scan(&image, &ScanOptions::default()).unwrap();
    let report = drydock_scan::report::build(&image, &result, "test");
    assert_eq!(report.layers.iter().map(|l| l.base_image).collect::<Vec<_>>(), [true, false, false]);
    assert!(report.os.unwrap().origin.base_image, "os-release came with the base image");
    // The sample image has no CMD step in its history: unknown, not "own".
    let dir2 = tmp.path().join("layout2");
    sample().write_oci_layout(&dir2, "t").unwrap();
    let image = open(&format!("oci:{}:t", dir2.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(image.base_layers(), None);
}

#[test]
fn foreign_layers_are_reported_and_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    let (tar, blob, _) = LayerSpec::new().file("Windows/System32/kernel32.dll", b"MZ").blob().unwrap();
    let foreign =
        LayerSpec::raw_blob("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", blob, drydock_core::Digest::sha256_of(&tar));
    let built = ImageBuilder::new().layer(foreign).layer(LayerSpec::new().file("app.exe", b"MZ")).write_oci_layout(&dir, "t").unwrap();
    // Foreign blobs are not shipped with the image.
    std::fs::remove_file(dir.join("blobs/sha256").join(built.layer_digests[0].hex())).unwrap();
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    assert!(image.layers[0].foreign);
    let result = scan(&image, &ScanOptions::default()).unwrap();
    assert!(result.tree.get("app.exe").is_some());
    assert!(result.tree.get("Windows/System32/kernel32.dll").is_none());
    assert!(
        result.warnings.iter().any(|w| w.contains("foreign") && w.contains(&built.layer_digests[0].to_string())),
        "{:?}",
        result.warnings
    );
    let report = drydock_scan::report::build(&image, &result, "test");
    assert!(report.layers[0].skipped.as_deref().unwrap().contains("foreign"));
}
