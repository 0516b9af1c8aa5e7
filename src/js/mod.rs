//! The wasm-bindgen layer of the npm package: thin exported newtypes over the core's types
//! ([`JsLogger`](logger::JsLogger), [`JsHandler`](handlers::JsHandler),
//! [`JsFormatter`](formatter::JsFormatter), [`JsFilter`](filter::JsFilter)) and the
//! module-level functions of `logging`. The hand-written wrapper in `js/src/` is the public
//! API; these exports are its raw material.
//!
//! - `externs` holds every JavaScript import (the helpers in `glue.js`);
//! - `convert` turns JS values into core values and records into JS objects, and back;
//! - `host` is the JS host: clock, time zone, console, caller stack.
//! - `config` is `dictConfig`, factories that call back into JavaScript, handler names and
//!   the queue listeners' `pump`.
//!
//! Cost model for JavaScript callers: a disabled call never gets here (the wrapper swaps
//! disabled level methods for a shared no-op); an enabled one crosses once, into
//! [`JsLogger::log`](logger::JsLogger::log) for a string message without options.

#[cfg(feature = "full")]
mod config;
mod convert;
mod errors;
mod externs;
mod filter;
mod formatter;
mod handlers;
mod host;
mod logger;
#[cfg(feature = "full")]
mod remote;
#[cfg(feature = "full")]
mod storage;

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use self::errors::{kind_from_name, level_from_js, to_js_error};
use self::host::{JsClock, JsConsole};
use crate::core::config::{basic_config, BasicConfig};
use crate::core::error::Error;
use crate::core::handler::report_error;
use crate::core::host::{self as core_host, Identity};
use crate::core::level;
use crate::core::manager::{default_manager, RecordFactory};
use crate::core::record::LogRecord;
use crate::core::sink::Stream;
use crate::core::time::LocalOffset;
use crate::core::value::Text;

pub(crate) use self::host::default_host;

/// Start-up: the panic hook (a Rust panic shows its message in the console instead of a bare
/// `unreachable`), the JS clock, the standard console — `process.stdout` / `process.stderr`
/// when `streams` (Node), else the devtools console — and who is logging (`threadName`,
/// `processName`; `thread`, `process` where the host has numbers for them).
#[wasm_bindgen(js_name = init)]
pub fn init(
    thread_name: String,
    process_name: String,
    thread: Option<f64>,
    process: Option<f64>,
    streams: bool,
) {
    console_error_panic_hook::set_once();
    core_host::install_clock(Rc::new(JsClock::new()));
    let console = if streams {
        JsConsole::streams()
    } else {
        JsConsole::default()
    };
    core_host::install_console(Rc::new(console));
    set_identity(thread_name, process_name, thread, process);
}

/// Sets the identity stamped on new records: `threadName`, `processName`, `thread`, `process`.
#[wasm_bindgen(js_name = setIdentity)]
pub fn set_identity(
    thread_name: String,
    process_name: String,
    thread: Option<f64>,
    process: Option<f64>,
) {
    core_host::set_identity(Identity {
        thread: thread.filter(|t| *t >= 0.0).map(|t| t as _),
        thread_name: Some(Text::from(thread_name)),
        process: process.filter(|p| *p >= 0.0).map(|p| p as _),
        process_name: Some(Text::from(process_name)),
    });
}

/// `record.taskName` for records made from now on (`None` clears it).
#[wasm_bindgen(js_name = setTaskName)]
pub fn set_task_name(name: Option<String>) {
    core_host::set_task_name(name.map(Text::from));
}

