//! `pack-image`: packs directories into a container image with the testkit's
//! [`ImageBuilder`], for the bundled example image and the benchmarks.
//!
//! ```text
//! pack-image --out examples/hello-oci --tag latest \
//!     --layer build/base::"ADD rootfs.tar / # buildkit" \
//!     --layer build/app::"COPY app/ /app/ # buildkit" \
//!     --whiteout 1:usr/share/doc/base-files/README
//! ```
//!
//! Arguments are parsed by hand (no clap) because this is a test-support tool
//! with a dozen flags and the testkit should not grow a CLI dependency for it.
//! Every file of every layer is held in memory while the image is written
//! (that is how [`LayerSpec::tree`] works): fine for a packer, not for a
//! multi-gigabyte root filesystem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use drydock_testkit::{ImageBuilder, LayerSpec};

const USAGE: &str = "\
pack-image: pack directories into a container image (OCI layout, oci-archive or docker save archive)

Usage:
  pack-image --out PATH --tag TAG --layer DIR[::CREATED_BY] [--layer ...] [options]

Required:
  --out PATH                 where to write: a directory for --format oci, a file otherwise
  --tag TAG                  tag (oci, oci-archive) or repo:tag (docker archives; `:latest` is added when missing)
  --layer DIR[::CREATED_BY]  one layer from everything under DIR (bottom layer first); the
                             optional CREATED_BY text becomes the layer's history line

Options:
  --format FORMAT            oci (default) | oci-archive | docker-archive | docker-archive-legacy
  --compression C            gzip (default) | zstd | none; docker archives always store plain tar
  --config JSON_FILE         the container config object (User, Env, Entrypoint, Healthcheck, …)
  --platform OS/ARCH         default linux/amd64
  --whiteout N:PATH          layer N (0-based, in --layer order) deletes PATH from the layers below
  --opaque N:DIR             layer N hides everything the layers below put in DIR
  --empty-history N:LINE     an `empty_layer` history entry (ENV, USER, …) before layer N;
                             N = number of layers puts it after the last one
  --force                    replace an existing OCI layout / archive at --out
  -h, --help                 this text

Examples:
  pack-image --out out/img --tag v1 --layer rootfs::'ADD rootfs.tar / # buildkit'
  pack-image --out img.tar --format docker-archive --tag app:1.0 --layer base --layer app --whiteout 1:etc/motd";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Oci,
    OciArchive,
    DockerArchive,
    DockerArchiveLegacy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compression {
    Gzip,
    Zstd,
    None,
}

#[derive(Debug)]
struct LayerArg {
    dir: PathBuf,
    created_by: Option<String>,
}

#[derive(Debug)]
struct Args {
    out: PathBuf,
    tag: String,
    format: Format,
    compression: Compression,
    config: Option<PathBuf>,
    platform: Option<(String, String)>,
    layers: Vec<LayerArg>,
    /// (layer index, path) pairs.
    whiteouts: Vec<(usize, String)>,
    opaque: Vec<(usize, String)>,
    empty_history: Vec<(usize, String)>,
    force: bool,
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&argv) {
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Some(a)) => a,
        Err(e) => {
            eprintln!("pack-image: {e}\n(run `pack-image --help` for usage)");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pack-image: {e}");
            ExitCode::from(2)
        }
    }
}

