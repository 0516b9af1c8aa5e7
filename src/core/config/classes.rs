//! What configuration names resolve to: CPython's class names mapped to our handlers, the
//! factories a host registers for `()` keys and custom classes, and the built-in factories.
//! Nothing is ever evaluated from a string: a name either is in these tables or is an error.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use super::read::{KwError, Kwargs};
use crate::core::filter::{filter_fn, Filter};
use crate::core::formatter::RecordFormatter;
use crate::core::handler::Handler;
use crate::core::handlers::{ConsoleHandler, LogQueue, NullHandler};
use crate::core::jsonfmt::JsonFormatter;
use crate::core::record::LogRecord;
use crate::core::sink::Stream;
use crate::core::value::{Text, Value};

/// What a factory is asked to build: the section it is named in decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactoryKind {
    /// A `filters` entry's `()`.
    Filter,
    /// A `formatters` entry's `()` or `class`.
    Formatter,
    /// A `handlers` entry's `()` or `class`.
    Handler,
    /// A `queue` for a `QueueHandler`.
    Queue,
}

/// What a factory built.
#[derive(Clone)]
pub enum Built {
    /// A filter.
    Filter(Rc<dyn Filter>),
    /// A formatter.
    Formatter(Rc<dyn RecordFormatter>),
    /// A handler.
    Handler(Rc<dyn Handler>),
    /// A queue.
    Queue(Rc<LogQueue>),
}

impl fmt::Debug for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Built::Filter(_) => "Built::Filter",
            Built::Formatter(_) => "Built::Formatter",
            Built::Handler(_) => "Built::Handler",
            Built::Queue(_) => "Built::Queue",
        })
    }
}

/// A factory: called with what is wanted and the entry's keyword arguments (every key but
/// `()`, `class` and `.`, with `cfg://` references resolved). Its error message is reported
/// with the entry's path.
pub type Factory = Rc<dyn Fn(FactoryKind, &[(Text, Value)]) -> Result<Built, String>>;

thread_local! {
    static FACTORIES: RefCell<HashMap<String, Factory>> = RefCell::new(builtin_factories());
}

/// Registers `factory` under `name` (e.g. `"__main__.filter_maker"`,
/// `"django.utils.log.AdminEmailHandler"`), replacing any previous one. Configurations name
/// it in `()` or `class`, with or without an `ext://` prefix.
pub fn register_factory(name: &str, factory: Factory) {
    FACTORIES.with(|f| f.borrow_mut().insert(name.to_owned(), factory));
}

/// Removes a registered factory.
pub fn unregister_factory(name: &str) {
    FACTORIES.with(|f| f.borrow_mut().remove(name));
}

/// The factory registered under `name` (an `ext://` prefix is ignored).
pub(crate) fn factory(name: &str) -> Option<Factory> {
    let name = name.strip_prefix("ext://").unwrap_or(name);
    FACTORIES.with(|f| f.borrow().get(name).cloned())
}

