//! IMG010 `add-in-history`: a build step used ADD.
//!
//! ## What it checks
//! History `created_by` lines of the form `ADD …` or `#(nop) ADD …` in
//! the image's own layers. Steps of the base image are not judged (every
//! distribution base image is an `ADD` of its root filesystem), nor is a
//! root filesystem `ADD file:… in /` when the base boundary is unknown.
//! ## Why it matters
//! ADD fetches URLs and unpacks archives implicitly; COPY does only what it
//! says. CIS Docker Benchmark 4.9; NIST 800-53 CM-2, SI-7.
//! ## Fix
//! Use COPY for local files; fetch remote files in a RUN that verifies a
//! checksum, or with `ADD --checksum=sha256:…`.

use drydock_core::check::CheckFinding;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, history_evidence};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG010",
    name: "add-in-history",
    severity: Severity::Low,
    title: "A build step used ADD instead of COPY",
    remediation: "Use COPY for local files; fetch remote content in a RUN that verifies its checksum.",
    controls: &["CM-2", "SI-7"],
    references: &["CIS Docker 4.9"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let mut evidence = Vec::new();
    for (i, h) in cx.report.history.iter().enumerate() {
        let Some(line) = h.created_by.as_deref() else { continue };
        let in_base = h.layer_index.and_then(|l| cx.report.layers.get(l)).is_some_and(|l| l.base_image);
        if in_base {
            continue;
        }
        let step = line.trim().strip_prefix("/bin/sh -c ").unwrap_or(line.trim());
        let step = step.strip_prefix("#(nop)").map(str::trim_start).unwrap_or(step);
        let Some(args) = step.strip_prefix("ADD ") else { continue };
        let args = args.trim_start();
        // The base image's root filesystem: `ADD file:<hash> in / `.
        if (args.starts_with("file:") || args.starts_with("multi:")) && args.trim_end().ends_with("in /") {
            continue;
        }
        evidence.push(history_evidence(cx.report, i, format!("`{}`", step.trim())));
    }
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{now, report};
    use drydock_core::report::ConfigInfo;

    fn run(history: &[&str]) -> Vec<CheckFinding> {
        let r = report(ConfigInfo::default(), history, None);
        check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() })
    }

    #[test]
    fn fires_on_add_steps() {
        let f = run(&[
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "ADD https://example.com/x.tgz /opt/ # buildkit",
            "/bin/sh -c #(nop) ADD app.tar /srv/",
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence.len(), 2);
        assert_eq!(f[0].evidence[0].location, "history[1]");
    }

    #[test]
    fn silent_on_base_rootfs_and_copy() {
        assert!(run(&["/bin/sh -c #(nop) ADD file:4f7a in / ", "COPY app /app # buildkit", "RUN echo ADD me"]).is_empty());
    }
}
