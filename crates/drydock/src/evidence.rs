//! FedRAMP evidence: the scan history (first-seen dates, deadlines,
//! deviations), the policy gate, and outputs written again from history.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use drydock_core::report::Report;
use drydock_core::tracking::{DeviationKind, FindingKind, Profile, TrackedFinding};
use drydock_history::{DeviationRequest, History, RecordOptions};
use sha2::{Digest as _, Sha256};

use crate::cli::{DeviateArgs, DeviationType, EvidenceArgs, FindingsArgs, HistoryLocation, ListFormat, ReportArgs, ScanArgs, Scanner};

/// `--history`, else drydock.toml's `[history] path`, else the user's data directory.
pub fn history_path(location: &HistoryLocation, config: &drydock_config::Config) -> PathBuf {
    location.history.clone().or_else(|| config.history.path.clone()).unwrap_or_else(|| {
        let advisories = drydock_advisory::freshness::default_db_path();
        // Beside the advisory database's default home, unless $DRYDOCK_DB moved that.
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| advisories.parent().map(Path::to_path_buf).unwrap_or_default());
        data.join("drydock").join("history.db")
    })
}

fn profile(name: Option<&str>, config: &drydock_config::Config) -> Result<Profile> {
    let name = name.or(config.history.profile.as_deref()).unwrap_or(drydock_core::tracking::FEDRAMP_REV5);
    config
        .profile(name)
        .with_context(|| format!("unknown profile `{name}`: built in is fedramp-rev5; others are [profiles.{name}] in drydock.toml"))
}

/// A checksum of every setting that changes what the scan finds: FedRAMP
/// asks for evidence that scanner settings were not altered between scans.
pub fn config_checksum(args: &ScanArgs, config: &drydock_config::Config, profile: &Profile) -> Result<String> {
    let mut vex = Vec::new();
    for path in &args.vulns.vex {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        vex.push(hex::encode(Sha256::digest(&bytes)));
    }
    let settings_file = match &config.source {
        Some(p) => Some(hex::encode(Sha256::digest(std::fs::read(p).with_context(|| format!("reading {}", p.display()))?))),
        None => None,
    };
    let settings = serde_json::json!({
        "scanners": args.scanners.iter().map(|s| format!("{s:?}").to_lowercase()).collect::<Vec<_>>(),
        "severity": args.vulns.severity.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "ignore_unfixed": args.vulns.ignore_unfixed,
        "skip_vulns": args.vulns.skip_vulns,
        "max_db_age": args.vulns.max_db_age,
        "vex": vex,
        "settings_file": settings_file,
        "profile": profile,
        "scanner_version": env!("CARGO_PKG_VERSION"),
    });
    Ok(format!("sha256:{}", hex::encode(Sha256::digest(settings.to_string().as_bytes()))))
}

