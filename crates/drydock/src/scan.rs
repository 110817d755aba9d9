//! `drydock scan`: open, walk, report.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use drydock_image::{OpenOptions, Platform, Target, registry::Credentials};
use drydock_report::{Format, Style};
use drydock_scan::{Limits, Progress, ScanOptions};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{ImageArgs, OutputFormat, ScanArgs, Scanner, VulnArgs};

pub fn run(args: &ScanArgs, config: &drydock_config::Config, quiet: bool) -> Result<ExitCode> {
    // Settings, VEX documents and ignore files are read before the image so a typo fails fast.
    if matches!(args.format, OutputFormat::PoamXlsx) && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!("--format poam-xlsx writes a spreadsheet: pass -o FILE (or redirect stdout)");
    }
    let policy = crate::evidence::policy(args, config)?;
    let mut statements = Vec::new();
    for path in &args.vulns.vex {
        statements.extend(drydock_advisory::vex::load(path)?);
    }
    let allow = &config.secrets.allow;
    if args.scanners.contains(&Scanner::Secret) && (!allow.paths.is_empty() || !allow.rules.is_empty() || !allow.fingerprints.is_empty()) {
        let allowlist = drydock_secrets::Allowlist {
            paths: allow.paths.clone(),
            rule_ids: allow.rules.clone(),
            fingerprints: allow.fingerprints.clone(),
        };
        let origin = config.source.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "drydock.toml".into());
        drydock_scan::analyzers::secrets::configure(allowlist).map_err(|e| anyhow::anyhow!("{origin}: [secrets.allow]: {e}"))?;
    }
    let (mut report, scanned) = scan_image(&args.image, &args.scanners, quiet)?;
    if args.scanners.contains(&Scanner::Secret) {
        report.secrets = drydock_scan::checks::secrets(&report, &scanned);
    }
    if args.scanners.contains(&Scanner::Vuln) {
        assess(&mut report, &args.vulns, config, &statements)?;
    }
    if args.scanners.contains(&Scanner::Fips) {
        report.fips = Some(drydock_scan::fips::assess(&report, &scanned));
    }
    if args.scanners.contains(&Scanner::Config) {
        let (findings, minimality) = drydock_scan::checks::run(&report, Some(&scanned), jiff::Timestamp::now());
        report.hardening = findings;
        report.minimality = minimality;
        // The report echoes the config and history: secrets found there are printed redacted.
        drydock_scan::checks::secrets_in_config::redact(&mut report);
    }
    if report.fips.is_some() {
        report.hardening.extend(drydock_scan::checks::fips(&report));
        report.hardening.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule_id.cmp(&b.rule_id)));
    }
    crate::evidence::record(&mut report, args, config)?;
    emit_report(&report, report_format(args.format), args.output.as_deref(), quiet)?;
    let outcome = drydock_core::policy::evaluate(&report, &policy, &jiff::Zoned::now().date().to_string());
    if !quiet {
        for note in &outcome.notes {
            eprintln!("note: {note}");
        }
    }
    if !outcome.passed() {
        if !quiet {
            eprintln!("policy failed:");
            for r in &outcome.reasons {
                eprintln!("  - {r}");
            }
        }
        return Ok(ExitCode::from(args.vulns.exit_code));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn report_format(format: OutputFormat) -> Format {
    match format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Cyclonedx => Format::CycloneDx,
        OutputFormat::Spdx => Format::Spdx,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::OscalAr => Format::OscalAr,
        OutputFormat::OscalPoam => Format::OscalPoam,
        OutputFormat::PoamXlsx => Format::PoamXlsx,
        OutputFormat::PoamCsv => Format::PoamCsv,
        OutputFormat::Junit => Format::Junit,
        OutputFormat::Html => Format::Html,
    }
}

