//! IMG001 `runs-as-root`: the image's configured user is root.
//!
//! ## What it checks
//! The config `User`: empty (Docker runs as root), `root`, `0`, or
//! `root:…`/`0:…`, or a user name that the image's `/etc/passwd` maps to
//! uid 0.
//! ## Why it matters
//! Root in the container is one kernel bug away from root on the host.
//! CIS Docker Benchmark 4.1; hardening guide stage 2.8; NIST 800-53 AC-6.
//! ## Fix
//! Create an unprivileged user in the image and set `USER <uid>` last.

use drydock_core::check::{CheckFinding, Evidence};
use drydock_core::vulnerability::Severity;

use super::{CheckContext, CheckMeta};

pub(crate) static META: CheckMeta = CheckMeta {
    id: "IMG001",
    name: "runs-as-root",
    severity: Severity::High,
    title: "The image runs as root",
    remediation: "Add an unprivileged user and end the Dockerfile with `USER <uid>` (numeric, so Kubernetes can verify runAsNonRoot).",
    controls: &["AC-6", "CM-6"],
    references: &["CIS Docker 4.1", "hardening guide stage 2.8"],
};

pub(crate) fn check(cx: &CheckContext<'_>) -> Vec<CheckFinding> {
    let user = cx.report.image.config.user.as_deref().map(str::trim).unwrap_or("");
    let name = user.split(':').next().unwrap_or("");
    let alias = !(name.is_empty() || name == "root" || name == "0") && super::accounts::is_uid0(cx, name);
    if !(name.is_empty() || name == "root" || name == "0" || alias) {
        return Vec::new();
    }
    let detail = if user.is_empty() {
        "User is not set: the container runs as root".to_owned()
    } else if alias {
        format!("User is `{user}`, which /etc/passwd maps to uid 0")
    } else {
        format!("User is `{user}`")
    };
    vec![META.finding(vec![Evidence { location: "config.User".into(), detail, ..Evidence::default() }])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{now, report};
    use drydock_core::report::ConfigInfo;

    fn user(u: Option<&str>) -> Vec<CheckFinding> {
        let r = report(ConfigInfo { user: u.map(str::to_owned), ..ConfigInfo::default() }, &[], None);
        check(&CheckContext { report: &r, tree: None, accounts: vec![], now: now() })
    }

    #[test]
    fn fires_on_root_and_unset() {
        for u in [None, Some(""), Some("root"), Some("0"), Some("0:0"), Some("root:wheel")] {
            assert_eq!(user(u).len(), 1, "{u:?}");
        }
        assert!(user(None)[0].evidence[0].detail.contains("not set"));
    }

    #[test]
    fn silent_on_other_users() {
        for u in ["10001", "app", "nonroot:nonroot", "65532:65532"] {
            assert!(user(Some(u)).is_empty(), "{u}");
        }
    }
}
