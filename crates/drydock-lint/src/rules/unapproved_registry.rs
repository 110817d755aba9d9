//! DF003 `unapproved-registry`: Base image comes from a registry that is not approved.

use crate::Context;
use crate::dockerfile::ast::{Keyword, Span};

crate::declare_rule! {
    /// ## What it checks
    /// Images the build pulls, `FROM` bases (build args substituted) and
    /// `COPY --from=<image>` / `RUN --mount=from=<image>` sources, whose
    /// repository is not under an entry of `[lint] approved_registries`.
    /// Entries are a host (`registry.example.gov`) or a host/path prefix
    /// (`docker.io/library`); Docker Hub short names are normalized
    /// (`alpine` is `docker.io/library/alpine`, `user/app` is
    /// `docker.io/user/app`). Off while the list is empty; `scratch` and
    /// earlier stages are exempt.
    /// ## Why it matters
    /// FedRAMP pipelines (seed 002) gate on the base image having an approved
    /// baseline or coming from an approved registry; the three-tier registry
    /// design (seed 004) pulls public images only into an internal registry
    /// where they are scanned and hardened. NIST 800-53 CM-2, CM-7(5), SA-10.
    /// ## Example
    /// ```dockerfile
    /// # approved_registries = ["registry.example.gov"]
    /// FROM python:3.12-slim
    /// ```
    /// ## Fix
    /// Pull through the internal registry (`FROM registry.example.gov/library/python:3.12-slim@sha256:…`),
    /// or, once a registry is vetted, add it to `approved_registries` in drydock.toml.
    code = "DF003",
    name = "unapproved-registry",
    level = Error,
    summary = "Base image comes from a registry that is not approved",
}

pub(crate) fn check(cx: &Context<'_>) {
    let approved: Vec<String> = cx.settings.approved_registries.iter().map(|a| normalize_entry(a)).filter(|a| !a.is_empty()).collect();
    if approved.is_empty() {
        return;
    }
    for stage in &cx.model.stages {
        if stage.base_stage.is_some() {
            continue;
        }
        let Some(image) = stage.base.as_deref() else { continue };
        let from = cx.model.instruction(stage.from);
        let span = Span::new(from.source_offset(0), from.source_offset(stage.base_written.len().max(1) - 1) + 1);
        report_image(cx, image, span, &approved, "FROM");
    }
    // Images pulled by `COPY --from=<image>` and `RUN --mount=…,from=<image>`.
    let stage_names: Vec<&str> = cx.model.stages.iter().filter_map(|s| s.name.as_deref()).collect();
    for (i, outer) in cx.model.file.instructions.iter().enumerate() {
        let ins = match (&outer.keyword, &outer.onbuild) {
            (Keyword::Onbuild, Some(inner)) => inner.as_ref(),
            _ => outer,
        };
        let sources: Vec<(String, Span)> = match ins.keyword {
            Keyword::Copy => {
                ins.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("from")).filter_map(|f| Some((f.value.clone()?, f.span))).collect()
            }
            Keyword::Run => ins
                .flags
                .iter()
                .filter(|f| f.name.eq_ignore_ascii_case("mount"))
                .filter_map(|f| {
                    let from = f.value.as_deref()?.split(',').find_map(|kv| kv.trim().strip_prefix("from="))?;
                    Some((from.to_owned(), f.span))
                })
                .collect(),
            _ => continue,
        };
        for (written, span) in sources {
            let scope = cx.model.scope_at(i);
            let (image, known) = crate::dockerfile::words::expand(&written, cx.model.file.escape, &|n| scope.get(n).cloned());
            let image = image.trim();
            if !known
                || image.is_empty()
                || image.chars().all(|c| c.is_ascii_digit())
                || stage_names.contains(&image.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let what = if ins.keyword == Keyword::Copy { "COPY --from" } else { "RUN --mount from" };
            report_image(cx, image, span, &approved, what);
        }
    }
}

fn report_image(cx: &Context<'_>, image: &str, span: Span, approved: &[String], what: &str) {
    if image.eq_ignore_ascii_case("scratch") {
        return;
    }
    let Some(repo) = repository(image) else { return };
    if approved.iter().any(|a| repo == *a || repo.starts_with(&format!("{a}/"))) {
        return;
    }
    let host = repo.split('/').next().unwrap_or(&repo);
    let origin = if host == "docker.io" { format!("Docker Hub (`{repo}`)") } else { format!("`{host}` (`{repo}`)") };
    let list = approved.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    cx.report_with_help(
        &META,
        span,
        format!("{what} `{image}` is pulled from {origin}, which is not an approved registry (approved: {list})"),
        format!(
            "pull the image through an approved registry (e.g. `{}/…`), or add the registry to `approved_registries` in drydock.toml once it is vetted",
            approved[0]
        ),
    );
}

