//! `JsHandler`: one exported type for every handler (stream, console, memory, null,
//! callback, handlers written in JavaScript, and handlers the core made, such as
//! `basicConfig`'s), over the core's `Rc<dyn Handler>`.
//!
//! Handlers get a small numeric id, so lists of handlers can cross the boundary as numbers
//! (`logger.handlers`, `basicConfig({handlers})`) without handing ownership of the
//! wasm-bindgen objects back and forth.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::convert;
use super::errors::{level_from_js, to_js_error};
use super::externs;
use super::filter::JsFilter;
use super::formatter::{JsFnFormatter, JsFormatter};
use super::host::{ConsoleOptions, JsConsole, JsWriter};
use crate::core::error::Result;
use crate::core::handler::{report_error, Handler, HandlerCore};
use crate::core::handlers::{
    ConsoleHandler, FnHandler, MemoryHandler, NullHandler, QueueHandler, QueueListener,
    RotatingFileHandler,
};
use crate::core::level::{level_number, CRITICAL, DEBUG, ERROR, INFO, WARNING};
use crate::core::record::LogRecord;
use crate::core::sink::Stream;
use crate::core::value::Text;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    static IDS: RefCell<Vec<(Weak<dyn Handler>, u32)>> = const { RefCell::new(Vec::new()) };
}

/// The id of `handler`, assigned on first use.
pub(crate) fn id_of(handler: &Rc<dyn Handler>) -> u32 {
    IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        if let Some((_, id)) = ids
            .iter()
            .find(|(w, _)| std::ptr::addr_eq(w.as_ptr(), Rc::as_ptr(handler)))
        {
            return *id;
        }
        ids.retain(|(w, _)| w.strong_count() > 0);
        let id = NEXT_ID.with(|n| n.replace(n.get().wrapping_add(1)));
        ids.push((Rc::downgrade(handler), id));
        id
    })
}

/// The live handler with `id`.
pub(crate) fn by_id(id: u32) -> Option<Rc<dyn Handler>> {
    IDS.with(|ids| {
        ids.borrow()
            .iter()
            .find(|(_, i)| *i == id)
            .and_then(|(w, _)| w.upgrade())
    })
}

/// What a callback handler's call returned: `Ok`, or what the function threw, as an error
/// (the glue caught it; see `callLine`).
fn callback_result(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(convert::error_from_js(&externs::take_line_error()))
    }
}

/// A handler: CPython's `Handler` and the subclasses the package offers.
#[wasm_bindgen]
pub struct JsHandler {
    handler: Rc<dyn Handler>,
    memory: Option<Rc<MemoryHandler>>,
    console: Option<Rc<ConsoleHandler>>,
    #[cfg_attr(not(feature = "full"), allow(dead_code))] // storage handlers only
    rotating: Option<Rc<RotatingFileHandler>>,
    id: u32,
}

impl JsHandler {
    pub(crate) fn wrap(handler: Rc<dyn Handler>) -> Self {
        let id = id_of(&handler);
        JsHandler {
            handler,
            memory: None,
            console: None,
            rotating: None,
            id,
        }
    }

    /// A `RotatingFileHandler`, with its `namer` and `rotator` reachable.
    #[cfg_attr(not(feature = "full"), allow(dead_code))] // storage handlers only
    pub(crate) fn wrap_rotating(handler: Rc<RotatingFileHandler>) -> Self {
        let mut h = JsHandler::wrap(handler.clone());
        h.rotating = Some(handler);
        h
    }

    /// The `RotatingFileHandler` behind this handle, if it is one.
    #[cfg_attr(not(feature = "full"), allow(dead_code))] // storage handlers only
    pub(crate) fn rotating(&self) -> Option<&Rc<RotatingFileHandler>> {
        self.rotating.as_ref()
    }

    fn wrap_console(console: Rc<ConsoleHandler>) -> Self {
        let mut h = JsHandler::wrap(console.clone());
        h.console = Some(console);
        h
    }

    /// The core handler.
    pub(crate) fn handler(&self) -> &Rc<dyn Handler> {
        &self.handler
    }

    /// A `QueueHandler`'s listener (`handler.listener`, set up by `dictConfig`).
    fn listener(&self) -> Option<Rc<QueueListener>> {
        self.handler
            .as_any()
            .and_then(|a| a.downcast_ref::<QueueHandler>())
            .and_then(QueueHandler::listener)
    }
}

