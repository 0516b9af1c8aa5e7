//! Python's `str % args` (`PyUnicode_Format` in CPython 3.13's Objects/unicodeobject.c).
//!
//! The parser follows CPython's character by character, including the order in which it
//! consumes arguments and raises errors (`'%q' % ()` is "not enough arguments", not
//! "unsupported format character", because the argument is fetched first).

use super::number::{base_prefix, double_to_string, float_to_int_digits, int_digits, FloatFlags};
use super::spec::int_to_char;
use super::{
    overflow_error, precision_too_big, push_repeat, width_too_big, write_ascii, write_repr,
    write_str, MAX_PRECISION, MAX_WIDTH,
};
use crate::core::error::{Error, Result};
use crate::core::value::Value;

/// The right operand of `%`.
#[derive(Clone, Copy)]
pub enum PercentArgs<'a> {
    /// A tuple: its items are the arguments, in order.
    Tuple(&'a [Value]),
    /// Any other single value. A `Dict` (or, as in CPython, a `List`) also serves as the
    /// mapping for `%(key)s` and never raises "not all arguments converted"; a `Tuple` value
    /// is used as [`PercentArgs::Tuple`], as Python would.
    Single(&'a Value),
    /// A mapping given as a lookup function (the logging `Formatter`'s view of a record),
    /// standing for a `dict`. A conversion without a `(key)` takes the mapping itself, as in
    /// CPython, so `%d`, `%x`, `%f`, `%c` and `*` raise CPython's own errors for a dict
    /// (`TypeError: %d format: a real number is required, not dict`). Only `%s`, `%r` and
    /// `%a` differ: they would print the whole mapping, which a lookup function cannot
    /// enumerate, and raise `TypeError: not enough arguments for format string` instead.
    Mapping(&'a dyn Fn(&str) -> Option<Value>),
}

/// The mapping used by `%(key)s`, if the operand is one.
enum Mapping<'a> {
    None,
    Value(&'a Value),
    Func(&'a dyn Fn(&str) -> Option<Value>),
}

/// An argument taken from the operand.
enum Fetched {
    Value(Value),
    /// The [`PercentArgs::Mapping`] function itself (CPython's `args` when it is the dict).
    MappingItself,
}

impl Fetched {
    /// The value as far as type checks go: the mapping is a `dict` to them.
    fn into_value(self) -> Value {
        match self {
            Fetched::Value(v) => v,
            Fetched::MappingItself => Value::Dict(std::rc::Rc::new(Vec::new())),
        }
    }
}

/// Where the next argument comes from (`args`, `arglen` and `argidx` in CPython).
enum Args<'a> {
    Tuple {
        items: &'a [Value],
        next: usize,
    },
    /// A single value, usable once (`arglen == -1`). `None` stands for a function mapping.
    One {
        value: Option<Value>,
        used: bool,
    },
}

struct Ctx<'a> {
    args: Args<'a>,
    mapping: Mapping<'a>,
}

impl Ctx<'_> {
    fn next_arg(&mut self) -> Result<Fetched> {
        let not_enough = || Error::type_error("not enough arguments for format string");
        match &mut self.args {
            Args::Tuple { items, next } => {
                let v = items.get(*next).ok_or_else(not_enough)?;
                *next += 1;
                Ok(Fetched::Value(v.clone()))
            }
            Args::One { value, used } => {
                if *used {
                    return Err(not_enough());
                }
                *used = true;
                Ok(value.clone().map_or(Fetched::MappingItself, Fetched::Value))
            }
        }
    }

    fn lookup(&self, key: &str) -> Result<Value> {
        let missing = || {
            let mut r = String::new();
            super::write_str_repr(key, &mut r);
            Error::key_error(r)
        };
        match self.mapping {
            Mapping::None => Err(Error::type_error("format requires a mapping")),
            Mapping::Func(f) => f(key).ok_or_else(missing),
            Mapping::Value(d @ Value::Dict(_)) => d.dict_get(key).cloned().ok_or_else(missing),
            Mapping::Value(v) => Err(Error::type_error(format!(
                "{} indices must be integers or slices, not str",
                v.type_name()
            ))),
        }
    }
}

/// One conversion specifier's flags, width and precision (`unicode_format_arg_t`).
struct Arg {
    ch: char,
    ljust: bool,
    plus: bool,
    blank: bool,
    alt: bool,
    zero: bool,
    /// -1 when absent.
    width: i64,
    /// -1 when absent.
    prec: i64,
    /// Numeric conversions take part in sign handling and zero padding.
    sign: bool,
}

