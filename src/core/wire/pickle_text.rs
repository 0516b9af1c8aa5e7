//! Opcode arguments decoded as CPython's C unpickler decodes them: the text lines of
//! protocol 0 (`INT`, `LONG`, `FLOAT`, `STRING`, `UNICODE`, `PUT`, `GET`: `strtol` then
//! `PyLong_FromString`, `PyOS_string_to_double`, `PyBytes_DecodeEscape`, the
//! `raw-unicode-escape` codec; a line never includes its `\n`), the little-endian integers
//! of `LONG1`/`LONG4`, and string payloads.

use crate::core::value::{Text, Value};

/// C's `isspace` in the C locale (what `strtol` and `PyLong_FromString` skip).
fn c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The bytes before the first NUL: what a C function sees of a line.
fn c_string(line: &[u8]) -> &[u8] {
    line.iter()
        .position(|&b| b == 0)
        .map_or(line, |nul| &line[..nul])
}

/// `strtol(s, &end, 0)` on a line: `(value, end)`, where `value` is `None` on overflow
/// (`ERANGE`) and `end` is 0 when no digits were found (C sets `endptr` to the start then).
pub(super) fn strtol0(line: &[u8]) -> (Option<i64>, usize) {
    let s = c_string(line);
    let mut i = s.iter().take_while(|&&b| c_space(b)).count();
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let hex_digit = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_hexdigit());
    let base = if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && hex_digit(s.get(i + 2))
    {
        i += 2;
        16
    } else if s.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let start = i;
    let mut acc: i128 = 0;
    let mut overflow = false;
    while let Some(d) = s.get(i).and_then(|&b| char::from(b).to_digit(base)) {
        acc = acc * i128::from(base) + i128::from(d);
        if acc > i128::from(i64::MAX) + 1 {
            overflow = true;
            acc = i128::from(i64::MAX) + 1;
        }
        i += 1;
    }
    if i == start {
        return (Some(0), 0);
    }
    let value = if negative { -acc } else { acc };
    match i64::try_from(value) {
        Ok(v) if !overflow => (Some(v), i),
        _ => (None, i),
    }
}

/// Why [`py_int`] gave no `i64`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum IntError {
    /// Not an integer literal (`ValueError: invalid literal for int()`).
    Invalid,
    /// A Python int, but outside `i64`.
    OutOfRange,
}

