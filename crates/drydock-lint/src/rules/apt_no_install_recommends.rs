//! DF010 `apt-no-install-recommends`: apt-get install without --no-install-recommends.

use crate::Context;
use crate::rules::shared::{Pm, pkg_command, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// `apt-get install` and `apt install` without `--no-install-recommends`
    /// (or `-o APT::Install-Recommends=false`), and `aptitude install`
    /// without `-R`/`--without-recommends`. Silent when an earlier RUN of
    /// the stage (or of a stage it builds on) writes
    /// `APT::Install-Recommends "0";` into apt's configuration.
    /// ## Why it matters
    /// Recommended packages are not dependencies: they add programs,
    /// libraries and their CVEs that the application never uses, and
    /// every one of them is attack surface to scan and patch. Hardening
    /// guide stage 2.3 (minimal final image); NIST 800-53 CM-7 (least
    /// functionality); FedRAMP's hardened-image requirement (seed 002).
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    /// ## Fix
    /// `apt-get install -y --no-install-recommends curl`, and name the
    /// recommended packages you really need explicitly.
    code = "DF010",
    name = "apt-no-install-recommends",
    level = Info,
    summary = "apt-get install without --no-install-recommends",
}

pub(crate) fn check(cx: &Context<'_>) {
    let all = scripts(cx);
    for script in &all {
        for cmd in script.commands.iter() {
            let Some(p) = pkg_command(cmd) else { continue };
            if !matches!(p.pm, Pm::Apt | Pm::Aptitude) || p.sub() != "install" {
                continue;
            }
            let off = if p.pm == Pm::Aptitude {
                p.inv.has(&["--without-recommends"]) || p.inv.opts.iter().any(|o| o.short_has('R'))
            } else {
                p.inv.has(&["--no-install-recommends"])
                    || p.inv.opts.iter().any(|o| {
                        let setting = match o.name() {
                            "-o" | "--option" => o.arg(),
                            n if n.starts_with("-o") => Some(&n[2..]),
                            _ => None,
                        };
                        setting.is_some_and(|s| disables_recommends(s.trim_start_matches('=')))
                    })
            };
            if off {
                continue;
            }
            // `echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/…` earlier in the stage chain.
            let chain = cx.model.stage_chain(script.index).collect::<Vec<_>>();
            let configured = all
                .iter()
                .filter(|s| s.index < script.index && chain.iter().any(|st| st.body.contains(&s.index)))
                .any(|s| s.commands.iter().any(|c| c.argv.iter().any(|w| disables_recommends(&w.text))));
            if configured {
                continue;
            }
            let (first, last) = p.inv.head();
            let (flag, help) = if p.pm == Pm::Aptitude {
                ("`-R` (`--without-recommends`)", format!("`{} -R …`", p.head_text()))
            } else {
                ("`--no-install-recommends`", format!("`{} --no-install-recommends …`", p.head_text()))
            };
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!(
                    "`{}` without {flag} also installs every recommended package: more code and CVEs the image does not need",
                    p.head_text()
                ),
                format!("add the option: {help}, and install what you need by name"),
            );
        }
    }
}

/// `APT::Install-Recommends=false`, `APT::Install-Recommends "0";`.
fn disables_recommends(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let Some(pos) = t.find("apt::install-recommends") else { return false };
    let value = t[pos + "apt::install-recommends".len()..].trim_start_matches([' ', '=', '"', '\'', '\t']);
    ["0", "false", "no", "off"].iter().any(|v| value.starts_with(v))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF010", "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 23, 38));
        assert!(d[0].message.contains("`apt-get install` without `--no-install-recommends`"), "{}", d[0].message);
        assert_fires("DF010", "FROM ubuntu:24.04\nRUN apt update \\\n && apt install -y \\\n      python3\n");
        assert_fires("DF010", "FROM debian:12\nRUN aptitude install -y curl\n");
        assert_fires("DF010", "FROM debian:12\nRUN <<EOF\napt-get install -y curl\nEOF\n");
        assert_fires("DF010", "FROM debian:12\nONBUILD RUN apt-get install -y curl\n");
        // A configuration written in another, unrelated stage does not apply.
        assert_fires(
            "DF010",
            "FROM debian:12 AS a\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\nFROM debian:12\nRUN apt-get install -y curl\n",
        );
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
            "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n",
            "FROM debian:12\nRUN apt-get install -y -oAPT::Install-Recommends=0 curl\n",
            "FROM debian:12\nRUN aptitude install -y -R curl\n",
            "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y curl\n",
            "FROM debian:12 AS base\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends\nFROM base\nRUN apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n",
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
        ] {
            assert_silent("DF010", src);
        }
    }
}
