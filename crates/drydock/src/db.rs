//! `drydock db …`: import, update, export, status.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use drydock_advisory::ecosystem::Family;
use drydock_advisory::import::SourceOutcome;
use drydock_advisory::update::{DEFAULT_FAMILIES, Feed, FeedResult, UpdateOptions, default_feeds, families_in};
use drydock_advisory::{Store, StoreError, default_db_path};
use indicatif::{ProgressBar, ProgressStyle};

use drydock_config::Config;

use crate::cli::{DbCommand, DbExportArgs, DbImportArgs, DbStatusArgs, DbUpdateArgs, StatusFormat};

/// Reads an age from drydock.toml, naming the file on error.
pub fn age_setting(s: &str) -> Result<f64> {
    drydock_advisory::freshness::parse_age(s).map_err(|e| anyhow::anyhow!("drydock.toml [db]: {e}"))
}

/// `warn-age` from drydock.toml, else 5 days.
pub fn warn_age(config: &Config) -> Result<f64> {
    match config.db.warn_age.as_deref() {
        Some(s) => age_setting(s),
        None => Ok(drydock_advisory::freshness::DEFAULT_MAX_AGE_HOURS),
    }
}

pub fn run(command: &DbCommand, config: &Config, quiet: bool) -> Result<ExitCode> {
    match command {
        DbCommand::Import(args) => import(args, config, quiet),
        DbCommand::Update(args) => update(args, config, quiet),
        DbCommand::Export(args) => export(args, config, quiet),
        DbCommand::Status(args) => status(args, config),
    }
}

/// `--db` or `$DRYDOCK_DB`, else drydock.toml's `[db] path`, else the default.
pub fn db_path(flag: Option<&PathBuf>, config: &Config) -> PathBuf {
    flag.cloned().or_else(|| config.db.path.clone()).unwrap_or_else(default_db_path)
}

