//! `JsLogger`: the exported handle on a core `Logger`, and the two entry points of a log
//! call (a fast one for a string message without options, a full one for the rest).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::convert;
use super::errors::{level_from_js, to_js_error};
use super::externs;
use super::filter::JsFilter;
use super::handlers::{id_of, JsHandler};
use super::host;
use crate::core::logger::{LogOptions, Logger};
use crate::core::manager::default_manager;
use crate::core::pool;
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

/// Values packed by the wrapper: `text` holds every string (the message, string arguments,
/// `extra` keys and string values) concatenated; `spec` describes them in order. Lengths are
/// in UTF-16 units (JS lengths; the wrapper never splits a surrogate pair). A value is a
/// `(kind, x)` pair: kind 0 a string of `x` units, 1 the number `x`, 2 a boolean (`x` 0 or
/// 1), 3 `null`, 4 `undefined`, 6 an array of `x` values that follow, 7 a plain object of `x`
/// entries that follow, each a key length then a value. Every value converts to exactly the
/// core value [`convert::to_value`] gives for it.
struct Packed<'a> {
    rest: &'a str,
    ascii: bool,
    spec: &'a [f64],
    at: usize,
}

impl Packed<'_> {
    fn num(&mut self) -> f64 {
        let v = self.spec.get(self.at).copied().unwrap_or(0.0);
        self.at += 1;
        v
    }

    /// How many items a count claims, bounded by what is left of `spec`.
    fn count(&mut self) -> usize {
        (self.num().max(0.0) as usize).min(self.spec.len().saturating_sub(self.at))
    }

    fn text(&mut self) -> Text {
        let units = self.num().max(0.0) as usize;
        let at = utf16_offset(self.rest, self.ascii, units);
        let (head, tail) = self.rest.split_at(at);
        self.rest = tail;
        Text::Shared(std::rc::Rc::from(head))
    }

    /// [`text`](Self::text) for strings that recur call after call (the message template,
    /// `extra` keys): interned, so a repeat costs no allocation.
    fn recurring_text(&mut self) -> Text {
        let units = self.num().max(0.0) as usize;
        let at = utf16_offset(self.rest, self.ascii, units);
        let (head, tail) = self.rest.split_at(at);
        self.rest = tail;
        pool::intern(head)
    }

    fn value(&mut self) -> Value {
        let kind = self.num();
        match kind as u8 {
            0 => Value::Str(self.text()),
            1 => convert::number(self.num()),
            2 => convert::js_bool(self.num() != 0.0),
            3 => {
                self.at += 1;
                convert::js_null()
            }
            4 => {
                self.at += 1;
                convert::js_undefined()
            }
            6 => {
                let n = self.count();
                let items: Vec<Value> = (0..n).map(|_| self.value()).collect();
                Value::list(items)
            }
            7 => {
                let n = self.count();
                Value::Dict(std::rc::Rc::new(self.fields(n, Value::Str)))
            }
            _ => {
                self.at += 1;
                Value::None
            }
        }
    }

    /// `n` entries (a key length, then a value), keys made into `K` by `key`.
    /// `n` `extra` entries, in a reused vector.
    fn extra(&mut self, n: usize) -> Vec<(Text, Value)> {
        let mut out = pool::take_fields();
        for _ in 0..n {
            let k = self.recurring_text();
            out.push((k, self.value()));
        }
        out
    }

    fn fields<K>(&mut self, n: usize, key: impl Fn(Text) -> K) -> Vec<(K, Value)> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let k = key(self.recurring_text());
            out.push((k, self.value()));
        }
        out
    }
}

/// The message, `nargs` arguments and (when `nextra` is not negative) `nextra` `extra`
/// entries, unpacked (see [`Packed`]).
fn unpack(mut p: Packed<'_>, nargs: usize, nextra: i32) -> (Value, Vec<Value>, Vec<(Text, Value)>) {
    let spec = p.spec;
    // A negative first number is a template the wrapper registered (`intern_message`).
    let msg = match spec.first() {
        Some(&first) if first < 0.0 => {
            p.at = 1;
            Value::Str(message_by_id((-1.0 - first) as usize))
        }
        _ => Value::Str(p.recurring_text()),
    };
    let nargs = nargs.min(spec.len() / 2);
    let mut args = pool::take_values();
    args.extend((0..nargs).map(|_| p.value()));
    let extra = if nextra > 0 {
        let n = (nextra as usize).min(spec.len());
        p.extra(n)
    } else if nextra <= -3 {
        // Entries the wrapper stored earlier (`store_extra`), the same object again.
        let slot = (-3 - i64::from(nextra)) as usize;
        EXTRAS.with(|e| {
            let e = e.borrow();
            let mut out = pool::take_fields();
            if let Some(fields) = e.get(slot) {
                out.extend(fields.iter().cloned());
            }
            out
        })
    } else {
        Vec::new()
    };
    (msg, args, extra)
}

