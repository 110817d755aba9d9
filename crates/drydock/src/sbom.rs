//! `drydock sbom`: the package inventory as a table, JSON, CycloneDX or SPDX.

use std::process::ExitCode;

use anyhow::Result;
use drydock_report::Format;

use crate::cli::{SbomArgs, SbomFormat};

pub fn run(args: &SbomArgs, quiet: bool) -> Result<ExitCode> {
    let (report, _) = crate::scan::scan_image(&args.image, &[], quiet)?;
    let format = match args.format {
        SbomFormat::Table => Format::PackagesTable,
        SbomFormat::Json => Format::PackagesJson,
        SbomFormat::Cyclonedx => Format::CycloneDx,
        SbomFormat::Spdx => Format::Spdx,
    };
    crate::scan::emit_report(&report, format, args.output.as_deref(), quiet)?;
    Ok(ExitCode::SUCCESS)
}
