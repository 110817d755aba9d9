//! The Dockerfile linter.
//!
//! Data flows one way: source text -> [`dockerfile::parse`] -> the
//! [`dockerfile::Model`] (stages, resolved base images, RUN commands) ->
//! every enabled rule in [`rules::RULES`] -> [`Diagnostic`]s, filtered by
//! pragmas (`# drydock ignore=…`, `# hadolint ignore=…`) and the
//! `[lint]` settings, sorted by position.
//!
//! ```
//! let result = drydock_lint::lint_source("Dockerfile", "FROM alpine\nRUN apk add curl\n", &drydock_lint::Settings::default(), None);
//! assert!(result.diagnostics.iter().any(|d| d.code == "DF002"));
//! ```

pub mod dockerfile;
pub mod files;
pub mod output;
pub mod pragma;
pub mod rules;

use dockerfile::Model;
use dockerfile::ast::Span;
use serde::Serialize;

/// How serious a diagnostic is (hadolint's levels, which users know).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Style,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Style => "style",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "style" => Level::Style,
            "info" => Level::Info,
            "warning" => Level::Warning,
            "error" => Level::Error,
            _ => return None,
        })
    }
}

/// What a rule is: its code, name, default level and documentation (the
/// rule file's doc comment, which the rules page is generated from).
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, example, fix.
    pub doc: &'static str,
}

/// Declares a rule's metadata from its doc comment.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* code = $code:literal, name = $name:literal, level = $level:ident, summary = $summary:literal $(,)?) => {
        pub(crate) static META: $crate::RuleMeta = $crate::RuleMeta {
            code: $code,
            name: $name,
            level: $crate::Level::$level,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

/// A located problem in a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub message: String,
    /// A suggested fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip)]
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// What rules read: the model, the settings, and the `.dockerignore`
/// beside the Dockerfile (when there is one).
pub struct Context<'a> {
    pub model: &'a Model,
    pub settings: &'a Settings,
    pub dockerignore: Option<&'a str>,
    out: std::cell::RefCell<Vec<Reported>>,
}

/// A report as a rule made it: rule, span, message, help.
type Reported = (&'static RuleMeta, Span, String, Option<String>);

impl<'a> Context<'a> {
    pub fn source(&self) -> &str {
        &self.model.file.source
    }

    /// Reports a problem found by `rule` at `span`.
    pub fn report(&self, rule: &'static RuleMeta, span: Span, message: impl Into<String>) {
        self.out.borrow_mut().push((rule, span, message.into(), None));
    }

    /// Reports a problem with a suggested fix.
    pub fn report_with_help(&self, rule: &'static RuleMeta, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.out.borrow_mut().push((rule, span, message.into(), Some(help.into())));
    }
}

/// Linter settings, from `[lint]` in drydock.toml.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub approved_registries: Vec<String>,
    pub disabled: Vec<String>,
    pub levels: std::collections::BTreeMap<String, Level>,
}

impl Settings {
    /// Validates the `[lint]` section: unknown rule codes and levels are errors.
    pub fn from_config(c: &drydock_config::LintConfig) -> Result<Settings, String> {
        let known = |code: &str| rules::RULES.iter().any(|(m, _)| m.code.eq_ignore_ascii_case(code));
        for code in &c.disable {
            if !known(code) {
                return Err(format!("[lint] disable: unknown rule `{code}` (see `drydock rules`)"));
            }
        }
        let mut levels = std::collections::BTreeMap::new();
        for (code, level) in &c.levels {
            if !known(code) {
                return Err(format!("[lint.levels]: unknown rule `{code}` (see `drydock rules`)"));
            }
            let l = Level::parse(level).ok_or_else(|| format!("[lint.levels] {code} = \"{level}\": use error, warning, info or style"))?;
            levels.insert(code.to_ascii_uppercase(), l);
        }
        Ok(Settings {
            approved_registries: c.approved_registries.clone(),
            disabled: c.disable.iter().map(|c| c.to_ascii_uppercase()).collect(),
            levels,
        })
    }
}

/// The result of linting one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileResult {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems Docker would reject the file for (they are also diagnostics, code DF000).
    pub parse_errors: usize,
    #[serde(skip)]
    pub source: String,
}

/// Lints Dockerfile text. `dockerignore` is the content of the
/// `.dockerignore` beside it, if any.
pub fn lint_source(path: &str, source: &str, settings: &Settings, dockerignore: Option<&str>) -> FileResult {
    let file = dockerfile::parse::parse(source);
    let model = Model::new(file);
    let cx = Context { model: &model, settings, dockerignore, out: Default::default() };
    for error in &model.file.errors {
        cx.report(&rules::syntax::META, error.span, error.message.clone());
    }
    for (meta, check) in rules::RULES {
        if meta.code != rules::syntax::META.code && !settings.disabled.iter().any(|d| d == meta.code) {
            check(&cx);
        }
    }
    let pragmas = pragma::Pragmas::read(&model);
    let lines = LineIndex::new(&model.file.source);
    let mut diagnostics: Vec<Diagnostic> = cx
        .out
        .into_inner()
        .into_iter()
        .filter(|(meta, span, _, _)| !pragmas.suppresses(meta.code, span.start))
        .map(|(meta, span, message, help)| {
            let (line, column) = lines.position(span.start);
            let (end_line, end_column) = lines.position(span.end);
            Diagnostic {
                code: meta.code,
                name: meta.name,
                level: settings.levels.get(meta.code).copied().unwrap_or(meta.level),
                message,
                help,
                span,
                line,
                column,
                end_line,
                end_column,
            }
        })
        .collect();
    diagnostics.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    diagnostics.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    FileResult { path: path.to_owned(), parse_errors: model.file.errors.len(), diagnostics, source: model.file.source.clone() }
}

/// Byte offset -> 1-based line and column (in characters).
pub struct LineIndex {
    starts: Vec<usize>,
    source_len: usize,
    source: String,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, source_len: source.len(), source: source.to_owned() }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source_len);
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let column = self.source.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start) + 1;
        (line + 1, column)
    }
}
