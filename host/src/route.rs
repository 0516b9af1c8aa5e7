//! `wasm-logging route`: JSON-lines records in, dispatched through the component's
//! configured hierarchy.
//!
//! Each line is one object: `name` (the logger; default the root), `level` (a number or a
//! standard name such as `"INFO"`), `msg` (required), `args` (an array of `%`-arguments),
//! `extra` (an object of record attributes), `created` (seconds since the epoch; default
//! now). Values in `args` and `extra` are strings, numbers, booleans or null. A record is
//! dispatched if its logger is enabled for its level (so the configured levels filter as they
//! would for a local call), then handled as the cookbook's socket receiver handles records.
//! A malformed line is reported with its number and skipped; blank lines are ignored.

use std::io::{BufRead, Write};

use serde_json::Value as Json;
use wasmtime::Result;

use crate::bindings::exports::wasm_logging::logging::loggers::{ForeignRecord, Value};
use crate::Instance;

/// What a run of the router did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteStats {
    /// Records handed to the hierarchy.
    pub dispatched: u64,
    /// Records below their logger's effective level.
    pub below_level: u64,
    /// Lines reported and skipped.
    pub malformed: u64,
}

/// CPython's `_nameToLevel`.
fn standard_level(name: &str) -> Option<i64> {
    Some(match name {
        "CRITICAL" | "FATAL" => 50,
        "ERROR" => 40,
        "WARN" | "WARNING" => 30,
        "INFO" => 20,
        "DEBUG" => 10,
        "NOTSET" => 0,
        _ => return None,
    })
}

fn value(path: &str, v: Json) -> Result<Value, String> {
    Ok(match v {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Boolean(b),
        Json::String(s) => Value::Str(s),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(
                n.as_f64()
                    .ok_or_else(|| format!("{path}: {n} is out of range"))?,
            ),
        },
        Json::Array(_) | Json::Object(_) => {
            return Err(format!(
                "{path}: expected a string, number, boolean or null"
            ))
        }
    })
}

/// Parses one line into a record.
pub fn parse_line(line: &str) -> Result<ForeignRecord, String> {
    let doc: Json = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Json::Object(mut o) = doc else {
        return Err("expected a JSON object".to_owned());
    };
    let name = match o.remove("name") {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(s)) => s,
        Some(_) => return Err("name: expected a string".to_owned()),
    };
    let level = match o.remove("level") {
        Some(Json::Number(n)) => n
            .as_i64()
            .ok_or_else(|| format!("level: {n} is not a level"))?,
        Some(Json::String(s)) => {
            standard_level(&s).ok_or_else(|| format!("level: unknown level name '{s}'"))?
        }
        None => return Err("level: missing".to_owned()),
        Some(_) => return Err("level: expected a number or a level name".to_owned()),
    };
    let msg = match o.remove("msg") {
        Some(Json::String(s)) => s,
        None => return Err("msg: missing".to_owned()),
        Some(_) => return Err("msg: expected a string".to_owned()),
    };
    let args = match o.remove("args") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| value(&format!("args[{i}]"), v))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("args: expected an array".to_owned()),
    };
    let extra = match o.remove("extra") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Object(fields)) => fields
            .into_iter()
            .map(|(k, v)| {
                let v = value(&format!("extra.{k}"), v)?;
                Ok((k, v))
            })
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("extra: expected an object".to_owned()),
    };
    let created = match o.remove("created") {
        None | Some(Json::Null) => None,
        Some(Json::Number(n)) => n.as_f64(),
        Some(_) => return Err("created: expected a number of seconds".to_owned()),
    };
    if let Some(k) = o.keys().next() {
        return Err(format!(
            "{k}: unknown field (name, level, msg, args, extra, created)"
        ));
    }
    Ok(ForeignRecord {
        name,
        level,
        msg,
        args,
        extra,
        created,
    })
}

/// Reads records from `input` until it ends and dispatches them through `instance`;
/// malformed lines are reported on `errors` as `line N: reason`. Flushes the handlers at the
/// end (the caller decides when to shut down).
pub fn route(
    instance: &mut Instance,
    input: impl BufRead,
    errors: &mut dyn Write,
) -> Result<RouteStats> {
    let mut stats = RouteStats::default();
    for (i, line) in input.lines().enumerate() {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                // Not UTF-8 (or a read error): this line is lost, say so, go on.
                writeln!(errors, "line {n}: {e}")?;
                stats.malformed += 1;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(&line) {
            Ok(record) => {
                if instance.is_enabled_for(&record.name, record.level)? {
                    instance.handle(&record)?;
                    stats.dispatched += 1;
                } else {
                    stats.below_level += 1;
                }
            }
            Err(reason) => {
                writeln!(errors, "line {n}: {reason}")?;
                stats.malformed += 1;
            }
        }
    }
    instance.flush()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_records() {
        let r = parse_line(
            r#"{"name": "app.db", "level": "WARNING", "msg": "%s took %d ms", "args": ["query", 12],
                "extra": {"ip": "10.0.0.1", "ok": true}, "created": 1700000000.5}"#,
        )
        .unwrap();
        assert_eq!(r.name, "app.db");
        assert_eq!(r.level, 30);
        assert_eq!(r.args, vec![Value::Str("query".into()), Value::Int(12)]);
        assert_eq!(
            r.extra,
            vec![
                ("ip".to_owned(), Value::Str("10.0.0.1".into())),
                ("ok".to_owned(), Value::Boolean(true))
            ]
        );
        assert_eq!(r.created, Some(1_700_000_000.5));
    }

    #[test]
    fn malformed_lines_say_why() {
        let e = |l: &str| parse_line(l).unwrap_err();
        assert!(e("{").starts_with("invalid JSON"));
        assert_eq!(e("[1]"), "expected a JSON object");
        assert_eq!(e(r#"{"msg": "x"}"#), "level: missing");
        assert_eq!(
            e(r#"{"level": "LOUD", "msg": "x"}"#),
            "level: unknown level name 'LOUD'"
        );
        assert_eq!(e(r#"{"level": 20}"#), "msg: missing");
        assert_eq!(
            e(r#"{"level": 20, "msg": "x", "args": [[1]]}"#),
            "args[0]: expected a string, number, boolean or null"
        );
        assert_eq!(
            e(r#"{"level": 20, "msg": "x", "mesage": 1}"#),
            "mesage: unknown field (name, level, msg, args, extra, created)"
        );
    }
}
