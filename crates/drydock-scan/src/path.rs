//! Paths inside an image: normalised, relative to the image root, and never
//! allowed to climb out of it.

/// Why a tar member name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// `..` components that climb above the image root.
    Escapes,
    /// An absolute name (`/etc/passwd`): runtimes disagree on how to treat it.
    Absolute,
    /// A NUL byte or an empty name.
    Malformed,
}

impl PathProblem {
    pub fn describe(self) -> &'static str {
        match self {
            PathProblem::Escapes => "path climbs out of the image root with `..`",
            PathProblem::Absolute => "absolute path in a layer (layers hold paths relative to the root)",
            PathProblem::Malformed => "empty or NUL-containing path",
        }
    }
}

/// Normalises a tar member name to `a/b/c` (no leading `./` or `/`, no
/// trailing slash). `""` is the root directory itself (the `./` entry).
///
/// Hot path: called once per tar entry; allocates only the result.
pub fn normalize(raw: &[u8]) -> Result<String, PathProblem> {
    if raw.contains(&0) {
        return Err(PathProblem::Malformed);
    }
    let text = String::from_utf8_lossy(raw);
    if text.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    let mut parts: Vec<&str> = Vec::with_capacity(8);
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::Escapes);
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// The parent directory of a normalised path (`""` for top-level names).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map(|(_, n)| n).unwrap_or(path)
}

pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

/// Whiteout markers (overlayfs conventions from the OCI layer spec).
#[derive(Debug, PartialEq, Eq)]
pub enum Whiteout {
    /// `dir/.wh.name`: `dir/name` is deleted.
    Delete(String),
    /// `dir/.wh..wh..opq`: everything lower layers put in `dir` is hidden.
    Opaque(String),
    /// Other `.wh..wh.*` names are AUFS bookkeeping, ignored.
    Ignored,
}

pub fn whiteout(path: &str) -> Option<Whiteout> {
    let name = file_name(path);
    let rest = name.strip_prefix(".wh.")?;
    let dir = parent(path);
    Some(if rest == ".wh..opq" {
        Whiteout::Opaque(dir.to_owned())
    } else if rest.starts_with(".wh.") || rest.is_empty() {
        Whiteout::Ignored
    } else {
        Whiteout::Delete(join(dir, rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_member_names() {
        assert_eq!(normalize(b"./etc/passwd").unwrap(), "etc/passwd");
        assert_eq!(normalize(b"etc//ssl/./certs/").unwrap(), "etc/ssl/certs");
        assert_eq!(normalize(b"./").unwrap(), "");
        assert_eq!(normalize(b"a/b/../c").unwrap(), "a/c");
    }

    #[test]
    fn refuses_escapes_absolute_and_nul() {
        assert_eq!(normalize(b"../etc/passwd"), Err(PathProblem::Escapes));
        assert_eq!(normalize(b"a/../../b"), Err(PathProblem::Escapes));
        assert_eq!(normalize(b"/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(normalize(b"a\0b"), Err(PathProblem::Malformed));
    }

    #[test]
    fn recognizes_whiteouts() {
        assert_eq!(whiteout("etc/.wh.passwd"), Some(Whiteout::Delete("etc/passwd".into())));
        assert_eq!(whiteout(".wh.tmp"), Some(Whiteout::Delete("tmp".into())));
        assert_eq!(whiteout("var/lib/.wh..wh..opq"), Some(Whiteout::Opaque("var/lib".into())));
        assert_eq!(whiteout(".wh..wh.plnk"), Some(Whiteout::Ignored));
        assert_eq!(whiteout("etc/passwd"), None);
        assert_eq!(whiteout("etc/x.wh.y"), None);
    }
}
