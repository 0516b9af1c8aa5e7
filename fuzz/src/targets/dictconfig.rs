//! `dictconfig`: `dictConfig` from JSON text: the core's JSON reader, then the whole
//! configuration build (formatters, filters, handlers, loggers, `cfg://`, `ext://`, `()`
//! factories, incremental), committed to a fresh manager with memory storage and a remote
//! sink that accepts everything; then records through every configured logger, a flush and
//! a shutdown, so what was built also runs.
//!
//! Input: the JSON text.

use std::rc::Rc;

use wasm_logging::core::config::{self, register_factory, Built, ConfigEnv, FactoryKind, Kwargs};
use wasm_logging::core::error::Result as CoreResult;
use wasm_logging::core::filter::filter_fn;
use wasm_logging::core::manager::Manager;
use wasm_logging::core::record::LogRecord;
use wasm_logging::core::sink::{ConnectionId, Endpoint, MemoryStorage, RemoteSink, SendStatus};
use wasm_logging::core::value::{Text, Value};

use super::{outcome, quiet_host, text};
use crate::engine::{message_signature, Target};

/// The driver.
pub fn target() -> Target {
    Target {
        name: "dictconfig",
        about: "dictConfig JSON: parse, build and commit, then log through what was built",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 4096,
        json: true,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"true",
    b"false",
    b"-0",
    b"1e999",
    b"18446744073709551616",
    b"\"version\": 1",
    b"\"incremental\": true",
    b"\"disable_existing_loggers\": false",
    b"\"formatters\": {",
    b"\"filters\": {",
    b"\"handlers\": {",
    b"\"loggers\": {",
    b"\"root\": {",
    b"\"class\": ",
    b"\"()\": ",
    b"\".\": {",
    b"\"level\": ",
    b"\"DEBUG\"",
    b"\"WARNING\"",
    b"\"NOTSET\"",
    b"\"Level 5\"",
    b"\"propagate\": false",
    b"\"formatter\": ",
    b"\"format\": \"%(message)s\"",
    b"\"fmt\": ",
    b"\"datefmt\": \"%H:%M\"",
    b"\"style\": \"{\"",
    b"\"style\": \"$\"",
    b"\"validate\": false",
    b"\"defaults\": {\"x\": 1}",
    b"\"stream\": \"ext://sys.stdout\"",
    b"\"ext://sys.stderr\"",
    b"\"cfg://handlers.a\"",
    b"\"cfg://formatters[f]\"",
    b"\"cfg://x[0]\"",
    b"\"logging.StreamHandler\"",
    b"\"logging.FileHandler\"",
    b"\"logging.NullHandler\"",
    b"\"logging.Formatter\"",
    b"\"logging.Filter\"",
    b"\"logging.handlers.RotatingFileHandler\"",
    b"\"logging.handlers.TimedRotatingFileHandler\"",
    b"\"logging.handlers.WatchedFileHandler\"",
    b"\"logging.handlers.MemoryHandler\"",
    b"\"logging.handlers.QueueHandler\"",
    b"\"logging.handlers.QueueListener\"",
    b"\"logging.handlers.SocketHandler\"",
    b"\"logging.handlers.DatagramHandler\"",
    b"\"logging.handlers.SysLogHandler\"",
    b"\"logging.handlers.HTTPHandler\"",
    b"\"logging.handlers.SMTPHandler\"",
    b"\"wasm_logging.JsonFormatter\"",
    b"\"wasm_logging.queue\"",
    b"\"wasm_logging.min_level\"",
    b"\"wasm_logging.max_level\"",
    b"\"__main__.filter_maker\"",
    b"\"filename\": \"app.log\"",
    b"\"mode\": \"w\"",
    b"\"encoding\": \"utf-8\"",
    b"\"delay\": true",
    b"\"maxBytes\": 100",
    b"\"backupCount\": 3",
    b"\"when\": \"midnight\"",
    b"\"when\": \"W6\"",
    b"\"interval\": 0",
    b"\"atTime\": \"25:61\"",
    b"\"utc\": true",
    b"\"capacity\": 2",
    b"\"flushLevel\": \"ERROR\"",
    b"\"target\": ",
    b"\"flushOnClose\": false",
    b"\"queue\": ",
    b"\"maxsize\": 1",
    b"\"listener\": ",
    b"\"respect_handler_level\": true",
    b"\"host\": \"localhost\"",
    b"\"port\": 9020",
    b"\"port\": 65536",
    b"\"address\": [\"localhost\", 514]",
    b"\"address\": \"/dev/log\"",
    b"\"facility\": \"local7\"",
    b"\"socktype\": ",
    b"\"framing\": ",
    b"\"url\": \"/log\"",
    b"\"method\": \"POST\"",
    b"\"secure\": true",
    b"\"credentials\": [\"u\", \"p\"]",
    b"\"context\": ",
    b"\"keys\": [\"name\", \"message\"]",
    b"\"extra\": true",
    b"\"filters\": [\"f\"]",
    b"\"handlers\": [\"h\"]",
    b"\"name\": \"a.b\"",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out = crate::seeds::files("tests/fixtures/dictconfig", &[".json"]);
    out.extend(crate::seeds::files(
        "tests/fixtures/remote",
        &["config.json"],
    ));
    out.extend(crate::seeds::lines("fuzz/seeds/dictconfig.jsonl"));
    out
}

/// A remote sink that takes every frame and keeps none (a bounded drop, not a buffer).
struct AcceptAll;

impl RemoteSink for AcceptAll {
    fn check(&self, _endpoint: &Endpoint) -> CoreResult<()> {
        Ok(())
    }
    fn open(&self, _endpoint: &Endpoint) -> CoreResult<ConnectionId> {
        Ok(1)
    }
    fn send(&self, _conn: ConnectionId, _frame: &[u8]) -> CoreResult<SendStatus> {
        Ok(SendStatus::Sent)
    }
    fn close(&self, _conn: ConnectionId) -> CoreResult<()> {
        Ok(())
    }
}

thread_local! {
    static FACTORIES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The cookbook's `filter_maker` (recipe 5), as tests/dict_config.rs registers it.
fn register_factories() {
    if FACTORIES.with(|f| f.replace(true)) {
        return;
    }
    register_factory(
        "__main__.filter_maker",
        Rc::new(|kind, kwargs: &[(Text, Value)]| {
            if kind != FactoryKind::Filter {
                return Err("filter_maker builds filters".to_owned());
            }
            let mut kw = Kwargs::new(kwargs.to_vec());
            let level = kw.take_level("level").map_err(|(_, m)| m)?.ok_or("level")?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                r.levelno <= level
            })))
        }),
    );
}

