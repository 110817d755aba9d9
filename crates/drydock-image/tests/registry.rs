//! The registry client against real components, on loopback only:
//! the CNCF distribution registry (`docker-registry`, filled with `skopeo`)
//! for the protocol as real registries speak it, and a small in-test HTTP
//! server for what a real registry won't do on demand (bearer tokens,
//! 503s, redirects to another origin, corrupt blobs).
//!
//! `docker-registry` and `skopeo` must be installed (`apt-get install
//! docker-registry skopeo apache2-utils`); without them these tests fail,
//! they do not skip.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use drydock_core::Digest;
use drydock_image::registry::{self, Credentials, RegistryConfig};
use drydock_image::{Image, ImageError, LayerStream, OpenOptions, Platform};
use drydock_testkit::registry::{DistRegistry, free_port};
use drydock_testkit::{Built, ImageBuilder, LayerSpec};

// ---------------------------------------------------------------- helpers

/// Fast retries so the retry tests take well under a second.
fn fast() -> RegistryConfig {
    RegistryConfig {
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(10),
        ..RegistryConfig::default()
    }
}

fn options() -> OpenOptions {
    OpenOptions { platform: "linux/amd64".parse().unwrap(), ..OpenOptions::default() }
}

fn with_creds(user: &str, pass: &str) -> OpenOptions {
    OpenOptions { credentials: Some(Credentials { username: user.into(), password: pass.into() }), ..options() }
}

fn sample_image() -> ImageBuilder {
    ImageBuilder::new()
        .layer(LayerSpec::new().dir("etc").file("etc/os-release", b"ID=test\n").dir("tmp").symlink("bin/sh", "busybox"))
        .layer(LayerSpec::new().file("app/big.bin", &vec![0x5a; 3 << 20]).uncompressed())
        .layer(LayerSpec::new().file("app/config.toml", b"port = 80\n").zstd())
}

/// Reads a layer to its end (so the digest check runs) and returns its
/// regular files.
fn layer_files(image: &Image, index: usize) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let layer = &image.layers[index];
    let LayerStream::Tar { reader, .. } = image.open_layer(layer).map_err(io::Error::other)? else {
        panic!("registry layers are tar streams")
    };
    let mut archive = tar::Archive::new(reader);
    let mut files = BTreeMap::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.to_string_lossy().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        files.insert(path, data);
    }
    // The tar reader stops at the end-of-archive blocks; drain the rest.
    io::copy(&mut archive.into_inner(), &mut io::sink())?;
    Ok(files)
}

fn assert_sample(image: &Image, built: &Built) {
    assert_eq!(image.manifest_digest.as_ref(), Some(&built.manifest_digest));
    assert_eq!(image.config_digest.as_ref(), Some(&built.config_digest));
    let digests: Vec<Digest> = image.layers.iter().map(|l| l.digest.clone().unwrap()).collect();
    assert_eq!(digests, built.layer_digests);
    assert_eq!(layer_files(image, 0).unwrap()["etc/os-release"], b"ID=test\n");
    assert_eq!(layer_files(image, 1).unwrap()["app/big.bin"].len(), 3 << 20);
    assert_eq!(layer_files(image, 2).unwrap()["app/config.toml"], b"port = 80\n");
}

// ------------------------------------------------------ fake HTTP registry

const TOKEN: &str = "tok-7f3a";

/// What the in-test registry serves and how it misbehaves.
#[derive(Default)]
struct Fake {
    manifests: HashMap<String, (String, Vec<u8>)>,
    blobs: HashMap<String, Vec<u8>>,
    /// Require `Bearer TOKEN`, issued at `/token` to these basic credentials
    /// (or to the refresh token `rt-secret`).
    bearer: Option<(String, String)>,
    /// Answer the next N `/v2/` requests with `fail_status`.
    fail_next: usize,
    fail_status: u16,
    retry_after: Option<String>,
    /// Redirect blob GETs to this base URL (another origin).
    redirect_blobs: Option<String>,
    /// Announce a wrong `Docker-Content-Digest`.
    lie_about_digest: bool,
    log: Vec<Logged>,
}

#[derive(Clone, Debug)]
struct Logged {
    method: String,
    target: String,
    authorization: Option<String>,
}

