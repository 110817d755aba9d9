//! Test helpers: `assert_fires("DF003", dockerfile)` and `assert_silent`.

use crate::{Diagnostic, Settings, lint_source};

pub fn diagnostics(source: &str, settings: &Settings, dockerignore: Option<&str>) -> Vec<Diagnostic> {
    lint_source("Dockerfile", source, settings, dockerignore).diagnostics
}

#[track_caller]
pub fn assert_fires(code: &str, source: &str) -> Vec<Diagnostic> {
    assert_fires_with(code, source, &Settings::default(), None)
}

#[track_caller]
pub fn assert_fires_with(code: &str, source: &str, settings: &Settings, dockerignore: Option<&str>) -> Vec<Diagnostic> {
    let all = diagnostics(source, settings, dockerignore);
    let hits: Vec<Diagnostic> = all.iter().filter(|d| d.code == code).cloned().collect();
    assert!(!hits.is_empty(), "{code} should fire on:\n{source}\ngot: {all:#?}");
    hits
}

#[track_caller]
pub fn assert_silent(code: &str, source: &str) {
    assert_silent_with(code, source, &Settings::default(), None)
}

#[track_caller]
pub fn assert_silent_with(code: &str, source: &str, settings: &Settings, dockerignore: Option<&str>) {
    let hits: Vec<Diagnostic> = diagnostics(source, settings, dockerignore).into_iter().filter(|d| d.code == code).collect();
    assert!(hits.is_empty(), "{code} should be silent on:\n{source}\ngot: {hits:#?}");
}
