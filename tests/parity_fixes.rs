//! Differences from CPython 3.13 that a differential suite found (issue 12), each pinned
//! against what `python3.13` prints for the same configuration and calls.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;
use std::rc::Rc;

use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::{
    host, ConsoleHandler, Formatter, Handler, LogOptions, Manager, MemoryConsole, MemoryStorage,
    Stream, Value,
};

const NOW_NS: i64 = 1_700_000_000_123_456_789;

fn python() -> Option<String> {
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/python-ref.sh"
        ))
        .output()
        .ok()?;
    let p = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!p.is_empty()).then_some(p)
}

/// CPython's stdout and stderr for `body` after a fixed clock and start time.
fn cpython(body: &str) -> Option<(String, String)> {
    let py = python()?;
    let script = format!(
        "import json, logging, logging.config, logging.handlers, sys, time\n\
         time.time_ns = lambda: {NOW_NS}\n\
         time.time = lambda: {NOW_NS} / 1e9\n\
         logging._startTime = {NOW_NS} - 1_500_000_000\n\
         {body}\n"
    );
    let out = Command::new(py)
        .arg("-c")
        .arg(script)
        .env("TZ", "UTC")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// A manager, a fixed clock whose start is 1.5 s earlier, and captured stdout/stderr.
fn setup() -> (Manager, Rc<MemoryConsole>) {
    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    host::install_clock(Rc::new(host::FixedClock::new(NOW_NS)));
    host::set_start_ns(NOW_NS - 1_500_000_000);
    (Manager::new(), console)
}

fn configure(m: &Manager, json: &str) {
    let env = ConfigEnv {
        storage: Some(Rc::new(MemoryStorage::new())),
        ..ConfigEnv::default()
    };
    dict_config_with(m, &env, &parse_json(json).unwrap()).unwrap();
}

#[test]
fn memory_handler_without_flush_on_close_is_not_flushed_at_shutdown_or_reconfiguration() {
    let config = r#"{"version": 1,
        "formatters": {"f": {"format": "%(levelname)s %(message)s"}},
        "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "f"},
                     "mem": {"class": "logging.handlers.MemoryHandler", "capacity": 10,
                             "target": "out", "flushOnClose": false}},
        "root": {"level": "DEBUG", "handlers": ["mem"]}}"#;
    let (m, console) = setup();
    configure(&m, config);
    m.root().info("buffered then dropped", ());
    // A full dictConfig closes the old handlers; then shutdown.
    configure(&m, r#"{"version": 1}"#);
    m.root().info("after", ());
    m.shutdown();
    let ours = console.text(Stream::Stdout);
    assert_eq!(ours, "");
    if let Some((out, _)) = cpython(&format!(
        "logging.config.dictConfig(json.loads({config:?}))\n\
         logging.getLogger().info('buffered then dropped')\n\
         logging.config.dictConfig({{'version': 1}})\n\
         logging.getLogger().info('after')\n\
         logging.shutdown()"
    )) {
        assert_eq!(ours, out);
    }
}

#[test]
fn rotating_handler_with_max_bytes_null_is_refused() {
    let (m, _) = setup();
    let env = ConfigEnv {
        storage: Some(Rc::new(MemoryStorage::new())),
        ..ConfigEnv::default()
    };
    let err = dict_config_with(
        &m,
        &env,
        &parse_json(
            r#"{"version": 1, "handlers": {"r": {"class": "logging.handlers.RotatingFileHandler",
                "filename": "a.log", "maxBytes": null}}}"#,
        )
        .unwrap(),
    )
    .unwrap_err();
    assert_eq!(err.path(), "handlers.r.maxBytes");
    assert!(err.message().contains("'>' not supported"), "{err}");
}

#[test]
fn disable_accepts_level_names_and_refuses_unknown_ones() {
    let (m, _) = setup();
    m.disable_level("INFO").unwrap();
    assert_eq!(m.disabled_level(), 20);
    assert!(m.disable_level("LOUD").is_err());
    assert_eq!(m.disabled_level(), 20);
    m.disable_level(0).unwrap();
}

