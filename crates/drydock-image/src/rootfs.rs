//! A root filesystem directory (an extracted image, a chroot, a debootstrap
//! tree) as a one-layer image with no config.

use std::path::Path;

use crate::error::{ImageError, Result};
use crate::{Content, Image, ImageConfigFile, Layer, SourceKind};

pub(crate) fn open(path: &Path) -> Result<Image> {
    let meta = std::fs::metadata(path).map_err(|e| ImageError::io(path, e))?;
    if !meta.is_dir() {
        return Err(ImageError::BadTarget { target: path.display().to_string(), reason: "not a directory".into() });
    }
    let layer = Layer {
        index: 0,
        digest: None,
        diff_id: None,
        media_type: "inode/directory".into(),
        size: None,
        created_by: None,
        history_index: None,
        foreign: false,
        urls: vec![],
    };
    Ok(Image {
        reference: path.display().to_string(),
        source: SourceKind::Rootfs,
        index_digest: None,
        manifest_digest: None,
        config_digest: None,
        platform: None,
        config: ImageConfigFile::default(),
        layers: vec![layer],
        warnings: vec![],
        content: Content::Directory(path.to_owned()),
    })
}
