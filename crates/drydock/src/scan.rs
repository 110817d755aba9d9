//! `drydock scan`: open, walk, report.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use drydock_image::{OpenOptions, Platform, Target, registry::Credentials};
use drydock_report::{Format, Style};
use drydock_scan::{Limits, Progress, ScanOptions};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{ImageArgs, OutputFormat, ScanArgs};

pub fn run(args: &ScanArgs, quiet: bool) -> Result<ExitCode> {
    let report = scan_image(&args.image, quiet)?;
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Cyclonedx => Format::CycloneDx,
        OutputFormat::Spdx => Format::Spdx,
    };
    emit_report(&report, format, args.output.as_deref(), quiet)?;
    Ok(ExitCode::SUCCESS)
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
pub fn scan_image(args: &ImageArgs, quiet: bool) -> Result<drydock_core::report::Report> {
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
    Ok(drydock_scan::report::build(&image, &result, env!("CARGO_PKG_VERSION")))
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(120))
}