/// `registry.example.gov/`, `https://docker.io/library` -> `docker.io/library`.
fn normalize_entry(entry: &str) -> String {
    let e = entry.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_ascii_lowercase();
    match e.split_once('/') {
        Some((host, rest)) => format!("{}/{rest}", canonical_host(host)),
        None => canonical_host(&e).to_owned(),
    }
}

fn canonical_host(host: &str) -> &str {
    match host {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
        h => h,
    }
}

/// The full repository of an image reference, without tag or digest:
/// `alpine:3.20` -> `docker.io/library/alpine`, `ghcr.io/o/app@sha256:…` -> `ghcr.io/o/app`.
/// `None` when the reference still holds an unexpanded variable.
fn repository(image: &str) -> Option<String> {
    let image = image.trim();
    if image.is_empty() || image.contains('$') {
        return None;
    }
    let name = image.split('@').next().unwrap_or(image);
    let (head, last) = match name.rsplit_once('/') {
        Some((h, l)) => (Some(h), l),
        None => (None, name),
    };
    let last = last.split(':').next().unwrap_or(last);
    let path = match head {
        Some(h) => format!("{h}/{last}"),
        None => last.to_owned(),
    }
    .to_ascii_lowercase();
    let full = match path.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            format!("{}/{rest}", canonical_host(first))
        }
        Some(_) => format!("docker.io/{path}"),
        None => format!("docker.io/library/{path}"),
    };
    // `docker.io/alpine` is `docker.io/library/alpine`.
    Some(match full.strip_prefix("docker.io/") {
        Some(rest) if !rest.contains('/') => format!("docker.io/library/{rest}"),
        _ => full,
    })
}

#[cfg(test)]
mod tests {
    use crate::Settings;
    use crate::rules::testing::*;

    fn approved(list: &[&str]) -> Settings {
        Settings { approved_registries: list.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn fires() {
        let gov = approved(&["registry.example.gov"]);
        let d = assert_fires_with("DF003", "FROM python:3.12-slim\n", &gov, None);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (1, 6, 22));
        assert!(d[0].message.contains("Docker Hub (`docker.io/library/python`)"), "{}", d[0].message);
        assert_fires_with("DF003", "FROM ghcr.io/acme/app:1.0\n", &gov, None);
        assert_fires_with("DF003", "FROM bitnami/redis:7.2\n", &approved(&["docker.io/library"]), None);
        // A look-alike host is not the approved one.
        assert_fires_with("DF003", "FROM registry.example.gov.evil.io/app:1\n", &gov, None);
        assert_fires_with("DF003", "ARG REG=quay.io\nFROM ${REG}/org/app:1.0\n", &gov, None);
        assert_fires_with("DF003", "FROM localhost:5000/app\n", &gov, None);
        // Images pulled by COPY --from and RUN --mount.
        let d = assert_fires_with(
            "DF003",
            "FROM registry.example.gov/base:1\nCOPY --from=ghcr.io/fivexl/lprobe:0.0.7 /lprobe /lprobe\n",
            &gov,
            None,
        );
        assert!(d[0].message.starts_with("COPY --from `ghcr.io/fivexl/lprobe:0.0.7`"), "{}", d[0].message);
        assert_eq!(d[0].line, 2);
        assert_fires_with(
            "DF003",
            "FROM registry.example.gov/base:1\nRUN --mount=type=bind,from=golang:1.22,source=/usr/local/go,target=/go true\n",
            &gov,
            None,
        );
        // Only the pulled stage fires, not the one built from it.
        let d = assert_fires_with("DF003", "FROM golang:1.22 AS build\nFROM build\n", &gov, None);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn silent() {
        let gov = approved(&["registry.example.gov", "docker.io/library", "https://ghcr.io/acme/"]);
        for src in [
            "FROM registry.example.gov/library/python:3.12\n",
            "FROM registry.example.gov/python@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            "FROM alpine:3.20\n",
            "FROM docker.io/alpine\n",
            "FROM index.docker.io/library/debian:12\n",
            "FROM ghcr.io/acme/tool:1\n",
            "FROM scratch\n",
            "FROM alpine AS base\nFROM base\nCOPY --from=base /a /b\nCOPY --from=0 /a /b\n",
            "ARG BASE\nFROM ${BASE}\n",
        ] {
            assert_silent_with("DF003", src, &gov, None);
        }
        // Off without a list.
        assert_silent("DF003", "FROM quay.io/org/app:1\n");
    }
}
