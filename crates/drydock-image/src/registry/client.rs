//! The HTTP side of the distribution API: one [`Client`] per repository,
//! carrying the auth state, the retry policy and our redirect rules.
//!
//! Hand-written on `ureq` rather than using `oci-client`: the layer walk is
//! synchronous (the `tar` crate) and wants a plain `Read` per blob, streamed
//! straight from the socket, while `oci-client` is async (tokio) and would
//! need a runtime plus a bridge per layer. We also want our own policies,
//! which `oci-client` does not expose: retries with backoff that honour
//! `Retry-After`, plain HTTP for loopback registries only, and never
//! forwarding `Authorization` when a blob redirect leaves the registry's host.
//!
//! ureq is configured not to follow redirects (`max_redirects(0)`) so every
//! hop goes through [`Client::get`]: each hop is retried on its own, the
//! registry's credentials go only to the registry's own origin, and an
//! `https` → `http` downgrade is refused outside loopback.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ureq::Body;
use ureq::http::{Response, StatusCode, Uri};

use super::RegistryConfig;
use super::auth::{self, Challenge, Secret};
use super::reference::{Reference, is_loopback_host};
use crate::error::{ImageError, Result};
use crate::registry::Credentials;

/// Redirect hops followed per request (registries use one, to a CDN).
const MAX_REDIRECTS: usize = 5;
/// Token responses and error bodies are small; a larger one is hostile.
const MAX_SMALL_BODY: u64 = 1 << 20;

pub(crate) struct Client {
    agent: ureq::Agent,
    /// `https` or `http` for the registry itself.
    scheme: &'static str,
    pub(crate) reference: Reference,
    /// The reference as shown in messages (normalized, never with secrets).
    pub(crate) display: String,
    insecure: bool,
    config: RegistryConfig,
    explicit: Option<Credentials>,
    /// Credentials from docker's config, looked up on the first 401 only:
    /// a credential helper is a process spawn, wasted on public images.
    from_config: OnceLock<Result<Option<Secret>, String>>,
    /// The `Authorization` value for the registry's origin. Shared by the
    /// threads that open layers at once, hence the Mutex.
    authorization: Mutex<Option<String>>,
}

