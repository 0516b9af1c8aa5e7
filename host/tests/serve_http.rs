//! `wasm-logging serve --http`: the real binary, the real component, real sockets.
//! - CPython 3.13's own `HTTPHandler` (GET and POST), `SocketHandler` and NDJSON of
//!   `makePickle`'s dict into one serve: the lines its rotating file gets equal CPython
//!   formatting the same records locally;
//! - NDJSON batches (idempotency by header and by `?key=`, beacons' `text/plain`, JSON
//!   arrays, partly and wholly malformed bodies), OTLP/HTTP JSON, CORS, 413, static files;
//! - WebSocket senders and viewers (tungstenite's client);
//! - concurrent clients, and a stop that drains what was accepted.
#![cfg(not(target_arch = "wasm32"))]

mod common;

#[path = "../../tests/remote/harness.rs"]
mod harness;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use harness::{python, root};

/// A running `wasm-logging serve --http 127.0.0.1:0`.
struct Serve {
    announced: harness::Announced,
    dir: PathBuf,
    http: u16,
    tcp: u16,
}

impl Serve {
    fn start(config: &str, args: &[&str]) -> Serve {
        let dir = common::temp_dir("serve-http");
        std::fs::write(dir.join("config.json"), config).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasm-logging"));
        cmd.arg("serve")
            .arg("--config")
            .arg(dir.join("config.json"))
            .arg("--log-dir")
            .arg(dir.join("logs"))
            .args(["--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
            .args(args);
        let announced = harness::Announced::start(cmd, &["http", "tcp"]);
        Serve {
            dir,
            http: announced.port("http"),
            tcp: announced.port("tcp"),
            announced,
        }
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.join("logs").join(name)
    }

    /// Waits until `name` has `n` lines (at most 20 s); returns its lines.
    fn lines(&self, name: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(self.log(name)).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if lines.len() >= n || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then (stdout, stderr lines, the directory).
    fn stop(self) -> (String, Vec<String>, PathBuf) {
        let (out, err) = self.announced.stop();
        (out, err, self.dir)
    }
}

/// The stop summary lines of serve's stderr.
fn summary(err: &[String]) -> Vec<String> {
    err.iter()
        .filter(|l| {
            l.starts_with("wasm-logging serve: http: ")
                || l.ends_with(" rejected") && l.contains(" received, ")
        })
        .cloned()
        .collect()
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection.
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server refusing a large body may close before reading it all.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn post(port: u16, path: &str, content_type: &str, body: &str) -> Resp {
    request(
        port,
        "POST",
        path,
        &[("Content-Type", content_type)],
        body.as_bytes(),
    )
}

/// A dictConfig writing `format` to a rotating `app.log`.
fn file_config(format: &str) -> String {
    format!(
        r#"{{"version": 1,
            "formatters": {{"f": {{"format": {}}}}},
            "handlers": {{"file": {{"class": "logging.handlers.RotatingFileHandler",
                                   "filename": "app.log", "maxBytes": 1000000,
                                   "backupCount": 2, "formatter": "f"}}}},
            "root": {{"level": "DEBUG", "handlers": ["file"]}}}}"#,
        serde_json::Value::String(format.to_owned())
    )
}

const SIMPLE: &str =
    "%(name)s|%(levelname)s|%(lineno)d|%(funcName)s|%(created).3f|%(msecs)03d|%(message)s";

#[test]
fn cpythons_http_handler_and_socket_handler_land_in_the_same_file_as_cpython_formats_them() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let format = "%(name)s|%(levelname)s|%(levelno)d|%(pathname)s|%(filename)s|%(module)s|\
                  %(lineno)d|%(funcName)s|%(created)f|%(msecs)d|%(process)d|%(processName)s|\
                  %(thread)d|%(threadName)s|%(user)s|%(message)s";
    let serve = Serve::start(&file_config(format), &[]);
    let out = Command::new(&py)
        .arg(root().join("host/tests/python/http_sender.py"))
        .args(["--http", &serve.http.to_string()])
        .args(["--tcp", &serve.tcp.to_string()])
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(reference.len(), 9);
    let ours = serve.lines("app.log", 9);
    assert_eq!(ours, reference);
    // The messages, spelled out (CPython's `msg % args` for tuples and a dict).
    let messages: Vec<&str> = ours.iter().map(|l| l.rsplit('|').next().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "GET plain",
            "GET user ann logged in from 10.0.0.1",
            "GET 97% full, 'quote\\'s \"here\"'",
            "POST x&y=z and 2",
            "POST unicode héllo ✓ — 1.5",
            "POST no args, 100%% literal %s",
            "NDJSON text and 5",
            "NDJSON unicode ✓ ü",
            "TCP from a WASI-like sender too",
        ]
    );
    let (_, err, _) = serve.stop();
    assert_eq!(
        summary(&err),
        [
            "wasm-logging serve: 9 received, 0 rejected",
            "wasm-logging serve: http: 0 refused (origin), 0 duplicate batches, 0 dropped for slow viewers",
        ]
    );
}

