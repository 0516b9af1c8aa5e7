//! `wasm-logging:logging/loggers`: loggers as WIT resources over the core's [`Logger`], the
//! logging calls, levels and the module-level functions. Adapters are in `adapters`, the
//! decoding of a whole `log-with` call in `calls`.

use crate::core::handler::get_handler_by_name;
use crate::core::handlers::queue;
use crate::core::host;
use crate::core::level::{self, check_level, LevelSpec};
use crate::core::logger::{LogOptions, Logger};
use crate::core::manager::{default_manager, get_logger};
use crate::core::pool;
use crate::core::record::{Location, LogRecord};
use crate::core::value::{Text, Value};

use super::adapters::AdapterResource;
use super::bindings::exports::wasm_logging::logging::loggers as wit;
use super::calls::{call_error, Call};
use super::{init, Component};

/// A WIT value as a core value.
pub(crate) fn value(v: wit::Value) -> Value {
    match v {
        wit::Value::None => Value::None,
        wit::Value::Boolean(b) => Value::Bool(b),
        wit::Value::Int(i) => Value::Int(i),
        wit::Value::Float(f) => Value::Float(f),
        wit::Value::Str(s) => Value::Str(Text::from(s)),
    }
}

/// `msg` as a record's message: a template that comes back call after call is shared from
/// the core's intern table (`core::pool`), not copied.
pub(crate) fn message(msg: &str) -> Value {
    Value::Str(pool::intern(msg))
}

/// `%`-arguments as core values, in a vector from the core's pool (a record gives its own
/// back when it is dropped): no allocation per record once warm.
pub(crate) fn values(a: impl ExactSizeIterator<Item = wit::Value>) -> Vec<Value> {
    if a.len() == 0 {
        return Vec::new();
    }
    let mut v = pool::take_values();
    v.extend(a.map(value));
    v
}

/// `extra` attributes as core fields, pooled like [`values`], the names interned.
pub(crate) fn fields(e: impl ExactSizeIterator<Item = (String, wit::Value)>) -> Vec<(Text, Value)> {
    if e.len() == 0 {
        return Vec::new();
    }
    let mut v = pool::take_fields();
    v.extend(e.map(|(k, x)| (pool::intern(&k), value(x))));
    v
}

/// `logger.log(level, msg, *args, extra=extra)` from a component caller: nothing below the
/// effective level; otherwise the record, with CPython's placeholders for the call site (a
/// component caller has no Rust source location). An `extra` that clashes is reported and
/// nothing is emitted (`log-with` returns that error instead).
pub(crate) fn log_call(
    logger: &Logger,
    level: i64,
    msg: &str,
    args: impl FnOnce() -> Vec<Value>,
    extra: impl FnOnce() -> Vec<(Text, Value)>,
) {
    if logger.is_enabled_for(level) {
        let opts = LogOptions {
            extra: extra(),
            ..LogOptions::default()
        };
        logger.log_at(level, message(msg), args(), opts, Location::unknown());
    }
}

fn args(args: Vec<wit::Value>) -> Vec<Value> {
    values(args.into_iter())
}

fn extra(extra: Vec<(String, wit::Value)>) -> Vec<(Text, Value)> {
    fields(extra.into_iter())
}

/// `_checkLevel(level)`: the number of a WIT level, or CPython's `ValueError`.
pub(crate) fn level_number(level: wit::Level) -> Result<i64, wit::CallError> {
    check_level(level_spec(level)).map_err(|e| call_error(&e))
}

fn level_spec(level: wit::Level) -> LevelSpec {
    match level {
        wit::Level::Number(n) => LevelSpec::Number(n),
        wit::Level::Name(s) => LevelSpec::Name(s),
    }
}

/// `ValueError` for a name no live handler (or filter) has.
pub(crate) fn no_such(what: &str, name: &str) -> wit::CallError {
    super::values::value_error(format!("no {what} named '{name}'"))
}

/// The `logger` resource: a handle on a core logger.
pub(crate) struct LoggerResource(pub(crate) Logger);

impl wit::GuestLogger for LoggerResource {
    fn name(&self) -> String {
        self.0.name().to_owned()
    }

