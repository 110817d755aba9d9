//! DF038 `no-pipefail`: Pipe in RUN without set -o pipefail.

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::shell::{Command, Joined};
use crate::dockerfile::{Model, RunScript};

crate::declare_rule! {
    /// ## What it checks
    /// A RUN script (shell form, heredoc, `["sh", "-c", …]`, ONBUILD RUN) with a
    /// pipe `a | b`, when neither a `SHELL [… "-o", "pipefail" …]` earlier in the
    /// stage (or the stage it is built `FROM`) nor `set -o pipefail` earlier in
    /// the script turns pipefail on. Silent for PowerShell/cmd and Windows
    /// images, pipes inside `$( … )`, and pipes fed by `echo`, `printf`, `yes`.
    /// ## Why it matters
    /// A pipeline's status is its last command's: in `curl -fsSL $URL | tar -xz`
    /// a failed download still "succeeds" and the image ships without the tool or
    /// with a truncated file (hardening guide stage 2.5; NIST 800-53 SI-7, CM-2;
    /// hadolint DL4006).
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
    /// ```
    /// ## Fix
    /// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN; on Alpine
    /// `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`. `set -o pipefail` fails
    /// where `/bin/sh` is an older dash (Debian, Ubuntu) or BusyBox ash.
    code = "DF038",
    name = "no-pipefail",
    level = Warning,
    summary = "Pipe in RUN without set -o pipefail",
}

/// What runs a RUN script, as far as pipefail goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Interpreter {
    /// A POSIX shell without pipefail.
    Plain,
    /// The shell is started with pipefail.
    Pipefail,
    /// PowerShell, cmd, or not a shell at all: not our business.
    Other,
}

pub(crate) fn check(cx: &Context<'_>) {
    for run in &cx.model.runs {
        let Some(ins) = run_instruction(cx.model.instruction(run.instruction)) else { continue };
        let text = match (run.heredoc, &ins.exec) {
            (Some(h), _) => ins.heredocs.get(h).map(|h| h.body.as_str()),
            (None, None) => Some(ins.args.as_str()),
            (None, Some(_)) => None,
        };
        let Some((producer, consumer)) = risky_pipe(&run.commands, text) else { continue };
        if interpreter(cx.model, run, ins) != Interpreter::Plain {
            continue;
        }
        let (p, c) = (&run.commands[producer], &run.commands[consumer]);
        let (start, _) = p.span();
        let (_, end) = c.span();
        let span = cx.model.script_span(run, start, end.max(start));
        let (pn, cn) = (p.name().unwrap_or("the first command"), c.name().unwrap_or("the last command"));
        let alpine = cx
            .model
            .stage_chain(run.instruction)
            .any(|s| s.base.as_deref().unwrap_or(&s.base_written).to_ascii_lowercase().contains("alpine"));
        let help = if alpine {
            "add `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]` before this RUN (BusyBox ash has pipefail), or start the script with `set -o pipefail &&`"
        } else {
            "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN (on Alpine: `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`); `set -o pipefail` in the script fails where /bin/sh is an older dash (Debian, Ubuntu)"
        };
        cx.report_with_help(
            &META,
            span,
            format!("`{pn} … | {cn}` without pipefail: if `{pn}` fails the step still succeeds, because a pipeline's status is its last command's (`{cn}`)"),
            help,
        );
    }
}

/// The first pipe whose producer can fail meaningfully, unless the script
/// turned pipefail on before it: (producer, consumer) indices. `text` is
/// the script the command offsets point into, when known.
fn risky_pipe(commands: &[Command], text: Option<&str>) -> Option<(usize, usize)> {
    let mut in_case = false;
    for (j, c) in commands.iter().enumerate() {
        if sets_pipefail(c) {
            return None;
        }
        in_case |= c.name() == Some("case");
        if c.joined != Joined::Pipe || c.substituted {
            continue;
        }
        // `case $arch in amd64|x86_64) …`: alternatives of a pattern, not a pipe.
        let (_, end) = c.span();
        if in_case && c.argv.len() == 1 && text.and_then(|t| t.get(end..)).is_some_and(|rest| rest.trim_start().starts_with([')', '|'])) {
            continue;
        }
        let Some(p) = commands[..j].iter().rposition(|p| p.depth == c.depth && p.substituted == c.substituted) else { continue };
        if matches!(commands[p].name(), Some("echo" | "printf" | "yes" | "true")) {
            continue;
        }
        return Some((p, j));
    }
    None
}