#[test]
fn ndjson_batches_once_per_idempotency_key_with_beacons_arrays_and_malformed_lines() {
    let serve = Serve::start(&file_config(SIMPLE), &[]);
    let line = |name: &str, msg: &str, created: f64| {
        format!(
            r#"{{"name": "{name}", "msg": "{msg}", "args": null, "levelname": "INFO", "levelno": 20, "pathname": "app.js", "lineno": 7, "funcName": "click", "created": {created}, "msecs": {}}}"#,
            ((created * 1000.0).round() as i64 % 1000)
        )
    };
    let batch = format!(
        "{}\n{}\n",
        line("web.ui", "first", 1700000000.25),
        line("web.ui", "second", 1700000000.5)
    );
    let h = [
        ("Content-Type", "application/x-ndjson"),
        ("Idempotency-Key", "batch-1"),
    ];
    let r = request(serve.http, "POST", "/batch", &h, batch.as_bytes());
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, r#"{"accepted": 2, "rejected": 0}"#)
    );
    // A retry of the same batch: acknowledged, not dispatched again.
    let r = request(serve.http, "POST", "/batch", &h, batch.as_bytes());
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, r#"{"accepted": 0, "duplicate": true}"#)
    );
    // A beacon: text/plain, the key in the query; then its retry.
    let beacon = line("web.beacon", "unload", 1700000001.0);
    for _ in 0..2 {
        let r = post(
            serve.http,
            "/batch?key=beacon-9",
            "text/plain;charset=UTF-8",
            &beacon,
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // The log path takes NDJSON by its content type; a JSON array is one batch too.
    let r = post(
        serve.http,
        "/log",
        "application/x-ndjson",
        &line("web.log", "via the log path", 1700000002.0),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let array = format!(
        "[{}, {}]",
        line("web.arr", "a0", 1700000003.0),
        line("web.arr", "a1", 1700000003.001)
    );
    let r = post(serve.http, "/batch", "application/json", &array);
    assert_eq!(r.body, r#"{"accepted": 2, "rejected": 0}"#);
    // One malformed line among good ones: the good ones go, the bad one is counted.
    let mixed = format!(
        "{}\nnot json\n{{\"name\": \"x\", \"msg\": \n",
        line("web.mixed", "kept", 1700000004.0)
    );
    let r = post(serve.http, "/batch", "application/x-ndjson", &mixed);
    assert_eq!(r.status, 200);
    assert!(
        r.body.starts_with(
            r#"{"accepted": 1, "rejected": 2, "error": "line 2: not a JSON record dictionary""#
        ),
        "{}",
        r.body
    );
    // Wholly malformed bodies: 400, nothing dispatched.
    for (body, rejected) in [
        ("garbage\n[1,2\n", 2),
        ("", 1),
        ("[1, 2]", 2),
        ("{\"a\": 1", 1),
    ] {
        let r = post(serve.http, "/batch", "application/x-ndjson", body);
        assert_eq!(r.status, 400, "{body:?}: {}", r.body);
        let _ = rejected;
    }
    let r = request(
        serve.http,
        "POST",
        "/batch",
        &[("Content-Type", "text/plain")],
        b"{\"name\": \"\xff\"}",
    );
    assert_eq!(
        (r.status, r.body.as_str()),
        (400, r#"{"error": "the body is not UTF-8"}"#)
    );
    let lines = serve.lines("app.log", 7);
    assert_eq!(
        lines,
        [
            "web.ui|INFO|7|click|1700000000.250|250|first",
            "web.ui|INFO|7|click|1700000000.500|500|second",
            "web.beacon|INFO|7|click|1700000001.000|000|unload",
            "web.log|INFO|7|click|1700000002.000|000|via the log path",
            "web.arr|INFO|7|click|1700000003.000|000|a0",
            "web.arr|INFO|7|click|1700000003.001|001|a1",
            "web.mixed|INFO|7|click|1700000004.000|000|kept",
        ]
    );
    let (_, err, _) = serve.stop();
    // Rejected: 2 lines of the mixed batch, then 2 + 1 + 2 + 1 + 1 (not UTF-8).
    assert_eq!(
        summary(&err),
        [
            "wasm-logging serve: 7 received, 9 rejected",
            "wasm-logging serve: http: 0 refused (origin), 2 duplicate batches, 0 dropped for slow viewers",
        ]
    );
}

#[test]
fn otlp_json_log_records_become_python_records() {
    let serve = Serve::start(
        &file_config(&format!(
            "{SIMPLE}|%(pathname)s|%(filename)s|%(module)s|%(user_id)s|%(trace_id)s|%(otelSpanID)s|%(process)d"
        )),
        &[],
    );
    let attrs = r#"[{"key": "code.filepath", "value": {"stringValue": "/srv/app/views.py"}},
                    {"key": "code.lineno", "value": {"intValue": "42"}},
                    {"key": "code.function", "value": {"stringValue": "index"}},
                    {"key": "user_id", "value": {"intValue": 7}}]"#;
    let record = |sev: u32, body: &str, ns: &str| {
        format!(
            r#"{{"timeUnixNano": "{ns}", "severityNumber": {sev}, "body": {{"stringValue": "{body}"}},
                "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
                "attributes": {attrs}}}"#
        )
    };
    let doc = format!(
        r#"{{"resourceLogs": [{{"resource": {{"attributes": [{{"key": "process.pid", "value": {{"intValue": "4242"}}}}]}}, "scopeLogs": [
             {{"scope": {{"name": "shop.checkout"}}, "logRecords": [{}, {}, {}, {}]}},
             {{"scope": {{"name": ""}}, "logRecords": [{}, 17]}}]}}]}}"#,
        record(5, "debug", "1700000000123456789"),
        record(9, "info", "1700000000999000000"),
        record(14, "warn2", "1700000001000000000"),
        record(21, "fatal", "1700000002500000000"),
        record(18, "root error", "1700000003000000000"),
    );
    let h = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", "otlp-1"),
    ];
    let r = request(serve.http, "POST", "/v1/logs", &h, doc.as_bytes());
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        r#"{"partialSuccess": {"rejectedLogRecords": "1", "errorMessage": "a logRecord that is not an object"}}"#
    );
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    // The same export again (a retry): success, not dispatched twice; so is a beacon's.
    let r = request(serve.http, "POST", "/v1/logs", &h, doc.as_bytes());
    assert_eq!((r.status, r.body.as_str()), (200, "{}"));
    let r = post(serve.http, "/v1/logs?key=otlp-1", "text/plain", &doc);
    assert_eq!((r.status, r.body.as_str()), (200, "{}"));
    let r = post(
        serve.http,
        "/v1/logs",
        "application/json",
        r#"{"resourceLogs": []}"#,
    );
    assert_eq!((r.status, r.body.as_str()), (200, "{}"));
    let r = post(
        serve.http,
        "/v1/logs",
        "application/json",
        "{\"resourceLogs\": 3}",
    );
    assert_eq!(r.status, 400);
    let r = post(serve.http, "/v1/logs", "application/x-protobuf", "\x0a\x00");
    assert_eq!(r.status, 415);
    let tail =
        "/srv/app/views.py|views.py|views|7|5b8efff798038103d269b633813fc60c|eee19b7ec3c1b174|4242";
    assert_eq!(
        serve.lines("app.log", 5),
        [
            format!("shop.checkout|DEBUG|42|index|1700000000.123|123|debug|{tail}"),
            format!("shop.checkout|INFO|42|index|1700000000.999|999|info|{tail}"),
            format!("shop.checkout|WARNING|42|index|1700000001.000|000|warn2|{tail}"),
            format!("shop.checkout|CRITICAL|42|index|1700000002.500|500|fatal|{tail}"),
            format!("root|ERROR|42|index|1700000003.000|000|root error|{tail}"),
        ]
    );
    let (_, err, _) = serve.stop();
    assert_eq!(
        summary(&err),
        [
            "wasm-logging serve: 5 received, 3 rejected",
            "wasm-logging serve: http: 0 refused (origin), 2 duplicate batches, 0 dropped for slow viewers",
        ]
    );
}

