//! The FedRAMP POA&M spreadsheet: the columns A–AE of FedRAMP's POA&M
//! template (v2.1), as an `.xlsx` workbook with the template's "Open POA&M
//! Items" and "Closed POA&M Items" sheets, and as CSV (open items).
//!
//! One row per weakness, the same items, ids and dates as the OSCAL POA&M
//! (both read [`crate::oscal::weakness`]). The sheets keep the template's
//! layout: the title in row 1, CSP / System Name / Impact Level / POAM Date
//! in rows 2 and 3 (drydock knows only the date; the others are the
//! system owner's), the column headers in row 5 and the items from row 6.
//! Dates are real dates (`yyyy-mm-dd`), so filters and sorting work.
//!
//! Ratings use the template's scale, Low / Moderate / High: a Critical
//! finding is High there (its Comments say Critical and its CVSS score),
//! and an unrated one is Moderate, the class it is clocked in. Deviations
//! recorded in drydock's history are "Yes" (see `oscal::weakness`).
//!
//! `rust_xlsxwriter` writes the workbook; its creation date is set to the
//! scan time, so the same report gives the same bytes.

use std::io::{self, Write};

use drydock_core::report::Report;
use drydock_core::tracking::{DeviationKind, fedramp_name, risk_class};
use drydock_core::vulnerability::Severity;
use jiff::civil::Date;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::oscal::Scan;
use crate::oscal::weakness::{self, NO_HISTORY, Weakness};

/// The template's column headers, A to AE, in order.
pub const HEADERS: [&str; 31] = [
    "POAM ID",
    "Controls",
    "Weakness Name",
    "Weakness Description",
    "Weakness Detector Source",
    "Weakness Source Identifier",
    "Asset Identifier",
    "Point of Contact",
    "Resources Required",
    "Overall Remediation Plan",
    "Original Detection Date",
    "Scheduled Completion Date",
    "Planned Milestones",
    "Milestone Changes",
    "Status Date",
    "Vendor Dependency",
    "Last Vendor Check-in Date",
    "Vendor Dependent Product Name",
    "Original Risk Rating",
    "Adjusted Risk Rating",
    "Risk Adjustment",
    "False Positive",
    "Operational Requirement",
    "Deviation Rationale",
    "Supporting Documents",
    "Comments",
    "Auto-Approve",
    "Binding Operational Directive 22-01 tracking",
    "Binding Operational Directive 22-01 Due Date",
    "CVE",
    "Service Name",
];

pub const OPEN_SHEET: &str = "Open POA&M Items";
pub const CLOSED_SHEET: &str = "Closed POA&M Items";

/// The template's header row (1-based); items start on the next one.
pub const HEADER_ROW: u32 = 5;

/// The workbook: open items, and closed ones (closed by a scan, or active
/// false positives, which FedRAMP moves to the Closed tab).
pub fn write_xlsx(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let scan = Scan::new(report)?;
    let weaknesses = weakness::collect(report, &scan)?;
    let bytes = workbook(&scan, &weaknesses).map_err(|e| io::Error::other(format!("writing the POA&M workbook: {e}")))?;
    out.write_all(&bytes)
}

/// The open items as CSV (RFC 4180), a header row and one row per item.
pub fn write_csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let scan = Scan::new(report)?;
    let weaknesses = weakness::collect(report, &scan)?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(HEADERS)?;
    for item in weaknesses.iter().filter(|w| w.is_open()) {
        w.write_record(row(&scan, item).iter().map(Cell::text))?;
    }
    w.flush()
}

enum Cell {
    Text(String),
    Date(Date),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn date(d: Option<Date>) -> Cell {
    d.map_or_else(|| text(""), Cell::Date)
}

fn yes_no(b: bool) -> Cell {
    text(if b { "Yes" } else { "No" })
}

/// The template's rating scale: Low, Moderate, High.
fn rating(severity: Severity) -> &'static str {
    match risk_class(severity) {
        Severity::Critical => "High",
        s => fedramp_name(s),
    }
}

