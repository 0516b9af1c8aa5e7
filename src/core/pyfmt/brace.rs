//! `str.format(*args, **kwargs)` and `_string.formatter_parser`, ported from CPython 3.13's
//! Objects/stringlib/unicode_format.h, plus logging's `StrFormatStyle.validate`.
//!
//! Parsing is lazy, as in CPython: each replacement field is rendered before the rest of the
//! string is parsed, so an error in an early field wins over a syntax error later on.

use super::minire::{match_start, Node};
use super::repr::keys_equal;
use super::spec::format_value;
use super::unicode::{decimal_value, is_word};
use super::{write_ascii, write_repr, write_str, write_str_repr};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::value::Value;

/// One item of [`parse_fields`], shaped like a `_string.formatter_parser` tuple:
/// `(literal, Some((field_name, format_spec, conversion)))`, or `(literal, None)` where
/// Python yields `(literal, None, None, None)`.
pub type ParsedField = (String, Option<(String, String, Option<char>)>);

/// A replacement field as the markup parser finds it.
struct Field<'a> {
    name: &'a str,
    spec: &'a str,
    conversion: Option<char>,
    /// The spec contains `{`: it is itself a format string (one level deep).
    spec_needs_expanding: bool,
}

/// `MarkupIterator_next`: the literal text up to the next field (an escaped `{{`/`}}` ends
/// the literal with one brace and no field), and the field, if any.
fn next_markup<'a>(s: &'a str, pos: &mut usize) -> Option<Result<(&'a str, Option<Field<'a>>)>> {
    let b = s.as_bytes();
    if *pos >= b.len() {
        return None;
    }
    let start = *pos;
    let mut c = 0u8;
    let mut markup_follows = false;
    while let Some(&ch) = b.get(*pos) {
        *pos += 1;
        c = ch;
        if ch == b'{' || ch == b'}' {
            markup_follows = true;
            break;
        }
    }
    let at_end = *pos >= b.len();
    let mut len = *pos - start;
    if markup_follows && c == b'}' && (at_end || b.get(*pos) != Some(&b'}')) {
        return Some(Err(Error::value_error(
            "Single '}' encountered in format string",
        )));
    }
    if markup_follows && at_end && c == b'{' {
        return Some(Err(Error::value_error(
            "Single '{' encountered in format string",
        )));
    }
    if !at_end {
        if b.get(*pos) == Some(&c) {
            // An escaped brace: the literal keeps one, and no field follows.
            *pos += 1;
            markup_follows = false;
        } else {
            len -= 1;
        }
    }
    let literal = s.get(start..start + len).unwrap_or("");
    if !markup_follows {
        return Some(Ok((literal, None)));
    }
    Some(parse_field(s, pos).map(|f| (literal, Some(f))))
}

/// `parse_field`: reads `name[!conv][:spec]}` from just after the `{`.
fn parse_field<'a>(s: &'a str, pos: &mut usize) -> Result<Field<'a>> {
    let b = s.as_bytes();
    let name_start = *pos;
    let mut c = 0u8;
    while let Some(&ch) = b.get(*pos) {
        *pos += 1;
        c = ch;
        match ch {
            b'{' => return Err(Error::value_error("unexpected '{' in field name")),
            b'[' => {
                // Inside brackets anything goes until the ']'.
                while b.get(*pos).is_some_and(|&x| x != b']') {
                    *pos += 1;
                }
            }
            b'}' | b':' | b'!' => break,
            _ => {}
        }
    }
    let name = s.get(name_start..pos.saturating_sub(1)).unwrap_or("");
    let mut field = Field {
        name,
        spec: "",
        conversion: None,
        spec_needs_expanding: false,
    };
    if c == b'!' || c == b':' {
        if c == b'!' {
            let Some(conv) = s.get(*pos..).and_then(|r| r.chars().next()) else {
                return Err(Error::value_error(
                    "end of string while looking for conversion specifier",
                ));
            };
            field.conversion = Some(conv);
            *pos += conv.len_utf8();
            if let Some(&next) = b.get(*pos) {
                *pos += 1;
                if next == b'}' {
                    return Ok(field);
                }
                if next != b':' {
                    return Err(Error::value_error(
                        "expected ':' after conversion specifier",
                    ));
                }
            }
        }
        let spec_start = *pos;
        let mut depth = 1;
        while let Some(&ch) = b.get(*pos) {
            *pos += 1;
            if ch == b'{' {
                field.spec_needs_expanding = true;
                depth += 1;
            } else if ch == b'}' {
                depth -= 1;
                if depth == 0 {
                    field.spec = s.get(spec_start..*pos - 1).unwrap_or("");
                    return Ok(field);
                }
            }
        }
        return Err(Error::value_error("unmatched '{' in format spec"));
    }
    if c != b'}' {
        return Err(Error::value_error("expected '}' before end of string"));
    }
    Ok(field)
}

