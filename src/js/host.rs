//! The JavaScript host: the clock (`performance.now()` anchored on `Date.now()`), the local
//! time zone (`getTimezoneOffset`, zone names from `Intl`), the standard streams (Node's
//! `process.stdout` / `process.stderr`; the devtools console where there are none), writable
//! objects as streams, and the caller's stack (captured by the JS wrapper at the call, handed
//! over for `stack_info`).
//!
//! The rule for streams: where the host has real standard streams (Node), `sys.stdout` is
//! stdout and `sys.stderr` is stderr whatever the record's level, exactly as in CPython. A
//! browser has none: there a stream means the devtools console, whose method follows the
//! level (`console.debug/info/warn/error`) so the devtools level filter works — which is
//! also what `ConsoleHandler` does everywhere.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::convert;
use super::externs;
use crate::core::error::{Error, Result};
use crate::core::host::Clock;
use crate::core::level::{ERROR, INFO, WARNING};
use crate::core::record::LogRecord;
use crate::core::sink::{ConsoleSink, Stream};
use crate::core::time::LocalOffset;

/// Offsets only change at zone transitions, which fall on quarter hours: one lookup per
/// quarter hour instead of a `Date` and an `Intl` call per formatted record.
const OFFSET_BUCKET_SECS: i64 = 900;

thread_local! {
    /// The stack the wrapper captured for the call in progress (`stackInfo: true`).
    static PENDING_STACK: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with `stack` as the caller's stack that [`JsClock::capture_stack`] returns.
pub(crate) fn with_stack<R>(stack: Option<String>, f: impl FnOnce() -> R) -> R {
    let had = stack.is_some();
    if had {
        PENDING_STACK.with(|s| *s.borrow_mut() = stack);
    }
    let r = f();
    if had {
        PENDING_STACK.with(|s| s.borrow_mut().take());
    }
    r
}

/// The host clock: `nowMs()` from `glue.js`, or a fixed instant for reproducible output.
#[derive(Debug, Default)]
pub(crate) struct JsClock {
    fixed_ns: Option<i64>,
    fixed_offset: Option<LocalOffset>,
    cache: RefCell<Option<(i64, LocalOffset)>>,
}

impl JsClock {
    /// The real clock.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A clock fixed at `ns`, optionally with a fixed local offset (else the real zone).
    pub(crate) fn fixed(ns: i64, offset: Option<LocalOffset>) -> Self {
        JsClock {
            fixed_ns: Some(ns),
            fixed_offset: offset,
            ..Self::default()
        }
    }
}

impl Clock for JsClock {
    fn now_ns(&self) -> i64 {
        match self.fixed_ns {
            Some(ns) => ns,
            None => (externs::now_ms() * 1e6) as i64,
        }
    }

    fn local_offset(&self, unix_secs: i64) -> LocalOffset {
        if let Some(o) = &self.fixed_offset {
            return o.clone();
        }
        let bucket = unix_secs.div_euclid(OFFSET_BUCKET_SECS);
        if let Some((b, o)) = &*self.cache.borrow() {
            if *b == bucket {
                return o.clone();
            }
        }
        let offset = js_local_offset(unix_secs);
        *self.cache.borrow_mut() = Some((bucket, offset.clone()));
        offset
    }

    fn local_offset_without_zone(&self, unix_secs: i64) -> LocalOffset {
        // The cached offset, if any, has its name; otherwise skip `Intl`, whose first use
        // costs ~10 ms (measured at cold start) for a name the format does not print.
        if let Some(o) = &self.fixed_offset {
            return o.clone();
        }
        let bucket = unix_secs.div_euclid(OFFSET_BUCKET_SECS);
        if let Some((b, o)) = &*self.cache.borrow() {
            if *b == bucket {
                return o.clone();
            }
        }
        js_offset(unix_secs, String::new())
    }

    fn capture_stack(&self, _skip: usize) -> Option<String> {
        // The wrapper already skipped its own frames and `stacklevel - 1` more.
        PENDING_STACK.with(|s| s.borrow().clone())
    }
}

/// `time.localtime`'s offset, zone name and DST flag at `unix_secs` from `Date` and `Intl`.
/// DST is "the offset is larger than the smaller of January's and July's" (the standard
/// offset of a zone is its smaller one, north or south).
fn js_local_offset(unix_secs: i64) -> LocalOffset {
    js_offset(unix_secs, externs::tz_name(unix_secs as f64 * 1000.0))
}

/// The offset and DST flag at `unix_secs`, with `zone` as its name.
fn js_offset(unix_secs: i64, zone: String) -> LocalOffset {
    let ms = unix_secs as f64 * 1000.0;
    let utc_offset = -externs::tz_offset_minutes(ms) * 60;
    let year_start = ms - ms.rem_euclid(365.2425 * 86_400_000.0);
    let jan = -externs::tz_offset_minutes(year_start + 15.0 * 86_400_000.0) * 60;
    let jul = -externs::tz_offset_minutes(year_start + 196.0 * 86_400_000.0) * 60;
    LocalOffset {
        utc_offset,
        zone,
        is_dst: i32::from(jan != jul && utc_offset > jan.min(jul)),
    }
}

/// Console methods, as indices into `glue.js` `METHODS`.
mod method {
    pub const DEBUG: u8 = 0;
    pub const INFO: u8 = 1;
    pub const WARN: u8 = 2;
    pub const ERROR: u8 = 3;
    pub const LOG: u8 = 4;
}

/// The console method for a record's level: `console.debug` below INFO, `info` below
/// WARNING, `warn` below ERROR, `error` from ERROR up, so devtools level filtering works.
pub(crate) fn method_for(levelno: i64) -> u8 {
    if levelno >= ERROR {
        method::ERROR
    } else if levelno >= WARNING {
        method::WARN
    } else if levelno >= INFO {
        method::INFO
    } else {
        method::DEBUG
    }
}

/// How a [`JsConsole`] decorates what it writes.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConsoleOptions {
    /// `%c` CSS per level, checked from the highest threshold down: `(levelno, css)`.
    pub styles: Vec<(i64, String)>,
    /// Append the record's `extra` attributes as an inspectable object.
    pub extras: bool,
}

