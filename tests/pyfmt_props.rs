//! Property tests: no `core::pyfmt` entry point panics, on any format string and any values,
//! and each finishes in bounded time.
//!
//! Format strings are built from the tokens that matter to the four mini-languages (so that
//! deep paths are reached) mixed with arbitrary characters. Widths stay realistic, except for
//! numbers far past the limits, which must be refused quickly rather than allocated.

// proptest is a native-only dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use wasm_logging::core::error::Result;
use wasm_logging::core::pyfmt::spec::format_value;
use wasm_logging::core::pyfmt::{
    brace_format, float_repr, parse_fields, percent_format, template_substitute,
    validate_percent_style, validate_str_format_style, validate_template_style, write_ascii,
    write_repr, write_str, PercentArgs,
};
use wasm_logging::core::value::{PyObject, Value};

const TOKENS: &[&str] = &[
    "%",
    "%",
    "%",
    "(",
    ")",
    "{",
    "{",
    "}",
    "}",
    "[",
    "]",
    "!",
    ":",
    ".",
    "*",
    "#",
    "0",
    "-",
    "+",
    " ",
    "$",
    "$",
    "s",
    "d",
    "r",
    "x",
    "X",
    "f",
    "g",
    "e",
    "E",
    "c",
    "a",
    "n",
    "b",
    "o",
    "i",
    "u",
    "%%",
    "5",
    "12",
    "3",
    "999999999999",
    "99999999999999999999",
    "1000000000",
    "2147483647",
    "é",
    "😀",
    "\n",
    "\r\n",
    "name",
    "0",
    "z",
    "_",
    ",",
    "<",
    ">",
    "^",
    "=",
    "l",
    "h",
    "{}",
    "{0}",
    "{name}",
    "%(name)s",
    "${name}",
    "$name",
    "\u{661}",
    "\u{17f}",
];

fn format_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

#[derive(Debug)]
struct Obj {
    int: Option<i64>,
    float: Option<f64>,
    fail: bool,
}

impl PyObject for Obj {
    fn type_name(&self) -> &str {
        "Obj"
    }
    fn py_str(&self) -> Result<String> {
        if self.fail {
            Err(wasm_logging::core::error::Error::value_error("no str"))
        } else {
            Ok("obj".to_string())
        }
    }
    fn py_repr(&self) -> Result<String> {
        Ok("<Obj>".to_string())
    }
    fn as_int(&self) -> Option<i64> {
        self.int
    }
    fn as_float(&self) -> Option<f64> {
        self.float
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        (name == "x").then_some(Value::Int(1))
    }
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-300i64..300).prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        prop::sample::select(&[0.0, -0.0, f64::NAN, f64::INFINITY, 1e300, 5e-324, 0.5][..])
            .prop_map(Value::Float),
        ".{0,6}".prop_map(Value::from),
        (any::<Option<i64>>(), any::<Option<f64>>(), any::<bool>())
            .prop_map(|(int, float, fail)| Value::Object(Rc::new(Obj { int, float, fail }))),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::list),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::tuple),
            prop::collection::vec((inner.clone(), inner), 0..4)
                .prop_map(|kv| Value::Dict(Rc::new(kv))),
            prop::collection::vec(("[a-z]{0,3}", scalar()), 0..4).prop_map(Value::dict),
        ]
    })
}

/// Every call must finish well within this, even in a debug build.
const LIMIT: Duration = Duration::from_secs(5);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let r = f();
    assert!(start.elapsed() < LIMIT, "{what} took {:?}", start.elapsed());
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn percent_never_panics(fmt in format_string(), args in prop::collection::vec(value(), 0..5), single in value()) {
        let mut out = String::new();
        let _ = timed("percent tuple", || percent_format(&fmt, PercentArgs::Tuple(&args), &mut out));
        let _ = timed("percent single", || percent_format(&fmt, PercentArgs::Single(&single), &mut out));
        let map = |k: &str| args.get(k.len()).cloned();
        let _ = timed("percent mapping", || percent_format(&fmt, PercentArgs::Mapping(&map), &mut out));
        let _ = timed("validate %", || validate_percent_style(&fmt));
    }

    #[test]
    fn brace_never_panics(fmt in format_string(), args in prop::collection::vec(value(), 0..5), kw in value()) {
        let mut out = String::new();
        let lookup = |k: &str| if k == "name" { Some(kw.clone()) } else { None };
        let before = out.clone();
        if timed("brace", || brace_format(&fmt, &args, &lookup, &mut out)).is_err() {
            prop_assert_eq!(&out, &before);
        }
        let _ = timed("parse", || parse_fields(&fmt));
        let _ = timed("validate {", || validate_str_format_style(&fmt));
    }

    #[test]
    fn format_spec_never_panics(spec in format_string(), v in value()) {
        let mut out = String::new();
        let _ = timed("format", || format_value(&v, &spec, &mut out));
    }

    #[test]
    fn template_never_panics(fmt in format_string(), v in value()) {
        let mut out = String::new();
        let lookup = |k: &str| if k == "name" { Some(v.clone()) } else { None };
        let _ = timed("template", || template_substitute(&fmt, &lookup, &mut out));
        let _ = timed("validate $", || validate_template_style(&fmt));
    }

    #[test]
    fn str_repr_ascii_never_panic(v in value()) {
        let mut out = String::new();
        let _ = write_str(&v, &mut out);
        let _ = write_repr(&v, &mut out);
        let _ = write_ascii(&v, &mut out);
    }

    #[test]
    fn float_repr_round_trips(x in any::<f64>()) {
        let r = float_repr(x);
        if x.is_finite() {
            let back: f64 = r.parse().unwrap_or(f64::NAN);
            prop_assert_eq!(back.to_bits(), x.to_bits(), "{}", r);
        }
    }
}

#[test]
fn huge_widths_and_precisions_are_refused_quickly() {
    let mut out = String::new();
    let args = [Value::Float(1.5)];
    for fmt in [
        "%999999999f",
        "%.999999999f",
        "%*f",
        "%.*f",
        "%99999999999999999999999f",
    ] {
        let star = [Value::Int(i64::MAX), Value::Float(1.5)];
        let a: &[Value] = if fmt.contains('*') { &star } else { &args };
        assert!(
            timed(fmt, || percent_format(fmt, PercentArgs::Tuple(a), &mut out)).is_err(),
            "{fmt}"
        );
    }
    let none = |_: &str| None;
    for fmt in [
        "{:999999999}",
        "{:.999999999f}",
        "{:9999999999999999999999}",
        "{:{}}",
    ] {
        let a = [Value::Float(1.5), Value::Int(999_999_999)];
        assert!(
            timed(fmt, || brace_format(fmt, &a, &none, &mut out)).is_err(),
            "{fmt}"
        );
    }
}
