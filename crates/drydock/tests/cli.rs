//! The binary as a user meets it: help, exit codes, formats, output files.

use assert_cmd::Command;
use drydock_testkit::{ImageBuilder, LayerSpec};
use predicates::prelude::*;

/// The binary, kept away from any advisory database on this machine.
fn drydock() -> Command {
    let mut cmd = Command::cargo_bin("drydock").unwrap();
    cmd.env_remove("DRYDOCK_DB").env("XDG_DATA_HOME", "/nonexistent/drydock-test-data");
    cmd
}

fn image(dir: &std::path::Path) -> String {
    ImageBuilder::new()
        .layer(LayerSpec::new().file("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"))
        .layer(LayerSpec::new().file("app/bin", b"x").created_by("/bin/sh -c #(nop) COPY file:123 in /app/bin "))
        .config(serde_json::json!({"User": "app", "Env": ["SECRET_TOKEN=hunter2"], "Cmd": ["/app/bin"], "ExposedPorts": {"8443/tcp": {}}}))
        .write_oci_layout(dir, "1.0")
        .unwrap();
    format!("{}:1.0", dir.display())
}

#[test]
fn help_teaches_by_example() {
    drydock().arg("--help").assert().success().stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Exit codes")));
    drydock().args(["scan", "--help"]).assert().success().stdout(
        predicate::str::contains("docker-archive:FILE")
            .and(predicate::str::contains("--password-stdin"))
            .and(predicate::str::contains("drydock scan --format json")),
    );
}

#[test]
fn scan_prints_a_table_and_hides_env_values() {
    let tmp = tempfile::tempdir().unwrap();
    let target = image(&tmp.path().join("img"));
    drydock().args(["scan", &target]).assert().success().stdout(
        predicate::str::contains("Alpine Linux v3.20")
            .and(predicate::str::contains("COPY file:123 in /app/bin"))
            .and(predicate::str::contains("SECRET_TOKEN"))
            .and(predicate::str::contains("hunter2").not())
            .and(predicate::str::contains("8443/tcp")),
    );
}

#[test]
fn scan_json_is_versioned_and_written_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let target = image(&tmp.path().join("img"));
    let out = tmp.path().join("report.json");
    drydock().args(["scan", "-q", "--format", "json", "--output"]).arg(&out).arg(&target).assert().success().stdout("");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["image"]["source"], "oci-layout");
    assert_eq!(report["image"]["config"]["user"], "app");
    assert_eq!(report["layers"].as_array().unwrap().len(), 2);
    assert_eq!(report["layers"][1]["compression"], "gzip");
    assert_eq!(report["os"]["id"], "alpine");
    assert_eq!(report["filesystem"]["files"], 2);
    // Only the report was written: no temp files left beside it.
    let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn errors_exit_2_and_name_the_input() {
    drydock()
        .args(["scan", "./no/such/image"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("./no/such/image").and(predicate::str::contains("no such file")));
    let tmp = tempfile::tempdir().unwrap();
    let target = image(&tmp.path().join("img"));
    let missing_tag = target.replace(":1.0", ":2.0");
    drydock().args(["scan", &missing_tag]).assert().code(2).stderr(predicate::str::contains("no image tagged `2.0`; the layout has: 1.0"));
    drydock().args(["scan", "--platform", "linux", &target]).assert().code(2).stderr(predicate::str::contains("os/arch"));
    drydock().args(["scan", "--max-inflated-size", "lots", &target]).assert().code(2);
    // clap's own usage errors also exit 2.
    drydock().args(["scan"]).assert().code(2);
}

#[test]
fn inflate_limit_is_configurable_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bomb");
    ImageBuilder::new().layer(LayerSpec::new().file("zeros", &vec![0u8; 4 << 20])).write_oci_layout(&dir, "t").unwrap();
    drydock()
        .args(["scan", "--max-inflated-size", "1MiB", &format!("{}:t", dir.display())])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("decompression bomb"));
}

#[test]
fn password_stdin_must_not_be_empty() {
    drydock()
        .args(["scan", "--username", "u", "--password-stdin", "registry:127.0.0.1:9/none:1"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input was empty"));
}

/// `drydock scan` against a real distribution registry on loopback, pushed
/// with skopeo: anonymous, with `--password-stdin`, and with credentials
/// from `$DOCKER_CONFIG/config.json`.
#[test]
fn scan_from_a_loopback_registry_anonymous_and_authenticated() {
    use base64::Engine as _;
    use drydock_testkit::registry::DistRegistry;

    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("img");
    image(&layout);

    let open = DistRegistry::start(None);
    open.push(&layout, "1.0", "team/app:1.0", None, false);
    let out = drydock().args(["scan", "--format", "json", &format!("{}/team/app:1.0", open.host())]).assert().success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["image"]["source"], "registry");
    assert_eq!(report["os"]["id"], "alpine");

    let locked = DistRegistry::start(Some(("ci", "s3cret")));
    locked.push(&layout, "1.0", "team/app:1.0", Some("ci:s3cret"), false);
    let reference = format!("registry:{}/team/app:1.0", locked.host());
    drydock()
        .args(["scan", &reference])
        .env("DOCKER_CONFIG", tmp.path().join("no-config"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(locked.host()).and(predicate::str::contains("s3cret").not()));
    drydock()
        .args(["scan", "--username", "ci", "--password-stdin", &reference])
        .env("DOCKER_CONFIG", tmp.path().join("no-config"))
        .write_stdin("s3cret\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Alpine Linux v3.20"));

    let config_dir = tmp.path().join("docker");
    std::fs::create_dir_all(&config_dir).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("ci:s3cret");
    std::fs::write(
        config_dir.join("config.json"),
        serde_json::to_vec(&serde_json::json!({"auths": {locked.host(): {"auth": auth}}})).unwrap(),
    )
    .unwrap();
    drydock().args(["scan", "-q", &reference]).env("DOCKER_CONFIG", &config_dir).assert().success();
}

/// `drydock sbom` on the bundled example (real Debian packages): a table by
/// default, and CycloneDX / SPDX / JSON on request, written atomically.
#[test]
fn sbom_lists_packages_in_every_format() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hello-oci:latest");
    drydock().args(["sbom", example]).assert().success().stdout(
        predicate::str::contains("busybox-static")
            .and(predicate::str::contains("base-files"))
            .and(predicate::str::contains("security support until")),
    );
    let tmp = tempfile::tempdir().unwrap();
    for (format, check) in
        [("cyclonedx", "\"bomFormat\": \"CycloneDX\""), ("spdx", "\"spdxVersion\": \"SPDX-2.3\""), ("json", "\"packages\"")]
    {
        let out = tmp.path().join(format!("sbom.{format}.json"));
        drydock().args(["sbom", "-q", "--format", format, "-o"]).arg(&out).arg(example).assert().success().stdout("");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains(check), "{format}");
        assert!(text.contains("pkg:deb/debian/busybox-static@"), "{format}");
    }
    drydock().args(["sbom", "--format", "xml", example]).assert().code(2);
}

/// `-o /dev/null` must write to the device, not rename a file over it.
#[test]
fn output_to_a_device_writes_in_place() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hello-oci:latest");
    drydock().args(["scan", "-q", "--format", "json", "-o", "/dev/null", example]).assert().success();
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null is still a device");
}
