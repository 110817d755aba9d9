//! DF026 `chmod-777`: World-writable permissions set.

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
    code = "DF026",
    name = "chmod-777",
    level = Warning,
    summary = "World-writable permissions set",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
