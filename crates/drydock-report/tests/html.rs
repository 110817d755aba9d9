//! The HTML report: everything attacker-controlled is escaped, the page
//! loads nothing, and headless Chromium renders it with the summary a
//! person reads first.
//!
//! The Chromium tests need Debian's `chromium` package (binary
//! `chromium`, or the path in `DRYDOCK_CHROMIUM`); they fail, with a
//! message saying so, when it is missing.

#[path = "data/writer_reports.rs"]
mod reports;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drydock_core::report::Report;
use reports::RAW_SECRET;

fn render(report: &Report) -> String {
    let mut out = Vec::new();
    drydock_report::html::write(report, &mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

/// The text of the element with this id (a leaf: up to the next tag).
fn text_of(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element with id {id}"));
    let start = at + html[at..].find('>').expect("tag end") + 1;
    let end = start + html[start..].find('<').expect("next tag");
    html[start..end].to_owned()
}

/// Every `name="value"` attribute of every tag, with the tag's name.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = i + rest[i..].find('>').expect("tag end");
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('/') || tag.starts_with('!') {
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        let mut attrs = &tag[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let key = attrs[..eq].trim().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
            let close = eq + 2 + attrs[eq + 2..].find('"').expect("quoted value");
            out.push((name.clone(), key, attrs[eq + 2..close].to_owned()));
            attrs = &attrs[close + 1..];
        }
    }
    out
}

/// A report whose image and advisory data try to inject markup.
fn hostile() -> Report {
    let mut r = reports::with_tracking();
    r.image.reference = "evil</title><script>alert(1)</script>".into();
    r.image.config.labels.insert("org.opencontainers.image.description".into(), "<script>alert('label')</script>".into());
    r.image.config.labels.insert("<b onmouseover=alert(1)>".into(), "x".into());
    r.layers[2].created_by = Some("RUN echo \"><img src=x onerror=alert(1)><script src=https://evil.invalid/x.js></script>".into());
    r.vulnerabilities[0].title = Some("<iframe src=\"https://evil.invalid/\"></iframe>".into());
    r.vulnerabilities[0].references = vec!["javascript:alert(1)".into(), "https://evil.invalid/\" onclick=\"alert(1)".into()];
    r.hardening[0].evidence[0].detail = "</td></tr></table><style>body{background:url(https://evil.invalid/t.png)}</style>".into();
    r.secrets[0].path = "/app/<svg onload=alert(1)>".into();
    r.warnings.push("<meta http-equiv=refresh content=0;url=https://evil.invalid/>".into());
    r
}

#[test]
fn hostile_strings_are_escaped() {
    let html = render(&hostile());
    let lower = html.to_ascii_lowercase();
    for raw in ["<script", "<img", "<iframe", "<svg", "<b onmouseover", "<meta http-equiv=refresh", "<style>body"] {
        assert!(!lower.contains(raw), "raw `{raw}` survived");
    }
    assert_eq!(lower.matches("<style>").count(), 1, "only the report's own style sheet");
    assert!(html.contains("&lt;script&gt;alert(&apos;label&apos;)&lt;/script&gt;"), "the label is shown as text");
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "the history line is shown as text");
    assert!(html.contains("<title>drydock: evil&lt;/title&gt;&lt;script&gt;"), "{}", &html[..400]);
    for (tag, key, value) in attributes(&html) {
        assert!(!key.starts_with("on"), "event handler {key} on <{tag}>");
        assert!(!value.to_ascii_lowercase().starts_with("javascript:"), "<{tag} {key}={value}>");
        assert!(!value.contains('"') && !value.contains('<'), "<{tag} {key}> value not escaped: {value}");
    }
    assert!(!html.contains("href=\"javascript"), "only http(s) references become links");
}

