//! `JsonFormatter`: structured logging, one JSON object per record, byte-identical to what
//! CPython 3.13 produces with the idiomatic `logging.Formatter` subclass:
//!
//! ```python
//! class JsonFormatter(logging.Formatter):
//!     def __init__(self, keys=("asctime", "name", "levelname", "message"), extra=True,
//!                  datefmt=None):
//!         super().__init__(datefmt=datefmt)
//!         self.keys, self.extra = tuple(keys), extra
//!
//!     def format(self, record):
//!         record.message = record.getMessage()
//!         if "asctime" in self.keys:
//!             record.asctime = self.formatTime(record, self.datefmt)
//!         if record.exc_info and not record.exc_text:
//!             record.exc_text = self.formatException(record.exc_info)
//!         d = {k: getattr(record, k) for k in self.keys}
//!         if self.extra:
//!             d.update((k, v) for k, v in record.__dict__.items() if k not in STANDARD)
//!         if record.exc_text:
//!             d["exc_info"] = record.exc_text
//!         if record.stack_info:
//!             d["stack_info"] = self.formatStack(record.stack_info)
//!         return json.dumps(d)
//! ```
//!
//! where `STANDARD` is the attribute set of a fresh `LogRecord` plus `message` and `asctime`
//! ([`RECORD_ATTRIBUTES`](super::record::RECORD_ATTRIBUTES)). So: the chosen `keys` in their order, then the record's extras
//! in insertion order, then the traceback text as `"exc_info"` and the stack as
//! `"stack_info"` (strings) when the record has them — in place if `keys` names them.
//!
//! The encoding is `json.dumps`'s defaults exactly: separators `", "` and `": "`,
//! `ensure_ascii=True` (`\uXXXX`, surrogate pairs for astral characters), `allow_nan=True`
//! (`NaN`, `Infinity`, `-Infinity`), floats as `repr(float)`, tuples as arrays, dict keys
//! that are `int`/`float`/`bool`/`None` converted to strings as `json.dumps` converts them.
//!
//! Errors are CPython's, reported through the handler's `handleError`:
//! a key the record lacks is `AttributeError: 'LogRecord' object has no attribute 'k'`; an
//! object [`Value::Object`] is `TypeError: Object of type X is not JSON serializable`
//! (unless a [`JsonDefault`] hook — `json.dumps(default=...)` — turns it into a value); a dict
//! key of another type is `TypeError: keys must be str, int, float, bool or None, not
//! tuple`; nesting deeper than 500 levels stands in for CPython's `RecursionError` (a
//! `RuntimeError` here).

use std::cell::Cell;
use std::rc::Rc;

use super::error::{Error, ErrorKind, Result};
use super::formatter::{Converter, Formatter, RecordFormatter};
use super::pool;
use super::pyfmt::repr::{dict_entries, keys_equal};
use super::pyfmt::{float_repr, push_int};
use super::record::{is_record_attribute, LogRecord};
use super::value::{PyObject, Text, Value};

/// Deepest nesting encoded before giving up (CPython would raise `RecursionError`).
const MAX_DEPTH: usize = 500;

/// `json.dumps(default=...)`: turns an object `json` cannot encode into a value it can, or
/// fails (CPython's default raises `TypeError: Object of type X is not JSON serializable`).
pub type JsonDefault = Rc<dyn Fn(&Rc<dyn PyObject>) -> Result<Value>>;

/// The CPython recipe's default `keys`.
pub const DEFAULT_KEYS: &[&str] = &["asctime", "name", "levelname", "message"];

/// One output key, its JSON spelling precomputed (`"name": `).
#[derive(Clone, Debug)]
struct Key {
    name: Text,
    /// `, "name": ` (the separator is dropped for the first key).
    prefix: String,
}

impl Key {
    fn new(name: Text) -> Self {
        let mut prefix = String::with_capacity(name.len() + 6);
        prefix.push_str(", ");
        write_json_str(&name, &mut prefix);
        prefix.push_str(": ");
        Key { name, prefix }
    }
}

