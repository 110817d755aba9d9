//! The parser on the syntax BuildKit accepts, with exact spans.

use drydock_lint::dockerfile::Model;
use drydock_lint::dockerfile::ast::Keyword;
use drydock_lint::dockerfile::parse::parse;

#[test]
fn directives_and_the_backtick_escape() {
    let src = "# syntax=docker/dockerfile:1.7\n# escape=`\n# check=skip=JSONArgsRecommended\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Write-Host `\n    hello `\n    world\nCOPY C:\\src C:\\dst\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.escape, '`');
    assert_eq!(
        df.directives.iter().map(|d| (d.name.as_str(), d.value.as_str())).collect::<Vec<_>>(),
        [("syntax", "docker/dockerfile:1.7"), ("escape", "`"), ("check", "skip=JSONArgsRecommended")]
    );
    let run = &df.instructions[1];
    assert_eq!(run.args, "Write-Host     hello     world");
    // A backslash is an ordinary character under the backtick escape.
    assert_eq!(df.instructions[2].args, "C:\\src C:\\dst");
    // Directives end at the first non-directive line.
    let late = parse("FROM alpine:3.20\n# escape=`\nRUN echo \\\n  hi\n");
    assert_eq!(late.escape, '\\');
    assert_eq!(late.instructions[1].args, "echo   hi");
}

#[test]
fn continuations_skip_comment_and_blank_lines_and_keep_spans() {
    let src = "FROM alpine:3.20\nRUN apk add \\\n# a comment inside\n\n    curl \\\n    git\nUSER 10001\n";
    let df = parse(src);
    assert!(df.errors.is_empty());
    let run = &df.instructions[1];
    assert_eq!(run.args, "apk add     curl     git");
    // `curl` maps back to its place on line 5.
    let at = run.args.find("curl").unwrap();
    let off = run.source_offset(at);
    assert_eq!(&src[off..off + 4], "curl");
    assert_eq!(df.comments.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["a comment inside"]);
    assert_eq!(df.instructions[2].keyword, Keyword::User);
}

#[test]
fn heredocs_several_quoted_and_tab_stripped() {
    let src = "FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nEOF\nCOPY <<-\"CONF\" <<'SCRIPT' /etc/\n\tkey=$VALUE\n\tCONF\n#!/bin/sh\necho $HOME\nSCRIPT\nRUN python3 <<PY\nprint('FROM inside a heredoc is not an instruction')\nPY\nCMD [\"sh\"]\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let kinds: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
    assert_eq!(kinds, ["FROM", "RUN", "COPY", "RUN", "CMD"]);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs[0].body, "apk add --no-cache curl\n");
    assert_eq!(&src[run.heredocs[0].body_span.start..run.heredocs[0].body_span.start + 7], "apk add");
    let copy = &df.instructions[2];
    assert_eq!(copy.heredocs.len(), 2);
    assert_eq!((copy.heredocs[0].delimiter.as_str(), copy.heredocs[0].strip_tabs, copy.heredocs[0].expand), ("CONF", true, false));
    assert_eq!(copy.heredocs[0].body, "key=$VALUE\n");
    assert_eq!(copy.heredocs[1].body, "#!/bin/sh\necho $HOME\n");
    // The shell sees the heredoc body of `RUN <<EOF`, not of `RUN python3 <<PY`.
    let model = Model::new(df);
    let scripts: Vec<(usize, Option<usize>, Vec<String>)> = model
        .runs
        .iter()
        .map(|r| (r.instruction, r.heredoc, r.commands.iter().filter_map(|c| c.name().map(str::to_owned)).collect()))
        .collect();
    assert!(scripts.contains(&(1, Some(0), vec!["apk".to_owned()])), "{scripts:?}");
    assert!(!scripts.iter().any(|(i, h, _)| *i == 3 && h.is_some()), "{scripts:?}");
}

#[test]
fn flags_exec_form_and_onbuild() {
    let src = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...\nFROM scratch\nCOPY --from=build --chown=10001:10001 --chmod=0555 /out/app /app\nENTRYPOINT [\"/app\", \"--serve\"]\nCMD []\nONBUILD RUN --mount=type=secret,id=npm npm ci\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let from = &df.instructions[0];
    assert_eq!(from.flag("platform").and_then(|f| f.value.as_deref()), Some("$BUILDPLATFORM"));
    assert_eq!(from.args, "golang:1.22 AS build");
    let run = &df.instructions[1];
    assert_eq!(run.flags.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["mount", "network"]);
    assert_eq!(run.flag("mount").unwrap().value.as_deref(), Some("type=cache,target=/root/.cache/go-build"));
    assert_eq!(&src[run.flags[0].span.start..run.flags[0].span.end], "--mount=type=cache,target=/root/.cache/go-build");
    assert_eq!(run.args, "go build ./...");
    let copy = &df.instructions[3];
    assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(df.instructions[4].exec.as_deref(), Some(&["/app".to_owned(), "--serve".to_owned()][..]));
    assert_eq!(df.instructions[5].exec.as_deref(), Some(&[][..]));
    let onbuild = df.instructions[6].onbuild.as_ref().unwrap();
    assert_eq!(onbuild.keyword, Keyword::Run);
    assert_eq!(onbuild.flag("mount").unwrap().value.as_deref(), Some("type=secret,id=npm"));
    assert_eq!(onbuild.args, "npm ci");
}

#[test]
fn stages_and_build_arg_scoping() {
    let src = "ARG VERSION=3.20\nARG REG=registry.example.gov\nFROM ${REG}/alpine:${VERSION} AS base\nARG VERSION\nENV APP_HOME=/srv/app\nRUN echo $VERSION\nFROM base\nRUN echo $VERSION\n";
    let model = Model::new(parse(src));
    assert_eq!(model.stages.len(), 2);
    assert_eq!(model.stages[0].base.as_deref(), Some("registry.example.gov/alpine:3.20"));
    assert_eq!(model.stages[0].name.as_deref(), Some("base"));
    assert_eq!(model.stages[1].base_stage, Some(0));
    // Redeclared in stage 0: visible there; not redeclared in stage 1.
    let s0 = model.scope_at(5);
    assert_eq!(s0.get("VERSION").map(String::as_str), Some("3.20"));
    assert_eq!(s0.get("APP_HOME").map(String::as_str), Some("/srv/app"));
    assert!(!model.scope_at(7).contains_key("VERSION"));
}

#[test]
fn crlf_bom_and_hostile_input() {
    let df = parse("\u{feff}FROM alpine:3.20\r\nRUN echo a \\\r\n  b\r\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions[1].args, "echo a   b");
    for src in [
        "",
        "\\",
        "FROM",
        "RUN <<",
        "RUN <<\"EOF",
        "FROM a\nRUN <<EOF",
        "ONBUILD",
        "ONBUILD ONBUILD RUN x",
        "FROM a\nSHELL [",
        "\u{0}\u{1}",
        "FROM a \\",
        "# escape=x\nFROM a",
    ] {
        let df = parse(src);
        let _ = Model::new(df);
    }
    assert!(!parse("# escape=x\nFROM a\n").errors.is_empty());
    assert!(parse("FROM a\nONBUILD FROM b\n").errors.iter().any(|e| e.message.contains("ONBUILD cannot trigger FROM")));
    let long = format!("FROM a\nRUN {}\n", "x \\\n".repeat(50_000));
    assert_eq!(parse(&long).instructions.len(), 2);
}
