//! The frames of CPython's network handlers, as [`FrameEncoder`]s for [`RemoteHandler`]:
//! `SocketHandler` / `DatagramHandler` (a length-prefixed pickle of the record dict, or the
//! same dict as JSON), `SysLogHandler` (CPython's bytes, or RFC 5424 with RFC 6587 framing)
//! and `HTTPHandler` (CPython's request).

use std::cell::RefCell;
use std::rc::Rc;

use super::remote::{FrameEncoder, RemoteHandler, RemoteOptions};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::handler::HandlerCore;
use crate::core::record::LogRecord;
use crate::core::sink::{Endpoint, RemoteSink, Transport};
use crate::core::value::Value;
use crate::core::wire::{http, pickle, syslog};

fn wire_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::ValueError, e.to_string())
}

/// How `SocketHandler` and `DatagramHandler` encode the record dict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFraming {
    /// CPython's `makePickle`: 4-byte big-endian length + pickle protocol 1.
    Pickle,
    /// The same dict as JSON, with the same length prefix (for non-Python receivers).
    Json,
}

/// `SocketHandler.makePickle` (or its JSON twin).
struct RecordEncoder {
    class: &'static str,
    framing: RecordFraming,
}

impl FrameEncoder for RecordEncoder {
    fn class_name(&self) -> &'static str {
        self.class
    }

    fn encode(&self, core: &HandlerCore, record: &mut LogRecord) -> Result<Vec<u8>> {
        // CPython formats only to fill `exc_text` (and whatever the formatter sets).
        if record.exc_info.is_some() {
            core.format(record)?;
        }
        match self.framing {
            RecordFraming::Pickle => pickle::make_pickle(record),
            RecordFraming::Json => pickle::make_json_frame(record),
        }
        .map_err(wire_error)
    }
}

/// `logging.handlers.SocketHandler(host, port)` over TCP.
pub fn socket_handler(
    sink: Rc<dyn RemoteSink>,
    host: &str,
    port: u16,
    framing: RecordFraming,
    options: RemoteOptions,
) -> Rc<RemoteHandler> {
    record_handler(sink, Transport::Tcp, host, port, framing, options)
}

/// `logging.handlers.DatagramHandler(host, port)`: the same frames, one UDP datagram each.
pub fn datagram_handler(
    sink: Rc<dyn RemoteSink>,
    host: &str,
    port: u16,
    framing: RecordFraming,
    options: RemoteOptions,
) -> Rc<RemoteHandler> {
    record_handler(sink, Transport::Udp, host, port, framing, options)
}

fn record_handler(
    sink: Rc<dyn RemoteSink>,
    transport: Transport,
    host: &str,
    port: u16,
    framing: RecordFraming,
    options: RemoteOptions,
) -> Rc<RemoteHandler> {
    let class = if transport == Transport::Tcp {
        "SocketHandler"
    } else {
        "DatagramHandler"
    };
    RemoteHandler::new(
        sink,
        Endpoint::new(transport, host, port),
        Box::new(RecordEncoder { class, framing }),
        options,
    )
}

/// How syslog messages are delimited on a TCP stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyslogFraming {
    /// CPython's: the message as is (its trailing NUL, with `append_nul`, ends it).
    Plain,
    /// RFC 6587 octet counting: `LEN SP MSG`.
    OctetCounting,
    /// RFC 6587 non-transparent framing: the message then `\n`.
    NewLine,
}

/// The RFC 5424 header fields of the cookbook's `SysLogHandler5424` (recipe 34).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rfc5424Options {
    /// HOSTNAME (`-` when empty).
    pub hostname: String,
    /// APP-NAME (`-` when empty).
    pub appname: String,
    /// MSGID (`-` when empty).
    pub msgid: String,
    /// Whether MSG starts with the UTF-8 BOM (recipe 21).
    pub bom: bool,
    /// The local UTC offset in seconds for TIMESTAMP, or `None` for the host's local time.
    pub utc_offset: Option<i32>,
}

/// `SysLogHandler`'s settings.
#[derive(Clone, Debug)]
pub struct SyslogOptions {
    /// The facility number (`LOG_USER` = 1 by default).
    pub facility: u32,
    /// `ident`, prepended to the formatted message.
    pub ident: String,
    /// `append_nul`: a NUL after the message (CPython's default `True`).
    pub append_nul: bool,
    /// Delimiting on TCP.
    pub framing: SyslogFraming,
    /// RFC 5424 output instead of CPython's plain `<PRI>msg`.
    pub rfc5424: Option<Rfc5424Options>,
}

