//! dpkg (being written).

use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct DpkgAnalyzer;

impl Analyzer for DpkgAnalyzer {
    fn name(&self) -> &'static str {
        "dpkg"
    }
    fn wants(&self, _entry: &EntryInfo<'_>) -> bool {
        false
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, _content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(vec![])
    }
}
