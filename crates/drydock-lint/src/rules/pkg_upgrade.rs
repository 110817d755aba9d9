//! DF013 `pkg-upgrade`: Distribution upgrade inside the image build.

use crate::Context;
use crate::rules::shared::{PkgCommand, Pm, pkg_command, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// Whole-system upgrades in a RUN: `apt-get`/`apt` `upgrade`,
    /// `dist-upgrade`, `full-upgrade` (and aptitude's `safe-upgrade`),
    /// `apk upgrade`, `yum`/`dnf`/`microdnf` `update`/`upgrade`/`distro-sync`
    /// without package names, `zypper up`/`dup`/`patch`, `pacman -Syu`.
    /// Upgrading named packages (`dnf upgrade openssl`) is not flagged.
    /// ## Why it matters
    /// The upgrade takes whatever the mirrors serve on build day, so the
    /// image can no longer be reproduced from its Dockerfile and the base
    /// image's scan and hardening evidence no longer describe it. Patches
    /// belong in the base image, and downstream images are rebuilt from it
    /// (three-tier registry, seed 004; hardening guide stage 4.1). NIST
    /// 800-53 CM-2, CM-3, SI-2. In the in-house base image that exists to
    /// take updates, disable the rule for that file (`# drydock global ignore=DF013`).
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get -y upgrade
    /// ```
    /// ## Fix
    /// Rebuild from a fresher, digest-pinned base image
    /// (`FROM debian:12@sha256:…`); to fix one CVE now, upgrade only that
    /// package to a pinned version.
    code = "DF013",
    name = "pkg-upgrade",
    level = Warning,
    summary = "Distribution upgrade inside the image build",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for cmd in script.commands.iter() {
            let Some(p) = pkg_command(cmd) else { continue };
            if !upgrades_all(&p) {
                continue;
            }
            let (first, last) = p.inv.head();
            let what = if p.pm == Pm::Pacman {
                p.inv.opts.iter().map(|o| o.word.text.as_str()).collect::<Vec<_>>().join(" ")
            } else {
                p.head_text()
            };
            let what = if p.pm == Pm::Pacman { format!("pacman {what}") } else { what };
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!("`{what}` upgrades every package to whatever the mirror serves on build day: the image is no longer reproducible from this Dockerfile"),
                "rebuild from a fresher, digest-pinned base image instead; to fix one CVE now, upgrade only that package, pinned",
            );
        }
    }
}

fn upgrades_all(p: &PkgCommand<'_>) -> bool {
    let no_names = p.inv.operands.is_empty();
    match p.pm {
        Pm::Apt | Pm::Aptitude => matches!(p.sub(), "upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade") && no_names,
        Pm::Apk => p.sub() == "upgrade" && no_names,
        Pm::Yum => {
            matches!(p.sub(), "update" | "upgrade" | "upgrade-minimal" | "update-minimal" | "distro-sync" | "distrosync" | "dsync")
                && no_names
        }
        Pm::Zypper => matches!(p.sub(), "dist-upgrade" | "dup" | "patch") || (matches!(p.sub(), "update" | "up") && no_names),
        Pm::Pacman => p.pacman_op() == Some('S') && p.inv.opts.iter().any(|o| o.name() == "--sysupgrade" || o.short_has('u')) && no_names,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF013", "FROM debian:12\nRUN apt-get update && apt-get -y upgrade\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 23, 41));
        assert!(d[0].message.starts_with("`apt-get upgrade` upgrades every package"), "{}", d[0].message);
        assert_fires("DF013", "FROM debian:12\nRUN apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get dist-upgrade -y\n");
        assert_fires("DF013", "FROM ubuntu:24.04\nRUN apt full-upgrade -y\n");
        assert_fires("DF013", "FROM alpine:3.20\nRUN apk upgrade --no-cache\n");
        assert_fires("DF013", "FROM amazonlinux:2\nRUN yum update -y\n");
        assert_fires("DF013", "FROM fedora:40\nRUN dnf -y upgrade --refresh && dnf clean all\n");
        assert_fires("DF013", "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf update -y\n");
        assert_fires("DF013", "FROM opensuse/tumbleweed\nRUN zypper -n dup\n");
        let d = assert_fires("DF013", "FROM archlinux\nRUN pacman -Syu --noconfirm\n");
        assert!(d[0].message.starts_with("`pacman -Syu --noconfirm`"), "{}", d[0].message);
        assert_fires("DF013", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get upgrade -y\nEOF\n");
        assert_fires("DF013", "FROM debian:12\nRUN [\"apt-get\", \"upgrade\", \"-y\"]\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl=3.0.13-1~deb12u1\n",
            "FROM alpine:3.20\nRUN apk upgrade --no-cache openssl\n",
            "FROM alpine:3.20\nRUN apk add --no-cache --upgrade apk-tools\n",
            "FROM rockylinux:9\nRUN dnf upgrade -y openssl-libs && dnf clean all\n",
            "FROM opensuse/leap:15.6\nRUN zypper -n up openssl\n",
            "FROM archlinux\nRUN pacman -Sy --noconfirm git\n",
            "FROM debian:12\nRUN pip install --upgrade pip\n",
        ] {
            assert_silent("DF013", src);
        }
    }
}