/// Matches the inventory against the advisory database, when there is one.
/// An explicit `--db` that is missing is an error; a missing default
/// database is a warning, and the report says vulnerabilities were not
/// checked.
fn assess(
    report: &mut drydock_core::report::Report,
    args: &VulnArgs,
    config: &drydock_config::Config,
    vex: &[drydock_advisory::vex::Statement],
) -> Result<()> {
    if args.skip_vulns {
        return Ok(());
    }
    let explicit = args.db.is_some() || config.db.path.is_some();
    let path = crate::db::db_path(args.db.as_ref(), config);
    let max_db_age = match args.max_db_age {
        Some(h) => Some(h),
        None => config.db.max_age.as_deref().map(crate::db::age_setting).transpose()?,
    };
    let store = match drydock_advisory::Store::open(&path) {
        Ok(store) => store,
        Err(drydock_advisory::StoreError::Missing(p)) if !explicit && max_db_age.is_none() => {
            report.warnings.push(format!(
                "vulnerabilities were not checked: no advisory database at {} (run `drydock db update`, or `drydock db import` a bundle)",
                p.display()
            ));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let now = jiff::Timestamp::now();
    if let Some(max) = max_db_age {
        let info = drydock_advisory::db_info(&store, max, now)?;
        if info.stale {
            bail!(
                "the advisory database {} is {:.1} days old, more than --max-db-age {:.1} days (run `drydock db update`)",
                path.display(),
                info.age_hours / 24.0,
                max / 24.0
            );
        }
    }
    let options = drydock_advisory::AssessOptions {
        warn_age_hours: crate::db::warn_age(config)?,
        vex,
        severities: &args.severity,
        ignore_unfixed: args.ignore_unfixed,
        now,
    };
    drydock_advisory::assess(report, &store, &options)?;
    Ok(())
}

/// Writes `report` as `format`, to `output` or stdout; warnings go to
/// stderr unless the table (which lists them) goes to the terminal.
pub fn emit_report(report: &drydock_core::report::Report, format: Format, output: Option<&std::path::Path>, quiet: bool) -> Result<()> {
    let table_on_stdout = matches!(format, Format::Table) && output.is_none();
    if !quiet && !table_on_stdout {
        for w in &report.warnings {
            tracing::warn!("{w}");
        }
    }
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let style = Style { width: to_terminal.then(terminal_width).flatten() };
    crate::output::emit(output, |out| drydock_report::write(report, format, style, out))
}

/// Opens the image, walks it once with every analyzer, builds the report.
/// The report, and the scan it was built from (the merged file tree is
/// what the hardening checks read).
pub fn scan_image(args: &ImageArgs, scanners: &[Scanner], quiet: bool) -> Result<(drydock_core::report::Report, drydock_scan::ScanResult)> {
    let target: Target = args.target.parse()?;
    let mut options = OpenOptions { insecure: args.insecure, ..OpenOptions::default() };
    if let Some(p) = &args.platform {
        options.platform = p.parse::<Platform>().map_err(anyhow::Error::msg)?;
        options.platform_explicit = true;
    }
    if let Some(username) = &args.username {
        let mut password = String::new();
        std::io::stdin().read_to_string(&mut password).context("reading the password from stdin")?;
        let password = password.trim_end_matches(['\n', '\r']).to_owned();
        if password.is_empty() {
            bail!("--password-stdin: standard input was empty");
        }
        options.credentials = Some(Credentials { username: username.clone(), password });
    }

    tracing::info!(%target, "opening image");
    let image = drydock_image::open(&target, &options)?;

    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(image.layers.len() as u64);
        bar.set_style(ProgressStyle::with_template("{spinner} reading layers {pos}/{len} [{elapsed}] {msg}").expect("static template"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let on_progress = |p: Progress| {
        if let (Some(bar), Progress::LayerDone { .. }) = (&bar, p) {
            bar.inc(1);
        }
    };
    let mut analyzers: Vec<&dyn drydock_scan::Analyzer> = drydock_scan::analyzers::ALL.to_vec();
    if scanners.contains(&Scanner::Secret) {
        analyzers.push(&drydock_scan::analyzers::secrets::SecretsAnalyzer);
    }
    if scanners.contains(&Scanner::Fips) {
        analyzers.push(&drydock_scan::analyzers::fips::FipsAnalyzer);
    }
    let scan_options = ScanOptions {
        analyzers: &analyzers,
        limits: Limits { max_inflated_bytes: args.max_inflated_size, max_entries: args.max_entries, max_file_bytes: args.max_file_size },
        progress: Some(&on_progress),
    };
    let result = drydock_scan::scan(&image, &scan_options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let result = result?;
    let report = drydock_scan::report::build(&image, &result, env!("CARGO_PKG_VERSION"));
    Ok((report, result))
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(120))
}
