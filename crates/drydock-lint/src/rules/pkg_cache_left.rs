//! DF012 `pkg-cache-left`: Package manager cache not cleaned in the same layer.

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
    code = "DF012",
    name = "pkg-cache-left",
    level = Info,
    summary = "Package manager cache not cleaned in the same layer",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
