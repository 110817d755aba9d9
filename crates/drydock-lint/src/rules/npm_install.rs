//! DF017 `npm-install`: npm install where npm ci is meant.

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
    code = "DF017",
    name = "npm-install",
    level = Info,
    summary = "npm install where npm ci is meant",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