    fn log_many(&self, entries: Vec<wit::LogEntry>) {
        init();
        // One console write and one clock read for the whole batch (`batch`).
        super::batch::run(|| {
            for e in entries {
                self.log(e.level, e.msg, e.args, e.extra);
            }
        });
    }

    fn log(&self, level: i64, msg: String, a: Vec<wit::Value>, e: Vec<(String, wit::Value)>) {
        init();
        log_call(&self.0, level, &msg, || args(a), || extra(e));
    }

    fn log_packed(&self, batch: wit::PackedEntries) {
        init();
        super::batch::run(|| super::packed::log_packed(&self.0, batch));
    }

    fn log_with(&self, level: i64, call: wit::LogCall) -> Result<(), wit::CallError> {
        init();
        if !self.0.is_enabled_for(level) {
            return Ok(());
        }
        Call::decode(call)?
            .log(&self.0, level)
            .map_err(|e| call_error(&e))
    }

    fn set_level(&self, level: wit::Level) -> Result<(), wit::CallError> {
        init();
        let n = level_number(level)?;
        self.0.set_level(n).map_err(|e| call_error(&e))
    }

    fn level(&self) -> i64 {
        self.0.level()
    }

    fn get_effective_level(&self) -> i64 {
        self.0.get_effective_level()
    }

    fn is_enabled_for(&self, level: i64) -> bool {
        self.0.is_enabled_for(level)
    }

    fn get_child(&self, suffix: String) -> wit::Logger {
        wit::Logger::new(LoggerResource(self.0.get_child(&suffix)))
    }

    fn get_children(&self) -> Vec<wit::Logger> {
        self.0
            .get_children()
            .into_iter()
            .map(|l| wit::Logger::new(LoggerResource(l)))
            .collect()
    }

    fn propagate(&self) -> bool {
        self.0.propagate()
    }

    fn set_propagate(&self, on: bool) {
        self.0.set_propagate(on);
    }

    fn disabled(&self) -> bool {
        self.0.disabled()
    }

    fn set_disabled(&self, on: bool) {
        self.0.set_disabled(on);
    }

    fn add_handler(&self, handler: String) -> Result<(), wit::CallError> {
        init();
        let h = get_handler_by_name(&handler).ok_or_else(|| no_such("handler", &handler))?;
        self.0.add_handler(h);
        Ok(())
    }

    fn remove_handler(&self, handler: String) -> Result<(), wit::CallError> {
        init();
        let h = get_handler_by_name(&handler).ok_or_else(|| no_such("handler", &handler))?;
        self.0.remove_handler(&h);
        Ok(())
    }

    fn handler_names(&self) -> Vec<String> {
        self.0
            .handlers()
            .iter()
            .map(|h| h.core().name().map(|n| n.to_string()).unwrap_or_default())
            .collect()
    }

    fn has_handlers(&self) -> bool {
        self.0.has_handlers()
    }

    fn add_filter(&self, filter: String) -> Result<(), wit::CallError> {
        let f = super::handlers::filter_named(&filter)?;
        self.0.add_filter(f);
        Ok(())
    }

    fn remove_filter(&self, filter: String) -> Result<(), wit::CallError> {
        let f = super::handlers::filter_named(&filter)?;
        self.0.remove_filter(&f);
        Ok(())
    }
}

