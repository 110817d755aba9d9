//! DF019 `secret-in-config`: A secret is written into ENV, ARG or LABEL.

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
    code = "DF019",
    name = "secret-in-config",
    level = Error,
    summary = "A secret is written into ENV, ARG or LABEL",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
