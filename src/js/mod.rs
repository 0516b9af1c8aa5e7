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

mod config;
mod convert;
mod errors;
mod externs;
mod filter;
mod formatter;
mod handlers;
mod host;
mod logger;
mod remote;
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
use crate::core::manager::default_manager;
use crate::core::sink::Stream;
use crate::core::time::LocalOffset;
use crate::core::value::Text;

pub(crate) use self::host::default_host;

/// Start-up: the panic hook (a Rust panic shows its message in the console instead of a bare
/// `unreachable`), the JS clock and console, and who is logging (`threadName`,
/// `processName`: the worker's name or `"main"`; `thread`, `process` where the host has
/// numbers for them).
#[wasm_bindgen(js_name = init)]
pub fn init(name: String, thread: Option<f64>, process: Option<f64>) {
    console_error_panic_hook::set_once();
    core_host::install_clock(Rc::new(JsClock::new()));
    core_host::install_console(Rc::new(JsConsole::default()));
    set_identity(name, thread, process);
}

/// Sets the identity stamped on new records (`threadName` and `processName` both `name`).
#[wasm_bindgen(js_name = setIdentity)]
pub fn set_identity(name: String, thread: Option<f64>, process: Option<f64>) {
    let name = Text::from(name);
    core_host::set_identity(Identity {
        thread: thread.filter(|t| *t >= 0.0).map(|t| t as _),
        thread_name: Some(name.clone()),
        process: process.filter(|p| *p >= 0.0).map(|p| p as _),
        process_name: Some(name),
    });
}

/// `record.taskName` for records made from now on (`None` clears it).
#[wasm_bindgen(js_name = setTaskName)]
pub fn set_task_name(name: Option<String>) {
    core_host::set_task_name(name.map(Text::from));
}

/// Fixes the clock at `ns` nanoseconds since the epoch (and, with `utc_offset` seconds east
/// of UTC, the local zone), for reproducible output; `None` restores the real clock.
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
    core_host::install_clock(Rc::new(clock));
}

/// `logging.addLevelName(level, name)`.
#[wasm_bindgen(js_name = addLevelName)]
pub fn add_level_name(level: i32, name: String) {
    level::add_level_name(level, name);
}

/// `logging.getLevelName(level)`: a number gives its name (or `"Level N"`), a name its
/// number (or `"Level NAME"`).
#[wasm_bindgen(js_name = getLevelName)]
pub fn get_level_name(level: JsValue) -> JsValue {
    if let Some(n) = level.as_f64() {
        if n.fract() == 0.0 && n.abs() <= f64::from(i32::MAX) {
            return JsValue::from_str(&level::level_name(n as i32));
        }
        return JsValue::from_str(&format!("Level {n}"));
    }
    let name = level.as_string().unwrap_or_else(|| externs::str_of(&level));
    match level::level_number(&name) {
        Some(n) => JsValue::from_f64(f64::from(n)),
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
            &JsValue::from_f64(f64::from(n)),
        );
    }
    obj
}

/// `logging.disable(level)`.
#[wasm_bindgen]
pub fn disable(level: i32) {
    default_manager().disable(level);
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
        level: level.map(|l| crate::core::value::Value::Int(i64::from(l))),
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
