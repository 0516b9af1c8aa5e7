//! The `remote` import: TCP, UDP and HTTP connections for the component's network handlers,
//! only to the endpoints the embedder allowed ([`HostOptions::allow_remote`](crate::HostOptions),
//! the CLI's `--allow-remote HOST:PORT`). Nothing is allowed by default.
//!
//! The sockets are the core's own [`NetRemote`] (connect with a 1 s timeout, writes that
//! never block, a peek for the peer's close before each write, one worker thread per HTTP
//! handler); this module only converts between WIT's types and the core's.

use std::sync::Arc;

use wasm_logging::net::{AllowList, NetRemote};
use wasm_logging::{Endpoint, RemoteSink, SendStatus, Transport};

use crate::bindings::wasm_logging::logging::remote as wit;

/// The host's connections, shared by the instance's handlers.
#[derive(Clone, Debug, Default)]
pub struct Remote {
    net: Arc<NetRemote>,
}

fn endpoint(e: wit::Endpoint) -> Endpoint {
    Endpoint {
        transport: match e.transport {
            wit::Transport::Tcp => Transport::Tcp,
            wit::Transport::Udp => Transport::Udp,
            wit::Transport::Http => Transport::Http,
            wit::Transport::Https => Transport::Https,
        },
        host: e.host,
        port: e.port,
    }
}

impl Remote {
    /// Connections limited to `allow`.
    pub fn new(allow: AllowList) -> Self {
        Remote {
            net: Arc::new(NetRemote::new(allow)),
        }
    }

    /// The allow-list.
    pub fn allow_list(&self) -> &AllowList {
        self.net.allow_list()
    }

    /// `check`.
    pub fn check(&self, e: wit::Endpoint) -> Result<(), String> {
        self.net
            .check(&endpoint(e))
            .map_err(|e| e.message().to_owned())
    }

    /// `open`.
    pub fn open(&self, e: wit::Endpoint) -> Result<u32, String> {
        self.net
            .open(&endpoint(e))
            .map_err(|e| e.message().to_owned())
    }

    /// `send`.
    pub fn send(&self, conn: u32, frame: &[u8]) -> Result<wit::SendStatus, String> {
        match self.net.send(conn, frame) {
            Ok(SendStatus::Sent) => Ok(wit::SendStatus::Sent),
            Ok(SendStatus::NotReady) => Ok(wit::SendStatus::NotReady),
            Err(e) => Err(e.message().to_owned()),
        }
    }

    /// `flush`.
    pub fn flush(&self, conn: u32) -> Result<(), String> {
        self.net.flush(conn).map_err(|e| e.message().to_owned())
    }

    /// `close`.
    pub fn close(&self, conn: u32) -> Result<(), String> {
        self.net.close(conn).map_err(|e| e.message().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    fn tcp(port: u16) -> wit::Endpoint {
        wit::Endpoint {
            transport: wit::Transport::Tcp,
            host: "127.0.0.1".into(),
            port,
        }
    }

    #[test]
    fn bytes_arrive_on_an_allowed_endpoint() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let reader = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            got
        });
        let r = Remote::new(AllowList::parse(&[format!("127.0.0.1:{port}")]).unwrap());
        let c = r.open(tcp(port)).unwrap();
        assert_eq!(r.send(c, b"hello ").unwrap(), wit::SendStatus::Sent);
        assert_eq!(r.send(c, b"world").unwrap(), wit::SendStatus::Sent);
        r.close(c).unwrap();
        assert_eq!(reader.join().unwrap(), b"hello world");
        assert!(r.send(c, b"x").unwrap_err().contains("not open"));
    }

    #[test]
    fn a_refused_endpoint_never_connects() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let r = Remote::default();
        let err = r.check(tcp(port)).unwrap_err();
        assert!(err.contains("not allowed"), "{err}");
        let err = r.open(tcp(port)).unwrap_err();
        assert!(err.contains("--allow-remote 127.0.0.1:"), "{err}");
        // Nothing reached the listener.
        assert!(listener.accept().is_err());
    }

    #[test]
    fn a_closed_port_is_an_error_value() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let r = Remote::new(AllowList::Any);
        let err = r.open(tcp(port)).unwrap_err();
        assert!(err.starts_with("cannot connect"), "{err}");
    }
}
