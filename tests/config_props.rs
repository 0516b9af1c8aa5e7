//! Property tests: `dictConfig`, `basicConfig` and the JSON reader never panic, whatever the
//! configuration, and a refused configuration changes nothing.

#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use proptest::prelude::*;
use wasm_logging::core::config::{
    basic_config_with, dict_config_with, json::parse_json, BasicConfig, ConfigEnv,
};
use wasm_logging::{host, Manager, MemoryConsole, Stream, Text, Value};

/// Keys and strings that mean something to dictConfig, so generated trees hit real paths.
const WORDS: &[&str] = &[
    "version",
    "formatters",
    "filters",
    "handlers",
    "loggers",
    "root",
    "incremental",
    "disable_existing_loggers",
    "format",
    "datefmt",
    "style",
    "validate",
    "defaults",
    "class",
    "()",
    ".",
    "name",
    "level",
    "formatter",
    "propagate",
    "stream",
    "capacity",
    "flushLevel",
    "target",
    "flushOnClose",
    "queue",
    "listener",
    "respect_handler_level",
    "terminator",
    "converter",
    "h",
    "f",
    "a",
    "a.b",
    "logging.StreamHandler",
    "logging.NullHandler",
    "logging.handlers.MemoryHandler",
    "logging.handlers.QueueHandler",
    "logging.Formatter",
    "logging.handlers.SocketHandler",
    "ext://sys.stdout",
    "ext://sys.stderr",
    "cfg://handlers",
    "cfg://handlers.h",
    "cfg://root[level]",
    "cfg://a",
    "wasm_logging.max_level",
    "wasm_logging.queue",
    "INFO",
    "DEBUG",
    "LOUD",
    "%",
    "{",
    "$",
    "%(message)s",
    "{message}",
    "${message}",
    "%(x)z",
    "{0!z}",
    "$",
    "time.gmtime",
    "",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_owned),
        "[a-z%(){}.$:!\\[\\]/]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![Just(1i64), Just(0), Just(-1), Just(50), any::<i64>()].prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        word().prop_map(|s| Value::Str(Text::from(s))),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::list),
            prop::collection::vec((word(), inner), 0..6)
                .prop_map(|kv| { Value::dict(kv.into_iter().map(|(k, v)| (Text::from(k), v))) }),
        ]
    })
}

/// A configuration that starts like a real one, then goes anywhere.
fn config() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just(Value::Int(1)), value()],
        value(),
        value(),
        value(),
        value(),
    )
        .prop_map(|(version, formatters, filters, handlers, rest)| {
            Value::dict([
                ("version", version),
                ("formatters", formatters),
                ("filters", filters),
                ("handlers", handlers),
                ("loggers", rest.clone()),
                ("root", rest),
            ])
        })
}

fn probe(m: &Manager, console: &MemoryConsole) -> String {
    console.clear();
    m.get_logger("app").warning("probe", ());
    console.text(Stream::Stdout)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn dict_config_never_panics_and_refusals_change_nothing(cfg in config()) {
        let console = Rc::new(MemoryConsole::new());
        host::install_console(console.clone());
        let m = Manager::new();
        let good = parse_json(r#"{"version": 1,
            "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
            "root": {"handlers": ["out"]}}"#).unwrap();
        dict_config_with(&m, &ConfigEnv::default(), &good).unwrap();
        let before = probe(&m, &console);
        prop_assert_eq!(&before, "probe\n");
        if dict_config_with(&m, &ConfigEnv::default(), &cfg).is_err() {
            prop_assert_eq!(probe(&m, &console), before);
        }
    }

    #[test]
    fn basic_config_never_panics(kwargs in value()) {
        let m = Manager::new();
        if let Ok(opts) = BasicConfig::from_value(&kwargs) {
            let _ = basic_config_with(&m, &ConfigEnv::default(), opts);
        }
    }

    #[test]
    fn json_reader_never_panics(text in ".{0,64}") {
        let _ = parse_json(&text);
    }
}
