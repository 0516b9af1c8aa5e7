//! The differential scenarios (tests/differential/README.md) through the WASI component in
//! Wasmtime, with the WIT API only (the `Instance` wrapper of `loggers`, `handlers` and
//! `config`), each compared with what CPython 3.13 printed.
//!
//! Each scenario gets a fresh instance (its own store and logger hierarchy) with a fixed
//! clock and zone, the scenario's identity, the seed factories and a captured console. The
//! capture keeps stdout and stderr apart, so the order *between* the two streams inside one
//! phase (the setup, one call, the shutdown) is not observable here: each phase's stdout and
//! stderr are compared separately. A scenario the WIT API cannot express counts as
//! inexpressible, with the reason.
//!
//! `DIFF_ONLY=<id prefix>` runs a subset; `DIFF_SHOW=<n>` prints more diffs. The report is
//! also written to `target/differential/report-wasmtime.{txt,jsonl}`.

mod common;
#[path = "../../tests/differential/harness.rs"]
mod harness;

use std::collections::HashMap;
use std::path::Path;

use harness::{Fidelity, Observed, Outcome, Refusal, Report};
use serde_json::{json, Value as Json};
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::{
    Chain as WitChain, Exception, Frame as WitFrame, IdentityOverride, Level,
};
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
use wasm_logging_host::{
    call::exception, Adapter, Call, Console, Factories, HostOptions, HostRecord, Instance,
    LocalTime, PyValue, Zone,
};

/// Why a scenario cannot be said through the WIT API.
struct Inexpressible(String);

/// A tagged value (tests/python/wire.py) as a WIT value tree.
fn value(v: &Json) -> PyValue {
    let inner = &v["v"];
    match v["t"].as_str().unwrap_or("") {
        "none" => PyValue::None,
        "bool" => PyValue::Bool(inner.as_bool().unwrap_or(false)),
        "int" => match inner.as_i64() {
            Some(n) => PyValue::Int(n),
            None => {
                let digits = inner.as_str().unwrap_or("0");
                digits
                    .parse()
                    .map(PyValue::Int)
                    .unwrap_or_else(|_| PyValue::BigInt(digits.to_owned()))
            }
        },
        "float" => PyValue::Float(
            inner
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN),
        ),
        "str" => PyValue::Str(inner.as_str().unwrap_or("").to_owned()),
        "list" => PyValue::list(inner.as_array().into_iter().flatten().map(value)),
        "tuple" => PyValue::tuple(inner.as_array().into_iter().flatten().map(value)),
        "dict" => PyValue::Dict(
            inner
                .as_array()
                .into_iter()
                .flatten()
                .map(|kv| {
                    (
                        PyValue::Str(kv[0].as_str().unwrap_or("").to_owned()),
                        value(&kv[1]),
                    )
                })
                .collect(),
        ),
        other => panic!("unknown tag {other}"),
    }
}

/// A tagged value as plain JSON (for handler specs: formatter `defaults`).
fn plain(v: &Json) -> Json {
    let inner = &v["v"];
    match v["t"].as_str().unwrap_or("") {
        "float" => inner
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .map_or(Json::Null, |f| json!(f)),
        "none" => Json::Null,
        _ => inner.clone(),
    }
}

fn fields(obj: &Json) -> Vec<(String, PyValue)> {
    obj.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), value(v)))
        .collect()
}

fn level(v: &Json) -> Level {
    match v.as_i64() {
        Some(n) => Level::Number(n),
        None => Level::Name(v.as_str().unwrap_or("").to_owned()),
    }
}

fn std_level(name: &str) -> Option<i64> {
    Some(match name {
        "DEBUG" => 10,
        "INFO" => 20,
        "WARNING" => 30,
        "ERROR" => 40,
        "CRITICAL" => 50,
        _ => return None,
    })
}

/// The factories the seed configurations name (tests/fixtures/dictconfig/seed_factories.py).
fn seed_factories() -> Factories {
    let mut f = Factories::new();
    f.filter("__main__.filter_maker", |kw| {
        let name = kw["level"]
            .as_str()
            .ok_or("filter_maker() missing 'level'")?;
        let level =
            std_level(name).ok_or_else(|| format!("module 'logging' has no attribute '{name}'"))?;
        Ok(move |r: &mut HostRecord| Ok(r.levelno <= level))
    });
    f.filter("project.logging.SpecialFilter", |kw| {
        let special = kw["foo"].clone();
        Ok(move |r: &mut HostRecord| {
            r.extra.insert("special".to_owned(), special.clone());
            Ok(true)
        })
    });
    f.handler("django.utils.log.AdminEmailHandler", |_kw| {
        Ok(|text: &str, _r: &HostRecord, console: &Console| {
            console.write(Stream::Stdout, &format!("EMAIL: {text}\n"))
        })
    });
    f
}

