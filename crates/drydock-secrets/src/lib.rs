//! Secret detection for image layer files and image config (Env, labels, history).
//!
//! A [`Scanner`] is built once from [`RULES`] and an [`Allowlist`] and is `Send + Sync`,
//! so one instance serves every layer and every thread. Per buffer, the hot path is:
//!
//! 1. reject allow-listed paths, oversized content ([`ScanOptions::max_bytes`]) and binary
//!    content (a NUL byte in the first 8 KiB) — see [`Scanner::scan_outcome`] for the reason;
//! 2. one Aho-Corasick pass (ASCII case-insensitive) over the buffer for every rule keyword;
//! 3. only rules whose keyword occurred run their regex, once over the whole buffer;
//! 4. entropy / placeholder gates, overlap resolution, fingerprint allow-list;
//! 5. line and column are computed only for surviving matches, in one forward pass.
//!
//! Findings never contain a secret: [`SecretMatch::redacted`] keeps at most the first four
//! characters (fewer for short values) plus the length, and private keys show only their
//! `-----BEGIN … PRIVATE KEY-----` header. [`SecretMatch::fingerprint`] is the SHA-256 (hex)
//! of the raw secret, which the allow-list matches on. A hash is not reversible, but note
//! that a *guessable* secret (a dictionary password) can be confirmed by hashing guesses,
//! so fingerprints deserve the same care as any password hash.
//!
//! ```
//! let scanner = drydock_secrets::Scanner::new(Default::default(), Default::default()).unwrap();
//! let key = format!("{}{}", "AKIA", "Q3EGT2ZR5MBX7HNW");
//! let found = scanner.scan_text("etc/app.env", &format!("# creds\nAWS_ACCESS_KEY_ID={key}\n"));
//! assert_eq!(found[0].rule_id, "SEC001");
//! assert_eq!((found[0].line, found[0].column), (2, 19));
//! assert!(!found[0].redacted.contains(&key));
//! ```

pub mod rules;

use std::collections::{BTreeMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use memchr::memmem;
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use rules::{RULES, Rule};

/// Only this much of the start of a buffer is checked for a NUL byte.
const BINARY_SNIFF: usize = 8 * 1024;
/// How far past a private-key header the matching `-----END` is looked for (for the fingerprint).
const PEM_BODY_LIMIT: usize = 64 * 1024;

/// Scan limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Content larger than this is not scanned ([`SkipReason::TooLarge`]). Default 10 MiB.
    pub max_bytes: usize,
    /// At most this many findings are reported per buffer (the first ones by position). Default 1000.
    pub max_findings: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { max_bytes: 10 * 1024 * 1024, max_findings: 1000 }
    }
}

/// What not to report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowlist {
    /// Path globs: `*` and `?` stay within one path segment, `**` crosses `/`, a `**/` prefix
    /// also matches zero directories. A pattern without `/` matches the file name alone
    /// (`*.pem`). Leading `/` and `./` are ignored on both sides.
    pub paths: Vec<String>,
    /// Rule ids (`SEC001`) or names (`aws-access-key-id`) to disable.
    pub rule_ids: Vec<String>,
    /// SHA-256 hex fingerprints ([`SecretMatch::fingerprint`]) of accepted values.
    pub fingerprints: Vec<String>,
}

/// One finding. Contains no secret material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretMatch {
    pub rule_id: String,
    pub rule_name: String,
    pub title: String,
    pub severity: String,
    pub path: String,
    /// 1-based line of the start of the secret.
    pub line: usize,
    /// 1-based column (in characters; an invalid UTF-8 byte counts as one) of the start of the secret.
    pub column: usize,
    /// e.g. `AKIA…(20 chars)`, or `-----BEGIN RSA PRIVATE KEY-----…`.
    pub redacted: String,
    /// SHA-256 hex of the raw secret bytes (for private keys: header through `-----END …-----` when found).
    pub fingerprint: String,
}

