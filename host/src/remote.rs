//! The `remote` import: TCP connections, numbered for the component.

use std::collections::HashMap;
use std::io::Write;
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Open TCP connections.
#[derive(Debug, Default)]
pub struct Remote {
    next: u32,
    conns: HashMap<u32, TcpStream>,
}

impl Remote {
    /// Connects to `address` (`host:port`), trying each resolved address in turn.
    pub fn open(&mut self, address: &str) -> Result<u32, String> {
        let addrs = address
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve '{address}': {e}"))?;
        let mut last = format!("'{address}' resolves to no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                Ok(stream) => {
                    // Log frames are small and should leave at once.
                    let _ = stream.set_nodelay(true);
                    self.next = self.next.wrapping_add(1);
                    self.conns.insert(self.next, stream);
                    return Ok(self.next);
                }
                Err(e) => last = format!("cannot connect to '{address}': {e}"),
            }
        }
        Err(last)
    }

    /// Sends all of `bytes` on `conn`.
    pub fn send(&mut self, conn: u32, bytes: &[u8]) -> Result<(), String> {
        let stream = self
            .conns
            .get_mut(&conn)
            .ok_or_else(|| format!("connection {conn} is not open"))?;
        stream.write_all(bytes).map_err(|e| e.to_string())
    }

    /// Closes `conn`.
    pub fn close(&mut self, conn: u32) -> Result<(), String> {
        let stream = self
            .conns
            .remove(&conn)
            .ok_or_else(|| format!("connection {conn} is not open"))?;
        match stream.shutdown(Shutdown::Both) {
            Ok(()) => Ok(()),
            // The peer may have gone first; the connection is closed either way.
            Err(e) if e.kind() == std::io::ErrorKind::NotConnected => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    #[test]
    fn bytes_arrive_and_closed_connections_fail() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let reader = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            got
        });
        let mut r = Remote::default();
        let c = r.open(&addr).unwrap();
        r.send(c, b"hello ").unwrap();
        r.send(c, b"world").unwrap();
        r.close(c).unwrap();
        assert_eq!(reader.join().unwrap(), b"hello world");
        assert!(r.send(c, b"x").unwrap_err().contains("not open"));
    }

    #[test]
    fn refused_connection_is_an_error_value() {
        // Bind then drop: the port is free and nothing listens there.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = Remote::default()
            .open(&format!("127.0.0.1:{port}"))
            .unwrap_err();
        assert!(err.starts_with("cannot connect"), "{err}");
    }
}
