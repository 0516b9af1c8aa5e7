//! Differential test of `JsonFormatter` against CPython 3.13 running the idiomatic recipe
//! (`tests/python/json_oracle.py`: a `logging.Formatter` subclass whose `format` returns
//! `json.dumps` of the chosen keys, the extras, and `exc_info` / `stack_info` texts).
//!
//! A seeded xorshift generator builds several hundred cases: random nested values (unicode,
//! astral and control characters, NaN/inf, -0.0, 1e16, 1e-7, `i64` extremes, dicts with
//! keys of mixed types including equal ones like `1` / `True` / `1.0`, tuple keys,
//! unserializable objects), random key lists (every standard attribute, extras, duplicates,
//! missing names), extras on and off, `datefmt`, UTC or local time (TZ=UTC on both sides),
//! exceptions, preset `exc_text` and `stack_info`. Each is formatted by CPython and here;
//! outputs (or error class and message) must be byte-identical. A proptest checks that
//! formatting never panics.
//!
//! Environment: `JSON_DIFF_SEED` (u64) changes the seed; `JSON_DIFF_CASES` the count.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;

use proptest::prelude::*;
use proptest::test_runner::Config;

use wasm_logging::core::time::LocalOffset;
use wasm_logging::host::{self, FixedClock, Identity};
use wasm_logging::{
    Converter, ExcInfo, JsonFormatter, Location, LogRecord, PyObject, RecordFormatter, Text, Value,
};

// ---------------------------------------------------------------------------------------
// PRNG (xorshift64*).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }
}

// ---------------------------------------------------------------------------------------
// Values as cases describe them.

#[derive(Clone, Debug)]
enum V {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<V>),
    Tuple(Vec<V>),
    Dict(Vec<(V, V)>),
    Obj,
}

#[derive(Debug)]
struct Thing;

impl PyObject for Thing {
    fn type_name(&self) -> &str {
        "Thing"
    }
    fn py_repr(&self) -> wasm_logging::core::error::Result<String> {
        Ok("<__main__.Thing object>".to_owned())
    }
}

impl V {
    fn to_value(&self) -> Value {
        match self {
            V::None => Value::None,
            V::Bool(b) => Value::Bool(*b),
            V::Int(i) => Value::Int(*i),
            V::Float(f) => Value::Float(*f),
            V::Str(s) => Value::Str(Text::from(s.clone())),
            V::List(xs) => Value::list(xs.iter().map(V::to_value)),
            V::Tuple(xs) => Value::tuple(xs.iter().map(V::to_value)),
            V::Dict(items) => Value::Dict(Rc::new(
                items
                    .iter()
                    .map(|(k, v)| (k.to_value(), v.to_value()))
                    .collect(),
            )),
            V::Obj => Value::Object(Rc::new(Thing)),
        }
    }

