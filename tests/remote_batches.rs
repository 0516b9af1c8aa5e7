//! The batching HTTP handlers (`wasm_logging.BufferingHTTPHandler` with `"body": "records"`,
//! `wasm_logging.OTLPHandler`) against a recording sink and a fixed clock: batches by count,
//! bytes and interval; NDJSON lines equal to `JSONSocketHandler`'s dicts; an
//! `Idempotency-Key` per batch; OTLP bodies parsed by the real OTLP protobuf schema
//! (`opentelemetry-proto` + `protobuf`, `json_format.Parse` without `ignore_unknown_fields`);
//! a sink's `Retry-After` and permanent refusals honoured by the delivery engine.
// Native only: processes (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::Base;
use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::core::error::{Error, Result};
use wasm_logging::{host, ConnectionId, Endpoint, RemoteSink, SendStatus, Stream};

const T0: i64 = 1_700_000_000_000_000_000;

/// A collector that takes every request, or fails them while `down`, optionally asking for a
/// `Retry-After`, or refusing the next `reject` requests for good.
#[derive(Default)]
struct Recorder {
    down: Cell<bool>,
    retry_after: Cell<Option<f64>>,
    reject: Cell<u32>,
    rejected: RefCell<Option<String>>,
    opens: RefCell<Vec<i64>>,
    frames: RefCell<Vec<Vec<u8>>>,
}

impl RemoteSink for Recorder {
    fn check(&self, _e: &Endpoint) -> Result<()> {
        Ok(())
    }
    fn open(&self, _e: &Endpoint) -> Result<ConnectionId> {
        self.opens.borrow_mut().push(host::now_ns().0);
        Ok(1)
    }
    fn send(&self, _conn: ConnectionId, frame: &[u8]) -> Result<SendStatus> {
        if self.down.get() {
            return Err(Error::os_error("HTTP 503 Service Unavailable"));
        }
        if self.reject.get() > 0 {
            self.reject.set(self.reject.get() - 1);
            *self.rejected.borrow_mut() = Some("HTTP 400 Bad Request".to_owned());
            return Ok(SendStatus::Sent);
        }
        self.frames.borrow_mut().push(frame.to_vec());
        Ok(SendStatus::Sent)
    }
    fn close(&self, _conn: ConnectionId) -> Result<()> {
        Ok(())
    }
    fn retry_after(&self, _e: &Endpoint) -> Option<f64> {
        self.retry_after.get()
    }
    fn take_rejection(&self, _conn: ConnectionId) -> Option<String> {
        self.rejected.borrow_mut().take()
    }
}

fn configure(b: &Base, sink: &Rc<Recorder>, handlers: &str) {
    configure_root(b, sink, handlers, r#"["h"]"#);
}

fn configure_root(b: &Base, sink: &Rc<Recorder>, handlers: &str, root: &str) {
    let env = ConfigEnv {
        remote: Some(sink.clone()),
        ..ConfigEnv::default()
    };
    let config = parse_json(&format!(
        r#"{{"version": 1, "handlers": {handlers},
            "root": {{"handlers": {root}, "level": "DEBUG"}}}}"#
    ))
    .unwrap();
    dict_config_with(&b.manager, &env, &config).unwrap();
}

/// (head, body) of a raw request.
fn split(frame: &[u8]) -> (String, String) {
    let text = String::from_utf8(frame.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.to_owned(), body.to_owned())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(": ")?;
        k.eq_ignore_ascii_case(name).then_some(v)
    })
}