struct Run {
    i: Instance,
    adapters: HashMap<String, Adapter>,
    /// Stdout and stderr lengths at the start of the current phase.
    seen: (usize, usize),
    writes: Vec<(i64, harness::Stream, String)>,
    filters: usize,
    raised: Vec<(i64, String, String)>,
}

impl Run {
    /// Moves what the console got since the last mark into `phase`.
    fn mark(&mut self, phase: i64) {
        let c = self.i.captured();
        let out = c.stdout[self.seen.0..].to_owned();
        let err = c.stderr[self.seen.1..].to_owned();
        self.seen = (c.stdout.len(), c.stderr.len());
        self.writes.push((phase, harness::Stream::Stdout, out));
        self.writes.push((phase, harness::Stream::Stderr, err));
    }

    fn filter(&mut self, logger_name: &str) -> String {
        self.filters += 1;
        let name = format!("differential-filter-{}", self.filters);
        self.i
            .create_filter(&name, &json!({ "name": logger_name }).to_string())
            .expect("no trap")
            .expect("a name filter is accepted");
        name
    }

    /// One setup step: `Ok(Err(refusal))` when the component refuses it.
    fn step(&mut self, st: &Json) -> Result<Result<(), (Option<String>, String)>, Inexpressible> {
        let s = |k: &str| st[k].as_str().unwrap_or("").to_owned();
        let raised =
            |e: wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::CallError| {
                (None, format!("{}: {}", e.exception, e.message))
            };
        let refused = |e: wasm_logging_host::bindings::exports::wasm_logging::logging::config::ConfigError| {
            (Some(e.path), e.reason)
        };
        let i = &mut self.i;
        let r = match st["op"].as_str().unwrap_or("") {
            "getLogger" => {
                i.logger(&s("name")).expect("no trap");
                Ok(())
            }
            "setLevel" => i
                .set_logger_level(&s("logger"), &level(&st["level"]))
                .expect("no trap")
                .map_err(raised),
            "propagate" => {
                i.set_propagate(&s("logger"), st["value"].as_bool().unwrap_or(true))
                    .expect("no trap");
                Ok(())
            }
            "disabled" => {
                i.set_disabled(&s("logger"), st["value"].as_bool().unwrap_or(false))
                    .expect("no trap");
                Ok(())
            }
            "addHandler" => {
                // `StreamHandler(sys.stdout)` with its level, Formatter and Filters, as the
                // dictConfig handler entry `create-handler` takes.
                let mut spec = json!({
                    "class": "logging.StreamHandler",
                    "stream": format!("ext://sys.{}", s("stream")),
                });
                if !st["level"].is_null() {
                    spec["level"] = st["level"].clone();
                }
                let f = &st["formatter"];
                if f.is_object() {
                    let mut fs = json!({ "format": f["fmt"] });
                    for k in ["datefmt", "style", "validate"] {
                        if !f[k].is_null() {
                            fs[k] = f[k].clone();
                        }
                    }
                    if let Some(d) = f["defaults"].as_object() {
                        fs["defaults"] =
                            Json::Object(d.iter().map(|(k, v)| (k.clone(), plain(v))).collect());
                    }
                    spec["formatter"] = fs;
                }
                if let Some(names) = st["filters"].as_array() {
                    spec["filters"] =
                        Json::Array(names.iter().map(|n| json!({ "name": n })).collect());
                }
                let name = s("handler");
                match i.create_handler(&name, &spec.to_string()).expect("no trap") {
                    Err(e) => Err(refused(e)),
                    Ok(()) => i
                        .add_handler(&s("logger"), &name)
                        .expect("no trap")
                        .map_err(raised),
                }
            }
            "removeHandler" => i
                .remove_handler(&s("logger"), &s("handler"))
                .expect("no trap")
                .map_err(raised),
            "addFilter" => {
                let f = self.filter(&s("name"));
                self.i
                    .add_filter(&s("logger"), &f)
                    .expect("no trap")
                    .map_err(raised)
            }
            "addLevelName" => {
                i.add_level_name(st["level"].as_i64().unwrap_or(0), &s("name"))
                    .expect("no trap");
                Ok(())
            }
            "disable" => i
                .disable(&level(&st["level"]))
                .expect("no trap")
                .map_err(raised),
            "adapter" => {
                let extra = fields(&st["extra"]);
                let merge = st["merge_extra"].as_bool().unwrap_or(false);
                let made = match st["adapter"].as_str() {
                    Some(inner) => {
                        let a = self.adapters[inner];
                        i.adapt(a, &extra, merge)
                    }
                    None => i.adapter(&s("logger"), &extra, merge),
                }
                .expect("no trap");
                match made {
                    Ok(a) => {
                        self.adapters.insert(s("id"), a);
                        Ok(())
                    }
                    Err(e) => Err(raised(e)),
                }
            }
            "dictConfig" => i
                .dict_config(&st["config"].to_string())
                .expect("no trap")
                .map_err(refused),
            "basicConfig" => i
                .basic_config_kwargs(&basic_kwargs(&st["kwargs"]).to_string())
                .expect("no trap")
                .map_err(refused),
            other => panic!("unknown step {other}"),
        };
        Ok(r)
    }

