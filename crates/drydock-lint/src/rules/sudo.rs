//! DF025 `sudo`: sudo in a RUN.

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
    code = "DF025",
    name = "sudo",
    level = Warning,
    summary = "sudo in a RUN",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