#[test]
fn the_page_loads_nothing() {
    let html = render(&hostile());
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'";
    assert!(html.contains(csp), "a policy that forbids every fetch");
    let lower = html.to_ascii_lowercase();
    for loader in ["<link", "<script", "<img", "<iframe", "<object", "<embed", "<video", "<audio", "<source", "<base"] {
        assert!(!lower.contains(loader), "{loader}");
    }
    let style = &lower[lower.find("<style>").expect("a style sheet")..lower.find("</style>").expect("its end")];
    assert!(!style.contains("url(") && !style.contains("@import"), "the style sheet loads nothing");
    let mut links = 0;
    for (tag, key, value) in attributes(&html) {
        assert!(!["src", "srcset", "action", "formaction", "poster", "data", "background"].contains(&key.as_str()), "<{tag} {key}>");
        if key == "href" {
            assert_eq!(tag, "a", "only links navigate, nothing loads");
            assert!(value.starts_with("https://") || value.starts_with("http://"), "{value}");
            links += 1;
        }
    }
    assert!(links > 0, "advisory references are links");
    let (text, secret) = (render(&reports::with_tracking()), RAW_SECRET);
    assert!(!text.contains(secret), "the secret value must never be written");
    assert!(text.contains("AKIA************MPLE"));
}