    fn call(&mut self, n: usize, c: &Json, identity: &Option<IdentityOverride>) {
        let level = match c["method"].as_str().unwrap_or("") {
            "debug" => 10,
            "info" => 20,
            "warning" | "warn" => 30,
            "error" | "exception" => 40,
            "critical" | "fatal" => 50,
            _ => c["level"].as_i64().unwrap_or(0),
        };
        let mut call = match (&c["msg"], c["msg_object"].as_object()) {
            (_, Some(o)) => {
                let fmt = o["fmt"].as_str().unwrap_or("").to_owned();
                let kwargs = fields(&o["kwargs"]);
                let kwargs = kwargs.iter().map(|(k, v)| (k.as_str(), v.clone()));
                if o["kind"] == "brace" {
                    let args = o["args"].as_array().into_iter().flatten().map(value);
                    Call::brace(fmt, args, kwargs)
                } else {
                    Call::dollar(fmt, kwargs)
                }
            }
            (Json::String(m), None) => Call::new(m.clone()),
            (other, None) => Call::value(value(other)),
        };
        for a in c["args"].as_array().into_iter().flatten() {
            call = call.arg(value(a));
        }
        for (k, v) in fields(&c["extra"]) {
            call = call.extra(k, v);
        }
        if c["exc"].is_object() {
            call = call.exc_info(exc_chain(&c["exc"]));
        }
        if let Some(l) = c["location"].as_object() {
            call = call.location(
                l["pathname"].as_str().unwrap_or(""),
                l["lineno"].as_u64().unwrap_or(0) as u32,
                l["funcName"].as_str().unwrap_or(""),
            );
        }
        if let Some(id) = identity {
            call = call.identity(id.clone());
        }
        let r = match c["adapter"].as_str() {
            Some(a) => {
                let a = self.adapters[a];
                self.i.adapter_log_with(a, level, &call)
            }
            None => self
                .i
                .log_with(c["logger"].as_str().unwrap_or(""), level, &call),
        }
        .expect("no trap");
        if let Err(e) = r {
            self.raised.push((n as i64, e.exception, e.message));
        }
    }
}

/// A scenario's exception as `exc-info`: the logged exception first, then the one it was
/// raised from.
fn exc_chain(e: &Json) -> Vec<Exception> {
    let mut out = Vec::new();
    let mut cur = Some(e);
    while let Some(e) = cur {
        let mut x = exception(
            e["type"].as_str().unwrap_or(""),
            e["message"].as_str().unwrap_or(""),
        );
        x.frames = e["frames"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| WitFrame {
                filename: f["filename"].as_str().unwrap_or("").to_owned(),
                lineno: f["lineno"].as_u64().unwrap_or(0) as u32,
                name: f["name"].as_str().unwrap_or("").to_owned(),
                line: None,
            })
            .collect();
        cur = e.get("cause");
        if cur.is_some() {
            x.chained = Some(WitChain::Cause);
        }
        out.push(x);
    }
    out
}

/// `basicConfig`'s keyword arguments as Python would pass them (`basic-config-kwargs`):
/// the scenario's stream names become the `ext://` spellings.
fn basic_kwargs(kw: &Json) -> Json {
    let mut kw = kw.clone();
    if let Some(stream) = kw.get_mut("stream") {
        if let Some(name) = stream.as_str().filter(|s| !s.starts_with("ext://")) {
            *stream = Json::String(format!("ext://sys.{name}"));
        }
    }
    kw
}

