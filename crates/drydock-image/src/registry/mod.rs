//! Images straight from a registry, over the OCI distribution API.
//!
//! [`open`] parses the reference ([`Reference`]), fetches the manifest by tag
//! or digest and verifies its digest, then hands over to
//! [`crate::resolve::image_from_descriptor`] with a [`BlobSource`] that reads
//! manifests from `/manifests/` and streams blobs from `/blobs/`. Blob bytes
//! are verified by the caller as they are read (`verify::VerifyingReader`),
//! so nothing is buffered whole and nothing touches the disk.
//!
//! Authentication is anonymous first; a 401 is answered from the credentials
//! given on the command line, else from docker's `config.json` and credential
//! helpers (see `client.rs` for the redirect and retry rules).
//!
//! ```no_run
//! use drydock_image::{OpenOptions, registry};
//! let image = registry::open("127.0.0.1:5000/app:1.0", &OpenOptions::default())?;
//! println!("{:?} {} layers", image.manifest_digest, image.layers.len());
//! # Ok::<(), drydock_image::ImageError>(())
//! ```

mod auth;
mod client;
pub mod reference;

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use drydock_core::{Digest, Hasher};
use ureq::http::StatusCode;

use crate::resolve::{self, MAX_MANIFEST_BYTES};
use crate::spec::{Descriptor, media};
use crate::{BlobSource, Image, ImageError, OpenOptions, Result, SourceKind, verify};
use client::{Client, error_detail};
pub use reference::{Reference, ReferenceError};

/// Username and password (or identity token) for a registry.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, <redacted>)", self.username)
    }
}

/// Network behaviour of the registry client. The defaults suit real
/// registries; tests shorten the delays.
#[derive(Clone, Debug)]
pub struct RegistryConfig {
    /// Tries per request, counting the first (429, 5xx and connection
    /// errors are retried).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each later one.
    pub base_delay: Duration,
    /// Cap on any single wait, including a registry's `Retry-After`.
    pub max_delay: Duration,
    pub connect_timeout: Duration,
    /// Longest wait for a response, and for each read of a body.
    pub read_timeout: Duration,
    /// Read `config.json` from this directory instead of `$DOCKER_CONFIG`
    /// or `~/.docker`.
    pub docker_config_dir: Option<PathBuf>,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            docker_config_dir: None,
        }
    }
}

/// Opens the image `reference` names (`[host[:port]/]repo[:tag][@digest]`).
pub fn open(reference: &str, options: &OpenOptions) -> Result<Image> {
    open_with(reference, options, &RegistryConfig::default())
}

/// [`open`] with explicit network settings.
pub fn open_with(reference: &str, options: &OpenOptions, config: &RegistryConfig) -> Result<Image> {
    let parsed: Reference =
        reference.parse().map_err(|e: ReferenceError| ImageError::BadTarget { target: reference.to_owned(), reason: e.to_string() })?;
    let client = Client::new(parsed, options.insecure, options.credentials.clone(), config.clone());
    let top = fetch_top_manifest(&client)?;
    let display = client.display.clone();
    let desc = Descriptor {
        media_type: top.media_type,
        digest: top.digest.clone(),
        size: i64::try_from(top.bytes.len()).unwrap_or(i64::MAX),
        platform: None,
        annotations: Default::default(),
        urls: Vec::new(),
    };
    let source = Arc::new(RegistrySource { client, top: Mutex::new(Some((top.digest, top.bytes))) });
    let wanted = resolve::Wanted { platform: &options.platform, explicit: options.platform_explicit };
    resolve::image_from_descriptor(source, SourceKind::Registry, display, &desc, &wanted)
}

struct TopManifest {
    bytes: Vec<u8>,
    digest: Digest,
    media_type: String,
}

/// Fetches the manifest or index the reference names, and checks it
/// against the digest the user pinned and the one the registry announces.
fn fetch_top_manifest(client: &Client) -> Result<TopManifest> {
    let r = &client.reference;
    let (bytes, content_type, announced) = fetch_manifest(client, &r.manifest_reference())?;
    let digest = match &r.digest {
        Some(pinned) => {
            let actual = hash(&bytes, pinned);
            if &actual != pinned {
                return Err(ImageError::DigestMismatch {
                    image: client.display.clone(),
                    expected: pinned.clone(),
                    reason: format!("the registry served a manifest that hashes to {actual}"),
                });
            }
            actual
        }
        None => Digest::sha256_of(&bytes),
    };
    if let Some(announced) = announced {
        let actual = hash(&bytes, &announced);
        if actual != announced {
            return Err(ImageError::DigestMismatch {
                image: client.display.clone(),
                expected: announced,
                reason: format!("the manifest announced by Docker-Content-Digest hashes to {actual}"),
            });
        }
    }
    // The registry's Content-Type is the declared media type; when it is
    // missing or generic, the document's own `mediaType` (or its shape, in
    // `ManifestOrIndex::parse`) decides.
    let media_type = match content_type {
        Some(t) if media::is_index(&t) || media::is_manifest(&t) => t,
        _ => serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("mediaType").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_default(),
    };
    Ok(TopManifest { bytes, digest, media_type })
}

