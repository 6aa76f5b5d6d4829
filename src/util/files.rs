//! Files a user names: read with a bound and only when they are regular files (a FIFO would
//! wait for a writer for ever, and `/dev/zero` never ends), and written whole (a temporary file
//! beside the target, flushed, then renamed over it), so that a full disk or a crash never
//! leaves half a file, an existing file is replaced only when asked, and a command never writes
//! over the file it is reading.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::util::text::sanitize;

/// How a path is shown in a message: escaped, since a file's name can hold anything.
pub fn shown(path: &Path) -> String {
    sanitize(&path.display().to_string())
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// Not a regular file: a folder, a FIFO, a device.
    NotRegular,
    /// Longer than the limit (the size found, or the limit + 1 if it grew while being read).
    TooLarge(u64),
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // `metadata` does not open the file, so a FIFO is refused before anything waits on it.
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Whether two paths name the same existing file (through `.`, `..` or links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// How `write_whole` treats a file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Refuse,
    Replace,
}

/// Writes `bytes` to `path` whole: into a temporary file in the same folder, flushed to disk,
/// then renamed into place. An existing file is refused unless `existing` is `Replace`; the
/// file being read (`input`) is always refused. On any failure the temporary file is removed
/// and `path` is as it was.
pub fn write_whole(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    input: Option<&Path>,
) -> Result<()> {
    if let Some(input) = input
        && same_file(path, input)
    {
        bail!(
            "{} is the input being read, so it cannot also be the output; write to another file",
            shown(path)
        );
    }
    let old = fs::symlink_metadata(path).ok();
    if old.is_some() && existing == Existing::Refuse {
        bail!(
            "{} already exists; choose another name, or add --force to replace it",
            shown(path)
        );
    }
    if let Some(old) = &old
        && !old.is_file()
        && !old.file_type().is_symlink()
    {
        bail!(
            "{} is not a regular file, so it cannot be replaced",
            shown(path)
        );
    }
    let temp = temp_beside(path);
    let result = (|| -> io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        if let Some(old) = &old {
            // A replaced file keeps who may read it.
            let _ = file.set_permissions(old.permissions());
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if existing == Existing::Refuse && fs::symlink_metadata(path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "another program created it meanwhile",
            ));
        }
        fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(e).with_context(|| format!("writing {}", shown(path)));
    }
    Ok(())
}

/// A name for a temporary file beside `path`, starting with a dot, that no other process is
/// using.
fn temp_beside(path: &Path) -> PathBuf {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(format!(".{name}.{:016x}.tmp", h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sgquiz-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn writes_whole_refuses_existing_and_never_the_input() {
        let d = dir("write");
        let out = d.join("out.txt");
        write_whole(&out, b"one", Existing::Refuse, None).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"one");
        let err = write_whole(&out, b"two", Existing::Refuse, None).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        write_whole(&out, b"two", Existing::Replace, None).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");
        let same = d.join(".").join("out.txt");
        let err = write_whole(&same, b"three", Existing::Replace, Some(&out)).unwrap_err();
        assert!(err.to_string().contains("input"), "{err}");
        assert_eq!(fs::read(&out).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let d = dir("read");
        let f = d.join("f");
        fs::write(&f, b"12345").unwrap();
        assert_eq!(read_bounded(&f, 5).unwrap(), b"12345");
        assert!(matches!(read_bounded(&f, 4), Err(ReadError::TooLarge(5))));
        assert!(matches!(read_bounded(&d, 4), Err(ReadError::NotRegular)));
        fs::remove_dir_all(&d).unwrap();
    }
}
