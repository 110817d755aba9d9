//! Every real Dockerfile in the corpus parses; the files Docker itself
//! rejects are listed with the reason, and the parser must find exactly
//! those problems.

use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if !(name.ends_with(".dockerignore") || name == "SOURCES.md" || name == "MANIFEST.tsv") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Corpus files Docker refuses to build, and why. Most are the upstream
/// projects' own negative test inputs.
const REJECTED: &[(&str, &str)] = &[
    // buildah's tests of an empty `RUN` (Docker: "RUN requires at least one argument").
    ("containers__buildah/tests__bud__run-scenarios__Dockerfile.cmd-empty-run", "RUN needs arguments"),
    ("containers__buildah/tests__bud__run-scenarios__Dockerfile.entrypoint-cmd-empty-run", "RUN needs arguments"),
    ("containers__buildah/tests__bud__run-scenarios__Dockerfile.entrypoint-empty-run", "RUN needs arguments"),
    // buildah's test of an unknown instruction.
    ("containers__buildah/tests__bud__unrecognized__Dockerfile", "unknown instruction `BOGUS`"),
    // osv-scalibr's deliberately invalid file.
    ("google__osv-scalibr/extractor__filesystem__containers__dockerbaseimage__testdata__dockerfile.invalid", "RUN before the first FROM"),
    // BuildKit's parser-only test inputs: fragments without FROM, which the
    // builder refuses ("no build stage in current context").
    ("moby__buildkit/frontend__dockerfile__parser__testfiles-negative__empty_dockerfile__Dockerfile", "no instructions"),
    ("moby__buildkit/frontend__dockerfile__parser__testfiles-negative__only_comments__Dockerfile", "no instructions"),
    ("moby__buildkit/frontend__dockerfile__parser__testfiles-negative__shykes-nested-json__Dockerfile", "CMD before the first FROM"),
    (
        "moby__buildkit/frontend__dockerfile__parser__testfiles__jeztah-invalid-json-json-inside-string-double__Dockerfile",
        "CMD before the first FROM",
    ),
    (
        "moby__buildkit/frontend__dockerfile__parser__testfiles__jeztah-invalid-json-json-inside-string__Dockerfile",
        "CMD before the first FROM",
    ),
    ("moby__buildkit/frontend__dockerfile__parser__testfiles__jeztah-invalid-json-single-quotes__Dockerfile", "CMD before the first FROM"),
    (
        "moby__buildkit/frontend__dockerfile__parser__testfiles__jeztah-invalid-json-unterminated-bracket__Dockerfile",
        "CMD before the first FROM",
    ),
    (
        "moby__buildkit/frontend__dockerfile__parser__testfiles__jeztah-invalid-json-unterminated-string__Dockerfile",
        "CMD before the first FROM",
    ),
    ("moby__buildkit/frontend__dockerfile__parser__testfiles__json__Dockerfile", "CMD before the first FROM"),
];

#[test]
fn the_whole_corpus_parses() {
    let files = corpus_files();
    assert!(files.len() >= 1000, "{} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let df = drydock_lint::dockerfile::parse::parse(&text);
        let rel = path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")).unwrap().display().to_string();
        let expected = REJECTED.iter().find(|(f, _)| *f == rel);
        match (df.errors.first(), expected) {
            (None, None) => {}
            (Some(e), Some((_, why))) if e.message.contains(why) => {}
            (got, want) => failures.push(format!("{rel}: got {:?}, expected {:?}", got.map(|e| &e.message), want.map(|w| w.1))),
        }
    }
    assert!(failures.is_empty(), "{} of {} files:\n{}", failures.len(), files.len(), failures.join("\n"));
}
