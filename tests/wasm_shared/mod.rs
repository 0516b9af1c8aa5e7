//! Tests shared by `tests/node.rs` (Node) and `tests/browser.rs` (headless Chromium): the
//! core on `wasm32-unknown-unknown` with the JavaScript host the bindings install by default
//! — the clock from `performance.now()`/`Date.now()`, the zone from `getTimezoneOffset`,
//! the console with one level-specific method call per record — plus CPython's outputs for
//! formatting, propagation and tracebacks, byte for byte.
//!
//! No test here installs a host global (clock, console): they all share one Wasm instance,
//! and the point is to exercise the JS host. Fixed times go into records directly.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Date, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_logging::{
    host, ConsoleHandler, Converter, ExcInfo, FnHandler, Formatter, Frame, Handler, Location,
    LogRecord, Manager, MemoryConsole, MemoryHandler, RecordFormatter, Stream, Text, Value, DEBUG,
    ERROR, INFO, WARNING,
};

/// 2023-11-14 22:13:20.123456789 UTC, the instant the native suites use.
const NOW_NS: i64 = 1_700_000_000_123_456_789;

/// Replaces `console.debug/info/warn/error/log` with recorders until dropped.
struct ConsoleCapture {
    console: JsValue,
    saved: Vec<(&'static str, JsValue)>,
    calls: Array,
}

const METHODS: [&str; 5] = ["debug", "info", "warn", "error", "log"];

impl ConsoleCapture {
    fn start() -> Self {
        let console = Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let calls = Array::new();
        let maker = Function::new_with_args(
            "calls, name",
            "return function (...args) { calls.push([name, ...args]); };",
        );
        let mut saved = Vec::new();
        for m in METHODS {
            saved.push((m, Reflect::get(&console, &m.into()).unwrap()));
            let recorder = maker.call2(&JsValue::NULL, &calls, &m.into()).unwrap();
            Reflect::set(&console, &m.into(), &recorder).unwrap();
        }
        ConsoleCapture {
            console,
            saved,
            calls,
        }
    }

    /// Replaces one method with a function that throws.
    fn make_throw(&self, method: &str) {
        let thrower = Function::new_no_args("throw new Error('console is broken');");
        Reflect::set(&self.console, &method.into(), &thrower).unwrap();
    }

