//! Building `log-call`s: Python values as a tree ([`PyValue`]) and a whole call ([`Call`]),
//! flattened into the WIT form, whose `value-node` lists name children by index (WIT has no
//! recursive types).
//!
//! ```
//! use wasm_logging_host::{Call, PyValue};
//!
//! let call = Call::new("user %s sent %r")
//!     .arg("ann")
//!     .arg(PyValue::dict([("ids", PyValue::list([1.into(), 2.into()]))]))
//!     .extra("request", PyValue::tuple(["GET".into(), "/".into()]))
//!     .location("app/views.py", 42, "send");
//! let wit = call.to_wit();
//! // Children come before their parents: 1, 2, the list, "ids", the dict, "ann" …
//! assert_eq!(wit.args.len(), 2);
//! assert!(wit.args.iter().all(|&i| (i as usize) < wit.values.len()));
//! ```

use crate::bindings::exports::wasm_logging::logging::loggers::{
    BraceMessage, DollarMessage, Exception, IdentityOverride, Location, LogCall, Message,
    StructuredMessage, ValueNode,
};

/// A Python value: what a log call's arguments, `extra` values and message-object
/// arguments can be.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` in 64 bits.
    Int(i64),
    /// An `int` of any size, as decimal digits (`"-1180591620717411303424"`).
    BigInt(String),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `tuple`.
    Tuple(Vec<PyValue>),
    /// A `dict`, in insertion order.
    Dict(Vec<(PyValue, PyValue)>),
}

impl PyValue {
    /// A `list`.
    pub fn list(items: impl IntoIterator<Item = PyValue>) -> PyValue {
        PyValue::List(items.into_iter().collect())
    }

    /// A `tuple`.
    pub fn tuple(items: impl IntoIterator<Item = PyValue>) -> PyValue {
        PyValue::Tuple(items.into_iter().collect())
    }

    /// A `dict` with string keys.
    pub fn dict<'a>(items: impl IntoIterator<Item = (&'a str, PyValue)>) -> PyValue {
        PyValue::Dict(
            items
                .into_iter()
                .map(|(k, v)| (PyValue::Str(k.to_owned()), v))
                .collect(),
        )
    }
}

impl From<&str> for PyValue {
    fn from(s: &str) -> Self {
        PyValue::Str(s.to_owned())
    }
}
impl From<String> for PyValue {
    fn from(s: String) -> Self {
        PyValue::Str(s)
    }
}
impl From<i64> for PyValue {
    fn from(i: i64) -> Self {
        PyValue::Int(i)
    }
}
impl From<i32> for PyValue {
    fn from(i: i32) -> Self {
        PyValue::Int(i.into())
    }
}
impl From<f64> for PyValue {
    fn from(f: f64) -> Self {
        PyValue::Float(f)
    }
}
impl From<bool> for PyValue {
    fn from(b: bool) -> Self {
        PyValue::Bool(b)
    }
}

/// The flattened form of some value trees: one `value-node` list, children first.
#[derive(Clone, Debug, Default)]
pub struct Values(Vec<ValueNode>);

impl Values {
    /// Adds `v` (children first) and returns its index.
    pub fn push(&mut self, v: &PyValue) -> u32 {
        let node = match v {
            PyValue::None => ValueNode::None,
            PyValue::Bool(b) => ValueNode::Boolean(*b),
            PyValue::Int(i) => ValueNode::Int(*i),
            PyValue::BigInt(d) => ValueNode::BigInt(d.clone()),
            PyValue::Float(f) => ValueNode::Float(*f),
            PyValue::Str(s) => ValueNode::Str(s.clone()),
            PyValue::List(items) => ValueNode::List(items.iter().map(|i| self.push(i)).collect()),
            PyValue::Tuple(items) => ValueNode::Tuple(items.iter().map(|i| self.push(i)).collect()),
            PyValue::Dict(items) => ValueNode::Dict(
                items
                    .iter()
                    .map(|(k, v)| (self.push(k), self.push(v)))
                    .collect(),
            ),
        };
        self.0.push(node);
        u32::try_from(self.0.len() - 1).unwrap_or(u32::MAX)
    }

    /// Adds named values (`extra`, `kwargs`).
    pub fn fields(&mut self, fields: &[(String, PyValue)]) -> Vec<(String, u32)> {
        fields
            .iter()
            .map(|(k, v)| (k.clone(), self.push(v)))
            .collect()
    }

    /// The nodes.
    pub fn into_nodes(self) -> Vec<ValueNode> {
        self.0
    }
}

/// What a call's `msg` is.
#[derive(Clone, Debug, PartialEq)]
enum Msg {
    Text(String),
    Value(PyValue),
    Brace(String, Vec<PyValue>, Vec<(String, PyValue)>),
    Dollar(String, Vec<(String, PyValue)>),
    Structured(String, Vec<(String, PyValue)>),
}

