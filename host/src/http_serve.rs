//! `wasm-logging serve --http HOST:PORT`: the receiver, browser-facing.
//!
//! One HTTP/1.1 port (tiny_http, a few request threads) accepts:
//! - CPython's `HTTPHandler` at the log path (default `/log`): `GET` with the record's
//!   attributes in the query, `POST` with them urlencoded in the body. The values arrive as
//!   `str()` of each attribute; the record is rebuilt (numbers back to numbers, `"None"` back
//!   to `None`, `msg % args` merged when `args` is a tuple or dict of plain literals), see
//!   [`form_record`];
//! - NDJSON batches at `/batch` (or at the log path with an NDJSON, `text/plain` or JSON
//!   content type): one record dict per line (the `makePickle` keys, like the JSON frames of
//!   TCP/UDP), or one JSON array of dicts; an `Idempotency-Key` header or `?key=` makes a
//!   retried batch acknowledged without being dispatched again;
//! - OTLP/HTTP JSON at `/v1/logs` (`ExportLogsServiceRequest`), mapped back to records, see
//!   [`otlp_records`];
//! - WebSocket senders at `/ws` (each text message one record dict or an array of them) and
//!   viewers at `/ws/view`, which receive every record the receiver dispatches, from any
//!   transport, as JSON (a bounded queue per viewer: a slow viewer loses records, counted,
//!   never slowing the receiver);
//! - with `--www DIR`, static files (`GET`/`HEAD`, `index.html` for directories, no way out
//!   of DIR, not even through a symlink).
//!
//! Every record goes into the same bounded channel as the TCP/UDP frames, so the one thread
//! owning the component dispatches it in batches, into the same handlers and files.
//! Browsers' requests carry an `Origin`: it must be the receiver's own, or listed with
//! `--allow-origin` (`*` allows any), else 403 (counted as refused); preflights are answered.
//! Bodies beyond `--max-body` get 413, malformed ones 400; both count as rejected.

use std::collections::{HashSet, VecDeque};
use std::io::{ErrorKind, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, WebSocket};
use wasm_logging::core::pyfmt::percent::{percent_format, PercentArgs};
use wasm_logging::core::value::Value as CoreValue;

use crate::bindings::exports::wasm_logging::logging::loggers::Value;
use crate::serve::{fields_of, Fields, ServeStats};

/// What the HTTP receiver accepts.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// The address to listen on (port 0 picks one).
    pub addr: SocketAddr,
    /// Origins allowed besides the receiver's own (`scheme://host[:port]`, or `*`).
    pub allow_origins: Vec<String>,
    /// The largest request body, or WebSocket message, accepted, in bytes.
    pub max_body: usize,
    /// Where CPython's `HTTPHandler` sends (its `url`).
    pub log_path: String,
    /// A directory served as static files (`--www`).
    pub www: Option<PathBuf>,
    /// How many idempotency keys are remembered (the oldest are forgotten first).
    pub idempotency_keys: usize,
    /// How many records may wait for one viewer before its records are dropped.
    pub viewer_queue: usize,
}

impl HttpOptions {
    /// The defaults at `addr`: no other origin, 1 MiB bodies, `/log`, no static files,
    /// 10,000 keys, 1,024 records per viewer.
    pub fn new(addr: SocketAddr) -> HttpOptions {
        HttpOptions {
            addr,
            allow_origins: Vec::new(),
            max_body: 1 << 20,
            log_path: "/log".to_owned(),
            www: None,
            idempotency_keys: 10_000,
            viewer_queue: 1024,
        }
    }
}

/// How many threads take HTTP requests (WebSocket connections have their own).
const REQUEST_THREADS: usize = 4;

/// The longest idempotency key accepted.
const MAX_KEY: usize = 200;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug)]
struct Viewer {
    tx: SyncSender<Arc<str>>,
    dropped: Arc<AtomicU64>,
}

/// The WebSocket viewers connected at `/ws/view`.
#[derive(Debug, Default)]
pub struct Viewers {
    connected: AtomicUsize,
    list: Mutex<Vec<Viewer>>,
    /// Records not delivered to a viewer because its queue was full.
    pub drops: AtomicU64,
}

impl Viewers {
    /// Queues each record of `batch`, as JSON, for every connected viewer; never waits.
    pub fn publish(&self, batch: &[Fields]) {
        if self.connected.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut list = lock(&self.list);
        for fields in batch {
            let text: Arc<str> = record_json(fields).into();
            list.retain(|v| match v.tx.try_send(text.clone()) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    v.dropped.fetch_add(1, Ordering::Relaxed);
                    self.drops.fetch_add(1, Ordering::Relaxed);
                    true
                }
                Err(TrySendError::Disconnected(_)) => false,
            });
        }
        self.connected.store(list.len(), Ordering::Relaxed);
    }

    /// Disconnects every viewer once its queue is sent (the receiver has stopped).
    pub fn close(&self) {
        lock(&self.list).clear();
        self.connected.store(0, Ordering::Relaxed);
    }

    /// How many viewers are connected.
    pub fn connected(&self) -> usize {
        self.connected.load(Ordering::Relaxed)
    }

    fn add(&self, queue: usize) -> (Receiver<Arc<str>>, Arc<AtomicU64>) {
        let (tx, rx) = mpsc::sync_channel(queue.max(1));
        let dropped = Arc::new(AtomicU64::new(0));
        let mut list = lock(&self.list);
        list.push(Viewer {
            tx,
            dropped: dropped.clone(),
        });
        self.connected.store(list.len(), Ordering::Relaxed);
        (rx, dropped)
    }
}