fn import(args: &DbImportArgs, config: &Config, quiet: bool) -> Result<ExitCode> {
    let db = db_path(args.location.db.as_ref(), config);
    let spinner = spinner(quiet, "importing");
    let options = drydock_advisory::ImportOptions { name: args.name.clone(), fetched_at: args.fetched_at.clone() };
    let started = std::time::Instant::now();
    let outcomes = drydock_advisory::import(&db, &args.paths, &options);
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let outcomes = outcomes?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        for o in &outcomes {
            print_outcome(o);
        }
        let stored: u64 = outcomes.iter().map(|o| o.info.records()).sum();
        // A bundle reports what it carried; feeds count what was read.
        let read: u64 = outcomes.iter().map(|o| if o.records_read > 0 { o.records_read } else { o.info.records() }).sum();
        eprintln!(
            "{read} records read, {stored} stored, in {secs:.2} s ({:.0} records/s) -> {}",
            read as f64 / secs.max(1e-9),
            db.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_outcome(o: &SourceOutcome) {
    let i = &o.info;
    let mut parts = Vec::new();
    for (n, what) in [(i.advisories, "advisories"), (i.kev, "KEV entries"), (i.epss, "EPSS scores"), (i.cve_scores, "CVSS scores")] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if i.dropped > 0 {
        parts.push(format!("{} dropped (withdrawn or not security)", i.dropped));
    }
    if i.malformed > 0 {
        parts.push(format!("{} malformed", i.malformed));
    }
    eprintln!("{}: {} [{}] from {} file(s)", i.name, parts.join(", "), i.kind, o.files.max(1));
    const SHOW: usize = 10;
    for m in o.unreadable.iter().take(SHOW) {
        eprintln!("  ! unreadable {}: {}", m.file, m.reason);
    }
    for m in o.malformed.iter().take(SHOW) {
        eprintln!("  ! malformed {} ({}): {}", m.file, m.record, m.reason);
    }
    let hidden = o.malformed.len().saturating_sub(SHOW) + o.unreadable.len().saturating_sub(SHOW);
    if hidden > 0 {
        eprintln!("  ! … and {hidden} more");
    }
    if !o.unrecognised.is_empty() {
        eprintln!("  {} file(s) skipped as not advisory data (e.g. {})", o.unrecognised.len(), o.unrecognised[0]);
    }
}

fn update(args: &DbUpdateArgs, config: &Config, quiet: bool) -> Result<ExitCode> {
    let db = db_path(args.location.db.as_ref(), config);
    let c = &config.db;
    let mut feeds: Vec<Feed> = Vec::new();
    if !args.only_feeds {
        let named = if args.ecosystems.is_empty() { c.ecosystems.clone().unwrap_or_default() } else { args.ecosystems.clone() };
        let families: Vec<Family> = if !named.is_empty() {
            named
                .iter()
                .map(|e| {
                    Family::parse(e).ok_or_else(|| {
                        let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
                        anyhow::anyhow!("unknown ecosystem `{e}` (known: {})", known.join(", "))
                    })
                })
                .collect::<Result<_>>()?
        } else {
            match Store::open(&db) {
                Ok(store) => {
                    let f = families_in(&store)?;
                    if f.is_empty() { DEFAULT_FAMILIES.to_vec() } else { f }
                }
                Err(StoreError::Missing(_)) => DEFAULT_FAMILIES.to_vec(),
                Err(e) => return Err(e.into()),
            }
        };
        let pick = |flag: &Option<String>, file: &Option<String>, default: &str| {
            flag.clone().or_else(|| file.clone()).unwrap_or_else(|| default.to_owned())
        };
        let osv_base = pick(&args.osv_base, &c.osv_base, drydock_advisory::update::OSV_BASE);
        let kev_url = pick(&args.kev_url, &c.kev_url, drydock_advisory::update::KEV_URL);
        let epss_url = pick(&args.epss_url, &c.epss_url, drydock_advisory::update::EPSS_URL);
        let kev = (!args.no_kev && c.kev).then_some(kev_url.as_str());
        let epss = (!args.no_epss && c.epss).then_some(epss_url.as_str());
        feeds = default_feeds(&families, &osv_base, kev, epss);
    }
    feeds.extend(c.feeds.iter().map(|f| Feed { name: f.name.clone(), url: f.url.clone() }));
    for f in &args.feeds {
        let Some((name, url)) = f.split_once('=') else { bail!("--feed `{f}`: expected NAME=URL") };
        feeds.push(Feed { name: name.trim().to_owned(), url: url.trim().to_owned() });
    }
    if feeds.is_empty() {
        bail!("nothing to update: --only-feeds needs at least one --feed NAME=URL");
    }
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} {bytes}/{total_bytes} [{elapsed}]").expect("static template"));
        bar
    });
    let on_progress = |name: &str, bytes: u64, total: Option<u64>| {
        if let Some(bar) = &bar {
            bar.set_message(name.to_owned());
            bar.set_length(total.unwrap_or(bytes));
            bar.set_position(bytes);
        }
    };
    let options = UpdateOptions { insecure: args.insecure, ..UpdateOptions::default() };
    let result = drydock_advisory::update::update(&db, &feeds, &options, Some(&on_progress));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let results = result?;
    if !quiet {
        for r in &results {
            match r {
                FeedResult::Updated(o) => print_outcome(o),
                FeedResult::NotModified(info) => {
                    eprintln!("{}: not modified since the last fetch ({} records kept)", info.name, info.records())
                }
            }
        }
        eprintln!("advisory database updated: {}", db.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn export(args: &DbExportArgs, config: &Config, quiet: bool) -> Result<ExitCode> {
    let db = db_path(args.location.db.as_ref(), config);
    let summary = drydock_advisory::bundle::export(&db, &args.output)?;
    if !quiet {
        let records: u64 = summary.manifest.parts.iter().map(|p| p.records).sum();
        eprintln!(
            "wrote {} ({} bytes, {} sources, {} parts, {records} records)",
            summary.path.display(),
            summary.bytes,
            summary.manifest.sources.len(),
            summary.manifest.parts.len()
        );
    }
    // The digest goes to stdout so a transfer record can capture it.
    println!("sha256:{}  {}", summary.sha256, summary.path.display());
    Ok(ExitCode::SUCCESS)
}

fn status(args: &DbStatusArgs, config: &Config) -> Result<ExitCode> {
    let db = db_path(args.location.db.as_ref(), config);
    let store = Store::open(&db)?;
    let max_age = match args.max_db_age {
        Some(h) => Some(h),
        None => config.db.max_age.as_deref().map(age_setting).transpose()?,
    };
    let warn = match max_age {
        Some(h) => h,
        None => warn_age(config)?,
    };
    let info = drydock_advisory::db_info(&store, warn, jiff::Timestamp::now())?;
    let sources = store.sources()?;
    let families = store.family_counts()?;
    match args.format {
        StatusFormat::Json => {
            let doc = serde_json::json!({ "database": info, "sources": sources, "advisories_by_ecosystem": families });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        StatusFormat::Table => {
            println!("{}", db.display());
            println!(
                "built {}; oldest source fetched {} ({:.1} days ago){}",
                info.built_at,
                info.oldest_source_at.as_deref().unwrap_or("-"),
                info.age_hours / 24.0,
                if info.stale { format!("  ! STALE (older than {:.1} days)", warn / 24.0) } else { String::new() }
            );
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.set_header(vec!["source", "kind", "records", "dropped", "malformed", "fetched", "published", "from"]);
            for s in &sources {
                t.add_row(vec![
                    s.name.clone(),
                    s.kind.clone(),
                    s.records().to_string(),
                    s.dropped.to_string(),
                    s.malformed.to_string(),
                    s.fetched_at.clone(),
                    s.feed_date.clone().unwrap_or_else(|| "-".into()),
                    s.location.clone(),
                ]);
            }
            println!("{t}");
            let by: Vec<String> = families.iter().map(|(f, n)| format!("{f} {n}")).collect();
            println!("advisories by ecosystem: {}", by.join(", "));
        }
    }
    if max_age.is_some() && info.stale {
        eprintln!("error: the advisory database is older than --max-db-age");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn spinner(quiet: bool, msg: &'static str) -> Option<ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let s = ProgressBar::new_spinner();
        s.set_message(msg);
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    })
}
