//! DF032 `shell-form-cmd`: CMD or ENTRYPOINT in shell form.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::shell::{self, Joined};
use crate::rules::no_pipefail;

crate::declare_rule! {
    /// ## What it checks
    /// `CMD` and `ENTRYPOINT` of the final stage in shell form (`CMD node
    /// server.js`). Silent for exec form, `CMD []` / `ENTRYPOINT []`, a `CMD`
    /// whose last command is `exec …`, a bare interactive shell (`CMD /bin/bash`)
    /// and Windows images. Build stages are not run, so they are not checked.
    /// ## Why it matters
    /// In shell form PID 1 is `/bin/sh -c`, which does not forward SIGTERM:
    /// `docker stop` and Kubernetes wait out the grace period and SIGKILL the
    /// app, so connections drop and data is not flushed. A shell-form
    /// `ENTRYPOINT` also ignores `CMD` and `docker run` arguments (NIST 800-53
    /// CM-6; hadolint DL3025).
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// CMD node server.js
    /// ```
    /// ## Fix
    /// `CMD ["node", "server.js"]`; if a shell is needed, end it with `exec`:
    /// `CMD ["sh", "-c", "exec node server.js --port \"$PORT\""]`.
    code = "DF032",
    name = "shell-form-cmd",
    level = Warning,
    summary = "CMD or ENTRYPOINT in shell form",
}

pub(crate) fn check(cx: &Context<'_>) {
    let Some(stage) = cx.model.final_stage() else { return };
    for (i, ins) in cx.model.stage_instructions(stage) {
        if !matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) || ins.exec.is_some() || ins.args.trim().is_empty() {
            continue;
        }
        // Windows containers run shell form through cmd or PowerShell and stop differently.
        let shell = no_pipefail::effective_shell(cx.model, i);
        let windows = match shell {
            Some(argv) => argv.first().is_some_and(|p| {
                let p = p.rsplit(['/', '\\']).next().unwrap_or(p).to_ascii_lowercase();
                matches!(p.strip_suffix(".exe").unwrap_or(&p), "cmd" | "powershell" | "pwsh")
            }),
            None => cx.model.stage_chain(i).any(|s| no_pipefail::is_windows_image(s.base.as_deref().unwrap_or(&s.base_written))),
        };
        if windows {
            continue;
        }
        let commands = shell::parse(&ins.args);
        let is_cmd = ins.keyword == Keyword::Cmd;
        if is_cmd && (ends_with_exec(&commands) || is_bare_shell(&commands)) {
            continue;
        }
        let kw = ins.keyword.as_str();
        let program = commands.iter().find(|c| c.depth == 0 && !c.substituted).and_then(|c| c.name()).unwrap_or("the app");
        let sh = shell.map(|argv| argv.join(" ")).unwrap_or_else(|| "/bin/sh -c".to_owned());
        let mut message = format!(
            "`{kw} {}` is shell form: PID 1 is `{sh}`, which does not forward SIGTERM to `{program}`, so stopping the container waits for the timeout and kills it",
            shorten(ins.args.trim())
        );
        if ins.args.starts_with('[') {
            message.push_str(
                " (the arguments look like JSON but do not parse as a JSON array of strings, so Docker runs them through the shell)",
            );
        }
        if !is_cmd {
            message.push_str("; a shell-form ENTRYPOINT also ignores CMD and `docker run` arguments");
        }
        let help = match exec_form(&commands) {
            Some(json) => format!("use exec form: `{kw} {json}`"),
            None => format!("use exec form (`{kw} [\"program\", \"arg\"]`); if a shell is needed, end the script with `exec program`"),
        };
        cx.report_with_help(&META, ins.args_span(0, ins.args.len()), message, help);
    }
}

/// The script hands PID 1 over: its last top-level command is `exec program`.
fn ends_with_exec(commands: &[shell::Command]) -> bool {
    let top: Vec<_> = commands.iter().filter(|c| c.depth == 0 && !c.substituted).collect();
    match top.last() {
        Some(last) => last.name() == Some("exec") && last.argv.len() > 1 && !matches!(last.joined, Joined::Pipe | Joined::Background),
        None => false,
    }
}

