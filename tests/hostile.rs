//! Hostile inputs (issue 15, "Breaks") through the native Rust API: the review's exact inputs
//! and their neighbours. A log call never panics, never loses a record silently, and the
//! logger keeps working; where CPython defines the answer, the output is CPython 3.13's.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{python, Base};
use wasm_logging::core::manager::{MAX_NAME_BYTES, MAX_NAME_DEPTH};
use wasm_logging::{
    add_level_name, filter_fn, host, Converter, FnHandler, Formatter, Handler, LogRecord,
    RecordFormatter, Value, INFO,
};

// ---- 2. levels are 64-bit ------------------------------------------------------------------

#[test]
fn big_levels_are_kept_as_cpython_keeps_them() {
    let b = Base::new();
    b.handler.core().set_formatter(Some(Rc::new(
        Formatter::new("%(levelno)s %(levelname)s %(message)s").unwrap(),
    )));
    let l = b.logger("hostile.levels");
    l.set_level(1).unwrap();
    l.log(4_294_967_316, "big", ());
    add_level_name(4_294_967_316, "BIGINFO");
    l.log(4_294_967_316, "named", ());
    l.log(INFO, "plain info", ());
    b.manager.disable(1 << 32);
    l.log(INFO, "disabled info", ());
    l.log(1 << 32, "at the disable level", ());
    l.log(4_294_967_316, "above it", ());
    b.manager.disable(0);
    l.set_level(-(1_i64 << 40)).unwrap();
    l.log(-(1_i64 << 35), "negative", ());
    l.log(i64::MIN, "the lowest", ());
    l.log(i64::MAX, "the highest", ());
    let (want, _) = python(
        r#"
import logging, sys
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter("%(levelno)s %(levelname)s %(message)s"))
logging.getLogger().addHandler(h)
l = logging.getLogger("hostile.levels")
l.setLevel(1)
l.log(2**32 + 20, "big")
logging.addLevelName(2**32 + 20, "BIGINFO")
l.log(2**32 + 20, "named")
l.log(20, "plain info")
logging.disable(2**32)
l.info("disabled info")
l.log(2**32, "at the disable level")
l.log(2**32 + 20, "above it")
logging.disable(0)
l.setLevel(-2**40)
l.log(-2**35, "negative")
l.log(-2**63, "the lowest")
l.log(2**63 - 1, "the highest")
"#,
    );
    assert_eq!(b.lines(), want.lines().collect::<Vec<_>>());
    assert_eq!(
        wasm_logging::level_name(INFO),
        "INFO",
        "INFO keeps its name"
    );
}

// ---- 3. logger names are bounded ---------------------------------------------------------

#[test]
fn a_name_of_16000_dotted_parts_is_reported_and_still_logs_without_building_placeholders() {
    let b = Base::new();
    let deep = vec!["a"; 16_000].join(".");
    let before = host::error_count();
    let l = b.logger(&deep);
    assert_eq!(host::error_count(), before + 1);
    let err = b.stderr_text();
    assert!(
        err.contains(&format!(
            "ValueError: logger name too long (31999 bytes, 16000 dotted parts; the limits are {MAX_NAME_BYTES} bytes and {MAX_NAME_DEPTH} parts)"
        )),
        "{err}"
    );
    // No placeholder per prefix: the hierarchy holds only the names made before.
    assert!(b.manager.node_names().iter().all(|n| !n.starts_with("a.a")));
    // The logger works, under the root, and what comes after is handled normally.
    l.warning("deep", ());
    b.logger("after").warning("after", ());
    let lines = b.lines();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].ends_with(" -> WARNING: deep") && lines[0].starts_with("a.a.a."));
    assert_eq!(lines[1], "after -> WARNING: after");
}

#[test]
fn names_at_the_limits_are_loggers_in_the_hierarchy_and_one_past_them_are_not() {
    let b = Base::new();
    let at_depth = vec!["p"; MAX_NAME_DEPTH].join(".");
    let past_depth = vec!["q"; MAX_NAME_DEPTH + 1].join(".");
    let at_bytes = "x".repeat(MAX_NAME_BYTES);
    let past_bytes = "y".repeat(MAX_NAME_BYTES + 1);
    let before = host::error_count();
    let l1 = b.logger(&at_depth);
    let l2 = b.logger(&at_bytes);
    assert_eq!(host::error_count(), before, "at the limits: no report");
    assert!(l1.ptr_eq(&b.logger(&at_depth)), "the same logger each time");
    assert!(b.manager.node_names().contains(&at_bytes));
    assert!(l2.ptr_eq(&b.logger(&at_bytes)));
    b.logger(&past_depth).error("past depth", ());
    b.logger(&past_bytes).error("past bytes", ());
    assert_eq!(host::error_count(), before + 2);
    assert!(!b.manager.node_names().contains(&past_bytes));
    assert!(!b.manager.node_names().iter().any(|n| n.starts_with('q')));
    assert_eq!(b.lines().len(), 2, "both records still logged");
}

// ---- 4. `created` outside 1677-2262 --------------------------------------------------------

