//! Conversions between JavaScript values and the core's [`Value`]s, records and exceptions.
//!
//! | JavaScript | core | `%s` | `%r` |
//! |---|---|---|---|
//! | string | `str` | as is | `'text'` |
//! | integer-valued number (\|n\| < 2⁶³) | `int` | `3` | `3` |
//! | other number | `float` | Python's `repr` (`0.5`, `nan`, `inf`) | same |
//! | bigint | `int` (beyond 64 bits: the core's `BigInt`) | digits | digits |
//! | boolean, `null`, `undefined` | object | `true`, `null`, `undefined` | same |
//! | array | `list` | `[1, 'a']` | same |
//! | plain object | `dict` (so `'%(user)s'` works with one mapping argument) | `{'a': 1}` | same |
//! | `Error` | object: `str()` is the message, `repr()` is `TypeError('boom')` | | |
//! | `BraceMessage` / `DollarMessage` | object: `str()` is `fmt.format(…)` / `Template(fmt).substitute(…)` | | |
//! | anything else | object: `String(v)` | | |
//!
//! JS-only values keep their JavaScript spelling (a JS developer reads `true`, not `True`);
//! values both languages share format exactly as CPython formats them. Objects that are not
//! plain data come back to JavaScript as themselves (a filter or callback sees the same
//! `Error` or class instance that was logged): a registry maps each live [`JsObject`] to its
//! value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::externs;
use crate::core::error::{Error, ErrorKind, Result};
#[cfg(feature = "full")]
use crate::core::message::{BraceMessage, DollarMessage};
use crate::core::record::{Chain, ExcInfo, Frame, LogRecord};
use crate::core::value::{PyObject, Text, Value};

/// Value kinds, as `glue.js` `tagOf` reports them.
mod tag {
    pub const STRING: u8 = 0;
    pub const NUMBER: u8 = 1;
    pub const BOOL: u8 = 2;
    pub const NULL: u8 = 3;
    pub const UNDEFINED: u8 = 4;
    pub const BIGINT: u8 = 5;
    pub const ARRAY: u8 = 6;
    pub const PLAIN: u8 = 7;
    pub const ERROR: u8 = 8;
    #[cfg_attr(not(feature = "full"), allow(dead_code))] // message objects: the full build
    pub const MESSAGE: u8 = 12;
}

/// How deep arrays and plain objects are converted into `list`/`dict`; deeper ones (and
/// cycles) stay opaque objects shown with `String(v)`.
const MAX_DEPTH: u32 = 8;

/// A JS number as a Python number: `int` when integer-valued and in range, else `float`.
pub(crate) fn number(n: f64) -> Value {
    // 2^63: the first value that no longer fits an i64.
    if n.fract() == 0.0 && n.abs() < 9_223_372_036_854_775_808.0 {
        Value::Int(n as i64)
    } else {
        Value::Float(n)
    }
}

/// A JS value as a core value (see the module table).
pub(crate) fn to_value(v: &JsValue) -> Value {
    to_value_at(v, 0)
}

fn to_value_at(v: &JsValue, depth: u32) -> Value {
    match externs::tag_of(v) {
        tag::STRING => Value::Str(Text::from(v.as_string().unwrap_or_default())),
        tag::NUMBER => number(v.as_f64().unwrap_or(f64::NAN)),
        tag::BOOL => js_bool(v.is_truthy()),
        tag::NULL => js_null(),
        tag::UNDEFINED => js_undefined(),
        tag::BIGINT => crate::core::bigint::BigInt::parse(&externs::str_of(v))
            .unwrap_or_else(|| JsObject::value(v.clone(), Kind::Other)),
        tag::ARRAY if depth < MAX_DEPTH => {
            let a: &Array = v.unchecked_ref();
            Value::list(a.iter().map(|x| to_value_at(&x, depth + 1)))
        }
        tag::PLAIN if depth < MAX_DEPTH => dict_of(v, |x| to_value_at(x, depth + 1)),
        tag::ERROR => JsObject::value(v.clone(), Kind::Error),
        #[cfg(feature = "full")]
        tag::MESSAGE => message_value(v),
        _ => JsObject::value(v.clone(), Kind::Other),
    }
}

