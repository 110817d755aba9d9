//! DF009 `pkg-unpinned`: OS packages installed without pinned versions.

use crate::Context;
use crate::dockerfile::shell::ShellWord;
use crate::rules::shared::{PkgCommand, Pm, list, pkg_command, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// Packages named without a version: `apt-get`/`apt install pkg`
    /// (pin: `pkg=1.2-3`), `apk add pkg` (`pkg=1.2-r0`, `pkg~1.2`,
    /// `pkg>1.2`), `yum`/`dnf`/`microdnf install pkg` (`pkg-1.2.3`,
    /// `pkg-1:1.2-4.el9`), `zypper install pkg` (`pkg=1.2`, `'pkg>=1.2'`).
    /// One diagnostic per command lists every unpinned name. Local package
    /// files, groups (`@core`), virtual names (`apk add --virtual .deps`),
    /// options and `$VARIABLES` are not packages to pin.
    /// ## Why it matters
    /// An unpinned install takes whatever the mirror serves on build day:
    /// two builds of the same Dockerfile differ, and the scan evidence for
    /// one says nothing about the other. Hardening guide stage 2.5 ("fix or
    /// pin all build dependencies"); NIST 800-53 CM-2 (baseline
    /// configuration), CM-8, SA-10.
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl git
    /// ```
    /// ## Fix
    /// Pin each package, `curl=7.88.1-10+deb12u5` (versions from `apt-cache
    /// madison curl`, `apk policy curl`, `dnf list --showduplicates curl`),
    /// and bump the pins deliberately, e.g. with Renovate.
    code = "DF009",
    name = "pkg-unpinned",
    level = Warning,
    summary = "OS packages installed without pinned versions",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for cmd in script.commands.iter() {
            let Some(p) = pkg_command(cmd) else { continue };
            let unpinned = unpinned(&p);
            let (Some(first), Some(last)) = (unpinned.first(), unpinned.last()) else { continue };
            let names: Vec<String> = unpinned.iter().map(|w| w.text.clone()).collect();
            let one = names.len() == 1;
            let example = &names[0];
            let help = match p.pm {
                Pm::Apt | Pm::Aptitude => format!("pin versions: `{example}=<version>` (`apt-cache madison {example}` lists them)"),
                Pm::Apk => format!("pin versions: `{example}=<version>` or `{example}~<major.minor>` (`apk policy {example}` lists them)"),
                Pm::Yum => format!("pin versions: `{example}-<version>` (`{} list --showduplicates {example}` lists them)", p.tool),
                Pm::Zypper | Pm::Pacman => format!("pin versions: `{example}=<version>` (`zypper search -s {example}` lists them)"),
            };
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!(
                    "`{}` installs {} without a pinned version: {}",
                    p.head_text(),
                    if one { "a package" } else { "packages" },
                    list(&names)
                ),
                help,
            );
        }
    }
}

/// The package operands of an install that carry no version.
fn unpinned<'w>(p: &PkgCommand<'w>) -> Vec<&'w ShellWord> {
    if !p.is_install() || p.pm == Pm::Pacman {
        return Vec::new();
    }
    if p.pm == Pm::Zypper && p.inv.opts.iter().any(|o| matches!(o.name(), "-t" | "--type") && o.arg().is_some_and(|t| t != "package")) {
        return Vec::new();
    }
    p.inv
        .operands
        .iter()
        .copied()
        .filter(|w| !w.dynamic && !w.text.is_empty() && !is_file(&w.text) && !w.text.starts_with('@') && !w.text.starts_with('.'))
        .filter(|w| {
            let t = w.text.as_str();
            match p.pm {
                Pm::Apt | Pm::Aptitude => !t.contains('='),
                Pm::Apk => !t.contains(['=', '~', '<', '>']),
                Pm::Yum => !rpm_versioned(t) && !t.contains(['=', '<', '>']),
                Pm::Zypper => !rpm_versioned(t) && !t.contains(['=', '<', '>']),
                Pm::Pacman => false,
            }
        })
        .collect()
}

/// A local package file, a path or a URL rather than a repository package.
fn is_file(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    l.contains("://") || l.starts_with('/') || l.starts_with("./") || l.ends_with(".deb") || l.ends_with(".rpm") || l.ends_with(".apk")
}

/// `httpd-2.4.57`, `nginx-1:1.20.1-9.el9`, `java-17-openjdk-17.0.9*`: a
/// `-` followed by something that looks like a version (digits with a dot,
/// an epoch or a glob), unlike the `-11-` of `java-11-openjdk`.
fn rpm_versioned(t: &str) -> bool {
    t.split('-').skip(1).any(|seg| seg.starts_with(|c: char| c.is_ascii_digit()) && seg.contains(['.', ':', '*']))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF009",
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 git ca-certificates\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.ends_with("packages without a pinned version: `git`, `ca-certificates`"), "{}", d[0].message);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 89, 108));
        assert_fires("DF009", "FROM debian:12\nRUN apt-get install -y \\\n      curl \\\n      git/bookworm-backports\n");
        assert_fires("DF009", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev\n");
        let d = assert_fires("DF009", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\n");
        assert!(d[0].message.contains("`gcc`, `musl-dev`") && !d[0].message.contains(".build-deps"), "{}", d[0].message);
        assert_fires("DF009", "FROM rockylinux:9\nRUN yum install -y httpd java-11-openjdk && yum clean all\n");
        assert_fires("DF009", "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y python3\n");
        assert_fires("DF009", "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n");
        assert_fires("DF009", "FROM debian:12\nRUN <<EOF\napt-get install -y jq\nEOF\n");
        assert_fires("DF009", "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"jq\"]\n");
        assert_fires("DF009", "FROM debian:12\nONBUILD RUN apt-get install -y jq\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 git=1:2.39.2-1.1\n",
            "FROM debian:12\nRUN apt-get install -y ./vendor.deb /tmp/other.deb\n",
            "FROM debian:12\nRUN apt-get install -y $PACKAGES && apt-get install -y \"${EXTRA}\"\n",
            "FROM debian:12\nRUN apt-get update && apt-get remove -y curl\n",
            "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.0-r0 git~2.45 'openssl>3.3'\n",
            "FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 nginx-1:1.20.1-14.el9 java-17-openjdk-17.0.9* @development /tmp/x.rpm\n",
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.0.1 'git>=2.43' && zypper -n install -t pattern devel_basis\n",
            "FROM archlinux\nRUN pacman -S --noconfirm git\n",
            "FROM debian:12\nRUN echo apt-get install curl\n",
        ] {
            assert_silent("DF009", src);
        }
    }
}
