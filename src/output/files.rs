//! Opening the entries of an output folder without following symbolic links, so that a link
//! planted in the folder never makes commsim read, truncate or write the file it points to.
//! Files commsim creates are created new (`create_new`, which never follows a link) after the
//! entry of that name, if any, is removed: the entry itself, never what a link points to. Files
//! it reopens are opened with `O_NOFOLLOW` and must be regular files.

use super::{io_err, OutputError};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// What is at `path` itself (a link is not followed), or `None` when nothing is.
pub(super) fn entry(path: &Path) -> Result<Option<fs::FileType>, OutputError> {
    match fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m.file_type())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(OutputError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Whether anything, a dangling link included, has the name `path`.
pub(super) fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// The kind of a file that is not a regular file, as the error names it.
fn kind_of(t: fs::FileType) -> &'static str {
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// The error for an entry that is not what commsim reads or writes there.
pub(super) fn not_regular(path: &Path, t: fs::FileType) -> OutputError {
    OutputError::NotRegular {
        path: path.to_path_buf(),
        found: kind_of(t),
    }
}

/// Refuses anything at `path` but a regular file; nothing there is fine.
pub(super) fn check_regular(path: &Path) -> Result<(), OutputError> {
    match entry(path)? {
        Some(t) if !t.is_file() => Err(not_regular(path, t)),
        _ => Ok(()),
    }
}

/// Removes a file or link at `path` (the link itself); a folder there is refused.
pub(super) fn remove_entry(path: &Path) -> Result<(), OutputError> {
    match entry(path)? {
        Some(t) if t.is_dir() => Err(not_regular(path, t)),
        Some(_) => fs::remove_file(path).map_err(io_err(path)),
        None => Ok(()),
    }
}

/// Creates `path` anew for writing, replacing a file or link of that name.
pub(super) fn create_fresh(path: &Path) -> Result<File, OutputError> {
    remove_entry(path)?;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(open_err(path))
}

/// Opens an existing regular file with `options`, never through a link.
pub(super) fn open_existing(path: &Path, options: &mut OpenOptions) -> Result<File, OutputError> {
    // A look first, so that a planted FIFO is refused rather than waited on.
    check_regular(path)?;
    let file = no_follow(options).open(path).map_err(open_err(path))?;
    let t = file.metadata().map_err(io_err(path))?.file_type();
    if !t.is_file() {
        return Err(not_regular(path, t));
    }
    Ok(file)
}

/// The text of a regular file of an output folder, read without following a link.
pub fn read_text(path: &Path) -> Result<String, OutputError> {
    let mut file = open_existing(path, OpenOptions::new().read(true)).map_err(|e| match e {
        OutputError::Io { path, source } => OutputError::Read { path, source },
        other => other,
    })?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(read_err(path))?;
    Ok(text)
}

/// The bytes of a regular file of an output folder, read without following a link.
pub(super) fn read_bytes(path: &Path) -> Result<Vec<u8>, OutputError> {
    let mut file = open_existing(path, OpenOptions::new().read(true)).map_err(|e| match e {
        OutputError::Io { path, source } => OutputError::Read { path, source },
        other => other,
    })?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(read_err(path))?;
    Ok(bytes)
}

/// The text of the CSV file `name` of a run's folder `dir`, as written plain (`runs.csv`),
/// compressed (`runs.csv.gz`, `output.compress`) or as Parquet (`runs.parquet`,
/// `output.format`; the text it was made from), read without following a link; `None` when the
/// folder has none of them.
pub fn read_result(dir: &Path, name: &str) -> Result<Option<String>, OutputError> {
    let plain = dir.join(name);
    if exists(&plain) {
        return read_text(&plain).map(Some);
    }
    let parquet = dir.join(super::result_name(name, super::Format::Parquet, false));
    if exists(&parquet) {
        return super::parquet::read_as_csv(&parquet).map(Some);
    }
    let compressed = dir.join(format!("{name}.gz"));
    if !exists(&compressed) {
        return Ok(None);
    }
    let bytes = read_bytes(&compressed)?;
    super::gz::decompress(&bytes)
        .map(Some)
        .map_err(|source| OutputError::Read {
            path: compressed,
            source,
        })
}

/// Adds `O_NOFOLLOW` where the system has it: opening a link then fails instead of following it.
pub(super) fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW)
    }
    #[cfg(not(unix))]
    {
        options
    }
}

/// Maps the error of an open: a link refused by `O_NOFOLLOW` is named as such.
pub(super) fn open_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| {
        #[cfg(unix)]
        if source.raw_os_error() == Some(libc::ELOOP) {
            return OutputError::NotRegular {
                path: path.to_path_buf(),
                found: "a symbolic link",
            };
        }
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn read_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes a file whole and syncs it, replacing a file or link of that name.
pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let mut f = create_fresh(path)?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Writes a file whole or not at all: a temporary file beside it (`NAME.partial`), synced, then
/// renamed over `path`; a rename replaces a link at `path` and never writes through it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = path.with_extension("partial");
    write_synced(&tmp, bytes)?;
    fs::rename(&tmp, path).map_err(io_err(path))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_replaced_or_refused_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let link = tmp.path().join("report.partial");
        symlink(&victim, &link).unwrap();
        write_synced(&link, b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&link).unwrap(), "new");
        assert!(!fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());

        let reopened = tmp.path().join("runs.csv");
        symlink(&victim, &reopened).unwrap();
        for result in [
            read_text(&reopened).map(|_| ()),
            open_existing(&reopened, OpenOptions::new().append(true)).map(|_| ()),
        ] {
            match result {
                Err(OutputError::NotRegular { found, .. }) => assert_eq!(found, "a symbolic link"),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");

        let page = tmp.path().join("report.html");
        symlink(&victim, &page).unwrap();
        write_atomic(&page, b"<html>").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&page).unwrap(), "<html>");
    }
}
