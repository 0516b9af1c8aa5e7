//! Building the network handlers from configuration entries: CPython's `SocketHandler`,
//! `DatagramHandler`, `SysLogHandler` and `HTTPHandler`, and our `JSONSocketHandler`,
//! `JSONDatagramHandler` and `SysLogHandler5424`. The host's remote sink is asked whether
//! each endpoint is allowed while the configuration is planned, so a refused address fails
//! the configuration (naming the entry's `host` or `address`) and opens nothing.

use std::rc::Rc;

use super::read::{describe, KwError, Kwargs};
use super::ConfigEnv;
use crate::core::handler::Handler;
use crate::core::handlers::WebSocketUrl;
use crate::core::handlers::{
    datagram_handler, http_handler, socket_handler, syslog_handler, BatchBody, BatchOptions,
    BufferingHttpHandler, HttpOptions, RecordFraming, RemoteOptions, Rfc5424Options, SyslogFraming,
    SyslogOptions,
};
use crate::core::sink::{Endpoint, RemoteSink, Transport};
use crate::core::value::{Text, Value};
use crate::core::wire::syslog;

/// The network handler classes, by the names configurations use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Socket(RecordFraming),
    Datagram(RecordFraming),
    SysLog,
    SysLog5424,
    Http,
    BufferingHttp,
    Otlp,
    WebSocket,
}

fn class_of(name: &str) -> Option<Class> {
    Some(match name {
        "logging.handlers.SocketHandler" => Class::Socket(RecordFraming::Pickle),
        "logging.handlers.DatagramHandler" => Class::Datagram(RecordFraming::Pickle),
        "logging.handlers.SysLogHandler" => Class::SysLog,
        "logging.handlers.HTTPHandler" => Class::Http,
        "wasm_logging.JSONSocketHandler" => Class::Socket(RecordFraming::Json),
        "wasm_logging.JSONDatagramHandler" => Class::Datagram(RecordFraming::Json),
        "wasm_logging.SysLogHandler5424" => Class::SysLog5424,
        "wasm_logging.BufferingHTTPHandler" => Class::BufferingHttp,
        "wasm_logging.OTLPHandler" => Class::Otlp,
        "wasm_logging.WebSocketHandler" => Class::WebSocket,
        _ => return None,
    })
}

fn kwerr(key: &str, message: impl Into<String>) -> KwError {
    (key.to_owned(), message.into())
}

/// The host's remote sink, or the error a host without one gives.
fn sink(env: &ConfigEnv, class: &str, key: &str) -> Result<Rc<dyn RemoteSink>, KwError> {
    env.remote.clone().ok_or_else(|| {
        kwerr(
            key,
            format!(
                "'{class}' needs network connections, and this host provides none (browsers \
                 have no raw sockets: send records with an HTTP, beacon or WebSocket handler)"
            ),
        )
    })
}

fn port_of(key: &str, v: Option<Value>) -> Result<u16, KwError> {
    match v {
        Some(Value::Int(p)) if (0..=65535).contains(&p) => Ok(p as u16),
        Some(Value::Float(f)) if f.fract() == 0.0 && (0.0..=65535.0).contains(&f) => Ok(f as u16),
        None | Some(Value::None) => Err(kwerr(
            key,
            "a port is required (Unix domain sockets are not available to hosts here)",
        )),
        Some(other) => Err(kwerr(
            key,
            format!("expected a port number, got {}", describe(&other)),
        )),
    }
}

/// `address=(host, port)`: a two-item list or tuple; a string (a Unix socket path such as
/// `/dev/log`) is refused.
fn address_of(v: Option<Value>) -> Result<(String, u16), KwError> {
    match v {
        None | Some(Value::None) => Ok(("localhost".to_owned(), syslog::SYSLOG_UDP_PORT)),
        Some(Value::List(items)) | Some(Value::Tuple(items)) if items.len() == 2 => {
            let host = match &items[0] {
                Value::Str(s) => s.to_string(),
                other => {
                    return Err(kwerr(
                        "address",
                        format!("expected a host name, got {}", describe(other)),
                    ))
                }
            };
            Ok((host, port_of("address", Some(items[1].clone()))?))
        }
        Some(Value::Str(s)) => Err(kwerr(
            "address",
            format!("'{s}': Unix domain sockets are not available; give [host, port]"),
        )),
        Some(other) => Err(kwerr(
            "address",
            format!("expected [host, port], got {}", describe(&other)),
        )),
    }
}