/// Why a buffer was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum SkipReason {
    AllowlistedPath,
    Binary,
    TooLarge { size: usize, limit: usize },
}

/// The result of [`Scanner::scan_outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Scanned(Vec<SecretMatch>),
    Skipped(SkipReason),
}

/// Building a [`Scanner`] failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("allow-list names unknown secret rule {0:?}")]
    UnknownRule(String),
    #[error("secret rule {id} does not compile: {message}")]
    BadPattern { id: &'static str, message: String },
}

struct Compiled {
    rule: &'static Rule,
    regex: Regex,
    secret: usize,
    key: Option<usize>,
    precedence: u8,
    is_private_key: bool,
}

/// The compiled rule set plus allow-list. Build once, share everywhere.
pub struct Scanner {
    rules: Vec<Compiled>,
    prefilter: Option<AhoCorasick>,
    /// Aho-Corasick pattern id -> indices into `rules`.
    keyword_rules: Vec<Vec<usize>>,
    generic: Option<usize>,
    path_globs: Vec<Glob>,
    fingerprints: HashSet<String>,
    options: ScanOptions,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("rules", &self.rules.iter().map(|c| c.rule.id).collect::<Vec<_>>())
            .field("allowlisted_paths", &self.path_globs.len())
            .field("allowlisted_fingerprints", &self.fingerprints.len())
            .field("options", &self.options)
            .finish()
    }
}

/// Compile one rule's pattern the way the scanner does (byte regex, Unicode off).
pub fn compile_pattern(rule: &Rule) -> Result<Regex, Error> {
    RegexBuilder::new(rule.pattern)
        .unicode(false)
        .size_limit(32 * 1024 * 1024)
        .build()
        .map_err(|e| Error::BadPattern { id: rule.id, message: e.to_string() })
}

struct Candidate {
    rule: usize,
    start: usize,
    end: usize,
}

impl Scanner {
    /// Builds a scanner over [`RULES`] minus the allow-listed rules.
    pub fn new(allowlist: Allowlist, options: ScanOptions) -> Result<Scanner, Error> {
        let mut disabled = HashSet::new();
        for wanted in &allowlist.rule_ids {
            let rule = RULES.iter().find(|r| r.id.eq_ignore_ascii_case(wanted) || r.name == wanted);
            match rule {
                Some(r) => disabled.insert(r.id),
                None => return Err(Error::UnknownRule(wanted.clone())),
            };
        }
        let mut rules = Vec::new();
        for rule in RULES.iter().filter(|r| !disabled.contains(r.id)) {
            let regex = compile_pattern(rule)?;
            let group = |name: &str| regex.capture_names().position(|n| n == Some(name));
            let secret = group("secret").ok_or_else(|| Error::BadPattern { id: rule.id, message: "no `secret` group".into() })?;
            let key = group("key");
            rules.push(Compiled {
                rule,
                secret,
                key,
                precedence: rules::precedence(rule),
                is_private_key: rule.name == "private-key",
                regex,
            });
        }
        let mut keywords: Vec<&str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (i, c) in rules.iter().enumerate() {
            for kw in c.rule.keywords {
                match keywords.iter().position(|k| k.eq_ignore_ascii_case(kw)) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = if keywords.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&keywords)
                .map_err(|e| Error::BadPattern { id: "keywords", message: e.to_string() })?;
            Some(ac)
        };
        let generic = rules.iter().position(|c| c.rule.id == rules::GENERIC_RULE);
        Ok(Scanner {
            rules,
            prefilter,
            keyword_rules,
            generic,
            path_globs: allowlist.paths.iter().map(|p| Glob::new(p)).collect(),
            fingerprints: allowlist.fingerprints.iter().map(|f| f.trim().to_ascii_lowercase()).collect(),
            options,
        })
    }

