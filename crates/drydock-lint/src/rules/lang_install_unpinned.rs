//! DF018 `lang-install-unpinned`: gem or go install without a pinned version.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::shell::ShellWord;
use crate::rules::shared::{Invocation, Script, argv, base, effective, list, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// Tools installed from a language registry without a version:
    /// `gem install x` without `-v`/`--version` or `x:1.2`; `go install
    /// module/cmd` at a moving ref (`@latest`, `@master`, `@main`, `@HEAD`),
    /// or without `@version` outside a module (inside one, go.mod pins it:
    /// the RUN mounts a go.mod or one was copied in earlier); `cargo install x` without
    /// `--version`/`x@1.2`, and `cargo install --git` without `--rev` or
    /// `--tag`. Local builds (`go install ./...`, `cargo install --path .`,
    /// `.gem` files) are not checked.
    /// ## Why it matters
    /// The build pulls whatever release is newest that day: unreproducible,
    /// unreviewed, and an easy path for a compromised release into the
    /// image. Hardening guide stage 2.5 (pin build dependencies); NIST
    /// 800-53 CM-2, SA-10, SI-7.
    /// ## Example
    /// ```dockerfile
    /// RUN gem install bundler
    /// RUN go install github.com/go-delve/delve/cmd/dlv@latest
    /// ```
    /// ## Fix
    /// `gem install bundler -v 2.5.16`, `go install github.com/go-delve/delve/cmd/dlv@v1.23.0`,
    /// `cargo install ripgrep@14.1.0 --locked`.
    code = "DF018",
    name = "lang-install-unpinned",
    level = Warning,
    summary = "gem or go install without a pinned version",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for cmd in script.commands.iter() {
            let words = argv(cmd);
            let Some(first) = words.first() else { continue };
            let tool = base(&first.text);
            let found = match tool {
                "gem" => gem(words),
                "go" => go(words, module_context(cx, &script)),
                "cargo" => cargo(words),
                _ => None,
            };
            let Some((unpinned, help)) = found else { continue };
            let (Some(a), Some(b)) = (unpinned.first(), unpinned.last()) else { continue };
            let names: Vec<String> = unpinned.iter().map(|w| w.text.clone()).collect();
            cx.report_with_help(
                &META,
                script.words_span(a, b),
                format!(
                    "`{tool} install` of {} without a pinned version: {}; the build takes whatever is newest that day",
                    if names.len() == 1 { "a package" } else { "packages" },
                    list(&names)
                ),
                help,
            );
        }
    }
}

type Found<'w> = Option<(Vec<&'w ShellWord>, String)>;

fn gem(words: &[ShellWord]) -> Found<'_> {
    let inv = Invocation::parse(words, true, &|o| {
        matches!(
            o,
            "-v" | "--version"
                | "-i"
                | "--install-dir"
                | "-n"
                | "--bindir"
                | "-s"
                | "--source"
                | "-p"
                | "--http-proxy"
                | "--platform"
                | "-P"
                | "--trust-policy"
                | "--build-root"
        )
    });
    if !matches!(inv.sub(), "install" | "i")
        || inv.has(&["-v", "--version"])
        || inv.opts.iter().any(|o| o.word.text.starts_with("-v") && o.word.text.len() > 2)
    {
        return None;
    }
    let unpinned: Vec<&ShellWord> = inv
        .operands
        .iter()
        .copied()
        .filter(|w| !w.dynamic && !w.text.contains(':') && !w.text.ends_with(".gem") && !w.text.contains('/'))
        .collect();
    let example = unpinned.first()?.text.clone();
    Some((unpinned, format!("pin it: `gem install {example} -v <version>` (or `{example}:<version>`)")))
}

/// `go install pkg` without a version takes the version from go.mod when
/// it runs inside a module: the RUN mounts a go.mod, or one was copied in
/// (`COPY go.mod go.sum ./`, `COPY . .`) earlier in the stage or a stage it
/// is built on.
fn module_context(cx: &Context<'_>, script: &Script<'_>) -> bool {
    if script.run.flags.iter().any(|f| f.value.as_deref().is_some_and(|v| v.contains("go.mod"))) {
        return true;
    }
    let chain = cx.model.stage_chain(script.index).collect::<Vec<_>>();
    cx.model.file.instructions.iter().enumerate().take(script.index).any(|(i, outer)| {
        let ins = effective(outer);
        matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            && chain.iter().any(|s| s.body.contains(&i))
            && (ins.args.contains("go.mod") || ins.args.split_whitespace().next() == Some("."))
    })
}

