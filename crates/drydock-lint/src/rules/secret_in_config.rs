//! DF019 `secret-in-config`: A secret is written into ENV, ARG or LABEL.

use crate::Context;
use crate::dockerfile::Model;
use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `ENV`, `ARG` and `LABEL` pairs whose key names a secret (`PASSWORD`, `PASS`,
    /// `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `CREDENTIALS`, `AUTH`, `*_KEY`…)
    /// with a literal value (not only `$VAR`), placeholders like `changeme` included;
    /// and any value shaped like a credential: AWS key id, GitHub / GitLab / Slack /
    /// Stripe / npm token, JWT, private key block, URL with `user:password@`.
    /// Exempt: public key material (`GPG_KEY`, `*_KEY_ID`, `PUBLIC_KEY`, `*_KEYS`,
    /// signing-key fingerprints), paths, booleans, a plain word under a generic
    /// `*_KEY`. A bare `ARG NAME` is fine, but its build-time value still shows in
    /// `docker history`. Messages show at most 4 characters of the value.
    /// ## Why it matters
    /// ENV and LABEL values live in the image config, ARG values in its history:
    /// anyone who can pull the image reads them (CIS Docker Benchmark 4.10;
    /// hardening guide stage 2.6; NIST 800-53 IA-5, SC-28).
    /// ## Example
    /// ```dockerfile
    /// ENV DB_PASSWORD=hunter2hunter2
    /// ```
    /// ## Fix
    /// Remove the value and rotate it; use `RUN --mount=type=secret,id=…` at build
    /// time and the orchestrator's secret store at run time.
    code = "DF019",
    name = "secret-in-config",
    level = Error,
    summary = "A secret is written into ENV, ARG or LABEL",
}

pub(crate) fn check(cx: &Context<'_>) {
    let escape = cx.model.file.escape;
    for (_, ins) in with_onbuild(cx.model) {
        let what = match ins.keyword {
            Keyword::Env => "ENV",
            Keyword::Arg => "ARG",
            Keyword::Label => "LABEL",
            _ => continue,
        };
        let legacy = ins.keyword == Keyword::Env && {
            let ws = words::split(&ins.args, escape);
            ws.len() > 1 && ws.first().is_some_and(|w| !w.text.contains('='))
        };
        for (key, value) in words::pairs(&ins.args, escape, ins.keyword == Keyword::Env) {
            let Some(raw) = value else { continue };
            let raw = if legacy { words::split(&raw, escape).into_iter().map(|w| w.text).collect::<Vec<_>>().join(" ") } else { raw };
            // Only the literal part counts: `$VAR` / `${VAR}` come from outside.
            let (literal, _) = words::expand(&raw, escape, &|_| None);
            let literal = literal.trim();
            let span = ins.args_span(key.start, key.end);
            let stored = match ins.keyword {
                Keyword::Arg => "build args are recorded in the image history (`docker history`)",
                _ => "it is stored in the image config, readable by anyone who can pull the image (`docker inspect`)",
            };
            let help = "remove the value and rotate it; use `RUN --mount=type=secret,id=…` at build time and the orchestrator's secret store at run time";
            if let Some((kind, start, end)) = credential_shape(literal) {
                let shown = literal.get(start..end).map(redact).unwrap_or_else(|| "…".to_owned());
                cx.report_with_help(&META, span, format!("{what} `{}` holds what looks like {kind} (`{shown}`): {stored}", key.text), help);
            } else if match secret_key(&key.text) {
                KeyKind::Secret => is_secret_literal(&key.text, literal),
                KeyKind::Generic => is_secret_literal(&key.text, literal) && looks_like_key_material(literal),
                KeyKind::NotSecret => false,
            } {
                cx.report_with_help(
                    &META,
                    span,
                    format!("{what} `{}` sets a literal secret (`{}`): {stored}", key.text, redact(literal)),
                    help,
                );
            }
        }
    }
}

/// Every instruction with its index, and for `ONBUILD X` also the `X` it
/// registers (with the ONBUILD's index).
pub(crate) fn with_onbuild(model: &Model) -> impl Iterator<Item = (usize, &Instruction)> {
    model
        .file
        .instructions
        .iter()
        .enumerate()
        .flat_map(|(i, ins)| std::iter::once((i, ins)).chain(ins.onbuild.as_deref().map(|inner| (i, inner))))
}

/// At most the first 4 characters of a secret, and only when it is long
/// enough that they give nothing away.
pub(crate) fn redact(value: &str) -> String {
    if value.chars().count() >= 8 { format!("{}…", value.chars().take(4).collect::<String>()) } else { "…".to_owned() }
}

