//! Detection tests. Every secret-shaped value is assembled at run time (prefix + generated
//! characters) so this file never contains a string that other secret scanners would flag.

use std::collections::HashSet;

use drydock_secrets::{Allowlist, Error, RULES, ScanOptions, ScanOutcome, Scanner, SecretMatch, SkipReason, compile_pattern};
use sha2::{Digest, Sha256};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";

/// Deterministic pseudo-random characters from `alphabet`.
fn gen_chars(seed: u64, n: usize, alphabet: &[u8]) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

fn scanner() -> Scanner {
    Scanner::new(Allowlist::default(), ScanOptions::default()).unwrap()
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// (line, column), 1-based, of the first occurrence of `needle` (ASCII content).
fn position(content: &str, needle: &str) -> (usize, usize) {
    let off = content.find(needle).expect("secret planted");
    let line = content[..off].matches('\n').count() + 1;
    let col = off - content[..off].rfind('\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

fn assert_no_leak(found: &[SecretMatch], secret: &str) {
    let json = serde_json::to_string(found).unwrap();
    let debug = format!("{found:?}");
    assert!(!json.contains(secret) && !debug.contains(secret), "secret leaked: {json}");
    for f in found {
        assert!(!f.redacted.contains(secret));
    }
}

/// Scans `content`, expects exactly one finding, by `rule_id`, at `secret`'s position.
fn expect_one(rule_id: &str, path: &str, content: &str, secret: &str) -> SecretMatch {
    let found = scanner().scan_text(path, content);
    assert_no_leak(&found, secret);
    assert_eq!(found.len(), 1, "{rule_id}: {found:#?}");
    let f = found.into_iter().next().unwrap();
    assert_eq!(f.rule_id, rule_id, "{f:#?}");
    assert_eq!((f.line, f.column), position(content, secret), "{f:#?}");
    assert_eq!(f.path, path);
    let rule = RULES.iter().find(|r| r.id == rule_id).unwrap();
    assert_eq!((f.rule_name.as_str(), f.severity.as_str(), f.title.as_str()), (rule.name, rule.severity, rule.title));
    f
}

#[test]
fn registry_is_sound() {
    let mut seen = HashSet::new();
    for pair in RULES.windows(2) {
        assert!(pair[0].id < pair[1].id, "ids sorted: {} {}", pair[0].id, pair[1].id);
    }
    for r in RULES {
        assert!(seen.insert(r.id) && seen.insert(r.name), "duplicate {}", r.id);
        assert!(r.id.starts_with("SEC") && r.id.len() == 6);
        assert!(r.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", r.name);
        assert!(matches!(r.severity, "critical" | "high" | "medium" | "low"), "{}", r.id);
        assert!(!r.keywords.is_empty());
        assert!(r.keywords.iter().all(|k| *k == k.to_ascii_lowercase() && !k.is_empty()), "{}", r.id);
        let re = compile_pattern(r).unwrap();
        assert!(re.capture_names().any(|n| n == Some("secret")), "{} has no secret group", r.id);
    }
    assert_eq!(scanner().rule_ids().count(), RULES.len());
}

#[test]
fn every_rule_has_a_planted_positive() {
    let mut covered = HashSet::new();
    let mut hit = |f: SecretMatch| covered.insert(f.rule_id);

    let key = format!("{}{}", "AKIA", gen_chars(1, 16, B32));
    let f = expect_one("SEC001", "etc/profile.d/aws.sh", &format!("# aws\nexport AWS_ACCESS_KEY_ID={key}\n"), &key);
    assert_eq!((f.line, f.column), (2, 26));
    assert_eq!(f.redacted, "AKIA…(20 chars)");
    assert_eq!(f.fingerprint, sha(&key));
    hit(f);

    let s = gen_chars(2, 40, B64);
    let f = expect_one("SEC002", "root/.aws/credentials", &format!("[default]\naws_secret_access_key = {s}\nregion = x\n"), &s);
    assert_eq!((f.line, f.column), (2, 25));
    hit(f);

    let header = format!("-----BEGIN {}-----", "PRIVATE KEY");
    let footer = format!("-----END {}-----", "PRIVATE KEY");
    let pk = format!("{header}\\n{}\\n{}\\n{footer}\\n", gen_chars(3, 64, B64), gen_chars(4, 40, B64));
    let json = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"proj\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"{pk}\",\n  \"client_email\": \"svc@proj.iam.gserviceaccount.com\"\n}}\n",
        gen_chars(5, 40, HEX)
    );
    let f = expect_one("SEC003", "app/sa.json", &json, &pk);
    assert_eq!((f.line, f.column), (5, 19));
    assert_eq!(f.redacted, format!("{header}…"));
    assert_eq!(f.fingerprint, sha(&pk));
    hit(f);

    let k = format!("{}==", gen_chars(6, 86, B64));
    let conn = format!("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={k};EndpointSuffix=core.windows.net\n");
    hit(expect_one("SEC004", "app/appsettings.json", &conn, &k));

    let sig = format!("{}%3D", gen_chars(7, 43, ALNUM));
    let url = format!(
        "curl 'https://acct.blob.core.windows.net/c/b.tgz?sv=2021-06-08&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig={sig}'\n"
    );
    hit(expect_one("SEC005", "build.sh", &url, &sig));

    let t = format!("{}{}", "ghp_", gen_chars(8, 36, ALNUM));
    hit(expect_one("SEC006", "root/.config/gh/hosts.yml", &format!("github.com:\n    oauth_token: {t}\n    user: me\n"), &t));

    let t = format!("{}{}_{}", "github_pat_", gen_chars(9, 22, ALNUM), gen_chars(10, 59, ALNUM));
    hit(expect_one("SEC007", "app/.env", &format!("GH={t}\n"), &t));

    let t = format!("{}{}", "glpat-", gen_chars(11, 20, ALNUM));
    hit(expect_one("SEC008", "app/ci.sh", &format!("git clone https://oauth2:{t}@gitlab.corp/x.git\n"), &t));

    let t = format!("{}{}-{}-{}", "xoxb-", gen_chars(12, 12, DIGITS), gen_chars(13, 13, DIGITS), gen_chars(14, 24, ALNUM));
    hit(expect_one("SEC009", "app/bot.py", &format!("client = WebClient(\n    {t:?})\n"), &t));

    let path = format!("T{}/B{}/{}", gen_chars(15, 8, UPPER_DIGITS), gen_chars(16, 10, UPPER_DIGITS), gen_chars(17, 24, ALNUM));
    let f = expect_one("SEC010", "app/notify.sh", &format!("URL=\"https://{}/services/{path}\"\n", "hooks.slack.com"), &path);
    hit(f);

    let t = format!("{}{}", "sk_live_", gen_chars(18, 24, ALNUM));
    hit(expect_one("SEC011", "app/config.rb", &format!("Stripe.api_key = '{t}'\n"), &t));
    let t = format!("{}{}", "sk_test_", gen_chars(40, 24, ALNUM));
    hit(expect_one("SEC011", "etc/app/extra.env", &format!("STRIPE_TEST_KEY={t}\n"), &t));

    let t = format!("{}{}", "hf_", gen_chars(41, 34, ALNUM));
    hit(expect_one("SEC022", "app/config.yaml", &format!("huggingface:\n  auth: {t}\n"), &t));

    let t = format!("{}{}", "npm_", gen_chars(19, 36, ALNUM));
    hit(expect_one("SEC012", "app/publish.sh", &format!("NODE_AUTH={t} npm publish\n"), &t));

    let t = gen_chars(20, 32, B64URL);
    hit(expect_one("SEC013", "root/.npmrc", &format!("registry=https://npm.corp.internal/\n//npm.corp.internal/:_authToken={t}\n"), &t));

    let a = format!("{}=", gen_chars(21, 39, B64));
    let cfg = format!("{{\n\t\"auths\": {{\n\t\t\"registry.corp.internal\": {{\n\t\t\t\"auth\": \"{a}\"\n\t\t}}\n\t}}\n}}\n");
    hit(expect_one("SEC014", "root/.docker/config.json", &cfg, &a));

    let header = format!("-----BEGIN {}-----", "RSA PRIVATE KEY");
    let block = format!("{header}\n{}\n{}\n-----END {}-----", gen_chars(22, 64, B64), gen_chars(23, 24, B64), "RSA PRIVATE KEY");
    let f = expect_one("SEC015", "root/.ssh/id_rsa", &format!("{block}\n"), &block);
    assert_eq!((f.line, f.column, f.redacted.as_str()), (1, 1, format!("{header}…").as_str()));
    assert_eq!(f.fingerprint, sha(&block));
    hit(f);

    let jwt = format!("{}{}.{}{}.{}", "eyJ", gen_chars(24, 20, B64URL), "eyJ", gen_chars(25, 60, B64URL), gen_chars(26, 43, B64URL));
    hit(expect_one("SEC016", "app/curl.sh", &format!("curl -H 'Authorization: Bearer {jwt}' https://api\n"), &jwt));

    let v = format!("{}!{}", gen_chars(27, 30, ALNUM), gen_chars(28, 19, ALNUM));
    hit(expect_one("SEC017", "app/mysite/settings.py", &format!("DEBUG = False\nSECRET_KEY = '{v}'\n"), &v));

    let v = gen_chars(29, 128, HEX);
    hit(expect_one("SEC018", "app/config/secrets.yml", &format!("production:\n  secret_key_base: {v}\n"), &v));

    let v = gen_chars(30, 24, ALNUM);
    hit(expect_one("SEC019", "app/app.py", &format!("app = Flask(__name__)\napp.secret_key = \"{v}\"\n"), &v));

    let pw = gen_chars(31, 16, ALNUM);
    hit(expect_one("SEC020", "app/.env", &format!("DATABASE_URL=postgres://app:{pw}@db.internal:5432/app\n"), &pw));
    let pw = gen_chars(32, 16, ALNUM);
    hit(expect_one("SEC020", "app/.env", &format!("MONGO=mongodb+srv://u:{pw}@cluster0.mongodb.net/db\n"), &pw));

    let v = gen_chars(33, 20, ALNUM);
    hit(expect_one("SEC021", "etc/app/app.ini", &format!("[db]\nhost = db\ndb_password = {v}\n"), &v));

    let missing: Vec<_> = RULES.iter().map(|r| r.id).filter(|id| !covered.contains(*id)).collect();
    assert!(missing.is_empty(), "rules without a planted positive: {missing:?}");
}

#[test]
fn placeholders_and_low_entropy_are_not_reported() {
    let text = [
        "password=changeme",
        "password: ${DB_PASSWORD}",
        "token=<your-api-token>",
        "api_key = xxxxxxxxxxxxxxxx",
        "secret=example-value-1234",
        "password=password1",
        "password=aaaabbbb",
        "PASSWORD_FILE=/run/app/pw-9f8e7d6c5b4a",
        "db_password = settings.DATABASE_PASSWORD",
        "password = get_password(user)",
        "if token == other_token_value:",
        "DATABASE_URL=postgres://user:${PW}@db/app",
        "postgres://user:password@localhost/db",
        "//registry.npmjs.invalid/:_authToken=${NPM_TOKEN}",
        "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}",
        "tokenizer = bert-base-uncased-v2",
        "SECRET_KEY = os.environ['SECRET_KEY']",
    ]
    .join("\n");
    let found = scanner().scan_text("app/config", &text);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn documented_example_key_is_reported_and_allowlist_fingerprint_silences_it() {
    let key = format!("{}{}", "AKIAIOSFODNN7", "EXAMPLE");
    let text = format!("aws_access_key_id = {key}\n");
    let found = scanner().scan_text("docs/aws.md", &text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule_id, "SEC001");
    let allow = Allowlist { fingerprints: vec![found[0].fingerprint.to_uppercase()], ..Default::default() };
    let s = Scanner::new(allow, ScanOptions::default()).unwrap();
    assert!(s.scan_text("docs/aws.md", &text).is_empty());
}

#[test]
fn allowlist_by_path_and_rule() {
    let t = format!("{}{}", "ghp_", gen_chars(40, 36, ALNUM));
    let text = format!("token: {t}\n");
    let allow = Allowlist { paths: vec!["**/fixtures/**".into(), "*.pem".into()], ..Default::default() };
    let s = Scanner::new(allow, ScanOptions::default()).unwrap();
    assert_eq!(
        s.scan_outcome("/usr/lib/python3/site-packages/x/fixtures/t.yml", text.as_bytes()),
        ScanOutcome::Skipped(SkipReason::AllowlistedPath)
    );
    assert!(s.scan_text("etc/ssl/private/server.pem", &text).is_empty());
    assert_eq!(s.scan_text("etc/app/t.yml", &text).len(), 1);

    // Disabling the GitHub rule leaves the generic rule to find the same value.
    let allow = Allowlist { rule_ids: vec!["SEC006".into()], ..Default::default() };
    let found = Scanner::new(allow, ScanOptions::default()).unwrap().scan_text("x", &text);
    assert_eq!(found.iter().map(|f| f.rule_id.as_str()).collect::<Vec<_>>(), ["SEC021"]);
    let allow = Allowlist { rule_ids: vec!["github-token".into(), "generic-secret-assignment".into()], ..Default::default() };
    assert!(Scanner::new(allow, ScanOptions::default()).unwrap().scan_text("x", &text).is_empty());

    let allow = Allowlist { rule_ids: vec!["SEC999".into()], ..Default::default() };
    assert!(matches!(Scanner::new(allow, ScanOptions::default()), Err(Error::UnknownRule(id)) if id == "SEC999"));
}

#[test]
fn binary_and_oversized_content_is_skipped() {
    let t = format!("{}{}", "ghp_", gen_chars(41, 36, ALNUM));
    let mut bin = b"\x7fELF\x02\x01\x01\x00".to_vec();
    bin.extend_from_slice(t.as_bytes());
    let s = scanner();
    assert_eq!(s.scan_outcome("usr/bin/x", &bin), ScanOutcome::Skipped(SkipReason::Binary));
    assert!(s.scan("usr/bin/x", &bin).is_empty());

    let small = Scanner::new(Allowlist::default(), ScanOptions { max_bytes: 64, ..Default::default() }).unwrap();
    let big = format!("{}\n{t}\n", "#".repeat(100));
    assert_eq!(small.scan_outcome("x", big.as_bytes()), ScanOutcome::Skipped(SkipReason::TooLarge { size: big.len(), limit: 64 }));
    assert_eq!(s.scan_text("x", &big).len(), 1);
}

#[test]
fn key_value_entries() {
    let s = scanner();
    let secret = gen_chars(42, 40, B64);
    let found = s.scan_key_value("AWS_SECRET_ACCESS_KEY", &secret, "config:Env");
    assert_no_leak(&found, &secret);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].rule_id.as_str(), found[0].path.as_str(), found[0].line, found[0].column), ("SEC002", "config:Env", 1, 23));

    let pw = "hunter2hunter2";
    let found = s.scan_key_value("DB_PASSWORD", pw, "config:Env");
    assert_no_leak(&found, pw);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].rule_id.as_str(), found[0].column), ("SEC021", 13));
    assert_eq!(found[0].fingerprint, sha(pw));

    let t = format!("{}{}", "ghp_", gen_chars(43, 36, ALNUM));
    let found = s.scan_key_value("org.example.ci", &t, "config:Labels");
    assert_eq!(found.iter().map(|f| f.rule_id.as_str()).collect::<Vec<_>>(), ["SEC006"]);

    for (k, v) in [
        ("PASSWORD_FILE", "/run/secrets/db"),
        ("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"),
        ("DB_PASSWORD", "changeme"),
        ("DB_PASSWORD", "short"),
        ("API_TOKEN", "${API_TOKEN}"),
        ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        ("PYTHON_SHA256", "8fb5f9fbc7609fa822cb31549884575db7fd9657cbffb89510b5d7975963a83a"),
    ] {
        assert!(s.scan_key_value(k, v, "config:Env").is_empty(), "{k}={v}");
    }
}

