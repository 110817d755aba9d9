//! DF002 `unpinned-base-image`: Base image is not pinned to a tag and digest.

use crate::Context;
use crate::dockerfile::Stage;

crate::declare_rule! {
    /// ## What it checks
    /// `FROM` lines whose image has no tag, the `latest` tag, or a tag but
    /// no `@sha256:` digest. Build args are substituted first
    /// (`ARG V=3.20` / `FROM alpine:${V}` counts as tagged); `FROM scratch`
    /// and `FROM <earlier stage>` are exempt.
    /// ## Why it matters
    /// A tag is a moving pointer: the image you scanned and approved is not
    /// necessarily the one the next build pulls. Pinning the digest makes
    /// the build reproducible and the scan evidence meaningful (hardening
    /// guide stage 2.5; NIST 800-53 CM-2 baseline configuration, SI-7).
    /// ## Example
    /// ```dockerfile
    /// FROM python:latest
    /// FROM alpine
    /// ```
    /// ## Fix
    /// `FROM alpine:3.20@sha256:<digest>`: keep the tag for people, the
    /// digest for machines (`docker buildx imagetools inspect alpine:3.20`
    /// prints it).
    code = "DF002",
    name = "unpinned-base-image",
    level = Warning,
    summary = "Base image is not pinned to a tag and digest",
}

pub(crate) fn check(cx: &Context<'_>) {
    for stage in &cx.model.stages {
        let Some(problem) = problem(stage) else { continue };
        let from = cx.model.instruction(stage.from);
        let span = crate::dockerfile::ast::Span::new(from.source_offset(0), from.source_offset(stage.base_written.len().max(1) - 1) + 1);
        cx.report_with_help(&META, span, problem, "pin it: `FROM image:tag@sha256:<digest>`");
    }
}

fn problem(stage: &Stage) -> Option<String> {
    if stage.base_stage.is_some() {
        return None;
    }
    let image = stage.base.as_deref()?;
    if image.eq_ignore_ascii_case("scratch") {
        return None;
    }
    if image.contains('$') {
        return None;
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    // The tag is after the last `:` that follows the last `/` (a registry port is not a tag).
    let last_segment = name.rsplit('/').next().unwrap_or(name);
    let tag = last_segment.split_once(':').map(|(_, t)| t);
    match (tag, digest) {
        (_, Some(_)) if tag != Some("latest") => None,
        (None, None) => Some(format!("`{image}` has no tag: it means `latest`, whatever that is on the day of the build")),
        (Some("latest"), _) => Some(format!("`{image}` uses the `latest` tag, which moves with every release")),
        (Some(_), None) => Some(format!("`{image}` is pinned to a tag but not a digest; the tag can be moved to a different image")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        assert_fires("DF002", "FROM alpine\n");
        assert_fires("DF002", "FROM python:latest\n");
        assert_fires("DF002", "FROM alpine:3.20\n");
        assert_fires("DF002", "FROM registry.example.com:5000/team/app\n");
        assert_fires("DF002", "ARG V=latest\nFROM node:${V}\n");
        let d = assert_fires("DF002", "FROM golang:1.22 AS build\nFROM build\n");
        assert_eq!(d.len(), 1, "FROM <stage> is exempt");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (1, 6, 17));
    }

    #[test]
    fn silent() {
        assert_silent("DF002", "FROM scratch\n");
        assert_silent("DF002", "FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000\n");
        assert_silent(
            "DF002",
            "FROM registry.example.com:5000/app:1.2@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
        assert_silent("DF002", "ARG BASE\nFROM ${BASE}\n");
    }
}
