//! IMG008 `leftover-files`: files that should not ship: SSH keys, `.git`,
//! `.env`, credentials, shell history, package-manager caches.
//!
//! ## What it checks
//! Paths in the final image: SSH host private keys (`/etc/ssh/ssh_host_*_key`),
//! `authorized_keys`, `.git` directories, `.env` files, `credentials.json`
//! and `.aws/credentials`, `.docker/config.json`, `.npmrc`/`.pypirc`/`.netrc`,
//! shell history files, and non-empty package caches (`/var/cache/apt/archives`,
//! `/var/cache/yum`, `/var/cache/dnf`, `/var/cache/apk`). Their contents are
//! judged by the secret scanner; this check is about their presence.
//! ## Why it matters
//! Build leftovers leak credentials and history and bloat the image
//! (hardening guide stage 2.6; CIS Docker 4.10); host keys baked into an
//! image are shared by every container made from it. NIST 800-53 IA-5,
//! SC-28, CM-7.
//! ## Fix
//! Exclude them with `.dockerignore`, pass secrets with
//! `RUN --mount=type=secret`, clean caches in the same RUN that fills them,
//! and generate host keys at run time if SSH is needed at all.

use drydock_core::check::CheckFinding;
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta, file_evidence};
use crate::FileKind;

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG008",
    name: "leftover-files",
    severity: Severity::Medium,
    title: "Keys, credentials, history or package caches left in the image",
    remediation: "Exclude them with .dockerignore, use `RUN --mount=type=secret` for credentials, and clean caches in the RUN that fills them.",
    controls: &["IA-5", "SC-28", "CM-7"],
    references: &["hardening guide stage 2.6", "CIS Docker 4.10"],
};

/// Why a path is a leftover, if it is one.
fn leftover(path: &str, kind: &FileKind) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let file = matches!(kind, FileKind::File | FileKind::Hardlink(_));
    if name == ".git" && *kind == FileKind::Dir {
        return Some("a git repository (history, remotes, maybe credentials)");
    }
    if !file {
        return None;
    }
    if path.starts_with("etc/ssh/ssh_host_") && path.ends_with("_key") {
        return Some("an SSH host private key, shared by every container from this image");
    }
    if name == "authorized_keys" || name == "authorized_keys2" {
        return Some("SSH authorized_keys: remote login into containers");
    }
    if name == ".env"
        || (name.starts_with(".env.") && !name.ends_with(".example") && !name.ends_with(".sample") && !name.ends_with(".template"))
    {
        return Some("a .env file (application secrets)");
    }
    if name == "credentials.json" || path.ends_with(".aws/credentials") || path.ends_with(".docker/config.json") {
        return Some("a credentials file");
    }
    if matches!(name, ".npmrc" | ".pypirc" | ".netrc" | ".git-credentials") {
        return Some("a tool configuration that usually holds tokens");
    }
    if matches!(
        name,
        ".bash_history" | ".ash_history" | ".zsh_history" | ".sh_history" | ".python_history" | ".mysql_history" | ".psql_history"
    ) {
        return Some("shell history");
    }
    let cache = ["var/cache/apt/archives/", "var/cache/yum/", "var/cache/dnf/", "var/cache/apk/"];
    if cache.iter().any(|c| path.starts_with(c)) && !name.eq_ignore_ascii_case("lock") && name != "partial" {
        return Some("a package-manager cache file");
    }
    None
}

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let Some(tree) = cx.tree else { return Vec::new() };
    let mut evidence = Vec::new();
    let mut caches = 0usize;
    for e in tree.iter() {
        let Some(why) = leftover(&e.path, &e.kind) else { continue };
        // One line per cache directory is enough; list the first few files.
        if why.starts_with("a package-manager cache") {
            caches += 1;
            if caches > 5 {
                continue;
            }
        }
        evidence.push(file_evidence(cx.report, e, why.to_owned()));
    }
    if caches > 5 {
        evidence.push(drydock_core::check::Evidence {
            location: "/var/cache".into(),
            detail: format!("… and {} more package-manager cache files", caches - 5),
            ..Default::default()
        });
    }
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_by_path() {
        assert!(leftover("etc/ssh/ssh_host_ed25519_key", &FileKind::File).is_some());
        assert!(leftover("etc/ssh/ssh_host_ed25519_key.pub", &FileKind::File).is_none());
        assert!(leftover("root/.ssh/authorized_keys", &FileKind::File).is_some());
        assert!(leftover("srv/app/.git", &FileKind::Dir).is_some());
        assert!(leftover("srv/app/.env", &FileKind::File).is_some());
        assert!(leftover("srv/app/.env.example", &FileKind::File).is_none());
        assert!(leftover("root/.bash_history", &FileKind::File).is_some());
        assert!(leftover("var/cache/apt/archives/curl_8.0_amd64.deb", &FileKind::File).is_some());
        assert!(leftover("var/cache/apt/archives/lock", &FileKind::File).is_none());
        assert!(leftover("usr/bin/env", &FileKind::File).is_none());
    }
}
