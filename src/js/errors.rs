//! Core errors as JavaScript exceptions (for constructors and configuration, the only calls
//! that throw) and levels given as JavaScript values.

use wasm_bindgen::prelude::*;

use super::{convert, externs};
use crate::core::error::{Error, ErrorKind};
use crate::core::level::{check_level, LevelSpec};

/// A core error as a JS exception: a `TypeError` for CPython's `TypeError`, otherwise an
/// `Error` named after the Python class (`ValueError: Unknown level: 'LOUD'`).
pub(crate) fn to_js_error(err: &Error) -> JsValue {
    match err.kind() {
        ErrorKind::TypeError => js_sys::TypeError::new(err.message()).into(),
        kind => {
            let e = js_sys::Error::new(err.message());
            e.set_name(kind.name());
            e.into()
        }
    }
}

/// A level given as a number, a `bigint` or a registered name (CPython's `_checkLevel`).
/// Levels are 64-bit integers in the core: a larger integer is refused with an
/// `OverflowError`, never wrapped into another level.
pub(crate) fn level_from_js(v: &JsValue) -> Result<i64, Error> {
    if let Some(n) = v.as_f64() {
        if n.fract() == 0.0 {
            return level_from_number(n);
        }
    } else if v.is_bigint() {
        return i64::try_from(v.clone()).map_err(|_| {
            Error::new(
                ErrorKind::OverflowError,
                format!(
                    "level {} is out of range (levels are 64-bit integers: {}..{})",
                    externs::str_of(v),
                    i64::MIN,
                    i64::MAX
                ),
            )
        });
    } else if let Some(name) = v.as_string() {
        return check_level(LevelSpec::Name(name));
    }
    let mut repr = String::new();
    let _ = crate::core::pyfmt::write_repr(&convert::to_value(v), &mut repr);
    Err(Error::type_error(format!(
        "Level not an integer or a valid string: {repr}"
    )))
}

/// The Python exception class named `name` (`"ValueError"`), for errors the JS wrapper reports.
pub(crate) fn kind_from_name(name: &str) -> ErrorKind {
    match name {
        "TypeError" => ErrorKind::TypeError,
        "ValueError" => ErrorKind::ValueError,
        "KeyError" => ErrorKind::KeyError,
        "IndexError" => ErrorKind::IndexError,
        "AttributeError" => ErrorKind::AttributeError,
        "OverflowError" => ErrorKind::OverflowError,
        "OSError" => ErrorKind::OSError,
        _ => ErrorKind::RuntimeError,
    }
}

/// An integral JS number as a level, or an `OverflowError` outside the core's 64-bit range
/// (-2⁶³ is a double exactly; 2⁶³ is the first one past the top).
pub(crate) fn level_from_number(n: f64) -> Result<i64, Error> {
    const TOP: f64 = 9_223_372_036_854_775_808.0;
    if (-TOP..TOP).contains(&n) {
        Ok(n as i64)
    } else {
        Err(Error::new(
            ErrorKind::OverflowError,
            format!(
                "level {n} is out of range (levels are 64-bit integers: {}..{})",
                i64::MIN,
                i64::MAX
            ),
        ))
    }
}
