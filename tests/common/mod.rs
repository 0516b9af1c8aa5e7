//! Shared test harness: CPython's `BaseTest` from `Lib/test/test_logging.py` — a fresh
//! hierarchy whose root is at DEBUG with one handler formatting
//! `%(name)s -> %(levelname)s: %(message)s` into memory, and numbered messages.
#![allow(dead_code)]

use std::cell::Cell;
use std::rc::Rc;

use wasm_logging::{
    host, ConsoleHandler, Formatter, Handler, Logger, Manager, MemoryConsole, Stream, DEBUG,
};

/// A test fixture like CPython's `BaseTest`.
pub struct Base {
    pub manager: Manager,
    pub root: Logger,
    pub console: Rc<MemoryConsole>,
    pub handler: Rc<ConsoleHandler>,
    pub stderr: Rc<MemoryConsole>,
    n: Cell<u32>,
}

impl Base {
    pub fn new() -> Self {
        let stderr = Rc::new(MemoryConsole::new());
        host::install_console(stderr.clone());
        host::install_clock(Rc::new(host::FixedClock::new(1_700_000_000_123_456_789)));
        let manager = Manager::new();
        let root = manager.root();
        root.set_level(DEBUG).unwrap();
        let console = Rc::new(MemoryConsole::new());
        let handler = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
        handler.core().set_formatter(Some(Rc::new(
            Formatter::new("%(name)s -> %(levelname)s: %(message)s").unwrap(),
        )));
        root.add_handler(handler.clone());
        Base {
            manager,
            root,
            console,
            handler,
            stderr,
            n: Cell::new(0),
        }
    }

    pub fn logger(&self, name: &str) -> Logger {
        self.manager.get_logger(name)
    }

    /// `next_message()`: "1", "2", …
    pub fn m(&self) -> String {
        self.n.set(self.n.get() + 1);
        self.n.get().to_string()
    }

    pub fn lines(&self) -> Vec<String> {
        self.console
            .text(Stream::Stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// `assert_log_lines` with the default pattern `name -> LEVEL: msg`.
    pub fn assert_lines(&self, expected: &[(&str, &str, &str)]) {
        let want: Vec<String> = expected
            .iter()
            .map(|(n, l, m)| format!("{n} -> {l}: {m}"))
            .collect();
        assert_eq!(self.lines(), want);
    }

    /// `assert_log_lines` with the "skip the logger name" pattern: `(LEVEL, msg)`.
    pub fn assert_level_lines(&self, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = self
            .lines()
            .iter()
            .map(|l| {
                let rest = l.split_once(" -> ").map_or(l.as_str(), |(_, r)| r);
                let (lv, m) = rest.split_once(": ").unwrap_or((rest, ""));
                (lv.to_owned(), m.to_owned())
            })
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(l, m)| (l.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    pub fn stderr_text(&self) -> String {
        self.stderr.text(Stream::Stderr)
    }
}

/// Runs a Python 3 snippet with the reference interpreter and returns its stdout and stderr.
pub fn python(code: &str) -> (String, String) {
    let exe = python_exe();
    let out = std::process::Command::new(&exe)
        .arg("-c")
        .arg(code)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {exe}: {e}"));
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The reference CPython, the one place that decides it: `PYTHON_REF` if set, else 3.13
/// where the image has it (the version whose behaviour we target), else `python3`.
pub fn python_exe() -> String {
    if let Ok(p) = std::env::var("PYTHON_REF") {
        return p;
    }
    let p313 = "/root/.pyenv/versions/3.13.0/bin/python3.13";
    if std::path::Path::new(p313).exists() {
        p313.to_owned()
    } else {
        "python3".to_owned()
    }
}

/// `(major, minor)` of an interpreter, `(0, 0)` if it cannot be run.
pub fn python_version(python: &str) -> (u32, u32) {
    let Ok(out) = std::process::Command::new(python)
        .args(["-c", "import sys; print('%d %d' % sys.version_info[:2])"])
        .output()
    else {
        return (0, 0);
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|x| x.parse().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}
