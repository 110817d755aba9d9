//! DF012 `pkg-cache-left`: Package manager cache not cleaned in the same layer.

use crate::Context;
use crate::rules::shared::{Pm, pkg_command, removes, run_commands, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// In the final stage (and the stages it is built `FROM`) only: build
    /// stages are thrown away, so their size does not matter. A RUN that
    /// installs with `apt-get`/`apt` but does not `rm -rf /var/lib/apt/lists/*`
    /// (or `apt-get dist-clean`); with `yum`/`dnf`/`microdnf` but
    /// runs no `… clean all` nor `rm -rf /var/cache/yum` (or `dnf`); with
    /// `zypper` but runs no `zypper clean`. A `--mount=type=cache` (or
    /// tmpfs) on the cache directory counts as clean. `apk` is DF011's.
    /// ## Why it matters
    /// Package lists and caches are tens of megabytes that ship in the
    /// layer for ever (a later `RUN rm` cannot shrink an earlier layer) and
    /// hold stale repository metadata. Hardening guide stage 2.3 (small
    /// final image); NIST 800-53 CM-7.
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    /// ## Fix
    /// Clean in the same RUN: `… && rm -rf /var/lib/apt/lists/*`,
    /// `… && dnf clean all`, `… && zypper clean --all`; or use a cache mount:
    /// `RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt …`.
    code = "DF012",
    name = "pkg-cache-left",
    level = Info,
    summary = "Package manager cache not cleaned in the same layer",
}

pub(crate) fn check(cx: &Context<'_>) {
    // The final stage and the stages it is built on: their layers are the image.
    let mut shipped = Vec::new();
    let mut stage = cx.model.final_stage();
    while let Some(s) = stage.filter(|s| !shipped.contains(&s.index)) {
        shipped.push(s.index);
        stage = s.base_stage.and_then(|b| cx.model.stages.get(b));
    }
    let all = scripts(cx);
    let mut reported: Vec<(usize, Pm)> = Vec::new();
    for script in all.iter().filter(|s| cx.model.stage_of(s.index).is_some_and(|st| shipped.contains(&st.index))) {
        for cmd in script.commands.iter() {
            let Some(p) = pkg_command(cmd) else { continue };
            let installs = match p.pm {
                Pm::Apt | Pm::Aptitude => {
                    matches!(p.sub(), "install" | "reinstall" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep")
                }
                Pm::Yum => {
                    matches!(
                        p.sub(),
                        "install" | "groupinstall" | "localinstall" | "reinstall" | "update" | "upgrade" | "downgrade" | "distro-sync"
                    )
                }
                Pm::Zypper => {
                    matches!(p.sub(), "install" | "in" | "update" | "up" | "dist-upgrade" | "dup" | "patch" | "source-install" | "si")
                }
                Pm::Apk | Pm::Pacman => false,
            };
            let family = if p.pm == Pm::Aptitude { Pm::Apt } else { p.pm };
            if !installs || reported.contains(&(script.index, family)) {
                continue;
            }
            let (dirs, cleaned, fix): (&[&str], bool, String) = match family {
                Pm::Apt => (
                    &["/var/lib/apt/lists", "/var/lib/apt", "/var/cache/apt"],
                    // apt 2.7's `apt-get dist-clean` also deletes the lists.
                    removes(run_commands(&all, script.index), "/var/lib/apt/lists")
                        || run_commands(&all, script.index)
                            .any(|c| pkg_command(c).is_some_and(|q| matches!(q.pm, Pm::Apt | Pm::Aptitude) && q.sub() == "dist-clean")),
                    "rm -rf /var/lib/apt/lists/*".to_owned(),
                ),
                Pm::Yum => (
                    &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"],
                    run_commands(&all, script.index).any(|c| {
                        pkg_command(c)
                            .is_some_and(|q| q.pm == Pm::Yum && q.sub() == "clean" && q.inv.operands.iter().any(|o| o.text == "all"))
                    }) || ["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"]
                        .iter()
                        .any(|d| removes(run_commands(&all, script.index), d)),
                    format!("{} clean all", p.tool),
                ),
                _ => (
                    &["/var/cache/zypp"],
                    run_commands(&all, script.index)
                        .any(|c| pkg_command(c).is_some_and(|q| q.pm == Pm::Zypper && matches!(q.sub(), "clean" | "cc")))
                        || removes(run_commands(&all, script.index), "/var/cache/zypp"),
                    "zypper clean --all".to_owned(),
                ),
            };
            if cleaned || crate::rules::shared::mounted(script.run, dirs) {
                continue;
            }
            reported.push((script.index, family));
            let (first, end) = p.inv.head();
            let what = match family {
                Pm::Apt => "the apt package lists (/var/lib/apt/lists)",
                Pm::Yum => "the package cache and metadata (/var/cache/yum, /var/cache/dnf)",
                _ => "the package cache (/var/cache/zypp)",
            };
            cx.report_with_help(
                &META,
                script.words_span(first, end),
                format!("`{}` in the final stage leaves {what} in this layer: no `{fix}` in the same RUN", p.head_text()),
                format!(
                    "end the same RUN with `&& {fix}` (a later RUN cannot shrink this layer), or use a `--mount=type=cache` for the cache"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF012", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 23, 38));
        assert!(d[0].message.contains("no `rm -rf /var/lib/apt/lists/*`"), "{}", d[0].message);
        // One per RUN, even with several installs.
        let d =
            assert_fires("DF012", "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get install -y git\n");
        assert_eq!(d.len(), 1);
        assert_fires("DF012", "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n");
        assert_fires("DF012", "FROM debian:12\nRUN apt-get install -y curl && apt-get clean\n");
        let d = assert_fires("DF012", "FROM rockylinux:9\nRUN dnf install -y httpd\n");
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "end the same RUN with `&& dnf clean all` (a later RUN cannot shrink this layer), or use a `--mount=type=cache` for the cache"
            )
        );
        assert_fires("DF012", "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y python3\n");
        assert_fires("DF012", "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n");
        assert_fires("DF012", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n");
        assert_fires(
            "DF012",
            "FROM golang:1.22 AS build\nRUN go build\nFROM debian:12\nRUN apt-get update && apt-get install -y ca-certificates\n",
        );
        // The final stage is built on `base`, so base's layers ship.
        assert_fires("DF012", "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nCMD [\"curl\"]\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/* /tmp/*\n",
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n",
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n",
            "FROM debian:13\nRUN set -eux; apt-get update; apt-get install -y --no-install-recommends tk-dev; apt-get dist-clean\n",
            "FROM rockylinux:9\nRUN yum install -y httpd && yum clean all\n",
            "FROM rockylinux:9\nRUN dnf install -y httpd && rm -rf /var/cache/dnf\n",
            "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y python3 && microdnf clean all\n",
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean --all\n",
            // Build stages are discarded.
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM gcr.io/distroless/static\nCOPY --from=build /out /app\n",
            "FROM alpine:3.20\nRUN apk add curl\n",
        ] {
            assert_silent("DF012", src);
        }
    }
}
