//! `dictConfig` and `basicConfig`: CPython 3.13's `logging.config` schema, with the
//! cookbook's own configurations running unchanged.
//!
//! Configuration is **atomic**: everything (formatters, filters, handlers, logger settings,
//! every name and level) is built and checked first; only a configuration that fully
//! validates touches the running hierarchy. An error names the path of the offending value
//! and says why, in CPython's words where CPython has them:
//! `Unable to configure handler 'file': maxBytes: expected an integer, got "abc"`.
//!
//! Python class names map to the core's handlers (`logging.StreamHandler` → console,
//! `logging.handlers.MemoryHandler`, `logging.handlers.QueueHandler` …); `ext://sys.stdout`
//! and `ext://sys.stderr` are the host's console streams; `()` factories and custom classes
//! resolve through [`register_factory`]. Nothing is evaluated from a string.

mod basic;
mod classes;
mod handlers;
pub mod json;
mod network;
mod planner;
mod read;

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

pub use basic::{basic_config, basic_config_with, BasicConfig};
pub use classes::{register_factory, unregister_factory, Built, Factory, FactoryKind};
pub use read::{KwError, Kwargs};

use self::planner::Planner;
use self::read::{dict_items, expected, join, Reader};
use crate::core::filter::Filter;
use crate::core::handler::{register_handler_name, Handler};
use crate::core::handlers::{
    AtTime, FileHandler, FileMode, RotatingFileHandler, TimedRotatingFileHandler,
};
use crate::core::level::NOTSET;
use crate::core::manager::{default_manager, Manager};
use crate::core::sink::{RemoteSink, StorageSink};
use crate::core::value::{Text, Value};

/// A configuration that was refused: where, and why. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    path: String,
    message: String,
}

impl ConfigError {
    /// An error at `path` (dotted: `handlers.file.maxBytes`).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The dotted path of the offending value (`""` for the whole configuration).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The message, as CPython words it where it has words for it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// What the host lends to configurations: storage for file handlers, connections for
/// network handlers.
#[derive(Clone, Default)]
pub struct ConfigEnv {
    /// Where `logging.FileHandler` and friends write; `None` makes them a configuration error.
    pub storage: Option<Rc<dyn StorageSink>>,
    /// Connections for `SocketHandler`, `SysLogHandler`, `HTTPHandler` …; `None` makes them a
    /// configuration error (browsers have no raw sockets).
    pub remote: Option<Rc<dyn RemoteSink>>,
}

impl fmt::Debug for ConfigEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigEnv")
            .field("storage", &self.storage.is_some())
            .field("remote", &self.remote.is_some())
            .finish()
    }
}

thread_local! {
    static DEFAULT_ENV: std::cell::RefCell<ConfigEnv> = std::cell::RefCell::new(ConfigEnv::default());
}

/// Sets the environment [`dict_config`] and [`basic_config`] use (a host does this once).
pub fn set_default_env(env: ConfigEnv) {
    DEFAULT_ENV.with(|e| *e.borrow_mut() = env);
}

/// The environment set by [`set_default_env`].
pub fn default_env() -> ConfigEnv {
    DEFAULT_ENV.with(|e| e.borrow().clone())
}

/// `logging.config.dictConfig(config)` on the default manager.
pub fn dict_config(config: &Value) -> Result<(), ConfigError> {
    dict_config_with(&default_manager(), &default_env(), config)
}

/// `dictConfig` from JSON text.
pub fn dict_config_json(text: &str) -> Result<(), ConfigError> {
    let config =
        json::parse_json(text).map_err(|e| ConfigError::new("", format!("invalid JSON: {e}")))?;
    dict_config(&config)
}

/// `dictConfig` on a given manager and environment.
pub fn dict_config_with(
    manager: &Manager,
    env: &ConfigEnv,
    config: &Value,
) -> Result<(), ConfigError> {
    let top = dict_items(config, "")
        .map_err(|e| ConfigError::new("", format!("the configuration: {}", e.message())))?;
    let get = |key: &str| {
        top.iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Value::None))
    };
    match get("version") {
        None => {
            return Err(ConfigError::new(
                "version",
                "dictionary doesn't specify a version",
            ))
        }
        Some(Value::Int(1)) => {}
        Some(v) => {
            let shown = v.to_py_str().unwrap_or_else(|_| read::describe(v));
            return Err(ConfigError::new(
                "version",
                format!("Unsupported version: {shown}"),
            ));
        }
    }
    let flag = |key: &str, default: bool| -> Result<bool, ConfigError> {
        match get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(ConfigError::new(
                key,
                format!("{key}: {}", expected("a boolean", other)),
            )),
        }
    };
    let incremental = flag("incremental", false)?;
    let disable_existing = flag("disable_existing_loggers", true)?;
    let planner = Planner {
        reader: Reader { root: config },
        env,
    };
    if incremental {
        let plan = planner.plan_incremental(&get)?;
        plan.commit(manager);
    } else {
        let plan = planner.plan(&get, disable_existing)?;
        plan.commit(manager);
    }
    Ok(())
}

