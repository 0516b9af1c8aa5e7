//! The JSON configuration of `wasm-logging route --config FILE`: either a `dictConfig`
//! document (an object with `"version": 1`, CPython's schema, passed to the component's
//! `dict-config`), or `basicConfig`'s keyword arguments as a JSON object with `handlers`
//! described by type, which is the simpler choice for a router:
//!
//! ```json
//! {
//!   "level": "INFO",
//!   "format": "%(asctime)s %(name)s %(levelname)s %(message)s",
//!   "datefmt": "%H:%M:%S",
//!   "style": "%",
//!   "handlers": [
//!     {"type": "stream", "stream": "stdout", "level": "DEBUG"},
//!     {"type": "file", "filename": "all.log", "mode": "w"},
//!     {"type": "rotating", "filename": "app.log", "maxBytes": 1048576, "backupCount": 3,
//!      "format": "{levelname} {message}", "style": "{"}
//!   ]
//! }
//! ```
//!
//! Top level: `level`, `format`, `datefmt`, `style`, `stream`, `filename`, `filemode`,
//! `force`, `handlers` (CPython's names and rules: `stream`/`filename` and `handlers` exclude
//! each other). A handler: `type` (`stream`, `file`, `rotating`), its own `level`, `format`,
//! `datefmt`, `style`; `stream` for a stream handler (`stdout`, `stderr`, or
//! `ext://sys.stdout` / `ext://sys.stderr`); `filename`, `mode`, `delay` for files;
//! `maxBytes`, `backupCount` for rotating files. A level is a number or a name. Anything
//! else is refused with the path of the offending key, before the component is touched.

use serde_json::{Map, Value};

use crate::bindings::exports::wasm_logging::logging::config::{
    BasicConfigOptions, FileOptions, HandlerKind, HandlerSpec, Level, RotatingOptions, Style,
};
use crate::bindings::wasm_logging::logging::console::Stream;

/// A configuration error: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The offending key, e.g. `handlers[1].maxBytes`; empty for the document itself.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for ConfigError {}

fn err(path: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The keys of one object, taken one by one; what is left at the end is unknown.
struct Fields<'a> {
    path: &'a str,
    map: Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn new(path: &'a str, v: Value) -> Result<Self, ConfigError> {
        match v {
            Value::Object(map) => Ok(Fields { path, map }),
            other => Err(err(
                path,
                format!("expected an object, found {}", kind(&other)),
            )),
        }
    }

    fn string(&mut self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(err(
                &join(self.path, key),
                format!("expected a string, found {}", kind(&other)),
            )),
        }
    }

    fn boolean(&mut self, key: &str) -> Result<bool, ConfigError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(err(
                &join(self.path, key),
                format!("expected true or false, found {}", kind(&other)),
            )),
        }
    }

    fn unsigned(&mut self, key: &str) -> Result<u64, ConfigError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or(0)),
            Some(other) => Err(err(
                &join(self.path, key),
                format!("expected a non-negative integer, found {}", kind(&other)),
            )),
        }
    }

    fn level(&mut self, key: &str) -> Result<Option<Level>, ConfigError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(Level::Name(s))),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(|i| Some(Level::Number(i)))
                .ok_or_else(|| err(&join(self.path, key), format!("{n} is not a level"))),
            Some(other) => Err(err(
                &join(self.path, key),
                format!("expected a level name or number, found {}", kind(&other)),
            )),
        }
    }

    fn style(&mut self, key: &str) -> Result<Option<Style>, ConfigError> {
        match self.string(key)?.as_deref() {
            None => Ok(None),
            Some("%") => Ok(Some(Style::Percent)),
            Some("{") => Ok(Some(Style::Brace)),
            Some("$") => Ok(Some(Style::Dollar)),
            // CPython's text.
            Some(_) => Err(err(&join(self.path, key), "Style must be one of: %,{,$")),
        }
    }

    fn stream(&mut self, key: &str) -> Result<Option<Stream>, ConfigError> {
        match self.string(key)?.as_deref() {
            None => Ok(None),
            Some("stdout" | "ext://sys.stdout") => Ok(Some(Stream::Stdout)),
            Some("stderr" | "ext://sys.stderr") => Ok(Some(Stream::Stderr)),
            Some(s) => Err(err(
                &join(self.path, key),
                format!("unknown stream '{s}' (use stdout, stderr, ext://sys.stdout or ext://sys.stderr)"),
            )),
        }
    }

    /// Refuses what was not taken, as CPython's `Unrecognised argument(s): a, b`.
    fn finish(self) -> Result<(), ConfigError> {
        if self.map.is_empty() {
            return Ok(());
        }
        let keys: Vec<&str> = self.map.keys().map(String::as_str).collect();
        Err(err(
            self.path,
            format!("Unrecognised argument(s): {}", keys.join(", ")),
        ))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn handler(path: &str, v: Value) -> Result<HandlerSpec, ConfigError> {
    let mut f = Fields::new(path, v)?;
    let ty = f
        .string("type")?
        .ok_or_else(|| err(&join(path, "type"), "missing (stream, file or rotating)"))?;
    let level = f.level("level")?;
    let format = f.string("format")?;
    let datefmt = f.string("datefmt")?;
    let style = f.style("style")?;
    let filename = |f: &mut Fields<'_>| {
        f.string("filename")?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| err(&join(path, "filename"), "missing"))
    };
    let kind = match ty.as_str() {
        "stream" => HandlerKind::Stream(f.stream("stream")?.unwrap_or(Stream::Stderr)),
        "file" => HandlerKind::File(FileOptions {
            filename: filename(&mut f)?,
            mode: f.string("mode")?,
            delay: f.boolean("delay")?,
        }),
        "rotating" => HandlerKind::Rotating(RotatingOptions {
            filename: filename(&mut f)?,
            mode: f.string("mode")?,
            max_bytes: f.unsigned("maxBytes")?,
            backup_count: u32::try_from(f.unsigned("backupCount")?)
                .map_err(|_| err(&join(path, "backupCount"), "too large"))?,
            delay: f.boolean("delay")?,
        }),
        other => {
            return Err(err(
                &join(path, "type"),
                format!("unknown handler type '{other}' (stream, file or rotating)"),
            ))
        }
    };
    f.finish()?;
    Ok(HandlerSpec {
        kind,
        level,
        format,
        datefmt,
        style,
    })
}

