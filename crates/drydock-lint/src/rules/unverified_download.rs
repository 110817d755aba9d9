//! DF007 `unverified-download`: A download is used without checksum verification.

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
    code = "DF007",
    name = "unverified-download",
    level = Warning,
    summary = "A download is used without checksum verification",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
