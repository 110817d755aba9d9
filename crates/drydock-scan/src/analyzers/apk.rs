//! apk (being written).

use crate::analyzer::{Analyzer, EntryInfo, FactKind};

pub struct ApkAnalyzer;

impl Analyzer for ApkAnalyzer {
    fn name(&self) -> &'static str {
        "apk"
    }
    fn wants(&self, _entry: &EntryInfo<'_>) -> bool {
        false
    }
    fn analyze(&self, _entry: &EntryInfo<'_>, _content: &[u8]) -> Result<Vec<FactKind>, String> {
        Ok(vec![])
    }
}
