//! Unit tests for `percent.rs` (kept apart to keep that file readable).

use super::*;

fn pf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    match percent_format(fmt, PercentArgs::Tuple(args), &mut out) {
        Ok(()) => out,
        Err(e) => e.to_string(),
    }
}

fn p1(fmt: &str, arg: Value) -> String {
    let mut out = String::new();
    match percent_format(fmt, PercentArgs::Single(&arg), &mut out) {
        Ok(()) => out,
        Err(e) => e.to_string(),
    }
}

#[test]
fn basics() {
    assert_eq!(
        pf("%s and %r", &[Value::Int(1), Value::str("a")]),
        "1 and 'a'"
    );
    assert_eq!(pf("%#010o", &[Value::Int(8)]), "0o00000010");
    assert_eq!(pf("% #08x", &[Value::Int(255)]), " 0x000ff");
    assert_eq!(pf("%#08X", &[Value::Int(-255)]), "-0X000FF");
    assert_eq!(pf("%-05d|", &[Value::Int(3)]), "3    |");
    assert_eq!(pf("%05.1f", &[Value::Float(-2.5)]), "-02.5");
    assert_eq!(pf("%.3d", &[Value::Float(1.5)]), "001");
    assert_eq!(
        pf(
            "%*.*f",
            &[Value::Int(8), Value::Int(2), Value::Float(2.71928)]
        ),
        "    2.72"
    );
    assert_eq!(pf("%.*s|", &[Value::Int(-5), Value::str("abc")]), "|");
    assert_eq!(
        pf(
            "%ld %hd %Ld",
            &[Value::Int(1), Value::Int(2), Value::Int(3)]
        ),
        "1 2 3"
    );
    assert_eq!(pf("%c%c", &[Value::Int(0x1F600), Value::str("é")]), "😀é");
    assert_eq!(pf("%s", &[Value::Float(1e16)]), "1e+16");
    assert_eq!(pf("%%", &[]), "%");
}

#[test]
fn errors() {
    assert_eq!(
        pf("%q", &[]),
        "TypeError: not enough arguments for format string"
    );
    assert_eq!(
        pf("%q", &[Value::Int(1)]),
        "ValueError: unsupported format character 'q' (0x71) at index 1"
    );
    assert_eq!(
        pf("é%€", &[Value::Int(1)]),
        "ValueError: unsupported format character '?' (0x20ac) at index 2"
    );
    assert_eq!(
        pf("%s", &[Value::Int(1), Value::Int(2)]),
        "TypeError: not all arguments converted during string formatting"
    );
    assert_eq!(pf("%5", &[Value::Int(1)]), "ValueError: incomplete format");
    assert_eq!(pf("%(a", &[]), "TypeError: format requires a mapping");
    assert_eq!(
        p1("%(a", Value::dict([("a", Value::Int(1))])),
        "ValueError: incomplete format key"
    );
    assert_eq!(
        p1("%(b)s", Value::dict([("a", Value::Int(1))])),
        "KeyError: 'b'"
    );
    assert_eq!(
        pf("%d", &[Value::str("x")]),
        "TypeError: %d format: a real number is required, not str"
    );
    assert_eq!(
        pf("%x", &[Value::Float(1.5)]),
        "TypeError: %x format: an integer is required, not float"
    );
    assert_eq!(
        pf("%f", &[Value::None]),
        "TypeError: must be real number, not NoneType"
    );
    assert_eq!(
        pf("%c", &[Value::str("ab")]),
        "TypeError: %c requires int or char"
    );
    assert_eq!(
        pf("%c", &[Value::Int(0x110000)]),
        "OverflowError: %c arg not in range(0x110000)"
    );
    assert_eq!(
        pf("%d", &[Value::Float(f64::INFINITY)]),
        "OverflowError: cannot convert float infinity to integer"
    );
    assert_eq!(
        pf("%d", &[Value::Float(f64::NAN)]),
        "ValueError: cannot convert float NaN to integer"
    );
    assert_eq!(
        pf("%*d", &[Value::Float(2.0), Value::Int(1)]),
        "TypeError: * wants int"
    );
    assert_eq!(
        pf("%99999999999999999999d", &[Value::Int(1)]),
        "ValueError: width too big"
    );
    assert_eq!(
        pf("%.99999999999d", &[Value::Int(1)]),
        "ValueError: precision too big"
    );
    assert_eq!(
        pf("%200000000d", &[Value::Int(1)]),
        "ValueError: width too big"
    );
}

#[test]
fn single_tuple_is_the_argument_tuple() {
    let t = Value::tuple([Value::Int(1), Value::str("a")]);
    assert_eq!(p1("%s-%s", t), "1-a");
    let nested = Value::tuple([Value::tuple([Value::Int(1)])]);
    assert_eq!(p1("%s", nested), "(1,)");
}

#[test]
fn mappings() {
    let d = Value::dict([("a", Value::Float(1.5)), ("b", Value::str("x"))]);
    assert_eq!(p1("%(a)d %(b)s", d.clone()), "1 x");
    assert_eq!(p1("%s", d.clone()), "{'a': 1.5, 'b': 'x'}");
    assert_eq!(p1("abc", d.clone()), "abc");
    assert_eq!(p1("abc", Value::list([Value::Int(1)])), "abc");
    assert_eq!(
        p1("abc", Value::Int(1)),
        "TypeError: not all arguments converted during string formatting"
    );
    assert_eq!(p1("%(a)*d", d), "TypeError: * wants int");
    let d5 = Value::dict([("a", Value::Int(5))]);
    assert_eq!(
        p1("%(a)*d", d5),
        "TypeError: not enough arguments for format string"
    );
    let f = |k: &str| (k == "name").then(|| Value::str("root"));
    let mut out = String::new();
    assert!(percent_format("%(name)-6s|%%", PercentArgs::Mapping(&f), &mut out).is_ok());
    assert_eq!(out, "root  |%");
    out.clear();
    let m = |fmt: &str| {
        let mut out = String::new();
        match percent_format(fmt, PercentArgs::Mapping(&f), &mut out) {
            Ok(()) => out,
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        m("%d"),
        "TypeError: %d format: a real number is required, not dict"
    );
    assert_eq!(m("%*d"), "TypeError: * wants int");
    assert_eq!(
        m("%q"),
        "ValueError: unsupported format character 'q' (0x71) at index 1"
    );
    assert_eq!(m("%s"), "TypeError: not enough arguments for format string");
    assert_eq!(
        m("%(name)s %s"),
        "TypeError: not enough arguments for format string"
    );
    let e = percent_format("%(nope)s", PercentArgs::Mapping(&f), &mut out);
    assert_eq!(
        e.map_err(|e| e.to_string()),
        Err("KeyError: 'nope'".to_string())
    );
}
