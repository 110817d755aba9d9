//! DF018 `lang-install-unpinned`: gem or go install without a pinned version.

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
    code = "DF018",
    name = "lang-install-unpinned",
    level = Warning,
    summary = "gem or go install without a pinned version",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
