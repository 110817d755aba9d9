//! DF031 `multiple-cmd`: Several CMD, ENTRYPOINT or HEALTHCHECK in one stage.

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
    code = "DF031",
    name = "multiple-cmd",
    level = Warning,
    summary = "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
