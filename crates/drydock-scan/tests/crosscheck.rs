//! Cross-checks drydock's readers against independent implementations on the
//! same image: skopeo (containers/image) writes docker-archive and
//! oci-archive tarballs from our layout, and `skopeo inspect` / `umoci stat`
//! describe it. CI installs both (`.ci/run`); a missing tool fails the test.

use std::process::Command;

use drydock_image::{OpenOptions, open};
use drydock_scan::{ScanOptions, scan};
use drydock_testkit::{ImageBuilder, LayerSpec};

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{name}` is required for this test (apt-get install {name}): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sample() -> ImageBuilder {
    sample_with(LayerSpec::new().zstd())
}

/// `second` sets the second layer's compression (docker archives can't hold zstd).
fn sample_with(second: LayerSpec) -> ImageBuilder {
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .dir("etc")
                .file("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\n")
                .created_by("/bin/sh -c #(nop) ADD file:rootfs in /"),
        )
        .empty_history(1, "/bin/sh -c #(nop)  USER app")
        .layer(second.file("app/run", b"#!/bin/sh\necho hi\n").created_by("COPY run /app/run # buildkit"))
        .layer(LayerSpec::new().uncompressed().whiteout("etc/os-release").created_by("RUN rm /etc/os-release"))
}

#[test]
fn skopeo_inspect_agrees_with_oci_layout_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    let built = sample().write_oci_layout(&dir, "v1").unwrap();
    let reference = format!("oci:{}:v1", dir.display());
    let inspect: serde_json::Value = serde_json::from_str(&tool("skopeo", &["inspect", &reference])).unwrap();
    let image = open(&reference.parse().unwrap(), &OpenOptions::default()).unwrap();
    assert_eq!(inspect["Digest"].as_str().unwrap(), image.manifest_digest.as_ref().unwrap().to_string());
    assert_eq!(inspect["Digest"].as_str().unwrap(), built.manifest_digest.to_string());
    let theirs: Vec<&str> = inspect["Layers"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let ours: Vec<String> = image.layers.iter().map(|l| l.digest.as_ref().unwrap().to_string()).collect();
    assert_eq!(theirs, ours);
    assert_eq!(inspect["Architecture"], "amd64");
    assert_eq!(inspect["Os"], "linux");

    let config: serde_json::Value = serde_json::from_str(&tool("skopeo", &["inspect", "--config", &reference])).unwrap();
    let diff_ids: Vec<&str> = config["rootfs"]["diff_ids"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    let ours: Vec<String> = image.layers.iter().map(|l| l.diff_id.as_ref().unwrap().to_string()).collect();
    assert_eq!(diff_ids, ours);
}

#[test]
fn umoci_stat_agrees_on_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    sample().write_oci_layout(&dir, "v1").unwrap();
    let stat: serde_json::Value =
        serde_json::from_str(&tool("umoci", &["stat", "--json", "--image", &format!("{}:v1", dir.display())])).unwrap();
    let image = open(&format!("oci:{}:v1", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let history = stat["history"].as_array().unwrap();
    assert_eq!(history.len(), image.config.history.len());
    // umoci names the layer each non-empty history entry made; so do we.
    let theirs: Vec<(String, Option<String>)> = history
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .map(|h| (h["created_by"].as_str().unwrap().to_owned(), h["layer"]["digest"].as_str().map(str::to_owned)))
        .collect();
    let ours: Vec<(String, Option<String>)> =
        image.layers.iter().map(|l| (l.created_by.clone().unwrap(), l.digest.as_ref().map(|d| d.to_string()))).collect();
    assert_eq!(theirs, ours);
}

/// skopeo writes real docker-archive and oci-archive tarballs (its own code,
/// not ours); drydock must read them to the same filesystem.
#[test]
fn reads_archives_written_by_skopeo() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    sample_with(LayerSpec::new().gzip()).write_oci_layout(&dir, "v1").unwrap();
    let src = format!("oci:{}:v1", dir.display());
    let docker = tmp.path().join("docker.tar");
    let oci = tmp.path().join("oci.tar");
    tool("skopeo", &["copy", "--quiet", &src, &format!("docker-archive:{}:example/app:v1", docker.display())]);
    tool("skopeo", &["copy", "--quiet", &src, &format!("oci-archive:{}:v1", oci.display())]);
    for (target, kind) in [(docker.display().to_string(), "docker-archive"), (oci.display().to_string(), "oci-archive")] {
        let image = open(&target.parse().unwrap(), &OpenOptions::default()).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(image.source.as_str(), kind);
        assert_eq!(image.layers.len(), 3, "{kind}");
        let result = scan(&image, &ScanOptions::default()).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(result.tree.get("app/run").is_some(), "{kind}");
        assert!(result.tree.get("etc/os-release").is_none(), "{kind}: whiteout");
        assert!(result.tree.get("etc").is_some(), "{kind}");
        assert_eq!(result.removed_facts().count(), 1, "{kind}: os-release fact from a deleted file");
    }
    let image = open(&format!("docker-archive:{}:example/app:v1", docker.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    assert!(image.reference.ends_with("example/app:v1"));
}
