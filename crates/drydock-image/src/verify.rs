//! A reader that hashes what passes through it and fails at end of stream
//! if the digest or the declared size does not match.
//!
//! Hot path: every compressed byte of every layer passes through here once;
//! hashing happens in the same pass as decompression, never as a second read.

use std::io::{self, Read};

use drydock_core::{Digest, Hasher};

/// Why a stream failed verification; carried inside `io::Error` so it
/// survives the decompressor and tar reader layered on top.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("digest mismatch: expected {expected}, content hashes to {actual}")]
    Digest { expected: Digest, actual: Digest },
    #[error("size mismatch: descriptor says {expected} bytes, blob has {actual}")]
    ShortBlob { expected: u64, actual: u64 },
    #[error("blob is larger than the {expected} bytes its descriptor declares")]
    LongBlob { expected: u64 },
}

pub struct VerifyingReader<R> {
    inner: R,
    hasher: Option<Hasher>,
    expected: Digest,
    expected_size: Option<u64>,
    seen: u64,
}

impl<R: Read> VerifyingReader<R> {
    /// `expected_size` is enforced when known: a blob may not run past it
    /// (a hostile registry cannot feed an endless stream) nor end short.
    pub fn new(inner: R, expected: Digest, expected_size: Option<u64>) -> Self {
        VerifyingReader { inner, hasher: Some(Hasher::new(expected.algorithm())), expected, expected_size, seen: 0 }
    }

    fn finish(&mut self) -> io::Result<()> {
        let Some(hasher) = self.hasher.take() else { return Ok(()) };
        if let Some(expected) = self.expected_size
            && self.seen != expected
        {
            return Err(invalid(VerifyError::ShortBlob { expected, actual: self.seen }));
        }
        let actual = hasher.finish();
        if actual != self.expected {
            return Err(invalid(VerifyError::Digest { expected: self.expected.clone(), actual }));
        }
        Ok(())
    }
}

fn invalid(e: VerifyError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.finish()?;
            return Ok(0);
        }
        self.seen += n as u64;
        if let Some(limit) = self.expected_size
            && self.seen > limit
        {
            self.hasher = None;
            return Err(invalid(VerifyError::LongBlob { expected: limit }));
        }
        if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Reads a whole small blob (manifest, config) with a size cap and verifies it.
pub fn read_verified(mut r: impl Read, expected: &Digest, expected_size: Option<u64>, cap: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut limited = (&mut r).take(cap + 1);
    limited.read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("document is larger than the {cap}-byte limit")));
    }
    let mut v = VerifyingReader::new(&buf[..], expected.clone(), expected_size);
    io::copy(&mut v, &mut io::sink())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_matching_content_and_rejects_tampering() {
        let good = Digest::sha256_of(b"hello");
        let mut out = Vec::new();
        VerifyingReader::new(&b"hello"[..], good.clone(), Some(5)).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello");

        let err = VerifyingReader::new(&b"hellp"[..], good.clone(), Some(5)).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("digest mismatch"), "{err}");
        let err = VerifyingReader::new(&b"hell"[..], good.clone(), Some(5)).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("size mismatch"), "{err}");
        let err = VerifyingReader::new(&b"hello!"[..], good, Some(5)).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("larger"), "{err}");
    }

    #[test]
    fn read_verified_caps_size() {
        let d = Digest::sha256_of(b"0123456789");
        assert!(read_verified(&b"0123456789"[..], &d, None, 10).is_ok());
        assert!(read_verified(&b"0123456789"[..], &d, None, 9).is_err());
    }
}