/// A formatter producing one JSON object per record (see the module docs for the exact
/// CPython recipe it matches).
#[derive(Clone)]
pub struct JsonFormatter {
    /// The keys, first occurrences only (a dict comprehension keeps one entry per key).
    keys: Vec<Key>,
    extra: bool,
    uses_time: bool,
    has_exc_key: bool,
    has_stack_key: bool,
    /// `formatTime` / `formatException` / `formatStack`, and `datefmt`, `converter`,
    /// `default_time_format`, `default_msec_format`: the base `Formatter`'s.
    base: Formatter,
    default: Option<JsonDefault>,
    /// The last output's length, to size the next one's buffer in one allocation.
    last_len: Cell<usize>,
}

impl std::fmt::Debug for JsonFormatter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonFormatter")
            .field("keys", &self.keys())
            .field("extra", &self.extra)
            .field("datefmt", &self.base.datefmt())
            .field("converter", &self.base.converter)
            .finish_non_exhaustive()
    }
}

impl Default for JsonFormatter {
    /// `JsonFormatter()`: `asctime`, `name`, `levelname`, `message`, and the extras.
    fn default() -> Self {
        JsonFormatter::builder().build()
    }
}

/// Builds a [`JsonFormatter`].
#[derive(Clone)]
pub struct JsonFormatterBuilder {
    keys: Vec<Text>,
    extra: bool,
    datefmt: Option<Text>,
    converter: Converter,
    default_time_format: Option<Text>,
    default_msec_format: Option<Option<Text>>,
    default: Option<JsonDefault>,
}

impl JsonFormatterBuilder {
    /// The record attributes to output, in order (CPython names: `levelname`, `funcName`,
    /// `message`, `asctime`, extras' names …). Default [`DEFAULT_KEYS`].
    pub fn keys<K: Into<Text>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.keys = keys.into_iter().map(Into::into).collect();
        self
    }
    /// Whether the record's extras follow the keys (default `true`).
    pub fn extra(mut self, extra: bool) -> Self {
        self.extra = extra;
        self
    }
    /// `datefmt` for `asctime` (empty is none, as in CPython).
    pub fn datefmt(mut self, datefmt: impl Into<Text>) -> Self {
        self.datefmt = Some(datefmt.into());
        self
    }
    /// The converter (`Converter::Utc` is `converter = time.gmtime`).
    pub fn converter(mut self, converter: Converter) -> Self {
        self.converter = converter;
        self
    }
    /// `default_time_format` (`'%Y-%m-%d %H:%M:%S'`).
    pub fn default_time_format(mut self, fmt: impl Into<Text>) -> Self {
        self.default_time_format = Some(fmt.into());
        self
    }
    /// `default_msec_format` (`'%s,%03d'`); `None` leaves milliseconds out.
    pub fn default_msec_format(mut self, fmt: Option<Text>) -> Self {
        self.default_msec_format = Some(fmt);
        self
    }
    /// `json.dumps(default=...)`: called for each [`Value::Object`]; its result is encoded
    /// in the object's place.
    pub fn default(mut self, default: JsonDefault) -> Self {
        self.default = Some(default);
        self
    }
    /// The formatter.
    pub fn build(self) -> JsonFormatter {
        let mut b = Formatter::builder().converter(self.converter);
        if let Some(d) = self.datefmt {
            b = b.datefmt(d);
        }
        // The default `%(message)s` format always validates.
        let mut base = b.build().unwrap_or_default();
        base.converter = self.converter;
        if let Some(f) = self.default_time_format {
            base.default_time_format = f;
        }
        if let Some(f) = self.default_msec_format {
            base.default_msec_format = f;
        }
        let mut keys: Vec<Key> = Vec::with_capacity(self.keys.len());
        for k in self.keys {
            if !keys.iter().any(|e| e.name == k) {
                keys.push(Key::new(k));
            }
        }
        let has = |n: &str| keys.iter().any(|k| k.name.as_str() == n);
        JsonFormatter {
            uses_time: has("asctime"),
            has_exc_key: has("exc_info"),
            has_stack_key: has("stack_info"),
            keys,
            extra: self.extra,
            base,
            default: self.default,
            last_len: Cell::new(128),
        }
    }
}