impl Run {
    fn new(s: &Json, log_dir: &Path) -> Run {
        let clock = &s["clock"];
        let ns = |k: &str| -> i64 { clock[k].as_str().and_then(|v| v.parse().ok()).expect(k) };
        let zone = &clock["zone"];
        let id = &s["identity"];
        let i = common::runtime()
            .instantiate(HostOptions {
                log_dir: log_dir.to_path_buf(),
                console: Console::capture(),
                clock: u64::try_from(ns("now_ns")).ok(),
                zone: Zone::Fixed(LocalTime {
                    utc_offset: zone["utc_offset"].as_i64().unwrap_or(0) as i32,
                    zone: zone["name"].as_str().unwrap_or("UTC").to_owned(),
                    is_dst: zone["is_dst"].as_bool().unwrap_or(false),
                }),
                process_name: id["processName"]
                    .as_str()
                    .unwrap_or("MainProcess")
                    .to_owned(),
                thread_name: id["threadName"].as_str().unwrap_or("MainThread").to_owned(),
                process: id["process"].as_u64().unwrap_or(4242) as u32,
                factories: seed_factories(),
                allow_remote: Vec::new(),
                ..HostOptions::default()
            })
            .expect("instantiate the component");
        let mut run = Run {
            i,
            adapters: HashMap::new(),
            seen: (0, 0),
            writes: Vec::new(),
            filters: 0,
            raised: Vec::new(),
        };
        run.i.set_start_time(ns("start_ns")).expect("no trap");
        // Before 1970 the wall clock (unsigned) cannot say it: the component's fixed time can.
        if ns("now_ns") < 0 {
            run.i.set_fixed_time(Some(ns("now_ns"))).expect("no trap");
        }
        run
    }
}

fn run(s: &Json, log_dir: &Path) -> Result<Observed, Inexpressible> {
    // The record's thread number and task name are not instance options: per-call identity
    // overrides.
    let identity = s["identity"].as_object().map(|id| IdentityOverride {
        thread: id["thread"].as_i64(),
        thread_name: None,
        process: None,
        process_name: None,
        task_name: id.get("taskName").and_then(Json::as_str).map(str::to_owned),
    });
    let mut r = Run::new(s, log_dir);
    let mut refusal = None;
    for (n, st) in s["setup"].as_array().into_iter().flatten().enumerate() {
        if let Err((path, message)) = r.step(st)? {
            refusal = Some(Refusal {
                step: n,
                path,
                message,
            });
            break;
        }
    }
    r.mark(-1);
    if refusal.is_none() {
        let calls = s["calls"].as_array().cloned().unwrap_or_default();
        for (n, c) in calls.iter().enumerate() {
            r.call(n, c, &identity);
            r.mark(n as i64);
        }
        r.i.shutdown().expect("no trap");
        r.mark(calls.len() as i64);
    }
    Ok(Observed {
        writes: r.writes,
        refusal,
        raised: r.raised,
    })
}

#[test]
fn differential_scenarios_match_cpython_through_the_component() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo");
    let scenarios = harness::load(repo, &common::python_exe());
    let dir = common::temp_dir("differential");
    let mut report = Report::new("wasmtime");
    for s in &scenarios {
        let outcome = match run(s, &dir) {
            Err(Inexpressible(why)) => Outcome::Inexpressible(why),
            Ok(obs) => match harness::compare(s, &obs, Fidelity::PerPhase) {
                Ok(()) => Outcome::Pass,
                Err(d) => Outcome::Fail(d),
            },
        };
        report.add(s, outcome);
    }
    let show = std::env::var("DIFF_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    report.print(repo, show);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(report.total() >= 1000 || std::env::var("DIFF_ONLY").is_ok());
    // Every scenario is expressible through the WIT API (clocks before 1970 through
    // `set-fixed-time`, ints beyond 64 bits as big-int nodes), and every one matches CPython
    // (a failure is listed in the report printed above).
    assert_eq!(
        report.failed(),
        0,
        "{:.1}% of the expressible scenarios pass through the component",
        report.pass_rate()
    );
    assert!(
        report.inexpressible_rate() == 0.0,
        "{:.1}% of the scenarios are inexpressible through the WIT API",
        report.inexpressible_rate()
    );
}