#[test]
fn cors_preflights_refusals_body_limit_and_unknown_paths() {
    let serve = Serve::start(
        &file_config(SIMPLE),
        &[
            "--allow-origin",
            "https://app.example",
            "--max-body",
            "1000",
        ],
    );
    let ok = r#"{"name": "cors", "msg": "allowed", "created": 1700000000.0, "msecs": 0.0}"#;
    // The preflight a browser sends before a POST with an Idempotency-Key.
    let pre = request(
        serve.http,
        "OPTIONS",
        "/batch",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,idempotency-key",
            ),
        ],
        b"",
    );
    assert_eq!(pre.status, 204);
    assert_eq!(
        pre.header("Access-Control-Allow-Origin"),
        Some("https://app.example")
    );
    assert_eq!(
        pre.header("Access-Control-Allow-Headers"),
        Some("content-type,idempotency-key")
    );
    assert_eq!(
        pre.header("Access-Control-Allow-Methods"),
        Some("GET, HEAD, POST, OPTIONS")
    );
    let r = request(
        serve.http,
        "POST",
        "/batch",
        &[
            ("Origin", "https://app.example"),
            ("Content-Type", "application/x-ndjson"),
        ],
        ok.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("https://app.example")
    );
    // The receiver's own origin (a page it serves) needs no listing.
    let own = format!("http://127.0.0.1:{}", serve.http);
    let r = request(
        serve.http,
        "POST",
        "/batch",
        &[("Origin", &own), ("Content-Type", "application/x-ndjson")],
        ok.as_bytes(),
    );
    assert_eq!(r.status, 200);
    // Another origin: refused, preflight or not, and nothing dispatched.
    for method in ["OPTIONS", "POST"] {
        let r = request(
            serve.http,
            method,
            "/batch",
            &[
                ("Origin", "https://evil.example"),
                ("Content-Type", "text/plain"),
            ],
            ok.as_bytes(),
        );
        assert_eq!(r.status, 403, "{method}");
        assert_eq!(r.header("Access-Control-Allow-Origin"), None);
        assert_eq!(
            r.body,
            r#"{"error": "origin https://evil.example is not allowed"}"#
        );
    }
    // Bodies beyond --max-body.
    let big = format!("{{\"name\": \"big\", \"msg\": \"{}\"}}", "x".repeat(1000));
    let r = post(serve.http, "/batch", "application/x-ndjson", &big);
    assert_eq!(r.status, 413);
    assert_eq!(
        r.body,
        r#"{"error": "a body of 1026 bytes (the limit is 1000)"}"#
    );
    // Unknown paths and methods.
    assert_eq!(request(serve.http, "GET", "/nope", &[], b"").status, 404);
    assert_eq!(request(serve.http, "GET", "/batch", &[], b"").status, 405);
    assert_eq!(request(serve.http, "GET", "/ws", &[], b"").status, 426);
    // An HTTPHandler query without msg is no record.
    assert_eq!(request(serve.http, "GET", "/log?a=1", &[], b"").status, 400);
    assert_eq!(
        serve.lines("app.log", 2),
        [
            "cors|NOTSET|0||1700000000.000|000|allowed",
            "cors|NOTSET|0||1700000000.000|000|allowed",
        ]
    );
    let (_, err, _) = serve.stop();
    assert_eq!(
        summary(&err),
        [
            "wasm-logging serve: 2 received, 2 rejected",
            "wasm-logging serve: http: 2 refused (origin), 0 duplicate batches, 0 dropped for slow viewers",
        ]
    );
}

