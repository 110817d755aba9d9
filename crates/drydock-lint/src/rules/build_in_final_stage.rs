//! DF024 `build-in-final-stage`: Compiler toolchain used in the final stage of a single-stage build.

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
    code = "DF024",
    name = "build-in-final-stage",
    level = Warning,
    summary = "Compiler toolchain used in the final stage of a single-stage build",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