/// Formats `fmt % args` into `out`, exactly as CPython 3.13 does, or returns the exception it
/// would raise (`TypeError: not all arguments converted during string formatting`,
/// `ValueError: unsupported format character 'q' (0x71) at index 3`, `KeyError: 'name'`, …).
/// On error `out` is left as it was.
pub fn percent_format(fmt: &str, args: PercentArgs<'_>, out: &mut String) -> Result<()> {
    let mark = out.len();
    let r = format_all(fmt, args, out);
    if r.is_err() {
        out.truncate(mark);
    }
    r
}

fn format_all(fmt: &str, args: PercentArgs<'_>, out: &mut String) -> Result<()> {
    let (args, mapping) = match args {
        PercentArgs::Tuple(items) => (Args::Tuple { items, next: 0 }, Mapping::None),
        PercentArgs::Single(Value::Tuple(items)) => (Args::Tuple { items, next: 0 }, Mapping::None),
        PercentArgs::Single(v) => {
            // PyMapping_Check: dicts, and lists (they have __getitem__); never str.
            let mapping = match v {
                Value::Dict(_) | Value::List(_) => Mapping::Value(v),
                _ => Mapping::None,
            };
            let one = Args::One {
                value: Some(v.clone()),
                used: false,
            };
            (one, mapping)
        }
        PercentArgs::Mapping(f) => (
            Args::One {
                value: None,
                used: false,
            },
            Mapping::Func(f),
        ),
    };
    let mut ctx = Ctx { args, mapping };
    let bytes = fmt.as_bytes();
    let mut pos = 0;
    let mark = out.len();
    while pos < bytes.len() {
        super::check_output(out, mark)?;
        let lit_end = bytes
            .get(pos..)
            .unwrap_or(&[])
            .iter()
            .position(|&b| b == b'%')
            .map_or(bytes.len(), |p| pos + p);
        out.push_str(fmt.get(pos..lit_end).unwrap_or(""));
        if lit_end >= bytes.len() {
            break;
        }
        pos = lit_end + 1;
        if bytes.get(pos) == Some(&b'%') {
            out.push('%');
            pos += 1;
            continue;
        }
        pos = format_arg(fmt, pos, &mut ctx, out)?;
    }
    let unused = match &ctx.args {
        Args::Tuple { items, next } => *next < items.len(),
        Args::One { used, .. } => !*used,
    };
    if unused && matches!(ctx.mapping, Mapping::None) {
        return Err(Error::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(())
}

/// The character at byte `pos` and the position after it; "incomplete format" at the end.
fn next_char(fmt: &str, pos: usize) -> Result<(char, usize)> {
    fmt.get(pos..)
        .and_then(|rest| rest.chars().next())
        .map(|c| (c, pos + c.len_utf8()))
        .ok_or_else(|| Error::value_error("incomplete format"))
}

/// An int argument for `*` (bool is an int; anything else is "* wants int").
fn star_int(v: &Value) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        _ => Err(Error::type_error("* wants int")),
    }
}

