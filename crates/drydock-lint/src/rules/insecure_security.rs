//! DF034 `insecure-security`: RUN --security=insecure.

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
    code = "DF034",
    name = "insecure-security",
    level = Error,
    summary = "RUN --security=insecure",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
