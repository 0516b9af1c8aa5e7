//! `str()`, `repr()` and `ascii()` of values, as CPython 3.13 prints them.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::number::{double_to_string, FloatFlags};
use super::unicode::is_printable;
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::value::Value;

/// Deepest container nesting rendered before giving up, standing in for CPython's
/// `RecursionError` so that a pathological value cannot overflow the (small) wasm stack.
const MAX_DEPTH: usize = 500;

/// Appends `str(v)` to `out`.
///
/// A string is itself, a float is its `repr`, a container is the `repr` of its items
/// (`str([1, 'a'])` is `[1, 'a']`), an object is [`PyObject::py_str`](crate::core::value::PyObject::py_str).
pub fn write_str(v: &Value, out: &mut String) -> Result<()> {
    match v {
        Value::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        Value::Object(o) => {
            out.push_str(&o.py_str()?);
            Ok(())
        }
        _ => write_repr_depth(v, out, 0),
    }
}

/// Appends `repr(v)` to `out`.
pub fn write_repr(v: &Value, out: &mut String) -> Result<()> {
    write_repr_depth(v, out, 0)
}

/// Appends `ascii(v)` to `out`: `repr(v)` with every non-ASCII character escaped as
/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
pub fn write_ascii(v: &Value, out: &mut String) -> Result<()> {
    let mut r = String::new();
    write_repr_depth(v, &mut r, 0)?;
    push_ascii_escaped(&r, out);
    Ok(())
}

/// Escapes the non-ASCII characters of an already computed `repr` (what `ascii()` adds).
pub(crate) fn push_ascii_escaped(r: &str, out: &mut String) {
    for c in r.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_char_escape(c, out);
        }
    }
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN` for `c`, the shortest form that fits, lower-case hex.
fn push_char_escape(c: char, out: &mut String) {
    let cp = c as u32;
    // Writing to a String cannot fail.
    let _ = if cp < 0x100 {
        write!(out, "\\x{cp:02x}")
    } else if cp < 0x10000 {
        write!(out, "\\u{cp:04x}")
    } else {
        write!(out, "\\U{cp:08x}")
    };
}

fn write_repr_depth(v: &Value, out: &mut String, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::new(
            ErrorKind::RuntimeError,
            "maximum recursion depth exceeded while getting the repr of an object",
        ));
    }
    match v {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => push_int(out, *i),
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => write_str_repr(s, out),
        Value::List(items) => {
            out.push('[');
            write_items(items, out, depth)?;
            out.push(']');
        }
        Value::Tuple(items) => {
            out.push('(');
            write_items(items, out, depth)?;
            // A one-element tuple needs its trailing comma: `(1,)`.
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::Dict(items) => {
            out.push('{');
            for (i, (k, val)) in dict_entries(items).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr_depth(k, out, depth + 1)?;
                out.push_str(": ");
                write_repr_depth(val, out, depth + 1)?;
            }
            out.push('}');
        }
        Value::Object(o) => out.push_str(&o.py_repr()?),
    }
    Ok(())
}

/// The entries a Python dict built from `items` holds: one per key, the first key object in
/// its first position, with the value stored last (`{1: 'a', True: 'b'}` is `{1: 'b'}`).
pub(crate) fn dict_entries(items: &[(Value, Value)]) -> Vec<(&Value, &Value)> {
    if items.iter().all(|(k, _)| matches!(k, Value::Str(_))) {
        // The common case, string keys, in linear time.
        let mut last: HashMap<&str, &Value> = HashMap::with_capacity(items.len());
        for (k, v) in items {
            last.insert(k.as_str().unwrap_or_default(), v);
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
        return items
            .iter()
            .filter(|(k, _)| seen.insert(k.as_str().unwrap_or_default()))
            .map(|(k, v)| {
                (
                    k,
                    last.get(k.as_str().unwrap_or_default())
                        .copied()
                        .unwrap_or(v),
                )
            })
            .collect();
    }
    let mut entries = Vec::with_capacity(items.len());
    for (i, (k, _)) in items.iter().enumerate() {
        if items
            .get(..i)
            .is_some_and(|before| before.iter().any(|(b, _)| keys_equal(b, k)))
        {
            continue;
        }
        // The key itself counts as equal (a NaN key is found by identity, as in CPython).
        let val = items
            .iter()
            .enumerate()
            .rev()
            .find(|(j, (b, _))| *j == i || keys_equal(b, k))
            .map_or(&Value::None, |(_, (_, v))| v);
        entries.push((k, val));
    }
    entries
}

/// Python's `a == b` for dict keys (hashable values): numbers compare by value across
/// `bool`/`int`/`float`, strings and tuples by content, objects by identity. NaN never equals.
pub(crate) fn keys_equal(a: &Value, b: &Value) -> bool {
    fn num(v: &Value) -> Option<(i128, f64)> {
        match v {
            Value::Bool(x) => Some((i128::from(*x), f64::from(u8::from(*x)))),
            Value::Int(i) => Some((i128::from(*i), *i as f64)),
            _ => None,
        }
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Float(x), other) | (other, Value::Float(x)) => match num(other) {
            // Exact int/float comparison: the float must be integral and equal.
            Some((i, _)) => x.fract() == 0.0 && x.abs() < 1.8e19 && *x as i128 == i,
            None => false,
        },
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| keys_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => std::rc::Rc::ptr_eq(x, y),
        _ => match (num(a), num(b)) {
            (Some((i, _)), Some((j, _))) => i == j,
            _ => false,
        },
    }
}

fn write_items(items: &[Value], out: &mut String, depth: usize) -> Result<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr_depth(item, out, depth + 1)?;
    }
    Ok(())
}

/// Appends `int.__repr__(i)`: its decimal digits, without a temporary string.
pub fn push_int(out: &mut String, i: i64) {
    /// "00" to "99": two digits per division.
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
    let mut buf = [0u8; 21];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buf[at] = PAIRS[pair];
        buf[at + 1] = PAIRS[pair + 1];
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        buf[at] = PAIRS[pair];
        buf[at + 1] = PAIRS[pair + 1];
    } else {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    // The digits and sign are ASCII.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Python's `repr(float)`: the shortest digits that round-trip, switching to exponent form
/// when the decimal exponent is below -4 or at least 16 (`1e-05`, `0.0001`, `1e+16`), always
/// with a `.0` on integral values, and `inf`, `-inf`, `nan`.
pub fn float_repr(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        // Integral and below 1e16: the integer's digits and `.0` (`-0.0` kept), without
        // the shortest-digits search.
        let mut out = String::with_capacity(20);
        if x == 0.0 && x.is_sign_negative() {
            out.push('-');
        }
        push_int(&mut out, x as i64);
        out.push_str(".0");
        return out;
    }
    double_to_string(
        x,
        'r',
        0,
        FloatFlags {
            add_dot_0: true,
            ..FloatFlags::default()
        },
    )
}

/// Appends Python's `repr()` of a string: single quotes unless the text contains `'` and no
/// `"`; `\\`, `\t`, `\n`, `\r` and the chosen quote escaped; other characters that are not
/// printable (per `str.isprintable`) as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
pub fn write_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.reserve(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => push_char_escape(c, out),
        }
    }
    out.push(quote);
}