impl JsonFormatter {
    /// A builder with the recipe's defaults.
    pub fn builder() -> JsonFormatterBuilder {
        JsonFormatterBuilder {
            keys: DEFAULT_KEYS.iter().map(|k| Text::Static(k)).collect(),
            extra: true,
            datefmt: None,
            converter: Converter::Local,
            default_time_format: None,
            default_msec_format: None,
            default: None,
        }
    }

    /// `JsonFormatter(keys)` with the extras, local time and no `datefmt`.
    pub fn new<K: Into<Text>>(keys: impl IntoIterator<Item = K>) -> Self {
        JsonFormatter::builder().keys(keys).build()
    }

    /// The keys, in output order (duplicates removed).
    pub fn keys(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.name.as_str()).collect()
    }

    /// Whether extras are output.
    pub fn extra(&self) -> bool {
        self.extra
    }

    /// `datefmt`.
    pub fn datefmt(&self) -> Option<&str> {
        self.base.datefmt()
    }

    /// Whether `asctime` is among the keys (and so computed for each record).
    pub fn uses_time(&self) -> bool {
        self.uses_time
    }

    /// The base formatter providing `formatTime`, `formatException` and `formatStack`.
    pub fn base(&self) -> &Formatter {
        &self.base
    }

    fn write_value(&self, v: &Value, out: &mut String, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::RuntimeError,
                "maximum recursion depth exceeded while encoding a JSON object",
            ));
        }
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Int(i) => push_int(out, *i),
            Value::Float(f) => push_float(*f, out),
            Value::Str(s) => write_json_str(s, out),
            Value::List(items) | Value::Tuple(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_value(item, out, depth + 1)?;
                }
                out.push(']');
            }
            Value::Dict(items) => {
                out.push('{');
                if has_duplicate_keys(items) {
                    for (i, (k, val)) in dict_entries(items).into_iter().enumerate() {
                        self.write_entry(i, k, val, out, depth)?;
                    }
                } else {
                    for (i, (k, val)) in items.iter().enumerate() {
                        self.write_entry(i, k, val, out, depth)?;
                    }
                }
                out.push('}');
            }
            // An int beyond 64 bits is still an int to json.dumps.
            Value::Object(o) if o.as_big_int().is_some() => {
                out.push_str(&o.as_big_int().map(|b| b.to_decimal()).unwrap_or_default());
            }
            Value::Object(o) => match &self.default {
                Some(default) => {
                    let v = default(o)?;
                    self.write_value(&v, out, depth + 1)?;
                }
                None => return Err(not_serializable(o.type_name())),
            },
        }
        Ok(())
    }

    fn write_entry(
        &self,
        i: usize,
        k: &Value,
        v: &Value,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        if i > 0 {
            out.push_str(", ");
        }
        match k {
            Value::Str(s) => write_json_str(s, out),
            // json.dumps: float keys by float.__repr__ (NaN, Infinity), then true/false/null,
            // then int.__repr__; all written as JSON strings.
            Value::Float(f) => {
                out.push('"');
                push_float(*f, out);
                out.push('"');
            }
            Value::Bool(b) => out.push_str(if *b { "\"true\"" } else { "\"false\"" }),
            Value::None => out.push_str("\"null\""),
            Value::Int(n) => {
                out.push('"');
                push_int(out, *n);
                out.push('"');
            }
            other => {
                return Err(Error::type_error(format!(
                    "keys must be str, int, float, bool or None, not {}",
                    other.type_name()
                )))
            }
        }
        out.push_str(": ");
        self.write_value(v, out, depth + 1)
    }
}

