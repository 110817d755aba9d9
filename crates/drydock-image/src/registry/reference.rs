//! Image references as docker writes them: `[host[:port]/]repo/path[:tag][@digest]`.
//!
//! Hand-written after the grammar of `distribution/reference` (the one docker,
//! containerd and skopeo share) so that `alpine`, `docker.io/alpine` and
//! `index.docker.io/library/alpine:latest` all name the same repository here
//! as they do there. A pure parser: no I/O, every failure says which part of
//! which reference is wrong.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use drydock_core::Digest;

/// The registry unqualified names live on.
pub const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's API host: `docker.io` itself serves no `/v2/`.
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";
/// The key docker uses for Docker Hub in `config.json` and credential helpers.
pub const DOCKER_HUB_CREDENTIAL_KEY: &str = "https://index.docker.io/v1/";
/// The tag implied when a reference names neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";
/// `distribution/reference` refuses repository names longer than this.
const MAX_NAME_LEN: usize = 255;
/// Tags are `[\w][\w.-]{0,127}`.
const MAX_TAG_LEN: usize = 128;

/// A parsed, normalized image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `host[:port]` as the user means it (`docker.io` for Docker Hub).
    pub registry: String,
    /// The repository path, with `library/` added for official Hub images.
    pub repository: String,
    /// The tag; `latest` when neither tag nor digest was given.
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("`{reference}` is not an image reference: {reason}")]
    Malformed { reference: String, reason: String },
    #[error("`{reference}`: the repository name `{name}` must be lowercase")]
    Uppercase { reference: String, name: String },
    #[error("`{reference}`: the digest is invalid: {reason}")]
    BadDigest { reference: String, reason: String },
}

impl Reference {
    /// The host (with port) the distribution API is served from.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB { DOCKER_HUB_API } else { &self.registry }
    }

    /// The key to look credentials up by, as `docker login` stores them.
    pub fn credential_key(&self) -> &str {
        if self.registry == DOCKER_HUB { DOCKER_HUB_CREDENTIAL_KEY } else { &self.registry }
    }

    /// The host part without the port (IPv6 brackets kept off).
    pub fn hostname(&self) -> &str {
        host_without_port(&self.registry)
    }

    /// Whether the registry is on this machine, where plain HTTP cannot be
    /// intercepted on the way (docker treats `127.0.0.0/8` the same way).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.hostname())
    }

    /// The tag or digest to ask `/manifests/` for (the digest wins when both
    /// are given, as in docker: the tag is then only informative).
    pub fn manifest_reference(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => DEFAULT_TAG.to_owned(),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let malformed = |reason: &str| ReferenceError::Malformed { reference: input.to_owned(), reason: reason.to_owned() };
        if input.is_empty() {
            return Err(malformed("it is empty"));
        }
        if input.contains("://") {
            return Err(malformed("write it without a URL scheme (`host/repo:tag`)"));
        }
        if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(malformed("it contains whitespace or control characters"));
        }

        let (rest, digest) = match input.split_once('@') {
            Some((rest, d)) => {
                let digest =
                    d.parse::<Digest>().map_err(|e| ReferenceError::BadDigest { reference: input.to_owned(), reason: e.to_string() })?;
                (rest, Some(digest))
            }
            None => (input, None),
        };

        // A tag is after the last `:` that comes after the last `/`; an
        // earlier `:` belongs to the registry's port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(t) = tag
            && !valid_tag(t)
        {
            return Err(malformed(&format!(
                "`{t}` is not a valid tag (letters, digits, `_`, `.`, `-`; at most 128; not starting with `.` or `-`)"
            )));
        }
        if name.is_empty() {
            return Err(malformed("the repository name is missing"));
        }

        // Docker's rule: the first component is a registry if it has a `.`
        // or `:`, is `localhost`, or has uppercase letters (repositories
        // cannot); otherwise the whole name is a Docker Hub repository.
        let (registry, path) = match name.split_once('/') {
            Some((first, path)) if first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase()) => {
                (first, path)
            }
            _ => (DOCKER_HUB, name),
        };
        if !valid_domain(registry) {
            return Err(malformed(&format!("`{registry}` is not a valid registry host[:port]")));
        }
        let registry = if registry == "index.docker.io" { DOCKER_HUB } else { registry };

        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase { reference: input.to_owned(), name: path.to_owned() });
        }
        for component in path.split('/') {
            if !valid_component(component) {
                return Err(malformed(&format!(
                    "`{component}` is not a valid repository path component (lowercase letters and digits, separated by `.`, `_`, `__` or `-`)"
                )));
            }
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') { format!("library/{path}") } else { path.to_owned() };
        if registry.len() + 1 + repository.len() > MAX_NAME_LEN {
            return Err(malformed(&format!("the name is longer than {MAX_NAME_LEN} characters")));
        }

        let tag = match (tag, &digest) {
            (Some(t), _) => Some(t.to_owned()),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_TAG.to_owned()),
        };
        Ok(Reference { registry: registry.to_owned(), repository, tag, digest })
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator run: one `.`, one or two `_`, or any number of `-`.
        let start = i;
        let sep = b[i];
        while i < b.len() && b[i] == sep {
            i += 1;
        }
        let run = i - start;
        let ok = match sep {
            b'.' => run == 1,
            b'_' => run <= 2,
            b'-' => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = t.chars();
    matches!(chars.next(), Some(c) if word(c)) && t.len() <= MAX_TAG_LEN && chars.all(|c| word(c) || c == '.' || c == '-')
}

