//! SARIF 2.1.0, as GitHub code scanning reads it: every rule with its help
//! text (the rule's documentation), results located in the Dockerfile, and
//! a stable fingerprint per result so an alert keeps its identity when
//! lines move.

use std::io::{self, Write};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::rules::RULES;
use crate::{FileResult, Level};

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Style => "note",
    }
}

/// GitHub ranks security alerts by this property (0.0 – 10.0).
fn security_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "8.0",
        Level::Warning => "5.0",
        Level::Info => "2.0",
        Level::Style => "0.5",
    }
}

pub fn document(results: &[FileResult]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(m, _)| {
            let doc = m.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n");
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": doc, "markdown": doc },
                "helpUri": format!("https://github.com/drydock-dev/drydock/blob/main/docs/rules.md#{}", m.code.to_ascii_lowercase()),
                "defaultConfiguration": { "level": sarif_level(m.level) },
                "properties": { "tags": ["dockerfile", "security"], "security-severity": security_severity(m.level) },
            })
        })
        .collect();
    let mut out = Vec::new();
    for r in results {
        let lines: Vec<&str> = r.source.lines().collect();
        let uri = r.path.replace('\\', "/");
        for d in &r.diagnostics {
            let index = RULES.iter().position(|(m, _)| m.code == d.code).unwrap_or(0);
            let line_text = lines.get(d.line.saturating_sub(1)).map(|l| l.trim()).unwrap_or("");
            let mut h = Sha256::new();
            for part in [d.code, uri.as_str(), line_text] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            let fingerprint = hex::encode(&h.finalize()[..16]);
            let mut region = json!({ "startLine": d.line.max(1), "startColumn": d.column.max(1) });
            if d.end_line >= d.line && (d.end_line, d.end_column) > (d.line, d.column) {
                region["endLine"] = json!(d.end_line);
                region["endColumn"] = json!(d.end_column.max(1));
            }
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!(" Fix: {help}"));
            }
            out.push(json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": sarif_level(d.level),
                "message": { "text": message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region } }],
                "partialFingerprints": { "drydockFingerprint/v1": fingerprint },
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "drydock",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/drydock-dev/drydock",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    })
}

pub fn write(results: &[FileResult], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(results))?;
    writeln!(out)
}
