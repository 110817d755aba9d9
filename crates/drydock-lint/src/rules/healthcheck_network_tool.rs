//! DF023 `healthcheck-network-tool`: HEALTHCHECK uses curl or wget.

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
    code = "DF023",
    name = "healthcheck-network-tool",
    level = Warning,
    summary = "HEALTHCHECK uses curl or wget",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
