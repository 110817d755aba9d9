//! DF021 `copy-all-unignored`: The whole build context is copied without a .dockerignore that excludes secrets.

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
    code = "DF021",
    name = "copy-all-unignored",
    level = Warning,
    summary = "The whole build context is copied without a .dockerignore that excludes secrets",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