/// A `BraceMessage` / `DollarMessage` from JavaScript: the core's message object (so `str()`
/// is CPython's `str.format` / `string.Template`, and a failure is a logging error), kept
/// together with the JS object, which is what callbacks and filters see as `record.msg`.
#[cfg(feature = "full")]
fn message_value(v: &JsValue) -> Value {
    let parts = externs::message_of(v);
    if !Array::is_array(&parts) {
        return JsObject::value(v.clone(), Kind::Other);
    }
    let parts: &Array = parts.unchecked_ref();
    let fmt = parts.get(1).as_string().unwrap_or_default();
    let args: Vec<Value> = match parts.get(2).dyn_into::<Array>() {
        Ok(a) => a.iter().map(|x| to_value(&x)).collect(),
        Err(_) => Vec::new(),
    };
    let kwargs = fields_from_js(&parts.get(3));
    let inner: Rc<dyn PyObject> = if parts.get(0).as_string().as_deref() == Some("$") {
        Rc::new(DollarMessage::new(fmt, kwargs))
    } else {
        Rc::new(BraceMessage::new(fmt, args, kwargs))
    };
    JsObject::register(JsObject {
        value: v.clone(),
        kind: Kind::Message,
        message: Some(inner),
    })
}

/// `str()` of a message object (`BraceMessage.toString()` in JavaScript): the core's text,
/// or its error as a JS exception.
#[cfg_attr(not(feature = "full"), allow(dead_code))] // BraceMessage / DollarMessage only
pub(crate) fn message_str(v: &JsValue) -> Result<String> {
    to_value(v).to_py_str()
}

thread_local! {
    /// The one core object each of `false`, `true`, `null` and `undefined` is: they have no
    /// identity in JavaScript, so every occurrence can share one (no registry entry and no
    /// allocation per value).
    static SINGLETONS: [Value; 4] = [
        JsObject::value(JsValue::FALSE, Kind::Bool(false)),
        JsObject::value(JsValue::TRUE, Kind::Bool(true)),
        JsObject::value(JsValue::NULL, Kind::Null),
        JsObject::value(JsValue::UNDEFINED, Kind::Undefined),
    ];
}

fn singleton(i: usize) -> Value {
    SINGLETONS.try_with(|s| s[i].clone()).unwrap_or(Value::None)
}

/// A JS boolean as a core value (an object that formats as `true` / `false`).
pub(crate) fn js_bool(b: bool) -> Value {
    singleton(usize::from(b))
}

/// JS `null` as a core value (an object that formats as `null`).
pub(crate) fn js_null() -> Value {
    singleton(2)
}

/// JS `undefined` as a core value (an object that formats as `undefined`).
pub(crate) fn js_undefined() -> Value {
    singleton(3)
}

/// A plain object as a `dict` (keys in their order), each value converted by `value`.
fn dict_of(v: &JsValue, value: impl Fn(&JsValue) -> Value) -> Value {
    let flat = externs::entries_of(v);
    let mut items = Vec::with_capacity(flat.length() as usize / 2);
    let mut i = 0;
    while i + 1 < flat.length() {
        let key = flat.get(i).as_string().unwrap_or_default();
        items.push((Value::Str(Text::from(key)), value(&flat.get(i + 1))));
        i += 2;
    }
    Value::Dict(Rc::new(items))
}

/// How deep a configuration object is read as data; deeper values (and cycles) stay opaque
/// objects, which the configuration engine then refuses with a path.
#[cfg_attr(not(feature = "full"), allow(dead_code))] // dictConfig only
const MAX_CONFIG_DEPTH: u32 = 64;

/// A configuration object as the core's configuration tree: strings, numbers, booleans,
/// `null`/`undefined` (`None`), arrays and plain objects (keys in their order) as data, as
/// JSON would give them; anything else (a function, a class instance) as an object that goes
/// back to a factory as itself.
#[cfg_attr(not(feature = "full"), allow(dead_code))] // dictConfig only
pub(crate) fn config_value(v: &JsValue) -> Value {
    config_value_at(v, 0)
}

