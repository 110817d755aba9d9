//! NVD CVE API 2.0 response pages: the CVSS scores each authority
//! published for each CVE (`vulnerabilities[].cve.metrics.cvssMetricV2 /
//! V30 / V31 / V40[]`). Nothing else of the page is kept.

use serde_json::Value;

use crate::model::{CveScore, Parsed};

pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let Some(obj) = root.as_object() else {
        return Err("NVD page: the top level is not an object".into());
    };
    let items = match obj.get("vulnerabilities") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err("NVD page: `vulnerabilities` is not an array".into()),
        None => return Err("NVD page: no `vulnerabilities` array at the top level".into()),
    };
    let mut parsed = Parsed::default();
    for (i, item) in items.iter().enumerate() {
        let Some(cve) = item.get("cve").and_then(Value::as_object) else {
            parsed.malformed.push((format!("#{i}"), "no `cve` object".into()));
            continue;
        };
        let Some(id) = cve.get("id").and_then(Value::as_str).map(str::trim).filter(|id| super::is_cve_id(id)) else {
            parsed.malformed.push((format!("#{i}"), "no CVE `id`".into()));
            continue;
        };
        let metrics = match cve.get("metrics") {
            None | Some(Value::Null) => continue,
            Some(Value::Object(m)) => m,
            Some(_) => {
                parsed.malformed.push((id.to_owned(), "`metrics` is not an object".into()));
                continue;
            }
        };
        for (key, list) in metrics {
            if !key.starts_with("cvssMetricV") {
                continue;
            }
            let Some(list) = list.as_array() else {
                parsed.malformed.push((id.to_owned(), format!("`metrics.{key}` is not an array")));
                continue;
            };
            for (j, metric) in list.iter().enumerate() {
                match score_of(id, metric) {
                    Ok(s) => parsed.cve_scores.push(s),
                    Err(reason) => parsed.malformed.push((id.to_owned(), format!("metrics.{key}[{j}]: {reason}"))),
                }
            }
        }
    }
    Ok(parsed)
}

fn score_of(cve: &str, metric: &Value) -> Result<CveScore, String> {
    let text = |v: Option<&Value>, what: &str| -> Result<String, String> {
        v.and_then(Value::as_str).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).ok_or_else(|| format!("no `{what}`"))
    };
    let data = metric.get("cvssData").ok_or("no `cvssData`")?;
    let base_score = data.get("baseScore").and_then(Value::as_f64).ok_or("no numeric `cvssData.baseScore`")?;
    if !(0.0..=10.0).contains(&base_score) {
        return Err(format!("`cvssData.baseScore` {base_score} is outside 0–10"));
    }
    Ok(CveScore {
        cve: cve.to_owned(),
        source: text(metric.get("source"), "source")?,
        role: text(metric.get("type"), "type")?,
        version: text(data.get("version"), "cvssData.version")?,
        vector: text(data.get("vectorString"), "cvssData.vectorString")?,
        base_score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metrics_and_names_bad_ones() {
        let json = br#"{"resultsPerPage": 2, "format": "NVD_CVE", "vulnerabilities": [
          {"cve": {"id": "CVE-2022-1576", "metrics": {
            "cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", "baseScore": 6.5}}],
            "cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:M/Au:N/C:N/I:P/A:N", "baseScore": 4.3}},
                             {"source": "x", "type": "Secondary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:M/Au:N/C:N/I:P/A:N"}}]
          }}},
          {"cve": {"id": "CVE-2023-0001"}},
          {"nope": 1}
        ]}"#;
        let p = parse(json).unwrap();
        assert_eq!(p.cve_scores.len(), 2);
        let v31 = p.cve_scores.iter().find(|s| s.version == "3.1").unwrap();
        assert_eq!(
            *v31,
            CveScore {
                cve: "CVE-2022-1576".into(),
                source: "nvd@nist.gov".into(),
                role: "Primary".into(),
                version: "3.1".into(),
                vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N".into(),
                base_score: 6.5,
            }
        );
        assert_eq!(
            p.malformed,
            [
                ("CVE-2022-1576".to_owned(), "metrics.cvssMetricV2[1]: no numeric `cvssData.baseScore`".to_owned()),
                ("#2".to_owned(), "no `cve` object".to_owned()),
            ]
        );
    }

    #[test]
    fn wrong_shapes() {
        assert!(parse(b"[]").is_err());
        assert!(parse(b"{\"resultsPerPage\": 0}").is_err());
        assert!(parse(b"{\"vulnerabilities\": 1}").is_err());
        assert!(parse(b"{\"vulnerabilities\": [").is_err());
        assert_eq!(parse(b"{\"vulnerabilities\": []}").unwrap().cve_scores.len(), 0);
    }
}
