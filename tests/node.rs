//! wasm-bindgen-test suite in Node (`wasm-pack test --node -- --test node`): the core on
//! wasm32-unknown-unknown with the JavaScript host — clock, zone, console — and CPython's
//! outputs. The same tests run in headless Chromium from `tests/browser.rs`.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

mod wasm_shared;

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// Guards against this suite silently running somewhere else.
#[wasm_bindgen_test]
fn runs_in_node() {
    let process = Reflect::get(&js_sys::global(), &"process".into()).unwrap();
    let versions = Reflect::get(&process, &"versions".into()).unwrap();
    let node = Reflect::get(&versions, &"node".into()).unwrap();
    assert!(node.as_string().is_some(), "not Node: {node:?}");
    assert!(Reflect::get(&js_sys::global(), &"document".into()).unwrap() == JsValue::UNDEFINED);
}