/// `makeLogRecord(fields)` then `getLogger(name).handle(record)`.
pub(crate) fn handle_foreign(record: wit::ForeignRecord) {
    init();
    let logger = get_logger(&record.name);
    let (now, start) = host::now_ns();
    let created_ns = match record.created {
        // Seconds to whole microseconds, then nanoseconds: an f64 near 1.7e9 s holds
        // microseconds exactly, while `secs * 1e9` would turn .25 s into 249.99 ms. Outside
        // the nanoseconds' range (1677-2262) this saturates; `created` itself is kept below.
        Some(secs) if secs.is_finite() => ((secs * 1e6).round() as i64).saturating_mul(1000),
        _ => now,
    };
    let mut rec = LogRecord::new(
        logger.name_text(),
        record.level,
        level::level_name(record.level),
        Location::unknown(),
        Value::from(record.msg),
        args(record.args),
        None,
        created_ns,
        start,
    );
    // Only where nanoseconds cannot hold it: within range the record above is exact.
    if let Some(secs) = record
        .created
        .filter(|s| !(s.is_finite() && (s * 1e6).abs() < 9.2e15))
    {
        // `makeLogRecord` keeps `created` as given, whatever it is: 1e10 prints 2286-11-20
        // as in CPython, and a value `time.localtime` refuses (1e300, NaN, inf) is reported
        // by the formatter as CPython's handleError reports it, never clamped to 2262.
        rec.created = secs;
        rec.msecs = if secs.is_finite() {
            ((secs * 1e6).round().rem_euclid(1e6) / 1000.0).floor()
        } else {
            0.0
        };
        rec.relative_created = (secs - start as f64 / 1e9) * 1000.0;
    }
    let extra = extra(record.extra);
    if !extra.is_empty() {
        if let Err(e) = rec.add_extra(&extra) {
            crate::core::handler::report_error(Some(&rec), &e);
        }
    }
    logger.handle(&mut rec);
}

impl wit::Guest for Component {
    type Logger = LoggerResource;
    type Adapter = AdapterResource;

    fn get_logger(name: String) -> wit::Logger {
        init();
        wit::Logger::new(LoggerResource(get_logger(&name)))
    }

    fn level_name(level: i64) -> String {
        level::level_name(level).to_string()
    }

    fn add_level_name(level: i64, name: String) {
        level::add_level_name(level, name);
    }

    fn get_level_names_mapping() -> Vec<(String, i64)> {
        level::level_names_mapping()
            .into_iter()
            .map(|(n, l)| (n.to_string(), l))
            .collect()
    }

    fn disable(level: wit::Level) -> Result<(), wit::CallError> {
        init();
        default_manager()
            .disable_level(level_spec(level))
            .map_err(|e| call_error(&e))
    }

    fn set_start_time(ns: i64) {
        init();
        host::set_start_ns(ns);
    }

    fn set_fixed_time(ns: Option<i64>) {
        init();
        let clock: std::rc::Rc<dyn host::Clock> = match ns {
            Some(ns) => std::rc::Rc::new(FixedWasiClock(ns)),
            None => std::rc::Rc::new(super::sinks::WasiClock),
        };
        host::install_clock_keeping_start(clock);
    }

    fn set_raise_exceptions(on: bool) {
        host::set_raise_exceptions(on);
    }

    fn handle_fields(fields: Vec<(String, wit::Value)>) {
        init();
        handle_received(fields);
    }

    fn handle_fields_many(records: Vec<Vec<(String, wit::Value)>>) {
        init();
        super::batch::run(|| {
            for fields in records {
                handle_received(fields);
            }
        });
    }

    fn handle(record: wit::ForeignRecord) {
        handle_foreign(record);
    }

    fn flush() {
        init();
        default_manager().flush();
    }

    fn shutdown() {
        init();
        default_manager().shutdown();
    }

    fn pump() -> u32 {
        init();
        let n = queue::pump();
        crate::core::handlers::remote::pump();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn remote_pending() -> u32 {
        init();
        let left = crate::core::handlers::remote::pump();
        u32::try_from(left).unwrap_or(u32::MAX)
    }

    fn error_count() -> u64 {
        host::error_count()
    }
}

/// A fixed instant with the host's local time zone (`set-fixed-time`).
#[derive(Clone, Copy, Debug)]
struct FixedWasiClock(i64);

impl host::Clock for FixedWasiClock {
    fn now_ns(&self) -> i64 {
        self.0
    }
    fn local_offset(&self, unix_secs: i64) -> crate::core::time::LocalOffset {
        super::sinks::WasiClock.local_offset(unix_secs)
    }
}

/// The cookbook receiver's step: `makeLogRecord(fields)`, then
/// `getLogger(record.name).handle(record)`.
fn handle_received(fields: Vec<(String, wit::Value)>) {
    let fields: Vec<(Text, Value)> = fields
        .into_iter()
        .map(|(k, v)| (Text::from(k), value(v)))
        .collect();
    let mut record = crate::core::received::make_log_record(&fields);
    let logger = get_logger(record.name.as_str());
    logger.handle(&mut record);
}
