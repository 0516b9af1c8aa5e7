//! Shared by the host's integration tests: the compiled component (compiled once per test
//! binary), instances with a fixed clock and a captured console, temporary log directories,
//! and the reference CPython.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use wasm_logging_host::{Console, Factories, HostOptions, Instance, LocalTime, Runtime, Zone};

/// 2023-11-14 22:13:20.123456789 UTC, for both the component and CPython.
pub const NOW_NS: u64 = 1_700_000_000_123_456_789;

/// The component, compiled once for every test in this binary.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let path = wasm_logging_host::default_component_path(wasm_logging_host::COMPONENT_FILE);
        Runtime::load(&path).unwrap_or_else(|e| {
            panic!(
                "cannot load the component {} ({e:?}); build it with \
                 `cargo build --lib --target wasm32-wasip2` (make test-wasi does)",
                path.display()
            )
        })
    })
}

/// The `wasi:logging` guest component (built by `make test-wasi`).
pub fn guest_path() -> PathBuf {
    wasm_logging_host::default_component_path("wasi_logging_guest.wasm")
}

/// A fresh, empty directory under the system's temporary directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wasm-logging-host-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An instance with the fixed clock, UTC, CPython's default identity, a captured console
/// and its logs in `log_dir`.
pub fn instance(log_dir: &Path) -> Instance {
    instance_with(log_dir, Factories::default())
}

/// [`instance`] with the host's `()` factories.
pub fn instance_with(log_dir: &Path, factories: Factories) -> Instance {
    runtime()
        .instantiate(HostOptions {
            log_dir: log_dir.to_path_buf(),
            console: Console::capture(),
            clock: Some(NOW_NS),
            zone: Zone::Fixed(LocalTime::utc()),
            process_name: "MainProcess".to_owned(),
            thread_name: "MainThread".to_owned(),
            process: 4242,
            factories,
            allow_remote: Vec::new(),
            ..HostOptions::default()
        })
        .expect("instantiate the component")
}

/// [`instance`] whose network handlers may connect to `allow` (`HOST:PORT` entries).
pub fn instance_allowing(log_dir: &Path, allow: &[String]) -> Instance {
    runtime()
        .instantiate(HostOptions {
            log_dir: log_dir.to_path_buf(),
            console: Console::capture(),
            zone: Zone::Fixed(LocalTime::utc()),
            process: 4242,
            allow_remote: allow.to_vec(),
            ..HostOptions::default()
        })
        .expect("instantiate the component")
}

/// The reference CPython: 3.13 where the image has it, else `python3`.
pub fn python_exe() -> String {
    let p313 = "/root/.pyenv/versions/3.13.0/bin/python3.13";
    if Path::new(p313).exists() {
        p313.to_owned()
    } else {
        "python3".to_owned()
    }
}

/// Runs CPython on `args` in UTC; returns (stdout, stderr).
pub fn python(args: &[&str]) -> (String, String) {
    let out = Command::new(python_exe())
        .args(args)
        .env("TZ", "UTC")
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONUTF8", "1")
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs a CPython snippet after a prelude that fixes the clock at [`NOW_NS`]; `log_dir` is
/// the working directory (where file handlers write).
pub fn python_snippet(log_dir: &Path, code: &str) -> (String, String) {
    let prelude = format!(
        "import logging, logging.handlers, os, sys, time\n\
         os.chdir({dir:?})\n\
         time.time_ns = lambda: {NOW_NS}\n\
         logging._startTime = {NOW_NS}\n",
        dir = log_dir.display().to_string()
    );
    python(&["-c", &format!("{prelude}{code}")])
}

/// Every file in `dir` with its content, sorted by name.
pub fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The console as a program's stdout reads: what the instance wrote, with the test's own
/// lines (the Python side's `print`s) interleaved where they were printed.
#[derive(Debug, Default)]
pub struct Transcript {
    seen: usize,
    /// Everything so far.
    pub out: String,
}

impl Transcript {
    /// Appends what the instance wrote to stdout since the last call.
    pub fn sync(&mut self, i: &Instance) {
        let now = i.captured().stdout;
        self.out.push_str(&now[self.seen..]);
        self.seen = now.len();
    }

    /// `print(line)` after what the instance wrote so far.
    pub fn print(&mut self, i: &Instance, line: impl std::fmt::Display) {
        self.sync(i);
        self.out.push_str(&format!("{line}\n"));
    }
}

/// Python's `True` / `False`.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
