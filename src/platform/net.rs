//! [`NetRemote`]: the core's [`RemoteSink`] over `std::net`, for native programs and for the
//! Wasmtime host (which serves the component's `remote` import with it).
//!
//! - TCP: connects with CPython's `SocketHandler` timeout (1 s; loopback answers at once),
//!   then writes without blocking: a full socket buffer is "not ready" and the core keeps the
//!   frame. Before each write it peeks for the peer's close, so a collector that went away
//!   is noticed before a frame is written into the void.
//! - UDP: one datagram per frame on a connected socket.
//! - HTTP: each frame is a whole request, written on a fresh connection by one worker thread
//!   per handler, which reads the status line; a failed request makes the next `send` fail
//!   (the core reports it and backs off). HTTPS needs TLS, which this sink does not have:
//!   `check` refuses it.
//!
//! Nothing connects unless the embedder allowed it: [`AllowList`] is checked both when a
//! configuration names an endpoint and again at every `open`.

use std::collections::HashMap;
use std::io::{ErrorKind as IoKind, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::core::error::{Error, Result};
use crate::core::sink::{ConnectionId, Endpoint, RemoteSink, SendStatus, Transport};

/// How long a connect may take (CPython's `SocketHandler.makeSocket(timeout=1)`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// How long an HTTP request may take, end to end.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Which endpoints a host may connect to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AllowList {
    /// Nothing (the default).
    #[default]
    Nothing,
    /// Any endpoint (a native program that trusts its configuration).
    Any,
    /// Only these `(host, port)` pairs; a port of `None` allows every port of that host.
    Only(Vec<(String, Option<u16>)>),
}

impl AllowList {
    /// Parses `HOST:PORT` entries (`[::1]:9020`, `localhost:*`).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> std::result::Result<Self, String> {
        let mut out = Vec::new();
        for e in entries {
            let e = e.as_ref();
            let (host, port) = e
                .rsplit_once(':')
                .ok_or_else(|| format!("'{e}': expected HOST:PORT"))?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() {
                return Err(format!("'{e}': expected HOST:PORT"));
            }
            let port = match port {
                "*" => None,
                p => Some(
                    p.parse::<u16>()
                        .map_err(|_| format!("'{e}': '{p}' is not a port"))?,
                ),
            };
            out.push((host.to_ascii_lowercase(), port));
        }
        Ok(AllowList::Only(out))
    }

    /// Whether `endpoint` may be connected to.
    pub fn allows(&self, endpoint: &Endpoint) -> bool {
        match self {
            AllowList::Nothing => false,
            AllowList::Any => true,
            AllowList::Only(list) => list.iter().any(|(h, p)| {
                h.eq_ignore_ascii_case(&endpoint.host) && p.is_none_or(|p| p == endpoint.port)
            }),
        }
    }
}

struct TcpConn {
    stream: TcpStream,
    /// The unwritten tail of a frame the socket took only part of.
    partial: Vec<u8>,
}

struct HttpConn {
    requests: Option<mpsc::Sender<Vec<u8>>>,
    failure: Arc<Mutex<Option<String>>>,
    worker: Option<JoinHandle<()>>,
}

enum Conn {
    Tcp(TcpConn),
    Udp(UdpSocket),
    Http(HttpConn),
}

#[derive(Default)]
struct Inner {
    next: ConnectionId,
    conns: HashMap<ConnectionId, Conn>,
}

/// TCP, UDP and HTTP connections over `std::net`, within an [`AllowList`].
#[derive(Default)]
pub struct NetRemote {
    allow: AllowList,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for NetRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetRemote")
            .field("allow", &self.allow)
            .finish()
    }
}

fn os(e: impl std::fmt::Display) -> Error {
    Error::os_error(e.to_string())
}

fn resolve(endpoint: &Endpoint) -> Result<Vec<std::net::SocketAddr>> {
    let addrs: Vec<_> = (endpoint.host.as_str(), endpoint.port)
        .to_socket_addrs()
        .map_err(|e| os(format!("cannot resolve '{}': {e}", endpoint.host)))?
        .collect();
    if addrs.is_empty() {
        return Err(os(format!("'{}' resolves to no address", endpoint.host)));
    }
    Ok(addrs)
}

fn connect_tcp(endpoint: &Endpoint, timeout: Duration) -> Result<TcpStream> {
    let mut last = None;
    for addr in resolve(endpoint)? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(os(format!(
        "cannot connect to {endpoint}: {}",
        last.map_or_else(|| "no address".to_owned(), |e| e.to_string())
    )))
}

