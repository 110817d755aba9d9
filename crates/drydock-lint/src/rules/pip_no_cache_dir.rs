//! DF015 `pip-no-cache-dir`: pip install without --no-cache-dir.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::shell::{Command, ShellWord};
use crate::rules::shared::{Invocation, argv, assignments, base, mounted, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// `pip install`, `pip3 install`, `python3 -m pip install` (and
    /// versioned `pip3.12`) without `--no-cache-dir`. Silent when
    /// `PIP_NO_CACHE_DIR` is set (ENV or ARG in the stage or a stage it
    /// builds on, `export`, or `PIP_NO_CACHE_DIR=1 pip …`), when the RUN
    /// mounts a cache on `/root/.cache/pip`, or removes `~/.cache/pip`.
    /// ## Why it matters
    /// pip keeps every downloaded wheel in `~/.cache/pip`, which then ships
    /// in the layer: tens to hundreds of megabytes that serve no purpose
    /// in an image. Hardening guide stage 2.3 (minimal images); NIST
    /// 800-53 CM-7.
    /// ## Example
    /// ```dockerfile
    /// RUN pip install -r requirements.txt
    /// ```
    /// ## Fix
    /// `pip install --no-cache-dir -r requirements.txt`, or
    /// `ENV PIP_NO_CACHE_DIR=1` once, or a cache mount:
    /// `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.
    code = "DF015",
    name = "pip-no-cache-dir",
    level = Info,
    summary = "pip install without --no-cache-dir",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for (i, cmd) in script.commands.iter().enumerate() {
            let Some(pip) = pip_install(cmd) else { continue };
            if pip.inv.opts.iter().any(|o| o.name().starts_with("--no-cache-dir"))
                || env_set(cx, script.index, &script.commands[..=i], "PIP_NO_CACHE_DIR")
            {
                continue;
            }
            if mounted(script.run, &["/root/.cache/pip"]) || cleans_cache(&script.commands[i + 1..]) {
                continue;
            }
            cx.report_with_help(
                &META,
                script.words_span(pip.head.0, pip.head.1),
                format!("`{}` without `--no-cache-dir` keeps pip's download cache (~/.cache/pip) in the layer", pip.head_text()),
                "add `--no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1` once in the stage",
            );
        }
    }
}

/// A `pip install` call.
pub(crate) struct PipInstall<'w> {
    /// First and last word of `pip install` / `python3 -m pip install`.
    pub head: (&'w ShellWord, &'w ShellWord),
    /// Options (global and install options) and operands after `install`.
    pub inv: Invocation<'w>,
}

impl PipInstall<'_> {
    /// `pip install`, `python3 -m pip install`, for messages.
    pub fn head_text(&self) -> String {
        let name = base(&self.head.0.text);
        if name.starts_with("pip") { format!("{name} install") } else { format!("{name} -m pip install") }
    }
}

fn versioned(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn pip_value(o: &str) -> bool {
    matches!(
        o,
        "-r" | "--requirement"
            | "-c"
            | "--constraint"
            | "-e"
            | "--editable"
            | "-i"
            | "--index-url"
            | "--extra-index-url"
            | "-f"
            | "--find-links"
            | "-t"
            | "--target"
            | "--prefix"
            | "--root"
            | "--src"
            | "--trusted-host"
            | "--platform"
            | "--python-version"
            | "--implementation"
            | "--abi"
            | "--upgrade-strategy"
            | "--progress-bar"
            | "--cache-dir"
            | "--log"
            | "--proxy"
            | "--retries"
            | "--timeout"
            | "--exists-action"
            | "--cert"
            | "--client-cert"
            | "--global-option"
            | "--install-option"
            | "-C"
            | "--config-settings"
            | "--no-binary"
            | "--only-binary"
            | "--report"
            | "--python"
            | "--use-feature"
            | "--use-deprecated"
            | "--keyring-provider"
            | "--group"
    )
}

/// Recognizes `pip install …`, `pip3.12 --quiet install …`, `python3 -m pip install …`.
pub(crate) fn pip_install(cmd: &Command) -> Option<PipInstall<'_>> {
    let words = argv(cmd);
    let name = base(&words.first()?.text);
    let start = if name == "pip" || versioned(name, "pip") {
        0
    } else if versioned(name, "python") || name == "py" {
        // `python3 -m pip`: interpreter options may come first.
        let m = words.iter().position(|w| w.text == "-m")?;
        if words.get(m + 1)?.text != "pip" || words[1..m].iter().any(|w| !w.text.starts_with('-')) {
            return None;
        }
        m + 1
    } else {
        return None;
    };
    let tail = &words[start..];
    let inv = Invocation::parse(tail, true, &pip_value);
    let sub = inv.sub?;
    if sub.text != "install" {
        return None;
    }
    Some(PipInstall { head: (&words[0], sub), inv })
}

