//! `JsFormatter` over the core's `Formatter` (or its `JsonFormatter`), and formatters written
//! in JavaScript.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::convert;
use super::errors::to_js_error;
use super::externs;
use crate::core::error::Result;
use crate::core::formatter::{Converter, Formatter, RecordFormatter, Style};
use crate::core::jsonfmt::{not_serializable, JsonFormatter};
use crate::core::record::{Location, LogRecord};
use crate::core::value::{PyObject, Text, Value};

/// `logging.Formatter(fmt, datefmt, style, validate, defaults)`, or (built with
/// `JsFormatter.json`) the core's `JsonFormatter`; handlers take either the same way.
#[wasm_bindgen]
pub struct JsFormatter(Rc<Formatter>, Option<Rc<JsonFormatter>>);

impl JsFormatter {
    /// The core formatter, shareable by handlers.
    pub(crate) fn formatter(&self) -> Rc<dyn RecordFormatter> {
        // Only `JsFormatter.json` makes the JSON kind (not in the small module's build).
        #[cfg(feature = "full")]
        if let Some(json) = &self.1 {
            return json.clone();
        }
        self.0.clone()
    }
}

/// `json.dumps(default=...)` for the values JavaScript adds: `true`/`false` are JSON
/// booleans and `null`/`undefined` JSON `null`, as the equivalent Python values
/// (`True`, `None`) encode; any other object is CPython's `TypeError: Object of type X is
/// not JSON serializable`.
#[cfg_attr(not(feature = "full"), allow(dead_code))] // JsonFormatter only
fn js_json_default(obj: &Rc<dyn PyObject>) -> Result<Value> {
    match obj.type_name() {
        "boolean" => Ok(Value::Bool(obj.py_str()? == "true")),
        "null" | "undefined" => Ok(Value::None),
        other => Err(not_serializable(other)),
    }
}

