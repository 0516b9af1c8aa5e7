//! Recipe 29's buffering sender over HTTP, natively into a recording HTTP server: full
//! buffers become one POST each, the rest goes at shutdown, and a collector that answers 503
//! is reported, never silently ignored.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/harness.rs"]
mod harness;
#[path = "remote/native.rs"]
mod native;

use std::rc::Rc;

use harness::b64;
use harness::{python, Tool};
use native::{configured, root_config};
use wasm_logging::net::AllowList;
use wasm_logging::{host, Manager, MemoryConsole, Stream, Value};

fn requests(out: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn batching(port: u16, capacity: usize) -> Manager {
    configured(
        &root_config(
            &format!(
                r#"{{"()": "wasm_logging.BufferingHTTPHandler", "formatter": "f",
                    "host": "127.0.0.1:{port}", "url": "/ingest", "capacity": {capacity},
                    "content_type": "text/plain; charset=utf-8"}}"#
            ),
            "%(levelname)s %(name)s %(message)s",
        ),
        AllowList::Any,
    )
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
    let manager = batching(recorder.port, 3);
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
    let manager = batching(recorder.port, 1);
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
