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

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::JoinHandle;

use common::{files, instance, runtime, temp_dir, NOW_NS};
use wasm_logging_host::{Console, HostOptions, LocalTime, Zone};

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
    let env = [
        ("WASM_LOGGING_FIXED_TIME_NS", NOW_NS.to_string()),
        ("WASM_LOGGING_PROCESS", PROCESS.to_string()),
    ];
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

/// The bytes of the first connection to a fresh listener, and its port.
fn collector() -> (u16, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let reader = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        got
    });
    (port, reader)
}

/// The configuration `wasm-logging-tour send HOST PORT` applies (guests/wasi-tour).
fn sender_config(port: u16) -> String {
    format!(
        r#"{{"version": 1, "root": {{"level": "DEBUG", "handlers": ["remote"]}},
            "handlers": {{"remote": {{"class": "logging.handlers.SocketHandler", "host": "127.0.0.1", "port": {port}}}}}}}"#
    )
}

/// Recipe 8's client in this host: the frames its SocketHandler sends.
fn host_frames() -> Vec<u8> {
    let (port, reader) = collector();
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
    inst.dict_config(&sender_config(port)).unwrap().unwrap();
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
    reader.join().unwrap()
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

fn socket_frames_match_the_host(rt: Runtime) {
    let expected = host_frames();
    let pickles = frames(&expected);
    assert_eq!(pickles.len(), 5);
    let last = String::from_utf8_lossy(pickles[4]);
    assert!(
        last.contains("The five boxing wizards jump quickly."),
        "{last}"
    );

    let (port, reader) = collector();
    let dir = temp_dir("wasi-tools-send");
    let got = run(rt, &dir, true, &["send", "127.0.0.1", &port.to_string()]);
    assert!(got.ok, "{rt:?} failed:\n{}", got.stderr);
    assert_eq!(got.stderr, "");
    assert_eq!(reader.join().unwrap(), expected, "{rt:?} frames");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn socket_handler_frames_from_the_wasmtime_cli_match_the_host() {
    socket_frames_match_the_host(Runtime::WasmtimeCli);
}

#[test]
#[ignore = "needs `make compose`, the wasmtime CLI and jco: run `make test-wasi-tools`"]
fn socket_handler_frames_from_jco_on_node_match_the_host() {
    socket_frames_match_the_host(Runtime::JcoNode);
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
