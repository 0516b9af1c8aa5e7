//! `wasm-logging:logging/config`: `basicConfig` and `dictConfig`, both done by the core's
//! configuration engine ([`crate::core::config`]). What is WIT-specific stays here: handlers
//! given as descriptions (`handler-spec`) rather than objects, and the host's log storage.
//!
//! Configuration stays atomic with storage in play: file handlers are built delayed (no
//! storage access beyond checking that the host accepts the name), the core validates and
//! commits, and only then are the logs opened.

use std::rc::Rc;

use crate::core::config::{self, BasicConfig, ConfigError};
use crate::core::error::Error;
use crate::core::formatter::{Formatter, RecordFormatter, Style};
use crate::core::handler::{report_error, Handler};
use crate::core::handlers::{ConsoleHandler, FileHandler, FileMode, RotatingFileHandler};
use crate::core::level::{check_level, LevelSpec};
use crate::core::manager::root;
use crate::core::sink::{StorageSink, Stream};
use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::config as wit;
use super::bindings::wasm_logging::logging::console;
use super::sinks::HostStorage;
use super::{init, Component};

impl wit::Guest for Component {
    fn basic_config(options: wit::BasicConfigOptions) -> Result<(), wit::ConfigError> {
        init();
        basic_config(options, Rc::new(HostStorage))
    }

    fn basic_config_kwargs(kwargs_json: String) -> Result<(), wit::ConfigError> {
        init();
        let kwargs = config::json::parse_json(&kwargs_json).map_err(|e| wit::ConfigError {
            path: String::new(),
            reason: format!("invalid JSON: {e}"),
        })?;
        let cfg = config::BasicConfig::from_value(&kwargs).map_err(from_core)?;
        config::basic_config(cfg).map_err(from_core)
    }

    fn dict_config(json: String) -> Result<(), wit::ConfigError> {
        init();
        config::dict_config_json(&json).map_err(from_core)
    }

    fn get_handler_names() -> Vec<String> {
        init();
        super::queues::handler_names()
    }

    fn create_queue(name: String, maxsize: u32) {
        init();
        super::queues::create_queue(name, maxsize);
    }

    fn queue_size(name: String) -> Option<u32> {
        super::queues::queue_size(&name)
    }

    fn start_listener(
        queue: String,
        target: wit::ListenerTarget,
        respect_handler_level: bool,
    ) -> Result<(), String> {
        init();
        super::queues::start_listener(&queue, target, respect_handler_level)
    }

    fn stop_listener(queue: String) -> u32 {
        super::queues::stop_listener(&queue)
    }

    fn start_handler_listener(handler: String) -> Result<(), String> {
        super::queues::start_handler_listener(&handler)
    }

    fn stop_handler_listener(handler: String) -> Result<u32, String> {
        super::queues::stop_handler_listener(&handler)
    }
}

fn from_core(e: ConfigError) -> wit::ConfigError {
    wit::ConfigError {
        path: e.path().to_owned(),
        reason: e.message().to_owned(),
    }
}

fn at(path: impl Into<String>, e: &Error) -> wit::ConfigError {
    wit::ConfigError {
        path: path.into(),
        reason: e.message().to_owned(),
    }
}

/// `path.field`, or `field` for the handler made from `filename` (path `""`).
fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn level_spec(l: &wit::Level) -> LevelSpec {
    match l {
        wit::Level::Number(n) => LevelSpec::Number(*n),
        wit::Level::Name(s) => LevelSpec::Name(s.clone()),
    }
}

fn style(s: Option<wit::Style>) -> Style {
    match s {
        None | Some(wit::Style::Percent) => Style::Percent,
        Some(wit::Style::Brace) => Style::Brace,
        Some(wit::Style::Dollar) => Style::Dollar,
    }
}

fn stream(s: console::Stream) -> Stream {
    match s {
        console::Stream::Stdout => Stream::Stdout,
        console::Stream::Stderr => Stream::Stderr,
    }
}

/// Opens a log once the configuration is committed.
type OpenLater = Box<dyn Fn() -> crate::core::error::Result<()>>;

/// A handler built from a spec, and how to open its log once the configuration is
/// committed (`None`: a console, or `delay`).
struct Built {
    handler: Rc<dyn Handler>,
    open_later: Option<OpenLater>,
}