/// `DB_PASSWORD`, `apiKey`, `AWS_SECRET_ACCESS_KEY` -> lower-case words.
fn key_tokens(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // camelCase and `APIKey` boundaries.
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase()) && next.is_some_and(|n| n.is_ascii_lowercase())));
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Key words that say the value is about a secret but is not one (a path
/// to it, its length, a switch…).
const NOT_A_VALUE: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "url",
    "uri",
    "version",
    "ver",
    "length",
    "len",
    "type",
    "method",
    "mode",
    "enabled",
    "enable",
    "disabled",
    "host",
    "hostname",
    "port",
    "user",
    "username",
    "name",
    "id",
    "ids",
    "server",
    "keyserver",
    "keyservers",
    "ring",
    "keyring",
    "keys",
    "fingerprint",
    "fingerprints",
    "fpr",
    "required",
    "policy",
    "plugin",
    "provider",
    "header",
    "endpoint",
    "realm",
    "scope",
    "location",
    "format",
    "size",
    "algorithm",
    "alg",
    "bits",
    "expiry",
    "expires",
    "ttl",
    "timeout",
    "min",
    "max",
    "prompt",
    "hint",
    "pattern",
    "helper",
    "command",
    "cmd",
    "script",
    "store",
    "env",
    "var",
    "source",
    "src",
];
const FLAG_FIRST: &[&str] = &["allow", "enable", "disable", "use", "require", "skip", "no", "with", "without", "is", "has"];
const PUBLIC: &[&str] = &["gpg", "pgp", "gnupg", "gpgkey", "gpgkeys", "public", "pub", "keyring", "keyserver", "fingerprint"];
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "passphrase",
    "pw",
    "secret",
    "secrets",
    "token",
    "apikey",
    "apitoken",
    "authtoken",
    "accesskey",
    "secretkey",
    "privatekey",
    "credentials",
    "credential",
    "creds",
    "auth",
];

/// Words that make `<word>_KEY` a secret whatever its value looks like.
const SECRET_KEY_KINDS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "license",
    "licence",
    "encryption",
    "enc",
    "master",
    "client",
    "app",
    "service",
    "account",
    "session",
    "signing",
    "hmac",
    "jwt",
    "aes",
    "crypto",
    "cipher",
    "ssh",
    "tls",
    "ssl",
];

/// How sure the key name is that its value is a secret.
#[derive(Clone, Copy, PartialEq)]
enum KeyKind {
    NotSecret,
    /// A generic `*_KEY` (`Filters__0__Key` is a config path in .NET): the
    /// value must also look like key material, not a plain word.
    Generic,
    Secret,
}

fn secret_key(key: &str) -> KeyKind {
    let t = key_tokens(key);
    let (Some(first), Some(last)) = (t.first(), t.last()) else { return KeyKind::NotSecret };
    if NOT_A_VALUE.contains(&last.as_str()) || FLAG_FIRST.contains(&first.as_str()) || t.iter().any(|w| PUBLIC.contains(&w.as_str())) {
        return KeyKind::NotSecret;
    }
    if t.iter().any(|w| SECRET_WORDS.contains(&w.as_str()) || (w == "pwd" && t.len() > 1)) {
        return KeyKind::Secret;
    }
    if last == "key" && t.len() > 1 {
        let before = t.get(t.len() - 2).map(String::as_str).unwrap_or("");
        return if SECRET_KEY_KINDS.contains(&before) { KeyKind::Secret } else { KeyKind::Generic };
    }
    KeyKind::NotSecret
}

/// Key material rather than a word: has a digit or symbol, or is long.
fn looks_like_key_material(v: &str) -> bool {
    v.len() >= 20 || !v.chars().all(|c| c.is_ascii_alphabetic())
}

/// A literal worth reporting under a secret-looking key: not a path or URL
/// (a reference to the secret), not a boolean, not punctuation only, not a
/// signing key's fingerprint.
fn is_secret_literal(key: &str, v: &str) -> bool {
    if !v.chars().any(|c| c.is_alphanumeric()) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil" | "enabled" | "disabled") {
        return false;
    }
    let b = v.as_bytes();
    let windows_path = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/');
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") || windows_path || scheme_end(v).is_some() {
        return false;
    }
    if key_tokens(key).iter().any(|t| t == "signing") && is_fingerprint_list(v) {
        return false;
    }
    true
}

