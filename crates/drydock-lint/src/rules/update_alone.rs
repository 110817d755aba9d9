//! DF014 `update-alone`: Package index update in its own RUN.

use std::collections::BTreeMap;

use crate::Context;
use crate::dockerfile::shell::Command;
use crate::rules::shared::{Pm, argv, base, is_shell, pkg_command, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// A RUN (all its scripts, heredocs included) whose only `apt-get`,
    /// `apt`, `aptitude` or `apk` command is `update`: the index refresh
    /// with no install, upgrade or other package operation beside it.
    /// ## Why it matters
    /// Docker caches that layer, so a later `RUN apt-get install` reuses
    /// indexes from whenever the cache was made: it can fail on packages
    /// the mirror has since removed, or install old, vulnerable versions
    /// (CIS Docker Benchmark 4.7, "ensure update instructions are not used
    /// alone"). NIST 800-53 SI-2 (flaw remediation), CM-2.
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    /// ## Fix
    /// One RUN: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`;
    /// with apk, `apk add --no-cache curl` needs no update at all.
    code = "DF014",
    name = "update-alone",
    level = Warning,
    summary = "Package index update in its own RUN",
}

/// Per RUN and package-manager family (apk or not): the first `update`, and whether anything else ran.
#[derive(Default)]
struct Seen {
    /// (script, command, `apt-get update` as written)
    update: Option<(usize, usize, String)>,
    other: bool,
}

pub(crate) fn check(cx: &Context<'_>) {
    let all = scripts(cx);
    let mut runs: BTreeMap<(usize, bool), Seen> = BTreeMap::new();
    for (n, script) in all.iter().enumerate() {
        for (i, cmd) in script.commands.iter().enumerate() {
            let Some(p) = pkg_command(cmd) else {
                if installs_indirectly(cmd) {
                    runs.entry((script.index, false)).or_default().other = true;
                    runs.entry((script.index, true)).or_default().other = true;
                }
                continue;
            };
            let apk = match p.pm {
                Pm::Apt | Pm::Aptitude => false,
                Pm::Apk => true,
                _ => continue,
            };
            let seen = runs.entry((script.index, apk)).or_default();
            if p.sub() == "update" {
                seen.update.get_or_insert((n, i, p.head_text()));
            } else if !matches!(p.sub(), "" | "clean" | "autoclean" | "dist-clean") {
                seen.other = true;
            }
        }
    }
    for ((_, apk), seen) in runs {
        let (Some((n, i, head)), false) = (seen.update, seen.other) else { continue };
        let script = &all[n];
        let Some(p) = script.commands.get(i).and_then(pkg_command) else { continue };
        let (first, last) = p.inv.head();
        let help = if apk {
            "drop it and use `apk add --no-cache <packages>`, which fetches a fresh index itself"
        } else {
            "run it in the same RUN as the install: `RUN apt-get update && apt-get install -y --no-install-recommends <packages> && rm -rf /var/lib/apt/lists/*`"
        };
        cx.report_with_help(
            &META,
            script.words_span(first, last),
            format!("`{head}` runs alone in this RUN: its layer is cached, so a later install can use stale package indexes"),
            help,
        );
    }
}

/// Installs through something other than apt or apk themselves: `rosdep
/// install`, minideb's `install_packages`, or a script (`./install.sh`,
/// `bash /tmp/setup.sh`), which may well run `apt-get install`.
fn installs_indirectly(cmd: &Command) -> bool {
    let words = argv(cmd);
    let Some(first) = words.first() else { return false };
    let name = base(&first.text);
    matches!(name, "rosdep" | "install_packages" | "clean-install" | "apt-install" | "gdebi")
        || name.ends_with(".sh")
        || first.text.starts_with("./")
        || (is_shell(name) && words.get(1).is_some_and(|w| !w.text.starts_with('-')))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF014", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 19));
        assert!(d[0].message.starts_with("`apt-get update` runs alone"), "{}", d[0].message);
        assert_fires("DF014", "FROM ubuntu:24.04\nRUN apt update -qq \\\n && echo done\n");
        assert_fires("DF014", "FROM alpine:3.20\nRUN apk update\n");
        assert_fires("DF014", "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\nEOF\n");
        assert_fires("DF014", "FROM debian:12\nRUN [\"apt-get\", \"update\"]\n");
        assert_fires("DF014", "FROM debian:12\nONBUILD RUN apt-get update\n");
        // An apk install does not refresh apt's indexes.
        assert_fires("DF014", "FROM debian:12\nRUN apt-get update && apk add --no-cache curl\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get update \\\n && apt-get upgrade -y\n",
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
            "FROM alpine:3.20\nRUN apk update && apk add curl\n",
            "FROM debian:12\nRUN apt-get install -y curl\n",
            "FROM fedora:40\nRUN dnf makecache\n",
            "FROM debian:12\nRUN apt-get update && xx-apt-get install -y --no-install-recommends gcc libc6-dev\n",
            "FROM ros:jazzy\nRUN apt-get update && rosdep install -y --from-paths src --ignore-src\n",
            "FROM debian:12\nRUN apt-get update && bash /tmp/library-scripts/common-debian.sh\n",
            "FROM debian:12\nRUN sudo apt-get update && sudo bash -c \"apt-get install -y curl\"\n",
        ] {
            assert_silent("DF014", src);
        }
    }
}