/// The devtools console (one call per record, with the level's method), or, as the host's
/// standard console in Node, the process's real standard streams.
#[derive(Debug, Default)]
pub(crate) struct JsConsole {
    options: ConsoleOptions,
    /// Write to `process.stdout` / `process.stderr` (the text as is, terminator included)
    /// instead of calling console methods.
    streams: bool,
}

impl JsConsole {
    /// A devtools console with `options`.
    pub(crate) fn new(options: ConsoleOptions) -> Self {
        JsConsole {
            options,
            streams: false,
        }
    }

    /// The host's standard streams: Node's `process.stdout` / `process.stderr`.
    pub(crate) fn streams() -> Self {
        JsConsole {
            options: ConsoleOptions::default(),
            streams: true,
        }
    }

    fn style_for(&self, levelno: i64) -> Option<String> {
        self.options
            .styles
            .iter()
            .find(|(l, _)| levelno >= *l)
            .map(|(_, css)| css.clone())
    }
}

impl ConsoleSink for JsConsole {
    fn write(&self, stream: Stream, text: &str, record: Option<&LogRecord>) -> Result<()> {
        if self.streams {
            let fd = match stream {
                Stream::Stdout => 1,
                Stream::Stderr => 2,
            };
            let (ptr, len, ascii) = externs::line(text);
            return if externs::stream_write_at(fd, ptr, len, ascii) {
                Ok(())
            } else {
                Err(Error::os_error(format!(
                    "writing to {} failed",
                    match stream {
                        Stream::Stdout => "stdout",
                        Stream::Stderr => "stderr",
                    }
                )))
            };
        }
        // The console adds its own newline: drop the handler's terminator.
        let text = text.strip_suffix('\n').unwrap_or(text);
        let (method, style, extras) = match record {
            Some(r) => {
                let extras = if self.options.extras && !r.extra.is_empty() {
                    let obj = js_sys::Object::new();
                    for (k, v) in &r.extra {
                        let _ =
                            js_sys::Reflect::set(&obj, &JsValue::from_str(k), &convert::to_js(v));
                    }
                    obj.into()
                } else {
                    JsValue::UNDEFINED
                };
                (method_for(r.levelno), self.style_for(r.levelno), extras)
            }
            None => (
                match stream {
                    Stream::Stderr => method::ERROR,
                    Stream::Stdout => method::LOG,
                },
                None,
                JsValue::UNDEFINED,
            ),
        };
        let (ptr, len, ascii) = externs::line(text);
        if externs::console_write_at(method, ptr, len, ascii, style, &extras) {
            Ok(())
        } else {
            Err(Error::os_error("the console threw while writing a record"))
        }
    }
}

/// A JavaScript object used as a stream (CPython's `StreamHandler(stream)`): anything with a
/// `write(text)` method — a Node `Writable`, a `LoggerWriter`, a test's collector. `flush()`
/// is called after each record when the object has one, as CPython's `StreamHandler.flush`
/// does.
pub(crate) struct JsWriter {
    target: JsValue,
}

impl JsWriter {
    /// A stream over `target`, or a `TypeError` if it has no `write` method.
    pub(crate) fn new(target: JsValue) -> std::result::Result<Self, String> {
        match js_sys::Reflect::get(&target, &JsValue::from_str("write")) {
            Ok(f) if f.is_function() => Ok(JsWriter { target }),
            _ => Err(format!(
                "StreamHandler: expected a stream (an object with write()), not {}",
                externs::type_name_of(&target)
            )),
        }
    }

    fn call(&self, name: &str, arg: Option<&str>) -> Result<()> {
        let f = js_sys::Reflect::get(&self.target, &JsValue::from_str(name))
            .map_err(|e| convert::error_from_js(&e))?;
        let Some(f) = f.dyn_ref::<js_sys::Function>() else {
            return Ok(());
        };
        let r = match arg {
            Some(text) => f.call1(&self.target, &JsValue::from_str(text)),
            None => f.call0(&self.target),
        };
        r.map(drop).map_err(|e| convert::error_from_js(&e))
    }
}

impl ConsoleSink for JsWriter {
    fn write(&self, _stream: Stream, text: &str, _record: Option<&LogRecord>) -> Result<()> {
        self.call("write", Some(text))
    }

    fn flush(&self, _stream: Stream) -> Result<()> {
        self.call("flush", None)
    }
}

/// The host a thread starts with on `wasm32-unknown-unknown`: the JS clock and console.
pub(crate) fn default_host() -> (Rc<dyn Clock>, Rc<dyn ConsoleSink>) {
    (Rc::new(JsClock::new()), Rc::new(JsConsole::default()))
}