/// Checks and builds one spec without writing to storage. `path` is `handlers[i]`, or `""`
/// for the handler made from `filename` (whose mode is `filemode`).
fn build(
    path: &str,
    spec: wit::HandlerSpec,
    storage: &Rc<dyn StorageSink>,
) -> Result<Built, wit::ConfigError> {
    let level = match &spec.level {
        Some(l) => Some(check_level(level_spec(l)).map_err(|e| at(join(path, "level"), &e))?),
        None => None,
    };
    let formatter: Option<Rc<dyn RecordFormatter>> = match &spec.format {
        Some(f) => {
            let mut b = Formatter::builder().fmt(f.clone()).style(style(spec.style));
            if let Some(d) = &spec.datefmt {
                b = b.datefmt(d.clone());
            }
            Some(Rc::new(
                b.build().map_err(|e| at(join(path, "format"), &e))?,
            ))
        }
        None => None,
    };
    let mode_key = join(path, if path.is_empty() { "filemode" } else { "mode" });
    let name_key = join(path, "filename");
    // The host must accept the name; asking for its size writes nothing.
    let check_name = |name: &str| storage.size(name).map(drop).map_err(|e| at(&name_key, &e));
    let (handler, open_later): (Rc<dyn Handler>, Option<OpenLater>) = match spec.kind {
        wit::HandlerKind::Stream(s) => (Rc::new(ConsoleHandler::new(stream(s))), None),
        wit::HandlerKind::File(o) => {
            let mode = o.mode.as_deref().unwrap_or("a");
            FileMode::parse(mode).map_err(|e| at(&mode_key, &e))?;
            check_name(&o.filename)?;
            let h = Rc::new(
                FileHandler::unopened(storage.clone(), o.filename, mode, o.delay)
                    .map_err(|e| at(&name_key, &e))?,
            );
            let opener = h.clone();
            let open: Option<OpenLater> = (!o.delay).then(|| Box::new(move || opener.open()) as _);
            (h, open)
        }
        wit::HandlerKind::Rotating(o) => {
            let mode = o.mode.as_deref().unwrap_or("a");
            FileMode::parse(mode).map_err(|e| at(&mode_key, &e))?;
            check_name(&o.filename)?;
            let h = Rc::new(
                RotatingFileHandler::unopened(
                    storage.clone(),
                    o.filename,
                    mode,
                    o.max_bytes,
                    o.backup_count,
                    o.delay,
                )
                .map_err(|e| at(&name_key, &e))?,
            );
            let opener = h.clone();
            let open: Option<OpenLater> = (!o.delay).then(|| Box::new(move || opener.open()) as _);
            (h, open)
        }
    };
    if let Some(l) = level {
        // Already checked.
        let _ = handler.core().set_level(l);
    }
    if formatter.is_some() {
        handler.core().set_formatter(formatter);
    }
    Ok(Built {
        handler,
        open_later,
    })
}

/// `logging.basicConfig(**options)` on the default hierarchy, with logs in `storage`.
///
/// The core applies CPython's rules (a no-op when the root has handlers and `force` is
/// off, the conflicting-options errors, the default format per style); this adds the
/// WIT's `handlers` as specs and makes `filename` a handler over `storage`.
pub(crate) fn basic_config(
    options: wit::BasicConfigOptions,
    storage: Rc<dyn StorageSink>,
) -> Result<(), wit::ConfigError> {
    // CPython: with handlers on the root and no `force`, the call does nothing at all (not
    // even its checks). The core would say the same; deciding here also spares the storage.
    if !options.force && !root().handlers().is_empty() {
        return Ok(());
    }
    // CPython's `if filename:` — an empty name means "no file".
    let filename = options.filename.filter(|f| !f.is_empty());
    let stream_opt = options.stream.map(stream);
    let mut filename_for_core: Option<Text> = None;
    let specs: Option<Vec<(String, wit::HandlerSpec)>> = match (options.handlers, filename) {
        (Some(hs), filename) => {
            // Passed on so the core reports the conflict if there is one.
            filename_for_core = filename.map(Text::from);
            Some(
                hs.into_iter()
                    .enumerate()
                    .map(|(i, h)| (format!("handlers[{i}]"), h))
                    .collect(),
            )
        }
        (None, Some(filename)) => {
            if stream_opt.is_some() {
                return Err(at(
                    "stream",
                    &Error::value_error("'stream' and 'filename' should not be specified together"),
                ));
            }
            let spec = wit::HandlerSpec {
                kind: wit::HandlerKind::File(wit::FileOptions {
                    filename,
                    mode: options.filemode,
                    delay: false,
                }),
                level: None,
                format: None,
                datefmt: None,
                style: None,
            };
            Some(vec![(String::new(), spec)])
        }
        (None, None) => None,
    };
    let built = match specs {
        Some(specs) => Some(
            specs
                .into_iter()
                .map(|(path, spec)| build(&path, spec, &storage))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let cfg = BasicConfig {
        level: options.level.map(|l| match l {
            wit::Level::Number(n) => Value::Int(n),
            wit::Level::Name(s) => Value::Str(Text::from(s)),
        }),
        format: options.format.map(Text::from),
        datefmt: options.datefmt.map(Text::from),
        style: options.style.map(|s| {
            Text::Static(match s {
                wit::Style::Percent => "%",
                wit::Style::Brace => "{",
                wit::Style::Dollar => "$",
            })
        }),
        filename: filename_for_core,
        filemode: None,
        stream: stream_opt,
        handlers: built
            .as_ref()
            .map(|b| b.iter().map(|b| b.handler.clone()).collect()),
        force: options.force,
        encoding: None,
    };
    config::basic_config(cfg).map_err(from_core)?;
    // Committed: open the logs, as the handlers' constructors would have without `delay`.
    for open in built.into_iter().flatten().filter_map(|b| b.open_later) {
        if let Err(e) = open() {
            // The handler tries again at its first record; the failure is reported, not lost.
            report_error(None, &e);
        }
    }
    Ok(())
}