/// Parses and formats one conversion starting just after its `%`; returns the position
/// after the conversion character.
fn format_arg(fmt: &str, mut pos: usize, ctx: &mut Ctx<'_>, out: &mut String) -> Result<usize> {
    let bytes = fmt.as_bytes();
    if bytes.get(pos) == Some(&b'(') {
        if matches!(ctx.mapping, Mapping::None) {
            return Err(Error::type_error("format requires a mapping"));
        }
        pos += 1;
        let key_start = pos;
        let mut depth = 1;
        while depth > 0 {
            match bytes.get(pos) {
                None => return Err(Error::value_error("incomplete format key")),
                Some(b')') => depth -= 1,
                Some(b'(') => depth += 1,
                Some(_) => {}
            }
            pos += 1;
        }
        let key = fmt.get(key_start..pos - 1).unwrap_or("");
        let value = ctx.lookup(key)?;
        ctx.args = Args::One {
            value: Some(value),
            used: false,
        };
    }
    let mut a = Arg {
        ch: '\0',
        ljust: false,
        plus: false,
        blank: false,
        alt: false,
        zero: false,
        width: -1,
        prec: -1,
        sign: false,
    };
    let (mut c, mut p) = next_char(fmt, pos)?;
    loop {
        match c {
            '-' => a.ljust = true,
            '+' => a.plus = true,
            ' ' => a.blank = true,
            '#' => a.alt = true,
            '0' => a.zero = true,
            _ => break,
        }
        (c, p) = next_char(fmt, p)?;
    }
    if c == '*' {
        let w = star_int(&ctx.next_arg()?.into_value())?;
        if w < 0 {
            a.ljust = true;
        }
        // CPython negates in a Py_ssize_t: -(i64::MIN) wraps to itself, a negative width that
        // then behaves like no width at all. Mirror the wrap.
        a.width = w.wrapping_abs();
        (c, p) = next_char(fmt, p)?;
    } else if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii()) {
        a.width = i64::from(d);
        loop {
            (c, p) = next_char(fmt, p)?;
            let Some(d) = c.to_digit(10).filter(|_| c.is_ascii()) else {
                break;
            };
            a.width = a
                .width
                .checked_mul(10)
                .and_then(|w| w.checked_add(i64::from(d)))
                .ok_or_else(width_too_big)?;
        }
    }
    if c == '.' {
        a.prec = 0;
        (c, p) = next_char(fmt, p)?;
        if c == '*' {
            let v = star_int(&ctx.next_arg()?.into_value())?;
            let v = i32::try_from(v)
                .map_err(|_| overflow_error("Python int too large to convert to C int"))?;
            a.prec = i64::from(v.max(0));
            (c, p) = next_char(fmt, p)?;
        } else if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii()) {
            a.prec = i64::from(d);
            loop {
                (c, p) = next_char(fmt, p)?;
                let Some(d) = c.to_digit(10).filter(|_| c.is_ascii()) else {
                    break;
                };
                a.prec = a.prec * 10 + i64::from(d);
                if a.prec > i64::from(i32::MAX) {
                    return Err(precision_too_big());
                }
            }
        }
    }
    // Length modifiers are accepted and ignored ("%ld", "%hi").
    if matches!(c, 'h' | 'l' | 'L') {
        (c, p) = next_char(fmt, p)?;
    }
    a.ch = c;
    let conv_pos = p - c.len_utf8();

    let v = match ctx.next_arg()? {
        Fetched::MappingItself if matches!(c, 's' | 'r' | 'a') => {
            return Err(Error::type_error("not enough arguments for format string"));
        }
        fetched => fetched.into_value(),
    };
    if let (Value::Str(s), 's', -1, -1, false, false) = (&v, c, a.width, a.prec, a.plus, a.blank) {
        // The hot path of `%(message)s`: nothing to pad or cut, so no temporary copy.
        out.push_str(s);
        return Ok(p);
    }
    let text = match c {
        's' => match &v {
            Value::Str(s) => s.to_string(),
            _ => {
                let mut s = String::new();
                write_str(&v, &mut s)?;
                s
            }
        },
        'r' => {
            let mut s = String::new();
            write_repr(&v, &mut s)?;
            s
        }
        'a' => {
            let mut s = String::new();
            write_ascii(&v, &mut s)?;
            s
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
            a.sign = true;
            format_long(&v, &a)?
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            a.sign = true;
            let x = float_arg(&v)?;
            let prec = if a.prec < 0 { 6 } else { a.prec };
            if prec > MAX_PRECISION {
                return Err(precision_too_big());
            }
            let flags = FloatFlags {
                alt: a.alt,
                ..FloatFlags::default()
            };
            double_to_string(x, c, prec as usize, flags)
        }
        'c' => char_arg(&v)?.to_string(),
        _ => {
            let cp = c as u32;
            let shown = if (31..=126).contains(&cp) { c } else { '?' };
            let index = fmt.get(..conv_pos).map_or(0, |s| s.chars().count());
            return Err(Error::value_error(format!(
                "unsupported format character '{shown}' (0x{cp:x}) at index {index}"
            )));
        }
    };
    output(out, &a, &text)?;
    Ok(p)
}

/// `PyFloat_AsDouble` as `%e/%f/%g` use it.
fn float_arg(v: &Value) -> Result<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Object(o) => o
            .as_float()
            .or_else(|| o.as_int().map(|i| i as f64))
            .ok_or_else(|| {
                Error::type_error(format!("must be real number, not {}", o.type_name()))
            }),
        _ => Err(Error::type_error(format!(
            "must be real number, not {}",
            v.type_name()
        ))),
    }
}

