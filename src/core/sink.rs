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
use std::fmt;

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
    pub levelno: Option<i64>,
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
    /// The names of the logs in the folder `dir` (`""` for the top), in any order, spelled
    /// as the other methods take them (`logs/app.log`): CPython's `os.listdir`, which
    /// `TimedRotatingFileHandler` needs to find the backups `backupCount` says to delete.
    /// The default is an error, for storages that cannot list their logs.
    fn list(&self, _dir: &str) -> Result<Vec<String>> {
        Err(Error::os_error("this storage cannot list its logs"))
    }
    /// The name a file handler created now keeps for `name` (its `baseFilename`): CPython's
    /// `os.path.abspath(filename)` at construction, so a storage with a working directory
    /// fixes relative names when the handler is made, not at each write. A storage may also
    /// refuse a name here (a name outside a confined root), which fails the handler's
    /// creation. The default keeps `name` as it is.
    fn resolve(&self, name: &str) -> Result<String> {
        Ok(name.to_owned())
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
    fn list(&self, dir: &str) -> Result<Vec<String>> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        Ok(self
            .names()
            .into_iter()
            .filter(|n| {
                n.strip_prefix(prefix.as_str())
                    .is_some_and(|rest| !rest.contains('/'))
            })
            .collect())
    }
}

/// An open connection handed out by a [`RemoteSink`].
pub type ConnectionId = u32;

/// How frames travel to a collector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// A TCP stream: frames are written back to back (`SocketHandler`, syslog over TCP).
    Tcp,
    /// UDP: each frame is one datagram (`DatagramHandler`, syslog over UDP).
    Udp,
    /// HTTP: each frame is one whole request (`HTTPHandler`); the host writes it on a fresh
    /// connection and reads the response status.
    Http,
    /// HTTP over TLS (`HTTPHandler(secure=True)`).
    Https,
}

impl Transport {
    /// HTTP, or HTTPS when `secure`.
    pub fn http(secure: bool) -> Self {
        if secure {
            Transport::Https
        } else {
            Transport::Http
        }
    }

    /// The name used in messages and in the hosts' allow-lists.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
            Transport::Http => "http",
            Transport::Https => "https",
        }
    }
}

/// Where a remote handler sends its frames.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The transport.
    pub transport: Transport,
    /// The host name or address (`localhost`, `127.0.0.1`, `::1`).
    pub host: String,
    /// The port.
    pub port: u16,
}

impl Endpoint {
    /// An endpoint from its parts.
    pub fn new(transport: Transport, host: impl Into<String>, port: u16) -> Self {
        Endpoint {
            transport,
            host: host.into(),
            port,
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// What became of a frame handed to [`RemoteSink::send`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendStatus {
    /// The host took the frame; it is the host's to deliver.
    Sent,
    /// The connection is not ready yet (still connecting, or the socket's buffer is full):
    /// the frame was not taken, and the handler keeps it for the next attempt.
    NotReady,
}

/// Connections to remote collectors: TCP, UDP and HTTP in Node and WASI hosts. Framing
/// (pickles, syslog, HTTP requests) is the core's business; the host only moves bytes.
///
/// Every method returns at once: a host whose connects or writes take time (Node's event
/// loop, a Wasmtime host's connect thread) answers [`SendStatus::NotReady`] until it can take
/// a frame, and later calls the core's `pump` so pending frames move on.
pub trait RemoteSink {
    /// Whether the embedder allows connections to `endpoint`: asked when a configuration
    /// names it, so a refused address is a configuration error and never opens anything.
    fn check(&self, endpoint: &Endpoint) -> Result<()>;
    /// Starts a connection to `endpoint` (an allowed one: hosts check again).
    fn open(&self, endpoint: &Endpoint) -> Result<ConnectionId>;
    /// Hands `frame` to `conn`. An error means the connection is broken (the peer closed it,
    /// the connect failed, an earlier HTTP request failed): the handler closes it, keeps the
    /// frame and reconnects with back-off.
    fn send(&self, conn: ConnectionId, frame: &[u8]) -> Result<SendStatus>;
    /// Pushes out what the host took but has not written yet (the tail of a frame the socket
    /// accepted only in part), waiting briefly if it must: `flush()` means delivered.
    fn flush(&self, _conn: ConnectionId) -> Result<()> {
        Ok(())
    }
    /// Closes `conn`, delivering what the host already took where it can; an error says
    /// what was not delivered (an HTTP request that failed, the tail of a frame).
    fn close(&self, conn: ConnectionId) -> Result<()>;
    /// Asks the host to call the core's `pump` after `delay_ms` milliseconds (a reconnect
    /// is due then). Hosts without timers ignore it; their embedder pumps.
    fn wake_after(&self, _delay_ms: u64) {}
    /// After a failure: how many seconds the peer asked senders to wait (an HTTP
    /// `Retry-After`). The handler then waits at least this long before its next attempt,
    /// longer if its own back-off says so. `None` (the default): no such request.
    fn retry_after(&self, _endpoint: &Endpoint) -> Option<f64> {
        None
    }
    /// Asked after each frame `send` took on `conn`: why the peer refused that frame for good
    /// (an HTTP 4xx other than 429, which a retry would only repeat). The handler counts it
    /// as dropped and reports the message; `None` (the default): the frame was delivered.
    fn take_rejection(&self, _conn: ConnectionId) -> Option<String> {
        None
    }
}