    /// Ids of the enabled rules.
    pub fn rule_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|c| c.rule.id)
    }

    /// Whether `path` is allow-listed (its content would not be scanned).
    pub fn is_path_allowed(&self, path: &str) -> bool {
        let path = normalize_path(path);
        self.path_globs.iter().any(|g| g.matches(path))
    }

    /// Scans one file's content. Skipped content (allow-listed path, binary, too large) yields
    /// no findings; use [`Scanner::scan_outcome`] to learn why.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretMatch> {
        match self.scan_outcome(path, content) {
            ScanOutcome::Scanned(found) => found,
            ScanOutcome::Skipped(_) => Vec::new(),
        }
    }

    /// [`Scanner::scan`] for text.
    pub fn scan_text(&self, path: &str, text: &str) -> Vec<SecretMatch> {
        self.scan(path, text.as_bytes())
    }

    /// Scans one file's content, saying why it was skipped if it was.
    pub fn scan_outcome(&self, path: &str, content: &[u8]) -> ScanOutcome {
        if self.is_path_allowed(path) {
            return ScanOutcome::Skipped(SkipReason::AllowlistedPath);
        }
        if content.len() > self.options.max_bytes {
            return ScanOutcome::Skipped(SkipReason::TooLarge { size: content.len(), limit: self.options.max_bytes });
        }
        if memchr::memchr(0, &content[..content.len().min(BINARY_SNIFF)]).is_some() {
            return ScanOutcome::Skipped(SkipReason::Binary);
        }
        let candidates = self.candidates(content);
        ScanOutcome::Scanned(self.finish(path, content, candidates))
    }

    /// Scans a config `Env` entry or label (`key=value`). Besides every content rule (run over
    /// the text `key=value`, so `AWS_SECRET_ACCESS_KEY=…` is found), a key whose *name* says it
    /// holds a secret (`DB_PASSWORD`, `API_TOKEN`, … but not `…_FILE`, `…_PATH`, `…_URL`, …)
    /// is reported under the generic rule with a relaxed gate: the value must be at least
    /// 8 bytes, not a placeholder, and have ≥ 2.5 bits/byte of entropy. `line` is 1 and
    /// `column` points into `key=value`. `origin` (e.g. `config:Env`) becomes the `path`.
    pub fn scan_key_value(&self, key: &str, value: &str, origin: &str) -> Vec<SecretMatch> {
        let text = format!("{key}={value}");
        let bytes = text.as_bytes();
        if self.is_path_allowed(origin) || bytes.len() > self.options.max_bytes {
            return Vec::new();
        }
        let mut candidates = self.candidates(bytes);
        let value_start = key.len() + 1;
        if let Some(generic) = self.generic {
            let v = value.trim().as_bytes();
            let start = value_start + (value.len() - value.trim_start().len());
            let overlapped = candidates.iter().any(|c| c.start < start + v.len() && start < c.end);
            if !overlapped && is_secret_key_name(key) && v.len() >= 8 && !is_placeholder(v) && shannon_entropy(v) >= 2.5 {
                candidates.push(Candidate { rule: generic, start, end: start + v.len() });
            }
        }
        self.finish(origin, bytes, candidates)
    }

    /// Raw candidate spans: prefilter, regexes, per-rule gates.
    fn candidates(&self, content: &[u8]) -> Vec<Candidate> {
        let mut out = Vec::new();
        let Some(ac) = &self.prefilter else { return out };
        let mut active = vec![false; self.rules.len()];
        let mut remaining = self.rules.len();
        for m in ac.find_overlapping_iter(content) {
            for &r in &self.keyword_rules[m.pattern().as_usize()] {
                if !active[r] {
                    active[r] = true;
                    remaining -= 1;
                }
            }
            if remaining == 0 {
                break;
            }
        }
        let end_finder = memmem::Finder::new(b"-----END ");
        for (ri, c) in self.rules.iter().enumerate().filter(|(i, _)| active[*i]) {
            let mut next_end: Option<Option<usize>> = None;
            for caps in c.regex.captures_iter(content) {
                let Some(m) = caps.get(c.secret) else { continue };
                let (start, mut end) = (m.start(), m.end());
                let value = &content[start..end];
                if let Some(min) = c.rule.min_entropy {
                    if is_placeholder(value) || shannon_entropy(value) < min {
                        continue;
                    }
                    if let Some(k) = c.key.and_then(|k| caps.get(k))
                        && !is_secret_key_name(&String::from_utf8_lossy(&content[key_start(content, k.start())..k.end()]))
                    {
                        continue;
                    }
                }
                if c.is_private_key {
                    // Extend to the matching END line so the fingerprint identifies this key, not
                    // just its (shared) header. The cached next END keeps this linear overall.
                    let cached = match next_end {
                        Some(Some(p)) if p >= end => Some(p),
                        Some(None) => None,
                        _ => end_finder.find(&content[end..]).map(|p| p + end),
                    };
                    next_end = Some(cached);
                    if let Some(p) = cached.filter(|p| p - end <= PEM_BODY_LIMIT) {
                        let tail = &content[p + 9..content.len().min(p + 9 + 64)];
                        if let Some(close) = memmem::find(tail, b"-----") {
                            end = p + 9 + close + 5;
                        }
                    }
                }
                out.push(Candidate { rule: ri, start, end });
            }
        }
        out
    }

    /// Overlap resolution, fingerprint allow-list, positions, redaction.
    fn finish(&self, path: &str, content: &[u8], mut candidates: Vec<Candidate>) -> Vec<SecretMatch> {
        // Strongest first: precedence, then longer span, then lower rule index, then position.
        candidates.sort_by(|a, b| {
            let (ra, rb) = (&self.rules[a.rule], &self.rules[b.rule]);
            rb.precedence
                .cmp(&ra.precedence)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.rule.cmp(&b.rule))
                .then(a.start.cmp(&b.start))
        });
        let mut kept: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // start -> (end, rule)
        for c in candidates {
            let before = kept.range(..=c.start).next_back().is_some_and(|(_, (end, _))| *end > c.start);
            let after = kept.range(c.start..).next().is_some_and(|(s, _)| *s < c.end);
            if !before && !after {
                kept.insert(c.start, (c.end, c.rule));
            }
        }
        let mut out = Vec::new();
        let mut pos = Position::default();
        for (start, (end, rule)) in kept {
            if out.len() >= self.options.max_findings {
                break;
            }
            let secret = &content[start..end];
            let fingerprint = hex::encode(Sha256::digest(secret));
            if self.fingerprints.contains(&fingerprint) {
                continue;
            }
            let (line, column) = pos.advance(content, start);
            let rule = self.rules[rule].rule;
            out.push(SecretMatch {
                rule_id: rule.id.to_string(),
                rule_name: rule.name.to_string(),
                title: rule.title.to_string(),
                severity: rule.severity.to_string(),
                path: path.to_string(),
                line,
                column,
                redacted: redact(secret),
                fingerprint,
            });
        }
        out
    }
}