/// `%c` styles for `styles: true`: muted debug, plain info, bold warnings and errors (the
/// devtools already colour `warn` and `error` lines).
fn default_styles() -> Vec<(i64, String)> {
    vec![
        (
            CRITICAL,
            "font-weight: bold; text-decoration: underline".to_owned(),
        ),
        (ERROR, "font-weight: bold".to_owned()),
        (WARNING, "font-weight: bold".to_owned()),
        (INFO, "color: inherit".to_owned()),
        (DEBUG, "color: gray".to_owned()),
    ]
}

/// `styles` as given to `ConsoleHandler`: `true`, or `{LEVEL: css}` keyed by level names or
/// numbers; sorted from the highest level down for lookup.
fn styles_from_js(styles: &JsValue) -> Result<Vec<(i64, String)>, JsValue> {
    if styles.is_undefined() || styles.is_null() || styles.is_falsy() {
        return Ok(Vec::new());
    }
    if styles.as_bool() == Some(true) {
        return Ok(default_styles());
    }
    let mut out = Vec::new();
    for (key, value) in convert::fields_from_js(styles) {
        let level = key
            .parse::<i64>()
            .ok()
            .or_else(|| level_number(&key))
            .ok_or_else(|| -> JsValue {
                js_sys::TypeError::new(&format!("ConsoleHandler styles: unknown level {key:?}"))
                    .into()
            })?;
        let css = value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| -> JsValue {
                js_sys::TypeError::new(&format!(
                    "ConsoleHandler styles: the style for {key} must be a string"
                ))
                .into()
            })?;
        out.push((level, css));
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.0));
    Ok(out)
}

fn stream_of(stream: &str, what: &str) -> Result<Stream, JsValue> {
    match stream {
        "stderr" | "ext://sys.stderr" => Ok(Stream::Stderr),
        "stdout" | "ext://sys.stdout" => Ok(Stream::Stdout),
        other => Err(js_sys::TypeError::new(&format!(
            "{what}: stream must be 'stdout' or 'stderr', not {other:?}"
        ))
        .into()),
    }
}

/// A handler written in JavaScript (a `Handler` subclass): the core formats and filters, then
/// calls the object's `emit` (through `emit(text, record)`); `flush()` and `close()` from the
/// core (`shutdown()`, a configuration replacing handlers) reach the object's own `flush` and
/// `close`, overrides included, and `flushOnClose` is read from it, as CPython's `shutdown`
/// reads `getattr(h, 'flushOnClose', True)`.
struct JsSubclassHandler {
    core: HandlerCore,
    emit: Function,
    flush: Function,
    close: Function,
    flush_on_close: Function,
}

impl Handler for JsSubclassHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let text = self.core.format(record)?;
        let rec = convert::record_to_js(record, false);
        self.emit
            .call2(&JsValue::UNDEFINED, &convert::js_text(&text), &rec)
            .map(drop)
            .map_err(|e| convert::error_from_js(&e))
    }

    fn flush(&self) -> Result<()> {
        self.flush
            .call0(&JsValue::UNDEFINED)
            .map(drop)
            .map_err(|e| convert::error_from_js(&e))
    }

    fn flush_on_close(&self) -> bool {
        self.flush_on_close
            .call0(&JsValue::UNDEFINED)
            .map_or(true, |v| v.is_truthy())
    }

    fn close(&self) {
        if let Err(e) = self.close.call0(&JsValue::UNDEFINED) {
            report_error(None, &convert::error_from_js(&e));
        }
        self.core.mark_closed();
    }
}

#[wasm_bindgen]
impl JsHandler {
    /// `StreamHandler(sys.stdout)` / `StreamHandler(sys.stderr)`: the host's standard stream,
    /// looked up at each record — `process.stdout` / `process.stderr` in Node, the devtools
    /// console (method by level) in a browser.
    pub fn stream(stream: &str) -> Result<JsHandler, JsValue> {
        let stream = stream_of(stream, "StreamHandler")?;
        Ok(JsHandler::wrap_console(Rc::new(ConsoleHandler::new(
            stream,
        ))))
    }

    /// `StreamHandler(obj)` for an object with `write(text)` (and optionally `flush()`).
    pub fn writer(target: JsValue) -> Result<JsHandler, JsValue> {
        let sink = JsWriter::new(target).map_err(|m| JsValue::from(js_sys::TypeError::new(&m)))?;
        Ok(JsHandler::wrap_console(Rc::new(ConsoleHandler::with_sink(
            Stream::Stderr,
            Rc::new(sink),
        ))))
    }

