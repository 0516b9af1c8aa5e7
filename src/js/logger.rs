//! `JsLogger`: the exported handle on a core `Logger`, and the two entry points of a log
//! call (a fast one for a string message without options, a full one for the rest).

use wasm_bindgen::prelude::*;

use super::convert;
use super::errors::{level_from_js, to_js_error};
use super::externs;
use super::filter::JsFilter;
use super::handlers::{id_of, JsHandler};
use super::host;
use crate::core::logger::{LogOptions, Logger};
use crate::core::manager::default_manager;
use crate::core::record::Location;
use crate::core::value::{Text, Value};

/// `logging.Logger`.
#[wasm_bindgen]
pub struct JsLogger(Logger);

/// The caller as the wrapper found it, or CPython's "unknown" placeholders.
fn location(pathname: Option<String>, lineno: u32, func_name: Option<String>) -> Location {
    match pathname {
        Some(p) => Location {
            pathname: Text::from(p),
            lineno,
            func_name: func_name.map_or(Text::Static("(unknown function)"), Text::from),
        },
        None => Location::unknown(),
    }
}

/// Splits `text` after `units` UTF-16 code units (JS string lengths): the byte offset.
fn utf16_offset(text: &str, ascii: bool, units: usize) -> usize {
    if ascii {
        return units.min(text.len());
    }
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if count >= units {
            return i;
        }
        count += c.len_utf16();
    }
    text.len()
}

/// The message and primitive arguments packed by the wrapper: `text` is the message and every
/// string argument concatenated; `spec` is `[message length, (kind, value)…]` with kind 0 a
/// string of `value` UTF-16 units (JS lengths; the wrapper never splits a surrogate pair) and
/// kind 1 the number `value`.
fn unpack(text: &str, spec: &[f64]) -> (Value, Vec<Value>) {
    let mut rest = text;
    let ascii = text.is_ascii();
    let mut take = |units: f64| -> Text {
        let at = utf16_offset(rest, ascii, units.max(0.0) as usize);
        let (head, tail) = rest.split_at(at);
        rest = tail;
        Text::from(head.to_owned())
    };
    let msg = Value::Str(take(spec.first().copied().unwrap_or(0.0)));
    let mut args = Vec::with_capacity(spec.len() / 2);
    for pair in spec.get(1..).unwrap_or(&[]).chunks_exact(2) {
        args.push(if pair[0] == 0.0 {
            Value::Str(take(pair[1]))
        } else {
            convert::number(pair[1])
        });
    }
    (msg, args)
}

fn args_to_values(args: Option<Box<[JsValue]>>) -> Vec<Value> {
    args.map_or_else(Vec::new, |a| a.iter().map(convert::to_value).collect())
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen]
impl JsLogger {
    /// `logging.getLogger(name)`: no name, `""` or `"root"` give the root logger.
    pub fn get(name: Option<String>) -> JsLogger {
        JsLogger(default_manager().get_logger_or_root(name.as_deref()))
    }