/// Opens a file handler's log once the configuration is committed.
pub(crate) type Opener = Box<dyn FnOnce() -> crate::core::error::Result<()>>;

/// A `FileHandler` (or `RotatingFileHandler`) over the host's storage, built unopened: the
/// returned opener touches storage, after the configuration has been committed, so a refused
/// configuration creates and empties no log. The host is asked about the name first (a size
/// query writes nothing), so a name it refuses is a configuration error.
pub(crate) fn storage_file_handler(
    env: &ConfigEnv,
    name: &str,
    mode: &str,
    delay: bool,
    rotation: Option<(u64, u32)>,
) -> Result<(Rc<dyn Handler>, Option<Opener>), KwError> {
    let storage = env.storage.clone().ok_or_else(|| {
        (
            "filename".to_owned(),
            format!("cannot log to '{name}': this host provides no storage for logs"),
        )
    })?;
    FileMode::parse(mode).map_err(|e| ("mode".to_owned(), e.message().to_owned()))?;
    // Asking the size writes nothing; a host answers an error for a name it refuses or that
    // cannot be created (a missing directory). With `delay` CPython opens nothing until the
    // first record, so neither is a configuration error then.
    if !delay {
        storage
            .size(name)
            .map_err(|e| ("filename".to_owned(), e.message().to_owned()))?;
    }
    let kw = |e: crate::core::error::Error| ("filename".to_owned(), e.message().to_owned());
    Ok(match rotation {
        None => {
            let h = Rc::new(
                FileHandler::unopened(storage, Text::from(name.to_owned()), mode, delay)
                    .map_err(kw)?,
            );
            let opener = h.clone();
            (
                h,
                (!delay).then(|| Box::new(move || opener.open()) as Opener),
            )
        }
        Some((max_bytes, backup_count)) => {
            let h = Rc::new(
                RotatingFileHandler::unopened(
                    storage,
                    Text::from(name.to_owned()),
                    mode,
                    max_bytes,
                    backup_count,
                    delay,
                )
                .map_err(kw)?,
            );
            let opener = h.clone();
            (
                h,
                (!delay).then(|| Box::new(move || opener.open()) as Opener),
            )
        }
    })
}

/// The arguments of a `TimedRotatingFileHandler` entry, read and checked.
pub(crate) struct TimedSpec {
    pub(crate) when: String,
    pub(crate) interval: i64,
    pub(crate) backup_count: u32,
    pub(crate) delay: bool,
    pub(crate) utc: bool,
    pub(crate) at_time: Option<AtTime>,
}

/// A `TimedRotatingFileHandler` over the host's storage, built unopened like
/// [`storage_file_handler`]'s. A `backupCount` needs a storage that can list its logs (to
/// find the oldest backups); one that cannot is a configuration error now rather than a
/// failed rollover later.
pub(crate) fn storage_timed_handler(
    env: &ConfigEnv,
    name: &str,
    spec: TimedSpec,
) -> Result<(Rc<dyn Handler>, Option<Opener>), KwError> {
    let storage = env.storage.clone().ok_or_else(|| {
        (
            "filename".to_owned(),
            format!("cannot log to '{name}': this host provides no storage for logs"),
        )
    })?;
    if !spec.delay {
        storage
            .size(name)
            .map_err(|e| ("filename".to_owned(), e.message().to_owned()))?;
    }
    if spec.backup_count > 0 {
        let dir = name.rfind('/').map_or("", |i| &name[..i]);
        storage.list(dir).map_err(|e| {
            (
                "backupCount".to_owned(),
                format!(
                    "deleting old backups needs a storage that lists its logs: {}",
                    e.message()
                ),
            )
        })?;
    }
    let h = Rc::new(
        TimedRotatingFileHandler::unopened(
            storage,
            Text::from(name.to_owned()),
            &spec.when,
            spec.interval,
            spec.backup_count,
            spec.delay,
            spec.utc,
            spec.at_time,
        )
        .map_err(|e| ("when".to_owned(), e.message().to_owned()))?,
    );
    let opener = h.clone();
    Ok((
        h,
        (!spec.delay).then(|| Box::new(move || opener.open()) as Opener),
    ))
}

/// Runs the openers of a committed configuration; a failure is reported (the handler tries
/// again at its first record), never lost.
pub(crate) fn run_openers(openers: Vec<Opener>) {
    for open in openers {
        if let Err(e) = open() {
            crate::core::handler::report_error(None, &e);
        }
    }
}

/// Settings for one logger, fully resolved.
struct LoggerPlan {
    name: String,
    level: Option<i64>,
    propagate: Option<bool>,
    handlers: Vec<Rc<dyn Handler>>,
    filters: Vec<Rc<dyn Filter>>,
}