/// Fixes the clock at `ns` nanoseconds since the epoch (and, with `utc_offset` seconds east
/// of UTC, the local zone), for reproducible output; `None` restores the real clock. Logging's
/// start time (`relativeCreated`'s origin) is left alone: [`set_start_time`] sets it.
#[wasm_bindgen(js_name = setFixedClock)]
pub fn set_fixed_clock(
    ns: Option<i64>,
    utc_offset: Option<i32>,
    zone: Option<String>,
    is_dst: Option<bool>,
) {
    let clock = match ns {
        Some(ns) => {
            let offset = utc_offset.map(|o| LocalOffset {
                utc_offset: o,
                zone: zone.unwrap_or_default(),
                is_dst: i32::from(is_dst.unwrap_or(false)),
            });
            JsClock::fixed(ns, offset)
        }
        None => JsClock::new(),
    };
    core_host::install_clock_keeping_start(Rc::new(clock));
}

/// Sets logging's start time (`logging._startTime`), `ns` nanoseconds since the epoch.
#[wasm_bindgen(js_name = setStartTime)]
pub fn set_start_time(ns: i64) {
    core_host::set_start_ns(ns);
}

/// Logging's start time, in nanoseconds since the epoch (as a float: exact to the
/// microsecond for present-day times).
#[wasm_bindgen(js_name = startTime)]
pub fn start_time() -> f64 {
    core_host::now_ns().1 as f64
}

/// `logging.addLevelName(level, name)`.
#[wasm_bindgen(js_name = addLevelName)]
pub fn add_level_name(level: f64, name: String) {
    // The wrapper checked `level` (an integer in the 64-bit range).
    level::add_level_name(level as i64, name);
}

/// `logging.getLevelName(level)`: a number gives its name (or `"Level N"`), a name its
/// number (or `"Level NAME"`).
#[wasm_bindgen(js_name = getLevelName)]
pub fn get_level_name(level: JsValue) -> JsValue {
    if let Some(n) = level.as_f64() {
        if n.fract() == 0.0 {
            if let Ok(n) = errors::level_from_number(n) {
                return JsValue::from_str(&level::level_name(n));
            }
        }
        return JsValue::from_str(&format!("Level {n}"));
    }
    let name = level.as_string().unwrap_or_else(|| externs::str_of(&level));
    match level::level_number(&name) {
        Some(n) => JsValue::from_f64(n as f64),
        None => JsValue::from_str(&format!("Level {name}")),
    }
}

/// `logging.getLevelNamesMapping()`.
#[wasm_bindgen(js_name = getLevelNamesMapping)]
pub fn get_level_names_mapping() -> js_sys::Object {
    let obj = js_sys::Object::new();
    for (name, n) in level::level_names_mapping() {
        let _ = js_sys::Reflect::set(
            &obj,
            &JsValue::from_str(&name),
            &JsValue::from_f64(n as f64),
        );
    }
    obj
}

/// `logging.disable(level)`: a number or a registered name (CPython 3.13's `_checkLevel`);
/// anything else throws.
#[wasm_bindgen]
pub fn disable(level: JsValue) -> Result<(), JsValue> {
    let level = level_from_js(&level).map_err(|e| to_js_error(&e))?;
    default_manager().disable(level);
    Ok(())
}

/// `logging.setLogRecordFactory` from the wrapper: `dispatch(record)` receives each new
/// record as a plain object (before `extra` is applied, as CPython's factory runs before
/// `makeRecord` adds it) and returns the record to use — the same object, changed or not,
/// or another one. `None` removes the hook. A throw is reported through `handleError`, and
/// the record goes on as it was.
#[wasm_bindgen(js_name = setRecordFactory)]
pub fn set_record_factory(dispatch: Option<js_sys::Function>) {
    let factory = dispatch.map(|f| -> Rc<RecordFactory> {
        Rc::new(move |record: &mut LogRecord| {
            let obj = convert::record_to_js(record, true);
            match f.call1(&JsValue::UNDEFINED, &obj) {
                Err(thrown) => report_error(Some(record), &convert::error_from_js(&thrown)),
                Ok(made) => {
                    // The same object: what changed on it. Another one: all it holds.
                    let from = if externs::is_object(&made) { made } else { obj };
                    convert::apply_changes(record, &externs::record_changes(&from));
                }
            }
        })
    });
    default_manager().set_record_factory(factory);
}

