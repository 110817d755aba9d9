//! IMG005 `world-writable`: files, and directories without the sticky
//! bit, that anyone can write.
//!
//! ## What it checks
//! Regular files with the other-write bit (`o+w`), and directories with it
//! but without the sticky bit (`/tmp`'s `1777` is fine). Symlinks are
//! always `0777` and are not judged.
//! ## Why it matters
//! Any process in the container, whatever its user, can replace a
//! world-writable file: a script, a config, a library. NIST 800-53 AC-3,
//! AC-6; STIG for containers (seed 003): file permissions.
//! ## Fix
//! `chmod o-w` the paths (or `chmod 1777` a shared scratch directory).

use drydock_core::check::CheckFinding;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, file_evidence};
use crate::FileKind;

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG005",
    name: "world-writable",
    severity: Severity::Medium,
    title: "World-writable files or directories without the sticky bit",
    remediation: "Remove other-write (`chmod o-w PATH`), or make shared scratch directories sticky (`chmod 1777`).",
    controls: &["AC-3", "AC-6"],
    references: &["STIG for containers (seed 003): file permissions"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(tree) = cx.tree else { return Vec::new() };
    let evidence: Vec<_> = tree
        .iter()
        .filter(|e| {
            e.mode & 0o002 != 0
                && match e.kind {
                    FileKind::File => true,
                    FileKind::Dir => e.mode & 0o1000 == 0,
                    _ => false,
                }
        })
        .map(|e| {
            let what = if e.kind == FileKind::Dir { "directory without the sticky bit" } else { "file" };
            file_evidence(cx.report, e, format!("world-writable {what}, mode {:04o}", e.mode & 0o7777))
        })
        .collect();
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}
