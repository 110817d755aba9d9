//! Python packages (being written).

use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct PythonAnalyzer;

impl Analyzer for PythonAnalyzer {
    fn name(&self) -> &'static str {
        "python"
    }
    fn wants(&self, _entry: &EntryInfo<'_>) -> bool {
        false
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, _content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(vec![])
    }
}
