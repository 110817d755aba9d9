//! Node packages (being written).

use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct NodeAnalyzer;

impl Analyzer for NodeAnalyzer {
    fn name(&self) -> &'static str {
        "node"
    }
    fn wants(&self, _entry: &EntryInfo<'_>) -> bool {
        false
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, _content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(vec![])
    }
}