/// Templates [`JsLogger::intern_message`] registered, at most this many.
const MAX_MESSAGES: usize = 1024;

/// The template registered as `id` (an unknown id, which the wrapper never sends, is `""`).
fn message_by_id(id: usize) -> Text {
    MESSAGES.with(|m| m.borrow().get(id).cloned().unwrap_or_default())
}

/// Slots for `extra` objects the wrapper sends by number (see `store_extra`).
const EXTRA_SLOTS: usize = 64;

/// `f` on the call the wrapper packed into the buffers (`bytes` UTF-8 bytes, `specs`
/// numbers; see [`JsLogger::pack_buffers`]).
fn read_packed<R>(bytes: usize, specs: usize, f: impl FnOnce(Packed<'_>) -> R) -> R {
    PACK.with(|p| {
        let p = p.borrow();
        let utf8 = &p.0[..bytes.min(p.0.len())];
        let spec = &p.1[..specs.min(p.1.len())];
        // `from_utf8` skips ASCII a word at a time; the lossy path only for bad input.
        let text = match std::str::from_utf8(utf8) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(utf8),
        };
        f(Packed {
            rest: &text,
            ascii: text.is_ascii(),
            spec,
            at: 0,
        })
    })
}

thread_local! {
    /// The `extra` entries the wrapper stored by slot (see `store_extra`).
    static EXTRAS: RefCell<Vec<Vec<(Text, Value)>>> = const { RefCell::new(Vec::new()) };
    /// The message templates the wrapper sends by number (see `intern_message`).
    static MESSAGES: RefCell<Vec<Text>> = const { RefCell::new(Vec::new()) };
    /// Where the wrapper packs a call (see [`JsLogger::pack_buffers`]): UTF-8 bytes, and the
    /// numbers describing them.
    static PACK: RefCell<(Vec<u8>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
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
    pub fn level(&self) -> f64 {
        self.0.level() as f64
    }

    /// `setLevel(level)`: a number or a registered name.
    #[wasm_bindgen(js_name = setLevel)]
    pub fn set_level(&self, level: JsValue) -> Result<(), JsValue> {
        let level = level_from_js(&level).map_err(|e| to_js_error(&e))?;
        self.0.set_level(level).map_err(|e| to_js_error(&e))
    }

    /// `getEffectiveLevel()`.
    #[wasm_bindgen(js_name = getEffectiveLevel)]
    pub fn get_effective_level(&self) -> f64 {
        self.0.get_effective_level() as f64
    }

    /// The lowest level `isEnabledFor` accepts right now (`Infinity` when disabled): what
    /// the wrapper caches to answer level checks without crossing into Wasm. A double: JS
    /// levels are numbers, exact up to 2⁵³.
    pub fn threshold(&self) -> f64 {
        if self.0.disabled() {
            return f64::INFINITY;
        }
        let disable = default_manager().disabled_level();
        match disable.checked_add(1) {
            Some(above) => self.0.get_effective_level().max(above) as f64,
            // `disable(2**63 - 1)`: nothing is above it.
            None => f64::INFINITY,
        }
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
        level: f64,
        msg: &str,
        args: Option<Box<[JsValue]>>,
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
    ) {
        let level = level as i64; // checked by the wrapper: an integer in the 64-bit range
        if self.0.is_enabled_for(level) {
            self.0.log_at(
                level,
                Value::Str(pool::intern(msg)),
                args_to_values(args),
                LogOptions::default(),
                location(pathname, lineno, func_name),
            );
        }
    }

    /// Makes room for `bytes` UTF-8 bytes and `specs` numbers in the buffers the wrapper
    /// packs a call into, and returns `[bytes address, specs address, bytes room, specs room]`
    /// (addresses in Wasm memory, which [`memory`](Self::memory) gives). The wrapper writes
    /// there directly and calls [`log_shared`](Self::log_shared): no allocation and no copy
    /// per call. The addresses change only when this is called again.
    #[wasm_bindgen(js_name = packBuffers)]
    pub fn pack_buffers(bytes: usize, specs: usize) -> Vec<f64> {
        PACK.with(|p| {
            let mut p = p.borrow_mut();
            if p.0.len() < bytes {
                p.0.resize(bytes, 0);
            }
            if p.1.len() < specs {
                p.1.resize(specs, 0.0);
            }
            vec![
                p.0.as_ptr() as usize as f64,
                p.1.as_ptr() as usize as f64,
                p.0.len() as f64,
                p.1.len() as f64,
            ]
        })
    }

    /// Registers the message template `msg` and returns its number, which the wrapper then
    /// sends instead of the text (see `Packed`); -1 once [`MAX_MESSAGES`] are registered.
    #[wasm_bindgen(js_name = internMessage)]
    pub fn intern_message(msg: &str) -> i32 {
        MESSAGES.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= MAX_MESSAGES {
                return -1;
            }
            m.push(Text::from(msg.to_owned()));
            (m.len() - 1) as i32
        })
    }

    /// Stores the `nextra` entries of an `extra` object the wrapper packed into the buffers
    /// of [`pack_buffers`](Self::pack_buffers) (`bytes` UTF-8 bytes, `specs` numbers, laid
    /// out as `Packed`'s entries) in `slot` (0..64); later calls send `nextra = -3 - slot`
    /// instead of the entries, while the object is unchanged (the wrapper checks each call).
    /// False for a slot out of range.
    #[wasm_bindgen(js_name = storeExtra)]
    pub fn store_extra(slot: u32, bytes: usize, specs: usize, nextra: u32) -> bool {
        let slot = slot as usize;
        if slot >= EXTRA_SLOTS {
            return false;
        }
        let fields = read_packed(bytes, specs, |mut packed| {
            let n = (nextra as usize).min(packed.spec.len());
            packed.fields(n, |t| t)
        });
        EXTRAS.with(|e| {
            let mut e = e.borrow_mut();
            if e.len() <= slot {
                e.resize_with(slot + 1, Vec::new);
            }
            e[slot] = fields;
        });
        true
    }

    /// The instance's `WebAssembly.Memory`.
    pub fn memory() -> JsValue {
        wasm_bindgen::memory()
    }

    /// The packed path with `extra`: the wrapper packed the message, `nargs` arguments and
    /// `nextra` `extra` entries (-1: no `extra`; see `Packed`) into the buffers of
    /// [`pack_buffers`](Self::pack_buffers), `bytes` UTF-8 bytes and `specs` numbers.
    /// Arguments and extra values may be any plain data (strings, numbers, booleans, `null`,
    /// `undefined`, arrays and plain objects), converted exactly as the full path converts
    /// them.
    #[wasm_bindgen(js_name = logShared)]
    #[allow(clippy::too_many_arguments)]
    pub fn log_shared(
        &self,
        level: f64,
        bytes: usize,
        specs: usize,
        nargs: u32,
        nextra: i32,
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
    ) {
        let level = level as i64; // checked by the wrapper: an integer in the 64-bit range
        if !self.0.is_enabled_for(level) {
            return;
        }
        // Everything is copied out before any handler runs (a handler may log again, and
        // that call packs into the same buffers).
        let (msg, args, extra) = read_packed(bytes, specs, |packed| {
            unpack(packed, nargs as usize, nextra)
        });
        let options = LogOptions {
            extra,
            ..LogOptions::default()
        };
        self.0.log_at(
            level,
            msg,
            args,
            options,
            location(pathname, lineno, func_name),
        );
    }

    /// [`log_shared`](Self::log_shared) for the wrapper's common call: `nargs` arguments and
    /// a template (no `extra`, no caller location). Only numbers cross, so the binding's
    /// wrapper is a single call.
    #[wasm_bindgen(js_name = logPlain)]
    pub fn log_plain(&self, level: f64, bytes: usize, specs: usize, nargs: u32) {
        self.log_shared(level, bytes, specs, nargs, -1, None, 0, None);
    }

    /// The full path: any message value and `opts` = `{extra, exc, stack}` where `exc` is the
    /// wrapper's description of an error and `stack` the rendered caller stack.
    #[wasm_bindgen(js_name = logFull)]
    #[allow(clippy::too_many_arguments)]
    pub fn log_full(
        &self,
        level: f64,
        msg: JsValue,
        args: Option<Box<[JsValue]>>,
        pathname: Option<String>,
        lineno: u32,
        func_name: Option<String>,
        opts: JsValue,
    ) {
        let level = level as i64; // checked by the wrapper: an integer in the 64-bit range
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