impl Fake {
    fn with_image(mut self, repo_tag: &str, built: &Built) -> Fake {
        let media = "application/vnd.oci.image.manifest.v1+json".to_owned();
        self.manifests.insert(repo_tag.to_owned(), (media.clone(), built.manifest.clone()));
        self.manifests.insert(built.manifest_digest.to_string(), (media, built.manifest.clone()));
        self.blobs.insert(built.config_digest.to_string(), built.config.clone());
        for (d, (_, b)) in built.layer_digests.iter().zip(&built.blobs) {
            self.blobs.insert(d.to_string(), b.clone());
        }
        self
    }
}

struct FakeServer {
    port: u16,
    state: Arc<Mutex<Fake>>,
    stop: Arc<AtomicBool>,
}

impl FakeServer {
    fn start(configure: impl FnOnce(u16) -> Fake) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(configure(port)));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = handle(conn, port, &s);
                });
            }
        });
        FakeServer { port, state, stop }
    }

    fn reference(&self, rest: &str) -> String {
        format!("127.0.0.1:{}/{rest}", self.port)
    }

    fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One request per connection (`Connection: close`), enough for ureq.
fn handle(conn: TcpStream, port: u16, state: &Mutex<Fake>) -> io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned());
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let mut body = vec![0; headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0)];
    reader.read_exact(&mut body)?;
    let authorization = headers.get("authorization").cloned();
    let (status, extra, payload) = respond(&method, &target, authorization.as_deref(), &body, port, state);
    let mut conn = conn;
    write!(conn, "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", payload.len())?;
    for (k, v) in extra {
        write!(conn, "{k}: {v}\r\n")?;
    }
    conn.write_all(b"\r\n")?;
    conn.write_all(&payload)?;
    conn.flush()
}

type Reply = (u16, Vec<(&'static str, String)>, Vec<u8>);

fn respond(method: &str, target: &str, authorization: Option<&str>, body: &[u8], port: u16, state: &Mutex<Fake>) -> Reply {
    let mut s = state.lock().unwrap();
    s.log.push(Logged { method: method.into(), target: target.into(), authorization: authorization.map(str::to_owned) });
    let path = target.split('?').next().unwrap_or_default();
    let error = |status: u16, code: &str| -> Reply {
        (
            status,
            vec![("Content-Type", "application/json".into())],
            format!(r#"{{"errors":[{{"code":"{code}","message":"{code} here"}}]}}"#).into_bytes(),
        )
    };

    if path == "/token" {
        let Some((user, pass)) = s.bearer.clone() else {
            return error(404, "NOT_FOUND");
        };
        let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}")));
        let body = String::from_utf8_lossy(body);
        let ok = if method == "POST" {
            body.contains("grant_type=refresh_token") && body.contains("refresh_token=rt-secret")
        } else {
            authorization == Some(basic.as_str())
        };
        if !ok {
            return error(401, "UNAUTHORIZED");
        }
        return (
            200,
            vec![("Content-Type", "application/json".into())],
            format!(r#"{{"access_token":"{TOKEN}","expires_in":300}}"#).into_bytes(),
        );
    }
    if let Some(digest) = path.strip_prefix("/cdn/") {
        return match s.blobs.get(digest) {
            Some(b) => (200, vec![], b.clone()),
            None => error(404, "BLOB_UNKNOWN"),
        };
    }
    if !path.starts_with("/v2/") {
        return error(404, "NOT_FOUND");
    }
    if s.fail_next > 0 {
        s.fail_next -= 1;
        let headers = s.retry_after.clone().map(|r| vec![("Retry-After", r)]).unwrap_or_default();
        return (s.fail_status, headers, b"busy".to_vec());
    }
    if s.bearer.is_some() && authorization != Some(format!("Bearer {TOKEN}").as_str()) {
        let challenge = format!(r#"Bearer realm="http://127.0.0.1:{port}/token",service="test",scope="repository:app:pull""#);
        let mut reply = error(401, "UNAUTHORIZED");
        reply.1.push(("WWW-Authenticate", challenge));
        return reply;
    }
    let rest = &path["/v2/".len()..];
    if let Some((_, reference)) = rest.rsplit_once("/manifests/") {
        let repo_tag = format!("{}:{reference}", &rest[..rest.len() - reference.len() - "/manifests/".len()]);
        let found = s.manifests.get(&repo_tag).or_else(|| s.manifests.get(reference)).cloned();
        return match found {
            Some((media, bytes)) => {
                let announced = if s.lie_about_digest { Digest::sha256_of(b"something else") } else { Digest::sha256_of(&bytes) };
                (200, vec![("Content-Type", media), ("Docker-Content-Digest", announced.to_string())], bytes)
            }
            None => error(404, "MANIFEST_UNKNOWN"),
        };
    }
    if let Some((_, digest)) = rest.rsplit_once("/blobs/") {
        if let Some(cdn) = &s.redirect_blobs {
            return (307, vec![("Location", format!("{cdn}/cdn/{digest}?sig=secret-signature"))], Vec::new());
        }
        return match s.blobs.get(digest) {
            Some(b) => (200, vec![("Content-Type", "application/octet-stream".into())], b.clone()),
            None => error(404, "BLOB_UNKNOWN"),
        };
    }
    (200, vec![("Content-Type", "application/json".into())], b"{}".to_vec())
}

// ------------------------------------------- against the real registry

#[test]
fn anonymous_pull_streams_and_verifies_every_layer() {
    let reg = DistRegistry::start(None);
    let layout = tempfile::tempdir().unwrap();
    let built = sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "team/app:v1", None, false);

    let image = registry::open_with(&format!("{}/team/app:v1", reg.host()), &options(), &fast()).unwrap();
    assert_eq!(image.reference, format!("{}/team/app:v1", reg.host()));
    assert_eq!(image.source, drydock_image::SourceKind::Registry);
    assert_eq!(image.index_digest, None);
    assert_eq!(image.config.config.as_ref().and_then(|c| c.user.as_deref()), Some("1000"));
    assert_sample(&image, &built);

    // Layers are opened from several threads at once by the scanner.
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..image.layers.len())
            .map(|i| {
                s.spawn({
                    let image = &image;
                    move || layer_files(image, i).unwrap().len()
                })
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap() > 0);
        }
    });
}

