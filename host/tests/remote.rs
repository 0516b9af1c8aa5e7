//! The component's network handlers and `wasm-logging serve`, against CPython 3.13 on the
//! other end of real sockets:
//! - the component's `SocketHandler` → the cookbook's receiver prints what CPython's own
//!   `SocketHandler` makes it print;
//! - CPython's `SocketHandler` / `DatagramHandler` → `wasm-logging serve` prints what the
//!   cookbook's receiver prints; a frame with a forbidden opcode is rejected and the
//!   connection goes on;
//! - an endpoint the embedder did not allow fails the configuration at its path.

mod common;

#[path = "../../tests/remote/harness.rs"]
mod harness;

use std::process::Command;
use std::time::Duration;

use harness::{calls, cpython_reference, python, root, sent_count, without_relative_created, Tool};
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;

fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap()),
        },
        serde_json::Value::String(s) => Value::Str(s.clone()),
        other => Value::Str(other.to_string()),
    }
}

#[test]
fn component_socket_handler_prints_like_cpythons_in_the_cookbook_receiver() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let reference = cpython_reference(&py, "socket");
    let n = sent_count().to_string();
    let receiver = Tool::start(&py, "cookbook_receiver.py", &["--expect", &n]);
    let dir = common::temp_dir("remote");
    let allow = vec![format!("127.0.0.1:{}", receiver.port)];
    let mut inst = common::instance_allowing(&dir, &allow);
    let config = format!(
        r#"{{"version": 1,
            "handlers": {{"sock": {{"class": "logging.handlers.SocketHandler",
                                    "host": "127.0.0.1", "port": {}}}}},
            "root": {{"handlers": ["sock"], "level": "DEBUG"}}}}"#,
        receiver.port
    );
    inst.dict_config(&config).unwrap().unwrap();
    for c in calls() {
        let args: Vec<Value> = c.args.iter().map(value).collect();
        let extra: Vec<(String, Value)> =
            c.extra.iter().map(|(k, v)| (k.clone(), value(v))).collect();
        inst.log(&c.logger, c.level, &c.msg, &args, &extra).unwrap();
    }
    inst.flush().unwrap();
    assert_eq!(inst.remote_pending().unwrap(), 0);
    inst.shutdown().unwrap();
    let got = receiver.output();
    assert_eq!(
        without_relative_created(&got),
        without_relative_created(&reference)
    );
}

#[test]
fn a_configuration_naming_an_endpoint_the_embedder_did_not_allow_is_refused() {
    let dir = common::temp_dir("refused");
    let mut inst = common::instance_allowing(&dir, &["127.0.0.1:9".to_owned()]);
    let err = inst
        .dict_config(
            r#"{"version": 1,
                "handlers": {"sock": {"class": "logging.handlers.SocketHandler",
                                      "host": "127.0.0.1", "port": 9020}},
                "root": {"handlers": ["sock"]}}"#,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(err.path, "handlers.sock.host");
    assert!(
        err.reason.contains("--allow-remote 127.0.0.1:9020"),
        "{}",
        err.reason
    );
    let err = inst
        .dict_config(
            r#"{"version": 1,
                "handlers": {"s": {"class": "logging.handlers.SysLogHandler",
                                   "address": ["localhost", 514]}}}"#,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(err.path, "handlers.s.address");
}

/// `wasm-logging serve` on free ports with the cookbook receiver's output configuration.
struct Serve {
    announced: harness::Announced,
    tcp: u16,
    udp: Option<u16>,
}

impl Serve {
    fn start(udp: bool) -> Serve {
        let dir = common::temp_dir("serve");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasm-logging"));
        cmd.arg("serve")
            .arg("--config")
            .arg(root().join("tests/fixtures/remote/receiver_config.json"))
            .arg("--log-dir")
            .arg(dir.join("logs"))
            .args(["--listen", "127.0.0.1:0"]);
        if udp {
            cmd.args(["--udp", "127.0.0.1:0"]);
        }
        let kinds: &[&str] = if udp { &["tcp", "udp"] } else { &["tcp"] };
        let announced = harness::Announced::start(cmd, kinds);
        Serve {
            tcp: announced.port("tcp"),
            udp: announced.ports.get("udp").copied(),
            announced,
        }
    }

    /// SIGTERM, then (stdout, stderr lines).
    fn stop(self) -> (String, Vec<String>) {
        self.announced.stop()
    }
}

