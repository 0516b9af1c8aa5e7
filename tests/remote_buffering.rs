//! The remote handlers' delivery rules, against a scripted sink and a fixed clock: records
//! wait while the peer is down and arrive once and in order when it is back; CPython's
//! back-off (1 s, ×2, at most 30 s); a full buffer drops the oldest records and says so once
//! per outage; "not ready" keeps the frame; `close()` reports what it could not deliver; a
//! configuration naming a refused endpoint fails at its path and opens nothing.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::Base;
use wasm_logging::core::config::{dict_config_with, ConfigEnv};
use wasm_logging::core::error::{Error, Result};
use wasm_logging::core::value::Value;
use wasm_logging::{
    host, socket_handler, ConnectionId, Endpoint, Handler, RecordFraming, RemoteOptions,
    RemoteSink, SendStatus, Stream,
};

/// A peer that can be up or down, and a socket that can be backed up.
#[derive(Default)]
struct Scripted {
    up: Cell<bool>,
    backed_up: Cell<bool>,
    refuse: Cell<bool>,
    opens: Cell<u32>,
    open_times: RefCell<Vec<i64>>,
    conn: Cell<Option<ConnectionId>>,
    frames: RefCell<Vec<Vec<u8>>>,
}

impl RemoteSink for Scripted {
    fn check(&self, e: &Endpoint) -> Result<()> {
        if self.refuse.get() {
            Err(Error::os_error(format!(
                "connections to {e} are not allowed by this host"
            )))
        } else {
            Ok(())
        }
    }
    fn open(&self, _e: &Endpoint) -> Result<ConnectionId> {
        self.opens.set(self.opens.get() + 1);
        self.open_times.borrow_mut().push(host::now_ns().0);
        if self.up.get() {
            self.conn.set(Some(self.opens.get()));
            Ok(self.opens.get())
        } else {
            Err(Error::os_error("Connection refused"))
        }
    }
    fn send(&self, conn: ConnectionId, frame: &[u8]) -> Result<SendStatus> {
        if !self.up.get() || self.conn.get() != Some(conn) {
            return Err(Error::os_error("the peer closed the connection"));
        }
        if self.backed_up.get() {
            return Ok(SendStatus::NotReady);
        }
        self.frames.borrow_mut().push(frame.to_vec());
        Ok(SendStatus::Sent)
    }
    fn close(&self, _conn: ConnectionId) -> Result<()> {
        self.conn.set(None);
        Ok(())
    }
}

const T0: i64 = 1_700_000_000_000_000_000;

fn clock() -> Rc<host::FixedClock> {
    let c = Rc::new(host::FixedClock::new(T0));
    host::install_clock(c.clone());
    c
}

/// The messages of the frames received (the pickles' `msg` values, read back with the
/// restricted unpickler).
fn messages(sink: &Scripted) -> Vec<String> {
    sink.frames
        .borrow()
        .iter()
        .map(|f| {
            let d = wasm_logging::core::wire::pickle::loads_plain(&f[4..]).unwrap();
            let Value::Dict(items) = d else {
                panic!("not a dict")
            };
            items
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if s.as_str() == "msg"))
                .map(|(_, v)| v.to_py_str().unwrap())
                .unwrap()
        })
        .collect()
}

fn setup(
    options: RemoteOptions,
) -> (
    Base,
    Rc<Scripted>,
    Rc<host::FixedClock>,
    Rc<wasm_logging::RemoteHandler>,
) {
    let b = Base::new();
    let c = clock();
    let sink = Rc::new(Scripted::default());
    let h = socket_handler(
        sink.clone(),
        "collector",
        9020,
        RecordFraming::Pickle,
        options,
    );
    b.logger("app").add_handler(h.clone());
    (b, sink, c, h)
}

#[test]
fn records_wait_while_the_peer_is_down_and_arrive_once_in_order() {
    let (b, sink, c, h) = setup(RemoteOptions::default());
    let app = b.logger("app");
    app.info("one", ());
    app.info("two", ());
    assert_eq!(h.pending(), 2);
    // One report for the whole outage, naming the endpoint.
    let err = b.stderr.text(Stream::Stderr);
    assert_eq!(err.matches("--- Logging error ---").count(), 1, "{err}");
    assert!(
        err.contains("SocketHandler to collector:9020 (tcp): Connection refused"),
        "{err}"
    );
    sink.up.set(true);
    // Within the back-off nothing is tried...
    app.info("three", ());
    assert_eq!(sink.opens.get(), 1);
    // ...after it the next record (or a pump) delivers everything in order.
    c.now_ns.set(T0 + 1_000_000_000);
    app.info("four", ());
    assert_eq!(messages(&sink), ["one", "two", "three", "four"]);
    assert_eq!(h.pending(), 0);
    let s = h.stats();
    assert_eq!((s.sent, s.dropped, s.connects, s.failures), (4, 0, 1, 1));
}

#[test]
fn back_off_follows_cpython_retry_start_factor_and_max() {
    let (b, sink, c, _h) = setup(RemoteOptions::default());
    let app = b.logger("app");
    // Try at every whole second for 100 s; opens happen only when the delay has run out.
    for s in 0..100 {
        c.now_ns.set(T0 + s * 1_000_000_000);
        app.info("x", ());
    }
    let secs: Vec<i64> = sink
        .open_times
        .borrow()
        .iter()
        .map(|t| (t - T0) / 1_000_000_000)
        .collect();
    // 1, 2, 4, 8, 16, then 30 (retryMax) between attempts.
    assert_eq!(secs, [0, 1, 3, 7, 15, 31, 61, 91]);
}

