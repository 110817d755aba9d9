//! IMG007 `accounts`: login accounts beyond root and the runtime user, and
//! passwords that are empty or weakly hashed.
//!
//! ## What it checks
//! `/etc/passwd` users other than `root`, `nobody` and the image's runtime
//! user that have a login shell (not `nologin`/`false`/`sync`…), and
//! `/etc/shadow` entries whose password is empty (login without one) or
//! hashed with DES or MD5. Hash values are never read into the report.
//! ## Why it matters
//! Every account with a shell is a way in; an empty or crackable password
//! is an open door. The hardening guide removes unnecessary accounts;
//! NIST 800-53 AC-2, IA-5; STIG for containers (seed 003).
//! ## Fix
//! Remove unused users (`userdel`), give service users `/usr/sbin/nologin`,
//! and lock passwords (`passwd -l`, or `*` in `/etc/shadow`).

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};
use crate::analyzers::accounts::{Accounts, PasswordState};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG007",
    name: "accounts",
    severity: Severity::Medium,
    title: "Login accounts beyond what the app needs, or empty / weak passwords",
    remediation: "Remove unused users, give service users /usr/sbin/nologin, and lock passwords (`passwd -l`).",
    controls: &["AC-2", "IA-5"],
    references: &["hardening guide: remove unnecessary accounts", "STIG for containers (seed 003)"],
};

const NO_LOGIN: &[&str] = &["nologin", "false", "sync", "halt", "shutdown", "true"];

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let runtime_user = cx.report.image.config.user.as_deref().map(|u| u.split(':').next().unwrap_or("").to_owned()).unwrap_or_default();
    let mut evidence = Vec::new();
    for accounts in &cx.accounts {
        match accounts {
            Accounts::Passwd(users) => {
                for u in users {
                    let shell = u.shell.rsplit('/').next().unwrap_or(&u.shell);
                    let is_runtime = u.name == runtime_user || u.uid.is_some_and(|uid| uid.to_string() == runtime_user);
                    if u.name == "root" || u.name == "nobody" || is_runtime || shell.is_empty() || NO_LOGIN.contains(&shell) {
                        continue;
                    }
                    evidence.push(Evidence {
                        location: "/etc/passwd".into(),
                        detail: format!(
                            "user `{}` (uid {}) has the login shell {}",
                            u.name,
                            u.uid.map(|u| u.to_string()).unwrap_or("?".into()),
                            u.shell
                        ),
                        ..Evidence::default()
                    });
                }
            }
            Accounts::Shadow(entries) => {
                for (name, state) in entries {
                    let what = match state {
                        PasswordState::Empty => "has an empty password: it logs in without one",
                        PasswordState::Weak => "has a DES or MD5 password hash (crackable)",
                        _ => continue,
                    };
                    evidence.push(Evidence {
                        location: "/etc/shadow".into(),
                        detail: format!("user `{name}` {what}"),
                        ..Evidence::default()
                    });
                }
            }
            Accounts::Group(_) => {}
        }
    }
    if evidence.is_empty() { Vec::new() } else { vec![META.finding(evidence)] }
}

/// Whether the config user names a uid-0 account in `/etc/passwd`.
pub(crate) fn is_uid0(cx: &CheckContext<'_>, user: &str) -> bool {
    cx.accounts.iter().any(|a| matches!(a, Accounts::Passwd(users) if users.iter().any(|u| u.name == user && u.uid == Some(0))))
}
