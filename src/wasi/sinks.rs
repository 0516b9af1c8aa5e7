//! The host's imports as the core's sinks and clock: `console` → [`ConsoleSink`],
//! `storage` → [`StorageSink`], `wasi:clocks/wall-clock` and `host-info.local-offset` →
//! [`Clock`], `remote` → [`RemoteSink`]. Each is a zero-sized handle: the state lives in
//! the host. Host errors (strings) become `OSError`s, which handlers report through
//! `handle_error`.

use crate::core::error::{Error, Result};
use crate::core::host::Clock;
use crate::core::record::LogRecord;
use crate::core::sink::{
    ConnectionId, ConsoleSink, Endpoint, RemoteSink, SendStatus, StorageSink, Stream, Transport,
};
use crate::core::time::LocalOffset;

use super::bindings::wasi::clocks::wall_clock;
use super::bindings::wasm_logging::logging::{console, host_info, remote, storage};

fn os_error(message: String) -> Error {
    Error::os_error(message)
}

/// `time.time_ns()` from `wasi:clocks/wall-clock`, and the local offset from the host.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WasiClock;

impl Clock for WasiClock {
    fn now_ns(&self) -> i64 {
        // Once per batch of records (`log-many`), else once per record.
        super::batch::now_ns(|| {
            let now = wall_clock::now();
            i64::try_from(now.seconds)
                .unwrap_or(i64::MAX / 1_000_000_000)
                .saturating_mul(1_000_000_000)
                .saturating_add(i64::from(now.nanoseconds))
        })
    }

    fn local_offset(&self, unix_secs: i64) -> LocalOffset {
        let o = host_info::local_offset(unix_secs);
        LocalOffset {
            utc_offset: o.utc_offset,
            zone: o.zone,
            is_dst: i32::from(o.is_dst),
        }
    }
}

pub(crate) fn stream(s: Stream) -> console::Stream {
    match s {
        Stream::Stdout => console::Stream::Stdout,
        Stream::Stderr => console::Stream::Stderr,
    }
}

/// The host console (`sys.stdout` / `sys.stderr`). Inside a batch of records the writes
/// are gathered and made once per batch (`batch`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HostConsole;

impl ConsoleSink for HostConsole {
    fn write(&self, s: Stream, text: &str, _record: Option<&LogRecord>) -> Result<()> {
        if super::batch::write(s, text) {
            return Ok(());
        }
        console::write(stream(s), text).map_err(os_error)
    }

    fn flush(&self, s: Stream) -> Result<()> {
        if super::batch::flush(s) {
            return Ok(());
        }
        console::flush(stream(s)).map_err(os_error)
    }
}

/// Named logs in the host's log directory.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HostStorage;

impl StorageSink for HostStorage {
    fn append(&self, name: &str, bytes: &[u8]) -> Result<()> {
        storage::append(name, bytes).map_err(os_error)
    }
    fn size(&self, name: &str) -> Result<Option<u64>> {
        storage::size(name).map_err(os_error)
    }
    fn rename(&self, from: &str, to: &str) -> Result<()> {
        storage::rename(from, to).map_err(os_error)
    }
    fn remove(&self, name: &str) -> Result<()> {
        storage::remove(name).map_err(os_error)
    }
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        storage::read(name).map_err(os_error)
    }
    fn truncate(&self, name: &str) -> Result<()> {
        storage::truncate(name).map_err(os_error)
    }
    fn list(&self, dir: &str) -> Result<Vec<String>> {
        storage::list_logs(dir).map_err(os_error)
    }
}

fn endpoint(e: &Endpoint) -> remote::Endpoint {
    remote::Endpoint {
        transport: match e.transport {
            Transport::Tcp => remote::Transport::Tcp,
            Transport::Udp => remote::Transport::Udp,
            Transport::Http => remote::Transport::Http,
            Transport::Https => remote::Transport::Https,
        },
        host: e.host.clone(),
        port: e.port,
    }
}

/// Connections through the host, which allows only what its embedder allowed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HostRemote;

impl RemoteSink for HostRemote {
    fn check(&self, e: &Endpoint) -> Result<()> {
        remote::check(&endpoint(e)).map_err(os_error)
    }
    fn open(&self, e: &Endpoint) -> Result<ConnectionId> {
        remote::open(&endpoint(e)).map_err(os_error)
    }
    fn send(&self, conn: ConnectionId, frame: &[u8]) -> Result<SendStatus> {
        match remote::send(conn, frame).map_err(os_error)? {
            remote::SendStatus::Sent => Ok(SendStatus::Sent),
            remote::SendStatus::NotReady => Ok(SendStatus::NotReady),
        }
    }
    fn flush(&self, conn: ConnectionId) -> Result<()> {
        remote::flush(conn).map_err(os_error)
    }
    fn close(&self, conn: ConnectionId) -> Result<()> {
        remote::close(conn).map_err(os_error)
    }
}