#[cfg_attr(not(feature = "full"), allow(dead_code))] // dictConfig only
fn config_value_at(v: &JsValue, depth: u32) -> Value {
    match externs::tag_of(v) {
        tag::BOOL => Value::Bool(v.is_truthy()),
        tag::NULL | tag::UNDEFINED => Value::None,
        tag::ARRAY if depth < MAX_CONFIG_DEPTH => {
            let a: &Array = v.unchecked_ref();
            Value::list(a.iter().map(|x| config_value_at(&x, depth + 1)))
        }
        tag::PLAIN if depth < MAX_CONFIG_DEPTH => dict_of(v, |x| config_value_at(x, depth + 1)),
        _ => to_value_at(v, MAX_DEPTH),
    }
}

/// `extra` / `defaults` from a plain object: its own enumerable entries, in order.
pub(crate) fn fields_from_js(obj: &JsValue) -> Vec<(Text, Value)> {
    if obj.is_undefined() || obj.is_null() {
        return Vec::new();
    }
    let flat = externs::entries_of(obj);
    let mut out = Vec::with_capacity(flat.length() as usize / 2);
    let mut i = 0;
    while i + 1 < flat.length() {
        let key = flat.get(i).as_string().unwrap_or_default();
        out.push((Text::from(key), to_value(&flat.get(i + 1))));
        i += 2;
    }
    out
}

/// What a [`JsObject`] stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Bool(bool),
    Null,
    Undefined,
    Error,
    #[cfg_attr(not(feature = "full"), allow(dead_code))] // message objects: the full build
    Message,
    Other,
}

thread_local! {
    /// Live [`JsObject`]s by address, so a value can go back to JavaScript as itself.
    static OBJECTS: RefCell<HashMap<usize, JsValue>> = RefCell::new(HashMap::new());
}

/// A JavaScript value the core holds as a Python object.
pub(crate) struct JsObject {
    value: JsValue,
    kind: Kind,
    /// For a message object: the core object that gives its `str()`.
    message: Option<Rc<dyn PyObject>>,
}

impl std::fmt::Debug for JsObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsObject")
            .field("value", &self.value)
            .field("kind", &self.kind)
            .finish()
    }
}

impl JsObject {
    fn value(value: JsValue, kind: Kind) -> Value {
        Self::register(JsObject {
            value,
            kind,
            message: None,
        })
    }

    fn register(obj: JsObject) -> Value {
        let value = obj.value.clone();
        let obj = Rc::new(obj);
        let key = Rc::as_ptr(&obj) as *const () as usize;
        OBJECTS.with(|m| m.borrow_mut().insert(key, value));
        Value::Object(obj)
    }

    /// The JS value behind a core object, if it came from JavaScript.
    fn lookup(obj: &Rc<dyn PyObject>) -> Option<JsValue> {
        let key = Rc::as_ptr(obj) as *const () as usize;
        OBJECTS.with(|m| m.borrow().get(&key).cloned())
    }
}

impl Drop for JsObject {
    fn drop(&mut self) {
        let key = self as *const JsObject as *const () as usize;
        // `try_with`: the registry may already be gone while the thread's locals are torn
        // down; `try_borrow_mut`: a drop must never panic (a panic aborts the instance).
        let _ = OBJECTS.try_with(|m| m.try_borrow_mut().map(|mut m| m.remove(&key)));
    }
}

impl PyObject for JsObject {
    fn type_name(&self) -> &str {
        match self.kind {
            Kind::Bool(_) => "boolean",
            Kind::Null => "null",
            Kind::Undefined => "undefined",
            Kind::Message => self.message.as_ref().map_or("object", |m| m.type_name()),
            Kind::Error | Kind::Other => "object",
        }
    }

    fn py_str(&self) -> Result<String> {
        if let Some(m) = &self.message {
            return m.py_str();
        }
        Ok(match self.kind {
            Kind::Bool(true) => "true".to_owned(),
            Kind::Bool(false) => "false".to_owned(),
            Kind::Null => "null".to_owned(),
            Kind::Undefined => "undefined".to_owned(),
            Kind::Error | Kind::Message | Kind::Other => externs::str_of(&self.value),
        })
    }

