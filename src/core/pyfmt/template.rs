//! `string.Template.substitute` and the validators of logging's `StringTemplateStyle` and
//! `PercentStyle` (CPython 3.13's Lib/string.py and Lib/logging/__init__.py).

use super::unicode::{decimal_value, is_line_break, is_word};
use super::{write_str, write_str_repr};
use crate::core::error::{Error, Result};
use crate::core::value::Value;

/// One match of `Template.pattern`:
/// `\$(?:(?P<escaped>\$)|(?P<named>ID)|{(?P<braced>ID)}|(?P<invalid>))` where ID is
/// `(?a:[_a-z][_a-z0-9]*)` under `re.IGNORECASE`, i.e. ASCII letters of either case.
enum Placeholder<'a> {
    /// `$$`.
    Escaped,
    /// `$name` or `${name}`.
    Named(&'a str),
    /// A `$` followed by anything else; `usize` is the byte offset just after the `$`.
    Invalid(usize),
}

fn is_id_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_id_continue(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

/// Finds the placeholder whose `$` is at byte `dollar`; returns it and the byte offset after it.
fn placeholder_at(s: &str, dollar: usize) -> (Placeholder<'_>, usize) {
    let b = s.as_bytes();
    let p = dollar + 1;
    match b.get(p) {
        Some(b'$') => return (Placeholder::Escaped, p + 1),
        Some(&c) if is_id_start(c) => {
            let end = p + b
                .get(p..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&c| is_id_continue(c))
                .count();
            return (Placeholder::Named(s.get(p..end).unwrap_or("")), end);
        }
        Some(b'{') if b.get(p + 1).is_some_and(|&c| is_id_start(c)) => {
            let start = p + 1;
            let run = b.get(start..).unwrap_or(&[]);
            let end = start + run.iter().take_while(|&&c| is_id_continue(c)).count();
            if b.get(end) == Some(&b'}') {
                return (Placeholder::Named(s.get(start..end).unwrap_or("")), end + 1);
            }
        }
        _ => {}
    }
    (Placeholder::Invalid(p), p)
}

/// `Template(tpl).substitute(mapping)`: `$name` and `${name}` become `str(lookup(name))`,
/// `$$` becomes `$`; a missing name is `KeyError: 'name'`, any other `$` is
/// `ValueError: Invalid placeholder in string: line L, col C` (positions as `Template`
/// computes them, in characters). On error `out` is left as it was.
pub fn template_substitute(
    tpl: &str,
    lookup: &dyn Fn(&str) -> Option<Value>,
    out: &mut String,
) -> Result<()> {
    let mark = out.len();
    let r = substitute(tpl, lookup, out);
    if r.is_err() {
        out.truncate(mark);
    }
    r
}

fn substitute(tpl: &str, lookup: &dyn Fn(&str) -> Option<Value>, out: &mut String) -> Result<()> {
    let mut pos = 0;
    let mark = out.len();
    while let Some(off) = tpl.get(pos..).and_then(|r| r.find('$')) {
        super::check_output(out, mark)?;
        let dollar = pos + off;
        out.push_str(tpl.get(pos..dollar).unwrap_or(""));
        let (ph, end) = placeholder_at(tpl, dollar);
        match ph {
            Placeholder::Escaped => out.push('$'),
            Placeholder::Named(name) => {
                let v = lookup(name).ok_or_else(|| {
                    let mut r = String::new();
                    write_str_repr(name, &mut r);
                    Error::key_error(r)
                })?;
                write_str(&v, out)?;
            }
            Placeholder::Invalid(at) => return Err(invalid_placeholder(tpl, at)),
        }
        pos = end;
    }
    out.push_str(tpl.get(pos..).unwrap_or(""));
    Ok(())
}

/// `Template._invalid`: the line is the number of lines (`str.splitlines`) in the text up to
/// and including the `$`, the column is the character offset just after the `$` counted from
/// the start of that last line.
fn invalid_placeholder(tpl: &str, at: usize) -> Error {
    let head = tpl.get(..at).unwrap_or(tpl);
    let mut line = 1;
    let mut line_start = 0; // in characters
    let mut i = 0;
    let mut chars = head.chars().peekable();
    while let Some(c) = chars.next() {
        i += 1;
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
                i += 1;
            }
            // A break at the very end of `head` would not start a new line; `head` ends
            // with the `$`, so every break here does.
            line += 1;
            line_start = i;
        }
    }
    Error::value_error(format!(
        "Invalid placeholder in string: line {line}, col {}",
        i - line_start
    ))
}

/// logging's `StringTemplateStyle.validate`: any invalid `$` is
/// `ValueError: invalid format: bare '$' not allowed`, and a format without a `$name` or
/// `${name}` is `ValueError: invalid format: no fields`.
///
/// An empty `fmt` validates as the style's default `${message}`, as the style object would.
pub fn validate_template_style(fmt: &str) -> Result<()> {
    let fmt = if fmt.is_empty() { "${message}" } else { fmt };
    let mut has_fields = false;
    let mut pos = 0;
    while let Some(off) = fmt.get(pos..).and_then(|r| r.find('$')) {
        let (ph, end) = placeholder_at(fmt, pos + off);
        match ph {
            Placeholder::Named(_) => has_fields = true,
            Placeholder::Invalid(_) => {
                return Err(Error::value_error("invalid format: bare '$' not allowed"))
            }
            Placeholder::Escaped => {}
        }
        pos = end;
    }
    if !has_fields {
        return Err(Error::value_error("invalid format: no fields"));
    }
    Ok(())
}

