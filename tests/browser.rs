//! wasm-bindgen-test suite in headless Chromium (`wasm-pack test --headless --chrome -- --test
//! browser`): the same shared tests as `tests/node.rs`, in a real browser, where the console
//! is the devtools console.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

mod wasm_shared;

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Guards against this suite silently running somewhere else.
#[wasm_bindgen_test]
fn runs_in_a_browser() {
    let global = js_sys::global();
    let document = Reflect::get(&global, &"document".into()).unwrap();
    assert!(
        document != JsValue::UNDEFINED,
        "no document: not a browser page"
    );
    let ua = Reflect::get(
        &Reflect::get(&global, &"navigator".into()).unwrap(),
        &"userAgent".into(),
    )
    .unwrap();
    assert!(
        ua.as_string().unwrap_or_default().contains("Chrome"),
        "{ua:?}"
    );
}
