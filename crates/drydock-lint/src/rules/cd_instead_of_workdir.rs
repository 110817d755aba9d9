//! DF028 `cd-instead-of-workdir`: cd used to change directory for later steps.

use crate::Context;

crate::declare_rule! {
    /// ## What it checks
    /// `cd <dir>` at the top level of a RUN script (hadolint DL3003: any
    /// top-level `cd`, whether or not later commands depend on it). Silent
    /// for `cd` inside a subshell or group (`(cd /src && make)`), inside
    /// `$( … )`, for `cd -` and for a bare `cd`. Reported once per RUN.
    /// ## Why it matters
    /// The directory a RUN `cd`s into is forgotten at the end of the step,
    /// so readers (and later RUNs) easily assume the wrong working directory;
    /// `WORKDIR` records it in the image config where every following
    /// instruction, and the reviewer, can see it (NIST 800-53 CM-2: a
    /// build definition whose effect is evident).
    /// ## Example
    /// ```dockerfile
    /// RUN cd /usr/src/app && npm ci
    /// ```
    /// ## Fix
    /// `WORKDIR /usr/src/app` then `RUN npm ci`; for a one-off directory
    /// change, use a subshell `(cd /tmp/build && make)` or the tool's own
    /// option (`make -C`, `git -C`, `tar -C`).
    code = "DF028",
    name = "cd-instead-of-workdir",
    level = Info,
    summary = "cd used to change directory for later steps",
}

pub(crate) fn check(cx: &Context<'_>) {
    for run in &cx.model.runs {
        let top_level_cd = run.commands.iter().find(|c| {
            c.name() == Some("cd")
                && c.depth == 0
                && !c.substituted
                && c.args().find(|a| !a.starts_with('-') || *a == "-").is_some_and(|a| a != "-")
        });
        let Some(c) = top_level_cd else { continue };
        let dir = c.args().find(|a| !a.starts_with('-')).unwrap_or("");
        let (start, end) = c.span();
        cx.report_with_help(
            &META,
            cx.model.script_span(run, start, end),
            format!("`cd {dir}` changes directory for this RUN only; the working directory is not recorded for later steps"),
            format!("use `WORKDIR {dir}` before the RUN, or a subshell `(cd {dir} && …)` for a one-off"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF028", "FROM node:20\nRUN cd /usr/src/app && npm ci\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 5, 20));
        assert!(d[0].message.contains("`cd /usr/src/app`"));
        let d = assert_fires(
            "DF028",
            "FROM debian:12\nRUN set -eux; \\\n    cd /tmp; \\\n    wget -q https://example.com/x.tgz; \\\n    cd /; rm -rf /tmp/*\n",
        );
        assert_eq!((d.len(), d[0].line), (1, 3), "once per RUN");
        assert_fires("DF028", "FROM debian:12\nRUN <<EOF\nset -e\ncd /src\nmake\nEOF\n");
        assert_fires("DF028", "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"cd /src && make\"]\n");
        assert_fires("DF028", "FROM debian:12\nONBUILD RUN cd /app && make\n");
        assert_fires("DF028", "FROM debian:12\nRUN if [ -d /src ]; then cd -P /src; fi\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF028", "FROM debian:12\nWORKDIR /src\nRUN make\n");
        assert_silent("DF028", "FROM debian:12\nRUN (cd /src && make) && make -C docs\n");
        assert_silent("DF028", "FROM debian:12\nRUN { cd /src && make; }\n");
        assert_silent("DF028", "FROM debian:12\nRUN echo \"$(cd /src && pwd)\" && cd - && cd\n");
        assert_silent("DF028", "FROM debian:12\nRUN echo cd /src\n");
    }
}
