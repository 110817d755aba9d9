//! `drydock.toml`: project settings shared by every command.
//!
//! The file is found by walking up from a starting directory (the working
//! directory, or the Dockerfile's), or named with `--config`. Parsing is
//! strict: an unknown key or a wrong type is an error that names the file,
//! line and column, so a typo never silently turns a control off. Command
//! line flags override the file; the file overrides built-in defaults.
//!
//! ```toml
//! [db]
//! path = "/var/lib/drydock/advisories.db"
//! warn-age = "5d"          # reports flag the database stale past this
//! max-age = "7d"           # scans fail past this
//! ecosystems = ["debian", "alpine", "pypi"]
//! osv-base = "https://mirror.example.com/osv"
//! kev-url = "https://mirror.example.com/kev.json"
//! epss = false             # do not fetch EPSS
//!
//! [[db.feeds]]
//! name = "internal"
//! url = "https://mirror.example.com/advisories.zip"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file name looked for.
pub const FILE_NAME: &str = "drydock.toml";

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub db: DbConfig,
    #[serde(default)]
    pub lint: LintConfig,
    #[serde(default)]
    pub secrets: SecretsConfig,
    #[serde(default)]
    pub history: HistoryConfig,
    /// Remediation-deadline profiles beside the built-in `fedramp-rev5`
    /// (`[profiles.dod-il5]`…).
    #[serde(default)]
    pub profiles: std::collections::BTreeMap<String, drydock_core::tracking::Profile>,
    #[serde(default)]
    pub policy: PolicyConfig,
    /// Where it was read from (not a key in the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[secrets]`: the secret scanner.
///
/// ```toml
/// [secrets.allow]
/// paths = ["srv/app/tests/fixtures/**", "*.example"]
/// rules = ["SEC013"]                       # ids or names
/// fingerprints = ["9f86d081884c7d65…"]     # sha256 from a finding
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretsConfig {
    #[serde(default)]
    pub allow: SecretsAllow,
}

/// Known test fixtures and accepted values: never reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretsAllow {
    /// Path globs inside the image (`**` crosses directories; a pattern
    /// without `/` matches the file name).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Rule ids (`SEC013`) or names.
    #[serde(default)]
    pub rules: Vec<String>,
    /// SHA-256 fingerprints of accepted values, as findings print them.
    #[serde(default)]
    pub fingerprints: Vec<String>,
}

/// `[history]`: the scan history that keeps first-seen dates.
///
/// ```toml
/// [history]
/// path = "evidence/history.db"   # relative to this file
/// profile = "fedramp-rev5"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HistoryConfig {
    pub path: Option<PathBuf>,
    /// The remediation profile (built-in `fedramp-rev5`, or a `[profiles.*]` name).
    pub profile: Option<String>,
}

/// `[policy]`: what makes `drydock scan --policy` fail (exit 1), every
/// reason listed.
///
/// ```toml
/// [policy]
/// fail-on = "high"      # findings at or above this severity
/// overdue = true        # any finding past its remediation deadline
/// kev = true            # any finding in the CISA KEV catalog
/// secrets = true        # any secret in any layer
/// root = true           # the image runs as root
/// max-db-age = "5d"     # advisory database older than this
/// fips = "fips-capable" # verdict at least this (fips-capable | fips-enforced)
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyConfig {
    pub fail_on: Option<String>,
    pub overdue: Option<bool>,
    pub kev: Option<bool>,
    pub secrets: Option<bool>,
    pub root: Option<bool>,
    pub max_db_age: Option<String>,
    pub fips: Option<String>,
}

impl Config {
    /// The remediation profile named `name`: a `[profiles.*]` entry, else a
    /// built-in one.
    pub fn profile(&self, name: &str) -> Option<drydock_core::tracking::Profile> {
        match self.profiles.get(name) {
            Some(p) => Some(drydock_core::tracking::Profile { name: name.to_owned(), ..p.clone() }),
            None => drydock_core::tracking::Profile::builtin(name),
        }
    }
}

/// `[db]`: the advisory database and the feeds `drydock db update` fetches.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DbConfig {
    /// The database file (relative paths are relative to the config file).
    pub path: Option<PathBuf>,
    /// Age past which reports flag the database stale (`5d`, `36h`).
    pub warn_age: Option<String>,
    /// Age past which a scan fails.
    pub max_age: Option<String>,
    /// Ecosystems `db update` fetches from the OSV exports.
    pub ecosystems: Option<Vec<String>>,
    pub osv_base: Option<String>,
    pub kev_url: Option<String>,
    pub epss_url: Option<String>,
    /// Fetch the CISA KEV catalog (default true).
    #[serde(default = "yes")]
    pub kev: bool,
    /// Fetch EPSS scores (default true).
    #[serde(default = "yes")]
    pub epss: bool,
    /// Extra feeds, in any format `db import` reads.
    #[serde(default)]
    pub feeds: Vec<FeedConfig>,
}

