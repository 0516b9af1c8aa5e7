//! The format-spec mini-language: `format(value, spec)` for `str`, `int`, `bool`, `float`,
//! `None`, containers and objects, ported from CPython 3.13's Python/formatter_unicode.c.

use super::number::{base_prefix, double_to_string, group_digits, int_digits, FloatFlags};
use super::unicode::decimal_value;
use super::{
    overflow_error, precision_too_big, push_repeat, width_too_big, MAX_PRECISION, MAX_WIDTH,
};
use crate::core::error::{Error, Result};
use crate::core::value::Value;

/// Digit grouping requested by a spec (`LocaleType` in CPython, minus the real locale: `n`
/// formats as in the C locale, which groups nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grouping {
    None,
    Comma,
    Underscore,
    /// `_` with `b`, `o`, `x`, `X`: groups of four.
    UnderscoreFour,
}

/// A parsed `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug)]
struct Spec {
    fill: char,
    align: char,
    alternate: bool,
    sign: Option<char>,
    no_neg_0: bool,
    /// -1 when absent.
    width: i64,
    grouping: Grouping,
    /// -1 when absent.
    precision: i64,
    ty: Option<char>,
}

/// How CPython prints a type code in an error: itself if printable ASCII, else `\x<hex>`.
fn code_for_msg(c: char) -> String {
    let cp = c as u32;
    if cp > 32 && cp < 128 {
        c.to_string()
    } else {
        format!("\\x{cp:x}")
    }
}

fn unknown_code(ty: char, type_name: &str) -> Error {
    Error::value_error(format!(
        "Unknown format code '{}' for object of type '{type_name}'",
        code_for_msg(ty)
    ))
}

/// `get_integer`: Unicode decimal digits from `pos`; returns (value, digits consumed).
fn get_integer(s: &[char], pos: &mut usize) -> Result<(i64, usize)> {
    let mut acc: i64 = 0;
    let mut n = 0;
    while let Some(d) = s.get(*pos).and_then(|&c| decimal_value(c)) {
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(i64::from(d)))
            .ok_or_else(|| Error::value_error("Too many decimal digits in format string"))?;
        *pos += 1;
        n += 1;
    }
    Ok((acc, n))
}

/// `parse_internal_render_format_spec`.
fn parse_spec(
    spec: &str,
    default_type: Option<char>,
    default_align: char,
    type_name: &str,
) -> Result<Spec> {
    let s: Vec<char> = spec.chars().collect();
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    let mut f = Spec {
        fill: ' ',
        align: default_align,
        alternate: false,
        sign: None,
        no_neg_0: false,
        width: -1,
        grouping: Grouping::None,
        precision: -1,
        ty: default_type,
    };
    let mut pos = 0;
    let mut fill_specified = false;
    let mut align_specified = false;
    // If the second character is an alignment, the first is the fill.
    match (s.first(), s.get(1)) {
        (Some(&fill), Some(&align)) if is_align(align) => {
            f.align = align;
            f.fill = fill;
            fill_specified = true;
            align_specified = true;
            pos = 2;
        }
        (Some(&align), _) if is_align(align) => {
            f.align = align;
            align_specified = true;
            pos = 1;
        }
        _ => {}
    }
    if let Some(&c @ (' ' | '+' | '-')) = s.get(pos) {
        f.sign = Some(c);
        pos += 1;
    }
    if s.get(pos) == Some(&'z') {
        f.no_neg_0 = true;
        pos += 1;
    }
    if s.get(pos) == Some(&'#') {
        f.alternate = true;
        pos += 1;
    }
    // The special case for 0-padding (backwards compatibility): '0' means fill '0', and for
    // numbers (default alignment '>') also align '='.
    if !fill_specified && s.get(pos) == Some(&'0') {
        f.fill = '0';
        if !align_specified && default_align == '>' {
            f.align = '=';
        }
        pos += 1;
    }
    let (w, consumed) = get_integer(&s, &mut pos)?;
    if consumed > 0 {
        f.width = w;
    }
    if s.get(pos) == Some(&',') {
        f.grouping = Grouping::Comma;
        pos += 1;
    }
    if s.get(pos) == Some(&'_') {
        if f.grouping != Grouping::None {
            return Err(Error::value_error("Cannot specify both ',' and '_'."));
        }
        f.grouping = Grouping::Underscore;
        pos += 1;
    }
    if s.get(pos) == Some(&',') && f.grouping == Grouping::Underscore {
        return Err(Error::value_error("Cannot specify both ',' and '_'."));
    }
    if s.get(pos) == Some(&'.') {
        pos += 1;
        let (p, consumed) = get_integer(&s, &mut pos)?;
        if consumed == 0 {
            return Err(Error::value_error("Format specifier missing precision"));
        }
        f.precision = p;
    }
    let rest = s.len().saturating_sub(pos);
    if rest > 1 {
        return Err(Error::value_error(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        )));
    }
    if rest == 1 {
        f.ty = s.get(pos).copied();
    }
    if f.grouping != Grouping::None {
        match f.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if f.grouping == Grouping::Underscore => {
                f.grouping = Grouping::UnderscoreFour;
            }
            Some(t) => {
                let sep = if f.grouping == Grouping::Comma {
                    ','
                } else {
                    '_'
                };
                return Err(Error::value_error(format!(
                    "Cannot specify '{sep}' with '{}'.",
                    code_for_msg(t)
                )));
            }
        }
    }
    Ok(f)
}

