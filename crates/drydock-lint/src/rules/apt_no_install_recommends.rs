//! DF010 `apt-no-install-recommends`: apt-get install without --no-install-recommends.

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
    code = "DF010",
    name = "apt-no-install-recommends",
    level = Info,
    summary = "apt-get install without --no-install-recommends",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
