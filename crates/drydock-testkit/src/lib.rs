//! Builds real container images at test time: OCI layouts, oci-archive
//! tarballs and `docker save` archives in both the legacy and the Docker 25+
//! layouts, from files given in code or copied from disk.
//!
//! ```
//! use drydock_testkit::{ImageBuilder, LayerSpec};
//! let dir = std::env::temp_dir().join(format!("testkit-doc-{}", std::process::id()));
//! ImageBuilder::new()
//!     .layer(LayerSpec::new().dir("etc").file("etc/os-release", b"ID=test\n"))
//!     .layer(LayerSpec::new().whiteout("etc/os-release").gzip())
//!     .write_oci_layout(&dir, "v1")
//!     .unwrap();
//! assert!(dir.join("index.json").exists());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

pub mod registry;

use std::io::{self, Write};
use std::path::Path;

use drydock_core::Digest;
use serde_json::{Value, json};

/// How a layer blob is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

#[derive(Clone, Debug)]
enum Entry {
    File {
        path: String,
        data: Vec<u8>,
        mode: u32,
        uid: u64,
        gid: u64,
    },
    Dir {
        path: String,
        mode: u32,
    },
    Symlink {
        path: String,
        target: String,
    },
    Hardlink {
        path: String,
        target: String,
    },
    /// A raw header name written verbatim (for hostile-input tests).
    RawPath {
        path: Vec<u8>,
        data: Vec<u8>,
    },
}

/// One layer: an ordered list of tar entries.
#[derive(Clone, Debug)]
pub struct LayerSpec {
    entries: Vec<Entry>,
    compression: Compression,
    created_by: String,
    /// A verbatim blob (media type, bytes, diff_id) for hostile-input tests.
    raw: Option<(String, Vec<u8>, Digest)>,
}

impl Default for LayerSpec {
    fn default() -> Self {
        LayerSpec::new()
    }
}

