//! DF016 `pip-unpinned`: pip install without pinned versions.

use crate::Context;
use crate::dockerfile::shell::ShellWord;
use crate::rules::pip_no_cache_dir::{env_set, pip_install};
use crate::rules::shared::{list, scripts};

crate::declare_rule! {
    /// ## What it checks
    /// Requirements named on the `pip install` command line without a
    /// version specifier (`flask` rather than `flask==3.0.3`; `>=`, `~=`,
    /// `<` and direct references `pkg @ url` count as specified).
    /// Requirement files (`-r`), local paths, archives, URLs and editable
    /// installs are not checked, nor is upgrading pip itself
    /// (`pip install --upgrade pip`); a constraints file (`-c`, or
    /// `PIP_CONSTRAINT`) silences the command.
    /// ## Why it matters
    /// An unpinned requirement resolves to the newest release on build day,
    /// so the same Dockerfile yields different code, and a hijacked or
    /// broken release goes straight into the image. Hardening guide stage
    /// 2.5 (pin build dependencies); NIST 800-53 CM-2, SA-10, SI-7.
    /// ## Example
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask gunicorn
    /// ```
    /// ## Fix
    /// Pin (`flask==3.0.3`), or better, install from a lock file with
    /// hashes: `pip install --no-cache-dir --require-hashes -r requirements.txt`.
    code = "DF016",
    name = "pip-unpinned",
    level = Warning,
    summary = "pip install without pinned versions",
}

pub(crate) fn check(cx: &Context<'_>) {
    for script in scripts(cx) {
        for (i, cmd) in script.commands.iter().enumerate() {
            let Some(pip) = pip_install(cmd) else { continue };
            if pip.inv.has(&["-c", "--constraint"]) || env_set(cx, script.index, &script.commands[..=i], "PIP_CONSTRAINT") {
                continue;
            }
            let ops = &pip.inv.operands;
            let unpinned: Vec<&ShellWord> = ops
                .iter()
                .enumerate()
                .filter(|(k, w)| {
                    // `pkg @ https://…` is a direct reference, pinned by its URL.
                    let direct = ops.get(k + 1).is_some_and(|n| n.text == "@");
                    !direct && is_requirement(&w.text) && !w.dynamic && !pinned(&w.text)
                })
                .map(|(_, w)| *w)
                .filter(|w| project(&w.text) != "pip")
                .collect();
            let (Some(first), Some(last)) = (unpinned.first(), unpinned.last()) else { continue };
            let names: Vec<String> = unpinned.iter().map(|w| w.text.clone()).collect();
            cx.report_with_help(
                &META,
                script.words_span(first, last),
                format!(
                    "`{}` of {} without a pinned version: {}",
                    pip.head_text(),
                    if names.len() == 1 { "a package" } else { "packages" },
                    list(&names)
                ),
                format!(
                    "pin it (`{}==<version>`), or install from a lock file: `pip install --require-hashes -r requirements.txt`",
                    project(&names[0])
                ),
            );
        }
    }
}

/// A requirement specifier, not a path, archive or URL.
fn is_requirement(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    !(t.is_empty()
        || t == "@"
        || l.contains("://")
        || l.starts_with("git+")
        || l.starts_with('.')
        || l.starts_with('/')
        || l.starts_with('~')
        || l.contains('/')
        || [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"].iter().any(|e| l.ends_with(e)))
}

/// Has a version specifier (environment markers after `;` do not count).
fn pinned(t: &str) -> bool {
    let spec = t.split(';').next().unwrap_or(t);
    ["==", "~=", ">=", "<=", "<", ">", "@"].iter().any(|op| spec.contains(op))
}

/// `Flask[async]==3.0` -> `flask`.
fn project(t: &str) -> String {
    let end = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(t.len());
    t[..end].to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF016", "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask gunicorn==22.0.0 'uvicorn[standard]'\n");
        assert!(d[0].message.ends_with("packages without a pinned version: `flask`, `uvicorn[standard]`"), "{}", d[0].message);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 32, 74));
        assert_eq!(
            d[0].help.as_deref(),
            Some("pin it (`flask==<version>`), or install from a lock file: `pip install --require-hashes -r requirements.txt`")
        );
        assert_fires("DF016", "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt requests\n");
        assert_fires("DF016", "FROM python:3.12-slim\nRUN python3 -m pip install --no-cache-dir --upgrade pip setuptools wheel\n");
        assert_fires("DF016", "FROM python:3.12-slim\nRUN pip3 install --no-cache-dir \\\n      numpy \\\n      pandas==2.2.2\n");
        assert_fires("DF016", "FROM python:3.12-slim\nRUN pip install --no-cache-dir 'requests; python_version < \"3.13\"'\n");
        assert_fires("DF016", "FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir flask\nEOF\n");
        assert_fires("DF016", "FROM python:3.12-slim\nRUN [\"pip\", \"install\", \"flask\"]\n");
        assert_fires("DF016", "FROM python:3.12-slim\nONBUILD RUN pip install --no-cache-dir flask\n");
    }

    #[test]
    fn silent() {
        for src in [
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 'gunicorn>=22,<23' uvicorn~=0.30\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir --upgrade pip\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir . ./libs/core dist/app-1.0-py3-none-any.whl\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -e . git+https://github.com/psf/requests@v2.32.3\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -c constraints.txt flask gunicorn\n",
            "FROM python:3.12-slim\nENV PIP_CONSTRAINT=/constraints.txt\nRUN pip install --no-cache-dir flask\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir \"mylib @ https://example.com/mylib-1.0.tar.gz\"\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir mylib @ https://example.com/mylib-1.0.tar.gz\n",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir $PACKAGES\n",
            "FROM python:3.12-slim\nRUN pip freeze > requirements.txt\n",
        ] {
            assert_silent("DF016", src);
        }
    }
}
