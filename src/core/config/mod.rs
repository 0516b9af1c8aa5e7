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
pub mod json;
mod read;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::rc::Rc;

pub use basic::{basic_config, basic_config_with, BasicConfig};
pub use classes::{register_factory, unregister_factory, Built, Factory, FactoryKind};
pub use read::{KwError, Kwargs};

use self::classes::{builtin_handler, BuiltinHandler, NOT_YET_AVAILABLE};
use self::read::{dict_items, entries, expected, join, level_of, str_list, Reader};
use crate::core::filter::{Filter, NameFilter};
use crate::core::formatter::{Converter, Formatter, RecordFormatter, Style};
use crate::core::handler::{get_handler_by_name, register_handler_name, Handler};
use crate::core::handlers::{
    FileHandler, FileMode, LogQueue, MemoryHandler, QueueHandler, QueueListener,
    RotatingFileHandler,
};
use crate::core::level::{ERROR, NOTSET};
use crate::core::manager::{default_manager, Manager};
use crate::core::sink::StorageSink;
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

/// What the host lends to configurations: storage for file handlers.
#[derive(Clone, Default)]
pub struct ConfigEnv {
    /// Where `logging.FileHandler` and friends write; `None` makes them a configuration error.
    pub storage: Option<Rc<dyn StorageSink>>,
}

impl fmt::Debug for ConfigEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigEnv")
            .field("storage", &self.storage.is_some())
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
    storage
        .size(name)
        .map_err(|e| ("filename".to_owned(), e.message().to_owned()))?;
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
    level: Option<i32>,
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
    handler_levels: Vec<(Rc<dyn Handler>, i32)>,
    loggers: Vec<(String, Option<i32>, Option<bool>)>,
    root_level: Option<i32>,
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

struct Planner<'a> {
    reader: Reader<'a>,
    env: &'a ConfigEnv,
}

type Section<'a> = &'a dyn Fn(&str) -> Option<&'a Value>;

