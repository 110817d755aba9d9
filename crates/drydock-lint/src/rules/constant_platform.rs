//! DF037 `constant-platform`: FROM --platform with a constant value.

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
    code = "DF037",
    name = "constant-platform",
    level = Warning,
    summary = "FROM --platform with a constant value",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