/// Sends one HTTP request on a fresh connection and reads the status line.
fn http_exchange(endpoint: &Endpoint, request: &[u8]) -> std::result::Result<(), String> {
    let mut s = connect_tcp(endpoint, CONNECT_TIMEOUT).map_err(|e| e.message().to_owned())?;
    let _ = s.set_read_timeout(Some(HTTP_TIMEOUT));
    let _ = s.set_write_timeout(Some(HTTP_TIMEOUT));
    s.write_all(request)
        .map_err(|e| format!("HTTP request to {endpoint}: {e}"))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 512];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 8192 {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) => return Err(format!("HTTP response from {endpoint}: {e}")),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let line = line.lines().next().unwrap_or("");
    let code = line.split_whitespace().nth(1).unwrap_or("");
    if code.starts_with('2') {
        Ok(())
    } else if line.is_empty() {
        Err(format!("HTTP {endpoint}: no response"))
    } else {
        Err(format!("HTTP {endpoint}: {line}"))
    }
}

impl NetRemote {
    /// A sink that connects only where `allow` says.
    pub fn new(allow: AllowList) -> Self {
        NetRemote {
            allow,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The allow-list.
    pub fn allow_list(&self) -> &AllowList {
        &self.allow
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain data behind: keep going.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check_allowed(&self, endpoint: &Endpoint) -> Result<()> {
        if endpoint.transport == Transport::Https {
            return Err(os(format!(
                "{endpoint}: HTTPS needs TLS, which this host does not provide; use http"
            )));
        }
        if !self.allow.allows(endpoint) {
            return Err(os(format!(
                "connections to {endpoint} are not allowed by this host (allow it with --allow-remote {endpoint})"
            )));
        }
        Ok(())
    }
}

fn send_tcp(c: &mut TcpConn, frame: &[u8]) -> Result<SendStatus> {
    // The peer's close, noticed before writing into it.
    let mut probe = [0u8; 1];
    match c.stream.peek(&mut probe) {
        Ok(0) => return Err(os("the peer closed the connection")),
        Ok(_) => {}
        Err(e) if e.kind() == IoKind::WouldBlock => {}
        Err(e) => return Err(os(e)),
    }
    while !c.partial.is_empty() {
        match c.stream.write(&c.partial) {
            Ok(0) => return Err(os("the connection is closed")),
            Ok(n) => {
                c.partial.drain(..n);
            }
            Err(e) if e.kind() == IoKind::WouldBlock => return Ok(SendStatus::NotReady),
            Err(e) if e.kind() == IoKind::Interrupted => {}
            Err(e) => return Err(os(e)),
        }
    }
    let mut written = 0;
    while written < frame.len() {
        match c.stream.write(&frame[written..]) {
            Ok(0) => return Err(os("the connection is closed")),
            Ok(n) => written += n,
            Err(e) if e.kind() == IoKind::WouldBlock => {
                if written == 0 {
                    return Ok(SendStatus::NotReady);
                }
                c.partial.extend_from_slice(&frame[written..]);
                return Ok(SendStatus::Sent);
            }
            Err(e) if e.kind() == IoKind::Interrupted => {}
            Err(e) => return Err(os(e)),
        }
    }
    Ok(SendStatus::Sent)
}

impl RemoteSink for NetRemote {
    fn check(&self, endpoint: &Endpoint) -> Result<()> {
        self.check_allowed(endpoint)
    }

    fn open(&self, endpoint: &Endpoint) -> Result<ConnectionId> {
        self.check_allowed(endpoint)?;
        let conn = match endpoint.transport {
            Transport::Tcp => {
                let stream = connect_tcp(endpoint, CONNECT_TIMEOUT)?;
                let _ = stream.set_nodelay(true);
                stream.set_nonblocking(true).map_err(os)?;
                Conn::Tcp(TcpConn {
                    stream,
                    partial: Vec::new(),
                })
            }
            Transport::Udp => {
                let addr = resolve(endpoint)?[0];
                let local = if addr.is_ipv6() {
                    "[::]:0"
                } else {
                    "0.0.0.0:0"
                };
                let sock = UdpSocket::bind(local).map_err(os)?;
                sock.connect(addr).map_err(os)?;
                Conn::Udp(sock)
            }
            Transport::Http | Transport::Https => {
                let (tx, rx) = mpsc::channel::<Vec<u8>>();
                let failure = Arc::new(Mutex::new(None));
                let fail = failure.clone();
                let ep = endpoint.clone();
                let worker = std::thread::Builder::new()
                    .name(format!("http {ep}"))
                    .spawn(move || {
                        for request in rx {
                            if let Err(e) = http_exchange(&ep, &request) {
                                let mut f = fail.lock().unwrap_or_else(|p| p.into_inner());
                                f.get_or_insert(e);
                            }
                        }
                    })
                    .map_err(os)?;
                Conn::Http(HttpConn {
                    requests: Some(tx),
                    failure,
                    worker: Some(worker),
                })
            }
        };
        let mut inner = self.lock();
        inner.next = inner.next.wrapping_add(1);
        let id = inner.next;
        inner.conns.insert(id, conn);
        Ok(id)
    }

    fn send(&self, conn: ConnectionId, frame: &[u8]) -> Result<SendStatus> {
        let mut inner = self.lock();
        let c = inner
            .conns
            .get_mut(&conn)
            .ok_or_else(|| os(format!("connection {conn} is not open")))?;
        match c {
            Conn::Tcp(t) => send_tcp(t, frame),
            Conn::Udp(u) => match u.send(frame) {
                Ok(_) => Ok(SendStatus::Sent),
                Err(e) if e.kind() == IoKind::WouldBlock => Ok(SendStatus::NotReady),
                Err(e) => Err(os(e)),
            },
            Conn::Http(h) => {
                if let Some(e) = h.failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    return Err(os(e));
                }
                match &h.requests {
                    Some(tx) if tx.send(frame.to_vec()).is_ok() => Ok(SendStatus::Sent),
                    _ => Err(os("the HTTP worker has stopped")),
                }
            }
        }
    }

    fn flush(&self, conn: ConnectionId) -> Result<()> {
        let mut inner = self.lock();
        let Some(Conn::Tcp(t)) = inner.conns.get_mut(&conn) else {
            return Ok(());
        };
        if t.partial.is_empty() {
            return Ok(());
        }
        let tail = std::mem::take(&mut t.partial);
        let result = t
            .stream
            .set_nonblocking(false)
            .and_then(|()| t.stream.set_write_timeout(Some(CONNECT_TIMEOUT)))
            .and_then(|()| t.stream.write_all(&tail))
            .map_err(|e| os(format!("the end of a frame was not sent: {e}")));
        let _ = t.stream.set_nonblocking(true);
        result
    }

    fn close(&self, conn: ConnectionId) -> Result<()> {
        let c = self.lock().conns.remove(&conn);
        match c {
            Some(Conn::Tcp(mut t)) => {
                let mut result = Ok(());
                if !t.partial.is_empty() {
                    result = t
                        .stream
                        .set_nonblocking(false)
                        .and_then(|()| t.stream.set_write_timeout(Some(CONNECT_TIMEOUT)))
                        .and_then(|()| t.stream.write_all(&t.partial))
                        .map_err(|e| os(format!("the end of the last frame was not sent: {e}")));
                }
                let _ = t.stream.shutdown(Shutdown::Write);
                result
            }
            Some(Conn::Http(mut h)) => {
                // Lets the worker finish the requests it was given, then reports a failure.
                h.requests = None;
                if let Some(w) = h.worker.take() {
                    let _ = w.join();
                }
                match h.failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    Some(e) => Err(os(e)),
                    None => Ok(()),
                }
            }
            Some(Conn::Udp(_)) | None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn flush_writes_the_tail_of_a_frame_the_socket_took_in_part() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let remote = NetRemote::new(AllowList::Any);
        let conn = remote
            .open(&Endpoint::new(Transport::Tcp, "127.0.0.1", port))
            .unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        // Nobody reads yet: frames go until the socket is full.
        let frame = vec![b'x'; 48 * 1024];
        let mut sent = 0usize;
        for _ in 0..1000 {
            match remote.send(conn, &frame).unwrap() {
                SendStatus::Sent => sent += frame.len(),
                SendStatus::NotReady => break,
            }
        }
        assert!(sent > 0);
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            peer.read_to_end(&mut got).unwrap();
            got.len()
        });
        // Every byte of every frame the host took is written by flush, before close.
        remote.flush(conn).unwrap();
        remote.close(conn).unwrap();
        assert_eq!(reader.join().unwrap(), sent);
    }

    #[test]
    fn allow_lists_match_host_and_port() {
        let list = AllowList::parse(&["Collector:9020", "[::1]:*"]).unwrap();
        assert!(list.allows(&Endpoint::new(Transport::Tcp, "collector", 9020)));
        assert!(!list.allows(&Endpoint::new(Transport::Tcp, "collector", 9021)));
        assert!(list.allows(&Endpoint::new(Transport::Udp, "::1", 514)));
        assert!(AllowList::parse(&["nohost"]).is_err());
        assert!(!AllowList::Nothing.allows(&Endpoint::new(Transport::Tcp, "a", 1)));
    }
}