fn send_cpython(py: &str, kind: &str, port: u16) {
    let status = Command::new(py)
        .arg(root().join("tests/remote/cpython_sender.py"))
        .args(["--kind", kind, "--port", &port.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "{kind} sender failed");
}

/// Waits until serve's stdout would have everything: the sender is done and serve dispatches
/// within its 100 ms poll.
fn settle() {
    std::thread::sleep(Duration::from_millis(500));
}

#[test]
fn serve_prints_what_the_cookbook_receiver_prints_for_cpythons_socket_and_datagram_handlers() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    for kind in ["socket", "datagram"] {
        let reference = cpython_reference(&py, kind);
        let serve = Serve::start(kind == "datagram");
        let port = if kind == "datagram" {
            serve.udp.unwrap()
        } else {
            serve.tcp
        };
        send_cpython(&py, kind, port);
        settle();
        let (out, err) = serve.stop();
        assert_eq!(
            without_relative_created(&out),
            without_relative_created(&reference),
            "{kind}"
        );
        let n = sent_count();
        assert_eq!(
            err.last().unwrap(),
            &format!("wasm-logging serve: {n} received, 0 rejected"),
            "{kind}: {err:?}"
        );
    }
}

#[test]
fn serve_rejects_a_frame_with_a_forbidden_opcode_and_the_connection_goes_on() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let serve = Serve::start(false);
    send_cpython(&py, "socket-forbidden", serve.tcp);
    settle();
    let (out, err) = serve.stop();
    assert!(!out.contains("FORBIDDEN-GLOBAL-EXECUTED"), "{out}");
    let lines = without_relative_created(&out);
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].ends_with("forbidden-test: before"), "{out}");
    assert!(lines[1].ends_with("forbidden-test: after"), "{out}");
    assert!(
        err.iter()
            .any(|l| l.contains("frame rejected") && l.contains("GLOBAL")),
        "{err:?}"
    );
    assert_eq!(
        err.last().unwrap(),
        "wasm-logging serve: 2 received, 1 rejected"
    );
}

#[test]
fn serve_survives_garbage_truncated_and_oversized_frames() {
    use std::io::Write;
    use std::net::TcpStream;
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let serve = Serve::start(false);
    let addr = format!("127.0.0.1:{}", serve.tcp);
    // An oversized length, a truncated frame, pure garbage: each ends its own connection.
    TcpStream::connect(&addr)
        .unwrap()
        .write_all(&0xffff_fff0u32.to_be_bytes())
        .unwrap();
    {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.write_all(&100u32.to_be_bytes()).unwrap();
        s.write_all(b"}q\x00(X").unwrap();
    }
    TcpStream::connect(&addr)
        .unwrap()
        .write_all(b"\x00\x00\x00\x05hello")
        .unwrap();
    // Many concurrent well-behaved clients still get through.
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let py = py.clone();
            let port = serve.tcp;
            std::thread::spawn(move || send_cpython(&py, "socket", port))
        })
        .collect();
    for s in senders {
        s.join().unwrap();
    }
    settle();
    let (out, err) = serve.stop();
    let n = sent_count();
    assert_eq!(
        without_relative_created(&out).len(),
        8 * without_relative_created(&cpython_reference(&py, "socket")).len(),
        "{err:?}"
    );
    assert_eq!(
        err.last().unwrap(),
        &format!("wasm-logging serve: {} received, 3 rejected", 8 * n)
    );
}

#[test]
fn component_rfc5424_frames_reach_a_real_rsyslog_intact() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let Some(rsyslog) = harness::Rsyslog::start(&py) else {
        eprintln!("skipped: no rsyslogd (scripts/setup.sh installs it)");
        return;
    };
    let dir = common::temp_dir("syslog");
    let allow = vec![
        format!("127.0.0.1:{}", rsyslog.tcp),
        format!("127.0.0.1:{}", rsyslog.tcp_nul),
    ];
    let mut inst = common::instance_allowing(&dir, &allow);
    let config = format!(
        r#"{{"version": 1,
            "formatters": {{"f": {{"format": "%(name)s: %(message)s"}}}},
            "handlers": {{
              "rfc": {{"()": "wasm_logging.SysLogHandler5424", "formatter": "f",
                       "address": ["127.0.0.1", {}], "socktype": "ext://socket.SOCK_STREAM",
                       "appname": "wasi-app", "msgid": "M1", "hostname": "h1", "bom": true,
                       "utc_offset": 0}},
              "plain": {{"class": "logging.handlers.SysLogHandler", "formatter": "f",
                         "address": ["127.0.0.1", {}], "socktype": "ext://socket.SOCK_STREAM"}}}},
            "root": {{"handlers": ["rfc", "plain"], "level": "DEBUG"}}}}"#,
        rsyslog.tcp, rsyslog.tcp_nul
    );
    inst.dict_config(&config).unwrap().unwrap();
    let sent: Vec<harness::Call> = calls().into_iter().filter(|c| c.level >= 10).collect();
    for c in &sent {
        let args: Vec<Value> = c.args.iter().map(value).collect();
        inst.log(&c.logger, c.level, &c.msg, &args, &[]).unwrap();
    }
    inst.shutdown().unwrap();
    let rfc = rsyslog.messages("tcp", sent.len());
    let plain = rsyslog.messages("tcp_nul", sent.len());
    for ((m, p), c) in rfc.iter().zip(&plain).zip(&sent) {
        let name = if c.logger.is_empty() {
            "root"
        } else {
            &c.logger
        };
        assert_eq!(m["version"], "1", "{m}");
        assert_eq!(m["app_name"], "wasi-app");
        assert_eq!(m["msgid"], "M1");
        assert_eq!(m["procid"], "4242");
        assert!(m["timestamp"].as_str().unwrap().ends_with('Z'), "{m}");
        let msg = m["msg"].as_str().unwrap();
        assert!(msg.starts_with(&format!("\u{feff}{name}: ")), "{msg:?}");
        // The plain frame is CPython's `<PRI>` + text; rsyslog keeps it as sent.
        let raw = p["rawmsg"].as_str().unwrap();
        assert!(raw.starts_with('<'), "{raw:?}");
        assert!(raw.contains(&format!(">{name}: ")), "{raw:?}");
        assert_eq!(
            &msg['\u{feff}'.len_utf8()..],
            raw.split_once('>').unwrap().1
        );
    }
}

