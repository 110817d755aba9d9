//! DF021 `copy-all-unignored`: The whole build context is copied without a .dockerignore that excludes secrets.

use crate::Context;
use crate::dockerfile::ast::Keyword;
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `COPY . <dest>` / `ADD ./ <dest>` (a source that is the whole build
    /// context) when there is no `.dockerignore` beside the Dockerfile, or
    /// when the `.dockerignore` does not exclude `.git`, `.env*`, `*.pem`,
    /// `*.key`, `id_rsa*`, `.npmrc` and `credentials*`. The `.dockerignore`
    /// is read as Docker reads it: `#` comments, `!` re-includes (last match
    /// wins), `*`, `?`, `**` and `[…]`, patterns anchored at the context root
    /// (so `*.pem` covers the root only; `**/*.pem` covers every directory).
    /// `COPY --from=…` copies from a stage or image, not the context, and is exempt.
    /// ## Why it matters
    /// `COPY . .` takes whatever is in the working tree: the git history,
    /// local `.env` files, keys and registry tokens. Once in a layer they
    /// ship with the image (CIS Docker Benchmark 4.10; hardening guide
    /// stage 2.6; NIST 800-53 SC-28, CM-7).
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// WORKDIR /app
    /// COPY . .
    /// ```
    /// ## Fix
    /// Add a `.dockerignore` with at least `.git`, `.env*`, `**/*.pem`,
    /// `**/*.key`, `**/id_rsa*`, `.npmrc`, `**/credentials*`, or start it with `*` and
    /// re-include only what the build needs (`!src`, `!package.json`).
    code = "DF021",
    name = "copy-all-unignored",
    level = Warning,
    summary = "The whole build context is copied without a .dockerignore that excludes secrets",
}

/// What a `.dockerignore` must exclude, with paths that stand for it.
const MUST_EXCLUDE: &[(&str, &[&str])] = &[
    (".git", &[".git", ".git/config"]),
    (".env*", &[".env", ".env.local"]),
    ("*.pem", &["server.pem"]),
    ("*.key", &["server.key"]),
    ("id_rsa*", &["id_rsa"]),
    (".npmrc", &[".npmrc"]),
    ("credentials*", &["credentials", "credentials.json"]),
];

pub(crate) fn check(cx: &Context<'_>) {
    let escape = cx.model.file.escape;
    let missing: Option<Vec<&str>> = cx.dockerignore.map(|text| {
        let patterns = read_dockerignore(text);
        MUST_EXCLUDE.iter().filter(|(_, paths)| paths.iter().any(|p| !excluded(&patterns, p))).map(|(name, _)| *name).collect()
    });
    if missing.as_ref().is_some_and(|m| m.is_empty()) {
        return;
    }
    for (_, ins) in super::secret_in_config::with_onbuild(cx.model) {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        let ws = words::split(&ins.args, escape);
        let Some((dest, srcs)) = ws.split_last() else { continue };
        let Some(src) = srcs.iter().find(|w| w.text == "." || w.text == "./") else { continue };
        let span = ins.args_span(src.start, src.end);
        let copy = format!("{} {} {}", ins.keyword.as_str(), src.text, dest.text);
        match &missing {
            None => cx.report_with_help(
                &META,
                span,
                format!("`{copy}` copies the whole build context and there is no .dockerignore beside this Dockerfile: `.git`, `.env` files and keys go into the image"),
                "add a .dockerignore excluding at least `.git`, `.env*`, `**/*.pem`, `**/*.key`, `**/id_rsa*`, `.npmrc`, `**/credentials*`",
            ),
            Some(m) => cx.report_with_help(
                &META,
                span,
                format!(
                    "`{copy}` copies the whole build context and the .dockerignore does not exclude {}",
                    m.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                ),
                format!("add {} to .dockerignore", m.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")),
            ),
        }
    }
}

/// One `.dockerignore` line: the cleaned pattern and whether it is a `!` re-include.
struct Pattern {
    glob: Vec<char>,
    /// Number of path components in the pattern (for parent-directory matches).
    dirs: usize,
    negated: bool,
}

/// Reads a `.dockerignore` the way Docker does: comments, blank lines,
/// `!`, `filepath.Clean`, a leading `/` removed.
fn read_dockerignore(text: &str) -> Vec<Pattern> {
    let mut out = Vec::new();
    for line in text.trim_start_matches('\u{feff}').lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut p = line.trim();
        if p.is_empty() {
            continue;
        }
        let negated = p.starts_with('!');
        if negated {
            p = p[1..].trim();
        }
        let cleaned = clean(p);
        if cleaned == "." {
            continue;
        }
        let dirs = cleaned.split('/').count();
        out.push(Pattern { glob: cleaned.chars().collect(), dirs, negated });
    }
    out
}

/// Go's `filepath.Clean` for slash paths (a backslash is an escape, as on Linux),
/// then the leading `/` dropped.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() { ".".to_owned() } else { parts.join("/") }
}

/// Whether `path` (relative to the context root) is excluded: the last
/// pattern that matches it or one of its parent directories decides.
fn excluded(patterns: &[Pattern], path: &str) -> bool {
    let path_chars: Vec<char> = path.chars().collect();
    let parts: Vec<&str> = path.split('/').collect();
    let mut matched = false;
    for p in patterns {
        if p.negated != matched {
            continue;
        }
        let mut hit = glob(&p.glob, &path_chars);
        if !hit && parts.len() > 1 && p.dirs < parts.len() {
            let parent: Vec<char> = parts[..p.dirs].join("/").chars().collect();
            hit = glob(&p.glob, &parent);
        }
        if hit {
            matched = !p.negated;
        }
    }
    matched
}

