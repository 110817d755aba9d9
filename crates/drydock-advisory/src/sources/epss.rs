//! FIRST EPSS scores (`epss_scores-YYYY-MM-DD.csv[.gz]`):
//!
//! ```text
//! #model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000
//! cve,epss,percentile
//! CVE-1999-0001,0.00383,0.73075
//! ```
//!
//! The comment line is optional. Gzip-compressed files are inflated
//! (at most [`MAX_INFLATED`] bytes).

use std::io::Read;

use crate::model::{EpssEntry, Parsed};

/// Largest inflated size accepted: the full daily file is ~10 MiB, so this
/// only stops decompression bombs.
pub const MAX_INFLATED: u64 = 2 << 30;

pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let inflated;
    let bytes = if is_gzip(bytes) {
        inflated = inflate(bytes, MAX_INFLATED)?;
        &inflated[..]
    } else {
        bytes
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let body = skip_comment(bytes);
    // Lines before the header, so messages give the file's line numbers.
    let skipped = bytes[..bytes.len() - body.len()].iter().filter(|&&b| b == b'\n').count() as u64;
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("EPSS: no `cve,epss,percentile` header".into());
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(body);
    let header = reader.byte_headers().map_err(|e| format!("EPSS: unreadable header: {e}"))?;
    let names: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h).to_ascii_lowercase()).collect();
    if names != ["cve", "epss", "percentile"] {
        let shown = super::osv::truncate_chars(&names.join(","), 100);
        return Err(format!("EPSS: header is `{shown}`, expected `cve,epss,percentile`"));
    }
    let mut parsed = Parsed { feed_date: score_date(bytes), ..Parsed::default() };
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => match row(&record) {
                Ok(e) => parsed.epss.push(e),
                Err(reason) => {
                    let name = record.get(0).and_then(|c| std::str::from_utf8(c).ok()).filter(|c| super::is_cve_id(c));
                    parsed.malformed.push((name.map_or_else(|| format!("line {}", line + skipped), str::to_owned), reason));
                }
            },
            Err(e) => {
                // csv stops at an I/O or UTF-8 error; byte records have no UTF-8 errors.
                parsed.malformed.push((format!("line {}", line + skipped), e.to_string()));
                break;
            }
        }
    }
    Ok(parsed)
}

fn row(record: &csv::ByteRecord) -> Result<EpssEntry, String> {
    if record.len() != 3 {
        return Err(format!("{} fields, expected 3", record.len()));
    }
    let field = |i: usize| std::str::from_utf8(&record[i]).map_err(|_| "not UTF-8".to_owned());
    let cve = field(0)?;
    if !super::is_cve_id(cve) {
        return Err(format!("{:?} is not a CVE id", super::osv::truncate_chars(cve, 40)));
    }
    let score = probability(field(1)?, "epss")?;
    let percentile = probability(field(2)?, "percentile")?;
    Ok(EpssEntry { cve: cve.to_owned(), score, percentile })
}

fn probability(s: &str, what: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{what} {:?} is not a number from 0 to 1", super::osv::truncate_chars(s, 40))),
    }
}

/// The bytes after a leading `#…` comment line.
fn skip_comment(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let rest = &bytes[start..];
    if rest.first() == Some(&b'#') {
        match rest.iter().position(|&b| b == b'\n') {
            Some(nl) => &rest[nl + 1..],
            None => &[],
        }
    } else {
        rest
    }
}

/// The `score_date` of the comment line (`2025-02-20T00:00:00+0000`), if
/// the file has one. Reads gzip-compressed files too.
pub fn score_date(bytes: &[u8]) -> Option<String> {
    comment_field(bytes, "score_date")
}

/// The `model_version` of the comment line (`v2023.03.01`).
pub fn model_version(bytes: &[u8]) -> Option<String> {
    comment_field(bytes, "model_version")
}

fn comment_field(bytes: &[u8], key: &str) -> Option<String> {
    let head = if is_gzip(bytes) { inflate_head(bytes) } else { bytes[..bytes.len().min(4096)].to_vec() };
    let text = String::from_utf8_lossy(&head);
    let line = text.trim_start_matches('\u{feff}').trim_start().lines().next()?.strip_prefix('#')?;
    line.split(',').find_map(|part| {
        let (k, v) = part.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_owned()).filter(|v| !v.is_empty())
    })
}

pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

fn inflate(bytes: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).take(cap + 1).read_to_end(&mut out).map_err(|e| format!("EPSS: bad gzip data: {e}"))?;
    if out.len() as u64 > cap {
        return Err(format!("EPSS: inflates to more than {cap} bytes"));
    }
    Ok(out)
}

/// The first few KiB of a gzip stream, as far as `bytes` (possibly a
/// truncated head of the file) allows.
pub(crate) fn inflate_head(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::GzDecoder::new(bytes).take(4096);
    let mut buf = [0u8; 1024];
    loop {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const SAMPLE: &[u8] = b"#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.00383,0.73075\nCVE-1999-0002,1.5,0.9\nnot-a-cve,0.1,0.2\nCVE-1999-0003,0.1\nCVE-1999-0004,0.5,0.5\n";

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn rows_and_bad_rows() {
        let p = parse(SAMPLE).unwrap();
        assert_eq!(p.epss.len(), 2);
        assert_eq!(p.epss[0], EpssEntry { cve: "CVE-1999-0001".into(), score: 0.00383, percentile: 0.73075 });
        let names: Vec<&str> = p.malformed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["CVE-1999-0002", "line 5", "CVE-1999-0003"]);
        assert_eq!(score_date(SAMPLE).as_deref(), Some("2025-02-20T00:00:00+0000"));
        assert_eq!(model_version(SAMPLE).as_deref(), Some("v2023.03.01"));
    }

    #[test]
    fn gzip_input() {
        let z = gz(SAMPLE);
        assert_eq!(parse(&z).unwrap().epss.len(), 2);
        assert_eq!(score_date(&z).as_deref(), Some("2025-02-20T00:00:00+0000"));
        assert!(parse(&z[..z.len() / 2]).is_err());
        // A bomb: more than the cap inflates to an error, not an allocation.
        let bomb = gz(&vec![b'a'; 1 << 20]);
        assert!(inflate(&bomb, 1000).unwrap_err().contains("more than 1000 bytes"));
    }

    #[test]
    fn header_problems() {
        assert!(parse(b"").is_err());
        assert!(parse(b"#model_version:v1\n").is_err());
        assert!(parse(b"a,b,c\nCVE-1999-0001,0.1,0.2\n").unwrap_err().contains("header is `a,b,c`"));
        assert_eq!(parse(b"cve,epss,percentile\n").unwrap().epss.len(), 0);
        assert_eq!(parse(b"cve,epss,percentile\r\nCVE-1999-0001,0.1,0.2\r\n").unwrap().epss.len(), 1);
        assert_eq!(score_date(b"cve,epss,percentile\n"), None);
    }
}
