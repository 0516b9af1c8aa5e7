//! `wasm-logging serve`: the cookbook's socket listener in production (recipes 8 and 8.1).
//!
//! It accepts what CPython's `SocketHandler` (TCP) and `DatagramHandler` (UDP) send — a
//! 4-byte big-endian length, then a pickle of the record dict — and the same dict as JSON
//! (our `JSONSocketHandler`). Pickles go through the core's restricted unpickler, which
//! understands only plain data (dicts, lists, tuples, strings, numbers, booleans, `None`):
//! a frame with any other opcode (`GLOBAL`, `REDUCE`, `BUILD` …) is rejected and counted,
//! nothing is imported or called, and the connection goes on with the next frame. Each
//! record is re-dispatched through the component's configured hierarchy exactly as the
//! cookbook's receiver does it: `makeLogRecord(dict)`, then `getLogger(record.name)
//! .handle(record)`.
//!
//! One thread per TCP client reads frames (bounded by `max_clients`); a frame longer than
//! `max_frame` or a broken length ends that client's connection (the stream cannot be
//! re-synchronised), never the server. Records reach the single thread that owns the
//! component instance through a bounded channel, so a flood slows its senders down rather
//! than growing memory.

use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::time::Duration;

use wasm_logging::core::value::Value as CoreValue;
use wasm_logging::core::wire::pickle;

use crate::bindings::exports::wasm_logging::logging::loggers::Value;
use crate::Instance;

/// What the receiver accepts.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The TCP address to listen on (`None`: no TCP).
    pub listen: Option<SocketAddr>,
    /// The UDP address to listen on (`None`: no UDP).
    pub udp: Option<SocketAddr>,
    /// The longest frame accepted, in bytes.
    pub max_frame: usize,
    /// The most TCP clients served at once; later ones are refused until one leaves.
    pub max_clients: usize,
    /// How long a client may stay silent in the middle of a frame.
    pub frame_timeout: Duration,
    /// The HTTP/WebSocket receiver (`--http`; `None`: none). See [`crate::http_serve`].
    pub http: Option<crate::http_serve::HttpOptions>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: Some(SocketAddr::from(([127, 0, 0, 1], 9020))),
            udp: None,
            max_frame: 1 << 20,
            max_clients: 256,
            frame_timeout: Duration::from_secs(30),
            http: None,
        }
    }
}

/// What a receiver did.
#[derive(Debug, Default)]
pub struct ServeStats {
    /// Records dispatched through the hierarchy.
    pub received: AtomicU64,
    /// Frames rejected (forbidden opcodes, malformed data, oversized or truncated frames).
    pub rejected: AtomicU64,
    /// Client connections accepted.
    pub connections: AtomicU64,
    /// HTTP requests and WebSocket connections refused for their `Origin` (403).
    pub refused: AtomicU64,
    /// HTTP batches acknowledged without dispatch: their idempotency key was seen recently.
    pub duplicates: AtomicU64,
    /// The WebSocket viewers every dispatched record is streamed to, with their drop counts.
    pub viewers: crate::http_serve::Viewers,
}

/// A running receiver's bound addresses and counters.
#[derive(Clone, Debug)]
pub struct Listening {
    /// The TCP address actually bound (port 0 resolved).
    pub tcp: Option<SocketAddr>,
    /// The UDP address actually bound.
    pub udp: Option<SocketAddr>,
    /// The HTTP address actually bound.
    pub http: Option<SocketAddr>,
    /// The counters.
    pub stats: Arc<ServeStats>,
}

/// A decoded record dictionary, in WIT values (which, unlike the core's, cross threads).
pub type Fields = Vec<(String, Value)>;

/// Decodes one frame's payload (without its length prefix): JSON when it starts with `{`,
/// a pickle otherwise. Only a dict with string keys is a record.
pub fn decode_frame(payload: &[u8]) -> Result<Fields, String> {
    let value = if payload.first() == Some(&b'{') {
        let text = std::str::from_utf8(payload).map_err(|e| format!("JSON frame: {e}"))?;
        wasm_logging::core::config::json::parse_json(text)
            .map_err(|e| format!("JSON frame: {e}"))?
    } else {
        pickle::loads_plain(payload).map_err(|e| format!("pickle frame: {e}"))?
    };
    fields_of(&value)
}

/// A record dictionary (a dict with string keys) as [`Fields`].
pub(crate) fn fields_of(value: &CoreValue) -> Result<Fields, String> {
    let CoreValue::Dict(items) = value else {
        return Err("the frame is not a record dictionary".to_owned());
    };
    items
        .iter()
        .map(|(k, v)| match k {
            CoreValue::Str(s) => Ok((s.to_string(), wit_value(v))),
            _ => Err("a record dictionary key is not a string".to_owned()),
        })
        .collect()
}