/// Incremental byte offset -> (line, column) for ascending offsets.
#[derive(Default)]
struct Position {
    offset: usize,
    line: usize,
    line_start: usize,
    column: usize,
}

impl Position {
    fn advance(&mut self, content: &[u8], to: usize) -> (usize, usize) {
        let gap = &content[self.offset..to];
        let newlines = memchr::memchr_iter(b'\n', gap).count();
        if newlines > 0 {
            self.line += newlines;
            self.line_start = self.offset + memchr::memrchr(b'\n', gap).map_or(0, |p| p + 1);
            self.column = count_chars(&content[self.line_start..to]);
        } else {
            self.column += count_chars(gap);
        }
        self.offset = to;
        (self.line + 1, self.column + 1)
    }
}

/// Extends a key name that starts at `start` backwards over `[A-Za-z0-9_.-]` (at most 64 bytes).
fn key_start(content: &[u8], start: usize) -> usize {
    let floor = start.saturating_sub(64);
    let mut s = start;
    while s > floor && (content[s - 1].is_ascii_alphanumeric() || matches!(content[s - 1], b'_' | b'.' | b'-')) {
        s -= 1;
    }
    s
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Redacts a secret: a PEM header stays as-is (it is not secret), anything else keeps at most
/// its first four characters (at most a quarter of it) followed by `…(N chars)`.
pub fn redact(secret: &[u8]) -> String {
    if secret.starts_with(b"-----BEGIN")
        && let Some(close) = memmem::find(&secret[10..], b"-----")
    {
        return format!("{}…", String::from_utf8_lossy(&secret[..10 + close + 5]));
    }
    let text = String::from_utf8_lossy(secret);
    let chars = text.chars().count();
    let keep: String = text.chars().take((chars / 4).min(4)).collect();
    format!("{keep}…({chars} chars)")
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| c as f64 / n).map(|p| -p * p.log2()).sum()
}

