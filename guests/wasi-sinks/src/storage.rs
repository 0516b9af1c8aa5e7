//! `storage`: named logs as files in one directory the runtime preopened, through
//! `wasi:filesystem` descriptors: the preopen named by the `WASM_LOGGING_LOG_DIR` environment
//! variable, else the first one (`wasmtime run --dir logs::logs` gives `logs`).
//!
//! The calls are `wasi:filesystem/types` itself rather than `std::fs`: wasi-libc asks for
//! descriptor flags (`mutate-directory` on files) that jco's Node shim refuses, while these
//! calls ask only for `read` or `write` and run the same in every runtime.
//!
//! Names are relative paths that stay inside that directory (the host's rule: no `..`, no
//! absolute path); WASI itself refuses any path that leaves its preopens. Errors read as
//! CPython's `OSError`s (`[Errno N] text: 'name'`), with wasi-libc's errno numbers.

use std::path::{Component, Path};

use crate::bindings::exports::wasm_logging::logging::storage::Guest;
use crate::bindings::wasi::filesystem::preopens;
use crate::bindings::wasi::filesystem::types::{
    Descriptor, DescriptorFlags, DescriptorType, ErrorCode, OpenFlags, PathFlags,
};
use crate::{env, Sinks};

/// Bytes asked for per `read` call.
const READ_CHUNK: u64 = 64 * 1024;

thread_local! {
    /// The log directory, found at the first storage call of the instance.
    static LOG_DIR: Result<Descriptor, String> = find_log_dir();
}

fn find_log_dir() -> Result<Descriptor, String> {
    let mut dirs = preopens::get_directories();
    if dirs.is_empty() {
        return Err(
            "no log directory: the runtime preopened no directory (e.g. `wasmtime run \
                    --dir logs::logs`)"
                .to_owned(),
        );
    }
    let names: Vec<String> = dirs.iter().map(|(_, n)| format!("'{n}'")).collect();
    let wanted = env("WASM_LOGGING_LOG_DIR");
    let index = match &wanted {
        None => Some(0),
        Some(w) => dirs.iter().position(|(_, n)| n == w),
    };
    let chosen = index.map(|i| dirs.swap_remove(i).0);
    // The other handles are kept, not dropped: a runtime may hand every caller the same
    // preopen objects (jco's shim does), and wasi-libc in this component holds them too.
    std::mem::forget(dirs);
    chosen.ok_or_else(|| {
        format!(
            "WASM_LOGGING_LOG_DIR names '{}', which is not a preopened directory (the runtime \
             preopened {})",
            wanted.unwrap_or_default(),
            names.join(", ")
        )
    })
}

/// Runs `f` on the log directory.
fn with_dir<T>(f: impl FnOnce(&Descriptor) -> Result<T, String>) -> Result<T, String> {
    LOG_DIR.with(|d| match d {
        Ok(d) => f(d),
        Err(e) => Err(e.clone()),
    })
}

/// `[Errno N] text: 'name'`, with wasi-libc's numbers and texts for the codes a log
/// directory meets.
fn os_error(code: ErrorCode, name: &str) -> String {
    let (errno, text) = match code {
        ErrorCode::Access => (2, "Permission denied"),
        ErrorCode::Exist => (20, "File exists"),
        ErrorCode::Io => (29, "I/O error"),
        ErrorCode::IsDirectory => (31, "Is a directory"),
        ErrorCode::NameTooLong => (37, "Filename too long"),
        ErrorCode::NoEntry => (44, "No such file or directory"),
        ErrorCode::InsufficientSpace => (51, "No space left on device"),
        ErrorCode::NotDirectory => (54, "Not a directory"),
        ErrorCode::NotEmpty => (55, "Directory not empty"),
        ErrorCode::Unsupported => (58, "Not supported"),
        ErrorCode::NotPermitted => (63, "Operation not permitted"),
        ErrorCode::ReadOnly => (69, "Read-only file system"),
        ErrorCode::CrossDevice => (75, "Cross-device link"),
        other => return format!("{}: '{name}'", other.message()),
    };
    format!("[Errno {errno}] {text}: '{name}'")
}

/// `name` if it stays inside the log directory, or why not.
fn check_name(name: &str) -> Result<&str, String> {
    if name.is_empty() {
        return Err("a log name cannot be empty".to_owned());
    }
    if name.contains('\0') {
        return Err(format!("log name {name:?} contains a NUL character"));
    }
    if Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        Ok(name)
    } else {
        Err(format!(
            "log name '{name}' is outside the log directory (use a relative name without '..')"
        ))
    }
}

