//! `route`: the lines `wasm-logging route` reads on stdin, through the host's own parser
//! (`route::parse_line`), then the record a parsed line becomes (`makeLogRecord` of its
//! fields) and its message and text, as the configured hierarchy would format it.
//!
//! Input: text; each line is one route line (blank lines are skipped, as the router skips
//! them).

use wasm_logging::core::formatter::{Formatter, RecordFormatter};
use wasm_logging::core::received::make_log_record;
use wasm_logging::core::value::{Text, Value};
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value as WitValue;
use wasm_logging_host::route::parse_line;

use super::{outcome, quiet_host, text};
use crate::engine::{message_signature, Target};

/// The driver.
pub fn target() -> Target {
    Target {
        name: "route",
        about: "route's JSON lines: the host's parse_line, then the record and its text",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 2048,
        json: true,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\n",
    b"\\u0000",
    b"\\ud83d\\ude00",
    b"\\ud800",
    b"null",
    b"true",
    b"1e308",
    b"-1e309",
    b"9223372036854775808",
    b"-2147483649",
    b"\"name\": ",
    b"\"level\": ",
    b"\"msg\": ",
    b"\"args\": ",
    b"\"extra\": ",
    b"\"created\": ",
    b"\"WARNING\"",
    b"\"FATAL\"",
    b"\"%s\"",
    b"\"%(x)d\"",
    b"\"%.*f\"",
    b"\"app.db\"",
    b"\"..\"",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out = crate::seeds::lines("fuzz/seeds/route.jsonl");
    for m in super::cookbook_strings(&["messages"]).iter().take(8) {
        let line = format!(
            "{{\"name\": \"myapp.area1\", \"level\": \"INFO\", \"msg\": {}}}",
            serde_json::Value::String(m.clone())
        );
        out.push(line.into_bytes());
    }
    out
}

fn core_value(v: &WitValue) -> Value {
    match v {
        WitValue::None => Value::None,
        WitValue::Boolean(b) => Value::Bool(*b),
        WitValue::Int(i) => Value::Int(*i),
        WitValue::Float(f) => Value::Float(*f),
        WitValue::Str(s) => Value::str(s.clone()),
    }
}

fn run(data: &[u8]) -> u64 {
    quiet_host();
    let input = text(data);
    let formatter = Formatter::builder()
        .fmt("%(asctime)s.%(msecs)03d %(name)s %(levelname)s %(created)f %(message)s")
        .build()
        .ok();
    let mut sig = 0u64;
    for line in input.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = match parse_line(line) {
            Ok(r) => r,
            Err(e) => {
                sig = sig.rotate_left(5) ^ message_signature(&e);
                continue;
            }
        };
        let mut fields: Vec<(Text, Value)> = vec![
            (Text::from("name"), Value::str(parsed.name.clone())),
            (Text::from("levelno"), Value::Int(parsed.level)),
            (Text::from("msg"), Value::str(parsed.msg.clone())),
            (
                Text::from("args"),
                Value::Tuple(std::rc::Rc::new(
                    parsed.args.iter().map(core_value).collect(),
                )),
            ),
        ];
        if let Some(c) = parsed.created {
            fields.push((Text::from("created"), Value::Float(c)));
        }
        for (k, v) in &parsed.extra {
            fields.push((Text::from(k.clone()), core_value(v)));
        }
        let mut record = make_log_record(&fields);
        let msg = record.get_message().map(|s| s.len());
        sig = sig.rotate_left(5) ^ outcome(1, &msg);
        if let Some(f) = &formatter {
            let r = f.format(&mut record).map(|s| s.len());
            sig ^= outcome(2, &r).rotate_left(3);
        }
    }
    sig
}