/// `host[:port]` where host is dot-separated labels or a bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else {
            return false;
        };
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        match after {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return false,
            },
        }
    } else {
        match d.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(d), None),
        }
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) || p.parse::<u16>().is_err())
    {
        return false;
    }
    match host {
        None => true,
        Some(h) => {
            !h.is_empty()
                && h.split('.').all(|label| {
                    let b = label.as_bytes();
                    !b.is_empty()
                        && b[0].is_ascii_alphanumeric()
                        && b[b.len() - 1].is_ascii_alphanumeric()
                        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                })
        }
    }
}

/// `host[:port]` → `host` (for `[::1]:5000`, `::1`).
pub(crate) fn host_without_port(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split_once(']').map_or(rest, |(h, _)| h);
    }
    registry.rsplit_once(':').map_or(registry, |(h, _)| h)
}

/// `localhost`, `127.0.0.0/8` and `::1`. A name that merely resolves to
/// loopback does not count: the check must not depend on DNS.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Reference {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn hub_names_get_registry_library_and_latest() {
        let r = parse("alpine");
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("docker.io", "library/alpine", Some("latest")));
        assert_eq!(r.api_host(), "registry-1.docker.io");
        assert_eq!(r.credential_key(), "https://index.docker.io/v1/");
        assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
        assert_eq!(parse("docker.io/alpine:3.20").to_string(), "docker.io/library/alpine:3.20");
        assert_eq!(parse("index.docker.io/library/alpine").to_string(), "docker.io/library/alpine:latest");
        assert_eq!(parse("bitnami/redis:7").to_string(), "docker.io/bitnami/redis:7");
    }

    #[test]
    fn registries_ports_and_paths() {
        let r = parse("localhost:5000/a/b/c:1.0");
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("localhost:5000", "a/b/c", Some("1.0")));
        assert!(r.is_loopback());
        let r = parse("127.0.0.1:41000/app");
        assert_eq!((r.hostname(), r.tag.as_deref()), ("127.0.0.1", Some("latest")));
        assert!(r.is_loopback());
        let r = parse("[::1]:5000/app:v1");
        assert_eq!((r.registry.as_str(), r.hostname()), ("[::1]:5000", "::1"));
        assert!(r.is_loopback());
        let r = parse("registry.example.com/team/app");
        assert_eq!(r.api_host(), "registry.example.com");
        assert!(!r.is_loopback());
        // A single-component name on another registry gets no `library/`.
        assert_eq!(parse("ghcr.io/app").repository, "app");
        // An uppercase first component is a host, as in docker.
        assert_eq!(parse("MyHost/app").registry, "MyHost");
    }

    #[test]
    fn digests_with_and_without_tags() {
        let hex = "a".repeat(64);
        let r = parse(&format!("alpine@sha256:{hex}"));
        assert_eq!(r.tag, None);
        assert_eq!(r.manifest_reference(), format!("sha256:{hex}"));
        let r = parse(&format!("localhost:5000/app:1@sha256:{hex}"));
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.manifest_reference(), format!("sha256:{hex}"));
        assert_eq!(r.to_string(), format!("localhost:5000/app:1@sha256:{hex}"));
    }

    #[test]
    fn malformed_references_are_refused_with_reasons() {
        for (input, needle) in [
            ("", "empty"),
            ("Alpine", "lowercase"),
            ("docker.io/Library/alpine", "lowercase"),
            ("alpine:", "not a valid tag"),
            ("alpine:.x", "not a valid tag"),
            ("alpine@sha256:abc", "digest"),
            ("alpine@md5:abc", "digest"),
            ("https://ghcr.io/app", "URL scheme"),
            ("a//b", "component"),
            ("a/b_", "component"),
            ("a...b", "component"),
            ("a___b", "component"),
            ("host:99999/app", "registry host"),
            ("-bad.host/app", "registry host"),
            ("[::1/app", "registry host"),
            ("alp ine", "whitespace"),
            ("localhost:5000/", "component"),
        ] {
            let err = input.parse::<Reference>().unwrap_err().to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
        }
        let long = format!("ghcr.io/{}", "a".repeat(260));
        assert!(long.parse::<Reference>().unwrap_err().to_string().contains("longer"));
        let long_tag = format!("alpine:{}", "t".repeat(129));
        assert!(long_tag.parse::<Reference>().is_err());
    }

    #[test]
    fn component_separators_follow_the_grammar() {
        for ok in ["a", "a.b", "a_b", "a__b", "a-b", "a---b", "0x"] {
            assert!(valid_component(ok), "{ok}");
        }
        for bad in ["", ".a", "a.", "a..b", "a___b", "a-", "A", "a+b"] {
            assert!(!valid_component(bad), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "LOCALHOST", "127.0.0.1", "127.9.9.9", "::1", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["128.0.0.1", "localhost.example.com", "10.0.0.1", "example.com", "::2"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