/// One item as the template's 31 columns.
fn row(scan: &Scan<'_>, w: &Weakness<'_>) -> Vec<Cell> {
    let active = |k| w.active(k);
    let vd = active(DeviationKind::VendorDependency);
    let deviations: Vec<_> = [DeviationKind::RiskAdjustment, DeviationKind::FalsePositive, DeviationKind::OperationalRequirement]
        .into_iter()
        .filter_map(active)
        .collect();
    let recorded = |d: &drydock_core::tracking::Deviation| crate::oscal::day(&d.recorded_at, "recorded_at").ok();
    let status_day = if w.is_open() { w.deviations.iter().filter_map(recorded).chain([w.first_seen_day]).max() } else { w.closed_day() };
    let product = vd.map(|_| match w.sources.vulns.first() {
        Some(f) => format!("{} {}", f.package.name, f.package.version),
        None => w.subject.clone(),
    });

    let mut comments = vec![format!("Deadline: {}.", w.due_reason)];
    if w.overdue && w.is_open() {
        comments.push("Overdue.".to_owned());
    }
    if !w.tracked {
        comments.push(format!("{NO_HISTORY}."));
    }
    match w.severity {
        Severity::Critical => comments.push("Original risk rating: Critical (the template's scale ends at High).".to_owned()),
        Severity::Unknown => comments.push("Unrated by the sources: clocked as Moderate.".to_owned()),
        _ => {}
    }
    if let Some(score) = w.cvss_v3_score {
        comments.push(format!("CVSS v3 base score {score:.1}."));
    }
    if w.reopened > 0 {
        comments.push(format!("Reopened {} time(s); the clock runs from the original detection.", w.reopened));
    }
    if let Some(d) = vd {
        comments.push(format!("Vendor Dependency : {} ({})", d.rationale, d.id));
    }
    for d in w.deviations.iter().filter(|d| !d.active) {
        comments.push(format!("Expired: {} {} (until {}).", d.kind, d.id, d.expires.as_deref().unwrap_or("?")));
    }

    vec![
        text(&w.id),
        text(w.controls().join(", ")),
        text(&w.title),
        text(w.description()),
        text(scan.tool_name()),
        text(&w.rule),
        text(scan.asset()),
        text(""),
        text(""),
        text(w.remediation()),
        Cell::Date(w.first_seen_day),
        date(w.due),
        text(w.due.map(|d| format!("(1) {d}: Remediated and verified by a rescan")).unwrap_or_default()),
        text(""),
        date(status_day),
        yes_no(vd.is_some()),
        date(vd.and_then(recorded)),
        text(product.unwrap_or_default()),
        text(rating(w.severity)),
        text(w.adjusted.map_or("N/A", rating)),
        yes_no(active(DeviationKind::RiskAdjustment).is_some()),
        yes_no(active(DeviationKind::FalsePositive).is_some()),
        yes_no(active(DeviationKind::OperationalRequirement).is_some()),
        text(
            deviations
                .iter()
                .map(|d| format!("{} : {}", crate::oscal::deviation_name(d.kind), d.rationale))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        text(deviations.iter().map(|d| format!("Deviation Request : {}", d.id)).collect::<Vec<_>>().join("\n")),
        text(comments.join("\n")),
        text(if deviations.is_empty() { "" } else { "No" }),
        yes_no(w.kev_due.is_some()),
        date(w.kev_due),
        text(w.cves().join("\n")),
        text(""),
    ]
}

fn workbook(scan: &Scan<'_>, weaknesses: &[Weakness<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time (the scan's) makes the bytes reproducible.
    let created = ExcelDateTime::from_timestamp(scan.timestamp().as_second())?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title("Plan of Action and Milestones (POA&M)"));
    let open: Vec<&Weakness<'_>> = weaknesses.iter().filter(|w| w.is_open()).collect();
    let closed: Vec<&Weakness<'_>> = weaknesses.iter().filter(|w| !w.is_open()).collect();
    for (name, items) in [(OPEN_SHEET, open), (CLOSED_SHEET, closed)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        fill(sheet, scan, &items)?;
    }
    book.save_to_buffer()
}

fn fill(sheet: &mut Worksheet, scan: &Scan<'_>, items: &[&Weakness<'_>]) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let label = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(0xD9E1F2)
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let day = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top).set_align(FormatAlign::Left);

    sheet.write_string_with_format(0, 0, "Plan of Action and Milestones (POA&M)", &title)?;
    for (col, l) in ["CSP", "System Name", "Impact Level", "POAM Date"].into_iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, l, &label)?;
    }
    sheet.write_datetime_with_format(2, 3, excel_day(scan.day)?, &day)?;

    let header_row = HEADER_ROW - 1;
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, *h, &header)?;
    }
    sheet.set_row_height(header_row, 45)?;
    for (i, w) in items.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        for (col, cell) in row(scan, w).into_iter().enumerate() {
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, col as u16, s, &wrap)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(r, col as u16, excel_day(d)?, &day)?;
                }
            }
        }
    }
    // The template's widths: wide text columns, narrow flags.
    for col in 0..HEADERS.len() as u16 {
        sheet.set_column_width(col, if matches!(col, 2 | 3 | 9 | 23 | 25) { 48.0 } else { 20.83 })?;
    }
    sheet.set_freeze_panes(header_row + 1, 1)?;
    let last = header_row + items.len() as u32;
    sheet.autofilter(header_row, 0, last, HEADERS.len() as u16 - 1)?;
    Ok(())
}

fn excel_day(d: Date) -> Result<ExcelDateTime, XlsxError> {
    // jiff dates are within years -9999..=9999; Excel's are 1900..=9999.
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(format!("year {}", d.year())))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}