/// `[diouxefgcrsa%]` under `re.IGNORECASE`: upper case too, plus the non-ASCII letters that
/// Unicode case-folds onto `i` and `s` (U+0130, U+0131, U+017F).
fn is_percent_conversion(c: char) -> bool {
    matches!(
        c.to_ascii_lowercase(),
        'd' | 'i' | 'o' | 'u' | 'x' | 'e' | 'f' | 'g' | 'c' | 'r' | 's' | 'a' | '%'
    ) || matches!(c, '\u{130}' | '\u{131}' | '\u{17f}')
}

/// Does `%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]` (re.I) match at `start`?
/// Every repetition is followed by something it cannot consume (a `)`, a `*`/digit/`.`, a
/// letter), except that `0` is both a flag and a digit — and the width digits may as well
/// begin after the flags' zeros — so a greedy scan decides the match.
fn percent_field_at(s: &[char], start: usize) -> bool {
    let mut p = start;
    if s.get(p) != Some(&'%') || s.get(p + 1) != Some(&'(') {
        return false;
    }
    p += 2;
    let key_start = p;
    while s.get(p).is_some_and(|&c| is_word(c)) {
        p += 1;
    }
    if p == key_start || s.get(p) != Some(&')') {
        return false;
    }
    p += 1;
    while s
        .get(p)
        .is_some_and(|c| matches!(c, '#' | '0' | '+' | ' ' | '-'))
    {
        p += 1;
    }
    let star_or_digits = |p: &mut usize| {
        if s.get(*p) == Some(&'*') {
            *p += 1;
            return true;
        }
        let from = *p;
        while s.get(*p).is_some_and(|&c| decimal_value(c).is_some()) {
            *p += 1;
        }
        *p > from
    };
    star_or_digits(&mut p);
    if s.get(p) == Some(&'.') {
        let mut q = p + 1;
        if star_or_digits(&mut q) {
            p = q;
        }
    }
    s.get(p).is_some_and(|&c| is_percent_conversion(c))
}

/// logging's `PercentStyle.validate`: the format must contain a `%(name)s`-style field
/// somewhere, else `ValueError: Invalid format '<fmt>' for '%' style`.
///
/// An empty `fmt` validates as the style's default `%(message)s`, as the style object would.
pub fn validate_percent_style(fmt: &str) -> Result<()> {
    if fmt.is_empty() {
        return Ok(());
    }
    let s: Vec<char> = fmt.chars().collect();
    if (0..s.len()).any(|i| percent_field_at(&s, i)) {
        Ok(())
    } else {
        Err(Error::value_error(format!(
            "Invalid format '{fmt}' for '%' style"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(tpl: &str) -> String {
        let f = |k: &str| match k {
            "name" => Some(Value::str("root")),
            "n" => Some(Value::Int(3)),
            "f" => Some(Value::Float(0.5)),
            _ => None,
        };
        let mut out = String::new();
        match template_substitute(tpl, &f, &mut out) {
            Ok(()) => out,
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn substitution() {
        assert_eq!(sub("$name: ${n}x $$ $f"), "root: 3x $ 0.5");
        assert_eq!(sub("$NAME"), "KeyError: 'NAME'");
        assert_eq!(
            sub("${name"),
            "ValueError: Invalid placeholder in string: line 1, col 1"
        );
        assert_eq!(
            sub("abc$"),
            "ValueError: Invalid placeholder in string: line 1, col 4"
        );
        assert_eq!(
            sub("ab\n $"),
            "ValueError: Invalid placeholder in string: line 2, col 2"
        );
        assert_eq!(
            sub("a\r\nb\u{2028}é$ "),
            "ValueError: Invalid placeholder in string: line 3, col 2"
        );
        assert_eq!(
            sub("$"),
            "ValueError: Invalid placeholder in string: line 1, col 1"
        );
        assert_eq!(
            sub("$1"),
            "ValueError: Invalid placeholder in string: line 1, col 1"
        );
        assert_eq!(
            sub("$é"),
            "ValueError: Invalid placeholder in string: line 1, col 1"
        );
    }

    #[test]
    fn validators() {
        let vt = |f: &str| validate_template_style(f).map_err(|e| e.to_string());
        assert_eq!(vt("${a} $b $$"), Ok(()));
        assert_eq!(
            vt("$$"),
            Err("ValueError: invalid format: no fields".to_string())
        );
        assert_eq!(
            vt("$a $"),
            Err("ValueError: invalid format: bare '$' not allowed".to_string())
        );
        let vp = |f: &str| validate_percent_style(f).map_err(|e| e.to_string());
        assert_eq!(vp("%(message)s"), Ok(()));
        assert_eq!(vp("x %(a)-#0 +10.*S"), Ok(()));
        assert_eq!(vp("%(a)00012.3f"), Ok(()));
        assert_eq!(vp("%(\u{661})\u{17f}"), Ok(()));
        assert_eq!(
            vp("%(a).q"),
            Err("ValueError: Invalid format '%(a).q' for '%' style".to_string())
        );
        assert_eq!(
            vp("%s"),
            Err("ValueError: Invalid format '%s' for '%' style".to_string())
        );
        assert_eq!(vp(""), Ok(()));
    }
}
