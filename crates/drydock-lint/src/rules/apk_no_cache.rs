//! DF011 `apk-no-cache`: apk add without --no-cache.

use crate::Context;
use crate::rules::shared::{Pm, mounted, pkg_command, removes, run_commands, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// `apk add` without `--no-cache` (or `--no-network`, which fetches no
    /// index), unless the same RUN deletes
    /// `/var/cache/apk/*` or mounts a cache (`--mount=type=cache,target=/var/cache/apk`).
    /// ## Why it matters
    /// Without `--no-cache` apk keeps the downloaded package indexes in
    /// `/var/cache/apk`: megabytes of dead weight in the layer, and stale
    /// metadata in every image built on it. Hardening guide stage 2.3
    /// (minimal images); NIST 800-53 CM-7.
    /// ## Example
    /// ```dockerfile
    /// RUN apk update && apk add curl
    /// ```
    /// ## Fix
    /// `RUN apk add --no-cache curl`: it fetches a fresh index, installs,
    /// and keeps nothing (no separate `apk update` needed).
    code = "DF011",
    name = "apk-no-cache",
    level = Info,
    summary = "apk add without --no-cache",
}

pub(crate) fn check(cx: &Context<'_>) {
    let all = scripts(cx);
    for script in &all {
        for cmd in script.commands.iter() {
            let Some(p) = pkg_command(cmd) else { continue };
            if p.pm != Pm::Apk || p.sub() != "add" || p.inv.has(&["--no-cache", "--no-network"]) {
                continue;
            }
            if mounted(script.run, &["/var/cache/apk", "/etc/apk/cache"]) || removes(run_commands(&all, script.index), "/var/cache/apk") {
                continue;
            }
            let (first, last) = p.inv.head();
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                "`apk add` without `--no-cache` leaves the package index in /var/cache/apk in this layer",
                "use `apk add --no-cache …` (it needs no `apk update` first)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF011", "FROM alpine:3.20\nRUN apk update && apk add curl\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 19, 26));
        assert_fires("DF011", "FROM alpine:3.20\nRUN apk add --update \\\n      --virtual .deps gcc\n");
        assert_fires("DF011", "FROM alpine:3.20\nRUN apk -U add curl\n");
        assert_fires("DF011", "FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\n");
        assert_fires("DF011", "FROM alpine:3.20\nRUN [\"apk\", \"add\", \"curl\"]\n");
        assert_fires("DF011", "FROM alpine:3.20\nONBUILD RUN apk add curl\n");
        // Cleaning in a later RUN does not shrink this layer.
        assert_fires("DF011", "FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n");
        assert_fires("DF011", "FROM alpine:3.20\nRUN --mount=type=bind,target=/var/cache/apk apk add curl\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
            "FROM alpine:3.20\nRUN apk --no-cache add curl\n",
            "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n",
            "FROM alpine:3.20\nRUN apk add --update curl \\\n && rm -rf /tmp/* /var/cache/apk/*\n",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl\n",
            "FROM alpine:3.20\nRUN apk del curl && apk info\n",
            "FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps $runDeps\n",
            "FROM debian:12\nRUN apt-get install -y curl\n",
        ] {
            assert_silent("DF011", src);
        }
    }
}
