//! Every JavaScript function the bindings call, in one place. The helpers live in
//! `glue.js` next to this file (copied into the package by wasm-bindgen as a snippet); none
//! of them throws, so none needs `catch`. User callbacks are called through
//! `js_sys::Function::call*`, which do catch.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/glue.js")]
extern "C" {
    /// The kind of a value (`convert::Tag`), in one call.
    #[wasm_bindgen(js_name = tagOf)]
    pub fn tag_of(v: &JsValue) -> u8;

    /// `String(v)` that never throws; an `Error` gives its message.
    #[wasm_bindgen(js_name = strOf)]
    pub fn str_of(v: &JsValue) -> String;

    /// A `repr()` for objects Python has no spelling for.
    #[wasm_bindgen(js_name = reprOf)]
    pub fn repr_of(v: &JsValue) -> String;

    /// Own enumerable entries of a plain object, flattened `[k0, v0, …]`.
    #[wasm_bindgen(js_name = entriesOf)]
    pub fn entries_of(v: &JsValue) -> js_sys::Array;

    /// The constructor's name, or `typeof`.
    #[wasm_bindgen(js_name = typeNameOf)]
    pub fn type_name_of(v: &JsValue) -> String;

    /// The number behind a `Date` or `Number` object, else `NaN`.
    #[wasm_bindgen(js_name = numberOf)]
    pub fn number_of(v: &JsValue) -> f64;

    /// Milliseconds since the epoch, sub-millisecond where `performance.now()` allows.
    #[wasm_bindgen(js_name = nowMs)]
    pub fn now_ms() -> f64;

    /// `new Date(ms).getTimezoneOffset()`: minutes west of UTC.
    #[wasm_bindgen(js_name = tzOffsetMinutes)]
    pub fn tz_offset_minutes(ms: f64) -> i32;

    /// The short zone name at `ms`, from `Intl`.
    #[wasm_bindgen(js_name = tzName)]
    pub fn tz_name(ms: f64) -> String;

    /// Gives the glue the instance's memory, where [`call_line`] and the other `…At`
    /// functions read formatted lines.
    #[wasm_bindgen(js_name = setLineMemory)]
    pub fn set_line_memory(memory: &JsValue);

    /// `f(line)` for the UTF-8 line of `len` bytes at `ptr` in Wasm memory, decoded once in
    /// JS (`ascii`: every byte below 0x80). False if `f` threw: [`take_line_error`] has it.
    #[wasm_bindgen(js_name = callLine)]
    pub fn call_line(f: &js_sys::Function, ptr: u32, len: u32, ascii: bool) -> bool;

    /// `f(line, record)`, as [`call_line`].
    #[wasm_bindgen(js_name = callLineRecord)]
    pub fn call_line_record(
        f: &js_sys::Function,
        ptr: u32,
        len: u32,
        ascii: bool,
        record: &JsValue,
    ) -> bool;

    /// What the last failed [`call_line`] / [`call_line_record`] caught.
    #[wasm_bindgen(js_name = takeLineError)]
    pub fn take_line_error() -> JsValue;

    /// `process.stdout.write(line)` (`fd` 1) or `process.stderr.write(line)` (`fd` 2) of the
    /// line at `ptr`, the stream looked up at each call; false if there is no such stream or
    /// it threw.
    #[wasm_bindgen(js_name = streamWriteAt)]
    pub fn stream_write_at(fd: u8, ptr: u32, len: u32, ascii: bool) -> bool;

    /// `console[method]('%s', line)` of the line at `ptr`, with an optional `%c` style and
    /// extra argument; false if the console threw.
    #[wasm_bindgen(js_name = consoleWriteAt)]
    pub fn console_write_at(
        method: u8,
        ptr: u32,
        len: u32,
        ascii: bool,
        style: Option<String>,
        extras: &JsValue,
    ) -> bool;

    /// A message object's parts (`BraceMessage` / `DollarMessage`): `[style, fmt, args,
    /// kwargs]`, or `null` for any other object.
    #[wasm_bindgen(js_name = messageOf)]
    pub fn message_of(v: &JsValue) -> JsValue;

    /// A record as a plain JS object (see `convert::record_to_js`).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = makeRecord)]
    pub fn make_record(
        name: JsValue,
        msg: JsValue,
        args: JsValue,
        levelname: JsValue,
        levelno: f64,
        pathname: JsValue,
        filename: JsValue,
        module: JsValue,
        lineno: u32,
        func_name: JsValue,
        created: f64,
        msecs: f64,
        relative_created: f64,
        thread: JsValue,
        thread_name: JsValue,
        process: JsValue,
        process_name: JsValue,
        task_name: JsValue,
        exc_info: JsValue,
        exc_text: JsValue,
        stack_info: JsValue,
        message: JsValue,
        asctime: JsValue,
        extra: js_sys::Array,
        snapshot: bool,
    ) -> JsValue;

    /// What changed on a record object since `make_record`, flattened `[k0, v0, …]`.
    #[wasm_bindgen(js_name = recordChanges)]
    pub fn record_changes(record: &JsValue) -> js_sys::Array;

    /// Whether `v` is a non-null object.
    #[wasm_bindgen(js_name = isObject)]
    pub fn is_object(v: &JsValue) -> bool;
}

thread_local! {
    /// Whether the glue has the instance's memory yet (see [`line`]).
    static LINE_MEMORY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `text`'s address, length and whether it is ASCII, for the glue's functions that read a
/// formatted line from Wasm memory ([`call_line`], [`stream_write_at`], …). The text must
/// stay where it is until that call returns (it is read synchronously, before anything else
/// runs).
pub fn line(text: &str) -> (u32, u32, bool) {
    LINE_MEMORY.with(|set| {
        if !set.get() {
            set_line_memory(&wasm_bindgen::memory());
            set.set(true);
        }
    });
    (text.as_ptr() as u32, text.len() as u32, text.is_ascii())
}