#[test]
fn summary_cards_count_what_the_report_holds() {
    let report = reports::with_tracking();
    let html = render(&report);
    assert_eq!(text_of(&html, "count-vulnerabilities"), "5", "open vulnerabilities; the suppressed one is not counted");
    assert_eq!(text_of(&html, "count-vulnerabilities-critical"), "Critical 2");
    assert_eq!(text_of(&html, "count-vulnerabilities-high"), "High 1");
    assert_eq!(text_of(&html, "count-vulnerabilities-unknown"), "Unknown 1");
    assert_eq!(text_of(&html, "count-kev"), "2 known exploited");
    assert_eq!(text_of(&html, "count-hardening"), "2", "IMG checks; FIPS checks go to the FIPS card");
    assert_eq!(text_of(&html, "count-secrets"), "2");
    assert_eq!(text_of(&html, "fips-verdict"), "not-fips");
    let overdue = report.tracking.as_ref().expect("tracking").findings.iter().filter(|f| f.overdue).count();
    assert_eq!(text_of(&html, "count-overdue"), overdue.to_string());
    assert_eq!(text_of(&html, "os"), "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(text_of(&html, "db-age"), "4.0 hours old");
    assert_eq!(text_of(&html, "layer-1-vulnerabilities"), "3", "libssl3, openssl and busybox came with layer 1");
    // Overdue items come first, with how late they are.
    let deadlines = &html[html.find("id=\"deadlines\"").expect("deadlines")..];
    let first_row = &deadlines[deadlines.find("<tbody>").expect("rows")..];
    assert!(first_row[..first_row.find("</tr>").expect("a row")].contains("days overdue"), "{}", &first_row[..400]);
    assert!(html.find("id=\"deadlines\"") < html.find("id=\"vulnerabilities\""), "deadlines before the tables");
}

#[test]
fn without_tracking_or_a_database_the_page_says_so() {
    let html = render(&reports::scanned());
    assert!(!html.contains("id=\"deadlines\""));
    assert!(!html.contains("id=\"count-overdue\""));
    assert!(text_of(&html, "db-age").contains("not used"));
    assert!(html.contains("Not checked: the scan used no advisory database."));
    assert_eq!(text_of(&html, "count-hardening"), "2");
    assert_eq!(text_of(&html, "fips-verdict"), "unknown");
}

// Headless Chromium.

fn chromium() -> PathBuf {
    let bin = std::env::var_os("DRYDOCK_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("chromium"));
    match Command::new(&bin).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(s) if s.success() => bin,
        other => panic!(
            "headless Chromium is needed to test the HTML report and `{}` does not run ({other:?}): \
             install Debian's `chromium` package (`apt-get install -y chromium`) or set DRYDOCK_CHROMIUM to its binary",
            bin.display()
        ),
    }
}

/// Runs headless Chromium on a file with a fresh profile, recording the
/// network log; returns stdout. The flags keep Chromium's own background
/// traffic down (it still tries a few update checks, which the log marks
/// as not initiated by any page) and resolve no host names.
fn run_chromium(dir: &Path, page: &Path, extra: &[&str]) -> String {
    let profile = dir.join(format!("profile-{}", extra.len()));
    let netlog = dir.join("netlog.json");
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--log-net-log={}", netlog.display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success(), "chromium failed: {:?}", out.status);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// URLs of requests a page initiated, from Chromium's network log.
/// Chromium's own requests (update checks and such) carry the initiator
/// `not an origin`; anything a document asked for names its origin (`null`
/// for a `file://` page).
fn page_requests(dir: &Path) -> Vec<String> {
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("netlog.json")).expect("a network log")).expect("network log JSON");
    let start = &log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    assert!(start.is_number(), "the network log names its event types");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        // The job's begin event has the URL and initiator; its end event has neither.
        .filter(|e| e["type"] == *start && e["params"]["url"].is_string() && e["params"]["initiator"] != "not an origin")
        .map(|e| e["params"]["url"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn headless_chromium_renders_the_summary_and_fetches_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    let report = reports::with_tracking();
    std::fs::write(&page, render(&report)).expect("written");

    let dom = run_chromium(dir.path(), &page, &["--dump-dom"]);
    for heading in ["Summary", "Remediation deadlines", "Vulnerabilities", "Hardening", "Secrets", "FIPS 140", "Layers (3)"] {
        assert!(dom.contains(&format!("<h2>{heading}</h2>")), "heading {heading} rendered");
    }
    assert_eq!(text_of(&dom, "image"), reports::REFERENCE);
    assert_eq!(text_of(&dom, "count-vulnerabilities"), "5");
    assert_eq!(text_of(&dom, "count-vulnerabilities-critical"), "Critical 2");
    assert_eq!(text_of(&dom, "count-secrets"), "2");
    assert_eq!(text_of(&dom, "fips-verdict"), "not-fips");
    let overdue = report.tracking.as_ref().expect("tracking").findings.iter().filter(|f| f.overdue).count();
    assert_eq!(text_of(&dom, "count-overdue"), overdue.to_string());
    assert!(dom.contains("49 days overdue"));
    let requests = page_requests(dir.path());
    assert!(requests.is_empty(), "the report asked for {requests:?}");

    // The hostile report renders with its markup as text: no script ran, no
    // element was injected, nothing was fetched.
    let hostile = hostile();
    std::fs::write(&page, render(&hostile)).expect("written");
    let dom = run_chromium(dir.path(), &page, &["--dump-dom"]);
    let lower = dom.to_ascii_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains("<img") && !lower.contains("<iframe") && !lower.contains("<svg"),
        "injected markup"
    );
    assert_eq!(text_of(&dom, "image"), "evil&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    let requests = page_requests(dir.path());
    assert!(requests.is_empty(), "the hostile report asked for {requests:?}");
}

#[test]
fn the_network_check_sees_a_page_that_fetches() {
    // A control: without it, an empty request list could mean the log
    // format changed and nothing is detected any more.
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("fetches.html");
    std::fs::write(&page, "<!DOCTYPE html><title>t</title><img src=\"http://127.0.0.1:9/pixel.png\">").expect("written");
    run_chromium(dir.path(), &page, &["--dump-dom"]);
    let requests = page_requests(dir.path());
    assert!(requests.iter().any(|u| u.contains("127.0.0.1:9/pixel.png")), "{requests:?}");
}

#[test]
fn headless_chromium_takes_a_screenshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&reports::with_tracking())).expect("written");
    let shot = dir.path().join("report.png");
    run_chromium(dir.path(), &page, &[&format!("--screenshot={}", shot.display()), "--window-size=1400,1800", "--hide-scrollbars"]);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000, "a real picture ({} bytes)", png.len());
    if let Some(keep) = std::env::var_os("DRYDOCK_KEEP_SCREENSHOT") {
        std::fs::write(keep, &png).expect("kept");
    }
}
