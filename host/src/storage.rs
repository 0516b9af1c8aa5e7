//! The `storage` import: named logs as files in one directory, which no name can leave.
//!
//! Names are checked twice. First lexically, for a clear message: a name must be a relative
//! path of plain components (no `..`, no `.`, no root, no NUL). Then every operation goes
//! through a [`cap_std::fs::Dir`], which resolves paths inside the directory only, so even a
//! symlink planted in the directory cannot lead a write outside it.

use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

use cap_std::ambient_authority;
use cap_std::fs::{Dir, OpenOptions};

/// A log directory.
#[derive(Debug)]
pub struct LogDir {
    path: PathBuf,
    dir: Dir,
}

/// CPython's `OSError` text: `[Errno 2] No such file or directory: 'app.log'`.
fn os_error(e: &std::io::Error, name: &str) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = e.to_string();
            let text = text
                .strip_suffix(&format!(" (os error {code})"))
                .unwrap_or(&text);
            format!("[Errno {code}] {text}: '{name}'")
        }
        None => format!("{e}: '{name}'"),
    }
}

/// Checks that `name` stays inside the log directory.
pub fn check_name(name: &str) -> Result<&Path, String> {
    if name.is_empty() {
        return Err("a log name cannot be empty".to_owned());
    }
    if name.contains('\0') {
        return Err(format!("log name {name:?} contains a NUL character"));
    }
    let path = Path::new(name);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(format!(
            "log name '{name}' is outside the log directory (use a relative name without '..')"
        ))
    }
}

impl LogDir {
    /// Opens `path` as the log directory, creating it (and its parents) if needed.
    pub fn open(path: impl Into<PathBuf>) -> std::io::Result<Self> {
        let path = path.into();
        std::fs::create_dir_all(&path)?;
        let dir = Dir::open_ambient_dir(&path, ambient_authority())?;
        Ok(LogDir { path, dir })
    }

    /// The directory's path on the host.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The logs in the directory (plain files at its top level), sorted, with their sizes.
    pub fn list(&self) -> std::io::Result<Vec<(String, u64)>> {
        let mut out = Vec::new();
        for entry in self.dir.entries()? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_file() {
                out.push((entry.file_name().to_string_lossy().into_owned(), meta.len()));
            }
        }
        out.sort();
        Ok(out)
    }

    /// The names of the logs in the folder `dir` (`""` for the top), as `dir/name`.
    pub fn list_dir(&self, dir: &str) -> Result<Vec<String>, String> {
        let entries = if dir.is_empty() {
            self.dir.entries()
        } else {
            let path = check_name(dir)?;
            match self.dir.open_dir(path) {
                Ok(d) => d.entries(),
                Err(e) => return Err(os_error(&e, dir)),
            }
        }
        .map_err(|e| os_error(&e, dir))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| os_error(&e, dir))?;
            let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
            if is_file {
                let n = entry.file_name().to_string_lossy().into_owned();
                out.push(if dir.is_empty() {
                    n
                } else {
                    format!("{}/{n}", dir.trim_end_matches('/'))
                });
            }
        }
        out.sort();
        Ok(out)
    }

    /// Appends `bytes` to `name`, creating it.
    pub fn append(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let path = check_name(name)?;
        let mut file = self
            .dir
            .open_with(path, OpenOptions::new().append(true).create(true))
            .map_err(|e| os_error(&e, name))?;
        file.write_all(bytes).map_err(|e| os_error(&e, name))
    }

    /// The size of `name`, or `None` if it does not exist.
    pub fn size(&self, name: &str) -> Result<Option<u64>, String> {
        let path = check_name(name)?;
        match self.dir.metadata(path) {
            Ok(m) => Ok(Some(m.len())),
            // Missing, but creatable only if its directory exists (CPython's FileHandler
            // fails to open `nodir/app.log` at configuration time).
            Err(e) if e.kind() == ErrorKind::NotFound => match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() && !self.dir.is_dir(dir) => {
                    Err(os_error(&e, name))
                }
                _ => Ok(None),
            },
            Err(e) => Err(os_error(&e, name)),
        }
    }

    /// Renames `from` to `to`, replacing `to`.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), String> {
        let (src, dst) = (check_name(from)?, check_name(to)?);
        self.dir
            .rename(src, &self.dir, dst)
            .map_err(|e| os_error(&e, from))
    }

    /// Removes `name`; a missing log is not an error.
    pub fn remove(&self, name: &str) -> Result<(), String> {
        let path = check_name(name)?;
        match self.dir.remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(os_error(&e, name)),
        }
    }

    /// The content of `name`, or `None` if it does not exist.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let path = check_name(name)?;
        match self.dir.read(path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(os_error(&e, name)),
        }
    }

    /// Empties `name`, creating it.
    pub fn truncate(&self, name: &str) -> Result<(), String> {
        let path = check_name(name)?;
        self.dir
            .create(path)
            .map(drop)
            .map_err(|e| os_error(&e, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir(tag: &str) -> PathBuf {
        let p =
            std::env::temp_dir().join(format!("wasm-logging-storage-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        p
    }

    #[test]
    fn names_that_leave_the_directory_are_refused() {
        for bad in [
            "",
            "../x.log",
            "/etc/passwd",
            "a/../../x",
            "./x.log",
            "a\0b",
            "logs/..",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["app.log", "app.log.1", "sub/app.log", "..hidden", "a..b"] {
            assert!(check_name(good).is_ok(), "{good:?} refused");
        }
    }

    #[test]
    fn operations_round_trip() {
        let d = LogDir::open(tempdir("rt")).unwrap();
        assert_eq!(d.size("a.log").unwrap(), None);
        d.append("a.log", b"one\n").unwrap();
        d.append("a.log", b"two\n").unwrap();
        assert_eq!(d.size("a.log").unwrap(), Some(8));
        d.rename("a.log", "a.log.1").unwrap();
        assert_eq!(d.read("a.log").unwrap(), None);
        assert_eq!(d.read("a.log.1").unwrap().unwrap(), b"one\ntwo\n");
        d.truncate("a.log.1").unwrap();
        assert_eq!(d.size("a.log.1").unwrap(), Some(0));
        d.remove("a.log.1").unwrap();
        d.remove("a.log.1").unwrap();
        assert_eq!(d.list().unwrap(), vec![]);
        std::fs::remove_dir_all(d.path()).unwrap();
    }

    #[test]
    fn a_symlink_out_of_the_directory_is_not_followed() {
        let root = tempdir("link");
        let outside = root.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let d = LogDir::open(root.join("logs")).unwrap();
        std::os::unix::fs::symlink(&outside, d.path().join("escape")).unwrap();
        let err = d.append("escape/x.log", b"no").unwrap_err();
        assert!(err.contains("escape/x.log"), "{err}");
        assert!(!outside.join("x.log").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