impl Client {
    pub(crate) fn new(reference: Reference, insecure: bool, explicit: Option<Credentials>, config: RegistryConfig) -> Client {
        let loopback = reference.is_loopback();
        // Plain HTTP only where no one can sit in the middle, or when asked.
        let scheme = if loopback || insecure { "http" } else { "https" };
        let mut builder = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("drydock/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_recv_response(Some(config.read_timeout))
            // Per read, not per body: a layer may take minutes, a stall may not.
            .timeout_per_read(Some(config.read_timeout));
        if loopback {
            // An HTTP(S)_PROXY from the environment must not see loopback traffic.
            builder = builder.proxy(None);
        }
        let display = reference.to_string();
        Client {
            agent: builder.build().new_agent(),
            scheme,
            reference,
            display,
            insecure,
            config,
            explicit,
            from_config: OnceLock::new(),
            authorization: Mutex::new(None),
        }
    }

    pub(crate) fn registry_error(&self, reason: impl std::fmt::Display) -> ImageError {
        ImageError::Registry { registry: self.reference.registry.clone(), reason: format!("{}: {reason}", self.display) }
    }

    fn origin_url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.reference.api_host(), path)
    }

    /// Whether `uri` is the registry's own origin (scheme, host and port),
    /// the only place its `Authorization` may go.
    fn same_origin(&self, uri: &Uri) -> bool {
        uri.scheme_str() == Some(self.scheme) && uri.authority().is_some_and(|a| a.as_str().eq_ignore_ascii_case(self.reference.api_host()))
    }

    /// GETs `path` on the registry: authenticates on a 401, follows
    /// redirects by our rules, retries transient failures. Returns the final
    /// response whatever its status, except an authentication failure.
    pub(crate) fn get(&self, path: &str, accept: Option<&str>) -> Result<Response<Body>> {
        let mut url = self.origin_url(path);
        let mut reauthenticated = false;
        for _ in 0..=MAX_REDIRECTS + 1 {
            let uri: Uri = url.parse().map_err(|_| self.registry_error(format!("cannot request `{}`", redact_query(&url))))?;
            let same_origin = self.same_origin(&uri);
            let authorization = if same_origin { lock(&self.authorization).clone() } else { None };
            let resp = self.send_retrying(&format!("GET {}", uri.path()), || {
                let mut req = self.agent.get(&url);
                if let Some(a) = &accept {
                    req = req.header("Accept", *a);
                }
                if let Some(a) = &authorization {
                    req = req.header("Authorization", a);
                }
                req.call()
            })?;
            let status = resp.status();
            if status == StatusCode::UNAUTHORIZED && same_origin {
                if reauthenticated {
                    return Err(self.auth_failure(authorization.is_some()));
                }
                // A first 401, or a cached token that expired mid-scan.
                self.authenticate(&resp)?;
                reauthenticated = true;
                continue;
            }
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                url = self.redirect_target(&uri, &resp)?;
                continue;
            }
            return Ok(resp);
        }
        Err(self.registry_error(format!("GET {path}: more than {MAX_REDIRECTS} redirects")))
    }

    /// Where a redirect points, refusing schemes and downgrades we won't follow.
    fn redirect_target(&self, from: &Uri, resp: &Response<Body>) -> Result<String> {
        let location = resp
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| self.registry_error(format!("GET {}: {} without a Location header", from.path(), resp.status())))?;
        let target = resolve_location(from, location).ok_or_else(|| {
            self.registry_error(format!("GET {}: cannot follow the redirect to `{}`", from.path(), redact_query(location)))
        })?;
        let uri: Uri = target.parse().map_err(|_| self.registry_error("unparsable redirect"))?;
        if uri.scheme_str() == Some("http") && !self.plain_http_allowed(uri.host().unwrap_or_default()) {
            return Err(self.registry_error(format!(
                "GET {}: refusing to follow a redirect to plain HTTP ({}); pass --insecure to allow it",
                from.path(),
                uri.host().unwrap_or_default()
            )));
        }
        Ok(target)
    }

    fn plain_http_allowed(&self, host: &str) -> bool {
        self.insecure || is_loopback_host(host)
    }

    /// Runs `send` up to `attempts` times: again after connection errors,
    /// 429 and 5xx answers, waiting with exponential backoff (and jitter),
    /// or as long as `Retry-After` says, capped at `max_delay`.
    fn send_retrying(
        &self,
        what: &str,
        mut send: impl FnMut() -> std::result::Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>> {
        let retry = &self.config;
        let attempts = retry.attempts.max(1);
        for attempt in 1.. {
            let last = attempt >= attempts;
            let backoff = backoff(retry.base_delay, attempt, retry.max_delay);
            match send() {
                Ok(resp) if !last && retriable_status(resp.status()) => {
                    let delay = retry_after(&resp).map_or(backoff, |d| d.min(retry.max_delay));
                    tracing::debug!(registry = %self.reference.registry, %what, status = %resp.status(), ?delay, attempt, "retrying");
                    drop(resp);
                    std::thread::sleep(delay);
                }
                Ok(resp) => return Ok(resp),
                Err(e) if !last && retriable_error(&e) => {
                    tracing::debug!(registry = %self.reference.registry, %what, error = %e, ?backoff, attempt, "retrying");
                    std::thread::sleep(backoff);
                }
                Err(e) => {
                    let tries = if attempt > 1 { format!(" (after {attempt} attempts)") } else { String::new() };
                    return Err(self.registry_error(format!("{what}: {e}{tries}")));
                }
            }
        }
        unreachable!("the loop returns on the last attempt")
    }

    fn secret(&self) -> Result<Option<Secret>, String> {
        if let Some(c) = &self.explicit {
            return Ok(Some(Secret::Password(c.clone())));
        }
        self.from_config
            .get_or_init(|| auth::docker_config_credentials(self.reference.credential_key(), self.config.docker_config_dir.as_deref()))
            .clone()
    }

    fn auth_failure(&self, sent_credentials: bool) -> ImageError {
        let reason = match self.secret() {
            Ok(Some(Secret::Password(c))) if sent_credentials => {
                format!("authentication failed for user `{}` (wrong username or password, or no pull access)", c.username)
            }
            Ok(Some(_)) => "authentication failed (the configured credentials were refused)".to_owned(),
            Ok(None) => "authentication required: no credentials given (--username/--password-stdin) or configured in docker's config.json"
                .to_owned(),
            Err(e) => format!("authentication required, and {e}"),
        };
        self.registry_error(reason)
    }

    /// Answers a 401: reads the challenge and stores the `Authorization`
    /// value to send from now on.
    fn authenticate(&self, resp: &Response<Body>) -> Result<()> {
        let header = resp.headers().get_all("WWW-Authenticate").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(", ");
        let challenge = auth::parse_challenges(&header).ok_or_else(|| {
            self.registry_error("authentication required, but the registry's WWW-Authenticate challenge is not Basic or Bearer")
        })?;
        let secret = self.secret();
        let value = match challenge {
            Challenge::Basic => match &secret {
                Ok(Some(Secret::Password(c))) => auth::basic_header(c),
                _ => return Err(self.auth_failure(false)),
            },
            Challenge::Bearer { realm, service, scope } => {
                let secret = secret.as_ref().ok().cloned().flatten();
                format!("Bearer {}", self.fetch_token(&realm, service.as_deref(), scope.as_deref(), secret.as_ref())?)
            }
        };
        *lock(&self.authorization) = Some(value);
        Ok(())
    }

    /// The docker token protocol: GET the realm with service and scope,
    /// with basic credentials when we have them (docker sends them to the
    /// realm too, even on another host); or, for an identity token, the
    /// OAuth2 refresh-token POST.
    fn fetch_token(&self, realm: &str, service: Option<&str>, challenge_scope: Option<&str>, secret: Option<&Secret>) -> Result<String> {
        let realm_uri: Uri =
            realm.parse().map_err(|_| self.registry_error(format!("the token realm `{}` is not a URL", redact_query(realm))))?;
        let realm_host = realm_uri.host().unwrap_or_default().to_owned();
        match realm_uri.scheme_str() {
            Some("https") => {}
            Some("http") if self.plain_http_allowed(&realm_host) => {}
            _ => {
                return Err(self.registry_error(format!(
                    "refusing the token realm `{}`: only HTTPS is used outside loopback (pass --insecure to allow HTTP)",
                    redact_query(realm)
                )));
            }
        }
        let scope = format!("repository:{}:pull", self.reference.repository);
        let mut scopes = vec![scope.as_str()];
        if let Some(s) = challenge_scope
            && s != scope
        {
            scopes.push(s);
        }
        let what = format!("token from {realm_host}");
        let mut resp = match secret {
            Some(Secret::IdentityToken(refresh)) => self.send_retrying(&what, || {
                let mut form = vec![
                    ("grant_type", "refresh_token"),
                    ("client_id", "drydock"),
                    ("refresh_token", refresh.as_str()),
                    ("service", service.unwrap_or_default()),
                ];
                form.extend(scopes.iter().map(|s| ("scope", *s)));
                self.agent.post(realm).send_form(form)
            })?,
            _ => self.send_retrying(&what, || {
                let mut req = self.agent.get(realm);
                if let Some(s) = service {
                    req = req.query("service", s);
                }
                for s in &scopes {
                    req = req.query("scope", s);
                }
                if let Some(h) = secret.and_then(Secret::basic_header) {
                    req = req.header("Authorization", h);
                }
                req.call()
            })?,
        };
        let status = resp.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(self.auth_failure(secret.is_some()));
        }
        if !status.is_success() {
            return Err(self.registry_error(format!("{what}: {status}{}", error_detail(&mut resp))));
        }
        let token: auth::TokenResponse = resp
            .body_mut()
            .with_config()
            .limit(MAX_SMALL_BODY)
            .read_json()
            .map_err(|e| self.registry_error(format!("{what}: unreadable token response: {e}")))?;
        token.into_token().ok_or_else(|| self.registry_error(format!("{what}: the response has no token")))
    }
}

