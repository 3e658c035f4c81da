//! Every file kwire reads or writes goes through here: reads are bounded
//! (a maximum size; FIFOs and devices are refused unless they are stdin),
//! writes are atomic (a temporary file in the same directory, renamed over
//! the target). See `docs/robustness.md`.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The default maximum size of one file read (inputs, `--baseline`,
/// `.kwire.yaml`, standard input): 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Why a bounded read gave nothing.
#[derive(Debug)]
pub enum ReadError {
    /// The file system said no (not found, permission denied, ...).
    Io(io::Error),
    /// More than `max` bytes: nothing of it is kept.
    TooLarge { max: u64 },
    /// A FIFO, socket or device named as a file: reading it could block
    /// forever or never end.
    NotRegular { what: &'static str },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                f.write_str("no such file or directory")
            }
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge { max } => {
                write!(f, "larger than the maximum file size ({})", show_size(*max))
            }
            ReadError::NotRegular { what } => write!(f, "{what}, not a regular file"),
        }
    }
}

/// `64 MiB`, `1.5 KiB`, `12 bytes`.
pub fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, unit) in UNITS {
        if bytes >= unit {
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes / unit)
            } else {
                format!("{:.1} {name}", bytes as f64 / unit as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

/// Parses a size: a number of bytes with an optional unit (`K`/`KiB`,
/// `M`/`MiB`, `G`/`GiB`, powers of 1024; `KB`, `MB`, `GB` powers of 1000).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 64MiB, 500K, 1000000)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => {
            return Err(format!(
                "`{text}`: unknown size unit (use K, M, G (KiB, MiB, GiB) or KB, MB, GB)"
            ));
        }
    };
    let size = n
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large a size"))?;
    if size == 0 {
        return Err("the maximum file size must be more than 0 bytes".to_string());
    }
    // Positions are 32-bit byte offsets.
    if size > u64::from(u32::MAX) {
        return Err(format!("`{text}`: the maximum file size is at most 4 GiB"));
    }
    Ok(size)
}

/// What a path that is not a regular file is, for messages.
#[cfg(unix)]
fn kind_of(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind_of(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Reads the whole regular file at `path`, at most `max` bytes. The type
/// is checked before the file is opened (opening a FIFO blocks until a
/// writer comes) and again on the open file (it may have been swapped).
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            what: kind_of(&meta),
        });
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge { max });
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            what: kind_of(&meta),
        });
    }
    // The size may have changed since: read one byte past the limit to know.
    read_bounded(file, max, usize::try_from(meta.len()).unwrap_or(0))
}

/// Reads `path` as UTF-8 text, at most `max` bytes (configuration files,
/// baselines). The message names the path.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    let bytes = read_file(path, max).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(e.as_bytes().get(..at).unwrap_or(&[])).unwrap_or("");
        let p = crate::source::position_after(prefix);
        format!(
            "{}: not UTF-8 text (invalid byte at line {}, column {})",
            path.display(),
            p.line,
            p.column
        )
    })
}

/// Reads standard input to its end, at most `max` bytes.
pub fn read_stdin(max: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded(io::stdin().lock(), max, 0)
}

/// Standard input given as bytes (`crate::lint::lint_with_stdin`), with
/// the same bound as [`read_stdin`].
pub fn read_bytes(bytes: &[u8], max: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded(bytes, max, bytes.len())
}

fn read_bounded(reader: impl Read, max: u64, hint: usize) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::with_capacity(hint.min(usize::try_from(max).unwrap_or(usize::MAX)));
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > max {
        return Err(ReadError::TooLarge { max });
    }
    Ok(buf)
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`. A reader (or a
/// kill at any moment) sees the old file or the new one, never a part. An
/// existing file keeps its permissions; a symbolic link is followed and
/// its target replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] with the content written by `fill` (a reporter).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_links(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kwire-output".to_string());
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        // A FIFO, a device, /dev/stdout: write in place, no rename.
        let mut f = fs::OpenOptions::new().write(true).open(&target)?;
        let mut out = io::BufWriter::new(&mut f);
        fill(&mut out)?;
        return out.flush();
    }
    let (tmp_path, file) = create_temp(&dir, &name)?;
    let result = (|| {
        let mut out = io::BufWriter::new(&file);
        fill(&mut out)?;
        out.flush()?;
        drop(out);
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
            keep_owner(&file, meta);
        }
        file.sync_all()?;
        fs::rename(&tmp_path, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// Gives the new file the old one's owner and group, where the process may
/// (root, or its own group): otherwise the new file stays the writer's.
#[cfg(unix)]
fn keep_owner(file: &File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _meta: &fs::Metadata) {}

/// Follows symbolic links (a bounded number of hops) to the path that
/// will be replaced.
fn resolve_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&p) {
            Ok(next) => {
                p = match p.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            Err(_) => break,
        }
    }
    p
}

/// A new file `.NAME.kwire-tmp-PID-N` in `dir`, created exclusively.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let candidate = dir.join(format!(".{name}.kwire-tmp-{pid}-{n}"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => return Ok((candidate, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2 GB"), Ok(2_000_000_000));
        assert!(parse_size("5G").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(show_size(64 << 20), "64 MiB");
        assert_eq!(show_size(1536), "1.5 KiB");
        assert_eq!(show_size(12), "12 bytes");
    }

    #[test]
    fn bounded_reads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        fs::write(&p, "0123456789").unwrap();
        assert_eq!(read_file(&p, 10).unwrap().len(), 10);
        assert!(matches!(
            read_file(&p, 9),
            Err(ReadError::TooLarge { max: 9 })
        ));
        assert!(matches!(
            read_file(dir.path(), 100),
            Err(ReadError::NotRegular { .. })
        ));
        assert!(matches!(
            read_file(Path::new("/dev/zero"), 100),
            Err(ReadError::NotRegular { .. })
        ));
        assert!(matches!(
            read_bounded(io::repeat(b'x'), 1000, 0),
            Err(ReadError::TooLarge { max: 1000 })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_replaces_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("baseline.json");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new content").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new content");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        // A failing writer leaves the old file whole and no temporary.
        let err = write_atomic_with(&p, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("killed"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "new content");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // Through a symbolic link, the target is replaced, the link kept.
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        write_atomic(&link, b"via link").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&p).unwrap(), "via link");
    }
}
