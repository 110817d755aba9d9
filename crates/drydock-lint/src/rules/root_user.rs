//! DF001 `root-user`: The final stage runs as root.

use crate::Context;
use crate::dockerfile::ast::{Keyword, Span};

crate::declare_rule! {
    /// ## What it checks
    /// The last `USER` of the final stage: missing (so the image runs as
    /// the base image's user, usually root), or `root`, `0`, `root:…`,
    /// `0:…`. Only the final stage matters: build stages may need root.
    /// ## Why it matters
    /// A process running as root in a container is one kernel bug away from
    /// root on the host. CIS Docker Benchmark 4.1 ("create a user for the
    /// container"), the hardening guide stage 2.8, and NIST 800-53 AC-6
    /// (least privilege) all ask for a non-root runtime user; the FedRAMP
    /// pipeline (seed 002) makes it a gate.
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
    /// CMD ["/app"]
    /// ```
    /// ## Fix
    /// Create an unprivileged user and switch to it last:
    /// `RUN useradd --system --uid 10001 app` then `USER 10001`.
    code = "DF001",
    name = "root-user",
    level = Error,
    summary = "The final stage runs as root",
}

pub(crate) fn check(cx: &Context<'_>) {
    let Some(stage) = cx.model.final_stage() else { return };
    let last_user = cx.model.stage_instructions(stage).filter(|(_, i)| i.keyword == Keyword::User).last();
    match last_user {
        None => {
            let from = cx.model.instruction(stage.from);
            cx.report_with_help(
                &META,
                from.keyword_span,
                "the final stage never sets USER, so the container runs as the base image's user (root unless it says otherwise)",
                "add `USER <non-root uid>` after the last step that needs root",
            );
        }
        Some((i, ins)) => {
            let scope = cx.model.scope_at(i);
            let (user, _) = crate::dockerfile::words::expand(&ins.args, cx.model.file.escape, &|n| scope.get(n).cloned());
            let name = user.split(':').next().unwrap_or("").trim();
            if name == "root" || name == "0" {
                let span = Span::new(ins.source_offset(0), ins.span.end);
                cx.report_with_help(
                    &META,
                    span,
                    format!("the final USER is `{}`: the container runs as root", user.trim()),
                    "switch to a non-root user last: `USER 10001`",
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
        assert_fires("DF001", "FROM debian:12\nCMD [\"/app\"]\n");
        assert_fires("DF001", "FROM debian:12\nUSER app\nRUN x\nUSER root\n");
        assert_fires("DF001", "FROM debian:12\nUSER 0:0\n");
        assert_fires("DF001", "FROM debian:12\nARG RUNAS=root\nUSER ${RUNAS}\n");
        // Only the final stage counts.
        assert_fires("DF001", "FROM golang:1.22 AS build\nUSER nobody\nFROM debian:12\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF001", "FROM debian:12\nUSER 10001\n");
        assert_silent("DF001", "FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static\nUSER nonroot:nonroot\n");
        assert_silent("DF001", "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n");
    }
}
