//! JSON: `{ "files": [ { "path", "parse_errors", "diagnostics": [...] } ], "summary": {...} }`.

use std::io::{self, Write};

use crate::FileResult;

pub fn write(results: &[FileResult], out: &mut dyn Write) -> io::Result<()> {
    let mut by_level = std::collections::BTreeMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        *by_level.entry(d.level.as_str()).or_insert(0u64) += 1;
    }
    let doc = serde_json::json!({
        "schema_version": 1,
        "tool": { "name": "drydock", "version": env!("CARGO_PKG_VERSION") },
        "files": results,
        "summary": { "files": results.len(), "diagnostics": results.iter().map(|r| r.diagnostics.len()).sum::<usize>(), "by_level": by_level },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