    /// Every call as strings: `[method, arg0, arg1, …]`.
    fn calls(&self) -> Vec<Vec<String>> {
        self.calls
            .iter()
            .map(|c| {
                Array::from(&c)
                    .iter()
                    .map(|a| a.as_string().unwrap_or_else(|| format!("{a:?}")))
                    .collect()
            })
            .collect()
    }
}

impl Drop for ConsoleCapture {
    fn drop(&mut self) {
        for (m, f) in &self.saved {
            let _ = Reflect::set(&self.console, &(*m).into(), f);
        }
    }
}

fn formatter(fmt: &str) -> Rc<Formatter> {
    Rc::new(Formatter::new(fmt.to_owned()).unwrap())
}

/// A record as a logger would make it, at the fixed instant.
fn record(name: &'static str, level: i64, msg: &'static str, args: Vec<Value>) -> LogRecord {
    LogRecord::new(
        Text::Static(name),
        level,
        wasm_logging::level_name(level),
        Location::unknown(),
        Value::from(msg),
        args,
        None,
        NOW_NS,
        NOW_NS,
    )
}

#[wasm_bindgen_test]
fn the_host_clock_is_the_js_clock() {
    let date_ms = Date::now();
    let (now, start) = host::now_ns();
    let now_ms = now as f64 / 1e6;
    assert!(
        (now_ms - date_ms).abs() < 50.0,
        "host {now_ms} vs Date.now() {date_ms}"
    );
    assert!(now >= start, "now {now} before start {start}");
    let mut last = now;
    for _ in 0..100 {
        let (t, _) = host::now_ns();
        assert!(t >= last, "clock went backwards: {t} < {last}");
        last = t;
    }
}

#[wasm_bindgen_test]
fn records_are_stamped_with_js_time() {
    let seen: Rc<RefCell<Vec<(f64, f64, f64)>>> = Rc::default();
    let sink = seen.clone();
    let h = Rc::new(FnHandler::new(move |_text: &str, r: &LogRecord| {
        sink.borrow_mut()
            .push((r.created, r.msecs, r.relative_created));
        Ok(())
    }));
    let m = Manager::new();
    let l = m.get_logger("clock");
    l.add_handler(h);
    let before = Date::now();
    l.warning("now", ());
    let after = Date::now();
    let (created, msecs, relative) = seen.borrow()[0];
    assert!(created * 1000.0 >= before - 2.0 && created * 1000.0 <= after + 2.0);
    assert!((0.0..1000.0).contains(&msecs));
    assert!(relative >= 0.0);
}

#[wasm_bindgen_test]
fn local_offset_is_date_get_timezone_offset() {
    // Mid-January and mid-July 2023, and the fixed instant: both sides of any DST rule.
    for secs in [1_673_784_000_i64, 1_689_422_400, NOW_NS / 1_000_000_000] {
        let js = -(Date::new(&JsValue::from_f64(secs as f64 * 1000.0)).get_timezone_offset()
            as i32)
            * 60;
        let ours = host::local_offset(secs);
        assert_eq!(ours.utc_offset, js, "at {secs}");
        assert!(ours.is_dst == 0 || ours.is_dst == 1);
    }
}

#[wasm_bindgen_test]
fn console_methods_follow_levels_one_call_per_record() {
    let capture = ConsoleCapture::start();
    let m = Manager::new();
    let l = m.get_logger("levels");
    l.set_level(1).unwrap();
    let h = Rc::new(ConsoleHandler::stderr());
    h.core()
        .set_formatter(Some(formatter("%(levelname)s:%(message)s")));
    l.add_handler(h);
    for (level, msg) in [
        (5, "five"),
        (DEBUG, "debug"),
        (INFO, "info"),
        (25, "mid"),
        (WARNING, "warn"),
        (ERROR, "error"),
        (50, "critical"),
    ] {
        l.log(level, msg, ());
    }
    let calls = capture.calls();
    drop(capture);
    let want: Vec<Vec<String>> = [
        ["debug", "%s", "Level 5:five"],
        ["debug", "%s", "DEBUG:debug"],
        ["info", "%s", "INFO:info"],
        ["info", "%s", "Level 25:mid"],
        ["warn", "%s", "WARNING:warn"],
        ["error", "%s", "ERROR:error"],
        ["error", "%s", "CRITICAL:critical"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(calls, want);
}

#[wasm_bindgen_test]
fn percent_sequences_reach_the_console_as_text() {
    let capture = ConsoleCapture::start();
    let m = Manager::new();
    let l = m.get_logger("percent");
    let h = Rc::new(ConsoleHandler::stderr());
    l.add_handler(h);
    l.warning("100%% %s", ("%c%o%d",));
    let calls = capture.calls();
    drop(capture);
    assert_eq!(
        calls,
        vec![vec![
            "warn".to_owned(),
            "%s".to_owned(),
            "100% %c%o%d".to_owned()
        ]]
    );
}

#[wasm_bindgen_test]
fn handle_error_reports_reach_console_error() {
    let capture = ConsoleCapture::start();
    let before = host::error_count();
    let m = Manager::new();
    let l = m.get_logger("bad");
    l.add_handler(Rc::new(ConsoleHandler::with_sink(
        Stream::Stdout,
        Rc::new(MemoryConsole::new()),
    )));
    l.warning("%d items", ("many",));
    l.warning("still %s", ("working",));
    let calls = capture.calls();
    drop(capture);
    assert_eq!(host::error_count(), before + 1);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0][0], "error");
    assert!(
        calls[0][2].starts_with("--- Logging error ---\nTypeError: "),
        "{:?}",
        calls[0][2]
    );
    assert!(
        calls[0][2].ends_with("Message: '%d items'\nArguments: ('many',)"),
        "{:?}",
        calls[0][2]
    );
}

#[wasm_bindgen_test]
fn a_throwing_console_is_reported_and_logging_goes_on() {
    let capture = ConsoleCapture::start();
    capture.make_throw("info");
    let before = host::error_count();
    let m = Manager::new();
    let l = m.get_logger("throwing");
    l.set_level(DEBUG).unwrap();
    l.add_handler(Rc::new(ConsoleHandler::stderr()));
    l.info("lost", ());
    l.debug("delivered", ());
    let calls = capture.calls();
    drop(capture);
    assert_eq!(host::error_count(), before + 1);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0][0], "error");
    assert!(
        calls[0][2].starts_with("--- Logging error ---\nOSError: "),
        "{:?}",
        calls[0][2]
    );
    assert_eq!(
        calls[1],
        vec!["debug".to_owned(), "%s".to_owned(), "delivered".to_owned()]
    );
}

