//! OTLP/HTTP JSON logs: an `ExportLogsServiceRequest` in the protobuf JSON mapping
//! (lowerCamelCase field names, enums as integers, 64-bit integers as decimal strings, trace
//! and span ids as hex), the body an OpenTelemetry Collector takes at `POST /v1/logs`.
//!
//! ```
//! use wasm_logging::core::wire::otlp::severity_number;
//!
//! assert_eq!(severity_number(10), 5); // DEBUG
//! assert_eq!(severity_number(20), 9); // INFO
//! assert_eq!(severity_number(50), 21); // CRITICAL
//! ```

use super::WireError;
use crate::core::jsonfmt::write_json_str;
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};

/// OpenTelemetry's `SeverityNumber` for a CPython level: DEBUG 10 → 5, INFO 20 → 9,
/// WARNING 30 → 13, ERROR 40 → 17, CRITICAL 50 → 21. A level between two of them takes the
/// lower one's number plus the distance, at most 3 (`DEBUG2`..`DEBUG4` and so on); 1–9 are
/// `TRACE` (1), NOTSET (0) and below are `UNSPECIFIED` (0), levels above 50 go up to
/// `FATAL4` (24).
pub fn severity_number(levelno: i64) -> i32 {
    match levelno {
        i64::MIN..=0 => 0,
        1..=9 => 1,
        _ => {
            let step = (levelno / 10).min(5);
            let base = 5 + 4 * (step - 1);
            (base + (levelno - step * 10).min(3)) as i32
        }
    }
}