fn go(words: &[ShellWord], module: bool) -> Found<'_> {
    let inv = Invocation::parse(words, true, &|o| {
        matches!(
            o,
            "-p" | "-asmflags"
                | "-buildmode"
                | "-compiler"
                | "-gccgoflags"
                | "-gcflags"
                | "-installsuffix"
                | "-ldflags"
                | "-mod"
                | "-modfile"
                | "-overlay"
                | "-pgo"
                | "-pkgdir"
                | "-tags"
                | "-toolexec"
                | "-o"
                | "-C"
        )
    });
    if inv.sub() != "install" {
        return None;
    }
    // `go install tool` (Go 1.24) installs the tools go.mod pins.
    let module = module || inv.operands.iter().any(|w| w.text == "tool");
    let unpinned: Vec<&ShellWord> = inv
        .operands
        .iter()
        .copied()
        .filter(|w| {
            let t = w.text.as_str();
            // A module path starts with a domain; `./cmd/x` and `std` build locally.
            let remote = t.split('/').next().is_some_and(|host| host.contains('.')) && !t.starts_with('.');
            let version = t.split_once('@').map(|(_, v)| v);
            let moving = match version {
                Some(v) => matches!(v, "" | "latest" | "master" | "main" | "HEAD" | "upgrade" | "patch"),
                None => !module && !w.dynamic,
            };
            remote && moving
        })
        .collect();
    let example = unpinned.first()?.text.split('@').next().unwrap_or_default().to_owned();
    Some((unpinned, format!("pin a release: `go install {example}@v<version>`")))
}

fn cargo(words: &[ShellWord]) -> Found<'_> {
    let inv = Invocation::parse(words, true, &|o| {
        matches!(
            o,
            "--version"
                | "--vers"
                | "--git"
                | "--branch"
                | "--tag"
                | "--rev"
                | "--path"
                | "--root"
                | "--registry"
                | "--index"
                | "-j"
                | "--jobs"
                | "-F"
                | "--features"
                | "--target"
                | "--target-dir"
                | "--profile"
                | "--bin"
                | "--example"
                | "--config"
                | "-Z"
                | "--color"
                | "--message-format"
        )
    });
    if inv.sub() != "install" || inv.has(&["--version", "--vers", "--path"]) {
        return None;
    }
    if let Some(git) = inv.opts.iter().find(|o| o.name() == "--git") {
        if inv.has(&["--rev", "--tag"]) {
            return None;
        }
        let word = git.value.unwrap_or(git.word);
        return Some((vec![word], "pin a commit or tag: `cargo install --git <url> --rev <commit>`".to_owned()));
    }
    let unpinned: Vec<&ShellWord> = inv.operands.iter().copied().filter(|w| !w.dynamic && !w.text.contains('@')).collect();
    let example = unpinned.first()?.text.clone();
    Some((unpinned, format!("pin it: `cargo install {example}@<version> --locked`")))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF018", "FROM ruby:3.3\nRUN gem install bundler\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 17, 24));
        assert!(d[0].message.starts_with("`gem install` of a package without a pinned version: `bundler`"), "{}", d[0].message);
        assert_fires("DF018", "FROM ruby:3.3\nRUN gem install --no-document rails rake:13.2.1\n");
        let d = assert_fires("DF018", "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\n");
        assert_eq!(d[0].help.as_deref(), Some("pin a release: `go install github.com/go-delve/delve/cmd/dlv@v<version>`"));
        assert_fires("DF018", "FROM golang:1.22\nRUN CGO_ENABLED=0 go install -ldflags '-s -w' \\\n      golang.org/x/tools/gopls\n");
        assert_fires("DF018", "FROM golang:1.22\nRUN go install honnef.co/go/tools/cmd/staticcheck@master\n");
        assert_fires("DF018", "FROM rust:1.80\nRUN cargo install --locked cargo-audit\n");
        let d = assert_fires("DF018", "FROM rust:1.80\nRUN cargo install --git https://github.com/x/tool\n");
        assert!(d[0].message.contains("`https://github.com/x/tool`"), "{}", d[0].message);
        assert_fires("DF018", "FROM ruby:3.3\nRUN <<EOF\ngem install bundler\nEOF\n");
        assert_fires("DF018", "FROM ruby:3.3\nRUN [\"gem\", \"install\", \"bundler\"]\n");
        assert_fires("DF018", "FROM ruby:3.3\nONBUILD RUN gem install bundler\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM ruby:3.3\nRUN gem install bundler -v 2.5.16 && gem install rails --version '~> 7.1'\n",
            "FROM ruby:3.3\nRUN gem install bundler:2.5.16 ./vendor/local.gem\n",
            "FROM ruby:3.3\nRUN gem update --system 3.5.16 && bundle install\n",
            "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0\n",
            "FROM golang:1.22\nRUN go install ./... && go install -v ./cmd/server\n",
            "FROM golang:1.22\nRUN go install github.com/x/tool@${TOOL_VERSION}\n",
            "FROM golang:1.22\nRUN go build -o /app ./cmd/app && go mod download\n",
            "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go install github.com/x/tool/cmd/tool\n",
            "FROM golang:1.22\nRUN --mount=type=bind,source=go.mod,target=/app/go.mod go install tool github.com/x/tool/cmd/tool\n",
            "FROM rust:1.80\nRUN cargo install ripgrep@14.1.0 --locked\n",
            "FROM rust:1.80\nRUN cargo install --version 0.21.0 cargo-audit\n",
            "FROM rust:1.80\nRUN cargo install --path . --locked\n",
            "FROM rust:1.80\nRUN cargo install --git https://github.com/x/tool --rev 0123abc\n",
            "FROM rust:1.80\nRUN cargo build --release\n",
        ] {
            assert_silent("DF018", src);
        }
    }
}
