//! The handler base: CPython's `Handler` (level, filters, formatter, name, `handle`,
//! `handleError`) as a trait with the shared state in [`HandlerCore`].
//!
//! A handler never lets an error escape into the log call: `emit` returns a `Result`, and
//! [`Handler::handle`] turns an `Err` into one `handle_error` report on the host's error
//! stream (CPython's `--- Logging error ---` block), counted in
//! [`host::error_count`] even when `raiseExceptions` is off.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use super::error::{Error, ErrorKind, Result};
use super::filter::{Filter, Filtered, Filterer};
use super::formatter::{Formatter, RecordFormatter};
use super::host;
use super::level::{check_level, LevelSpec, NOTSET};
use super::pyfmt;
use super::record::LogRecord;
use super::value::Text;

/// State every handler has: CPython's `Handler.__init__` attributes.
pub struct HandlerCore {
    level: Cell<i64>,
    name: RefCell<Option<Text>>,
    filterer: Filterer,
    formatter: RefCell<Option<Rc<dyn RecordFormatter>>>,
    emitting: Cell<bool>,
    closed: Cell<bool>,
}

impl fmt::Debug for HandlerCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerCore")
            .field("level", &self.level.get())
            .field("name", &self.name.borrow())
            .finish()
    }
}

impl Default for HandlerCore {
    fn default() -> Self {
        Self::new(NOTSET)
    }
}

impl HandlerCore {
    /// A handler core at `level` with no filters and no formatter.
    pub fn new(level: i64) -> Self {
        HandlerCore {
            level: Cell::new(level),
            name: RefCell::new(None),
            filterer: Filterer::default(),
            formatter: RefCell::new(None),
            emitting: Cell::new(false),
            closed: Cell::new(false),
        }
    }

    /// The handler's level.
    pub fn level(&self) -> i64 {
        self.level.get()
    }

    /// `setLevel`: a number or a registered name.
    pub fn set_level(&self, level: impl Into<LevelSpec>) -> Result<()> {
        self.level.set(check_level(level)?);
        Ok(())
    }

    /// The handler's name (`get_name`).
    pub fn name(&self) -> Option<Text> {
        self.name.borrow().clone()
    }

    /// `set_name`.
    pub fn set_name(&self, name: Option<Text>) {
        *self.name.borrow_mut() = name;
    }

    /// The formatter, if one was set.
    pub fn formatter(&self) -> Option<Rc<dyn RecordFormatter>> {
        self.formatter.borrow().clone()
    }

    /// `setFormatter`.
    pub fn set_formatter(&self, formatter: Option<Rc<dyn RecordFormatter>>) {
        *self.formatter.borrow_mut() = formatter;
    }

    /// `addFilter`.
    pub fn add_filter(&self, filter: Rc<dyn Filter>) {
        self.filterer.add_filter(filter)
    }

    /// `removeFilter`.
    pub fn remove_filter(&self, filter: &Rc<dyn Filter>) {
        self.filterer.remove_filter(filter)
    }

    /// The filters.
    pub fn filterer(&self) -> &Filterer {
        &self.filterer
    }

    /// `format(record)`: with the handler's formatter, or `Formatter()` when none is set.
    pub fn format(&self, record: &mut LogRecord) -> Result<String> {
        let formatter = self.formatter.borrow().clone();
        match formatter {
            Some(f) => f.format(record),
            None => Formatter::default().format(record),
        }
    }

    /// Whether `close()` has run.
    pub fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// Marks the handler closed (called by `close` implementations).
    pub fn mark_closed(&self) {
        self.closed.set(true);
    }
}

/// A handler: CPython's `Handler` subclasses implement `emit`; so do these.
pub trait Handler {
    /// The shared handler state.
    fn core(&self) -> &HandlerCore;

    /// Does whatever it takes to actually log the record. Errors are reported by
    /// [`Handler::handle`] through [`Handler::handle_error`].
    fn emit(&self, record: &mut LogRecord) -> Result<()>;

    /// Flushes buffered output.
    fn flush(&self) -> Result<()> {
        Ok(())
    }

    /// Whether `logging.shutdown()` flushes this handler before closing it (CPython 3.13 asks
    /// `getattr(h, 'flushOnClose', True)`: a `MemoryHandler(flushOnClose=False)` is not).
    fn flush_on_close(&self) -> bool {
        true
    }

    /// Releases resources; later records are still accepted unless the handler refuses them.
    fn close(&self) {
        self.core().mark_closed();
    }

    /// `handleError(record)`: reports `err` once to the host's error stream.
    fn handle_error(&self, record: &LogRecord, err: &Error) {
        report_error(Some(record), err);
    }