/// Whether a value is obviously not a real secret: a variable reference or template, a
/// well-known placeholder word, a single repeated character, or a dotted code identifier
/// (`settings.SECRET_KEY`).
pub fn is_placeholder(value: &[u8]) -> bool {
    let v = String::from_utf8_lossy(value).to_ascii_lowercase();
    let v = v.trim();
    if v.is_empty() || v.starts_with(['$', '%', '{', '<', '@']) || v.ends_with(['>', '}']) {
        return true;
    }
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "example",
        "placeholder",
        "password",
        "passwd",
        "secret",
        "token",
        "xxx",
        "***",
        "...",
        "your_",
        "your-",
        "dummy",
        "redacted",
        "sample",
        "fake",
        "test",
        "todo",
        "replace",
        "insert",
        "undefined",
        "${",
        "{{",
    ];
    if WORDS.iter().any(|w| v.contains(w)) {
        return true;
    }
    let first = v.as_bytes()[0];
    if v.bytes().all(|b| b == first) {
        return true;
    }
    v.contains('.') && v.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.')
}

/// Whether a key name (env var, YAML key, …) says its value is a credential.
pub fn is_secret_key_name(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let words: Vec<&str> = k.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let Some(last) = words.last() else { return false };
    const NOT_SECRET: &[&str] = &[
        "file",
        "path",
        "dir",
        "url",
        "uri",
        "endpoint",
        "host",
        "port",
        "user",
        "username",
        "name",
        "type",
        "length",
        "len",
        "size",
        "id",
        "env",
        "var",
        "field",
        "header",
        "policy",
        "prefix",
        "suffix",
        "expiry",
        "expires",
        "ttl",
        "timeout",
        "version",
        "enabled",
        "mode",
        "location",
        "format",
        "count",
        "min",
        "max",
        "ref",
        "arn",
        "hint",
        "method",
        "tokenizer",
    ];
    let compact = words.concat();
    if NOT_SECRET.contains(last) || NOT_SECRET.iter().any(|w| w.len() >= 4 && compact.ends_with(w)) {
        return false;
    }
    compact.contains("password")
        || compact.contains("passwd")
        || compact.contains("secret")
        || compact.contains("apikey")
        || compact.ends_with("token")
        || words.iter().any(|w| matches!(*w, "token" | "pwd" | "pass"))
}