#[test]
fn an_extra_that_overwrites_a_record_attribute_is_reported_and_not_emitted() {
    let (m, console) = setup();
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    m.root().add_handler(h);
    m.root().log_with(
        30,
        "clash",
        (),
        LogOptions::new().extra("msg", Value::str("x")),
    );
    assert_eq!(console.text(Stream::Stdout), "");
    let err = console.text(Stream::Stderr);
    assert!(
        err.contains("KeyError: \"Attempt to overwrite 'msg' in LogRecord\""),
        "{err}"
    );
    if let Some((out, err)) = cpython(
        "logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))\n\
         try:\n    logging.getLogger().warning('clash', extra={'msg': 'x'})\n\
         except KeyError as e:\n    print('KeyError:', e, file=sys.stderr)",
    ) {
        assert_eq!(out, "");
        assert!(err.contains("Attempt to overwrite 'msg' in LogRecord"));
    }
}

#[test]
fn converter_attributes_behave_as_in_cpython_and_utc_comes_from_a_factory() {
    // `.` is ignored on a plain formatter; on a `()` formatter CPython sets the string itself
    // (`.` values are not converted, `ext://` included), so every record fails to format;
    // the cookbook's UTCFormatter is a `()` factory.
    let config = r#"{"version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(message)s", "fromat": "ignored",
                                 ".": {"converter": "ext://time.gmtime"}},
                       "dotted": {"()": "logging.Formatter", "format": "%(asctime)s %(message)s",
                                  ".": {"converter": "ext://time.gmtime"}},
                       "utc": {"()": "wasm_logging.UTCFormatter", "format": "%(asctime)s %(message)s"}},
        "handlers": {"a": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"},
                     "b": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "dotted"},
                     "c": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "utc"}},
        "root": {"level": "DEBUG", "handlers": ["a", "b", "c"]}}"#;
    let (m, console) = setup();
    // Local time one hour east of UTC.
    host::install_clock_keeping_start(Rc::new(host::FixedClock::new(NOW_NS).with_offset(
        wasm_logging::core::time::LocalOffset {
            utc_offset: 3600,
            zone: "CET".into(),
            is_dst: 0,
        },
    )));
    configure(&m, config);
    m.root().info("t", ());
    let ours = console.text(Stream::Stdout);
    assert_eq!(
        ours,
        "2023-11-14 23:13:20,123 t\n2023-11-14 22:13:20,123 t\n"
    );
    let err = console.text(Stream::Stderr);
    assert!(
        err.contains("TypeError: 'str' object is not callable"),
        "{err}"
    );
    if let Some(py) = python() {
        let out = Command::new(py)
            .arg("-c")
            .arg(format!(
                "import json, logging, logging.config, time\n\
                 time.time_ns = lambda: {NOW_NS}\n\
                 class UTCFormatter(logging.Formatter):\n    converter = time.gmtime\n\
                 logging.config.dictConfig(json.loads({:?}))\n\
                 logging.getLogger().info('t')",
                config.replace("wasm_logging.UTCFormatter", "__main__.UTCFormatter")
            ))
            .env("TZ", "CET")
            .output()
            .unwrap();
        assert_eq!(ours, String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stderr).contains("'str' object is not callable"));
    }
}

#[test]
fn file_handlers_take_a_terminator_attribute() {
    let (m, _) = setup();
    let storage = Rc::new(MemoryStorage::new());
    let env = ConfigEnv {
        storage: Some(storage.clone()),
        ..ConfigEnv::default()
    };
    let config = r#"{"version": 1,
        "handlers": {"f": {"class": "logging.FileHandler", "filename": "a.log", ".": {"terminator": " |\n"}},
                     "r": {"class": "logging.handlers.RotatingFileHandler", "filename": "b.log",
                           "maxBytes": 1000, ".": {"terminator": ";"}}},
        "root": {"level": "DEBUG", "handlers": ["f", "r"]}}"#;
    dict_config_with(&m, &env, &parse_json(config).unwrap()).unwrap();
    m.root().info("one", ());
    m.root().info("two", ());
    use wasm_logging::StorageSink;
    let text = |n: &str| String::from_utf8(storage.read(n).unwrap().unwrap()).unwrap();
    assert_eq!(text("a.log"), "one |\ntwo |\n");
    assert_eq!(text("b.log"), "one;two;");
}

