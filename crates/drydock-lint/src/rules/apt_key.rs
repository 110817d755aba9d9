//! DF033 `apt-key`: apt-key is deprecated and trusts keys for every repository.

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
    code = "DF033",
    name = "apt-key",
    level = Warning,
    summary = "apt-key is deprecated and trusts keys for every repository",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
