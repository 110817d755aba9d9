//! IMG012 `secrets-in-config`: secrets in the image config (`Env`,
//! labels) or in build history lines (build args leak there).
//!
//! ## What it checks
//! Every `Env` entry and label as `KEY=value`, and every history
//! `created_by` line, through the secret rules (`drydock-secrets`): known
//! token shapes anywhere, and secret-named keys with real-looking values.
//! Values are reported redacted, never in full.
//! ## Why it matters
//! Anyone who can pull the image reads its config and history
//! (`docker inspect`, `docker history`); a token there is published. CIS
//! Docker 4.10; hardening guide stage 2.6; NIST 800-53 IA-5, SC-28.
//! ## Fix
//! Pass build-time secrets with `RUN --mount=type=secret`, runtime secrets
//! from the orchestrator (files or a secret store), and rotate what leaked.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, history_evidence};
use crate::analyzers::secrets::scanner;

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG012",
    name: "secrets-in-config",
    severity: Severity::High,
    title: "Secrets in the image config or build history",
    remediation: "Use `RUN --mount=type=secret` for build secrets and the orchestrator's secrets at run time; rotate the exposed credential.",
    controls: &["IA-5", "SC-28"],
    references: &["CIS Docker 4.10", "hardening guide stage 2.6"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(scanner) = scanner() else { return Vec::new() };
    let config = &cx.report.image.config;
    let mut evidence = Vec::new();
    for (i, env) in config.env.iter().enumerate() {
        let (key, value) = env.split_once('=').unwrap_or((env, ""));
        for m in scanner.scan_key_value(key, value, "config.Env") {
            evidence.push(Evidence {
                location: format!("config.Env[{i}]"),
                detail: format!("{key}: {} ({})", m.redacted, m.title),
                ..Evidence::default()
            });
        }
    }
    for (key, value) in &config.labels {
        for m in scanner.scan_key_value(key, value, "config.Labels") {
            evidence.push(Evidence {
                location: format!("config.Labels[{key}]"),
                detail: format!("{} ({})", m.redacted, m.title),
                ..Evidence::default()
            });
        }
    }
    for (i, h) in cx.report.history.iter().enumerate() {
        let Some(line) = h.created_by.as_deref() else { continue };
        for m in scanner.scan_text("history", line) {
            evidence.push(history_evidence(cx.report, i, format!("{} ({})", m.redacted, m.title)));
        }
    }
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}

/// Replaces secrets in the report's copy of the config and history with
/// their redacted form, so no output format prints them: an `Env` or label
/// value becomes `<redacted …>`; in a history line, the secret (up to the
/// next space) is replaced.
pub fn redact(report: &mut drydock_core::report::Report) {
    let Some(scanner) = scanner() else { return };
    let config = &mut report.image.config;
    for env in config.env.iter_mut() {
        let (key, value) = env.split_once('=').unwrap_or((env.as_str(), ""));
        if let Some(m) = scanner.scan_key_value(key, value, "config.Env").first() {
            *env = format!("{key}=<redacted {}>", m.redacted);
        }
    }
    for (key, value) in config.labels.iter_mut() {
        if let Some(m) = scanner.scan_key_value(key, value, "config.Labels").first() {
            *value = format!("<redacted {}>", m.redacted);
        }
    }
    // Build steps are copied into many places (history, layers, every
    // package's and finding's origin): redact each distinct line once and
    // replace it everywhere.
    let mut replaced: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let originals: Vec<String> = report
        .history
        .iter()
        .filter_map(|h| h.created_by.clone())
        .chain(report.layers.iter().filter_map(|l| l.created_by.clone()))
        .collect();
    for line in originals {
        if replaced.contains_key(&line) {
            continue;
        }
        let mut matches = scanner.scan_text("history", &line);
        if matches.is_empty() {
            continue;
        }
        // Replace from the end so earlier columns stay valid.
        matches.sort_by_key(|m| std::cmp::Reverse((m.line, m.column)));
        let mut redacted = line.clone();
        for m in matches {
            let chars: Vec<char> = redacted.chars().collect();
            let start = m.column.saturating_sub(1).min(chars.len());
            let end = chars[start..].iter().position(|c| c.is_whitespace()).map(|p| start + p).unwrap_or(chars.len());
            redacted = format!(
                "{}<redacted {}>{}",
                chars[..start].iter().collect::<String>(),
                m.redacted,
                chars[end..].iter().collect::<String>()
            );
        }
        replaced.insert(line, redacted);
    }
    if replaced.is_empty() {
        return;
    }
    let fix = |s: &mut Option<String>| {
        if let Some(new) = s.as_ref().and_then(|v| replaced.get(v)) {
            *s = Some(new.clone());
        }
    };
    report.history.iter_mut().for_each(|h| fix(&mut h.created_by));
    report.layers.iter_mut().for_each(|l| fix(&mut l.created_by));
    report.packages.iter_mut().for_each(|p| fix(&mut p.origin.created_by));
    report.vulnerabilities.iter_mut().for_each(|f| fix(&mut f.origin.created_by));
    report.hardening.iter_mut().flat_map(|f| f.evidence.iter_mut()).for_each(|e| fix(&mut e.created_by));
    if let Some(os) = report.os.as_mut() {
        fix(&mut os.origin.created_by);
    }
}