/// `set -o pipefail`, `set -euxo pipefail`, `set -o errexit -o pipefail`.
fn sets_pipefail(c: &Command) -> bool {
    c.name() == Some("set") && c.argv.windows(2).any(|w| w[0].text.starts_with('-') && w[0].text.ends_with('o') && w[1].text == "pipefail")
}

/// The RUN itself (the trigger of an ONBUILD RUN).
fn run_instruction(ins: &Instruction) -> Option<&Instruction> {
    match (&ins.keyword, &ins.onbuild) {
        (Keyword::Run, _) => Some(ins),
        (Keyword::Onbuild, Some(inner)) if inner.keyword == Keyword::Run => Some(inner),
        _ => None,
    }
}

fn interpreter(model: &Model, run: &RunScript, ins: &Instruction) -> Interpreter {
    // `RUN ["bash", "-c", "…"]` names its shell; SHELL does not apply.
    if let Some(argv) = &ins.exec {
        return if argv.iter().any(|a| a.contains("pipefail")) { Interpreter::Pipefail } else { Interpreter::Plain };
    }
    if let Some(h) = run.heredoc.and_then(|h| ins.heredocs.get(h)) {
        // A shebang chooses the interpreter.
        if let Some(shebang) = h.body.lines().next().and_then(|l| l.strip_prefix("#!")) {
            let mut parts = shebang.split_whitespace();
            let mut prog = parts.next().unwrap_or("");
            if prog.ends_with("/env") {
                prog = parts.next().unwrap_or("");
            }
            return match (is_posix_shell(prog), shebang.contains("pipefail")) {
                (false, _) => Interpreter::Other,
                (true, true) => Interpreter::Pipefail,
                (true, false) => Interpreter::Plain,
            };
        }
        // `RUN bash -o pipefail <<EOF`: the body is fed to that shell.
        let head = crate::dockerfile::shell::parse(&ins.args);
        if let Some(sh) = head.iter().find(|c| c.name().is_some_and(is_posix_shell)) {
            return if sh.args().any(|a| a.contains("pipefail")) { Interpreter::Pipefail } else { Interpreter::Plain };
        }
    }
    match effective_shell(model, run.instruction) {
        Some(argv) => {
            let prog = argv.first().map(|p| p.rsplit(['/', '\\']).next().unwrap_or(p).to_ascii_lowercase()).unwrap_or_default();
            let prog = prog.strip_suffix(".exe").unwrap_or(&prog);
            if matches!(prog, "powershell" | "pwsh" | "cmd") {
                Interpreter::Other
            } else if argv.iter().any(|a| a.contains("pipefail")) {
                Interpreter::Pipefail
            } else {
                Interpreter::Plain
            }
        }
        None if model.stage_chain(run.instruction).any(|s| is_windows_image(s.base.as_deref().unwrap_or(&s.base_written))) => {
            Interpreter::Other
        }
        None => Interpreter::Plain,
    }
}

/// The last `SHELL` before instruction `at` in its stage, else in the
/// stages it is built `FROM` (SHELL is part of the image config).
pub(crate) fn effective_shell(model: &Model, at: usize) -> Option<&Vec<String>> {
    let mut limit = at;
    for stage in model.stage_chain(at) {
        let found = model
            .stage_instructions(stage)
            .take_while(|(i, _)| *i < limit)
            .filter(|(_, ins)| ins.keyword == Keyword::Shell)
            .filter_map(|(_, ins)| ins.exec.as_ref())
            .last();
        if found.is_some() {
            return found;
        }
        limit = usize::MAX;
    }
    None
}

