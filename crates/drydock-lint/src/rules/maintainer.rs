//! DF030 `maintainer`: MAINTAINER is deprecated.

use crate::Context;
use crate::dockerfile::ast::Keyword;

crate::declare_rule! {
    /// ## What it checks
    /// Every `MAINTAINER` instruction. Docker deprecated it in 1.13: it only
    /// fills the image's legacy `author` field, which registries, SBOM and
    /// scanning tools do not read.
    /// ## Why it matters
    /// Who owns an image is part of its inventory record: the three-tier
    /// registry (seed 004) needs an owner for every base, platform and
    /// application image, and NIST 800-53 CM-8 (component inventory) asks
    /// for accountable owners. OCI labels are what tools index; `MAINTAINER`
    /// is invisible to them.
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    /// ## Fix
    /// `LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"`
    code = "DF030",
    name = "maintainer",
    level = Style,
    summary = "MAINTAINER is deprecated",
}

pub(crate) fn check(cx: &Context<'_>) {
    for ins in &cx.model.file.instructions {
        if ins.keyword != Keyword::Maintainer {
            continue;
        }
        let who = ins.args.trim();
        let written = if who.is_empty() { "MAINTAINER".to_owned() } else { format!("MAINTAINER {who}") };
        let label = serde_json::to_string(who).unwrap_or_else(|_| "\"…\"".to_owned());
        cx.report_with_help(
            &META,
            ins.span,
            format!("`{written}` is deprecated: it sets only the legacy author field, which registries and scanners ignore"),
            format!("use a label: `LABEL org.opencontainers.image.authors={label}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF030", "FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\n");
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert!(d[0].message.contains("Jane Doe <jane@example.com>"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap_or("").contains(r#"org.opencontainers.image.authors="Jane Doe <jane@example.com>""#));
        // Lower case keyword, in a later stage of a multi-stage build.
        let d = assert_fires("DF030", "FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20\nmaintainer \"ops@example.com\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 4);
        // Two of them: one each.
        assert_eq!(assert_fires("DF030", "FROM alpine:3.20\nMAINTAINER a@example.com\nMAINTAINER b@example.com\n").len(), 2);
    }

    #[test]
    fn silent() {
        assert_silent("DF030", "FROM debian:12\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n");
        assert_silent("DF030", "FROM debian:12\nLABEL maintainer=\"jane@example.com\"\nRUN echo MAINTAINER\n");
        assert_silent("DF030", "FROM debian:12\nRUN <<EOF\necho MAINTAINER me\nEOF\n");
    }
}
