//! `WebSocketHandler`: one text message per record, the record dict `makePickle` builds as
//! JSON (the NDJSON batch's line). Each frame is the HTTP request that carries the record —
//! `POST <path>` with `Upgrade: websocket` and the JSON as its body — so the host decides how
//! it travels: a remote that speaks WebSocket (`BrowserRemote`) opens one socket to
//! `ws(s)://host:port<path>` and sends each body as a message, reconnecting with the handler's
//! back-off when the socket closes; a remote that only speaks HTTP posts the record instead.

use std::rc::Rc;

use super::remote::{FrameEncoder, RemoteHandler, RemoteOptions};
use crate::core::error::{Error, Result};
use crate::core::handler::HandlerCore;
use crate::core::record::LogRecord;
use crate::core::sink::{Endpoint, RemoteSink, Transport};
use crate::core::wire::{http, pickle};

/// Where a `WebSocketHandler` connects: from `ws://host[:port][/path]` or `wss://…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSocketUrl {
    /// `wss`.
    pub secure: bool,
    /// `host:port` as an HTTP `Host` (`HTTPHandler`'s `host` argument).
    pub host: String,
    /// The path and query (`/ws`), `/` when absent.
    pub path: String,
}

impl WebSocketUrl {
    /// Parses `url`; the error says what is wrong with it.
    pub fn parse(url: &str) -> Result<Self> {
        let (secure, rest) = if let Some(r) = url.strip_prefix("ws://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("wss://") {
            (true, r)
        } else {
            return Err(Error::value_error(format!(
                "'{url}': expected a ws:// or wss:// URL"
            )));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(Error::value_error(format!(
                "'{url}': expected ws://host[:port]/path"
            )));
        }
        http::parse_host(authority, secure).map_err(|e| Error::value_error(e.to_string()))?;
        Ok(WebSocketUrl {
            secure,
            host: authority.to_owned(),
            path,
        })
    }
}

struct WebSocketEncoder(WebSocketUrl);

impl FrameEncoder for WebSocketEncoder {
    fn class_name(&self) -> &'static str {
        "WebSocketHandler"
    }

    fn encode(&self, core: &HandlerCore, record: &mut LogRecord) -> Result<Vec<u8>> {
        // As `makePickle`: format only to fill `exc_text`.
        if record.exc_info.is_some() {
            core.format(record)?;
        }
        let frame =
            pickle::make_json_frame(record).map_err(|e| Error::value_error(e.to_string()))?;
        let u = &self.0;
        http::body_request_with_headers(
            "POST",
            &u.host,
            &u.path,
            u.secure,
            None,
            "application/json",
            &[("Upgrade", "websocket")],
            frame.get(4..).unwrap_or_default(),
        )
        .map_err(|e| Error::value_error(e.to_string()))
    }
}

/// `wasm_logging.WebSocketHandler(url)`: records as JSON text messages to `url`.
pub fn websocket_handler(
    sink: Rc<dyn RemoteSink>,
    url: WebSocketUrl,
    remote: RemoteOptions,
) -> Result<Rc<RemoteHandler>> {
    let (host, port) =
        http::parse_host(&url.host, url.secure).map_err(|e| Error::value_error(e.to_string()))?;
    Ok(RemoteHandler::new(
        sink,
        Endpoint::new(Transport::http(url.secure), host, port),
        Box::new(WebSocketEncoder(url)),
        remote,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_into_host_and_path() {
        let u = WebSocketUrl::parse("ws://127.0.0.1:8080/ws?x=1").unwrap();
        assert_eq!(
            (u.secure, u.host.as_str(), u.path.as_str()),
            (false, "127.0.0.1:8080", "/ws?x=1")
        );
        let u = WebSocketUrl::parse("wss://logs.example").unwrap();
        assert_eq!(
            (u.secure, u.host.as_str(), u.path.as_str()),
            (true, "logs.example", "/")
        );
        assert!(WebSocketUrl::parse("http://x/").is_err());
        assert!(WebSocketUrl::parse("ws:///path").is_err());
    }
}
