//! Registry authentication: `WWW-Authenticate` challenges, where credentials
//! come from, and the token response.
//!
//! Pure parsing and look-ups; the HTTP exchanges are in `client.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;

use super::Credentials;

/// What a registry asked for in a `401`'s `WWW-Authenticate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Challenge {
    /// Get a token from `realm` (the docker token protocol).
    Bearer { realm: String, service: Option<String>, scope: Option<String> },
    /// Send the credentials with every request.
    Basic,
}

/// Parses a `WWW-Authenticate` value. A header may carry several challenges
/// (`Basic realm="x", Bearer realm="y"`); Bearer is preferred because it
/// sends the password once, to the token service, not with every request.
pub(crate) fn parse_challenges(header: &str) -> Option<Challenge> {
    let mut found: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut p = Parser { s: header.as_bytes(), i: 0 };
    while p.peek().is_some() {
        p.skip(|c| c == b',' || c.is_ascii_whitespace());
        let Some(token) = p.token() else {
            // Not a token: step over the byte so a hostile header cannot stall us.
            p.i += 1;
            continue;
        };
        p.skip(|c| c == b' ' || c == b'\t');
        // `token=` here means an auth-param of the current challenge, not a
        // new scheme.
        if p.peek() == Some(b'=') && !found.is_empty() {
            p.i += 1;
            p.skip(|c| c == b' ' || c == b'\t');
            let value = p.value();
            if let Some((_, params)) = found.last_mut() {
                params.insert(token.to_ascii_lowercase(), value);
            }
        } else {
            found.push((token.to_ascii_lowercase(), BTreeMap::new()));
        }
    }
    if let Some((_, params)) = found.iter().find(|(scheme, _)| scheme == "bearer")
        && let Some(realm) = params.get("realm").filter(|r| !r.is_empty())
    {
        return Some(Challenge::Bearer {
            realm: realm.clone(),
            service: params.get("service").cloned(),
            scope: params.get("scope").cloned(),
        });
    }
    found.iter().any(|(scheme, _)| scheme == "basic").then_some(Challenge::Basic)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn skip(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
    }
    /// An RFC 7230 `token` (scheme or parameter name).
    fn token(&mut self) -> Option<String> {
        let start = self.i;
        self.skip(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c));
        if self.i == start {
            return None;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    /// A token or a quoted-string with `\` escapes.
    fn value(&mut self) -> String {
        if self.peek() != Some(b'"') {
            let start = self.i;
            self.skip(|c| c != b',' && !c.is_ascii_whitespace());
            return String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        }
        self.i += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    if let Some(n) = self.peek() {
                        out.push(n);
                        self.i += 1;
                    }
                }
                _ => out.push(c),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// A credential for one registry, as the user configured it.
#[derive(Clone)]
pub(crate) enum Secret {
    Password(Credentials),
    /// An OAuth2 refresh token (`identitytoken` in config.json, or a helper
    /// answering with username `<token>`): exchanged at the realm, never
    /// sent to the registry itself.
    IdentityToken(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Password(c) => write!(f, "{c:?}"),
            Secret::IdentityToken(_) => f.write_str("IdentityToken(<redacted>)"),
        }
    }
}

impl Secret {
    pub(crate) fn basic_header(&self) -> Option<String> {
        match self {
            Secret::Password(c) => Some(basic_header(c)),
            Secret::IdentityToken(_) => None,
        }
    }
}

pub(crate) fn basic_header(c: &Credentials) -> String {
    let raw = format!("{}:{}", c.username, c.password);
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
}

/// Credentials from docker's configuration for `key` (`host[:port]`, or
/// Docker Hub's `https://index.docker.io/v1/`): `config.json` `auths`,
/// `credHelpers` and `credsStore`, the same sources `docker pull` uses.
///
/// `config_dir` overrides `$DOCKER_CONFIG` / `~/.docker` (tests use it so
/// they need not mutate the process environment). Returns `Ok(None)` when
/// nothing is configured for the registry; `Err` carries a message that is
/// safe to print (a failing helper's output is left out: it may echo secrets).
pub(crate) fn docker_config_credentials(key: &str, config_dir: Option<&Path>) -> Result<Option<Secret>, String> {
    use docker_credential::{CredentialRetrievalError as E, DockerCredential};
    let lookup = |server: &str| match config_dir {
        Some(dir) => match std::fs::File::open(dir.join("config.json")) {
            Ok(f) => docker_credential::get_credential_from_reader(std::io::BufReader::new(f), server),
            Err(_) => Err(E::ConfigNotFound),
        },
        None => docker_credential::get_credential(server),
    };
    let mut result = lookup(key);
    // `docker login` on old versions stored the Hub under its bare host.
    if key == super::reference::DOCKER_HUB_CREDENTIAL_KEY && matches!(result, Err(E::NoCredentialConfigured)) {
        result = lookup("index.docker.io");
    }
    match result {
        Ok(DockerCredential::UsernamePassword(username, password)) => Ok(Some(Secret::Password(Credentials { username, password }))),
        Ok(DockerCredential::IdentityToken(t)) => Ok(Some(Secret::IdentityToken(t))),
        Err(E::NoCredentialConfigured | E::ConfigNotFound) => Ok(None),
        Err(E::HelperFailure { helper, .. }) => Err(format!("credential helper `{helper}` failed")),
        Err(e) => Err(format!("reading docker credentials: {e}")),
    }
}

/// The token service's answer. Docker Hub sends `token`, OAuth2-style
/// services `access_token`; some send both (equal).
#[derive(serde::Deserialize)]
pub(crate) struct TokenResponse {
    token: Option<String>,
    access_token: Option<String>,
}

impl TokenResponse {
    pub(crate) fn into_token(self) -> Option<String> {
        self.token.filter(|t| !t.is_empty()).or(self.access_token.filter(|t| !t.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenge_with_quoted_params() {
        let c = parse_challenges(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        );
        assert_eq!(
            c,
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/alpine:pull".into()),
            })
        );
    }

    #[test]
    fn escapes_tokens_and_several_challenges() {
        let c = parse_challenges(r#"Basic realm="Registry Realm", bearer Realm="http://x/t\"q", service=svc"#);
        assert_eq!(c, Some(Challenge::Bearer { realm: "http://x/t\"q".into(), service: Some("svc".into()), scope: None }));
        assert_eq!(parse_challenges(r#"Basic realm="Registry Realm""#), Some(Challenge::Basic));
        assert_eq!(parse_challenges("basic"), Some(Challenge::Basic));
    }

    #[test]
    fn hostile_or_unknown_challenges_are_none() {
        for h in ["", "Negotiate", "Bearer", "Bearer realm=\"\"", "===,,,\"\"\"", "Bearer realm=\"unterminated", "\u{0}\u{1}"] {
            let c = parse_challenges(h);
            assert!(!matches!(c, Some(Challenge::Bearer { ref realm, .. }) if realm.is_empty()), "{h:?}: {c:?}");
        }
        assert_eq!(
            parse_challenges("Bearer realm=\"unterminated"),
            Some(Challenge::Bearer { realm: "unterminated".into(), service: None, scope: None })
        );
        assert_eq!(parse_challenges("Negotiate"), None);
    }

    #[test]
    fn basic_header_encodes_user_and_password() {
        let h = basic_header(&Credentials { username: "user".into(), password: "pa:ss".into() });
        assert_eq!(h, "Basic dXNlcjpwYTpzcw==");
    }

    #[test]
    fn token_response_accepts_either_field() {
        let t: TokenResponse = serde_json::from_str(r#"{"token":"a","access_token":"a"}"#).unwrap();
        assert_eq!(t.into_token().as_deref(), Some("a"));
        let t: TokenResponse = serde_json::from_str(r#"{"access_token":"b","expires_in":60}"#).unwrap();
        assert_eq!(t.into_token().as_deref(), Some("b"));
        let t: TokenResponse = serde_json::from_str(r#"{"token":""}"#).unwrap();
        assert_eq!(t.into_token(), None);
    }

    #[test]
    fn docker_config_auths_by_host_and_hub_key() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("u:p");
        std::fs::write(
            dir.path().join("config.json"),
            format!(r#"{{"auths":{{"127.0.0.1:5000":{{"auth":"{auth}"}},"https://index.docker.io/v1/":{{"identitytoken":"rt"}}}}}}"#),
        )
        .unwrap();
        match docker_config_credentials("127.0.0.1:5000", Some(dir.path())).unwrap() {
            Some(Secret::Password(c)) => {
                assert_eq!((c.username.as_str(), c.password.as_str()), ("u", "p"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            docker_config_credentials(crate::registry::reference::DOCKER_HUB_CREDENTIAL_KEY, Some(dir.path())).unwrap(),
            Some(Secret::IdentityToken(t)) if t == "rt"
        ));
        assert!(docker_config_credentials("other:5000", Some(dir.path())).unwrap().is_none());
        let empty = tempfile::tempdir().unwrap();
        assert!(docker_config_credentials("127.0.0.1:5000", Some(empty.path())).unwrap().is_none());
    }
}