fn ws_connect(
    port: u16,
    path: &str,
) -> tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>> {
    let (ws, resp) = tungstenite::connect(format!("ws://127.0.0.1:{port}{path}")).unwrap();
    assert_eq!(resp.status().as_u16(), 101);
    ws
}

#[test]
fn websocket_senders_and_viewers() {
    let serve = Serve::start(&file_config(SIMPLE), &[]);
    let mut viewer = ws_connect(serve.http, "/ws/view");
    let mut viewer2 = ws_connect(serve.http, "/ws/view");
    // Let the viewers register before records flow.
    std::thread::sleep(Duration::from_millis(300));
    let mut sender = ws_connect(serve.http, "/ws");
    let rec = |msg: &str| {
        format!(
            r#"{{"name": "ws.app", "msg": "{msg}", "levelno": 30, "levelname": "WARNING", "created": 1700000000.5, "msecs": 500.0}}"#
        )
    };
    sender.send(tungstenite::Message::text(rec("one"))).unwrap();
    sender
        .send(tungstenite::Message::text(format!(
            "[{}, {}]",
            rec("two"),
            rec("three")
        )))
        .unwrap();
    sender.send(tungstenite::Message::text("garbage")).unwrap();
    sender
        .send(tungstenite::Message::text(format!("[{}, 5]", rec("four"))))
        .unwrap();
    // WebSocket messages are read on their own thread: wait for them before the next sender.
    assert_eq!(serve.lines("app.log", 4).len(), 4);
    // A record from another transport reaches the viewers too (NDJSON here).
    let r = post(serve.http, "/batch", "application/x-ndjson", &rec("five"));
    assert_eq!(r.status, 200);
    let expected: Vec<String> = ["one", "two", "three", "four", "five"]
        .iter()
        .map(|m| format!("ws.app|WARNING|0||1700000000.500|500|{m}"))
        .collect();
    assert_eq!(serve.lines("app.log", 5), expected);
    for v in [&mut viewer, &mut viewer2] {
        let mut got = Vec::new();
        while got.len() < 5 {
            match v.read().unwrap() {
                tungstenite::Message::Text(t) => {
                    let j: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
                    assert_eq!(j["name"], "ws.app");
                    assert_eq!(j["levelno"], 30);
                    got.push(j["msg"].as_str().unwrap().to_owned());
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(got, ["one", "two", "three", "four", "five"]);
    }
    // A closed viewer goes away; the others keep receiving.
    viewer2.close(None).unwrap();
    let _ = viewer2.flush();
    drop(viewer2);
    sender.send(tungstenite::Message::text(rec("six"))).unwrap();
    match viewer.read().unwrap() {
        tungstenite::Message::Text(t) => assert!(t.as_str().contains("\"six\""), "{t}"),
        other => panic!("{other:?}"),
    }
    sender.close(None).unwrap();
    let _ = sender.flush();
    assert_eq!(serve.lines("app.log", 6).len(), 6);
    let (_, err, _) = serve.stop();
    // The viewer's connection ends once the receiver has stopped (with a close frame when
    // the viewer thread sends it before the process exits), and nothing else arrives.
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = viewer.get_ref() {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    loop {
        match viewer.read() {
            Ok(tungstenite::Message::Close(_)) => {}
            Ok(other) => panic!("after the stop: {other:?}"),
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                panic!("the viewer's connection did not end")
            }
            Err(_) => break,
        }
    }
    assert_eq!(
        summary(&err)[0],
        "wasm-logging serve: 6 received, 2 rejected"
    );
}

#[test]
fn static_files_from_www() {
    let www = common::temp_dir("www");
    std::fs::write(www.join("index.html"), "<h1>viewer</h1>").unwrap();
    std::fs::create_dir_all(www.join("sub")).unwrap();
    std::fs::write(www.join("sub/index.html"), "sub").unwrap();
    std::fs::write(www.join("app.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(www.join("viewer.js"), "export {}").unwrap();
    let outside = common::temp_dir("www-outside");
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), www.join("link.txt")).unwrap();
    let serve = Serve::start(&file_config(SIMPLE), &["--www", www.to_str().unwrap()]);
    let get = |p: &str| request(serve.http, "GET", p, &[], b"");
    let r = get("/");
    assert_eq!((r.status, r.body.as_str()), (200, "<h1>viewer</h1>"));
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(get("/sub").body, "sub");
    assert_eq!(get("/sub/").body, "sub");
    let r = get("/app.wasm");
    assert_eq!(r.header("Content-Type"), Some("application/wasm"));
    assert_eq!(r.body.as_bytes(), b"\0asm\x01\0\0\0");
    assert_eq!(
        get("/viewer.js").header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    let r = request(serve.http, "HEAD", "/viewer.js", &[], b"");
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    let name = outside.file_name().unwrap().to_str().unwrap().to_owned();
    for p in [
        "/link.txt".to_owned(),
        format!("/../{name}/secret.txt"),
        format!("/%2e%2e/{name}/secret.txt"),
        "/missing.html".to_owned(),
    ] {
        let r = get(&p);
        assert_eq!(r.status, 404, "{p}: {}", r.body);
        assert_eq!(r.body, format!("{{\"error\": \"{p}: not found\"}}"));
    }
    serve.stop();
}

#[test]
fn concurrent_clients_and_a_stop_that_drains() {
    let serve = Serve::start(&file_config("%(name)s %(message)s"), &[]);
    let port = serve.http;
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                for b in 0..25 {
                    let body: String = (0..20)
                        .map(|i| format!("{{\"name\": \"c{t}\", \"msg\": \"b{b} r{i}\"}}\n"))
                        .collect();
                    let r = post(port, "/batch", "application/x-ndjson", &body);
                    assert_eq!(r.body, r#"{"accepted": 20, "rejected": 0}"#);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Stop right after the last batches were accepted: every accepted record is written.
    let (_, err, dir) = serve.stop();
    let text = std::fs::read_to_string(dir.join("logs/app.log")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8 * 25 * 20);
    // Each client's records in its order; every record once.
    for t in 0..8 {
        let mine: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.starts_with(&format!("c{t} ")))
            .collect();
        let want: Vec<String> = (0..25)
            .flat_map(|b| (0..20).map(move |i| format!("c{t} b{b} r{i}")))
            .collect();
        assert_eq!(mine, want);
    }
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), 4000);
    assert_eq!(
        summary(&err)[0],
        "wasm-logging serve: 4000 received, 0 rejected"
    );
}
