//! DF020 `secret-file-copied`: A secret file is copied into the image.

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
    code = "DF020",
    name = "secret-file-copied",
    level = Error,
    summary = "A secret file is copied into the image",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
