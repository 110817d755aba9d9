//! DF029 `relative-workdir`: WORKDIR is a relative path.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `WORKDIR` whose path, after ARG/ENV substitution, is relative
    /// (hadolint DL3000). Absolute means `/…`, or on Windows `C:\…`, `c:/…`
    /// or `\…`. A path that starts with a variable Docker cannot resolve
    /// here (`WORKDIR $HOME/app` with `HOME` from the base image) is not
    /// reported. `ONBUILD WORKDIR` is checked too.
    /// ## Why it matters
    /// A relative WORKDIR is resolved against whatever the previous WORKDIR
    /// was, which may come from the base image and change when it is
    /// updated: the same Dockerfile then puts files somewhere else (NIST
    /// 800-53 CM-2 baseline configuration: a build whose result is evident
    /// from its definition).
    /// ## Example
    /// ```dockerfile
    /// WORKDIR app
    /// ```
    /// ## Fix
    /// Use an absolute path: `WORKDIR /app`.
    code = "DF029",
    name = "relative-workdir",
    level = Warning,
    summary = "WORKDIR is a relative path",
}

pub(crate) fn check(cx: &Context<'_>) {
    let escape = cx.model.file.escape;
    for (i, ins) in super::secret_in_config::with_onbuild(cx.model) {
        if ins.keyword != Keyword::Workdir {
            continue;
        }
        let ws = words::split(&ins.args, escape);
        let (Some(first), Some(last)) = (ws.first(), ws.last()) else { continue };
        let written = ws.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let scope = cx.model.scope_at(i);
        let (path, known) = words::expand(&written, escape, &|n| scope.get(n).cloned());
        if (!known && written.starts_with('$')) || is_absolute(&path) {
            continue;
        }
        let resolved = if path == written { String::new() } else { format!(" (`{path}`)") };
        cx.report_with_help(
            &META,
            ins.args_span(first.start, last.end),
            format!("`WORKDIR {written}`{resolved} is relative: it depends on the previous WORKDIR, possibly the base image's"),
            format!("use an absolute path, e.g. `WORKDIR /{}`", path.trim_start_matches("./")),
        );
    }
}

fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/') || p.starts_with('\\') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF029", "FROM node:20\nWORKDIR app\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 9, 12));
        assert!(d[0].message.contains("`WORKDIR app`"));
        assert_fires("DF029", "FROM node:20\nWORKDIR ./src\n");
        let d = assert_fires("DF029", "FROM node:20\nARG DIR=build\nWORKDIR ${DIR}/out\n");
        assert!(d[0].message.contains("`build/out`"), "{}", d[0].message);
        assert_fires("DF029", "FROM node:20\nWORKDIR app/$SUB\n");
        assert_fires("DF029", "FROM node:20\nONBUILD WORKDIR src\n");
        assert_fires("DF029", "FROM node:20\nWORKDIR \"my app\"\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF029", "FROM node:20\nWORKDIR /usr/src/app\n");
        assert_silent("DF029", "FROM node:20\nENV APP=/srv/app\nWORKDIR $APP\n");
        assert_silent("DF029", "FROM node:20\nWORKDIR $HOME/app\nWORKDIR ${GOPATH}/src\n");
        assert_silent("DF029", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\nWORKDIR c:/inetpub\n");
        assert_silent("DF029", "FROM node:20\nARG ROOT=/opt\nWORKDIR ${ROOT}/tool\n");
    }
}