#[test]
fn pull_by_digest_and_by_tag_plus_digest() {
    let reg = DistRegistry::start(None);
    let layout = tempfile::tempdir().unwrap();
    let built = sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "app:v1", None, false);

    for reference in [format!("{}/app@{}", reg.host(), built.manifest_digest), format!("{}/app:v1@{}", reg.host(), built.manifest_digest)] {
        let image = registry::open_with(&reference, &options(), &fast()).unwrap();
        assert_eq!(image.reference, reference);
        assert_sample(&image, &built);
    }

    // A digest the registry doesn't have is a not-found, not a mismatch.
    let other = Digest::sha256_of(b"no such manifest");
    let err = registry::open_with(&format!("{}/app@{other}", reg.host()), &options(), &fast()).err().unwrap();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
}

#[test]
fn multi_arch_index_resolves_to_the_requested_platform() {
    let reg = DistRegistry::start(None);
    let layout = tempfile::tempdir().unwrap();
    let amd = ImageBuilder::new().platform("linux", "amd64").layer(LayerSpec::new().file("arch", b"amd64\n"));
    let arm = ImageBuilder::new().platform("linux", "arm64").layer(LayerSpec::new().file("arch", b"arm64\n"));
    let built = drydock_testkit::write_multi_platform_layout(layout.path(), "multi", &[&amd, &arm]).unwrap();
    reg.push(layout.path(), "multi", "multi:1", None, true);

    let reference = format!("{}/multi:1", reg.host());
    for (platform, index) in [("linux/arm64", 1), ("linux/amd64", 0)] {
        let opts = OpenOptions { platform: platform.parse().unwrap(), platform_explicit: true, ..options() };
        let image = registry::open_with(&reference, &opts, &fast()).unwrap();
        assert!(image.index_digest.is_some(), "an index was resolved");
        assert_eq!(image.manifest_digest.as_ref(), Some(&built[index].manifest_digest));
        assert_eq!(image.platform.as_ref().map(Platform::to_string).as_deref(), Some(platform));
        let arch = String::from_utf8(layer_files(&image, 0).unwrap()["arch"].clone()).unwrap();
        assert_eq!(format!("linux/{}", arch.trim()), platform);
    }

    let opts = OpenOptions { platform: "linux/s390x".parse().unwrap(), platform_explicit: true, ..options() };
    let err = registry::open_with(&reference, &opts, &fast()).err().unwrap();
    assert!(matches!(err, ImageError::NoPlatform { .. }), "{err}");
    assert!(err.to_string().contains("linux/arm64"), "{err}");
}

