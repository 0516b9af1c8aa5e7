//! `Logger`: levels, propagation, handlers, filters and the logging calls.
//!
//! # Cost model
//! A call below the effective level costs one `Cell` load for `disabled`, one for the
//! `disable()` level, one for the cache generation (compared with the logger's), one for the
//! cached effective level, and a comparison: no allocation, no record, no formatting. The
//! macros ([`info!`](crate::info) …) check [`Logger::is_enabled_for`] before evaluating their
//! arguments, like the `log` crate's. `Cell` rather than atomics is sound because the core is
//! single-threaded by construction (`Logger` is `!Send`).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use super::error::Result;
use super::filter::{Filter, Filtered, Filterer};
use super::handler::{report_error, Handler};
use super::host;
use super::level::{self, check_level, LevelSpec, CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING};
use super::manager::{LevelState, ManagerShared};
use super::record::{ExcInfo, Location, LogRecord};
use super::value::{Text, Value};

/// Options of a log call: CPython's keyword arguments `extra`, `exc_info`, `stack_info`,
/// `stacklevel`, plus the caller's location when a binding knows it.
#[derive(Clone, Debug, Default)]
pub struct LogOptions {
    /// `extra`: attributes added to the record.
    pub extra: Vec<(Text, Value)>,
    /// `exc_info`: the exception to render after the message.
    pub exc_info: Option<Rc<ExcInfo>>,
    /// `stack_info`: append the caller's stack (when the host can capture it).
    pub stack_info: bool,
    /// `stacklevel`: how many frames to skip when the host finds the caller.
    pub stacklevel: u32,
    /// The caller; `None` lets `#[track_caller]` methods find it.
    pub location: Option<Location>,
}

impl LogOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds one `extra` attribute.
    pub fn extra(mut self, key: impl Into<Text>, value: impl Into<Value>) -> Self {
        self.extra.push((key.into(), value.into()));
        self
    }
    /// Sets `exc_info`.
    pub fn exc_info(mut self, exc: ExcInfo) -> Self {
        self.exc_info = Some(Rc::new(exc));
        self
    }
    /// Sets `stack_info`.
    pub fn stack_info(mut self, on: bool) -> Self {
        self.stack_info = on;
        self
    }
    /// Sets `stacklevel`.
    pub fn stacklevel(mut self, n: u32) -> Self {
        self.stacklevel = n;
        self
    }
    /// Sets the caller's location.
    pub fn location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
}

/// The `%`-arguments of a log call: `()`, a tuple of values, an array, a `Vec<Value>`.
pub trait IntoArgs {
    /// The arguments as values.
    fn into_args(self) -> Vec<Value>;
}

impl IntoArgs for () {
    fn into_args(self) -> Vec<Value> {
        Vec::new()
    }
}
impl IntoArgs for Vec<Value> {
    fn into_args(self) -> Vec<Value> {
        self
    }
}
impl IntoArgs for &[Value] {
    fn into_args(self) -> Vec<Value> {
        let mut args = super::pool::take_values();
        args.extend_from_slice(self);
        args
    }
}
impl<const N: usize> IntoArgs for [Value; N] {
    fn into_args(self) -> Vec<Value> {
        let mut args = super::pool::take_values();
        args.extend(self);
        args
    }
}
macro_rules! tuple_args {
    ($($name:ident),+) => {
        impl<$($name: Into<Value>),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Value> {
                let ($($name,)+) = self;
                let mut args = super::pool::take_values();
                $(args.push($name.into());)+
                args
            }
        }
    };
}
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);
tuple_args!(A, B, C, D, E, F, G);
tuple_args!(A, B, C, D, E, F, G, H);

