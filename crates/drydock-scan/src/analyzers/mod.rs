//! The registry of analyzers: one explicit list, in order. No registration by
//! side effect; adding an analyzer means adding a file and a line here.

use crate::analyzer::Analyzer;

pub mod accounts;
pub mod apk;
pub mod dpkg;
mod elf;
pub mod fips;
pub mod golang;
pub mod java;
pub mod node;
pub mod os_release;
pub mod python;
pub mod rpm;
pub mod ruby;
pub mod rust;
pub mod secrets;

/// Every analyzer drydock runs, in the order their facts are reported.
pub static ALL: &[&dyn Analyzer] = &[
    &os_release::OsReleaseAnalyzer,
    &accounts::AccountsAnalyzer,
    &dpkg::DpkgAnalyzer,
    &apk::ApkAnalyzer,
    &rpm::RpmAnalyzer,
    &python::PythonAnalyzer,
    &node::NodeAnalyzer,
    &golang::GoBinaryAnalyzer,
    &rust::RustAnalyzer,
    &java::JavaAnalyzer,
    &ruby::RubyAnalyzer,
];

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = super::ALL.iter().map(|a| a.name()).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