impl LayerSpec {
    pub fn new() -> Self {
        LayerSpec { entries: Vec::new(), compression: Compression::Gzip, created_by: "/bin/sh -c #(nop) test layer".into(), raw: None }
    }
    /// A layer whose blob is exactly `blob` (say, a truncated gzip stream),
    /// declared with `media_type` and `diff_id`. The manifest and config
    /// digests stay consistent, so only the content itself is bad.
    pub fn raw_blob(media_type: &str, blob: Vec<u8>, diff_id: Digest) -> Self {
        LayerSpec { raw: Some((media_type.into(), blob, diff_id)), ..LayerSpec::new() }
    }
    pub fn file(self, path: &str, data: &[u8]) -> Self {
        self.file_mode(path, data, 0o644)
    }
    pub fn file_mode(mut self, path: &str, data: &[u8], mode: u32) -> Self {
        self.entries.push(Entry::File { path: path.into(), data: data.to_vec(), mode, uid: 0, gid: 0 });
        self
    }
    pub fn file_owned(mut self, path: &str, data: &[u8], mode: u32, uid: u64, gid: u64) -> Self {
        self.entries.push(Entry::File { path: path.into(), data: data.to_vec(), mode, uid, gid });
        self
    }
    pub fn dir(self, path: &str) -> Self {
        self.dir_mode(path, 0o755)
    }
    pub fn dir_mode(mut self, path: &str, mode: u32) -> Self {
        self.entries.push(Entry::Dir { path: path.into(), mode });
        self
    }
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.entries.push(Entry::Symlink { path: path.into(), target: target.into() });
        self
    }
    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        self.entries.push(Entry::Hardlink { path: path.into(), target: target.into() });
        self
    }
    /// Deletes `path` from lower layers (`dir/.wh.name`).
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (format!("{d}/"), n),
            None => (String::new(), path),
        };
        self.file(&format!("{dir}.wh.{name}"), b"")
    }
    /// Hides everything lower layers put in `dir` (`dir/.wh..wh..opq`).
    pub fn opaque(self, dir: &str) -> Self {
        self.file(&format!("{dir}/.wh..wh..opq"), b"")
    }
    /// A member whose name is written byte for byte, bypassing the tar
    /// crate's path checks (`../x`, `/etc/x`).
    pub fn raw_path(mut self, path: &[u8], data: &[u8]) -> Self {
        self.entries.push(Entry::RawPath { path: path.to_vec(), data: data.to_vec() });
        self
    }
    /// Adds every file, directory and symlink under `root` (relative names).
    pub fn tree(mut self, root: &Path) -> io::Result<Self> {
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let mut children: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
            children.sort_by_key(|e| e.file_name());
            for child in children {
                let path = child.path();
                let rel = path.strip_prefix(root).expect("child of root").to_string_lossy().into_owned();
                let meta = std::fs::symlink_metadata(&path)?;
                use std::os::unix::fs::PermissionsExt;
                let mode = meta.permissions().mode() & 0o7777;
                if meta.file_type().is_symlink() {
                    self = self.symlink(&rel, &std::fs::read_link(&path)?.to_string_lossy());
                } else if meta.is_dir() {
                    self = self.dir_mode(&rel, mode);
                    stack.push(path);
                } else if meta.is_file() {
                    self = self.file_mode(&rel, &std::fs::read(&path)?, mode);
                }
            }
        }
        Ok(self)
    }
    pub fn gzip(mut self) -> Self {
        self.compression = Compression::Gzip;
        self
    }
    pub fn zstd(mut self) -> Self {
        self.compression = Compression::Zstd;
        self
    }
    pub fn uncompressed(mut self) -> Self {
        self.compression = Compression::None;
        self
    }
    pub fn created_by(mut self, line: &str) -> Self {
        self.created_by = line.into();
        self
    }

    /// The uncompressed tar bytes.
    pub fn tar_bytes(&self) -> io::Result<Vec<u8>> {
        let mut b = tar::Builder::new(Vec::new());
        for e in &self.entries {
            let mut h = tar::Header::new_gnu();
            h.set_mtime(1_700_000_000);
            match e {
                Entry::File { path, data, mode, uid, gid } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(data.len() as u64);
                    h.set_mode(*mode);
                    h.set_uid(*uid);
                    h.set_gid(*gid);
                    b.append_data(&mut h, path, &data[..])?;
                }
                Entry::Dir { path, mode } => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    h.set_mode(*mode);
                    b.append_data(&mut h, path, io::empty())?;
                }
                Entry::Symlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    h.set_mode(0o777);
                    b.append_link(&mut h, path, target)?;
                }
                Entry::Hardlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_size(0);
                    h.set_mode(0o644);
                    b.append_link(&mut h, path, target)?;
                }
                Entry::RawPath { path, data } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(data.len() as u64);
                    h.set_mode(0o644);
                    let name = &mut h.as_old_mut().name;
                    let n = path.len().min(name.len());
                    name[..n].copy_from_slice(&path[..n]);
                    h.set_cksum();
                    b.append(&h, &data[..])?;
                }
            }
        }
        b.into_inner()
    }

    /// (uncompressed tar, blob as stored, media type).
    pub fn blob(&self) -> io::Result<(Vec<u8>, Vec<u8>, &'static str)> {
        let tar = self.tar_bytes()?;
        let (blob, media) = match self.compression {
            Compression::None => (tar.clone(), "application/vnd.oci.image.layer.v1.tar"),
            Compression::Gzip => {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(&tar)?;
                (gz.finish()?, "application/vnd.oci.image.layer.v1.tar+gzip")
            }
            Compression::Zstd => (zstd::encode_all(&tar[..], 3)?, "application/vnd.oci.image.layer.v1.tar+zstd"),
        };
        Ok((tar, blob, media))
    }
}

/// A whole image: layers plus config settings.
#[derive(Clone, Debug)]
pub struct ImageBuilder {
    layers: Vec<LayerSpec>,
    config: Value,
    architecture: String,
    os: String,
    created: String,
    empty_history: Vec<(usize, String)>,
}

impl Default for ImageBuilder {
    fn default() -> Self {
        ImageBuilder::new()
    }
}

/// What was written: digests a test can assert against.
#[derive(Clone, Debug)]
pub struct Built {
    pub manifest_digest: Digest,
    pub config_digest: Digest,
    pub layer_digests: Vec<Digest>,
    pub diff_ids: Vec<Digest>,
    pub manifest: Vec<u8>,
    pub config: Vec<u8>,
    /// (media type, blob bytes) per layer.
    pub blobs: Vec<(String, Vec<u8>)>,
}

