//! DF008 `pkg-missing-yes`: Package install without non-interactive confirmation.

use crate::Context;
use crate::rules::shared::{PkgCommand, Pm, argv, base, pipe_source, pkg_command, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// Package-manager commands that prompt, run without the option that
    /// answers: `apt-get`/`apt` `install`, `upgrade`, `remove`, … without
    /// `-y`/`--yes`/`--assume-yes`/`-qq` (clusters like `-qy` count;
    /// `DEBIAN_FRONTEND` does not); `yum`/`dnf` without `-y`/`--assumeyes`;
    /// `zypper` without `-n` before the subcommand (or `-y` after);
    /// `pacman -S`/`-U`/`-R` without `--noconfirm`. `microdnf` and `apk`
    /// never prompt; `apt-get -s` and `yes | …` are fine.
    /// ## Why it matters
    /// With no terminal the prompt reads end-of-file and the command aborts:
    /// the build breaks, or depends on a tool's default. A controlled,
    /// fully automated pipeline is what FedRAMP asks for (seed 002; NIST
    /// 800-53 CM-3, SA-10).
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install curl
    /// ```
    /// ## Fix
    /// `apt-get install -y …`, `dnf install -y …`, `zypper -n install …`,
    /// `pacman -S --noconfirm …`.
    code = "DF008",
    name = "pkg-missing-yes",
    level = Warning,
    summary = "Package install without non-interactive confirmation",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for (i, cmd) in script.commands.iter().enumerate() {
            let Some(p) = pkg_command(cmd) else { continue };
            let Some(fix) = missing(&p) else { continue };
            // `yes | pacman -Scc` answers the prompt.
            if pipe_source(&script.commands, i).is_some_and(|j| argv(&script.commands[j]).first().is_some_and(|w| base(&w.text) == "yes")) {
                continue;
            }
            let (first, last) = p.inv.head();
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!("`{}` without {fix} stops at a confirmation prompt that a build cannot answer", p.head_text()),
                match p.pm {
                    Pm::Zypper => format!("add `-n` before the subcommand: `{} -n {} …`", p.tool, p.sub()),
                    Pm::Pacman => "add `--noconfirm`".to_owned(),
                    _ => format!("add `-y`: `{} -y …`", p.head_text()),
                },
            );
        }
    }
}

