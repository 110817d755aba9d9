//! The final filesystem view: every layer merged in order, honouring
//! whiteouts and opaque directories as overlayfs does.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Bound;

use crate::entry::{FileEntry, FileKind};
use crate::walk::LayerResult;

/// Symlink hops before a lookup gives up (Linux's own limit is 40).
const MAX_SYMLINK_HOPS: usize = 40;

/// An entry ordered and looked up by its path alone, so the set stores each
/// path once (a map keyed by path would hold every path twice: at 400k
/// entries that was a third of peak memory).
#[derive(Debug)]
struct Node(FileEntry);

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.0.path == other.0.path
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.path.cmp(&other.0.path)
    }
}
// Consistent with `Ord` above: both compare the path and nothing else.
impl Borrow<str> for Node {
    fn borrow(&self) -> &str {
        &self.0.path
    }
}

#[derive(Debug, Default)]
pub struct FileTree {
    nodes: BTreeSet<Node>,
    /// Entries written by some layer and deleted, hidden or overwritten by a
    /// later one. Their bytes still ship in the image.
    pub removed: u64,
}

impl FileTree {
    /// Merges layers bottom-up. Each layer's whiteouts and opaque markers
    /// apply to the layers below it, then its own entries are laid on top.
    ///
    /// The entries are moved out of `layers` (their `entries` are left
    /// empty; facts, whiteouts and counts stay), so no entry is ever held
    /// twice.
    pub fn merge<'a>(layers: impl IntoIterator<Item = &'a mut LayerResult>) -> FileTree {
        let mut tree = FileTree::default();
        for layer in layers {
            for dir in &layer.opaque_dirs {
                tree.removed += tree.remove_children(dir);
            }
            for p in &layer.whiteouts {
                if tree.nodes.remove(p.as_str()) {
                    tree.removed += 1;
                }
                tree.removed += tree.remove_children(p);
            }
            for e in std::mem::take(&mut layer.entries) {
                if e.kind != FileKind::Dir {
                    // A file replacing a directory takes its subtree with it.
                    tree.removed += tree.remove_children(&e.path);
                }
                let layer_index = e.layer;
                if let Some(Node(old)) = tree.nodes.replace(Node(e))
                    && old.layer != layer_index
                    && old.kind != FileKind::Dir
                {
                    tree.removed += 1;
                }
            }
        }
        tree
    }

    /// Entries strictly below `dir`, in path order.
    fn below<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let start = prefix.clone();
        self.nodes
            .range::<str, _>((Bound::Included(start.as_str()), Bound::Unbounded))
            .map(|n| &n.0)
            .take_while(move |e| e.path.starts_with(&prefix))
    }

    /// Removes everything strictly below `dir`; returns how many entries.
    fn remove_children(&mut self, dir: &str) -> u64 {
        let doomed: Vec<String> = self.below(dir).map(|e| e.path.clone()).collect();
        for k in &doomed {
            self.nodes.remove(k.as_str());
        }
        doomed.len() as u64
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// Every entry, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = &FileEntry> {
        self.nodes.iter().map(|n| &n.0)
    }
    /// The entry at exactly `path` (no link following).
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.nodes.get(path.trim_start_matches('/')).map(|n| &n.0)
    }

    /// Resolves `path` the way a process inside the container would, with the
    /// image root as `/`: symlinks in any component are followed, absolute
    /// targets start at the image root, and `..` never climbs above it.
    /// Hard links resolve to their target. Returns the final path and entry.
    pub fn resolve(&self, path: &str) -> Option<(String, &FileEntry)> {
        let mut pending: Vec<String> = path.split('/').filter(|s| !s.is_empty()).rev().map(str::to_owned).collect();
        let mut current: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "." => continue,
                ".." => {
                    current.pop();
                    continue;
                }
                _ => {}
            }
            current.push(part);
            let here = current.join("/");
            let entry = self.nodes.get(here.as_str()).map(|n| &n.0);
            let link = match entry.map(|e| &e.kind) {
                Some(FileKind::Symlink(t)) => Some((t.to_string(), false)),
                Some(FileKind::Hardlink(t)) => Some((t.to_string(), true)),
                _ => None,
            };
            if let Some((target, hard)) = link {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return None;
                }
                current.pop();
                if hard || target.starts_with('/') {
                    current.clear();
                }
                pending.extend(target.split('/').filter(|s| !s.is_empty()).rev().map(str::to_owned));
            } else if entry.is_none() && !pending.is_empty() && !self.is_implicit_dir(&here) {
                return None;
            }
        }
        let final_path = current.join("/");
        let entry = self.nodes.get(final_path.as_str()).map(|n| &n.0)?;
        Some((final_path, entry))
    }

    /// A directory that exists only because something below it does.
    fn is_implicit_dir(&self, dir: &str) -> bool {
        self.below(dir).next().is_some()
    }

    /// Children directly inside `dir` (`""` is the root).
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        let depth = if dir.is_empty() { 0 } else { dir.len() + 1 };
        self.below(dir).filter(move |e| !e.path[depth..].contains('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: FileKind, layer: usize) -> FileEntry {
        FileEntry { path: path.into(), kind, mode: 0o644, uid: 0, gid: 0, size: 1, layer }
    }
    fn layer(index: usize, entries: Vec<FileEntry>, whiteouts: &[&str], opaque: &[&str]) -> LayerResult {
        LayerResult {
            index,
            entries,
            whiteouts: whiteouts.iter().map(|s| s.to_string()).collect(),
            opaque_dirs: opaque.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn whiteout_deletes_file_and_subtree() {
        let mut l0 = layer(
            0,
            vec![entry("etc", FileKind::Dir, 0), entry("etc/a", FileKind::File, 0), entry("opt/x/y", FileKind::File, 0)],
            &[],
            &[],
        );
        let mut l1 = layer(1, vec![], &["etc/a", "opt/x"], &[]);
        let t = FileTree::merge([&mut l0, &mut l1]);
        assert!(t.get("etc/a").is_none());
        assert!(t.get("opt/x/y").is_none());
        assert!(t.get("etc").is_some());
        assert_eq!(t.removed, 2);
    }

    #[test]
    fn opaque_dir_hides_lower_content_but_keeps_its_own() {
        let mut l0 = layer(0, vec![entry("var/lib/dpkg/status", FileKind::File, 0), entry("var/lib/x", FileKind::File, 0)], &[], &[]);
        let mut l1 = layer(1, vec![entry("var/lib", FileKind::Dir, 1), entry("var/lib/new", FileKind::File, 1)], &[], &["var/lib"]);
        let t = FileTree::merge([&mut l0, &mut l1]);
        assert!(t.get("var/lib/dpkg/status").is_none());
        assert_eq!(t.get("var/lib/new").unwrap().layer, 1);
    }

    #[test]
    fn upper_file_replaces_lower_directory_subtree() {
        let mut l0 = layer(0, vec![entry("app", FileKind::Dir, 0), entry("app/old", FileKind::File, 0)], &[], &[]);
        let mut l1 = layer(1, vec![entry("app", FileKind::File, 1)], &[], &[]);
        let t = FileTree::merge([&mut l0, &mut l1]);
        assert!(t.get("app/old").is_none());
        assert_eq!(t.get("app").unwrap().kind, FileKind::File);
    }

    #[test]
    fn symlinks_resolve_inside_the_image_root_only() {
        let mut l0 = layer(
            0,
            vec![
                entry("usr/lib/os-release", FileKind::File, 0),
                entry("etc/os-release", FileKind::Symlink("../usr/lib/os-release".into()), 0),
                entry("bin", FileKind::Symlink("usr/bin".into()), 0),
                entry("usr/bin/sh", FileKind::File, 0),
                entry("escape", FileKind::Symlink("../../../../usr/lib/os-release".into()), 0),
                entry("abs", FileKind::Symlink("/usr/bin/sh".into()), 0),
                entry("loop1", FileKind::Symlink("loop2".into()), 0),
                entry("loop2", FileKind::Symlink("loop1".into()), 0),
                entry("hl", FileKind::Hardlink("usr/bin/sh".into()), 0),
            ],
            &[],
            &[],
        );
        let t = FileTree::merge([&mut l0]);
        assert_eq!(t.resolve("etc/os-release").unwrap().0, "usr/lib/os-release");
        assert_eq!(t.resolve("/bin/sh").unwrap().0, "usr/bin/sh");
        // `..` above the root stays at the root, as in a chroot.
        assert_eq!(t.resolve("escape").unwrap().0, "usr/lib/os-release");
        assert_eq!(t.resolve("abs").unwrap().0, "usr/bin/sh");
        assert_eq!(t.resolve("hl").unwrap().0, "usr/bin/sh");
        assert!(t.resolve("loop1").is_none());
        assert!(t.resolve("nope/x").is_none());
    }
}
