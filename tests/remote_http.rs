//! Recipe 29's buffering sender over HTTP, natively into a recording HTTP server: full
//! buffers become one POST each, the rest goes at shutdown, and a collector that answers 503
//! is reported, never silently ignored.

#[path = "remote/harness.rs"]
mod harness;

use std::rc::Rc;

use harness::{python, Tool};
use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::net::{AllowList, NetRemote};
use wasm_logging::{host, Manager, MemoryConsole, Stream, Value};

fn requests(out: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn b64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let v: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(val).collect();
    v.chunks(4)
        .flat_map(|ch| {
            let n = ch
                .iter()
                .enumerate()
                .fold(0u32, |a, (i, &x)| a | (u32::from(x) << (18 - 6 * i)));
            (0..ch.len().saturating_sub(1)).map(move |i| (n >> (16 - 8 * i)) as u8)
        })
        .collect()
}

fn configured(port: u16, capacity: usize) -> Manager {
    let manager = Manager::new();
    let env = ConfigEnv {
        remote: Some(Rc::new(NetRemote::new(AllowList::Any))),
        ..ConfigEnv::default()
    };
    let config = parse_json(&format!(
        r#"{{"version": 1,
            "formatters": {{"f": {{"format": "%(levelname)s %(name)s %(message)s"}}}},
            "handlers": {{"batch": {{"()": "wasm_logging.BufferingHTTPHandler",
                                     "host": "127.0.0.1:{port}", "url": "/ingest",
                                     "capacity": {capacity}, "formatter": "f",
                                     "content_type": "text/plain; charset=utf-8"}}}},
            "root": {{"handlers": ["batch"], "level": "DEBUG"}}}}"#
    ))
    .unwrap();
    dict_config_with(&manager, &env, &config).unwrap();
    manager
}

#[test]
fn full_buffers_are_posted_as_one_request_each_and_the_rest_at_shutdown() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let dir = harness::temp_dir("batch");
    let out = dir.join("requests.jsonl");
    let recorder = Tool::start(
        &py,
        "http_recorder.py",
        &["--out", out.to_str().unwrap(), "--expect", "3"],
    );
    let manager = configured(recorder.port, 3);
    let log = manager.get_logger("batch.app");
    for i in 0..7 {
        log.info("event %d", vec![Value::Int(i)]);
    }
    manager.shutdown();
    recorder.output();
    let reqs = requests(&out);
    let bodies: Vec<String> = reqs
        .iter()
        .map(|r| String::from_utf8(b64(r["body"].as_str().unwrap())).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            "INFO batch.app event 0\nINFO batch.app event 1\nINFO batch.app event 2\n",
            "INFO batch.app event 3\nINFO batch.app event 4\nINFO batch.app event 5\n",
            "INFO batch.app event 6\n",
        ]
    );
    for r in &reqs {
        assert_eq!(r["method"], "POST");
        assert_eq!(r["target"], "/ingest");
        let headers: Vec<(String, String)> = serde_json::from_value(r["headers"].clone()).unwrap();
        assert!(headers.contains(&(
            "Content-type".to_owned(),
            "text/plain; charset=utf-8".to_owned()
        )));
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_collector_answering_503_is_reported() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let stderr = Rc::new(MemoryConsole::new());
    host::install_console(stderr.clone());
    let dir = harness::temp_dir("batch503");
    let out = dir.join("requests.jsonl");
    let recorder = Tool::start(
        &py,
        "http_recorder.py",
        &[
            "--out",
            out.to_str().unwrap(),
            "--expect",
            "2",
            "--status",
            "503",
        ],
    );
    let manager = configured(recorder.port, 1);
    let log = manager.get_logger("batch.app");
    log.error("first", ());
    std::thread::sleep(std::time::Duration::from_millis(300));
    log.error("second", ());
    manager.shutdown();
    recorder.output();
    assert_eq!(requests(&out).len(), 2);
    let err = stderr.text(Stream::Stderr);
    assert!(err.contains("BufferingHTTPHandler"), "{err}");
    assert!(err.contains("503"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