fn normalize_path(path: &str) -> &str {
    let mut p = path;
    loop {
        if let Some(rest) = p.strip_prefix('/') {
            p = rest;
        } else if let Some(rest) = p.strip_prefix("./") {
            p = rest;
        } else {
            return p;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(u8),
    One,
    Star,
    DoubleStar,
    DoubleStarSlash,
}

/// A path glob (`*`, `?`, `**`), matched by dynamic programming: linear in pattern × path, no backtracking.
#[derive(Debug, Clone)]
struct Glob {
    toks: Vec<Tok>,
    basename_only: bool,
}

impl Glob {
    fn new(pattern: &str) -> Glob {
        let p = normalize_path(pattern.trim()).as_bytes();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < p.len() {
            match p[i] {
                b'*' if p.get(i + 1) == Some(&b'*') => {
                    if p.get(i + 2) == Some(&b'/') {
                        toks.push(Tok::DoubleStarSlash);
                        i += 3;
                    } else {
                        toks.push(Tok::DoubleStar);
                        i += 2;
                    }
                    continue;
                }
                b'*' => toks.push(Tok::Star),
                b'?' => toks.push(Tok::One),
                c => toks.push(Tok::Lit(c)),
            }
            i += 1;
        }
        Glob { toks, basename_only: !p.contains(&b'/') }
    }

    fn matches(&self, path: &str) -> bool {
        let s = if self.basename_only { path.rsplit('/').next().unwrap_or(path) } else { path }.as_bytes();
        let n = s.len();
        let mut dp = vec![false; n + 1];
        dp[0] = true;
        let mut next = vec![false; n + 1];
        for tok in &self.toks {
            next.iter_mut().for_each(|x| *x = false);
            match *tok {
                Tok::Lit(c) => (0..n).for_each(|j| next[j + 1] = dp[j] && s[j] == c),
                Tok::One => (0..n).for_each(|j| next[j + 1] = dp[j] && s[j] != b'/'),
                Tok::Star | Tok::DoubleStar => {
                    next[0] = dp[0];
                    for j in 1..=n {
                        next[j] = dp[j] || (next[j - 1] && (*tok == Tok::DoubleStar || s[j - 1] != b'/'));
                    }
                }
                Tok::DoubleStarSlash => {
                    let mut seen = false;
                    for j in 0..=n {
                        next[j] = dp[j] || (seen && s[j - 1] == b'/');
                        seen |= dp[j];
                    }
                }
            }
            std::mem::swap(&mut dp, &mut next);
        }
        dp[n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let m = |p: &str, s: &str| Glob::new(p).matches(normalize_path(s));
        assert!(m("*.pem", "/etc/ssl/private/x.pem"));
        assert!(m("etc/**", "etc/a/b/c"));
        assert!(m("**/fixtures/**", "usr/lib/python3/fixtures/keys.txt"));
        assert!(m("**/keys.txt", "keys.txt"));
        assert!(m("usr/*/x", "/usr/lib/x"));
        assert!(!m("usr/*/x", "usr/lib/a/x"));
        assert!(m("usr/**/x", "usr/lib/a/x"));
        assert!(!m("etc/*.conf", "etc/a/b.conf"));
        assert!(m("a?c", "abc"));
    }

    #[test]
    fn key_names() {
        for k in ["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "apiKey", "api-key", "dbPassword", "REDIS_PASS", "authToken"] {
            assert!(is_secret_key_name(k), "{k}");
        }
        for k in ["PASSWORD_FILE", "TOKEN_URL", "dbPasswordFile", "PATH", "GPG_KEY", "TOKENIZER", "SECRET_NAME", "HOME"] {
            assert!(!is_secret_key_name(k), "{k}");
        }
    }

    #[test]
    fn placeholders_and_entropy() {
        for v in ["changeme", "${DB_PASSWORD}", "<password>", "xxxxxxxx", "example123", "settings.SECRET_KEY", "$PASSWORD", "{{ .pw }}"] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        assert!(!is_placeholder(b"hunter2hunter2"));
        assert!(shannon_entropy(b"aaaaaaaa") < 0.01);
        assert!((shannon_entropy(b"abcdefgh") - 3.0).abs() < 1e-9);
    }

    #[test]
    fn redaction() {
        assert_eq!(redact(b"hunter2hunter2"), "hun…(14 chars)");
        assert_eq!(redact(b"ab"), "…(2 chars)");
        assert_eq!(redact(b"-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----"), "-----BEGIN EC PRIVATE KEY-----…");
    }
}
