//! Natively, over real sockets: our `SocketHandler` and `DatagramHandler` feeding CPython
//! 3.13's cookbook receiver print exactly what CPython's own handlers make it print for the
//! same calls (the sender's `relativeCreated` column aside); a receiver killed and restarted
//! mid-stream loses nothing that fits in the buffer.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/harness.rs"]
mod harness;
#[path = "remote/native.rs"]
mod native;

use std::rc::Rc;

use harness::{cpython_reference, python, sent_count, without_relative_created, Tool};
use native::{configured, replay, root_config};
use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::net::{AllowList, NetRemote};
use wasm_logging::Manager;

fn ours(class: &str, udp: bool) -> String {
    let py = python().unwrap();
    let n = sent_count().to_string();
    let mut args = vec!["--expect", n.as_str(), "--timeout", "30"];
    if udp {
        args.push("--udp");
    }
    let receiver = Tool::start(&py, "cookbook_receiver.py", &args);
    let manager = configured(&socket_config(class, receiver.port), AllowList::Any);
    replay(&manager, &[]);
    manager.shutdown();
    receiver.output()
}

/// A root at DEBUG sending everything to `class` at `port`.
fn socket_config(class: &str, port: u16) -> String {
    root_config(
        &format!(r#"{{"class": "{class}", "host": "127.0.0.1", "port": {port}}}"#),
        "%(message)s",
    )
}

#[test]
fn socket_handler_frames_print_like_cpythons_in_the_cookbook_receiver() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let reference = cpython_reference(&py, "socket");
    let got = ours("logging.handlers.SocketHandler", false);
    assert!(!reference.is_empty());
    assert_eq!(
        without_relative_created(&got),
        without_relative_created(&reference)
    );
}

#[test]
fn datagram_handler_frames_print_like_cpythons_in_the_cookbook_receiver() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let reference = cpython_reference(&py, "datagram");
    let got = ours("logging.handlers.DatagramHandler", true);
    assert_eq!(
        without_relative_created(&got),
        without_relative_created(&reference)
    );
}

#[test]
fn a_receiver_killed_and_restarted_mid_stream_gets_every_record_once_in_order() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let fmt = ["--format", "%(message)s", "--timeout", "30"];
    let mut receiver = Tool::start(&py, "cookbook_receiver.py", &fmt);
    let port = receiver.port;
    let manager = configured(
        &socket_config("logging.handlers.SocketHandler", port),
        AllowList::parse(&[format!("127.0.0.1:{port}")]).unwrap(),
    );
    let log = manager.get_logger("fault");
    let mut seen: Vec<String> = Vec::new();
    let mut next = 0;
    for round in 0..3 {
        // Records while the receiver is up...
        for _ in 0..20 {
            log.info(format!("record {next}"), ());
            next += 1;
        }
        manager.flush();
        // ...printed before it is killed (the kill is mid-stream for the sender, which keeps
        // its connection and is not told).
        std::thread::sleep(std::time::Duration::from_millis(300));
        seen.extend(receiver.kill().lines().map(str::to_owned));
        // Records while it is down wait in the buffer.
        for _ in 0..10 {
            log.info(format!("record {next}"), ());
            next += 1;
        }
        receiver = Tool::start_on(&py, "cookbook_receiver.py", &fmt, port);
        let _ = round;
        manager.flush();
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    manager.shutdown();
    std::thread::sleep(std::time::Duration::from_millis(300));
    seen.extend(receiver.terminate().lines().map(str::to_owned));
    let want: Vec<String> = (0..next).map(|i| format!("record {i}")).collect();
    assert_eq!(seen, want);
}

#[test]
fn a_refused_address_never_opens_a_connection() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let receiver = Tool::start(&py, "cookbook_receiver.py", &["--timeout", "3"]);
    let manager = Manager::new();
    let env = ConfigEnv {
        remote: Some(Rc::new(NetRemote::new(AllowList::Nothing))),
        ..ConfigEnv::default()
    };
    let config = parse_json(&format!(
        r#"{{"version": 1,
            "handlers": {{"sock": {{"class": "logging.handlers.SocketHandler",
                                    "host": "127.0.0.1", "port": {}}}}},
            "root": {{"handlers": ["sock"]}}}}"#,
        receiver.port
    ))
    .unwrap();
    let err = dict_config_with(&manager, &env, &config).unwrap_err();
    assert_eq!(err.path(), "handlers.sock.host");
    assert!(err.message().contains("not allowed"), "{err}");
    manager.get_logger("x").warning("never sent", ());
    assert_eq!(receiver.terminate(), "");
}
