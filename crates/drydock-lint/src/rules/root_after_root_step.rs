//! DF041 `root-left-after-root-step`: USER root switched to for a step and not switched back.

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
    code = "DF041",
    name = "root-left-after-root-step",
    level = Warning,
    summary = "USER root switched to for a step and not switched back",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