#[test]
fn component_http_handler_requests_reach_a_recorder_and_failures_are_reported() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let dir = common::temp_dir("http");
    let out = dir.join("requests.jsonl");
    let recorder = Tool::start(
        &py,
        "http_recorder.py",
        &[
            "--out",
            out.to_str().unwrap(),
            "--expect",
            "3",
            "--status",
            "200,503,200",
        ],
    );
    let allow = vec![format!("127.0.0.1:{}", recorder.port)];
    let mut inst = common::instance_allowing(&dir, &allow);
    let config = format!(
        r#"{{"version": 1,
            "handlers": {{"web": {{"class": "logging.handlers.HTTPHandler",
                                   "host": "127.0.0.1:{}", "url": "/log?app=w",
                                   "method": "POST"}}}},
            "root": {{"handlers": ["web"], "level": "DEBUG"}}}}"#,
        recorder.port
    );
    inst.dict_config(&config).unwrap().unwrap();
    for i in 0..3 {
        inst.log("web.app", 20, "request %d", &[Value::Int(i)], &[])
            .unwrap();
        // One request at a time, so the 503 is the second's.
        std::thread::sleep(Duration::from_millis(200));
    }
    inst.shutdown().unwrap();
    recorder.output();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["method"], "POST");
        assert_eq!(l["target"], "/log?app=w");
        let body = String::from_utf8(harness::b64(l["body"].as_str().unwrap())).unwrap();
        assert!(
            body.starts_with("name=web.app&msg=request+%25d&args=%28"),
            "{body}"
        );
        assert!(body.contains(&format!("args=%28{i}%2C%29")), "{body}");
    }
    // The 503 was reported through handleError.
    let err = inst.captured().stderr;
    assert!(err.contains("HTTP/1.1 503"), "{err}");
}

#[test]
fn component_records_survive_a_receiver_killed_and_restarted_mid_stream() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let fmt = ["--format", "%(message)s", "--timeout", "30"];
    let mut receiver = Tool::start(&py, "cookbook_receiver.py", &fmt);
    let port = receiver.port;
    let dir = common::temp_dir("fault");
    let mut inst = common::instance_allowing(&dir, &[format!("127.0.0.1:{port}")]);
    inst.dict_config(&format!(
        r#"{{"version": 1,
            "handlers": {{"sock": {{"class": "logging.handlers.SocketHandler",
                                    "host": "127.0.0.1", "port": {port}}}}},
            "root": {{"handlers": ["sock"], "level": "DEBUG"}}}}"#
    ))
    .unwrap()
    .unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut next = 0;
    for _ in 0..3 {
        for _ in 0..20 {
            inst.log("fault", 20, &format!("record {next}"), &[], &[])
                .unwrap();
            next += 1;
        }
        inst.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        // Killed mid-stream: the component keeps its connection and is not told.
        seen.extend(receiver.kill().lines().map(str::to_owned));
        for _ in 0..10 {
            inst.log("fault", 20, &format!("record {next}"), &[], &[])
                .unwrap();
            next += 1;
        }
        // Waiting in the component's buffer while nobody listens.
        assert!(inst.remote_pending().unwrap() > 0);
        receiver = Tool::start_on(&py, "cookbook_receiver.py", &fmt, port);
        inst.flush().unwrap();
    }
    std::thread::sleep(Duration::from_millis(300));
    inst.shutdown().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    seen.extend(receiver.terminate().lines().map(str::to_owned));
    let want: Vec<String> = (0..next).map(|i| format!("record {i}")).collect();
    assert_eq!(seen, want);
    // The outage was reported, once each time.
    let err = inst.captured().stderr;
    assert_eq!(err.matches("--- Logging error ---").count(), 3, "{err}");
}
