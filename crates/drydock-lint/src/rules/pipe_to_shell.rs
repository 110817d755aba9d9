//! DF006 `pipe-to-shell`: A download is piped straight into a shell.

use crate::Context;
use crate::rules::shared::{Download, Output, argv, base, download, is_shell, pipe_source, runs_stdin, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// RUN scripts that execute what `curl` or `wget` fetch without saving
    /// it first: `curl … | sh`, `curl … | sudo bash -s -- -y`,
    /// `wget -qO- … | python3 -`, `sh -c "$(curl …)"`, `eval "$(wget -O- …)"`,
    /// `bash <(curl …)`. Heredoc, exec-form and ONBUILD RUNs included.
    /// ## Why it matters
    /// The script runs as root in the build with no chance to check it: a
    /// compromised or truncated download executes as-is, and what ran is
    /// not recorded anywhere a scanner can see (hardening guide stage 2.1:
    /// tools fetched with curl are invisible to package scanners). CIS
    /// Docker Benchmark 4.11 (verified packages); NIST 800-53 SI-7, CM-14
    /// (signed components), SA-10.
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://get.example.com/install.sh | sh
    /// ```
    /// ## Fix
    /// Download to a file, verify it, then run it:
    /// `curl -fsSLo install.sh <url> && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`,
    /// or install the tool from the distribution's packages.
    code = "DF006",
    name = "pipe-to-shell",
    level = Error,
    summary = "A download is piped straight into a shell",
}

const HELP: &str = "download to a file, verify it (`echo \"<sha256>  install.sh\" | sha256sum -c -` or the publisher's signature), then run it; better, install it from a package repository";

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        let cmds = &script.commands;
        for (i, cmd) in cmds.iter().enumerate() {
            let words = argv(cmd);
            let Some(first) = words.first() else { continue };
            let runner = base(&first.text);
            // `curl … | [tee …|] sh`: walk the pipeline back to its producer.
            if runs_stdin(words) {
                let mut j = i;
                let mut reported = false;
                while let Some(p) = pipe_source(cmds, j) {
                    if let Some(d) = download(&cmds[p]).filter(|d| d.output == Output::Stdout)
                        && let (Some(start), Some(end)) = (argv(&cmds[p]).first(), words.last())
                    {
                        cx.report_with_help(
                            &META,
                            script.words_span(start, end),
                            format!("{} is piped into `{runner}`: a script downloaded at build time runs unverified", fetched(&d)),
                            HELP,
                        );
                        reported = true;
                        break;
                    }
                    j = p;
                }
                if reported {
                    continue;
                }
            }
            // `sh -c "$(curl …)"`, `eval "$(curl …)"`: the substitution is the program.
            let executes_args = (is_shell(runner) && words.iter().skip(1).any(|w| w.text.starts_with('-') && w.text.contains('c')))
                || matches!(runner, "eval" | "source" | ".");
            if executes_args {
                let substituted = cmds.iter().filter(|c| c.substituted).filter_map(|c| Some((c, download(c)?))).find(|(c, d)| {
                    d.output == Output::Stdout
                        && words.iter().skip(1).any(|w| {
                            let (s, e) = c.span();
                            w.dynamic && (w.text.contains("$(") || w.text.contains('`')) && w.start <= s && e <= w.end
                        })
                });
                if let (Some((_, d)), Some(last)) = (substituted, words.last()) {
                    cx.report_with_help(
                        &META,
                        script.words_span(first, last),
                        format!("`{runner}` runs the output of {}: a script downloaded at build time runs unverified", fetched(&d)),
                        HELP,
                    );
                    continue;
                }
            }
            // `bash <(curl …)`, `source <(curl …)`: process substitution.
            if is_shell(runner) || matches!(runner, "source" | ".") {
                let Some(text) = script.text() else { continue };
                let Some(next) = cmds.get(i + 1) else { continue };
                let Some(d) = download(next) else { continue };
                let (Some(last), Some(next_last)) = (words.last(), next.argv.last()) else { continue };
                let between = text.get(last.end..next.span().0).unwrap_or("");
                if next.depth == cmd.depth + 1 && between.trim() == "<(" && d.output == Output::Stdout {
                    cx.report_with_help(
                        &META,
                        script.words_span(first, next_last),
                        format!("`{runner}` runs the output of {}: a script downloaded at build time runs unverified", fetched(&d)),
                        HELP,
                    );
                }
            }
        }
    }
}

/// `curl https://…`, for messages.
fn fetched(d: &Download<'_>) -> String {
    match d.url {
        Some(u) => format!("`{} {u}`", d.tool),
        None => format!("`{}`", d.tool),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF006", "FROM debian:12\nRUN curl -fsSL https://get.example.com/install.sh | sh\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 55));
        assert!(d[0].message.contains("`curl https://get.example.com/install.sh` is piped into `sh`"), "{}", d[0].message);
        assert_fires(
            "DF006",
            "FROM debian:12\nRUN apt-get update \\\n && curl -sSL https://sh.rustup.rs \\\n    | sudo -E bash -s -- -y\n",
        );
        assert_fires("DF006", "FROM alpine:3.20\nRUN wget -qO- https://example.com/i.sh | ash\n");
        assert_fires("DF006", "FROM alpine:3.20\nRUN wget -q -O - https://example.com/i.py | python3 -\n");
        assert_fires("DF006", "FROM debian:12\nRUN curl -fsSL https://example.com/i.sh | tee /tmp/i.sh | bash\n");
        assert_fires(
            "DF006",
            "FROM debian:12\nRUN sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\"\n",
        );
        assert_fires("DF006", "FROM debian:12\nRUN eval \"$(wget -qO- https://example.com/env.sh)\"\n");
        let d = assert_fires("DF006", "FROM debian:12\nRUN bash <(curl -fsSL https://example.com/i.sh) --unattended\n");
        assert!(d[0].message.contains("`bash` runs the output of `curl https://example.com/i.sh`"), "{}", d[0].message);
        assert_fires("DF006", "FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://example.com/i.sh | bash\nEOF\n");
        assert_fires("DF006", "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"curl -fsSL https://example.com/i.sh | sh\"]\n");
        assert_fires("DF006", "FROM debian:12\nONBUILD RUN curl -fsSL https://example.com/i.sh | sh\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh && echo \"abc  /tmp/i.sh\" | sha256sum -c - && sh /tmp/i.sh\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/x.tgz | tar -xz -C /opt\n",
            "FROM debian:12\nRUN curl -fsSL https://api.example.com/v | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /etc/apt/keyrings/x.gpg\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/i.sh | sh -c 'cat > /tmp/i.sh'\n",
            "FROM debian:12\nRUN VERSION=$(curl -fsSL https://example.com/latest) && echo $VERSION\n",
            "FROM debian:12\nRUN curl -fsSLo i.sh https://example.com/i.sh | sh\n",
            "FROM debian:12\nRUN echo hi | sh\n",
            "FROM debian:12\nRUN bash -c 'echo $(date)'\n",
        ] {
            assert_silent("DF006", src);
        }
    }
}
