//! `wasm-logging:logging/logging`: loggers as WIT resources over the core's [`Logger`].

use crate::core::handlers::queue;
use crate::core::host;
use crate::core::level;
use crate::core::logger::{LogOptions, Logger};
use crate::core::manager::{default_manager, get_logger};
use crate::core::record::{Location, LogRecord};
use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::logging as wit;
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

fn args(args: Vec<wit::Value>) -> Vec<Value> {
    args.into_iter().map(value).collect()
}

fn extra(extra: Vec<(String, wit::Value)>) -> Vec<(Text, Value)> {
    extra
        .into_iter()
        .map(|(k, v)| (Text::from(k), value(v)))
        .collect()
}

/// The `logger` resource: a handle on a core logger.
pub(crate) struct LoggerResource(Logger);

impl wit::GuestLogger for LoggerResource {
    fn name(&self) -> String {
        self.0.name().to_owned()
    }

    fn log_many(&self, entries: Vec<wit::LogEntry>) {
        init();
        for e in entries {
            self.log(e.level, e.msg, e.args, e.extra);
        }
    }

    fn log(&self, level: i32, msg: String, a: Vec<wit::Value>, e: Vec<(String, wit::Value)>) {
        init();
        if self.0.is_enabled_for(level) {
            let opts = LogOptions {
                extra: extra(e),
                ..LogOptions::default()
            };
            // A component caller has no Rust source location; CPython's placeholders stand in.
            self.0
                .log_at(level, Value::from(msg), args(a), opts, Location::unknown());
        }
    }

    fn set_level(&self, level: i32) {
        // A number is always a valid level (CPython's `_checkLevel` accepts any int).
        let _ = self.0.set_level(level);
    }

    fn level(&self) -> i32 {
        self.0.level()
    }

    fn get_effective_level(&self) -> i32 {
        self.0.get_effective_level()
    }

    fn is_enabled_for(&self, level: i32) -> bool {
        self.0.is_enabled_for(level)
    }

    fn get_child(&self, suffix: String) -> wit::Logger {
        wit::Logger::new(LoggerResource(self.0.get_child(&suffix)))
    }

    fn set_propagate(&self, on: bool) {
        self.0.set_propagate(on);
    }
}

/// `makeLogRecord(fields)` then `getLogger(name).handle(record)`.
pub(crate) fn handle_foreign(record: wit::ForeignRecord) {
    init();
    let logger = get_logger(&record.name);
    let (now, start) = host::now_ns();
    let created_ns = match record.created {
        // Seconds to whole microseconds, then nanoseconds: an f64 near 1.7e9 s holds
        // microseconds exactly, while `secs * 1e9` would turn .25 s into 249.99 ms. A NaN or
        // an infinity is not a time, so it becomes "now" (`as` saturates anything else).
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

    fn get_logger(name: String) -> wit::Logger {
        init();
        wit::Logger::new(LoggerResource(get_logger(&name)))
    }

    fn level_name(level: i32) -> String {
        level::level_name(level).to_string()
    }

    fn handle_fields(fields: Vec<(String, wit::Value)>) {
        init();
        let fields: Vec<(Text, Value)> = fields
            .into_iter()
            .map(|(k, v)| (Text::from(k), value(v)))
            .collect();
        let mut record = crate::core::received::make_log_record(&fields);
        let logger = get_logger(record.name.as_str());
        logger.handle(&mut record);
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
