//! The differential scenarios (tests/differential/README.md), replayed natively through the
//! crate's public API and compared with what CPython 3.13 printed for each.
//!
//! Each scenario runs on its own thread: the core's globals (the host console and clock, the
//! level-name registry, the handler names, the factories) are per thread, so every scenario
//! starts from a fresh `logging`, as the oracle's forked CPython does. Writes are captured in
//! order from one [`MemoryConsole`] that is both the host console (lastResort, `handleError`,
//! `ext://sys.stdout` in configurations) and the sink of the API's stream handlers.
//!
//! `DIFF_ONLY=<id prefix>` runs a subset; `DIFF_SHOW=<n>` prints more diffs. The report is
//! also written to `target/differential/report-native.{txt,jsonl}`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "differential/harness.rs"]
mod harness;

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use harness::{Fidelity, Observed, Outcome, Refusal, Report};
use serde_json::Value as Json;
use wasm_logging::core::config::{
    basic_config_with, dict_config_with, json::parse_json, register_factory, BasicConfig, Built,
    ConfigEnv, FactoryKind, Kwargs,
};
use wasm_logging::core::time::LocalOffset;
use wasm_logging::host::{self, FixedClock, Identity};
use wasm_logging::{
    add_level_name, check_level, filter_fn, BraceMessage, Chain, ConsoleHandler, DollarMessage,
    ExcInfo, FnHandler, Formatter, Frame, Handler, LevelSpec, Location, LogOptions, LogRecord,
    Logger, LoggerAdapter, Manager, MemoryConsole, NameFilter, Stream, Style, Text, Value,
};

/// A tagged value (tests/python/wire.py) as a core value.
fn value(v: &Json) -> Value {
    let inner = &v["v"];
    match v["t"].as_str().unwrap_or("") {
        "none" => Value::None,
        "bool" => Value::Bool(inner.as_bool().unwrap_or(false)),
        // Beyond 64 bits: the core's BigInt (its digits).
        "int" => match inner.as_i64() {
            Some(i) => Value::Int(i),
            None => inner
                .as_str()
                .and_then(wasm_logging::core::bigint::BigInt::parse)
                .unwrap_or(Value::Int(0)),
        },
        // Python's repr: Rust's parser reads "nan", "inf", "-inf" and "1e+300" too.
        "float" => Value::Float(
            inner
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN),
        ),
        "str" => Value::Str(Text::from(inner.as_str().unwrap_or("").to_owned())),
        "list" => Value::list(inner.as_array().into_iter().flatten().map(value)),
        "tuple" => Value::tuple(inner.as_array().into_iter().flatten().map(value)),
        "dict" => Value::dict(inner.as_array().into_iter().flatten().map(|kv| {
            (
                Text::from(kv[0].as_str().unwrap_or("").to_owned()),
                value(&kv[1]),
            )
        })),
        other => panic!("unknown tag {other}"),
    }
}

fn extras(obj: &Json) -> Vec<(Text, Value)> {
    obj.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (Text::from(k.clone()), value(v)))
        .collect()
}

fn level_spec(v: &Json) -> LevelSpec {
    match v.as_i64() {
        Some(n) => LevelSpec::Number(n),
        None => LevelSpec::Name(v.as_str().unwrap_or("").to_owned()),
    }
}

/// A scenario's exception: its traceback (outermost frame first) and its `__cause__`.
fn exc_info(e: &Json) -> ExcInfo {
    let frames = e["frames"].as_array().into_iter().flatten().map(|f| Frame {
        filename: Text::from(f["filename"].as_str().unwrap_or("").to_owned()),
        lineno: f["lineno"].as_u64().unwrap_or(0) as u32,
        name: Text::from(f["name"].as_str().unwrap_or("").to_owned()),
        line: None,
    });
    let exc = ExcInfo::new(
        e["type"].as_str().unwrap_or("").to_owned(),
        e["message"].as_str().unwrap_or("").to_owned(),
    )
    .with_frames(frames.collect());
    match e.get("cause") {
        Some(cause) => exc.chained_from(Chain::Cause, exc_info(cause)),
        None => exc,
    }
}

