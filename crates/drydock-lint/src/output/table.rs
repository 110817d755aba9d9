//! The terminal format: rustc-style code frames (annotate-snippets), one
//! per diagnostic, then a summary line.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use crate::{FileResult, Level};

pub fn write(results: &[FileResult], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut counts = [0usize; 4];
    for r in results {
        for d in &r.diagnostics {
            counts[d.level as usize] += 1;
            let level = match d.level {
                Level::Error => SnippetLevel::ERROR,
                Level::Warning => SnippetLevel::WARNING,
                Level::Info => SnippetLevel::INFO,
                Level::Style => SnippetLevel::NOTE,
            };
            let title = format!("{} [{}]", d.message, d.name);
            let end = d.span.end.max(d.span.start + 1).min(r.source.len());
            let start = d.span.start.min(end);
            let snippet =
                Snippet::source(r.source.as_str()).path(r.path.as_str()).fold(true).annotation(AnnotationKind::Primary.span(start..end));
            let mut report = vec![level.primary_title(title).id(d.code).element(snippet)];
            if let Some(help) = &d.help {
                report.push(Group::with_title(SnippetLevel::HELP.secondary_title(help.as_str())));
            }
            writeln!(out, "{}\n", renderer.render(&report))?;
        }
    }
    let files = results.len();
    let clean = results.iter().filter(|r| r.diagnostics.is_empty()).count();
    let [style, info, warning, error] = counts;
    writeln!(
        out,
        "{files} file{} linted, {clean} clean: {error} error{}, {warning} warning{}, {info} info, {style} style",
        if files == 1 { "" } else { "s" },
        if error == 1 { "" } else { "s" },
        if warning == 1 { "" } else { "s" }
    )
}
