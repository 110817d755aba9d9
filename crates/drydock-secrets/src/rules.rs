//! The rule registry: one explicit, id-sorted table.
//!
//! The patterns are drydock's own. The choice of providers, the idea of gating
//! each regex behind cheap lowercase keywords, and entropy gates for loose
//! `key = value` rules follow gitleaks (MIT, <https://github.com/gitleaks/gitleaks>)
//! and Nosey Parker (Apache-2.0, <https://github.com/praetorian-inc/noseyparker>);
//! no pattern text was copied from either.
//!
//! Every pattern is compiled once per [`crate::Scanner`] as a byte regex with
//! Unicode disabled (`\w`, `\s`, `\b` and `(?i)` are ASCII), and must have a
//! named group `secret`: the span that is fingerprinted and redacted. Every
//! repetition is bounded so a hostile file cannot make a rule quadratic.

/// One secret rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id, `SECnnn`.
    pub id: &'static str,
    /// Kebab-case name; the allow-list accepts it as well as the id.
    pub name: &'static str,
    /// One-line human title.
    pub title: &'static str,
    /// Lowercase literals; the regex runs only when one of them occurs in the
    /// content (ASCII case-insensitively).
    pub keywords: &'static [&'static str],
    /// The regex, with a named group `secret`.
    pub pattern: &'static str,
    /// `Some(bits)`: the rule matches loose assignments, so a match also needs
    /// this much Shannon entropy per byte over the value, and values that look
    /// like placeholders (`changeme`, `${VAR}`, `<...>`, `xxx`, `example`, …)
    /// are dropped. `None`: the pattern is specific enough on its own (so e.g.
    /// AWS's documented `AKIA…EXAMPLE` key id *is* reported — test fixtures
    /// are what the allow-list is for).
    pub min_entropy: Option<f64>,
    /// `"critical" | "high" | "medium" | "low"`.
    pub severity: &'static str,
}