impl RecordFormatter for JsonFormatter {
    fn format(&self, record: &mut LogRecord) -> Result<String> {
        record.merge_message()?;
        if self.uses_time {
            self.base.check_created(record.created)?;
            self.base.stamp_asctime(record, self.base.datefmt());
        }
        if let Some(exc) = &record.exc_info {
            // CPython: `if not record.exc_text` — an empty cached text is recomputed too.
            if record.exc_text.as_deref().is_none_or(str::is_empty) {
                record.exc_text = Some(Text::from(self.base.format_exception(exc)));
            }
        }
        match self.write_record(record) {
            Ok(out) => {
                self.last_len.set(out.len());
                Ok(out)
            }
            // CPython looks every key up (`getattr`) before `json.dumps` encodes anything:
            // a missing key wins over an encoding error met earlier in the output.
            Err(e) => match self
                .keys
                .iter()
                .find(|k| record.get_attr(&k.name).is_none())
            {
                Some(k) => Err(no_attribute(&k.name)),
                None => Err(e),
            },
        }
    }
}

impl JsonFormatter {
    /// The JSON text of a record whose `message`, `asctime` and `exc_text` are set.
    fn write_record(&self, record: &LogRecord) -> Result<String> {
        let exc_text = record.exc_text.clone().filter(|t| !t.is_empty());
        let stack = record.stack_info.clone().filter(|t| !t.is_empty());

        let mut out = pool::take_string();
        out.reserve(self.last_len.get() + 32);
        out.push('{');
        let mut first = true;
        let mut sep = |out: &mut String, prefix: &str| {
            out.push_str(if first { &prefix[2..] } else { prefix });
            first = false;
        };
        for key in &self.keys {
            sep(&mut out, &key.prefix);
            let name = key.name.as_str();
            // Direct paths for the common keys: no `Value` built.
            match name {
                "message" | "asctime" | "name" | "levelname" => {
                    let t = match name {
                        "message" => record.message.as_ref(),
                        "asctime" => record.asctime.as_ref(),
                        "name" => Some(&record.name),
                        _ => Some(&record.levelname),
                    };
                    match t {
                        Some(t) => write_json_str(t, &mut out),
                        None => return Err(no_attribute(name)),
                    }
                }
                "exc_info" if exc_text.is_some() => {
                    write_json_str(exc_text.as_deref().unwrap_or_default(), &mut out)
                }
                "stack_info" if stack.is_some() => {
                    let s = self.base.format_stack(stack.as_deref().unwrap_or_default());
                    write_json_str(&s, &mut out)
                }
                _ => match record.get_attr(name) {
                    Some(v) => self.write_value(&v, &mut out, 1)?,
                    None => return Err(no_attribute(name)),
                },
            }
        }
        if self.extra {
            for (k, v) in &record.extra {
                let k = k.as_str();
                if is_record_attribute(k) || self.keys.iter().any(|e| e.name == *k) {
                    continue;
                }
                sep(&mut out, ", ");
                write_json_str(k, &mut out);
                out.push_str(": ");
                self.write_value(v, &mut out, 1)?;
            }
        }
        if let Some(t) = exc_text.as_deref().filter(|_| !self.has_exc_key) {
            sep(&mut out, ", ");
            out.push_str("\"exc_info\": ");
            write_json_str(t, &mut out);
        }
        if let Some(s) = stack.as_deref().filter(|_| !self.has_stack_key) {
            sep(&mut out, ", ");
            out.push_str("\"stack_info\": ");
            write_json_str(&self.base.format_stack(s), &mut out);
        }
        out.push('}');
        Ok(out)
    }
}

/// `AttributeError: 'LogRecord' object has no attribute 'k'` (what `getattr` raises).
fn no_attribute(name: &str) -> Error {
    Error::new(
        ErrorKind::AttributeError,
        format!("'LogRecord' object has no attribute '{name}'"),
    )
}

