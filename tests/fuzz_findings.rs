//! What `make fuzz` found (fuzz/, docs/fuzzing.md), one test per finding, each with the
//! input the fuzzer saved (or its shortest form): each once crashed, hung or blew up.

use std::rc::Rc;

use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::core::sink::MemoryStorage;
use wasm_logging::{Manager, Value};

fn configure(json: &str) -> Result<(), (String, String)> {
    let value = parse_json(json).expect("the input is JSON");
    dict_config_with(&Manager::new(), &ConfigEnv::default(), &value)
        .map_err(|e| (e.path().to_owned(), e.message().to_owned()))
}

/// fuzz/artifacts/dictconfig/abort-e9f28ff234e7af4e: a formatter whose own configuration
/// refers to itself through `cfg://`. Keyword arguments are resolved eagerly, so the
/// reference expanded into itself until the stack overflowed (an abort natively, a trap in
/// Wasm). CPython converts lazily and never expands it; here it is refused as a cycle.
#[test]
fn a_cfg_reference_to_its_own_container_is_a_cycle_not_a_stack_overflow() {
    let (path, message) = configure(
        r#"{
    "version": 1,
    "formatters": {"f": {"class": "logging.StreamHandler", "formatter": "cfg://formatters.f"}}, "root": {"handlers": ["h"]}}"#,
    )
    .unwrap_err();
    assert!(path.starts_with("formatters.f"), "{path}: {message}");
    assert!(message.contains("(a cycle?)"), "{path}: {message}");
}

/// The same cycle with two references per level: bounded by depth alone it would expand to
/// 2^16 copies at every step; the value budget stops it at once.
#[test]
fn references_that_fan_out_are_bounded_in_total() {
    let start = std::time::Instant::now();
    let (path, message) = configure(
        r#"{"version": 1, "filters": {"f": {"()": "wasm_logging.min_level", "level": 10,
            "a": "cfg://filters.f", "b": "cfg://filters.f", "c": "cfg://filters.f"}}}"#,
    )
    .unwrap_err();
    assert!(path.starts_with("filters.f"), "{path}: {message}");
    assert!(
        message.contains("(a cycle?)") || message.contains("expand to more than"),
        "{path}: {message}"
    );
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

/// References that do not cycle still resolve, however many (the bounds are far above what a
/// configuration needs).
#[test]
fn shared_references_without_a_cycle_still_resolve() {
    configure(
        r#"{"version": 1, "levels": {"lo": 10},
            "filters": {"f": {"()": "wasm_logging.min_level", "level": "cfg://levels.lo"}},
            "handlers": {"h": {"class": "logging.NullHandler", "filters": ["f"]}},
            "root": {"handlers": ["h"]}}"#,
    )
    .unwrap();
}

/// fuzz/artifacts/dictconfig/crash-2dfbf369151a9745: `TimedRotatingFileHandler` with
/// `interval` -2^63. CPython takes any int (its rollover arithmetic is unbounded); the
/// rollover time `interval - 86400` overflowed an i64 (a panic with overflow checks, a wrong
/// rollover time without). The arithmetic saturates now, and records are still written.
#[test]
fn a_timed_rotation_interval_at_the_i64_limit_does_not_overflow() {
    for (when, interval) in [
        ("midnight", "-9223372036854775808"),
        ("W3", "-9223372036854775808"),
        ("S", "9223372036854775807"),
        ("D", "-9223372036854775808"),
    ] {
        let json = format!(
            r#"{{"version": 1, "handlers": {{"t": {{"class": "logging.handlers.TimedRotatingFileHandler",
                "filename": "t.log", "when": "{when}", "interval": {interval}, "backupCount": 2,
                "atTime": "01:02:03", "utc": true}}}}, "root": {{"handlers": ["t"], "level": "NOTSET"}}}}"#
        );
        let storage = Rc::new(MemoryStorage::new());
        let env = ConfigEnv {
            storage: Some(storage.clone()),
            remote: None,
        };
        let manager = Manager::new();
        dict_config_with(&manager, &env, &parse_json(&json).unwrap()).unwrap();
        manager.root().warning("%s", vec![Value::str("kept")]);
        manager.root().warning("%s", vec![Value::str("and kept")]);
        manager.shutdown();
        let text = String::from_utf8(
            wasm_logging::StorageSink::read(&*storage, "t.log")
                .ok()
                .flatten()
                .unwrap_or_default(),
        )
        .unwrap();
        assert!(text.contains("kept\n"), "{when} {interval}: {text:?}");
    }
}

