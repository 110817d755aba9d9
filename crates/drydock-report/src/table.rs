//! A human summary for the terminal: image, config, layers, filesystem.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use drydock_core::report::Report;
use drydock_core::vulnerability::{Finding, Severity};

use crate::Style;

/// Human-readable byte counts (`12.3 MiB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[u]) }
}

fn short_digest(d: &Option<drydock_core::Digest>) -> String {
    d.as_ref().map(|d| format!("{}:{}", d.algorithm().as_str(), d.short())).unwrap_or_else(|| "-".into())
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    let s = s.strip_prefix("/bin/sh -c ").unwrap_or(s);
    let s = s.strip_prefix("#(nop) ").unwrap_or(s).trim();
    if s.chars().count() <= max { s.to_owned() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

fn table(style: Style) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    match style.width {
        Some(w) => {
            t.set_width(w);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

pub fn write(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let img = &r.image;
    let c = &img.config;
    writeln!(out, "{} ({})", img.reference, img.source)?;
    let mut t = table(style);
    let mut row = |k: &str, v: String| {
        t.add_row(vec![k.to_owned(), v]);
    };
    if let Some(d) = &img.index_digest {
        row("index", d.to_string());
    }
    if let Some(d) = &img.manifest_digest {
        row("manifest", d.to_string());
    }
    if let Some(d) = &img.config_digest {
        row("config", d.to_string());
    }
    if let Some(p) = &img.platform {
        row("platform", p.clone());
    }
    if let Some(created) = &img.created {
        row("created", created.clone());
    }
    if let Some(os) = &r.os {
        let name = os.pretty_name.clone().unwrap_or_else(|| format!("{} {}", os.id, os.version_id.clone().unwrap_or_default()));
        row("os", format!("{name} (from {})", os.evidence));
    }
    row("user", c.user.clone().unwrap_or_else(|| "(unset: runs as root)".into()));
    if !c.entrypoint.is_empty() {
        row("entrypoint", format!("{:?}", c.entrypoint));
    }
    if !c.cmd.is_empty() {
        row("cmd", format!("{:?}", c.cmd));
    }
    if let Some(w) = &c.working_dir {
        row("workdir", w.clone());
    }
    row("healthcheck", c.healthcheck.as_ref().map(|h| h.test.join(" ")).unwrap_or_else(|| "(none)".into()));
    if !c.exposed_ports.is_empty() {
        row("ports", c.exposed_ports.join(", "));
    }
    if !c.env.is_empty() {
        // Names only: values may hold secrets, and the JSON has them in full.
        let names: Vec<&str> = c.env.iter().map(|e| e.split_once('=').map(|(k, _)| k).unwrap_or(e)).collect();
        row("env", names.join(", "));
    }
    if !c.labels.is_empty() {
        row("labels", c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"));
    }
    let fs = &r.filesystem;
    row(
        "filesystem",
        format!(
            "{} files ({}), {} dirs, {} symlinks, {} hardlinks; {} paths removed by later layers",
            fs.files,
            human_bytes(fs.total_file_bytes),
            fs.directories,
            fs.symlinks,
            fs.hardlinks,
            fs.removed_by_later_layers
        ),
    );
    if !r.packages.is_empty() {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for p in &r.packages {
            *counts.entry(p.ecosystem.purl_type()).or_default() += 1;
        }
        row("packages", counts.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ") + "  (drydock sbom lists them)");
    }
    writeln!(out, "{t}")?;

    let mut layers = table(style);
    layers.set_header(vec!["#", "digest", "size", "unpacked", "entries", "from", "created by"]);
    for l in &r.layers {
        let size = l.size.map(human_bytes).unwrap_or_else(|| "-".into());
        let created = match &l.skipped {
            Some(why) => format!("(skipped: {why})"),
            None => truncate(l.created_by.as_deref().unwrap_or("-"), 60),
        };
        layers.add_row(vec![
            l.index.to_string(),
            short_digest(&l.digest),
            size,
            human_bytes(l.uncompressed_size),
            l.entries.to_string(),
            match (r.image.base_image_layers, l.base_image) {
                (None, _) => "?".into(),
                (Some(_), true) => "base".into(),
                (Some(_), false) => "own".into(),
            },
            created,
        ]);
    }
    writeln!(out, "\nLayers ({})\n{layers}", r.layers.len())?;
    write_vulnerabilities(r, style, out)?;
    write_hardening(r, style, out)?;
    write_secrets(r, style, out)?;
    write_fips(r, style, out)?;
    write_warnings(r, out)
}

/// The FIPS verdict, its modules and evidence, and what the image can't show.
fn write_fips(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let Some(f) = &r.fips else { return Ok(()) };
    writeln!(
        out,
        "
FIPS 140: {}
  {}",
        f.verdict, f.summary
    )?;
    if !f.modules.is_empty() {
        let mut t = table(style);
        t.set_header(vec!["module", "version", "where", "posture", "why"]);
        for m in &f.modules {
            t.add_row(vec![
                m.name.clone(),
                m.version.clone().unwrap_or_default(),
                m.location.clone(),
                m.posture.to_string(),
                m.reason.clone(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    let evidence: Vec<_> =
        f.evidence.iter().filter(|e| e.kind != "openssl-library" || e.stance != drydock_core::fips::Stance::Info).collect();
    if !evidence.is_empty() {
        let mut t = table(style);
        t.set_header(vec!["evidence", "stance", "where", "detail"]);
        for e in evidence {
            t.add_row(vec![e.kind.clone(), format!("{:?}", e.stance).to_lowercase(), e.location.clone(), e.detail.clone()]);
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out, "  Only the host or a running container can show:")?;
    for h in &f.host_only {
        writeln!(out, "  - {h}")?;
    }
    for n in &f.notes {
        writeln!(out, "  Note: {n}")?;
    }
    Ok(())
}

/// Secrets in layer files, redacted.
fn write_secrets(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if r.secrets.is_empty() {
        return Ok(());
    }
    let removed = r.secrets.iter().filter(|s| s.removed).count();
    writeln!(out, "\nSecrets ({}; {removed} in files a later layer deleted, still in the image)", r.secrets.len())?;
    let mut t = table(style);
    t.set_header(vec!["severity", "rule", "path", "value", "layer"]);
    for s in &r.secrets {
        let layer = format!("{}{}", s.layer_index, if s.removed { " (deleted later)" } else { "" });
        t.add_row(vec![
            s.severity.as_str().to_owned(),
            format!("{} {}", s.rule_id, s.name),
            format!("{}:{}", s.path, s.line),
            s.redacted.clone(),
            layer,
        ]);
    }
    writeln!(out, "{t}")
}

/// Hardening findings: id, severity, title, evidence, fix.
fn write_hardening(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if r.hardening.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nHardening ({})", r.hardening.len())?;
    let mut t = table(style);
    t.set_header(vec!["severity", "check", "finding", "evidence", "fix", "controls"]);
    for f in &r.hardening {
        let evidence = f.evidence.iter().map(|e| format!("{}: {}", e.location, e.detail)).collect::<Vec<_>>().join("\n");
        t.add_row(vec![
            f.severity.as_str().to_owned(),
            format!("{} {}", f.rule_id, f.name),
            f.title.clone(),
            evidence,
            f.remediation.clone(),
            f.controls.join(", "),
        ]);
    }
    writeln!(out, "{t}")
}

/// The advisory database line and the findings, most severe first.
/// Suppressed (VEX) findings are counted, not listed: the JSON has them.
fn write_vulnerabilities(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let Some(db) = &r.advisory_db else {
        return Ok(());
    };
    let age = if db.age_hours >= 48.0 { format!("{:.1} days", db.age_hours / 24.0) } else { format!("{:.1} hours", db.age_hours) };
    let stale = if db.stale { format!("  ! STALE: older than {:.0} days", db.max_age_hours / 24.0) } else { String::new() };
    let records: u64 = db.sources.iter().map(|s| s.records).sum();
    writeln!(out, "\nAdvisory database: {} sources, {records} records, {age} old (built {}){stale}", db.sources.len(), db.built_at)?;
    let shown: Vec<&Finding> = r.vulnerabilities.iter().filter(|f| !f.suppressed).collect();
    let suppressed = r.vulnerabilities.len() - shown.len();
    let mut counts = String::new();
    for sev in Severity::ALL {
        let n = shown.iter().filter(|f| f.severity == sev).count();
        if n > 0 {
            counts.push_str(&format!("{}{sev} {n}", if counts.is_empty() { "" } else { ", " }));
        }
    }
    let fixable = shown.iter().filter(|f| f.has_fix()).count();
    let kev = shown.iter().filter(|f| f.kev.is_some()).count();
    let mut summary = format!("\nVulnerabilities ({})", shown.len());
    if !shown.is_empty() {
        summary.push_str(&format!(": {counts}; {fixable} fixable"));
        if kev > 0 {
            summary.push_str(&format!("; {kev} known exploited (CISA KEV)"));
        }
    }
    if suppressed > 0 {
        summary.push_str(&format!("; {suppressed} suppressed by VEX"));
    }
    writeln!(out, "{summary}")?;
    if shown.is_empty() {
        return Ok(());
    }
    let mut t = table(style);
    t.set_header(vec!["severity", "vulnerability", "package", "installed", "fixed in", "layer", "title"]);
    for f in shown {
        let mut sev = f.severity.as_str().to_owned();
        if let Some(score) = f.cvss_v3_score {
            sev.push_str(&format!(" {score:.1}"));
        }
        if let Some(k) = &f.kev {
            sev.push_str(&format!("\nKEV due {}", k.due_date));
        }
        let fixed = if f.fixed_versions.is_empty() { "(no fix yet)".to_owned() } else { f.fixed_versions.join(", ") };
        let layer = format!("{}{}", f.origin.layer_index, if f.origin.base_image { " (base)" } else { "" });
        t.add_row(vec![
            sev,
            f.id.clone(),
            f.package.name.clone(),
            f.package.version.clone(),
            fixed,
            layer,
            truncate(f.title.as_deref().unwrap_or(""), 60),
        ]);
    }
    writeln!(out, "{t}")
}

fn write_warnings(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !r.warnings.is_empty() {
        writeln!(out, "\nWarnings ({})", r.warnings.len())?;
        for w in &r.warnings {
            writeln!(out, "  ! {w}")?;
        }
    }
    Ok(())
}

/// The package inventory: one row per package, with where it came from.
pub fn write_packages(r: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if let Some(os) = &r.os {
        let name = os.pretty_name.clone().unwrap_or_else(|| format!("{} {}", os.id, os.version_id.clone().unwrap_or_default()));
        let eol = os.end_of_life.as_ref().map(|d| format!(", security support until {d}")).unwrap_or_default();
        writeln!(out, "{} — {name}{eol}", r.image.reference)?;
    } else {
        writeln!(out, "{} — no OS identified", r.image.reference)?;
    }
    let mut t = table(style);
    t.set_header(vec!["type", "name", "version", "source", "layer", "location"]);
    for p in &r.packages {
        let source = match (&p.record.source_name, &p.record.source_version) {
            (Some(n), Some(v)) if n != &p.record.name || v != &p.record.version => format!("{n} {v}"),
            (Some(n), None) if n != &p.record.name => n.clone(),
            _ => String::new(),
        };
        let layer = format!("{}{}", p.origin.layer_index, if p.origin.base_image { " (base)" } else { "" });
        t.add_row(vec![
            p.ecosystem.purl_type().to_owned(),
            p.record.name.clone(),
            p.record.version.clone(),
            source,
            layer,
            p.locations.join("\n"),
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(out, "{} packages", r.packages.len())?;
    write_warnings(r, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_picks_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
    }

    #[test]
    fn truncate_strips_shell_prefix_and_shortens() {
        assert_eq!(truncate("/bin/sh -c #(nop)  CMD [\"sh\"]", 60), "CMD [\"sh\"]");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