/// A core value as a WIT value: containers travel as their `repr` (the WIT value is flat).
fn wit_value(v: &CoreValue) -> Value {
    match v {
        CoreValue::None => Value::None,
        CoreValue::Bool(b) => Value::Boolean(*b),
        CoreValue::Int(i) => Value::Int(*i),
        CoreValue::Float(f) => Value::Float(*f),
        CoreValue::Str(s) => Value::Str(s.to_string()),
        other => {
            let mut s = String::new();
            if wasm_logging::core::pyfmt::write_repr(other, &mut s).is_err() {
                s = "<unrepresentable>".to_owned();
            }
            Value::Str(s)
        }
    }
}

/// Reads exactly `buf.len()` bytes; `Ok(false)` on a clean end of stream before the first
/// byte.
fn read_exact_or_eof(s: &mut TcpStream, buf: &mut [u8]) -> std::io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        match s.read(&mut buf[got..]) {
            Ok(0) if got == 0 => return Ok(false),
            Ok(0) => {
                return Err(std::io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "truncated frame",
                ))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

fn serve_client(
    mut stream: TcpStream,
    tx: SyncSender<Fields>,
    stats: Arc<ServeStats>,
    options: ServeOptions,
) {
    // No stop check here: a client's frames already sent are read to the end (the process
    // exits after `run` has drained them), so a stop loses nothing a client delivered.
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "?".to_owned(), |a| a.to_string());
    let _ = stream.set_read_timeout(Some(options.frame_timeout));
    let mut len = [0u8; 4];
    loop {
        match read_exact_or_eof(&mut stream, &mut len) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                // An idle client between frames is fine; keep waiting.
                continue;
            }
            Err(_) => return,
        }
        let n = u32::from_be_bytes(len) as usize;
        if n == 0 || n > options.max_frame {
            stats.rejected.fetch_add(1, Ordering::Relaxed);
            eprintln!(
                "wasm-logging serve: {peer}: a frame of {n} bytes (the limit is {}); closing the connection",
                options.max_frame
            );
            return;
        }
        let mut payload = vec![0u8; n];
        if let Err(e) = read_exact_or_eof(&mut stream, &mut payload).and_then(|ok| {
            if ok {
                Ok(())
            } else {
                Err(std::io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "truncated frame",
                ))
            }
        }) {
            stats.rejected.fetch_add(1, Ordering::Relaxed);
            eprintln!("wasm-logging serve: {peer}: {e}; closing the connection");
            return;
        }
        match decode_frame(&payload) {
            Ok(fields) => {
                if tx.send(fields).is_err() {
                    return;
                }
            }
            Err(e) => {
                stats.rejected.fetch_add(1, Ordering::Relaxed);
                eprintln!("wasm-logging serve: {peer}: frame rejected: {e}");
            }
        }
    }
}

fn serve_udp(
    sock: UdpSocket,
    tx: SyncSender<Fields>,
    stats: Arc<ServeStats>,
    stop: Arc<AtomicBool>,
) {
    let _ = sock.set_read_timeout(Some(Duration::from_millis(200)));
    let mut buf = vec![0u8; 65_536];
    while !stop.load(Ordering::Relaxed) {
        let (n, peer) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(_) => continue,
        };
        let d = &buf[..n];
        let ok = d.len() >= 4 && u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as usize == n - 4;
        let decoded = if ok {
            decode_frame(&d[4..])
        } else {
            Err(format!(
                "a datagram of {n} bytes whose length prefix does not match"
            ))
        };
        match decoded {
            Ok(fields) => {
                if tx.send(fields).is_err() {
                    return;
                }
            }
            Err(e) => {
                stats.rejected.fetch_add(1, Ordering::Relaxed);
                eprintln!("wasm-logging serve: {peer} (udp): datagram rejected: {e}");
            }
        }
    }
}