fn named<'a>(kwargs: impl IntoIterator<Item = (&'a str, PyValue)>) -> Vec<(String, PyValue)> {
    kwargs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A whole `logger.log(level, msg, *args, **kwargs)` call, for [`Instance::log_with`] and
/// [`Instance::adapter_log_with`](crate::Instance::adapter_log_with).
///
/// [`Instance::log_with`]: crate::Instance::log_with
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    msg: Msg,
    args: Vec<PyValue>,
    extra: Vec<(String, PyValue)>,
    exc_info: Vec<Exception>,
    stack_info: Option<String>,
    location: Option<Location>,
    identity: IdentityOverride,
}

impl Call {
    fn with(msg: Msg) -> Call {
        Call {
            msg,
            args: Vec::new(),
            extra: Vec::new(),
            exc_info: Vec::new(),
            stack_info: None,
            location: None,
            identity: IdentityOverride {
                thread: None,
                thread_name: None,
                process: None,
                process_name: None,
                task_name: None,
            },
        }
    }

    /// A call whose `msg` is a string (`%`-merged with the arguments).
    pub fn new(msg: impl Into<String>) -> Call {
        Call::with(Msg::Text(msg.into()))
    }

    /// A call whose `msg` is any value (`logger.info({"a": 1})`).
    pub fn value(msg: PyValue) -> Call {
        Call::with(Msg::Value(msg))
    }

    /// `BraceMessage(fmt, *args, **kwargs)` (cookbook recipe 14).
    pub fn brace<'a>(
        fmt: impl Into<String>,
        args: impl IntoIterator<Item = PyValue>,
        kwargs: impl IntoIterator<Item = (&'a str, PyValue)>,
    ) -> Call {
        Call::with(Msg::Brace(
            fmt.into(),
            args.into_iter().collect(),
            named(kwargs),
        ))
    }

    /// `DollarMessage(fmt, **kwargs)` (cookbook recipe 14).
    pub fn dollar<'a>(
        fmt: impl Into<String>,
        kwargs: impl IntoIterator<Item = (&'a str, PyValue)>,
    ) -> Call {
        Call::with(Msg::Dollar(fmt.into(), named(kwargs)))
    }

    /// `StructuredMessage(message, **kwargs)` (cookbook recipe 22).
    pub fn structured<'a>(
        message: impl Into<String>,
        kwargs: impl IntoIterator<Item = (&'a str, PyValue)>,
    ) -> Call {
        Call::with(Msg::Structured(message.into(), named(kwargs)))
    }

    /// One more `%`-argument.
    pub fn arg(mut self, v: impl Into<PyValue>) -> Call {
        self.args.push(v.into());
        self
    }

    /// One more `extra` attribute.
    pub fn extra(mut self, key: impl Into<String>, v: impl Into<PyValue>) -> Call {
        self.extra.push((key.into(), v.into()));
        self
    }

    /// `exc_info`: the logged exception first, then the ones it was chained from.
    pub fn exc_info(mut self, chain: Vec<Exception>) -> Call {
        self.exc_info = chain;
        self
    }

    /// `stack_info`: the stack as the host captured it (without CPython's header).
    pub fn stack_info(mut self, stack: impl Into<String>) -> Call {
        self.stack_info = Some(stack.into());
        self
    }

    /// The call site (`pathname`, `lineno`, `funcName`).
    pub fn location(mut self, pathname: &str, lineno: u32, func_name: &str) -> Call {
        self.location = Some(Location {
            pathname: pathname.to_owned(),
            lineno,
            func_name: func_name.to_owned(),
        });
        self
    }

    /// Identity overrides for this record (`threadName`, `processName` …).
    pub fn identity(mut self, identity: IdentityOverride) -> Call {
        self.identity = identity;
        self
    }

    /// The WIT form.
    pub fn to_wit(&self) -> LogCall {
        let mut values = Values::default();
        let msg = match &self.msg {
            Msg::Text(s) => Message::Text(s.clone()),
            Msg::Value(v) => Message::Value(values.push(v)),
            Msg::Brace(fmt, args, kwargs) => Message::Brace(BraceMessage {
                fmt: fmt.clone(),
                args: args.iter().map(|a| values.push(a)).collect(),
                kwargs: values.fields(kwargs),
            }),
            Msg::Dollar(fmt, kwargs) => Message::Dollar(DollarMessage {
                fmt: fmt.clone(),
                kwargs: values.fields(kwargs),
            }),
            Msg::Structured(message, kwargs) => Message::Structured(StructuredMessage {
                message: message.clone(),
                kwargs: values.fields(kwargs),
            }),
        };
        let args = self.args.iter().map(|a| values.push(a)).collect();
        let extra = values.fields(&self.extra);
        LogCall {
            msg,
            values: values.into_nodes(),
            args,
            extra,
            exc_info: self.exc_info.clone(),
            stack_info: self.stack_info.clone(),
            location: self.location.clone(),
            identity: self.identity.clone(),
        }
    }
}

/// An exception of `exc_info` without a traceback (add `frames`, `notes` and `chained` to
/// the record as needed).
pub fn exception(type_name: &str, message: &str) -> Exception {
    Exception {
        type_name: type_name.to_owned(),
        message: message.to_owned(),
        frames: Vec::new(),
        notes: Vec::new(),
        chained: None,
    }
}
