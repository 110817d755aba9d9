//! JUnit XML for CI dashboards: one test suite per Dockerfile, one failed
//! test case per diagnostic at or above warning (info and style are
//! listed as passed cases with the message in `system-out`), and a passed
//! case for a clean file.

use std::io::{self, Write};

use super::xml_escape;
use crate::{FileResult, Level};

pub fn write(results: &[FileResult], out: &mut dyn Write) -> io::Result<()> {
    let failures = |r: &FileResult| r.diagnostics.iter().filter(|d| d.level >= Level::Warning).count();
    let total_tests: usize = results.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let total_failures: usize = results.iter().map(failures).sum();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"drydock lint\" tests=\"{total_tests}\" failures=\"{total_failures}\">")?;
    for r in results {
        let path = xml_escape(&r.path);
        writeln!(out, "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\">", r.diagnostics.len().max(1), failures(r))?;
        if r.diagnostics.is_empty() {
            writeln!(out, "    <testcase classname=\"{path}\" name=\"no problems\"/>")?;
        }
        for d in &r.diagnostics {
            let name = xml_escape(&format!("{} {} line {}", d.code, d.name, d.line));
            let text = xml_escape(&format!("{}:{}:{} {}", r.path, d.line, d.column, d.message));
            if d.level >= Level::Warning {
                writeln!(out, "    <testcase classname=\"{path}\" name=\"{name}\">")?;
                writeln!(out, "      <failure type=\"{}\" message=\"{}\">{text}</failure>", d.level.as_str(), xml_escape(&d.message))?;
                writeln!(out, "    </testcase>")?;
            } else {
                writeln!(out, "    <testcase classname=\"{path}\" name=\"{name}\"><system-out>{text}</system-out></testcase>")?;
            }
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
