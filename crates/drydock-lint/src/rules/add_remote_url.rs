//! DF005 `add-remote-url`: ADD fetches from the network.

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
    code = "DF005",
    name = "add-remote-url",
    level = Warning,
    summary = "ADD fetches from the network",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