impl ImageBuilder {
    pub fn new() -> Self {
        ImageBuilder {
            layers: Vec::new(),
            config: json!({"User": "1000", "Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/app"]}),
            architecture: "amd64".into(),
            os: "linux".into(),
            created: "2026-11-01T00:00:00Z".into(),
            empty_history: Vec::new(),
        }
    }
    pub fn layer(mut self, l: LayerSpec) -> Self {
        self.layers.push(l);
        self
    }
    /// Replaces the container config (`User`, `Env`, `Healthcheck`…).
    pub fn config(mut self, config: Value) -> Self {
        self.config = config;
        self
    }
    pub fn platform(mut self, os: &str, architecture: &str) -> Self {
        self.os = os.into();
        self.architecture = architecture.into();
        self
    }
    /// Adds an `empty_layer` history entry before layer `before_layer`.
    pub fn empty_history(mut self, before_layer: usize, created_by: &str) -> Self {
        self.empty_history.push((before_layer, created_by.into()));
        self
    }

    /// Builds the blobs in memory.
    pub fn build(&self) -> io::Result<Built> {
        let mut blobs = Vec::new();
        let mut diff_ids = Vec::new();
        let mut history = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            for (_, line) in self.empty_history.iter().filter(|(b, _)| *b == i) {
                history.push(json!({"created": self.created, "created_by": line, "empty_layer": true}));
            }
            let (diff_id, blob, media) = match &l.raw {
                Some((media, blob, diff_id)) => (diff_id.clone(), blob.clone(), media.clone()),
                None => {
                    let (tar, blob, media) = l.blob()?;
                    (Digest::sha256_of(&tar), blob, media.to_owned())
                }
            };
            diff_ids.push(diff_id);
            history.push(json!({"created": self.created, "created_by": l.created_by}));
            blobs.push((media, blob));
        }
        for (_, line) in self.empty_history.iter().filter(|(b, _)| *b >= self.layers.len()) {
            history.push(json!({"created": self.created, "created_by": line, "empty_layer": true}));
        }
        let config = serde_json::to_vec(&json!({
            "created": self.created,
            "architecture": self.architecture,
            "os": self.os,
            "config": self.config,
            "rootfs": {"type": "layers", "diff_ids": diff_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>()},
            "history": history,
        }))?;
        let config_digest = Digest::sha256_of(&config);
        let layer_digests: Vec<Digest> = blobs.iter().map(|(_, b)| Digest::sha256_of(b)).collect();
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest.to_string(), "size": config.len()},
            "layers": blobs.iter().zip(&layer_digests).map(|((media, b), d)| json!({"mediaType": media, "digest": d.to_string(), "size": b.len()})).collect::<Vec<_>>(),
        }))?;
        Ok(Built { manifest_digest: Digest::sha256_of(&manifest), config_digest, layer_digests, diff_ids, manifest, config, blobs })
    }

    /// Writes an OCI image layout directory with the image tagged `tag`.
    pub fn write_oci_layout(&self, dir: &Path, tag: &str) -> io::Result<Built> {
        let built = self.build()?;
        write_layout(dir, &[(&built, Some(tag), None)], None)?;
        Ok(built)
    }

    /// Writes an oci-archive: the OCI layout, tarred.
    pub fn write_oci_archive(&self, file: &Path, tag: &str) -> io::Result<Built> {
        let tmp = tempdir_beside(file)?;
        let built = self.write_oci_layout(&tmp, tag)?;
        tar_dir(&tmp, file)?;
        std::fs::remove_dir_all(&tmp)?;
        Ok(built)
    }

    /// Writes a legacy `docker save` archive (Docker < 25): `manifest.json`,
    /// `<config hex>.json`, `<n>/layer.tar` (uncompressed layers).
    pub fn write_docker_archive_legacy(&self, file: &Path, repo_tag: &str) -> io::Result<Built> {
        let mut plain = self.clone();
        for l in &mut plain.layers {
            l.compression = Compression::None;
        }
        let built = plain.build()?;
        let mut b = tar::Builder::new(std::fs::File::create(file)?);
        let config_name = format!("{}.json", built.config_digest.hex());
        let mut layer_names = Vec::new();
        for (i, (_, blob)) in built.blobs.iter().enumerate() {
            let name = format!("{:064x}/layer.tar", i + 1);
            append_bytes(&mut b, &format!("{:064x}/VERSION", i + 1), b"1.0")?;
            append_bytes(&mut b, &name, blob)?;
            layer_names.push(name);
        }
        append_bytes(&mut b, &config_name, &built.config)?;
        let manifest = json!([{"Config": config_name, "RepoTags": [repo_tag], "Layers": layer_names}]);
        append_bytes(&mut b, "manifest.json", &serde_json::to_vec(&manifest)?)?;
        append_bytes(&mut b, "repositories", b"{}")?;
        b.into_inner()?.flush()?;
        Ok(built)
    }

    /// Writes a Docker 25+ `docker save` archive: an OCI layout (index.json
    /// with containerd's name annotation) plus the legacy manifest.json
    /// pointing into `blobs/`.
    pub fn write_docker_archive_oci(&self, file: &Path, repo_tag: &str) -> io::Result<Built> {
        let mut plain = self.clone();
        for l in &mut plain.layers {
            l.compression = Compression::None;
        }
        let built = plain.build()?;
        let tmp = tempdir_beside(file)?;
        let tag = repo_tag.rsplit_once(':').map(|(_, t)| t).unwrap_or("latest");
        let full = if repo_tag.contains('/') { repo_tag.to_owned() } else { format!("docker.io/library/{repo_tag}") };
        write_layout(&tmp, &[(&built, Some(tag), Some(&full))], None)?;
        let manifest = json!([{
            "Config": format!("blobs/sha256/{}", built.config_digest.hex()),
            "RepoTags": [repo_tag],
            "Layers": built.layer_digests.iter().map(|d| format!("blobs/sha256/{}", d.hex())).collect::<Vec<_>>(),
        }]);
        std::fs::write(tmp.join("manifest.json"), serde_json::to_vec(&manifest)?)?;
        tar_dir(&tmp, file)?;
        std::fs::remove_dir_all(&tmp)?;
        Ok(built)
    }
}

