//! `wasm-logging:logging/handlers`: handlers and filters made one at a time from
//! `dictConfig` entries (built by the core's configuration engine, see `build`) and changed
//! by name.
//!
//! Names are CPython's `logging._handlers`: the core's handler-name registry, which holds
//! handlers weakly. A handler made here is kept alive by [`CREATED`] until it is closed
//! (by `close-handler`, `shutdown` or a configuration that replaces everything), as a
//! Python program keeps its handler objects.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::core::config::json::parse_json;
use crate::core::config::ConfigError;
use crate::core::error::{Error, ErrorKind};
use crate::core::filter::Filter;
use crate::core::handler::{
    clear_handler_names, get_handler_by_name, get_handler_names, register_handler_name, Handler,
};
use crate::core::handlers::RotatingFileHandler;
use crate::core::manager::default_manager;
use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::config as wit_config;
use super::bindings::exports::wasm_logging::logging::handlers as wit;
use super::bindings::exports::wasm_logging::logging::loggers as wit_loggers;
use super::calls::call_error;
use super::loggers::{level_number, no_such};
use super::{build, init, Component};

thread_local! {
    /// Handlers made by `create-handler` and not closed yet.
    static CREATED: RefCell<Vec<Rc<dyn Handler>>> = const { RefCell::new(Vec::new()) };
    /// Filters by the names `create-filter` gave them.
    static FILTERS: RefCell<HashMap<String, Rc<dyn Filter>>> = RefCell::new(HashMap::new());
}

fn config_error(path: impl Into<String>, reason: impl Into<String>) -> wit_config::ConfigError {
    wit_config::ConfigError {
        path: path.into(),
        reason: reason.into(),
    }
}

fn from_core(e: ConfigError) -> wit_config::ConfigError {
    config_error(e.path(), e.message())
}

/// A JSON entry as a dictionary's items.
fn entry(spec: &str, what: &str) -> Result<Vec<(Text, Value)>, wit_config::ConfigError> {
    match parse_json(spec).map_err(|e| config_error("", format!("invalid JSON: {e}")))? {
        Value::Dict(items) => Ok(items
            .iter()
            .map(|(k, v)| {
                let key = k.as_str().map(str::to_owned).unwrap_or_default();
                (Text::from(key), v.clone())
            })
            .collect()),
        other => Err(config_error(
            "",
            format!("a {what} entry is a JSON object, not {}", other.type_name()),
        )),
    }
}

/// The live handler called `name`.
fn handler_named(name: &str) -> Result<Rc<dyn Handler>, wit_loggers::CallError> {
    get_handler_by_name(name).ok_or_else(|| no_such("handler", name))
}

/// `rh.namer = …` / `rh.rotator = …` (recipe 19) on the rotating handler `name`: `make` builds
/// the hook from the host factory `factory` (`None` restores the default), `set` installs it.
/// Nothing changes when the handler does not rotate or the factory refuses.
fn set_rotation_hook<T: ?Sized>(
    name: &str,
    factory: Option<String>,
    make: fn(&str) -> std::result::Result<Rc<T>, String>,
    set: fn(&dyn Handler, Option<Rc<T>>) -> bool,
) -> Result<(), wit_loggers::CallError> {
    init();
    let h = handler_named(name)?;
    if !RotatingFileHandler::is_rotating(h.as_ref()) {
        return Err(not_rotating(name));
    }
    let hook = match factory {
        Some(f) => Some(make(&f).map_err(|e| value_error(&e))?),
        None => None,
    };
    set(h.as_ref(), hook);
    Ok(())
}

/// The error for a namer or rotator given to a handler that does not rotate.
fn not_rotating(name: &str) -> wit_loggers::CallError {
    call_error(&Error::new(
        ErrorKind::TypeError,
        format!(
            "handler '{name}' is not a RotatingFileHandler or TimedRotatingFileHandler: it has \
             no namer or rotator"
        ),
    ))
}

/// A host factory's refusal as a `ValueError`.
fn value_error(message: &str) -> wit_loggers::CallError {
    call_error(&Error::value_error(message.to_owned()))
}

/// The filter `create-filter` called `name`.
pub(crate) fn filter_named(name: &str) -> Result<Rc<dyn Filter>, wit_loggers::CallError> {
    FILTERS
        .with(|f| f.borrow().get(name).cloned())
        .ok_or_else(|| no_such("filter", name))
}

/// Forgets one handler name (the registry only forgets them all, so the others are
/// registered again).
fn forget_name(name: &str) {
    let others: Vec<(String, Rc<dyn Handler>)> = get_handler_names()
        .into_iter()
        .filter(|n| n != name)
        .filter_map(|n| get_handler_by_name(&n).map(|h| (n, h)))
        .collect();
    clear_handler_names();
    for (n, h) in &others {
        register_handler_name(n.clone(), h);
    }
}