/// The factories the seed configurations name (tests/fixtures/dictconfig/seed_factories.py).
fn register_seed_factories() {
    register_factory(
        "__main__.filter_maker",
        Rc::new(|_kind, kwargs: &[(Text, Value)]| {
            let mut kw = Kwargs::new(kwargs.to_vec());
            let level = kw.take_level("level").map_err(|(_, m)| m)?.ok_or("level")?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                r.levelno <= level
            })))
        }),
    );
    register_factory(
        "project.logging.SpecialFilter",
        Rc::new(|_kind, kwargs: &[(Text, Value)]| {
            let mut kw = Kwargs::new(kwargs.to_vec());
            let special = kw.take_str("foo").map_err(|(_, m)| m)?.unwrap_or_default();
            kw.finish("SpecialFilter()").map_err(|(_, m)| m)?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                r.set_attr("special", Value::Str(special.clone())).is_ok()
            })))
        }),
    );
    register_factory(
        "django.utils.log.AdminEmailHandler",
        Rc::new(|kind, _kwargs: &[(Text, Value)]| {
            assert_eq!(kind, FactoryKind::Handler);
            Ok(Built::Handler(Rc::new(FnHandler::new(
                |text: &str, _r: &LogRecord| {
                    host::console().write(Stream::Stdout, &format!("EMAIL: {text}\n"), None)
                },
            ))))
        }),
    );
}

struct Run {
    manager: Manager,
    console: Rc<MemoryConsole>,
    handlers: HashMap<String, Rc<dyn Handler>>,
    adapters: HashMap<String, Rc<LoggerAdapter>>,
    /// `(phase, index of the first write in it)`.
    marks: Vec<(i64, usize)>,
}

impl Run {
    fn logger(&self, name: &str) -> Logger {
        if name.is_empty() {
            self.manager.root()
        } else {
            self.manager.get_logger(name)
        }
    }

    fn mark(&mut self, phase: i64) {
        self.marks.push((phase, self.console.lines().len()));
    }

