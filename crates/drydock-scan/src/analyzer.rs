//! Analyzers: small, pure consumers of file contents.
//!
//! An analyzer says which entries it wants with a cheap [`Analyzer::wants`]
//! (no I/O: called for every entry of every layer) and turns the content of
//! each wanted file into [`FactKind`] values. Analyzers share no mutable
//! state: the walk collects what they return, per layer, and the merge decides
//! which facts survive into the final filesystem.

use drydock_core::package::{Ecosystem, PackageRecord};

use crate::entry::FileKind;

/// What an analyzer sees of an entry before deciding to read it.
#[derive(Debug)]
pub struct EntryInfo<'a> {
    pub path: &'a str,
    pub kind: &'a FileKind,
    pub size: u64,
    pub mode: u32,
}

pub trait Analyzer: Sync {
    /// Stable name, used in warnings and in the report.
    fn name(&self) -> &'static str;
    /// Cheap predicate on path and metadata: no I/O, no allocation.
    fn wants(&self, entry: &EntryInfo<'_>) -> bool;
    /// Turns one file's content into facts. An `Err` is a warning naming the
    /// image, layer and path; the walk goes on.
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String>;
}

/// Everything analyzers can learn. One variant per kind of fact; later
/// issues add package databases, secrets and so on.
#[derive(Clone, Debug, PartialEq)]
pub enum FactKind {
    OsRelease(crate::analyzers::os_release::OsRelease),
    /// Packages recorded in a package database or manifest at this path.
    Packages(Ecosystem, Vec<PackageRecord>),
    /// Files an OS package owns, from a file list kept apart from the main
    /// database (dpkg's `info/<pkg>.list`).
    OwnedFiles {
        package: String,
        files: Vec<String>,
    },
    /// A secret in the file (its value redacted).
    Secret(drydock_secrets::SecretMatch),
    /// FIPS evidence: crypto libraries, OpenSSL configs, Go crypto settings.
    Crypto(crate::analyzers::fips::CryptoFact),
    /// Accounts from `/etc/passwd`, `/etc/group` or `/etc/shadow`.
    Accounts(crate::analyzers::accounts::Accounts),
    /// Part of the file could not be used (a corrupt stanza); the rest
    /// was. The walk turns it into a warning naming image, layer and path.
    Warning(String),
}

/// A fact with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub analyzer: &'static str,
    pub path: String,
    pub layer: usize,
    pub kind: FactKind,
}