/// The built-in factories, for needs common enough that every host should not re-register
/// them: filters passing records up to (`wasm_logging.max_level`) or from
/// (`wasm_logging.min_level`) a level, an unbounded or bounded queue
/// (`wasm_logging.queue`, `maxsize`), and the structured-logging formatter
/// (`wasm_logging.JsonFormatter`, `keys`, `extra`, `datefmt`).
fn builtin_factories() -> HashMap<String, Factory> {
    let mut m: HashMap<String, Factory> = HashMap::new();
    fn level_filter(up_to: bool) -> Factory {
        Rc::new(move |kind, kwargs: &[(Text, Value)]| {
            if kind != FactoryKind::Filter {
                return Err("this factory builds filters".into());
            }
            let mut kw = Kwargs::new(kwargs.to_vec());
            let level = kw
                .take_level("level")
                .map_err(|(k, m)| format!("{k}: {m}"))?
                .ok_or("missing required argument 'level'")?;
            kw.finish("filter").map_err(|(_, m)| m)?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                if up_to {
                    r.levelno <= level
                } else {
                    r.levelno >= level
                }
            })))
        })
    }
    m.insert("wasm_logging.max_level".into(), level_filter(true));
    m.insert("wasm_logging.min_level".into(), level_filter(false));
    // The cookbook's `UTCFormatter` (a `Formatter` whose `converter` is `time.gmtime`).
    m.insert(
        "wasm_logging.UTCFormatter".into(),
        Rc::new(|kind, kwargs: &[(Text, Value)]| {
            if kind != FactoryKind::Formatter {
                return Err("this factory builds formatters".into());
            }
            let mut kw = Kwargs::new(kwargs.to_vec());
            let mut f = super::planner::builtin_formatter(&mut kw, true)
                .map_err(|(k, m)| format!("{k}: {m}"))?;
            kw.finish("UTCFormatter()").map_err(|(_, m)| m)?;
            f.converter = crate::core::formatter::Converter::Utc;
            Ok(Built::Formatter(Rc::new(f)))
        }),
    );
    // The cookbook's structured-logging formatter (recipe 22's JSON form):
    // `JsonFormatter(keys=("asctime", "name", "levelname", "message"), extra=True,
    // datefmt=None)`, by `()` or `class` in a `formatters` entry.
    m.insert(
        "wasm_logging.JsonFormatter".into(),
        Rc::new(|kind, kwargs: &[(Text, Value)]| {
            if kind != FactoryKind::Formatter {
                return Err("this factory builds formatters".into());
            }
            let mut kw = Kwargs::new(kwargs.to_vec());
            let arg = |(k, m): KwError| format!("{k}: {m}");
            let keys = kw.take_str_list("keys").map_err(arg)?;
            let extra = kw.take_bool("extra").map_err(arg)?;
            let datefmt = kw.take_str("datefmt").map_err(arg)?;
            kw.finish("JsonFormatter()").map_err(|(_, m)| m)?;
            let mut b = JsonFormatter::builder();
            if let Some(keys) = keys {
                b = b.keys(keys);
            }
            if let Some(extra) = extra {
                b = b.extra(extra);
            }
            if let Some(d) = datefmt {
                b = b.datefmt(d);
            }
            Ok(Built::Formatter(Rc::new(b.build())))
        }),
    );
    m.insert(
        "wasm_logging.queue".into(),
        Rc::new(|_kind, kwargs: &[(Text, Value)]| {
            let mut kw = Kwargs::new(kwargs.to_vec());
            let maxsize = kw
                .take_count("maxsize")
                .map_err(|(k, m)| format!("{k}: {m}"))?;
            kw.finish("queue").map_err(|(_, m)| m)?;
            Ok(Built::Queue(LogQueue::new(maxsize.unwrap_or(0))))
        }),
    );
    m
}

/// CPython handler classes that have no equivalent yet: naming one is a clear error, never
/// a silent substitute.
pub(crate) const NOT_YET_AVAILABLE: &[&str] = &[
    "logging.handlers.WatchedFileHandler",
    "logging.handlers.SMTPHandler",
    "logging.handlers.NTEventLogHandler",
];

/// A handler class the core builds itself from keyword arguments.
pub(crate) enum BuiltinHandler {
    /// `logging.StreamHandler(stream)`.
    Stream,
    /// `logging.NullHandler()`.
    Null,
    /// `logging.handlers.MemoryHandler(capacity, flushLevel, target, flushOnClose)`.
    Memory,
    /// `logging.handlers.QueueHandler(queue)` with 3.12's `handlers`/`listener` keys.
    Queue,
}

/// The built-in handler for a CPython class name.
pub(crate) fn builtin_handler(class: &str) -> Option<BuiltinHandler> {
    Some(match class {
        "logging.StreamHandler" => BuiltinHandler::Stream,
        "logging.NullHandler" => BuiltinHandler::Null,
        "logging.handlers.MemoryHandler" => BuiltinHandler::Memory,
        "logging.handlers.QueueHandler" => BuiltinHandler::Queue,
        _ => return None,
    })
}

/// `StreamHandler(stream=sys.stderr)`.
pub(crate) fn stream_handler(kw: &mut Kwargs) -> Result<Rc<dyn Handler>, KwError> {
    // Django-era configurations spell the argument `strm`.
    let stream = match kw.take_stream("stream")? {
        Some(s) => Some(s),
        None => kw.take_stream("strm")?,
    };
    Ok(Rc::new(ConsoleHandler::new(
        stream.unwrap_or(Stream::Stderr),
    )))
}

/// `NullHandler()`.
pub(crate) fn null_handler() -> Rc<dyn Handler> {
    Rc::new(NullHandler::new())
}
