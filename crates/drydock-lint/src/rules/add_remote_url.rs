//! DF005 `add-remote-url`: ADD fetches from the network.

use crate::Context;
use crate::rules::add_instead_of_copy::{add_sources, is_remote};

crate::declare_rule! {
    /// ## What it checks
    /// `ADD` of an `http(s)://` or `ftp://` URL without `--checksum=sha256:…`,
    /// and `ADD` of a git repository (`https://…/x.git#ref`, `git@host:x.git`)
    /// at a ref that is not a full commit id and without `--checksum`.
    /// ONBUILD ADD and exec form included; build args are substituted.
    /// ## Why it matters
    /// The build downloads whatever the server returns that day: nothing
    /// proves it is the file that was reviewed, and a compromised or moved
    /// URL changes the image without a diff in the Dockerfile. CIS Docker
    /// Benchmark 4.9 (COPY, not ADD, for remote content) and 4.11 (verified
    /// packages); hardening guide stage 2.4; NIST 800-53 SI-7 (software
    /// integrity), CM-2.
    /// ## Example
    /// ```dockerfile
    /// ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ```
    /// ## Fix
    /// Pin the content: `ADD --checksum=sha256:<digest> https://… /tini`
    /// (git: a commit id, `#<40-hex>`), or download in a build stage,
    /// verify with `sha256sum -c`, and `COPY --from` that stage.
    code = "DF005",
    name = "add-remote-url",
    level = Warning,
    summary = "ADD fetches from the network",
}

pub(crate) fn check(cx: &Context<'_>) {
    for (i, outer) in cx.model.file.instructions.iter().enumerate() {
        let ins = super::shared::effective(outer);
        let Some(sources) = add_sources(cx, i, ins) else { continue };
        let checksum = ins.flag("checksum").and_then(|f| f.value.as_deref()).is_some_and(|v| !v.trim().is_empty());
        for s in sources {
            let url = s.resolved.as_deref().unwrap_or(&s.written);
            if !is_remote(url) || checksum {
                continue;
            }
            if is_git(url) {
                let reference = git_ref(url);
                if reference.len() >= 40 && reference.chars().all(|c| c.is_ascii_hexdigit()) {
                    continue;
                }
                let at = if reference.is_empty() { "the default branch".to_owned() } else { format!("`{reference}`") };
                cx.report_with_help(
                    &META,
                    s.span,
                    format!(
                        "ADD clones `{}` at {at}, which can move; without `--checksum` the build takes whatever it points to",
                        s.written
                    ),
                    "pin a commit: `ADD --checksum=<commit> <repo>#<ref>` or `<repo>#<40-hex commit>`",
                );
            } else {
                cx.report_with_help(
                    &META,
                    s.span,
                    format!("ADD downloads `{}` at build time without `--checksum`: the content is never verified", s.written),
                    "add `--checksum=sha256:<digest>`, or download and verify (`sha256sum -c`) in a build stage and COPY --from it",
                );
            }
        }
    }
}

/// The ref of a git source: `…git#v1.2:subdir` -> `v1.2`, `…git?ref=v1.2&keep-git-dir=1` -> `v1.2`
/// (a `commit=` or `checksum=` query parameter wins).
fn git_ref(url: &str) -> &str {
    if let Some((_, fragment)) = url.split_once('#') {
        return fragment.split(':').next().unwrap_or(fragment);
    }
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let param = |name: &str| query.split('&').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')));
    param("commit")
        .or_else(|| param("checksum"))
        .or_else(|| param("ref"))
        .or_else(|| param("tag"))
        .or_else(|| param("branch"))
        .unwrap_or("")
}

fn is_git(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    let path = u.split(['#', '?']).next().unwrap_or(&u);
    u.starts_with("git@") || u.starts_with("git://") || u.starts_with("ssh://") || path.ends_with(".git") || path.ends_with(".git/")
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF005", "FROM debian:12\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n");
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert!(d[0].message.contains("without `--checksum`"), "{}", d[0].message);
        assert_fires("DF005", "FROM debian:12\nADD --chmod=755 http://example.com/x.sh /usr/local/bin/\n");
        assert_fires("DF005", "FROM debian:12\nADD [\"https://example.com/a.tar.gz\", \"/opt/\"]\n");
        assert_fires("DF005", "FROM debian:12\nARG V=1.2\nADD https://example.com/tool-${V}.tgz \\\n    /opt/\n");
        assert_fires("DF005", "FROM debian:12\nONBUILD ADD https://example.com/hook.sh /hook.sh\n");
        let d = assert_fires("DF005", "FROM debian:12\nADD https://github.com/moby/buildkit.git#v0.13.0 /src\n");
        assert!(d[0].message.contains("`v0.13.0`"), "{}", d[0].message);
        assert_fires("DF005", "FROM debian:12\nADD git@github.com:moby/buildkit.git /src\n");
        let d = assert_fires("DF005", "FROM debian:12\nADD https://github.com/go-delve/delve.git?ref=v1.23.0&keep-git-dir=1 /src\n");
        assert!(d[0].message.contains("at `v1.23.0`"), "{}", d[0].message);
        // Two URLs, two diagnostics.
        let d = assert_fires("DF005", "FROM debian:12\nADD https://a.example/x https://b.example/y /opt/\n");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nADD app.tar.gz /opt/\n",
            "FROM debian:12\nCOPY https.txt /x\n",
            "FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n",
            "FROM debian:12\nADD https://github.com/moby/buildkit.git#2e3ef44e3b61ea32c00e9ed5c95e3c4ed0a1e7c7 /src\n",
            "FROM debian:12\nADD --checksum=2e3ef44e3b61ea32c00e9ed5c95e3c4ed0a1e7c7 https://github.com/moby/buildkit.git#v0.13.0 /src\n",
            "FROM debian:12\nADD <<EOF /etc/motd\nhttps://example.com\nEOF\n",
            "FROM debian:12\nADD https://github.com/moby/buildkit.git?commit=2e3ef44e3b61ea32c00e9ed5c95e3c4ed0a1e7c7 /src\n",
        ] {
            assert_silent("DF005", src);
        }
    }
}