    /// One setup step; `Err` is the refusal (its path, if the API gives one, and message).
    fn step(&mut self, st: &Json) -> Result<(), (Option<String>, String)> {
        let plain = |e: wasm_logging::Error| (None, e.to_string());
        match st["op"].as_str().unwrap_or("") {
            "getLogger" => {
                self.logger(st["name"].as_str().unwrap_or(""));
            }
            "setLevel" => self
                .logger(st["logger"].as_str().unwrap_or(""))
                .set_level(level_spec(&st["level"]))
                .map_err(plain)?,
            "propagate" => self
                .logger(st["logger"].as_str().unwrap_or(""))
                .set_propagate(st["value"].as_bool().unwrap_or(true)),
            "disabled" => self
                .logger(st["logger"].as_str().unwrap_or(""))
                .set_disabled(st["value"].as_bool().unwrap_or(false)),
            "addHandler" => {
                let stream = if st["stream"] == "stdout" {
                    Stream::Stdout
                } else {
                    Stream::Stderr
                };
                let h = Rc::new(ConsoleHandler::new(stream));
                if !st["level"].is_null() {
                    h.core()
                        .set_level(level_spec(&st["level"]))
                        .map_err(plain)?;
                }
                let f = &st["formatter"];
                if !f.is_null() {
                    let mut b = Formatter::builder();
                    if let Some(fmt) = f["fmt"].as_str() {
                        b = b.fmt(fmt.to_owned());
                    }
                    if let Some(d) = f["datefmt"].as_str() {
                        b = b.datefmt(d.to_owned());
                    }
                    b = b.style(
                        Style::from_char(f["style"].as_str().unwrap_or("%")).map_err(plain)?,
                    );
                    if let Some(v) = f["validate"].as_bool() {
                        b = b.validate(v);
                    }
                    if f["defaults"].is_object() {
                        b = b.defaults(extras(&f["defaults"]));
                    }
                    h.core()
                        .set_formatter(Some(Rc::new(b.build().map_err(plain)?)));
                }
                for n in st["filters"].as_array().into_iter().flatten() {
                    h.core().add_filter(Rc::new(NameFilter::new(
                        n.as_str().unwrap_or("").to_owned(),
                    )));
                }
                let h: Rc<dyn Handler> = h;
                self.logger(st["logger"].as_str().unwrap_or(""))
                    .add_handler(h.clone());
                self.handlers
                    .insert(st["handler"].as_str().unwrap_or("").to_owned(), h);
            }
            "removeHandler" => {
                if let Some(h) = self.handlers.get(st["handler"].as_str().unwrap_or("")) {
                    self.logger(st["logger"].as_str().unwrap_or(""))
                        .remove_handler(h);
                }
            }
            "addFilter" => self
                .logger(st["logger"].as_str().unwrap_or(""))
                .add_filter(Rc::new(NameFilter::new(
                    st["name"].as_str().unwrap_or("").to_owned(),
                ))),
            "addLevelName" => add_level_name(
                st["level"].as_i64().unwrap_or(0),
                st["name"].as_str().unwrap_or("").to_owned(),
            ),
            "disable" => {
                let level = check_level(level_spec(&st["level"])).map_err(plain)?;
                self.manager.disable(level);
            }
            "adapter" => {
                let extra = extras(&st["extra"]);
                let a = match st["adapter"].as_str() {
                    Some(inner) => LoggerAdapter::wrap(self.adapters[inner].clone(), extra),
                    None => {
                        LoggerAdapter::new(self.logger(st["logger"].as_str().unwrap_or("")), extra)
                    }
                };
                let a = a.merge_extra(st["merge_extra"].as_bool().unwrap_or(false));
                self.adapters
                    .insert(st["id"].as_str().unwrap_or("").to_owned(), Rc::new(a));
            }
            "dictConfig" => {
                let config = parse_json(&st["config"].to_string()).expect("JSON");
                dict_config_with(&self.manager, &ConfigEnv::default(), &config)
                    .map_err(|e| (Some(e.path().to_owned()), e.message().to_owned()))?;
            }
            "basicConfig" => {
                // `stream` names a console stream as configurations do.
                let mut kw = st["kwargs"].clone();
                if let Some(s) = kw.get("stream").and_then(Json::as_str).map(str::to_owned) {
                    kw["stream"] = Json::String(format!("ext://sys.{s}"));
                }
                let kwargs = parse_json(&kw.to_string()).expect("JSON");
                let refuse = |e: wasm_logging::core::config::ConfigError| {
                    (Some(e.path().to_owned()), e.message().to_owned())
                };
                let cfg = BasicConfig::from_value(&kwargs).map_err(refuse)?;
                basic_config_with(&self.manager, &ConfigEnv::default(), cfg).map_err(refuse)?;
            }
            other => panic!("unknown step {other}"),
        }
        Ok(())
    }