/// Hashes with the algorithm of the digest it will be compared to.
fn hash(bytes: &[u8], like: &Digest) -> Digest {
    let mut h = Hasher::new(like.algorithm());
    h.update(bytes);
    h.finish()
}

/// GETs `/v2/<repo>/manifests/<tag-or-digest>`: the bytes (at most
/// `MAX_MANIFEST_BYTES`), the media type and the `Docker-Content-Digest`.
fn fetch_manifest(client: &Client, reference: &str) -> Result<(Vec<u8>, Option<String>, Option<Digest>)> {
    let path = format!("/v2/{}/manifests/{reference}", client.reference.repository);
    let mut resp = client.get(&path, Some(media::ACCEPT_MANIFESTS))?;
    let status = resp.status();
    if status == StatusCode::NOT_FOUND {
        return Err(ImageError::NotFound {
            image: client.display.clone(),
            reason: format!(
                "manifest `{reference}` not found in repository `{}` on {}{}",
                client.reference.repository,
                client.reference.registry,
                error_detail(&mut resp)
            ),
        });
    }
    if !status.is_success() {
        return Err(client.registry_error(format!("GET {path}: {status}{}", error_detail(&mut resp))));
    }
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let content_type = header("Content-Type").map(|t| t.split(';').next().unwrap_or_default().trim().to_owned());
    // An announced digest we cannot parse (another algorithm) is not an
    // error: the content is still checked against what the user pinned.
    let announced = header("Docker-Content-Digest").and_then(|d| d.parse::<Digest>().ok());
    let bytes = resp.into_body().into_with_config().limit(MAX_MANIFEST_BYTES).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => ImageError::BadMetadata {
            image: client.display.clone(),
            file: reference.to_owned(),
            reason: format!("the manifest is larger than the {MAX_MANIFEST_BYTES}-byte limit"),
        },
        e => client.registry_error(format!("GET {path}: reading the manifest: {e}")),
    })?;
    Ok((bytes, content_type, announced))
}

/// The registry as a [`BlobSource`]. `Send + Sync`: layers are opened from
/// several threads; the client's auth state is behind a Mutex.
struct RegistrySource {
    client: Client,
    /// The manifest or index already fetched (and verified) by tag, so
    /// resolving it does not fetch it a second time.
    top: Mutex<Option<(Digest, Vec<u8>)>>,
}

impl BlobSource for RegistrySource {
    fn name(&self) -> &str {
        &self.client.display
    }

    fn open_blob(&self, desc: &Descriptor) -> Result<Box<dyn Read + Send>> {
        let path = format!("/v2/{}/blobs/{}", self.client.reference.repository, desc.digest);
        let mut resp = self.client.get(&path, None)?;
        let status = resp.status();
        if status == StatusCode::NOT_FOUND {
            return Err(ImageError::MissingBlob { image: self.client.display.clone(), digest: desc.digest.clone() });
        }
        if !status.is_success() {
            return Err(self.client.registry_error(format!("GET {path}: {status}{}", error_detail(&mut resp))));
        }
        // `into_reader` has no size limit (ureq's 10 MB default applies only
        // to `read_to_vec` and friends): layers can be gigabytes. The
        // caller's VerifyingReader bounds it by the descriptor's size.
        Ok(Box::new(resp.into_body().into_reader()))
    }

    fn read_manifest(&self, desc: &Descriptor) -> Result<Vec<u8>> {
        let cached = {
            let mut top = self.top.lock().unwrap_or_else(|e| e.into_inner());
            match top.as_ref() {
                Some((d, _)) if *d == desc.digest => top.take().map(|(_, b)| b),
                _ => None,
            }
        };
        let bytes = match cached {
            Some(b) => b,
            None => fetch_manifest(&self.client, &desc.digest.to_string())?.0,
        };
        let size = u64::try_from(desc.size).ok().filter(|s| *s > 0);
        verify::read_verified(&bytes[..], &desc.digest, size, MAX_MANIFEST_BYTES).map_err(|e| ImageError::DigestMismatch {
            image: self.client.display.clone(),
            expected: desc.digest.clone(),
            reason: e.to_string(),
        })
    }
}
