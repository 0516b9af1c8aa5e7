//! `JsFilter`: CPython's `Filter(name)` and filters written as JavaScript functions.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::convert;
use super::externs;
use crate::core::filter::{Filter, FilterResult, NameFilter};
use crate::core::handler::report_error;
use crate::core::record::LogRecord;

/// A filter attached to a logger or a handler.
#[wasm_bindgen]
pub struct JsFilter(Rc<dyn Filter>);

impl JsFilter {
    /// The core filter (the same `Rc` each time, so removal finds it).
    pub(crate) fn filter(&self) -> Rc<dyn Filter> {
        self.0.clone()
    }
}

#[wasm_bindgen]
impl JsFilter {
    /// `Filter(name)`: records from `name` and its descendants.
    pub fn name(name: String) -> JsFilter {
        JsFilter(Rc::new(NameFilter::new(name)))
    }

    /// A filter function: `f(record)` returns a truthy value to keep the record (any changes
    /// it made to the record object are kept too), a falsy one to drop it, or another object
    /// to use as a replacement record (Python 3.12) for the rest of the chain.
    pub fn function(f: Function) -> JsFilter {
        JsFilter(Rc::new(JsFnFilter(f)))
    }
}

/// A filter calling a JavaScript function.
struct JsFnFilter(Function);

impl Filter for JsFnFilter {
    fn filter(&self, record: &mut LogRecord) -> FilterResult {
        let obj = convert::record_to_js(record, true);
        match self.0.call1(&JsValue::UNDEFINED, &obj) {
            Err(thrown) => {
                // CPython lets the exception escape into the log call; a log call here never
                // throws, so it is reported and the record is dropped.
                report_error(Some(record), &convert::error_from_js(&thrown));
                FilterResult::Reject
            }
            Ok(result) => {
                // Changes made in place count whatever the verdict, as in CPython (a later
                // handler sees what a rejecting handler filter wrote on the record).
                convert::apply_changes(record, &externs::record_changes(&obj));
                if externs::is_object(&result) && !js_sys::Object::is(&result, &obj) {
                    let mut replacement = record.clone();
                    convert::apply_changes(&mut replacement, &externs::record_changes(&result));
                    FilterResult::Replace(Box::new(replacement))
                } else if result.is_truthy() {
                    FilterResult::Accept
                } else {
                    FilterResult::Reject
                }
            }
        }
    }
}