/// Outputs of CPython 3.13 for the same records (fixed clock, UTC): see the native
/// differential suites, which compare with the interpreter itself.
#[wasm_bindgen_test]
fn formatter_output_is_cpython_313s() {
    let cases: [(&str, &str, Option<&str>, Value, &str); 4] = [
        (
            "%(asctime)s %(name)s %(levelname)-8s %(relativeCreated)d %(message)s",
            "%",
            None,
            Value::tuple([Value::from("example.org"), Value::from(443)]),
            "2023-11-14 22:13:20,123 wasm.app INFO     0 connected to example.org:443",
        ),
        (
            "{asctime}|{levelname:>8}|{message}",
            "{",
            Some("%Y-%m-%dT%H:%M:%S"),
            Value::tuple([Value::from("example.org"), Value::from(443)]),
            "2023-11-14T22:13:20|    INFO|connected to example.org:443",
        ),
        (
            "$levelname ${name}: $message",
            "$",
            None,
            Value::tuple([Value::from("example.org"), Value::from(443)]),
            "INFO wasm.app: connected to example.org:443",
        ),
        (
            "%(msecs)03d %(created)f %(message)s",
            "%",
            None,
            Value::tuple([Value::from("x"), Value::from(1)]),
            "123 1700000000.123457 connected to x:1",
        ),
    ];
    for (fmt, style, datefmt, args, want) in cases {
        let mut b = Formatter::builder()
            .fmt(fmt.to_owned())
            .style(wasm_logging::Style::from_char(style).unwrap())
            .converter(Converter::Utc);
        if let Some(d) = datefmt {
            b = b.datefmt(d.to_owned());
        }
        let f = b.build().unwrap();
        let Value::Tuple(items) = args else {
            unreachable!()
        };
        let mut r = record("wasm.app", INFO, "connected to %s:%d", items.to_vec());
        assert_eq!(f.format(&mut r).unwrap(), want, "{fmt}");
    }
}

#[wasm_bindgen_test]
fn exceptions_render_as_format_exception() {
    let exc = ExcInfo::new("TypeError", "boom").with_frames(vec![
        Frame {
            filename: Text::Static("app.js"),
            lineno: 3,
            name: Text::Static("main"),
            line: None,
        },
        Frame {
            filename: Text::Static("lib.js"),
            lineno: 7,
            name: Text::Static("load"),
            line: None,
        },
    ]);
    let mut r = record("wasm.app", ERROR, "failed", vec![]);
    r.exc_info = Some(Rc::new(exc));
    let text = Formatter::default().format(&mut r).unwrap();
    // CPython: traceback.StackSummary.from_list(...).format() for the same frames.
    assert_eq!(
        text,
        "failed\nTraceback (most recent call last):\n  File \"app.js\", line 3, in main\n  File \"lib.js\", line 7, in load\nTypeError: boom"
    );
}

