//! `LoggerAdapter`: a logger with bound contextual fields (`extra`), an optional
//! `merge_extra` (3.13), and an overridable `process`.

use std::fmt;
use std::rc::Rc;

use super::level::{CRITICAL, DEBUG, ERROR, INFO, WARNING};
use super::logger::{IntoArgs, LogOptions, Logger};
use super::record::{ExcInfo, Location};
use super::value::{Text, Value};

/// An adapter's `process(msg, kwargs)`: receives the adapter, the message and the call's
/// options; returns the (possibly rewritten) message and options.
pub type ProcessFn = dyn Fn(&LoggerAdapter, Value, LogOptions) -> (Value, LogOptions);

/// What an adapter wraps: a logger or another adapter (CPython allows both).
#[derive(Clone)]
enum Inner {
    Logger(Logger),
    Adapter(Rc<LoggerAdapter>),
}

/// `logging.LoggerAdapter(logger, extra, merge_extra=False)`.
#[derive(Clone)]
pub struct LoggerAdapter {
    inner: Inner,
    extra: Vec<(Text, Value)>,
    merge_extra: bool,
    process: Option<Rc<ProcessFn>>,
}

impl fmt::Debug for LoggerAdapter {
    /// CPython's repr: `<LoggerAdapter app (WARNING)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<LoggerAdapter {} ({})>",
            self.logger().name(),
            super::level::level_name(self.get_effective_level())
        )
    }
}

impl LoggerAdapter {
    /// An adapter binding `extra` to every call through it.
    pub fn new(logger: Logger, extra: Vec<(Text, Value)>) -> Self {
        LoggerAdapter {
            inner: Inner::Logger(logger),
            extra,
            merge_extra: false,
            process: None,
        }
    }

    /// An adapter over another adapter.
    pub fn wrap(adapter: Rc<LoggerAdapter>, extra: Vec<(Text, Value)>) -> Self {
        LoggerAdapter {
            inner: Inner::Adapter(adapter),
            extra,
            merge_extra: false,
            process: None,
        }
    }

    /// `merge_extra=True`: a call's own `extra` is merged over the adapter's instead of being
    /// replaced by it.
    pub fn merge_extra(mut self, on: bool) -> Self {
        self.merge_extra = on;
        self
    }

    /// Overrides `process` (CPython subclasses override the method).
    pub fn with_process(
        mut self,
        process: impl Fn(&LoggerAdapter, Value, LogOptions) -> (Value, LogOptions) + 'static,
    ) -> Self {
        self.process = Some(Rc::new(process));
        self
    }

    /// The bound fields (`adapter.extra`).
    pub fn extra(&self) -> &[(Text, Value)] {
        &self.extra
    }

    /// The underlying logger (through any nested adapters).
    pub fn logger(&self) -> Logger {
        match &self.inner {
            Inner::Logger(l) => l.clone(),
            Inner::Adapter(a) => a.logger(),
        }
    }

    /// The default `process`: the adapter's `extra` replaces the call's, or with
    /// `merge_extra` the call's keys win over the adapter's.
    pub fn default_process(&self, msg: Value, mut opts: LogOptions) -> (Value, LogOptions) {
        if self.merge_extra && !opts.extra.is_empty() {
            let mut merged = self.extra.clone();
            for (k, v) in std::mem::take(&mut opts.extra) {
                match merged.iter_mut().find(|(mk, _)| *mk == k) {
                    Some(slot) => slot.1 = v,
                    None => merged.push((k, v)),
                }
            }
            opts.extra = merged;
        } else {
            opts.extra = self.extra.clone();
        }
        (msg, opts)
    }

    /// `process(msg, kwargs)`: the override if set, else [`LoggerAdapter::default_process`].
    pub fn process(&self, msg: Value, opts: LogOptions) -> (Value, LogOptions) {
        match &self.process {
            Some(p) => p(self, msg, opts),
            None => self.default_process(msg, opts),
        }
    }

    /// `isEnabledFor(level)` of the underlying logger.
    pub fn is_enabled_for(&self, level: i64) -> bool {
        match &self.inner {
            Inner::Logger(l) => l.is_enabled_for(level),
            Inner::Adapter(a) => a.is_enabled_for(level),
        }
    }

    /// `getEffectiveLevel()` of the underlying logger.
    pub fn get_effective_level(&self) -> i64 {
        self.logger().get_effective_level()
    }

    /// `hasHandlers()` of the underlying logger.
    pub fn has_handlers(&self) -> bool {
        self.logger().has_handlers()
    }

    /// `log(level, msg, *args, **kwargs)`: if enabled, `process` then log through the wrapped
    /// logger or adapter (whose own `process` then applies, as in CPython).
    #[track_caller]
    pub fn log_with(
        &self,
        level: i64,
        msg: impl Into<Value>,
        args: impl IntoArgs,
        opts: LogOptions,
    ) {
        if self.is_enabled_for(level) {
            self.log_inner(
                level,
                msg.into(),
                args.into_args(),
                opts,
                Location::caller(),
            );
        }
    }

    fn log_inner(
        &self,
        level: i64,
        msg: Value,
        args: Vec<Value>,
        opts: LogOptions,
        caller: Location,
    ) {
        let (msg, opts) = self.process(msg, opts);
        match &self.inner {
            Inner::Logger(l) => l.log_at(level, msg, args, opts, caller),
            Inner::Adapter(a) => a.log_inner(level, msg, args, opts, caller),
        }
    }

    super::logger::level_methods!();

    /// `log(level, msg, *args)`.
    #[track_caller]
    pub fn log(&self, level: i64, msg: impl Into<Value>, args: impl IntoArgs) {
        if self.is_enabled_for(level) {
            self.log_inner(
                level,
                msg.into(),
                args.into_args(),
                LogOptions::default(),
                Location::caller(),
            );
        }
    }
}
