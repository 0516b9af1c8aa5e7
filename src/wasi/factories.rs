//! `wasm-logging:logging/factories`: the host's own `()` factories. At start-up ([`install`])
//! every name the host provides becomes a core [`Factory`]; building one asks the host to
//! `create` an instance, and the core gets a [`Filter`], [`RecordFormatter`] or [`Handler`]
//! that calls the host per record. Host errors never trap: from `create` they refuse the
//! configuration, afterwards they are `OSError`s reported through `handle_error`.

use std::rc::Rc;

use serde_json::{Map, Number, Value as Json};

use crate::core::config::json::parse_json;
use crate::core::config::{register_factory, Built, FactoryKind};
use crate::core::error::{Error, Result};
use crate::core::filter::{Filter, FilterResult};
use crate::core::formatter::RecordFormatter;
use crate::core::handler::{report_error, Handler, HandlerCore};
use crate::core::handlers::{Namer, Rotator};
use crate::core::record::LogRecord;
use crate::core::sink::StorageSink;
use crate::core::value::{Text, Value};

use super::bindings::wasm_logging::logging::factories as host;

/// Registers a core factory for every name the host provides.
pub(crate) fn install() {
    for name in host::names() {
        let bare = name.strip_prefix("ext://").unwrap_or(&name).to_owned();
        let for_host = bare.clone();
        register_factory(
            &bare,
            Rc::new(move |kind, kwargs: &[(Text, Value)]| build(&for_host, kind, kwargs)),
        );
    }
}

/// Asks the host for an instance of `name` and wraps it for the core.
fn build(
    name: &str,
    kind: FactoryKind,
    kwargs: &[(Text, Value)],
) -> std::result::Result<Built, String> {
    let wit_kind = match kind {
        FactoryKind::Filter => host::Kind::Filter,
        FactoryKind::Formatter => host::Kind::Formatter,
        FactoryKind::Handler => host::Kind::Handler,
        FactoryKind::Queue => return Err(format!("host factory '{name}' cannot build a queue")),
    };
    let kw = Json::Object(
        kwargs
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), to_json(v)))
            .collect(),
    )
    .to_string();
    let id = host::create(name, wit_kind, &kw)?;
    Ok(match kind {
        FactoryKind::Filter => Built::Filter(Rc::new(HostFilter(id))),
        FactoryKind::Formatter => Built::Formatter(Rc::new(HostFormatter(id))),
        _ => Built::Handler(Rc::new(HostHandler {
            core: HandlerCore::default(),
            id,
        })),
    })
}

/// A core value as JSON: containers as arrays and objects, anything else JSON cannot hold
/// (non-finite floats, objects) as its Python `repr`.
fn to_json(v: &Value) -> Json {
    let repr = |v: &Value| Json::String(v.to_py_repr().unwrap_or_default());
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => Number::from_f64(*f).map_or_else(|| repr(v), Json::Number),
        Value::Str(s) => Json::String(s.as_str().to_owned()),
        Value::List(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(to_json).collect())
        }
        Value::Dict(items) => Json::Object(
            items
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Str(s) => s.as_str().to_owned(),
                        other => other.to_py_str().unwrap_or_default(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Object(_) => repr(v),
    }
}

/// What the host sees of `record`.
fn view(record: &LogRecord) -> host::RecordView {
    let text = |t: &Option<Text>| {
        t.as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default()
    };
    let msg = record.msg.to_py_str().unwrap_or_default();
    let message = match &record.message {
        Some(m) => m.as_str().to_owned(),
        None => record.get_message().unwrap_or_else(|_| msg.clone()),
    };
    let extra: Map<String, Json> = record
        .extra
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), to_json(v)))
        .collect();
    host::RecordView {
        name: record.name.as_str().to_owned(),
        levelno: record.levelno,
        levelname: record.levelname.as_str().to_owned(),
        msg,
        message,
        pathname: record.pathname.as_str().to_owned(),
        filename: record.filename.as_str().to_owned(),
        module: record.module.as_str().to_owned(),
        lineno: record.lineno,
        func_name: record.func_name.as_str().to_owned(),
        created: record.created,
        thread_name: text(&record.thread_name),
        process_name: text(&record.process_name),
        extra: Json::Object(extra).to_string(),
    }
}