/// `create-handler(name, spec)`: formatter and filters first (building them changes
/// nothing), the handler last (it may open its log).
fn create_handler(name: &str, spec: &str) -> Result<(), wit_config::ConfigError> {
    if get_handler_by_name(name).is_some() {
        return Err(config_error(
            "",
            format!("a handler named '{name}' exists already (close it first)"),
        ));
    }
    let mut rest = Vec::new();
    let mut formatter = None;
    let mut filters: Vec<Rc<dyn Filter>> = Vec::new();
    for (k, v) in entry(spec, "handler")? {
        match (k.as_str(), v) {
            ("formatter", Value::None) | ("filters", Value::None) => {}
            ("formatter", spec @ Value::Dict(_)) => {
                formatter = Some(build::formatter(name, spec, "formatter").map_err(from_core)?);
            }
            ("formatter", other) => {
                return Err(config_error(
                    "formatter",
                    format!(
                        "outside a configuration a handler's formatter is its entry (an object \
                         such as {{\"format\": \"%(message)s\"}}), not {}",
                        other.type_name()
                    ),
                ))
            }
            ("filters", Value::List(list)) => {
                for (i, f) in list.iter().enumerate() {
                    let path = format!("filters[{i}]");
                    filters.push(match f {
                        Value::Str(n) => {
                            filter_named(n).map_err(|e| config_error(&path, e.message))?
                        }
                        spec @ Value::Dict(_) => {
                            build::filter(name, spec.clone(), &path).map_err(from_core)?
                        }
                        other => {
                            return Err(config_error(
                                path,
                                format!(
                                    "a filter is a name given to create-filter or a filter \
                                     entry, not {}",
                                    other.type_name()
                                ),
                            ))
                        }
                    });
                }
            }
            ("filters", other) => {
                return Err(config_error(
                    "filters",
                    format!("expected a list, not {}", other.type_name()),
                ))
            }
            (_, v) => rest.push((k, v)),
        }
    }
    let h = build::handler(name, Value::dict(rest)).map_err(from_core)?;
    if formatter.is_some() {
        h.core().set_formatter(formatter);
    }
    for f in filters {
        h.core().add_filter(f);
    }
    register_handler_name(name.to_owned(), &h);
    // CPython's `_handlerList`: `shutdown` and the next full configuration close it.
    default_manager().track_handler(&h);
    CREATED.with(|c| {
        let mut c = c.borrow_mut();
        c.retain(|h| !h.core().is_closed());
        c.push(h);
    });
    Ok(())
}

impl wit::Guest for Component {
    fn create_handler(name: String, spec: String) -> Result<(), wit_config::ConfigError> {
        init();
        create_handler(&name, &spec)
    }

    fn set_handler_namer(
        name: String,
        factory: Option<String>,
    ) -> Result<(), wit_loggers::CallError> {
        set_rotation_hook(
            &name,
            factory,
            super::factories::namer,
            RotatingFileHandler::set_namer_of,
        )
    }

    fn set_handler_rotator(
        name: String,
        factory: Option<String>,
    ) -> Result<(), wit_loggers::CallError> {
        set_rotation_hook(
            &name,
            factory,
            super::factories::rotator,
            RotatingFileHandler::set_rotator_of,
        )
    }

    fn set_handler_level(
        name: String,
        level: wit_loggers::Level,
    ) -> Result<(), wit_loggers::CallError> {
        init();
        let h = handler_named(&name)?;
        let n = level_number(level)?;
        h.core().set_level(n).map_err(|e| call_error(&e))
    }

    fn set_handler_formatter(
        name: String,
        spec: Option<String>,
    ) -> Result<(), wit_config::ConfigError> {
        init();
        let h = handler_named(&name).map_err(|e| config_error("", e.message))?;
        let formatter = match spec {
            None => None,
            Some(spec) => {
                let items = entry(&spec, "formatter")?;
                Some(build::formatter(&name, Value::dict(items), "").map_err(from_core)?)
            }
        };
        h.core().set_formatter(formatter);
        Ok(())
    }

    fn add_handler_filter(name: String, filter: String) -> Result<(), wit_loggers::CallError> {
        init();
        let h = handler_named(&name)?;
        h.core().add_filter(filter_named(&filter)?);
        Ok(())
    }

    fn remove_handler_filter(name: String, filter: String) -> Result<(), wit_loggers::CallError> {
        init();
        let h = handler_named(&name)?;
        h.core().remove_filter(&filter_named(&filter)?);
        Ok(())
    }

    fn flush_handler(name: String) -> Result<(), wit_loggers::CallError> {
        init();
        handler_named(&name)?.flush().map_err(|e| call_error(&e))
    }

    fn close_handler(name: String) -> Result<(), wit_loggers::CallError> {
        init();
        let h = handler_named(&name)?;
        h.close();
        forget_name(&name);
        CREATED.with(|c| c.borrow_mut().retain(|c| !Rc::ptr_eq(c, &h)));
        Ok(())
    }

    fn create_filter(name: String, spec: String) -> Result<(), wit_config::ConfigError> {
        init();
        let items = entry(&spec, "filter")?;
        let f = build::filter(&name, Value::dict(items), "").map_err(from_core)?;
        FILTERS.with(|fs| fs.borrow_mut().insert(name, f));
        Ok(())
    }
}