    fn py_repr(&self) -> Result<String> {
        if let Some(m) = &self.message {
            return m.py_repr();
        }
        match self.kind {
            Kind::Error | Kind::Other => Ok(externs::repr_of(&self.value)),
            _ => self.py_str(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self.kind {
            Kind::Bool(b) => Some(b as i64),
            Kind::Other => {
                let n = externs::number_of(&self.value);
                n.is_finite().then_some(n as i64)
            }
            _ => None,
        }
    }

    fn as_float(&self) -> Option<f64> {
        match self.kind {
            Kind::Bool(b) => Some(b as i64 as f64),
            Kind::Other => Some(externs::number_of(&self.value)).filter(|n| !n.is_nan()),
            _ => None,
        }
    }

    fn get_attr(&self, name: &str) -> Option<Value> {
        match self.kind {
            Kind::Error | Kind::Message | Kind::Other => {
                let v = Reflect::get(&self.value, &JsValue::from_str(name)).ok()?;
                (!v.is_undefined()).then(|| to_value(&v))
            }
            _ => None,
        }
    }
}

/// `text` as a JS string (a formatted line on its way to a callback).
pub(crate) fn js_text(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// A core value as a JS value: the inverse of [`to_value`] (a `tuple` becomes an array).
pub(crate) fn to_js(v: &Value) -> JsValue {
    match v {
        Value::None => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Int(i) => JsValue::from_f64(*i as f64),
        Value::Float(f) => JsValue::from_f64(*f),
        Value::Str(s) => JsValue::from_str(s),
        Value::List(items) | Value::Tuple(items) => {
            items.iter().map(to_js).collect::<Array>().into()
        }
        Value::Dict(items) => {
            let obj = js_sys::Object::new();
            for (k, v) in items.iter() {
                let key = match k {
                    Value::Str(s) => JsValue::from_str(s),
                    other => JsValue::from_str(&other.to_py_str().unwrap_or_default()),
                };
                let _ = Reflect::set(&obj, &key, &to_js(v));
            }
            obj.into()
        }
        Value::Object(o) => JsObject::lookup(o).unwrap_or_else(|| match o.py_str() {
            Ok(s) => JsValue::from_str(&s),
            Err(_) => JsValue::from_str("<unprintable object>"),
        }),
    }
}

/// Live exceptions and the JS values they were made from, and the length at which the list
/// is next pruned of dead entries (amortised O(1) per exception).
struct ExceptionRegistry {
    entries: Vec<(Weak<ExcInfo>, JsValue)>,
    prune_at: usize,
}

thread_local! {
    /// The JS errors behind live exceptions, so a callback gets the `Error` that was logged.
    static EXCEPTIONS: RefCell<ExceptionRegistry> =
        const { RefCell::new(ExceptionRegistry { entries: Vec::new(), prune_at: 64 }) };
}

/// Remembers that `exc` was made from the JS value `err`.
fn remember_exception(exc: &Rc<ExcInfo>, err: JsValue) {
    EXCEPTIONS.with(|e| {
        let reg = &mut *e.borrow_mut();
        if reg.entries.len() >= reg.prune_at {
            reg.entries.retain(|(w, _)| w.strong_count() > 0);
            reg.prune_at = (reg.entries.len() * 2).max(64);
        }
        reg.entries.push((Rc::downgrade(exc), err));
    })
}

/// The JS value an exception was made from, or a JS `Error` of the same name and message.
fn exception_to_js(exc: &Rc<ExcInfo>) -> JsValue {
    let found = EXCEPTIONS.with(|e| {
        e.borrow()
            .entries
            .iter()
            .find(|(w, _)| std::ptr::eq(w.as_ptr(), Rc::as_ptr(exc)))
            .map(|(_, v)| v.clone())
    });
    found.unwrap_or_else(|| {
        let err = js_sys::Error::new(&exc.message);
        err.set_name(&exc.type_name);
        err.into()
    })
}

/// The live exception made from the JS value `err`, if any (a record rebuilt from its JS
/// object keeps its traceback).
pub(crate) fn exception_for_js(err: &JsValue) -> Option<Rc<ExcInfo>> {
    EXCEPTIONS.with(|e| {
        e.borrow()
            .entries
            .iter()
            .rev()
            .find(|(_, v)| js_sys::Object::is(v, err))
            .and_then(|(w, _)| w.upgrade())
    })
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text_of(v: &JsValue) -> Text {
    Text::from(v.as_string().unwrap_or_else(|| externs::str_of(v)))
}

/// An exception from the wrapper's description of a JS error:
/// `{type, message, frames: [file, line, func, …] (outermost first), cause?, context?, value}`.
pub(crate) fn exception_from_js(desc: &JsValue) -> Option<Rc<ExcInfo>> {
    exception_at(desc, 0)
}

fn exception_at(desc: &JsValue, depth: u32) -> Option<Rc<ExcInfo>> {
    if !externs::is_object(desc) || depth > MAX_DEPTH {
        return None;
    }
    let mut exc = ExcInfo::new(text_of(&get(desc, "type")), text_of(&get(desc, "message")));
    let frames = get(desc, "frames");
    if Array::is_array(&frames) {
        let flat: &Array = frames.unchecked_ref();
        let mut i = 0;
        while i + 2 < flat.length() {
            exc.frames.push(Frame {
                filename: text_of(&flat.get(i)),
                lineno: flat.get(i + 1).as_f64().unwrap_or(0.0) as u32,
                name: text_of(&flat.get(i + 2)),
                line: None,
            });
            i += 3;
        }
    }
    for (key, chain) in [("cause", Chain::Cause), ("context", Chain::Context)] {
        if let Some(earlier) = exception_at(&get(desc, key), depth + 1) {
            exc.chained = Some((chain, earlier));
            break;
        }
    }
    let exc = Rc::new(exc);
    let value = get(desc, "value");
    if !value.is_undefined() {
        remember_exception(&exc, value);
    }
    Some(exc)
}

/// A core error for a value thrown by user code (a callback, a filter, a formatter).
pub(crate) fn error_from_js(thrown: &JsValue) -> Error {
    if externs::tag_of(thrown) == tag::ERROR {
        let name = externs::type_name_of(thrown);
        let message = externs::str_of(thrown);
        match name.as_str() {
            "TypeError" => Error::type_error(message),
            "RangeError" => Error::value_error(message),
            "Error" => Error::new(ErrorKind::RuntimeError, message),
            _ => Error::new(ErrorKind::RuntimeError, format!("{name}: {message}")),
        }
    } else {
        Error::new(
            ErrorKind::RuntimeError,
            format!("uncaught {}", externs::repr_of(thrown)),
        )
    }
}

/// JS strings for texts that repeat from record to record (logger, level, file and worker
/// names), so each is decoded out of Wasm memory once rather than once per record. The
/// cache holds the `Text`s, so a cached pointer is never reused for other text.
struct JsStrings {
    entries: Vec<(Text, JsValue)>,
    next: usize,
}

const JS_STRINGS: usize = 64;

thread_local! {
    static STRINGS: RefCell<JsStrings> =
        const { RefCell::new(JsStrings { entries: Vec::new(), next: 0 }) };
}

fn same_text(a: &Text, b: &Text) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

/// `t` as a JS string, from the cache when it was seen recently.
fn cached_js_str(t: &Text) -> JsValue {
    STRINGS.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((_, v)) = c.entries.iter().find(|(k, _)| same_text(k, t)) {
            return v.clone();
        }
        let v = JsValue::from_str(t);
        if c.entries.len() < JS_STRINGS {
            c.entries.push((t.clone(), v.clone()));
        } else {
            let i = c.next;
            c.entries[i] = (t.clone(), v.clone());
            c.next = (i + 1) % JS_STRINGS;
        }
        v
    })
}

fn opt_text_js(t: &Option<Text>) -> JsValue {
    match t {
        Some(t) => JsValue::from_str(t),
        None => JsValue::NULL,
    }
}

fn opt_cached_js(t: &Option<Text>) -> JsValue {
    match t {
        Some(t) => cached_js_str(t),
        None => JsValue::NULL,
    }
}

/// A record as a plain JS object with CPython's attribute names (`levelname`, `funcName`,
/// `exc_info` …) and its `extra` attributes; `snapshot` keeps a hidden copy for
/// [`apply_changes`] after a filter ran.
pub(crate) fn record_to_js(r: &LogRecord, snapshot: bool) -> JsValue {
    let extra = Array::new();
    for (k, v) in &r.extra {
        extra.push(&JsValue::from_str(k));
        extra.push(&to_js(v));
    }
    let opt_undefined = |t: &Option<Text>| match t {
        Some(t) => JsValue::from_str(t),
        None => JsValue::UNDEFINED,
    };
    externs::make_record(
        cached_js_str(&r.name),
        to_js(&r.msg),
        to_js(&r.args_value()),
        cached_js_str(&r.levelname),
        r.levelno as f64,
        cached_js_str(&r.pathname),
        cached_js_str(&r.filename),
        cached_js_str(&r.module),
        r.lineno,
        cached_js_str(&r.func_name),
        r.created,
        r.msecs,
        r.relative_created,
        r.thread
            .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)),
        opt_cached_js(&r.thread_name),
        r.process
            .map_or(JsValue::NULL, |p| JsValue::from_f64(p as f64)),
        opt_cached_js(&r.process_name),
        opt_cached_js(&r.task_name),
        r.exc_info.as_ref().map_or(JsValue::NULL, exception_to_js),
        opt_text_js(&r.exc_text),
        opt_text_js(&r.stack_info),
        opt_undefined(&r.message),
        opt_undefined(&r.asctime),
        extra,
        snapshot,
    )
}

