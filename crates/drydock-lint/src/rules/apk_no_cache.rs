//! DF011 `apk-no-cache`: apk add without --no-cache.

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
    code = "DF011",
    name = "apk-no-cache",
    level = Info,
    summary = "apk add without --no-cache",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
