//! The lock of an output folder: one process writes into a folder at a time.
//!
//! The lock is the kernel's (`File::try_lock` on `DIR/.commsim-lock`), so it ends with the
//! process however the process ends. The file itself is removed when the lock is let go, so that
//! finished folders (and the shipped `results/` folders) keep no trace of it; only a process that
//! was killed leaves it behind, and git ignores it. Removing a lock file is safe because every
//! locker checks, after locking, that the name still leads to the file it locked: a process that
//! opened the file just before its holder removed it finds the name gone or leading to a newer
//! file, and tries again on that one. So two processes can never each hold a lock on a different
//! file of the same name. Where that check is not available (not unix), the file stays.

use super::files::{no_follow, not_regular, open_err};
use super::{io_err, OutputError};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The lock file's name in an output folder.
pub const LOCK: &str = ".commsim-lock";

/// Tries of [`lock_dir`] when the lock file keeps being replaced under it.
const TRIES: usize = 100;

/// The exclusive lock of an output folder, held while the value lives.
#[derive(Debug)]
pub struct DirLock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock itself ends when the file closes, just after.
        #[cfg(unix)]
        if still_named(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Takes the output folder's exclusive lock, creating the folder if needed; refuses when another
/// process holds it.
pub(super) fn lock_dir(dir: &Path) -> Result<DirLock, OutputError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let path = dir.join(LOCK);
    for _ in 0..TRIES {
        super::files::check_regular(&path)?;
        let file = no_follow(
            fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true),
        )
        .open(&path)
        .map_err(open_err(&path))?;
        let t = file.metadata().map_err(io_err(&path))?.file_type();
        if !t.is_file() {
            return Err(not_regular(&path, t));
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    dir: dir.to_path_buf(),
                })
            }
            Err(fs::TryLockError::Error(e)) => return Err(OutputError::Io { path, source: e }),
        }
        if still_named(&file, &path) {
            return Ok(DirLock { file, path });
        }
    }
    Err(OutputError::Busy {
        dir: dir.to_path_buf(),
    })
}

/// Takes the exclusive lock of an existing output folder, for commands that read a finished
/// run and add a file to it (`commsim report`, `commsim analyze`): refuses while a run writes
/// into the folder.
pub fn lock_existing(dir: &Path) -> Result<DirLock, OutputError> {
    if !dir.is_dir() {
        return Err(OutputError::Io {
            path: dir.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "no such folder"),
        });
    }
    lock_dir(dir)
}

/// Whether `path` still names the file `file` (same device and inode), not following a link.
#[cfg(unix)]
fn still_named(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named(_file: &fs::File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_excludes_a_second_holder_and_its_file_goes_with_it() {
        let tmp = tempfile::tempdir().unwrap();
        let first = lock_dir(tmp.path()).unwrap();
        assert!(matches!(
            lock_dir(tmp.path()),
            Err(OutputError::Busy { .. })
        ));
        drop(first);
        #[cfg(unix)]
        assert!(!tmp.path().join(LOCK).exists());
        let again = lock_dir(tmp.path()).unwrap();
        drop(again);
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_removed_by_its_holder_is_not_locked_again() {
        // A process that opened the file before its holder removed it must not hold a lock on
        // the old file while another process locks the new one.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(LOCK);
        let holder = lock_dir(tmp.path()).unwrap();
        let late = fs::OpenOptions::new().write(true).open(&path).unwrap();
        drop(holder);
        late.try_lock().unwrap();
        assert!(!still_named(&late, &path));
        let newer = lock_dir(tmp.path()).unwrap();
        assert!(still_named(&newer.file, &path));
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, tmp.path().join(LOCK)).unwrap();
        assert!(matches!(
            lock_dir(tmp.path()),
            Err(OutputError::NotRegular { .. })
        ));
        assert!(!target.exists(), "no file created at the link's target");
    }
}
