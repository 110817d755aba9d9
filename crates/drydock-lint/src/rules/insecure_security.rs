//! DF034 `insecure-security`: RUN --security=insecure.

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword};

crate::declare_rule! {
    /// ## What it checks
    /// `RUN --security=insecure` (also as an `ONBUILD RUN` trigger).
    /// ## Why it matters
    /// The step runs with every capability and without seccomp or AppArmor,
    /// like `docker run --privileged`: it can mount the host's devices and
    /// escape the build container. A build that needs it also needs the
    /// builder's `security.insecure` entitlement, which weakens every build
    /// on that builder. Least privilege applies to builds too (hardening
    /// guide stage 2.8; NIST 800-53 AC-6, CM-7 least functionality).
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN --security=insecure mount -t tmpfs none /mnt && ./build.sh
    /// ```
    /// ## Fix
    /// Remove the flag and do the step without privileges (a tmpfs or cache
    /// mount: `RUN --mount=type=tmpfs,target=/mnt`), or move it out of the
    /// image build.
    code = "DF034",
    name = "insecure-security",
    level = Error,
    summary = "RUN --security=insecure",
}

pub(crate) fn check(cx: &Context<'_>) {
    for ins in &cx.model.file.instructions {
        let run: &Instruction = match (&ins.keyword, &ins.onbuild) {
            (Keyword::Run, _) => ins,
            (Keyword::Onbuild, Some(inner)) if inner.keyword == Keyword::Run => inner,
            _ => continue,
        };
        for flag in run.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("security")) {
            if flag.value.as_deref().is_some_and(|v| v.trim().eq_ignore_ascii_case("insecure")) {
                let cmd = run.args.split_whitespace().next().unwrap_or("the step");
                cx.report_with_help(
                    &META,
                    flag.span,
                    format!("`--security=insecure` runs `{cmd}` with full privileges (all capabilities, no seccomp), like `docker run --privileged`"),
                    "remove `--security=insecure`; use an unprivileged alternative (`--mount=type=tmpfs`, `--mount=type=cache`) or do the step outside the build",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF034", "FROM debian:12\nRUN --security=insecure mount -t tmpfs none /mnt && ./build.sh\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 24));
        assert!(d[0].message.contains("`mount`"), "{}", d[0].message);
        assert_fires("DF034", "FROM debian:12\nRUN --mount=type=cache,target=/root/.cache \\\n    --security=insecure \\\n    make test\n");
        assert_fires("DF034", "FROM debian:12\nRUN --security=insecure <<EOF\nmodprobe loop\nEOF\n");
        assert_fires("DF034", "FROM debian:12\nONBUILD RUN --security=insecure [\"/build.sh\"]\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF034", "FROM debian:12\nRUN --security=sandbox make\n");
        assert_silent("DF034", "FROM debian:12\nRUN --network=none make\nRUN echo --security=insecure\n");
        assert_silent("DF034", "FROM debian:12\nCOPY --security=insecure a b\n");
    }
}
