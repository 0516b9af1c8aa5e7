//! Unit tests for `brace.rs` (kept apart to keep that file readable).

use super::*;

fn bf(fmt: &str, args: &[Value]) -> String {
    let kw = |k: &str| match k {
        "name" => Some(Value::str("root")),
        "d" => Some(Value::dict([("k", Value::Int(5))])),
        _ => None,
    };
    let mut out = String::from("keep:");
    match brace_format(fmt, args, &kw, &mut out) {
        Ok(()) => out.split_off(5),
        Err(e) => {
            assert_eq!(out, "keep:", "output must be untouched on error");
            e.to_string()
        }
    }
}

#[test]
fn fields_and_specs() {
    assert_eq!(bf("{} {}", &[Value::Int(1), Value::str("a")]), "1 a");
    assert_eq!(bf("{name!r:>8}|{{x}}", &[]), "  'root'|{x}");
    assert_eq!(bf("{0:{1}}", &[Value::Int(1), Value::Int(5)]), "    1");
    assert_eq!(bf("{:{}}", &[Value::Int(1), Value::Int(5)]), "    1");
    assert_eq!(bf("{d[k]:03}", &[]), "005");
    assert_eq!(
        bf("{0[1]}", &[Value::list([Value::Int(7), Value::Int(8)])]),
        "8"
    );
    assert_eq!(bf("{0[}]}", &[Value::dict([("}", Value::Int(1))])]), "1");
    assert_eq!(bf("{0.real}", &[Value::Bool(true)]), "1");
    assert_eq!(bf("{\u{661}}", &[Value::Int(5), Value::Int(6)]), "6");
    assert_eq!(bf("{0[0]}", &[Value::str("ab")]), "a");
    assert_eq!(
        bf(
            "{0[0]}",
            &[Value::Dict(std::rc::Rc::new(vec![(
                Value::Int(0),
                Value::Int(9)
            )]))]
        ),
        "9"
    );
}

#[test]
fn errors() {
    assert_eq!(
        bf("{1}", &[Value::Int(1)]),
        "IndexError: Replacement index 1 out of range for positional args tuple"
    );
    assert_eq!(
        bf("{}{0}", &[Value::Int(1)]),
        "ValueError: cannot switch from automatic field numbering to manual field specification"
    );
    assert_eq!(
        bf("{0}{}", &[Value::Int(1)]),
        "ValueError: cannot switch from manual field specification to automatic field numbering"
    );
    assert_eq!(
        bf("}", &[]),
        "ValueError: Single '}' encountered in format string"
    );
    assert_eq!(
        bf("{", &[]),
        "ValueError: Single '{' encountered in format string"
    );
    assert_eq!(
        bf("{0.real", &[]),
        "ValueError: expected '}' before end of string"
    );
    assert_eq!(bf("{nope}", &[]), "KeyError: 'nope'");
    assert_eq!(bf("{!}", &[]), "ValueError: unmatched '{' in format spec");
    assert_eq!(
        bf("{0!x}", &[Value::Int(1)]),
        "ValueError: Unknown conversion specifier x"
    );
    assert_eq!(
        bf("{0!rr}", &[Value::Int(1)]),
        "ValueError: expected ':' after conversion specifier"
    );
    assert_eq!(
        bf(
            "{0:{1:{2}}}",
            &[Value::Int(1), Value::Int(5), Value::Int(3)]
        ),
        "ValueError: Max string recursion exceeded"
    );
    assert_eq!(
        bf("{0[0]x}", &[Value::list([Value::Int(5)])]),
        "ValueError: Only '.' or '[' may follow ']' in format field specifier"
    );
    assert_eq!(
        bf("{0.}", &[Value::Int(1)]),
        "ValueError: Empty attribute in format string"
    );
    assert_eq!(
        bf("{0.x}", &[Value::Int(1)]),
        "AttributeError: 'int' object has no attribute 'x'"
    );
    assert_eq!(
        bf("{0[0]}", &[Value::Int(1)]),
        "TypeError: 'int' object is not subscriptable"
    );
    assert_eq!(bf("{0]}", &[]), "KeyError: '0]'");
    // The first field's error wins over the later syntax error, as CPython parses lazily.
    assert_eq!(
        bf("{0}{", &[]),
        "IndexError: Replacement index 0 out of range for positional args tuple"
    );
}

#[test]
fn parser() {
    let p = parse_fields("a{{b{0!r:>{w}}c}}").unwrap_or_default();
    assert_eq!(
        p,
        vec![
            ("a{".to_string(), None),
            (
                "b".to_string(),
                Some(("0".to_string(), ">{w}".to_string(), Some('r')))
            ),
            ("c}".to_string(), None),
        ]
    );
    assert!(parse_fields("{").is_err());
    assert_eq!(parse_fields("").unwrap_or_default(), vec![]);
}

#[test]
fn validation() {
    let v = |f: &str| match validate_str_format_style(f) {
        Ok(()) => "ok".to_string(),
        Err(e) => e.to_string(),
    };
    assert_eq!(v("{asctime} {levelname:<8} {message}"), "ok");
    assert_eq!(v(""), "ok");
    assert_eq!(v("{a.b[c d]:>{w}.{p}f}"), "ok");
    assert_eq!(v("plain"), "ValueError: invalid format: no fields");
    assert_eq!(v("{}"), "ValueError: invalid format: no fields");
    assert_eq!(
        v("{a-b}"),
        "ValueError: invalid format: invalid field name/expression: 'a-b'"
    );
    assert_eq!(
        v("{a!x}"),
        "ValueError: invalid format: invalid conversion: 'x'"
    );
    assert_eq!(v("{a:q}"), "ValueError: invalid format: bad specifier: 'q'");
    assert_eq!(v("{a:<<}"), "ok");
    assert_eq!(v("{a:010,.2F}"), "ok");
    assert_eq!(
        v("{a:{}}"),
        "ValueError: invalid format: bad specifier: '{}'"
    );
    assert_eq!(
        v("{a"),
        "ValueError: invalid format: expected '}' before end of string"
    );
    assert_eq!(v("{a\n}"), "ok");
}
