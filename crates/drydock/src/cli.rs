//! Command-line grammar. Every subcommand's `--help` teaches by example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "drydock",
    version,
    about = "Make container images provably fit for regulated production",
    long_about = "drydock takes a container image apart layer by layer and judges it: what is inside, \
where it came from, and whether it is fit for FedRAMP / DoD SRG / CMMC production.",
    after_help = "Examples:
  drydock scan examples/hello-oci:latest          scan the bundled example image
  drydock scan alpine.tar                         a `docker save` tarball
  drydock scan registry.example.com/team/app:1.2  straight from a registry
  drydock scan --format json ./rootfs > report.json

Exit codes: 0 ok, 1 policy failed, 2 error.
Set DRYDOCK_LOG=debug for detailed logs."
)]
pub struct Cli {
    /// Only print errors (no progress, no warnings).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More log output on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan an image: read every layer once and report what it holds.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// List every OS and language package in an image, or write its SBOM.
    #[command(after_help = SBOM_EXAMPLES)]
    Sbom(SbomArgs),
}

const SBOM_EXAMPLES: &str = "Examples:
  drydock sbom examples/hello-oci:latest                       packages as a table
  drydock sbom --format cyclonedx -o sbom.cdx.json app.tar     CycloneDX 1.6 JSON
  drydock sbom --format spdx -o sbom.spdx.json registry.example.com/team/app:1.2
  drydock sbom --format json ./rootfs | jq '.packages[].purl'

Packages come from dpkg, apk and rpm databases (SQLite, BerkeleyDB, NDB) and
from Python, Node, Go, Rust, Java and Ruby metadata. Each one carries its
package URL, the paths that evidence it and the layer (digest and build step)
that introduced it. Language packages installed by the OS package manager are
listed once, as the OS package.

TARGET takes the same forms as `drydock scan` (see `drydock scan --help`).";

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SbomFormat {
    /// Packages as a table for the terminal.
    Table,
    /// The inventory as JSON (the `os` and `packages` of the scan report).
    Json,
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    Spdx,
}

#[derive(Args, Debug)]
pub struct SbomArgs {
    #[command(flatten)]
    pub image: ImageArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = SbomFormat::Table)]
    pub format: SbomFormat,

    /// Write to FILE instead of stdout (atomically: a temp file renamed into place).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const SCAN_EXAMPLES: &str = "TARGET forms (detected automatically; a prefix forces one):
  oci:DIR[:TAG|@sha256:…]          OCI image layout directory (index.json)
  docker-archive:FILE[:TAG]        `docker save` tarball (legacy or Docker 25+ layout)
  oci-archive:FILE[:TAG]           tarred OCI layout (`skopeo copy … oci-archive:…`)
  dir:DIR                          extracted root filesystem or chroot
  registry:HOST/REPO[:TAG|@DIGEST] OCI distribution registry (anonymous, basic or bearer auth)

Examples:
  drydock scan examples/hello-oci:latest
  drydock scan --format json myapp.tar > report.json
  drydock scan oci-archive:build/image.tar
  drydock scan --platform linux/arm64 registry.example.com/team/app:1.2
  echo \"$TOKEN\" | drydock scan --username ci --password-stdin registry.example.com/team/app@sha256:…
  drydock scan --insecure registry:10.0.0.5:5000/app:dev

Credentials for registries come from --username/--password-stdin, else from
$DOCKER_CONFIG/config.json or ~/.docker/config.json (auths and credential helpers).";

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    /// Human summary for the terminal.
    Table,
    /// The full, versioned report (`schema_version`).
    Json,
    /// CycloneDX 1.6 JSON SBOM.
    Cyclonedx,
    /// SPDX 2.3 JSON SBOM.
    Spdx,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub image: ImageArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of stdout (atomically: a temp file renamed into place).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How to find and read the image; shared by every command that takes one.
#[derive(Args, Debug)]
pub struct ImageArgs {
    /// The image (see TARGET forms below).
    pub target: String,

    /// Platform to pick from a multi-arch image [default: the host's, e.g. linux/amd64].
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,

    /// Allow plain HTTP to the registry (loopback registries are always allowed).
    #[arg(long)]
    pub insecure: bool,

    /// Registry user name (the password is read from stdin with --password-stdin).
    #[arg(long, requires = "password_stdin")]
    pub username: Option<String>,

    /// Read the registry password or token from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,

    /// Stop if the image inflates to more than this (guards against decompression bombs).
    #[arg(long, value_name = "SIZE", default_value = "64GiB", value_parser = parse_size)]
    pub max_inflated_size: u64,

    /// Stop if the image has more tar entries than this, across all layers.
    #[arg(long, value_name = "N", default_value_t = 10_000_000)]
    pub max_entries: u64,

    /// Skip analysing files larger than this (they are still listed).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Parses `123`, `10MB`, `64MiB`, `2GiB`, `1.5G` into bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("`{s}` is not a size (try 512MiB or 2GiB)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "tib" => 1 << 40,
        other => return Err(format!("unknown size unit `{other}` (use B, KiB, MiB, GiB, TiB, or KB, MB, GB)")),
    };
    Ok((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("1.5 KiB"), Ok(1536));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
