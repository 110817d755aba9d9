//! DF030 `maintainer`: MAINTAINER is deprecated.

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
    code = "DF030",
    name = "maintainer",
    level = Style,
    summary = "MAINTAINER is deprecated",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
