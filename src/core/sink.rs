//! The boundary with the host: sinks are small traits the host implements. The core decides
//! *what* to write and *when*; a sink only moves bytes.
//!
//! - [`ConsoleSink`]: text to a standard stream, with the record for level-aware consoles
//!   (the browser maps levels to `console.debug/info/warn/error`).
//! - [`StorageSink`]: named logs that can be appended to, measured, renamed, removed and
//!   read: enough for the core to implement rotation.
//! - [`RemoteSink`]: connections that carry frames to a collector.
//!
//! In-memory implementations ([`MemoryConsole`], [`MemoryStorage`]) serve tests and the
//! browser's memory mode.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::error::{Error, Result};
use super::record::LogRecord;

/// A standard stream: CPython's `sys.stdout` / `sys.stderr` (`ext://sys.stdout` in configs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error (the default for `StreamHandler`, `lastResort` and `handleError`).
    Stderr,
}

/// A console the host provides.
pub trait ConsoleSink {
    /// Writes `text` (already formatted, terminator included) to `stream`. `record` is the
    /// record it came from, if any, so a console can choose a level-specific method or show
    /// fields as objects.
    fn write(&self, stream: Stream, text: &str, record: Option<&LogRecord>) -> Result<()>;
    /// Flushes `stream`.
    fn flush(&self, _stream: Stream) -> Result<()> {
        Ok(())
    }
}

/// One write captured by a [`MemoryConsole`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    /// The stream written to.
    pub stream: Stream,
    /// The text written.
    pub text: String,
    /// The level of the record, if the write came from one.
    pub levelno: Option<i32>,
}

/// A console that keeps what is written, for tests and in-page viewers.
#[derive(Debug, Default)]
pub struct MemoryConsole {
    lines: RefCell<Vec<ConsoleLine>>,
    fail_with: RefCell<Option<String>>,
}

impl MemoryConsole {
    /// An empty console.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every write so far.
    pub fn lines(&self) -> Vec<ConsoleLine> {
        self.lines.borrow().clone()
    }

    /// Everything written to `stream`, concatenated.
    pub fn text(&self, stream: Stream) -> String {
        self.lines
            .borrow()
            .iter()
            .filter(|l| l.stream == stream)
            .map(|l| l.text.as_str())
            .collect()
    }

    /// Forgets what was written.
    pub fn clear(&self) {
        self.lines.borrow_mut().clear();
    }

    /// Makes every later write fail with an `OSError` carrying `message` (`None` heals it):
    /// for testing how handlers report sink failures.
    pub fn set_failure(&self, message: Option<&str>) {
        *self.fail_with.borrow_mut() = message.map(str::to_owned);
    }
}

impl ConsoleSink for MemoryConsole {
    fn write(&self, stream: Stream, text: &str, record: Option<&LogRecord>) -> Result<()> {
        if let Some(msg) = self.fail_with.borrow().as_deref() {
            return Err(Error::os_error(msg.to_owned()));
        }
        self.lines.borrow_mut().push(ConsoleLine {
            stream,
            text: text.to_owned(),
            levelno: record.map(|r| r.levelno),
        });
        Ok(())
    }
}

/// Named, append-only logs in host storage (files in a log directory for WASI; OPFS,
/// IndexedDB, localStorage or memory in a browser).
pub trait StorageSink {
    /// Appends `bytes` to the log `name`, creating it if absent.
    fn append(&self, name: &str, bytes: &[u8]) -> Result<()>;
    /// The size of `name` in bytes, or `None` if it does not exist.
    fn size(&self, name: &str) -> Result<Option<u64>>;
    /// Renames `from` to `to`, replacing `to` if it exists.
    fn rename(&self, from: &str, to: &str) -> Result<()>;
    /// Removes `name`; removing a missing log is not an error.
    fn remove(&self, name: &str) -> Result<()>;
    /// Reads the whole of `name`, or `None` if it does not exist.
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>>;
    /// Truncates `name` to empty (CPython's `mode='w'`), creating it if absent.
    fn truncate(&self, name: &str) -> Result<()>;
    /// Flushes buffered writes to `name`.
    fn flush(&self, _name: &str) -> Result<()> {
        Ok(())
    }
}

/// Storage held in memory: for tests and the browser's memory mode.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    logs: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl MemoryStorage {
    /// Empty storage.
    pub fn new() -> Self {
        Self::default()
    }

    /// The names of all logs, sorted.
    pub fn names(&self) -> Vec<String> {
        self.logs.borrow().keys().cloned().collect()
    }
}

impl StorageSink for MemoryStorage {
    fn append(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.logs
            .borrow_mut()
            .entry(name.to_owned())
            .or_default()
            .extend_from_slice(bytes);
        Ok(())
    }
    fn size(&self, name: &str) -> Result<Option<u64>> {
        Ok(self.logs.borrow().get(name).map(|b| b.len() as u64))
    }
    fn rename(&self, from: &str, to: &str) -> Result<()> {
        let mut logs = self.logs.borrow_mut();
        let data = logs
            .remove(from)
            .ok_or_else(|| Error::os_error(format!("No such log: '{from}'")))?;
        logs.insert(to.to_owned(), data);
        Ok(())
    }
    fn remove(&self, name: &str) -> Result<()> {
        self.logs.borrow_mut().remove(name);
        Ok(())
    }
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.logs.borrow().get(name).cloned())
    }
    fn truncate(&self, name: &str) -> Result<()> {
        self.logs.borrow_mut().insert(name.to_owned(), Vec::new());
        Ok(())
    }
}

/// An open connection handed out by a [`RemoteSink`].
pub type ConnectionId = u32;

/// Connections to remote collectors (TCP for WASI; WebSocket, `fetch`, `sendBeacon` in a
/// browser). Framing (length prefixes, NDJSON, RFC 6587) is the core's business.
pub trait RemoteSink {
    /// Opens a connection to `address` (`host:port` or a URL, as the host understands it).
    fn open(&self, address: &str) -> Result<ConnectionId>;
    /// Sends `bytes` on `conn`.
    fn send(&self, conn: ConnectionId, bytes: &[u8]) -> Result<()>;
    /// Closes `conn`.
    fn close(&self, conn: ConnectionId) -> Result<()>;
}