#[test]
fn unknown_tag_and_repository_are_clear_not_found_errors() {
    let reg = DistRegistry::start(None);
    let layout = tempfile::tempdir().unwrap();
    sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "app:v1", None, false);

    let err = registry::open_with(&format!("{}/app:nope", reg.host()), &options(), &fast()).err().unwrap();
    let msg = err.to_string();
    assert!(matches!(err, ImageError::NotFound { .. }), "{msg}");
    assert!(msg.contains("manifest `nope` not found in repository `app`"), "{msg}");
    assert!(msg.contains("MANIFEST_UNKNOWN"), "{msg}");

    let err = registry::open_with(&format!("{}/never/pushed", reg.host()), &options(), &fast()).err().unwrap();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
}

#[test]
fn basic_auth_with_command_line_credentials() {
    let reg = DistRegistry::start(Some(("alice", "s3cret-pw")));
    let layout = tempfile::tempdir().unwrap();
    let built = sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "private/app:v1", Some("alice:s3cret-pw"), false);
    let reference = format!("{}/private/app:v1", reg.host());
    let empty_config = tempfile::tempdir().unwrap();
    let config = RegistryConfig { docker_config_dir: Some(empty_config.path().into()), ..fast() };

    let image = registry::open_with(&reference, &with_creds("alice", "s3cret-pw"), &config).unwrap();
    assert_sample(&image, &built);

    let err = registry::open_with(&reference, &with_creds("alice", "Bad-Pw-42"), &config).err().unwrap();
    let msg = err.to_string();
    assert!(matches!(err, ImageError::Registry { .. }), "{msg}");
    assert!(msg.contains("authentication failed for user `alice`"), "{msg}");
    assert!(!msg.contains("Bad-Pw-42"), "the password must not be printed: {msg}");

    let err = registry::open_with(&reference, &options(), &config).err().unwrap();
    assert!(err.to_string().contains("authentication required"), "{err}");
}