fn run(data: &[u8]) -> u64 {
    quiet_host();
    register_factories();
    let json = text(data);
    let value = match config::json::parse_json(&json) {
        Ok(v) => v,
        Err(e) => return message_signature(&e),
    };
    let manager = Manager::new();
    let env = ConfigEnv {
        storage: Some(Rc::new(MemoryStorage::new())),
        remote: Some(Rc::new(AcceptAll)),
    };
    let r = config::dict_config_with(&manager, &env, &value);
    let sig = match &r {
        Ok(()) => 1,
        Err(e) => message_signature(e.path()) ^ message_signature(e.message()).rotate_left(5),
    };
    if r.is_ok() {
        // Run what was built: every logger at every standard level, with arguments, an
        // extra-free message that is itself a format, and a dict argument.
        let mut names = manager.logger_names();
        names.push(String::new());
        names.truncate(32);
        let mut emitted = 0usize;
        for name in &names {
            let logger = if name.is_empty() {
                manager.root()
            } else {
                manager.get_logger(name)
            };
            for level in [5, 10, 20, 30, 40, 50] {
                logger.log(
                    level,
                    "%s took %d ms",
                    vec![Value::str("query"), Value::Int(12)],
                );
                emitted += 1;
            }
            logger.log(30, "100% %(x)s", vec![Value::dict([("x", Value::Int(1))])]);
        }
        manager.flush();
        manager.shutdown();
        return sig ^ outcome::<String>(7, &Ok(emitted));
    }
    sig
}