/// The `debug` … `critical` and `exception` methods of a logger-like type, each delegating to
/// the type's own `log` / `log_with` (which check the level first). `#[track_caller]` carries
/// the user's call site through the delegation.
macro_rules! level_methods {
    () => {
        /// `debug(msg, *args)`.
        #[track_caller]
        pub fn debug(&self, msg: impl Into<Value>, args: impl IntoArgs) {
            self.log(DEBUG, msg, args)
        }

        /// `info(msg, *args)`.
        #[track_caller]
        pub fn info(&self, msg: impl Into<Value>, args: impl IntoArgs) {
            self.log(INFO, msg, args)
        }

        /// `warning(msg, *args)`.
        #[track_caller]
        pub fn warning(&self, msg: impl Into<Value>, args: impl IntoArgs) {
            self.log(WARNING, msg, args)
        }

        /// `error(msg, *args)`.
        #[track_caller]
        pub fn error(&self, msg: impl Into<Value>, args: impl IntoArgs) {
            self.log(ERROR, msg, args)
        }

        /// `critical(msg, *args)`.
        #[track_caller]
        pub fn critical(&self, msg: impl Into<Value>, args: impl IntoArgs) {
            self.log(CRITICAL, msg, args)
        }

        /// `exception(msg, *args)`: ERROR with the exception rendered after the message.
        #[track_caller]
        pub fn exception(&self, msg: impl Into<Value>, args: impl IntoArgs, exc: ExcInfo) {
            self.log_with(ERROR, msg, args, LogOptions::default().exc_info(exc))
        }
    };
}
pub(crate) use level_methods;

pub(crate) struct LoggerInner {
    name: Text,
    is_root: bool,
    level: Cell<i64>,
    parent: RefCell<Option<Logger>>,
    propagate: Cell<bool>,
    disabled: Cell<bool>,
    handlers: RefCell<Vec<Rc<dyn Handler>>>,
    filterer: Filterer,
    manager: Weak<ManagerShared>,
    levels: Rc<LevelState>,
    cache_generation: Cell<u64>,
    cache_level: Cell<i64>,
}

impl LoggerInner {
    pub(crate) fn new(
        name: Text,
        level: i64,
        is_root: bool,
        manager: Weak<ManagerShared>,
        levels: Rc<LevelState>,
    ) -> Self {
        LoggerInner {
            name,
            is_root,
            level: Cell::new(level),
            parent: RefCell::new(None),
            propagate: Cell::new(true),
            disabled: Cell::new(false),
            handlers: RefCell::new(Vec::new()),
            filterer: Filterer::default(),
            manager,
            // Never equal to a live generation until computed.
            cache_generation: Cell::new(levels.generation.get().wrapping_sub(1)),
            cache_level: Cell::new(NOTSET),
            levels,
        }
    }
}

/// `logging.Logger`: a cheap, clonable handle; the same name always gives the same logger.
#[derive(Clone)]
pub struct Logger(Rc<LoggerInner>);

impl fmt::Debug for Logger {
    /// CPython's repr: `<Logger app.net (WARNING)>`, `<RootLogger root (WARNING)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_root() {
            "RootLogger"
        } else {
            "Logger"
        };
        write!(
            f,
            "<{kind} {} ({})>",
            self.name(),
            level::level_name(self.get_effective_level())
        )
    }
}

impl PartialEq for Logger {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other)
    }
}

impl Logger {
    pub(crate) fn from_inner(inner: LoggerInner) -> Self {
        Logger(Rc::new(inner))
    }

    /// Whether two handles are the same logger.
    pub fn ptr_eq(&self, other: &Logger) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The logger's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The logger's name as shared text.
    pub fn name_text(&self) -> Text {
        self.0.name.clone()
    }

    /// Whether this is the root logger.
    pub fn is_root(&self) -> bool {
        self.0.is_root
    }

    /// The level set on this logger (`logger.level`), `NOTSET` if none.
    pub fn level(&self) -> i64 {
        self.0.level.get()
    }

    /// `setLevel(level)`: a number or a registered name; clears every effective-level cache.
    pub fn set_level(&self, level: impl Into<LevelSpec>) -> Result<()> {
        self.0.level.set(check_level(level)?);
        self.0.levels.invalidate();
        Ok(())
    }

    /// The parent logger (`None` only for the root).
    pub fn parent(&self) -> Option<Logger> {
        self.0.parent.borrow().clone()
    }

    pub(crate) fn set_parent(&self, parent: Option<Logger>) {
        *self.0.parent.borrow_mut() = parent;
    }

    /// `propagate`.
    pub fn propagate(&self) -> bool {
        self.0.propagate.get()
    }

    /// Sets `propagate`.
    pub fn set_propagate(&self, on: bool) {
        self.0.propagate.set(on);
    }

    /// `disabled` (set by configuration for loggers it did not name).
    pub fn disabled(&self) -> bool {
        self.0.disabled.get()
    }

    /// Sets `disabled`.
    pub fn set_disabled(&self, on: bool) {
        self.0.disabled.set(on);
    }

