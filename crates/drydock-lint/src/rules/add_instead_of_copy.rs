//! DF004 `add-instead-of-copy`: ADD used where COPY suffices.

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
    code = "DF004",
    name = "add-instead-of-copy",
    level = Warning,
    summary = "ADD used where COPY suffices",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
