//! Reading a configuration `Value` with paths: typed accessors whose errors say where and
//! what (`handlers.file.maxBytes: expected an integer, got "abc"`), `cfg://` references and
//! keyword arguments for class constructors and factories.

use std::fmt::Write as _;
use std::rc::Rc;

use super::ConfigError;
use crate::core::level::check_level;
use crate::core::sink::Stream;
use crate::core::value::{Text, Value};

/// How deep `cfg://` references may chain before we call it a cycle.
const MAX_CFG_DEPTH: usize = 16;

/// How many values keyword arguments may expand to through `cfg://` references.
const MAX_CFG_VALUES: usize = 1 << 16;

/// A compact, JSON-like rendering of a value for error messages.
pub(crate) fn describe(v: &Value) -> String {
    let mut s = String::new();
    describe_into(v, &mut s, 0);
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        return format!("{cut}...");
    }
    s
}

fn describe_into(v: &Value, out: &mut String, depth: usize) {
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Value::Str(s) => {
            let _ = write!(out, "{:?}", s.as_str());
        }
        Value::List(items) | Value::Tuple(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if depth > 2 {
                    out.push_str("...");
                    break;
                }
                describe_into(x, out, depth + 1);
            }
            out.push(']');
        }
        Value::Dict(items) => {
            out.push('{');
            for (i, (k, x)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if depth > 2 {
                    out.push_str("...");
                    break;
                }
                describe_into(k, out, depth + 1);
                out.push_str(": ");
                describe_into(x, out, depth + 1);
            }
            out.push('}');
        }
        Value::Object(o) => out.push_str(o.type_name()),
    }
}

/// `expected X, got Y`.
pub(crate) fn expected(what: &str, got: &Value) -> String {
    format!("expected {what}, got {}", describe(got))
}

/// The configuration root, for `cfg://` references.
pub(crate) struct Reader<'a> {
    pub(crate) root: &'a Value,
}

