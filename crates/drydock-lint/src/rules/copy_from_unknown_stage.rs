//! DF035 `copy-from-unknown-stage`: COPY --from names a stage that does not exist.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `COPY --from=<name>` where `<name>` is neither a stage defined earlier
    /// (case-insensitive) nor the index of an earlier stage; a reference to the
    /// current or a later stage is reported too. Values with `/`, `:` or `.` are
    /// image references; values with unresolved variables are not judged.
    /// ## Why it matters
    /// BuildKit takes an unknown bare name for an image and pulls
    /// `docker.io/library/<name>:latest`: a typo in a stage name copies files
    /// from an unreviewed, unpinned Docker Hub image (hardening guide stage 2.3
    /// multi-stage builds; NIST 800-53 SI-7, SA-10; hadolint DL3022).
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS builder
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static
    /// COPY --from=buidler /out/app /app
    /// ```
    /// ## Fix
    /// Name a stage defined above (`--from=builder`); for an image, write a full,
    /// pinned reference (`--from=docker.io/library/busybox:1.36@sha256:…`).
    code = "DF035",
    name = "copy-from-unknown-stage",
    level = Error,
    summary = "COPY --from names a stage that does not exist",
}

pub(crate) fn check(cx: &Context<'_>) {
    let stages = &cx.model.stages;
    for stage in stages {
        for (i, ins) in cx.model.stage_instructions(stage) {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let Some(flag) = ins.flag("from") else { continue };
            let Some(written) = flag.value.as_deref().map(str::trim) else { continue };
            let scope = cx.model.scope_at(i);
            let (value, known) = words::expand(written, cx.model.file.escape, &|n| scope.get(n).cloned());
            if !known || value.is_empty() || value.contains('$') {
                continue;
            }
            let name = value.to_ascii_lowercase();
            let problem = if let Ok(index) = name.parse::<usize>() {
                if index < stage.index {
                    continue;
                }
                if index == stage.index {
                    format!("`--from={value}` is the current stage: a stage cannot copy from itself")
                } else if index < stages.len() {
                    format!("`--from={value}` names stage {index}, which comes later; only earlier stages can be copied from")
                } else {
                    format!("`--from={value}`: there is no stage {index} (stages are numbered from 0; this file has {})", stages.len())
                }
            } else if name.contains(['/', ':', '.']) {
                // An image reference.
                continue;
            } else {
                match stages.iter().find(|s| s.name.as_deref() == Some(name.as_str())) {
                    Some(s) if s.index < stage.index => continue,
                    Some(s) if s.index == stage.index => format!("`--from={value}` is the current stage: a stage cannot copy from itself"),
                    Some(_) => format!("`--from={value}` names a stage defined later in the file; only earlier stages can be copied from"),
                    None => format!(
                        "no stage is named `{value}`: BuildKit will pull the image `docker.io/library/{name}:latest` from Docker Hub instead"
                    ),
                }
            };
            let earlier: Vec<String> = stages[..stage.index]
                .iter()
                .map(|s| s.name.clone().map(|n| format!("`{n}`")).unwrap_or_else(|| s.index.to_string()))
                .collect();
            let help = if earlier.is_empty() {
                "define the stage above this one (`FROM … AS name`), or give an image as a full, pinned reference (`registry/name:tag@sha256:…`)".to_owned()
            } else {
                format!(
                    "name a stage defined above ({}), or give an image as a full, pinned reference (`registry/name:tag@sha256:…`)",
                    earlier.join(", ")
                )
            };
            cx.report_with_help(&META, flag.span, problem, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF035",
            "FROM golang:1.22 AS builder\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=buidler /out/app /app\n",
        );
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (4, 6, 20));
        assert!(d[0].message.contains("docker.io/library/buidler:latest"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap_or("").contains("`builder`"));
        // Forward reference and self reference.
        let d = assert_fires("DF035", "FROM alpine:3.20 AS app\nCOPY --from=Build /out /app\nFROM golang:1.22 AS build\n");
        assert!(d[0].message.contains("later"), "{}", d[0].message);
        assert_fires("DF035", "FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n");
        // Indices: the current stage and past the end.
        assert_fires("DF035", "FROM alpine:3.20\nCOPY --from=0 /a /b\n");
        let d = assert_fires("DF035", "FROM golang:1.22\nFROM alpine:3.20\nCOPY \\\n  --from=5 /a /b\n");
        assert_eq!(d[0].line, 4);
        // A variable that resolves to an unknown name.
        assert_fires("DF035", "FROM golang:1.22 AS build\nFROM alpine:3.20\nARG SRC=biuld\nCOPY --from=${SRC} /a /b\n");
    }

    #[test]
    fn silent() {
        assert_silent(
            "DF035",
            "FROM golang:1.22 AS Builder\nFROM scratch\nCOPY --from=builder /out/app /app\nCOPY --from=BUILDER /etc/ssl /etc/ssl\n",
        );
        assert_silent("DF035", "FROM golang:1.22\nFROM scratch\nCOPY --from=0 /out/app /app\n");
        // Image references.
        assert_silent("DF035", "FROM php:8.3\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\n");
        assert_silent(
            "DF035",
            "FROM alpine:3.20\nCOPY --from=ghcr.io/fivexl/lprobe:0.0.7 /lprobe /lprobe\nCOPY --from=tonistiigi/xx / /\n",
        );
        // Unresolved variables, and a variable naming an earlier stage.
        assert_silent("DF035", "FROM alpine:3.20\nARG SRC\nCOPY --from=$SRC /a /b\n");
        assert_silent("DF035", "FROM golang:1.22 AS build\nFROM alpine:3.20\nARG SRC=build\nCOPY --from=${SRC} /a /b\n");
        // ONBUILD COPY --from refers to the downstream build's stages.
        assert_silent("DF035", "FROM alpine:3.20\nONBUILD COPY --from=builder /a /b\n");
        assert_silent("DF035", "FROM alpine:3.20 AS a\nCOPY --chown=1000 x /x\n");
    }
}
