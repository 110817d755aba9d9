//! The CISA Known Exploited Vulnerabilities catalog
//! (`known_exploited_vulnerabilities.json`): `{catalogVersion, dateReleased,
//! count, vulnerabilities: [{cveID, vendorProject, product,
//! vulnerabilityName, dateAdded, dueDate, knownRansomwareCampaignUse, …}]}`.
//! A bare entry object or an array of entries is read too.

use serde_json::{Map, Value};

use super::kind_of;

use crate::model::{KevEntry, Parsed};

pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let released = root.get("dateReleased").and_then(Value::as_str).map(str::to_owned);
    let entries: Vec<Value> = match root {
        Value::Object(mut obj) => match obj.remove("vulnerabilities") {
            Some(Value::Array(list)) => list,
            Some(Value::Null) | None if obj.contains_key("cveID") => vec![Value::Object(obj)],
            Some(other) => return Err(format!("KEV catalog: `vulnerabilities` is {}, not an array", kind_of(&other))),
            None => return Err("KEV catalog: no `vulnerabilities` array at the top level".into()),
        },
        Value::Array(list) => list,
        other => return Err(format!("KEV catalog: the top level is {}, not an object", kind_of(&other))),
    };
    let mut parsed = Parsed { feed_date: released, ..Parsed::default() };
    for (i, entry) in entries.iter().enumerate() {
        let Some(obj) = entry.as_object() else {
            parsed.malformed.push((format!("#{i}"), format!("entry is {}, not an object", kind_of(entry))));
            continue;
        };
        match entry_of(obj) {
            Ok(k) => parsed.kev.push(k),
            Err(reason) => {
                let name = obj.get("cveID").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty() && s.len() <= 64);
                parsed.malformed.push((name.map_or_else(|| format!("#{i}"), str::to_owned), reason));
            }
        }
    }
    Ok(parsed)
}

fn entry_of(obj: &Map<String, Value>) -> Result<KevEntry, String> {
    let cve = required(obj, "cveID")?;
    if !super::is_cve_id(&cve) {
        return Err(format!("`cveID` {cve:?} is not a CVE id"));
    }
    let date_added = date(obj, "dateAdded")?;
    let due_date = date(obj, "dueDate")?;
    let ransomware = match obj.get("knownRansomwareCampaignUse") {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("Known"),
        Some(other) => return Err(format!("`knownRansomwareCampaignUse` is {}, not a string", kind_of(other))),
    };
    Ok(KevEntry {
        cve,
        date_added,
        due_date,
        vendor_project: optional(obj, "vendorProject")?,
        product: optional(obj, "product")?,
        name: optional(obj, "vulnerabilityName")?,
        ransomware,
    })
}

fn required(obj: &Map<String, Value>, key: &str) -> Result<String, String> {
    optional(obj, key)?.ok_or_else(|| format!("missing `{key}`"))
}

fn optional(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(other) => Err(format!("`{key}` is {}, not a string", kind_of(other))),
    }
}

/// A `YYYY-MM-DD` date (a full timestamp is cut to its date).
fn date(obj: &Map<String, Value>, key: &str) -> Result<String, String> {
    let s = required(obj, key)?;
    let day = s.get(..10).unwrap_or(&s);
    day.parse::<jiff::civil::Date>().map_err(|_| format!("`{key}` {s:?} is not a YYYY-MM-DD date"))?;
    Ok(day.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_names_bad_ones() {
        let json = br#"{"catalogVersion": "1", "vulnerabilities": [
          {"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2", "vulnerabilityName": "Log4Shell",
           "dateAdded": "2021-12-10", "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known"},
          {"cveID": "CVE-2021-1", "dateAdded": "2021-12-10"},
          {"cveID": "CVE-2021-0002", "dateAdded": "2021-12-10", "dueDate": "soon"},
          {"dateAdded": "2021-12-10", "dueDate": "2021-12-24"},
          {"cveID": "CVE-2021-0003", "dateAdded": "2021-12-10", "dueDate": "2021-12-24", "product": 5},
          7
        ]}"#;
        let p = parse(json).unwrap();
        assert_eq!(
            p.kev,
            [KevEntry {
                cve: "CVE-2021-44228".into(),
                date_added: "2021-12-10".into(),
                due_date: "2021-12-24".into(),
                vendor_project: Some("Apache".into()),
                product: Some("Log4j2".into()),
                name: Some("Log4Shell".into()),
                ransomware: true,
            }]
        );
        let names: Vec<&str> = p.malformed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["CVE-2021-1", "CVE-2021-0002", "#3", "CVE-2021-0003", "#5"]);
        assert_eq!(p.malformed[0].1, "`cveID` \"CVE-2021-1\" is not a CVE id");
        assert_eq!(p.malformed[2].1, "missing `cveID`");
    }

    #[test]
    fn wrong_top_level_shapes_are_errors() {
        assert_eq!(parse(b"{\"title\": \"x\"}").unwrap_err(), "KEV catalog: no `vulnerabilities` array at the top level");
        assert_eq!(parse(b"{\"vulnerabilities\": {}}").unwrap_err(), "KEV catalog: `vulnerabilities` is an object, not an array");
        assert_eq!(parse(b"\"x\"").unwrap_err(), "KEV catalog: the top level is a string, not an object");
        assert!(parse(b"{\"vulnerabilities\": [").unwrap_err().starts_with("not valid JSON"));
        assert_eq!(parse(b"[]").unwrap().kev.len(), 0);
    }
}