fn is_uuid4(k: &str) -> bool {
    let p: Vec<&str> = k.split('-').collect();
    p.iter().map(|s| s.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && p[2].starts_with('4')
        && k.bytes()
            .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// A fresh base, a fixed clock at `t` (installed) and a recording remote sink.
fn start(t: i64) -> (Base, Rc<host::FixedClock>, Rc<Recorder>) {
    let b = Base::new();
    let clock = Rc::new(host::FixedClock::new(t));
    host::install_clock(clock.clone());
    (b, clock, Rc::new(Recorder::default()))
}

#[test]
fn ndjson_batches_hold_json_socket_handler_dicts_and_a_key_each() {
    let (b, _clock, sink) = start(T0);
    configure_root(
        &b,
        &sink,
        r#"{"h": {"class": "wasm_logging.BufferingHTTPHandler", "host": "collector:8080",
                  "url": "/ingest", "capacity": 3, "body": "records"},
            "j": {"class": "wasm_logging.JSONSocketHandler", "host": "collector", "port": 9020}}"#,
        r#"["h", "j"]"#,
    );
    // The JSON socket handler sees the same records: its frames are the reference dicts.
    let app = b.logger("app");
    for i in 0..7 {
        app.info(format!("record %d é \"{i}\""), (i,));
    }
    let posts = |sink: &Recorder| -> Vec<Vec<u8>> {
        sink.frames
            .borrow()
            .iter()
            .filter(|f| f.starts_with(b"POST"))
            .cloned()
            .collect()
    };
    // Two full batches of 3; the 7th waits for flush.
    assert_eq!(posts(&sink).len(), 2);
    wasm_logging::core::handlers::remote::flush_all();
    let frames = posts(&sink);
    let reference: Vec<String> = sink
        .frames
        .borrow()
        .iter()
        .filter(|f| !f.starts_with(b"POST"))
        .map(|f| String::from_utf8(f[4..].to_vec()).unwrap())
        .collect();
    assert_eq!(frames.len(), 3);
    let mut keys = Vec::new();
    let mut lines = Vec::new();
    for f in &frames {
        let (head, body) = split(f);
        assert!(head.starts_with("POST /ingest HTTP/1.1\r\n"), "{head}");
        assert_eq!(header(&head, "Host"), Some("collector:8080"));
        assert_eq!(header(&head, "Content-type"), Some("application/x-ndjson"));
        assert_eq!(
            header(&head, "Content-length"),
            Some(body.len().to_string().as_str())
        );
        let key = header(&head, "Idempotency-Key").unwrap().to_owned();
        assert!(is_uuid4(&key), "{key}");
        keys.push(key);
        assert!(body.ends_with('\n'));
        lines.extend(body.lines().map(str::to_owned));
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3, "one key per batch");
    assert_eq!(lines.len(), 7);
    // Each line is exactly json.dumps of makePickle's dict, as JSONSocketHandler frames it.
    assert_eq!(lines, reference);
    for (i, line) in lines.iter().enumerate() {
        let v = parse_json(line).unwrap();
        let wasm_logging::Value::Dict(items) = v else {
            panic!("{line}")
        };
        let get = |k: &str| {
            items
                .iter()
                .find(|(key, _)| matches!(key, wasm_logging::Value::Str(s) if s.as_str() == k))
                .map(|(_, v)| wasm_logging::core::jsonfmt::dumps(v).unwrap())
        };
        assert_eq!(
            get("msg").as_deref(),
            Some(format!("\"record {i} \\u00e9 \\\"{i}\\\"\"").as_str())
        );
        assert_eq!(get("args").as_deref(), Some("null"));
        assert_eq!(get("exc_info").as_deref(), Some("null"));
        assert_eq!(get("message"), None);
        assert_eq!(get("levelname").as_deref(), Some("\"INFO\""));
        // ensure_ascii, json.dumps separators.
        assert!(
            line.contains("\\u00e9") && line.contains("\"args\": null, \"levelname\": \"INFO\"")
        );
    }
}

