//! The POA&M spreadsheet: the columns are FedRAMP's template's, read from
//! the template itself; the workbook and the CSV read back (with calamine
//! and the csv crate) to the items of the OSCAL POA&M, with real dates.

#[path = "data/reports.rs"]
mod reports;

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use drydock_core::report::Report;
use drydock_report::poam_sheet::{CLOSED_SHEET, HEADER_ROW, HEADERS, OPEN_SHEET};
use jiff::civil::Date;
use reports::{RAW_SECRET, REFERENCE, SCANNED_AT};

const TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/fedramp/FedRAMP-POAM-Template.xlsx");

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The row (0-based, absolute) whose column A says `POAM ID`, and its cells.
fn header_row(range: &Range<Data>) -> (u32, Vec<String>) {
    let (first_row, _) = range.start().expect("a non-empty sheet");
    let (i, row) =
        range.rows().enumerate().find(|(_, r)| r.first().is_some_and(|c| cell_text(c) == "POAM ID")).expect("a POAM ID header row");
    let cells: Vec<String> = row.iter().map(cell_text).take_while(|c| !c.trim().is_empty()).collect();
    (first_row + i as u32, cells)
}

#[test]
fn headers_are_the_fedramp_templates() {
    let mut template: Xlsx<_> = open_workbook(TEMPLATE).expect("the FedRAMP POA&M template");
    for sheet in [OPEN_SHEET, CLOSED_SHEET] {
        let range = template.worksheet_range(sheet).expect(sheet);
        let (row, headers) = header_row(&range);
        assert_eq!(headers, HEADERS, "{sheet}: columns A-AE, in order");
        assert_eq!(row + 1, HEADER_ROW, "{sheet}: the header row");
    }
}

fn xlsx(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    drydock_report::poam_sheet::write_xlsx(report, &mut out).expect("writes");
    out
}

