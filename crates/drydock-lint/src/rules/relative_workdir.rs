//! DF029 `relative-workdir`: WORKDIR is a relative path.

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
    code = "DF029",
    name = "relative-workdir",
    level = Warning,
    summary = "WORKDIR is a relative path",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
