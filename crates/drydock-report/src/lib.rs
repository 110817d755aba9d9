//! Writers: each takes the [`Report`] and nothing else (no CLI flags) and
//! writes one format. Adding a format is adding a file and a [`Format`] arm.

use std::io::{self, Write};

use drydock_core::report::Report;

pub mod cyclonedx;
pub mod html;
pub mod json;
pub mod junit;
pub mod oscal;
pub mod poam_sheet;
pub mod sarif;
mod sbom;
pub mod spdx_json;
pub mod table;

/// Output formats of `drydock scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// CycloneDX 1.6 JSON SBOM.
    CycloneDx,
    /// SPDX 2.3 JSON SBOM.
    Spdx,
    /// The packages only, as a terminal table.
    PackagesTable,
    /// The inventory only (`os`, `packages`), as JSON.
    PackagesJson,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// OSCAL 1.1 assessment results.
    OscalAr,
    /// OSCAL 1.1 plan of action and milestones.
    OscalPoam,
    /// The FedRAMP POA&M spreadsheet (xlsx).
    PoamXlsx,
    /// The FedRAMP POA&M columns as CSV.
    PoamCsv,
    /// JUnit XML for CI dashboards.
    Junit,
    /// A self-contained HTML report.
    Html,
}

/// Presentation choices that don't change content.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Terminal width for tables (`None`: no wrapping).
    pub width: Option<u16>,
}

pub fn write(report: &Report, format: Format, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(report, style, out),
        Format::Json => json::write(report, out),
        Format::CycloneDx => cyclonedx::write(report, out),
        Format::Spdx => spdx_json::write(report, out),
        Format::PackagesTable => table::write_packages(report, style, out),
        Format::PackagesJson => json::write_inventory(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::OscalAr => oscal::write_assessment_results(report, out),
        Format::OscalPoam => oscal::write_poam(report, out),
        Format::PoamXlsx => poam_sheet::write_xlsx(report, out),
        Format::PoamCsv => poam_sheet::write_csv(report, out),
        Format::Junit => junit::write(report, out),
        Format::Html => html::write(report, out),
    }
}