    /// The logger's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_owned()
    }

    /// Whether this is the root logger.
    #[wasm_bindgen(getter, js_name = isRoot)]
    pub fn is_root(&self) -> bool {
        self.0.is_root()
    }

    /// The parent's name (`None` for the root; `"root"` for the root's children).
    #[wasm_bindgen(getter, js_name = parentName)]
    pub fn parent_name(&self) -> Option<String> {
        self.0.parent().map(|p| p.name().to_owned())
    }

    /// The level set on this logger.
    #[wasm_bindgen(getter)]
    pub fn level(&self) -> i32 {
        self.0.level()
    }

    /// `setLevel(level)`: a number or a registered name.
    #[wasm_bindgen(js_name = setLevel)]
    pub fn set_level(&self, level: JsValue) -> Result<(), JsValue> {
        let level = level_from_js(&level).map_err(|e| to_js_error(&e))?;
        self.0.set_level(level).map_err(|e| to_js_error(&e))
    }

    /// `getEffectiveLevel()`.
    #[wasm_bindgen(js_name = getEffectiveLevel)]
    pub fn get_effective_level(&self) -> i32 {
        self.0.get_effective_level()
    }

    /// The lowest level `isEnabledFor` accepts right now (`i32::MAX` when disabled): what
    /// the wrapper caches to answer level checks without crossing into Wasm.
    pub fn threshold(&self) -> i32 {
        if self.0.disabled() {
            return i32::MAX;
        }
        let disable = default_manager().disabled_level();
        self.0.get_effective_level().max(disable.saturating_add(1))
    }

    /// `propagate`.
    #[wasm_bindgen(getter)]
    pub fn propagate(&self) -> bool {
        self.0.propagate()
    }

    /// Sets `propagate`.
    #[wasm_bindgen(setter)]
    pub fn set_propagate(&self, on: bool) {
        self.0.set_propagate(on);
    }

    /// `disabled`.
    #[wasm_bindgen(getter)]
    pub fn disabled(&self) -> bool {
        self.0.disabled()
    }

    /// Sets `disabled`.
    #[wasm_bindgen(setter)]
    pub fn set_disabled(&self, on: bool) {
        self.0.set_disabled(on);
    }

    /// `addHandler(handler)`.
    #[wasm_bindgen(js_name = addHandler)]
    pub fn add_handler(&self, handler: &JsHandler) {
        self.0.add_handler(handler.handler().clone());
    }

    /// `removeHandler(handler)`.
    #[wasm_bindgen(js_name = removeHandler)]
    pub fn remove_handler(&self, handler: &JsHandler) {
        self.0.remove_handler(handler.handler());
    }

    /// The ids of this logger's handlers, in order.
    #[wasm_bindgen(js_name = handlerIds)]
    pub fn handler_ids(&self) -> Vec<u32> {
        self.0.handlers().iter().map(id_of).collect()
    }

    /// `hasHandlers()`.
    #[wasm_bindgen(js_name = hasHandlers)]
    pub fn has_handlers(&self) -> bool {
        self.0.has_handlers()
    }

    /// `addFilter(filter)`.
    #[wasm_bindgen(js_name = addFilter)]
    pub fn add_filter(&self, filter: &JsFilter) {
        self.0.add_filter(filter.filter());
    }

    /// `removeFilter(filter)`.
    #[wasm_bindgen(js_name = removeFilter)]
    pub fn remove_filter(&self, filter: &JsFilter) {
        self.0.remove_filter(&filter.filter());
    }

    /// `handle(record)` for a record object (as a handler receives it, possibly changed, or
    /// from `makeLogRecord`): the logger's filters, then its handlers and its ancestors'.
    pub fn handle(&self, record: JsValue) {
        let mut r = super::formatter::record_from_js(&record);
        self.0.handle(&mut r);
    }

    /// The fast path: a string message, `%`-arguments, no options. One crossing; the
    /// message is copied into Wasm memory by wasm-bindgen's string passing.
    pub fn log(
        &self,
        level: i32,
        msg: &str,
        args: Option<Box<[JsValue]>>,
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
    ) {
        if self.0.is_enabled_for(level) {
            self.0.log_at(
                level,
                Value::Str(Text::from(msg.to_owned())),
                args_to_values(args),
                LogOptions::default(),
                location(pathname, lineno, func_name),
            );
        }
    }

    /// The packed fast path: a string message and only string or number arguments, as one
    /// UTF-8 buffer (encoded by the engine's `TextEncoder`) and one `Float64Array` (see
    /// `unpack`) — two copies into Wasm memory, instead of wasm-bindgen's per-character
    /// string copy plus an externref per argument that Wasm then reads back through JS.
    #[wasm_bindgen(js_name = logPacked)]
    pub fn log_packed(
        &self,
        level: i32,
        utf8: &[u8],
        spec: &[f64],
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
    ) {
        if self.0.is_enabled_for(level) {
            // `from_utf8` skips ASCII a word at a time; the lossy path only for bad input.
            let text = match std::str::from_utf8(utf8) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(utf8),
            };
            let (msg, args) = unpack(&text, spec);
            self.0.log_at(
                level,
                msg,
                args,
                LogOptions::default(),
                location(pathname, lineno, func_name),
            );
        }
    }

    /// The full path: any message value and `opts` = `{extra, exc, stack}` where `exc` is the
    /// wrapper's description of an error and `stack` the rendered caller stack.
    #[wasm_bindgen(js_name = logFull)]
    #[allow(clippy::too_many_arguments)]
    pub fn log_full(
        &self,
        level: i32,
        msg: JsValue,
        args: Option<Box<[JsValue]>>,
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
        opts: JsValue,
    ) {
        if !self.0.is_enabled_for(level) {
            return;
        }
        let mut options = LogOptions::default();
        let mut stack = None;
        if externs::is_object(&opts) {
            options.extra = convert::fields_from_js(&get(&opts, "extra"));
            options.exc_info = convert::exception_from_js(&get(&opts, "exc"));
            stack = get(&opts, "stack").as_string();
            options.stack_info = stack.is_some();
        }
        let msg = convert::to_value(&msg);
        let args = args_to_values(args);
        let loc = location(pathname, lineno, func_name);
        host::with_stack(stack, || self.0.log_at(level, msg, args, options, loc));
    }
}
