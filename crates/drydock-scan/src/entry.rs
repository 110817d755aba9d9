//! One file as a layer (or the final filesystem) records it.

/// What kind of file an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    File,
    Dir,
    /// Target as written (may be absolute or relative; resolved in the image root).
    Symlink(String),
    /// Target path, normalised and relative to the image root.
    Hardlink(String),
    CharDevice,
    BlockDevice,
    Fifo,
}

/// Metadata of one entry; content is read once, during the walk, by the
/// analyzers that want it, and not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// Normalised path relative to the image root (`etc/passwd`).
    pub path: String,
    pub kind: FileKind,
    /// Permission bits including setuid/setgid/sticky (`0o4755`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// Index of the layer that wrote this entry.
    pub layer: usize,
}
