//! Message objects for the cookbook's "alternative formatting styles" (recipe 14): a log
//! call's message may be an object whose `str()` builds the text lazily, only when a handler
//! emits — `BraceMessage` (`str.format`) and `DollarMessage` (`string.Template`).

use super::error::Result;
use super::pyfmt;
use super::value::{PyObject, Text, Value};

/// The cookbook's `BraceMessage(fmt, *args, **kwargs)`: `str()` is
/// `fmt.format(*args, **kwargs)`.
#[derive(Clone, Debug)]
pub struct BraceMessage {
    fmt: Text,
    args: Vec<Value>,
    kwargs: Vec<(Text, Value)>,
}

impl BraceMessage {
    /// A message formatted with `str.format` when emitted.
    pub fn new(fmt: impl Into<Text>, args: Vec<Value>, kwargs: Vec<(Text, Value)>) -> Self {
        BraceMessage {
            fmt: fmt.into(),
            args,
            kwargs,
        }
    }
}

impl PyObject for BraceMessage {
    fn type_name(&self) -> &str {
        "BraceMessage"
    }
    fn py_str(&self) -> Result<String> {
        let lookup = |k: &str| {
            self.kwargs
                .iter()
                .rev()
                .find(|(key, _)| key.as_str() == k)
                .map(|(_, v)| v.clone())
        };
        let mut out = String::new();
        pyfmt::brace_format(&self.fmt, &self.args, &lookup, &mut out)?;
        Ok(out)
    }
    fn py_repr(&self) -> Result<String> {
        Ok(format!("<BraceMessage {:?}>", self.fmt.as_str()))
    }
}

/// The cookbook's `DollarMessage(fmt, **kwargs)`: `str()` is
/// `Template(fmt).substitute(**kwargs)`.
#[derive(Clone, Debug)]
pub struct DollarMessage {
    fmt: Text,
    kwargs: Vec<(Text, Value)>,
}

impl DollarMessage {
    /// A message substituted with `string.Template` when emitted.
    pub fn new(fmt: impl Into<Text>, kwargs: Vec<(Text, Value)>) -> Self {
        DollarMessage {
            fmt: fmt.into(),
            kwargs,
        }
    }
}

impl PyObject for DollarMessage {
    fn type_name(&self) -> &str {
        "DollarMessage"
    }
    fn py_str(&self) -> Result<String> {
        let lookup = |k: &str| {
            self.kwargs
                .iter()
                .rev()
                .find(|(key, _)| key.as_str() == k)
                .map(|(_, v)| v.clone())
        };
        let mut out = String::new();
        pyfmt::template_substitute(&self.fmt, &lookup, &mut out)?;
        Ok(out)
    }
    fn py_repr(&self) -> Result<String> {
        Ok(format!("<DollarMessage {:?}>", self.fmt.as_str()))
    }
}

impl From<BraceMessage> for Value {
    fn from(m: BraceMessage) -> Self {
        Value::Object(std::rc::Rc::new(m))
    }
}

impl From<DollarMessage> for Value {
    fn from(m: DollarMessage) -> Self {
        Value::Object(std::rc::Rc::new(m))
    }
}
