//! `remote`: connections over `wasi:sockets` (through `std::net`).
//!
//! - TCP: one connected stream per handler; frames are written whole (a blocking
//!   `write_all`, as CPython's `SocketHandler.send` uses `sendall`), so `flush` has nothing
//!   left to write.
//! - UDP: one datagram per frame on a connected socket.
//! - HTTP: each frame is a whole request, sent on a fresh TCP connection; the status line is
//!   read before `send` returns, and anything but 2xx is the send's error.
//! - HTTPS needs TLS, which standard WASI 0.2 does not offer to a component: `check` refuses
//!   it with a message saying so.
//!
//! Whether a connection may be made at all is the runtime's decision: the Wasmtime CLI gives
//! a component no network unless run with `-S inherit-network` (and name lookups need
//! `-S allow-ip-name-lookup`); a refused `open` is the handler's error, reported through
//! `handleError` by the core, and never a trap.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::time::Duration;

use crate::bindings::exports::wasm_logging::logging::remote::{
    Connection, Endpoint, Guest, SendStatus, Transport,
};
use crate::Sinks;

/// How long an HTTP exchange may wait for the server's status line.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

enum Conn {
    Tcp(TcpStream),
    Udp(UdpSocket),
    Http(Endpoint),
}

#[derive(Default)]
struct Table {
    next: Connection,
    conns: HashMap<Connection, Conn>,
}

thread_local! {
    static CONNS: RefCell<Table> = RefCell::new(Table::default());
}

fn show(e: &Endpoint) -> String {
    let scheme = match e.transport {
        Transport::Tcp => "tcp",
        Transport::Udp => "udp",
        Transport::Http => "http",
        Transport::Https => "https",
    };
    if e.host.contains(':') {
        format!("{scheme}://[{}]:{}", e.host, e.port)
    } else {
        format!("{scheme}://{}:{}", e.host, e.port)
    }
}

fn resolve(e: &Endpoint) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = (e.host.as_str(), e.port)
        .to_socket_addrs()
        .map_err(|err| format!("cannot resolve '{}': {err}", e.host))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("'{}' resolves to no address", e.host));
    }
    Ok(addrs)
}

fn connect_tcp(e: &Endpoint) -> Result<TcpStream, String> {
    let mut last = None;
    for addr in resolve(e)? {
        match TcpStream::connect(addr) {
            Ok(s) => return Ok(s),
            Err(err) => last = Some(err),
        }
    }
    Err(format!(
        "cannot connect to {}: {}",
        show(e),
        last.map_or_else(|| "no address".to_owned(), |err| err.to_string())
    ))
}

/// One HTTP request on a fresh connection; Ok for a 2xx status.
fn http_exchange(e: &Endpoint, request: &[u8]) -> Result<(), String> {
    let mut s = connect_tcp(e)?;
    // Not every runtime supports socket timeouts; without one the read waits for the server.
    let _ = s.set_read_timeout(Some(HTTP_TIMEOUT));
    s.write_all(request)
        .map_err(|err| format!("HTTP request to {}: {err}", show(e)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 512];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 8192 {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(err) => return Err(format!("HTTP response from {}: {err}", show(e))),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let line = text.lines().next().unwrap_or("");
    let code = line.split_whitespace().nth(1).unwrap_or("");
    if code.starts_with('2') {
        Ok(())
    } else if line.is_empty() {
        Err(format!("HTTP {}: no response", show(e)))
    } else {
        Err(format!("HTTP {}: {line}", show(e)))
    }
}

fn refuse_https(e: &Endpoint) -> Result<(), String> {
    if e.transport == Transport::Https {
        return Err(format!(
            "{}: HTTPS needs TLS, which standard WASI 0.2 does not provide; use http",
            show(e)
        ));
    }
    Ok(())
}

impl Guest for Sinks {
    fn check(endpoint: Endpoint) -> Result<(), String> {
        refuse_https(&endpoint)
    }

    fn open(endpoint: Endpoint) -> Result<Connection, String> {
        refuse_https(&endpoint)?;
        let conn = match endpoint.transport {
            Transport::Tcp => {
                let s = connect_tcp(&endpoint)?;
                let _ = s.set_nodelay(true);
                Conn::Tcp(s)
            }
            Transport::Udp => {
                let addr = resolve(&endpoint)?[0];
                let local = if addr.is_ipv6() {
                    "[::]:0"
                } else {
                    "0.0.0.0:0"
                };
                let sock = UdpSocket::bind(local)
                    .and_then(|s| s.connect(addr).map(|()| s))
                    .map_err(|err| format!("cannot open {}: {err}", show(&endpoint)))?;
                Conn::Udp(sock)
            }
            Transport::Http | Transport::Https => Conn::Http(endpoint),
        };
        Ok(CONNS.with(|c| {
            let mut table = c.borrow_mut();
            table.next = table.next.wrapping_add(1);
            let id = table.next;
            table.conns.insert(id, conn);
            id
        }))
    }

    fn send(conn: Connection, frame: Vec<u8>) -> Result<SendStatus, String> {
        CONNS.with(|c| {
            let mut table = c.borrow_mut();
            let entry = table
                .conns
                .get_mut(&conn)
                .ok_or_else(|| format!("connection {conn} is not open"))?;
            match entry {
                Conn::Tcp(s) => s.write_all(&frame).map_err(|e| e.to_string())?,
                Conn::Udp(s) => {
                    s.send(&frame).map_err(|e| e.to_string())?;
                }
                Conn::Http(e) => http_exchange(e, &frame)?,
            }
            Ok(SendStatus::Sent)
        })
    }

    fn flush(conn: Connection) -> Result<(), String> {
        CONNS.with(|c| match c.borrow_mut().conns.get_mut(&conn) {
            Some(Conn::Tcp(s)) => s.flush().map_err(|e| e.to_string()),
            Some(_) => Ok(()),
            None => Err(format!("connection {conn} is not open")),
        })
    }

    fn close(conn: Connection) -> Result<(), String> {
        let removed = CONNS.with(|c| c.borrow_mut().conns.remove(&conn));
        if let Some(Conn::Tcp(s)) = removed {
            // The peer sees the end of the stream; an already-closed peer is not an error.
            let _ = s.shutdown(Shutdown::Write);
        }
        Ok(())
    }
}
