//! DF040 `apt-not-apt-get`: apt used in a script.

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
    code = "DF040",
    name = "apt-not-apt-get",
    level = Warning,
    summary = "apt used in a script",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