fn open(
    dir: &Descriptor,
    name: &str,
    open: OpenFlags,
    flags: DescriptorFlags,
) -> Result<Descriptor, String> {
    dir.open_at(PathFlags::SYMLINK_FOLLOW, name, open, flags)
        .map_err(|e| os_error(e, name))
}

/// Writes all of `bytes` at `offset`.
fn write_all(
    file: &Descriptor,
    mut bytes: &[u8],
    mut offset: u64,
    name: &str,
) -> Result<(), String> {
    while !bytes.is_empty() {
        let n = file.write(bytes, offset).map_err(|e| os_error(e, name))?;
        if n == 0 {
            return Err(os_error(ErrorCode::Io, name));
        }
        let n = usize::try_from(n).unwrap_or(bytes.len()).min(bytes.len());
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

impl Guest for Sinks {
    fn append(name: String, bytes: Vec<u8>) -> Result<(), String> {
        let name = check_name(&name)?;
        with_dir(|dir| {
            let file = open(dir, name, OpenFlags::CREATE, DescriptorFlags::WRITE)?;
            // One writer per log in this instance: the end of the file is where to append.
            let end = file.stat().map_err(|e| os_error(e, name))?.size;
            write_all(&file, &bytes, end, name)
        })
    }

    fn size(name: String) -> Result<Option<u64>, String> {
        let name = check_name(&name)?;
        with_dir(|dir| match dir.stat_at(PathFlags::SYMLINK_FOLLOW, name) {
            Ok(stat) => Ok(Some(stat.size)),
            // A missing log has no size; a missing folder above it is an error (as the
            // host's), so a misspelt directory is reported rather than rotated into.
            Err(ErrorCode::NoEntry) => match name.rsplit_once('/') {
                Some((parent, _))
                    if !matches!(
                        dir.stat_at(PathFlags::SYMLINK_FOLLOW, parent),
                        Ok(s) if s.type_ == DescriptorType::Directory
                    ) =>
                {
                    Err(os_error(ErrorCode::NoEntry, name))
                }
                _ => Ok(None),
            },
            Err(e) => Err(os_error(e, name)),
        })
    }

    fn rename(source: String, dest: String) -> Result<(), String> {
        let (from, to) = (check_name(&source)?, check_name(&dest)?);
        with_dir(|dir| dir.rename_at(from, dir, to).map_err(|e| os_error(e, from)))
    }

    fn remove(name: String) -> Result<(), String> {
        let name = check_name(&name)?;
        with_dir(|dir| match dir.unlink_file_at(name) {
            Ok(()) | Err(ErrorCode::NoEntry) => Ok(()),
            Err(e) => Err(os_error(e, name)),
        })
    }

    fn read(name: String) -> Result<Option<Vec<u8>>, String> {
        let name = check_name(&name)?;
        with_dir(|dir| {
            let file = match dir.open_at(
                PathFlags::SYMLINK_FOLLOW,
                name,
                OpenFlags::empty(),
                DescriptorFlags::READ,
            ) {
                Ok(f) => f,
                Err(ErrorCode::NoEntry) => return Ok(None),
                Err(e) => return Err(os_error(e, name)),
            };
            let mut out = Vec::new();
            loop {
                let (chunk, end) = file
                    .read(READ_CHUNK, out.len() as u64)
                    .map_err(|e| os_error(e, name))?;
                out.extend_from_slice(&chunk);
                if end || chunk.is_empty() {
                    return Ok(Some(out));
                }
            }
        })
    }

    fn truncate(name: String) -> Result<(), String> {
        let name = check_name(&name)?;
        with_dir(|dir| {
            open(
                dir,
                name,
                OpenFlags::CREATE | OpenFlags::TRUNCATE,
                DescriptorFlags::WRITE,
            )
            .map(drop)
        })
    }

    fn list_logs(folder: String) -> Result<Vec<String>, String> {
        with_dir(|dir| {
            let opened;
            let target = if folder.is_empty() {
                dir
            } else {
                let name = check_name(&folder)?;
                opened = open(dir, name, OpenFlags::DIRECTORY, DescriptorFlags::READ)?;
                &opened
            };
            let entries = target.read_directory().map_err(|e| os_error(e, &folder))?;
            let mut out = Vec::new();
            while let Some(entry) = entries
                .read_directory_entry()
                .map_err(|e| os_error(e, &folder))?
            {
                if entry.type_ == DescriptorType::RegularFile {
                    out.push(if folder.is_empty() {
                        entry.name
                    } else {
                        format!("{}/{}", folder.trim_end_matches('/'), entry.name)
                    });
                }
            }
            out.sort();
            Ok(out)
        })
    }
}
