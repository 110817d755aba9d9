//! DF039 `fips-configuration`: FIPS crypto configuration seen.

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
    code = "DF039",
    name = "fips-configuration",
    level = Info,
    summary = "FIPS crypto configuration seen",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
