//! IMG006 `intruder-tools`: shells, package managers, download tools and
//! compilers left in the final image; and the image's minimality.
//!
//! ## What it checks
//! Executables on the standard paths (`/bin`, `/sbin`, `/usr/bin`,
//! `/usr/sbin`, `/usr/local/bin`, `/usr/local/sbin`) named like a shell,
//! a package manager (apt, dpkg, apk, yum, dnf, rpm, pip, npm), a download
//! or network tool (curl, wget, nc) or a compiler. One finding lists them
//! all. The report also gets a minimality summary: `scratch` (no OS
//! files), `distroless` (no shell, no package manager), `slim` (a shell or
//! package manager but no download tools or compilers), `full`.
//! ## Why it matters
//! Whatever is in the image is at an intruder's disposal: a shell to run
//! commands, curl to fetch a toolkit, a compiler to build one. The
//! hardening guide (stage 0) and the STIG for containers (seed 003) call
//! for minimal images; NIST 800-53 CM-7 (least functionality).
//! ## Fix
//! Build in one stage, ship from a distroless or scratch base in the last:
//! copy only the application and its runtime files.

use drydock_core::check::{CheckFinding, Minimality};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, file_evidence};
use crate::{FileKind, FileTree};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG006",
    name: "intruder-tools",
    severity: Severity::Low,
    title: "Shells, package managers, download tools or compilers in the final image",
    remediation: "Use a multi-stage build and a distroless or scratch final stage; copy only the application.",
    controls: &["CM-7"],
    references: &["hardening guide stage 0", "STIG for containers (seed 003): minimal images"],
};

const BIN_DIRS: &[&str] = &["bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/local/bin/", "usr/local/sbin/"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Shell,
    PackageManager,
    Network,
    Compiler,
}

fn classify(name: &str) -> Option<Tool> {
    Some(match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "csh" | "tcsh" | "busybox" => Tool::Shell,
        "apt" | "apt-get" | "dpkg" | "apk" | "yum" | "dnf" | "microdnf" | "rpm" | "zypper" | "pip" | "pip3" | "npm" | "gem" => {
            Tool::PackageManager
        }
        "curl" | "wget" | "nc" | "ncat" | "netcat" | "socat" | "telnet" | "ftp" | "tftp" | "ssh" | "scp" => Tool::Network,
        "gcc" | "cc" | "g++" | "c++" | "clang" | "tcc" | "make" | "go" | "rustc" | "cargo" | "javac" | "as" | "ld" => Tool::Compiler,
        _ => return None,
    })
}

/// (path, tool) for every tool executable on the standard paths.
fn tools(tree: &FileTree) -> Vec<(&crate::FileEntry, Tool)> {
    tree.iter()
        .filter(|e| matches!(e.kind, FileKind::File | FileKind::Symlink(_) | FileKind::Hardlink(_)))
        .filter_map(|e| {
            let dir_ok = BIN_DIRS.iter().any(|d| e.path.starts_with(d) && !e.path[d.len()..].contains('/'));
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            if !dir_ok {
                return None;
            }
            // `pip3.11`, `python3-pip` aside: exact names and versioned pip.
            let base = if name.starts_with("pip3.") { "pip3" } else { name };
            classify(base).map(|t| (e, t))
        })
        .collect()
}

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(tree) = cx.tree else { return Vec::new() };
    let found = tools(tree);
    if found.is_empty() {
        return Vec::new();
    }
    let evidence = found
        .iter()
        .map(|(e, t)| {
            let what = match t {
                Tool::Shell => "shell",
                Tool::PackageManager => "package manager",
                Tool::Network => "download / network tool",
                Tool::Compiler => "compiler / build tool",
            };
            file_evidence(cx.report, e, what.to_owned())
        })
        .collect();
    vec![META.finding(evidence)]
}

/// The minimality of the final image.
pub(crate) fn minimality(tree: &FileTree) -> Minimality {
    let found: Vec<Tool> = tools(tree).into_iter().map(|(_, t)| t).collect();
    let os_files = tree.iter().any(|e| e.path.starts_with("etc/") || e.path.starts_with("usr/") || e.path.starts_with("lib/"));
    if found.iter().any(|t| matches!(t, Tool::Network | Tool::Compiler)) && found.iter().any(|t| matches!(t, Tool::Shell)) {
        Minimality::Full
    } else if found.iter().any(|t| matches!(t, Tool::Shell | Tool::PackageManager)) {
        Minimality::Slim
    } else if os_files {
        Minimality::Distroless
    } else {
        Minimality::Scratch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names() {
        assert_eq!(classify("bash"), Some(Tool::Shell));
        assert_eq!(classify("apt-get"), Some(Tool::PackageManager));
        assert_eq!(classify("wget"), Some(Tool::Network));
        assert_eq!(classify("gcc"), Some(Tool::Compiler));
        assert_eq!(classify("python3"), None);
        assert_eq!(classify("ls"), None);
    }
}
