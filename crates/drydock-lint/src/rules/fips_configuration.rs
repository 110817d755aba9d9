//! DF039 `fips-configuration`: FIPS crypto configuration seen.

use crate::Context;
use crate::dockerfile::ast::{Keyword, Span};
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// Informational: one note per piece of FIPS 140 configuration. FIPS base
    /// images (`…/ubi9-fips`, `cgr.dev/chainguard/*-fips`); `ENV`/`ARG`/RUN
    /// assignments of `OPENSSL_FIPS`, `OPENSSL_FORCE_FIPS_MODE`, `GOFIPS140`,
    /// `GODEBUG=fips140=on|only`, `GOEXPERIMENT=boringcrypto`; installing
    /// `dracut-fips`, `openssl-fips-provider`, `crypto-policies-scripts`;
    /// `update-crypto-policies --set FIPS`, `fips-mode-setup --enable`, `openssl fipsinstall`.
    /// ## Why it matters
    /// Federal workloads need FIPS 140-2/140-3 validated crypto (seed 000 FIPS
    /// base image, seed 002 FedRAMP scanning; NIST 800-53 SC-13, SC-28). A
    /// Dockerfile setting is a claim, not proof: the notes show where it is made
    /// so the image scan can check the module is present and enabled.
    /// ## Example
    /// ```dockerfile
    /// FROM amazonlinux:2
    /// RUN yum install -y dracut-fips openssl && yum clean all
    /// ENV OPENSSL_FIPS=1
    /// ```
    /// ## Fix
    /// Nothing to fix; `[lint] disable = ["DF039"]` if the notes are noise.
    code = "DF039",
    name = "fips-configuration",
    level = Info,
    summary = "FIPS crypto configuration seen",
}

const HELP: &str = "informational: FIPS mode is configured here; the image scan checks that a validated module is present and enabled";

const FIPS_PACKAGES: &[&str] = &["dracut-fips", "openssl-fips-provider", "crypto-policies-scripts"];