/// `TypeError: Object of type X is not JSON serializable`.
pub fn not_serializable(type_name: &str) -> Error {
    Error::type_error(format!(
        "Object of type {type_name} is not JSON serializable"
    ))
}

/// Whether a dict's item list has two keys Python would consider equal (`1` and `True`, a
/// repeated string), so that the dict Python holds has fewer entries.
fn has_duplicate_keys(items: &[(Value, Value)]) -> bool {
    if items.len() < 2 {
        return false;
    }
    if items.len() > 16 {
        // Let the hashing path decide.
        return dict_entries(items).len() != items.len();
    }
    items
        .iter()
        .enumerate()
        .any(|(i, (k, _))| items[..i].iter().any(|(b, _)| keys_equal(b, k)))
}

/// `json`'s float encoding: `NaN`, `Infinity`, `-Infinity`, else `float.__repr__`.
fn push_float(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        out.push_str(&float_repr(f));
    }
}

/// Appends `s` as a JSON string with `ensure_ascii=True`, as CPython's
/// `py_encode_basestring_ascii` writes it: printable ASCII as is except `"` and `\`;
/// `\n \r \t \b \f` by name; everything else `\u00XX` / `\uXXXX` (lower-case hex), astral
/// characters as a surrogate pair.
pub fn write_json_str(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&s[start..i]);
        if b < 0x80 {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                _ => push_u_escape(u32::from(b), out),
            }
            i += 1;
        } else {
            // A multi-byte character: decode it from the (valid UTF-8) str.
            let c = s[i..].chars().next().unwrap_or('\u{fffd}');
            let cp = c as u32;
            if cp >= 0x10000 {
                let v = cp - 0x10000;
                push_u_escape(0xd800 | (v >> 10), out);
                push_u_escape(0xdc00 | (v & 0x3ff), out);
            } else {
                push_u_escape(cp, out);
            }
            i += c.len_utf8();
        }
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// `\uXXXX`, lower-case hex.
fn push_u_escape(cp: u32, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((cp >> shift) & 0xf) as usize]));
    }
}

/// `json.dumps(value)` with the default settings (no `default` hook).
pub fn dumps(value: &Value) -> Result<String> {
    let f = JsonFormatter::builder().keys(Vec::<Text>::new()).build();
    let mut out = String::new();
    f.write_value(value, &mut out, 0)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &Value) -> String {
        dumps(v).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn scalars_match_json_dumps() {
        assert_eq!(d(&Value::None), "null");
        assert_eq!(d(&Value::Bool(true)), "true");
        assert_eq!(d(&Value::Int(i64::MIN)), "-9223372036854775808");
        assert_eq!(d(&Value::Float(1.0)), "1.0");
        assert_eq!(d(&Value::Float(-0.0)), "-0.0");
        assert_eq!(d(&Value::Float(1e16)), "1e+16");
        assert_eq!(d(&Value::Float(1e15)), "1000000000000000.0");
        assert_eq!(d(&Value::Float(1e-7)), "1e-07");
        assert_eq!(d(&Value::Float(f64::NAN)), "NaN");
        assert_eq!(d(&Value::Float(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(
            d(&Value::from("a\"\\\n\u{8}\u{c}\u{1}\u{7f}é😀")),
            r#""a\"\\\n\b\f\u0001\u007f\u00e9\ud83d\ude00""#
        );
    }

    #[test]
    fn dict_keys_are_converted_and_deduplicated() {
        let v = Value::Dict(Rc::new(vec![
            (Value::Int(1), Value::from("a")),
            (Value::Bool(true), Value::from("b")),
            (Value::None, Value::list([Value::Int(1)])),
            (Value::Float(1.5), Value::tuple([])),
        ]));
        assert_eq!(d(&v), r#"{"1": "b", "null": [1], "1.5": []}"#);
        let bad = Value::Dict(Rc::new(vec![(Value::tuple([]), Value::None)]));
        assert_eq!(
            d(&bad),
            "TypeError: keys must be str, int, float, bool or None, not tuple"
        );
    }
}
