//! DF035 `copy-from-unknown-stage`: COPY --from names a stage that does not exist.

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
    code = "DF035",
    name = "copy-from-unknown-stage",
    level = Error,
    summary = "COPY --from names a stage that does not exist",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
