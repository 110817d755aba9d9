//! DF008 `pkg-missing-yes`: Package install without non-interactive confirmation.

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
    code = "DF008",
    name = "pkg-missing-yes",
    level = Warning,
    summary = "Package install without non-interactive confirmation",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