fn opt_text(v: &JsValue) -> Option<Text> {
    (!v.is_null() && !v.is_undefined()).then(|| text_of(v))
}

fn opt_f64(v: &JsValue) -> Option<f64> {
    v.as_f64().filter(|n| n.is_finite())
}

/// Applies the changes a filter made to a record object (`[k0, v0, …]` from
/// `recordChanges`): CPython's attributes go to their fields, anything else is an `extra`
/// attribute (set, or removed when deleted).
pub(crate) fn apply_changes(r: &mut LogRecord, changes: &Array) {
    let mut i = 0;
    while i + 1 < changes.length() {
        let key = changes.get(i).as_string().unwrap_or_default();
        let v = changes.get(i + 1);
        i += 2;
        match key.as_str() {
            "name" => r.name = text_of(&v),
            "msg" => r.msg = to_value(&v),
            "args" => {
                r.args = if Array::is_array(&v) {
                    let a: &Array = v.unchecked_ref();
                    a.iter().map(|x| to_value(&x)).collect()
                } else if v.is_null() || v.is_undefined() {
                    Vec::new()
                } else {
                    vec![to_value(&v)]
                }
            }
            "levelname" => r.levelname = text_of(&v),
            "levelno" => {
                if let Some(n) = opt_f64(&v) {
                    // A level a filter set: the core's 64-bit range (saturating past it).
                    r.levelno = n as i64;
                }
            }
            "pathname" => r.pathname = text_of(&v),
            "filename" => r.filename = text_of(&v),
            "module" => r.module = text_of(&v),
            "lineno" => r.lineno = opt_f64(&v).unwrap_or(0.0) as u32,
            "funcName" => r.func_name = text_of(&v),
            "created" => {
                if let Some(c) = opt_f64(&v) {
                    r.created = c;
                    r.created_ns = (c * 1e9) as i64;
                }
            }
            "msecs" => r.msecs = opt_f64(&v).unwrap_or(0.0),
            "relativeCreated" => r.relative_created = opt_f64(&v).unwrap_or(0.0),
            "thread" => r.thread = opt_f64(&v).map(|n| n as _),
            "threadName" => r.thread_name = opt_text(&v),
            "process" => r.process = opt_f64(&v).map(|n| n as _),
            "processName" => r.process_name = opt_text(&v),
            "taskName" => r.task_name = opt_text(&v),
            "exc_info" => {
                r.exc_info = if v.is_falsy() {
                    None
                } else if let Some(known) = exception_for_js(&v) {
                    Some(known)
                } else {
                    let exc = Rc::new(ExcInfo::new(externs::type_name_of(&v), externs::str_of(&v)));
                    remember_exception(&exc, v.clone());
                    Some(exc)
                };
                r.exc_text = None;
            }
            "exc_text" => r.exc_text = opt_text(&v),
            "stack_info" => r.stack_info = opt_text(&v),
            "message" => r.message = opt_text(&v),
            "asctime" => r.asctime = opt_text(&v),
            _ if v.is_undefined() => r.extra.retain(|(k, _)| k.as_str() != key),
            _ => match r.extra.iter_mut().find(|(k, _)| k.as_str() == key) {
                Some(slot) => slot.1 = to_value(&v),
                None => r.extra.push((Text::from(key), to_value(&v))),
            },
        }
    }
}