#[test]
fn batches_close_at_batch_bytes_and_after_the_interval() {
    let (b, clock, sink) = start(T0);
    configure(
        &b,
        &sink,
        r#"{"h": {"class": "wasm_logging.BufferingHTTPHandler", "host": "collector:8080",
                  "url": "/ingest", "capacity": 1000, "body": "records",
                  "batch_bytes": 2000, "interval": 2.5}}"#,
    );
    let app = b.logger("app");
    for i in 0..20 {
        app.info(format!("{i:0>200}"), ());
    }
    let sizes: Vec<usize> = sink
        .frames
        .borrow()
        .iter()
        .map(|f| split(f).1.len())
        .collect();
    assert!(!sizes.is_empty());
    assert!(sizes.iter().all(|s| *s <= 2000), "{sizes:?}");
    let sent: usize = sink
        .frames
        .borrow()
        .iter()
        .map(|f| split(f).1.lines().count())
        .sum();
    let waiting = 20 - sent;
    assert!(waiting > 0);
    // Not yet due: a pump sends nothing.
    clock.now_ns.set(T0 + 2_400_000_000);
    wasm_logging::core::handlers::remote::pump();
    let n = sink.frames.borrow().len();
    assert_eq!(n, sizes.len());
    // Due: the rest goes as one more batch.
    clock.now_ns.set(T0 + 2_500_000_000);
    wasm_logging::core::handlers::remote::pump();
    let frames = sink.frames.borrow();
    assert_eq!(frames.len(), n + 1);
    assert_eq!(split(&frames[n]).1.lines().count(), waiting);
}

#[test]
fn retry_after_wins_over_a_shorter_back_off_and_the_key_is_kept() {
    let (b, clock, sink) = start(T0);
    configure(
        &b,
        &sink,
        r#"{"h": {"class": "wasm_logging.BufferingHTTPHandler", "host": "collector:8080",
                  "url": "/ingest", "capacity": 2, "body": "records"}}"#,
    );
    sink.down.set(true);
    sink.retry_after.set(Some(7.0));
    let app = b.logger("app");
    app.info("a", ());
    app.info("b", ());
    assert_eq!(sink.frames.borrow().len(), 0);
    sink.down.set(false);
    // The back-off alone would retry after 1 s; the peer asked for 7.
    clock.now_ns.set(T0 + 6_900_000_000);
    wasm_logging::core::handlers::remote::pump();
    assert_eq!(sink.frames.borrow().len(), 0);
    clock.now_ns.set(T0 + 7_000_000_000);
    wasm_logging::core::handlers::remote::pump();
    assert_eq!(sink.frames.borrow().len(), 1);
    let opens = sink.opens.borrow().clone();
    assert_eq!(opens, [T0, T0 + 7_000_000_000]);
    let err = b.stderr.text(Stream::Stderr);
    assert!(err.contains("retrying in 7 s"), "{err}");
}

#[test]
fn a_permanent_refusal_drops_the_request_and_reports_it() {
    let b = Base::new();
    let sink = Rc::new(Recorder::default());
    configure(
        &b,
        &sink,
        r#"{"h": {"class": "logging.handlers.HTTPHandler", "host": "collector:8080",
                  "url": "/log", "method": "POST"}}"#,
    );
    sink.reject.set(1);
    let app = b.logger("app");
    app.info("refused", ());
    app.info("taken", ());
    let frames = sink.frames.borrow();
    assert_eq!(frames.len(), 1);
    assert!(split(&frames[0]).1.contains("msg=taken"));
    let err = b.stderr.text(Stream::Stderr);
    assert!(
        err.contains(
            "HTTPHandler to collector:8080 (http): HTTP 400 Bad Request; the request was dropped"
        ),
        "{err}"
    );
}