/// A filter instance in the host.
struct HostFilter(u32);

impl Filter for HostFilter {
    fn filter(&self, record: &mut LogRecord) -> FilterResult {
        // Host code may print: the batch's console output goes first (`batch`).
        super::batch::write_out();
        let verdict = match host::filter(self.0, &view(record)) {
            Ok(v) => v,
            Err(e) => {
                // The record is dropped: a filter that fails cannot vouch for it.
                report_error(Some(record), &Error::os_error(e));
                return false.into();
            }
        };
        if let Err(e) = set_attributes(record, &verdict.set) {
            report_error(Some(record), &e);
        }
        verdict.keep.into()
    }
}

/// Sets the attributes of a JSON object (`record.special = 'bar'`).
fn set_attributes(record: &mut LogRecord, json: &str) -> Result<()> {
    if json.trim().is_empty() || json.trim() == "{}" {
        return Ok(());
    }
    match parse_json(json).map_err(Error::value_error)? {
        Value::Dict(items) => {
            for (k, v) in items.iter() {
                let key = k.to_py_str()?;
                record.set_attr(key, v.clone())?;
            }
            Ok(())
        }
        other => Err(Error::value_error(format!(
            "a host filter's attributes must be a JSON object, not {}",
            other.type_name()
        ))),
    }
}

/// A formatter instance in the host.
struct HostFormatter(u32);

impl RecordFormatter for HostFormatter {
    fn format(&self, record: &mut LogRecord) -> Result<String> {
        // `Formatter.format` sets `record.message` first; so do we, for later handlers.
        let message = record.get_message()?;
        record.message = Some(Text::from(message));
        super::batch::write_out();
        host::format(self.0, &view(record)).map_err(Error::os_error)
    }
}

/// A handler instance in the host: the core applies its level, filters and formatter.
struct HostHandler {
    core: HandlerCore,
    id: u32,
}

impl Handler for HostHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let text = self.core.format(record)?;
        super::batch::write_out();
        host::emit(self.id, &text, &view(record)).map_err(Error::os_error)
    }

    fn flush(&self) -> Result<()> {
        super::batch::write_out();
        host::flush(self.id).map_err(Error::os_error)
    }

    fn close(&self) {
        if !self.core.is_closed() {
            host::close(self.id);
        }
        self.core.mark_closed();
    }
}

/// A host namer or rotator instance; dropping it (a handler closed, or given another hook)
/// closes it in the host.
struct HostHook(u32);

impl HostHook {
    /// The instance's id. (A method, so that a closure using it owns the whole hook: a
    /// closure naming the field would copy the id and drop the hook, closing the instance.)
    fn id(&self) -> u32 {
        self.0
    }
}

impl Drop for HostHook {
    fn drop(&mut self) {
        host::close(self.0);
    }
}

/// Creates an instance of the host factory `name` of `kind` (a namer or rotator).
fn hook(name: &str, kind: host::Kind) -> std::result::Result<HostHook, String> {
    let bare = name.strip_prefix("ext://").unwrap_or(name);
    host::create(bare, kind, "{}").map(HostHook)
}

/// `rh.namer = f` with the host factory `name` (recipe 19): the host's answer, or the default
/// name with a `handleError` report when the host fails.
pub(crate) fn namer(name: &str) -> std::result::Result<Rc<Namer>, String> {
    let hook = hook(name, host::Kind::Namer)?;
    Ok(Rc::new(move |default: &str| {
        super::batch::write_out();
        match host::name(hook.id(), default) {
            Ok(named) => named,
            Err(e) => {
                report_error(None, &Error::os_error(format!("namer: {e}")));
                default.to_owned()
            }
        }
    }))
}

/// `rh.rotator = f` with the host factory `name` (recipe 19): the host moves `source` to
/// `dest` in its storage; a failure fails the rollover (reported by the handler).
pub(crate) fn rotator(name: &str) -> std::result::Result<Rc<Rotator>, String> {
    let hook = hook(name, host::Kind::Rotator)?;
    Ok(Rc::new(
        move |_storage: &dyn StorageSink, source: &str, dest: &str| {
            super::batch::write_out();
            host::rotate(hook.id(), source, dest)
                .map_err(|e| Error::os_error(format!("rotator: {e}")))
        },
    ))
}
