//! Unit tests for `spec.rs` (kept apart to keep that file readable).

use super::*;

fn fv(v: Value, spec: &str) -> String {
    let mut out = String::new();
    match format_value(&v, spec, &mut out) {
        Ok(()) => out,
        Err(e) => e.to_string(),
    }
}

#[test]
fn ints() {
    assert_eq!(fv(Value::Int(1234), "010,"), "00,001,234");
    assert_eq!(fv(Value::Int(-1234), "010_"), "-0_001_234");
    assert_eq!(fv(Value::Int(1234), "#010_x"), "0x000_04d2");
    assert_eq!(fv(Value::Int(1234), "#010_b"), "0b100_1101_0010");
    assert_eq!(fv(Value::Int(-255), "#010X"), "-0X00000FF");
    assert_eq!(fv(Value::Int(65), "05c"), "0000A");
    assert_eq!(fv(Value::Int(1234), "^010,"), "001,234000");
    assert_eq!(fv(Value::Int(i64::MIN), "#o"), "-0o1000000000000000000000");
    assert_eq!(fv(Value::Int(123), ".2%"), "12300.00%");
    assert_eq!(fv(Value::Bool(true), ""), "True");
    assert_eq!(fv(Value::Bool(true), ">6"), "     1");
    assert_eq!(
        fv(Value::Bool(true), "s"),
        "ValueError: Unknown format code 's' for object of type 'bool'"
    );
    assert_eq!(
        fv(Value::Int(1), "#+c"),
        "ValueError: Invalid format specifier '#+c' for object of type 'int'"
    );
    assert_eq!(
        fv(Value::Int(-1), "c"),
        "OverflowError: %c arg not in range(0x110000)"
    );
    assert_eq!(
        fv(Value::Int(1), "99999999999999999999"),
        "ValueError: Too many decimal digits in format string"
    );
}

#[test]
fn floats() {
    assert_eq!(fv(Value::Float(1.0), ".3"), "1.0");
    assert_eq!(fv(Value::Float(123.0), ".2"), "1.2e+02");
    assert_eq!(fv(Value::Float(1e16), "<"), "1e+16");
    assert_eq!(fv(Value::Float(-0.0), "z.1f"), "0.0");
    assert_eq!(fv(Value::Float(1234.5), "010,"), "0,001,234.5");
    assert_eq!(fv(Value::Float(f64::INFINITY), "08,"), "00000inf");
    assert_eq!(fv(Value::Float(f64::NAN), "+08,"), "+0000nan");
    assert_eq!(fv(Value::Float(-5.0), "^9"), "  -5.0   ");
    assert_eq!(fv(Value::Float(0.5), ".0%"), "50%");
    assert_eq!(fv(Value::Float(1.0), "#.0"), "1.e+00");
    assert_eq!(
        fv(Value::Float(1.0), ".3000000000f"),
        "ValueError: precision too big"
    );
}

#[derive(Debug)]
struct Money;

impl crate::core::value::PyObject for Money {
    fn type_name(&self) -> &str {
        "Money"
    }
    fn py_repr(&self) -> Result<String> {
        Ok("Money(5)".to_string())
    }
    fn py_str(&self) -> Result<String> {
        Ok("$5".to_string())
    }
    fn py_format(&self, spec: &str) -> Option<Result<String>> {
        (spec == "cents").then(|| Ok("500c".to_string()))
    }
}

#[test]
fn objects_format_themselves_or_as_their_str() {
    let m = Value::Object(std::rc::Rc::new(Money));
    assert_eq!(fv(m.clone(), "cents"), "500c");
    assert_eq!(fv(m.clone(), ">4"), "  $5");
    assert_eq!(fv(m.clone(), ""), "$5");
    assert_eq!(
        fv(m, "d"),
        "ValueError: Unknown format code 'd' for object of type 'str'"
    );
}

#[test]
fn strings_and_others() {
    assert_eq!(fv(Value::str("abc"), "*^7.2"), "**ab***");
    assert_eq!(fv(Value::str("abc"), "05"), "abc00");
    assert_eq!(fv(Value::str("a"), "\u{661}\u{662}"), "a           ");
    assert_eq!(
        fv(Value::str("a"), "\x01"),
        "ValueError: Unknown format code '\\x1' for object of type 'str'"
    );
    assert_eq!(
        fv(Value::str("a"), ","),
        "ValueError: Cannot specify ',' with 's'."
    );
    assert_eq!(
        fv(Value::Int(1), ",,"),
        "ValueError: Cannot specify ',' with ','."
    );
    assert_eq!(fv(Value::None, ""), "None");
    assert_eq!(
        fv(Value::None, "x"),
        "TypeError: unsupported format string passed to NoneType.__format__"
    );
    assert_eq!(fv(Value::list([]), ""), "[]");
}
