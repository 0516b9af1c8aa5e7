//! A log call's `msg` when it is not a plain string: the cookbook's message objects, whose
//! `str()` builds the text only when a handler emits the record. `BraceMessage` and
//! `DollarMessage` (recipe 14) are the core's; `StructuredMessage` (recipe 22) is here.

use std::rc::Rc;

use crate::core::error::Result;
use crate::core::jsonfmt;
use crate::core::message::{BraceMessage, DollarMessage};
use crate::core::value::{PyObject, Text, Value};

use super::bindings::exports::wasm_logging::logging::loggers as wit;
use super::values::Tree;

/// The message of a call as the core's `msg`.
pub(crate) fn message(
    msg: wit::Message,
    tree: &Tree,
) -> std::result::Result<Value, wit::CallError> {
    Ok(match msg {
        wit::Message::Text(s) => Value::from(s),
        wit::Message::Value(n) => tree.get(n, "msg")?,
        wit::Message::Brace(m) => BraceMessage::new(
            m.fmt,
            tree.list(&m.args, "msg.args")?,
            tree.fields(m.kwargs, "msg.kwargs")?,
        )
        .into(),
        wit::Message::Dollar(m) => {
            DollarMessage::new(m.fmt, tree.fields(m.kwargs, "msg.kwargs")?).into()
        }
        wit::Message::Structured(m) => {
            StructuredMessage::value(m.message, tree.fields(m.kwargs, "msg.kwargs")?)
        }
    })
}

/// The cookbook's `StructuredMessage(message, **kwargs)`: `str()` is
/// `'%s >>> %s' % (message, json.dumps(kwargs))`, built only when a handler emits.
#[derive(Debug)]
pub(crate) struct StructuredMessage {
    message: Text,
    kwargs: Value,
}

impl StructuredMessage {
    /// `StructuredMessage(message, **kwargs)` as a log call's message.
    pub(crate) fn value(message: impl Into<Text>, kwargs: Vec<(Text, Value)>) -> Value {
        Value::Object(Rc::new(StructuredMessage {
            message: message.into(),
            kwargs: Value::dict(kwargs),
        }))
    }
}

impl PyObject for StructuredMessage {
    fn type_name(&self) -> &str {
        "StructuredMessage"
    }
    fn py_str(&self) -> Result<String> {
        // `json.dumps` with its defaults: the core's encoder is byte-identical to it, and a
        // value it cannot encode is its `TypeError`, reported by the handler.
        let json = jsonfmt::dumps(&self.kwargs)?;
        Ok(format!("{} >>> {json}", self.message))
    }
    fn py_repr(&self) -> Result<String> {
        Ok(format!("<StructuredMessage {:?}>", self.message.as_str()))
    }
}