fn write_docker_config(dir: &Path, host: &str, user: &str, pass: &str) {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    std::fs::write(dir.join("config.json"), format!(r#"{{"auths":{{"{host}":{{"auth":"{auth}"}}}}}}"#)).unwrap();
}

#[test]
fn basic_auth_from_docker_config_json() {
    let reg = DistRegistry::start(Some(("bob", "hunter2")));
    let layout = tempfile::tempdir().unwrap();
    let built = sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "app:v1", Some("bob:hunter2"), false);
    let reference = format!("{}/app:v1", reg.host());

    let docker = tempfile::tempdir().unwrap();
    write_docker_config(docker.path(), &reg.host(), "bob", "hunter2");
    let config = RegistryConfig { docker_config_dir: Some(docker.path().into()), ..fast() };
    let image = registry::open_with(&reference, &options(), &config).unwrap();
    assert_sample(&image, &built);

    // Command-line credentials win over config.json.
    write_docker_config(docker.path(), &reg.host(), "bob", "stale");
    registry::open_with(&reference, &with_creds("bob", "hunter2"), &config).unwrap();
    let err = registry::open_with(&reference, &options(), &config).err().unwrap();
    assert!(err.to_string().contains("authentication failed"), "{err}");
}

/// `$DOCKER_CONFIG` itself is honoured: checked in a child process so the
/// test never mutates this process's environment (other tests run beside it).
#[test]
fn docker_config_env_var_is_honoured() {
    let reg = DistRegistry::start(Some(("carol", "pw-carol")));
    let layout = tempfile::tempdir().unwrap();
    sample_image().write_oci_layout(layout.path(), "v1").unwrap();
    reg.push(layout.path(), "v1", "app:v1", Some("carol:pw-carol"), false);
    let docker = tempfile::tempdir().unwrap();
    write_docker_config(docker.path(), &reg.host(), "carol", "pw-carol");

    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "docker_config_env_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DOCKER_CONFIG", docker.path())
        .env("DRYDOCK_TEST_REFERENCE", format!("{}/app:v1", reg.host()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains("1 passed"), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
#[ignore = "run by docker_config_env_var_is_honoured with DOCKER_CONFIG set"]
fn docker_config_env_child() {
    // Only meaningful when started by the test above (`--ignored` alone runs it bare).
    let Ok(reference) = std::env::var("DRYDOCK_TEST_REFERENCE") else {
        return;
    };
    let image = registry::open_with(&reference, &options(), &fast()).unwrap();
    assert_eq!(image.layers.len(), 3);
}

// ------------------------------------------------- against the fake server

#[test]
fn bearer_token_auth_with_scope_and_service() {
    let built = sample_image().build().unwrap();
    let fake =
        FakeServer::start(|_| Fake { bearer: Some(("dave".into(), "pw-dave".into())), ..Fake::default() }.with_image("app:v1", &built));
    let image = registry::open_with(&fake.reference("app:v1"), &with_creds("dave", "pw-dave"), &fast()).unwrap();
    assert_sample(&image, &built);

    let log = fake.log();
    let token_requests: Vec<_> = log.iter().filter(|l| l.target.starts_with("/token")).collect();
    assert_eq!(token_requests.len(), 1, "the token is cached across manifest, config and layers: {log:?}");
    assert!(token_requests[0].target.contains("service=test"), "{}", token_requests[0].target);
    let query = token_requests[0].target.replace("%3A", ":").replace("%3a", ":");
    assert!(query.contains("scope=repository:app:pull"), "{query}");
    // Basic credentials go to the token service only; the registry sees the token.
    for l in log.iter().filter(|l| l.target.starts_with("/v2/")) {
        assert!(l.authorization.as_deref().is_none_or(|a| a.starts_with("Bearer ")), "{l:?}");
    }
}

#[test]
fn bearer_token_errors_and_anonymous_refusal() {
    let built = sample_image().build().unwrap();
    let fake =
        FakeServer::start(|_| Fake { bearer: Some(("dave".into(), "pw-dave".into())), ..Fake::default() }.with_image("app:v1", &built));
    let empty = tempfile::tempdir().unwrap();
    let config = RegistryConfig { docker_config_dir: Some(empty.path().into()), ..fast() };

    let err = registry::open_with(&fake.reference("app:v1"), &with_creds("dave", "nope-pw"), &config).err().unwrap();
    let msg = err.to_string();
    assert!(msg.contains("authentication failed for user `dave`"), "{msg}");
    assert!(!msg.contains("nope-pw") && !msg.contains(TOKEN), "no secrets in messages: {msg}");

    let err = registry::open_with(&fake.reference("app:v1"), &options(), &config).err().unwrap();
    assert!(err.to_string().contains("authentication required"), "{err}");
}

#[test]
fn identity_token_from_docker_config_is_exchanged_at_the_realm() {
    let built = sample_image().build().unwrap();
    let fake = FakeServer::start(|_| Fake { bearer: Some(("x".into(), "y".into())), ..Fake::default() }.with_image("app:v1", &built));
    let docker = tempfile::tempdir().unwrap();
    std::fs::write(
        docker.path().join("config.json"),
        format!(r#"{{"auths":{{"127.0.0.1:{}":{{"identitytoken":"rt-secret"}}}}}}"#, fake.port),
    )
    .unwrap();
    let config = RegistryConfig { docker_config_dir: Some(docker.path().into()), ..fast() };
    let image = registry::open_with(&fake.reference("app:v1"), &options(), &config).unwrap();
    assert_eq!(image.layers.len(), 3);
    assert!(fake.log().iter().any(|l| l.method == "POST" && l.target == "/token"));
}

#[test]
fn authorization_is_not_forwarded_on_blob_redirects_to_another_host() {
    let built = sample_image().build().unwrap();
    let cdn = FakeServer::start(|_| Fake::default().with_image("unused:x", &built));
    let cdn_url = format!("http://127.0.0.1:{}", cdn.port);
    let fake = FakeServer::start(|_| {
        Fake { bearer: Some(("erin".into(), "pw-erin".into())), redirect_blobs: Some(cdn_url), ..Fake::default() }
            .with_image("app:v1", &built)
    });
    let image = registry::open_with(&fake.reference("app:v1"), &with_creds("erin", "pw-erin"), &fast()).unwrap();
    assert_sample(&image, &built);
    let cdn_log = cdn.log();
    assert!(cdn_log.len() >= 4, "config and layers came from the CDN: {cdn_log:?}");
    assert!(cdn_log.iter().all(|l| l.authorization.is_none()), "credentials leaked to another host: {cdn_log:?}");
}

#[test]
fn retries_503_then_succeeds() {
    let built = sample_image().build().unwrap();
    let fake = FakeServer::start(|_| Fake { fail_next: 2, fail_status: 503, ..Fake::default() }.with_image("app:v1", &built));
    let started = Instant::now();
    let image = registry::open_with(&fake.reference("app:v1"), &options(), &fast()).unwrap();
    assert_sample(&image, &built);
    assert!(started.elapsed() < Duration::from_secs(5));
    let manifest_gets = fake.log().iter().filter(|l| l.target.contains("/manifests/")).count();
    assert_eq!(manifest_gets, 3, "two 503s, then the manifest");
}

#[test]
fn retries_429_honouring_retry_after_and_gives_up_eventually() {
    let built = sample_image().build().unwrap();
    let fake = FakeServer::start(|_| {
        Fake { fail_next: 1, fail_status: 429, retry_after: Some("1".into()), ..Fake::default() }.with_image("app:v1", &built)
    });
    let config = RegistryConfig { max_delay: Duration::from_secs(5), ..fast() };
    let started = Instant::now();
    registry::open_with(&fake.reference("app:v1"), &options(), &config).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After: 1 was honoured ({:?})", started.elapsed());

    let fake = FakeServer::start(|_| Fake { fail_next: 100, fail_status: 503, ..Fake::default() }.with_image("app:v1", &built));
    let started = Instant::now();
    let err = registry::open_with(&fake.reference("app:v1"), &options(), &fast()).err().unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(fake.log().len(), 4, "four attempts, then the error");
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let port = free_port();
    let started = Instant::now();
    let err = registry::open_with(&format!("127.0.0.1:{port}/app:v1"), &options(), &fast()).err().unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    let msg = err.to_string();
    assert!(msg.contains(&format!("registry 127.0.0.1:{port}")) && msg.contains("after 4 attempts"), "{msg}");
}

#[test]
fn corrupt_blob_fails_verification_when_read_to_the_end() {
    let built = ImageBuilder::new().layer(LayerSpec::new().file("etc/passwd", &vec![b'x'; 10_000]).uncompressed()).build().unwrap();
    let fake = FakeServer::start(|_| {
        let mut f = Fake::default().with_image("app:v1", &built);
        let blob = f.blobs.get_mut(&built.layer_digests[0].to_string()).unwrap();
        blob[600] ^= 0x01; // inside the file's data: the tar stays readable
        f
    });
    let image = registry::open_with(&fake.reference("app:v1"), &options(), &fast()).unwrap();
    let err = layer_files(&image, 0).unwrap_err();
    assert!(err.to_string().contains("digest mismatch"), "{err}");
}

#[test]
fn missing_blob_is_reported_as_missing() {
    let built = sample_image().build().unwrap();
    let fake = FakeServer::start(|_| {
        let mut f = Fake::default().with_image("app:v1", &built);
        f.blobs.remove(&built.layer_digests[1].to_string());
        f
    });
    let image = registry::open_with(&fake.reference("app:v1"), &options(), &fast()).unwrap();
    let err = image.open_layer(&image.layers[1]).err().unwrap();
    assert!(matches!(&err, ImageError::MissingBlob { digest, .. } if *digest == built.layer_digests[1]), "{err}");
}

#[test]
fn manifest_digest_mismatches_are_refused() {
    let built = sample_image().build().unwrap();
    // A registry announcing a digest its content doesn't have.
    let fake = FakeServer::start(|_| Fake { lie_about_digest: true, ..Fake::default() }.with_image("app:v1", &built));
    let err = registry::open_with(&fake.reference("app:v1"), &options(), &fast()).err().unwrap();
    assert!(matches!(err, ImageError::DigestMismatch { .. }), "{err}");

    // A registry serving other content under the digest the user pinned.
    let other = ImageBuilder::new().layer(LayerSpec::new().file("x", b"y")).build().unwrap();
    let fake = FakeServer::start(|_| {
        let mut f = Fake::default().with_image("app:v1", &built);
        f.manifests
            .insert(built.manifest_digest.to_string(), ("application/vnd.oci.image.manifest.v1+json".into(), other.manifest.clone()));
        f
    });
    let err = registry::open_with(&fake.reference(&format!("app@{}", built.manifest_digest)), &options(), &fast()).err().unwrap();
    assert!(matches!(err, ImageError::DigestMismatch { .. }), "{err}");
}

#[test]
fn malformed_references_are_bad_targets() {
    // Loopback hosts only: a reference that parses would be fetched.
    for bad in ["127.0.0.1:1/Upper", "127.0.0.1:1/app:", "127.0.0.1:1/app@sha256:123", "127.0.0.1:99999/app", "app/Upper"] {
        let err = registry::open_with(bad, &options(), &fast()).err().unwrap();
        assert!(matches!(err, ImageError::BadTarget { .. }), "{bad}: {err}");
    }
}
