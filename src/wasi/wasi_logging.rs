//! `wasi:logging/logging@0.1.0-draft`: the standard interface, so any component that logs
//! through it can be linked to this one and have its records go through our hierarchy.
//!
//! `context` is the logger name (`""` is the root) and the message is taken as is: with no
//! `%`-arguments CPython never interpolates, so a `%` in a message is safe.

use crate::core::level::{CRITICAL, DEBUG, ERROR, INFO, WARNING};
use crate::core::logger::LogOptions;
use crate::core::manager::get_logger;
use crate::core::record::Location;
use crate::core::value::Value;

use super::bindings::exports::wasi::logging::logging::{Guest, Level};
use super::{init, Component};

/// `wasi:logging`'s levels as CPython numbers. `trace` has no CPython name, so its records
/// show `Level 5` unless the embedder registers one with `add_level_name(5, "TRACE")`.
pub(crate) fn level_number(level: Level) -> i64 {
    match level {
        Level::Trace => 5,
        Level::Debug => DEBUG,
        Level::Info => INFO,
        Level::Warn => WARNING,
        Level::Error => ERROR,
        Level::Critical => CRITICAL,
    }
}

impl Guest for Component {
    fn log(level: Level, context: String, message: String) {
        init();
        let level = level_number(level);
        let logger = get_logger(&context);
        if logger.is_enabled_for(level) {
            logger.log_at(
                level,
                Value::from(message),
                Vec::new(),
                LogOptions::default(),
                Location::unknown(),
            );
        }
    }
}
