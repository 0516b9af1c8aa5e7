//! `log-many` and `handle-fields-many` as batches: one console write and one clock read per
//! call (src/wasi/batch.rs, docs/wasi-performance.md), with the same bytes, in the same
//! order, as one call per record.

mod common;

use common::{instance, instance_with, python_snippet, runtime, temp_dir, NOW_NS};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::Level;
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::{LogEntry, Value};
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
use wasm_logging_host::{
    basic_options, Console, Factories, HostOptions, HostRecord, Instance, LocalTime, Zone,
};

const FORMAT: &str = "%(asctime)s %(name)s %(levelname)s %(message)s";

fn entry(level: i64, msg: &str, args: Vec<Value>) -> LogEntry {
    LogEntry {
        level,
        msg: msg.to_owned(),
        args,
        extra: Vec::new(),
    }
}

fn configure(i: &mut Instance, format: &str) {
    let mut o = basic_options(format);
    o.level = Some(Level::Number(20));
    i.basic_config(&o).unwrap().unwrap();
}

/// An instance with the fixed clock whose console counts what it is given.
fn counting(format: &str) -> Instance {
    let mut i = runtime()
        .instantiate(HostOptions {
            console: Console::count(),
            clock: Some(NOW_NS),
            zone: Zone::Fixed(LocalTime::utc()),
            ..HostOptions::default()
        })
        .unwrap();
    configure(&mut i, format);
    i
}

#[test]
fn log_many_writes_the_console_once_per_call_and_log_once_per_record() {
    let mut i = counting(FORMAT);
    let entries: Vec<LogEntry> = (0..100)
        .map(|n| entry(20, "Message no. %d", vec![Value::Int(n)]))
        .collect();
    i.log_many("app.net.http", &entries).unwrap();
    let c = i.counted();
    assert_eq!((c.writes, c.stderr_lines, c.stdout_lines), (1, 100, 0));
    for e in &entries {
        i.log("app.net.http", e.level, &e.msg, &e.args, &[])
            .unwrap();
    }
    let c = i.counted();
    assert_eq!((c.writes, c.stderr_lines), (101, 200));
    // Below the level: nothing is written, not even an empty batch.
    i.log_many("app", &[entry(10, "quiet", Vec::new())])
        .unwrap();
    assert_eq!(i.counted().writes, 101);
}

#[test]
fn handle_fields_many_writes_the_console_once_per_call() {
    let mut i = counting(FORMAT);
    let records: Vec<Vec<(String, Value)>> = (0..10)
        .map(|n| {
            vec![
                ("name".to_owned(), Value::Str("relay".into())),
                ("levelno".to_owned(), Value::Int(30)),
                ("levelname".to_owned(), Value::Str("WARNING".into())),
                ("msg".to_owned(), Value::Str(format!("received {n}"))),
            ]
        })
        .collect();
    i.handle_fields_many(&records).unwrap();
    let c = i.counted();
    assert_eq!((c.writes, c.stderr_lines), (1, 10));
}