/// `record.getMessage()` for a record object: `msg % args`, or `str(msg)` without arguments.
/// Throws CPython's error when the format and the arguments do not match.
#[wasm_bindgen(js_name = getMessage)]
pub fn get_message(record: JsValue) -> Result<String, JsValue> {
    formatter::record_from_js(&record)
        .get_message()
        .map_err(|e| to_js_error(&e))
}

/// `str(message)` for a `BraceMessage` / `DollarMessage` (their `toString()`): throws
/// CPython's error when the format and the arguments do not match.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = messageStr)]
pub fn message_str(message: JsValue) -> Result<String, JsValue> {
    convert::message_str(&message).map_err(|e| to_js_error(&e))
}

/// `logging.shutdown()`: flushes and closes every handler.
#[wasm_bindgen]
pub fn shutdown() {
    default_manager().shutdown();
}

/// Flushes every handler without closing it (page hide, before exit).
#[wasm_bindgen]
pub fn flush() {
    default_manager().flush();
}

/// Reports an error the wrapper caught (a bad argument to a log call) the way `handleError`
/// does: `--- Logging error ---` on the console's error stream, counted.
#[wasm_bindgen(js_name = reportError)]
pub fn report_js_error(kind: &str, message: &str) {
    report_error(None, &Error::new(kind_from_name(kind), message));
}

/// How many errors inside logging have been reported so far.
#[wasm_bindgen(js_name = errorCount)]
pub fn error_count() -> f64 {
    core_host::error_count() as f64
}

/// `logging.raiseExceptions`: whether errors inside handlers are printed.
#[wasm_bindgen(js_name = setRaiseExceptions)]
pub fn set_raise_exceptions(on: bool) {
    core_host::set_raise_exceptions(on);
}

/// `logging.basicConfig(...)` with the options the JS wrapper checked for shape; `handlers`
/// are handler ids. Configuration errors throw (they are programming errors, and CPython
/// raises them too); nothing changes then.
#[wasm_bindgen(js_name = basicConfig)]
#[allow(clippy::too_many_arguments)]
pub fn basic_config_js(
    level: JsValue,
    format: Option<String>,
    datefmt: Option<String>,
    style: Option<String>,
    stream: Option<String>,
    handlers: Option<Vec<u32>>,
    force: bool,
    filename: Option<String>,
    filemode: Option<String>,
    encoding: Option<String>,
) -> Result<(), JsValue> {
    let level = if level.is_undefined() || level.is_null() {
        None
    } else {
        Some(level_from_js(&level).map_err(|e| to_js_error(&e))?)
    };
    let stream = match stream.as_deref() {
        None => None,
        Some("stderr" | "ext://sys.stderr") => Some(Stream::Stderr),
        Some("stdout" | "ext://sys.stdout") => Some(Stream::Stdout),
        Some(other) => {
            return Err(js_sys::TypeError::new(&format!(
                "basicConfig: stream must be 'stdout' or 'stderr', not {other:?}"
            ))
            .into())
        }
    };
    let handlers = match handlers {
        None => None,
        Some(ids) => Some(
            ids.into_iter()
                .map(|id| {
                    handlers::by_id(id).ok_or_else(|| -> JsValue {
                        js_sys::TypeError::new("basicConfig: handlers must be live handlers").into()
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let cfg = BasicConfig {
        level: level.map(crate::core::value::Value::Int),
        format: format.map(Text::from),
        datefmt: datefmt.map(Text::from),
        style: style.map(Text::from),
        stream,
        handlers,
        force,
        filename: filename.map(Text::from),
        filemode: filemode.map(Text::from),
        encoding: encoding.map(Text::from),
    };
    basic_config(cfg).map_err(|e| {
        let err = js_sys::Error::new(e.message());
        err.set_name("ValueError");
        err.into()
    })
}