/// `CMD /bin/bash`: an interactive shell is the whole point of the image.
fn is_bare_shell(commands: &[shell::Command]) -> bool {
    matches!(commands, [c] if c.argv.len() == 1 && c.redirects.is_empty() && matches!(c.name(), Some("sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")))
}

/// The exec form of a script that is one plain command (no operators,
/// variables, globs or redirections), as JSON.
fn exec_form(commands: &[shell::Command]) -> Option<String> {
    let [c] = commands else { return None };
    if !c.assignments.is_empty() || !c.redirects.is_empty() || c.depth != 0 || c.substituted {
        return None;
    }
    let mut words: Vec<&str> = c.argv.iter().map(|w| w.text.as_str()).collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    if words.is_empty() || c.argv.iter().any(|w| w.dynamic || w.text.contains(['*', '?', '~', '[', '{'])) {
        return None;
    }
    serde_json::to_string(&words).ok().map(|j| j.replace("\",\"", "\", \""))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 { format!("{}…", s.chars().take(57).collect::<String>()) } else { s.to_owned() }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF032", "FROM node:20-slim\nWORKDIR /app\nCMD node server.js --port 8080\n");
        assert_eq!((d[0].line, d[0].column), (3, 5));
        assert!(d[0].message.contains("SIGTERM to `node`"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some(r#"use exec form: `CMD ["node", "server.js", "--port", "8080"]`"#));
        // ENTRYPOINT: also says CMD is ignored; `exec` does not excuse it.
        let d = assert_fires("DF032", "FROM python:3.12-slim\nENTRYPOINT exec gunicorn app:app\n");
        assert!(d[0].message.contains("ignores CMD"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap_or("").contains(r#"["gunicorn", "app:app"]"#));
        // A script with operators and variables, across continuation lines.
        let d = assert_fires("DF032", "FROM debian:12\nCMD /docker-entrypoint.sh \\\n    && nginx -g \"daemon off;\" -c $CONF\n");
        assert_eq!((d[0].line, d[0].end_line), (2, 3));
        assert!(d[0].help.as_deref().unwrap_or("").contains("end the script with `exec"));
        // The effective SHELL is named; broken JSON is shell form.
        let d = assert_fires("DF032", "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nCMD [\"/app\" \"--serve\"]\n");
        assert!(d[0].message.contains("PID 1 is `/bin/bash -c`") && d[0].message.contains("look like JSON"), "{}", d[0].message);
        // Only the final stage counts, but every shell-form one in it.
        let d = assert_fires("DF032", "FROM golang:1.22 AS build\nCMD go test\nFROM alpine:3.20\nENTRYPOINT /app\nCMD serve\n");
        assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), [4, 5]);
    }

    #[test]
    fn silent() {
        assert_silent("DF032", "FROM node:20-slim\nCMD [\"node\", \"server.js\"]\n");
        assert_silent("DF032", "FROM nginx:1.27\nENTRYPOINT []\nCMD []\n");
        assert_silent("DF032", "FROM alpine:3.20\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"sh\", \"-c\", \"exec app --port $PORT\"]\n");
        // The shell replaces itself with the app.
        assert_silent("DF032", "FROM alpine:3.20\nCMD exec nginx -g 'daemon off;'\n");
        assert_silent("DF032", "FROM alpine:3.20\nCMD set -e; \\\n    ./migrate && exec ./server\n");
        // Build stages are not run.
        assert_silent("DF032", "FROM golang:1.22 AS build\nCMD go test ./...\nFROM scratch\nCMD [\"/app\"]\n");
        // Interactive shell images; Windows images.
        assert_silent("DF032", "FROM fedora:40\nCMD /bin/bash\n");
        assert_silent("DF032", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD C:\\Apache24\\bin\\httpd.exe -w\n");
        assert_silent("DF032", "FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nCMD ./start.ps1\n");
        assert_silent("DF032", "FROM alpine:3.20\nONBUILD CMD app\nHEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1\n");
    }
}