    /// A handler written in JavaScript: `emit(text, record)` for each record, `flush()`,
    /// `close()` and `flushOnClose()` when the core flushes or closes it (see
    /// `JsSubclassHandler`).
    pub fn subclass(
        emit: Function,
        flush: Function,
        close: Function,
        flush_on_close: Function,
    ) -> JsHandler {
        JsHandler::wrap(Rc::new(JsSubclassHandler {
            core: HandlerCore::default(),
            emit,
            flush,
            close,
            flush_on_close,
        }))
    }

    /// Marks a JavaScript handler closed (its `close()` ran in JavaScript).
    #[wasm_bindgen(js_name = markClosed)]
    pub fn mark_closed(&self) {
        self.handler.core().mark_closed();
    }

    /// `ConsoleHandler(stream, {styles, extras})`: the devtools console, one call per record
    /// with the level's method. `stream` only matters for text without a record.
    pub fn console(stream: &str, styles: JsValue, extras: bool) -> Result<JsHandler, JsValue> {
        let stream = stream_of(stream, "ConsoleHandler")?;
        let options = ConsoleOptions {
            styles: styles_from_js(&styles)?,
            extras,
        };
        Ok(JsHandler::wrap_console(Rc::new(ConsoleHandler::with_sink(
            stream,
            Rc::new(JsConsole::new(options)),
        ))))
    }

    /// `MemoryHandler(capacity, flushLevel, target=None, flushOnClose)`.
    pub fn memory(
        capacity: f64,
        flush_level: JsValue,
        flush_on_close: bool,
    ) -> Result<JsHandler, JsValue> {
        if !(capacity.is_finite() && capacity >= 0.0 && capacity.fract() == 0.0) {
            return Err(js_sys::TypeError::new(&format!(
                "MemoryHandler: capacity must be a non-negative integer, not {capacity}"
            ))
            .into());
        }
        let flush_level = if flush_level.is_undefined() || flush_level.is_null() {
            ERROR
        } else {
            level_from_js(&flush_level).map_err(|e| to_js_error(&e))?
        };
        let memory = Rc::new(MemoryHandler::new(
            capacity as usize,
            flush_level,
            None,
            flush_on_close,
        ));
        let mut h = JsHandler::wrap(memory.clone());
        h.memory = Some(memory);
        Ok(h)
    }

    /// `NullHandler()`.
    pub fn null() -> JsHandler {
        JsHandler::wrap(Rc::new(NullHandler::new()))
    }

    /// `CallbackHandler(fn)`: `fn(text, record)` for each record, `record` a plain object. A
    /// throwing `fn` is reported through `handleError`.
    ///
    /// The record object is built only for a function that declares a second parameter
    /// (`fn.length >= 2`): `(text) => …` gets the text alone, which spares building a
    /// 25-field object per record (most of a formatted record's cost in the engine).
    pub fn callback(f: Function) -> JsHandler {
        if f.length() >= 2 {
            JsHandler::wrap(Rc::new(FnHandler::new(
                move |text: &str, record: &LogRecord| -> Result<()> {
                    let rec = convert::record_to_js(record, false);
                    let (ptr, len, ascii) = externs::line(text);
                    callback_result(externs::call_line_record(&f, ptr, len, ascii, &rec))
                },
            )))
        } else {
            JsHandler::wrap(Rc::new(FnHandler::new(
                move |text: &str, _record: &LogRecord| -> Result<()> {
                    let (ptr, len, ascii) = externs::line(text);
                    callback_result(externs::call_line(&f, ptr, len, ascii))
                },
            )))
        }
    }

    /// Another handle on the live handler with `id` (for handlers the core created).
    #[wasm_bindgen(js_name = fromId)]
    pub fn from_id(id: u32) -> Option<JsHandler> {
        by_id(id).map(JsHandler::wrap)
    }

    /// The handler's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The handler's level.
    #[wasm_bindgen(getter)]
    pub fn level(&self) -> f64 {
        self.handler.level() as f64
    }

    /// `setLevel(level)`: a number or a registered name.
    #[wasm_bindgen(js_name = setLevel)]
    pub fn set_level(&self, level: JsValue) -> Result<(), JsValue> {
        let level = level_from_js(&level).map_err(|e| to_js_error(&e))?;
        self.handler
            .core()
            .set_level(level)
            .map_err(|e| to_js_error(&e))
    }

