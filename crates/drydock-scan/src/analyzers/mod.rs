//! The registry of analyzers: one explicit list, in order. No registration by
//! side effect; adding an analyzer means adding a file and a line here.

use crate::analyzer::Analyzer;

pub mod os_release;

/// Every analyzer drydock runs, in the order their facts are reported.
pub static ALL: &[&dyn Analyzer] = &[&os_release::OsReleaseAnalyzer];

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