impl Reader<'_> {
    /// Follows `cfg://` references (CPython's `cfg_convert`: `cfg://handlers.email[to][0]`).
    pub(crate) fn resolve(&self, v: &Value, path: &str) -> Result<Value, ConfigError> {
        let mut cur = v.clone();
        for _ in 0..MAX_CFG_DEPTH {
            let Some(target) = cur.as_str().and_then(|s| s.strip_prefix("cfg://")) else {
                return Ok(cur);
            };
            cur = self
                .cfg_lookup(target)
                .map_err(|m| ConfigError::new(path, m))?;
        }
        Err(ConfigError::new(
            path,
            format!("cfg:// references nest more than {MAX_CFG_DEPTH} deep (a cycle?)"),
        ))
    }

    fn cfg_lookup(&self, spec: &str) -> Result<Value, String> {
        let unable = |rest: &str| format!("Unable to convert 'cfg://{spec}' at '{rest}'");
        let word_end = |s: &str| {
            s.char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map_or(s.len(), |(i, _)| i)
        };
        let rest = spec.trim_start();
        let end = word_end(rest);
        if end == 0 {
            return Err(format!("Unable to convert 'cfg://{spec}'"));
        }
        let mut cur = self.root.dict_get(&rest[..end]).cloned().ok_or_else(|| {
            format!(
                "cfg://{spec}: no key '{}' in the configuration",
                &rest[..end]
            )
        })?;
        let mut rest = rest[end..].trim_start();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                let after = after.trim_start();
                let end = word_end(after);
                if end == 0 {
                    return Err(unable(rest));
                }
                let key = &after[..end];
                cur = cur
                    .dict_get(key)
                    .cloned()
                    .ok_or_else(|| format!("cfg://{spec}: no key '{key}'"))?;
                rest = after[end..].trim_start();
            } else if let Some(after) = rest.strip_prefix('[') {
                let close = after.find(']').ok_or_else(|| unable(rest))?;
                let idx = &after[..close];
                if idx.contains('[') {
                    return Err(unable(rest));
                }
                let by_index = match (&cur, idx.parse::<usize>()) {
                    (Value::List(items) | Value::Tuple(items), Ok(n))
                        if idx.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        Some(
                            items
                                .get(n)
                                .cloned()
                                .ok_or_else(|| format!("cfg://{spec}: index {n} out of range"))?,
                        )
                    }
                    _ => None,
                };
                cur = match by_index {
                    Some(v) => v,
                    None => cur
                        .dict_get(idx)
                        .cloned()
                        .ok_or_else(|| format!("cfg://{spec}: no key '{idx}'"))?,
                };
                rest = after[close + 1..].trim_start();
            } else {
                return Err(unable(rest));
            }
        }
        Ok(cur)
    }

    /// Deeply follows `cfg://` references inside a value (keyword arguments for factories).
    ///
    /// CPython converts lazily, one access at a time; resolving eagerly, a value that refers
    /// to a container holding it (`{"f": {"x": "cfg://f"}}`) would expand forever, so a path
    /// may pass through at most `MAX_CFG_DEPTH` references and a whole value may expand to
    /// at most `MAX_CFG_VALUES` values (found by `make fuzz`, tests/fuzz_findings.rs).
    pub(crate) fn resolve_deep(&self, v: &Value, path: &str) -> Result<Value, ConfigError> {
        let mut budget = MAX_CFG_VALUES;
        self.resolve_deep_in(v, path, 0, &mut budget)
    }

    fn resolve_deep_in(
        &self,
        v: &Value,
        path: &str,
        hops: usize,
        budget: &mut usize,
    ) -> Result<Value, ConfigError> {
        let is_ref = v.as_str().is_some_and(|s| s.starts_with("cfg://"));
        let hops = hops + usize::from(is_ref);
        if hops > MAX_CFG_DEPTH {
            return Err(ConfigError::new(
                path,
                format!("cfg:// references nest more than {MAX_CFG_DEPTH} deep (a cycle?)"),
            ));
        }
        *budget = budget.checked_sub(1).ok_or_else(|| {
            ConfigError::new(
                path,
                format!("cfg:// references expand to more than {MAX_CFG_VALUES} values"),
            )
        })?;
        let v = self.resolve(v, path)?;
        Ok(match &v {
            Value::List(items) => Value::List(Rc::new(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.resolve_deep_in(x, &format!("{path}[{i}]"), hops, budget))
                    .collect::<Result<_, _>>()?,
            )),
            Value::Dict(items) => Value::Dict(Rc::new(
                items
                    .iter()
                    .map(|(k, x)| {
                        let key = k.as_str().unwrap_or("?");
                        Ok((
                            k.clone(),
                            self.resolve_deep_in(x, &join(path, key), hops, budget)?,
                        ))
                    })
                    .collect::<Result<_, ConfigError>>()?,
            )),
            _ => v,
        })
    }
}

/// `a.b` path joining (no leading dot at the top).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The entries of an object, or `expected an object`.
pub(crate) fn dict_items<'v>(
    v: &'v Value,
    path: &str,
) -> Result<&'v [(Value, Value)], ConfigError> {
    match v {
        Value::Dict(items) => Ok(items.as_slice()),
        other => Err(ConfigError::new(path, expected("an object", other))),
    }
}

/// `(key, value)` pairs of an object whose keys are strings.
pub(crate) fn entries(v: &Value, path: &str) -> Result<Vec<(Text, Value)>, ConfigError> {
    dict_items(v, path)?
        .iter()
        .map(|(k, x)| match k {
            Value::Str(s) => Ok((s.clone(), x.clone())),
            other => Err(ConfigError::new(path, expected("string keys", other))),
        })
        .collect()
}

/// Keyword arguments for a constructor: taken one by one, with leftovers reported as
/// CPython's `unexpected keyword argument`.
#[derive(Debug, Default)]
pub struct Kwargs {
    items: Vec<(Text, Value)>,
}

/// A keyword-argument error: the argument's name (for the path) and the reason.
pub type KwError = (String, String);

impl Kwargs {
    /// Keyword arguments from `(name, value)` pairs.
    pub fn new(items: Vec<(Text, Value)>) -> Self {
        Kwargs { items }
    }

