//! DF025 `sudo`: sudo in a RUN.

use crate::Context;

crate::declare_rule! {
    /// ## What it checks
    /// `sudo` run as a command in a RUN (anywhere in the script: after
    /// `&&`, in a subshell, in a heredoc, in `ONBUILD RUN`). hadolint DL3004.
    /// ## Why it matters
    /// Build steps already run as the current `USER`; `sudo` in a
    /// Dockerfile means the image ships the sudo binary and a sudoers
    /// configuration, a ready-made privilege escalation path for anyone who
    /// gets a shell in the container, and its TTY and PAM behaviour makes
    /// builds unpredictable (CIS Docker Benchmark 4.1; hardening guide stage
    /// 2.8; NIST 800-53 AC-6 least privilege).
    /// ## Example
    /// ```dockerfile
    /// USER app
    /// RUN sudo apt-get install -y --no-install-recommends git
    /// ```
    /// ## Fix
    /// Switch users around the steps that need root: `USER root`, the RUN,
    /// then `USER app`; do not install sudo in the image.
    code = "DF025",
    name = "sudo",
    level = Warning,
    summary = "sudo in a RUN",
}

pub(crate) fn check(cx: &Context<'_>) {
    for run in &cx.model.runs {
        for c in &run.commands {
            if c.name() != Some("sudo") {
                continue;
            }
            let Some(word) = c.argv.first() else { continue };
            let shown = std::iter::once("sudo").chain(command_after_sudo(c).into_iter().take(2)).collect::<Vec<_>>().join(" ");
            cx.report_with_help(
                &META,
                cx.model.script_span(run, word.start, word.end),
                format!("`{shown}`: RUN already runs as the current USER; sudo in the image is a privilege escalation path"),
                "drop sudo: put `USER root` before the step and `USER <app user>` after it",
            );
        }
    }
}

/// The command sudo runs: its words after sudo's own options (`-u app`,
/// `-E`, `--user=app`), long words elided.
fn command_after_sudo(c: &crate::dockerfile::shell::Command) -> Vec<&str> {
    let mut words = c.args();
    let mut out = Vec::new();
    while let Some(w) = words.next() {
        if w == "--" {
            continue;
        }
        if w.starts_with('-') && out.is_empty() {
            // Options that take a value in the next word.
            if matches!(w, "-u" | "-g" | "-U" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-T" | "-R") {
                words.next();
            }
            continue;
        }
        out.push(if w.len() > 30 { "…" } else { w });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF025", "FROM ubuntu:24.04\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y git\n");
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 5, 9));
        assert!(d[0].message.contains("`sudo apt-get update`"), "{}", d[0].message);
        let d = assert_fires("DF025", "FROM ubuntu:24.04\nRUN set -eux; \\\n    /usr/bin/sudo -E -u app make install\n");
        assert!(d[0].message.starts_with("`sudo make install`"), "{}", d[0].message);
        assert_fires("DF025", "FROM ubuntu:24.04\nRUN <<EOF\nsudo chown -R app /srv\nEOF\n");
        assert_fires("DF025", "FROM ubuntu:24.04\nRUN [\"/bin/bash\", \"-c\", \"sudo make install\"]\n");
        assert_fires("DF025", "FROM ubuntu:24.04\nONBUILD RUN (cd /src && sudo make install)\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF025", "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends sudo\n");
        assert_silent("DF025", "FROM ubuntu:24.04\nRUN echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app\n");
        assert_silent("DF025", "FROM ubuntu:24.04\nCMD [\"sudo\", \"-u\", \"app\", \"/app\"]\n");
        assert_silent("DF025", "FROM ubuntu:24.04\nRUN gosu nobody true\n");
    }
}