#[test]
fn a_full_buffer_drops_the_oldest_and_reports_once_per_outage() {
    let (b, sink, c, h) = setup(RemoteOptions {
        capacity: 5,
        ..RemoteOptions::default()
    });
    let app = b.logger("app");
    for i in 0..20 {
        app.info(format!("r{i}"), ());
    }
    assert_eq!(h.stats().dropped, 15);
    let err = b.stderr.text(Stream::Stderr);
    assert_eq!(err.matches("buffer of 5 records").count(), 1, "{err}");
    sink.up.set(true);
    c.now_ns.set(T0 + 2_000_000_000);
    h.flush().unwrap();
    assert_eq!(messages(&sink), ["r15", "r16", "r17", "r18", "r19"]);
}

#[test]
fn not_ready_keeps_the_frame_for_the_next_pump() {
    let (b, sink, _c, h) = setup(RemoteOptions::default());
    sink.up.set(true);
    sink.backed_up.set(true);
    let app = b.logger("app");
    app.info("a", ());
    app.info("b", ());
    assert_eq!(wasm_logging::core::handlers::remote::pending(), 2);
    sink.backed_up.set(false);
    assert_eq!(wasm_logging::core::handlers::remote::pump(), 0);
    assert_eq!(messages(&sink), ["a", "b"]);
    assert_eq!(h.stats().sent, 2);
    // Not being ready is not a failure: nothing was reported.
    assert_eq!(b.stderr.text(Stream::Stderr), "");
}

#[test]
fn flush_ignores_the_back_off_and_close_reports_what_is_left() {
    let (b, sink, _c, h) = setup(RemoteOptions::default());
    let app = b.logger("app");
    app.info("a", ());
    sink.up.set(true);
    // Still inside the 1 s back-off, but flush tries at once.
    h.flush().unwrap();
    assert_eq!(messages(&sink), ["a"]);
    sink.up.set(false);
    app.info("b", ());
    h.close();
    let err = b.stderr.text(Stream::Stderr);
    assert!(err.contains("closed with 1 record(s) undelivered"), "{err}");
}

#[test]
fn a_refused_endpoint_fails_the_configuration_at_its_path_and_opens_nothing() {
    let b = Base::new();
    let sink = Rc::new(Scripted::default());
    sink.refuse.set(true);
    let env = ConfigEnv {
        remote: Some(sink.clone()),
        ..ConfigEnv::default()
    };
    let config = wasm_logging::core::config::json::parse_json(
        r#"{"version": 1,
            "handlers": {"sock": {"class": "logging.handlers.SocketHandler",
                                  "host": "10.9.8.7", "port": 9020}},
            "root": {"handlers": ["sock"], "level": "DEBUG"}}"#,
    )
    .unwrap();
    let err = dict_config_with(&b.manager, &env, &config).unwrap_err();
    assert_eq!(err.path(), "handlers.sock.host");
    assert!(err.message().contains("not allowed"), "{err}");
    assert_eq!(sink.opens.get(), 0);
    // Nothing changed: the root keeps its test handler and level.
    assert_eq!(b.root.handlers().len(), 1);
}

#[test]
fn a_host_without_connections_names_the_browser_transports() {
    let b = Base::new();
    let config = wasm_logging::core::config::json::parse_json(
        r#"{"version": 1,
            "handlers": {"syslog": {"class": "logging.handlers.SysLogHandler",
                                    "address": ["localhost", 514]}},
            "root": {"handlers": ["syslog"]}}"#,
    )
    .unwrap();
    let err = dict_config_with(&b.manager, &ConfigEnv::default(), &config).unwrap_err();
    assert_eq!(err.path(), "handlers.syslog.address");
    assert!(
        err.message().contains("browsers have no raw sockets"),
        "{err}"
    );
}

#[test]
fn configured_attributes_tune_the_buffer_and_back_off() {
    let b = Base::new();
    let _c = clock();
    let sink = Rc::new(Scripted::default());
    let env = ConfigEnv {
        remote: Some(sink.clone()),
        ..ConfigEnv::default()
    };
    let config = wasm_logging::core::config::json::parse_json(
        r#"{"version": 1,
            "handlers": {"sock": {"class": "logging.handlers.SocketHandler",
                                  "host": "collector", "port": 9020,
                                  ".": {"capacity": 3, "retryStart": 5.0}}},
            "loggers": {"app": {"handlers": ["sock"], "level": "DEBUG"}}}"#,
    )
    .unwrap();
    dict_config_with(&b.manager, &env, &config).unwrap();
    let app = b.logger("app");
    for i in 0..10 {
        app.info(format!("m{i}"), ());
    }
    let h = wasm_logging::core::handler::get_handler_by_name("sock").unwrap();
    let remote = h
        .as_any()
        .and_then(|a| a.downcast_ref::<wasm_logging::RemoteHandler>())
        .unwrap();
    assert_eq!(remote.stats().dropped, 7);
    assert_eq!(remote.pending(), 3);
    // Bad attribute values are configuration errors at their path.
    let bad = wasm_logging::core::config::json::parse_json(
        r#"{"version": 1,
            "handlers": {"sock": {"class": "logging.handlers.SocketHandler",
                                  "host": "collector", "port": 9020,
                                  ".": {"retryMax": "soon"}}}}"#,
    )
    .unwrap();
    let err = dict_config_with(&b.manager, &env, &bad).unwrap_err();
    assert_eq!(err.path(), "handlers.sock..retryMax");
}