fn rotating_logs(backup_count: &str) -> Vec<(String, String)> {
    let json = format!(
        r#"{{"version": 1, "formatters": {{"f": {{"format": "%(message)s"}}}},
            "handlers": {{"file": {{"class": "logging.handlers.RotatingFileHandler",
            "filename": "app.log", "maxBytes": 100, "backupCount": {backup_count},
            "formatter": "f"}}}}, "root": {{"level": "INFO", "handlers": ["file"]}}}}"#
    );
    let storage = Rc::new(MemoryStorage::new());
    let env = ConfigEnv {
        storage: Some(storage.clone()),
        remote: None,
    };
    let manager = Manager::new();
    dict_config_with(&manager, &env, &parse_json(&json).unwrap()).unwrap();
    for i in 0..7 {
        manager.root().info(
            "record %d %s",
            vec![Value::Int(i), Value::str("x".repeat(60))],
        );
    }
    manager.shutdown();
    storage
        .names()
        .into_iter()
        .map(|n| {
            let bytes = wasm_logging::StorageSink::read(&*storage, &n)
                .ok()
                .flatten()
                .unwrap_or_default();
            (n, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

/// fuzz/artifacts/dictconfig/hang-3a1205862c1b6a96: `RotatingFileHandler` with
/// `backupCount` 3100000001. CPython's `doRollover` asks about every `name.i` from
/// `backupCount - 1` down to 1, which here meant three billion size queries per rollover (a
/// hang; CPython hangs too). Where the storage lists its logs, only the existing backups are
/// visited now, with the same renames in the same order.
#[test]
fn a_huge_backup_count_rotates_like_a_small_one_and_at_once() {
    let start = std::time::Instant::now();
    let huge = rotating_logs("3100000001");
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    let small = rotating_logs("10");
    assert_eq!(huge, small);
    let names: Vec<&str> = huge.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "app.log",
            "app.log.1",
            "app.log.2",
            "app.log.3",
            "app.log.4",
            "app.log.5",
            "app.log.6"
        ]
    );
    assert!(huge[0].1.starts_with("record 6 "), "{:?}", huge[0]);
    assert!(huge[6].1.starts_with("record 0 "), "{:?}", huge[6]);
}

/// fuzz/artifacts/interp/oom-d6fedacc1083ded5: `%(a)97965536s` repeated. Each field is
/// within `MAX_WIDTH`, but together they asked for one allocation of 1.5 GB (a trap in a
/// Wasm instance, whose memory cannot grow that far). One call now stops past `MAX_OUTPUT`
/// bytes with an `OverflowError` (CPython would go on to `MemoryError`), leaving `out` as
/// it was.
#[test]
fn repeated_wide_fields_stop_at_the_output_bound() {
    use wasm_logging::core::pyfmt::{brace_format, percent_format, PercentArgs, MAX_OUTPUT};
    let dict = Value::dict([("a", Value::str("x"))]);
    let mut out = String::from("kept");
    let e = percent_format(
        &"%(a)99999999s".repeat(20),
        PercentArgs::Single(&dict),
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind().name(), e.message()),
        ("OverflowError", "formatted string is too long")
    );
    assert_eq!(out, "kept");

    let e = brace_format(
        &"{0:>99999999}".repeat(20),
        &[Value::str("x")],
        &|_| None,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(e.message(), "formatted string is too long");
    assert_eq!(out, "kept");

    // Just under the bound still formats.
    let n = MAX_OUTPUT / 99_999_999;
    percent_format(
        &"%(a)99999999s".repeat(n),
        PercentArgs::Single(&dict),
        &mut out,
    )
    .unwrap();
    assert_eq!(out.len(), 4 + n * 99_999_999);
}
