//! DF016 `pip-unpinned`: pip install without pinned versions.

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
    code = "DF016",
    name = "pip-unpinned",
    level = Warning,
    summary = "pip install without pinned versions",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
