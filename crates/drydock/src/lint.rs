//! `drydock lint`, `drydock rules`, `drydock explain`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use drydock_config::Config;
use drydock_lint::output::{self, Format};
use drydock_lint::rules::{HADOLINT_CODES, RULES};
use drydock_lint::{FileResult, Level, Settings};

use crate::cli::{ExplainArgs, LintArgs, LintFormat, RulesArgs, RulesFormat};

pub fn run(args: &LintArgs, explicit_config: Option<&Path>, cwd_config: &Config, quiet: bool) -> Result<ExitCode> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    // drydock.toml: --config, else the nearest one upward from the first Dockerfile.
    let config = match explicit_config {
        Some(_) => cwd_config.clone(),
        None => {
            let first = &paths[0];
            let start = if first.as_os_str() == "-" || first.is_dir() {
                first.clone()
            } else {
                first.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            let start = if start.as_os_str().is_empty() || start.as_os_str() == "-" { PathBuf::from(".") } else { start };
            Config::find(None, &start)?
        }
    };
    let mut settings = Settings::from_config(&config.lint).map_err(|e| anyhow::anyhow!("{}: {e}", config_name(&config)))?;
    settings.approved_registries.extend(args.approved_registries.iter().cloned());
    for code in &args.ignore {
        if !RULES.iter().any(|(m, _)| m.code.eq_ignore_ascii_case(code)) {
            bail!("--ignore {code}: no such rule (see `drydock rules`)");
        }
        settings.disabled.push(code.to_ascii_uppercase());
    }
    let threshold = match args.failure_threshold.as_deref().or(config.lint.failure_threshold.as_deref()) {
        // Info and style findings (no HEALTHCHECK, a top-level `cd`) are advice: they do not fail by default.
        None => Some(Level::Warning),
        Some(t) if t.eq_ignore_ascii_case("none") => None,
        Some(t) => Some(Level::parse(t).with_context(|| format!("failure threshold `{t}`: use error, warning, info, style or none"))?),
    };

    let mut results: Vec<FileResult> = Vec::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading a Dockerfile from stdin")?;
            results.push(drydock_lint::lint_source("-", &text, &settings, None));
        } else if path.is_dir() {
            let found = drydock_lint::files::discover(path)?;
            if found.is_empty() && !quiet {
                eprintln!("warning: no Dockerfiles under {}", path.display());
            }
            for f in found {
                results.push(drydock_lint::files::lint_file(&f, &settings)?);
            }
        } else {
            results.push(drydock_lint::files::lint_file(path, &settings)?);
        }
    }
    let format = match args.format {
        LintFormat::Table => Format::Table,
        LintFormat::Json => Format::Json,
        LintFormat::Sarif => Format::Sarif,
        LintFormat::Checkstyle => Format::Checkstyle,
        LintFormat::Junit => Format::Junit,
    };
    let color = args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    crate::output::emit(args.output.as_deref(), |out| output::write(&results, format, color, out))?;
    let failing = threshold.is_some_and(|t| results.iter().flat_map(|r| &r.diagnostics).any(|d| d.level >= t));
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn config_name(config: &Config) -> String {
    config.source.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "drydock.toml".into())
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    match args.format {
        RulesFormat::Markdown => print!("{}", output::markdown::rules_page()),
        RulesFormat::Json => {
            let list: Vec<_> = RULES
                .iter()
                .map(|(m, _)| {
                    let hadolint: Vec<&str> = HADOLINT_CODES.iter().filter(|(_, df)| *df == m.code).map(|(dl, _)| *dl).collect();
                    serde_json::json!({ "code": m.code, "name": m.name, "level": m.level.as_str(), "summary": m.summary, "hadolint": hadolint, "doc": m.doc })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        RulesFormat::Table => {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.set_header(vec!["code", "name", "level", "summary"]);
            for (m, _) in RULES {
                t.add_row(vec![m.code, m.name, m.level.as_str(), m.summary]);
            }
            println!("{t}\n{} rules. `drydock explain CODE` shows one in full.", RULES.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let wanted = args.rule.trim();
    let code = HADOLINT_CODES.iter().find(|(dl, _)| dl.eq_ignore_ascii_case(wanted)).map(|(_, df)| *df).unwrap_or(wanted);
    let Some((m, _)) = RULES.iter().find(|(m, _)| m.code.eq_ignore_ascii_case(code) || m.name.eq_ignore_ascii_case(code)) else {
        bail!("no rule `{wanted}` (see `drydock rules`)");
    };
    println!("{} {} ({})\n{}\n", m.code, m.name, m.level.as_str(), m.summary);
    for line in m.doc.lines() {
        println!("{}", line.strip_prefix(' ').unwrap_or(line));
    }
    Ok(ExitCode::SUCCESS)
}
