//! DF014 `update-alone`: Package index update in its own RUN.

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
    code = "DF014",
    name = "update-alone",
    level = Warning,
    summary = "Package index update in its own RUN",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
