//! Shared by the native network suites: the scenario's JSON values as core values, a
//! hierarchy configured with real sockets, and the scenario replayed through it.
#![allow(dead_code)]

use std::rc::Rc;

use super::harness::calls;
use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::net::{AllowList, NetRemote};
use wasm_logging::{LogOptions, Manager, Value};

/// A scenario value as a core value (arrays and objects as lists and dicts).
pub fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap()),
        },
        serde_json::Value::String(s) => Value::str(s.clone()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(value)),
        serde_json::Value::Object(o) => Value::dict(o.iter().map(|(k, v)| (k.clone(), value(v)))),
    }
}

/// A fresh hierarchy configured by `config` (dictConfig JSON) with `std::net` sockets
/// allowed by `allow`.
pub fn configured(config: &str, allow: AllowList) -> Manager {
    let manager = Manager::new();
    let env = ConfigEnv {
        remote: Some(Rc::new(NetRemote::new(allow))),
        ..ConfigEnv::default()
    };
    dict_config_with(&manager, &env, &parse_json(config).unwrap()).unwrap();
    manager
}

/// A configuration whose root, at DEBUG, has the one handler `handler` (a JSON object) and
/// the formatter `f` = `fmt`.
pub fn root_config(handler: &str, fmt: &str) -> String {
    format!(
        r#"{{"version": 1,
            "formatters": {{"f": {{"format": {fmt:?}}}}},
            "handlers": {{"h": {handler}}},
            "root": {{"handlers": ["h"], "level": "DEBUG"}}}}"#
    )
}

/// Replays the scenario through `manager`, adding `extra` to every call.
pub fn replay(manager: &Manager, extra: &[(&str, Value)]) {
    for c in calls() {
        let args: Vec<Value> = c.args.iter().map(value).collect();
        let mut opts = LogOptions::new();
        for (k, v) in &c.extra {
            opts = opts.extra(k.clone(), value(v));
        }
        for (k, v) in extra {
            opts = opts.extra(k.to_string(), v.clone());
        }
        manager
            .get_logger_or_root(Some(&c.logger))
            .log_with(c.level, c.msg.clone(), args, opts);
    }
}