/// A configuration file's content.
#[derive(Clone, Debug, PartialEq)]
pub enum Config {
    /// `basicConfig(**options)`.
    Basic(BasicConfigOptions),
    /// `dictConfig(json)`: the document as given, checked by the component.
    Dict(String),
}

/// Reads a configuration file's content: a `dictConfig` document if it has a top-level
/// `version`, otherwise `basicConfig` options ([`parse`]).
pub fn load(text: &str) -> Result<Config, ConfigError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| err("", format!("invalid JSON: {e}")))?;
    match &doc {
        Value::Object(map) if map.contains_key("version") => Ok(Config::Dict(text.to_owned())),
        _ => parse(text).map(Config::Basic),
    }
}

/// Parses a configuration document into `basicConfig`'s options.
pub fn parse(text: &str) -> Result<BasicConfigOptions, ConfigError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| err("", format!("invalid JSON: {e}")))?;
    let mut f = Fields::new("", doc)?;
    let handlers = match f.map.remove("handlers") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, h)| handler(&format!("handlers[{i}]"), h))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(err(
                "handlers",
                format!("expected an array, found {}", kind(&other)),
            ))
        }
    };
    let options = BasicConfigOptions {
        level: f.level("level")?,
        format: f.string("format")?,
        datefmt: f.string("datefmt")?,
        style: f.style("style")?,
        stream: f.stream("stream")?,
        filename: f.string("filename")?,
        filemode: f.string("filemode")?,
        handlers,
        force: f.boolean("force")?,
    };
    f.finish()?;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_configuration_parses() {
        let o = parse(
            r#"{"level": "INFO", "format": "%(message)s", "style": "%",
                "handlers": [{"type": "stream", "stream": "ext://sys.stdout", "level": 10},
                             {"type": "rotating", "filename": "app.log", "maxBytes": 100,
                              "backupCount": 2, "format": "{message}", "style": "{"}]}"#,
        )
        .unwrap();
        assert_eq!(o.level, Some(Level::Name("INFO".into())));
        let hs = o.handlers.unwrap();
        assert_eq!(hs[0].kind, HandlerKind::Stream(Stream::Stdout));
        assert_eq!(hs[0].level, Some(Level::Number(10)));
        assert_eq!(
            hs[1].kind,
            HandlerKind::Rotating(RotatingOptions {
                filename: "app.log".into(),
                mode: None,
                max_bytes: 100,
                backup_count: 2,
                delay: false,
            })
        );
        assert_eq!(hs[1].style, Some(Style::Brace));
    }

    #[test]
    fn errors_name_the_offending_key() {
        let e = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(
            e(
                r#"{"handlers": [{"type": "stream"}, {"type": "rotating", "filename": "a", "maxBytes": "big"}]}"#
            ),
            "handlers[1].maxBytes: expected a non-negative integer, found a string"
        );
        assert_eq!(e(r#"{"levle": "INFO"}"#), "Unrecognised argument(s): levle");
        assert_eq!(
            e(r##"{"style": "#"}"##),
            "style: Style must be one of: %,{,$"
        );
        assert_eq!(
            e(r#"{"handlers": [{"type": "socket"}]}"#),
            "handlers[0].type: unknown handler type 'socket' (stream, file or rotating)"
        );
        assert_eq!(
            e(r#"{"handlers": [{"type": "file", "filenmae": "x"}]}"#),
            "handlers[0].filename: missing"
        );
        assert!(e("{").starts_with("invalid JSON"));
    }
}
