//! DF007 `unverified-download`: A download is used without checksum verification.

use crate::Context;
use crate::dockerfile::shell::Command;
use crate::rules::shared::{Output, argv, base, download, pipe_sink, runs_stdin, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// `curl`/`wget` downloads saved to a file (`-o`, `-O`, `> file`, wget's
    /// default) or unpacked straight from the pipe (`curl … | tar -xz`) when
    /// no later command in the stage verifies anything (`sha256sum -c`,
    /// `shasum`, `gpg --verify`, `gpgv`, `cosign verify-blob`, `minisign -V`).
    /// Signatures, checksum lists, keys and license texts are exempt;
    /// `… | sh` is DF006's. A check in a later RUN of the stage counts.
    /// ## Why it matters
    /// TLS proves who served the file, not that it is the file you reviewed;
    /// and binaries fetched this way are invisible to package scanners
    /// (hardening guide stages 2.1, 2.5). CIS Docker Benchmark 4.11; NIST
    /// 800-53 SI-7, SA-10.
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSLo /usr/local/bin/jq https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64
    /// ```
    /// ## Fix
    /// Check the published digest in the same RUN:
    /// `echo "<sha256>  /usr/local/bin/jq" | sha256sum -c -` (or `gpg --verify`),
    /// or use `ADD --checksum=sha256:…`.
    code = "DF007",
    name = "unverified-download",
    level = Warning,
    summary = "A download is used without checksum verification",
}

pub(crate) fn check(cx: &Context<'_>) {
    let all = scripts(cx);
    for (n, script) in all.iter().enumerate() {
        let stage = cx.model.stage_of(script.index).map(|s| s.index);
        let cmds = &script.commands;
        for (i, cmd) in cmds.iter().enumerate() {
            let Some(d) = download(cmd) else { continue };
            let sink = pipe_sink(cmds, i).map(|j| &cmds[j]);
            let problem = match (&d.output, sink) {
                (Output::File(f), _) if is_verification_material(f) || d.url.is_some_and(is_verification_material) || is_license(f) => {
                    continue;
                }
                (Output::File(f), _) => format!("saves `{f}`"),
                (Output::Stdout, Some(s)) if runs_stdin(argv(s)) => continue,
                (Output::Stdout, Some(s)) if is_extractor(s) => {
                    format!("is unpacked by `{}`", argv(s).first().map(|w| base(&w.text)).unwrap_or_default())
                }
                _ => continue,
            };
            // Verification later in this script, or in a later RUN of the same stage.
            let mut later = cmds[i + 1..].iter().chain(
                all[n + 1..].iter().filter(|s| cx.model.stage_of(s.index).map(|s| s.index) == stage).flat_map(|s| s.commands.iter()),
            );
            if later.any(verifies) {
                continue;
            }
            let words = argv(cmd);
            let (Some(first), Some(last)) = (words.first(), words.last()) else { continue };
            let from = d.url.map(|u| format!(" from `{u}`")).unwrap_or_default();
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!("`{}`{from} {problem}, and nothing after it checks its checksum or signature", d.tool),
                "verify it before use: `echo \"<sha256>  <file>\" | sha256sum -c -` with the digest the publisher lists, or `gpg --verify` with their key",
            );
        }
    }
}

/// A command that checks a digest or a signature.
fn verifies(cmd: &Command) -> bool {
    let words = argv(cmd);
    let Some(first) = words.first() else { return false };
    let args = || words.iter().skip(1).map(|w| w.text.as_str());
    match base(&first.text) {
        "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "b2sum" | "shasum" | "md5sum" | "cksum" | "gpgv" | "gpgv2" => {
            true
        }
        "gpg" | "gpg2" => args().any(|a| a == "--verify" || a == "--verify-files"),
        "cosign" => args().any(|a| a.starts_with("verify")),
        "minisign" | "signify" | "signify-openbsd" => {
            args().any(|a| a.starts_with('-') && !a.starts_with("--") && (a.contains('V') || a.contains('C')))
        }
        "rpm" | "rpmkeys" => args().any(|a| a == "-K" || a == "--checksig"),
        "openssl" => args().any(|a| a == "-verify" || a == "-signature"),
        "slsa-verifier" | "notation" | "sigstore" => args().any(|a| a.starts_with("verify")),
        "gh" => args().any(|a| a == "attestation"),
        _ => false,
    }
}

/// Unpacks what it reads from stdin.
fn is_extractor(cmd: &Command) -> bool {
    let words = argv(cmd);
    let Some(first) = words.first() else { return false };
    match base(&first.text) {
        "tar" | "bsdtar" | "gtar" => words.iter().skip(1).any(|w| {
            let t = w.text.as_str();
            t == "--extract"
                || t == "--get"
                || (!t.starts_with("--") && t.trim_start_matches('-').starts_with(|c: char| c.is_ascii_alphabetic()) && t.contains('x'))
        }),
        "gunzip" | "zcat" | "bunzip2" | "unxz" | "unzstd" | "funzip" | "cpio" => true,
        "gzip" | "bzip2" | "xz" | "zstd" => {
            words.iter().skip(1).any(|w| w.text == "-d" || w.text == "--decompress" || w.text == "-dc" || w.text == "-cd")
        }
        _ => false,
    }
}

