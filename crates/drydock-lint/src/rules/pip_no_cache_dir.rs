//! DF015 `pip-no-cache-dir`: pip install without --no-cache-dir.

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
    code = "DF015",
    name = "pip-no-cache-dir",
    level = Info,
    summary = "pip install without --no-cache-dir",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