/// The registry's own explanation of an error status, from its JSON error
/// body (`{"errors":[{"code":…,"message":…}]}`), made safe to print.
pub(crate) fn error_detail(resp: &mut Response<Body>) -> String {
    #[derive(serde::Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    let Ok(body) = resp.body_mut().with_config().limit(MAX_SMALL_BODY).read_to_vec() else {
        return String::new();
    };
    let Ok(parsed) = serde_json::from_slice::<Errors>(&body) else {
        return String::new();
    };
    let text = parsed
        .errors
        .iter()
        .map(|e| if e.message.is_empty() { e.code.clone() } else { format!("{}: {}", e.code, e.message) })
        .collect::<Vec<_>>()
        .join("; ");
    if text.is_empty() {
        return String::new();
    }
    // A hostile registry must not write escape sequences to the terminal.
    let clean: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    format!(" ({clean})")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded value is a plain Option; a panic elsewhere cannot leave it torn.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn retriable_status(s: StatusCode) -> bool {
    s == StatusCode::TOO_MANY_REQUESTS
        || s == StatusCode::REQUEST_TIMEOUT
        || (s.is_server_error() && s != StatusCode::NOT_IMPLEMENTED && s != StatusCode::HTTP_VERSION_NOT_SUPPORTED)
}

fn retriable_error(e: &ureq::Error) -> bool {
    matches!(e, ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed)
}

