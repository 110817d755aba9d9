//! Typed errors that always name the input they are about.

use drydock_core::{Digest, DigestError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{target}: {reason}")]
    BadTarget { target: String, reason: String },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{image}: `{file}` is not valid JSON for {what}: {source}")]
    BadJson {
        image: String,
        file: String,
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },

    #[error("{image}: {file}: {reason}")]
    BadMetadata { image: String, file: String, reason: String },

    #[error("{image}: blob {digest} is missing")]
    MissingBlob { image: String, digest: Digest },

    #[error("{image}: blob {expected} failed verification: {reason}")]
    DigestMismatch { image: String, expected: Digest, reason: String },

    #[error("{image}: {reason}")]
    NotFound { image: String, reason: String },

    #[error("{image}: no manifest for platform {wanted}; the index offers: {available}")]
    NoPlatform { image: String, wanted: String, available: String },

    #[error("{image}: {context}: {source}")]
    Digest {
        image: String,
        context: String,
        #[source]
        source: DigestError,
    },

    #[error("{image}: {file}: {reason}")]
    UnsafePath { image: String, file: String, reason: &'static str },

    #[error("registry {registry}: {reason}")]
    Registry { registry: String, reason: String },

    #[error("{image}: layer {layer}: {reason}")]
    Layer { image: String, layer: String, reason: String },
}

impl ImageError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ImageError::Io { path: path.into(), source }
    }
}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;