impl Default for DbConfig {
    fn default() -> Self {
        DbConfig {
            path: None,
            warn_age: None,
            max_age: None,
            ecosystems: None,
            osv_base: None,
            kev_url: None,
            epss_url: None,
            kev: true,
            epss: true,
            feeds: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// `[lint]`: the Dockerfile linter.
///
/// ```toml
/// [lint]
/// approved-registries = ["registry.example.gov", "docker.io/library"]
/// disable = ["DF018"]
/// failure-threshold = "warning"      # error | warning | info | style | none
/// [lint.levels]
/// DF003 = "error"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Registries (host, or host/path prefix) base images may come from;
    /// empty: the rule is off.
    #[serde(default)]
    pub approved_registries: Vec<String>,
    /// Rule codes that never fire.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Level overrides per rule code.
    #[serde(default)]
    pub levels: std::collections::BTreeMap<String, String>,
    /// The lowest level that fails `drydock lint`: error, warning (default), info, style or none.
    pub failure_threshold: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub name: String,
    pub url: String,
}

/// An `--ignore-file`: findings the gate lets through, each with an expiry
/// and a reason (an ignore without them is an error, not a silent pass).
///
/// ```toml
/// [[ignore]]
/// id = "CVE-2026-1234"          # vulnerability id/alias, rule id, or DD- finding id
/// package = "openssl"           # optional: only this package (or `path` for a file)
/// expires = 2026-12-31
/// reason = "vendor fix pending; compensating WAF rule"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreFile {
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    pub id: String,
    pub package: Option<String>,
    pub path: Option<String>,
    /// A TOML date (`2026-12-31`) or the same as a string.
    pub expires: toml::Value,
    pub reason: String,
}

impl IgnoreFile {
    /// Reads and checks an ignore file: every entry needs `expires` (a
    /// date) and a non-empty `reason`.
    pub fn load(path: &Path) -> Result<Vec<drydock_core::policy::Ignore>, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io { path: path.to_owned(), source: e })?;
        let file: IgnoreFile = toml::from_str(&text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
            ConfigError::Invalid { path: path.to_owned(), line, column, message: e.to_string().trim_end().to_owned() }
        })?;
        let invalid = |message: String| ConfigError::Invalid { path: path.to_owned(), line: 0, column: 0, message };
        let mut out = Vec::new();
        for (n, e) in file.ignore.into_iter().enumerate() {
            let expires = match &e.expires {
                toml::Value::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
                toml::Value::String(s) => s.clone(),
                other => {
                    return Err(invalid(format!("ignore entry {} ({}): expires must be a date like 2026-12-31, not {other}", n + 1, e.id)));
                }
            };
            let valid = expires.len() == 10
                && expires.as_bytes().iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
            if !valid {
                return Err(invalid(format!("ignore entry {} ({}): expires `{expires}` is not a date like 2026-12-31", n + 1, e.id)));
            }
            if e.reason.trim().is_empty() {
                return Err(invalid(format!("ignore entry {} ({}): a reason is required", n + 1, e.id)));
            }
            out.push(drydock_core::policy::Ignore { id: e.id, target: e.package.or(e.path), expires, reason: e.reason });
        }
        Ok(out)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// `toml`'s message already shows the line, column and a caret.
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, line: usize, column: usize, message: String },
}

impl Config {
    /// Parses `text` as read from `path` (used in messages and to resolve
    /// relative paths).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            ConfigError::Invalid { path: path.to_owned(), line, column, message: e.to_string().trim_end().to_owned() }
        })?;
        for p in [config.db.path.as_mut(), config.history.path.as_mut()].into_iter().flatten() {
            if let Some(dir) = path.parent()
                && p.is_relative()
            {
                *p = dir.join(&*p);
            }
        }
        if let Some(name) = &config.history.profile
            && config.profile(name).is_none()
        {
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line: 0,
                column: 0,
                message: format!("[history] profile = \"{name}\" is neither built in (fedramp-rev5) nor a [profiles.{name}] table"),
            });
        }
        config.source = Some(path.to_owned());
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io { path: path.to_owned(), source: e })?;
        Config::parse(&text, path)
    }

    /// `explicit` if given (it must exist), else the nearest `drydock.toml`
    /// from `start` upward, else the defaults.
    pub fn find(explicit: Option<&Path>, start: &Path) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::load(p);
        }
        match discover(start) {
            Some(p) => Config::load(&p),
            None => Ok(Config::default()),
        }
    }
}

/// The nearest `drydock.toml` in `start` or a parent directory.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// 1-based line and column of byte `offset`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_db_section_parses_and_paths_resolve_beside_the_file() {
        let text = r#"
[db]
path = "data/advisories.db"
warn-age = "3d"
max-age = "7d"
ecosystems = ["debian", "pypi"]
osv-base = "https://mirror.example.com/osv"
epss = false

