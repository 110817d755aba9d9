//! DF038 `no-pipefail`: Pipe in RUN without set -o pipefail.

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
    code = "DF038",
    name = "no-pipefail",
    level = Warning,
    summary = "Pipe in RUN without set -o pipefail",
}

pub(crate) fn check(cx: &Context<'_>) {
    let _ = cx;
}
