//! Hostile and broken images: each must give a clear error naming the image,
//! the layer and the path, never a panic, never a write.

use std::path::Path;

use drydock_core::Digest;
use drydock_image::{OpenOptions, open};
use drydock_scan::{Limits, ScanOptions, scan};
use drydock_testkit::{Built, ImageBuilder, LayerSpec};

/// Opens and scans an OCI layout, returning the error text.
fn scan_err(dir: &Path, limits: Limits) -> String {
    let target = format!("oci:{}:t", dir.display()).parse().unwrap();
    let image = match open(&target, &OpenOptions::default()) {
        Ok(i) => i,
        Err(e) => return e.to_string(),
    };
    match scan(&image, &ScanOptions { limits, ..ScanOptions::default() }) {
        Ok(_) => panic!("scan of hostile image {} succeeded", dir.display()),
        Err(e) => e.to_string(),
    }
}

fn layout(builder: ImageBuilder) -> (tempfile::TempDir, std::path::PathBuf, Built) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    let built = builder.write_oci_layout(&dir, "t").unwrap();
    (tmp, dir, built)
}

fn blob_path(dir: &Path, d: &Digest) -> std::path::PathBuf {
    dir.join("blobs/sha256").join(d.hex())
}

/// Snapshot of every path under `dir`, to prove a scan wrote nothing.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir);
    v.sort();
    v
}
fn walk(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.display().to_string());
        if p.is_dir() && !p.is_symlink() {
            out.extend(walk(&p));
        }
    }
    out
}

#[test]
fn path_traversal_in_a_layer_is_refused_and_nothing_is_written() {
    let (tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().file("ok", b"1").raw_path(b"../../escape", b"pwned")));
    let before = listing(tmp.path());
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains(&built.layer_digests[0].to_string()), "{err}");
    assert!(err.contains("`../../escape`") && err.contains("climbs out of the image root"), "{err}");
    assert!(err.contains(&dir.display().to_string()), "names the image: {err}");
    assert_eq!(listing(tmp.path()), before);
    assert!(!tmp.path().join("escape").exists());
}

#[test]
fn absolute_member_names_are_refused() {
    let (_tmp, dir, _) = layout(ImageBuilder::new().layer(LayerSpec::new().raw_path(b"/etc/cron.d/evil", b"* * * * * root sh")));
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("`/etc/cron.d/evil`") && err.contains("absolute path"), "{err}");
}

#[test]
fn hardlink_escaping_the_root_is_refused() {
    let (_tmp, dir, _) = layout(ImageBuilder::new().layer(LayerSpec::new().hardlink("etc/shadow-copy", "../../../etc/shadow")));
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("`etc/shadow-copy`") && err.contains("hard link target"), "{err}");
}

#[test]
fn symlink_escapes_stay_inside_the_image_root() {
    let (_tmp, dir, _) =
        layout(ImageBuilder::new().layer(LayerSpec::new().symlink("etc/passwd", "../../../../../etc/passwd").file("hostile", b"x")));
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();
    // The link exists in the image, but resolving it never leaves the image:
    // `..` stops at the image root, where there is no etc/passwd.
    assert!(result.tree.get("etc/passwd").is_some());
    assert!(result.tree.resolve("etc/passwd").is_none());
}

#[test]
fn layout_blob_symlinked_outside_the_layout_is_refused() {
    let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().file("a", b"1")));
    let blob = blob_path(&dir, &built.layer_digests[0]);
    std::fs::remove_file(&blob).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &blob).unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("symlink points outside the image layout"), "{err}");
}

#[test]
fn decompression_bomb_stops_at_the_inflate_limit() {
    let zeros = vec![0u8; 48 << 20];
    let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().file("bomb", &zeros)));
    assert!(built.blobs[0].1.len() < 1 << 20, "compresses well: {}", built.blobs[0].1.len());
    let err = scan_err(&dir, Limits { max_inflated_bytes: 8 << 20, ..Limits::default() });
    assert!(err.contains("decompression bomb") && err.contains(&built.layer_digests[0].to_string()), "{err}");
}

#[test]
fn entry_count_limit() {
    let mut l = LayerSpec::new();
    for i in 0..500 {
        l = l.file(&format!("f{i}"), b"");
    }
    let (_tmp, dir, _) = layout(ImageBuilder::new().layer(l));
    let err = scan_err(&dir, Limits { max_entries: 100, ..Limits::default() });
    assert!(err.contains("more than 100 entries"), "{err}");
}

