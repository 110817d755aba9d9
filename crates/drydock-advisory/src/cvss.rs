//! CVSS base scores computed from vectors.
//!
//! Scoring is done by the RustSec `cvss` crate, which implements the
//! published equations: CVSS v2.0 (the guide's section 3.2.1 base equation,
//! <https://www.first.org/cvss/v2/guide#3-2-1-Base-Equation>), CVSS v3.0 and
//! v3.1 (specification section 7.1, with each version's own `Roundup`), and
//! CVSS v4.0 (the FIRST reference calculator's macro-vector interpolation).
//! This module only normalizes the vector spellings feeds use, rejects
//! incomplete vectors, and maps scores onto the qualitative scale.

use std::str::FromStr;

/// A vector and the base score it yields.
#[derive(Clone, Debug, PartialEq)]
pub struct CvssScore {
    /// `2.0`, `3.0`, `3.1` or `4.0`.
    pub version: String,
    pub base_score: f64,
    /// The vector as scored (trimmed; a v2 vector without any prefix).
    pub vector: String,
}

impl CvssScore {
    pub fn rating(&self) -> Rating {
        severity_of_score(self.base_score)
    }
}

/// The CVSS v3 qualitative severity rating scale (specification section 5),
/// also used for v4.0 and applied to v2.0 scores for comparability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }
}

/// 0.0 None, 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical.
/// Scores are published with one decimal; anything that is not a positive
/// number (NaN included) is `None`.
pub fn severity_of_score(score: f64) -> Rating {
    if score.is_nan() || score <= 0.0 {
        Rating::None
    } else if score < 4.0 {
        Rating::Low
    } else if score < 7.0 {
        Rating::Medium
    } else if score < 9.0 {
        Rating::High
    } else {
        Rating::Critical
    }
}

/// Longest vector accepted: a v4.0 vector with every optional metric is
/// about 190 characters.
const MAX_VECTOR_LEN: usize = 512;

/// Scores a vector: `CVSS:3.0/…`, `CVSS:3.1/…`, `CVSS:4.0/…`, or a v2
/// vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, also accepted with a `CVSS:2.0/`
/// prefix or in parentheses as some feeds write it). `None` for anything
/// that is not a complete, valid vector; never panics.
pub fn base_score(vector: &str) -> Option<CvssScore> {
    let mut v = vector.trim();
    if v.is_empty() || v.len() > MAX_VECTOR_LEN || !v.is_ascii() {
        return None;
    }
    if let Some(inner) = v.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        v = inner.trim();
    }
    let v = v.trim_end_matches('/');
    if let Some(rest) = v.strip_prefix("CVSS:2.0/") {
        return score_v2(rest);
    }
    if let Some(rest) = v.strip_prefix("CVSS:") {
        let version = rest.get(..3)?;
        return match version {
            "3.0" | "3.1" => score_v3(v, version),
            "4.0" => score_v4(v),
            _ => None,
        };
    }
    score_v2(v)
}

fn score_v2(v: &str) -> Option<CvssScore> {
    let parsed = cvss::v2::Vector::from_str(v).ok()?;
    // `FromStr` requires the six base metrics; check anyway so a lenient
    // parser upgrade cannot turn a partial vector into a made-up score.
    let complete =
        parsed.av.is_some() && parsed.ac.is_some() && parsed.au.is_some() && parsed.c.is_some() && parsed.i.is_some() && parsed.a.is_some();
    if !complete {
        return None;
    }
    finish("2.0", parsed.score().value(), v)
}

fn score_v3(v: &str, version: &str) -> Option<CvssScore> {
    let parsed = cvss::v3::Vector::from_str(v).ok()?;
    // The crate scores missing base metrics as 0; a vector without all
    // eight is not a vector.
    let complete = parsed.av.is_some()
        && parsed.ac.is_some()
        && parsed.pr.is_some()
        && parsed.ui.is_some()
        && parsed.s.is_some()
        && parsed.c.is_some()
        && parsed.i.is_some()
        && parsed.a.is_some();
    if !complete {
        return None;
    }
    finish(version, parsed.base_score().value(), v)
}