impl Planner<'_> {
    /// The `(name, entry)` pairs of a top-level section, `cfg://` resolved.
    fn section(&self, get: Section<'_>, key: &str) -> Result<Vec<(Text, Value)>, ConfigError> {
        match get(key) {
            None => Ok(Vec::new()),
            Some(v) => {
                let v = self.reader.resolve(v, key)?;
                entries(&v, key)
                    .map_err(|e| ConfigError::new(key, format!("{key}: {}", e.message())))
            }
        }
    }

    fn plan(&self, get: Section<'_>, disable_existing: bool) -> Result<Plan, ConfigError> {
        let mut formatters: HashMap<String, Rc<dyn RecordFormatter>> = HashMap::new();
        for (name, v) in self.section(get, "formatters")? {
            let f = self.formatter(&name, &v)?;
            formatters.insert(name.to_string(), f);
        }
        let mut filters: HashMap<String, Rc<dyn Filter>> = HashMap::new();
        for (name, v) in self.section(get, "filters")? {
            let f = self.filter(&name, &v)?;
            filters.insert(name.to_string(), f);
        }

        // Handlers may name other handlers (MemoryHandler.target, QueueHandler.handlers):
        // build in sorted order, as CPython does, and retry the ones waiting on another until
        // no progress is made; what is left is a cycle.
        let handler_cfgs: BTreeMap<String, Value> = self
            .section(get, "handlers")?
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let mut handlers: BTreeMap<String, Rc<dyn Handler>> = BTreeMap::new();
        let mut extra_tracked: Vec<Rc<dyn Handler>> = Vec::new();
        let mut openers: Vec<Opener> = Vec::new();
        let mut pending: Vec<String> = handler_cfgs.keys().cloned().collect();
        loop {
            let before = pending.len();
            let mut waiting = Vec::new();
            for name in pending {
                let cfg = &handler_cfgs[&name];
                match self.handler(
                    &name,
                    cfg,
                    &formatters,
                    &filters,
                    &handlers,
                    &handler_cfgs,
                    &mut extra_tracked,
                    &mut openers,
                ) {
                    Ok(h) => {
                        handlers.insert(name, h);
                    }
                    Err(HandlerErr::Pending(dep)) => waiting.push((name, dep)),
                    Err(HandlerErr::Failed(e)) => return Err(e),
                }
            }
            if waiting.is_empty() {
                break;
            }
            if waiting.len() == before {
                let (name, dep) = &waiting[0];
                return Err(ConfigError::new(
                    format!("handlers.{name}"),
                    format!(
                        "Unable to configure handler '{name}': handler '{dep}' is not configured yet \
                         (handlers that refer to each other form a cycle)"
                    ),
                ));
            }
            pending = waiting.into_iter().map(|(n, _)| n).collect();
        }

        let mut loggers = Vec::new();
        for (name, v) in self.section(get, "loggers")? {
            let path = format!("loggers.{name}");
            let what = format!("logger '{name}'");
            loggers.push(self.logger_plan(
                name.to_string(),
                &v,
                &path,
                &what,
                true,
                &handlers,
                &filters,
            )?);
        }
        let root = match get("root") {
            None => None,
            Some(v) => Some(self.logger_plan(
                String::new(),
                v,
                "root",
                "root logger",
                false,
                &handlers,
                &filters,
            )?),
        };
        Ok(Plan {
            handlers,
            extra_tracked,
            openers,
            loggers,
            root,
            disable_existing,
        })
    }

    fn plan_incremental(&self, get: Section<'_>) -> Result<IncrementalPlan, ConfigError> {
        let mut handler_levels = Vec::new();
        for (name, v) in self.section(get, "handlers")? {
            let path = format!("handlers.{name}");
            let Some(h) = get_handler_by_name(&name) else {
                return Err(ConfigError::new(
                    path,
                    format!("No handler found with name '{name}'"),
                ));
            };
            let v = self.reader.resolve(&v, &path)?;
            if let Some(level) = v.dict_get("level").filter(|l| !matches!(l, Value::None)) {
                let level = level_of(level).map_err(|m| {
                    ConfigError::new(
                        join(&path, "level"),
                        format!("Unable to configure handler '{name}': level: {m}"),
                    )
                })?;
                handler_levels.push((h, level));
            }
        }
        let mut loggers = Vec::new();
        for (name, v) in self.section(get, "loggers")? {
            let path = format!("loggers.{name}");
            let v = self.reader.resolve(&v, &path)?;
            let level = self.opt_level(&v, &path, &format!("logger '{name}'"))?;
            let propagate = match v.dict_get("propagate") {
                None | Some(Value::None) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(other) => {
                    return Err(ConfigError::new(
                        join(&path, "propagate"),
                        format!(
                            "Unable to configure logger '{name}': propagate: {}",
                            expected("a boolean", other)
                        ),
                    ))
                }
            };
            loggers.push((name.to_string(), level, propagate));
        }
        let root_level = match get("root") {
            None => None,
            Some(v) => {
                let v = self.reader.resolve(v, "root")?;
                self.opt_level(&v, "root", "root logger")?
            }
        };
        Ok(IncrementalPlan {
            handler_levels,
            loggers,
            root_level,
        })
    }

    fn opt_level(&self, v: &Value, path: &str, what: &str) -> Result<Option<i32>, ConfigError> {
        match v.dict_get("level") {
            None | Some(Value::None) => Ok(None),
            Some(l) => {
                let l = self.reader.resolve(l, &join(path, "level"))?;
                level_of(&l).map(Some).map_err(|m| {
                    ConfigError::new(
                        join(path, "level"),
                        format!("Unable to configure {what}: level: {m}"),
                    )
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn logger_plan(
        &self,
        name: String,
        v: &Value,
        path: &str,
        what: &str,
        allow_propagate: bool,
        handlers: &BTreeMap<String, Rc<dyn Handler>>,
        filters: &HashMap<String, Rc<dyn Filter>>,
    ) -> Result<LoggerPlan, ConfigError> {
        let fail = |key: &str, msg: String| {
            ConfigError::new(
                join(path, key),
                format!("Unable to configure {what}: {msg}"),
            )
        };
        let v = self.reader.resolve(v, path)?;
        let items = entries(&v, path).map_err(|e| {
            ConfigError::new(path, format!("Unable to configure {what}: {}", e.message()))
        })?;
        let mut plan = LoggerPlan {
            name,
            level: None,
            propagate: None,
            handlers: Vec::new(),
            filters: Vec::new(),
        };
        for (key, raw) in items {
            let kpath = join(path, &key);
            let val = self.reader.resolve(&raw, &kpath)?;
            if matches!(val, Value::None) {
                continue;
            }
            match key.as_str() {
                "level" => {
                    plan.level =
                        Some(level_of(&val).map_err(|m| fail("level", format!("level: {m}")))?)
                }
                "propagate" if allow_propagate => match val {
                    Value::Bool(b) => plan.propagate = Some(b),
                    other => {
                        return Err(fail(
                            "propagate",
                            format!("propagate: {}", expected("a boolean", &other)),
                        ))
                    }
                },
                "handlers" => {
                    for (i, hn) in str_list(&val)
                        .map_err(|m| fail("handlers", format!("handlers: {m}")))?
                        .iter()
                        .enumerate()
                    {
                        let h = handlers.get(hn.as_str()).ok_or_else(|| {
                            ConfigError::new(
                                format!("{kpath}[{i}]"),
                                format!("Unable to configure {what}: Unable to add handler '{hn}': no such handler"),
                            )
                        })?;
                        plan.handlers.push(h.clone());
                    }
                }
                "filters" => {
                    for (i, fname) in str_list(&val)
                        .map_err(|m| fail("filters", format!("filters: {m}")))?
                        .iter()
                        .enumerate()
                    {
                        let f = filters.get(fname.as_str()).ok_or_else(|| {
                            ConfigError::new(
                                format!("{kpath}[{i}]"),
                                format!("Unable to configure {what}: Unable to add filter '{fname}': no such filter"),
                            )
                        })?;
                        plan.filters.push(f.clone());
                    }
                }
                other => return Err(fail(other, format!("unknown key '{other}'"))),
            }
        }
        Ok(plan)
    }

    /// `configure_formatter`.
    fn formatter(&self, name: &str, v: &Value) -> Result<Rc<dyn RecordFormatter>, ConfigError> {
        let path = format!("formatters.{name}");
        let fail = entry_error("formatter", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let mut factory_name: Option<Text> = None;
        let mut class: Option<Text> = None;
        let mut props: Option<Value> = None;
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            match k.as_str() {
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "class" if !matches!(val, Value::None) => {
                    class = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("class"), expected("a class name", &val)))?,
                    )
                }
                "." => props = Some(val),
                _ => kw.push(k, val),
            }
        }
        let builtin_name =
            |n: &str| matches!(n.strip_prefix("ext://").unwrap_or(n), "logging.Formatter");
        let formatter: Rc<dyn RecordFormatter> = match (&factory_name, &class) {
            (Some(f), _) | (None, Some(f)) if !builtin_name(f) => {
                if factory_name.is_none() {
                    // `class` gets CPython's positional names as keywords.
                    kw.rename("format", "fmt");
                }
                let factory = classes::factory(f).ok_or_else(|| {
                    fail(
                        Some(if factory_name.is_some() {
                            "()"
                        } else {
                            "class"
                        }),
                        format!("Cannot resolve '{f}': no factory is registered under that name"),
                    )
                })?;
                let Built::Formatter(built) =
                    factory(FactoryKind::Formatter, kw.items()).map_err(|m| fail(None, m))?
                else {
                    return Err(fail(
                        None,
                        format!("factory '{f}' did not build a formatter"),
                    ));
                };
                if props.is_some() {
                    return Err(fail(
                        Some("."),
                        "attributes can be set only on logging.Formatter".into(),
                    ));
                }
                built
            }
            _ => {
                let f = builtin_formatter(&mut kw, factory_name.is_some())
                    .map_err(|(k, m)| fail(Some(&k), m))?;
                kw.finish("Formatter()")
                    .map_err(|(k, m)| fail(Some(&k), m))?;
                let mut f = f;
                if let Some(p) = props {
                    set_formatter_props(&mut f, &p)
                        .map_err(|(k, m)| fail(Some(&format!(".{k}")), m))?;
                }
                Rc::new(f)
            }
        };
        Ok(formatter)
    }

    /// `configure_filter`.
    fn filter(&self, name: &str, v: &Value) -> Result<Rc<dyn Filter>, ConfigError> {
        let path = format!("filters.{name}");
        let fail = entry_error("filter", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let mut factory_name = None;
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            match k.as_str() {
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "." => {
                    return Err(fail(
                        Some("."),
                        "attributes cannot be set on filters".into(),
                    ))
                }
                _ => kw.push(k, val),
            }
        }
        match factory_name {
            Some(f) if !matches!(f.strip_prefix("ext://").unwrap_or(&f), "logging.Filter") => {
                let factory = classes::factory(&f).ok_or_else(|| {
                    fail(
                        Some("()"),
                        format!("Cannot resolve '{f}': no factory is registered under that name"),
                    )
                })?;
                match factory(FactoryKind::Filter, kw.items()).map_err(|m| fail(None, m))? {
                    Built::Filter(built) => Ok(built),
                    _ => Err(fail(None, format!("factory '{f}' did not build a filter"))),
                }
            }
            _ => {
                let name_arg = kw.take_str("name").map_err(|(k, m)| fail(Some(&k), m))?;
                kw.finish("Filter()").map_err(|(k, m)| fail(Some(&k), m))?;
                Ok(Rc::new(NameFilter::new(name_arg.unwrap_or_default())))
            }
        }
    }

    /// `configure_handler`.
    #[allow(clippy::too_many_arguments)]
    fn handler(
        &self,
        name: &str,
        v: &Value,
        formatters: &HashMap<String, Rc<dyn RecordFormatter>>,
        filters: &HashMap<String, Rc<dyn Filter>>,
        built: &BTreeMap<String, Rc<dyn Handler>>,
        configured: &BTreeMap<String, Value>,
        extra_tracked: &mut Vec<Rc<dyn Handler>>,
        openers: &mut Vec<Opener>,
    ) -> Result<Rc<dyn Handler>, HandlerErr> {
        let path = format!("handlers.{name}");
        let fail = entry_error("handler", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let (mut formatter, mut level, mut filter_list, mut props, mut factory_name, mut class) =
            (None, None, None, None, None, None);
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            let nonnull = !matches!(val, Value::None);
            match k.as_str() {
                "formatter" if nonnull => {
                    let fname = val.as_str().ok_or_else(|| {
                        fail(Some("formatter"), expected("a formatter name", &val))
                    })?;
                    formatter = Some(formatters.get(fname).cloned().ok_or_else(|| {
                        fail(
                            Some("formatter"),
                            format!("Unable to set formatter '{fname}': no such formatter"),
                        )
                    })?);
                }
                "level" if nonnull => {
                    level = Some(level_of(&val).map_err(|m| fail(Some("level"), m))?)
                }
                "filters" if nonnull => {
                    let mut list: Vec<Rc<dyn Filter>> = Vec::new();
                    for (i, f) in str_list(&val)
                        .map_err(|m| fail(Some("filters"), m))?
                        .iter()
                        .enumerate()
                    {
                        list.push(filters.get(f.as_str()).cloned().ok_or_else(|| {
                            fail(
                                Some(&format!("filters[{i}]")),
                                format!("Unable to add filter '{f}': no such filter"),
                            )
                        })?);
                    }
                    filter_list = Some(list);
                }
                "." => props = Some(val),
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "class" => {
                    class = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("class"), expected("a class name", &val)))?,
                    )
                }
                "formatter" | "level" | "filters" => {}
                _ => kw.push(k, val),
            }
        }
        let target_name = factory_name.clone().or(class.clone()).ok_or_else(|| {
            fail(
                Some("class"),
                "missing: a handler needs 'class' or '()'".into(),
            )
        })?;
        let bare = target_name
            .strip_prefix("ext://")
            .unwrap_or(&target_name)
            .to_owned();
        let key = if factory_name.is_some() {
            "()"
        } else {
            "class"
        };
        let handler: Rc<dyn Handler> = if let Some(kind) = builtin_handler(&bare) {
            let kwerr = |(k, m): KwError| HandlerErr::Failed(fail(Some(&k), m));
            match kind {
                BuiltinHandler::Stream => {
                    let h = classes::stream_handler(&mut kw).map_err(kwerr)?;
                    kw.finish("StreamHandler()").map_err(kwerr)?;
                    h
                }
                BuiltinHandler::Null => {
                    kw.finish("NullHandler()").map_err(kwerr)?;
                    classes::null_handler()
                }
                BuiltinHandler::Memory => {
                    let capacity = kw.take_count("capacity").map_err(kwerr)?.ok_or_else(|| {
                        HandlerErr::Failed(fail(
                            Some("capacity"),
                            "missing required argument 'capacity'".into(),
                        ))
                    })?;
                    let flush_level = kw.take_level("flushLevel").map_err(kwerr)?.unwrap_or(ERROR);
                    let flush_on_close =
                        kw.take_bool("flushOnClose").map_err(kwerr)?.unwrap_or(true);
                    let target = match kw.take_str("target").map_err(kwerr)? {
                        None => None,
                        Some(t) => Some(self.handler_ref(&t, built, configured).map_err(
                            |e| match e {
                                HandlerErr::Failed(_) => HandlerErr::Failed(fail(
                                    Some("target"),
                                    format!("Unable to set target handler '{t}': no such handler"),
                                )),
                                p => p,
                            },
                        )?),
                    };
                    kw.finish("MemoryHandler()").map_err(kwerr)?;
                    Rc::new(MemoryHandler::new(
                        capacity,
                        flush_level,
                        target,
                        flush_on_close,
                    ))
                }
                BuiltinHandler::Queue => {
                    let queue = match kw.take("queue") {
                        None | Some(Value::None) => LogQueue::new(0),
                        Some(q) => self
                            .queue_from(&q)
                            .map_err(|m| HandlerErr::Failed(fail(Some("queue"), m)))?,
                    };
                    match kw.take("listener") {
                        None | Some(Value::None) => {}
                        Some(Value::Str(s))
                            if matches!(
                                s.strip_prefix("ext://").unwrap_or(&s),
                                "logging.handlers.QueueListener"
                            ) => {}
                        Some(other) => {
                            return Err(HandlerErr::Failed(fail(
                                Some("listener"),
                                format!("Invalid listener specifier {}", read::describe(&other)),
                            )))
                        }
                    }
                    let respect = kw
                        .take_bool("respect_handler_level")
                        .map_err(kwerr)?
                        .unwrap_or(false);
                    let mut targets: Vec<Rc<dyn Handler>> = Vec::new();
                    for hn in kw
                        .take_str_list("handlers")
                        .map_err(kwerr)?
                        .unwrap_or_default()
                    {
                        targets.push(self.handler_ref(&hn, built, configured).map_err(|e| match e {
                            HandlerErr::Failed(_) => HandlerErr::Failed(fail(Some("handlers"), format!("Unable to set required handler '{hn}': no such handler"))),
                            p => p,
                        })?);
                    }
                    kw.finish("QueueHandler()").map_err(kwerr)?;
                    extra_tracked.extend(targets.iter().cloned());
                    let qh = QueueHandler::new(queue.clone());
                    qh.set_listener(Some(QueueListener::new(queue, targets, respect)));
                    Rc::new(qh)
                }
            }
        } else if let Some((h, opener)) = self
            .storage_handler(&bare, &mut kw)
            .map_err(|(k, m)| HandlerErr::Failed(fail(Some(&k), m)))?
        {
            openers.extend(opener);
            h
        } else if let Some(factory) = classes::factory(&bare) {
            match factory(FactoryKind::Handler, kw.items())
                .map_err(|m| HandlerErr::Failed(fail(None, m)))?
            {
                Built::Handler(h) => h,
                _ => {
                    return Err(HandlerErr::Failed(fail(
                        None,
                        format!("factory '{bare}' did not build a handler"),
                    )))
                }
            }
        } else if NOT_YET_AVAILABLE.contains(&bare.as_str()) {
            return Err(HandlerErr::Failed(fail(
                Some(key),
                format!("'{bare}' has no equivalent in wasm-logging yet"),
            )));
        } else {
            return Err(HandlerErr::Failed(fail(
                Some(key),
                format!("Cannot resolve '{bare}': no such handler class and no factory registered under that name"),
            )));
        };
        if let Some(f) = formatter {
            handler.core().set_formatter(Some(f));
        }
        if let Some(l) = level {
            handler.core().set_level(l).ok();
        }
        for f in filter_list.unwrap_or_default() {
            handler.core().add_filter(f);
        }
        if let Some(p) = props {
            for (k, val) in entries(&p, &join(&path, "."))
                .map_err(|e| fail(Some("."), e.message().to_owned()))?
            {
                handler.set_attribute(&k, &val).map_err(|e| {
                    HandlerErr::Failed(fail(Some(&format!(".{k}")), e.message().to_owned()))
                })?;
            }
        }
        Ok(handler)
    }

    /// A handler named by another handler's configuration: built, still to be built
    /// (`Pending`), or missing.
    fn handler_ref(
        &self,
        name: &str,
        built: &BTreeMap<String, Rc<dyn Handler>>,
        configured: &BTreeMap<String, Value>,
    ) -> Result<Rc<dyn Handler>, HandlerErr> {
        match built.get(name) {
            Some(h) => Ok(h.clone()),
            None if configured.contains_key(name) => Err(HandlerErr::Pending(name.to_owned())),
            None => Err(HandlerErr::Failed(ConfigError::new("", ""))),
        }
    }

    /// A `QueueHandler`'s `queue`: a registered queue factory by name, or `{"()": name, …}`.
    fn queue_from(&self, spec: &Value) -> Result<Rc<LogQueue>, String> {
        let (name, kwargs) = match spec {
            Value::Str(s) => (s.clone(), Vec::new()),
            Value::Dict(_) => {
                let items = entries(spec, "").map_err(|e| e.message().to_owned())?;
                let name = items
                    .iter()
                    .find(|(k, _)| k.as_str() == "()")
                    .and_then(|(_, v)| read::as_text(v))
                    .ok_or_else(|| format!("Invalid queue specifier {}", read::describe(spec)))?;
                (
                    name,
                    items
                        .into_iter()
                        .filter(|(k, _)| k.as_str() != "()")
                        .collect(),
                )
            }
            other => return Err(format!("Invalid queue specifier {}", read::describe(other))),
        };
        let factory = classes::factory(&name).ok_or_else(|| {
            format!("Invalid queue specifier '{name}': no queue is registered under that name")
        })?;
        match factory(FactoryKind::Queue, &kwargs)? {
            Built::Queue(q) => Ok(q),
            _ => Err(format!(
                "Invalid queue specifier '{name}': it did not build a queue"
            )),
        }
    }

    /// `logging.FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)` and
    /// `logging.handlers.RotatingFileHandler(…, maxBytes=0, backupCount=0, …)` over the host's
    /// storage; `None` for any other class.
    #[allow(clippy::type_complexity)]
    fn storage_handler(
        &self,
        class: &str,
        kw: &mut Kwargs,
    ) -> Result<Option<(Rc<dyn Handler>, Option<Opener>)>, KwError> {
        let (what, rotating) = match class {
            "logging.FileHandler" => ("FileHandler()", false),
            "logging.handlers.RotatingFileHandler" => ("RotatingFileHandler()", true),
            _ => return Ok(None),
        };
        let filename = kw.take_str("filename")?.ok_or_else(|| {
            (
                "filename".to_owned(),
                "missing required argument 'filename'".to_owned(),
            )
        })?;
        let mode = kw.take_str("mode")?;
        let delay = kw.take_bool("delay")?.unwrap_or(false);
        check_encoding(kw.take_str("encoding")?)?;
        let _errors = kw.take_str("errors")?;
        let rotation = if rotating {
            let max_bytes = kw.take_count("maxBytes")?.unwrap_or(0) as u64;
            let backup_count = kw.take_count("backupCount")?.unwrap_or(0);
            let backup_count = u32::try_from(backup_count).map_err(|_| {
                (
                    "backupCount".to_owned(),
                    format!("backupCount {backup_count} is too large"),
                )
            })?;
            Some((max_bytes, backup_count))
        } else {
            None
        };
        std::mem::take(kw).finish(what)?;
        storage_file_handler(
            self.env,
            &filename,
            mode.as_deref().unwrap_or("a"),
            delay,
            rotation,
        )
        .map(Some)
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

/// `logging.Formatter(fmt, datefmt, style, validate, defaults)` from keyword arguments
/// (`format` is accepted for `fmt`, as dictConfig passes it).
fn builtin_formatter(kw: &mut Kwargs, from_factory: bool) -> Result<Formatter, KwError> {
    let fmt = match kw.take_str("format")? {
        Some(f) => Some(f),
        None => kw.take_str("fmt")?,
    };
    let _ = from_factory;
    let datefmt = kw.take_str("datefmt")?;
    let style = match kw.take_str("style")? {
        None => Style::Percent,
        Some(s) => {
            Style::from_char(&s).map_err(|e| ("style".to_owned(), e.message().to_owned()))?
        }
    };
    let validate = kw.take_bool("validate")?.unwrap_or(true);
    let defaults = match kw.take("defaults") {
        None | Some(Value::None) => Vec::new(),
        Some(d) => {
            entries(&d, "defaults").map_err(|e| ("defaults".to_owned(), e.message().to_owned()))?
        }
    };
    let mut b = Formatter::builder()
        .style(style)
        .validate(validate)
        .defaults(defaults);
    if let Some(f) = fmt {
        b = b.fmt(f);
    }
    if let Some(d) = datefmt {
        b = b.datefmt(d);
    }
    b.build()
        .map_err(|e| ("format".to_owned(), e.message().to_owned()))
}

/// The `.` attributes the built-in formatter accepts.
fn set_formatter_props(f: &mut Formatter, props: &Value) -> Result<(), KwError> {
    for (k, v) in entries(props, ".").map_err(|e| (String::new(), e.message().to_owned()))? {
        match (k.as_str(), &v) {
            ("default_time_format", Value::Str(s)) => f.default_time_format = s.clone(),
            ("default_msec_format", Value::Str(s)) => f.default_msec_format = Some(s.clone()),
            ("default_msec_format", Value::None) => f.default_msec_format = None,
            ("converter", Value::Str(s)) => {
                f.converter = match s.strip_prefix("ext://").unwrap_or(s) {
                    "time.gmtime" => Converter::Utc,
                    "time.localtime" => Converter::Local,
                    _ => {
                        return Err((
                            k.to_string(),
                            expected("\"time.gmtime\" or \"time.localtime\"", &v),
                        ))
                    }
                }
            }
            (name, _) => {
                return Err((
                    name.to_owned(),
                    format!("Formatter has no settable attribute '{name}' of that type"),
                ))
            }
        }
    }
    Ok(())
}