fn csv_text(report: &Report) -> String {
    let mut out = Vec::new();
    drydock_report::poam_sheet::write_csv(report, &mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

/// A sheet's items by POAM ID: column header -> cell.
fn sheet_items(bytes: &[u8], sheet: &str) -> BTreeMap<String, BTreeMap<&'static str, Data>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("our workbook opens");
    let range = book.worksheet_range(sheet).expect(sheet);
    let (row, headers) = header_row(&range);
    assert_eq!(headers, HEADERS);
    assert_eq!(row + 1, HEADER_ROW);
    let (_, first_col) = range.start().expect("cells");
    let mut out = BTreeMap::new();
    let (last_row, _) = range.end().expect("cells");
    for r in row + 1..=last_row {
        let get = |c: usize| range.get_value((r, first_col + c as u32)).cloned().unwrap_or(Data::Empty);
        let cells: BTreeMap<&'static str, Data> = HEADERS.iter().enumerate().map(|(c, h)| (*h, get(c))).collect();
        out.insert(cell_text(&cells["POAM ID"]), cells);
    }
    out
}

/// An Excel serial date (1900 system, after February 1900) as a date.
fn excel_date(d: &Data) -> Date {
    let Data::DateTime(dt) = d else { panic!("not a date cell: {d:?}") };
    assert!(dt.is_datetime());
    let base: Date = "1899-12-30".parse().expect("epoch");
    base.checked_add(jiff::Span::new().days(dt.as_f64().floor() as i64)).expect("in range")
}

fn poam_ids(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    drydock_report::oscal::write_poam(report, &mut out).expect("POA&M");
    let doc: serde_json::Value = serde_json::from_slice(&out).expect("json");
    doc["plan-of-action-and-milestones"]["poam-items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["props"].as_array()?.iter().find(|p| p["name"] == "POAM-ID")?["value"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn workbook_reads_back_with_the_oscal_items_and_real_dates() {
    let report = reports::tracked();
    let t = report.tracking.as_ref().expect("tracking");
    let bytes = xlsx(&report);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("opens");
    assert_eq!(book.sheet_names(), [OPEN_SHEET, CLOSED_SHEET]);
    let preamble = book.worksheet_range(OPEN_SHEET).expect("open");
    assert_eq!(preamble.get_value((1, 3)).map(cell_text).as_deref(), Some("POAM Date"));
    assert_eq!(excel_date(preamble.get_value((2, 3)).expect("POAM date")).to_string(), &SCANNED_AT[..10]);

    let open = sheet_items(&bytes, OPEN_SHEET);
    let closed = sheet_items(&bytes, CLOSED_SHEET);
    // The same items as the OSCAL POA&M, split into the two tabs.
    let mut all: Vec<String> = open.keys().chain(closed.keys()).cloned().collect();
    let mut oscal = poam_ids(&report);
    all.sort();
    oscal.sort();
    assert_eq!(all, oscal);
    assert_eq!(closed.len(), 2, "closed by a scan, and the approved false positive");

    for f in t.findings.iter().filter(|f| open.contains_key(&f.id)) {
        let row = &open[&f.id];
        assert_eq!(excel_date(&row["Original Detection Date"]).to_string(), f.first_seen[..10], "{}", f.id);
        assert_eq!(row["Scheduled Completion Date"] != Data::Empty, f.due.is_some());
        if let Some(due) = &f.due {
            assert_eq!(&excel_date(&row["Scheduled Completion Date"]).to_string(), due, "{}", f.id);
        }
        assert_eq!(cell_text(&row["Weakness Source Identifier"]), f.rule);
        assert_eq!(cell_text(&row["Weakness Detector Source"]), "drydock 0.1.0-test");
        assert!(cell_text(&row["Asset Identifier"]).starts_with(REFERENCE));
    }

    let glibc = &open["DD-0123456789ab"];
    assert_eq!(cell_text(&glibc["Controls"]), "RA-5, SI-2");
    assert_eq!(cell_text(&glibc["CVE"]), "CVE-2023-4911");
    assert_eq!(cell_text(&glibc["Binding Operational Directive 22-01 tracking"]), "Yes");
    assert_eq!(excel_date(&glibc["Binding Operational Directive 22-01 Due Date"]).to_string(), "2023-12-12");
    assert_eq!(cell_text(&glibc["Original Risk Rating"]), "High");
    assert_eq!(cell_text(&glibc["Adjusted Risk Rating"]), "N/A");
    assert!(cell_text(&glibc["Overall Remediation Plan"]).contains("Upgrade libc6 from 2.36-9+deb12u1 to 2.36-9+deb12u3"));

    let ash = open.values().find(|r| cell_text(&r["CVE"]) == "CVE-2022-48174").expect("busybox ash");
    assert_eq!(cell_text(&ash["Original Risk Rating"]), "High", "the template's scale ends at High");
    assert!(cell_text(&ash["Comments"]).contains("Critical"));
    assert_eq!(cell_text(&ash["Adjusted Risk Rating"]), "Moderate");
    assert_eq!(cell_text(&ash["Risk Adjustment"]), "Yes");
    assert_eq!(cell_text(&ash["Vendor Dependency"]), "Yes");
    assert_eq!(cell_text(&ash["Vendor Dependent Product Name"]), "busybox-static 1:1.35.0-4+deb12u1+b1");
    assert_eq!(excel_date(&ash["Last Vendor Check-in Date"]).to_string(), "2026-10-01");
    assert!(cell_text(&ash["Deviation Rationale"]).starts_with("Risk Adjustment : "));
    assert_eq!(cell_text(&ash["Supporting Documents"]), "Deviation Request : DEV-2");
    assert_eq!(cell_text(&ash["Auto-Approve"]), "No");

    let fp = closed.values().find(|r| cell_text(&r["CVE"]) == "CVE-2023-42363").expect("false positive on the Closed tab");
    assert_eq!(cell_text(&fp["False Positive"]), "Yes");
    assert_eq!(excel_date(&fp["Status Date"]).to_string(), "2026-10-01");
    let gone = closed.values().find(|r| cell_text(&r["CVE"]) == "CVE-2023-4863").expect("closed item");
    assert_eq!(excel_date(&gone["Status Date"]).to_string(), "2026-10-20");

    let new = open.values().find(|r| cell_text(&r["CVE"]) == "CVE-2023-42366").expect("untracked finding");
    assert!(cell_text(&new["Comments"]).contains("first seen = this scan (no history)"));
    assert_eq!(excel_date(&new["Original Detection Date"]).to_string(), &SCANNED_AT[..10]);
}

#[test]
fn csv_has_the_template_columns_and_the_open_items() {
    let report = reports::tracked();
    let text = csv_text(&report);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header row").iter().map(str::to_owned).collect();
    assert_eq!(headers, HEADERS);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("RFC 4180 records");
    let open = sheet_items(&xlsx(&report), OPEN_SHEET);
    assert_eq!(rows.len(), open.len(), "the open items");
    for row in &rows {
        assert_eq!(row.len(), HEADERS.len());
        let xl = &open[&row[0]];
        for (i, h) in HEADERS.iter().enumerate() {
            let expected = match &xl[h] {
                d @ Data::DateTime(_) => excel_date(d).to_string(),
                d => cell_text(d),
            };
            assert_eq!(row[i], expected, "{} {h}", &row[0]);
        }
    }
    // Multi-line cells survive quoting (descriptions, comments, CVE lists).
    assert!(rows.iter().any(|r| r[3].contains("\n\n")), "a multi-line description");
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
}

#[test]
fn untracked_report_has_every_finding_open() {
    let report = reports::with_findings();
    let bytes = xlsx(&report);
    let open = sheet_items(&bytes, OPEN_SHEET);
    assert!(sheet_items(&bytes, CLOSED_SHEET).is_empty());
    assert_eq!(open.len(), 4 + report.hardening.len() + report.secrets.len());
    for (id, row) in &open {
        assert!(cell_text(&row["Comments"]).contains("first seen = this scan (no history)"), "{id}");
        assert_eq!(excel_date(&row["Original Detection Date"]).to_string(), &SCANNED_AT[..10]);
        assert!(["Low", "Moderate", "High"].contains(&cell_text(&row["Original Risk Rating"]).as_str()), "{id}");
        assert_eq!(cell_text(&row["False Positive"]), "No");
    }
}

#[test]
fn same_report_same_bytes_and_no_secret_values() {
    let report = reports::tracked();
    assert_eq!(xlsx(&report), xlsx(&report.clone()), "the workbook is reproducible");
    assert_eq!(csv_text(&report), csv_text(&report.clone()));
    let text = csv_text(&report);
    assert!(!text.contains(RAW_SECRET) && text.contains("AKIA****"));
    for sheet in [OPEN_SHEET, CLOSED_SHEET] {
        for row in sheet_items(&xlsx(&report), sheet).values() {
            assert!(row.values().all(|c| !cell_text(c).contains(RAW_SECRET)));
        }
    }
}