/// `_string.formatter_parser(fmt)` as a list: the literal text and replacement fields of a
/// format string, or the `ValueError` the parser raises (at the first bad field).
pub fn parse_fields(fmt: &str) -> Result<Vec<ParsedField>> {
    let mut pos = 0;
    let mut items = Vec::new();
    while let Some(m) = next_markup(fmt, &mut pos) {
        let (literal, field) = m?;
        let field = field.map(|f| (f.name.to_string(), f.spec.to_string(), f.conversion));
        items.push((literal.to_string(), field));
    }
    Ok(items)
}

/// Automatic (`{}`) versus manual (`{0}`) field numbering; they cannot be mixed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Init,
    Auto,
    Manual,
}

struct Formatter<'a> {
    positional: &'a [Value],
    keyword: &'a dyn Fn(&str) -> Option<Value>,
    numbering: Numbering,
    next_auto: usize,
}

/// Formats `fmt.format(*positional, **keyword)` into `out`, or returns the exception CPython
/// raises (`IndexError: Replacement index 1 out of range for positional args tuple`,
/// `KeyError: 'name'`, `ValueError: Single '}' encountered in format string`, …). On error
/// `out` is left as it was.
pub fn brace_format(
    fmt: &str,
    positional: &[Value],
    keyword: &dyn Fn(&str) -> Option<Value>,
    out: &mut String,
) -> Result<()> {
    let mut f = Formatter {
        positional,
        keyword,
        numbering: Numbering::Init,
        next_auto: 0,
    };
    let mark = out.len();
    // PEP 3101 allows one level of nesting inside a spec: "{0:{1}}" but not "{0:{1:{2}}}".
    let r = f.build_string(fmt, 2, out);
    if r.is_err() {
        out.truncate(mark);
    }
    r
}

/// `get_integer` on a whole field-name part: `Some(n)` if it is all Unicode decimal digits.
fn field_integer(s: &str) -> Result<Option<usize>> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut acc: i64 = 0;
    for c in s.chars() {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(i64::from(d)))
            .ok_or_else(|| Error::value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(usize::try_from(acc).unwrap_or(usize::MAX)))
}

