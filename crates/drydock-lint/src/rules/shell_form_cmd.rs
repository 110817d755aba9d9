//! DF032 `shell-form-cmd`: CMD or ENTRYPOINT in shell form.

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
    code = "DF032",
    name = "shell-form-cmd",
    level = Warning,
    summary = "CMD or ENTRYPOINT in shell form",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