#[test]
fn truncated_gzip_zstd_and_tar_are_errors() {
    let spec = LayerSpec::new().file("big", &(0..200_000u32).flat_map(|i| i.to_le_bytes()).collect::<Vec<_>>());
    for (name, spec) in [("gzip", spec.clone().gzip()), ("zstd", spec.clone().zstd()), ("tar", spec.clone().uncompressed())] {
        let (tar, blob, media) = spec.blob().unwrap();
        let cut = blob[..blob.len() / 2].to_vec();
        // Plain tar: the blob digest is the diff_id, so claim the cut bytes.
        let diff_id = if name == "tar" { Digest::sha256_of(&cut) } else { Digest::sha256_of(&tar) };
        let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::raw_blob(media, cut, diff_id)));
        let err = scan_err(&dir, Limits::default());
        assert!(err.contains(&built.layer_digests[0].to_string()), "{name}: {err}");
        assert!(err.contains("truncated or corrupt layer data"), "{name}: {err}");
    }
}

#[test]
fn tampered_layer_fails_digest_verification() {
    let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().uncompressed().file("etc/motd", b"hello world")));
    let blob = blob_path(&dir, &built.layer_digests[0]);
    let mut bytes = std::fs::read(&blob).unwrap();
    let pos = bytes.windows(5).position(|w| w == b"hello").unwrap();
    bytes[pos] = b'j';
    std::fs::write(&blob, bytes).unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("digest mismatch") && err.contains(&built.layer_digests[0].to_string()), "{err}");
}

#[test]
fn wrong_diff_id_fails_verification() {
    let spec = LayerSpec::new().file("a", b"content");
    let (_, blob, media) = spec.blob().unwrap();
    let (_tmp, dir, _) = layout(ImageBuilder::new().layer(LayerSpec::raw_blob(media, blob, Digest::sha256_of(b"something else"))));
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("digest mismatch"), "{err}");
}

#[test]
fn missing_blob_and_tampered_config() {
    let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().file("a", b"1")));
    std::fs::remove_file(blob_path(&dir, &built.layer_digests[0])).unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains(&format!("blob {} is missing", built.layer_digests[0])), "{err}");

    let (_tmp, dir, built) = layout(ImageBuilder::new().layer(LayerSpec::new().file("a", b"1")));
    std::fs::write(blob_path(&dir, &built.config_digest), b"{\"os\":\"linux\"}").unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains(&built.config_digest.to_string()) && err.contains("verification"), "{err}");
}

#[test]
fn bogus_json_is_named() {
    let (_tmp, dir, _) = layout(ImageBuilder::new().layer(LayerSpec::new().file("a", b"1")));
    std::fs::write(dir.join("index.json"), b"{\"manifests\": [{\"digest\": 42}]").unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("`index.json` is not valid JSON for an OCI image index"), "{err}");

    std::fs::write(dir.join("index.json"), b"{\"manifests\": [{\"digest\": \"sha256:../../../../etc/passwd\"}]}").unwrap();
    let err = scan_err(&dir, Limits::default());
    assert!(err.contains("not a digest"), "{err}");
}

#[test]
fn docker_archive_with_traversing_layer_path_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("evil.tar");
    let built = ImageBuilder::new().layer(LayerSpec::new().file("a", b"1")).build().unwrap();
    let mut b = tar::Builder::new(std::fs::File::create(&file).unwrap());
    let add = |b: &mut tar::Builder<std::fs::File>, name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).unwrap();
    };
    add(&mut b, &format!("{}.json", built.config_digest.hex()), &built.config);
    let manifest = serde_json::json!([{"Config": format!("{}.json", built.config_digest.hex()), "RepoTags": ["x:1"], "Layers": ["../../../etc/passwd"]}]);
    add(&mut b, "manifest.json", &serde_json::to_vec(&manifest).unwrap());
    b.finish().unwrap();
    let err = open(&file.display().to_string().parse().unwrap(), &OpenOptions::default()).err().unwrap().to_string();
    assert!(err.contains("../../../etc/passwd") && err.contains("leaves the archive"), "{err}");
}

#[test]
fn many_layers_and_a_100k_entry_layer() {
    let mut b = ImageBuilder::new();
    for i in 0..120 {
        b = b.layer(LayerSpec::new().file(&format!("layer{i}/f"), format!("{i}").as_bytes()).whiteout(&format!("layer{}/f", i.max(1) - 1)));
    }
    let mut big = LayerSpec::new();
    for i in 0..100_000 {
        big = big.file(&format!("d{}/f{i}", i % 100), b"");
    }
    b = b.layer(big);
    let (_tmp, dir, _) = layout(b);
    let image = open(&format!("oci:{}:t", dir.display()).parse().unwrap(), &OpenOptions::default()).unwrap();
    let result = scan(&image, &ScanOptions::default()).unwrap();
    assert_eq!(result.layers.len(), 121);
    assert!(result.tree.get("layer119/f").is_some());
    assert!(result.tree.get("layer0/f").is_none(), "deleted by layer 1");
    assert_eq!(result.tree.iter().filter(|e| e.path.starts_with('d')).count(), 100_000);
}