/// Docker's pattern syntax: `*` (not `/`), `?`, `**` (any number of
/// directories), `[…]` classes, `\` escapes; the whole path must match.
fn glob(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => {
            let mut rest = &p[2..];
            if rest.first() == Some(&'/') {
                rest = &rest[1..];
            }
            if rest.is_empty() {
                return true;
            }
            // `(.*/)?`: zero or more leading directories.
            glob(rest, s) || (0..s.len()).any(|i| s[i] == '/' && glob(rest, &s[i + 1..]))
        }
        Some('*') => {
            let mut i = 0;
            loop {
                if glob(&p[1..], &s[i..]) {
                    return true;
                }
                if i >= s.len() || s[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Some('?') => s.first().is_some_and(|&c| c != '/') && glob(&p[1..], &s[1..]),
        Some('[') => match class(&p[1..]) {
            Some((matches, len)) => s.first().is_some_and(|&c| c != '/' && matches(c)) && glob(&p[1 + len..], &s[1..]),
            None => s.first() == Some(&'[') && glob(&p[1..], &s[1..]),
        },
        Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob(&p[2..], &s[1..]),
        Some(&c) => s.first() == Some(&c) && glob(&p[1..], &s[1..]),
    }
}

/// A `[…]` class after the `[`: a matcher and the length through `]`.
fn class(p: &[char]) -> Option<(impl Fn(char) -> bool, usize)> {
    let negate = matches!(p.first(), Some('!' | '^'));
    let start = usize::from(negate);
    let close = p.iter().skip(start + 1).position(|&c| c == ']').map(|i| i + start + 1)?;
    let body: Vec<char> = p[start..close].to_vec();
    let f = move |c: char| {
        let mut i = 0;
        let mut hit = false;
        while i < body.len() {
            if i + 2 < body.len() && body[i + 1] == '-' {
                hit |= body[i] <= c && c <= body[i + 2];
                i += 3;
            } else {
                hit |= body[i] == c;
                i += 1;
            }
        }
        hit != negate
    };
    Some((f, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF021", "FROM node:20\nWORKDIR /app\nCOPY . .\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 6, 7));
        assert!(d[0].message.contains("no .dockerignore"), "{}", d[0].message);
        let d = assert_fires_with(
            "DF021",
            "FROM node:20\nCOPY --chown=node:node \\\n    ./ /app\n",
            &Settings::default(),
            Some(".git\n.env*\n"),
        );
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("`*.pem`, `*.key`, `id_rsa*`, `.npmrc`, `credentials*`"), "{}", d[0].message);
        assert!(!d[0].message.contains("`.git`"));
        assert_fires_with("DF021", "FROM golang:1.22\nADD . /src\n", &Settings::default(), Some("# build output\nbin/\n"));
        // A later `!` re-includes.
        let d = assert_fires_with(
            "DF021",
            "FROM python:3.12\nCOPY . /app\n",
            &Settings::default(),
            Some(".git\n.env*\n*.pem\n*.key\nid_rsa*\n.npmrc\ncredentials*\n!.env.local\n"),
        );
        assert!(d[0].message.ends_with("does not exclude `.env*`"), "{}", d[0].message);
        assert_fires("DF021", "FROM node:20\nONBUILD COPY . /app\n");
    }

    #[test]
    fn silent() {
        let all = ".git\n.env*\n*.pem\n*.key\nid_rsa*\n.npmrc\ncredentials*\n";
        let s = Settings::default();
        assert_silent_with("DF021", "FROM node:20\nCOPY . .\n", &s, Some(all));
        assert_silent_with("DF021", "FROM node:20\nCOPY . .\n", &s, Some("# allow-list\n*\n!src\n!package.json\n"));
        assert_silent_with(
            "DF021",
            "FROM node:20\nCOPY . .\n",
            &s,
            Some("/.git/\n**/.env*\n**/*.pem\n**/*.key\n**/id_rsa*\n./.npmrc\n**/credentials*\n"),
        );
        assert_silent("DF021", "FROM node:20\nCOPY package.json src/ /app/\n");
        assert_silent("DF021", "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build . /\n");
        assert_silent("DF021", "FROM node:20\nCOPY [\"package.json\", \"./\"]\n");
    }

    #[test]
    fn dockerignore_matching() {
        let p = read_dockerignore("*\n!src\n**/*.md\n!README.md\n# c\n  /build/  \n");
        assert!(excluded(&p, ".git"));
        assert!(!excluded(&p, "src"));
        assert!(!excluded(&p, "src/main.rs"));
        assert!(excluded(&p, "src/doc/x.md"));
        assert!(!excluded(&p, "README.md"));
        assert!(excluded(&p, "build/out"));
        let p = read_dockerignore("[abc].txt\nsecret?\n\\*lit\n");
        assert!(excluded(&p, "b.txt") && !excluded(&p, "d.txt"));
        assert!(excluded(&p, "secret1") && !excluded(&p, "secret/x1"));
        assert!(excluded(&p, "*lit") && !excluded(&p, "xlit"));
        for hostile in ["[", "[!", "**", "***/", "\\", "!", "!!", "../../x", "[z-a]"] {
            let p = read_dockerignore(hostile);
            let _ = excluded(&p, ".git/config");
        }
    }
}