#[test]
fn positions_count_lines_and_characters() {
    let a = format!("{}{}", "ghp_", gen_chars(44, 36, ALNUM));
    let b = format!("{}{}", "npm_", gen_chars(45, 36, ALNUM));
    let text = format!("ключ: «{a}»\r\n\n\tx {b}\n{a}");
    let found = scanner().scan_text("x", &text);
    let pos: Vec<_> = found.iter().map(|f| (f.rule_id.as_str(), f.line, f.column)).collect();
    assert_eq!(pos, [("SEC006", 1, 8), ("SEC012", 3, 4), ("SEC006", 4, 1)]);
    assert_eq!(found[0].fingerprint, found[2].fingerprint);
}

#[test]
fn pem_header_without_body_is_still_reported() {
    let header = format!("-----BEGIN {}-----", "OPENSSH PRIVATE KEY");
    let text = format!("echo '{header}' > key\n");
    let found = scanner().scan_text("x.sh", &text);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].rule_id.as_str(), found[0].column), ("SEC015", 7));
    assert_eq!(found[0].redacted, format!("{header}…"));
}

/// Random and hostile inputs: never panic, findings stay well-formed.
#[test]
fn hostile_input_never_panics() {
    let s = scanner();
    let fragments: &[&[u8]] = &[
        b"AKIA",
        b"ghp_",
        b"-----BEGIN ",
        b"PRIVATE KEY-----",
        b"-----END ",
        b"eyJ",
        b".",
        b"password=",
        b"token: ",
        b"sv=1&",
        b"sig=",
        b"AccountKey=",
        b"postgres://a:",
        b"@",
        b"\"auths\"",
        b"\"auth\": \"",
        b"\"type\": \"service_account\"",
        b"\"private_key\": \"",
        b"xoxb-",
        b"_authToken=",
        b"SECRET_KEY = '",
        b"\n",
        b"\r\n",
        b"\xff\xfe",
        b"\xe2\x82",
        b"\xc3\xa9",
        b"A",
        b"Z9/+",
        b"==",
    ];
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..3000 {
        let len = (next() % 2048) as usize;
        let mut buf = Vec::with_capacity(len + 64);
        while buf.len() < len {
            if next() % 3 == 0 {
                buf.extend_from_slice(fragments[(next() % fragments.len() as u64) as usize]);
            } else {
                let b = (next() % 255 + 1) as u8; // no NUL, so the content is scanned
                buf.push(b);
            }
        }
        for f in s.scan("fuzz", &buf) {
            assert!(f.line >= 1 && f.column >= 1 && f.fingerprint.len() == 64);
            assert!(f.redacted.contains('…'));
        }
        let text = String::from_utf8_lossy(&buf);
        let (k, v) = text.split_once('=').unwrap_or((&text, ""));
        let _ = s.scan_key_value(k, v, "config:Env");
    }
    // Long repetitive hostile buffers stay linear enough to finish quickly even in debug.
    for frag in [&b"-----BEGIN PRIVATE KEY-----"[..], b"eyJAAAAAAAAAA.", b"sv=1&", b"password=Ab1", b"\"auths\"\"auth\":\"QUFB", b"a:"] {
        let buf = frag.repeat(200_000 / frag.len());
        let found = s.scan("hostile", &buf);
        assert!(found.len() <= ScanOptions::default().max_findings);
    }
    assert!(s.scan("empty", b"").is_empty());
}
