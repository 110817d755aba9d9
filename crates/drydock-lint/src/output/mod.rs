//! Lint output formats. Each writer takes the results and nothing else.

use std::io::{self, Write};

use crate::FileResult;

pub mod checkstyle;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style code frames for the terminal.
    Table,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    Checkstyle,
    Junit,
}

pub fn write(results: &[FileResult], format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(results, color, out),
        Format::Json => json::write(results, out),
        Format::Sarif => sarif::write(results, out),
        Format::Checkstyle => checkstyle::write(results, out),
        Format::Junit => junit::write(results, out),
    }
}

/// Escapes text for XML attributes and content. Hand-written: five
/// characters, plus the control characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
