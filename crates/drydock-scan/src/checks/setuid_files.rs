//! IMG004 `setuid-files`: files with the setuid or setgid bit.
//!
//! ## What it checks
//! Regular files in the final image whose mode has setuid (`04000`) or
//! setgid (`02000`): each is listed with its mode and the layer that put it
//! there.
//! ## Why it matters
//! A setuid binary runs with its owner's rights whoever starts it: the
//! classic way from a compromised app user to root. CIS Docker Benchmark
//! 4.8 (remove setuid and setgid permissions); NIST 800-53 AC-6, CM-7.
//! ## Fix
//! `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +` in the
//! final stage, or use a distroless base that has none.

use drydock_core::check::CheckFinding;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, file_evidence};
use crate::FileKind;

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG004",
    name: "setuid-files",
    severity: Severity::Medium,
    title: "Files with the setuid or setgid bit",
    remediation: "Strip the bits in the final stage: `find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.",
    controls: &["AC-6", "CM-7"],
    references: &["CIS Docker 4.8"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(tree) = cx.tree else { return Vec::new() };
    let evidence: Vec<_> = tree
        .iter()
        .filter(|e| e.kind == FileKind::File && e.mode & 0o6000 != 0)
        .map(|e| {
            let bits = match (e.mode & 0o4000 != 0, e.mode & 0o2000 != 0) {
                (true, true) => "setuid+setgid",
                (true, false) => "setuid",
                _ => "setgid",
            };
            file_evidence(cx.report, e, format!("{bits}, mode {:04o}, owner {}:{}", e.mode & 0o7777, e.uid, e.gid))
        })
        .collect();
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}
