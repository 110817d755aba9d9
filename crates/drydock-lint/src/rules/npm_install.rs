//! DF017 `npm-install`: npm install where npm ci is meant.

use crate::Context;
use crate::dockerfile::shell::ShellWord;
use crate::rules::shared::{Invocation, argv, base, list, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// `npm install` (or `npm i`) with no package arguments, which installs
    /// from package.json and may rewrite the lock file where `npm ci`
    /// installs exactly what package-lock.json says; and `npm install`
    /// of named packages without a version (`npm install -g typescript`,
    /// `pkg@latest`). Local paths, tarballs and git URLs are not checked.
    /// ## Why it matters
    /// `npm install` resolves semver ranges anew, so two builds of one
    /// commit can ship different dependency trees, and a freshly published
    /// malicious version gets in without anyone changing a line. Hardening
    /// guide stage 2.5 (pin build dependencies); NIST 800-53 CM-2, SA-10,
    /// SI-7.
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json ./
    /// RUN npm install
    /// RUN npm install -g pm2
    /// ```
    /// ## Fix
    /// `RUN npm ci --omit=dev` (commit package-lock.json), and pin global
    /// tools: `npm install -g pm2@5.4.2`.
    code = "DF017",
    name = "npm-install",
    level = Info,
    summary = "npm install where npm ci is meant",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for cmd in script.commands.iter() {
            let words = argv(cmd);
            if words.first().is_none_or(|w| base(&w.text) != "npm") {
                continue;
            }
            let inv = Invocation::parse(words, true, &|o| {
                matches!(
                    o,
                    "--prefix"
                        | "--registry"
                        | "--cache"
                        | "--loglevel"
                        | "-w"
                        | "--workspace"
                        | "--omit"
                        | "--include"
                        | "--tag"
                        | "--userconfig"
                        | "-C"
                )
            });
            let Some(sub) = inv.sub else { continue };
            if !matches!(
                sub.text.as_str(),
                "install" | "i" | "in" | "ins" | "inst" | "insta" | "instal" | "isnt" | "isnta" | "isntal" | "isntall" | "add"
            ) {
                continue;
            }
            let global = inv.opts.iter().any(|o| {
                matches!(o.word.text.as_str(), "-g" | "--global" | "--global=true" | "--location=global")
                    || (o.name() == "--location" && o.arg() == Some("global"))
            });
            if inv.operands.is_empty() {
                if !global {
                    cx.report_with_help(
                        &META,
                        script.words_span(&words[0], sub),
                        format!("`npm {}` installs from package.json and can resolve different versions on every build", sub.text),
                        "use `npm ci` (add `--omit=dev` for production), which installs exactly what package-lock.json records",
                    );
                }
                continue;
            }
            let unpinned: Vec<&ShellWord> =
                inv.operands.iter().copied().filter(|w| !w.dynamic && is_registry_package(&w.text) && !has_version(&w.text)).collect();
            let (Some(first), Some(last)) = (unpinned.first(), unpinned.last()) else { continue };
            let names: Vec<String> = unpinned.iter().map(|w| w.text.clone()).collect();
            let example = names[0].trim_end_matches("@latest");
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!(
                    "{} of {} without a pinned version: {}",
                    if global { "global install" } else { "install" },
                    if names.len() == 1 { "a package" } else { "packages" },
                    list(&names)
                ),
                format!("pin it: `npm install{} {example}@<version>`", if global { " -g" } else { "" }),
            );
        }
    }
}

/// A package from the registry, not a path, tarball or git/URL spec.
fn is_registry_package(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    !(l.is_empty()
        || l.starts_with('.')
        || l.starts_with('/')
        || l.starts_with('~')
        || l.starts_with("file:")
        || l.starts_with("git")
        || l.starts_with("github:")
        || l.starts_with("npm:")
        || l.contains("://")
        || l.ends_with(".tgz")
        || l.ends_with(".tar.gz")
        || (l.contains('/') && !l.starts_with('@')))
}

/// `pkg@1.2.3`, `@scope/pkg@^2` (but not `pkg@latest`, `pkg@next`, `@scope/pkg`).
fn has_version(t: &str) -> bool {
    let rest = t.strip_prefix('@').unwrap_or(t);
    match rest.split_once('@') {
        Some((_, v)) => !matches!(v, "" | "latest" | "next" | "*" | "x"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF017", "FROM node:20\nCOPY package*.json ./\nRUN npm install\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 5, 16));
        assert!(d[0].message.starts_with("`npm install` installs from package.json"), "{}", d[0].message);
        assert_fires("DF017", "FROM node:20\nRUN npm i --omit=dev && npm cache clean --force\n");
        assert_fires("DF017", "FROM node:20\nRUN npm --prefix /app install --production\n");
        let d = assert_fires("DF017", "FROM node:20\nRUN npm install -g pm2 typescript@5.5.4 @angular/cli\n");
        assert!(d[0].message.starts_with("global install of packages without a pinned version: `pm2`, `@angular/cli`"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some("pin it: `npm install -g pm2@<version>`"));
        assert_fires("DF017", "FROM node:20\nRUN npm install --global npm@latest\n");
        assert_fires("DF017", "FROM node:20\nRUN npm install express\n");
        assert_fires("DF017", "FROM node:20\nRUN <<EOF\nnpm install\nEOF\n");
        assert_fires("DF017", "FROM node:20\nRUN [\"npm\", \"install\"]\n");
        assert_fires("DF017", "FROM node:20\nONBUILD RUN npm install\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM node:20\nRUN npm ci --omit=dev\n",
            "FROM node:20\nRUN npm install -g pm2@5.4.2 @angular/cli@18.1.0 typescript@~5.5\n",
            "FROM node:20\nRUN npm install ./packages/core /tmp/lib-1.0.0.tgz git+https://github.com/x/y.git\n",
            "FROM node:20\nRUN npm install -g\n",
            "FROM node:20\nRUN npm run build && npm test && npm cache clean --force\n",
            "FROM node:20\nRUN npm install -g \"$PKG\"\n",
            "FROM node:20\nRUN yarn install --frozen-lockfile\n",
        ] {
            assert_silent("DF017", src);
        }
    }
}