/// `formatchar`: a one-character string or an int in `range(0x110000)`.
fn char_arg(v: &Value) -> Result<char> {
    let wrong = || Error::type_error("%c requires int or char");
    match v {
        Value::Str(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(wrong()),
            }
        }
        Value::Int(i) => int_to_char(*i),
        Value::Bool(b) => int_to_char(i64::from(*b)),
        Value::Object(o) => o.as_int().map_or_else(|| Err(wrong()), int_to_char),
        _ => Err(wrong()),
    }
}

/// `mainformatlong` + `_PyUnicode_FormatLong`: the integer text with sign, `#` prefix and
/// precision zero-fill (e.g. `-0x00ff`).
fn format_long(v: &Value, a: &Arg) -> Result<String> {
    let ch = a.ch;
    let hexoct = matches!(ch, 'o' | 'x' | 'X');
    let wrong = || {
        let what = if hexoct {
            "an integer is required"
        } else {
            "a real number is required"
        };
        Error::type_error(format!("%{ch} format: {what}, not {}", v.type_name()))
    };
    let base = match ch {
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let (negative, digits) = match v {
        Value::Int(i) => (*i < 0, int_digits(i.unsigned_abs(), base)),
        Value::Bool(b) => (false, int_digits(u64::from(*b), base)),
        Value::Float(f) if !hexoct => float_to_int_digits(*f)?,
        Value::Object(o) => match (o.as_int(), o.as_big_int()) {
            (Some(i), _) => (i < 0, int_digits(i.unsigned_abs(), base)),
            (None, Some(b)) => (b.is_negative(), b.magnitude_in_base(base)),
            (None, None) => return Err(wrong()),
        },
        _ => return Err(wrong()),
    };
    if a.prec > i64::from(i32::MAX) - 3 {
        return Err(overflow_error("precision too large"));
    }
    if a.prec > MAX_PRECISION {
        return Err(precision_too_big());
    }
    let mut s = String::with_capacity(digits.len() + 4);
    if negative {
        s.push('-');
    }
    if a.alt {
        s.push_str(base_prefix(base));
    }
    let zeros = a.prec - digits.len() as i64;
    if zeros > 0 {
        push_repeat(&mut s, '0', zeros as usize);
    }
    s.push_str(&digits);
    if ch == 'X' {
        s.make_ascii_uppercase();
    }
    Ok(s)
}

/// `unicode_format_arg_output`: width, `-`, `0`, `+`, space and the `#` prefix placement.
fn output(out: &mut String, a: &Arg, text: &str) -> Result<()> {
    let fill = if a.sign && a.zero { '0' } else { ' ' };
    let full_len = text.chars().count() as i64;
    if (a.width == -1 || a.width <= full_len)
        && (a.prec == -1 || a.prec >= full_len)
        && !(a.plus || a.blank)
    {
        out.push_str(text);
        return Ok(());
    }
    let cs: Vec<char> = text.chars().collect();
    let mut len = full_len;
    if matches!(a.ch, 's' | 'r' | 'a') && a.prec >= 0 && len > a.prec {
        len = a.prec;
    }
    let mut pindex = 0usize;
    let mut sign_char = None;
    if a.sign {
        match cs.first() {
            Some(&c @ ('-' | '+')) => {
                sign_char = Some(c);
                len -= 1;
                pindex = 1;
            }
            _ if a.plus => sign_char = Some('+'),
            _ if a.blank => sign_char = Some(' '),
            _ => {}
        }
    }
    let mut width = a.width.max(len);
    if width > MAX_WIDTH {
        return Err(width_too_big());
    }
    if let Some(sc) = sign_char {
        if fill != ' ' {
            out.push(sc);
        }
        if width > len {
            width -= 1;
        }
    }
    let alt_prefix = a.alt && matches!(a.ch, 'x' | 'X' | 'o');
    let push_slice = |out: &mut String, from: usize, n: i64| {
        let n = n.max(0) as usize;
        out.extend(cs.iter().skip(from).take(n));
    };
    if alt_prefix {
        if fill != ' ' {
            push_slice(out, pindex, 2);
            pindex += 2;
        }
        width = (width - 2).max(0);
        len -= 2;
    }
    if width > len && !a.ljust {
        push_repeat(out, fill, (width - len) as usize);
        width = len;
    }
    if fill == ' ' {
        if let Some(sc) = sign_char {
            out.push(sc);
        }
        if alt_prefix {
            push_slice(out, pindex, 2);
            pindex += 2;
        }
    }
    push_slice(out, pindex, len);
    if width > len {
        push_repeat(out, ' ', (width - len) as usize);
    }
    Ok(())
}

#[cfg(test)]
#[path = "percent_tests.rs"]
mod tests;