    fn json(&self, out: &mut String) {
        match self {
            V::None => out.push_str(r#"{"t":"none"}"#),
            V::Bool(b) => out.push_str(&format!(r#"{{"t":"bool","v":{b}}}"#)),
            V::Int(i) => out.push_str(&format!(r#"{{"t":"int","v":{i}}}"#)),
            V::Float(f) => {
                out.push_str(r#"{"t":"float","v":"#);
                json_str(&format!("{f:?}"), out);
                out.push('}');
            }
            V::Str(s) => {
                out.push_str(r#"{"t":"str","v":"#);
                json_str(s, out);
                out.push('}');
            }
            V::List(xs) | V::Tuple(xs) => {
                let tag = if matches!(self, V::List(_)) {
                    "list"
                } else {
                    "tuple"
                };
                out.push_str(&format!(r#"{{"t":"{tag}","v":["#));
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    x.json(out);
                }
                out.push_str("]}");
            }
            V::Dict(items) => {
                out.push_str(r#"{"t":"dict","v":["#);
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    k.json(out);
                    out.push(',');
                    v.json(out);
                    out.push(']');
                }
                out.push_str("]}");
            }
            V::Obj => out.push_str(r#"{"t":"obj"}"#),
        }
    }
}

/// A JSON string for the oracle's input (control characters escaped, the rest raw UTF-8).
fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

const CHARS: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "\"",
    "\\",
    "/",
    "\n",
    "\r",
    "\t",
    "\u{8}",
    "\u{c}",
    "\u{0}",
    "\u{1}",
    "\u{1f}",
    "\u{7f}",
    "\u{80}",
    "é",
    "ß",
    "中",
    "\u{2028}",
    "\u{fffe}",
    "\u{ffff}",
    "😀",
    "\u{10ffff}",
    "𝄞",
    "~",
    "%",
    "{",
    "}",
    "'",
];

fn gen_str(rng: &mut Rng) -> String {
    let n = rng.below(9);
    (0..n)
        .map(|_| {
            if rng.chance(40) {
                char::from(b' ' + rng.below(95) as u8).to_string()
            } else {
                rng.pick(CHARS).to_owned()
            }
        })
        .collect()
}

fn gen_float(rng: &mut Rng) -> f64 {
    match rng.below(14) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => -0.0,
        4 => 1e16,
        5 => 1e-7,
        6 => rng.pick(&[
            0.1,
            0.5,
            1.0,
            1e15,
            9007199254740993.0,
            1e22,
            5e-324,
            f64::MAX,
            1e-5,
            1e-4,
        ]),
        7 => (rng.below(2001) as f64 - 1000.0) / 8.0,
        8 => (rng.below(1_000_000) as f64) * 10f64.powi(rng.below(40) as i32 - 20),
        9 => -((rng.below(1_000_000) as f64) * 10f64.powi(rng.below(40) as i32 - 20)),
        10 => rng.below(1 << 53) as f64,
        _ => f64::from_bits(rng.next()),
    }
}

fn gen_int(rng: &mut Rng) -> i64 {
    match rng.below(5) {
        0 => rng.pick(&[0, 1, -1, i64::MAX, i64::MIN, 1 << 53, -(1 << 53)]),
        1 => rng.next() as i64,
        _ => rng.below(2001) as i64 - 1000,
    }
}

fn gen_scalar(rng: &mut Rng) -> V {
    match rng.below(6) {
        0 => V::None,
        1 => V::Bool(rng.chance(50)),
        2 => V::Int(gen_int(rng)),
        3 => V::Float(gen_float(rng)),
        _ => V::Str(gen_str(rng)),
    }
}

fn gen_key(rng: &mut Rng) -> V {
    match rng.below(20) {
        0 => V::Int(rng.below(3) as i64),
        1 => V::Bool(rng.chance(50)),
        2 => V::None,
        3 => V::Float(rng.pick(&[0.0, -0.0, 1.0, 1.5, f64::NAN, f64::INFINITY, 1e16])),
        4 => V::Int(gen_int(rng)),
        5 if rng.chance(30) => V::Tuple(vec![V::Int(1), V::s("x")]),
        6 => V::s(rng.pick(&["a", "b", "a"])),
        _ => V::Str(gen_str(rng)),
    }
}

impl V {
    fn s(s: &str) -> V {
        V::Str(s.to_owned())
    }
}

fn gen_value(rng: &mut Rng, depth: u32) -> V {
    if depth >= 4 {
        return gen_scalar(rng);
    }
    match rng.below(12) {
        0 | 1 => V::List(
            (0..rng.below(4))
                .map(|_| gen_value(rng, depth + 1))
                .collect(),
        ),
        2 => V::Tuple(
            (0..rng.below(4))
                .map(|_| gen_value(rng, depth + 1))
                .collect(),
        ),
        3 | 4 => V::Dict(
            (0..rng.below(5))
                .map(|_| (gen_key(rng), gen_value(rng, depth + 1)))
                .collect(),
        ),
        5 if rng.chance(8) => V::Obj,
        _ => gen_scalar(rng),
    }
}

// ---------------------------------------------------------------------------------------
// Cases.

/// CPython's record attributes, for keys.
const STANDARD: &[&str] = wasm_logging::core::record::RECORD_ATTRIBUTES;

const EXTRA_NAMES: &[&str] = &[
    "user",
    "req",
    "ip",
    "n",
    "data",
    "ключ",
    "emoji😀",
    "quote\"k",
    "ctl\nk",
    "sp ace",
    "",
];

#[derive(Debug)]
struct Case {
    name: String,
    levelno: i64,
    levelname: String,
    pathname: String,
    lineno: u32,
    func: String,
    msg: V,
    args: Vec<V>,
    created_ns: i64,
    start_ns: i64,
    exc: Option<String>,
    exc_text: Option<String>,
    stack_info: Option<String>,
    extra: Vec<(String, V)>,
    keys: Vec<String>,
    extra_on: bool,
    datefmt: Option<String>,
    utc: bool,
}

impl Case {
    fn json(&self) -> String {
        let mut o = String::from("{\"name\":");
        json_str(&self.name, &mut o);
        o.push_str(&format!(",\"levelno\":{},\"levelname\":", self.levelno));
        json_str(&self.levelname, &mut o);
        o.push_str(",\"pathname\":");
        json_str(&self.pathname, &mut o);
        o.push_str(&format!(",\"lineno\":{},\"func\":", self.lineno));
        json_str(&self.func, &mut o);
        o.push_str(",\"msg\":");
        self.msg.json(&mut o);
        o.push_str(",\"args\":[");
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            a.json(&mut o);
        }
        o.push_str(&format!(
            "],\"created_ns\":{},\"start_ns\":{}",
            self.created_ns, self.start_ns
        ));
        for (k, v) in [
            ("exc", &self.exc),
            ("exc_text", &self.exc_text),
            ("stack_info", &self.stack_info),
            ("datefmt", &self.datefmt),
        ] {
            o.push_str(&format!(",\"{k}\":"));
            match v {
                Some(s) => json_str(s, &mut o),
                None => o.push_str("null"),
            }
        }
        o.push_str(",\"extra\":[");
        for (i, (k, v)) in self.extra.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            o.push('[');
            json_str(k, &mut o);
            o.push(',');
            v.json(&mut o);
            o.push(']');
        }
        o.push_str("],\"keys\":[");
        for (i, k) in self.keys.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            json_str(k, &mut o);
        }
        o.push_str(&format!(
            "],\"extra_on\":{},\"utc\":{}}}",
            self.extra_on, self.utc
        ));
        o
    }
}

fn gen_case(rng: &mut Rng) -> Case {
    let created_ns = match rng.below(4) {
        0 => 1_700_000_000_123_456_789,
        1 => 1_677_903_920_999_999_900,
        2 => rng.below(4_000_000_000_000_000_000) as i64,
        _ => 1_000_000_000_000_000_000 + rng.below(1_000_000_000_000_000_000) as i64,
    };
    let (msg, args) = match rng.below(6) {
        0 => (V::s("event"), vec![]),
        1 => (
            V::s("got %s and %r"),
            vec![gen_value(rng, 2), gen_value(rng, 2)],
        ),
        2 => (
            V::s("user %(user)s"),
            vec![V::Dict(vec![(V::s("user"), gen_value(rng, 3))])],
        ),
        3 => (gen_value(rng, 1), vec![]),
        4 => (V::Str(gen_str(rng)), vec![]),
        _ => (V::s("n=%d"), vec![V::Int(gen_int(rng))]),
    };
    let mut extra: Vec<(String, V)> = Vec::new();
    for _ in 0..rng.below(6) {
        let k = rng.pick(EXTRA_NAMES).to_owned();
        if !extra.iter().any(|(e, _)| *e == k) {
            extra.push((k, gen_value(rng, 0)));
        }
    }
    let mut keys: Vec<String> = match rng.below(4) {
        0 => ["asctime", "name", "levelname", "message"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        _ => (0..rng.below(7))
            .map(|_| match rng.below(10) {
                0 | 1 if !extra.is_empty() => rng.pick(&extra).0,
                2 if rng.chance(15) => "nope".to_owned(),
                _ => rng.pick(STANDARD).to_owned(),
            })
            .collect(),
    };
    if rng.chance(5) {
        keys.clear();
    }
    let level = rng.pick(&[(10, "DEBUG"), (20, "INFO"), (40, "ERROR"), (25, "Level 25")]);
    Case {
        name: rng.pick(&["root", "app.net", "ünï", "a\"b"]).to_owned(),
        levelno: level.0,
        levelname: level.1.to_owned(),
        pathname: rng
            .pick(&["/srv/app/main.py", "lib/x.tar.gz", "é/ß.py"])
            .to_owned(),
        lineno: rng.below(5000) as u32,
        func: rng.pick(&["handler", "<module>", "f\u{1}"]).to_owned(),
        msg,
        args,
        created_ns,
        start_ns: created_ns - rng.below(10_000_000_000) as i64,
        exc: rng.chance(12).then(|| gen_str(rng)),
        exc_text: rng.chance(8).then(|| gen_str(rng)),
        stack_info: rng
            .chance(10)
            .then(|| format!("Stack (most recent call last):\n  {}", gen_str(rng))),
        extra,
        keys,
        extra_on: rng.chance(75),
        datefmt: match rng.below(5) {
            0 => Some("%Y-%m-%dT%H:%M:%S%z".to_owned()),
            1 => Some(String::new()),
            2 => Some("%d/%b/%Y ü".to_owned()),
            _ => None,
        },
        utc: rng.chance(50),
    }
}

fn err_text(e: &wasm_logging::Error) -> String {
    e.to_string()
}

fn build_record(c: &Case) -> LogRecord {
    host::install_clock(Rc::new(FixedClock::new(c.created_ns).with_offset(
        LocalOffset {
            utc_offset: 0,
            zone: "UTC".into(),
            is_dst: 0,
        },
    )));
    host::set_identity(Identity {
        thread: Some(123),
        thread_name: Some(Text::Static("MainThread")),
        process: Some(4242),
        process_name: Some(Text::Static("MainProcess")),
    });
    host::set_task_name(None);
    let mut r = LogRecord::new(
        Text::from(c.name.clone()),
        c.levelno,
        Text::from(c.levelname.clone()),
        Location {
            pathname: Text::from(c.pathname.clone()),
            lineno: c.lineno,
            func_name: Text::from(c.func.clone()),
        },
        c.msg.to_value(),
        c.args.iter().map(V::to_value).collect(),
        c.exc
            .as_ref()
            .map(|m| Rc::new(ExcInfo::new("ValueError", m.clone()))),
        c.created_ns,
        c.start_ns,
    );
    r.exc_text = c.exc_text.clone().map(Text::from);
    r.stack_info = c.stack_info.clone().map(Text::from);
    let extra: Vec<(Text, Value)> = c
        .extra
        .iter()
        .map(|(k, v)| (Text::from(k.clone()), v.to_value()))
        .collect();
    r.add_extra(&extra).expect("extra names are not standard");
    r
}

fn run_rust(c: &Case) -> Result<String, String> {
    let mut record = build_record(c);
    let mut b = JsonFormatter::builder()
        .keys(c.keys.iter().cloned())
        .extra(c.extra_on)
        .converter(if c.utc {
            Converter::Utc
        } else {
            Converter::Local
        });
    if let Some(d) = &c.datefmt {
        b = b.datefmt(d.clone());
    }
    b.build().format(&mut record).map_err(|e| err_text(&e))
}

fn run_oracle(cases: &[Case]) -> Vec<Result<String, String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/json_oracle.py");
    let mut input = String::from("[");
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            input.push_str(",\n");
        }
        input.push_str(&c.json());
    }
    input.push(']');
    let mut child = Command::new(common::python_exe())
        .arg(&script)
        .env("TZ", "UTC")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the reference python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("oracle output is JSON");
    results
        .into_iter()
        .map(|r| match (r.get("ok"), r.get("err")) {
            (Some(serde_json::Value::String(s)), _) => Ok(s.clone()),
            (_, Some(serde_json::Value::String(e))) => Err(e.clone()),
            _ => Err(format!("bad oracle result {r}")),
        })
        .collect()
}

#[test]
fn json_formatter_matches_cpython_recipe() {
    let exe = common::python_exe();
    let (major, minor) = common::python_version(&exe);
    if (major, minor) < (3, 13) {
        eprintln!("skipping: reference python {exe} is {major}.{minor}, not 3.13+");
        return;
    }
    let seed: u64 = std::env::var("JSON_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_4a50_17f0_u64);
    let n: usize = std::env::var("JSON_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let mut rng = Rng(seed.max(1));
    let cases: Vec<Case> = (0..n).map(|_| gen_case(&mut rng)).collect();
    let want = run_oracle(&cases);
    assert_eq!(want.len(), cases.len());
    let mut failures = Vec::new();
    let (mut oks, mut errs) = (0, 0);
    for (c, w) in cases.iter().zip(&want) {
        let got = run_rust(c);
        if got.is_ok() {
            oks += 1;
        } else {
            errs += 1;
        }
        if &got != w {
            failures.push(format!(
                "case {}\n  python: {w:?}\n  rust:   {got:?}",
                c.json()
            ));
        }
    }
    eprintln!("{} cases: {oks} formatted, {errs} errors", cases.len());
    assert!(oks > n / 2, "too few successful cases: {oks}");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Fixed expectations (so the encoder is checked even where python is missing).
#[test]
fn known_outputs() {
    let c = Case {
        name: "app".into(),
        levelno: 20,
        levelname: "INFO".into(),
        pathname: "/srv/app.py".into(),
        lineno: 7,
        func: "main".into(),
        msg: V::s("event"),
        args: vec![],
        created_ns: 1_700_000_000_123_456_789,
        start_ns: 1_700_000_000_000_000_000,
        exc: None,
        exc_text: None,
        stack_info: None,
        extra: vec![
            ("s".into(), V::s("x")),
            ("n".into(), V::Int(3)),
            ("f".into(), V::Float(0.5)),
            ("b".into(), V::Bool(true)),
            (
                "o".into(),
                V::Dict(vec![(
                    V::s("a"),
                    V::List(vec![
                        V::Int(1),
                        V::Int(2),
                        V::Dict(vec![(V::s("c"), V::None)]),
                    ]),
                )]),
            ),
        ],
        keys: vec![
            "asctime".into(),
            "name".into(),
            "levelname".into(),
            "message".into(),
        ],
        extra_on: true,
        datefmt: None,
        utc: true,
    };
    assert_eq!(
        run_rust(&c).unwrap(),
        r#"{"asctime": "2023-11-14 22:13:20,123", "name": "app", "levelname": "INFO", "message": "event", "s": "x", "n": 3, "f": 0.5, "b": true, "o": {"a": [1, 2, {"c": null}]}}"#
    );
    let mut missing = c;
    missing.keys.push("nope".into());
    missing.extra.push(("t".into(), V::Obj));
    assert_eq!(
        run_rust(&missing).unwrap_err(),
        "AttributeError: 'LogRecord' object has no attribute 'nope'"
    );
    missing.keys.pop();
    assert_eq!(
        run_rust(&missing).unwrap_err(),
        "TypeError: Object of type Thing is not JSON serializable"
    );
}

// ---------------------------------------------------------------------------------------
// Never panics.

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        any::<u64>().prop_map(|b| Value::Float(f64::from_bits(b))),
        ".*".prop_map(Value::from),
        Just(Value::Object(Rc::new(Thing))),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::list),
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::tuple),
            prop::collection::vec((inner.clone(), inner), 0..6)
                .prop_map(|items| Value::Dict(Rc::new(items))),
        ]
    })
}

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    #[test]
    fn formatting_never_panics(
        keys in prop::collection::vec(prop_oneof![
            Just("asctime".to_owned()), Just("message".to_owned()), Just("exc_info".to_owned()),
            Just("args".to_owned()), Just("msg".to_owned()), ".{0,6}",
        ], 0..6),
        extra in prop::collection::vec((".{0,6}", arb_value()), 0..5),
        msg in arb_value(),
        args in prop::collection::vec(arb_value(), 0..3),
        created_ns in any::<i64>(),
        extra_on in any::<bool>(),
        utc in any::<bool>(),
        datefmt in prop::option::of(".{0,8}"),
        exc in prop::option::of(".{0,8}"),
        stack in prop::option::of(".{0,8}"),
    ) {
        host::install_clock(Rc::new(FixedClock::new(created_ns)));
        let mut r = LogRecord::new(
            Text::Static("x"), 20, Text::Static("INFO"), Location::unknown(), msg, args,
            exc.map(|m| Rc::new(ExcInfo::new("ValueError", m))), created_ns, 0,
        );
        r.stack_info = stack.map(Text::from);
        let extra: Vec<(Text, Value)> =
            extra.into_iter().map(|(k, v)| (Text::from(k), v)).collect();
        let _ = r.add_extra(&extra);
        let mut b = JsonFormatter::builder()
            .keys(keys)
            .extra(extra_on)
            .converter(if utc { Converter::Utc } else { Converter::Local });
        if let Some(d) = datefmt {
            b = b.datefmt(d);
        }
        let f = b.build();
        if let Ok(s) = f.format(&mut r) {
            let framed = s.starts_with('{') && s.ends_with('}');
            prop_assert!(framed, "not an object: {}", s);
            prop_assert!(s.is_ascii(), "not ASCII: {}", s);
        }
    }
}
