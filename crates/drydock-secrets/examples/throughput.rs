//! Single-threaded scan throughput over ~100 MB of generated, Debian-like text files with a few
//! planted secrets. Run: `cargo run --release -p drydock-secrets --example throughput [MB]`.

use std::time::Instant;

use drydock_secrets::{Allowlist, ScanOptions, Scanner};

const SNIPPETS: &[&str] = &[
    "# This is the sshd server system-wide configuration file.  See\n# sshd_config(5) for more information.\nPort 22\n#PasswordAuthentication yes\nPermitEmptyPasswords no\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n",
    "deb http://deb.debian.invalid/debian bookworm main contrib\ndeb http://deb.debian.invalid/debian-security bookworm-security main\ndeb http://deb.debian.invalid/debian bookworm-updates main\n",
    "def authenticate(self, request, username=None, password=None, **kwargs):\n    if username is None:\n        username = kwargs.get(UserModel.USERNAME_FIELD)\n    try:\n        user = UserModel._default_manager.get_by_natural_key(username)\n    except UserModel.DoesNotExist:\n        UserModel().set_password(password)\n    else:\n        if user.check_password(password) and self.user_can_authenticate(user):\n            return user\n",
    "[Unit]\nDescription=OpenBSD Secure Shell server\nAfter=network.target auditd.service\nConditionPathExists=!/etc/ssh/sshd_not_to_be_run\n\n[Service]\nEnvironmentFile=-/etc/default/ssh\nExecStartPre=/usr/sbin/sshd -t\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\nKillMode=process\nRestart=on-failure\n",
    "server {\n\tlisten 80 default_server;\n\tlisten [::]:80 default_server;\n\troot /var/www/html;\n\tindex index.html index.htm index.nginx-debian.html;\n\tserver_name _;\n\tlocation / {\n\t\ttry_files $uri $uri/ =404;\n\t}\n}\n",
    "openssl (3.0.11-1~deb12u2) bookworm-security; urgency=medium\n\n  * Non-maintainer upload by the Security Team.\n  * Fix CVE-2023-5678: Excessive time spent in DH check / generation with\n    large Q parameter value.\n\n -- Sebastian Ramacher <sramacher@debian.org>  Sat, 25 Nov 2023 09:19:54 +0100\n",
    "#!/bin/sh\nset -e\nif [ \"$1\" = configure ]; then\n    if ! getent passwd sshd >/dev/null; then\n        adduser --quiet --system --no-create-home --home /run/sshd --shell /usr/sbin/nologin sshd\n    fi\n    token_file=/var/lib/app/token\n    chmod 600 \"$token_file\"\nfi\n#DEBHELPER#\nexit 0\n",
    "{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\",\n  \"description\": \"String left pad\",\n  \"main\": \"index.js\",\n  \"scripts\": { \"test\": \"node test\" },\n  \"repository\": { \"type\": \"git\", \"url\": \"git+https://github.com/stevemao/left-pad.git\" },\n  \"license\": \"WTFPL\"\n}\n",
    "/*\n * Copyright (c) 2004 The OpenSSL Project.  All rights reserved.\n */\nstatic int pkey_rsa_sign(EVP_PKEY_CTX *ctx, unsigned char *sig, size_t *siglen,\n                         const unsigned char *tbs, size_t tbslen)\n{\n    int ret;\n    RSA_PKEY_CTX *rctx = ctx->data;\n    if (rctx->md) {\n        if (tbslen != (size_t)EVP_MD_get_size(rctx->md)) {\n            ERR_raise(ERR_LIB_RSA, RSA_R_INVALID_DIGEST_LENGTH);\n            return -1;\n        }\n    }\n    return ret;\n}\n",
    "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n",
];

fn gen_chars(seed: u64, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            A[(x % A.len() as u64) as usize] as char
        })
        .collect()
}

fn main() {
    let target_mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let target = target_mb * 1_000_000;
    let planted = [
        format!("export GITHUB_TOKEN={}{}\n", "ghp_", gen_chars(1, 36)),
        format!("DATABASE_URL=postgres://app:{}@db:5432/app\n", gen_chars(2, 16)),
        format!("db_password = {}\n", gen_chars(3, 20)),
    ];
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total = 0;
    let mut i = 0usize;
    while total < target {
        let size = 2_000 + (i * 7919) % 30_000;
        let mut body = String::with_capacity(size + 1024);
        let mut j = i;
        while body.len() < size {
            body.push_str(SNIPPETS[j % SNIPPETS.len()]);
            j += 3;
        }
        if i.is_multiple_of(500) {
            body.push_str(&planted[i / 500 % planted.len()]);
        }
        total += body.len();
        files.push((format!("usr/share/doc/pkg{i}/file{}", i % 13), body.into_bytes()));
        i += 1;
    }

    // THROUGHPUT_DISABLE=SEC021,SEC020 measures the cost of individual rules.
    let rule_ids =
        std::env::var("THROUGHPUT_DISABLE").map(|v| v.split(',').filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default();
    let scanner = Scanner::new(Allowlist { rule_ids, ..Default::default() }, ScanOptions::default()).expect("rules compile");
    let mut findings = 0;
    let started = Instant::now();
    for (path, body) in &files {
        findings += scanner.scan(path, body).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB, {findings} findings, {:.3} s, {:.0} MB/s (one thread)",
        files.len(),
        total as f64 / 1e6,
        secs,
        total as f64 / 1e6 / secs
    );
}
