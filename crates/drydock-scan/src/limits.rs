//! Limits that keep a hostile image from exhausting time, memory or disk:
//! a decompression bomb or a layer with millions of entries stops with an
//! error naming the layer, not an OOM.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Total uncompressed bytes across all layers.
    pub max_inflated_bytes: u64,
    /// Total tar entries across all layers.
    pub max_entries: u64,
    /// Largest single file read into memory for analyzers; larger wanted
    /// files are skipped with a warning.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_inflated_bytes: 64 << 30, max_entries: 10_000_000, max_file_bytes: 64 << 20 }
    }
}

/// Budgets shared by the layers walked in parallel.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub inflated: AtomicU64,
    pub entries: AtomicU64,
}

/// Marker error: the inflated-bytes budget ran out.
#[derive(Debug, thiserror::Error)]
#[error("the image inflates to more than {limit} bytes (a decompression bomb?); raise --max-inflated-size if it is genuine")]
pub struct InflateLimit {
    pub limit: u64,
}

/// Counts uncompressed bytes against the shared budget.
pub(crate) struct CountingReader<'a, R> {
    pub inner: R,
    pub budget: &'a Budget,
    pub limit: u64,
    pub counted: u64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counted += n as u64;
        let total = self.budget.inflated.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if total > self.limit {
            return Err(io::Error::new(io::ErrorKind::InvalidData, InflateLimit { limit: self.limit }));
        }
        Ok(n)
    }
}