/// The option that is missing, if the command prompts.
fn missing(p: &PkgCommand<'_>) -> Option<&'static str> {
    let inv = &p.inv;
    let sub = p.sub();
    match p.pm {
        Pm::Apt | Pm::Aptitude => {
            let prompts = matches!(
                sub,
                "install"
                    | "reinstall"
                    | "upgrade"
                    | "dist-upgrade"
                    | "full-upgrade"
                    | "safe-upgrade"
                    | "remove"
                    | "purge"
                    | "autoremove"
                    | "build-dep"
            );
            let quiet: usize = inv
                .opts
                .iter()
                .map(|o| match o.name() {
                    "--quiet" => o.arg().and_then(|v| v.parse().ok()).unwrap_or(1),
                    n if n.starts_with("-q=") => n[3..].parse().unwrap_or(1),
                    n if !n.starts_with("--") && n[1..].chars().all(|c| c.is_ascii_alphabetic()) => n.matches('q').count(),
                    _ => 0,
                })
                .sum();
            let yes = inv.has(&["--yes", "--assume-yes"])
                || inv.opts.iter().any(|o| o.short_has('y'))
                || quiet >= 2
                || inv.opts.iter().any(|o| {
                    let setting = match o.name() {
                        "-o" | "--option" => o.arg(),
                        n if n.starts_with("-o") => Some(&n[2..]),
                        _ => None,
                    };
                    setting.is_some_and(|s| {
                        let s = s.trim_start_matches('=').to_ascii_lowercase();
                        s.starts_with("apt::get::assume-yes=") && matches!(&s[21..], "true" | "yes" | "1")
                    })
                });
            // `-s` and friends only print what would happen.
            let dry = inv.has(&["--simulate", "--just-print", "--dry-run", "--recon", "--no-act", "--print-uris"])
                || inv.opts.iter().any(|o| o.short_has('s'));
            (prompts && !yes && !dry).then_some("`-y`")
        }
        Pm::Yum => {
            if p.tool == "microdnf" {
                return None;
            }
            let group = matches!(sub, "group" | "groups" | "module")
                && inv.operands.first().is_some_and(|o| {
                    matches!(o.text.as_str(), "install" | "remove" | "upgrade" | "update" | "enable" | "reset" | "switch-to")
                });
            let prompts = group
                || matches!(
                    sub,
                    "install"
                        | "groupinstall"
                        | "localinstall"
                        | "reinstall"
                        | "update"
                        | "upgrade"
                        | "upgrade-minimal"
                        | "update-minimal"
                        | "remove"
                        | "erase"
                        | "groupremove"
                        | "downgrade"
                        | "distro-sync"
                        | "autoremove"
                        | "swap"
                );
            let yes = inv.has(&["--assumeyes", "--yes"])
                || inv.opts.iter().any(|o| o.short_has('y'))
                || inv.opts.iter().any(|o| {
                    o.name() == "--setopt"
                        && o.arg()
                            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "assumeyes=1" | "assumeyes=true" | "assumeyes=yes"))
                });
            (prompts && !yes).then_some("`-y`")
        }
        Pm::Zypper => {
            let prompts = matches!(
                sub,
                "install"
                    | "in"
                    | "remove"
                    | "rm"
                    | "update"
                    | "up"
                    | "dist-upgrade"
                    | "dup"
                    | "patch"
                    | "source-install"
                    | "si"
                    | "install-new-recommends"
                    | "inr"
            );
            let yes = inv.opts.iter().any(|o| {
                (o.global && (o.name() == "--non-interactive" || o.short_has('n')))
                    || (!o.global && (o.name() == "--no-confirm" || o.short_has('y')))
            });
            (prompts && !yes).then_some("`-n` (`--non-interactive`)")
        }
        Pm::Pacman => {
            let prompts = match p.pacman_op() {
                Some('S') => {
                    !inv.operands.is_empty() || inv.opts.iter().any(|o| o.short_has('u') || o.short_has('c') || o.name() == "--sysupgrade")
                }
                Some('U' | 'R') => !inv.operands.is_empty(),
                _ => false,
            };
            (prompts && !inv.has(&["--noconfirm"])).then_some("`--noconfirm`")
        }
        Pm::Apk => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF008", "FROM debian:12\nRUN apt-get update && apt-get install curl\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 23, 38));
        assert!(d[0].message.starts_with("`apt-get install` without `-y`"), "{}", d[0].message);
        assert_fires(
            "DF008",
            "FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends \\\n    curl ca-certificates\n",
        );
        assert_fires("DF008", "FROM debian:12\nRUN apt install -q git\n");
        assert_fires("DF008", "FROM debian:12\nRUN sudo apt-get -t bookworm-backports install git\n");
        assert_fires("DF008", "FROM debian:12\nRUN apt-get dist-upgrade\n");
        assert_fires("DF008", "FROM rockylinux:9\nRUN yum install httpd && yum clean all\n");
        assert_fires("DF008", "FROM fedora:40\nRUN dnf --setopt=install_weak_deps=False install python3\n");
        assert_fires("DF008", "FROM fedora:40\nRUN dnf group install 'Development Tools'\n");
        let d = assert_fires("DF008", "FROM opensuse/leap:15.6\nRUN zypper install curl\n");
        assert_eq!(d[0].help.as_deref(), Some("add `-n` before the subcommand: `zypper -n install …`"));
        assert_fires("DF008", "FROM archlinux\nRUN pacman -Syu git\n");
        let d = assert_fires("DF008", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (4, 1, 16));
        assert_fires("DF008", "FROM debian:12\nRUN [\"apt-get\", \"install\", \"curl\"]\n");
        // Inside `bash -c "…"`, the diagnostic covers the quoted script.
        let d = assert_fires("DF008", "FROM debian:12\nRUN su - app -c \"apt-get install curl\"\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 17, 39));
        let d = assert_fires("DF008", "FROM debian:12\nONBUILD RUN apt-get install curl\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 13, 28));
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get install --yes curl\n",
            "FROM debian:12\nRUN apt-get install --assume-yes curl\n",
            "FROM debian:12\nRUN apt-get install -qq curl\n",
            "FROM debian:12\nRUN apt-get -q -q install curl\n",
            "FROM debian:12\nRUN apt-get -qy install curl\n",
            "FROM debian:12\nRUN apt-get install -yq --no-install-recommends curl\n",
            "FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n",
            "FROM debian:12\nRUN apt-get update && apt-get clean && apt-cache policy curl\n",
            "FROM rockylinux:9\nRUN yum -y install httpd\n",
            "FROM fedora:40\nRUN dnf install --assumeyes python3\n",
            "FROM fedora:40\nRUN dnf makecache && dnf -yq upgrade\n",
            "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install python3\n",
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n",
            "FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl && zypper install -y git\n",
            "FROM archlinux\nRUN pacman -Syu --noconfirm git\n",
            "FROM archlinux\nRUN pacman -Sy\n",
            "FROM alpine:3.20\nRUN apk add curl\n",
            "FROM debian:12\nRUN if apt-get install -s \"postgresql-16-jit\" > /dev/null 2>&1; then echo yes; fi\n",
            "FROM archlinux\nRUN yes | pacman -Scc\n",
        ] {
            assert_silent("DF008", src);
        }
    }
}