/// Parses `body` with the real schema and prints what the test asserts.
fn otlp_parse(body: &str) -> String {
    let python = format!(
        "{}/.cache/wasm-logging/otlp-venv/bin/python",
        std::env::var("HOME").unwrap()
    );
    assert!(
        std::path::Path::new(&python).exists(),
        "{python} is missing: run scripts/setup.sh (it installs opentelemetry-proto + protobuf)"
    );
    let code = r#"
import sys, json, base64
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
req = json_format.Parse(sys.stdin.read(), ExportLogsServiceRequest())
out = []
for rl in req.resource_logs:
    res = {a.key: a.value.string_value for a in rl.resource.attributes}
    for sl in rl.scope_logs:
        for r in sl.log_records:
            attrs = {}
            for a in r.attributes:
                kind = a.value.WhichOneof("value")
                attrs[a.key] = [kind, str(getattr(a.value, kind)) if kind not in ("array_value", "kvlist_value") else json_format.MessageToJson(a.value, indent=None)]
            out.append([res, sl.scope.name, r.time_unix_nano, r.severity_number, r.severity_text,
                        r.body.string_value, attrs,
                        # OTLP/JSON spells ids in hex where protobuf's JSON mapping reads
                        # base64: give back the text protobuf decoded, to compare with ours.
                        base64.b64encode(r.trace_id).decode(), base64.b64encode(r.span_id).decode()])
print(json.dumps(out, sort_keys=True))
"#;
    let mut child = std::process::Command::new(&python)
        .args(["-c", code])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "json_format.Parse refused the body: {}\n{body}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn otlp_bodies_parse_as_export_logs_service_requests() {
    let (b, _clock, sink) = start(T0 + 123_456_789);
    configure(
        &b,
        &sink,
        r#"{"h": {"class": "wasm_logging.OTLPHandler", "host": "otel:4318",
                  "resource": {"service.name": "shop", "deployment.environment": "test"}}}"#,
    );
    b.logger("app.db").log(15, "between %s", ("levels",));
    b.logger("app").info("plain", ());
    b.logger("app.db").warning("with extra", ());
    let extra = wasm_logging::LogOptions {
        extra: vec![
            ("user".into(), wasm_logging::Value::from("ada")),
            ("n".into(), wasm_logging::Value::Int(1 << 60)),
            ("ratio".into(), wasm_logging::Value::Float(0.25)),
            (
                "tags".into(),
                wasm_logging::Value::list([wasm_logging::Value::from("a")]),
            ),
            (
                "trace_id".into(),
                wasm_logging::Value::from("5b8efff798038103d269b633813fc60c"),
            ),
            (
                "span_id".into(),
                wasm_logging::Value::from("eee19b7ec3c1b174"),
            ),
        ],
        ..wasm_logging::LogOptions::default()
    };
    b.logger("app").log_with(40, "boom", (), extra);
    b.logger("app").critical("last", ());
    wasm_logging::core::handlers::remote::flush_all();
    let frames = sink.frames.borrow();
    assert_eq!(frames.len(), 1);
    let (head, body) = split(&frames[0]);
    assert!(head.starts_with("POST /v1/logs HTTP/1.1\r\n"), "{head}");
    assert_eq!(header(&head, "Host"), Some("otel:4318"));
    assert_eq!(header(&head, "Content-type"), Some("application/json"));
    assert!(is_uuid4(header(&head, "Idempotency-Key").unwrap()));
    let parsed: serde_like::Out = serde_like::parse(&otlp_parse(&body));
    // Scopes in order of first appearance: app.db's two records, then app's three.
    let got: Vec<(String, i64, String, String)> = parsed
        .iter()
        .map(|r| (r.scope.clone(), r.severity, r.text.clone(), r.body.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "app.db".into(),
                8,
                "Level 15".into(),
                "between levels".into()
            ),
            ("app.db".into(), 13, "WARNING".into(), "with extra".into()),
            ("app".into(), 9, "INFO".into(), "plain".into()),
            ("app".into(), 17, "ERROR".into(), "boom".into()),
            ("app".into(), 21, "CRITICAL".into(), "last".into()),
        ]
    );
    assert!(parsed
        .iter()
        .all(|r| r.time == (T0 + 123_456_789).to_string()));
    assert!(parsed
        .iter()
        .all(|r| r.resource == r#"{"deployment.environment": "test", "service.name": "shop"}"#));
    let boom = &parsed[3];
    // The spec's hex ids (not protobuf's base64), as the Collector reads them.
    assert!(body
        .contains(r#""traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174""#));
    assert_eq!(boom.trace, "5b8efff798038103d269b633813fc60c");
    assert_eq!(boom.span, "eee19b7ec3c1b174");
    for needle in [
        r#""user": ["string_value", "ada"]"#,
        r#""n": ["int_value", "1152921504606846976"]"#,
        r#""ratio": ["double_value", "0.25"]"#,
        r#""code.line.number": ["int_value", "#,
        r#""code.function.name": ["string_value", "#,
    ] {
        assert!(boom.attrs.contains(needle), "{needle} in {}", boom.attrs);
    }
    assert!(!boom.attrs.contains("trace_id"), "{}", boom.attrs);
}

/// A tiny reader for the test's own JSON output (no serde in dev-dependencies).
mod serde_like {
    use wasm_logging::core::config::json::parse_json;
    use wasm_logging::Value;

    pub struct Rec {
        pub resource: String,
        pub scope: String,
        pub time: String,
        pub severity: i64,
        pub text: String,
        pub body: String,
        pub attrs: String,
        pub trace: String,
        pub span: String,
    }
    pub type Out = Vec<Rec>;

    fn s(v: &Value) -> String {
        match v {
            Value::Str(t) => t.to_string(),
            Value::Int(i) => i.to_string(),
            other => wasm_logging::core::jsonfmt::dumps(other).unwrap(),
        }
    }

    pub fn parse(text: &str) -> Out {
        let Value::List(rows) = parse_json(text).unwrap() else {
            panic!("{text}")
        };
        rows.iter()
            .map(|r| {
                let Value::List(f) = r else { panic!() };
                Rec {
                    resource: s(&f[0]),
                    scope: s(&f[1]),
                    time: s(&f[2]),
                    severity: match f[3] {
                        Value::Int(i) => i,
                        _ => -1,
                    },
                    text: s(&f[4]),
                    body: s(&f[5]),
                    attrs: s(&f[6]),
                    trace: s(&f[7]),
                    span: s(&f[8]),
                }
            })
            .collect()
    }
}

#[test]
fn websocket_frames_are_posts_asking_for_an_upgrade_with_one_record_dict_each() {
    let b = Base::new();
    let sink = Rc::new(Recorder::default());
    configure(
        &b,
        &sink,
        r#"{"h": {"class": "wasm_logging.WebSocketHandler", "url": "ws://collector:9000/ws"}}"#,
    );
    b.logger("app").info("one %s", ("é",));
    let frames = sink.frames.borrow();
    assert_eq!(frames.len(), 1);
    let (head, body) = split(&frames[0]);
    assert!(head.starts_with("POST /ws HTTP/1.1\r\n"), "{head}");
    assert_eq!(header(&head, "Host"), Some("collector:9000"));
    assert_eq!(header(&head, "Upgrade"), Some("websocket"));
    assert_eq!(header(&head, "Content-type"), Some("application/json"));
    assert!(
        body.starts_with("{\"name\": \"app\", \"msg\": \"one \\u00e9\", \"args\": null"),
        "{body}"
    );
    assert!(!body.contains('\n'));
}

#[test]
fn a_websocket_url_that_is_not_ws_fails_at_its_path() {
    let b = Base::new();
    let sink = Rc::new(Recorder::default());
    let env = ConfigEnv {
        remote: Some(sink.clone()),
        ..ConfigEnv::default()
    };
    let config = parse_json(
        r#"{"version": 1, "handlers": {"h": {"class": "wasm_logging.WebSocketHandler",
            "url": "http://collector/ws"}}, "root": {"handlers": ["h"]}}"#,
    )
    .unwrap();
    let err = dict_config_with(&b.manager, &env, &config).unwrap_err();
    assert_eq!(err.path(), "handlers.h.url");
    assert!(
        err.message().contains("expected a ws:// or wss:// URL"),
        "{err}"
    );
    assert!(sink.opens.borrow().is_empty());
}
