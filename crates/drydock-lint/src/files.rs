//! Finding Dockerfiles and their `.dockerignore`.

use std::path::{Path, PathBuf};

use crate::{FileResult, Settings, lint_source};

/// Largest Dockerfile read (real ones are a few KB).
pub const MAX_BYTES: u64 = 4 << 20;

#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `api.Dockerfile`,
/// `build.containerfile`…
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".md") {
        return false;
    }
    let stem_ok = |base: &str| lower == base || lower.starts_with(&format!("{base}.")) || lower.starts_with(&format!("{base}-"));
    stem_ok("dockerfile") || stem_ok("containerfile") || lower.ends_with(".dockerfile") || lower.ends_with(".containerfile")
}

/// Dockerfiles under `dir`, sorted; skips VCS and dependency folders.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, LintError> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(e.file_type().is_dir() && matches!(name.as_ref(), ".git" | "node_modules" | "target" | ".venv" | "vendor"))
    });
    for entry in walker {
        let entry = entry.map_err(|e| LintError::Invalid { path: dir.to_owned(), reason: e.to_string() })?;
        if entry.file_type().is_file() && is_dockerfile_name(&entry.file_name().to_string_lossy()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The `.dockerignore` BuildKit would use for this Dockerfile: `<name>.dockerignore`
/// beside it, else `.dockerignore` in its directory (the usual build context).
pub fn dockerignore_for(dockerfile: &Path) -> Option<String> {
    let dir = dockerfile.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let own = dockerfile.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    for candidate in own.into_iter().chain(std::iter::once(dir.join(".dockerignore"))) {
        if let Ok(text) = std::fs::read_to_string(&candidate) {
            return Some(text);
        }
    }
    None
}

/// Reads and lints one Dockerfile.
pub fn lint_file(path: &Path, settings: &Settings) -> Result<FileResult, LintError> {
    let meta = std::fs::metadata(path).map_err(|e| LintError::Io { path: path.to_owned(), source: e })?;
    if meta.len() > MAX_BYTES {
        return Err(LintError::Invalid {
            path: path.to_owned(),
            reason: format!("{} bytes is more than the {MAX_BYTES}-byte limit for a Dockerfile", meta.len()),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| LintError::Io { path: path.to_owned(), source: e })?;
    let text = String::from_utf8(bytes).map_err(|e| LintError::Invalid {
        path: path.to_owned(),
        reason: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
    })?;
    Ok(lint_source(&path.display().to_string(), &text, settings, dockerignore_for(path).as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in
            ["Dockerfile", "dockerfile", "Containerfile", "Dockerfile.prod", "Dockerfile-windows", "api.Dockerfile", "x.containerfile"]
        {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in ["Dockerfile.dockerignore", ".dockerignore", "Makefile", "dockerfiles.md", "README.md", "docker-compose.yml"] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