/// `base * 2^(attempt-1)` plus up to 50% jitter (so parallel layer fetches
/// don't retry in lock-step), capped at `max`.
fn backoff(base: Duration, attempt: u32, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let jitter = exp.mul_f64(f64::from(nanos % 1000) / 2000.0);
    (exp + jitter).min(max)
}

/// `Retry-After` in seconds (the HTTP-date form is rare from registries and
/// falls back to our own backoff).
fn retry_after(resp: &Response<Body>) -> Option<Duration> {
    let v = resp.headers().get("Retry-After")?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Resolves a `Location` against the URL it came from.
fn resolve_location(from: &Uri, location: &str) -> Option<String> {
    let scheme = from.scheme_str()?;
    let authority = from.authority()?.as_str();
    if let Some((s, _)) = location.split_once("://") {
        return matches!(s.to_ascii_lowercase().as_str(), "http" | "https").then(|| location.to_owned());
    }
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    let dir = from.path().rsplit_once('/').map_or("", |(d, _)| d);
    Some(format!("{scheme}://{authority}{dir}/{location}"))
}

/// A URL for messages: the query of a pre-signed blob URL is a credential.
fn redact_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?…"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_against_the_request() {
        let from: Uri = "https://reg.example:5000/v2/a/blobs/sha256:x".parse().unwrap();
        assert_eq!(resolve_location(&from, "https://cdn.example/x?sig=1").as_deref(), Some("https://cdn.example/x?sig=1"));
        assert_eq!(resolve_location(&from, "/other").as_deref(), Some("https://reg.example:5000/other"));
        assert_eq!(resolve_location(&from, "//cdn.example/y").as_deref(), Some("https://cdn.example/y"));
        assert_eq!(resolve_location(&from, "z").as_deref(), Some("https://reg.example:5000/v2/a/blobs/z"));
        assert_eq!(resolve_location(&from, "ftp://x/y"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        let b1 = backoff(base, 1, max);
        assert!(b1 >= base && b1 <= base.mul_f64(1.5), "{b1:?}");
        let b3 = backoff(base, 3, max);
        assert!(b3 >= base * 4, "{b3:?}");
        assert_eq!(backoff(base, 30, max), max);
    }

    #[test]
    fn retriable_statuses() {
        for s in [429, 408, 500, 502, 503, 504] {
            assert!(retriable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [200, 301, 400, 401, 403, 404, 501] {
            assert!(!retriable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
    }

    #[test]
    fn presigned_queries_are_not_printed() {
        assert_eq!(redact_query("https://cdn/x?X-Amz-Signature=secret"), "https://cdn/x?…");
        assert_eq!(redact_query("https://cdn/x"), "https://cdn/x");
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let r: Reference = "127.0.0.1:5000/app".parse().unwrap();
        let c = Client::new(r, false, None, RegistryConfig::default());
        assert!(c.same_origin(&"http://127.0.0.1:5000/v2/".parse().unwrap()));
        assert!(!c.same_origin(&"https://127.0.0.1:5000/v2/".parse().unwrap()));
        assert!(!c.same_origin(&"http://127.0.0.1:5001/v2/".parse().unwrap()));
        assert!(!c.same_origin(&"http://localhost:5000/v2/".parse().unwrap()));
        let hub = Client::new("alpine".parse().unwrap(), false, None, RegistryConfig::default());
        assert!(hub.same_origin(&"https://registry-1.docker.io/v2/".parse().unwrap()));
        assert!(!hub.same_origin(&"http://registry-1.docker.io/v2/".parse().unwrap()));
    }
}