/// `PyLong_FromString(s, NULL, base)` for base 0 (literal prefixes, no leading zeros) or 10,
/// on the C string of `text`: surrounding whitespace, one sign, `_` between digits.
pub(super) fn py_int(text: &[u8], base0: bool) -> Result<i64, IntError> {
    let s = c_string(text);
    let s = trim_c_space(s);
    let (negative, mut s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let mut base = 10;
    // After a base prefix an underscore may come first (`0x_1f`); otherwise only between.
    let mut underscore_ok = false;
    if base0 && s.len() >= 2 && s[0] == b'0' {
        let b = match s[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => 10,
        };
        if b != 10 {
            base = b;
            s = &s[2..];
            underscore_ok = true;
        }
    }
    let mut acc: i128 = 0;
    let mut digits = 0usize;
    let mut last_underscore = false;
    let mut nonzero_after_leading_zero = false;
    let leading_zero = base0 && base == 10 && s.first() == Some(&b'0');
    for &b in s {
        if b == b'_' {
            if last_underscore || !(underscore_ok || digits > 0) {
                return Err(IntError::Invalid);
            }
            last_underscore = true;
            continue;
        }
        let d = char::from(b).to_digit(base).ok_or(IntError::Invalid)?;
        if leading_zero && d != 0 {
            nonzero_after_leading_zero = true;
        }
        last_underscore = false;
        digits += 1;
        acc = (acc * i128::from(base) + i128::from(d)).min(i128::from(u64::MAX));
    }
    if digits == 0 || last_underscore || nonzero_after_leading_zero {
        return Err(IntError::Invalid);
    }
    let value = if negative { -acc } else { acc };
    i64::try_from(value).map_err(|_| IntError::OutOfRange)
}

fn trim_c_space(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !c_space(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !c_space(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// `PyOS_string_to_double` on a `FLOAT` line (the text before any NUL must be one float:
/// digits with an optional fraction and exponent, or `inf`/`infinity`/`nan`, any case, with
/// an optional sign). A finite literal too large for a double is an `OverflowError`.
pub(super) fn py_float(line: &[u8]) -> Result<f64, &'static str> {
    let s = c_string(line);
    let text = std::str::from_utf8(s).map_err(|_| "could not convert string to float")?;
    let plain = text.trim_start_matches(['+', '-']);
    // Rust accepts what Python's parser does for decimal and the special words, minus
    // whitespace, underscores and hex (which neither accepts here); check the shape so that
    // Rust-only spellings are refused too.
    if text.len() - plain.len() > 1 || plain.is_empty() {
        return Err("could not convert string to float");
    }
    let word = plain.to_ascii_lowercase();
    let special = matches!(word.as_str(), "inf" | "infinity" | "nan");
    if !special
        && !plain
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return Err("could not convert string to float");
    }
    let v: f64 = text
        .parse()
        .map_err(|_| "could not convert string to float")?;
    if v.is_infinite() && !special {
        return Err("OverflowError: float too large");
    }
    Ok(v)
}

/// `PyBytes_DecodeEscape`: the body of a quoted `STRING` argument with Python 2's string
/// escapes (`\n`, `\x41`, octal `\101`, `\\`, `\'`; unknown escapes kept as written; an
/// escaped newline dropped).
pub(super) fn decode_escape(s: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = s.get(i) else {
            return Err("Trailing \\ in string".to_owned());
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                // Values above 0o377 keep their low byte (with a warning in CPython).
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16));
                match (hex(s.get(i)), hex(s.get(i + 1))) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => return Err(format!("invalid \\x escape at position {}", i - 2)),
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// The `raw-unicode-escape` codec's decoder: bytes are Latin-1 characters except `\uXXXX`
/// and `\UXXXXXXXX` after an odd run of backslashes. A surrogate cannot be a Rust `char`, so
/// an escaped surrogate is an error here (CPython would build a string with a lone one).
pub(super) fn raw_unicode_escape(s: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b != b'\\' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let run = s[i..].iter().take_while(|&&c| c == b'\\').count();
        let next = s.get(i + run).copied();
        let escapes = run % 2 == 1 && matches!(next, Some(b'u' | b'U'));
        let literal = if escapes { run - 1 } else { run };
        out.extend(std::iter::repeat_n('\\', literal));
        i += run;
        if !escapes {
            continue;
        }
        let start = i - 1;
        let count = if next == Some(b'u') { 4 } else { 8 };
        i += 1;
        let mut cp: u32 = 0;
        for _ in 0..count {
            let d = s
                .get(i)
                .and_then(|&b| char::from(b).to_digit(16))
                .ok_or_else(|| {
                    format!(
                        "truncated \\{}XXXX escape at position {start}",
                        if count == 4 { 'u' } else { 'U' }
                    )
                })?;
            cp = cp * 16 + d;
            i += 1;
        }
        if cp > 0x10ffff {
            return Err(format!("\\Uxxxxxxxx out of range at position {start}"));
        }
        let c = char::from_u32(cp).ok_or_else(|| {
            format!("lone surrogate \\u{cp:04x} at position {start} cannot be represented")
        })?;
        out.push(c);
    }
    Ok(out)
}

pub(super) fn int_error(e: IntError) -> String {
    match e {
        IntError::Invalid => "invalid literal for int()".to_owned(),
        IntError::OutOfRange => "integer does not fit in 64 bits".to_owned(),
    }
}

/// `load_int`: `strtol(s, &end, 0)`, accepted when it stops at the newline or a NUL; a
/// two-character `00`/`01` (any spelling `strtol` reads as 0 or 1) is a bool; anything else
/// goes to `PyLong_FromString(s, NULL, 0)`.
pub(super) fn load_int(line: &[u8]) -> Result<Value, String> {
    if line.is_empty() {
        return Err("pickle data was truncated".to_owned());
    }
    match strtol0(line) {
        (Some(x), end) if line.get(end).is_none_or(|&b| b == 0) => {
            if line.len() == 2 && (x == 0 || x == 1) {
                Ok(Value::Bool(x == 1))
            } else {
                Ok(Value::Int(x))
            }
        }
        _ => py_int(line, true).map(Value::Int).map_err(|e| match e {
            IntError::Invalid => "could not convert string to int".to_owned(),
            IntError::OutOfRange => "integer does not fit in 64 bits".to_owned(),
        }),
    }
}

/// `LONG1`/`LONG4`'s little-endian two's complement bytes, within `i64`.
pub(super) fn long_bytes(b: &[u8]) -> Result<i64, String> {
    let Some(&last) = b.last() else {
        return Ok(0);
    };
    let negative = last & 0x80 != 0;
    let fill = if negative { 0xff } else { 0 };
    let (low, high) = b.split_at(b.len().min(8));
    let mut buf = [fill; 8];
    buf[..low.len()].copy_from_slice(low);
    let v = i64::from_le_bytes(buf);
    // The bytes past the eighth must only extend the sign of the first eight.
    if high.iter().any(|&x| x != fill) || (!high.is_empty() && (v < 0) != negative) {
        return Err("integer does not fit in 64 bits".to_owned());
    }
    Ok(v)
}

pub(super) fn latin1(b: &[u8]) -> Value {
    Value::Str(Text::from(
        b.iter().map(|&c| char::from(c)).collect::<String>(),
    ))
}

pub(super) fn utf8(b: &[u8]) -> Result<Value, String> {
    std::str::from_utf8(b)
        .map(|s| Value::Str(Text::from(s.to_owned())))
        .map_err(|e| {
            format!(
                "invalid UTF-8 (or a lone surrogate, which cannot be represented) at byte {}",
                e.valid_up_to()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtol_follows_c() {
        assert_eq!(strtol0(b"010"), (Some(8), 3));
        assert_eq!(strtol0(b" -0x1f"), (Some(-31), 6));
        assert_eq!(strtol0(b"0x"), (Some(0), 1));
        assert_eq!(strtol0(b"-"), (Some(0), 0));
        assert_eq!(strtol0(b"9223372036854775808"), (None, 19));
        assert_eq!(strtol0(b"-9223372036854775808"), (Some(i64::MIN), 20));
    }

    #[test]
    fn py_int_follows_pylong_fromstring() {
        assert_eq!(py_int(b"1_000\n", true), Ok(1000));
        assert_eq!(py_int(b"0x_1f", true), Ok(31));
        assert_eq!(py_int(b"010", true), Err(IntError::Invalid));
        assert_eq!(py_int(b"000", true), Ok(0));
        assert_eq!(py_int(b"010", false), Ok(10));
        assert_eq!(py_int(b"1__0", true), Err(IntError::Invalid));
        assert_eq!(py_int(b"_1", true), Err(IntError::Invalid));
        assert_eq!(
            py_int(b"9223372036854775808", true),
            Err(IntError::OutOfRange)
        );
    }

    #[test]
    fn escapes_decode_as_cpython() {
        assert_eq!(decode_escape(br"a\x41\101\n\q").unwrap(), b"aAA\n\\q");
        assert!(decode_escape(b"a\\").is_err());
        assert_eq!(
            raw_unicode_escape(br"\u0041\\u0041\\\u0041").unwrap(),
            "A\\\\u0041\\\\A"
        );
        assert!(raw_unicode_escape(br"\ud800").is_err());
        assert!(raw_unicode_escape(br"x\u00").is_err());
        assert_eq!(raw_unicode_escape(b"\xe9\\U0001f600").unwrap(), "é😀");
    }

    #[test]
    fn floats_follow_pyos_string_to_double() {
        assert_eq!(py_float(b"1.5"), Ok(1.5));
        assert!(py_float(b"-inf").unwrap().is_infinite());
        assert!(py_float(b"nan").unwrap().is_nan());
        assert!(py_float(b"1e999").is_err());
        assert!(py_float(b" 1").is_err());
        assert!(py_float(b"1_0").is_err());
        assert_eq!(py_float(b"2.5\0junk"), Ok(2.5));
    }

    #[test]
    fn long_bytes_within_i64() {
        assert_eq!(long_bytes(&[0xff]), Ok(-1));
        assert_eq!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0xff]), Ok(i64::MIN));
        assert!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0]).is_err());
        assert!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
    }
}
