//! DF027 `ssh-server`: SSH server exposed or installed.

use crate::Context;

crate::declare_rule! {
    /// ## What it checks
    /// TODO
    /// ## Why it matters
    /// TODO
    /// ## Example
    /// TODO
    /// ## Fix
    /// TODO
    code = "DF027",
    name = "ssh-server",
    level = Warning,
    summary = "SSH server exposed or installed",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
