//! Java packages (being written).

use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct JavaAnalyzer;

impl Analyzer for JavaAnalyzer {
    fn name(&self) -> &'static str {
        "java"
    }
    fn wants(&self, _entry: &EntryInfo<'_>) -> bool {
        false
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, _content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(vec![])
    }
}
