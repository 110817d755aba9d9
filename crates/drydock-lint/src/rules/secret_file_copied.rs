//! DF020 `secret-file-copied`: A secret file is copied into the image.

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `COPY` / `ADD` sources that are secrets by name: `.env` and `.env.*`
    /// (not `.env.example` / `.sample` / `.template` / `.dist`), private keys
    /// (`*.key`, `*.pem` other than certificates, `id_rsa`, `id_ed25519`…),
    /// `.ssh/`, `.aws/`, `.git/`, `credentials(.json)`, `*.p12` / `*.pfx`,
    /// `.npmrc`, `.pypirc`, `.netrc`, `.docker/config.json`, `kubeconfig`.
    /// `COPY --from=<stage>` is checked too: a key copied out of a build
    /// stage still ends up in this one. A `*.key` copied to a `.pub`, `.asc`
    /// or `.gpg` destination is a public key and is exempt.
    /// ## Why it matters
    /// A file copied into a layer stays in the image even if a later step
    /// deletes it, and everyone who can pull the image can extract it (CIS
    /// Docker Benchmark 4.10; hardening guide stage 2.6; NIST 800-53 IA-5, SC-28).
    /// ## Example
    /// ```dockerfile
    /// COPY .npmrc /root/.npmrc
    /// RUN npm ci
    /// ```
    /// ## Fix
    /// Mount it for the one step that needs it:
    /// `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`
    /// (`docker build --secret id=npmrc,src=$HOME/.npmrc`), and list it in `.dockerignore`.
    code = "DF020",
    name = "secret-file-copied",
    level = Error,
    summary = "A secret file is copied into the image",
}

pub(crate) fn check(cx: &Context<'_>) {
    for (_, ins) in super::secret_in_config::with_onbuild(cx.model) {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        for (text, span) in sources(ins, cx.model.file.escape) {
            let Some(what) = secret_file(&text.source, &text.dest) else { continue };
            let from = ins.flag("from").and_then(|f| f.value.as_deref()).map(|s| format!(" from `{s}`")).unwrap_or_default();
            cx.report_with_help(
                &META,
                span,
                format!(
                    "{} copies `{}`{from} ({what}) into the image, where anyone who can pull it can read it",
                    ins.keyword.as_str(),
                    text.source
                ),
                "do not copy it: use `RUN --mount=type=secret,id=…,target=…` for the step that needs it, and add it to .dockerignore",
            );
        }
    }
}

struct Source {
    source: String,
    dest: String,
}

/// The sources of a COPY/ADD (all words but the last), with their spans.
fn sources(ins: &Instruction, escape: char) -> Vec<(Source, crate::dockerfile::ast::Span)> {
    if let Some(argv) = &ins.exec {
        let Some((dest, srcs)) = argv.split_last() else { return Vec::new() };
        let span = ins.args_span(0, ins.args.len());
        return srcs.iter().map(|s| (Source { source: s.clone(), dest: dest.clone() }, span)).collect();
    }
    let ws = words::split(&ins.args, escape);
    let Some((dest, srcs)) = ws.split_last() else { return Vec::new() };
    srcs.iter()
        .filter(|w| !w.text.starts_with("<<"))
        .map(|w| (Source { source: w.text.clone(), dest: dest.text.clone() }, ins.args_span(w.start, w.end)))
        .collect()
}

