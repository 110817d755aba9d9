//! DF006 `pipe-to-shell`: A download is piped straight into a shell.

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
    code = "DF006",
    name = "pipe-to-shell",
    level = Error,
    summary = "A download is piped straight into a shell",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