    /// `handle(record)`: applies the handler's filters, then emits, turning any error into a
    /// `handle_error` report. Returns whether the filters passed the record.
    fn handle(&self, record: &mut LogRecord) -> bool {
        let core = self.core();
        let mut replaced;
        let record: &mut LogRecord = if core.filterer.is_empty() {
            record
        } else {
            match core.filterer.apply(record) {
                Filtered::Rejected => return false,
                Filtered::Passed => record,
                Filtered::Replaced(r) => {
                    replaced = r;
                    &mut replaced
                }
            }
        };
        // CPython holds an RLock here, so a handler whose emit logs back into itself recurses
        // until RecursionError. We refuse the nested call and report it instead.
        if core.emitting.replace(true) {
            self.handle_error(
                record,
                &Error::new(
                    ErrorKind::RuntimeError,
                    "handler re-entered while emitting (a record logged from inside its own handler)",
                ),
            );
            return true;
        }
        // A panic in `emit` (a user's handler, formatter or closure) is contained: reported
        // like an error, and the guard is reset so the handler keeps working.
        let result = contain_panic("handler", || self.emit(record));
        core.emitting.set(false);
        if let Err(e) = result {
            self.handle_error(record, &e);
        }
        true
    }

    /// `level` (shorthand for `core().level()`).
    fn level(&self) -> i64 {
        self.core().level()
    }

    /// The handler as `Any`, for callers that need its concrete type (a configured
    /// `QueueHandler`'s listener, say). Handlers that support this return `Some(self)`.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }

    /// Sets an attribute named in a configuration's `.` section (`setattr(handler, name,
    /// value)`). Handlers accept the attributes they have; anything else is an error.
    fn set_attribute(&self, name: &str, _value: &super::value::Value) -> Result<()> {
        Err(Error::new(
            ErrorKind::AttributeError,
            format!("this handler has no settable attribute '{name}'"),
        ))
    }
}

thread_local! {
    /// CPython's `logging._handlers`: handlers by name, for `getHandlerByName`.
    static BY_NAME: RefCell<Vec<(Text, std::rc::Weak<dyn Handler>)>> = const { RefCell::new(Vec::new()) };
}

/// Registers `handler` under `name` (CPython's `Handler.name` setter) and sets its name.
pub fn register_handler_name(name: impl Into<Text>, handler: &Rc<dyn Handler>) {
    let name = name.into();
    handler.core().set_name(Some(name.clone()));
    BY_NAME.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(n, w)| *n != name && w.strong_count() > 0);
        m.push((name, Rc::downgrade(handler)));
    })
}

/// `logging.getHandlerByName(name)`.
pub fn get_handler_by_name(name: &str) -> Option<Rc<dyn Handler>> {
    BY_NAME.with(|m| {
        m.borrow()
            .iter()
            .rev()
            .find(|(n, _)| n.as_str() == name)
            .and_then(|(_, w)| w.upgrade())
    })
}

/// `logging.getHandlerNames()`: the names of live named handlers, sorted.
pub fn get_handler_names() -> Vec<String> {
    let mut names: Vec<String> = BY_NAME.with(|m| {
        m.borrow()
            .iter()
            .filter(|(_, w)| w.strong_count() > 0)
            .map(|(n, _)| n.to_string())
            .collect()
    });
    names.sort();
    names.dedup();
    names
}

/// Forgets every handler name (what `dictConfig` does before configuring afresh).
pub(crate) fn clear_handler_names() {
    BY_NAME.with(|m| m.borrow_mut().clear())
}

/// Runs `f`, turning a panic inside it (user code: a handler, filter or formatter closure)
/// into a `RuntimeError` naming `what` and the panic's message, so it never unwinds through
/// a log call. Where panics abort (Wasm builds) this is a plain call.
pub fn contain_panic<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-string panic payload".to_owned());
            Err(Error::new(
                ErrorKind::RuntimeError,
                format!("{what} panicked: {message}"),
            ))
        }
    }
}

/// CPython's `Handler.handleError` report:
///
/// ```text
/// --- Logging error ---
/// TypeError: not all arguments converted during string formatting
/// Message: 'hello'
/// Arguments: (1,)
/// ```
///
/// CPython also prints the traceback and call stack; a Wasm core has neither, so the error
/// line stands for them. Reports are counted even when `raiseExceptions` is off.
pub fn report_error(record: Option<&LogRecord>, err: &Error) {
    host::count_error();
    if !host::raise_exceptions() {
        return;
    }
    let mut text = String::from("--- Logging error ---\n");
    text.push_str(&err.to_string());
    text.push('\n');
    if let Some(record) = record {
        text.push_str("Message: ");
        if pyfmt::write_repr(&record.msg, &mut text).is_err() {
            text.push_str("<unrepresentable message>");
        }
        text.push_str("\nArguments: ");
        if pyfmt::write_str(&record.args_value(), &mut text).is_err() {
            text.push_str("<unrepresentable arguments>");
        }
        text.push('\n');
    }
    host::write_stderr(&text);
}
