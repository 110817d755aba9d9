//! DF000 `syntax-error`: Docker would refuse to build this file.

use crate::Context;

crate::declare_rule! {
    /// ## What it checks
    /// Problems that make `docker build` refuse the file: an unknown
    /// instruction, an instruction other than ARG before the first FROM, no
    /// FROM at all, an unterminated heredoc, SHELL not in JSON form, an
    /// instruction without its arguments, an invalid `# escape=` directive.
    /// ## Why it matters
    /// A Dockerfile that does not build cannot be the reviewed, reproducible
    /// build definition that configuration management asks for (NIST 800-53
    /// CM-2, CM-3); the linter says where Docker would stop.
    /// ## Example
    /// ```dockerfile
    /// RUN echo before any FROM
    /// FROM alpine:3.20
    /// ```
    /// ## Fix
    /// Start the file with `FROM` (after any global `ARG`s) and use only
    /// instructions Docker knows.
    code = "DF000",
    name = "syntax-error",
    level = Error,
    summary = "Docker would refuse to build this file",
}

/// Parse errors are reported by the driver, which has them from the parser.
pub(crate) fn check(_: &Context<'_>) {}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        assert_fires("DF000", "RUN echo hi\nFROM alpine:3.20\n");
        assert_fires("DF000", "FROM alpine:3.20\nFROBNICATE all\n");
        assert_fires("DF000", "FROM alpine:3.20\nRUN <<EOF\necho never closed\n");
        assert_fires("DF000", "# just a comment\n");
        assert_fires("DF000", "FROM alpine:3.20\nSHELL /bin/bash -c\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF000", "ARG V=3.20\nFROM alpine:${V}\nRUN echo hi\n");
        assert_silent("DF000", "FROM alpine:3.20\nENTRYPOINT []\nCMD []\n");
    }
}
