//! The `queue-bus` import: queues the host owns and shares between instances (CPython's
//! `multiprocessing.Queue` between the cookbook's workers and its listener, recipes 12 and
//! 20), as core [`LogQueue`]s whose records live in the host ([`LogQueue::external`]).
//!
//! When an instance starts, each host queue `<name>` becomes a queue factory under
//! `host:<name>` and under `<name>` itself, so a `QueueHandler` entry names it as
//! `"queue": "ext://host:<name>"`, or exactly as the cookbook does (`"ext://__main__.q"`)
//! when the host names its queue `__main__.q`. What crosses is the prepared record's
//! attribute dictionary; the taker rebuilds the record with the receiver's
//! [`make_log_record`], so a record from another instance is handled exactly as one from a
//! `SocketHandler` is.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::core::config::{self, Built, FactoryKind};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::handlers::{ExternalQueue, LogQueue};
use crate::core::received::make_log_record;
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};
use crate::core::wire::pickle;

use super::bindings::wasm_logging::logging::queue_bus as wit;

thread_local! {
    /// The host's queues as this instance's `LogQueue`s, by the host's name.
    static HOST_QUEUES: RefCell<BTreeMap<String, Rc<LogQueue>>> = const { RefCell::new(BTreeMap::new()) };
}

/// One host queue, by name.
#[derive(Debug)]
struct HostQueue {
    name: String,
}

impl ExternalQueue for HostQueue {
    fn put(&self, record: &LogRecord) -> Result<()> {
        // Another instance may print this record: the batch's console output goes first.
        super::batch::write_out();
        wit::put(&self.name, &fields(record))
            .map_err(|reason| Error::new(ErrorKind::RuntimeError, reason))
    }

    fn take(&self, max: usize) -> Vec<LogRecord> {
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        wit::take(&self.name, max).into_iter().map(record).collect()
    }

    fn len(&self) -> usize {
        wit::size(&self.name).map_or(0, |n| n as usize)
    }
}

/// Registers the host's queues as queue factories; called once, when the instance starts.
pub(crate) fn install() {
    for name in wit::names() {
        let q = LogQueue::external(Rc::new(HostQueue { name: name.clone() }));
        let factory: config::Factory = {
            let q = q.clone();
            let label = name.clone();
            Rc::new(
                move |kind: FactoryKind, kwargs: &[(Text, Value)]| match kind {
                    FactoryKind::Queue if kwargs.is_empty() => Ok(Built::Queue(q.clone())),
                    FactoryKind::Queue => Err(format!(
                        "host queue '{label}' takes no arguments (its host sets its maxsize)"
                    )),
                    _ => Err(format!("'{label}' is a host queue")),
                },
            )
        };
        config::register_factory(&format!("host:{name}"), factory.clone());
        config::register_factory(&name, factory);
        HOST_QUEUES.with(|m| m.borrow_mut().insert(name, q));
    }
}

/// The host queue `name` (`host:<name>`, `<name>`, with or without `ext://`), if the host
/// shares one under that name.
pub(crate) fn queue(name: &str) -> Option<Rc<LogQueue>> {
    let name = name.strip_prefix("ext://").unwrap_or(name);
    HOST_QUEUES.with(|m| {
        let m = m.borrow();
        m.get(name)
            .or_else(|| name.strip_prefix("host:").and_then(|n| m.get(n)))
            .cloned()
    })
}

/// A prepared record's attribute dictionary. `args` is `None`, as CPython's `prepare` leaves
/// it (the message is already merged).
fn fields(record: &LogRecord) -> Vec<(String, wit::FieldValue)> {
    let Value::Dict(items) = record.to_dict() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|(k, v)| {
            let k = k.as_str()?;
            let v = if k == "args" && record.args.is_empty() {
                wit::FieldValue::None
            } else {
                field_value(v)
            };
            Some((k.to_owned(), v))
        })
        .collect()
}

fn field_value(v: &Value) -> wit::FieldValue {
    match v {
        Value::None => wit::FieldValue::None,
        Value::Bool(b) => wit::FieldValue::Boolean(*b),
        Value::Int(i) => wit::FieldValue::Int(*i),
        Value::Float(f) => wit::FieldValue::Float(*f),
        Value::Str(s) => wit::FieldValue::Str(s.to_string()),
        other => match pickle::dumps(other) {
            Ok(bytes) => wit::FieldValue::Pickled(bytes),
            // An object with no plain-data form travels as its `str()`, as a `repr` would
            // through a JSON frame.
            Err(_) => wit::FieldValue::Str(
                other
                    .to_py_str()
                    .unwrap_or_else(|_| "<unrepresentable>".to_owned()),
            ),
        },
    }
}

fn core_value(v: wit::FieldValue) -> Value {
    match v {
        wit::FieldValue::None => Value::None,
        wit::FieldValue::Boolean(b) => Value::Bool(b),
        wit::FieldValue::Int(i) => Value::Int(i),
        wit::FieldValue::Float(f) => Value::Float(f),
        wit::FieldValue::Str(s) => Value::Str(Text::from(s)),
        wit::FieldValue::Pickled(bytes) => pickle::loads_plain(&bytes)
            .unwrap_or_else(|e| Value::Str(Text::from(format!("<unreadable pickle: {e}>")))),
    }
}

/// `makeLogRecord(fields)`.
fn record(fields: Vec<(String, wit::FieldValue)>) -> LogRecord {
    let fields: Vec<(Text, Value)> = fields
        .into_iter()
        .map(|(k, v)| (Text::from(k), core_value(v)))
        .collect();
    make_log_record(&fields)
}