#[wasm_bindgen_test]
fn propagation_and_levels_follow_cpython_on_wasm() {
    let console = Rc::new(MemoryConsole::new());
    let m = Manager::new();
    let top = m.get_logger("p");
    let leaf = m.get_logger("p.mid.leaf");
    let mid = m.get_logger("p.mid");
    assert!(leaf.parent().unwrap().ptr_eq(&mid), "placeholder re-linked");
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    h.core()
        .set_formatter(Some(formatter("%(name)s -> %(levelname)s: %(message)s")));
    h.core().set_level(INFO).unwrap();
    top.add_handler(h);
    top.set_level(50).unwrap(); // an ancestor's logger level is not re-checked
    leaf.set_level(DEBUG).unwrap();
    leaf.debug("below the handler's level", ());
    leaf.info("shown %d", (1,));
    mid.set_propagate(false);
    leaf.error("stopped at mid", ());
    mid.set_propagate(true);
    m.disable(WARNING);
    leaf.warning("disabled", ());
    m.disable(0);
    leaf.error("again", ());
    assert_eq!(
        console.text(Stream::Stdout),
        "p.mid.leaf -> INFO: shown 1\np.mid.leaf -> ERROR: again\n"
    );
}

#[wasm_bindgen_test]
fn memory_handler_flushes_at_error_on_wasm() {
    let console = Rc::new(MemoryConsole::new());
    let target: Rc<dyn Handler> =
        Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    let mem = Rc::new(MemoryHandler::new(10, ERROR, Some(target), true));
    let m = Manager::new();
    let l = m.get_logger("mem");
    l.set_level(DEBUG).unwrap();
    l.add_handler(mem.clone());
    l.debug("a", ());
    l.info("b", ());
    assert_eq!(console.text(Stream::Stdout), "");
    l.error("c", ());
    assert_eq!(console.text(Stream::Stdout), "a\nb\nc\n");
    assert_eq!(mem.buffered(), 0);
}

#[wasm_bindgen_test]
fn hostile_input_never_traps() {
    let before = host::error_count();
    let sink = Rc::new(MemoryConsole::new());
    let m = Manager::new();
    let l = m.get_logger("hostile");
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, sink.clone()));
    l.add_handler(h.clone());
    let formats = [
        "%",
        "%(",
        "%(x",
        "%(message)",
        "{",
        "{0",
        "}",
        "$",
        "${",
        "%*d",
        "%.99999999999f",
        "\u{0}%s",
    ];
    for f in formats {
        for validate in [true, false] {
            for style in ["%", "{", "$"] {
                if let Ok(f) = Formatter::builder()
                    .fmt(f.to_owned())
                    .style(wasm_logging::Style::from_char(style).unwrap())
                    .validate(validate)
                    .build()
                {
                    h.core().set_formatter(Some(Rc::new(f)));
                    l.warning(f_msg(), (Value::Float(f64::NAN), i64::MIN, "\u{10ffff}"));
                }
            }
        }
        l.warning(f.to_owned(), (1, 2));
    }
    l.log(i64::MIN, "min level", ());
    l.log(i64::MAX, "max level", ());
    // Getting here means no trap; errors were reported and counted.
    assert!(host::error_count() > before);
}

fn f_msg() -> &'static str {
    "%s %d %r %x %c %(k)s"
}

#[wasm_bindgen_test]
fn a_user_formatter_is_a_record_formatter() {
    struct Upper;
    impl RecordFormatter for Upper {
        fn format(&self, record: &mut LogRecord) -> wasm_logging::core::error::Result<String> {
            Ok(record.get_message()?.to_uppercase())
        }
    }
    let console = Rc::new(MemoryConsole::new());
    let m = Manager::new();
    let l = m.get_logger("upper");
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    h.core().set_formatter(Some(Rc::new(Upper)));
    l.add_handler(h);
    l.warning("hello %s", ("wasm",));
    assert_eq!(console.text(Stream::Stdout), "HELLO WASM\n");
}
