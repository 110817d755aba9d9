//! (being written)

use std::io::{self, Write};

use drydock_core::report::Report;

pub fn write_assessment_results(_report: &Report, _out: &mut dyn Write) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "not written yet"))
}

pub fn write_poam(_report: &Report, _out: &mut dyn Write) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "not written yet"))
}
