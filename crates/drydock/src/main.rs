//! The `drydock` binary: parses arguments, calls the libraries, maps the
//! outcome to an exit code (0 ok, 1 policy failed, 2 error). Nothing else
//! lives here.

mod cli;
mod db;
mod evidence;
mod lint;
mod output;
mod sbom;
mod scan;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.quiet, cli.verbose);
    let outcome = settings(&cli).and_then(|config| match &cli.command {
        cli::Command::Scan(args) => scan::run(args, &config, cli.quiet),
        cli::Command::Sbom(args) => sbom::run(args, cli.quiet),
        cli::Command::Db(command) => db::run(command, &config, cli.quiet),
        cli::Command::Lint(args) => lint::run(args, cli.config.as_deref(), &config, cli.quiet),
        cli::Command::Rules(args) => lint::rules(args),
        cli::Command::Explain(args) => lint::explain(args),
        cli::Command::Findings(args) => evidence::findings(args, &config),
        cli::Command::Poam(cli::PoamCommand::Deviate(args)) => evidence::deviate(args, &config, cli.quiet),
        cli::Command::Report(args) => evidence::report(args, &config, cli.quiet),
    });
    match outcome {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`drydock scan … | head`) is not a failure.
            if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// drydock.toml: `--config`, else the nearest one from the working directory up.
fn settings(cli: &cli::Cli) -> anyhow::Result<drydock_config::Config> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let config = drydock_config::Config::find(cli.config.as_deref(), &cwd)?;
    if let Some(path) = &config.source {
        tracing::info!("settings from {}", path.display());
    }
    Ok(config)
}

fn init_logging(quiet: bool, verbose: u8) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DRYDOCK_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).without_time().init();
}