/// A complete, validated configuration waiting to be applied.
struct Plan {
    handlers: BTreeMap<String, Rc<dyn Handler>>,
    extra_tracked: Vec<Rc<dyn Handler>>,
    openers: Vec<Opener>,
    loggers: Vec<LoggerPlan>,
    root: Option<LoggerPlan>,
    disable_existing: bool,
}

impl Plan {
    /// Applies the plan; nothing here can fail.
    fn commit(self, manager: &Manager) {
        manager.clear_existing_handlers();
        for (name, h) in &self.handlers {
            register_handler_name(name.clone(), h);
            manager.track_handler(h);
        }
        for h in &self.extra_tracked {
            manager.track_handler(h);
        }
        // CPython's loggerDict keys, placeholders included: a configured name that so far is
        // only a placeholder still spares its existing children.
        let mut existing = manager.node_names();
        let mut child_loggers: Vec<String> = Vec::new();
        for lp in &self.loggers {
            if let Some(i) = existing.iter().position(|n| *n == lp.name) {
                let prefixed = format!("{}.", lp.name);
                child_loggers.extend(
                    existing[i + 1..]
                        .iter()
                        .filter(|n| n.starts_with(&prefixed))
                        .cloned(),
                );
                existing.remove(i);
            }
            let logger = manager.get_logger(&lp.name);
            apply_common(&logger, lp);
            logger.set_disabled(false);
            if let Some(p) = lp.propagate {
                logger.set_propagate(p);
            }
        }
        for name in existing {
            let Some(logger) = manager.existing_logger(&name) else {
                continue;
            };
            if child_loggers.contains(&name) {
                logger.set_level(NOTSET).ok();
                for h in logger.handlers() {
                    logger.remove_handler(&h);
                }
                logger.set_propagate(true);
            } else {
                logger.set_disabled(self.disable_existing);
            }
        }
        if let Some(rp) = &self.root {
            apply_common(&manager.root(), rp);
        }
        manager.clear_cache();
        run_openers(self.openers);
    }
}

/// CPython's `common_logger_config` (non-incremental): level, then replace handlers, then
/// add filters.
fn apply_common(logger: &crate::core::logger::Logger, lp: &LoggerPlan) {
    if let Some(level) = lp.level {
        logger.set_level(level).ok();
    }
    for h in logger.handlers() {
        logger.remove_handler(&h);
    }
    for h in &lp.handlers {
        logger.add_handler(h.clone());
    }
    for f in &lp.filters {
        logger.add_filter(f.clone());
    }
}

/// An incremental configuration: levels and `propagate` only.
struct IncrementalPlan {
    handler_levels: Vec<(Rc<dyn Handler>, i64)>,
    loggers: Vec<(String, Option<i64>, Option<bool>)>,
    root_level: Option<i64>,
}

impl IncrementalPlan {
    fn commit(self, manager: &Manager) {
        for (h, level) in self.handler_levels {
            h.core().set_level(level).ok();
        }
        for (name, level, propagate) in self.loggers {
            let logger = manager.get_logger(&name);
            if let Some(l) = level {
                logger.set_level(l).ok();
            }
            logger.set_disabled(false);
            if let Some(p) = propagate {
                logger.set_propagate(p);
            }
        }
        if let Some(l) = self.root_level {
            manager.root().set_level(l).ok();
        }
    }
}

/// A handler that cannot be built until another one is.
enum HandlerErr {
    Pending(String),
    Failed(ConfigError),
}

impl From<ConfigError> for HandlerErr {
    fn from(e: ConfigError) -> Self {
        HandlerErr::Failed(e)
    }
}

/// The error maker for one entry of a section: `fail(Some("capacity"), msg)` is
/// `handlers.m.capacity` — `Unable to configure handler 'm': capacity: msg`; `fail(None, msg)`
/// names the entry itself.
fn entry_error<'a>(
    word: &'a str,
    name: &'a str,
    path: &'a str,
) -> impl Fn(Option<&str>, String) -> ConfigError + 'a {
    move |key, msg| match key {
        Some(k) => ConfigError::new(
            join(path, k),
            format!("Unable to configure {word} '{name}': {k}: {msg}"),
        ),
        None => ConfigError::new(path, format!("Unable to configure {word} '{name}': {msg}")),
    }
}

/// Only UTF-8, the storage's encoding, is accepted (`None` means the default, UTF-8).
pub(crate) fn check_encoding(encoding: Option<Text>) -> Result<(), KwError> {
    match encoding {
        None => Ok(()),
        Some(e) if matches!(e.to_ascii_lowercase().as_str(), "utf-8" | "utf8" | "utf_8") => Ok(()),
        Some(e) => Err((
            "encoding".to_owned(),
            format!("only UTF-8 is supported, got {e:?}"),
        )),
    }
}