/// `Ok(None)` means `--help`.
fn parse(argv: &[String]) -> Result<Option<Args>, String> {
    let mut out = None;
    let mut tag = None;
    let mut format = Format::Oci;
    let mut compression = Compression::Gzip;
    let mut config = None;
    let mut platform = None;
    let mut layers = Vec::new();
    let mut whiteouts = Vec::new();
    let mut opaque = Vec::new();
    let mut empty_history = Vec::new();
    let mut force = false;

    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().cloned().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--out" => out = Some(PathBuf::from(value(flag)?)),
            "--tag" => tag = Some(value(flag)?),
            "--format" => {
                format = match value(flag)?.as_str() {
                    "oci" => Format::Oci,
                    "oci-archive" => Format::OciArchive,
                    "docker-archive" => Format::DockerArchive,
                    "docker-archive-legacy" => Format::DockerArchiveLegacy,
                    other => {
                        return Err(format!(
                            "--format: unknown format `{other}` (oci, oci-archive, docker-archive, docker-archive-legacy)"
                        ));
                    }
                }
            }
            "--compression" => {
                compression = match value(flag)?.as_str() {
                    "gzip" => Compression::Gzip,
                    "zstd" => Compression::Zstd,
                    "none" => Compression::None,
                    other => return Err(format!("--compression: unknown compression `{other}` (gzip, zstd, none)")),
                }
            }
            "--config" => config = Some(PathBuf::from(value(flag)?)),
            "--platform" => {
                let v = value(flag)?;
                match v.split_once('/') {
                    Some((os, arch)) if !os.is_empty() && !arch.is_empty() => platform = Some((os.to_owned(), arch.to_owned())),
                    _ => return Err(format!("--platform: `{v}` is not OS/ARCH (e.g. linux/amd64)")),
                }
            }
            "--layer" => {
                let v = value(flag)?;
                let (dir, created_by) = match v.split_once("::") {
                    Some((d, c)) => (d, Some(c.to_owned())),
                    None => (v.as_str(), None),
                };
                if dir.is_empty() {
                    return Err(format!("--layer `{v}`: no directory before `::`"));
                }
                layers.push(LayerArg { dir: PathBuf::from(dir), created_by });
            }
            "--whiteout" => whiteouts.push(indexed(flag, &value(flag)?)?),
            "--opaque" => opaque.push(indexed(flag, &value(flag)?)?),
            "--empty-history" => empty_history.push(indexed(flag, &value(flag)?)?),
            "--force" => force = true,
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => return Err(format!("unexpected argument `{other}` (layers are given with --layer DIR)")),
        }
    }

    let out = out.ok_or("--out PATH is required")?;
    let tag = tag.ok_or("--tag TAG is required")?;
    if tag.is_empty() || tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("--tag `{tag}`: must be non-empty, without spaces"));
    }
    if layers.is_empty() {
        return Err("at least one --layer DIR is required".into());
    }
    let n = layers.len();
    for (flag, list, max) in [("--whiteout", &whiteouts, n - 1), ("--opaque", &opaque, n - 1), ("--empty-history", &empty_history, n)] {
        if let Some((i, _)) = list.iter().find(|(i, _)| *i > max) {
            return Err(format!("{flag} {i}:…: there are only {n} layers (0 to {})", n - 1));
        }
    }
    for (flag, list) in [("--whiteout", &whiteouts), ("--opaque", &opaque)] {
        if let Some((i, p)) = list.iter().find(|(_, p)| p.starts_with('/') || p.split('/').any(|c| c == ".." || c.is_empty())) {
            return Err(format!("{flag} {i}:{p}: give a relative path inside the image (`etc/motd`), without `..` or empty components"));
        }
    }
    Ok(Some(Args { out, tag, format, compression, config, platform, layers, whiteouts, opaque, empty_history, force }))
}

/// Parses `N:TEXT`.
fn indexed(flag: &str, v: &str) -> Result<(usize, String), String> {
    let (n, rest) = v.split_once(':').ok_or_else(|| format!("{flag} `{v}`: expected N:VALUE (e.g. 2:etc/motd)"))?;
    let n: usize = n.parse().map_err(|_| format!("{flag} `{v}`: `{n}` is not a layer index"))?;
    if rest.is_empty() {
        return Err(format!("{flag} `{v}`: nothing after `{n}:`"));
    }
    Ok((n, rest.to_owned()))
}

fn run(args: &Args) -> Result<String, String> {
    let mut builder = ImageBuilder::new();
    if let Some(path) = &args.config {
        let text = std::fs::read(path).map_err(|e| format!("--config {}: {e}", path.display()))?;
        let value: serde_json::Value = serde_json::from_slice(&text).map_err(|e| format!("--config {}: not JSON: {e}", path.display()))?;
        if !value.is_object() {
            return Err(format!("--config {}: expected a JSON object (the container config: User, Env, …)", path.display()));
        }
        builder = builder.config(value);
    }
    if let Some((os, arch)) = &args.platform {
        builder = builder.platform(os, arch);
    }
    for (n, line) in &args.empty_history {
        builder = builder.empty_history(*n, line);
    }

    for (i, layer) in args.layers.iter().enumerate() {
        let meta = std::fs::metadata(&layer.dir).map_err(|e| format!("--layer {}: {e}", layer.dir.display()))?;
        if !meta.is_dir() {
            return Err(format!("--layer {}: not a directory", layer.dir.display()));
        }
        let mut spec = LayerSpec::new().tree(&layer.dir).map_err(|e| format!("--layer {}: reading the tree: {e}", layer.dir.display()))?;
        spec = match args.compression {
            Compression::Gzip => spec.gzip(),
            Compression::Zstd => spec.zstd(),
            Compression::None => spec.uncompressed(),
        };
        if let Some(c) = &layer.created_by {
            spec = spec.created_by(c);
        }
        for (_, dir) in args.opaque.iter().filter(|(n, _)| *n == i) {
            spec = spec.opaque(dir);
        }
        for (_, path) in args.whiteouts.iter().filter(|(n, _)| *n == i) {
            spec = spec.whiteout(path);
        }
        builder = builder.layer(spec);
    }

    prepare_out(&args.out, args.format, args.force)?;
    let out = &args.out;
    let written = |e: std::io::Error| format!("writing {}: {e}", out.display());
    let built = match args.format {
        Format::Oci => builder.write_oci_layout(out, &args.tag),
        Format::OciArchive => builder.write_oci_archive(out, &args.tag),
        Format::DockerArchive => builder.write_docker_archive_oci(out, &docker_tag(&args.tag)),
        Format::DockerArchiveLegacy => builder.write_docker_archive_legacy(out, &docker_tag(&args.tag)),
    }
    .map_err(written)?;
    let bytes: usize = built.blobs.iter().map(|(_, b)| b.len()).sum();
    Ok(format!("{}: {} layers, {} bytes of layer blobs, manifest {}", out.display(), built.blobs.len(), bytes, built.manifest_digest))
}

