//! Command-line grammar. Every subcommand's `--help` teaches by example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use drydock_core::vulnerability::Severity;

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
    /// Settings file [default: the nearest drydock.toml from the working directory upward].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan an image: read every layer once and report what it holds.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(Box<ScanArgs>),
    /// List every OS and language package in an image, or write its SBOM.
    #[command(after_help = SBOM_EXAMPLES)]
    Sbom(SbomArgs),
    /// Manage the offline advisory database: import, update, export, status.
    #[command(subcommand)]
    Db(DbCommand),
    /// Lint Dockerfiles: BuildKit syntax, hardening and FedRAMP pipeline rules.
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// List every lint rule with its code, level and summary.
    Rules(RulesArgs),
    /// Show a lint rule's documentation: what, why, example, fix.
    Explain(ExplainArgs),
    /// List open findings from the scan history, overdue first, with FedRAMP due dates.
    #[command(after_help = FINDINGS_EXAMPLES)]
    Findings(FindingsArgs),
    /// Plan of action and milestones: record deviations (false positive, risk adjustment, …).
    #[command(subcommand)]
    Poam(PoamCommand),
    /// Write any output again from the scan history, without rescanning; or summarize a period.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
}

const FINDINGS_EXAMPLES: &str = "Examples:
  drydock findings                               every open finding, overdue first
  drydock findings --repository registry.example.gov/team/app
  drydock findings --format json > open.json

Each finding keeps its id (DD-…) across rescans and rebuilt tags; its clock starts the
first time a scan saw it. Deadlines follow the profile (fedramp-rev5: Critical/High 30
days, Moderate 90, Low 180) with the CISA KEV due date winning when earlier.";

const REPORT_EXAMPLES: &str = "Examples:
  drydock report --latest registry.example.gov/team/app --format oscal-poam -o poam.json
  drydock report --scan 42 --format poam-xlsx -o poam.xlsx
  drydock report --from 2026-11-01 --to 2026-11-30                  the month's summary
  drydock report --from 2026-11-01 --to 2026-11-30 --format oscal-ar -o monthly/   one file per image

Deadlines, days left and deviations are judged as of today.";

#[derive(Args, Debug)]
pub struct HistoryLocation {
    /// The scan history [default: $DRYDOCK_HISTORY, else [history] path in drydock.toml, else ~/.local/share/drydock/history.db].
    #[arg(long, value_name = "FILE", env = "DRYDOCK_HISTORY")]
    pub history: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub location: HistoryLocation,
    /// Only this image repository (an image reference without tag or digest).
    #[arg(long, value_name = "REPO")]
    pub repository: Option<String>,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Subcommand, Debug)]