    /// `getEffectiveLevel()`: this logger's level, or the nearest ancestor's that is set.
    pub fn get_effective_level(&self) -> i64 {
        let mut level = self.level();
        if level != NOTSET {
            return level;
        }
        let mut cur = self.parent();
        while let Some(l) = cur {
            level = l.level();
            if level != NOTSET {
                return level;
            }
            cur = l.parent();
        }
        NOTSET
    }

    /// `isEnabledFor(level)`; see the cost model in the module docs.
    #[inline]
    pub fn is_enabled_for(&self, level: i64) -> bool {
        let inner = &*self.0;
        if inner.disabled.get() || inner.levels.disable.get() >= level {
            return false;
        }
        let generation = inner.levels.generation.get();
        let effective = if inner.cache_generation.get() == generation {
            inner.cache_level.get()
        } else {
            self.refresh_cache(generation)
        };
        level >= effective
    }

    #[cold]
    fn refresh_cache(&self, generation: u64) -> i64 {
        let effective = self.get_effective_level();
        self.0.cache_level.set(effective);
        self.0.cache_generation.set(generation);
        effective
    }

    /// `getChild(suffix)`: the logger `self.name + "." + suffix` (just `suffix` on the root).
    pub fn get_child(&self, suffix: &str) -> Logger {
        let name = if self.is_root() {
            suffix.to_owned()
        } else {
            format!("{}.{}", self.name(), suffix)
        };
        match self.0.manager.upgrade() {
            Some(m) => m.get_logger(&name),
            // The manager is gone (only possible for loggers kept past their manager): a
            // detached logger still accepts calls and reports through lastResort-less paths.
            None => Logger::from_inner(LoggerInner::new(
                Text::from(name),
                NOTSET,
                false,
                Weak::new(),
                self.0.levels.clone(),
            )),
        }
    }

    /// `getChildren()`: the loggers immediately below this one, sorted by name.
    pub fn get_children(&self) -> Vec<Logger> {
        self.0
            .manager
            .upgrade()
            .map_or_else(Vec::new, |m| m.children_of(self))
    }

    /// `addHandler(handler)`: adds it unless this very handler is already attached.
    pub fn add_handler(&self, handler: Rc<dyn Handler>) {
        let mut handlers = self.0.handlers.borrow_mut();
        if !handlers.iter().any(|h| Rc::ptr_eq(h, &handler)) {
            if let Some(m) = self.0.manager.upgrade() {
                m.track_handler(&handler);
            }
            handlers.push(handler);
        }
    }

    /// `removeHandler(handler)`.
    pub fn remove_handler(&self, handler: &Rc<dyn Handler>) {
        self.0
            .handlers
            .borrow_mut()
            .retain(|h| !Rc::ptr_eq(h, handler));
    }

    /// The handlers attached to this logger.
    pub fn handlers(&self) -> Vec<Rc<dyn Handler>> {
        self.0.handlers.borrow().clone()
    }

    /// `hasHandlers()`: whether this logger or an ancestor reachable by propagation has any.
    pub fn has_handlers(&self) -> bool {
        let mut cur = Some(self.clone());
        while let Some(l) = cur {
            if !l.0.handlers.borrow().is_empty() {
                return true;
            }
            cur = if l.propagate() { l.parent() } else { None };
        }
        false
    }

    /// `addFilter(filter)`.
    pub fn add_filter(&self, filter: Rc<dyn Filter>) {
        self.0.filterer.add_filter(filter);
    }

    /// `removeFilter(filter)`.
    pub fn remove_filter(&self, filter: &Rc<dyn Filter>) {
        self.0.filterer.remove_filter(filter);
    }

    /// The logger's filters.
    pub fn filters(&self) -> Vec<Rc<dyn Filter>> {
        self.0.filterer.filters()
    }

    level_methods!();

    /// `logger.log(level, msg, *args)`.
    #[track_caller]
    pub fn log(&self, level: i64, msg: impl Into<Value>, args: impl IntoArgs) {
        if self.is_enabled_for(level) {
            self.log_at(
                level,
                msg.into(),
                args.into_args(),
                LogOptions::default(),
                Location::caller(),
            );
        }
    }

