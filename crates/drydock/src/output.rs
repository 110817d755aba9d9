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
        // Devices and pipes (`-o /dev/null`, `-o /dev/stdout`, a FIFO) are
        // written in place: renaming a temp file over them would replace
        // the device with a regular file.
        Some(path) if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
            let file = std::fs::OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {}", path.display()))?;
            let mut buf = io::BufWriter::new(file);
            write(&mut buf).with_context(|| format!("writing {}", path.display()))?;
            buf.flush()?;
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
