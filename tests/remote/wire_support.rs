//! Shared by the `wire_*` differential tests (included with `#[path]`; as a test target of
//! its own it has no tests): a seeded generator of Python-like values, their tagged-JSON
//! form for `tests/python/wire_fresh.py`, and a runner for the CPython oracles.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;

use wasm_logging::{Location, LogRecord, PyObject, Text, Value};

/// xorshift64*: deterministic, seedable, fast.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }
}

/// A value as the cases describe it.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<V>),
    Tuple(Vec<V>),
    Dict(Vec<(V, V)>),
    /// An object whose `str()` is the text.
    Obj(String),
}

/// A host object with a fixed `str()`.
#[derive(Debug)]
pub struct Shown(pub String);

impl PyObject for Shown {
    fn type_name(&self) -> &str {
        "Shown"
    }
    fn py_repr(&self) -> wasm_logging::core::error::Result<String> {
        Ok(self.0.clone())
    }
}

impl V {
    pub fn s(s: &str) -> V {
        V::Str(s.to_owned())
    }

    pub fn to_value(&self) -> Value {
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
            V::Obj(s) => Value::Object(Rc::new(Shown(s.clone()))),
        }
    }

    /// The tagged JSON `wire_fresh.decode` reads.
    pub fn json(&self, out: &mut String) {
        match self {
            V::None => out.push_str(r#"{"t":"none"}"#),
            V::Bool(b) => out.push_str(&format!(r#"{{"t":"bool","v":{b}}}"#)),
            V::Int(i) => out.push_str(&format!(r#"{{"t":"int","v":{i}}}"#)),
            V::Float(f) => {
                out.push_str(r#"{"t":"float","v":"#);
                json_str(&format!("{f:?}"), out);
                out.push('}');
            }
            V::Str(s) | V::Obj(s) => {
                out.push_str(if matches!(self, V::Str(_)) {
                    r#"{"t":"str","v":"#
                } else {
                    r#"{"t":"obj","v":"#
                });
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
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.json(&mut s);
        s
    }
}

/// A JSON string (control characters escaped, the rest raw UTF-8).
pub fn json_str(s: &str, out: &mut String) {
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

pub fn json_opt(s: &Option<String>, out: &mut String) {
    match s {
        Some(s) => json_str(s, out),
        None => out.push_str("null"),
    }
}

pub const CHARS: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "\"",
    "\\",
    "'",
    "/",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{1}",
    "\u{1a}",
    "\u{7f}",
    "\u{80}",
    "é",
    "ÿ",
    "ß",
    "Ā",
    "中",
    "\u{2028}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{feff}",
    "😀",
    "\u{10ffff}",
    "𝄞",
    "%",
    "&",
    "=",
    "+",
    "?",
    "#",
    "]",
    "[",
    "~",
    ".",
    "_",
    "-",
];

pub fn gen_str(rng: &mut Rng) -> String {
    let n = match rng.below(10) {
        0 => 0,
        1..=3 => 1,
        _ => rng.below(12),
    };
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

/// Integers at every pickle opcode boundary, and random ones.
pub const INT_EDGES: &[i64] = &[
    0,
    1,
    -1,
    255,
    256,
    -255,
    -256,
    65535,
    65536,
    -65536,
    -65537,
    i32::MAX as i64,
    i32::MAX as i64 + 1,
    i32::MIN as i64,
    i32::MIN as i64 - 1,
    u32::MAX as i64,
    1 << 32,
    i64::MAX,
    i64::MIN,
    i64::MAX - 1,
    i64::MIN + 1,
    1 << 53,
    -(1 << 53),
    127,
    128,
    -128,
    -129,
    32767,
    32768,
    -32768,
    -32769,
];

pub fn edge_ints() -> &'static [i64] {
    INT_EDGES
}

pub fn gen_int(rng: &mut Rng) -> i64 {
    match rng.below(5) {
        0 | 1 => rng.pick(INT_EDGES),
        2 => rng.next_u64() as i64 >> rng.below(64),
        _ => rng.below(70_000) as i64 - 1000,
    }
}

pub fn gen_float(rng: &mut Rng) -> f64 {
    match rng.below(12) {
        0 => f64::NAN,
        1 => rng.pick(&[f64::INFINITY, f64::NEG_INFINITY]),
        2 => -0.0,
        3 => rng.pick(&[
            1e300,
            -1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e16,
            1e-7,
        ]),
        4 => (rng.below(2001) as f64 - 1000.0) / 8.0,
        5 => (rng.below(1_000_000) as f64) * 10f64.powi(rng.below(40) as i32 - 20),
        6 => 1_700_000_000.0 + rng.below(1_000_000) as f64 / 1e6,
        _ => {
            // Random bits, but only the canonical NaN (Python's float('nan') has no payload).
            let f = f64::from_bits(rng.next_u64());
            if f.is_nan() {
                f64::NAN
            } else {
                f
            }
        }
    }
}

pub fn gen_scalar(rng: &mut Rng, objects: bool) -> V {
    match rng.below(13) {
        0 => V::None,
        1 => V::Bool(rng.chance(50)),
        2 | 3 => V::Int(gen_int(rng)),
        4 | 5 => V::Float(gen_float(rng)),
        6 if objects && rng.chance(30) => V::Obj(gen_str(rng)),
        _ => V::Str(gen_str(rng)),
    }
}

/// The key Python's dict would find equal, or `None` for a NaN (equal to nothing).
pub fn key_identity(k: &V) -> Option<String> {
    Some(match k {
        V::None => "n".into(),
        V::Bool(b) => format!("i{}", i64::from(*b)),
        V::Int(i) => format!("i{i}"),
        V::Float(f) if f.is_nan() => return None,
        V::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => format!("i{}", *f as i64),
        V::Float(f) => format!("f{}", (f + 0.0).to_bits()),
        V::Str(s) | V::Obj(s) => format!("s{s}"),
        V::Tuple(xs) => {
            let mut out = String::from("t(");
            for x in xs {
                out.push_str(&key_identity(x)?);
                out.push(',');
            }
            out.push(')');
            out
        }
        V::List(_) | V::Dict(_) => return None,
    })
}

pub fn gen_key(rng: &mut Rng) -> V {
    match rng.below(16) {
        0 => V::Int(rng.below(3) as i64),
        1 => V::Bool(rng.chance(50)),
        2 => V::None,
        3 => V::Float(rng.pick(&[0.0, -0.0, 1.0, 1.5, f64::NAN, f64::INFINITY, 1e16])),
        4 => V::Int(gen_int(rng)),
        5 => V::Tuple(vec![V::Int(1), V::s("x")]),
        6 => V::s(rng.pick(&["a", "b", "ab", ""])),
        _ => V::Str(gen_str(rng)),
    }
}

/// Options for [`gen_value`].
#[derive(Clone, Copy)]
pub struct Gen {
    /// Objects (pickled as their `str()`) may appear.
    pub objects: bool,
    /// Dict keys Python finds equal (`1`, `True`, `1.0`; NaN keys) may appear.
    pub equal_keys: bool,
    /// Deepest nesting.
    pub depth: u32,
}

pub fn gen_value(rng: &mut Rng, g: Gen, depth: u32) -> V {
    if depth >= g.depth {
        return gen_scalar(rng, g.objects);
    }
    match rng.below(12) {
        0 | 1 => V::List(
            (0..rng.below(5))
                .map(|_| gen_value(rng, g, depth + 1))
                .collect(),
        ),
        2 | 3 => V::Tuple(
            (0..rng.below(4))
                .map(|_| gen_value(rng, g, depth + 1))
                .collect(),
        ),
        4 | 5 => {
            let mut items: Vec<(V, V)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for _ in 0..rng.below(6) {
                let k = gen_key(rng);
                if !g.equal_keys && !key_identity(&k).is_some_and(|id| seen.insert(id)) {
                    continue;
                }
                items.push((k, gen_value(rng, g, depth + 1)));
            }
            V::Dict(items)
        }
        _ => gen_scalar(rng, g.objects),
    }
}

/// The reference interpreter, or `None` (with a note) when it is missing or older than 3.13.
pub fn python() -> Option<String> {
    let exe = python_exe();
    let out = Command::new(&exe)
        .args(["-c", "import sys; print('%d %d' % sys.version_info[:2])"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<u32> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    if v.len() == 2 && (v[0], v[1]) >= (3, 13) {
        Some(exe)
    } else {
        eprintln!("skipping: reference python {exe} is missing or older than 3.13");
        None
    }
}

/// `PYTHON_REF`, else CPython 3.13 where the image has it, else `python3`.
pub fn python_exe() -> String {
    if let Ok(p) = std::env::var("PYTHON_REF") {
        return p;
    }
    let p313 = "/root/.pyenv/versions/3.13.0/bin/python3.13";
    if Path::new(p313).exists() {
        p313.to_owned()
    } else {
        "python3".to_owned()
    }
}

/// Runs `tests/python/<script> <args…>` with `input` on stdin; returns its stdout as JSON.
pub fn oracle(exe: &str, script: &str, args: &[&str], input: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(script);
    let mut child = Command::new(exe)
        .arg(&path)
        .args(args)
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the reference python");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    // Write from a thread: the oracle may fill its stdout pipe before reading all input.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer").expect("write oracle input");
    assert!(
        out.status.success(),
        "oracle {script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle output is JSON")
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// Bytes shown for a failure: printable ASCII as is, the rest escaped.
pub fn show(b: &[u8]) -> String {
    b.iter()
        .flat_map(|&c| std::ascii::escape_default(c))
        .map(char::from)
        .collect()
}

/// A record as both sides build it.
#[derive(Debug)]
pub struct RecordCase {
    pub name: String,
    pub levelno: i64,
    pub levelname: String,
    pub pathname: String,
    pub lineno: u32,
    pub func: String,
    pub msg: V,
    pub args: Vec<V>,
    pub created_ns: i64,
    pub start_ns: i64,
    pub thread: i64,
    pub thread_name: String,
    pub process: u32,
    pub process_name: String,
    pub exc_text: Option<String>,
    pub stack_info: Option<String>,
    pub extra: Vec<(String, V)>,
    pub message: Option<String>,
    pub asctime: Option<String>,
}

impl RecordCase {
    pub fn record(&self) -> LogRecord {
        let mut r = LogRecord::new(
            Text::from(self.name.clone()),
            self.levelno,
            Text::from(self.levelname.clone()),
            Location {
                pathname: Text::from(self.pathname.clone()),
                lineno: self.lineno,
                func_name: Text::from(self.func.clone()),
            },
            self.msg.to_value(),
            self.args.iter().map(V::to_value).collect(),
            None,
            self.created_ns,
            self.start_ns,
        );
        r.thread = Some(self.thread);
        r.thread_name = Some(Text::from(self.thread_name.clone()));
        r.process = Some(self.process);
        r.process_name = Some(Text::from(self.process_name.clone()));
        r.task_name = None;
        r.exc_text = self.exc_text.clone().map(Text::from);
        r.stack_info = self.stack_info.clone().map(Text::from);
        let extra: Vec<(Text, Value)> = self
            .extra
            .iter()
            .map(|(k, v)| (Text::from(k.clone()), v.to_value()))
            .collect();
        r.add_extra(&extra)
            .expect("extras are not record attributes");
        r.message = self.message.clone().map(Text::from);
        r.asctime = self.asctime.clone().map(Text::from);
        r
    }

    /// The case as `wire_fresh.record_of` reads it, plus `more` string fields.
    pub fn json(&self, more: &[(&str, String)]) -> String {
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
            "],\"created_ns\":{},\"start_ns\":{},\"thread\":{},\"process\":{},\"thread_name\":",
            self.created_ns, self.start_ns, self.thread, self.process
        ));
        json_str(&self.thread_name, &mut o);
        o.push_str(",\"process_name\":");
        json_str(&self.process_name, &mut o);
        for (k, v) in [
            ("exc_text", &self.exc_text),
            ("stack_info", &self.stack_info),
            ("message", &self.message),
            ("asctime", &self.asctime),
        ] {
            o.push_str(&format!(",\"{k}\":"));
            json_opt(v, &mut o);
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
        o.push(']');
        for (k, v) in more {
            o.push_str(&format!(",\"{k}\":"));
            json_str(v, &mut o);
        }
        o.push('}');
        o
    }
}

const PATHS: &[&str] = &[
    "/srv/app/main.py",
    "main.py",
    "main",
    "x",
    "/srv/app/Makefile",
    ".bashrc",
    "dir/",
    "a/b.tar.gz",
    "é/ß.py",
    "",
];

pub fn gen_record_case(rng: &mut Rng) -> RecordCase {
    let g = Gen {
        objects: false,
        equal_keys: true,
        depth: 3,
    };
    let (msg, args) = match rng.below(7) {
        6 => (V::s("n=%d"), vec![V::Str(gen_str(rng))]),
        0 => (V::s("event"), vec![]),
        1 => (
            V::s("got %s and %r"),
            vec![gen_value(rng, g, 2), gen_value(rng, g, 2)],
        ),
        2 => (
            V::s("user %(user)s"),
            vec![V::Dict(vec![(V::s("user"), gen_value(rng, g, 3))])],
        ),
        3 => (gen_value(rng, g, 1), vec![]),
        4 => (V::Str(gen_str(rng)), vec![]),
        _ => (V::s("n=%d"), vec![V::Int(gen_int(rng))]),
    };
    let mut extra: Vec<(String, V)> = Vec::new();
    for _ in 0..rng.below(5) {
        let k = rng.pick(&["user", "ip", "n", "data", "ключ", "emoji😀", "sp ace", "x"]);
        if !extra.iter().any(|(e, _)| e == k) {
            extra.push((k.to_owned(), gen_value(rng, g, 0)));
        }
    }
    let level = rng.pick(&[
        (10, "DEBUG"),
        (20, "INFO"),
        (40, "ERROR"),
        (25, "Level 25"),
        (5, "TRACE"),
    ]);
    let created_ns = match rng.below(3) {
        0 => 1_700_000_000_123_456_789,
        1 => 1_677_903_920_999_999_900,
        _ => 1_000_000_000_000_000_000 + rng.below(1_000_000_000_000_000_000) as i64,
    };
    RecordCase {
        name: rng.pick(&["root", "app.net", "ünï", "a", ""]).to_owned(),
        levelno: level.0,
        levelname: level.1.to_owned(),
        pathname: rng.pick(PATHS).to_owned(),
        lineno: rng.below(5000) as u32,
        func: rng.pick(&["handler", "<module>", "main", "f"]).to_owned(),
        msg,
        args,
        created_ns,
        start_ns: created_ns - rng.below(10_000_000_000) as i64,
        thread: rng.pick(&[140_000_000_000_000, 1, 0, i64::MAX]),
        thread_name: rng.pick(&["MainThread", "Thread-1 (worker)"]).to_owned(),
        process: rng.pick(&[4242, 1, u32::MAX]),
        process_name: "MainProcess".to_owned(),
        exc_text: rng.chance(15).then(|| {
            format!(
                "Traceback (most recent call last):\nValueError: {}",
                gen_str(rng)
            )
        }),
        stack_info: rng
            .chance(10)
            .then(|| format!("Stack (most recent call last):\n  {}", gen_str(rng))),
        extra,
        message: rng.chance(30).then(|| "merged".to_owned()),
        asctime: rng.chance(30).then(|| "2023-11-14 22:13:20,123".to_owned()),
    }
}

/// Where two byte strings first differ, with some context from each.
pub fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(40);
    format!(
        "at byte {at}: ...{} | ...{}",
        show(&a[from..(at + 40).min(a.len())]),
        show(&b[from..(at + 40).min(b.len())])
    )
}