fn record_at(created: f64) -> LogRecord {
    let mut r = LogRecord::new(
        "t".into(),
        30,
        "WARNING".into(),
        wasm_logging::Location::unknown(),
        Value::from(format!("at {created:e}")),
        Vec::new(),
        None,
        0,
        0,
    );
    r.created = created;
    r.msecs = 0.0;
    r
}

#[test]
fn created_far_from_now_formats_as_cpython_or_fails_with_cpythons_error() {
    let cases = [
        1e10,
        1e11,
        -1e10,
        1e15,
        6.7767e16,
        -6.7768e16,
        6.7768e16,
        6.77685e16,
        1e19,
        1e300,
        f64::INFINITY,
        f64::NAN,
    ];
    let f = Formatter::builder()
        .fmt("%(asctime)s")
        .datefmt("%Y-%m-%d %H:%M:%S")
        .converter(Converter::Utc)
        .build()
        .unwrap();
    let ours: Vec<String> = cases
        .iter()
        .map(|&c| match f.format(&mut record_at(c)) {
            Ok(s) => s,
            Err(e) => e.to_string(),
        })
        .collect();
    let (want, _) = python(
        r#"
import logging, time
f = logging.Formatter("%(asctime)s", "%Y-%m-%d %H:%M:%S")
f.converter = time.gmtime
for c in [1e10, 1e11, -1e10, 1e15, 6.7767e16, -6.7768e16, 6.7768e16, 6.77685e16, 1e19, 1e300, float("inf"), float("nan")]:
    try:
        print(f.format(logging.makeLogRecord({"created": c})))
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
"#,
    );
    assert_eq!(ours, want.lines().collect::<Vec<_>>());
}

#[test]
fn a_record_whose_created_cpython_refuses_is_one_report_and_the_handler_goes_on() {
    let b = Base::new();
    b.handler.core().set_formatter(Some(Rc::new(
        Formatter::builder()
            .fmt("%(asctime)s %(message)s")
            .converter(Converter::Utc)
            .build()
            .unwrap(),
    )));
    let before = host::error_count();
    b.root.handle(&mut record_at(1e300));
    b.root.handle(&mut record_at(1e10));
    assert_eq!(host::error_count(), before + 1);
    assert!(b
        .stderr_text()
        .contains("--- Logging error ---\nOverflowError: timestamp out of range for platform time_t\nMessage: 'at 1e300'"));
    assert_eq!(b.lines(), ["2286-11-20 17:46:40,000 at 1e10"]);
}

// ---- 5. panicking closures in the native API ---------------------------------------------

struct PanickingFormatter;
impl RecordFormatter for PanickingFormatter {
    fn format(&self, _record: &mut LogRecord) -> wasm_logging::core::error::Result<String> {
        panic!("formatter boom")
    }
}

#[test]
fn a_panicking_handler_closure_is_reported_each_time_and_its_handler_keeps_working() {
    let b = Base::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    let h = Rc::new(FnHandler::new(move |text: &str, _r: &LogRecord| {
        if text.contains("boom") {
            panic!("handler boom");
        }
        s.borrow_mut().push(text.to_owned());
        Ok(())
    }));
    let l = b.logger("hostile.panic");
    l.add_handler(h.clone());
    let before = host::error_count();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    l.warning("boom 1", ());
    l.warning("fine", ());
    l.warning("boom 2", ());
    l.warning("fine again", ());
    std::panic::set_hook(quiet);
    assert_eq!(host::error_count(), before + 2);
    let err = b.stderr_text();
    assert_eq!(
        err.matches("RuntimeError: handler panicked: handler boom")
            .count(),
        2,
        "{err}"
    );
    assert!(!err.contains("re-entered"), "the guard was reset: {err}");
    assert_eq!(*seen.borrow(), ["fine", "fine again"]);
    // The root's handler saw every record: propagation went on past the panic.
    assert_eq!(b.lines().len(), 4);
}

#[test]
fn panicking_filters_and_formatters_are_reported_and_the_record_goes_on() {
    let b = Base::new();
    let l = b.logger("hostile.filter");
    l.add_filter(filter_fn(|r: &mut LogRecord| {
        if r.get_message().unwrap_or_default().contains("boom") {
            panic!("filter boom");
        }
        true
    }));
    let side = Rc::new(FnHandler::new(|_t: &str, _r: &LogRecord| Ok(())));
    side.core().set_formatter(Some(Rc::new(PanickingFormatter)));
    l.add_handler(side);
    let before = host::error_count();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    l.warning("boom", ());
    l.warning("ok", ());
    std::panic::set_hook(quiet);
    let err = b.stderr_text();
    assert!(
        err.contains("RuntimeError: filter panicked: filter boom\nMessage: 'boom'"),
        "{err}"
    );
    assert_eq!(
        err.matches("RuntimeError: handler panicked: formatter boom")
            .count(),
        2,
        "{err}"
    );
    assert_eq!(host::error_count(), before + 3);
    assert_eq!(
        b.lines(),
        [
            "hostile.filter -> WARNING: boom",
            "hostile.filter -> WARNING: ok"
        ],
        "the panicking filter counts as passing; the root's handler still formats"
    );
}