/// Records the scan in the history and puts the tracking in the report.
pub fn record(report: &mut Report, args: &ScanArgs, config: &drydock_config::Config) -> Result<()> {
    let evidence = &args.evidence;
    let profile = profile(evidence.profile.as_deref(), config)?;
    if evidence.no_history {
        return Ok(());
    }
    let path = history_path(&evidence.location, config);
    let checksum = config_checksum(args, config, &profile)?;
    let mut covered = Vec::new();
    if args.scanners.contains(&Scanner::Vuln) && report.advisory_db.is_some() {
        covered.push(FindingKind::Vulnerability);
    }
    if args.scanners.contains(&Scanner::Config) {
        covered.push(FindingKind::Hardening);
    }
    if args.scanners.contains(&Scanner::Secret) {
        covered.push(FindingKind::Secret);
    }
    if args.scanners.contains(&Scanner::Fips) {
        covered.push(FindingKind::Fips);
    }
    let explicit = evidence.location.history.is_some() || config.history.path.is_some();
    let options = RecordOptions { profile: &profile, config_checksum: &checksum, now: jiff::Timestamp::now(), covered: &covered };
    let recorded = History::open(&path).and_then(|mut history| history.record(report, &options));
    match recorded {
        Ok(tracking) => report.tracking = Some(tracking),
        // The default place may be unwritable (a read-only home in CI):
        // the scan still counts, it just isn't tracked. A history the
        // user named must work.
        Err(e) if !explicit => {
            report.warnings.push(format!("scan not recorded in the history: {e} (name one with --history, or --no-history)"))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// The policy from `--policy FILE` (or the settings file's `[policy]`),
/// with the flags added on top.
pub fn policy(args: &ScanArgs, config: &drydock_config::Config) -> Result<drydock_core::policy::Policy> {
    let file_policy = match &args.evidence.policy {
        Some(path) => drydock_config::Config::load(path)?.policy,
        None => config.policy.clone(),
    };
    let e: &EvidenceArgs = &args.evidence;
    let parse_severity = |s: &str| s.parse::<drydock_core::vulnerability::Severity>().map_err(|e| anyhow::anyhow!("[policy] fail-on: {e}"));
    let mut policy = drydock_core::policy::Policy {
        fail_on: args.vulns.fail_on.or(file_policy.fail_on.as_deref().map(parse_severity).transpose()?),
        overdue: e.fail_on_overdue || file_policy.overdue.unwrap_or(false),
        kev: e.fail_on_kev || file_policy.kev.unwrap_or(false),
        secrets: e.fail_on_secrets || file_policy.secrets.unwrap_or(false),
        root: e.fail_on_root || file_policy.root.unwrap_or(false),
        max_db_age_hours: file_policy.max_db_age.as_deref().map(crate::db::age_setting).transpose()?,
        fips: None,
        ignores: Vec::new(),
    };
    let fips = e.require_fips.as_deref().or(file_policy.fips.as_deref());
    policy.fips = match fips {
        None => None,
        Some("fips-capable") => Some(drydock_core::fips::FipsVerdict::FipsCapable),
        Some("fips-enforced") => Some(drydock_core::fips::FipsVerdict::FipsEnforced),
        Some(other) => bail!("[policy] fips = \"{other}\": expected fips-capable or fips-enforced"),
    };
    for file in &e.ignore_file {
        policy.ignores.extend(drydock_config::IgnoreFile::load(file)?);
    }
    Ok(policy)
}

/// `drydock findings`.
pub fn findings(args: &FindingsArgs, config: &drydock_config::Config) -> Result<ExitCode> {
    let path = history_path(&args.location, config);
    if !path.exists() {
        bail!("no scan history at {} (scans record there; or name one with --history)", path.display());
    }
    let history = History::open(&path)?;
    let repository = args.repository.as_deref().map(drydock_history::repository_of);
    let open = history.open_findings(repository.as_deref(), jiff::Timestamp::now())?;
    match args.format {
        ListFormat::Json => crate::output::emit(None, |out| {
            serde_json::to_writer_pretty(&mut *out, &open)?;
            writeln!(out)
        })?,
        ListFormat::Table => crate::output::emit(None, |out| write_findings(&open, out))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_findings(open: &[TrackedFinding], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if open.is_empty() {
        return writeln!(out, "No open findings.");
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec!["id", "severity", "finding", "subject", "repository", "first seen", "due", "days left", "deviation"]);
    for f in open {
        let days = match (f.days_left, f.overdue) {
            (Some(d), true) => format!("OVERDUE {}", -d),
            (Some(d), false) => d.to_string(),
            (None, _) => "-".into(),
        };
        let severity = match f.adjusted_severity {
            Some(adj) if adj != f.severity => format!("{} -> {}", f.severity, adj),
            _ => f.severity.to_string(),
        };
        t.add_row(vec![
            f.id.clone(),
            severity,
            f.rule.clone(),
            f.subject.clone(),
            f.repository.clone(),
            f.first_seen.get(..10).unwrap_or(&f.first_seen).to_owned(),
            f.due.clone().unwrap_or_else(|| "-".into()),
            days,
            f.deviation.as_ref().map(|d| d.kind.to_string()).unwrap_or_default(),
        ]);
    }
    let overdue = open.iter().filter(|f| f.overdue).count();
    writeln!(out, "{t}\n{} open, {overdue} overdue", open.len())
}

/// `drydock poam deviate`.
pub fn deviate(args: &DeviateArgs, config: &drydock_config::Config, quiet: bool) -> Result<ExitCode> {
    let path = history_path(&args.location, config);
    if !path.exists() {
        bail!("no scan history at {}", path.display());
    }
    let mut history = History::open(&path)?;
    let kind = match args.kind {
        DeviationType::FalsePositive => DeviationKind::FalsePositive,
        DeviationType::RiskAdjustment => DeviationKind::RiskAdjustment,
        DeviationType::OperationalRequirement => DeviationKind::OperationalRequirement,
        DeviationType::VendorDependency => DeviationKind::VendorDependency,
    };
    let recorded_by = args
        .by
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .context("who records this? pass --by NAME")?;
    let request = DeviationRequest {
        kind,
        rationale: args.rationale.clone(),
        adjusted_severity: args.adjusted_severity,
        expires: args.expires,
        recorded_by,
    };
    let deviation = history.deviate(&args.id, &request, jiff::Timestamp::now())?;
    if !quiet {
        println!("recorded {} ({}) for {}", deviation.id, deviation.kind, args.id);
    }
    Ok(ExitCode::SUCCESS)
}

/// `drydock report`.
pub fn report(args: &ReportArgs, config: &drydock_config::Config, quiet: bool) -> Result<ExitCode> {
    let path = history_path(&args.location, config);
    if !path.exists() {
        bail!("no scan history at {}", path.display());
    }
    let history = History::open(&path)?;
    let now = jiff::Timestamp::now();
    let format = args.format.map(crate::scan::report_format).unwrap_or(drydock_report::Format::Table);
    let one = |scan_id: i64| -> Result<Report> {
        let mut report = history.report(scan_id)?;
        report.tracking = Some(history.tracking_for_scan_as_of(scan_id, now)?);
        Ok(report)
    };
    if let (Some(from), Some(to)) = (args.from, args.to) {
        let summary = history.period(from, to, now)?;
        if args.format.is_none() {
            crate::output::emit(args.output.as_deref(), |out| write_period(&summary, out))?;
            return Ok(ExitCode::SUCCESS);
        }
        let dir = args.output.as_deref().context("a period's reports go to a directory: pass -o DIR")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let scans = history.scans(Some(start_of(from)?), Some(start_of(to.tomorrow()?)?))?;
        let mut latest: std::collections::BTreeMap<&str, &drydock_core::tracking::ScanRecord> = Default::default();
        for s in &scans {
            latest.insert(&s.repository, s);
        }
        for (repository, scan) in latest {
            let file = dir.join(format!("{}.{}", file_stem(repository), extension(format)));
            crate::scan::emit_report(&one(scan.id)?, format, Some(&file), true)?;
            if !quiet {
                eprintln!("wrote {} (scan {} of {repository})", file.display(), scan.id);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let scan_id = match (args.scan, &args.latest) {
        (Some(id), _) => id,
        (None, Some(repo)) => {
            let repo = drydock_history::repository_of(repo);
            let scans = history.scans(None, None)?;
            scans
                .iter()
                .rev()
                .find(|s| s.repository == repo)
                .map(|s| s.id)
                .with_context(|| format!("no scan of {repo} in {}", path.display()))?
        }
        (None, None) => bail!("say which scan: --scan ID, --latest REPO, or a period with --from/--to"),
    };
    crate::scan::emit_report(&one(scan_id)?, format, args.output.as_deref(), quiet)?;
    Ok(ExitCode::SUCCESS)
}

fn start_of(day: jiff::civil::Date) -> Result<jiff::Timestamp> {
    Ok(day.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp())
}

fn file_stem(repository: &str) -> String {
    repository.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect()
}

fn extension(format: drydock_report::Format) -> &'static str {
    use drydock_report::Format::*;
    match format {
        Table | PackagesTable => "txt",
        PoamXlsx => "xlsx",
        PoamCsv => "csv",
        Junit => "xml",
        Html => "html",
        Sarif => "sarif",
        _ => "json",
    }
}

fn write_period(s: &drydock_core::tracking::PeriodSummary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "Continuous monitoring {} to {} (as of {})", s.from, s.to, s.as_of)?;
    writeln!(out, "  scans: {}   images: {}", s.scans, s.images.len())?;
    writeln!(
        out,
        "  findings opened: {}   reopened: {}   closed: {}   deviations recorded: {}",
        s.opened, s.reopened, s.closed, s.deviations
    )?;
    writeln!(out, "  open: {}   overdue: {}", s.open, s.overdue)?;
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec!["repository", "last reference", "scans", "digests", "first scanned", "last scanned"]);
    for i in &s.images {
        t.add_row(vec![
            i.repository.clone(),
            i.last_reference.clone(),
            i.scans.to_string(),
            i.manifest_digests.len().to_string(),
            i.first_scanned_at.clone(),
            i.last_scanned_at.clone(),
        ]);
    }
    writeln!(out, "{t}")
}
