//! DF040 `apt-not-apt-get`: apt used in a script.

use crate::Context;
use crate::dockerfile::ast::{Keyword, Span};

crate::declare_rule! {
    /// ## What it checks
    /// `apt` (the interactive front end) run in a RUN script, heredocs and
    /// ONBUILD RUN included. `apt-get`, `apt-cache` and `apt-key` are not
    /// reported here (`apt-key` is DF033's).
    /// ## Why it matters
    /// apt's command line is meant for people: its output and behaviour
    /// change between releases and it warns "apt does not have a stable CLI
    /// interface. Use with caution in scripts." A build must do the same
    /// thing every time it runs (NIST 800-53 CM-2 baseline configuration,
    /// SA-10; hardening guide stage 2.5; hadolint DL3027).
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt update && apt install -y curl
    /// ```
    /// ## Fix
    /// `apt-get` for update/install/remove/upgrade, `apt-cache` for
    /// search/show/policy: `RUN apt-get update && apt-get install -y --no-install-recommends curl`.
    code = "DF040",
    name = "apt-not-apt-get",
    level = Warning,
    summary = "apt used in a script",
}

pub(crate) fn check(cx: &Context<'_>) {
    // Exec form runs no shell: `RUN ["apt", "install", "-y", "curl"]`.
    for ins in &cx.model.file.instructions {
        let run = match (&ins.keyword, &ins.onbuild) {
            (Keyword::Run, _) => ins,
            (Keyword::Onbuild, Some(inner)) if inner.keyword == Keyword::Run => inner.as_ref(),
            _ => continue,
        };
        if let Some(argv) = &run.exec
            && argv.first().is_some_and(|a| a.rsplit('/').next() == Some("apt"))
        {
            let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
            report(cx, run.args_span(0, run.args.len()), subcommand(&args));
        }
    }
    for run in &cx.model.runs {
        for cmd in &run.commands {
            if cmd.name() != Some("apt") {
                continue;
            }
            let Some(word) = cmd.argv.first() else { continue };
            let args: Vec<&str> = cmd.args().collect();
            report(cx, cx.model.script_span(run, word.start, word.end), subcommand(&args));
        }
    }
}

/// The first argument that is not an option (`-o`, `-c` and `-t` take a value).
fn subcommand<'a>(args: &[&'a str]) -> Option<&'a str> {
    let mut k = 0;
    while let Some(a) = args.get(k) {
        match *a {
            "-o" | "-c" | "-t" => k += 2,
            a if a.starts_with('-') => k += 1,
            a => return Some(a),
        }
    }
    None
}

fn report(cx: &Context<'_>, span: Span, sub: Option<&str>) {
    let instead = match sub {
        Some("search" | "show" | "showsrc" | "policy" | "depends" | "rdepends") => "apt-cache",
        Some("list") => "dpkg-query -W",
        _ => "apt-get",
    };
    let written = match sub {
        Some(s) => format!("apt {s}"),
        None => "apt".to_owned(),
    };
    let suggestion = match sub {
        Some(s) if instead != "dpkg-query -W" => format!("{instead} {s}"),
        _ => instead.to_owned(),
    };
    cx.report_with_help(
        &META,
        span,
        format!("`{written}` in a RUN script: apt's command line is for interactive use and is not stable for scripts"),
        format!("use `{suggestion}` instead"),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d =
            assert_fires("DF040", "FROM ubuntu:24.04\nRUN apt update \\\n && apt install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n");
        assert_eq!(d.len(), 2);
        assert_eq!((d[1].line, d[1].column, d[1].end_column), (3, 5, 8));
        assert!(d[1].message.contains("`apt install`"), "{}", d[1].message);
        assert_eq!(d[1].help.as_deref(), Some("use `apt-get install` instead"));
        let d = assert_fires("DF040", "FROM debian:12\nRUN /usr/bin/apt -qq -o Debug::NoLocking=1 show libssl3\n");
        assert_eq!(d[0].help.as_deref(), Some("use `apt-cache show` instead"));
        assert_fires("DF040", "FROM debian:12\nRUN <<EOF\nset -eux\napt-get update\napt full-upgrade -y\nEOF\n");
        assert_fires("DF040", "FROM debian:12\nONBUILD RUN apt install -y make\n");
        assert_fires("DF040", "FROM debian:12\nRUN [\"sh\", \"-c\", \"apt update\"]\n");
        let d = assert_fires("DF040", "FROM debian:12\nRUN [\"apt\", \"install\", \"-y\", \"curl\"]\n");
        assert_eq!((d[0].line, d[0].column), (2, 5));
    }

    #[test]
    fn silent() {
        assert_silent(
            "DF040",
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-cache policy curl && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_silent("DF040", "FROM debian:12\nRUN curl -fsSL https://x.invalid/k.asc | apt-key add -\n");
        assert_silent("DF040", "FROM debian:12\nRUN echo apt install x && ls /etc/apt\nCMD apt\n");
    }
}