impl Formatter<'_> {
    fn build_string(&mut self, fmt: &str, depth: i32, out: &mut String) -> Result<()> {
        if depth <= 0 {
            return Err(Error::value_error("Max string recursion exceeded"));
        }
        let mut pos = 0;
        let mark = out.len();
        while let Some(m) = next_markup(fmt, &mut pos) {
            super::check_output(out, mark)?;
            let (literal, field) = m?;
            out.push_str(literal);
            if let Some(field) = field {
                self.output_markup(&field, depth, out)?;
            }
        }
        Ok(())
    }

    fn output_markup(&mut self, field: &Field<'_>, depth: i32, out: &mut String) -> Result<()> {
        let mut obj = self.field_object(field.name)?;
        if let Some(conv) = field.conversion {
            let mut s = String::new();
            match conv {
                'r' => write_repr(&obj, &mut s)?,
                's' => write_str(&obj, &mut s)?,
                'a' => write_ascii(&obj, &mut s)?,
                c => {
                    let cp = c as u32;
                    let shown = if cp > 32 && cp < 127 {
                        c.to_string()
                    } else {
                        format!("\\x{cp:x}")
                    };
                    return Err(Error::value_error(format!(
                        "Unknown conversion specifier {shown}"
                    )));
                }
            }
            obj = Value::from(s);
        }
        if field.spec_needs_expanding {
            let mut spec = String::new();
            self.build_string(field.spec, depth - 1, &mut spec)?;
            format_value(&obj, &spec, out)
        } else {
            format_value(&obj, field.spec, out)
        }
    }

    /// `get_field_object`: the argument named by the first part, then each `.attr`/`[key]`.
    fn field_object(&mut self, name: &str) -> Result<Value> {
        let split = name.find(['.', '[']).unwrap_or(name.len());
        let (first, rest) = name.split_at(split);
        let mut index = field_integer(first)?;
        let empty = first.is_empty();
        if empty || index.is_some() {
            if self.numbering == Numbering::Init {
                self.numbering = if empty {
                    Numbering::Auto
                } else {
                    Numbering::Manual
                };
            }
            if self.numbering == Numbering::Manual && empty {
                return Err(Error::value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            if self.numbering == Numbering::Auto && !empty {
                return Err(Error::value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            if empty {
                index = Some(self.next_auto);
                self.next_auto += 1;
            }
        }
        let mut obj = match index {
            None => (self.keyword)(first).ok_or_else(|| key_error_str(first))?,
            Some(i) => self.positional.get(i).cloned().ok_or_else(|| {
                Error::new(
                    ErrorKind::IndexError,
                    format!("Replacement index {i} out of range for positional args tuple"),
                )
            })?,
        };
        let b = rest.as_bytes();
        let mut pos = 0;
        while let Some(&c) = b.get(pos) {
            pos += 1;
            let start = pos;
            let part;
            let is_attr = match c {
                b'.' => {
                    while b.get(pos).is_some_and(|&x| x != b'.' && x != b'[') {
                        pos += 1;
                    }
                    part = rest.get(start..pos).unwrap_or("");
                    true
                }
                b'[' => {
                    while b.get(pos).is_some_and(|&x| x != b']') {
                        pos += 1;
                    }
                    if pos >= b.len() {
                        return Err(Error::value_error("Missing ']' in format string"));
                    }
                    part = rest.get(start..pos).unwrap_or("");
                    pos += 1;
                    false
                }
                _ => {
                    return Err(Error::value_error(
                        "Only '.' or '[' may follow ']' in format field specifier",
                    ))
                }
            };
            let index = if is_attr { None } else { field_integer(part)? };
            if part.is_empty() {
                return Err(Error::value_error("Empty attribute in format string"));
            }
            obj = if is_attr {
                get_attr(&obj, part)?
            } else {
                match index {
                    Some(i) => get_item_int(&obj, i)?,
                    None => get_item_str(&obj, part)?,
                }
            };
        }
        Ok(obj)
    }
}

fn key_error_str(key: &str) -> Error {
    let mut r = String::new();
    write_str_repr(key, &mut r);
    Error::key_error(r)
}

fn not_subscriptable(v: &Value) -> Error {
    Error::type_error(format!("'{}' object is not subscriptable", v.type_name()))
}

/// `getattr(obj, name)`: objects answer through `PyObject::get_attr`; of the built-in types
/// only the numeric data attributes exist here (methods have no `Value` to return).
fn get_attr(obj: &Value, name: &str) -> Result<Value> {
    let found = match (obj, name) {
        (Value::Object(o), _) => o.get_attr(name),
        (Value::Int(i), "real" | "numerator") => Some(Value::Int(*i)),
        (Value::Bool(b), "real" | "numerator") => Some(Value::Int(i64::from(*b))),
        (Value::Int(_) | Value::Bool(_), "imag") => Some(Value::Int(0)),
        (Value::Int(_) | Value::Bool(_), "denominator") => Some(Value::Int(1)),
        (Value::Float(x), "real") => Some(Value::Float(*x)),
        (Value::Float(_), "imag") => Some(Value::Float(0.0)),
        _ => None,
    };
    found.ok_or_else(|| {
        Error::new(
            ErrorKind::AttributeError,
            format!("'{}' object has no attribute '{name}'", obj.type_name()),
        )
    })
}

/// `obj[i]` for a `[digits]` item: sequences index, dicts look the int up.
fn get_item_int(obj: &Value, i: usize) -> Result<Value> {
    let out_of_range =
        |what: &str| Error::new(ErrorKind::IndexError, format!("{what} index out of range"));
    match obj {
        Value::List(items) => items.get(i).cloned().ok_or_else(|| out_of_range("list")),
        Value::Tuple(items) => items.get(i).cloned().ok_or_else(|| out_of_range("tuple")),
        Value::Str(s) => s
            .chars()
            .nth(i)
            .map(|c| Value::from(c.to_string()))
            .ok_or_else(|| out_of_range("string")),
        Value::Dict(entries) => entries
            .iter()
            .rev()
            .find(|(k, _)| i64::try_from(i).is_ok_and(|i| keys_equal(k, &Value::Int(i))))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::key_error(i.to_string())),
        _ => Err(not_subscriptable(obj)),
    }
}

/// `obj[name]` for a non-numeric `[name]` item.
fn get_item_str(obj: &Value, name: &str) -> Result<Value> {
    match obj {
        Value::Dict(_) => obj
            .dict_get(name)
            .cloned()
            .ok_or_else(|| key_error_str(name)),
        Value::List(_) | Value::Tuple(_) => Err(Error::type_error(format!(
            "{} indices must be integers or slices, not str",
            obj.type_name()
        ))),
        Value::Str(_) => Err(Error::type_error(
            "string indices must be integers, not 'str'",
        )),
        _ => Err(not_subscriptable(obj)),
    }
}

fn is_decimal(c: char) -> bool {
    decimal_value(c).is_some()
}
fn not_newline(c: char) -> bool {
    c != '\n'
}
fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}
fn is_sign(c: char) -> bool {
    matches!(c, '+' | ' ' | '-')
}
fn is_hash(c: char) -> bool {
    c == '#'
}
fn is_zero(c: char) -> bool {
    c == '0'
}
fn is_lbrace(c: char) -> bool {
    c == '{'
}
fn is_rbrace(c: char) -> bool {
    c == '}'
}
fn is_grouping(c: char) -> bool {
    c == ',' || c == '_'
}
fn is_dot(c: char) -> bool {
    c == '.'
}
/// `[bcdefgnosx%]` under `re.IGNORECASE`: upper case too, and U+017F LATIN SMALL LETTER LONG S,
/// which Unicode case-folds to `s`.
fn is_spec_type(c: char) -> bool {
    matches!(
        c.to_ascii_lowercase(),
        'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'n' | 'o' | 's' | 'x' | '%'
    ) || c == '\u{17f}'
}

/// `(\d+|{\w+})`
static WIDTH: &[&[Node]] = &[
    &[Node::Repeat(is_decimal, 1)],
    &[
        Node::Class(is_lbrace),
        Node::Repeat(is_word, 1),
        Node::Class(is_rbrace),
    ],
];

/// logging's `StrFormatStyle.fmt_spec`:
/// `^(.?[<>=^])?[+ -]?#?0?(\d+|{\w+})?[,_]?(\.(\d+|{\w+}))?[bcdefgnosx%]?$` with `re.I`.
static FMT_SPEC: &[Node] = &[
    Node::Opt(&[
        Node::Opt(&[Node::Class(not_newline)]),
        Node::Class(is_align),
    ]),
    Node::Opt(&[Node::Class(is_sign)]),
    Node::Opt(&[Node::Class(is_hash)]),
    Node::Opt(&[Node::Class(is_zero)]),
    Node::Opt(&[Node::Alt(WIDTH)]),
    Node::Opt(&[Node::Class(is_grouping)]),
    Node::Opt(&[Node::Class(is_dot), Node::Alt(WIDTH)]),
    Node::Opt(&[Node::Class(is_spec_type)]),
    Node::End,
];

/// logging's `StrFormatStyle.field_spec`, `^(\d+|\w+)(\.\w+|\[[^]]+\])*$`, matched by hand:
/// every repetition in it is followed by a character it cannot consume, so a greedy scan
/// decides it.
fn field_spec_matches(name: &str) -> bool {
    let s: Vec<char> = name.chars().collect();
    let at_end = |p: usize| p == s.len() || (p + 1 == s.len() && s.get(p) == Some(&'\n'));
    let word_run = |mut p: usize| {
        let start = p;
        while s.get(p).is_some_and(|&c| is_word(c)) {
            p += 1;
        }
        (p > start).then_some(p)
    };
    let Some(mut p) = word_run(0) else {
        return false;
    };
    loop {
        if at_end(p) {
            return true;
        }
        match s.get(p) {
            Some('.') => match word_run(p + 1) {
                Some(q) => p = q,
                None => return false,
            },
            Some('[') => {
                let Some(close) = s.iter().skip(p + 1).position(|&c| c == ']') else {
                    return false;
                };
                if close == 0 {
                    return false;
                }
                p += close + 2;
            }
            _ => return false,
        }
    }
}

/// logging's `StrFormatStyle.validate` (3.13): every field name must match `field_spec`, every
/// conversion be `r`, `s` or `a`, every spec match `fmt_spec`, and there must be a named field;
/// any problem (including a parse error) is `ValueError: invalid format: ...`.
///
/// An empty `fmt` validates as the style's default `{message}`, as `StrFormatStyle(fmt)` would.
pub fn validate_str_format_style(fmt: &str) -> Result<()> {
    let fmt = if fmt.is_empty() { "{message}" } else { fmt };
    let invalid = |msg: String| Error::value_error(format!("invalid format: {msg}"));
    let repr = |s: &str| {
        let mut r = String::new();
        write_str_repr(s, &mut r);
        r
    };
    let mut has_fields = false;
    let mut pos = 0;
    while let Some(m) = next_markup(fmt, &mut pos) {
        let (_, field) = m.map_err(|e| invalid(e.message().to_string()))?;
        let Some(f) = field else { continue };
        if !f.name.is_empty() {
            if !field_spec_matches(f.name) {
                return Err(invalid(format!(
                    "invalid field name/expression: {}",
                    repr(f.name)
                )));
            }
            has_fields = true;
        }
        if let Some(c) = f.conversion {
            if !matches!(c, 'r' | 's' | 'a') {
                return Err(invalid(format!(
                    "invalid conversion: {}",
                    repr(&c.to_string())
                )));
            }
        }
        let spec: Vec<char> = f.spec.chars().collect();
        if !spec.is_empty() && !match_start(FMT_SPEC, &spec) {
            return Err(invalid(format!("bad specifier: {}", repr(f.spec))));
        }
    }
    if !has_fields {
        return Err(invalid("no fields".to_string()));
    }
    Ok(())
}

#[cfg(test)]
#[path = "brace_tests.rs"]
mod tests;
