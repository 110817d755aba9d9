//! DF013 `pkg-upgrade`: Distribution upgrade inside the image build.

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
    code = "DF013",
    name = "pkg-upgrade",
    level = Warning,
    summary = "Distribution upgrade inside the image build",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
