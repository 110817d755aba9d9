//! Where the database lives and how current it is.
//!
//! FedRAMP asks for evidence that vulnerability signatures were updated
//! before each scan (RA-5(2)); every scan report carries [`db_info`]. The
//! age is that of the *oldest* source: a database is only as current as
//! its stalest feed.

use std::path::PathBuf;

use drydock_core::vulnerability::{AdvisoryDbInfo, DbSourceInfo};

use crate::store::{Store, StoreError};

/// The default maximum age before a scan warns: 5 days.
pub const DEFAULT_MAX_AGE_HOURS: f64 = 5.0 * 24.0;

/// `$DRYDOCK_DB`, else `$XDG_DATA_HOME/drydock/advisories.db`, else
/// `~/.local/share/drydock/advisories.db`.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("DRYDOCK_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("drydock").join("advisories.db")
}

/// Describes the open database for a report, judging its age at `now`.
pub fn db_info(store: &Store, max_age_hours: f64, now: jiff::Timestamp) -> Result<AdvisoryDbInfo, StoreError> {
    let sources = store.sources()?;
    let oldest = sources.iter().filter_map(|s| s.fetched_at.parse::<jiff::Timestamp>().ok()).min();
    let age_hours = oldest.map(|t| (now.as_second() - t.as_second()) as f64 / 3600.0).unwrap_or(f64::INFINITY);
    let age_hours = if age_hours.is_finite() { (age_hours * 10.0).round() / 10.0 } else { f64::MAX };
    Ok(AdvisoryDbInfo {
        path: store.path().display().to_string(),
        built_at: store.built_at()?,
        oldest_source_at: oldest.map(|t| t.to_string()),
        age_hours,
        max_age_hours,
        stale: age_hours > max_age_hours,
        sources: sources
            .iter()
            .map(|s| DbSourceInfo { name: s.name.clone(), kind: s.kind.clone(), fetched_at: s.fetched_at.clone(), records: s.records() })
            .collect(),
    })
}

/// Parses an age such as `5d`, `36h`, `90m`, `2w` into hours.
pub fn parse_age(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("`{s}` is not an age (try 5d, 36h or 2w)"))?;
    let hours = match unit.trim().to_ascii_lowercase().as_str() {
        "m" | "min" => n / 60.0,
        "h" | "" => n,
        "d" => n * 24.0,
        "w" => n * 24.0 * 7.0,
        other => return Err(format!("unknown age unit `{other}` (use m, h, d or w)")),
    };
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse() {
        assert_eq!(parse_age("5d"), Ok(120.0));
        assert_eq!(parse_age("36h"), Ok(36.0));
        assert_eq!(parse_age("2w"), Ok(336.0));
        assert!(parse_age("soon").is_err());
        assert!(parse_age("3 fortnights").is_err());
    }
}
