//! DF009 `pkg-unpinned`: OS packages installed without pinned versions.

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
    code = "DF009",
    name = "pkg-unpinned",
    level = Warning,
    summary = "OS packages installed without pinned versions",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