/// `socktype`: `ext://socket.SOCK_STREAM` (1) for TCP, `ext://socket.SOCK_DGRAM` (2) or
/// nothing for UDP.
fn tcp_of(v: Option<Value>) -> Result<bool, KwError> {
    match v {
        None | Some(Value::None) => Ok(false),
        Some(Value::Int(1)) => Ok(true),
        Some(Value::Int(2)) => Ok(false),
        Some(Value::Str(s)) => match s.strip_prefix("ext://").unwrap_or(&s) {
            "socket.SOCK_STREAM" => Ok(true),
            "socket.SOCK_DGRAM" => Ok(false),
            other => Err(kwerr(
                "socktype",
                format!("'{other}': expected socket.SOCK_STREAM or socket.SOCK_DGRAM"),
            )),
        },
        Some(other) => Err(kwerr(
            "socktype",
            format!("expected a socket type, got {}", describe(&other)),
        )),
    }
}

fn facility_of(v: Option<Value>) -> Result<u32, KwError> {
    match v {
        None | Some(Value::None) => Ok(syslog::LOG_USER),
        Some(Value::Int(i)) if (0..=23).contains(&i) => Ok(i as u32),
        Some(Value::Str(s)) => syslog::facility_by_name(&s)
            .ok_or_else(|| kwerr("facility", format!("unknown syslog facility '{s}'"))),
        Some(other) => Err(kwerr(
            "facility",
            format!(
                "expected a facility number or name, got {}",
                describe(&other)
            ),
        )),
    }
}

/// Asks the host whether `endpoint` is allowed; the error names `key`.
fn allowed(sink: &Rc<dyn RemoteSink>, endpoint: &Endpoint, key: &str) -> Result<(), KwError> {
    sink.check(endpoint)
        .map_err(|e| kwerr(key, e.message().to_owned()))
}