/// Signatures, checksum lists and keys: inputs of a verification, not things to verify.
fn is_verification_material(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let name = p.rsplit('/').next().unwrap_or(&p);
    const SUFFIXES: &[&str] = &[
        ".asc",
        ".sig",
        ".sign",
        ".gpg",
        ".pgp",
        ".key",
        ".pub",
        ".sha1",
        ".sha256",
        ".sha512",
        ".sha256sum",
        ".sha512sum",
        ".md5",
        ".sums",
        ".minisig",
        ".intoto.jsonl",
    ];
    let name = name.split(['?', '#']).next().unwrap_or(name);
    SUFFIXES.iter().any(|s| name.ends_with(s))
        || name.contains("sha256sums")
        || name.contains("sha512sums")
        || name.contains("checksums")
        || name.contains("keyring")
}

/// License texts saved next to a binary: nothing runs them.
fn is_license(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let name = p.rsplit('/').next().unwrap_or(&p);
    p.contains("/licenses/") || ["license", "licence", "copying", "notice"].iter().any(|l| name.starts_with(l))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF007",
            "FROM debian:12\nRUN curl -fsSLo /usr/local/bin/jq https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64 \\\n && chmod +x /usr/local/bin/jq\n",
        );
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert!(
            d[0].message.starts_with(
                "`curl` from `https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64` saves `/usr/local/bin/jq`"
            ),
            "{}",
            d[0].message
        );
        let d = assert_fires("DF007", "FROM alpine:3.20\nRUN wget https://example.com/tool-1.0.tar.gz && tar xzf tool-1.0.tar.gz\n");
        assert!(d[0].message.contains("saves `tool-1.0.tar.gz`"), "{}", d[0].message);
        assert_fires("DF007", "FROM debian:12\nRUN curl -fsSL -O https://example.com/app.deb && dpkg -i app.deb\n");
        assert_fires("DF007", "FROM debian:12\nRUN curl -fsSL https://example.com/app.bin > /usr/local/bin/app\n");
        assert_fires("DF007", "FROM debian:12\nRUN wget -q -P /tmp https://example.com/x.zip\n");
        let d = assert_fires(
            "DF007",
            "FROM debian:12\nRUN curl -fsSL https://example.com/node.tar.xz | tar -xJ -C /usr/local --strip-components=1\n",
        );
        assert!(d[0].message.contains("is unpacked by `tar`"), "{}", d[0].message);
        assert_fires(
            "DF007",
            "FROM debian:12\nRUN <<EOF\ncurl -fsSLo /tmp/a.tgz https://example.com/a.tgz\ntar -C /opt -xzf /tmp/a.tgz\nEOF\n",
        );
        assert_fires("DF007", "FROM debian:12\nRUN [\"curl\", \"-fsSLo\", \"/bin/x\", \"https://example.com/x\"]\n");
        // Verification in another stage does not count.
        assert_fires("DF007", "FROM debian:12 AS a\nRUN curl -o /x https://example.com/x\nFROM debian:12\nRUN sha256sum -c /sums\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM debian:12\nRUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz \\\n && echo \"0123abcd  /tmp/x.tgz\" | sha256sum -c - \\\n && tar -xzf /tmp/x.tgz\n",
            "FROM debian:12\nRUN wget -O node.tar.xz https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz \\\n && wget https://nodejs.org/dist/v20.0.0/SHASUMS256.txt.asc \\\n && gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc \\\n && grep \" node.tar.xz\\$\" SHASUMS256.txt | sha256sum -c -\n",
            "FROM debian:12\nRUN curl -fsSLo app.tgz https://example.com/app.tgz && curl -fsSLo app.tgz.sig https://example.com/app.tgz.sig && gpg --verify app.tgz.sig app.tgz\n",
            "FROM debian:12\nRUN curl -fsSLo /x https://example.com/x && [ \"$(sha256sum /x | cut -d' ' -f1)\" = \"$X_SHA\" ]\n",
            "FROM debian:12\nRUN curl -fsSLo /x https://example.com/x\nRUN echo \"abc  /x\" | sha256sum -c -\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/i.sh | sh\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/gpg -o /etc/apt/keyrings/example.gpg\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/gpg | gpg --dearmor -o /etc/apt/keyrings/example.gpg\n",
            "FROM debian:12\nRUN curl -fsS http://localhost:8080/health\n",
            "FROM debian:12\nRUN curl -fsS -o /dev/null https://example.com/\n",
            "FROM debian:12\nRUN wget -qO- https://example.com/version | grep 1.0\n",
            "FROM debian:12\nRUN wget --spider https://example.com/\n",
            "FROM debian:12\nRUN curl -fsSLo /x https://example.com/x && cosign verify-blob --key k.pub --signature x.sig /x\n",
            "FROM debian:12\nRUN wget -O KEYS https://pgp.mongodb.com/server-8.0.asc && gpg --import KEYS\n",
            "FROM debian:12\nRUN curl -fsSL https://raw.githubusercontent.com/x/y/master/LICENSE -o /opt/licenses/y.txt\n",
        ] {
            assert_silent("DF007", src);
        }
    }
}
