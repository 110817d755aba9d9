//! DF028 `cd-instead-of-workdir`: cd used to change directory for later steps.

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
    code = "DF028",
    name = "cd-instead-of-workdir",
    level = Info,
    summary = "cd used to change directory for later steps",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
