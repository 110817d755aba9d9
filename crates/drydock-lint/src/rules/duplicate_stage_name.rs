//! DF036 `duplicate-stage-name`: Two stages share a name.

use crate::dockerfile::words;
use crate::{Context, LineIndex};

crate::declare_rule! {
    /// ## What it checks
    /// Two `FROM … AS <name>` with the same name, compared
    /// case-insensitively as BuildKit does.
    /// ## Why it matters
    /// BuildKit refuses the file ("duplicate stage name"); older builders
    /// silently used one of the two, so `COPY --from=<name>` took files
    /// from a stage nobody meant. Which stage produced an artifact must be
    /// unambiguous for the build to be reviewable (hardening guide stage 2.3
    /// multi-stage builds; NIST 800-53 CM-2, SA-10; hadolint DL3024).
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS build
    /// RUN npm ci && npm run build
    /// FROM golang:1.22 AS Build
    /// ```
    /// ## Fix
    /// Give each stage its own name (`AS web-build`, `AS api-build`) and
    /// update the `COPY --from=` and `FROM` lines that use them.
    code = "DF036",
    name = "duplicate-stage-name",
    level = Error,
    summary = "Two stages share a name",
}

pub(crate) fn check(cx: &Context<'_>) {
    let stages = &cx.model.stages;
    let mut lines: Option<LineIndex> = None;
    for (k, stage) in stages.iter().enumerate() {
        let Some(name) = stage.name.as_deref() else { continue };
        let Some(first) = stages[..k].iter().find(|s| s.name.as_deref() == Some(name)) else { continue };
        let ins = cx.model.instruction(stage.from);
        let ws = words::split(&ins.args, cx.model.file.escape);
        let span = match ws.get(2) {
            Some(w) => ins.args_span(w.start, w.end),
            None => ins.span,
        };
        let lines = lines.get_or_insert_with(|| LineIndex::new(cx.source()));
        let (line, _) = lines.position(cx.model.instruction(first.from).span.start);
        cx.report_with_help(
            &META,
            span,
            format!("stage name `{name}` is already used by the stage on line {line}; BuildKit refuses the file and `--from={name}` is ambiguous"),
            format!("rename one of the two `{name}` stages and update the `COPY --from=` / `FROM` lines that refer to it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF036",
            "FROM node:20 AS build\nRUN npm ci && npm run build\nFROM golang:1.22 AS Build\nRUN go build\nFROM scratch\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 21, 26));
        assert!(d[0].message.contains("line 1"), "{}", d[0].message);
        // Three with the same name: the second and third are reported.
        let d = assert_fires("DF036", "FROM a:1 as x\nFROM b:1 AS x\nFROM --platform=$BUILDPLATFORM c:1 \\\n  AS x\n");
        assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn silent() {
        assert_silent("DF036", "FROM node:20 AS web-build\nFROM golang:1.22 AS api-build\nFROM scratch\n");
        assert_silent("DF036", "FROM alpine:3.20\nFROM alpine:3.20\nFROM build AS final\n");
        assert_silent("DF036", "FROM node:20 AS build\nFROM build AS test\nFROM build AS final\n");
    }
}