/// All rules, sorted by id.
pub static RULES: &[Rule] = &[
    Rule {
        id: "SEC001",
        name: "aws-access-key-id",
        title: "AWS access key id",
        keywords: &["akia", "asia", "abia", "acca"],
        pattern: r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC002",
        name: "aws-secret-access-key",
        title: "AWS secret access key",
        keywords: &["secret_access_key", "secretaccesskey", "secret-access-key"],
        pattern: r#"(?i)secret[_\-]?access[_\-]?key["']?[ \t]{0,8}(?:=|:=|:|=>)[ \t]{0,8}["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|\z)"#,
        min_entropy: Some(3.5),
        severity: "critical",
    },
    Rule {
        id: "SEC003",
        name: "gcp-service-account-key",
        title: "GCP service-account key (JSON private_key)",
        keywords: &["service_account"],
        pattern: r#"(?s)"type"\s{0,8}:\s{0,8}"service_account".{0,4096}?"private_key"\s{0,8}:\s{0,8}"(?P<secret>-----BEGIN[^"]{16,8192})""#,
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC004",
        name: "azure-storage-account-key",
        title: "Azure storage account key",
        keywords: &["accountkey"],
        pattern: r"(?i)AccountKey[ \t]{0,4}=[ \t]{0,4}(?P<secret>[A-Za-z0-9+/]{86}==)",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC005",
        name: "azure-sas-token",
        title: "Azure shared access signature",
        keywords: &["sig="],
        pattern: r#"\b(?:sv|se)=[^\s"'&<>]{1,64}(?:&[A-Za-z]{1,8}=[^\s"'&<>]{0,128}){0,16}&sig=(?P<secret>[A-Za-z0-9%+/=]{20,128})"#,
        min_entropy: None,
        severity: "high",
    },
    Rule {
        id: "SEC006",
        name: "github-token",
        title: "GitHub token",
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        pattern: r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36})\b",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC007",
        name: "github-fine-grained-token",
        title: "GitHub fine-grained personal access token",
        keywords: &["github_pat_"],
        pattern: r"\b(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC008",
        name: "gitlab-token",
        title: "GitLab personal access token",
        keywords: &["glpat-"],
        pattern: r"\b(?P<secret>glpat-[A-Za-z0-9_\-]{20,64})",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC009",
        name: "slack-token",
        title: "Slack token",
        keywords: &["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"],
        pattern: r"\b(?P<secret>xox[abprs]-(?:[0-9A-Za-z]{1,64}-){1,4}[0-9A-Za-z]{10,64})",
        min_entropy: None,
        severity: "high",
    },
    Rule {
        id: "SEC010",
        name: "slack-webhook-url",
        title: "Slack incoming-webhook URL",
        keywords: &["hooks.slack.com"],
        pattern: r"hooks\.slack\.com/services/(?P<secret>T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})",
        min_entropy: None,
        severity: "high",
    },
    Rule {
        id: "SEC011",
        name: "stripe-secret-key",
        // Test-mode keys too: they read and write the account's test data and
        // reveal its configuration (Trivy reports them as well).
        title: "Stripe secret or restricted key (live or test mode)",
        keywords: &["sk_live_", "rk_live_", "sk_test_", "rk_test_"],
        pattern: r"\b(?P<secret>[rs]k_(?:live|test)_[A-Za-z0-9]{20,99})\b",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC012",
        name: "npm-access-token",
        title: "npm access token",
        keywords: &["npm_"],
        pattern: r"\b(?P<secret>npm_[A-Za-z0-9]{36})\b",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC013",
        name: "npmrc-auth-token",
        title: "npm registry _authToken (.npmrc)",
        keywords: &["_authtoken"],
        pattern: r#"(?i)_authToken[ \t]{0,4}=[ \t]{0,4}["']?(?P<secret>[^\s"'$]{8,512})"#,
        min_entropy: Some(3.0),
        severity: "high",
    },
    Rule {
        id: "SEC014",
        name: "docker-config-auth",
        title: "Docker config.json registry credential (auths.*.auth)",
        keywords: &["\"auths\""],
        pattern: r#""auth"\s{0,8}:\s{0,8}"(?P<secret>[A-Za-z0-9+/]{8,1024}={0,2})""#,
        min_entropy: None,
        severity: "high",
    },
    Rule {
        id: "SEC015",
        name: "private-key",
        title: "Private key (PEM / OpenSSH / PGP)",
        keywords: &["private key"],
        pattern: r"(?P<secret>-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        min_entropy: None,
        severity: "critical",
    },
    Rule {
        id: "SEC016",
        name: "jwt",
        title: "JSON Web Token",
        keywords: &["eyj"],
        pattern: r"\b(?P<secret>eyJ[A-Za-z0-9_\-]{8,2048}\.eyJ[A-Za-z0-9_\-]{8,4096}\.[A-Za-z0-9_\-]{8,1024})",
        min_entropy: None,
        severity: "medium",
    },
    Rule {
        id: "SEC017",
        name: "django-secret-key",
        title: "Django SECRET_KEY setting",
        keywords: &["secret_key"],
        pattern: r#"(?m)^[ \t]*SECRET_KEY[ \t]*=[ \t]*[rbu]?["'](?P<secret>[^"'\r\n]{16,256})["']"#,
        min_entropy: Some(3.0),
        severity: "high",
    },
    Rule {
        id: "SEC018",
        name: "rails-secret-key-base",
        title: "Rails secret_key_base",
        keywords: &["secret_key_base"],
        pattern: r#"(?i)secret_key_base["']?[ \t]{0,8}(?:=|:)[ \t]{0,8}["']?(?P<secret>[0-9a-f]{64,256})"#,
        min_entropy: Some(3.0),
        severity: "high",
    },
    Rule {
        id: "SEC019",
        name: "flask-secret-key",
        title: "Flask secret key",
        keywords: &["secret_key"],
        pattern: r#"(?:\.secret_key|\.config\[["']SECRET_KEY["']\])[ \t]*=[ \t]*[rbu]?["'](?P<secret>[^"'\r\n]{8,256})["']"#,
        min_entropy: Some(3.0),
        severity: "high",
    },
    Rule {
        id: "SEC020",
        name: "database-url-password",
        title: "Database / broker URL with an embedded password",
        keywords: &["postgres", "mysql", "mongodb", "redis", "amqp"],
        pattern: r#"(?i)\b(?:postgres(?:ql)?|mysql|mongodb|rediss?|amqps?)(?:\+[a-z0-9]{1,20})?://[^\s:/@"'<>]{0,128}:(?P<secret>[^\s:/@"'<>]{1,256})@[A-Za-z0-9._\-\[\]]{1,255}"#,
        min_entropy: Some(1.0),
        severity: "high",
    },
    Rule {
        id: "SEC021",
        name: "generic-secret-assignment",
        title: "Hard-coded password, token, secret or API key",
        keywords: &["password", "passwd", "secret", "token", "api_key", "apikey", "api-key"],
        pattern: r#"(?i)(?P<key>(?:password|passwd|secret|token|api[_.\-]?key)[A-Za-z0-9_.\-]{0,64})["']?[ \t]{0,8}(?:=|:=|:|=>)[ \t]{0,8}["']?(?P<secret>[^\s"'`;,<>{}()\[\]\\]{8,256})"#,
        min_entropy: Some(3.5),
        severity: "medium",
    },
    Rule {
        id: "SEC022",
        name: "hugging-face-token",
        title: "Hugging Face access token",
        keywords: &["hf_"],
        pattern: r"\b(?P<secret>hf_[A-Za-z0-9]{34,40})\b",
        min_entropy: None,
        severity: "high",
    },
];

// SEC021's `key` group starts at the keyword so the regex keeps a literal prefix (fast); the
// scanner extends the key backwards over `[A-Za-z0-9_.-]` (e.g. `DB_` in `DB_PASSWORD`).

/// The generic rule, used by key-name matching in [`crate::Scanner::scan_key_value`].
pub(crate) const GENERIC_RULE: &str = "SEC021";

/// Which rule wins when two findings overlap: higher wins; ties go to the longer span, then the lower id.
pub(crate) fn precedence(rule: &Rule) -> u8 {
    match rule.name {
        "generic-secret-assignment" => 0,
        "private-key" | "npmrc-auth-token" | "jwt" => 1,
        _ => 2,
    }
}
