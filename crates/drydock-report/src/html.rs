//! A self-contained HTML report a person reads at a glance: the image
//! (reference, digest, scan time, OS, advisory database age), summary
//! cards (findings per severity, the FIPS verdict, overdue items), the
//! remediation deadlines when the scan history tracks the findings
//! (overdue first), then vulnerabilities, hardening findings with their
//! evidence and fix, secrets (redacted), the FIPS posture, and each layer
//! with what it introduced.
//!
//! One file with inline CSS and no script: it opens from a mail
//! attachment or a CI artifact and fetches nothing (a Content Security
//! Policy says so to the browser too). The only external addresses are
//! advisory references, as plain links a person may follow.
//!
//! Everything from the image is attacker-controlled (labels, history
//! lines, paths, advisory titles): every string goes through [`esc`], and
//! attribute values are always quoted.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use drydock_core::check::CheckFinding;
use drydock_core::fips::FipsVerdict;
use drydock_core::report::Report;
use drydock_core::tracking::TrackedFinding;
use drydock_core::vulnerability::{Finding, Severity};

use crate::sarif::TrackingIndex;
use crate::table::human_bytes;

/// Escapes text for HTML element content and quoted attribute values.
fn esc(s: &str) -> String {
    crate::junit::escape(s, false)
}

/// `s` cut to `max` characters (with an ellipsis), escaped.
fn esc_short(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        esc(&flat)
    } else {
        esc(&format!("{}…", flat.chars().take(max.saturating_sub(1)).collect::<String>()))
    }
}