/// The handler for a network class name, or `None` for any other class.
pub(super) fn remote_handler(
    env: &ConfigEnv,
    class: &str,
    kw: &mut Kwargs,
) -> Result<Option<Rc<dyn Handler>>, KwError> {
    let Some(kind) = class_of(class) else {
        return Ok(None);
    };
    let options = RemoteOptions::default();
    let handler: Rc<dyn Handler> = match kind {
        Class::Socket(framing) | Class::Datagram(framing) => {
            let host = kw
                .take_str("host")?
                .ok_or_else(|| kwerr("host", "missing required argument 'host'"))?;
            let port = port_of("port", kw.take("port"))?;
            let what = if matches!(kind, Class::Socket(_)) {
                "SocketHandler()"
            } else {
                "DatagramHandler()"
            };
            std::mem::take(kw).finish(what)?;
            let sink = sink(env, class, "host")?;
            let transport = if matches!(kind, Class::Socket(_)) {
                Transport::Tcp
            } else {
                Transport::Udp
            };
            let endpoint = Endpoint::new(transport, host.to_string(), port);
            allowed(&sink, &endpoint, "host")?;
            if transport == Transport::Tcp {
                socket_handler(sink, &host, port, framing, options)
            } else {
                datagram_handler(sink, &host, port, framing, options)
            }
        }
        Class::SysLog | Class::SysLog5424 => {
            let (host, port) = address_of(kw.take("address"))?;
            let facility = facility_of(kw.take("facility"))?;
            let tcp = tcp_of(kw.take("socktype"))?;
            // CPython 3.11+ `timeout`: connects here never block the log call.
            let _ = kw.take("timeout");
            let mut opts = SyslogOptions {
                facility,
                ..SyslogOptions::default()
            };
            if kind == Class::SysLog5424 {
                let text = |kw: &mut Kwargs, k: &str| -> Result<String, KwError> {
                    Ok(kw.take_str(k)?.map(|t| t.to_string()).unwrap_or_default())
                };
                let appname = text(kw, "appname")?;
                let msgid = text(kw, "msgid")?;
                let hostname = text(kw, "hostname")?;
                let bom = kw.take_bool("bom")?.unwrap_or(false);
                let utc_offset = match kw.take_int("utc_offset")? {
                    None => None,
                    Some(s) if s.abs() < 86_400 => Some(s as i32),
                    Some(s) => return Err(kwerr("utc_offset", format!("{s} is not an offset"))),
                };
                opts.framing = match kw.take_str("framing")?.as_deref() {
                    None | Some("octet-counting") => SyslogFraming::OctetCounting,
                    Some("newline") => SyslogFraming::NewLine,
                    Some("plain") => SyslogFraming::Plain,
                    Some(other) => {
                        return Err(kwerr(
                            "framing",
                            format!("'{other}': expected 'octet-counting', 'newline' or 'plain'"),
                        ))
                    }
                };
                // RFC 5424 messages carry no trailing NUL.
                opts.append_nul = false;
                opts.rfc5424 = Some(Rfc5424Options {
                    hostname,
                    appname,
                    msgid,
                    bom,
                    utc_offset,
                });
            }
            let what = if kind == Class::SysLog {
                "SysLogHandler()"
            } else {
                "SysLogHandler5424()"
            };
            std::mem::take(kw).finish(what)?;
            let sink = sink(env, class, "address")?;
            let endpoint = Endpoint::new(
                if tcp { Transport::Tcp } else { Transport::Udp },
                host.clone(),
                port,
            );
            allowed(&sink, &endpoint, "address")?;
            syslog_handler(sink, &host, port, tcp, opts, options)
        }
        Class::Http => {
            let (opts, endpoint) = http_options(kw, false)?;
            std::mem::take(kw).finish("HTTPHandler()")?;
            let sink = sink(env, class, "host")?;
            allowed(&sink, &endpoint, "host")?;
            http_handler(sink, opts, options).map_err(|e| kwerr("method", e.message()))?
        }
        Class::BufferingHttp => {
            let capacity = kw
                .take_count("capacity")?
                .filter(|c| *c > 0)
                .ok_or_else(|| kwerr("capacity", "a positive 'capacity' is required"))?;
            let content_type = kw.take_str("content_type")?;
            let body = match kw.take_str("body")?.as_deref() {
                None | Some("formatted") => BatchBody::Formatted(
                    content_type
                        .map_or_else(|| "text/plain; charset=utf-8".to_owned(), |t| t.to_string()),
                ),
                Some("records") if content_type.is_none() => BatchBody::Records,
                Some("records") => {
                    return Err(kwerr(
                        "content_type",
                        "record batches are always application/x-ndjson",
                    ))
                }
                Some(other) => {
                    return Err(kwerr(
                        "body",
                        format!("'{other}': expected 'formatted' or 'records'"),
                    ))
                }
            };
            let batch = batch_options(kw, capacity)?;
            let (opts, endpoint) = http_options(kw, true)?;
            std::mem::take(kw).finish("BufferingHTTPHandler()")?;
            let sink = sink(env, class, "host")?;
            allowed(&sink, &endpoint, "host")?;
            BufferingHttpHandler::new(sink, "BufferingHTTPHandler", opts, body, batch, options)
                .map_err(|e| kwerr("host", e.message()))?
        }
        Class::Otlp => {
            let capacity = match kw.take_count("capacity")? {
                None => 100,
                Some(c) if c > 0 => c,
                Some(_) => return Err(kwerr("capacity", "expected a positive integer")),
            };
            let resource = resource_of(kw.take("resource"))?;
            let mut batch = batch_options(kw, capacity)?;
            if batch.interval.is_none() {
                batch.interval = Some(1.0);
            }
            // OTLP/HTTP's defaults: the collector's port 4318 and path `/v1/logs`.
            for (key, default) in [("url", "/v1/logs"), ("host", "localhost:4318")] {
                let v = kw
                    .take(key)
                    .filter(|v| !matches!(v, Value::None))
                    .unwrap_or_else(|| Value::from(default));
                kw.push(Text::from(key), v);
            }
            let (opts, endpoint) = http_options(kw, true)?;
            std::mem::take(kw).finish("OTLPHandler()")?;
            let sink = sink(env, class, "host")?;
            allowed(&sink, &endpoint, "host")?;
            BufferingHttpHandler::new(
                sink,
                "OTLPHandler",
                opts,
                BatchBody::Otlp(resource),
                batch,
                options,
            )
            .map_err(|e| kwerr("host", e.message()))?
        }
        Class::WebSocket => {
            let url = kw
                .take_str("url")?
                .ok_or_else(|| kwerr("url", "missing required argument 'url'"))?;
            let url = WebSocketUrl::parse(&url).map_err(|e| kwerr("url", e.message()))?;
            std::mem::take(kw).finish("WebSocketHandler()")?;
            let sink = sink(env, class, "url")?;
            let (h, p) = crate::core::wire::http::parse_host(&url.host, url.secure)
                .map_err(|e| kwerr("url", e.to_string()))?;
            allowed(
                &sink,
                &Endpoint::new(Transport::http(url.secure), h, p),
                "url",
            )?;
            crate::core::handlers::websocket_handler(sink, url, options)
                .map_err(|e| kwerr("url", e.message()))?
        }
    };
    Ok(Some(handler))
}

