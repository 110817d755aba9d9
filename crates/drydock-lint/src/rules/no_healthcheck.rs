//! DF022 `no-healthcheck`: The final stage has no HEALTHCHECK.

use crate::Context;
use crate::dockerfile::ast::Keyword;

crate::declare_rule! {
    /// ## What it checks
    /// The final stage has no `HEALTHCHECK`, and neither does an earlier
    /// stage it is built `FROM` (a HEALTHCHECK is inherited through
    /// `FROM <stage>`). `HEALTHCHECK NONE` is an explicit decision and is
    /// accepted. A HEALTHCHECK in an external base image cannot be seen
    /// from here; suppress the rule for such files.
    /// ## Why it matters
    /// Without a health check the runtime only knows whether the process
    /// exists, not whether it works: a hung service keeps receiving traffic
    /// and is never restarted (CIS Docker Benchmark 4.6; NIST 800-53 SI-4,
    /// SC-5 availability).
    /// ## Example
    /// ```dockerfile
    /// FROM gcr.io/distroless/static-debian12
    /// COPY app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    /// ## Fix
    /// `HEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "healthcheck"]`
    /// (a probe built into the application), or `HEALTHCHECK NONE` when the
    /// orchestrator probes the container itself.
    code = "DF022",
    name = "no-healthcheck",
    level = Info,
    summary = "The final stage has no HEALTHCHECK",
}

pub(crate) fn check(cx: &Context<'_>) {
    let Some(last) = cx.model.final_stage() else { return };
    let mut stage = Some(last);
    // Base stages are always earlier ones, so the walk ends; the bound is a belt.
    for _ in 0..=cx.model.stages.len() {
        let Some(s) = stage else { break };
        if cx.model.stage_instructions(s).any(|(_, i)| i.keyword == Keyword::Healthcheck) {
            return;
        }
        stage = s.base_stage.filter(|&b| b < s.index).and_then(|b| cx.model.stages.get(b));
    }
    let from = cx.model.instruction(last.from);
    cx.report_with_help(
        &META,
        from.keyword_span,
        format!("the final stage (`FROM {}`) defines no HEALTHCHECK: the runtime cannot tell a hung service from a working one", last.base_written),
        "add `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` (a probe built into the app), or `HEALTHCHECK NONE` if the orchestrator probes it",
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF022",
            "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n",
        );
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 1, 5));
        assert!(d[0].message.contains("gcr.io/distroless/static"));
        // Only the final stage's ancestry counts.
        assert_fires("DF022", "FROM alpine:3.20 AS a\nHEALTHCHECK CMD [\"/probe\"]\nFROM alpine:3.20\nCMD [\"/app\"]\n");
        assert_fires("DF022", "FROM nginx:1.27\nONBUILD HEALTHCHECK CMD [\"/probe\"]\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF022", "FROM nginx:1.27\nHEALTHCHECK --interval=30s \\\n  CMD [\"/probe\"]\n");
        assert_silent("DF022", "FROM nginx:1.27\nHEALTHCHECK NONE\n");
        // Inherited through FROM <stage>, two levels deep.
        assert_silent(
            "DF022",
            "FROM alpine:3.20 AS base\nHEALTHCHECK CMD [\"/probe\"]\nFROM base AS mid\nRUN true\nFROM mid\nCMD [\"/app\"]\n",
        );
    }
}