    /// The remaining arguments.
    pub fn items(&self) -> &[(Text, Value)] {
        &self.items
    }

    /// Adds an argument.
    pub fn push(&mut self, key: Text, value: Value) {
        self.items.push((key, value));
    }

    /// Renames an argument if present.
    pub fn rename(&mut self, from: &str, to: &str) {
        if let Some(slot) = self.items.iter_mut().find(|(k, _)| k.as_str() == from) {
            slot.0 = Text::from(to.to_owned());
        }
    }

    /// Removes and returns `key`.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        let i = self.items.iter().position(|(k, _)| k.as_str() == key)?;
        Some(self.items.remove(i).1)
    }

    /// A string argument.
    pub fn take_str(&mut self, key: &str) -> Result<Option<Text>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(other) => Err((key.to_owned(), expected("a string", &other))),
        }
    }

    /// An integer argument (a float with no fraction is accepted, as JSON has one number type).
    pub fn take_int(&mut self, key: &str) -> Result<Option<i64>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(i)),
            Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
            Some(other) => Err((key.to_owned(), expected("an integer", &other))),
        }
    }

    /// A non-negative integer argument.
    pub fn take_count(&mut self, key: &str) -> Result<Option<usize>, KwError> {
        match self.take_int(key)? {
            None => Ok(None),
            Some(i) if i >= 0 => Ok(Some(i as usize)),
            Some(i) => Err((
                key.to_owned(),
                format!("expected a non-negative integer, got {i}"),
            )),
        }
    }

    /// A boolean argument.
    pub fn take_bool(&mut self, key: &str) -> Result<Option<bool>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err((key.to_owned(), expected("a boolean", &other))),
        }
    }

    /// A level argument: a number or a registered name.
    pub fn take_level(&mut self, key: &str) -> Result<Option<i64>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(v) => level_of(&v).map(Some).map_err(|m| (key.to_owned(), m)),
        }
    }

    /// A stream argument: `ext://sys.stdout` or `ext://sys.stderr`.
    pub fn take_stream(&mut self, key: &str) -> Result<Option<Stream>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(v) => stream_of(&v).map(Some).map_err(|m| (key.to_owned(), m)),
        }
    }

    /// A list of strings.
    pub fn take_str_list(&mut self, key: &str) -> Result<Option<Vec<Text>>, KwError> {
        match self.take(key) {
            None | Some(Value::None) => Ok(None),
            Some(v) => str_list(&v).map(Some).map_err(|m| (key.to_owned(), m)),
        }
    }

    /// Fails on any argument nobody took.
    pub fn finish(self, what: &str) -> Result<(), KwError> {
        match self.items.first() {
            None => Ok(()),
            Some((k, _)) => Err((
                k.to_string(),
                format!("{what} got an unexpected keyword argument '{k}'"),
            )),
        }
    }
}

/// The text of a string value.
pub(crate) fn as_text(v: &Value) -> Option<Text> {
    match v {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// A level from a number or a registered name.
pub(crate) fn level_of(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Str(s) => check_level(s.as_str()).map_err(|e| e.message().to_owned()),
        other => Err(format!(
            "Level not an integer or a valid string: {}",
            describe(other)
        )),
    }
}

/// A console stream from its `ext://` name.
pub(crate) fn stream_of(v: &Value) -> Result<Stream, String> {
    match v.as_str() {
        Some("ext://sys.stdout") => Ok(Stream::Stdout),
        Some("ext://sys.stderr") => Ok(Stream::Stderr),
        _ => Err(expected("\"ext://sys.stdout\" or \"ext://sys.stderr\"", v)),
    }
}

/// A list of strings.
pub(crate) fn str_list(v: &Value) -> Result<Vec<Text>, String> {
    match v {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|x| match x {
                Value::Str(s) => Ok(s.clone()),
                other => Err(format!("expected a list of names, got {}", describe(other))),
            })
            .collect(),
        other => Err(expected("a list of names", other)),
    }
}
