//! The full report as pretty JSON (`schema_version` first).

use std::io::{self, Write};

use drydock_core::report::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
