//! DF023 `healthcheck-network-tool`: HEALTHCHECK uses curl or wget.

use crate::Context;
use crate::dockerfile::ast::{Keyword, Span};
use crate::dockerfile::shell;

crate::declare_rule! {
    /// ## What it checks
    /// `HEALTHCHECK CMD` that runs `curl` or `wget` (also `busybox wget`),
    /// in shell form (`CMD curl -f http://localhost/ || exit 1`), exec form
    /// (`CMD ["curl", "-f", "…"]`) or through a shell (`CMD ["sh", "-c", "…"]`),
    /// and `ONBUILD HEALTHCHECK`.
    /// ## Why it matters
    /// The probe forces a general-purpose download tool into the runtime
    /// image. An intruder who gets code execution uses exactly those tools
    /// to fetch the rest of their kit (hardening guide stage 2.7: ship no
    /// tools the service does not need; NIST 800-53 CM-7 least functionality).
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1
    /// ```
    /// ## Fix
    /// Build the probe into the application (`HEALTHCHECK CMD ["/app", "healthcheck"]`,
    /// which calls its own localhost endpoint), or copy a tiny static probe
    /// binary that can only reach localhost, and leave curl and wget out of the image.
    code = "DF023",
    name = "healthcheck-network-tool",
    level = Warning,
    summary = "HEALTHCHECK uses curl or wget",
}

pub(crate) fn check(cx: &Context<'_>) {
    for (_, ins) in super::secret_in_config::with_onbuild(cx.model) {
        if ins.keyword != Keyword::Healthcheck {
            continue;
        }
        let args = ins.args.as_str();
        let Some(cmd_len) = args.get(..3).filter(|k| k.eq_ignore_ascii_case("CMD")).map(|k| k.len()) else { continue };
        let rest = &args[cmd_len..];
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let offset = cmd_len + (rest.len() - rest.trim_start().len());
        let body = rest.trim();
        let whole = ins.args_span(offset, args.len());
        let hit: Option<(String, Span)> = if body.starts_with('[') {
            match serde_json::from_str::<Vec<String>>(body) {
                Ok(argv) => exec_tool(&argv).map(|t| (t, whole)),
                Err(_) => None,
            }
        } else {
            shell_tool(body).map(|(t, s, e)| (t, ins.args_span(offset + s, offset + e)))
        };
        if let Some((tool, span)) = hit {
            cx.report_with_help(
                &META,
                span,
                format!("the HEALTHCHECK runs `{tool}`, so the image must ship it: a download tool an intruder can use to fetch more tools"),
                "probe with the application itself (`HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`) or a tiny static localhost-only probe binary",
            );
        }
    }
}

fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_tool(name: &str) -> bool {
    matches!(name, "curl" | "wget")
}

/// Exec form: the program itself, or the script of `sh -c`.
fn exec_tool(argv: &[String]) -> Option<String> {
    let first = base(argv.first()?);
    if is_tool(first) {
        return Some(first.to_owned());
    }
    if first == "busybox" && argv.get(1).is_some_and(|a| is_tool(a)) {
        return Some(format!("busybox {}", argv[1]));
    }
    if matches!(first, "sh" | "bash" | "ash" | "dash" | "zsh")
        && let Some(flag) = argv.get(1)
        && flag.starts_with('-')
        && flag.contains('c')
        && let Some(script) = argv.get(2)
    {
        return shell_tool(script).map(|(t, _, _)| t);
    }
    None
}

/// Shell form: the first command that is curl or wget, with its word's range.
fn shell_tool(script: &str) -> Option<(String, usize, usize)> {
    for c in shell::parse(script) {
        let Some(name) = c.name() else { continue };
        let word = c.argv.first()?;
        if is_tool(name) {
            return Some((name.to_owned(), word.start, word.end));
        }
        if name == "busybox"
            && let Some(applet) = c.argv.get(1).filter(|a| is_tool(&a.text))
        {
            return Some((format!("busybox {}", applet.text), word.start, applet.end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF023", "FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 32, 36));
        assert!(d[0].message.contains("`curl`"));
        assert_fires(
            "DF023",
            "FROM nginx:1.27\nHEALTHCHECK --interval=5s --timeout=3s \\\n  CMD wget -qO- http://127.0.0.1:8080/health || exit 1\n",
        );
        assert_fires("DF023", "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n");
        assert_fires("DF023", "FROM nginx:1.27\nHEALTHCHECK CMD [\"/bin/sh\", \"-c\", \"wget -q --spider http://localhost || exit 1\"]\n");
        let d = assert_fires("DF023", "FROM alpine:3.20\nhealthcheck cmd busybox wget -q -O /dev/null http://localhost:80\n");
        assert!(d[0].message.contains("busybox wget"));
        assert_fires("DF023", "FROM alpine:3.20\nHEALTHCHECK CMD test -f /ready && /usr/bin/curl -fs localhost\n");
        assert_fires("DF023", "FROM alpine:3.20\nONBUILD HEALTHCHECK CMD curl -f http://localhost/\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF023", "FROM kong:3\nHEALTHCHECK --interval=60s --timeout=10s --retries=10 CMD kong-health\n");
        assert_silent("DF023", "FROM mcr.microsoft.com/mssql/server\nHEALTHCHECK CMD [ \"sqlcmd\", \"-Q\", \"select 1\" ]\n");
        assert_silent("DF023", "FROM alpine:3.20\nHEALTHCHECK NONE\n");
        assert_silent("DF023", "FROM alpine:3.20\nHEALTHCHECK CMD\n");
        assert_silent("DF023", "FROM alpine:3.20\nHEALTHCHECK CMD [\"/app\", \"healthcheck\", \"--url\", \"http://localhost/curl\"]\n");
        assert_silent("DF023", "FROM alpine:3.20\nRUN apk add --no-cache curl\nHEALTHCHECK CMD pg_isready -U postgres\n");
    }
}
