//! # wasm-logging
//!
//! Python's `logging` architecture, exactly, as one no-threads Rust core for WebAssembly
//! hosts (browsers and Node through wasm-bindgen, WASI hosts through the component model)
//! and for native Rust.
//!
//! The object model is CPython's: a [`Manager`] owns a dotted hierarchy of [`Logger`]s with
//! placeholders for names not yet created; records propagate to ancestors' handlers (whose
//! own levels and filters apply, while ancestors' *logger* levels and filters do not);
//! [`Formatter`] speaks the `%`, `{` and `$` styles with CPython's validation; and when
//! CPython defines an output, ours is byte-identical (the test suite compares with
//! `python3`).
//!
//! ```
//! use std::rc::Rc;
//! use wasm_logging::{get_logger, Formatter, Handler, MemoryConsole, ConsoleHandler, Stream};
//!
//! let console = Rc::new(MemoryConsole::new());
//! let handler = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
//! handler.core().set_formatter(Some(Rc::new(
//!     Formatter::new("%(name)s %(levelname)s %(message)s").unwrap(),
//! )));
//! let app = get_logger("app");
//! app.add_handler(handler);
//! app.set_level("INFO").unwrap();
//!
//! let net = get_logger("app.net");
//! net.info("connected to %s:%d", ("example.org", 443));
//! net.debug("not shown: below INFO", ());
//! assert_eq!(console.text(Stream::Stdout), "app.net INFO connected to example.org:443\n");
//! ```
//!
//! ## Cost model
//!
//! *For Rust callers:* a call below the logger's effective level costs four `Cell` loads and
//! two comparisons — the logger's `disabled` flag, the manager's `disable()` level, the
//! effective-level cache's generation and the cached level — and no allocation. Methods like
//! [`Logger::info`] take their arguments already built; the macros ([`info!`] …) check
//! [`Logger::is_enabled_for`] *before* evaluating their arguments, like the `log` crate's,
//! so a disabled `debug!(log, "%s", expensive())` never calls `expensive()`. The cache is
//! invalidated through one path (a generation counter bumped by every `set_level`,
//! `disable` and configuration change), so a level change costs O(1) and the next call on
//! each logger recomputes its level once.
//!
//! *For JavaScript callers* (the npm package): a disabled call costs one property load and a
//! call of the shared no-op (~0.6 ns in Node 20), because a disabled level's method *is* that
//! no-op, swapped in on the JS side and re-synced on every level change; it never crosses
//! into Wasm. An enabled call crosses once, with the message and its string/number arguments
//! packed into one UTF-8 buffer and one `Float64Array`.
//!
//! An enabled call builds one [`LogRecord`] and walks the handlers up the hierarchy;
//! formatting happens only in handlers that emit (CPython's lazy `%`-interpolation).
//!
//! ## Threads
//!
//! The core is single-threaded by construction (`Rc`, `Cell`; `Logger` is `!Send`): in Wasm
//! there is one thread per instance, and per-thread defaults ([`get_logger`], the level
//! registry, the host globals in [`host`]) mirror CPython's module globals. Workers log to
//! each other through queues, as the cookbook's multi-process recipes do. Natively, a
//! `Logger` or handler cannot be moved to another thread (it does not compile), the default
//! hierarchy belongs to the first thread that logs (a second thread using the free functions
//! is told on stderr that its hierarchy is its own), and `threads::ThreadQueue` carries
//! records from worker threads to the configured one.
//!
//! ## Never panics, never throws
//!
//! A log call returns nothing and cannot fail: a bad format string, a wrong argument type or
//! a failing sink becomes a `handle_error` report on the host's standard error
//! (CPython's `--- Logging error ---`), counted in [`host::error_count`].

#![warn(missing_docs)]

pub mod core;
mod macros;
mod platform;

/// The wasm-bindgen layer of the npm package (browsers and Node).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod js;

/// The WIT bindings of the WASI component.
#[cfg(target_os = "wasi")]
mod wasi;

/// The npm package's allocator (the `talc` feature, Cargo.toml): smaller than dlmalloc.
#[cfg(all(feature = "talc", target_arch = "wasm32", target_os = "unknown"))]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use crate::core::adapter::LoggerAdapter;
pub use crate::core::error::{Error, ErrorKind};
pub use crate::core::filter::{
    all_of, any_of, filter_fn, not, Filter, FilterResult, Filterer, FnFilter, NameFilter,
};
pub use crate::core::formatter::{
    BufferingFormatter, Converter, Formatter, FormatterBuilder, RecordFormatter, Style,
};
pub use crate::core::handler::{report_error, Handler, HandlerCore};
pub use crate::core::handlers::{
    datagram_handler, http_handler, socket_handler, syslog_handler, HttpOptions, RecordFraming,
    RemoteHandler, RemoteOptions, RemoteStats, Rfc5424Options, SyslogFraming, SyslogOptions,
};
pub use crate::core::handlers::{
    BufferingHandler, ConsoleHandler, FnHandler, MemoryHandler, NullHandler,
};
pub use crate::core::handlers::{
    FileHandler, FileMode, RotatingFileHandler, TimedRotatingFileHandler,
};
pub use crate::core::host;
pub use crate::core::jsonfmt::{JsonFormatter, JsonFormatterBuilder};
pub use crate::core::level::{
    add_level_name, check_level, level_name, level_names_mapping, level_number, LevelSpec,
    CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING,
};
pub use crate::core::logger::{IntoArgs, LogOptions, Logger};
pub use crate::core::manager::{default_manager, disable, get_logger, root, shutdown, Manager};
pub use crate::core::message::{BraceMessage, DollarMessage};
pub use crate::core::record::{Chain, ExcInfo, Frame, Location, LogRecord};
pub use crate::core::sink::{
    ConnectionId, ConsoleLine, ConsoleSink, Endpoint, MemoryConsole, MemoryStorage, RemoteSink,
    SendStatus, StorageSink, Stream, Transport,
};
pub use crate::core::value::{PyObject, Text, Value};
#[cfg(not(target_arch = "wasm32"))]
pub use crate::platform::net;
#[cfg(not(target_arch = "wasm32"))]
pub use crate::platform::threads;
#[cfg(not(target_arch = "wasm32"))]
pub use crate::platform::{StdConsole, SystemClock};

#[doc(hidden)]
pub mod __private {
    pub use crate::core::pool::take_values;

    /// The function name from `type_name` of a nested fn item (`crate::module::func::__f`):
    /// the last path segment that is not `__f` or a closure marker.
    pub fn function_name(path: &'static str) -> &'static str {
        let mut path = path.strip_suffix("::__f").unwrap_or(path);
        while let Some(p) = path.strip_suffix("::{{closure}}") {
            path = p;
        }
        match path.rfind("::") {
            Some(i) => &path[i + 2..],
            None => path,
        }
    }
}