#[wasm_bindgen]
impl JsFormatter {
    /// CPython's constructor; `utc` is `converter = time.gmtime`. Invalid formats throw
    /// CPython's `ValueError` (an `Error` named `ValueError`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        fmt: Option<String>,
        datefmt: Option<String>,
        style: Option<String>,
        validate: Option<bool>,
        defaults: JsValue,
        utc: Option<bool>,
    ) -> Result<JsFormatter, JsValue> {
        let style = match style.as_deref() {
            None => Style::Percent,
            Some(s) => Style::from_char(s).map_err(|e| to_js_error(&e))?,
        };
        let mut b = Formatter::builder()
            .style(style)
            .validate(validate.unwrap_or(true))
            .defaults(convert::fields_from_js(&defaults));
        if let Some(f) = fmt {
            b = b.fmt(f);
        }
        if let Some(d) = datefmt {
            b = b.datefmt(d);
        }
        if utc == Some(true) {
            b = b.converter(Converter::Utc);
        }
        b.build()
            .map(|f| JsFormatter(Rc::new(f), None))
            .map_err(|e| to_js_error(&e))
    }

    /// A JSON formatter (`JsonFormatter` in the core): one JSON object per record with the
    /// attributes `keys` in order, then the extras if `extra`, then `exc_info` /
    /// `stack_info` texts; `asctime` uses `datefmt` and UTC if `utc`.
    #[cfg(feature = "full")]
    pub fn json(keys: Vec<String>, extra: bool, datefmt: Option<String>, utc: bool) -> JsFormatter {
        let mut b = JsonFormatter::builder()
            .keys(keys)
            .extra(extra)
            .default(Rc::new(js_json_default));
        if let Some(d) = datefmt {
            b = b.datefmt(d);
        }
        if utc {
            b = b.converter(Converter::Utc);
        }
        let json = b.build();
        JsFormatter(Rc::new(json.base().clone()), Some(Rc::new(json)))
    }

    /// The format string (`_fmt`).
    #[wasm_bindgen(getter)]
    pub fn fmt(&self) -> String {
        self.0.fmt().to_owned()
    }

    /// `datefmt`.
    #[wasm_bindgen(getter)]
    pub fn datefmt(&self) -> Option<String> {
        self.0.datefmt().map(str::to_owned)
    }

    /// The style character.
    #[wasm_bindgen(getter)]
    pub fn style(&self) -> String {
        match self.0.style() {
            Style::Percent => "%",
            Style::Brace => "{",
            Style::Dollar => "$",
        }
        .to_owned()
    }

    /// `usesTime()`.
    #[wasm_bindgen(js_name = usesTime)]
    pub fn uses_time(&self) -> bool {
        match &self.1 {
            Some(json) => json.uses_time(),
            None => self.0.uses_time(),
        }
    }

    /// `format(record)` for a record object (as a callback or filter receives it). Errors
    /// throw, as CPython's `format` raises.
    pub fn format(&self, record: JsValue) -> Result<String, JsValue> {
        let mut r = record_from_js(&record);
        self.formatter().format(&mut r).map_err(|e| to_js_error(&e))
    }

    /// `formatTime(record, datefmt)`: `record.created` through the converter and
    /// `datefmt` (or the default format with milliseconds).
    #[wasm_bindgen(js_name = formatTime)]
    pub fn format_time(&self, record: JsValue, datefmt: Option<String>) -> String {
        let r = record_from_js(&record);
        self.0.format_time(&r, datefmt.as_deref())
    }

    /// `formatMessage(record)`: the style applied to the record's attributes (`message`
    /// and `asctime` as the record object has them). Throws CPython's `ValueError` for a
    /// field the record lacks.
    #[wasm_bindgen(js_name = formatMessage)]
    pub fn format_message(&self, record: JsValue) -> Result<String, JsValue> {
        let r = record_from_js(&record);
        self.0.format_message(&r).map_err(|e| to_js_error(&e))
    }

    /// `formatException(exc_info)` for the `Error` a record carries: the traceback of the
    /// exception it was logged as, or, for an error this package has not seen, of `desc`
    /// (the wrapper's description of it).
    #[wasm_bindgen(js_name = formatException)]
    pub fn format_exception(err: JsValue, desc: JsValue) -> String {
        convert::exception_for_js(&err)
            .or_else(|| convert::exception_from_js(&desc))
            .map_or_else(String::new, |exc| exc.format())
    }
}

/// A record rebuilt from a record object's own properties.
pub(crate) fn record_from_js(obj: &JsValue) -> LogRecord {
    let mut r = LogRecord::new(
        Text::Static("root"),
        0,
        Text::Static("NOTSET"),
        Location::unknown(),
        Value::Str(Text::Static("")),
        Vec::new(),
        None,
        0,
        0,
    );
    convert::apply_changes(&mut r, &externs::entries_of(obj));
    r
}

/// A formatter written in JavaScript: any object with a `format(record)` method (a JSON
/// formatter, a `Formatter` subclass such as the cookbook's one-line exception formatter).
/// The record has `message` already set, as `Formatter.format` sets it; what the formatter
/// sets on the record (`exc_text`, `asctime` …) stays on it for the handlers after this one,
/// as in CPython; a throw is reported through `handleError`.
pub(crate) struct JsFnFormatter(Function);

impl JsFnFormatter {
    /// A formatter calling `f(record)`.
    pub(crate) fn new(f: Function) -> Self {
        JsFnFormatter(f)
    }
}

impl RecordFormatter for JsFnFormatter {
    fn format(&self, record: &mut LogRecord) -> Result<String> {
        record.message = Some(Text::from(record.get_message()?));
        let obj = convert::record_to_js(record, true);
        let out = self
            .0
            .call1(&JsValue::UNDEFINED, &obj)
            .map_err(|e| convert::error_from_js(&e))?;
        convert::apply_changes(record, &externs::record_changes(&obj));
        Ok(out.as_string().unwrap_or_else(|| externs::str_of(&out)))
    }
}