/// `batch_bytes` and `interval` (seconds) of the batching handlers.
fn batch_options(kw: &mut Kwargs, capacity: usize) -> Result<BatchOptions, KwError> {
    let mut batch = BatchOptions {
        capacity,
        ..BatchOptions::default()
    };
    match kw.take_count("batch_bytes")? {
        None => {}
        Some(b) if b > 0 => batch.batch_bytes = b,
        Some(_) => return Err(kwerr("batch_bytes", "expected a positive integer")),
    }
    batch.interval = match kw.take("interval") {
        None | Some(Value::None) => None,
        Some(Value::Int(i)) if i >= 0 => Some(i as f64),
        Some(Value::Float(f)) if f.is_finite() && f >= 0.0 => Some(f),
        Some(other) => {
            return Err(kwerr(
                "interval",
                format!(
                    "expected a number of seconds (0 or more), got {}",
                    describe(&other)
                ),
            ))
        }
    };
    Ok(batch)
}

/// `resource`: a dict of OTLP resource attributes with string keys; `service.name` defaults
/// to `unknown_service`, as OpenTelemetry's SDKs do.
fn resource_of(v: Option<Value>) -> Result<Vec<(Text, Value)>, KwError> {
    let mut attrs = Vec::new();
    match v {
        None | Some(Value::None) => {}
        Some(Value::Dict(items)) => {
            for (k, v) in items.iter() {
                match k {
                    Value::Str(k) => attrs.push((k.clone(), v.clone())),
                    other => {
                        return Err(kwerr(
                            "resource",
                            format!("attribute names are strings, got {}", describe(other)),
                        ))
                    }
                }
            }
        }
        Some(other) => {
            return Err(kwerr(
                "resource",
                format!("expected a dict of attributes, got {}", describe(&other)),
            ))
        }
    }
    if !attrs.iter().any(|(k, _)| &**k == "service.name") {
        attrs.insert(
            0,
            (Text::from("service.name"), Value::from("unknown_service")),
        );
    }
    Ok(attrs)
}

/// `HTTPHandler`'s arguments (`host`, `url`, `method`, `secure`, `credentials`, `context`)
/// and the endpoint they name; `post_only` for the batching handler.
fn http_options(kw: &mut Kwargs, post_only: bool) -> Result<(HttpOptions, Endpoint), KwError> {
    let host = kw
        .take_str("host")?
        .ok_or_else(|| kwerr("host", "missing required argument 'host'"))?;
    let url = kw
        .take_str("url")?
        .ok_or_else(|| kwerr("url", "missing required argument 'url'"))?;
    let default = if post_only { "POST" } else { "GET" };
    let method = kw
        .take_str("method")?
        .map_or_else(|| default.to_owned(), |m| m.to_string());
    let allowed_methods: &[&str] = if post_only {
        &["POST"]
    } else {
        &["GET", "POST"]
    };
    if !allowed_methods.contains(&method.to_ascii_uppercase().as_str()) {
        return Err(kwerr(
            "method",
            if post_only {
                "batches are sent with POST"
            } else {
                "method must be 'GET' or 'POST'"
            },
        ));
    }
    let secure = kw.take_bool("secure")?.unwrap_or(false);
    let credentials = match kw.take("credentials") {
        None | Some(Value::None) => None,
        Some(Value::List(c)) | Some(Value::Tuple(c)) => match c.as_slice() {
            [Value::Str(u), Value::Str(p)] => Some((u.to_string(), p.to_string())),
            _ => {
                return Err(kwerr(
                    "credentials",
                    "expected [user, password] as two strings",
                ))
            }
        },
        Some(other) => {
            return Err(kwerr(
                "credentials",
                format!("expected [user, password], got {}", describe(&other)),
            ))
        }
    };
    if let Some(ctx) = kw.take("context") {
        if !matches!(ctx, Value::None) {
            return Err(kwerr(
                "context",
                "an SSL context cannot be configured here; the host's TLS defaults apply",
            ));
        }
    }
    let (h, p) = crate::core::wire::http::parse_host(&host, secure)
        .map_err(|e| kwerr("host", e.to_string()))?;
    let endpoint = Endpoint::new(Transport::http(secure), h, p);
    Ok((
        HttpOptions {
            host: host.to_string(),
            url: url.to_string(),
            method,
            secure,
            credentials,
        },
        endpoint,
    ))
}
