//! Image hardening checks in `drydock scan`: findings with evidence, and
//! `--scanners` to choose what runs.

use assert_cmd::Command;
use drydock_testkit::{ImageBuilder, LayerSpec};
use predicates::prelude::*;
use serde_json::Value;

fn drydock() -> Command {
    let mut cmd = Command::cargo_bin("drydock").unwrap();
    cmd.env_remove("DRYDOCK_DB").env("XDG_DATA_HOME", "/nonexistent/drydock-test-data");
    cmd
}

/// A GitHub token shape, assembled at run time so no secret-shaped string sits in the source.
fn planted_token() -> String {
    format!("{}{}", "ghp_", "Zq8r2Kd9Lm4Xv7Tb1Wn6Hc3Pf5Yj0Ga8Ue2S")
}

fn planted_password() -> String {
    ["Xk9", "#vQ2", "!mZ7", "@Lp4"].concat()
}

fn bad_image(dir: &std::path::Path) -> String {
    ImageBuilder::new()
        .layer(
            LayerSpec::new().file("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\n").created_by("/bin/sh -c #(nop) ADD file:0b1d in / "),
        )
        .layer(LayerSpec::new().file("srv/app.tar", b"x").created_by("ADD https://example.com/app.tar /srv/ # buildkit"))
        .layer(
            LayerSpec::new()
                .file_mode("bin/sh", b"\x7fELF", 0o755)
                .file_mode("usr/bin/curl", b"\x7fELF", 0o755)
                .file_mode("usr/bin/passwd", b"\x7fELF", 0o4755)
                .dir_mode("srv/shared", 0o777)
                .dir_mode("tmp", 0o1777)
                .file_mode("srv/config.yaml", b"a: 1", 0o666)
                .file("root/.bash_history", b"ls\n")
                .file("etc/ssh/ssh_host_rsa_key", b"key")
                .file("etc/ssh/ssh_host_rsa_key.pub", b"pub")
                .dir("srv/app/.git")
                .file(
                    "etc/passwd",
                    b"root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/:/sbin/nologin\ndev:x:1000:1000::/home/dev:/bin/ash\n",
                )
                .file("etc/shadow", b"root:*:19000:0:::::\ndev::19000:0:::::\n")
                .created_by("RUN apt-get install -y curl openssh-server"),
        )
        .layer(
            LayerSpec::new()
                .file("srv/build.log", b"ok")
                .created_by(&format!("RUN |1 DB_PASSWORD={} /bin/sh -c make install", planted_password())),
        )
        .config(serde_json::json!({
            "Cmd": ["/srv/app"],
            "Env": ["PATH=/usr/bin", format!("GITHUB_TOKEN={}", planted_token())],
            "Healthcheck": {"Test": ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"]}
        }))
        .write_oci_layout(dir, "bad")
        .unwrap();
    format!("oci:{}:bad", dir.display())
}

#[test]
fn the_bad_image_gets_each_finding_with_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let target = bad_image(&tmp.path().join("img"));
    let out = drydock().args(["scan", "--format", "json", &target]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let ids: Vec<&str> = report["hardening"].as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["IMG001", "IMG012", "IMG003", "IMG004", "IMG005", "IMG007", "IMG008", "IMG006", "IMG010"],
        "{:#}",
        report["hardening"]
    );
    let find = |id: &str| report["hardening"].as_array().unwrap().iter().find(|f| f["rule_id"] == id).unwrap().clone();
    let locations =
        |id: &str| find(id)["evidence"].as_array().unwrap().iter().map(|e| e["location"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(locations("IMG004"), ["/usr/bin/passwd"]);
    assert_eq!(find("IMG004")["evidence"][0]["layer_index"], 2);
    assert_eq!(find("IMG004")["evidence"][0]["created_by"], "RUN apt-get install -y curl openssh-server");
    assert_eq!(locations("IMG005"), ["/srv/config.yaml", "/srv/shared"]);
    assert_eq!(locations("IMG006"), ["/bin/sh", "/usr/bin/curl"]);
    assert_eq!(locations("IMG008"), ["/etc/ssh/ssh_host_rsa_key", "/root/.bash_history", "/srv/app/.git"]);
    assert_eq!(report["minimality"], "full");
    let accounts: Vec<String> =
        find("IMG007")["evidence"].as_array().unwrap().iter().map(|e| e["detail"].as_str().unwrap().to_owned()).collect();
    assert_eq!(accounts.len(), 2, "{accounts:?}");
    assert!(accounts[0].contains("`dev`") && accounts[1].contains("empty password"), "{accounts:?}");
    assert_eq!(locations("IMG012"), ["config.Env[1]", "history[3]"]);
    // No output carries a secret in full.
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(!text.contains(&planted_token()), "the token leaked into the JSON report");
    assert!(!text.contains(&planted_password()), "the build-arg password leaked into the JSON report");
    let table = drydock().args(["scan", &target]).assert().success().get_output().stdout.clone();
    let table = String::from_utf8(table).unwrap();
    assert!(!table.contains(&planted_token()) && !table.contains(&planted_password()), "a secret leaked into the table");
    let add = report["hardening"].as_array().unwrap().iter().find(|f| f["rule_id"] == "IMG010").unwrap();
    assert_eq!(add["evidence"].as_array().unwrap().len(), 1, "the base rootfs ADD is not reported");
    assert_eq!(add["evidence"][0]["layer_index"], 1);
    assert!(add["evidence"][0]["layer_digest"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(add["controls"], serde_json::json!(["CM-2", "SI-7"]));
    drydock()
        .args(["scan", &target])
        .assert()
        .success()
        .stdout(predicate::str::contains("Hardening (9)").and(predicate::str::contains("IMG001 runs-as-root")));
    // Only the vulnerability scanner: no hardening section.
    let out = drydock().args(["scan", "--scanners", "vuln", "--format", "json", &target]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert!(report["hardening"].as_array().unwrap().is_empty());
}

#[test]
fn a_clean_image_gets_no_hardening_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    ImageBuilder::new()
        .layer(LayerSpec::new().file("app", b"\x7fELF").created_by("COPY app /app # buildkit"))
        .config(serde_json::json!({
            "User": "65532:65532",
            "Entrypoint": ["/app"],
            "Healthcheck": {"Test": ["CMD", "/app", "healthcheck"]}
        }))
        .write_oci_layout(&dir, "good")
        .unwrap();
    let out =
        drydock().args(["scan", "--format", "json", &format!("oci:{}:good", dir.display())]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert!(report["hardening"].as_array().unwrap().is_empty(), "{:#}", report["hardening"]);
    assert_eq!(report["minimality"], "scratch");
}

/// An AWS access key id shape, assembled at run time.
fn planted_aws_key() -> String {
    format!("{}{}", "AKIA", "Q3EGT2ZR5MBX7HNW")
}

#[test]
fn secrets_in_layer_files_including_deleted_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    let env = format!("# app settings\nDEBUG=false\nAWS_ACCESS_KEY_ID={}\n", planted_aws_key());
    let npmrc = format!("//registry.invalid/:_authToken={}\n", planted_token());
    let key =
        ["-----BEGIN ", "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END ", "OPENSSH PRIVATE KEY-----\n"]
            .concat();
    ImageBuilder::new()
        .layer(
            LayerSpec::new()
                .file("srv/app/.env", env.as_bytes())
                .file("root/.npmrc", npmrc.as_bytes())
                .file("root/.ssh/id_ed25519", key.as_bytes())
                .file("usr/lib/libfake.so.1", format!("\0\0{}", planted_aws_key()).as_bytes())
                .created_by("COPY . /srv/app # buildkit"),
        )
        .layer(
            LayerSpec::new()
                .whiteout("root/.npmrc")
                .whiteout("root/.ssh/id_ed25519")
                .created_by("RUN rm -f /root/.npmrc /root/.ssh/id_ed25519"),
        )
        .config(serde_json::json!({"User": "10001"}))
        .write_oci_layout(&dir, "s")
        .unwrap();
    let target = format!("oci:{}:s", dir.display());
    let out = drydock().args(["scan", "--scanners", "secret", "--format", "json", &target]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out.clone()).unwrap();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let found: Vec<(String, String, bool, u64)> = report["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["rule_id"].as_str().unwrap().to_owned(),
                s["path"].as_str().unwrap().to_owned(),
                s["removed"].as_bool().unwrap(),
                s["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let has = |path: &str, removed: bool| found.iter().any(|(_, p, r, _)| p == path && *r == removed);
    assert!(has("/srv/app/.env", false), "{found:?}");
    assert!(has("/root/.npmrc", true), "a secret in a deleted file is still reported: {found:?}");
    assert!(has("/root/.ssh/id_ed25519", true), "{found:?}");
    assert!(!found.iter().any(|(_, p, _, _)| p.contains("libfake")), "binary files are skipped: {found:?}");
    let env_hit = found.iter().find(|(_, p, _, _)| p == "/srv/app/.env").unwrap();
    assert_eq!(env_hit.3, 3, "line of the key");
    for s in report["secrets"].as_array().unwrap() {
        assert_eq!(s["layer_index"], 0);
        assert!(s["layer_digest"].as_str().unwrap().starts_with("sha256:"));
    }
    assert!(
        !text.contains(&planted_aws_key())
            && !text.contains(&planted_token())
            && !text.contains("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
        "a secret leaked into the report"
    );
    drydock()
        .args(["scan", "--scanners", "secret", &target])
        .assert()
        .success()
        .stdout(predicate::str::contains("in files a later layer deleted").and(predicate::str::contains(planted_aws_key()).not()));
}

#[test]
fn secret_findings_carry_a_fix_and_controls_and_the_allow_list_silences_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("img");
    let env = format!("AWS_ACCESS_KEY_ID={}\n", planted_aws_key());
    let npmrc = format!("//registry.invalid/:_authToken={}\n", planted_token());
    ImageBuilder::new()
        .layer(LayerSpec::new().file("srv/app/tests/fixtures/.env", env.as_bytes()).file("root/.npmrc", npmrc.as_bytes()))
        .layer(LayerSpec::new().whiteout("root/.npmrc").created_by("RUN rm -f /root/.npmrc"))
        .config(serde_json::json!({"User": "10001"}))
        .write_oci_layout(&dir, "s")
        .unwrap();
    let target = format!("oci:{}:s", dir.display());
    let scan = |extra: &[&str]| -> Value {
        let mut args = vec!["scan", "--scanners", "secret", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(&target);
        serde_json::from_slice(&drydock().args(&args).assert().success().get_output().stdout).unwrap()
    };
    let report = scan(&[]);
    let secrets = report["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2, "{secrets:#?}");
    for s in secrets {
        assert_eq!(s["controls"][0], "IA-5(7)");
        assert!(s["remediation"].as_str().unwrap().starts_with("Revoke and rotate"));
    }
    let npm = secrets.iter().find(|s| s["path"] == "/root/.npmrc").unwrap();
    assert!(npm["remediation"].as_str().unwrap().contains("does not remove it from the image"));
    // The fixture directory by path, the token by its fingerprint.
    let config = tmp.path().join("drydock.toml");
    std::fs::write(
        &config,
        format!(
            "[secrets.allow]\npaths = [\"srv/app/tests/fixtures/**\"]\nfingerprints = [\"{}\"]\n",
            npm["fingerprint"].as_str().unwrap()
        ),
    )
    .unwrap();
    let report = scan(&["--config", config.to_str().unwrap()]);
    assert_eq!(report["secrets"], serde_json::json!([]));
    // An unknown rule in the allow-list is an error naming the file.
    std::fs::write(&config, "[secrets.allow]\nrules = [\"SEC999\"]\n").unwrap();
    drydock()
        .args(["scan", "--scanners", "secret", "--config", config.to_str().unwrap(), &target])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("drydock.toml").and(predicate::str::contains("SEC999")));
}

/// Seed 000's image: Amazon Linux 2's FIPS-capable OpenSSL 1.0.2k with
/// `ENV OPENSSL_FIPS=1`; and the same library without the FIPS build.
#[test]
fn fips_verdict_in_json_and_table() {
    let tmp = tempfile::tempdir().unwrap();
    let image = |name: &str, version_text: &str, env: &[&str]| -> String {
        let dir = tmp.path().join(name);
        let lib = format!("\x7fELF\x02\x01\x01\0{version_text}\0");
        ImageBuilder::new()
            .layer(LayerSpec::new().file("usr/lib64/libcrypto.so.10", lib.as_bytes()).created_by("RUN yum install -y dracut-fips openssl"))
            .config(serde_json::json!({"User": "1000", "Env": env}))
            .write_oci_layout(&dir, "t")
            .unwrap();
        format!("oci:{}:t", dir.display())
    };
    let fips = image("fips", "OpenSSL 1.0.2k-fips  26 Jan 2017", &["OPENSSL_FIPS=1"]);
    let out = drydock().args(["scan", "--scanners", "fips", "--format", "json", &fips]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["fips"]["verdict"], "fips-enforced", "{:#}", report["fips"]);
    assert_eq!(report["fips"]["modules"][0]["version"], "1.0.2k");
    assert!(report["hardening"].as_array().unwrap().is_empty(), "{:#}", report["hardening"]);
    drydock().args(["scan", "--scanners", "fips", &fips]).assert().success().stdout(
        predicate::str::contains("FIPS 140: fips-enforced").and(predicate::str::contains("Only the host or a running container can show")),
    );

    let plain = image("plain", "OpenSSL 1.0.2k  26 Jan 2017", &["OPENSSL_FIPS=1"]);
    let out = drydock().args(["scan", "--scanners", "fips", "--format", "json", &plain]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["fips"]["verdict"], "not-fips");
    let finding = &report["hardening"][0];
    assert_eq!((finding["rule_id"].as_str(), finding["severity"].as_str()), (Some("FIPS001"), Some("HIGH")));
    assert_eq!(finding["controls"][0], "SC-13");
    let evidence: Vec<&str> = finding["evidence"].as_array().unwrap().iter().map(|e| e["location"].as_str().unwrap()).collect();
    assert_eq!(evidence, ["/usr/lib64/libcrypto.so.10", "env:OPENSSL_FIPS"]);
    // Without the FIPS scanner there is no verdict.
    let out = drydock().args(["scan", "--scanners", "config", "--format", "json", &plain]).assert().success().get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert!(report.get("fips").is_none());
}