pub(crate) fn check(cx: &Context<'_>) {
    let escape = cx.model.file.escape;
    let note =
        |span: Span, what: String| cx.report_with_help(&META, span, format!("FIPS evidence: {what}; the image scan verifies it"), HELP);

    // Base images built for FIPS.
    for stage in &cx.model.stages {
        if stage.base_stage.is_some() {
            continue;
        }
        let image = stage.base.as_deref().unwrap_or(&stage.base_written);
        let name = image.split('@').next().unwrap_or(image);
        if name.to_ascii_lowercase().contains("fips") {
            let from = cx.model.instruction(stage.from);
            let span = Span::new(from.source_offset(0), from.source_offset(stage.base_written.len().max(1) - 1) + 1);
            note(span, format!("base image `{image}` is a FIPS build"));
        }
    }

    // ENV and ARG settings.
    for ins in &cx.model.file.instructions {
        let legacy = match ins.keyword {
            Keyword::Env => true,
            Keyword::Arg => false,
            _ => continue,
        };
        for (key, value) in words::pairs(&ins.args, escape, legacy) {
            let Some(value) = value else { continue };
            if let Some(what) = fips_variable(&key.text, &value) {
                note(ins.args_span(key.start, key.end), format!("`{} {}={value}` {what}", ins.keyword.as_str(), key.text));
            }
        }
    }

    // RUN scripts: assignments, packages, FIPS switches.
    for run in &cx.model.runs {
        for cmd in &run.commands {
            for a in &cmd.assignments {
                if let Some((k, v)) = a.text.split_once('=')
                    && let Some(what) = fips_variable(k, v)
                {
                    note(cx.model.script_span(run, a.start, a.end), format!("`{}` {what}", a.text));
                }
            }
            let Some(name) = cmd.name() else { continue };
            let args: Vec<&str> = cmd.args().collect();
            let word_span = |k: usize| cmd.argv.get(k).map(|w| cx.model.script_span(run, w.start, w.end));
            match name {
                "update-crypto-policies" => {
                    let set = args.iter().enumerate().find_map(|(k, a)| match a.strip_prefix("--set") {
                        Some("") => args.get(k + 1).map(|v| (k + 1, *v)),
                        Some(v) => v.strip_prefix('=').map(|v| (k, v)),
                        None => None,
                    });
                    if let Some((k, policy)) = set
                        && policy.to_ascii_uppercase().starts_with("FIPS")
                        && let Some(span) = word_span(k + 1)
                    {
                        note(span, format!("`update-crypto-policies --set {policy}` switches the system crypto policy to FIPS"));
                    }
                }
                "fips-mode-setup" if args.contains(&"--enable") => {
                    if let Some(span) = word_span(0) {
                        note(span, "`fips-mode-setup --enable` turns on FIPS mode".to_owned());
                    }
                }
                "openssl" if args.first() == Some(&"fipsinstall") => {
                    if let Some(span) = word_span(1) {
                        note(span, "`openssl fipsinstall` installs the OpenSSL 3 FIPS provider configuration".to_owned());
                    }
                }
                "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "tdnf" | "zypper" | "apk" => {
                    let sub = args.iter().position(|a| !a.starts_with('-'));
                    let installs = sub.is_some_and(|s| matches!(args[s], "install" | "add" | "in" | "reinstall"));
                    if !installs {
                        continue;
                    }
                    for (k, a) in args.iter().enumerate() {
                        if let Some(pkg) = FIPS_PACKAGES.iter().find(|p| a.starts_with(**p))
                            && let Some(span) = word_span(k + 1)
                        {
                            note(span, format!("installs `{a}` ({})", package_role(pkg)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// What a variable setting does for FIPS, if anything.
fn fips_variable(key: &str, value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    let off = v.is_empty() || v == "0" || v == "off" || v == "false" || v.contains('$');
    match key {
        "OPENSSL_FIPS" if !off => Some("forces OpenSSL 1.x into FIPS mode"),
        "OPENSSL_FORCE_FIPS_MODE" if !off => Some("forces OpenSSL into FIPS mode"),
        "GOFIPS140" if !off => Some("builds Go programs with the Go FIPS 140-3 module"),
        "GODEBUG" if v.split(',').any(|s| s.trim() == "fips140=on" || s.trim() == "fips140=only") => {
            Some("turns on Go's FIPS 140-3 mode at run time")
        }
        "GOEXPERIMENT" if v.split(',').any(|s| matches!(s.trim(), "boringcrypto" | "systemcrypto" | "opensslcrypto")) => {
            Some("builds Go programs against a FIPS-validated crypto library")
        }
        _ => None,
    }
}

fn package_role(pkg: &str) -> &'static str {
    match pkg {
        "dracut-fips" => "the FIPS kernel and OpenSSL self-tests of RHEL-like systems",
        "openssl-fips-provider" => "the OpenSSL 3 FIPS provider",
        _ => "the tool that switches the system crypto policy to FIPS",
    }
}

#[cfg(test)]
mod tests {
    use crate::Level;
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        // Seed 000's Dockerfile: the package and the variable, two notes.
        let d = assert_fires(
            "DF039",
            "FROM amazonlinux:2\nRUN yum update -y\nRUN yum install -y dracut-fips openssl \\\n&& yum clean all \\\n&& rm -rf /var/cache/yum\nENV OPENSSL_FIPS=1\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.level == Level::Info));
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 20, 31));
        assert!(d[0].message.starts_with("FIPS evidence: installs `dracut-fips`"), "{}", d[0].message);
        assert!(d[1].message.contains("`ENV OPENSSL_FIPS=1`"), "{}", d[1].message);
        // FIPS base images.
        let d = assert_fires(
            "DF039",
            "FROM registry1.dso.mil/ironbank/redhat/ubi/ubi9-fips:9.4\nFROM cgr.dev/chainguard/go-fips:latest AS b\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[1].message.contains("cgr.dev/chainguard/go-fips:latest"));
        // Go settings in ENV, ARG and a RUN assignment.
        let d = assert_fires(
            "DF039",
            "FROM golang:1.24\nARG GOEXPERIMENT=boringcrypto\nENV GODEBUG=\"madvdontneed=1,fips140=only\" GOFIPS140=latest\nRUN CGO_ENABLED=1 GOEXPERIMENT=boringcrypto go build ./...\n",
        );
        assert_eq!(d.len(), 4);
        // RHEL crypto policies, heredoc and OpenSSL 3.
        let d = assert_fires(
            "DF039",
            "FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN <<EOF\ndnf install -y crypto-policies-scripts\nupdate-crypto-policies --set FIPS:OSPP\nfips-mode-setup --enable\nopenssl fipsinstall -out /etc/ssl/fipsmodule.cnf -module /usr/lib64/ossl-modules/fips.so\nEOF\n",
        );
        assert_eq!(d.len(), 4);
        assert_fires("DF039", "FROM debian:12\nENV OPENSSL_FORCE_FIPS_MODE 1\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF039", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssl\n");
        assert_silent("DF039", "FROM golang:1.24\nENV GOFIPS140=off GODEBUG=fips140=off GOEXPERIMENT=loopvar OPENSSL_FIPS=0\n");
        assert_silent("DF039", "FROM fedora:40\nRUN dnf remove -y dracut-fips && update-crypto-policies --set DEFAULT\n");
        assert_silent("DF039", "FROM golang:1.24 AS fips-build\nFROM fips-build\nRUN echo fips-mode-setup --enable\n");
    }
}
