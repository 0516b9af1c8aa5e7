//! `logging.makeLogRecord(dict)`: a record rebuilt from the attribute dictionary another
//! process sent (a `SocketHandler` pickle, a JSON frame, a router's line), as the cookbook's
//! receiver rebuilds it before `getLogger(record.name).handle(record)`.
//!
//! CPython makes `LogRecord(None, None, "", 0, "", (), None, None)` and then updates its
//! `__dict__` with the dictionary, so every attribute the sender set wins, including
//! `created`, `msecs`, `relativeCreated`, `process` and `thread`. Here the typed fields take
//! values of their type; a value of another type (a `lineno` that is a string, say) is kept as
//! the attribute's text where the field is text, and otherwise left at its default, since a
//! record field cannot hold it.

use super::level;
use super::record::{Location, LogRecord};
use super::value::{Text, Value};

fn text(v: &Value) -> Option<Text> {
    match v {
        Value::None => None,
        Value::Str(s) => Some(s.clone()),
        other => other.to_py_str().ok().map(Text::from),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
        _ => None,
    }
}

/// `makeLogRecord(fields)`: a record whose attributes are `fields` over the defaults of an
/// empty record made now.
pub fn make_log_record(fields: &[(Text, Value)]) -> LogRecord {
    let (now, start) = super::host::now_ns();
    let mut r = LogRecord::new(
        Text::Static("root"),
        0,
        level::level_name(0),
        Location {
            pathname: Text::Static(""),
            lineno: 0,
            func_name: Text::Static(""),
        },
        Value::Str(Text::Static("")),
        Vec::new(),
        None,
        now,
        start,
    );
    r.pathname = Text::Static("");
    r.filename = Text::Static("");
    r.module = Text::Static("");
    for (key, v) in fields {
        match key.as_str() {
            "name" => r.name = text(v).unwrap_or(Text::Static("root")),
            "msg" => r.msg = v.clone(),
            "args" => {
                r.args = match v {
                    Value::None => Vec::new(),
                    Value::Tuple(items) | Value::List(items) => items.to_vec(),
                    other => vec![other.clone()],
                }
            }
            "levelname" => {
                if let Some(t) = text(v) {
                    r.levelname = t;
                }
            }
            "levelno" => {
                if let Some(n) = int(v) {
                    r.levelno = n;
                }
            }
            "pathname" => r.pathname = text(v).unwrap_or(Text::Static("")),
            "filename" => r.filename = text(v).unwrap_or(Text::Static("")),
            "module" => r.module = text(v).unwrap_or(Text::Static("")),
            "lineno" => {
                r.lineno = int(v).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
            }
            "funcName" => r.func_name = text(v).unwrap_or(Text::Static("")),
            "created" => {
                if let Some(c) = number(v).filter(|c| c.is_finite()) {
                    r.created = c;
                    // Whole microseconds, then nanoseconds: exact for times near 1.7e9 s.
                    r.created_ns = ((c * 1e6).round() as i64).saturating_mul(1000);
                }
            }
            "msecs" => r.msecs = number(v).unwrap_or(0.0),
            "relativeCreated" => r.relative_created = number(v).unwrap_or(0.0),
            "thread" => r.thread = int(v),
            "threadName" => r.thread_name = text(v),
            "process" => r.process = int(v).and_then(|n| u32::try_from(n).ok()),
            "processName" => r.process_name = text(v),
            "taskName" => r.task_name = text(v),
            // A traceback object never travels; `exc_text` carries its text.
            "exc_info" => r.exc_info = None,
            "exc_text" => r.exc_text = text(v),
            "stack_info" => r.stack_info = text(v),
            "message" => r.message = text(v),
            "asctime" => r.asctime = text(v),
            _ => match r.extra.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = v.clone(),
                None => r.extra.push((key.clone(), v.clone())),
            },
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_attributes_win_and_unknown_keys_become_extras() {
        let r = make_log_record(&[
            (Text::from("name"), Value::str("myapp.area1")),
            (
                Text::from("msg"),
                Value::str("Jackdaws love my big sphinx of quartz."),
            ),
            (Text::from("args"), Value::None),
            (Text::from("levelno"), Value::Int(20)),
            (Text::from("levelname"), Value::str("INFO")),
            (Text::from("relativeCreated"), Value::Float(59.25)),
            (Text::from("process"), Value::Int(4242)),
            (Text::from("lineno"), Value::Int(17)),
            (Text::from("ip"), Value::str("10.0.0.1")),
        ]);
        assert_eq!(r.name.as_str(), "myapp.area1");
        assert_eq!(r.levelno, 20);
        assert_eq!(r.relative_created, 59.25);
        assert_eq!(r.process, Some(4242));
        assert_eq!(r.lineno, 17);
        assert!(r.args.is_empty());
        assert_eq!(r.get_attr("ip").unwrap().to_py_str().unwrap(), "10.0.0.1");
        assert_eq!(
            r.get_message().unwrap(),
            "Jackdaws love my big sphinx of quartz."
        );
    }
}