/// `name` is set for the command: ENV/ARG in scope (this stage or the
/// stages it is built on), `export name=…` earlier in the script, or
/// `name=… cmd`. `commands` ends with the command itself.
pub(crate) fn env_set(cx: &Context<'_>, at: usize, commands: &[Command], name: &str) -> bool {
    let prefix = format!("{name}=");
    if let Some(cmd) = commands.last()
        && assignments(cmd).any(|a| a.starts_with(&prefix))
    {
        return true;
    }
    let exported = commands.iter().any(|c| {
        let a = argv(c);
        a.first().is_some_and(|w| w.text == "export") && a.iter().skip(1).any(|w| w.text.starts_with(&prefix))
    });
    if exported || cx.model.scope_at(at).contains_key(name) {
        return true;
    }
    let mut seen = Vec::new();
    let mut stage = cx.model.stage_of(at).and_then(|s| s.base_stage).and_then(|b| cx.model.stages.get(b));
    while let Some(s) = stage.filter(|s| !seen.contains(&s.index)) {
        seen.push(s.index);
        let sets = cx.model.stage_instructions(s).any(|(_, ins)| {
            ins.keyword == Keyword::Env
                && crate::dockerfile::words::pairs(&ins.args, cx.model.file.escape, true).iter().any(|(k, _)| k.text == name)
        });
        if sets {
            return true;
        }
        stage = s.base_stage.and_then(|b| cx.model.stages.get(b));
    }
    false
}

/// `rm -rf /root/.cache/pip`, `rm -rf ~/.cache`.
fn cleans_cache(commands: &[Command]) -> bool {
    commands.iter().any(|c| {
        let a = argv(c);
        a.first().is_some_and(|w| base(&w.text) == "rm")
            && a.iter().skip(1).any(|w| {
                let p = w.text.trim_end_matches('*').trim_end_matches('/');
                p.ends_with(".cache") || p.ends_with(".cache/pip")
            })
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF015", "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 16));
        assert!(d[0].message.starts_with("`pip install` without `--no-cache-dir`"), "{}", d[0].message);
        let d = assert_fires("DF015", "FROM python:3.12-slim\nRUN python3 -m pip install --upgrade pip\n");
        assert!(d[0].message.starts_with("`python3 -m pip install` without"), "{}", d[0].message);
        assert_fires("DF015", "FROM python:3.12-slim\nRUN pip3.12 --quiet install \\\n      flask==3.0.3\n");
        assert_fires("DF015", "FROM python:3.12-slim\nRUN /opt/venv/bin/pip install .\n");
        assert_fires("DF015", "FROM python:3.12-slim\nRUN <<EOF\npip install flask==3.0.3\nEOF\n");
        assert_fires("DF015", "FROM python:3.12-slim\nRUN [\"pip\", \"install\", \"flask==3.0.3\"]\n");
        assert_fires("DF015", "FROM python:3.12-slim\nONBUILD RUN pip install -r requirements.txt\n");
        // The variable set in another stage does not apply.
        assert_fires("DF015", "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask==3.0.3\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
            "FROM python:3.12-slim\nRUN pip --no-cache-dir install flask==3.0.3\n",
            "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n",
            "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=off PIP_DISABLE_PIP_VERSION_CHECK=on\nRUN pip install flask==3.0.3\n",
            "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask==3.0.3\n",
            "FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n",
            "FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3\n",
            "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
            "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt\n",
            "FROM python:3.12-slim\nRUN pip install flask==3.0.3 && rm -rf /root/.cache/pip\n",
            "FROM python:3.12-slim\nRUN pip download flask && pip wheel . && pip freeze\n",
            "FROM python:3.12-slim\nRUN python -m venv /opt/venv && python -c 'import pip'\n",
        ] {
            assert_silent("DF015", src);
        }
    }
}