/// Why `source` is a secret file, if it is one.
fn secret_file(source: &str, dest: &str) -> Option<&'static str> {
    let lower = source.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("git@") {
        return None;
    }
    let path = lower.trim_end_matches('/');
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
    let name = *parts.last()?;
    let dir = |d: &str| parts.contains(&d);
    if name == ".env"
        || (name.starts_with(".env.")
            && !matches!(name.rsplit('.').next(), Some("example" | "sample" | "template" | "dist" | "defaults" | "tpl")))
    {
        return Some("an environment file with secrets");
    }
    if matches!(name, "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk") {
        return Some("an SSH private key");
    }
    if dir(".ssh") {
        return Some("SSH keys");
    }
    if dir(".aws") {
        return Some("AWS credentials");
    }
    if dir(".git") {
        return Some("the git repository, with its history and any credentials in its config");
    }
    if dir(".docker") && name == "config.json" {
        return Some("registry credentials");
    }
    if name == "kubeconfig" || (dir(".kube") && name == "config") {
        return Some("Kubernetes credentials");
    }
    if matches!(name, "credentials" | "credentials.json") {
        return Some("credentials");
    }
    if matches!(name, ".npmrc" | ".pypirc" | ".netrc") {
        return Some("a file with registry tokens");
    }
    if name.ends_with(".p12") || name.ends_with(".pfx") {
        return Some("a PKCS#12 key store");
    }
    if name.ends_with(".key") {
        let public_dest = [".pub", ".asc", ".gpg"].iter().any(|e| dest.to_ascii_lowercase().ends_with(e));
        let public_name = ["pub", "gpg", "pgp", "signing", "release"].iter().any(|w| name.contains(w));
        return (!public_dest && !public_name).then_some("a private key");
    }
    if name.ends_with(".pem") {
        // Certificates are public; keys are not.
        let cert = ["cert", "crt", "ca.", "ca-", "ca_", "chain", "bundle", "pub", "root", "trust"].iter().any(|w| name.contains(w));
        return (!cert || name.contains("key")).then_some("a private key");
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF020", "FROM node:20\nCOPY .npmrc package.json /app/\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 6, 12));
        assert!(d[0].message.contains("`.npmrc`"), "{}", d[0].message);
        assert_eq!(d.len(), 1);
        assert_fires("DF020", "FROM node:20\nCOPY .env /app/.env\n");
        assert_fires("DF020", "FROM node:20\nCOPY .env.production /app/\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY id_rsa /root/.ssh/id_rsa\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY --chown=app:app \\\n    .ssh/ /home/app/.ssh/\n");
        assert_fires("DF020", "FROM alpine:3.20\nADD certs/server.key /etc/ssl/private/\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY [\"tls/privkey.pem\", \"/etc/ssl/\"]\n");
        assert_fires("DF020", "FROM python:3.12\nCOPY credentials.json .pypirc /root/\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY .aws /root/.aws\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY .git/ /src/.git/\n");
        assert_fires("DF020", "FROM alpine:3.20\nCOPY .docker/config.json /root/.docker/\n");
        assert_fires("DF020", "FROM bitnami/kubectl\nCOPY kubeconfig /root/.kube/config\n");
        assert_fires("DF020", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY cert.pfx /https/\n");
        assert_fires("DF020", "FROM alpine:3.20\nONBUILD COPY .netrc /root/\n");
        let d = assert_fires(
            "DF020",
            "FROM alpine:3.20 AS keys\nRUN ssh-keygen -f /id_ed25519\nFROM alpine:3.20\nCOPY --from=keys /id_ed25519 /root/\n",
        );
        assert!(d[0].message.contains("from `keys`"));
    }

    #[test]
    fn silent() {
        assert_silent("DF020", "FROM node:20\nCOPY package.json package-lock.json /app/\n");
        assert_silent("DF020", "FROM node:20\nCOPY .env.example /app/.env\n");
        assert_silent(
            "DF020",
            "FROM mcr.microsoft.com/devcontainers/base\nCOPY library-scripts/*.sh library-scripts/*.env /tmp/library-scripts/\n",
        );
        assert_silent("DF020", "FROM jenkins/jenkins\nCOPY jenkins.io-2026.key /war/jenkins-key.pub\n");
        assert_silent("DF020", "FROM nginx:1.27\nCOPY certs/fullchain.pem certs/ca.pem /etc/nginx/certs/\n");
        assert_silent("DF020", "FROM alpine:3.20\nCOPY .gitignore .dockerignore id_rsa.pub /src/\n");
        assert_silent("DF020", "FROM alpine:3.20\nADD https://download.example.com/repo/Release.key /etc/apt/trusted.gpg.d/x.asc\n");
        assert_silent("DF020", "FROM alpine:3.20\nCOPY <<EOF /etc/app.env\nA=1\nEOF\n");
        assert_silent("DF020", "FROM alpine:3.20\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n");
    }
}
