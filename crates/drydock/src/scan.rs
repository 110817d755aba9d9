//! `drydock scan`: open, walk, report.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use drydock_image::{OpenOptions, Platform, Target, registry::Credentials};
use drydock_report::{Format, Style};
use drydock_scan::{Limits, Progress, ScanOptions};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{OutputFormat, ScanArgs};

pub fn run(args: &ScanArgs, quiet: bool) -> Result<ExitCode> {
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
    let scan_options = ScanOptions {
        limits: Limits { max_inflated_bytes: args.max_inflated_size, max_entries: args.max_entries, max_file_bytes: args.max_file_size },
        progress: Some(&on_progress),
        ..ScanOptions::default()
    };
    let result = drydock_scan::scan(&image, &scan_options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let result = result?;
    let report = drydock_scan::report::build(&image, &result, env!("CARGO_PKG_VERSION"));
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    // The table lists warnings itself; otherwise say them on stderr, where a
    // person watching a JSON run or a file write will see them.
    let table_on_stdout = matches!(format, Format::Table) && args.output.is_none();
    if !quiet && !table_on_stdout {
        for w in &report.warnings {
            tracing::warn!("{w}");
        }
    }
    let style = Style { width: to_terminal.then(terminal_width).flatten() };
    crate::output::emit(args.output.as_deref(), |out| drydock_report::write(&report, format, style, out))?;
    Ok(ExitCode::SUCCESS)
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(120))
}