fn score_v4(v: &str) -> Option<CvssScore> {
    // v4 parsing rejects vectors missing a mandatory base metric. The score
    // is the one the vector describes (CVSS-B, or CVSS-BT/BE/BTE when it
    // carries threat or environmental metrics), as NVD and GHSA publish it.
    let parsed = cvss::v4::Vector::from_str(v).ok()?;
    finish("4.0", parsed.score().value(), v)
}

fn finish(version: &str, score: f64, vector: &str) -> Option<CvssScore> {
    if !score.is_finite() || !(0.0..=10.0).contains(&score) {
        return None;
    }
    Some(CvssScore { version: version.to_owned(), base_score: score, vector: vector.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &str) -> f64 {
        base_score(v).unwrap_or_else(|| panic!("{v} should score")).base_score
    }

    #[test]
    fn v3_vectors_match_the_official_calculator() {
        // Scores as published by NVD / the FIRST v3.1 calculator.
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
        assert_eq!(score("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"), 8.1);
        // CVE-2021-3782 (the Ubuntu fixture), NVD: 6.6.
        assert_eq!(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H"), 6.6);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
        assert_eq!(score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), 0.0);
        let s = base_score("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(s.version, "3.0");
        assert_eq!(s.rating(), Rating::High);
    }

    #[test]
    fn v2_vectors_use_the_v2_base_equation() {
        // CVSS v2 guide 3.2.1; NVD publishes 7.5 for this vector.
        let s = base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P").unwrap();
        assert_eq!((s.version.as_str(), s.base_score), ("2.0", 7.5));
        assert_eq!(score("AV:N/AC:L/Au:N/C:C/I:C/A:C"), 10.0);
        assert_eq!(score("AV:N/AC:M/Au:N/C:N/I:P/A:N"), 4.3);
        assert_eq!(score("AV:L/AC:L/Au:N/C:C/I:C/A:C"), 7.2);
        assert_eq!(score("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), 7.5);
        assert_eq!(score("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
        // Temporal metrics do not change the base score.
        assert_eq!(score("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:U/RL:OF/RC:C"), 7.5);
    }

    #[test]
    fn v4_vectors_score() {
        // FIRST CVSS v4.0 calculator values.
        assert_eq!(score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 9.3);
        assert_eq!(score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), 0.0);
        let s = base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/E:P").unwrap();
        assert_eq!((s.version.as_str(), s.base_score), ("4.0", 7.7));
    }

    #[test]
    fn junk_vectors_are_none() {
        let junk = [
            "",
            "   ",
            "CVSS:3.1",
            "CVSS:3.1/",
            "CVSS:3.1/AV:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:4.0/AV:N/AC:L",
            "CVSS:9.9/x",
            "CVSS:",
            "CVSS:é",
            "AV:N/AC:L/Au:N",
            "AV:N/AC:L/Au:N/C:P/I:P/A:Q",
            "HIGH",
            "moderate",
            "9.8",
            "////",
            ":::",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/",
        ];
        for j in junk {
            if j == "AV:N/AC:L/Au:N/C:P/I:P/A:P/" {
                // A trailing slash is tolerated.
                assert_eq!(score(j), 7.5);
                continue;
            }
            assert_eq!(base_score(j), None, "{j:?}");
        }
        assert_eq!(base_score(&"A".repeat(10_000)), None);
        assert_eq!(base_score(&format!("CVSS:3.1/{}", "AV:N/".repeat(200))), None);
        // Every prefix of valid vectors: no panics, and only whole vectors score.
        for v in ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"] {
            for end in 0..v.len() {
                let _ = base_score(&v[..end]);
            }
        }
    }

    #[test]
    fn qualitative_scale() {
        assert_eq!(severity_of_score(0.0), Rating::None);
        assert_eq!(severity_of_score(f64::NAN), Rating::None);
        assert_eq!(severity_of_score(0.1), Rating::Low);
        assert_eq!(severity_of_score(3.9), Rating::Low);
        assert_eq!(severity_of_score(4.0), Rating::Medium);
        assert_eq!(severity_of_score(6.9), Rating::Medium);
        assert_eq!(severity_of_score(7.0), Rating::High);
        assert_eq!(severity_of_score(8.9), Rating::High);
        assert_eq!(severity_of_score(9.0), Rating::Critical);
        assert_eq!(severity_of_score(10.0), Rating::Critical);
        assert_eq!(Rating::Critical.as_str(), "critical");
    }
}
