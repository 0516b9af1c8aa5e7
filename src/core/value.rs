//! Values carried by records: log-call arguments, `extra` fields and record attributes.
//!
//! A [`Value`] models the Python objects a log call can pass (`None`, `bool`, `int`, `float`,
//! `str`, `list`, `tuple`, `dict`) plus [`PyObject`], an escape hatch for host objects with
//! their own `str()`/`repr()` (a JS object, an exception, a lazily formatted message).
//! Strings are [`Text`]: a `&'static str` or a shared `Rc<str>`, so cloning a value never
//! copies string bytes. This matters on the hot path, where the formatter looks record
//! attributes up by name once per record.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

use super::error::Result;

/// An immutable string that is either static or shared; clones are O(1).
#[derive(Clone)]
pub enum Text {
    /// A string literal, e.g. a file name from `#[track_caller]`.
    Static(&'static str),
    /// A shared heap string, e.g. a logger name or a string that came from a host.
    Shared(Rc<str>),
    /// A shared string in a reused buffer (a record's merged message or `asctime`; see
    /// [`pool`](super::pool)).
    Buf(Rc<String>),
}

impl Text {
    /// The string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
            Text::Buf(s) => s,
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Static("")
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Shared(Rc::from(s))
    }
}

impl From<Rc<str>> for Text {
    fn from(s: Rc<str>) -> Self {
        Text::Shared(s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::Shared(Rc::from(s.as_str()))
    }
}

/// A host or user object that is not one of the built-in value shapes.
///
/// It plays the part of an arbitrary Python object: `str()` and `repr()` may fail (a user
/// `__str__` that raises becomes an [`Error`](super::error::Error) and a `handle_error` report), and it may act as a
/// number for `%d` / `%f` conversions or expose attributes to `{0.attr}` format fields.
pub trait PyObject: fmt::Debug {
    /// The Python-style type name used in error messages (`"BraceMessage"`, `"Error"`).
    fn type_name(&self) -> &str;
    /// `str(obj)`; by default the same as `repr(obj)`.
    fn py_str(&self) -> Result<String> {
        self.py_repr()
    }
    /// `repr(obj)`.
    fn py_repr(&self) -> Result<String>;
    /// The value as an integer for `%d`/`%x`/`%c` (Python's `__index__`/`__int__`), if it is one.
    fn as_int(&self) -> Option<i64> {
        None
    }
    /// The value as an int beyond 64 bits, if it is one (`%d`, `%x`, `json.dumps` print it).
    fn as_big_int(&self) -> Option<&super::bigint::BigInt> {
        None
    }
    /// The value as a float for `%f`/`%e`/`%g` (Python's `__float__`), if it is one.
    fn as_float(&self) -> Option<f64> {
        None
    }
    /// `getattr(obj, name)` for `{0.name}` fields, if the object exposes attributes.
    fn get_attr(&self, _name: &str) -> Option<Value> {
        None
    }
    /// `format(obj, spec)` (Python's `__format__`); `None` uses the default, which formats
    /// `str(obj)` as a string and rejects a non-empty spec that strings reject.
    fn py_format(&self, _spec: &str) -> Option<Result<String>> {
        None
    }
}

/// A Python-like value.
#[derive(Clone, Debug)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` (64-bit here; JavaScript numbers are integers up to 2^53).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(Text),
    /// A `list`.
    List(Rc<Vec<Value>>),
    /// A `tuple`.
    Tuple(Rc<Vec<Value>>),
    /// A `dict`, in insertion order (as Python 3.7+ keeps it).
    Dict(Rc<Vec<(Value, Value)>>),
    /// Any other object.
    Object(Rc<dyn PyObject>),
}

impl Value {
    /// A string value from anything string-like.
    pub fn str(s: impl Into<Text>) -> Value {
        Value::Str(s.into())
    }

    /// A `dict` from string keys and values, in the given order.
    pub fn dict<K: Into<Text>>(items: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Dict(Rc::new(
            items
                .into_iter()
                .map(|(k, v)| (Value::Str(k.into()), v))
                .collect(),
        ))
    }

    /// A `list` value.
    pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
        Value::List(Rc::new(items.into_iter().collect()))
    }

    /// A `tuple` value.
    pub fn tuple(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Tuple(Rc::new(items.into_iter().collect()))
    }

    /// The Python type name (`"int"`, `"str"`, …) as used in CPython's error messages.
    pub fn type_name(&self) -> &str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Object(o) => o.type_name(),
        }
    }

    /// Python truthiness (`bool(value)`); objects are true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Object(_) => true,
        }
    }

    /// The string slice if this is a `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// Looks up a string key in a `dict` value.
    pub fn dict_get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .rev() // a later duplicate key wins, as in a Python dict literal
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

impl From<&'static str> for Value {
    fn from(s: &'static str) -> Self {
        Value::Str(Text::Static(s))
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s.into())
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Str(s.into())
    }
}
impl From<Text> for Value {
    fn from(s: Text) -> Self {
        Value::Str(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<f32> for Value {
    fn from(f: f32) -> Self {
        Value::Float(f as f64)
    }
}
macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(i: $t) -> Self { Value::Int(i as i64) }
        }
    )*};
}
int_from!(i8, i16, i32, i64, u8, u16, u32, isize);
impl From<u64> for Value {
    /// Values above `i64::MAX` saturate (Python ints are unbounded; ours are 64-bit).
    fn from(i: u64) -> Self {
        Value::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}
impl From<usize> for Value {
    fn from(i: usize) -> Self {
        Value::from(i as u64)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::None, Into::into)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(Rc::new(v.into_iter().map(Into::into).collect()))
    }
}
