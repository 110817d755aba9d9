//! Turning a verified blob stream into a tar stream: compression is sniffed
//! from the magic bytes (media types lie: docker-save writes plain tar, some
//! tools label gzip as `tar`), and the uncompressed bytes are checked against
//! the config's `diff_id` in the same pass.

use std::io::{self, BufRead, BufReader, Read};

use drydock_core::Digest;

use crate::verify::VerifyingReader;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    fn sniff(head: &[u8]) -> Compression {
        match head {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Wraps `raw` (already digest-verifying) in the right decompressor and,
/// when `diff_id` is known, a second verifier over the uncompressed tar.
pub fn decompress(raw: Box<dyn Read + Send>, diff_id: Option<&Digest>) -> io::Result<(Compression, Box<dyn Read + Send>)> {
    // 256 KiB: large reads keep the inflater and hasher in their fast loops.
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let compression = Compression::sniff(buffered.fill_buf()?);
    let tar: Box<dyn Read + Send> = match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
        Compression::None => Box::new(buffered),
    };
    let tar = match diff_id {
        // For an uncompressed blob the diff_id equals the blob digest, which
        // is already verified: don't hash twice.
        Some(d) if compression != Compression::None => Box::new(VerifyingReader::new(tar, d.clone(), None)) as Box<dyn Read + Send>,
        _ => tar,
    };
    Ok((compression, tar))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sniffs_gzip_zstd_and_plain() {
        let plain = b"plain tar bytes".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let gz = gz.finish().unwrap();
        let zs = zstd::encode_all(&plain[..], 1).unwrap();
        for (bytes, want) in [(plain.clone(), Compression::None), (gz, Compression::Gzip), (zs, Compression::Zstd)] {
            let (c, mut r) = decompress(Box::new(std::io::Cursor::new(bytes)), Some(&Digest::sha256_of(&plain))).unwrap();
            assert_eq!(c, want);
            let mut out = Vec::new();
            r.read_to_end(&mut out).unwrap();
            assert_eq!(out, plain);
        }
    }

    #[test]
    fn wrong_diff_id_fails_at_end_of_stream() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"abc").unwrap();
        let (_, mut r) = decompress(Box::new(std::io::Cursor::new(gz.finish().unwrap())), Some(&Digest::sha256_of(b"abd"))).unwrap();
        assert!(r.read_to_end(&mut Vec::new()).is_err());
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[7u8; 100_000]).unwrap();
        let bytes = gz.finish().unwrap();
        let (_, mut r) = decompress(Box::new(std::io::Cursor::new(bytes[..bytes.len() / 2].to_vec())), None).unwrap();
        assert!(r.read_to_end(&mut Vec::new()).is_err());
    }
}