/// Lower-case hex of the right length, or `None`.
fn hex_id(v: Option<&Value>, len: usize) -> Option<String> {
    match v {
        Some(Value::Str(s))
            if s.len() == len
                && s.bytes().all(|b| b.is_ascii_hexdigit())
                && s.bytes().any(|b| b != b'0') =>
        {
            Some(s.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// An `AnyValue` in the JSON mapping.
fn any_value(v: &Value, out: &mut String, depth: usize) -> Result<(), WireError> {
    match v {
        Value::None => out.push_str("{}"),
        Value::Bool(b) => {
            out.push_str(if *b {
                "{\"boolValue\":true}"
            } else {
                "{\"boolValue\":false}"
            });
        }
        Value::Int(i) => out.push_str(&format!("{{\"intValue\":\"{i}\"}}")),
        Value::Float(f) => {
            // The JSON mapping spells the non-finite doubles as strings.
            if f.is_nan() {
                out.push_str("{\"doubleValue\":\"NaN\"}");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 {
                    "{\"doubleValue\":\"Infinity\"}"
                } else {
                    "{\"doubleValue\":\"-Infinity\"}"
                });
            } else {
                out.push_str(&format!("{{\"doubleValue\":{f:?}}}"));
            }
        }
        Value::Str(s) => {
            out.push_str("{\"stringValue\":");
            write_json_str(s, out);
            out.push('}');
        }
        Value::List(items) | Value::Tuple(items) if depth < 8 => {
            out.push_str("{\"arrayValue\":{\"values\":[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                any_value(item, out, depth + 1)?;
            }
            out.push_str("]}}");
        }
        Value::Dict(items) if depth < 8 => {
            out.push_str("{\"kvlistValue\":{\"values\":[");
            for (i, (k, val)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let key = match k {
                    Value::Str(s) => s.to_string(),
                    other => other.to_py_str()?,
                };
                key_value(&key, val, out, depth + 1)?;
            }
            out.push_str("]}}");
        }
        Value::Object(o) => {
            // Host values: JavaScript's booleans, null and undefined keep their JSON kind.
            match (o.type_name(), o.as_int(), o.as_float()) {
                ("boolean", _, _) => {
                    let b = o.py_str()? == "true";
                    any_value(&Value::Bool(b), out, depth)?;
                }
                ("null" | "undefined", _, _) => out.push_str("{}"),
                (_, Some(i), _) => any_value(&Value::Int(i), out, depth)?,
                (_, None, Some(f)) => any_value(&Value::Float(f), out, depth)?,
                _ => {
                    out.push_str("{\"stringValue\":");
                    write_json_str(&o.py_str()?, out);
                    out.push('}');
                }
            }
        }
        other => {
            out.push_str("{\"stringValue\":");
            write_json_str(&other.to_py_str()?, out);
            out.push('}');
        }
    }
    Ok(())
}

/// A `KeyValue`.
fn key_value(key: &str, v: &Value, out: &mut String, depth: usize) -> Result<(), WireError> {
    out.push_str("{\"key\":");
    write_json_str(key, out);
    out.push_str(",\"value\":");
    any_value(v, out, depth)?;
    out.push('}');
    Ok(())
}

/// A list of `KeyValue`s.
fn attributes(items: &[(Text, Value)], out: &mut String) -> Result<(), WireError> {
    out.push('[');
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        key_value(k, v, out, 0)?;
    }
    out.push(']');
    Ok(())
}

/// One `LogRecord` of the OTLP logs data model, as JSON: time, severity, body (the merged
/// message), the record's location, thread, process and exception as semantic-convention
/// attributes, then its extras; `trace_id`/`span_id` extras become `traceId`/`spanId`.
pub fn log_record(record: &LogRecord) -> Result<String, WireError> {
    let trace = hex_id(
        record
            .extra
            .iter()
            .find(|(k, _)| &**k == "trace_id")
            .map(|(_, v)| v),
        32,
    );
    let span = hex_id(
        record
            .extra
            .iter()
            .find(|(k, _)| &**k == "span_id")
            .map(|(_, v)| v),
        16,
    );
    let mut attrs: Vec<(Text, Value)> = vec![
        (
            Text::from("code.file.path"),
            Value::Str(record.pathname.clone()),
        ),
        (
            Text::from("code.function.name"),
            Value::Str(record.func_name.clone()),
        ),
        (
            Text::from("code.line.number"),
            Value::Int(i64::from(record.lineno)),
        ),
    ];
    if let Some(t) = record.thread {
        attrs.push((Text::from("thread.id"), Value::Int(t)));
    }
    if let Some(n) = &record.thread_name {
        attrs.push((Text::from("thread.name"), Value::Str(n.clone())));
    }
    if let Some(p) = record.process {
        attrs.push((Text::from("process.pid"), Value::Int(i64::from(p))));
    }
    if let Some(exc) = &record.exc_info {
        attrs.push((
            Text::from("exception.type"),
            Value::Str(exc.type_name.clone()),
        ));
        attrs.push((
            Text::from("exception.message"),
            Value::Str(exc.message.clone()),
        ));
        let trace_text = match &record.exc_text {
            Some(t) => t.to_string(),
            None => exc.format(),
        };
        attrs.push((
            Text::from("exception.stacktrace"),
            Value::Str(Text::from(trace_text)),
        ));
    }
    for (k, v) in &record.extra {
        let is_id =
            (&**k == "trace_id" && trace.is_some()) || (&**k == "span_id" && span.is_some());
        if !is_id {
            attrs.push((k.clone(), v.clone()));
        }
    }
    let ns = record.created_ns.max(0);
    let mut out = String::with_capacity(256);
    out.push_str(&format!(
        "{{\"timeUnixNano\":\"{ns}\",\"observedTimeUnixNano\":\"{ns}\",\"severityNumber\":{},\"severityText\":",
        severity_number(record.levelno)
    ));
    write_json_str(&record.levelname, &mut out);
    out.push_str(",\"body\":{\"stringValue\":");
    write_json_str(&record.get_message()?, &mut out);
    out.push_str("},\"attributes\":");
    attributes(&attrs, &mut out)?;
    if let Some(t) = trace {
        out.push_str(&format!(",\"traceId\":\"{t}\""));
    }
    if let Some(s) = span {
        out.push_str(&format!(",\"spanId\":\"{s}\""));
    }
    out.push('}');
    Ok(out)
}

/// An `ExportLogsServiceRequest`: one resource with `resource` attributes, one scope per
/// logger name in order of first appearance, holding that logger's records (JSON made by
/// [`log_record`]) in order.
pub fn export_request(
    resource: &[(Text, Value)],
    records: &[(Text, String)],
) -> Result<String, WireError> {
    let mut scopes: Vec<(&Text, Vec<&str>)> = Vec::new();
    for (scope, json) in records {
        match scopes.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, list)) => list.push(json),
            None => scopes.push((scope, vec![json])),
        }
    }
    let mut out = String::from("{\"resourceLogs\":[{\"resource\":{\"attributes\":");
    attributes(resource, &mut out)?;
    out.push_str("},\"scopeLogs\":[");
    for (i, (scope, list)) in scopes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"scope\":{\"name\":");
        write_json_str(scope, &mut out);
        out.push_str("},\"logRecords\":[");
        for (j, r) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(r);
        }
        out.push_str("]}");
    }
    out.push_str("]}]}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_numbers_follow_the_documented_mapping() {
        let cases = [
            (0, 0),
            (5, 1),
            (10, 5),
            (11, 6),
            (15, 8),
            (20, 9),
            (21, 10),
            (25, 12),
            (30, 13),
            (35, 16),
            (40, 17),
            (50, 21),
            (51, 22),
            (60, 24),
        ];
        for (level, sev) in cases {
            assert_eq!(severity_number(level), sev, "level {level}");
        }
    }

    #[test]
    fn any_values_use_the_json_mapping() {
        let mut out = String::new();
        let v = Value::dict([
            ("i", Value::Int(1 << 60)),
            ("f", Value::Float(0.5)),
            ("n", Value::None),
            ("l", Value::list([Value::Bool(true), Value::from("x")])),
        ]);
        any_value(&v, &mut out, 0).unwrap();
        assert_eq!(
            out,
            "{\"kvlistValue\":{\"values\":[{\"key\":\"i\",\"value\":{\"intValue\":\"1152921504606846976\"}},\
             {\"key\":\"f\",\"value\":{\"doubleValue\":0.5}},{\"key\":\"n\",\"value\":{}},\
             {\"key\":\"l\",\"value\":{\"arrayValue\":{\"values\":[{\"boolValue\":true},{\"stringValue\":\"x\"}]}}}]}}"
        );
    }
}