/// Refuses widths past [`MAX_WIDTH`] once the spec is known to apply (so that CPython's own
/// errors, like an unknown type code, still come first).
fn check_width(f: &Spec) -> Result<()> {
    if f.width > MAX_WIDTH {
        return Err(width_too_big());
    }
    Ok(())
}

/// Pads `body` (already `len` characters) to the spec's width with its fill and alignment.
fn pad(out: &mut String, body: &str, len: i64, width: i64, align: char, fill: char) {
    let total = width.max(len);
    let left = match align {
        '>' => total - len,
        '^' => (total - len) / 2,
        _ => 0,
    };
    push_repeat(out, fill, left.max(0) as usize);
    out.push_str(body);
    push_repeat(out, fill, (total - len - left).max(0) as usize);
}

/// `format(s, spec)` for a string (`str.__format__`).
pub fn format_str(s: &str, spec: &str, out: &mut String) -> Result<()> {
    if spec.is_empty() {
        out.push_str(s);
        return Ok(());
    }
    let f = parse_spec(spec, Some('s'), '<', "str")?;
    if f.ty != Some('s') {
        return Err(unknown_code(f.ty.unwrap_or('\0'), "str"));
    }
    match f.sign {
        Some(' ') => {
            return Err(Error::value_error(
                "Space not allowed in string format specifier",
            ))
        }
        Some(_) => {
            return Err(Error::value_error(
                "Sign not allowed in string format specifier",
            ))
        }
        None => {}
    }
    if f.no_neg_0 {
        return Err(Error::value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if f.alternate {
        return Err(Error::value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if f.align == '=' {
        return Err(Error::value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    check_width(&f)?;
    let mut len = s.chars().count() as i64;
    let mut body = s;
    if f.precision >= 0 && len > f.precision {
        let cut = s
            .char_indices()
            .nth(f.precision as usize)
            .map_or(s.len(), |(i, _)| i);
        body = s.get(..cut).unwrap_or(s);
        len = f.precision;
    }
    pad(out, body, len, f.width, f.align, f.fill);
    Ok(())
}

/// The pieces of a formatted number, laid out by [`write_number`] (`calc_number_widths` and
/// `fill_number` in CPython).
struct Number<'a> {
    negative: bool,
    prefix: &'a str,
    /// ASCII digits before the decimal point (grouped), possibly empty (`inf`, `%c`).
    digits: &'a str,
    has_decimal: bool,
    /// What follows the decimal point (or the digits): fraction, exponent, `%`, `inf`.
    remainder: &'a str,
    grouping: Option<(char, i64)>,
    upper: bool,
}

fn write_number(out: &mut String, n: &Number<'_>, f: &Spec) {
    let sign = match (f.sign, n.negative) {
        (_, true) => Some('-'),
        (Some('+'), false) => Some('+'),
        (Some(' '), false) => Some(' '),
        _ => None,
    };
    let n_sign = i64::from(sign.is_some());
    let n_prefix = n.prefix.len() as i64;
    let n_remainder = n.remainder.chars().count() as i64;
    let n_decimal = i64::from(n.has_decimal);
    let non_digit = n_sign + n_prefix + n_decimal + n_remainder;
    let min_width = if f.fill == '0' && f.align == '=' {
        f.width - non_digit
    } else {
        0
    };
    let mut grouped = if n.digits.is_empty() {
        String::new()
    } else {
        group_digits(n.digits.as_bytes(), min_width, n.grouping)
    };
    let mut prefix = n.prefix.to_string();
    if n.upper {
        grouped.make_ascii_uppercase();
        prefix.make_ascii_uppercase();
    }
    let n_padding = f.width - (non_digit + grouped.len() as i64);
    let (mut lpad, mut spad, mut rpad) = (0, 0, 0);
    if n_padding > 0 {
        match f.align {
            '<' => rpad = n_padding,
            '^' => {
                lpad = n_padding / 2;
                rpad = n_padding - lpad;
            }
            '=' => spad = n_padding,
            _ => lpad = n_padding,
        }
    }
    push_repeat(out, f.fill, lpad as usize);
    if let Some(c) = sign {
        out.push(c);
    }
    out.push_str(&prefix);
    push_repeat(out, f.fill, spad as usize);
    out.push_str(&grouped);
    if n.has_decimal {
        out.push('.');
    }
    out.push_str(n.remainder);
    push_repeat(out, f.fill, rpad as usize);
}

fn grouping_of(f: &Spec) -> Option<(char, i64)> {
    match f.grouping {
        Grouping::None => None,
        Grouping::Comma => Some((',', 3)),
        Grouping::Underscore => Some(('_', 3)),
        Grouping::UnderscoreFour => Some(('_', 4)),
    }
}

/// `format(i, spec)` for an `int` (or a `bool` when `type_name` is `"bool"`, whose empty
/// spec is handled by the caller).
pub fn format_int(i: i64, spec: &str, type_name: &str, out: &mut String) -> Result<()> {
    if spec.is_empty() {
        out.push_str(&i.to_string());
        return Ok(());
    }
    let f = parse_spec(spec, Some('d'), '>', type_name)?;
    let ty = f.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            // int.__format__ converts to float for the float presentation types.
            return format_float_spec(i as f64, &f, out);
        }
        t => return Err(unknown_code(t, type_name)),
    }
    if f.precision != -1 {
        return Err(Error::value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if f.no_neg_0 {
        return Err(Error::value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    if ty == 'c' {
        if f.sign.is_some() {
            return Err(Error::value_error(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if f.alternate {
            return Err(Error::value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let ch = int_to_char(i)?;
        check_width(&f)?;
        let remainder = ch.to_string();
        let n = Number {
            negative: false,
            prefix: "",
            digits: "",
            has_decimal: false,
            remainder: &remainder,
            grouping: None,
            upper: false,
        };
        write_number(out, &n, &f);
        return Ok(());
    }
    let base = match ty {
        'b' => 2,
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    check_width(&f)?;
    let digits = int_digits(i.unsigned_abs(), base);
    let n = Number {
        negative: i < 0,
        prefix: if f.alternate { base_prefix(base) } else { "" },
        digits: &digits,
        has_decimal: false,
        remainder: "",
        // 'n' uses the C locale, which does not group.
        grouping: if ty == 'n' { None } else { grouping_of(&f) },
        upper: ty == 'X',
    };
    write_number(out, &n, &f);
    Ok(())
}

/// The character for `%c` / `{:c}`: `OverflowError` outside `range(0x110000)`.
///
/// Python can hold a lone surrogate (U+D800..U+DFFF) in a `str`; a Rust `String` cannot, so
/// those code points become U+FFFD REPLACEMENT CHARACTER.
pub(crate) fn int_to_char(i: i64) -> Result<char> {
    if !(0..=0x10ffff).contains(&i) {
        return Err(overflow_error("%c arg not in range(0x110000)"));
    }
    Ok(char::from_u32(i as u32).unwrap_or('\u{fffd}'))
}

/// `format(x, spec)` for a `float`.
pub fn format_float(x: f64, spec: &str, out: &mut String) -> Result<()> {
    if spec.is_empty() {
        out.push_str(&super::float_repr(x));
        return Ok(());
    }
    let f = parse_spec(spec, None, '>', "float")?;
    match f.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => format_float_spec(x, &f, out),
        Some(t) => Err(unknown_code(t, "float")),
    }
}

/// `format_float_internal`.
fn format_float_spec(mut x: f64, f: &Spec, out: &mut String) -> Result<()> {
    if f.precision > i64::from(i32::MAX) || f.precision > MAX_PRECISION {
        return Err(precision_too_big());
    }
    check_width(f)?;
    let mut flags = FloatFlags {
        alt: f.alternate,
        no_neg_0: f.no_neg_0,
        ..FloatFlags::default()
    };
    let mut default_precision = 6;
    let mut ty = f.ty.unwrap_or('r');
    if f.ty.is_none() {
        // No type: like repr() without a precision, else like 'g' but keeping a ".0".
        flags.add_dot_0 = true;
        default_precision = 0;
    }
    if ty == 'n' {
        ty = 'g';
    }
    let mut add_pct = false;
    if ty == '%' {
        ty = 'f';
        x *= 100.0;
        add_pct = true;
    }
    let precision = if f.precision < 0 {
        default_precision
    } else {
        if ty == 'r' {
            ty = 'g';
        }
        f.precision as usize
    };
    let mut s = double_to_string(x, ty, precision, flags);
    if add_pct {
        s.push('%');
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let n_int = body.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, after) = body.split_at(n_int);
    let (has_decimal, remainder) = match after.strip_prefix('.') {
        Some(r) => (true, r),
        None => (false, after),
    };
    let n = Number {
        negative,
        prefix: "",
        digits,
        has_decimal,
        remainder,
        grouping: if f.ty == Some('n') {
            None
        } else {
            grouping_of(f)
        },
        upper: false,
    };
    write_number(out, &n, f);
    Ok(())
}

/// `format(value, spec)` as `str.format` calls it for a replacement field.
pub fn format_value(v: &Value, spec: &str, out: &mut String) -> Result<()> {
    match v {
        Value::Str(s) => format_str(s, spec, out),
        Value::Int(i) => format_int(*i, spec, "int", out),
        Value::Bool(b) => {
            if spec.is_empty() {
                out.push_str(if *b { "True" } else { "False" });
                Ok(())
            } else {
                format_int(i64::from(*b), spec, "bool", out)
            }
        }
        Value::Float(x) => format_float(*x, spec, out),
        Value::Object(o) => match o.py_format(spec) {
            Some(r) => {
                out.push_str(&r?);
                Ok(())
            }
            None => format_str(&o.py_str()?, spec, out),
        },
        Value::None | Value::List(_) | Value::Tuple(_) | Value::Dict(_) => {
            // object.__format__: only the empty spec, meaning str(self).
            if spec.is_empty() {
                super::write_str(v, out)
            } else {
                Err(Error::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    v.type_name()
                )))
            }
        }
    }
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
