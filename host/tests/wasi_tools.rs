//! The composed component in stock WASI runtimes (issue 15, docs/wasi-tooling.md): the
//! logging component with `guests/wasi-sinks` and `guests/wasi-tour` plugged in by `wac`
//! (`make compose`), run by the Wasmtime CLI and by jco in Node, against this host running
//! the same program: the cookbook tour (console output and every log, byte for byte) and
//! recipe 8's `SocketHandler` frames (byte for byte), plus what a runtime that grants no
//! network makes of the same sender.
//!
//! They need `make compose`, the `wasmtime` CLI and jco's transpiled output, which
//! `make test-wasi-tools` builds before running them with `--include-ignored`; a plain
//! `cargo test` lists them as ignored.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{files, instance, runtime, temp_dir, NOW_NS};
use wasm_logging_host::{Console, HostOptions, LocalTime, QueueOptions, SharedQueues, Zone};

const NEEDS: &str = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`";

/// The process id both sides report in records (WASI has none of its own).
const PROCESS: u32 = 4242;

/// The composed command, built by `make compose` next to the component.
fn composed() -> PathBuf {
    let path = wasm_logging_host::default_component_path("wasm-logging-composed.wasm");
    assert!(
        path.exists(),
        "{} is missing: build it with `make compose`",
        path.display()
    );
    path
}

/// The composed command as `jco transpile` wrote it (`make test-wasi-tools`).
fn jco_module() -> PathBuf {
    let path = composed().with_file_name("jco").join("composed.js");
    assert!(
        path.exists(),
        "{} is missing: `make test-wasi-tools` transpiles it with jco",
        path.display()
    );
    path
}

/// What a runtime printed and how the command ended.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn finish(cmd: &mut Command, what: &str) -> Run {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e} ({NEEDS})"));
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The runtimes under test.
#[derive(Clone, Copy, Debug)]
enum Runtime {
    /// `wasmtime run` (the Wasmtime CLI).
    WasmtimeCli,
    /// `jco transpile`'s JS on jco's WASI shim in Node (`tests/wasi-tools/run-jco.mjs`).
    JcoNode,
}

/// Runs the composed command with the fixed clock, `log_dir` preopened as `logs`, and
/// `-S inherit-network` (Wasmtime) when `network`.
fn run(rt: Runtime, log_dir: &Path, network: bool, args: &[&str]) -> Run {
    run_with(rt, log_dir, network, &[], args)
}

/// [`run`] with more environment variables.
fn run_with(
    rt: Runtime,
    log_dir: &Path,
    network: bool,
    more_env: &[(&str, &str)],
    args: &[&str],
) -> Run {
    let mut env = vec![
        ("WASM_LOGGING_FIXED_TIME_NS".to_owned(), NOW_NS.to_string()),
        ("WASM_LOGGING_PROCESS".to_owned(), PROCESS.to_string()),
    ];
    env.extend(more_env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let preopen = format!("{}::logs", log_dir.display());
    match rt {
        Runtime::WasmtimeCli => {
            let mut cmd = Command::new("wasmtime");
            cmd.args(["run", "--dir", &preopen]);
            if network {
                cmd.args(["-S", "inherit-network"]);
            }
            for (k, v) in &env {
                cmd.args(["--env", &format!("{k}={v}")]);
            }
            finish(cmd.arg(composed()).args(args), "wasmtime")
        }
        Runtime::JcoNode => {
            // Node's shim has no network switch: the network is the process's.
            let script = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/wasi-tools/run-jco.mjs"
            );
            let mut cmd = Command::new("node");
            cmd.arg(script)
                .arg(jco_module())
                .args(["--dir", &preopen, "--"])
                .args(args)
                .envs(env);
            finish(&mut cmd, "node")
        }
    }
}

/// The tour in this host (fixed clock, UTC): its console and its logs.
fn host_tour() -> (String, String, Vec<(String, String)>) {
    let dir = temp_dir("wasi-tools-host-tour");
    let mut inst = instance(&dir);
    inst.tour().unwrap().unwrap();
    inst.shutdown().unwrap();
    let got = inst.captured();
    let logs = files(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    // The comparison means something only if the tour really ran.
    assert!(got.stdout.contains("=== Structured logging ==="));
    assert!(got.stdout.contains("app.log.5: i = 9 | i = 10\n"));
    assert_eq!(
        got.stderr,
        "ERROR    simple_example: error message\nCRITICAL simple_example: critical message\n"
    );
    assert_eq!(logs.len(), 9, "{logs:?}");
    (got.stdout, got.stderr, logs)
}

fn tour_matches_the_host(rt: Runtime) {
    let (stdout, stderr, logs) = host_tour();
    let dir = temp_dir("wasi-tools-tour");
    // A leftover must not change the result (the tour starts its logs from nothing).
    std::fs::write(dir.join("app.log.3"), "stale\n").unwrap();
    let got = run(rt, &dir, false, &[]);
    assert!(got.ok, "{rt:?} failed:\n{}", got.stderr);
    assert_eq!(got.stdout, stdout, "{rt:?} stdout");
    assert_eq!(got.stderr, stderr, "{rt:?} stderr");
    assert_eq!(files(&dir), logs, "{rt:?} logs");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn tour_in_the_wasmtime_cli_matches_the_host() {
    tour_matches_the_host(Runtime::WasmtimeCli);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn tour_in_jco_on_node_matches_the_host() {
    tour_matches_the_host(Runtime::JcoNode);
}

/// The transports of the tour command's `send` (guests/wasi-tour).
#[derive(Clone, Copy, Debug)]
enum Wire {
    /// `SocketHandler`: length-prefixed pickles on one TCP connection.
    Tcp,
    /// `DatagramHandler`: one pickle per UDP datagram.
    Udp,
    /// `HTTPHandler`: one POST per record, each on its own TCP connection.
    Http,
}

impl Wire {
    fn name(self) -> &'static str {
        match self {
            Wire::Tcp => "tcp",
            Wire::Udp => "udp",
            Wire::Http => "http",
        }
    }
}

/// The five records recipe 8's client sends.
const RECORDS: usize = 5;

/// A collector for `wire` on a port that stays the same across runs (HTTP's `Host` header
/// names it): each run's messages, in arrival order.
enum Collector {
    Tcp(TcpListener),
    Udp(UdpSocket),
    Http(TcpListener),
}

impl Collector {
    fn new(wire: Wire) -> Self {
        match wire {
            Wire::Tcp => Collector::Tcp(TcpListener::bind("127.0.0.1:0").unwrap()),
            Wire::Http => Collector::Http(TcpListener::bind("127.0.0.1:0").unwrap()),
            Wire::Udp => {
                let s = UdpSocket::bind("127.0.0.1:0").unwrap();
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                Collector::Udp(s)
            }
        }
    }

    fn port(&self) -> u16 {
        match self {
            Collector::Tcp(l) | Collector::Http(l) => l.local_addr().unwrap().port(),
            Collector::Udp(s) => s.local_addr().unwrap().port(),
        }
    }

    /// Collects one run's messages on a thread while `sender` runs; gives the collector back.
    fn during(self, sender: impl FnOnce()) -> (Self, Vec<Vec<u8>>) {
        let reader = std::thread::spawn(move || {
            let got = self.collect();
            (self, got)
        });
        sender();
        reader.join().unwrap()
    }

    fn collect(&self) -> Vec<Vec<u8>> {
        match self {
            Collector::Tcp(l) => {
                let (mut s, _) = l.accept().unwrap();
                let mut got = Vec::new();
                s.read_to_end(&mut got).unwrap();
                vec![got]
            }
            Collector::Udp(s) => (0..RECORDS)
                .map(|_| {
                    let mut buf = vec![0u8; 65536];
                    let n = s.recv(&mut buf).expect("a datagram");
                    buf.truncate(n);
                    buf
                })
                .collect(),
            Collector::Http(l) => (0..RECORDS).map(|_| http_request(l)).collect(),
        }
    }
}

/// Accepts one connection, reads one request (head and `Content-Length` body), answers 200.
fn http_request(l: &TcpListener) -> Vec<u8> {
    let (mut s, _) = l.accept().unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let body_at = loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "the request ended early: {got:?}");
        got.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&got[..body_at]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while got.len() < body_at + length {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "the body ended early");
        got.extend_from_slice(&buf[..n]);
    }
    s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    got
}

/// The configuration `wasm-logging-tour send 127.0.0.1 PORT WIRE` applies (guests/wasi-tour).
fn sender_config(port: u16, wire: Wire) -> String {
    let handler = match wire {
        Wire::Tcp => format!(
            r#"{{"class": "logging.handlers.SocketHandler", "host": "127.0.0.1", "port": {port}}}"#
        ),
        Wire::Udp => format!(
            r#"{{"class": "logging.handlers.DatagramHandler", "host": "127.0.0.1", "port": {port}}}"#
        ),
        Wire::Http => format!(
            r#"{{"class": "logging.handlers.HTTPHandler", "host": "127.0.0.1:{port}", "url": "/log", "method": "POST"}}"#
        ),
    };
    format!(
        r#"{{"version": 1, "root": {{"level": "DEBUG", "handlers": ["remote"]}},
            "handlers": {{"remote": {handler}}}}}"#
    )
}

/// Recipe 8's client in this host, with the fixed clock.
fn host_send(port: u16, wire: Wire) {
    let dir = temp_dir("wasi-tools-host-send");
    let mut inst = runtime()
        .instantiate(HostOptions {
            log_dir: dir.clone(),
            console: Console::capture(),
            clock: Some(NOW_NS),
            zone: Zone::Fixed(LocalTime::utc()),
            process: PROCESS,
            allow_remote: vec![format!("127.0.0.1:{port}")],
            ..HostOptions::default()
        })
        .unwrap();
    inst.dict_config(&sender_config(port, wire))
        .unwrap()
        .unwrap();
    for (name, level, msg) in [
        ("", 20, "Jackdaws love my big sphinx of quartz."),
        ("myapp.area1", 10, "Quick zephyrs blow, vexing daft Jim."),
        ("myapp.area1", 20, "How quickly daft jumping zebras vex."),
        (
            "myapp.area2",
            30,
            "Jail zesty vixen who grabbed pay from quack.",
        ),
        ("myapp.area2", 40, "The five boxing wizards jump quickly."),
    ] {
        inst.log(name, level, msg, &[], &[]).unwrap();
    }
    inst.shutdown().unwrap();
    assert_eq!(inst.error_count().unwrap(), 0, "{}", inst.captured().stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The length-prefixed frames of a SocketHandler stream (4-byte big-endian lengths).
fn frames(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while rest.len() >= 4 {
        let n = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        assert!(rest.len() >= 4 + n, "a frame is cut short");
        out.push(&rest[4..4 + n]);
        rest = &rest[4 + n..];
    }
    assert!(
        rest.is_empty(),
        "{} stray bytes after the frames",
        rest.len()
    );
    out
}

/// The host's messages and the composed command's, on the same port, must be the same bytes.
fn network_handlers_match_the_host(rt: Runtime) {
    for wire in [Wire::Tcp, Wire::Udp, Wire::Http] {
        let collector = Collector::new(wire);
        let port = collector.port();
        let (collector, expected) = collector.during(|| host_send(port, wire));
        // The comparison means something only if the host really sent the five records.
        let records: Vec<&[u8]> = match wire {
            Wire::Tcp => frames(&expected[0]),
            Wire::Udp => expected.iter().map(|d| &d[4..]).collect(),
            Wire::Http => expected.iter().map(Vec::as_slice).collect(),
        };
        assert_eq!(records.len(), RECORDS, "{wire:?}");
        let last = String::from_utf8_lossy(records[RECORDS - 1]);
        assert!(
            last.contains("The five boxing wizards jump quickly.")
                || last.contains("The+five+boxing+wizards+jump+quickly."),
            "{wire:?}: {last}"
        );

        let dir = temp_dir("wasi-tools-send");
        let port_arg = port.to_string();
        let mut got = None;
        let (_, sent) = collector.during(|| {
            got = Some(run(
                rt,
                &dir,
                true,
                &["send", "127.0.0.1", &port_arg, wire.name()],
            ));
        });
        let got = got.unwrap();
        assert!(got.ok, "{rt:?} {wire:?} failed:\n{}", got.stderr);
        assert_eq!(got.stderr, "", "{rt:?} {wire:?}");
        assert_eq!(sent, expected, "{rt:?} {wire:?}: not the host's bytes");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn socket_datagram_and_http_handlers_in_the_wasmtime_cli_send_what_the_host_sends() {
    network_handlers_match_the_host(Runtime::WasmtimeCli);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn socket_datagram_and_http_handlers_in_jco_on_node_send_what_the_host_sends() {
    network_handlers_match_the_host(Runtime::JcoNode);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn without_inherit_network_the_sender_reports_and_loses_nothing_silently() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = temp_dir("wasi-tools-no-network");
    let got = run(
        Runtime::WasmtimeCli,
        &dir,
        false,
        &["send", "127.0.0.1", &port.to_string()],
    );
    // The runtime's refusal is the handler's error (handleError on stderr), the records
    // left undelivered are counted, and the command says so in its status; nothing traps.
    assert!(!got.ok);
    assert!(
        got.stderr.starts_with("--- Logging error ---\n"),
        "{}",
        got.stderr
    );
    assert!(
        got.stderr
            .contains(&format!("cannot connect to tcp://127.0.0.1:{port}")),
        "{}",
        got.stderr
    );
    assert!(
        got.stderr.contains("closed with 5 record(s) undelivered"),
        "{}",
        got.stderr
    );
    assert!(got
        .stderr
        .ends_with("wasm-logging-tour: 2 handler error(s) reported\n"));
    assert!(listener.accept().is_err(), "a connection was made");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn without_a_preopen_file_handlers_report_the_missing_log_directory() {
    let got = finish(
        Command::new("wasmtime")
            .args([
                "run",
                "--env",
                &format!("WASM_LOGGING_FIXED_TIME_NS={NOW_NS}"),
            ])
            .arg(composed()),
        "wasmtime",
    );
    // The tour's first FileHandler cannot open its log: the tour stops with the reason.
    assert!(!got.ok);
    assert!(
        got.stderr
            .contains("no log directory: the runtime preopened no directory"),
        "{}",
        got.stderr
    );
}

/// Recipe 8's records through a `QueueHandler` on the host queue `q`, whose listener hands
/// them to a `FileHandler`.
const QUEUED: &str = r#"{"version": 1,
  "formatters": {"f": {"format": "%(processName)s %(process)d %(name)s %(levelname)s %(relativeCreated)d %(message)s"}},
  "handlers": {"file": {"class": "logging.FileHandler", "filename": "queued.log", "formatter": "f"},
               "qh": {"class": "logging.handlers.QueueHandler", "queue": "ext://host:q", "handlers": ["file"]}},
  "root": {"level": "DEBUG", "handlers": ["qh"]}}"#;

/// The same in this host, with its shared queue `q`: the logs it leaves.
fn host_queued() -> Vec<(String, String)> {
    let dir = temp_dir("wasi-tools-host-queue");
    let queues = SharedQueues::new();
    queues.create("q", QueueOptions::default()).unwrap();
    let mut inst = runtime()
        .instantiate(
            HostOptions {
                log_dir: dir.clone(),
                console: Console::capture(),
                clock: Some(NOW_NS),
                zone: Zone::Fixed(LocalTime::utc()),
                process: PROCESS,
                ..HostOptions::default()
            }
            .shared_queues(queues),
        )
        .unwrap();
    inst.dict_config(QUEUED).unwrap().unwrap();
    inst.start_handler_listener("qh").unwrap().unwrap();
    for (name, level, msg) in [
        ("", 20, "Jackdaws love my big sphinx of quartz."),
        ("myapp.area1", 10, "Quick zephyrs blow, vexing daft Jim."),
        ("myapp.area1", 20, "How quickly daft jumping zebras vex."),
        (
            "myapp.area2",
            30,
            "Jail zesty vixen who grabbed pay from quack.",
        ),
        ("myapp.area2", 40, "The five boxing wizards jump quickly."),
    ] {
        inst.log(name, level, msg, &[], &[]).unwrap();
    }
    inst.stop_handler_listener("qh").unwrap().unwrap();
    inst.shutdown().unwrap();
    assert_eq!(inst.error_count().unwrap(), 0, "{}", inst.captured().stderr);
    let logs = files(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    logs
}

fn queue_listener_matches_the_host(rt: Runtime) {
    let expected = host_queued();
    assert_eq!(expected.len(), 1);
    assert_eq!(expected[0].1.lines().count(), 5, "{}", expected[0].1);
    assert!(expected[0]
        .1
        .ends_with("myapp.area2 ERROR 0 The five boxing wizards jump quickly.\n"));
    let dir = temp_dir("wasi-tools-queue");
    let got = run_with(
        rt,
        &dir,
        false,
        &[("WASM_LOGGING_QUEUES", "q")],
        &["config", QUEUED, "--listen", "qh"],
    );
    assert!(got.ok, "{rt:?} failed:\n{}", got.stderr);
    assert_eq!(got.stderr, "");
    assert_eq!(files(&dir), expected, "{rt:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn queue_handler_and_listener_in_the_wasmtime_cli_write_what_the_host_writes() {
    queue_listener_matches_the_host(Runtime::WasmtimeCli);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn queue_handler_and_listener_in_jco_on_node_write_what_the_host_writes() {
    queue_listener_matches_the_host(Runtime::JcoNode);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn configurations_naming_what_the_sinks_lack_fail_with_their_path_and_change_nothing() {
    let dir = temp_dir("wasi-tools-bad-config");
    // A queue not in WASM_LOGGING_QUEUES.
    let got = run(Runtime::WasmtimeCli, &dir, false, &["config", QUEUED]);
    assert!(!got.ok);
    assert!(
        got.stderr.starts_with(
            "wasm-logging-tour: dictConfig: handlers.qh.queue: Unable to configure handler 'qh'"
        ),
        "{}",
        got.stderr
    );
    // A `()` factory: the sinks offer none.
    let factory = r#"{"version": 1,
      "formatters": {"loud": {"()": "myapp.loud_formatter"}},
      "handlers": {"file": {"class": "logging.FileHandler", "filename": "never.log", "formatter": "loud"}},
      "root": {"handlers": ["file"]}}"#;
    let got = run(Runtime::WasmtimeCli, &dir, false, &["config", factory]);
    assert!(!got.ok);
    assert!(
        got.stderr.starts_with(
            "wasm-logging-tour: dictConfig: formatters.loud.(): Unable to configure formatter 'loud'"
        ),
        "{}",
        got.stderr
    );
    // Atomic: neither configuration opened a log.
    assert_eq!(files(&dir), vec![]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn the_log_directory_is_the_preopen_named_by_wasm_logging_log_dir() {
    let (first, second) = (temp_dir("wasi-tools-first"), temp_dir("wasi-tools-second"));
    let got = finish(
        Command::new("wasmtime")
            .arg("run")
            .arg("--dir")
            .arg(format!("{}::first", first.display()))
            .arg("--dir")
            .arg(format!("{}::chosen", second.display()))
            .args(["--env", "WASM_LOGGING_LOG_DIR=chosen"])
            .args(["--env", &format!("WASM_LOGGING_FIXED_TIME_NS={NOW_NS}")])
            .arg(composed()),
        "wasmtime",
    );
    assert!(got.ok, "{}", got.stderr);
    assert_eq!(files(&first), vec![]);
    assert_eq!(files(&second).len(), 9);
    // A name that is not a preopen stops the tour at its first log, saying which exist.
    let got = finish(
        Command::new("wasmtime")
            .arg("run")
            .arg("--dir")
            .arg(format!("{}::first", first.display()))
            .args(["--env", "WASM_LOGGING_LOG_DIR=elsewhere"])
            .arg(composed()),
        "wasmtime",
    );
    assert!(!got.ok);
    assert!(
        got.stderr.contains(
            "WASM_LOGGING_LOG_DIR names 'elsewhere', which is not a preopened directory \
             (the runtime preopened 'first')"
        ),
        "{}",
        got.stderr
    );
    assert_eq!(files(&first), vec![]);
    std::fs::remove_dir_all(&first).unwrap();
    std::fs::remove_dir_all(&second).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn a_wasi_logging_component_plugged_into_it_logs_through_it_in_the_wasmtime_cli() {
    // guests/wasi-logging-guest knows only wasi:logging/logging; unconfigured, the logging
    // component's lastResort prints its WARNING and above to stderr, message only (CPython's).
    let guest = composed().with_file_name("wasi-logging-guest-composed.wasm");
    let got = finish(
        Command::new("wasmtime")
            .args(["run", "--invoke", "run()"])
            .arg(guest),
        "wasmtime",
    );
    assert!(got.ok, "{}", got.stderr);
    assert_eq!(
        got.stderr,
        "slow query took %d ms (no interpolation)\nan error on the root logger\ndisk full\n"
    );
}
