//! A real CNCF distribution registry (Debian's `docker-registry`) on a free
//! loopback port for tests, filled with `skopeo`, killed on drop. Missing
//! tools fail the test with the package to install: they never skip.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("`{name}` is not installed; the registry tests need it (apt-get install docker-registry skopeo apache2-utils)")
    })
}

/// A real distribution registry on a free loopback port, killed on drop.
pub struct DistRegistry {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl DistRegistry {
    pub fn start(htpasswd: Option<(&str, &str)>) -> DistRegistry {
        let bin = tool("docker-registry");
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let auth = match htpasswd {
            Some((user, pass)) => {
                // distribution only accepts bcrypt entries.
                let out = Command::new(tool("htpasswd")).args(["-Bbn", user, pass]).output().unwrap();
                assert!(out.status.success(), "htpasswd: {}", String::from_utf8_lossy(&out.stderr));
                std::fs::write(dir.path().join("htpasswd"), &out.stdout).unwrap();
                format!("auth:\n  htpasswd:\n    realm: test\n    path: {}\n", dir.path().join("htpasswd").display())
            }
            None => String::new(),
        };
        let config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
             http:\n  addr: 127.0.0.1:{port}\n  secret: drydock-test\n{auth}",
            dir.path().join("data").display()
        );
        std::fs::write(dir.path().join("config.yml"), config).unwrap();
        let log = std::fs::File::create(dir.path().join("log")).unwrap();
        let mut child = Command::new(bin)
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting docker-registry");
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
                panic!("docker-registry exited ({status}) before listening:\n{log}");
            }
            assert!(Instant::now() < deadline, "docker-registry did not listen on 127.0.0.1:{port} within 15 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        DistRegistry { child, port, _dir: dir }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Pushes an OCI layout's `tag` with skopeo, as a user would.
    pub fn push(&self, layout: &Path, tag: &str, dest: &str, creds: Option<&str>, all: bool) {
        let mut cmd = Command::new(tool("skopeo"));
        // --preserve-digests: skopeo would otherwise gzip the uncompressed layer
        // on the way, and the digests would no longer be the ones we built.
        cmd.args(["--insecure-policy", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false"]);
        if all {
            cmd.arg("--all");
        }
        if let Some(c) = creds {
            cmd.args(["--dest-creds", c]);
        }
        cmd.arg(format!("oci:{}:{tag}", layout.display())).arg(format!("docker://{}/{dest}", self.host()));
        let out = cmd.stdin(Stdio::null()).output().expect("running skopeo");
        assert!(out.status.success(), "skopeo copy failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for DistRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