/// `0xABCD…` or `ABCD EF01 …`: one or more OpenPGP key ids / fingerprints.
fn is_fingerprint_list(v: &str) -> bool {
    v.split([' ', ',']).filter(|s| !s.is_empty()).all(|s| {
        let s = s.strip_prefix("0x").unwrap_or(s);
        s.chars().all(|c| c.is_ascii_hexdigit()) && matches!(s.len(), 4 | 8 | 16 | 40)
    })
}

/// Offset just after `scheme://`, when `v` starts with a URL.
fn scheme_end(v: &str) -> Option<usize> {
    let i = v.find("://")?;
    let scheme = &v[..i];
    (!scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)))
    .then_some(i + 3)
}

/// What kind of credential `v` contains, and where.
fn credential_shape(v: &str) -> Option<(&'static str, usize, usize)> {
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    let upper_digit = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let dashed = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let slack = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    type Shape = (&'static str, &'static [&'static str], fn(u8) -> bool, usize, Option<usize>);
    let shapes: [Shape; 8] = [
        ("an AWS access key id", &["AKIA", "ASIA"], upper_digit, 16, Some(16)),
        ("a GitHub token", &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], alnum, 36, None),
        ("a GitHub token", &["github_pat_"], word, 22, None),
        ("a GitLab token", &["glpat-"], dashed, 20, None),
        ("a Slack token", &["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"], slack, 10, None),
        ("a Stripe live key", &["sk_live_", "rk_live_"], alnum, 10, None),
        ("an npm token", &["npm_"], alnum, 36, None),
        ("a JSON Web Token", &["eyJ"], dashed, 10, None),
    ];
    let b = v.as_bytes();
    for (kind, prefixes, body, min, exact) in shapes {
        for prefix in prefixes {
            let mut from = 0;
            while let Some(p) = v.get(from..).and_then(|s| s.find(prefix)).map(|p| p + from) {
                from = p + prefix.len();
                if p > 0 && word(b[p - 1]) {
                    continue;
                }
                let mut end = from;
                while end < b.len() && body(b[end]) {
                    end += 1;
                }
                let run = end - from;
                let boundary = end >= b.len() || !b[end].is_ascii_alphanumeric();
                if run < min || exact.is_some_and(|n| run != n || !boundary) {
                    continue;
                }
                if kind == "a JSON Web Token" {
                    // header.payload.signature, both of the first two base64url JSON.
                    let rest = &v[end..];
                    let Some(payload) = rest.strip_prefix(".eyJ") else { continue };
                    let plen = payload.bytes().take_while(|&c| dashed(c)).count();
                    if plen < 10 || !payload[plen..].starts_with('.') {
                        continue;
                    }
                    let sig_start = end + 4 + plen + 1;
                    let slen = b.get(sig_start..).map(|s| s.iter().take_while(|&&c| dashed(c)).count()).unwrap_or(0);
                    return Some((kind, p, sig_start + slen));
                }
                return Some((kind, p, end));
            }
        }
    }
    if let Some(start) = v.find("-----BEGIN")
        && v[start..].contains("PRIVATE KEY-----")
    {
        return Some(("a private key", start, v.len()));
    }
    url_with_password(v).map(|(s, e)| ("a URL with an embedded password", s, e))
}

/// `scheme://user:password@host` anywhere in `v`: the URL's range.
fn url_with_password(v: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = v.get(from..).and_then(|s| s.find("://")).map(|p| p + from) {
        from = i + 3;
        let start = v[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c))).map(|p| p + 1).unwrap_or(0);
        if start == i {
            continue;
        }
        let rest = &v[i + 3..];
        let auth_len = rest.find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace()).unwrap_or(rest.len());
        let authority = &rest[..auth_len];
        let Some((userinfo, host)) = authority.rsplit_once('@') else { continue };
        let Some((_, password)) = userinfo.split_once(':') else { continue };
        if !password.is_empty() && !host.is_empty() && password.chars().any(|c| c.is_alphanumeric()) {
            return Some((start, i + 3 + auth_len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF019", "FROM alpine:3.20\nENV DB_PASSWORD=hunter2hunter2\n");
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert!(d[0].message.contains("`DB_PASSWORD`") && d[0].message.contains("`hunt…`"), "{}", d[0].message);
        assert!(!d[0].message.contains("hunter2"), "the secret must be redacted");
        // Legacy form, quoted.
        assert_fires("DF019", "FROM mcr.microsoft.com/mssql/server\nENV sa_password \"Password123\"\n");
        // Placeholders ship in the image too.
        assert_fires("DF019", "FROM alpine:3.20\nENV API_KEY=changeme\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV apiKey=abc123def456 clientSecret=s3cr3tvalue\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV SECRET_KEY_BASE=0123456789abcdef\n");
        assert_eq!(assert_fires("DF019", "FROM alpine:3.20\nENV STRIPE_KEY=abc123 API_KEY=hunter\n").len(), 2);
        // ARG defaults are recorded in the history.
        let d = assert_fires("DF019", "ARG GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz\nFROM alpine:3.20\n");
        assert!(
            d[0].message.contains("GitHub token") && d[0].message.contains("`ghp_…`") && d[0].message.contains("docker history"),
            "{}",
            d[0].message
        );
        // Token shapes under any key, multi-line.
        let d = assert_fires("DF019", "FROM alpine:3.20\nENV REGION=us-east-1 \\\n    AWS_ID=AKIAIOSFODNN7EXAMPLE\n");
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("AWS access key id"));
        assert_fires("DF019", "FROM alpine:3.20\nLABEL ci.hook=\"xoxb-123456789012-abcdefghijkl\"\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV CI=glpat-abcdefghij0123456789\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV NPM=npm_0123456789abcdefghijklmnopqrstuvwxyz\n");
        assert_fires("DF019", "FROM alpine:3.20\nENV PAY=sk_live_0123456789abcdef\n");
        assert_fires(
            "DF019",
            "FROM alpine:3.20\nENV SESSION=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n",
        );
        assert_fires("DF019", "FROM alpine:3.20\nENV KEY=\"-----BEGIN RSA PRIVATE KEY-----MIIE\"\n");
        let d = assert_fires("DF019", "FROM python:3.12\nENV DATABASE_URL=postgres://app:s3cretpw@db:5432/app\n");
        assert!(d[0].message.contains("URL with an embedded password") && !d[0].message.contains("s3cretpw"));
        assert_fires("DF019", "FROM alpine:3.20\nONBUILD ENV REGISTRY_PASSWORD=letmein99\n");
        assert_fires("DF019", "FROM alpine:3.20\nARG NPM_TOKEN=${CI_TOKEN:-fallbacktoken}\n");
    }

    #[test]
    fn silent() {
        // Public key material.
        assert_silent("DF019", "FROM python:3.12\nENV GPG_KEY 0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D\n");
        assert_silent(
            "DF019",
            "FROM node:20\nENV GPG_KEYS 4ED778F539E3634C779C87C6D7062848A1AB005C 141F07595B7B3FFE74309A937405533BE57C7D57\n",
        );
        assert_silent("DF019", "ARG SWIFT_SIGNING_KEY=A62AE125BBBFBB96A6E042EC925CC1CCED3D1561\nFROM ubuntu:24.04\n");
        assert_silent("DF019", "FROM rabbitmq\nENV RABBITMQ_PGP_KEY_ID=0x0A9AF2115F4687BD29803A206B73A36E6026DFCA\n");
        assert_silent(
            "DF019",
            "FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID_FILE=/run/secrets/id PUBLIC_KEY=ssh-ed25519 NGINX_KEY_URL=https://nginx.org/keys/x.key\n",
        );
        // Values from outside, references and switches.
        assert_silent("DF019", "FROM alpine:3.20\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN DB_PASSWORD=${DB_PASSWORD}\n");
        assert_silent("DF019", "FROM bitnami/minideb\nENV ALLOW_EMPTY_PASSWORD=\"no\" POSTGRES_PASSWORD_FILE=/run/secrets/pg\n");
        assert_silent(
            "DF019",
            "FROM mcr.microsoft.com/windows/servercore\nENV sa_password=\"_\" sa_password_path=\"C:\\ProgramData\\Docker\\secrets\\sa-password\"\n",
        );
        assert_silent("DF019", "FROM alpine:3.20\nARG GKE_AUTH_PLUGIN_VERSION=0.1\nARG SECRETFILE=\"secret1.txt\"\n");
        assert_silent("DF019", "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\n");
        assert_silent("DF019", "FROM alpine:3.20\nENV MIRROR=https://user@mirror.example.com/ PROXY=http://${U}:${P}@proxy:3128\n");
        assert_silent("DF019", "FROM alpine:3.20\nENV PWD=/app KEY=value\n");
        assert_silent("DF019", "FROM mcr.microsoft.com/dotnet/runtime\nENV DefaultProcess__Filters__0__Key=ProcessId SORT_KEY=name\n");
        assert_silent("DF019", "FROM alpine:3.20\nRUN echo PASSWORD=abc\n");
    }
}
