//! TEMPORARY STAND-IN (replaced by the real implementation; not committed).
#![allow(missing_docs, clippy::all)]
use crate::core::error::{Error, Result};
use crate::core::value::Value;
pub enum PercentArgs<'a> {
    Tuple(&'a [Value]),
    Single(&'a Value),
    Mapping(&'a dyn Fn(&str) -> Option<Value>),
}
pub fn write_str(v: &Value, out: &mut String) -> Result<()> {
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format!("{f:?}")),
        Value::None => out.push_str("None"),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Tuple(t) => {
            out.push('(');
            for (i, x) in t.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ")
                }
                write_repr(x, out)?;
            }
            if t.len() == 1 {
                out.push(',')
            }
            out.push(')');
        }
        Value::Object(o) => out.push_str(&o.py_str()?),
        other => out.push_str(&format!("{other:?}")),
    }
    Ok(())
}
pub fn write_repr(v: &Value, out: &mut String) -> Result<()> {
    match v {
        Value::Str(s) => write_str_repr(s, out),
        other => write_str(other, out)?,
    }
    Ok(())
}
pub fn write_str_repr(s: &str, out: &mut String) {
    out.push('\'');
    out.push_str(s);
    out.push('\'');
}
impl Value {
    pub fn to_py_str(&self) -> Result<String> {
        let mut s = String::new();
        write_str(self, &mut s)?;
        Ok(s)
    }
}
pub fn percent_format(fmt: &str, args: PercentArgs<'_>, out: &mut String) -> Result<()> {
    let mut it = fmt.chars().peekable();
    let mut idx = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut key = None;
        if it.peek() == Some(&'(') {
            it.next();
            let mut k = String::new();
            for c in it.by_ref() {
                if c == ')' {
                    break;
                }
                k.push(c)
            }
            key = Some(k);
        }
        let mut spec = String::new();
        while let Some(&c) = it.peek() {
            if c.is_ascii_digit() || c == '-' || c == '.' {
                spec.push(c);
                it.next();
            } else {
                break;
            }
        }
        let conv = it
            .next()
            .ok_or_else(|| Error::value_error("incomplete format"))?;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let v = match (&key, &args) {
            (Some(k), PercentArgs::Mapping(f)) => {
                f(k).ok_or_else(|| Error::key_error(format!("'{k}'")))?
            }
            (Some(k), PercentArgs::Single(d)) => d
                .dict_get(k)
                .cloned()
                .ok_or_else(|| Error::key_error(format!("'{k}'")))?,
            (None, PercentArgs::Tuple(t)) => {
                let v = t
                    .get(idx)
                    .cloned()
                    .ok_or_else(|| Error::type_error("not enough arguments for format string"))?;
                idx += 1;
                v
            }
            (None, PercentArgs::Single(v)) => {
                idx += 1;
                (*v).clone()
            }
            _ => return Err(Error::type_error("format requires a mapping")),
        };
        let mut s = String::new();
        match conv {
            'd' => match v {
                Value::Int(i) => s = i.to_string(),
                Value::Float(f) => s = (f as i64).to_string(),
                _ => {
                    return Err(Error::type_error(format!(
                        "%d format: a real number is required, not {}",
                        v.type_name()
                    )))
                }
            },
            'r' => write_repr(&v, &mut s)?,
            _ => write_str(&v, &mut s)?,
        }
        if let Some(w) = spec.strip_prefix('0').and_then(|w| w.parse::<usize>().ok()) {
            while s.len() < w {
                s.insert(0, '0')
            }
        } else if let Some(w) = spec.strip_prefix('-').and_then(|w| w.parse::<usize>().ok()) {
            while s.len() < w {
                s.push(' ')
            }
        } else if let Ok(w) = spec.parse::<usize>() {
            while s.len() < w {
                s.insert(0, ' ')
            }
        }
        out.push_str(&s);
    }
    if let PercentArgs::Tuple(t) = args {
        if idx < t.len() {
            return Err(Error::type_error(
                "not all arguments converted during string formatting",
            ));
        }
    }
    Ok(())
}
pub fn brace_format(
    fmt: &str,
    positional: &[Value],
    keyword: &dyn Fn(&str) -> Option<Value>,
    out: &mut String,
) -> Result<()> {
    let mut rest = fmt;
    let mut auto = 0;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = rest[i..]
            .find('}')
            .ok_or_else(|| Error::value_error("expected '}' before end of string"))?
            + i;
        let field = &rest[i + 1..j];
        let name = field.split(':').next().unwrap_or("");
        let v = if name.is_empty() {
            auto += 1;
            positional.get(auto - 1).cloned()
        } else if let Ok(n) = name.parse::<usize>() {
            positional.get(n).cloned()
        } else {
            keyword(name)
        };
        let v = v.ok_or_else(|| Error::key_error(format!("'{name}'")))?;
        write_str(&v, out)?;
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    Ok(())
}
pub fn template_substitute(
    tpl: &str,
    lookup: &dyn Fn(&str) -> Option<Value>,
    out: &mut String,
) -> Result<()> {
    let mut rest = tpl;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, skip) = if let Some(a) = after.strip_prefix('{') {
            let j = a.find('}').unwrap_or(a.len());
            (&a[..j], j + 2)
        } else {
            let j = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..j], j)
        };
        let v = lookup(name).ok_or_else(|| Error::key_error(format!("'{name}'")))?;
        write_str(&v, out)?;
        rest = &after[skip..];
    }
    out.push_str(rest);
    Ok(())
}
pub fn validate_percent_style(_f: &str) -> Result<()> {
    Ok(())
}
pub fn validate_str_format_style(_f: &str) -> Result<()> {
    Ok(())
}
pub fn validate_template_style(_f: &str) -> Result<()> {
    Ok(())
}
