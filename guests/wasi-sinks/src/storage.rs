//! `storage`: named logs as files in one directory the runtime preopened
//! (`wasi:filesystem`): the one named by `WASM_LOGGING_LOG_DIR` (a path inside a preopen),
//! else the first preopened directory (`wasmtime run --dir logs::logs` gives `logs`).
//!
//! Names are relative paths that stay inside that directory (the host's rule: no `..`, no
//! absolute path); WASI itself refuses any path that leaves its preopens. Errors read as
//! CPython's `OSError`s (`[Errno N] text: 'name'`), with WASI's errno numbers.

use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::bindings::exports::wasm_logging::logging::storage::Guest;
use crate::bindings::wasi::filesystem::preopens;
use crate::{env, Sinks};

/// The log directory, found once per instance.
fn log_dir() -> Result<&'static Path, String> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = env("WASM_LOGGING_LOG_DIR") {
            return Some(PathBuf::from(dir));
        }
        let mut first = None;
        for (descriptor, name) in preopens::get_directories() {
            // std's file system calls hold their own handles to the preopens; ours are only
            // for the names. Some runtimes close the directory itself when a handle to it is
            // dropped, so the handles are kept for the life of the instance instead.
            std::mem::forget(descriptor);
            first.get_or_insert(name);
        }
        first.map(PathBuf::from)
    })
    .as_deref()
    .ok_or_else(|| {
        "no log directory: the runtime preopened no directory (e.g. `wasmtime run --dir \
         logs::logs`) and WASM_LOGGING_LOG_DIR is not set"
            .to_owned()
    })
}

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

/// `name` inside the log directory, or why not.
fn path_of(name: &str) -> Result<PathBuf, String> {
    if name.is_empty() {
        return Err("a log name cannot be empty".to_owned());
    }
    if name.contains('\0') {
        return Err(format!("log name {name:?} contains a NUL character"));
    }
    let relative = Path::new(name);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "log name '{name}' is outside the log directory (use a relative name without '..')"
        ));
    }
    Ok(log_dir()?.join(relative))
}

impl Guest for Sinks {
    fn append(name: String, bytes: Vec<u8>) -> Result<(), String> {
        let path = path_of(&name)?;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| os_error(&e, &name))?;
        file.write_all(&bytes).map_err(|e| os_error(&e, &name))
    }

    fn size(name: String) -> Result<Option<u64>, String> {
        let path = path_of(&name)?;
        match std::fs::metadata(&path) {
            Ok(m) => Ok(Some(m.len())),
            // A missing log has no size; a missing folder above it is an error (as the
            // host's), so a misspelt directory is reported rather than rotated into.
            Err(e) if e.kind() == ErrorKind::NotFound => match path.parent() {
                Some(dir) if !dir.is_dir() => Err(os_error(&e, &name)),
                _ => Ok(None),
            },
            Err(e) => Err(os_error(&e, &name)),
        }
    }

    fn rename(source: String, dest: String) -> Result<(), String> {
        let (from, to) = (path_of(&source)?, path_of(&dest)?);
        std::fs::rename(from, to).map_err(|e| os_error(&e, &source))
    }

    fn remove(name: String) -> Result<(), String> {
        let path = path_of(&name)?;
        match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(os_error(&e, &name)),
        }
    }

    fn read(name: String) -> Result<Option<Vec<u8>>, String> {
        let path = path_of(&name)?;
        match std::fs::read(path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(os_error(&e, &name)),
        }
    }

    fn truncate(name: String) -> Result<(), String> {
        let path = path_of(&name)?;
        std::fs::File::create(path)
            .map(drop)
            .map_err(|e| os_error(&e, &name))
    }

    fn list_logs(dir: String) -> Result<Vec<String>, String> {
        let path = if dir.is_empty() {
            log_dir()?.to_path_buf()
        } else {
            path_of(&dir)?
        };
        let entries = std::fs::read_dir(path).map_err(|e| os_error(&e, &dir))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| os_error(&e, &dir))?;
            if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
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
}