/// A record's fields as one JSON object (non-finite floats as `null`).
pub fn record_json(fields: &Fields) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::Value::String(k.clone()).to_string());
        out.push_str(": ");
        match v {
            Value::None => out.push_str("null"),
            Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str("null"),
            },
            Value::Str(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
        }
    }
    out.push('}');
    out
}

/// The idempotency keys seen most recently.
struct Keys {
    seen: HashSet<String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl Keys {
    /// Records `key`; `false` when it was already there.
    fn insert(&mut self, key: &str) -> bool {
        if self.seen.contains(key) {
            return false;
        }
        self.seen.insert(key.to_owned());
        self.order.push_back(key.to_owned());
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        true
    }

    fn forget(&mut self, key: &str) {
        self.seen.remove(key);
        self.order.retain(|k| k != key);
    }
}

struct Shared {
    server: Server,
    options: HttpOptions,
    www: Option<cap_std::fs::Dir>,
    tx: SyncSender<Fields>,
    stats: Arc<ServeStats>,
    stop: Arc<AtomicBool>,
    keys: Mutex<Keys>,
    websockets: Arc<AtomicUsize>,
    max_websockets: usize,
}

/// Binds `options.addr` and starts the request threads; records go to `tx`. Returns the
/// address bound.
pub fn start(
    options: &HttpOptions,
    max_websockets: usize,
    tx: SyncSender<Fields>,
    stats: Arc<ServeStats>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<SocketAddr> {
    let www = match &options.www {
        Some(dir) => Some(
            cap_std::fs::Dir::open_ambient_dir(dir, cap_std::ambient_authority()).map_err(|e| {
                std::io::Error::new(e.kind(), format!("--www {}: {e}", dir.display()))
            })?,
        ),
        None => None,
    };
    let server = Server::http(options.addr).map_err(|e| {
        std::io::Error::new(
            ErrorKind::AddrNotAvailable,
            format!("--http {}: {e}", options.addr),
        )
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| std::io::Error::other("--http: not an IP address"))?;
    let shared = Arc::new(Shared {
        server,
        options: options.clone(),
        www,
        tx,
        stats,
        stop,
        keys: Mutex::new(Keys {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: options.idempotency_keys.max(1),
        }),
        websockets: Arc::new(AtomicUsize::new(0)),
        max_websockets,
    });
    for i in 0..REQUEST_THREADS {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name(format!("serve http {i}"))
            .spawn(move || {
                while !shared.stop.load(Ordering::Relaxed) {
                    match shared.server.recv_timeout(Duration::from_millis(100)) {
                        Ok(Some(request)) => handle(&shared, request),
                        Ok(None) => {}
                        Err(e) => {
                            eprintln!("wasm-logging serve: http: {e}");
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                }
            })?;
    }
    Ok(addr)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn hdr(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).unwrap())
}

/// The `Access-Control-Allow-Origin` a response carries (`None`: no `Origin` was sent).
type Cors = Option<String>;

fn respond(request: Request, status: u16, content_type: &str, body: &str, cors: &Cors) {
    let mut response = Response::from_string(body)
        .with_status_code(status)
        .with_header(hdr("Content-Type", content_type))
        .with_header(hdr("X-Content-Type-Options", "nosniff"));
    if let Some(origin) = cors {
        response = response
            .with_header(hdr("Access-Control-Allow-Origin", origin))
            .with_header(hdr("Vary", "Origin"));
    }
    if status == 413 {
        // The rest of an oversized body is not read: the connection cannot go on.
        response = response.with_header(hdr("Connection", "close"));
    }
    // A client that went away before its answer loses nothing we owe it.
    let _ = request.respond(response);
}

fn json_error(message: &str) -> String {
    format!(
        "{{\"error\": {}}}",
        serde_json::Value::String(message.to_owned())
    )
}

/// `Some(allow-origin value)` when `origin` may talk to this receiver.
fn origin_allowed(options: &HttpOptions, origin: &str, host: Option<&str>) -> Option<String> {
    let same = origin
        .split_once("://")
        .is_some_and(|(_, authority)| host.is_some_and(|h| h.eq_ignore_ascii_case(authority)));
    if same
        || options
            .allow_origins
            .iter()
            .any(|o| o.eq_ignore_ascii_case(origin))
    {
        Some(origin.to_owned())
    } else if options.allow_origins.iter().any(|o| o == "*") {
        Some("*".to_owned())
    } else {
        None
    }
}

fn handle(shared: &Shared, mut request: Request) {
    let url = request.url().to_owned();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (url.clone(), String::new()),
    };
    let cors: Cors = match header(&request, "Origin") {
        None => None,
        Some(origin) => match origin_allowed(&shared.options, origin, header(&request, "Host")) {
            Some(allow) => Some(allow),
            None => {
                shared.stats.refused.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "wasm-logging serve: http {path}: origin {origin} is not allowed (--allow-origin)"
                );
                let body = json_error(&format!("origin {origin} is not allowed"));
                respond(request, 403, "application/json", &body, &None);
                return;
            }
        },
    };
    let method = request.method().clone();
    if method == Method::Options {
        let allow_headers = header(&request, "Access-Control-Request-Headers")
            .unwrap_or("Content-Type, Idempotency-Key")
            .to_owned();
        let mut response = Response::empty(204)
            .with_header(hdr("Allow", "GET, HEAD, POST, OPTIONS"))
            .with_header(hdr(
                "Access-Control-Allow-Methods",
                "GET, HEAD, POST, OPTIONS",
            ))
            .with_header(hdr("Access-Control-Allow-Headers", &allow_headers))
            .with_header(hdr("Access-Control-Max-Age", "600"));
        if let Some(origin) = &cors {
            response = response
                .with_header(hdr("Access-Control-Allow-Origin", origin))
                .with_header(hdr("Vary", "Origin"));
        }
        let _ = request.respond(response);
        return;
    }
    let upgrade = header(&request, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    if path == "/ws" || path == "/ws/view" {
        if !upgrade {
            respond(
                request,
                426,
                "application/json",
                &json_error("a WebSocket endpoint"),
                &cors,
            );
            return;
        }
        websocket(shared, request, path == "/ws/view", &cors);
        return;
    }
    let content_type = header(&request, "Content-Type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_log = path == shared.options.log_path;
    if method == Method::Post && (path == "/batch" || path == "/v1/logs" || is_log) {
        let body = match read_body(&mut request, shared.options.max_body) {
            Ok(b) => b,
            Err((status, message)) => {
                shared.stats.rejected.fetch_add(1, Ordering::Relaxed);
                eprintln!("wasm-logging serve: http {path}: {message}");
                respond(
                    request,
                    status,
                    "application/json",
                    &json_error(&message),
                    &cors,
                );
                return;
            }
        };
        if path == "/v1/logs" {
            otlp(shared, request, &query, &content_type, &body, &cors);
        } else if is_log && content_type == "application/x-www-form-urlencoded" {
            form(shared, request, &body, &cors);
        } else {
            batch(shared, request, &query, &body, &cors);
        }
        return;
    }
    if method == Method::Get && is_log {
        form(shared, request, query.as_bytes(), &cors);
        return;
    }
    if (method == Method::Get || method == Method::Head) && shared.www.is_some() {
        static_file(shared, request, &path, &cors);
        return;
    }
    let status = if path == "/batch" || path == "/v1/logs" || is_log {
        405
    } else {
        404
    };
    respond(
        request,
        status,
        "application/json",
        &json_error(&format!("{method} {path}: no such endpoint")),
        &cors,
    );
}

fn read_body(request: &mut Request, max: usize) -> Result<Vec<u8>, (u16, String)> {
    if let Some(n) = request.body_length() {
        if n > max {
            return Err((413, format!("a body of {n} bytes (the limit is {max})")));
        }
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(max as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| (400, format!("reading the body: {e}")))?;
    if body.len() > max {
        return Err((413, format!("a body over {max} bytes")));
    }
    Ok(body)
}

/// Sends `records` to the dispatcher; `false` if it has stopped.
fn deliver(shared: &Shared, records: Vec<Fields>) -> bool {
    records.into_iter().all(|r| shared.tx.send(r).is_ok())
}

fn reject(shared: &Shared, request: Request, path: &str, message: &str, count: u64, cors: &Cors) {
    shared.stats.rejected.fetch_add(count, Ordering::Relaxed);
    eprintln!("wasm-logging serve: http {path}: rejected: {message}");
    respond(request, 400, "application/json", &json_error(message), cors);
}

fn stopping(request: Request, cors: &Cors) {
    respond(
        request,
        503,
        "application/json",
        &json_error("the receiver is stopping"),
        cors,
    );
}

/// CPython's `HTTPHandler`: one record, its attributes urlencoded.
fn form(shared: &Shared, request: Request, data: &[u8], cors: &Cors) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(data)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match form_record(&pairs) {
        Ok(fields) => {
            if deliver(shared, vec![fields]) {
                respond(request, 200, "application/json", "{\"accepted\": 1}", cors);
            } else {
                stopping(request, cors);
            }
        }
        Err(e) => reject(shared, request, &shared.options.log_path, &e, 1, cors),
    }
}

/// Attributes whose `None` arrives as the text `"None"`.
const NULLABLE: [&str; 9] = [
    "args",
    "exc_info",
    "exc_text",
    "stack_info",
    "taskName",
    "thread",
    "threadName",
    "process",
    "processName",
];

/// The record `HTTPHandler` sent (`urlencode(record.__dict__)`: every value is its `str()`),
/// rebuilt: `levelno`, `lineno`, `process`, `thread` become ints and `created`, `msecs`,
/// `relativeCreated` floats (kept as text if they do not parse); `"None"` is `None` again for
/// the attributes CPython leaves `None`; `exc_info` (a traceback cannot travel) is dropped;
/// when `args` is the repr of a tuple or dict of plain literals, `msg % args` is merged into
/// `msg` and `args` becomes `None`, as `makePickle` does; other `args` are dropped and `msg`
/// stays as sent. Without a `msg` it is not a record.
pub fn form_record(pairs: &[(String, String)]) -> Result<Fields, String> {
    if !pairs.iter().any(|(k, _)| k == "msg") {
        return Err("not a LogRecord's attributes (no msg)".to_owned());
    }
    let mut fields: Fields = Vec::with_capacity(pairs.len());
    let mut args: Option<String> = None;
    for (k, v) in pairs {
        let value = if NULLABLE.contains(&k.as_str()) && v == "None" {
            Value::None
        } else {
            match k.as_str() {
                "levelno" | "lineno" | "process" | "thread" => v
                    .parse::<i64>()
                    .map_or_else(|_| Value::Str(v.clone()), Value::Int),
                "created" | "msecs" | "relativeCreated" => v
                    .parse::<f64>()
                    .map_or_else(|_| Value::Str(v.clone()), Value::Float),
                "exc_info" => Value::None,
                "args" => {
                    args = Some(v.clone());
                    continue;
                }
                _ => Value::Str(v.clone()),
            }
        };
        fields.push((k.clone(), value));
    }
    if let Some(args) = args {
        if let Some(parsed) = py_literal(&args) {
            let msg = fields.iter_mut().find(|(k, _)| k == "msg");
            if let Some((_, Value::Str(msg))) = msg {
                let call = match &parsed {
                    CoreValue::Tuple(items) if items.is_empty() => None,
                    CoreValue::Tuple(items) => Some(PercentArgs::Tuple(items)),
                    CoreValue::Dict(_) => Some(PercentArgs::Single(&parsed)),
                    _ => None,
                };
                if let Some(call) = call {
                    let mut out = String::new();
                    if percent_format(msg, call, &mut out).is_ok() {
                        *msg = out;
                    }
                }
            }
        }
        fields.push(("args".to_owned(), Value::None));
    }
    Ok(fields)
}

/// The value of a Python `repr` made only of tuples, lists, dicts, strings, ints, floats,
/// `True`, `False` and `None`; `None` for anything else.
pub fn py_literal(text: &str) -> Option<CoreValue> {
    let mut p = Lit {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value()?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct Lit<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lit<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<CoreValue> {
        self.ws();
        let c = *self.s.get(self.i)?;
        match c {
            b'(' | b'[' => {
                self.i += 1;
                let close = if c == b'(' { b')' } else { b']' };
                let mut items = Vec::new();
                let mut trailing_comma = false;
                while !self.eat(close) {
                    items.push(self.value()?);
                    trailing_comma = self.eat(b',');
                    if !trailing_comma {
                        if !self.eat(close) {
                            return None;
                        }
                        break;
                    }
                }
                if c == b'(' {
                    // `(x)` is x itself, `(x,)` a tuple.
                    if items.len() == 1 && !trailing_comma {
                        return items.pop();
                    }
                    Some(CoreValue::Tuple(items.into()))
                } else {
                    Some(CoreValue::List(items.into()))
                }
            }
            b'{' => {
                self.i += 1;
                let mut items = Vec::new();
                while !self.eat(b'}') {
                    let k = self.value()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    items.push((k, self.value()?));
                    if !self.eat(b',') {
                        if !self.eat(b'}') {
                            return None;
                        }
                        break;
                    }
                }
                Some(CoreValue::Dict(items.into()))
            }
            b'\'' | b'"' => self.string(c),
            _ => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_')
                }) {
                    self.i += 1;
                }
                let word = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                match word {
                    "None" => Some(CoreValue::None),
                    "True" => Some(CoreValue::Bool(true)),
                    "False" => Some(CoreValue::Bool(false)),
                    _ => {
                        if let Ok(i) = word.parse::<i64>() {
                            Some(CoreValue::Int(i))
                        } else if word.contains(['.', 'e', 'E'])
                            && word.bytes().next().is_some_and(|b| b != b'e' && b != b'E')
                        {
                            word.parse::<f64>().ok().map(CoreValue::Float)
                        } else {
                            None
                        }
                    }
                }
            }
        }
    }

    fn string(&mut self, quote: u8) -> Option<CoreValue> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let rest = std::str::from_utf8(&self.s[self.i..]).ok()?;
            let c = rest.chars().next()?;
            self.i += c.len_utf8();
            if c as u32 == u32::from(quote) {
                return Some(CoreValue::Str(out.into()));
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let e = *self.s.get(self.i)?;
            self.i += 1;
            let hex = |p: &mut Self, n: usize| -> Option<char> {
                let h = std::str::from_utf8(p.s.get(p.i..p.i + n)?).ok()?;
                p.i += n;
                char::from_u32(u32::from_str_radix(h, 16).ok()?)
            };
            out.push(match e {
                b'\\' => '\\',
                b'\'' => '\'',
                b'"' => '"',
                b'n' => '\n',
                b't' => '\t',
                b'r' => '\r',
                b'x' => hex(self, 2)?,
                b'u' => hex(self, 4)?,
                b'U' => hex(self, 8)?,
                _ => return None,
            });
        }
    }
}

/// Records in `text`: one JSON array of dicts, or one dict per line (blank lines skipped).
/// Returns the records and the errors of the lines (or items) that are not records.
pub fn decode_records(text: &str) -> (Vec<Fields>, Vec<String>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        match wasm_logging::core::config::json::parse_json(trimmed) {
            Ok(CoreValue::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match fields_of(item) {
                        Ok(f) => good.push(f),
                        Err(e) => bad.push(format!("item {i}: {e}")),
                    }
                }
            }
            Ok(_) => bad.push("not a list of record dictionaries".to_owned()),
            Err(e) => bad.push(format!("JSON: {e}")),
        }
        return (good, bad);
    }
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let decoded = if line.starts_with('{') {
            wasm_logging::core::config::json::parse_json(line)
                .map_err(|e| format!("JSON: {e}"))
                .and_then(|v| fields_of(&v))
        } else {
            Err("not a JSON record dictionary".to_owned())
        };
        match decoded {
            Ok(f) => good.push(f),
            Err(e) => bad.push(format!("line {}: {e}", n + 1)),
        }
    }
    (good, bad)
}

