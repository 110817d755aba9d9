//! DF022 `no-healthcheck`: The final stage has no HEALTHCHECK.

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
    code = "DF022",
    name = "no-healthcheck",
    level = Info,
    summary = "The final stage has no HEALTHCHECK",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
