//! One driver per parser. Each takes bytes, calls the real entry points, and returns a
//! signature of the outcome; none may panic, hang or allocate without bound.

pub mod dictconfig;
pub mod format;
pub mod frames;
pub mod interp;
#[cfg(feature = "host")]
pub mod route;
pub mod strftime;

use std::borrow::Cow;
use std::rc::Rc;

use wasm_logging::core::bigint::BigInt;
use wasm_logging::core::host::{self, FixedClock};
use wasm_logging::core::record::{Location, LogRecord};
use wasm_logging::core::sink::MemoryConsole;
use wasm_logging::core::time::LocalOffset;
use wasm_logging::core::value::{Text, Value};

use crate::engine::{message_signature, size_class, Target};

/// Every target, in the order `make fuzz` runs them.
pub fn all() -> Vec<Target> {
    vec![
        format::target(),
        interp::target(),
        strftime::target(),
        dictconfig::target(),
        frames::target(),
        #[cfg(feature = "host")]
        route::target(),
    ]
}

/// The target called `name`.
pub fn by_name(name: &str) -> Option<Target> {
    all().into_iter().find(|t| t.name == name)
}

/// Bytes as text, as a host hands text to the core (invalid UTF-8 becomes U+FFFD).
pub(crate) fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The signature of a formatting result.
pub(crate) fn outcome<E: std::fmt::Display>(tag: u64, r: &Result<usize, E>) -> u64 {
    match r {
        Ok(len) => tag.wrapping_mul(31).wrapping_add(size_class(*len)),
        Err(e) => tag.wrapping_mul(31) ^ message_signature(&e.to_string()),
    }
}

thread_local! {
    static CONSOLE: Rc<MemoryConsole> = Rc::new(MemoryConsole::new());
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A fixed clock (2023-11-14 22:13:20.123456 in Europe/Berlin's winter time) and a console
/// that keeps nothing for long: reproducible output, no terminal noise from `handleError`.
pub(crate) fn quiet_host() {
    if !INSTALLED.with(|i| i.replace(true)) {
        let clock = FixedClock::new(1_700_000_000_123_456_789).with_offset(LocalOffset {
            utc_offset: 3600,
            zone: "CET".to_owned(),
            is_dst: 0,
        });
        host::install_clock(Rc::new(clock));
        CONSOLE.with(|c| host::install_console(c.clone()));
    }
    CONSOLE.with(|c| c.clear());
}

/// Values of every kind the formatters meet, hostile ones included.
pub(crate) fn palette() -> Vec<Value> {
    vec![
        Value::str("spam"),
        Value::Int(42),
        Value::Float(3.25),
        Value::str("h\u{e9}llo \u{2603} \u{1d11e}"),
        Value::Int(-1),
        Value::Bool(true),
        Value::None,
        Value::Float(f64::NAN),
        Value::Float(f64::NEG_INFINITY),
        Value::Float(-0.0),
        Value::Float(1e300),
        Value::Float(5e-324),
        Value::Int(i64::MIN),
        Value::Int(i64::MAX),
        BigInt::parse("-123456789012345678901234567890").unwrap_or(Value::None),
        Value::str(""),
        Value::str("\u{0}\n\t'\"\\\u{7f}\u{ad}\u{fffd}"),
        Value::List(Rc::new(vec![Value::Int(1), Value::str("a")])),
        Value::Tuple(Rc::new(vec![Value::Int(1), Value::Float(2.5)])),
        Value::dict([
            ("name", Value::str("x")),
            ("a", Value::Int(1)),
            ("b", Value::Float(2.5)),
        ]),
    ]
}

/// A lookup that answers some names (like a record's `__dict__`) and not others.
pub(crate) fn lookup(key: &str) -> Option<Value> {
    let p = palette();
    match key {
        "" => Some(Value::str("empty")),
        "name" => Some(Value::str("app.db")),
        "message" => Some(Value::str("hello")),
        "n" | "a" | "0" => Some(Value::Int(7)),
        "f" | "b" => Some(Value::Float(-2.5)),
        "big" => Some(p[14].clone()),
        "list" => Some(p[17].clone()),
        "dict" => Some(p[19].clone()),
        "none" => Some(Value::None),
        "nan" => Some(Value::Float(f64::NAN)),
        "s" => Some(p[3].clone()),
        _ => None,
    }
}

/// A record like a real one: a `%`-message with arguments, extras, a location.
pub(crate) fn sample_record(msg: &str, args: Vec<Value>) -> LogRecord {
    let (now, start) = host::now_ns();
    let mut r = LogRecord::new(
        Text::from("app.db"),
        30,
        Text::from("WARNING"),
        Location {
            pathname: Text::from("/srv/app/db.py"),
            lineno: 42,
            func_name: Text::from("query"),
        },
        Value::str(msg.to_owned()),
        args,
        None,
        now,
        start,
    );
    r.extra.push((Text::from("ip"), Value::str("10.0.0.1")));
    r.extra.push((Text::from("user"), Value::str("ann")));
    r.extra.push((Text::from("n"), Value::Int(12)));
    r
}

/// The seeds common to text targets: the cookbook's formats and messages.
pub(crate) fn cookbook_strings(keys: &[&str]) -> Vec<String> {
    crate::seeds::cookbook(keys)
}
