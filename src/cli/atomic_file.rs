//! Writing output files whole or not at all, and only over plain files.
//!
//! Content goes to a temporary file in the destination's directory, which is then renamed over
//! the destination: a reader never sees a half-written file, and a failure leaves none behind.
//! A symbolic link is written through (its target is replaced, the link stays); a device, pipe,
//! socket or directory is never replaced. The path `-` means standard output. A temporary file
//! being written is registered, so that a second Ctrl-C, which ends the process at once, can
//! still remove it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written now, removed by [`remove_unfinished`] on a hard exit.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Whether `path` asks for standard output (`-`) rather than a file.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The file that writing `path` would replace: `path` itself, or, through any chain of
/// symbolic links, the file they end at (which need not exist yet).
pub fn destination(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Why `path` may not be replaced by an output file, if it may not: it exists and is not a
/// plain file (after following symbolic links).
pub fn not_plain_file(path: &Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a plain file")
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams whatever `fill` writes to `path` atomically: if `fill` fails, nothing is written.
/// `-` writes to standard output instead.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if is_stdout(path) {
        let mut stdout = std::io::stdout().lock();
        return match fill(&mut stdout).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        };
    }
    let (target, tmp) = temporary_beside(path)?;
    let registered = Registered::new(tmp.path());
    let result = (|| {
        let mut tmp = tmp;
        {
            let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
            fill(&mut buffered)?;
            buffered.flush()?;
        }
        finish(tmp, &target)
    })();
    drop(registered);
    result
}

/// Several outputs written together: each is written whole to a temporary file beside its
/// destination, and only when every one is written are they renamed over their destinations,
/// so a failure (a read-only directory, a full disk, a chart that cannot be drawn) leaves
/// every destination as it was. Dropped without [`Staged::commit`], it writes nothing.
#[derive(Default)]
pub struct Staged {
    files: Vec<(tempfile::NamedTempFile, PathBuf, Registered)>,
}

impl Staged {
    /// Writes `bytes` for `path` (not yet in place).
    pub fn bytes(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.via_path(path, |tmp| std::fs::write(tmp, bytes))
    }

    /// Writes `path`'s content through a path-taking writer (such as a PNG encoder).
    pub fn via_path(
        &mut self,
        path: &Path,
        fill: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (target, tmp) = temporary_beside(path)?;
        let registered = Registered::new(tmp.path());
        fill(tmp.path())?;
        self.files.push((tmp, target, registered));
        Ok(())
    }

    /// Puts every staged file in place.
    pub fn commit(self) -> std::io::Result<()> {
        for (tmp, target, registered) in self.files {
            finish(tmp, &target)?;
            drop(registered);
        }
        Ok(())
    }
}

/// The file `path` will replace and a new temporary file in its directory, or why it may not
/// be replaced.
fn temporary_beside(path: &Path) -> std::io::Result<(PathBuf, tempfile::NamedTempFile)> {
    let target = destination(path)?;
    if let Some(kind) = not_plain_file(&target) {
        return Err(std::io::Error::other(format!(
            "{} is {kind}; only a plain file is replaced",
            target.display()
        )));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let suffix = target
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let tmp = tempfile::Builder::new().suffix(&suffix).tempfile_in(dir)?;
    Ok((target, tmp))
}

/// Gives the finished temporary file an ordinary file's permissions and renames it over
/// `target`.
fn finish(tmp: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    // Temporary files are private (0600); an output file is an ordinary one (0644).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Removes every temporary file still being written (for an exit that skips destructors).
pub fn remove_unfinished() {
    if let Ok(paths) = UNFINISHED.lock() {
        for path in paths.iter() {
            std::fs::remove_file(path).ok();
        }
    }
}

/// A temporary file's entry in [`UNFINISHED`] for as long as it is written.
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Self {
        if let Ok(mut paths) = UNFINISHED.lock() {
            paths.push(path.to_path_buf());
        }
        Registered(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut paths) = UNFINISHED.lock() {
            paths.retain(|p| *p != self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hard_exit_while_writing_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let written = write_atomic_with(&out, |w| {
            w.write_all(b"half")?;
            // What the second Ctrl-C does before it exits.
            remove_unfinished();
            Err(std::io::Error::other("killed"))
        });
        assert!(written.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_chain_of_links_ends_at_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::os::unix::fs::symlink("b.csv", &a).unwrap();
        std::os::unix::fs::symlink("c.csv", &b).unwrap();
        assert_eq!(destination(&a).unwrap(), dir.path().join("c.csv"));
        std::fs::remove_file(&b).unwrap();
        std::os::unix::fs::symlink("a.csv", &b).unwrap();
        assert!(destination(&a).is_err(), "a loop of links must end");
    }
}