fn is_posix_shell(prog: &str) -> bool {
    matches!(prog.rsplit('/').next().unwrap_or(prog), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh")
}

pub(crate) fn is_windows_image(image: &str) -> bool {
    let i = image.to_ascii_lowercase();
    i.contains("windows/") || i.contains("nanoserver") || i.contains("servercore") || i.contains("windowsservercore")
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF038", "FROM debian:12\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 75));
        assert!(d[0].message.contains("if `curl` fails"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap_or("").contains("/bin/bash"));
        // Continuations, a pipe deep in a subshell; Alpine gets the ash advice.
        let d = assert_fires(
            "DF038",
            "FROM alpine:3.20\nRUN apk add --no-cache curl \\\n && (cd /tmp && wget -qO- https://example.com/x.tgz | tar xz)\n",
        );
        assert_eq!(d[0].line, 3);
        assert!(d[0].help.as_deref().unwrap_or("").contains("/bin/ash"));
        // SHELL without pipefail; `set -o pipefail` only after the pipe.
        assert_fires("DF038", "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN cat /etc/os-release | grep ID\n");
        assert_fires("DF038", "FROM debian:12\nRUN curl -s https://x.invalid | sh; set -o pipefail\n");
        // SHELL with pipefail in another, unrelated stage.
        assert_fires(
            "DF038",
            "FROM debian:12 AS a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM debian:12\nRUN wget -O- https://x.invalid/k | gpg --dearmor > /k.gpg\n",
        );
        // Heredoc, exec form and ONBUILD.
        assert_fires("DF038", "FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://x.invalid/a.tgz | tar xz\nEOF\n");
        assert_fires("DF038", "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"curl -fsSL https://x.invalid | tar xz\"]\n");
        // A real pipe inside a case branch still counts.
        assert_fires("DF038", "FROM debian:12\nRUN case \"$A\" in x) curl -s https://x.invalid | tar xz ;; esac\n");
        assert_fires("DF038", "FROM debian:12\nONBUILD RUN find /src -name '*.o' | xargs rm\n");
    }

    #[test]
    fn silent() {
        assert_silent(
            "DF038",
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x.invalid/a.tgz | tar xz\n",
        );
        assert_silent(
            "DF038",
            "FROM alpine:3.20\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN wget -qO- https://x.invalid | tar xz\n",
        );
        // SHELL is inherited from the stage this one is built FROM.
        assert_silent(
            "DF038",
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl -s https://x.invalid | tar xz\n",
        );
        assert_silent("DF038", "FROM debian:12\nRUN set -euxo pipefail; \\\n    curl -fsSL https://x.invalid | tar xz\n");
        assert_silent("DF038", "FROM debian:12\nRUN <<EOF\nset -o errexit -o pipefail\ncurl https://x.invalid | tar xz\nEOF\n");
        assert_silent("DF038", "FROM debian:12\nRUN bash -o pipefail <<EOF\ncurl https://x.invalid | tar xz\nEOF\n");
        assert_silent("DF038", "FROM debian:12\nRUN [\"/bin/bash\", \"-c\", \"set -o pipefail && curl https://x.invalid | tar xz\"]\n");
        // Windows shells.
        assert_silent(
            "DF038",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Remove-Item\n",
        );
        assert_silent("DF038", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN type a.txt | findstr b\n");
        // Producers that cannot meaningfully fail; pipes in substitutions; no pipe.
        assert_silent("DF038", "FROM debian:12\nRUN echo 'deb http://x.invalid stable main' | tee /etc/apt/sources.list.d/x.list\n");
        assert_silent("DF038", "FROM debian:12\nRUN yes | sdkmanager --licenses\n");
        assert_silent("DF038", "FROM debian:12\nRUN echo \"$(cat /etc/os-release | grep ID)\" || true\n");
        assert_silent("DF038", "FROM debian:12\nRUN apt-get update || exit 1\n");
        // Alternatives in a case pattern are not pipes.
        assert_silent(
            "DF038",
            "FROM debian:12\nRUN arch=\"$(dpkg --print-architecture)\"; \\\n    case \"$arch\" in \\\n      amd64|x86_64) a=x64 ;; \\\n      arm64|aarch64|armv8) a=aarch64 ;; \\\n    esac\n",
        );
        assert_silent(
            "DF038",
            "FROM debian:12\nRUN <<EOF\ncase \"$(uname -m)\" in\n  x86_64|amd64) A=x64 ;;\n  ppc64el|ppc64le) A=ppc ;;\nesac\nEOF\n",
        );
        // A Python heredoc is not a shell script.
        assert_silent("DF038", "FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1 | 2)\nEOF\n");
    }
}