    fn call(&self, c: &Json) {
        let level = match c["method"].as_str().unwrap_or("") {
            "debug" => 10,
            "info" => 20,
            "warning" | "warn" => 30,
            "error" | "exception" => 40,
            "critical" | "fatal" => 50,
            _ => c["level"].as_i64().unwrap_or(0),
        };
        let msg = match (&c["msg"], c["msg_object"].as_object()) {
            (_, Some(o)) => {
                let fmt = o["fmt"].as_str().unwrap_or("").to_owned();
                let kwargs = extras(&o["kwargs"]);
                if o["kind"] == "brace" {
                    let args = o["args"].as_array().into_iter().flatten().map(value);
                    Value::Object(Rc::new(BraceMessage::new(fmt, args.collect(), kwargs)))
                } else {
                    Value::Object(Rc::new(DollarMessage::new(fmt, kwargs)))
                }
            }
            (Json::String(s), None) => Value::Str(Text::from(s.clone())),
            (other, None) => value(other),
        };
        let args: Vec<Value> = c["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(value)
            .collect();
        let mut opts = LogOptions::new();
        opts.extra = extras(&c["extra"]);
        if c["exc"].is_object() {
            opts = opts.exc_info(exc_info(&c["exc"]));
        }
        opts = opts.location(match c["location"].as_object() {
            Some(l) => Location {
                pathname: Text::from(l["pathname"].as_str().unwrap_or("").to_owned()),
                lineno: l["lineno"].as_u64().unwrap_or(0) as u32,
                func_name: Text::from(l["funcName"].as_str().unwrap_or("").to_owned()),
            },
            None => Location::unknown(),
        });
        match c["adapter"].as_str() {
            Some(a) => self.adapters[a].log_with(level, msg, args, opts),
            None => self
                .logger(c["logger"].as_str().unwrap_or(""))
                .log_with(level, msg, args, opts),
        }
    }
}

fn run(s: &Json) -> Observed {
    let clock = &s["clock"];
    let ns = |k: &str| -> i64 { clock[k].as_str().and_then(|v| v.parse().ok()).expect(k) };
    let (now, start) = (ns("now_ns"), ns("start_ns"));
    let zone = &clock["zone"];
    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    let fixed = Rc::new(FixedClock::new(start).with_offset(LocalOffset {
        utc_offset: zone["utc_offset"].as_i64().unwrap_or(0) as i32,
        zone: zone["name"].as_str().unwrap_or("UTC").to_owned(),
        is_dst: i32::from(zone["is_dst"].as_bool().unwrap_or(false)),
    }));
    // Installing the clock sets logging's start time to its reading; then it moves to `now`.
    host::install_clock(fixed.clone());
    fixed.now_ns.set(now);
    if let Some(id) = s["identity"].as_object() {
        host::set_identity(Identity {
            thread: id["thread"].as_i64(),
            thread_name: Some(Text::from(
                id["threadName"].as_str().unwrap_or("").to_owned(),
            )),
            process: id["process"].as_u64().map(|p| p as u32),
            process_name: Some(Text::from(
                id["processName"].as_str().unwrap_or("").to_owned(),
            )),
        });
        if let Some(task) = id.get("taskName").and_then(Json::as_str) {
            host::set_task_name(Some(Text::from(task.to_owned())));
        }
    }
    register_seed_factories();
    let mut r = Run {
        manager: Manager::new(),
        console: console.clone(),
        handlers: HashMap::new(),
        adapters: HashMap::new(),
        marks: vec![(-1, 0)],
    };
    let mut refusal = None;
    for (i, st) in s["setup"].as_array().into_iter().flatten().enumerate() {
        if let Err((path, message)) = r.step(st) {
            refusal = Some(Refusal {
                step: i,
                path,
                message,
            });
            break;
        }
    }
    if refusal.is_none() {
        let calls = s["calls"].as_array().cloned().unwrap_or_default();
        for (i, c) in calls.iter().enumerate() {
            r.mark(i as i64);
            r.call(c);
        }
        r.mark(calls.len() as i64);
        r.manager.shutdown();
    }
    let lines = console.lines();
    let mut writes = Vec::new();
    for (k, (phase, from)) in r.marks.iter().enumerate() {
        let to = r.marks.get(k + 1).map_or(lines.len(), |m| m.1);
        for l in &lines[*from..to] {
            let stream = match l.stream {
                Stream::Stdout => harness::Stream::Stdout,
                Stream::Stderr => harness::Stream::Stderr,
            };
            writes.push((*phase, stream, l.text.clone()));
        }
    }
    Observed {
        writes,
        refusal,
        raised: Vec::new(),
    }
}

#[test]
fn differential_scenarios_match_cpython_natively() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenarios = harness::load(repo, &common::python_exe());
    let mut report = Report::new("native");
    for s in &scenarios {
        let shared = s.clone();
        // A panic in the core is a failure of that scenario, not of the run.
        let observed = std::thread::spawn(move || run(&shared)).join();
        let outcome = match observed {
            Ok(obs) => match harness::compare(s, &obs, Fidelity::Ordered) {
                Ok(()) => Outcome::Pass,
                Err(d) => Outcome::Fail(d),
            },
            Err(_) => Outcome::Fail("the core panicked".to_owned()),
        };
        report.add(s, outcome);
    }
    let show = std::env::var("DIFF_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    report.print(repo, show);
    assert!(report.total() >= 1000 || std::env::var("DIFF_ONLY").is_ok());
    // Everything is expressible natively (ints beyond 64 bits are the core's BigInt), and
    // matches CPython (a failure is listed in the report printed above).
    assert!(
        report.inexpressible_rate() == 0.0,
        "{:.1}% of the scenarios are inexpressible natively",
        report.inexpressible_rate()
    );
    assert_eq!(
        report.failed(),
        0,
        "{:.1}% of the scenarios pass natively",
        report.pass_rate()
    );
}
