//! Where output goes: stdout, or a file replaced atomically (written to a
//! temporary file beside it, then renamed), so a reader never sees half a
//! report and a failed run leaves the previous report intact.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};

pub fn emit(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            write(&mut lock)?;
            lock.flush()?;
            Ok(())
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot create a file in {}", dir.display()))?;
            {
                let mut buf = io::BufWriter::new(tmp.as_file_mut());
                write(&mut buf).with_context(|| format!("writing {}", path.display()))?;
                buf.flush()?;
            }
            tmp.as_file().sync_all()?;
            tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
            Ok(())
        }
    }
}