/// Binds the listeners and starts their threads; records arrive on the returned channel.
pub fn start(
    options: &ServeOptions,
    stop: Arc<AtomicBool>,
) -> std::io::Result<(Listening, Receiver<Fields>)> {
    let (tx, rx) = mpsc::sync_channel::<Fields>(4096);
    let stats = Arc::new(ServeStats::default());
    let mut bound = Listening {
        tcp: None,
        udp: None,
        http: None,
        stats: stats.clone(),
    };
    if let Some(addr) = options.listen {
        let listener = TcpListener::bind(addr)?;
        bound.tcp = Some(listener.local_addr()?);
        listener.set_nonblocking(true)?;
        let (tx, stats, stop, options) = (tx.clone(), stats.clone(), stop.clone(), options.clone());
        std::thread::Builder::new()
            .name("serve tcp".into())
            .spawn(move || {
                let clients = Arc::new(AtomicUsize::new(0));
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((s, peer)) => {
                            if clients.load(Ordering::Relaxed) >= options.max_clients {
                                eprintln!("wasm-logging serve: {peer}: too many clients; refused");
                                continue;
                            }
                            let _ = s.set_nonblocking(false);
                            stats.connections.fetch_add(1, Ordering::Relaxed);
                            clients.fetch_add(1, Ordering::Relaxed);
                            let (tx, stats, options, clients) =
                                (tx.clone(), stats.clone(), options.clone(), clients.clone());
                            let spawned = std::thread::Builder::new()
                                .name(format!("serve {peer}"))
                                .spawn(move || {
                                    serve_client(s, tx, stats, options);
                                    clients.fetch_sub(1, Ordering::Relaxed);
                                });
                            if spawned.is_err() {
                                eprintln!("wasm-logging serve: {peer}: no thread for the client");
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Err(e) => {
                            eprintln!("wasm-logging serve: accept: {e}");
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                }
            })?;
    }
    if let Some(addr) = options.udp {
        let sock = UdpSocket::bind(addr)?;
        bound.udp = Some(sock.local_addr()?);
        let (tx, stats, stop) = (tx.clone(), stats.clone(), stop.clone());
        std::thread::Builder::new()
            .name("serve udp".into())
            .spawn(move || serve_udp(sock, tx, stats, stop))?;
    }
    if let Some(http) = &options.http {
        bound.http = Some(crate::http_serve::start(
            http,
            options.max_clients,
            tx.clone(),
            stats.clone(),
            stop.clone(),
        )?);
    }
    Ok((bound, rx))
}

/// The most records dispatched through the component in one call.
const MAX_BATCH: usize = 256;

/// Dispatches received records through `instance` until `stop` is set, pumping queue
/// listeners and remote handlers (a receiver may forward) as it goes; then dispatches what
/// clients had already sent (until nothing has come for 200 ms, at most 2 s), so a stop loses
/// nothing that was delivered.
pub fn run(
    instance: &mut Instance,
    rx: &Receiver<Fields>,
    stats: &ServeStats,
    stop: &AtomicBool,
) -> wasmtime::Result<()> {
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(fields) => dispatch_batch(instance, rx, fields, stats)?,
            Err(RecvTimeoutError::Timeout) => {
                instance.pump()?;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while std::time::Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(fields) => dispatch_batch(instance, rx, fields, stats)?,
            Err(_) => break,
        }
    }
    stats.viewers.close();
    Ok(())
}

/// `first` and whatever else is waiting (up to [`MAX_BATCH`]) in one component call, then
/// one pump.
fn dispatch_batch(
    instance: &mut Instance,
    rx: &Receiver<Fields>,
    first: Fields,
    stats: &ServeStats,
) -> wasmtime::Result<()> {
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(f) => batch.push(f),
            Err(_) => break,
        }
    }
    instance.handle_fields_many(&batch)?;
    stats
        .received
        .fetch_add(batch.len() as u64, Ordering::Relaxed);
    stats.viewers.publish(&batch);
    instance.pump()?;
    Ok(())
}

/// Dispatches received records through `instance` until `n` have been handled or `timeout`
/// has passed; returns how many were.
pub fn dispatch_n(
    instance: &mut Instance,
    rx: &Receiver<Fields>,
    stats: &ServeStats,
    n: u64,
    timeout: Duration,
) -> wasmtime::Result<u64> {
    let deadline = std::time::Instant::now() + timeout;
    let mut got = 0;
    while got < n {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(fields) => {
                instance.handle_fields(&fields)?;
                stats.received.fetch_add(1, Ordering::Relaxed);
                got += 1;
            }
            Err(_) => break,
        }
    }
    instance.pump()?;
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_forbidden_frames() {
        let f = decode_frame(br#"{"name": "a.b", "msg": "hi", "levelno": 20}"#).unwrap();
        assert_eq!(f[0].0, "name");
        // GLOBAL 'os system' — never resolved, the frame is refused.
        let err = decode_frame(b"cos\nsystem\n(S'echo'\ntR.").unwrap_err();
        assert!(err.starts_with("pickle frame"), "{err}");
        assert!(decode_frame(b"[1]").is_err());
    }
}