fn docker_tag(tag: &str) -> String {
    // `repo:tag`; a bare name gets `:latest`, as `docker tag` does. A colon
    // inside a registry host (`host:5000/repo`) is not a tag separator.
    let last = tag.rsplit('/').next().unwrap_or(tag);
    if last.contains(':') { tag.to_owned() } else { format!("{tag}:latest") }
}

/// Refuses to write over something unless `--force`, and even then only
/// replaces what looks like an earlier output of the same kind (never an
/// arbitrary directory).
fn prepare_out(out: &Path, format: Format, force: bool) -> Result<(), String> {
    let Ok(meta) = std::fs::symlink_metadata(out) else { return Ok(()) };
    let shown = out.display();
    match format {
        Format::Oci => {
            if !meta.is_dir() {
                return Err(format!("--out {shown}: exists and is not a directory"));
            }
            let empty = std::fs::read_dir(out).map_err(|e| format!("--out {shown}: {e}"))?.next().is_none();
            if empty {
                return Ok(());
            }
            if !out.join("oci-layout").is_file() {
                return Err(format!("--out {shown}: directory exists, is not empty and is not an OCI layout; not touching it"));
            }
            if !force {
                return Err(format!("--out {shown}: an OCI layout is already there (use --force to replace it)"));
            }
            std::fs::remove_dir_all(out).map_err(|e| format!("--out {shown}: removing the old layout: {e}"))
        }
        _ => {
            if !meta.is_file() {
                return Err(format!("--out {shown}: exists and is not a file"));
            }
            if !force {
                return Err(format!("--out {shown}: already exists (use --force to replace it)"));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Result<Option<Args>, String> {
        parse(&s.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_layers_with_history_and_whiteouts() {
        let a = args(&["--out", "o", "--tag=v1", "--layer", "a::ADD x / # buildkit", "--layer", "b", "--whiteout", "1:etc/motd"])
            .unwrap()
            .expect("not --help");
        assert_eq!(a.layers[0].created_by.as_deref(), Some("ADD x / # buildkit"));
        assert_eq!(a.layers[1].created_by, None);
        assert_eq!(a.whiteouts, vec![(1, "etc/motd".to_owned())]);
        assert_eq!(a.format, Format::Oci);
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        for bad in [
            &["--tag", "v1", "--layer", "a"][..],
            &["--out", "o", "--layer", "a"],
            &["--out", "o", "--tag", "v1"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--whiteout", "1:etc/motd"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--whiteout", "x:etc/motd"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--whiteout", "0:/etc/motd"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--whiteout", "0:../x"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--format", "tgz"],
            &["--out", "o", "--tag", "v1", "--layer", "a", "--compression", "xz"],
            &["--out", "o", "--tag", "v1", "--layer", "::x"],
            &["--out", "o", "--tag", "v 1", "--layer", "a"],
            &["--out"],
            &["--bogus"],
            &["stray"],
        ] {
            assert!(args(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn docker_tags_get_latest_unless_tagged() {
        assert_eq!(docker_tag("app"), "app:latest");
        assert_eq!(docker_tag("app:1.0"), "app:1.0");
        assert_eq!(docker_tag("localhost:5000/app"), "localhost:5000/app:latest");
    }
}