impl Value {
    /// Python's `str(value)`.
    pub fn to_py_str(&self) -> Result<String> {
        let mut out = String::new();
        write_str(self, &mut out)?;
        Ok(out)
    }

    /// Python's `repr(value)`.
    pub fn to_py_repr(&self) -> Result<String> {
        let mut out = String::new();
        write_repr(self, &mut out)?;
        Ok(out)
    }

    /// Python's `ascii(value)`.
    pub fn to_py_ascii(&self) -> Result<String> {
        let mut out = String::new();
        write_ascii(self, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_int_prints_every_digit_count_and_sign() {
        let mut cases = vec![i64::MIN, i64::MAX, i64::MIN + 1, 0, -1];
        let mut p: i64 = 1;
        for _ in 0..19 {
            cases.extend([p - 1, p, p + 1, -p, -(p - 1), 7 * p]);
            p = p.saturating_mul(10);
        }
        for x in cases {
            let mut out = String::from("x");
            super::push_int(&mut out, x);
            assert_eq!(out, format!("x{x}"));
        }
    }

    use super::*;

    fn repr(v: &Value) -> String {
        v.to_py_repr().unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn float_reprs() {
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1e-5), "1e-05");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(-0.0), "-0.0");
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(f64::INFINITY), "inf");
        assert_eq!(float_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(float_repr(f64::NAN), "nan");
        assert_eq!(float_repr(-f64::NAN), "nan");
        assert_eq!(
            float_repr("123456789.123456789".parse().unwrap_or_default()),
            "123456789.12345679"
        );
        assert_eq!(float_repr(2e16 + 8.0), "2.000000000000001e+16");
        assert_eq!(float_repr(5e-324), "5e-324");
        assert_eq!(float_repr(1e22), "1e+22");
        assert_eq!(float_repr(9999999999999998.0), "9999999999999998.0");
        assert_eq!(float_repr(0.1), "0.1");
        // Ties between two shortest candidates go to the even digit, as dtoa does.
        assert_eq!(
            float_repr("2094465496176776.25".parse().unwrap_or_default()),
            "2094465496176776.2"
        );
        assert_eq!(
            float_repr("-2069283682251838.25".parse().unwrap_or_default()),
            "-2069283682251838.2"
        );
    }

    #[test]
    fn string_reprs() {
        let r = |s: &str| {
            let mut o = String::new();
            write_str_repr(s, &mut o);
            o
        };
        assert_eq!(r("it's"), "\"it's\"");
        assert_eq!(r("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(r("\n\t\r\\\x07"), "'\\n\\t\\r\\\\\\x07'");
        assert_eq!(
            r("\x7f\u{a0}\u{ad}é😀\u{E0001}"),
            "'\\x7f\\xa0\\xadé😀\\U000e0001'"
        );
        assert_eq!(r("\u{2028}"), "'\\u2028'");
    }

    #[test]
    fn containers() {
        let v = Value::list([
            Value::Int(1),
            Value::str("a"),
            Value::tuple([Value::Int(2)]),
            Value::dict([("k", Value::None)]),
            Value::Float(-0.0),
            Value::Bool(true),
        ]);
        assert_eq!(repr(&v), "[1, 'a', (2,), {'k': None}, -0.0, True]");
        assert_eq!(v.to_py_str().unwrap_or_default(), repr(&v));
        assert_eq!(repr(&Value::tuple([])), "()");
        let dup = Value::Dict(std::rc::Rc::new(vec![
            (Value::Int(1), Value::str("a")),
            (Value::str("k"), Value::None),
            (Value::Bool(true), Value::str("b")),
            (Value::Float(1.0), Value::str("c")),
        ]));
        assert_eq!(repr(&dup), "{1: 'c', 'k': None}");
        assert_eq!(Value::str("x").to_py_str().unwrap_or_default(), "x");
        assert_eq!(
            Value::str("é€😀").to_py_ascii().unwrap_or_default(),
            "'\\xe9\\u20ac\\U0001f600'"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut v = Value::None;
        for _ in 0..1000 {
            v = Value::list([v]);
        }
        assert!(v.to_py_repr().is_err());
    }
}
