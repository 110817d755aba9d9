//! DF037 `constant-platform`: FROM --platform with a constant value.

use crate::Context;

crate::declare_rule! {
    /// ## What it checks
    /// `FROM --platform=<value>` where the value is a constant
    /// (`linux/amd64`) rather than a build argument such as
    /// `$BUILDPLATFORM` or `$TARGETPLATFORM`.
    /// ## Why it matters
    /// The stage is pinned to one architecture: on an arm64 builder or in a
    /// multi-platform build it runs under emulation, or ships an amd64
    /// image labelled as another platform. What was tested and scanned is
    /// then not what runs (NIST 800-53 CM-2 baseline configuration, CM-6;
    /// hadolint DL3029).
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.22 AS build
    /// ```
    /// ## Fix
    /// For a build stage that cross-compiles: `FROM --platform=$BUILDPLATFORM
    /// golang:1.22 AS build`, then build for `$TARGETOS/$TARGETARCH`.
    /// Otherwise drop the flag and choose platforms at build time
    /// (`docker buildx build --platform linux/amd64,linux/arm64`).
    code = "DF037",
    name = "constant-platform",
    level = Warning,
    summary = "FROM --platform with a constant value",
}

pub(crate) fn check(cx: &Context<'_>) {
    for stage in &cx.model.stages {
        let Some(value) = stage.platform.as_deref().map(str::trim) else { continue };
        if value.is_empty() || value.contains('$') {
            continue;
        }
        let from = cx.model.instruction(stage.from);
        let span = from.flag("platform").map(|f| f.span).unwrap_or(from.keyword_span);
        let which = match &stage.name {
            Some(n) => format!("stage `{n}`"),
            None => format!("stage {}", stage.index),
        };
        cx.report_with_help(
            &META,
            span,
            format!("`--platform={value}` pins {which} to one platform, whatever platform the build is for"),
            "a build stage that cross-compiles: `--platform=$BUILDPLATFORM` (and build for $TARGETOS/$TARGETARCH); otherwise drop the flag and pass `--platform` to `docker buildx build`",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF037", "FROM --platform=linux/amd64 golang:1.22 AS build\nRUN go build\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (1, 6, 28));
        assert!(d[0].message.contains("`--platform=linux/amd64` pins stage `build`"), "{}", d[0].message);
        let d = assert_fires("DF037", "FROM golang:1.22 AS build\nFROM \\\n  --platform=linux/arm64/v8 \\\n  debian:12\n");
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("stage 1"));
        assert_fires("DF037", "FROM --platform=\"linux/amd64\" alpine:3.20\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF037", "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM --platform=${TARGETPLATFORM} alpine:3.20\n");
        assert_silent("DF037", "FROM alpine:3.20\nRUN echo --platform=linux/amd64\n");
        assert_silent("DF037", "ARG P=linux/amd64\nFROM --platform=$P alpine:3.20\n");
    }
}