/// Writes a multi-platform image (an index over several images) as an OCI
/// layout whose `index.json` points at one nested index tagged `tag`.
pub fn write_multi_platform_layout(dir: &Path, tag: &str, images: &[&ImageBuilder]) -> io::Result<Vec<Built>> {
    let built: Vec<Built> = images.iter().map(|i| i.build()).collect::<io::Result<_>>()?;
    let entries: Vec<(&Built, Option<&str>, Option<&str>)> = built.iter().map(|b| (b, None, None)).collect();
    let platforms: Vec<(String, String)> = images.iter().map(|i| (i.os.clone(), i.architecture.clone())).collect();
    write_layout(dir, &entries, Some((tag, &platforms)))?;
    Ok(built)
}

fn write_layout(
    dir: &Path,
    images: &[(&Built, Option<&str>, Option<&str>)],
    nested: Option<(&str, &[(String, String)])>,
) -> io::Result<()> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)?;
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    let put = |bytes: &[u8]| std::fs::write(blobs.join(Digest::sha256_of(bytes).hex()), bytes);
    let mut descriptors = Vec::new();
    for (i, (built, tag, full_name)) in images.iter().enumerate() {
        put(&built.manifest)?;
        put(&built.config)?;
        for (_, b) in &built.blobs {
            put(b)?;
        }
        let mut d = json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": built.manifest_digest.to_string(), "size": built.manifest.len()});
        let mut ann = serde_json::Map::new();
        if let Some(t) = tag {
            ann.insert("org.opencontainers.image.ref.name".into(), json!(t));
        }
        if let Some(n) = full_name {
            ann.insert("io.containerd.image.name".into(), json!(n));
        }
        if !ann.is_empty() {
            d["annotations"] = Value::Object(ann);
        }
        if let Some((_, platforms)) = nested {
            d["platform"] = json!({"os": platforms[i].0, "architecture": platforms[i].1});
        }
        descriptors.push(d);
    }
    let top = match nested {
        None => descriptors,
        Some((tag, _)) => {
            let index = serde_json::to_vec(
                &json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descriptors}),
            )?;
            put(&index)?;
            vec![json!({
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": Digest::sha256_of(&index).to_string(),
                "size": index.len(),
                "annotations": {"org.opencontainers.image.ref.name": tag},
            })]
        }
    };
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": top});
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index)?)
}

fn append_bytes<W: Write>(b: &mut tar::Builder<W>, name: &str, data: &[u8]) -> io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(1_700_000_000);
    b.append_data(&mut h, name, data)
}

fn tempdir_beside(file: &Path) -> io::Result<std::path::PathBuf> {
    let dir = file.with_extension("tmpdir");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Tars `dir`'s contents (sorted, relative names) into `file`.
pub fn tar_dir(dir: &Path, file: &Path) -> io::Result<()> {
    let mut b = tar::Builder::new(std::fs::File::create(file)?);
    b.follow_symlinks(false);
    b.append_dir_all(".", dir)?;
    b.into_inner()?.flush()
}
