//! DF031 `multiple-cmd`: Several CMD, ENTRYPOINT or HEALTHCHECK in one stage.

use crate::dockerfile::ast::Keyword;
use crate::{Context, LineIndex};

crate::declare_rule! {
    /// ## What it checks
    /// A stage with more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`.
    /// Only the last of each takes effect; every earlier one is reported,
    /// pointing at the instruction that overrides it.
    /// ## Why it matters
    /// A reviewer reading the first `CMD` or `HEALTHCHECK` believes that is
    /// what the container runs or how it is probed, and approves the wrong
    /// configuration. The configuration that ships must be the one that is
    /// reviewed (NIST 800-53 CM-2 baseline, CM-6 configuration settings;
    /// CIS Docker Benchmark 4.6 for the health check; hadolint DL4003,
    /// DL4004).
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// CMD ["node", "server.js"]
    /// HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
    /// CMD ["npm", "start"]
    /// ```
    /// ## Fix
    /// Delete the overridden instructions and keep the one that is meant.
    code = "DF031",
    name = "multiple-cmd",
    level = Warning,
    summary = "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
}

pub(crate) fn check(cx: &Context<'_>) {
    let mut lines: Option<LineIndex> = None;
    for stage in &cx.model.stages {
        for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let found: Vec<_> = cx.model.stage_instructions(stage).filter(|(_, ins)| ins.keyword == keyword).collect();
            let Some(((_, last), earlier)) = found.split_last() else { continue };
            if earlier.is_empty() {
                continue;
            }
            let lines = lines.get_or_insert_with(|| LineIndex::new(cx.source()));
            let (last_line, _) = lines.position(last.span.start);
            let kw = keyword.as_str();
            for (_, ins) in earlier {
                let (line, _) = lines.position(ins.span.start);
                cx.report_with_help(
                    &META,
                    ins.span,
                    format!("this {kw} (line {line}) never takes effect: the {kw} on line {last_line} overrides it; only the last {kw} of a stage counts"),
                    format!("delete the {kw} on line {line}, or merge what it meant into the one on line {last_line}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF031", "FROM node:20\nCMD [\"node\", \"server.js\"]\nRUN npm ci\nCMD [\"npm\", \"start\"]\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert!(d[0].message.contains("line 4"), "{}", d[0].message);
        // Three ENTRYPOINTs: the first two are reported.
        let d = assert_fires("DF031", "FROM alpine:3.20\nENTRYPOINT [\"/a\"]\nENTRYPOINT /b\nENTRYPOINT [\"/c\"]\n");
        assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), [2, 3]);
        assert!(d[0].message.starts_with("this ENTRYPOINT (line 2)"));
        // HEALTHCHECK, with continuation lines; HEALTHCHECK NONE still overrides.
        let d = assert_fires(
            "DF031",
            "FROM nginx:1.27\nHEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n",
        );
        assert_eq!((d[0].line, d[0].end_line), (2, 3));
        // In a build stage too.
        assert_fires("DF031", "FROM golang:1.22 AS build\nCMD [\"a\"]\nCMD [\"b\"]\nFROM scratch\nCMD [\"/app\"]\n");
    }

    #[test]
    fn silent() {
        // One of each per stage is fine, even with CMD in every stage.
        assert_silent(
            "DF031",
            "FROM golang:1.22 AS build\nCMD [\"go\", \"test\"]\nFROM gcr.io/distroless/static\nENTRYPOINT [\"/app\"]\nCMD [\"--serve\"]\nHEALTHCHECK CMD [\"/app\", \"health\"]\n",
        );
        // ONBUILD CMD is a trigger, not this image's CMD.
        assert_silent("DF031", "FROM alpine:3.20\nONBUILD CMD [\"a\"]\nCMD [\"b\"]\n");
        assert_silent("DF031", "FROM alpine:3.20\nRUN echo CMD; echo CMD\n");
    }
}
