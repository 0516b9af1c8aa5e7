//! `dictConfig` for JavaScript: a plain object turned into the core's configuration tree and
//! applied by the core's engine; factories that call back into JavaScript; handler names;
//! the queue listeners' pump.
//!
//! A JavaScript factory hands what it built back through one of the `stash*` functions
//! (typed wasm-bindgen arguments, so no downcasting from a `JsValue`): the core calls the
//! wrapper's adapter, the adapter calls the user's function, checks what it returned against
//! the section and stashes the raw object; the Rust factory then takes it from the stash.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::externs;
use super::filter::JsFilter;
use super::formatter::{JsFnFormatter, JsFormatter};
use super::handlers::{id_of, JsHandler};
use crate::core::config::{self, Built, ConfigError, Factory, FactoryKind};
use crate::core::handler::{get_handler_by_name, get_handler_names};
use crate::core::handlers::queue;
use crate::core::value::{Text, Value};

thread_local! {
    /// What the JavaScript factory running now has built (see the module docs).
    static STASH: RefCell<Option<Built>> = const { RefCell::new(None) };
}

/// Hands what a JavaScript factory built to the factory running now.
pub(crate) fn stash_built(built: Built) {
    STASH.with(|s| *s.borrow_mut() = Some(built));
}

fn take_stash() -> Option<Built> {
    STASH.with(|s| s.borrow_mut().take())
}

/// A refused configuration as a JS exception: an `Error` named `ValueError` (CPython's
/// `dictConfig` raises `ValueError`) whose message is the core's and whose `path` is the
/// offending value's dotted path (`"handlers.m.capacity"`).
fn config_error_to_js(e: &ConfigError) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name("ValueError");
    let _ = Reflect::set(
        &err,
        &JsValue::from_str("path"),
        &JsValue::from_str(e.path()),
    );
    err.into()
}

/// `logging.config.dictConfig(config)` for a plain object (keys in their order). Throws on a
/// refused configuration, which then changed nothing.
#[wasm_bindgen(js_name = dictConfig)]
pub fn dict_config_js(config: JsValue) -> Result<(), JsValue> {
    let value = convert::config_value(&config);
    config::dict_config(&value).map_err(|e| config_error_to_js(&e))
}

/// The name the wrapper's adapter receives for what a factory is asked to build.
fn kind_name(kind: FactoryKind) -> &'static str {
    match kind {
        FactoryKind::Filter => "filter",
        FactoryKind::Formatter => "formatter",
        FactoryKind::Handler => "handler",
        FactoryKind::Queue => "queue",
    }
}

/// Keyword arguments as a plain JS object, in order (values that came from JavaScript go
/// back as themselves).
fn kwargs_to_js(kwargs: &[(Text, Value)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in kwargs {
        let _ = Reflect::set(&obj, &JsValue::from_str(k), &convert::to_js(v));
    }
    obj.into()
}

/// `registerFactory(name, adapter)`: `adapter(kind, kwargs)` is the wrapper's function that
/// calls the user's factory and stashes the result. A throw becomes the configuration
/// error's message.
#[wasm_bindgen(js_name = registerFactory)]
pub fn register_factory_js(name: String, adapter: Function) {
    let label = name.clone();
    let factory: Factory = Rc::new(move |kind: FactoryKind, kwargs: &[(Text, Value)]| {
        take_stash();
        let called = adapter.call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(kind_name(kind)),
            &kwargs_to_js(kwargs),
        );
        let built = take_stash();
        match called {
            Err(thrown) => Err(externs::str_of(&thrown)),
            Ok(_) => built.ok_or_else(|| format!("factory '{label}' built nothing")),
        }
    });
    config::register_factory(&name, factory);
}

/// `unregisterFactory(name)`.
#[wasm_bindgen(js_name = unregisterFactory)]
pub fn unregister_factory_js(name: &str) {
    config::unregister_factory(name);
}

/// What a JavaScript filter factory built.
#[wasm_bindgen(js_name = stashFilter)]
pub fn stash_filter(filter: &JsFilter) {
    stash_built(Built::Filter(filter.filter()));
}

/// What a JavaScript handler factory built.
#[wasm_bindgen(js_name = stashHandler)]
pub fn stash_handler(handler: &JsHandler) {
    stash_built(Built::Handler(handler.handler().clone()));
}

/// What a JavaScript formatter factory built: a `Formatter`.
#[wasm_bindgen(js_name = stashFormatter)]
pub fn stash_formatter(formatter: &JsFormatter) {
    stash_built(Built::Formatter(formatter.formatter()));
}

/// What a JavaScript formatter factory built: an object with `format(record)`, called as
/// `f(record)`.
#[wasm_bindgen(js_name = stashFormatterFunction)]
pub fn stash_formatter_function(f: Function) {
    stash_built(Built::Formatter(Rc::new(JsFnFormatter::new(f))));
}

/// `logging.getHandlerByName(name)`: the handler's id, for the wrapper to map to its object.
#[wasm_bindgen(js_name = handlerIdByName)]
pub fn handler_id_by_name(name: &str) -> Option<u32> {
    get_handler_by_name(name).map(|h| id_of(&h))
}

/// `logging.getHandlerNames()`, sorted.
#[wasm_bindgen(js_name = getHandlerNames)]
pub fn get_handler_names_js() -> js_sys::Array {
    get_handler_names()
        .iter()
        .map(|n| JsValue::from_str(n))
        .collect()
}

/// Drains every started `QueueListener` (what a thread does in CPython): call it from the
/// event loop. Returns how many records were dispatched.
#[wasm_bindgen]
pub fn pump() -> u32 {
    u32::try_from(queue::pump()).unwrap_or(u32::MAX)
}
