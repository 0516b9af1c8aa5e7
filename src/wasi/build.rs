//! Handlers, formatters and filters built one at a time by the core's own `dictConfig`, so a
//! `create-handler` entry means exactly what the same entry means in a configuration (class
//! names, `()` factories, keyword arguments, `.` attributes, error messages) with no second
//! builder to drift from the first.
//!
//! Each build runs a one-entry configuration on a scratch hierarchy ([`Manager::new`]) whose
//! root holds what was built. Two things of a configuration are global rather than
//! per-hierarchy, and are put right here: a committed configuration forgets every handler
//! name (CPython's `_clearExistingHandlers`), so the live handlers get their names back; and
//! an entry that names a live handler (`target`, `handlers`) is given a stand-in that passes
//! records on to it, since a configuration can only name its own entries.

use std::rc::Rc;

use crate::core::config::{
    default_env, dict_config_with, register_factory, unregister_factory, Built, ConfigError,
    FactoryKind,
};
use crate::core::error::Result as CoreResult;
use crate::core::filter::Filter;
use crate::core::formatter::RecordFormatter;
use crate::core::handler::{
    clear_handler_names, get_handler_by_name, get_handler_names, register_handler_name, Handler,
    HandlerCore,
};
use crate::core::manager::Manager;
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};

/// The factory of the stand-ins for live handlers; registered only while a build runs.
const LIVE_HANDLER: &str = "wasm_logging.__live_handler__";

/// A dictionary of string keys.
fn dict(items: Vec<(&str, Value)>) -> Value {
    Value::dict(
        items
            .into_iter()
            .map(|(k, v)| (Text::from(k.to_owned()), v)),
    )
}

/// `[name]`.
fn one(name: &str) -> Value {
    Value::list([Value::from(name.to_owned())])
}

/// Moves an error's path from the scratch configuration (`from`, e.g. `handlers.console`)
/// to where the caller's entry is (`to`, e.g. `""` or `formatter`).
fn relocate(e: ConfigError, from: &str, to: &str) -> ConfigError {
    let path = e.path();
    let rest = if path == from {
        Some("")
    } else {
        path.strip_prefix(from)
            .filter(|r| r.starts_with(['.', '[']))
            .map(|r| r.strip_prefix('.').unwrap_or(r))
    };
    match rest {
        Some(rest) => {
            let path = match (to.is_empty(), rest.is_empty(), rest.starts_with('[')) {
                (true, _, _) => rest.to_owned(),
                (false, true, _) => to.to_owned(),
                (false, false, true) => format!("{to}{rest}"),
                (false, false, false) => format!("{to}.{rest}"),
            };
            ConfigError::new(path, e.message())
        }
        None => e,
    }
}

/// Runs `config` on a scratch hierarchy; returns it, holding what was built.
fn run(config: Vec<(&str, Value)>) -> Result<Manager, ConfigError> {
    let mut items = vec![("version", Value::Int(1))];
    items.extend(config);
    let live: Vec<(String, Rc<dyn Handler>)> = get_handler_names()
        .into_iter()
        .filter_map(|n| get_handler_by_name(&n).map(|h| (n, h)))
        .collect();
    let scratch = Manager::new();
    let result = dict_config_with(&scratch, &default_env(), &dict(items));
    if result.is_ok() {
        // The commit forgot every name and registered the scratch ones: undo both.
        clear_handler_names();
        for (name, h) in &live {
            register_handler_name(name.clone(), h);
        }
    }
    result.map(|()| scratch)
}

/// A formatter from a `formatters` entry. `label` names it in error messages; errors are
/// at `path` (`formatter` in a handler entry, `""` on its own).
pub(crate) fn formatter(
    label: &str,
    spec: Value,
    path: &str,
) -> Result<Rc<dyn RecordFormatter>, ConfigError> {
    let holder = "wasm_logging.formatter_holder";
    let scratch = run(vec![
        ("formatters", dict(vec![(label, spec)])),
        (
            "handlers",
            dict(vec![(
                holder,
                dict(vec![
                    ("class", Value::from("logging.NullHandler")),
                    ("formatter", Value::from(label.to_owned())),
                ]),
            )]),
        ),
        ("root", dict(vec![("handlers", one(holder))])),
    ])
    .map_err(|e| relocate(e, &format!("formatters.{label}"), path))?;
    scratch
        .root()
        .handlers()
        .first()
        .and_then(|h| h.core().formatter())
        .ok_or_else(|| ConfigError::new(path, "the formatter entry built no formatter"))
}

