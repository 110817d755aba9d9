//! Shared vocabulary of drydock: content digests and the versioned report model.
//!
//! This crate does no I/O. Everything downstream (image access, the layer walk,
//! writers) speaks these types, so data flows one way: input -> layers ->
//! analyzers -> [`report::Report`] -> writers.
//!
//! ```
//! use drydock_core::Digest;
//! let d: Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".parse().unwrap();
//! assert_eq!(d.algorithm().as_str(), "sha256");
//! assert!(Digest::sha256_of(b"").eq(&d));
//! ```

pub mod check;
pub mod digest;
pub mod fips;
pub mod package;
pub mod policy;
pub mod report;
pub mod tracking;
pub mod vulnerability;

pub use digest::{Algorithm, Digest, DigestError, Hasher};
