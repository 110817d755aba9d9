//! One file as a layer (or the final filesystem) records it.

/// What kind of file an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    File,
    Dir,
    /// Target as written (may be absolute or relative; resolved in the image root).
    Symlink(Box<str>),
    /// Target path, normalised and relative to the image root.
    Hardlink(Box<str>),
    CharDevice,
    BlockDevice,
    Fifo,
}

/// Metadata of one entry; content is read once, during the walk, by the
/// analyzers that want it, and not kept. One of these exists per file in the
/// image, so it is kept small (80 bytes plus the path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// Normalised path relative to the image root (`etc/passwd`).
    pub path: String,
    pub kind: FileKind,
    /// Permission bits including setuid/setgid/sticky (`0o4755`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Index of the layer that wrote this entry.
    pub layer: usize,
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_entry_stays_small() {
        // Memory per file in the final tree; see docs/performance.md.
        assert!(std::mem::size_of::<super::FileEntry>() <= 80, "{}", std::mem::size_of::<super::FileEntry>());
    }
}