fn query_param(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// What a request's idempotency key says.
enum Claim {
    /// No key, or one not seen recently (now remembered).
    New(Option<String>),
    /// A key seen recently: the request is a retry (counted as a duplicate).
    Seen,
    /// A key that is too long.
    Bad(String),
}

/// The request's `Idempotency-Key` header, or its `?key=` (beacons cannot set headers),
/// remembered if new.
fn claim_key(shared: &Shared, request: &Request, query: &str) -> Claim {
    let key = header(request, "Idempotency-Key")
        .map(str::to_owned)
        .or_else(|| query_param(query, "key"));
    match key {
        None => Claim::New(None),
        Some(key) if key.len() > MAX_KEY => {
            Claim::Bad(format!("an idempotency key over {MAX_KEY} bytes"))
        }
        Some(key) => {
            if lock(&shared.keys).insert(&key) {
                Claim::New(Some(key))
            } else {
                shared.stats.duplicates.fetch_add(1, Ordering::Relaxed);
                Claim::Seen
            }
        }
    }
}

/// NDJSON (or a JSON array) at `/batch` or the log path.
fn batch(shared: &Shared, request: Request, query: &str, body: &[u8], cors: &Cors) {
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    let Ok(text) = std::str::from_utf8(body) else {
        reject(shared, request, &path, "the body is not UTF-8", 1, cors);
        return;
    };
    let (good, bad) = decode_records(text);
    if good.is_empty() {
        let message = bad
            .first()
            .cloned()
            .unwrap_or_else(|| "an empty batch".to_owned());
        reject(
            shared,
            request,
            &path,
            &message,
            bad.len().max(1) as u64,
            cors,
        );
        return;
    }
    let key = match claim_key(shared, &request, query) {
        Claim::New(key) => key,
        Claim::Seen => {
            respond(
                request,
                200,
                "application/json",
                "{\"accepted\": 0, \"duplicate\": true}",
                cors,
            );
            return;
        }
        Claim::Bad(message) => {
            reject(shared, request, &path, &message, 1, cors);
            return;
        }
    };
    let accepted = good.len();
    if !deliver(shared, good) {
        if let Some(key) = &key {
            lock(&shared.keys).forget(key);
        }
        stopping(request, cors);
        return;
    }
    if !bad.is_empty() {
        shared
            .stats
            .rejected
            .fetch_add(bad.len() as u64, Ordering::Relaxed);
        eprintln!(
            "wasm-logging serve: http {path}: {} of {} lines rejected (first: {})",
            bad.len(),
            bad.len() + accepted,
            bad[0]
        );
    }
    let body = format!(
        "{{\"accepted\": {accepted}, \"rejected\": {}{}}}",
        bad.len(),
        bad.first()
            .map(|e| format!(", \"error\": {}", serde_json::Value::String(e.clone())))
            .unwrap_or_default()
    );
    respond(request, 200, "application/json", &body, cors);
}

/// The Python level of an OTLP `severityNumber` (the nearest lower one; below 9 `DEBUG`).
pub fn otlp_level(severity: i64) -> i64 {
    match severity {
        i64::MIN..=8 => 10,
        9..=12 => 20,
        13..=16 => 30,
        17..=20 => 40,
        _ => 50,
    }
}

fn level_name(levelno: i64) -> String {
    match levelno {
        0 => "NOTSET".to_owned(),
        10 => "DEBUG".to_owned(),
        20 => "INFO".to_owned(),
        30 => "WARNING".to_owned(),
        40 => "ERROR".to_owned(),
        50 => "CRITICAL".to_owned(),
        n => format!("Level {n}"),
    }
}

fn json_int(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// An OTLP `AnyValue` as a record value: scalars as themselves, the rest as JSON text.
fn any_value(v: &serde_json::Value) -> Value {
    if let Some(s) = v.get("stringValue").and_then(|s| s.as_str()) {
        return Value::Str(s.to_owned());
    }
    if let Some(b) = v.get("boolValue").and_then(|b| b.as_bool()) {
        return Value::Boolean(b);
    }
    if let Some(i) = v.get("intValue").and_then(json_int) {
        return Value::Int(i);
    }
    if let Some(f) = v.get("doubleValue").and_then(|f| f.as_f64()) {
        return Value::Float(f);
    }
    match v.as_object().and_then(|o| o.values().next()) {
        Some(inner) => Value::Str(inner.to_string()),
        None => Value::None,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => if *b { "True" } else { "False" }.to_owned(),
        Value::None => "None".to_owned(),
    }
}

fn set(fields: &mut Fields, key: &str, value: Value) {
    match fields.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => fields.push((key.to_owned(), value)),
    }
}

/// One OTLP `logRecord` under scope `scope` as a record: scope name → `name` (empty:
/// `root`), `severityNumber` → `levelno`/`levelname` ([`otlp_level`]; 0 or absent: the
/// `severityText` if it is a level name, else `NOTSET`), `body` → `msg`, `timeUnixNano` (or
/// `observedTimeUnixNano`) → `created`/`msecs`, `code.filepath`/`code.file.path` →
/// `pathname`/`filename`/`module`, `code.lineno`/`code.line.number` → `lineno`,
/// `code.function`/`code.function.name` → `funcName`, `thread.id`/`thread.name` →
/// `thread`/`threadName`, `process.pid` → `process`, `exception.stacktrace` → `exc_text`,
/// `traceId`/`spanId` → `trace_id`/`span_id` (the extras wasm-logging's `OTLPHandler` reads
/// them from) and `otelTraceID`/`otelSpanID` (OpenTelemetry's Python names), every other
/// attribute → an extra of its name.
pub fn otlp_record(
    scope: &str,
    resource_pid: Option<i64>,
    r: &serde_json::Value,
) -> Result<Fields, String> {
    let obj = r.as_object().ok_or("a logRecord that is not an object")?;
    let name = if scope.is_empty() { "root" } else { scope };
    let mut fields: Fields = vec![("name".to_owned(), Value::Str(name.to_owned()))];
    let severity = obj.get("severityNumber").and_then(json_int).unwrap_or(0);
    let levelno = if severity > 0 {
        otlp_level(severity)
    } else {
        match obj
            .get("severityText")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_ascii_uppercase()
            .as_str()
        {
            "DEBUG" => 10,
            "INFO" => 20,
            "WARN" | "WARNING" => 30,
            "ERROR" => 40,
            "FATAL" | "CRITICAL" => 50,
            _ => 0,
        }
    };
    fields.push(("levelno".to_owned(), Value::Int(levelno)));
    fields.push(("levelname".to_owned(), Value::Str(level_name(levelno))));
    let msg = obj.get("body").map_or(Value::Str(String::new()), |b| {
        Value::Str(value_text(&any_value(b)))
    });
    fields.push(("msg".to_owned(), msg));
    fields.push(("args".to_owned(), Value::None));
    let ns = ["timeUnixNano", "observedTimeUnixNano"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(json_int))
        .find(|n| *n > 0);
    if let Some(ns) = ns {
        fields.push(("created".to_owned(), Value::Float(ns as f64 / 1e9)));
        fields.push((
            "msecs".to_owned(),
            Value::Float(((ns % 1_000_000_000) / 1_000_000) as f64),
        ));
    }
    if let Some(pid) = resource_pid {
        fields.push(("process".to_owned(), Value::Int(pid)));
    }
    for (k, names) in [
        ("traceId", ["trace_id", "otelTraceID"]),
        ("spanId", ["span_id", "otelSpanID"]),
    ] {
        if let Some(id) = obj
            .get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        {
            for name in names {
                fields.push((name.to_owned(), Value::Str(id.to_owned())));
            }
        }
    }
    let attributes = obj.get("attributes").and_then(|a| a.as_array());
    for a in attributes.into_iter().flatten() {
        let key = a
            .get("key")
            .and_then(|k| k.as_str())
            .ok_or("an attribute without a key")?;
        let value = a.get("value").map_or(Value::None, any_value);
        match key {
            "code.filepath" | "code.file.path" => {
                let path = value_text(&value);
                let filename = path.rsplit(['/', '\\']).next().unwrap_or("").to_owned();
                let module = filename
                    .rsplit_once('.')
                    .map_or(filename.clone(), |(stem, _)| stem.to_owned());
                set(&mut fields, "pathname", Value::Str(path));
                set(&mut fields, "filename", Value::Str(filename));
                set(&mut fields, "module", Value::Str(module));
            }
            "code.lineno" | "code.line.number" => set(&mut fields, "lineno", value),
            "code.function" | "code.function.name" => {
                set(&mut fields, "funcName", Value::Str(value_text(&value)))
            }
            "thread.id" => set(&mut fields, "thread", value),
            "process.pid" => set(&mut fields, "process", value),
            "thread.name" => set(&mut fields, "threadName", Value::Str(value_text(&value))),
            "exception.stacktrace" => set(&mut fields, "exc_text", value),
            _ => set(&mut fields, key, value),
        }
    }
    Ok(fields)
}

/// The records of an `ExportLogsServiceRequest` (JSON), and the errors of the log records
/// that are not records.
pub fn otlp_records(doc: &serde_json::Value) -> Result<(Vec<Fields>, Vec<String>), String> {
    let resources = doc
        .get("resourceLogs")
        .and_then(|r| r.as_array())
        .ok_or("not an ExportLogsServiceRequest (no resourceLogs list)")?;
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for resource in resources {
        let pid = resource
            .pointer("/resource/attributes")
            .and_then(|a| a.as_array())
            .and_then(|a| {
                a.iter()
                    .find(|kv| kv.get("key").and_then(|k| k.as_str()) == Some("process.pid"))
            })
            .and_then(|kv| kv.get("value"))
            .and_then(|v| v.get("intValue"))
            .and_then(json_int);
        let scopes = resource.get("scopeLogs").and_then(|s| s.as_array());
        for scope_logs in scopes.into_iter().flatten() {
            let scope = scope_logs
                .pointer("/scope/name")
                .and_then(|n| n.as_str())
                .unwrap_or("");
            let records = scope_logs.get("logRecords").and_then(|l| l.as_array());
            for r in records.into_iter().flatten() {
                match otlp_record(scope, pid, r) {
                    Ok(f) => good.push(f),
                    Err(e) => bad.push(e),
                }
            }
        }
    }
    Ok((good, bad))
}

/// OTLP/HTTP with JSON encoding: 200 with `{}`, or with `partialSuccess` naming the log
/// records rejected.
fn otlp(
    shared: &Shared,
    request: Request,
    query: &str,
    content_type: &str,
    body: &[u8],
    cors: &Cors,
) {
    if content_type == "application/x-protobuf" {
        shared.stats.rejected.fetch_add(1, Ordering::Relaxed);
        eprintln!("wasm-logging serve: http /v1/logs: protobuf is not accepted (JSON only)");
        respond(
            request,
            415,
            "application/json",
            &json_error("OTLP/HTTP JSON only (Content-Type: application/json)"),
            cors,
        );
        return;
    }
    let parsed = serde_json::from_slice::<serde_json::Value>(body)
        .map_err(|e| format!("JSON: {e}"))
        .and_then(|doc| otlp_records(&doc));
    let (good, bad) = match parsed {
        Ok(x) => x,
        Err(e) => {
            reject(shared, request, "/v1/logs", &e, 1, cors);
            return;
        }
    };
    let key = if good.is_empty() {
        None
    } else {
        match claim_key(shared, &request, query) {
            Claim::New(key) => key,
            // A retry of an export already accepted: success, nothing dispatched again.
            Claim::Seen => {
                respond(request, 200, "application/json", "{}", cors);
                return;
            }
            Claim::Bad(message) => {
                reject(shared, request, "/v1/logs", &message, 1, cors);
                return;
            }
        }
    };
    if !deliver(shared, good) {
        if let Some(key) = &key {
            lock(&shared.keys).forget(key);
        }
        stopping(request, cors);
        return;
    }
    let answer = if bad.is_empty() {
        "{}".to_owned()
    } else {
        shared
            .stats
            .rejected
            .fetch_add(bad.len() as u64, Ordering::Relaxed);
        eprintln!(
            "wasm-logging serve: http /v1/logs: {} log records rejected (first: {})",
            bad.len(),
            bad[0]
        );
        format!(
            "{{\"partialSuccess\": {{\"rejectedLogRecords\": \"{}\", \"errorMessage\": {}}}}}",
            bad.len(),
            serde_json::Value::String(bad[0].clone())
        )
    };
    respond(request, 200, "application/json", &answer, cors);
}

fn content_type_of(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "txt" | "log" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file of `--www`: `..`, absolute paths and symlinks out of the directory are refused by
/// the capability-based directory itself; a directory serves its `index.html`.
fn static_file(shared: &Shared, request: Request, path: &str, cors: &Cors) {
    let Some(dir) = &shared.www else { return };
    let not_found = |request: Request| {
        respond(
            request,
            404,
            "application/json",
            &json_error(&format!("{path}: not found")),
            cors,
        )
    };
    let Some(decoded) = percent_decode(path) else {
        not_found(request);
        return;
    };
    let mut rel = decoded.trim_start_matches('/').to_owned();
    if rel.contains('\0') || rel.contains('\\') || rel.split('/').any(|c| c == "..") {
        not_found(request);
        return;
    }
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    } else if dir.metadata(&rel).is_ok_and(|m| m.is_dir()) {
        rel.push_str("/index.html");
    }
    match dir.open(&rel) {
        Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => {
            let file = file.into_std();
            let mut response = Response::from_file(file)
                .with_header(hdr("Content-Type", content_type_of(&rel)))
                .with_header(hdr("X-Content-Type-Options", "nosniff"))
                .with_header(hdr("Cache-Control", "no-cache"));
            if let Some(origin) = cors {
                response = response
                    .with_header(hdr("Access-Control-Allow-Origin", origin))
                    .with_header(hdr("Vary", "Origin"));
            }
            let _ = request.respond(response);
        }
        _ => not_found(request),
    }
}

/// Upgrades `request` to a WebSocket: a sender's messages are records; a viewer gets every
/// dispatched record.
fn websocket(shared: &Shared, request: Request, viewer: bool, cors: &Cors) {
    let Some(key) = header(&request, "Sec-WebSocket-Key").map(str::to_owned) else {
        reject(
            shared,
            request,
            "/ws",
            "a WebSocket upgrade without Sec-WebSocket-Key",
            1,
            cors,
        );
        return;
    };
    if shared.websockets.load(Ordering::Relaxed) >= shared.max_websockets {
        eprintln!("wasm-logging serve: http /ws: too many WebSocket connections; refused");
        respond(
            request,
            503,
            "application/json",
            &json_error("too many WebSocket connections"),
            cors,
        );
        return;
    }
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = Response::empty(101).with_header(hdr("Sec-WebSocket-Accept", &accept));
    shared.stats.connections.fetch_add(1, Ordering::Relaxed);
    shared.websockets.fetch_add(1, Ordering::Relaxed);
    let stream = request.upgrade("websocket", response);
    let config = WebSocketConfig::default()
        .max_message_size(Some(shared.options.max_body))
        .max_frame_size(Some(shared.options.max_body));
    let ws = WebSocket::from_raw_socket(stream, Role::Server, Some(config));
    let tx = shared.tx.clone();
    let stats = shared.stats.clone();
    let queue = shared.options.viewer_queue;
    let websockets = shared.websockets.clone();
    let spawned = std::thread::Builder::new()
        .name(if viewer { "serve ws view" } else { "serve ws" }.into())
        .spawn(move || {
            if viewer {
                view(ws, &stats, queue);
            } else {
                receive(ws, &tx, &stats);
            }
            websockets.fetch_sub(1, Ordering::Relaxed);
        });
    if spawned.is_err() {
        shared.websockets.fetch_sub(1, Ordering::Relaxed);
        eprintln!("wasm-logging serve: http /ws: no thread for the connection");
    }
}

/// A sender's connection: each text (or UTF-8 binary) message is one record dict or an
/// array of them; a message that is not is rejected and counted, and the connection goes on.
fn receive<S: Read + std::io::Write>(
    mut ws: WebSocket<S>,
    tx: &SyncSender<Fields>,
    stats: &ServeStats,
) {
    loop {
        let text = match ws.read() {
            Ok(Message::Text(t)) => t.as_str().to_owned(),
            Ok(Message::Binary(b)) => match String::from_utf8(b.to_vec()) {
                Ok(t) => t,
                Err(_) => {
                    stats.rejected.fetch_add(1, Ordering::Relaxed);
                    eprintln!("wasm-logging serve: ws: a binary message that is not UTF-8");
                    continue;
                }
            },
            Ok(_) => continue,
            Err(tungstenite::Error::Capacity(e)) => {
                stats.rejected.fetch_add(1, Ordering::Relaxed);
                eprintln!("wasm-logging serve: ws: {e}; closing the connection");
                return;
            }
            Err(_) => return,
        };
        let (good, bad) = decode_records(&text);
        if good.is_empty() && bad.is_empty() {
            continue;
        }
        if !bad.is_empty() {
            stats
                .rejected
                .fetch_add(bad.len() as u64, Ordering::Relaxed);
            eprintln!("wasm-logging serve: ws: rejected: {}", bad[0]);
        }
        for f in good {
            if tx.send(f).is_err() {
                return;
            }
        }
    }
}

/// A viewer's connection: every dispatched record as a JSON text message; after records were
/// dropped for it, `{"dropped": N}` (its total so far) before the next one.
fn view<S: Read + std::io::Write>(mut ws: WebSocket<S>, stats: &ServeStats, queue: usize) {
    let (rx, dropped) = stats.viewers.add(queue);
    let mut told = 0;
    let mut idle = 0u32;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(text) => {
                idle = 0;
                let now = dropped.load(Ordering::Relaxed);
                if now != told {
                    told = now;
                    if ws
                        .send(Message::text(format!("{{\"dropped\": {now}}}")))
                        .is_err()
                    {
                        return;
                    }
                }
                if ws.send(Message::text(text.to_string())).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                // A viewer that went away while nothing flowed is noticed by a ping every
                // 10 s, so its queue does not wait for records forever.
                idle += 1;
                if idle >= 50 {
                    idle = 0;
                    if ws.send(Message::Ping(Default::default())).is_err() {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                // The receiver has stopped and everything dispatched has been sent.
                let _ = ws.close(None);
                let _ = ws.flush();
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn get<'a>(f: &'a Fields, k: &str) -> &'a Value {
        &f.iter().find(|(n, _)| n == k).unwrap().1
    }

    #[test]
    fn http_handler_forms_are_rebuilt() {
        let f = form_record(&pairs(&[
            ("name", "a"),
            ("msg", "%s is %d%%"),
            ("args", "('x\\'y', 3)"),
            ("levelno", "20"),
            ("created", "1700000000.25"),
            ("msecs", "250.0"),
            ("taskName", "None"),
            (
                "exc_info",
                "(<class 'ValueError'>, ValueError('v'), <traceback object>)",
            ),
            ("lineno", "nope"),
        ]))
        .unwrap();
        assert_eq!(*get(&f, "msg"), Value::Str("x'y is 3%".to_owned()));
        assert_eq!(*get(&f, "args"), Value::None);
        assert_eq!(*get(&f, "levelno"), Value::Int(20));
        assert_eq!(*get(&f, "created"), Value::Float(1700000000.25));
        assert_eq!(*get(&f, "taskName"), Value::None);
        assert_eq!(*get(&f, "exc_info"), Value::None);
        assert_eq!(*get(&f, "lineno"), Value::Str("nope".to_owned()));
        // A dict argument; an argument that is no literal leaves msg as sent.
        let f = form_record(&pairs(&[("msg", "%(a)s"), ("args", "{'a': [1, None]}")])).unwrap();
        assert_eq!(*get(&f, "msg"), Value::Str("[1, None]".to_owned()));
        let f = form_record(&pairs(&[
            ("msg", "obj %s"),
            ("args", "(<object object at 0x7f>,)"),
        ]))
        .unwrap();
        assert_eq!(*get(&f, "msg"), Value::Str("obj %s".to_owned()));
        assert!(form_record(&pairs(&[("name", "a")])).is_err());
    }

    #[test]
    fn python_literals() {
        let v = py_literal("('a', \"b\\n\", -3, 2.5e3, True, None, (1,), [], {})").unwrap();
        let mut s = String::new();
        wasm_logging::core::pyfmt::write_repr(&v, &mut s).unwrap();
        assert_eq!(s, "('a', 'b\\n', -3, 2500.0, True, None, (1,), [], {})");
        assert!(py_literal("(1, 2").is_none());
        assert!(py_literal("(os.system,)").is_none());
        assert!(py_literal("'\\u00e9\\x41'")
            .is_some_and(|v| matches!(v, CoreValue::Str(s) if &*s == "éA")));
    }

    #[test]
    fn origins() {
        let mut o = HttpOptions::new(SocketAddr::from(([127, 0, 0, 1], 0)));
        o.allow_origins = vec!["https://app.example".to_owned()];
        let host = Some("127.0.0.1:8080");
        assert_eq!(
            origin_allowed(&o, "https://app.example", host).as_deref(),
            Some("https://app.example")
        );
        assert_eq!(
            origin_allowed(&o, "http://127.0.0.1:8080", host).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_allowed(&o, "https://evil.example", host), None);
        o.allow_origins.push("*".to_owned());
        assert_eq!(
            origin_allowed(&o, "https://evil.example", host).as_deref(),
            Some("*")
        );
    }

    #[test]
    fn a_slow_viewer_loses_records_counted_and_never_blocks() {
        let viewers = Viewers::default();
        let (rx, dropped) = viewers.add(2);
        let batch: Vec<Fields> = (0..5)
            .map(|i| vec![("msg".to_owned(), Value::Int(i))])
            .collect();
        viewers.publish(&batch);
        assert_eq!(dropped.load(Ordering::Relaxed), 3);
        assert_eq!(viewers.drops.load(Ordering::Relaxed), 3);
        assert_eq!(&*rx.recv().unwrap(), "{\"msg\": 0}");
        drop(rx);
        viewers.publish(&batch);
        assert_eq!(viewers.connected(), 0);
    }

    #[test]
    fn otlp_levels() {
        let levels: Vec<i64> = [1, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24]
            .iter()
            .map(|s| otlp_level(*s))
            .collect();
        assert_eq!(levels, [10, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50]);
    }
}
