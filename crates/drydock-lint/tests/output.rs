//! Output formats: SARIF validates against the official 2.1.0 schema, the
//! XML formats are well-formed, the rules page is generated, pragmas work.

use drydock_lint::output::{Format, write};
use drydock_lint::{FileResult, Settings, lint_source};

const DOCKERFILE: &str = "FROM python:latest\n\
RUN apt-get update && apt-get install curl & echo \"<done>\"\n\
# drydock ignore=DF013\n\
RUN apt-get upgrade\n\
ADD app.py /app/\n\
CMD python /app/app.py\n";

const CLEAN: &str = "FROM scratch\nCOPY app /app\nHEALTHCHECK CMD [\"/app\", \"health\"]\nUSER 10001\nENTRYPOINT [\"/app\"]\n";

fn results() -> Vec<FileResult> {
    vec![
        lint_source("services/api/Dockerfile", DOCKERFILE, &Settings::default(), None),
        lint_source("clean/Dockerfile", CLEAN, &Settings::default(), None),
    ]
}

fn render(format: Format) -> String {
    let mut out = Vec::new();
    write(&results(), format, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), drydock_lint::rules::RULES.len());
    let results = run["results"].as_array().unwrap();
    let df002 = results.iter().find(|r| r["ruleId"] == "DF002").unwrap();
    assert_eq!(df002["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "services/api/Dockerfile");
    assert_eq!(df002["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(df002["partialFingerprints"]["drydockFingerprint/v1"].as_str().unwrap().len(), 32);
}

#[test]
fn fingerprints_survive_lines_moving() {
    let a = lint_source("Dockerfile", "FROM python:latest\n", &Settings::default(), None);
    let b = lint_source("Dockerfile", "# a comment added above\n\nFROM python:latest\n", &Settings::default(), None);
    let fp = |r: FileResult| {
        let doc = drydock_lint::output::sarif::document(&[r]);
        doc["runs"][0]["results"].as_array().unwrap().iter().find(|x| x["ruleId"] == "DF002").unwrap()["partialFingerprints"].clone()
    };
    assert_eq!(fp(a), fp(b));
}

#[test]
fn xml_formats_are_well_formed_and_escaped() {
    for format in [Format::Checkstyle, Format::Junit] {
        let xml = render(format);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        // Every opened element is closed, in order.
        let mut stack: Vec<String> = Vec::new();
        let mut rest = xml.as_str();
        while let Some(i) = rest.find('<') {
            let end = rest[i..].find('>').map(|e| i + e).unwrap();
            let tag = &rest[i + 1..end];
            if !(tag.starts_with('?') || tag.ends_with('/')) {
                if let Some(name) = tag.strip_prefix('/') {
                    assert_eq!(stack.pop().as_deref(), Some(name), "{format:?}");
                } else {
                    stack.push(tag.split_whitespace().next().unwrap().to_owned());
                }
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "{format:?}: unclosed {stack:?}");
        assert!(!xml.contains("\"<done>\""), "{format:?} must escape");
    }
    let checkstyle = render(Format::Checkstyle);
    assert!(checkstyle.contains("source=\"drydock.DF002\""));
    let junit = render(Format::Junit);
    assert!(junit.contains("<testcase classname=\"clean/Dockerfile\" name=\"no problems\"/>"));
}

#[test]
fn table_shows_code_frames_and_a_summary() {
    let table = render(Format::Table);
    assert!(table.contains("services/api/Dockerfile:1:6"), "{table}");
    assert!(table.contains("[DF002]"), "{table}");
    assert!(table.contains("FROM python:latest"), "{table}");
    assert!(table.contains("2 files linted, 1 clean"), "{table}");
}

#[test]
fn json_lists_files_and_counts() {
    let doc: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
    assert_eq!(doc["files"][1]["diagnostics"].as_array().unwrap().len(), 0);
    assert!(doc["summary"]["diagnostics"].as_u64().unwrap() >= 2);
}

#[test]
fn pragmas_suppress_the_next_instruction_or_the_file() {
    let codes =
        |src: &str| lint_source("Dockerfile", src, &Settings::default(), None).diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
    assert!(codes("FROM alpine\n").contains(&"DF002"));
    assert!(!codes("# drydock ignore=DF002\nFROM alpine\n").contains(&"DF002"));
    assert!(!codes("# hadolint ignore=DL3006\nFROM alpine\n").contains(&"DF002"));
    assert!(!codes("FROM alpine\n# drydock global ignore=DF002,DF001\n").contains(&"DF002"));
    // A pragma covers only the next instruction.
    assert!(codes("# drydock ignore=DF002\nFROM alpine AS a\nFROM alpine\n").contains(&"DF002"));
}

/// docs/rules.md is generated; `DRYDOCK_BLESS=1 cargo test` rewrites it.
#[test]
fn the_rules_page_is_generated_from_the_doc_comments() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
    let generated = drydock_lint::output::markdown::rules_page();
    if std::env::var_os("DRYDOCK_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == generated, "docs/rules.md is stale: run `DRYDOCK_BLESS=1 cargo test -p drydock-lint --test output`");
    assert!(!generated.contains("TODO"), "a rule's documentation is unfinished");
}