impl Default for SyslogOptions {
    fn default() -> Self {
        SyslogOptions {
            facility: syslog::LOG_USER,
            ident: String::new(),
            append_nul: true,
            framing: SyslogFraming::Plain,
            rfc5424: None,
        }
    }
}

struct SyslogEncoder {
    options: RefCell<SyslogOptions>,
    tcp: bool,
}

impl FrameEncoder for SyslogEncoder {
    fn class_name(&self) -> &'static str {
        if self.options.borrow().rfc5424.is_some() {
            "SysLogHandler5424"
        } else {
            "SysLogHandler"
        }
    }

    fn encode(&self, core: &HandlerCore, record: &mut LogRecord) -> Result<Vec<u8>> {
        let formatted = core.format(record)?;
        let o = self.options.borrow();
        let msg = match &o.rfc5424 {
            None => syslog::message(
                &formatted,
                &o.ident,
                o.append_nul,
                o.facility,
                &record.levelname,
            ),
            Some(r) => syslog::rfc5424_record(record, &formatted, o.facility, r),
        };
        Ok(match (self.tcp, o.framing) {
            (true, SyslogFraming::OctetCounting) => syslog::octet_counted(&msg),
            (true, SyslogFraming::NewLine) => {
                let mut m = msg;
                m.push(b'\n');
                m
            }
            _ => msg,
        })
    }

    fn set_attribute(&self, name: &str, value: &Value) -> Option<Result<()>> {
        let mut o = self.options.borrow_mut();
        Some(match (name, value) {
            ("ident", Value::Str(s)) => {
                o.ident = s.to_string();
                Ok(())
            }
            ("append_nul", Value::Bool(b)) => {
                o.append_nul = *b;
                Ok(())
            }
            ("ident" | "append_nul", v) => Err(Error::type_error(format!(
                "{name}: unexpected value {}",
                v.to_py_str().unwrap_or_default()
            ))),
            _ => return None,
        })
    }
}

/// `logging.handlers.SysLogHandler(address=(host, port), facility, socktype)`.
pub fn syslog_handler(
    sink: Rc<dyn RemoteSink>,
    host: &str,
    port: u16,
    tcp: bool,
    options: SyslogOptions,
    remote: RemoteOptions,
) -> Rc<RemoteHandler> {
    RemoteHandler::new(
        sink,
        Endpoint::new(
            if tcp { Transport::Tcp } else { Transport::Udp },
            host,
            port,
        ),
        Box::new(SyslogEncoder {
            options: RefCell::new(options),
            tcp,
        }),
        remote,
    )
}

/// `HTTPHandler`'s settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// `host` as given (`"localhost:8080"`).
    pub host: String,
    /// `url` (`"/log"`).
    pub url: String,
    /// `"GET"` or `"POST"`.
    pub method: String,
    /// `secure`: HTTPS.
    pub secure: bool,
    /// `credentials`: (user, password) for basic authentication.
    pub credentials: Option<(String, String)>,
}

struct HttpEncoder(HttpOptions);

impl FrameEncoder for HttpEncoder {
    fn class_name(&self) -> &'static str {
        "HTTPHandler"
    }

    fn encode(&self, _core: &HandlerCore, record: &mut LogRecord) -> Result<Vec<u8>> {
        let o = &self.0;
        http::request(
            &o.method,
            &o.host,
            &o.url,
            o.secure,
            o.credentials
                .as_ref()
                .map(|(u, p)| (u.as_str(), p.as_str())),
            record,
        )
        .map_err(wire_error)
    }
}

/// `logging.handlers.HTTPHandler(host, url, method, secure, credentials)`: one request per
/// record, exactly as CPython's `http.client` writes it. A failed request (a refused
/// connection, a status other than 2xx) is reported through `handleError`.
pub fn http_handler(
    sink: Rc<dyn RemoteSink>,
    options: HttpOptions,
    remote: RemoteOptions,
) -> Result<Rc<RemoteHandler>> {
    let method = options.method.to_ascii_uppercase();
    if method != "GET" && method != "POST" {
        return Err(Error::value_error("method must be 'GET' or 'POST'"));
    }
    let (host, port) = http::parse_host(&options.host, options.secure).map_err(wire_error)?;
    Ok(RemoteHandler::new(
        sink,
        Endpoint::new(Transport::http(options.secure), host, port),
        Box::new(HttpEncoder(HttpOptions { method, ..options })),
        remote,
    ))
}