[[db.feeds]]
name = "internal"
url = "https://mirror.example.com/a.zip"
"#;
        let c = Config::parse(text, Path::new("/srv/project/drydock.toml")).unwrap();
        assert_eq!(c.db.path.as_deref(), Some(Path::new("/srv/project/data/advisories.db")));
        assert_eq!(c.db.max_age.as_deref(), Some("7d"));
        assert!(c.db.kev && !c.db.epss);
        assert_eq!(c.db.feeds, [FeedConfig { name: "internal".into(), url: "https://mirror.example.com/a.zip".into() }]);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_located_errors() {
        let err = Config::parse("[db]\nmax-age = \"7d\"\nmax_age = \"1d\"\n", Path::new("drydock.toml")).unwrap_err();
        let ConfigError::Invalid { line, message, .. } = &err else { panic!("{err}") };
        assert_eq!(*line, 3, "{message}");
        assert!(message.contains("unknown field `max_age`"), "{message}");
        assert!(err.to_string().starts_with("drydock.toml:"));
        let err = Config::parse("[db]\nkev = \"yes\"\n", Path::new("x.toml")).unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { line: 2, .. }), "{err}");
        let err = Config::parse("[dbb]\n", Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("unknown field `dbb`"), "{err}");
    }

    #[test]
    fn secrets_history_profiles_and_policy_parse() {
        let text = "[secrets.allow]\npaths = [\"srv/fixtures/**\"]\nrules = [\"SEC013\"]\nfingerprints = [\"ab12\"]\n\n[history]\npath = \"evidence/h.db\"\nprofile = \"dod\"\n\n[profiles.dod]\ncritical-days = 15\nhigh-days = 30\nmoderate-days = 90\nlow-days = 180\n\n[policy]\nfail-on = \"high\"\noverdue = true\nkev = true\nfips = \"fips-capable\"\n";
        let c = Config::parse(text, Path::new("/p/drydock.toml")).unwrap();
        assert_eq!(c.secrets.allow.paths, vec!["srv/fixtures/**"]);
        assert_eq!(c.secrets.allow.rules, vec!["SEC013"]);
        assert_eq!(c.history.path.as_deref(), Some(Path::new("/p/evidence/h.db")));
        let dod = c.profile("dod").unwrap();
        assert_eq!((dod.name.as_str(), dod.critical_days, dod.kev_precedence), ("dod", 15, true));
        assert_eq!(c.profile("fedramp-rev5").unwrap().high_days, 30);
        assert_eq!(c.policy.fail_on.as_deref(), Some("high"));
        assert_eq!(c.policy.overdue, Some(true));
        // A profile that doesn't exist, and a typo in a profile, are errors.
        let e = Config::parse("[history]\nprofile = \"nope\"\n", Path::new("d.toml")).unwrap_err();
        assert!(e.to_string().contains("neither built in"), "{e}");
        let e = Config::parse("[profiles.x]\ncritical-days = 1\nhigh-days = 1\nmoderate-days = 1\nlow-day = 1\n", Path::new("d.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("low-day"), "{e}");
    }

    #[test]
    fn ignore_entries_need_an_expiry_and_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ignore.toml");
        std::fs::write(&path, "[[ignore]]\nid = \"CVE-1\"\npackage = \"openssl\"\nexpires = 2026-12-31\nreason = \"vendor\"\n\n[[ignore]]\nid = \"IMG001\"\nexpires = \"2027-01-15\"\nreason = \"init needs root\"\n").unwrap();
        let ignores = IgnoreFile::load(&path).unwrap();
        assert_eq!(ignores.len(), 2);
        assert_eq!((ignores[0].expires.as_str(), ignores[0].target.as_deref()), ("2026-12-31", Some("openssl")));
        for (text, want) in [
            ("[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\n", "missing field `expires`"),
            ("[[ignore]]\nid = \"CVE-1\"\nexpires = 2026-12-31\n", "missing field `reason`"),
            ("[[ignore]]\nid = \"CVE-1\"\nexpires = 2026-12-31\nreason = \" \"\n", "a reason is required"),
            ("[[ignore]]\nid = \"CVE-1\"\nexpires = \"soon\"\nreason = \"r\"\n", "not a date"),
        ] {
            std::fs::write(&path, text).unwrap();
            let e = IgnoreFile::load(&path).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("ignore.toml"), "{e}");
        }
    }

    #[test]
    fn the_nearest_file_upward_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let deep = tmp.path().join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(tmp.path().join("a").join(FILE_NAME), "[db]\nwarn-age = \"2d\"\n").unwrap();
        let c = Config::find(None, &deep).unwrap();
        assert_eq!(c.db.warn_age.as_deref(), Some("2d"));
        assert_eq!(c.source, Some(tmp.path().join("a").join(FILE_NAME)));
        assert!(Config::find(Some(&tmp.path().join("missing.toml")), &deep).is_err());
    }
}
