//! Checkstyle XML, which Jenkins' warnings plugin, reviewdog and many CI
//! dashboards read.

use std::io::{self, Write};

use super::xml_escape;
use crate::{FileResult, Level};

pub fn write(results: &[FileResult], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<checkstyle version=\"4.3\">")?;
    for r in results {
        writeln!(out, "  <file name=\"{}\">", xml_escape(&r.path))?;
        for d in &r.diagnostics {
            let severity = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info | Level::Style => "info",
            };
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"drydock.{}\"/>",
                d.line,
                d.column,
                xml_escape(&format!("{} ({})", d.message, d.name)),
                d.code
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