pub enum PoamCommand {
    /// Record a deviation for a finding (FedRAMP: FP, RA, OR, VD).
    #[command(after_help = "Examples:
  drydock poam deviate DD-1a2b3c4d5e6f --type false-positive --rationale \"package not reachable: …\"
  drydock poam deviate DD-… --type risk-adjustment --adjusted-severity moderate --rationale \"…\" --expires 2027-03-31
  drydock poam deviate DD-… --type vendor-dependency --rationale \"waiting on upstream fix\"

An operational requirement is refused for a High or Critical finding (FedRAMP); a
risk adjustment must lower the rating. Expired deviations stop applying: the finding
is back on its original clock.")]
    Deviate(DeviateArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DeviationType {
    FalsePositive,
    RiskAdjustment,
    OperationalRequirement,
    VendorDependency,
}

#[derive(Args, Debug)]
pub struct DeviateArgs {
    #[command(flatten)]
    pub location: HistoryLocation,
    /// The finding id (DD-…), as `drydock findings` lists it.
    pub id: String,
    #[arg(long = "type", value_enum)]
    pub kind: DeviationType,
    /// Why: what the assessor reads.
    #[arg(long)]
    pub rationale: String,
    /// The adjusted risk (risk adjustment, or an operational requirement with one).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub adjusted_severity: Option<Severity>,
    /// Last day the deviation applies (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub expires: Option<jiff::civil::Date>,
    /// Who records it [default: $USER].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub location: HistoryLocation,
    /// The recorded scan with this id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["latest", "from"])]
    pub scan: Option<i64>,
    /// The latest scan of this repository.
    #[arg(long, value_name = "REPO", conflicts_with = "from")]
    pub latest: Option<String>,
    /// First day of a period (YYYY-MM-DD): summarize it, or write each image's latest scan in it.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<jiff::civil::Date>,
    /// Last day of the period, inclusive.
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<jiff::civil::Date>,
    /// Output format (default: table).
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write to FILE (one scan) or DIRECTORY (a period: one file per image).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

const LINT_EXAMPLES: &str = "PATHs may be Dockerfiles, directories (searched for Dockerfile, Containerfile,
Dockerfile.*, *.Dockerfile) or `-` for standard input. Default: the current directory.

Examples:
  drydock lint                                   every Dockerfile under .
  drydock lint Dockerfile --format sarif -o drydock.sarif
  drydock lint --failure-threshold error services/
  cat Dockerfile | drydock lint -
  drydock explain DF003                          why a rule exists and how to fix it

Suppress: `# drydock ignore=DF003` before an instruction, `# drydock global ignore=DF003`
anywhere in the file; `# hadolint ignore=DL3008` pragmas are honoured. drydock.toml
(nearest upward from the Dockerfile, or --config) has a [lint] section:
  approved-registries = [\"registry.example.gov\"], disable = [\"DF022\"],
  failure-threshold = \"warning\", [lint.levels] DF002 = \"error\"

Exit codes: 0 clean (nothing at or above the failure threshold, default warning),
1 findings at or above it, 2 error.";

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LintFormat {
    /// Code frames for the terminal.
    Table,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    Checkstyle,
    /// JUnit XML.
    Junit,
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Dockerfiles, directories, or `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = LintFormat::Table)]
    pub format: LintFormat,
    /// Write to FILE instead of stdout (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this level: error, warning, info, style, none [default: drydock.toml, else warning].
    #[arg(long, value_name = "LEVEL")]
    pub failure_threshold: Option<String>,
    /// Rule code to skip (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,
    /// Approved registry for base images (repeatable; adds to drydock.toml's list).
    #[arg(long = "approved-registry", value_name = "REGISTRY")]
    pub approved_registries: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    /// The rules page (docs/rules.md is this output).
    Markdown,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (DF003), name (unapproved-registry) or hadolint code (DL3006).
    pub rule: String,
}

const DB_HELP: &str = "The database is one file: --db, else $DRYDOCK_DB, else `path` in the [db]
section of drydock.toml, else $XDG_DATA_HOME/drydock/advisories.db
(~/.local/share/drydock/advisories.db).
Every write builds a new file beside it and renames it into place, so a
crash or kill leaves the previous database usable.";

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Import advisory feeds or an air-gap bundle from files.
    #[command(after_help = DB_IMPORT_EXAMPLES)]
    Import(DbImportArgs),
    /// Download the configured feeds (OSV exports, CISA KEV, EPSS) and swap the database in.
    #[command(after_help = DB_UPDATE_EXAMPLES)]
    Update(DbUpdateArgs),
    /// Write the whole database as a verifiable bundle to carry across an air gap.
    #[command(after_help = DB_EXPORT_EXAMPLES)]
    Export(DbExportArgs),
    /// Show the database's sources, record counts and age.
    #[command(after_help = DB_HELP)]
    Status(DbStatusArgs),
}

const DB_IMPORT_EXAMPLES: &str = "Formats (detected per file): OSV JSON and YAML records (one per file, or a JSON
array), Alpine secdb (YAML or JSON), the CISA KEV catalog JSON, EPSS CSV (plain or
.gz), NVD CVE API 2.0 pages (CVSS scores), and drydock bundles from `db export`.
Inputs may be files, directories, .zip archives (the OSV `all.zip` exports) or
tarballs (.tar, .tar.gz, .tar.zst). Each input becomes one source, named after it
(--name to choose); importing a source again replaces its records.

Examples:
  drydock db import Debian-all.zip PyPI-all.zip
  drydock db import --name alpine-3.18 secdb/v3.18/
  drydock db import known_exploited_vulnerabilities.json epss_scores-current.csv.gz
  drydock db import advisories-2026-11-23.tar.zst        a bundle from `db export`

Malformed records are skipped and named; an unreadable input aborts the import and
leaves the database untouched.

";

const DB_UPDATE_EXAMPLES: &str = "Fetches, for each ecosystem, <osv-base>/<Ecosystem>/all.zip, plus the KEV catalog
and EPSS scores, with conditional requests (unchanged feeds are not downloaded
again). Ecosystems: --ecosystem, else those already in the database, else all of
debian, ubuntu, alpine, wolfi, chainguard, almalinux, rocky, redhat, suse,
opensuse, pypi, npm, cargo, go, maven, rubygems, nuget. A feed that fails to
download whole or to parse leaves the database unchanged.

Examples:
  drydock db update
  drydock db update --ecosystem debian --ecosystem pypi
  drydock db update --osv-base https://mirror.example.com/osv --kev-url https://mirror.example.com/kev.json
  drydock db update --feed internal=https://mirror.example.com/advisories.zip

drydock.toml can set all of these for a project: [db] ecosystems, osv-base, kev-url,
epss-url, kev = false, epss = false, and [[db.feeds]] name/url tables.

";

const DB_EXPORT_EXAMPLES: &str = "The bundle is a .tar.zst with a manifest (sources, fetch times, record counts, and
the sha256 of every part) and one JSON-lines part per source. `db import` verifies
every part before loading anything; the bundle's own sha256 is printed for the
transfer record. Sources keep their original fetch times across the air gap.

Examples:
  drydock db export advisories-$(date +%F).tar.zst
  drydock db import advisories-2026-11-23.tar.zst         (on the air-gapped side)

";

/// Where the advisory database is.
#[derive(Args, Debug, Clone)]
pub struct DbLocation {
    /// The advisory database file.
    #[arg(long, value_name = "FILE", env = "DRYDOCK_DB")]
    pub db: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DbImportArgs {
    /// Files, directories, zip archives, tarballs or bundles.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Source name (default: the input's file name without extension).
    #[arg(long)]
    pub name: Option<String>,
    /// When these files were fetched from their publisher (RFC 3339), if not now: the database's age is judged by it.
    #[arg(long, value_name = "TIME", value_parser = parse_timestamp)]
    pub fetched_at: Option<String>,
    #[command(flatten)]
    pub location: DbLocation,
}

fn parse_timestamp(s: &str) -> Result<String, String> {
    s.parse::<jiff::Timestamp>()
        .map(|t| t.to_string())
        .map_err(|e| format!("`{s}` is not an RFC 3339 time (e.g. 2026-11-20T08:00:00Z): {e}"))
}

#[derive(Args, Debug)]
pub struct DbUpdateArgs {
    /// Ecosystem to fetch (repeatable): debian, ubuntu, alpine, almalinux, rocky, redhat, suse, pypi, npm, cargo, go, maven, rubygems, nuget, …
    #[arg(long = "ecosystem", value_name = "NAME")]
    pub ecosystems: Vec<String>,
    /// Base URL of the OSV exports (a mirror) [default: the public OSV bucket].
    #[arg(long, value_name = "URL")]
    pub osv_base: Option<String>,
    /// The CISA KEV catalog URL [default: CISA's feed].
    #[arg(long, value_name = "URL")]
    pub kev_url: Option<String>,
    /// The EPSS scores URL [default: FIRST's current scores].
    #[arg(long, value_name = "URL")]
    pub epss_url: Option<String>,
    /// Do not fetch the KEV catalog.
    #[arg(long)]
    pub no_kev: bool,
    /// Do not fetch EPSS scores.
    #[arg(long)]
    pub no_epss: bool,
    /// An extra feed, NAME=URL (repeatable): any format `db import` reads.
    #[arg(long = "feed", value_name = "NAME=URL")]
    pub feeds: Vec<String>,
    /// Only the --feed URLs (no OSV, KEV or EPSS defaults).
    #[arg(long)]
    pub only_feeds: bool,
    /// Allow plain HTTP to hosts other than loopback.
    #[arg(long)]
    pub insecure: bool,
    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Args, Debug)]
pub struct DbExportArgs {
    /// The bundle to write (.tar.zst).
    #[arg(value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Args, Debug)]
pub struct DbStatusArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    /// Exit 1 if the database is older than this (5d, 36h, 2w).
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub max_db_age: Option<f64>,
    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

fn parse_age(s: &str) -> Result<f64, String> {
    drydock_advisory::freshness::parse_age(s)
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
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
  drydock scan --severity critical,high --ignore-unfixed app.tar
  drydock scan --fail-on high --vex app.openvex.json app.tar     exit 1 on unsuppressed HIGH or CRITICAL
  drydock scan --policy drydock.toml --ignore-file accepted.toml app.tar   the deployment gate
  drydock scan --format oscal-poam -o poam.json app.tar
  drydock scan --format poam-xlsx -o poam.xlsx app.tar

Vulnerabilities are matched offline against the advisory database (see
`drydock db --help`); without one, the scan reports the inventory and says so.
A database older than 5 days is flagged in the report; --max-db-age makes that
an error.

Every scan is recorded in the scan history (--history, --no-history): findings keep
their id and first-seen date across rescans and rebuilt tags, and the report carries
FedRAMP remediation deadlines (see `drydock findings`, `drydock poam`, `drydock report`).
The gate (--fail-on…, --policy) exits 1 with every reason listed.

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
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// OSCAL 1.1 assessment results.
    OscalAr,
    /// OSCAL 1.1 plan of action and milestones (FedRAMP props).
    OscalPoam,
    /// The FedRAMP POA&M spreadsheet (needs -o FILE).
    PoamXlsx,
    /// The FedRAMP POA&M columns as CSV.
    PoamCsv,
    /// JUnit XML for CI dashboards.
    Junit,
    /// A self-contained HTML report.
    Html,
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

    /// What to run (comma-separated): vuln (advisory matching), config (image hardening checks), secret (secrets in layer files), fips (FIPS 140 posture).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Scanner::Vuln, Scanner::Config, Scanner::Secret, Scanner::Fips])]
    pub scanners: Vec<Scanner>,

    #[command(flatten)]
    pub vulns: VulnArgs,

    #[command(flatten)]
    pub evidence: EvidenceArgs,
}

/// The scan history and the policy gate.
#[derive(Args, Debug)]
#[command(next_help_heading = "History and policy")]
pub struct EvidenceArgs {
    #[command(flatten)]
    pub location: HistoryLocation,
    /// Don't record this scan (no first-seen dates or deadlines in the report).
    #[arg(long, conflicts_with = "history")]
    pub no_history: bool,
    /// Remediation-deadline profile: fedramp-rev5, or a [profiles.NAME] in drydock.toml [default: [history] profile, else fedramp-rev5].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Apply the [policy] of this drydock.toml [default: the [policy] of the settings file, if any].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Fail on any finding in the CISA KEV catalog.
    #[arg(long)]
    pub fail_on_kev: bool,
    /// Fail on any finding past its remediation deadline.
    #[arg(long)]
    pub fail_on_overdue: bool,
    /// Fail on any secret in any layer.
    #[arg(long)]
    pub fail_on_secrets: bool,
    /// Fail when the image runs as root.
    #[arg(long)]
    pub fail_on_root: bool,
    /// Fail unless the FIPS verdict is at least this.
    #[arg(long, value_name = "VERDICT", value_parser = ["fips-capable", "fips-enforced"])]
    pub require_fips: Option<String>,
    /// Findings the gate lets through, each with `expires` and `reason` (TOML, [[ignore]] entries).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scanner {
    /// Vulnerabilities from the advisory database.
    Vuln,
    /// Hardening checks on the image config, history and files (IMG…).
    Config,
    /// Secrets in every layer's files, including files later layers deleted (SEC…).
    Secret,
    /// FIPS 140 posture: crypto modules, their configuration, and a verdict (FIPS…).
    Fips,
}

/// Vulnerability matching and the exit-code gate.
#[derive(Args, Debug)]
#[command(next_help_heading = "Vulnerabilities")]
pub struct VulnArgs {
    /// The advisory database [default: $DRYDOCK_DB, else ~/.local/share/drydock/advisories.db].
    #[arg(long, value_name = "FILE", env = "DRYDOCK_DB")]
    pub db: Option<PathBuf>,

    /// Inventory only: do not match advisories.
    #[arg(long, conflicts_with_all = ["db", "max_db_age"])]
    pub skip_vulns: bool,

    /// Fail (exit 2) if the advisory database is older than AGE (5d, 36h, 2w) [default: `max-age` in drydock.toml]. Older than 5 days (`warn-age`) always warns.
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub max_db_age: Option<f64>,

    /// Only report these severities (comma-separated: critical,high,medium,low,unknown).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<Severity>,

    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,

    /// OpenVEX or CycloneDX VEX document (repeatable): `not_affected` and `fixed` statements suppress findings.
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,

    /// Exit with --exit-code when an unsuppressed vulnerability, hardening finding or secret is at or above SEVERITY.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,

    /// The exit code when the policy fails (--fail-on…, --policy).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub exit_code: u8,
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
