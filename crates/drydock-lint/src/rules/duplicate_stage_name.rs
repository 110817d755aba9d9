//! DF036 `duplicate-stage-name`: Two stages share a name.

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
    code = "DF036",
    name = "duplicate-stage-name",
    level = Error,
    summary = "Two stages share a name",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