/// The lines of a batch are CPython's, byte for byte, and the same as one call per record's
/// (a record whose formatting fails is reported in its place, between its neighbours).
#[test]
fn a_batch_prints_what_cpython_prints_in_order_with_error_reports_in_place() {
    let dir = temp_dir("batch-cpython");
    let (mut one, mut many) = (instance(&dir), instance(&dir));
    for i in [&mut one, &mut many] {
        configure(i, FORMAT);
    }
    let entries = vec![
        entry(20, "first %d", vec![Value::Int(1)]),
        entry(10, "below the level %d", vec![Value::Int(2)]),
        entry(40, "bad %d", vec![Value::Str("x".into())]),
        entry(
            30,
            "last %s of %d",
            vec![Value::Str("entry".into()), Value::Int(4)],
        ),
    ];
    for e in &entries {
        one.log("app.net", e.level, &e.msg, &e.args, &[]).unwrap();
    }
    many.log_many("app.net", &entries).unwrap();
    let (a, b) = (one.captured(), many.captured());
    assert_eq!(a, b);
    let (_, py_err) = python_snippet(
        &dir,
        &format!(
            "logging.basicConfig(format={FORMAT:?}, level=20)\n\
             log = logging.getLogger('app.net')\n\
             log.info('first %d', 1)\n\
             log.debug('below the level %d', 2)\n\
             log.error('bad %d', 'x')\n\
             log.warning('last %s of %d', 'entry', 4)\n"
        ),
    );
    // CPython's report also prints the traceback and the call site, which a component caller
    // does not have; the records' lines and the report's place and first and last lines are
    // what both define.
    let ours: Vec<&str> = b.stderr.lines().collect();
    let theirs: Vec<&str> = py_err.lines().collect();
    assert_eq!(ours.first(), theirs.first());
    assert_eq!(ours[0], "2023-11-14 22:13:20,123 app.net INFO first 1");
    assert_eq!(ours[1], "--- Logging error ---");
    assert_eq!(ours.last(), theirs.last());
    assert_eq!(
        ours.last(),
        Some(&"2023-11-14 22:13:20,123 app.net WARNING last entry of 4")
    );
    for line in ["Message: 'bad %d'", "Arguments: ('x',)"] {
        assert!(ours.contains(&line) && theirs.contains(&line), "{line}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A host handler is host code that may print: the batch's lines reach the console before
/// it runs, so its output follows the component's line for the same record.
#[test]
fn a_host_handler_inside_a_batch_prints_after_the_lines_before_it() {
    let dir = temp_dir("batch-host-handler");
    let mut f = Factories::new();
    f.handler("myapp.Echo", |_kw| {
        Ok(|text: &str, _r: &HostRecord, console: &Console| {
            console.write(Stream::Stdout, &format!("HOST: {text}\n"))
        })
    });
    let mut i = instance_with(&dir, f);
    i.dict_config(
        r#"{"version": 1,
            "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
                         "echo": {"class": "myapp.Echo"}},
            "root": {"level": "INFO", "handlers": ["out", "echo"]}}"#,
    )
    .unwrap()
    .unwrap();
    let entries: Vec<LogEntry> = (1..=3)
        .map(|n| entry(20, "record %d", vec![Value::Int(n)]))
        .collect();
    i.log_many("app", &entries).unwrap();
    assert_eq!(
        i.captured().stdout,
        "record 1\nHOST: record 1\nrecord 2\nHOST: record 2\nrecord 3\nHOST: record 3\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The clock is read once per call: every record of a batch has the same `created`.
#[test]
fn the_records_of_one_batch_share_one_clock_read() {
    let mut i = runtime()
        .instantiate(HostOptions {
            console: Console::capture(),
            zone: Zone::Fixed(LocalTime::utc()),
            ..HostOptions::default()
        })
        .unwrap();
    configure(&mut i, "%(created).9f %(message)s");
    let entries: Vec<LogEntry> = (0..50)
        .map(|n| entry(20, "n=%d", vec![Value::Int(n)]))
        .collect();
    i.log_many("app", &entries).unwrap();
    let out = i.captured().stderr;
    let times: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(times.len(), 50);
    assert!(times.iter().all(|t| *t == times[0]), "{out}");
    assert!(out.ends_with(" n=49\n"));
    // The next call reads the clock again.
    std::thread::sleep(std::time::Duration::from_millis(2));
    i.log_many("app", &entries[..1]).unwrap();
    let last = i.captured().stderr;
    assert_ne!(
        last.lines().last().unwrap().split(' ').next(),
        Some(times[0])
    );
}

/// A batch never holds more than 64 KiB of console text: past that it is written out, and
/// every line arrives once.
#[test]
fn a_batch_past_the_bound_is_written_in_pieces() {
    let mut i = counting("%(message)s");
    let long = "x".repeat(1000);
    let entries: Vec<LogEntry> = (0..200).map(|_| entry(20, &long, Vec::new())).collect();
    i.log_many("app", &entries).unwrap();
    let c = i.counted();
    // 1001 bytes a line: a piece is written once it reaches 65,536 bytes (66 lines), so
    // 200 lines are 3 full pieces and the rest.
    assert_eq!(
        (c.stderr_lines, c.stderr_bytes, c.writes),
        (200, 200_200, 4)
    );
}

/// `Instance::log_many` sends the entries packed (`log-packed`); the `log-many` export with
/// its `list<log-entry>` prints the same bytes, with one console write per call too.
#[test]
fn the_log_many_export_and_the_packed_batch_print_the_same() {
    let mut packed = counting(FORMAT);
    let dir = temp_dir("batch-export");
    let (mut a, mut b) = (instance(&dir), instance(&dir));
    for i in [&mut a, &mut b] {
        configure(i, "%(levelname)s %(message)s %(user)s");
    }
    let user = |u: &str| vec![("user".to_owned(), Value::Str(u.into()))];
    let entries = vec![
        LogEntry {
            extra: user("zoë"),
            ..entry(
                20,
                "héllo %s — %d",
                vec![Value::Str("wörld".into()), Value::Int(1)],
            )
        },
        LogEntry {
            extra: user(""),
            ..entry(10, "dropped %s", vec![Value::Str("x".into())])
        },
        LogEntry {
            extra: user("∅"),
            ..entry(30, "", Vec::new())
        },
        LogEntry {
            extra: user("b"),
            ..entry(
                40,
                "%s %s %s",
                vec![Value::None, Value::Boolean(true), Value::Float(2.5)],
            )
        },
    ];
    a.log_many("app", &entries).unwrap();
    let l = b.logger("app").unwrap();
    let exports = b.exports().clone();
    exports
        .wasm_logging_logging_loggers()
        .logger()
        .call_log_many(b.store(), l, &entries)
        .unwrap();
    assert_eq!(a.captured(), b.captured());
    assert_eq!(
        a.captured().stderr,
        "INFO héllo wörld — 1 zoë\nWARNING  ∅\nERROR None True 2.5 b\n"
    );
    let l = packed.logger("app").unwrap();
    let exports = packed.exports().clone();
    exports
        .wasm_logging_logging_loggers()
        .logger()
        .call_log_many(packed.store(), l, &entries)
        .unwrap();
    assert_eq!(packed.counted().writes, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A packed batch whose counts do not add up is refused whole: nothing of it is logged, and
/// the report (a `ValueError` naming the field) is counted.
#[test]
fn a_malformed_packed_batch_is_refused_whole_and_reported() {
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::PackedEntries;
    let dir = temp_dir("batch-malformed");
    let mut i = instance(&dir);
    configure(&mut i, "%(message)s");
    let good = PackedEntries {
        levels: vec![20, 20],
        msgs: "oneé".to_owned(),
        msg_lens: vec![3, 2],
        args: Vec::new(),
        arg_counts: vec![0, 0],
        extra: Vec::new(),
        extra_counts: vec![0, 0],
    };
    let cases = [
        (
            PackedEntries {
                msg_lens: vec![3],
                ..good.clone()
            },
            "ValueError: log-packed: msg-lens: 1 entries for 2 levels",
        ),
        (
            PackedEntries {
                msg_lens: vec![3, 3],
                ..good.clone()
            },
            "ValueError: log-packed: msg-lens[1]: the messages end at byte 6, msgs has 5",
        ),
        (
            PackedEntries {
                msg_lens: vec![4, 1],
                ..good.clone()
            },
            "ValueError: log-packed: msg-lens[0]: byte 4 of msgs is inside a character",
        ),
        (
            PackedEntries {
                msg_lens: vec![3, 0],
                ..good.clone()
            },
            "ValueError: log-packed: msg-lens: the messages take 3 bytes, msgs has 5",
        ),
        (
            PackedEntries {
                arg_counts: vec![0, 1],
                ..good.clone()
            },
            "ValueError: log-packed: arg-counts: the counts add up to 1, the list has 0",
        ),
    ];
    let l = i.logger("app").unwrap();
    let exports = i.exports().clone();
    let loggers = exports.wasm_logging_logging_loggers();
    for (n, (batch, report)) in cases.iter().enumerate() {
        loggers
            .logger()
            .call_log_packed(i.store(), l, batch)
            .unwrap();
        let err = i.captured().stderr;
        assert_eq!(
            err.matches("--- Logging error ---\n").count(),
            n + 1,
            "{err}"
        );
        assert!(
            err.contains(&format!("--- Logging error ---\n{report}\n")),
            "{err}"
        );
        assert_eq!(i.error_count().unwrap(), n as u64 + 1);
    }
    assert!(!i.captured().stderr.contains("one\n"));
    loggers
        .logger()
        .call_log_packed(i.store(), l, &good)
        .unwrap();
    assert!(i.captured().stderr.ends_with("one\né\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}