    /// `logger.log(level, msg, *args, **kwargs)` with `extra`, `exc_info`, `stack_info`,
    /// `stacklevel` and an optional caller location.
    #[track_caller]
    pub fn log_with(
        &self,
        level: i64,
        msg: impl Into<Value>,
        args: impl IntoArgs,
        opts: LogOptions,
    ) {
        if self.is_enabled_for(level) {
            self.log_at(
                level,
                msg.into(),
                args.into_args(),
                opts,
                Location::caller(),
            );
        }
    }

    /// CPython's `_log`, for callers that already checked `is_enabled_for` (the macros, the
    /// bindings): builds the record and handles it. `caller` is used unless `opts` carries a
    /// location.
    pub fn log_at(
        &self,
        level: i64,
        msg: Value,
        args: Vec<Value>,
        opts: LogOptions,
        caller: Location,
    ) {
        let LogOptions {
            extra,
            exc_info,
            stack_info,
            stacklevel,
            location,
        } = opts;
        let mut record = self.make_record(level, location.unwrap_or(caller), msg, args, exc_info);
        if stack_info {
            if let Some(stack) = host::capture_stack(stacklevel as usize) {
                let mut s = String::from("Stack (most recent call last):\n");
                s.push_str(&stack);
                if s.ends_with('\n') {
                    s.pop();
                }
                record.stack_info = Some(Text::from(s));
            }
        }
        if !extra.is_empty() {
            // CPython raises this KeyError into the caller and emits nothing; a log call must
            // not throw, so it is reported instead, and the record is not emitted either.
            let added = record.add_extra(&extra);
            super::pool::give_fields(extra);
            if let Err(e) = added {
                report_error(Some(&record), &e);
                return;
            }
        }
        self.handle(&mut record);
    }

    /// `makeRecord`: a record stamped with the host's time and identity, then the record
    /// factory hook.
    pub fn make_record(
        &self,
        level: i64,
        location: Location,
        msg: Value,
        args: Vec<Value>,
        exc_info: Option<Rc<ExcInfo>>,
    ) -> LogRecord {
        let (now, start) = host::now_ns();
        let mut record = LogRecord::new(
            self.0.name.clone(),
            level,
            level::level_name(level),
            location,
            msg,
            args,
            exc_info,
            now,
            start,
        );
        if let Some(factory) = self.0.manager.upgrade().and_then(|m| m.record_factory()) {
            factory(&mut record);
        }
        record
    }

    /// `handle(record)`: unless disabled, applies this logger's filters and passes the record
    /// to the handlers of this logger and its ancestors.
    pub fn handle(&self, record: &mut LogRecord) {
        if self.disabled() {
            return;
        }
        let mut replaced;
        let record: &mut LogRecord = if self.0.filterer.is_empty() {
            record
        } else {
            match self.0.filterer.apply(record) {
                Filtered::Rejected => return,
                Filtered::Passed => record,
                Filtered::Replaced(r) => {
                    replaced = r;
                    &mut replaced
                }
            }
        };
        self.call_handlers(record);
    }

    /// `callHandlers(record)`: every handler from here up while `propagate` holds; each
    /// handler's own level and filters apply, ancestors' logger levels and filters do not.
    /// With no handler at all, `lastResort` takes WARNING and above.
    pub fn call_handlers(&self, record: &mut LogRecord) {
        let mut found = 0usize;
        let mut cur = Some(self.clone());
        while let Some(logger) = cur {
            let mut i = 0;
            // Index, clone, release: a handler may add or remove handlers, or log, while it
            // runs, and must not find the list borrowed.
            loop {
                let Some(h) = logger.0.handlers.borrow().get(i).cloned() else {
                    break;
                };
                i += 1;
                found += 1;
                if record.levelno >= h.level() {
                    h.handle(record);
                }
            }
            cur = if logger.propagate() {
                logger.parent()
            } else {
                None
            };
        }
        if found == 0 {
            self.no_handler_found(record);
        }
    }

    #[cold]
    fn no_handler_found(&self, record: &mut LogRecord) {
        let Some(manager) = self.0.manager.upgrade() else {
            return;
        };
        match manager.last_resort() {
            Some(h) => {
                if record.levelno >= h.level() {
                    h.handle(record);
                }
            }
            None => {
                if host::raise_exceptions() && !manager.emitted_no_handler_warning() {
                    host::write_stderr(&format!(
                        "No handlers could be found for logger \"{}\"\n",
                        self.name()
                    ));
                }
            }
        }
    }
}