/// A filter from a `filters` entry; `label` and `path` as for [`formatter`].
pub(crate) fn filter(label: &str, spec: Value, path: &str) -> Result<Rc<dyn Filter>, ConfigError> {
    let scratch = run(vec![
        ("filters", dict(vec![(label, spec)])),
        ("root", dict(vec![("filters", one(label))])),
    ])
    .map_err(|e| relocate(e, &format!("filters.{label}"), path))?;
    scratch
        .root()
        .filters()
        .first()
        .cloned()
        .ok_or_else(|| ConfigError::new(path, "the filter entry built no filter"))
}

/// A handler from a `handlers` entry (without `formatter` and `filters`, which the caller
/// builds): named `name`, its log opened unless `delay`. Names in its `target` or `handlers`
/// that are live handlers reach them through stand-ins.
pub(crate) fn handler(name: &str, entry: Value) -> Result<Rc<dyn Handler>, ConfigError> {
    let mut section = vec![(name.to_owned(), entry.clone())];
    let mut referenced: Vec<Text> = Vec::new();
    if let Some(Value::Str(t)) = entry.dict_get("target") {
        referenced.push(t.clone());
    }
    if let Some(Value::List(names)) = entry.dict_get("handlers") {
        referenced.extend(names.iter().filter_map(|n| match n {
            Value::Str(t) => Some(t.clone()),
            _ => None,
        }));
    }
    for r in referenced {
        if r.as_str() != name && get_handler_by_name(&r).is_some() {
            let stand_in = dict(vec![
                ("()", Value::from(LIVE_HANDLER)),
                ("handler", Value::Str(r.clone())),
            ]);
            section.push((r.to_string(), stand_in));
        }
    }
    register_factory(LIVE_HANDLER, Rc::new(live_handler));
    let result = run(vec![
        (
            "handlers",
            Value::dict(section.into_iter().map(|(k, v)| (Text::from(k), v))),
        ),
        ("root", dict(vec![("handlers", one(name))])),
    ]);
    unregister_factory(LIVE_HANDLER);
    let scratch = result.map_err(|e| relocate(e, &format!("handlers.{name}"), ""))?;
    scratch
        .root()
        .handlers()
        .first()
        .cloned()
        .ok_or_else(|| ConfigError::new("", "the handler entry built no handler"))
}

/// The stand-in factory: `{"()": LIVE_HANDLER, "handler": name}`.
fn live_handler(kind: FactoryKind, kwargs: &[(Text, Value)]) -> Result<Built, String> {
    let name = kwargs
        .iter()
        .find(|(k, _)| k.as_str() == "handler")
        .and_then(|(_, v)| v.as_str())
        .ok_or("no handler name")?;
    let target = get_handler_by_name(name).ok_or_else(|| format!("no handler named '{name}'"))?;
    match kind {
        FactoryKind::Handler => Ok(Built::Handler(Rc::new(LiveHandler {
            core: HandlerCore::default(),
            target,
        }))),
        _ => Err("builds handlers only".to_owned()),
    }
}

/// A stand-in for a live handler inside a configuration: whoever holds it (a
/// `MemoryHandler`, a `QueueListener`) reaches the live handler, with its level, filters
/// and formatter. Closing it leaves the live handler open: it is not the stand-in's.
struct LiveHandler {
    core: HandlerCore,
    target: Rc<dyn Handler>,
}

impl Handler for LiveHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> CoreResult<()> {
        self.target.emit(record)
    }

    fn handle(&self, record: &mut LogRecord) -> bool {
        self.target.handle(record)
    }

    fn flush(&self) -> CoreResult<()> {
        self.target.flush()
    }

    fn close(&self) {
        self.core.mark_closed();
    }

    fn level(&self) -> i64 {
        self.target.level()
    }
}