    /// The handler's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> Option<String> {
        self.handler.core().name().map(|n| n.to_string())
    }

    /// Sets the handler's name (`None` clears it).
    #[wasm_bindgen(setter)]
    pub fn set_name(&self, name: Option<String>) {
        self.handler.core().set_name(name.map(Text::from));
    }

    /// `setFormatter(formatter)`.
    #[wasm_bindgen(js_name = setFormatter)]
    pub fn set_formatter(&self, formatter: &JsFormatter) {
        self.handler
            .core()
            .set_formatter(Some(formatter.formatter()));
    }

    /// `setFormatter(obj)` for a JS object with a `format(record)` method: `f(record)`'s
    /// result is the text.
    #[wasm_bindgen(js_name = setFormatterFunction)]
    pub fn set_formatter_function(&self, f: Function) {
        self.handler
            .core()
            .set_formatter(Some(Rc::new(JsFnFormatter::new(f))));
    }

    /// `setFormatter(None)`: back to `Formatter()`.
    #[wasm_bindgen(js_name = clearFormatter)]
    pub fn clear_formatter(&self) {
        self.handler.core().set_formatter(None);
    }

    /// Whether a formatter is set.
    #[wasm_bindgen(js_name = hasFormatter)]
    pub fn has_formatter(&self) -> bool {
        self.handler.core().formatter().is_some()
    }

    /// `addFilter(filter)`.
    #[wasm_bindgen(js_name = addFilter)]
    pub fn add_filter(&self, filter: &JsFilter) {
        self.handler.core().add_filter(filter.filter());
    }

    /// `removeFilter(filter)`.
    #[wasm_bindgen(js_name = removeFilter)]
    pub fn remove_filter(&self, filter: &JsFilter) {
        self.handler.core().remove_filter(&filter.filter());
    }

    /// `flush()`; a failure is reported through `handleError`.
    pub fn flush(&self) {
        if let Err(e) = self.handler.flush() {
            report_error(None, &e);
        }
    }

    /// `close()`.
    pub fn close(&self) {
        self.handler.close();
    }

    /// `handle(record)` for a record object (as `emit` receives it, or from
    /// `makeLogRecord`): the handler's filters, then `emit`, a failure reported through
    /// `handleError` — what a `QueueListener` calls. Returns whether the filters passed it.
    pub fn handle(&self, record: JsValue) -> bool {
        let mut r = super::formatter::record_from_js(&record);
        self.handler.handle(&mut r)
    }

    /// `MemoryHandler.setTarget(target)`.
    #[wasm_bindgen(js_name = setTarget)]
    pub fn set_target(&self, target: &JsHandler) {
        if let Some(m) = &self.memory {
            m.set_target(Some(target.handler.clone()));
        }
    }

    /// `MemoryHandler.setTarget(None)`.
    #[wasm_bindgen(js_name = clearTarget)]
    pub fn clear_target(&self) {
        if let Some(m) = &self.memory {
            m.set_target(None);
        }
    }

    /// How many records a `MemoryHandler` holds.
    #[wasm_bindgen(getter)]
    pub fn buffered(&self) -> u32 {
        self.memory.as_ref().map_or(0, |m| m.buffered() as u32)
    }

    /// A `MemoryHandler`'s `flushLevel`.
    #[wasm_bindgen(getter, js_name = flushLevel)]
    pub fn flush_level(&self) -> f64 {
        self.memory.as_ref().map_or(ERROR, |m| m.flush_level()) as f64
    }

    /// `BufferingHandler.flush(memory_handler)`: discards what a `MemoryHandler` holds
    /// without sending it; returns how many records were dropped.
    #[wasm_bindgen(js_name = clearBuffer)]
    pub fn clear_buffer(&self) -> u32 {
        self.memory
            .as_ref()
            .map_or(0, |m| u32::try_from(m.clear()).unwrap_or(u32::MAX))
    }

    /// Whether this is a `QueueHandler` with a listener (`dictConfig` sets one up).
    #[wasm_bindgen(getter, js_name = hasListener)]
    pub fn has_listener(&self) -> bool {
        self.listener().is_some()
    }

    /// `handler.listener.start()`: `pump()` drains the listener from now on.
    #[wasm_bindgen(js_name = listenerStart)]
    pub fn listener_start(&self) {
        if let Some(l) = self.listener() {
            l.start();
        }
    }

    /// `handler.listener.stop()`: dispatches what is queued, then stops.
    #[wasm_bindgen(js_name = listenerStop)]
    pub fn listener_stop(&self) {
        if let Some(l) = self.listener() {
            l.stop();
        }
    }

    /// `StreamHandler.terminator` (the console drops one trailing newline).
    #[wasm_bindgen(js_name = setTerminator)]
    pub fn set_terminator(&self, terminator: String) {
        if let Some(c) = &self.console {
            c.set_terminator(terminator);
        }
    }
}
