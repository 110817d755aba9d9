//! DF004 `add-instead-of-copy`: ADD used where COPY suffices.

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword, Span};

crate::declare_rule! {
    /// ## What it checks
    /// `ADD` (ONBUILD ADD included) whose sources are all local files or
    /// directories that are not archives. Remote URLs and git repositories
    /// are DF005's; local archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`,
    /// `.tar.zst`, …) are what ADD's auto-extraction exists for; heredoc
    /// ADD is exempt.
    /// ## Why it matters
    /// ADD also fetches URLs and unpacks archives, so a renamed or replaced
    /// source can silently change what lands in the image. COPY does only
    /// what it says. Hardening guide stage 2.4 ("use COPY instead of ADD"),
    /// CIS Docker Benchmark 4.9, NIST 800-53 CM-7 (least functionality).
    /// ## Example
    /// ```dockerfile
    /// ADD app.py requirements.txt /app/
    /// ```
    /// ## Fix
    /// `COPY app.py requirements.txt /app/`: same flags (`--chown`,
    /// `--chmod`, `--link`), no surprises.
    code = "DF004",
    name = "add-instead-of-copy",
    level = Warning,
    summary = "ADD used where COPY suffices",
}

pub(crate) fn check(cx: &Context<'_>) {
    for (i, outer) in cx.model.file.instructions.iter().enumerate() {
        let ins = super::shared::effective(outer);
        let Some(sources) = add_sources(cx, i, ins) else { continue };
        // An unknown variable might name an archive or a URL.
        let Some(names) = sources.iter().map(|s| s.resolved.clone()).collect::<Option<Vec<String>>>() else { continue };
        if names.iter().any(|n| is_remote(n) || is_archive(n)) {
            continue;
        }
        let quoted = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let what = if names.len() == 1 { "is a local path, not an archive" } else { "are local paths, not archives" };
        cx.report_with_help(
            &META,
            ins.keyword_span,
            format!("ADD of {quoted}: {what}, so ADD's URL fetching and auto-extraction are not needed"),
            format!("use COPY: `COPY {}`", ins.args.trim()),
        );
    }
}

/// One source of an ADD.
pub(crate) struct Source {
    /// As written.
    pub written: String,
    /// With build args and ENV substituted; `None` when a variable is unknown.
    pub resolved: Option<String>,
    pub span: Span,
}

/// The sources of an ADD instruction (`ins`, at index `i`); `None` for
/// other instructions and heredoc ADDs.
pub(crate) fn add_sources(cx: &Context<'_>, i: usize, ins: &Instruction) -> Option<Vec<Source>> {
    if ins.keyword != Keyword::Add || !ins.heredocs.is_empty() {
        return None;
    }
    let escape = cx.model.file.escape;
    let words: Vec<(String, Span)> = match &ins.exec {
        Some(list) => list.iter().map(|w| (w.clone(), ins.args_span(0, ins.args.len()))).collect(),
        None => crate::dockerfile::words::split(&ins.args, escape).into_iter().map(|w| (w.text, ins.args_span(w.start, w.end))).collect(),
    };
    let (_, sources) = words.split_last()?;
    if sources.is_empty() {
        return None;
    }
    let scope = cx.model.scope_at(i);
    Some(
        sources
            .iter()
            .map(|(text, span)| {
                let (expanded, known) = crate::dockerfile::words::expand(text, escape, &|n| scope.get(n).cloned());
                Source { written: text.clone(), resolved: known.then_some(expanded), span: *span }
            })
            .collect(),
    )
}

/// An http(s), ftp or git source.
pub(crate) fn is_remote(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    s.contains("://") || s.starts_with("git@")
}

/// A file name ADD would unpack (or a glob that can only match such files).
fn is_archive(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".tar",
        ".tar.gz",
        ".tgz",
        ".taz",
        ".tar.bz2",
        ".tbz2",
        ".tbz",
        ".tar.xz",
        ".txz",
        ".tar.zst",
        ".tzst",
        ".tar.lz",
        ".tar.lzma",
        ".tlz",
        ".tar.z",
        ".gz",
        ".bz2",
        ".xz",
        ".zst",
        ".lzma",
        ".lz",
    ];
    let p = path.to_ascii_lowercase();
    let p = p.trim_end_matches(['*', '?']);
    EXTENSIONS.iter().any(|e| p.ends_with(e))
        || (path.contains(['*', '?', '[']) && [".tar", ".tgz", ".txz", ".tbz"].iter().any(|e| p.contains(e)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF004", "FROM debian:12\nADD app.py requirements.txt /app/\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 1, 4));
        assert!(d[0].message.contains("`app.py`, `requirements.txt`"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some("use COPY: `COPY app.py requirements.txt /app/`"));
        assert_fires("DF004", "FROM debian:12\nADD --chown=app:app . /srv\n");
        assert_fires("DF004", "FROM debian:12\nADD [\"conf dir/\", \"/etc/app/\"]\n");
        assert_fires("DF004", "FROM debian:12\nADD \\\n    entrypoint.sh \\\n    /usr/local/bin/\n");
        assert_fires("DF004", "FROM debian:12\nONBUILD ADD . /app/src\n");
        assert_fires("DF004", "FROM debian:12\nARG SRC=dist/\nADD ${SRC} /srv/\n");
        // A zip is not unpacked by ADD.
        assert_fires("DF004", "FROM debian:12\nADD plugin.zip /opt/\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nCOPY app.py /app/\n",
            "FROM scratch\nADD rootfs.tar.xz /\n",
            "FROM scratch\nADD alpine-minirootfs-3.20.0-x86_64.tar.gz /\n",
            "FROM debian:12\nADD vendor.tgz jdk.tar.zst /opt/\n",
            "FROM debian:12\nADD *.tar.gz /opt/\n",
            "FROM debian:12\nADD https://example.com/tool /usr/local/bin/tool\n",
            "FROM debian:12\nADD git@github.com:moby/buildkit.git#v0.13.0 /src\n",
            "FROM debian:12\nADD <<EOF /etc/motd\nhello\nEOF\n",
            "FROM debian:12\nARG ARCHIVE\nADD ${ARCHIVE} /opt/\n",
            "FROM debian:12\nARG PKG=app.tar.gz\nADD $PKG /opt/\n",
        ] {
            assert_silent("DF004", src);
        }
    }
}