const STYLE: &str = r#"
:root{--fg:#1d2330;--muted:#5d6678;--bg:#f5f6f8;--card:#fff;--line:#e2e5ea;--crit:#a3141c;--high:#d9480f;--med:#b07b00;--low:#1c6dd0;--unk:#6b7280;--ok:#2b8a3e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1f2a3c;color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px;word-break:break-all}
header .sub{color:#b8c2d4;margin-bottom:12px}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
header dt{color:#b8c2d4}header dd{margin:0;overflow-wrap:anywhere}
main{padding:20px 32px;max-width:1600px}
section{margin:0 0 28px}
h2{font-size:18px;margin:0 0 10px;border-bottom:2px solid var(--line);padding-bottom:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin-bottom:24px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card h3{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .total{font-size:28px;font-weight:700;line-height:1.1}
.card .note{color:var(--muted);font-size:12px;margin-top:6px}
.card.alert{border-color:var(--crit);box-shadow:inset 4px 0 0 var(--crit)}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.chip{border-radius:10px;padding:1px 8px;font-size:12px;color:#fff;white-space:nowrap}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:11px;font-weight:700;color:#fff;white-space:nowrap}
.CRITICAL{background:var(--crit)}.HIGH{background:var(--high)}.MEDIUM{background:var(--med)}.LOW{background:var(--low)}.UNKNOWN{background:var(--unk)}
.zero{background:#c9ced6}
.verdict{display:inline-block;border-radius:4px;padding:2px 8px;font-weight:700;color:#fff}
.fips-enforced{background:var(--ok)}.fips-capable{background:var(--low)}.not-fips{background:var(--crit)}.unknown{background:var(--unk)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);font-size:13px}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
th{background:#eef0f4;font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
tr.overdue td{background:#fdecec}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
.nowrap{white-space:nowrap}
header summary{color:#b8c2d4}
header table{background:none;border:0;color:#fff}
header td{border:0;padding:1px 8px 1px 0}
.muted{color:var(--muted)}
.bad{color:var(--crit);font-weight:600}
ul.ev{margin:0;padding-left:16px}
details{margin-top:8px}
summary{cursor:pointer;color:var(--muted)}
.empty{color:var(--ok);font-weight:600}
footer{padding:12px 32px 24px;color:var(--muted);font-size:12px}
@media print{header{background:none;color:#000}header dt,header .sub{color:#444}}
"#;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    let tracking = TrackingIndex::new(report);
    let img = &report.image;
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may load: no scripts, no images, no fonts, no frames.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(h, "<title>drydock: {}</title>", esc(&img.reference));
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>");
    header(&mut h, report);
    h.push_str("<main>\n");
    summary(&mut h, report);
    deadlines(&mut h, report);
    vulnerabilities(&mut h, report, &tracking);
    hardening(&mut h, report, &tracking);
    secrets(&mut h, report, &tracking);
    fips(&mut h, report);
    layers(&mut h, report);
    warnings(&mut h, report);
    h.push_str("</main>\n");
    let _ = writeln!(
        h,
        "<footer>Written by {} {} from the scan of {} at {}.</footer>\n</body>\n</html>",
        esc(&report.scanner.name),
        esc(&report.scanner.version),
        esc(&img.reference),
        esc(&report.scanned_at)
    );
    out.write_all(h.as_bytes())
}

fn header(h: &mut String, r: &Report) {
    let img = &r.image;
    let _ = writeln!(h, "<header>\n<h1 id=\"image\">{}</h1>", esc(&img.reference));
    let _ = writeln!(h, "<div class=\"sub\">Container image scan · {}</div>\n<dl>", esc(&img.source));
    let mut row = |k: &str, v: String| {
        let _ = writeln!(h, "<dt>{k}</dt><dd>{v}</dd>");
    };
    if let Some(d) = &img.manifest_digest {
        row("Digest", format!("<code id=\"digest\">{}</code>", esc(&d.to_string())));
    }
    if let Some(d) = &img.config_digest {
        row("Config", format!("<code>{}</code>", esc(&d.to_string())));
    }
    if let Some(p) = &img.platform {
        row("Platform", esc(p));
    }
    row("Scanned", format!("<span id=\"scanned-at\">{}</span>", esc(&r.scanned_at)));
    if let Some(c) = &img.created {
        row("Image created", esc(c));
    }
    row(
        "OS",
        match &r.os {
            Some(os) => {
                let name = os.pretty_name.clone().unwrap_or_else(|| format!("{} {}", os.id, os.version_id.as_deref().unwrap_or("")));
                let eol = os.end_of_life.as_ref().map(|d| format!(" · security support until {}", esc(d))).unwrap_or_default();
                format!("<span id=\"os\">{}</span>{eol}", esc(&name))
            }
            None => "<span id=\"os\">not identified</span>".into(),
        },
    );
    row(
        "Advisory DB",
        match &r.advisory_db {
            Some(db) => {
                let age =
                    if db.age_hours >= 48.0 { format!("{:.1} days", db.age_hours / 24.0) } else { format!("{:.1} hours", db.age_hours) };
                let stale = if db.stale {
                    format!(" <span class=\"verdict not-fips\">STALE: older than {:.0} days</span>", db.max_age_hours / 24.0)
                } else {
                    String::new()
                };
                let records: u64 = db.sources.iter().map(|s| s.records).sum();
                format!(
                    "<span id=\"db-age\">{age} old</span> (built {}, {} sources, {records} records){stale}",
                    esc(&db.built_at),
                    db.sources.len()
                )
            }
            None => "<span id=\"db-age\" class=\"bad\">not used: vulnerabilities were not checked</span>".into(),
        },
    );
    row("User", esc(img.config.user.as_deref().unwrap_or("(unset: runs as root)")));
    if let Some(n) = img.base_image_layers {
        row("Base image", format!("bottom {n} of {} layers", r.layers.len()));
    }
    if !img.config.labels.is_empty() {
        let mut labels = String::from("<details><summary>");
        let _ = write!(labels, "{} labels</summary><table class=\"labels\">", img.config.labels.len());
        for (k, v) in &img.config.labels {
            let _ = write!(labels, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(k), esc(v));
        }
        labels.push_str("</table></details>");
        row("Labels", labels);
    }
    h.push_str("</dl>\n</header>\n");
}

fn counts<'a>(severities: impl Iterator<Item = Severity> + 'a) -> BTreeMap<Severity, usize> {
    let mut m = BTreeMap::new();
    for s in severities {
        *m.entry(s).or_insert(0) += 1;
    }
    m
}

/// A card with a total and one chip per severity (zero counts greyed).
fn severity_card(h: &mut String, id: &str, title: &str, counts: &BTreeMap<Severity, usize>, note: &str) {
    let total: usize = counts.values().sum();
    let alert = counts.get(&Severity::Critical).copied().unwrap_or(0) + counts.get(&Severity::High).copied().unwrap_or(0) > 0;
    let _ = write!(
        h,
        "<div class=\"card{}\" id=\"card-{id}\"><h3>{title}</h3><div class=\"total\" id=\"count-{id}\">{total}</div><div class=\"chips\">",
        if alert { " alert" } else { "" }
    );
    for sev in Severity::ALL {
        let n = counts.get(&sev).copied().unwrap_or(0);
        let class = if n == 0 { "zero" } else { sev.as_str() };
        let _ = write!(
            h,
            "<span class=\"chip {class}\" id=\"count-{id}-{}\" title=\"{sev}\">{} {n}</span>",
            sev.as_str().to_lowercase(),
            label(sev)
        );
    }
    let _ = writeln!(h, "</div><div class=\"note\">{note}</div></div>");
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Short severity names for chips.
fn label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Unknown => "Unknown",
    }
}

fn sev(s: Severity) -> String {
    format!("<span class=\"sev {}\">{}</span>", s.as_str(), s.as_str())
}

fn summary(h: &mut String, r: &Report) {
    h.push_str("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">\n");
    let open: Vec<&Finding> = r.vulnerabilities.iter().filter(|f| !f.suppressed).collect();
    let note = if r.advisory_db.is_none() && r.vulnerabilities.is_empty() {
        "<span class=\"bad\">not checked: no advisory database</span>".to_owned()
    } else {
        let fixable = open.iter().filter(|f| f.has_fix()).count();
        let kev = open.iter().filter(|f| f.kev.is_some()).count();
        let suppressed = r.vulnerabilities.len() - open.len();
        let mut n = format!("{fixable} fixable");
        if kev > 0 {
            let _ = write!(n, " · <span class=\"bad\" id=\"count-kev\">{kev} known exploited</span>");
        }
        if suppressed > 0 {
            let _ = write!(n, " · {suppressed} suppressed by VEX");
        }
        n
    };
    severity_card(h, "vulnerabilities", "Vulnerabilities", &counts(open.iter().map(|f| f.severity)), &note);
    let (fips_checks, hardening): (Vec<&CheckFinding>, Vec<&CheckFinding>) =
        r.hardening.iter().partition(|c| c.rule_id.starts_with("FIPS"));
    let minimality = r.minimality.map(|m| format!("image minimality: {}", format!("{m:?}").to_lowercase())).unwrap_or_default();
    severity_card(h, "hardening", "Hardening", &counts(hardening.iter().map(|c| c.severity)), &minimality);
    let deleted = r.secrets.iter().filter(|s| s.removed).count();
    let note =
        if deleted > 0 { format!("{deleted} in files a later layer deleted (still in the image)") } else { "values redacted".to_owned() };
    severity_card(h, "secrets", "Secrets", &counts(r.secrets.iter().map(|s| s.severity)), &note);
    match &r.fips {
        Some(f) => {
            let _ = writeln!(
                h,
                "<div class=\"card{}\" id=\"card-fips\"><h3>FIPS 140</h3><div><span class=\"verdict {}\" id=\"fips-verdict\">{}</span></div><div class=\"note\">{} · {}</div></div>",
                if f.verdict == FipsVerdict::NotFips || !fips_checks.is_empty() { " alert" } else { "" },
                f.verdict.as_str(),
                f.verdict.as_str(),
                plural(f.modules.len(), "cryptographic module"),
                plural(fips_checks.len(), "FIPS finding")
            );
        }
        None => h.push_str("<div class=\"card\" id=\"card-fips\"><h3>FIPS 140</h3><div><span class=\"verdict unknown\" id=\"fips-verdict\">not assessed</span></div></div>\n"),
    }
    if let Some(t) = &r.tracking {
        let overdue = t.findings.iter().filter(|f| f.overdue).count();
        let soon = t.findings.iter().filter(|f| !f.overdue && f.days_left.is_some_and(|d| d <= 7)).count();
        let _ = writeln!(
            h,
            "<div class=\"card{}\" id=\"card-overdue\"><h3>Overdue</h3><div class=\"total\" id=\"count-overdue\">{overdue}</div><div class=\"note\">of {} · {soon} due within 7 days · as of {}</div></div>",
            if overdue > 0 { " alert" } else { "" },
            plural(t.findings.len(), "tracked open finding"),
            esc(&t.as_of)
        );
    }
    h.push_str("</div></section>\n");
}

/// `12 days overdue`, `due today`, `3 days left`.
fn days(t: &TrackedFinding) -> String {
    match t.days_left {
        Some(d) if d < 0 => format!("<span class=\"bad\">{} days overdue</span>", -d),
        Some(0) => "<span class=\"bad\">due today</span>".to_owned(),
        Some(1) => "1 day left".to_owned(),
        Some(d) => format!("{d} days left"),
        None => "<span class=\"muted\">off the clock</span>".to_owned(),
    }
}

fn due_cell(t: Option<&TrackedFinding>) -> String {
    match t {
        Some(t) => format!("{}<br>{}", esc(t.due.as_deref().unwrap_or("-")), days(t)),
        None => "<span class=\"muted\">-</span>".into(),
    }
}

fn deadlines(h: &mut String, r: &Report) {
    let Some(t) = &r.tracking else { return };
    let _ = writeln!(
        h,
        "<section id=\"deadlines\"><h2>Remediation deadlines</h2>\n<p class=\"muted\">Profile {}, as of {}; history scan {} of repository <code>{}</code>. Overdue first.</p>",
        esc(&t.profile),
        esc(&t.as_of),
        t.scan_id,
        esc(&t.repository)
    );
    if t.findings.is_empty() {
        h.push_str("<p class=\"empty\">No open findings.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>Status</th><th>Due</th><th>Severity</th><th>Kind</th><th>Finding</th><th>Subject</th><th>Title</th><th>First seen</th><th>Deviation</th><th>Id</th></tr></thead><tbody>\n");
        for f in &t.findings {
            let deviation = f.deviation.as_ref().map(|d| format!("{} {}", esc(d.kind.abbreviation()), esc(&d.id))).unwrap_or_default();
            let _ = writeln!(
                h,
                "<tr{}><td>{}</td><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{deviation}</td><td class=\"nowrap\"><code>{}</code></td></tr>",
                if f.overdue { " class=\"overdue\"" } else { "" },
                days(f),
                esc(f.due.as_deref().unwrap_or("-")),
                esc(&f.due_reason),
                sev(f.effective_severity()),
                esc(f.kind.as_str()),
                esc(&f.rule),
                esc_short(&f.subject, 80),
                esc_short(&f.title, 120),
                esc(f.first_seen.get(..10).unwrap_or(&f.first_seen)),
                esc(&f.id)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !t.closed.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">{} closed by this scan.</p>", plural(t.closed.len(), "finding"));
    }
    h.push_str("</section>\n");
}

fn layer_cell(index: usize, base: bool) -> String {
    format!("{index}{}", if base { " <span class=\"muted\">base</span>" } else { "" })
}

/// Advisory links: the only external addresses in the page, as plain
/// `<a>` links to text (`http(s)` only; anything else stays text).
fn reference_links(refs: &[String]) -> String {
    let mut s = String::new();
    for (i, r) in refs.iter().take(5).enumerate() {
        let web = (r.starts_with("https://") || r.starts_with("http://")) && !r.chars().any(|c| c.is_whitespace() || c.is_control());
        if web {
            let _ = write!(s, " <a href=\"{}\" rel=\"noreferrer noopener\" title=\"{}\">[{}]</a>", esc(r), esc(r), i + 1);
        } else {
            let _ = write!(s, " <span class=\"muted\">{}</span>", esc_short(r, 60));
        }
    }
    s
}

fn vulnerabilities(h: &mut String, r: &Report, tracking: &TrackingIndex<'_>) {
    h.push_str("<section id=\"vulnerabilities\"><h2>Vulnerabilities</h2>\n");
    if r.advisory_db.is_none() && r.vulnerabilities.is_empty() {
        h.push_str("<p class=\"bad\">Not checked: the scan used no advisory database.</p></section>\n");
        return;
    }
    let (open, suppressed): (Vec<&Finding>, Vec<&Finding>) = r.vulnerabilities.iter().partition(|f| !f.suppressed);
    if open.is_empty() {
        h.push_str("<p class=\"empty\">No vulnerabilities found.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>Severity</th><th>Vulnerability</th><th>Package</th><th>Installed</th><th>Fixed in</th><th>KEV</th><th>Layer</th><th>Due</th><th>Title</th></tr></thead><tbody>\n");
        for f in open {
            let score = f.cvss_v3_score.map(|s| format!(" <span class=\"muted\">{s:.1}</span>")).unwrap_or_default();
            let fixed = if f.fixed_versions.is_empty() {
                "<span class=\"muted\">no fix yet</span>".to_owned()
            } else {
                esc(&f.fixed_versions.join(", "))
            };
            let kev = match &f.kev {
                Some(k) => format!(
                    "<span class=\"bad\">yes</span><br>due {}{}",
                    esc(&k.due_date),
                    if k.ransomware { "<br>ransomware" } else { "" }
                ),
                None => String::new(),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}{score}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{fixed}</code></td><td>{kev}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                sev(f.severity),
                esc(&f.id),
                esc(&f.package.name),
                esc(&f.package.version),
                layer_cell(f.origin.layer_index, f.origin.base_image),
                due_cell(tracking.vulnerability(f)),
                esc_short(f.title.as_deref().unwrap_or(""), 140),
                reference_links(&f.references)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !suppressed.is_empty() {
        let _ = write!(
            h,
            "<details><summary>{} suppressed by VEX</summary><table><thead><tr><th>Vulnerability</th><th>Package</th><th>Status</th><th>Why</th></tr></thead><tbody>",
            suppressed.len()
        );
        for f in suppressed {
            let (status, why) = match &f.vex {
                Some(v) => (
                    v.status.clone(),
                    [v.justification.as_deref(), v.statement.as_deref()].into_iter().flatten().collect::<Vec<_>>().join("; "),
                ),
                None => (String::new(), String::new()),
            };
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.id),
                esc(&f.package.name),
                esc(&f.package.version),
                esc(&status),
                esc_short(&why, 200)
            );
        }
        h.push_str("</tbody></table></details>\n");
    }
    h.push_str("</section>\n");
}

fn hardening(h: &mut String, r: &Report, tracking: &TrackingIndex<'_>) {
    h.push_str("<section id=\"hardening\"><h2>Hardening</h2>\n");
    let checks: Vec<&CheckFinding> = r.hardening.iter().collect();
    if checks.is_empty() {
        h.push_str("<p class=\"empty\">No hardening findings.</p></section>\n");
        return;
    }
    h.push_str("<table><thead><tr><th>Severity</th><th>Check</th><th>Finding</th><th>Evidence</th><th>Fix</th><th>Controls</th><th>Due</th></tr></thead><tbody>\n");
    for c in checks {
        let mut evidence = String::from("<ul class=\"ev\">");
        for e in c.evidence.iter().take(20) {
            let layer = e.layer_index.map(|i| format!(" <span class=\"muted\">(layer {i})</span>")).unwrap_or_default();
            let _ = write!(evidence, "<li><code>{}</code>{layer}: {}</li>", esc(&e.location), esc_short(&e.detail, 200));
        }
        if c.evidence.len() > 20 {
            let _ = write!(evidence, "<li class=\"muted\">and {} more</li>", c.evidence.len() - 20);
        }
        evidence.push_str("</ul>");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code><br><span class=\"muted\">{}</span></td><td>{}</td><td>{evidence}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            sev(c.severity),
            esc(&c.rule_id),
            esc(&c.name),
            esc(&c.title),
            esc(&c.remediation),
            esc(&c.controls.join(", ")),
            due_cell(tracking.check(c))
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn secrets(h: &mut String, r: &Report, tracking: &TrackingIndex<'_>) {
    h.push_str("<section id=\"secrets\"><h2>Secrets</h2>\n");
    if r.secrets.is_empty() {
        h.push_str("<p class=\"empty\">No secrets found.</p></section>\n");
        return;
    }
    h.push_str("<table><thead><tr><th>Severity</th><th>Rule</th><th>File</th><th>Value (redacted)</th><th>Layer</th><th>Due</th></tr></thead><tbody>\n");
    for s in &r.secrets {
        let deleted = if s.removed { "<br><span class=\"bad\">deleted later, still in the image</span>" } else { "" };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code><br><span class=\"muted\">{}</span></td><td><code>{}:{}</code></td><td><code>{}</code></td><td>{}{deleted}</td><td>{}</td></tr>",
            sev(s.severity),
            esc(&s.rule_id),
            esc(&s.title),
            esc(&s.path),
            s.line,
            esc(&s.redacted),
            s.layer_index,
            due_cell(tracking.secret(s))
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn fips(h: &mut String, r: &Report) {
    let Some(f) = &r.fips else { return };
    let _ = writeln!(
        h,
        "<section id=\"fips\"><h2>FIPS 140</h2>\n<p><span class=\"verdict {}\">{}</span> {}</p>",
        f.verdict.as_str(),
        f.verdict.as_str(),
        esc(&f.summary)
    );
    if !f.modules.is_empty() {
        h.push_str("<table><thead><tr><th>Module</th><th>Version</th><th>Where</th><th>Posture</th><th>Why</th><th>Layer</th></tr></thead><tbody>\n");
        for m in &f.modules {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><span class=\"verdict {}\">{}</span></td><td>{}</td><td>{}</td></tr>",
                esc(&m.name),
                esc(m.version.as_deref().unwrap_or("")),
                esc(&m.location),
                m.posture.as_str(),
                m.posture.as_str(),
                esc(&m.reason),
                m.layer_index.map(|i| i.to_string()).unwrap_or_default()
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !f.evidence.is_empty() {
        let _ = write!(
            h,
            "<details open><summary>Evidence ({})</summary><table><thead><tr><th>Kind</th><th>Stance</th><th>Where</th><th>Detail</th></tr></thead><tbody>",
            f.evidence.len()
        );
        for e in &f.evidence {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&e.kind),
                esc(&format!("{:?}", e.stance).to_lowercase()),
                esc(&e.location),
                esc(&e.detail)
            );
        }
        h.push_str("</tbody></table></details>\n");
    }
    if !f.host_only.is_empty() {
        h.push_str("<p class=\"muted\">Only the host or a running container can show:</p><ul>");
        for x in &f.host_only {
            let _ = write!(h, "<li>{}</li>", esc(x));
        }
        h.push_str("</ul>\n");
    }
    for n in &f.notes {
        let _ = write!(h, "<p class=\"muted\">Note: {}</p>", esc(n));
    }
    h.push_str("</section>\n");
}

/// What each layer introduced: packages, open vulnerabilities (by the
/// package's layer), hardening findings with evidence in it, secrets.
fn layers(h: &mut String, r: &Report) {
    let n = r.layers.len();
    let mut packages = vec![0usize; n];
    let mut vulns: Vec<BTreeMap<Severity, usize>> = vec![BTreeMap::new(); n];
    let mut checks = vec![0usize; n];
    let mut secrets = vec![0usize; n];
    let slot = |i: usize| (i < n).then_some(i);
    for p in &r.packages {
        if let Some(i) = slot(p.origin.layer_index) {
            packages[i] += 1;
        }
    }
    for f in r.vulnerabilities.iter().filter(|f| !f.suppressed) {
        if let Some(i) = slot(f.origin.layer_index) {
            *vulns[i].entry(f.severity).or_insert(0) += 1;
        }
    }
    for c in &r.hardening {
        let mut seen: Vec<usize> = c.evidence.iter().filter_map(|e| e.layer_index).filter(|&i| i < n).collect();
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            checks[i] += 1;
        }
    }
    for s in &r.secrets {
        if let Some(i) = slot(s.layer_index) {
            secrets[i] += 1;
        }
    }
    let _ = writeln!(h, "<section id=\"layers\"><h2>Layers ({n})</h2>");
    h.push_str("<table><thead><tr><th>#</th><th>From</th><th>Digest</th><th>Created by</th><th>Size</th><th>Unpacked</th><th>Packages</th><th>Vulnerabilities</th><th>Hardening</th><th>Secrets</th></tr></thead><tbody>\n");
    for (i, l) in r.layers.iter().enumerate() {
        let digest = l
            .digest
            .as_ref()
            .map(|d| {
                format!("<code class=\"nowrap\" title=\"{}\">{}:{}</code>", esc(&d.to_string()), d.algorithm().as_str(), esc(d.short()))
            })
            .unwrap_or_else(|| "-".into());
        let created = match &l.skipped {
            Some(why) => format!("<span class=\"muted\">skipped: {}</span>", esc(why)),
            None => {
                let c = l.created_by.as_deref().unwrap_or("-");
                format!("<code title=\"{}\">{}</code>", esc(c), esc_short(c, 140))
            }
        };
        let from = match r.image.base_image_layers {
            None => "?",
            Some(_) if l.base_image => "base",
            Some(_) => "own",
        };
        let total: usize = vulns[i].values().sum();
        let mut v = format!("<span id=\"layer-{i}-vulnerabilities\">{total}</span>");
        for (s, count) in vulns[i].iter().rev() {
            let _ = write!(v, " <span class=\"sev {}\">{count}</span>", s.as_str());
        }
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td>{from}</td><td>{digest}</td><td>{created}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{v}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            l.index,
            l.size.map(human_bytes).unwrap_or_else(|| "-".into()),
            human_bytes(l.uncompressed_size),
            packages[i],
            checks[i],
            secrets[i]
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn warnings(h: &mut String, r: &Report) {
    if r.warnings.is_empty() {
        return;
    }
    let _ = write!(h, "<section id=\"warnings\"><h2>Warnings ({})</h2><ul>", r.warnings.len());
    for w in &r.warnings {
        let _ = write!(h, "<li>{}</li>", esc(w));
    }
    h.push_str("</ul></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_cut_and_escaped() {
        assert_eq!(esc_short("<b>bold</b>", 100), "&lt;b&gt;bold&lt;/b&gt;");
        assert_eq!(esc_short("abcdef", 4), "abc…");
        assert_eq!(esc_short("a\n  b", 10), "a b");
    }

    #[test]
    fn only_web_references_become_links() {
        let links = reference_links(&["javascript:alert(1)".into(), "https://example.invalid/a?b=1&c=\"2\"".into()]);
        assert!(!links.contains("href=\"javascript"), "{links}");
        assert!(links.contains("href=\"https://example.invalid/a?b=1&amp;c=&quot;2&quot;\""), "{links}");
    }
}