#[test]
fn a_file_handler_in_a_missing_directory_is_refused_unless_delayed() {
    let (m, _) = setup();
    let dir = std::env::temp_dir().join(format!("wl-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Native storage over a real directory: the planner asks `size`, which fails for a
    // name whose directory does not exist.
    struct Dir(std::path::PathBuf);
    impl wasm_logging::StorageSink for Dir {
        fn append(&self, _: &str, _: &[u8]) -> wasm_logging::core::error::Result<()> {
            Ok(())
        }
        fn size(&self, name: &str) -> wasm_logging::core::error::Result<Option<u64>> {
            let p = self.0.join(name);
            match std::fs::metadata(&p) {
                Ok(md) => Ok(Some(md.len())),
                Err(_) if p.parent().is_some_and(|d| d.is_dir()) => Ok(None),
                Err(e) => Err(wasm_logging::core::error::Error::os_error(format!(
                    "[Errno 2] {e}: '{name}'"
                ))),
            }
        }
        fn rename(&self, _: &str, _: &str) -> wasm_logging::core::error::Result<()> {
            Ok(())
        }
        fn remove(&self, _: &str) -> wasm_logging::core::error::Result<()> {
            Ok(())
        }
        fn read(&self, _: &str) -> wasm_logging::core::error::Result<Option<Vec<u8>>> {
            Ok(None)
        }
        fn truncate(&self, _: &str) -> wasm_logging::core::error::Result<()> {
            Ok(())
        }
    }
    let env = ConfigEnv {
        storage: Some(Rc::new(Dir(dir.clone()))),
        ..ConfigEnv::default()
    };
    let refused = r#"{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "nodir/a.log"}}}"#;
    let err = dict_config_with(&m, &env, &parse_json(refused).unwrap()).unwrap_err();
    assert_eq!(err.path(), "handlers.f.filename");
    let delayed = r#"{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "nodir/a.log", "delay": true}}}"#;
    dict_config_with(&m, &env, &parse_json(delayed).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_start_time_is_settable_apart_from_the_clock() {
    let (m, console) = setup();
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    h.core().set_formatter(Some(Rc::new(
        Formatter::new("%(relativeCreated)d %(threadName)s %(processName)s %(message)s").unwrap(),
    )));
    m.root().add_handler(h);
    m.root().warning("r", ());
    let ours = console.text(Stream::Stdout);
    assert_eq!(ours, "1500 MainThread MainProcess r\n");
    if let Some((out, _)) = cpython(
        "h = logging.StreamHandler(sys.stdout)\n\
         h.setFormatter(logging.Formatter('%(relativeCreated)d %(threadName)s %(processName)s %(message)s'))\n\
         logging.getLogger().addHandler(h)\n\
         logging.getLogger().warning('r')",
    ) {
        assert_eq!(ours, out);
    }
}

#[test]
fn keys_cpython_ignores_in_loggers_root_and_plain_filters_are_ignored() {
    // CPython's configure_logger / configure_root / plain configure_filter read only their
    // own keys; `()` entries are calls, where an unknown keyword is a TypeError.
    let (m, _) = setup();
    configure(
        &m,
        r#"{"version": 1, "filters": {"f": {"name": "a", "nmae": "x"}},
            "loggers": {"a": {"lvl": "INFO", "propgate": false}},
            "root": {"propagate": false, "level": "ERROR"}}"#,
    );
    assert_eq!(m.root().level(), 40);
    assert!(m.get_logger("a").propagate());
    let env = ConfigEnv::default();
    let err = dict_config_with(
        &m,
        &env,
        &parse_json(r#"{"version": 1, "filters": {"f": {"()": "logging.Filter", "nmae": "x"}}}"#)
            .unwrap(),
    )
    .unwrap_err();
    assert_eq!(err.path(), "filters.f.nmae");
}
