//! DF003 `unapproved-registry`: Base image comes from a registry that is not approved.

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
    code = "DF003",
    name = "unapproved-registry",
    level = Error,
    summary = "Base image comes from a registry that is not approved",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
