//! Differential test of `core::pyfmt` against the reference CPython.
//!
//! Thousands of cases are generated deterministically (a seeded splitmix64, no `rand`), sent
//! as tagged JSON to one `tests/python/pyfmt_oracle.py` process, and every Rust result must
//! equal CPython's byte for byte: `{"ok": text}` or `{"err": "TypeError: ..."}`.
//!
//! The reference is `/root/.pyenv/versions/3.13.0/bin/python3.13` when present (the version
//! this crate copies), else `python3`, as `scripts/python-ref.sh` chooses; with the fallback
//! nothing is skipped, but a note is printed since another version may differ. `PYTHON_REF`
//! forces an interpreter; `PYFMT_SEED` (u64) generates another case set and
//! `PYFMT_DUMP=<file>` writes every case with CPython's answer, one JSON line each.
//!
//! Cases are generated only inside the documented model: no `%c` of a surrogate (a Rust
//! `String` cannot hold one), no attributes of built-ins other than the numeric data ones
//! (methods have no `Value`), no `%s`/`%r`/`%a` without a key under `Mapping` (a lookup
//! function cannot print the whole mapping), no unhashable dict keys (equal keys are
//! generated: a dict keeps one entry), and no width CPython would try to allocate gigabytes
//! for.

// Spawns CPython: not a wasm32 test.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::rc::Rc;

use serde_json::{json, Value as J};
use wasm_logging::core::error::{Error, ErrorKind, Result};
use wasm_logging::core::pyfmt::spec::format_value;
use wasm_logging::core::pyfmt::{
    brace_format, parse_fields, percent_format, template_substitute, validate_percent_style,
    validate_str_format_style, validate_template_style, write_ascii, write_repr, write_str,
    PercentArgs,
};
use wasm_logging::core::value::{PyObject, Value};

// ---------------------------------------------------------------- deterministic generation

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
}

fn t_none() -> J {
    json!({"t": "none"})
}
fn t_bool(b: bool) -> J {
    json!({"t": "bool", "v": b})
}
fn t_int(i: i64) -> J {
    json!({"t": "int", "v": i.to_string()})
}
fn t_float(x: f64) -> J {
    // Rust's `{:e}` round-trips and Python's float() reads it; inf/nan spelled out.
    let v = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{x:e}")
    };
    json!({"t": "float", "v": v})
}
fn t_str(s: &str) -> J {
    json!({"t": "str", "v": s})
}

/// A character from everywhere in Unicode except the surrogates.
fn gen_char(r: &mut Rng) -> char {
    let cp = match r.below(20) {
        0..=9 => r.range(0x20, 0x7e) as u32,
        10 => r.range(0, 0x1f) as u32,
        11 => r.range(0x7f, 0xa0) as u32,
        12 | 13 => r.range(0xa1, 0x2ff) as u32,
        14..=16 => r.range(0x300, 0xffff) as u32,
        _ => r.range(0x10000, 0x10ffff) as u32,
    };
    char::from_u32(cp).unwrap_or('\u{fffd}')
}

fn gen_text(r: &mut Rng, max: usize, avoid: &[char]) -> String {
    let n = r.below(max + 1);
    (0..n)
        .map(|_| gen_char(r))
        .map(|c| if avoid.contains(&c) { '.' } else { c })
        .collect()
}

const STRS: &[&str] = &[
    "",
    "a",
    "abc",
    "it's",
    "\"q\"",
    "both'\"",
    "tab\there",
    "new\nline",
    "é",
    "€uro",
    "😀",
    "\x07\x7f",
    "\u{a0}nbsp",
    "\u{ad}",
    "\u{2028}",
    "mixed é😀'",
    "0",
    "  pad ",
    "{}",
    "%s",
    "back\\slash",
    "\r",
    "x",
    "Hello, World",
    "\u{378}",
    "\u{e0001}",
    "\u{ffff}",
];

fn gen_str(r: &mut Rng) -> String {
    if r.chance(70) {
        r.pick(STRS).to_string()
    } else {
        gen_text(r, 8, &[])
    }
}

const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    -7,
    10,
    42,
    -42,
    100,
    255,
    -255,
    1000,
    1234,
    -1234,
    65,
    97,
    0x1F600,
    12_345_678,
    -98_765_432,
    i64::MAX,
    i64::MIN,
    1 << 53,
    (1 << 53) + 1,
    999_999_999_999,
    8,
    16,
];

/// Surrogate code points cannot be `%c`/`{:c}` output in Rust; keep ints clear of them.
fn no_surrogate(i: i64) -> i64 {
    if (0xd800..=0xdfff).contains(&i) {
        i + 0x800
    } else {
        i
    }
}

fn gen_int(r: &mut Rng) -> i64 {
    no_surrogate(match r.below(4) {
        0 | 1 => r.pick(INTS),
        2 => r.range(-2000, 2000),
        _ => (r.next() as i64) >> r.below(63),
    })
}

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.5,
    0.5,
    2.5,
    0.125,
    0.375,
    2.71928,
    1e16,
    1e-5,
    1e22,
    1e300,
    5e-324,
    1.7976931348623157e308,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    123456.789,
    0.1,
    1e15,
    9999999999999998.0,
    1234.5,
    -0.0001,
    1e-10,
    -1e-10,
    0.0001,
    100.0,
    12345.678,
    2e16 + 8.0,
    123456789012345678.0,
    0.999,
    9.5,
    99.995,
];

fn gen_float(r: &mut Rng) -> f64 {
    match r.below(5) {
        0 | 1 => r.pick(FLOATS),
        2 => (r.range(-2_000_000, 2_000_000) as f64) / 10f64.powi(r.range(0, 8) as i32),
        3 => f64::from_bits(r.next()),
        _ => (r.range(1, 9999) as f64) * 10f64.powi(r.range(-30, 30) as i32),
    }
}

fn gen_obj(r: &mut Rng) -> J {
    let name = r.pick(&["Thing", "Point", "Err"]);
    let mut o = json!({"t": "obj", "name": name, "repr": format!("<{name} #{}>", r.below(100))});
    if r.chance(60) {
        o["str"] = json!(gen_str(r));
    }
    if r.chance(10) {
        o["raise"] = json!("boom");
    }
    if r.chance(40) {
        o["int"] = json!(no_surrogate(r.range(-300, 130_000)).to_string());
    }
    if r.chance(30) {
        o["float"] = json!(format!("{:e}", gen_float(r)));
    }
    if r.chance(40) {
        o["attrs"] = json!([["x", gen_scalar(r)], ["name", t_str("inner")]]);
    }
    o
}

fn gen_scalar(r: &mut Rng) -> J {
    match r.below(10) {
        0 => t_none(),
        1 => t_bool(r.chance(50)),
        2..=4 => t_int(gen_int(r)),
        5..=7 => t_float(gen_float(r)),
        _ => t_str(&gen_str(r)),
    }
}

/// A hashable dict key (no duplicates are produced by the callers).
fn gen_key(r: &mut Rng, i: usize) -> J {
    match r.below(6) {
        0 => t_int(i as i64),
        1 => t_float(i as f64 + 0.5),
        2 => json!({"t": "tuple", "v": [t_int(i as i64), t_str("k")]}),
        _ => t_str(&format!("k{i}{}", r.pick(&["", "é", "'", " x"]))),
    }
}

fn gen_value(r: &mut Rng, depth: usize) -> J {
    if depth >= 3 {
        return gen_scalar(r);
    }
    match r.below(14) {
        0..=7 => gen_scalar(r),
        8 => gen_obj(r),
        9 | 10 => {
            json!({"t": "list", "v": (0..r.below(4)).map(|_| gen_value(r, depth + 1)).collect::<Vec<_>>()})
        }
        11 | 12 => {
            json!({"t": "tuple", "v": (0..r.below(3)).map(|_| gen_value(r, depth + 1)).collect::<Vec<_>>()})
        }
        _ => {
            let mut entries: Vec<J> = (0..r.below(3))
                .map(|i| json!([gen_key(r, i), gen_value(r, depth + 1)]))
                .collect();
            if r.chance(20) {
                // Equal keys (1, True, 1.0, "k0"...): one entry, first key, last value.
                let k = r.pick(&[t_int(1), t_bool(true), t_float(1.0), t_str("k0"), t_none()]);
                entries.push(json!([k, gen_scalar(r)]));
                let k2 = r.pick(&[t_int(1), t_bool(true), t_float(1.0), t_str("k0"), t_none()]);
                entries.insert(0, json!([k2, gen_scalar(r)]));
            }
            json!({"t": "dict", "v": entries})
        }
    }
}

// ---------------------------------------------------------------- % formats

fn gen_percent_arg(r: &mut Rng, conv: char) -> J {
    if r.chance(8) {
        return gen_value(r, 1);
    }
    match conv {
        'd' | 'i' | 'u' => match r.below(6) {
            0..=2 => t_int(gen_int(r)),
            3 => t_float(gen_float(r)),
            4 => t_bool(r.chance(50)),
            _ => gen_obj(r),
        },
        'o' | 'x' | 'X' => match r.below(6) {
            0..=3 => t_int(gen_int(r)),
            4 => t_bool(true),
            _ => gen_obj(r),
        },
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => match r.below(6) {
            0..=3 => t_float(gen_float(r)),
            4 => t_int(gen_int(r)),
            _ => gen_obj(r),
        },
        'c' => match r.below(6) {
            0 | 1 => t_int(r.pick(&[65, 0x1F600, 0xe9, 0, 0x10ffff, 0x110000, -1, 0xe000, 0xd7ff])),
            2 => t_int(r.range(32, 0x2000)),
            3 => t_str(&gen_char(r).to_string()),
            4 => t_str(r.pick(&["", "ab", "é"])),
            _ => gen_obj(r),
        },
        _ => gen_value(r, 1),
    }
}

const RAW_PERCENT: &[&str] = &["%", "%%", "%(", "%(a", "%.", "%*", "%5", "%l", "%-", "%(a)"];

const KEYS: &[&str] = &["a", "b", "name", "x y", "(p)", "é", "", "levelname"];

/// One `%` conversion; pushes the arguments it consumes onto `args`.
fn gen_percent_spec(
    r: &mut Rng,
    keyed: bool,
    args: &mut Vec<J>,
    map: &mut Vec<(String, J)>,
) -> String {
    let mut s = String::from("%");
    if !keyed && r.chance(3) {
        // Broken specifiers (a key-only format gets them at its end, see gen_percent_fmt).
        return r.pick(RAW_PERCENT).to_string();
    }
    let conv = if r.chance(3) {
        r.pick(&['q', 'y', 'z', '€', '😀', '\n', '%', 'b', 'n', 'w'])
    } else {
        r.pick(&[
            'd', 'i', 'u', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G', 'c', 'r', 's', 'a', 's',
            'd', 'f',
        ])
    };
    if keyed {
        let k = r.pick(KEYS);
        let key = if k == "(p)" {
            "(p)".to_string()
        } else {
            k.to_string()
        };
        s.push('(');
        s.push_str(&key);
        s.push(')');
        if !r.chance(5) && !map.iter().any(|(m, _)| *m == key) {
            map.push((key, gen_percent_arg(r, conv)));
        }
    }
    for _ in 0..r.below(4) {
        s.push(r.pick(&['-', '+', ' ', '#', '0']));
    }
    let mut pre = Vec::new();
    match r.below(10) {
        0..=3 => {}
        4..=7 => s.push_str(&r.range(0, 25).to_string()),
        8 => {
            s.push('*');
            pre.push(if r.chance(90) {
                t_int(r.range(-25, 25))
            } else {
                r.pick(&[
                    t_float(2.0),
                    t_str("5"),
                    t_none(),
                    t_bool(true),
                    t_int(i64::MIN),
                ])
            });
        }
        _ if r.chance(20) => s.push_str("99999999999999999999"),
        _ => s.push_str(r.pick(&["030", "1", "007"])),
    }
    match r.below(12) {
        0..=5 => {}
        6 => s.push('.'),
        7..=9 => {
            let hi = if r.chance(20) { 40 } else { 12 };
            s.push_str(&format!(".{}", r.range(0, hi)));
        }
        10 => {
            s.push_str(".*");
            pre.push(if r.chance(85) {
                t_int(r.range(-5, 15))
            } else {
                r.pick(&[t_int(1 << 40), t_float(2.0), t_bool(true)])
            });
        }
        // INT_MAX is accepted by CPython and, for a float, would allocate 2 GiB.
        _ if r.chance(70) => s.push_str(r.pick(&[".0", ".1", ".00"])),
        _ if "eEfFgG".contains(conv) => s.push_str(".99999999999"),
        _ => s.push_str(r.pick(&[".99999999999", ".2147483647"])),
    }
    if r.chance(5) {
        s.push(r.pick(&['h', 'l', 'L']));
    }
    s.push(conv);
    if !keyed {
        args.extend(pre);
        if conv != '%' || r.chance(50) {
            args.push(gen_percent_arg(r, conv));
        }
    }
    s
}

fn gen_percent_fmt(r: &mut Rng, keyed: bool) -> (String, Vec<J>, Vec<(String, J)>) {
    let mut fmt = String::new();
    let mut args = Vec::new();
    let mut map = Vec::new();
    for _ in 0..r.range(1, 3) {
        fmt.push_str(&gen_text(r, 3, &['%']));
        if r.chance(10) {
            fmt.push_str("%%");
        }
        fmt.push_str(&gen_percent_spec(r, keyed, &mut args, &mut map));
    }
    fmt.push_str(&gen_text(r, 2, &['%']));
    if keyed && r.chance(4) {
        // At the very end nothing can follow to turn "%5" into an unkeyed "%5s" (which a
        // Mapping function cannot serve).
        fmt.push_str(r.pick(&["%", "%(", "%(a", "%.", "%5", "%l", "%-", "%(a)"]));
    }
    (fmt, args, map)
}

fn gen_percent_case(r: &mut Rng) -> J {
    if r.chance(15) {
        // A mapping operand: a dict (or a list, which CPython also takes as a mapping).
        let (fmt, _, map) = gen_percent_fmt(r, true);
        let fmt = if r.chance(10) {
            format!("{fmt} %s")
        } else {
            fmt
        };
        let d: Vec<J> = map
            .into_iter()
            .map(|(k, v)| json!([t_str(&k), v]))
            .collect();
        let args = if r.chance(5) {
            json!({"t": "list", "v": [t_int(1)]})
        } else {
            json!({"t": "dict", "v": d})
        };
        return json!({"kind": "percent", "fmt": fmt, "args": args});
    }
    let (fmt, mut args, _) = gen_percent_fmt(r, false);
    match r.below(10) {
        0 => {
            args.pop();
        }
        1 => args.push(gen_scalar(r)),
        _ => {}
    }
    if fmt.contains('*') {
        // A shifted argument list (or a broken "%*") can hand a "*" any int: keep them below
        // MAX_WIDTH, past which CPython allocates what it is asked for and this crate refuses.
        // i64::MIN stays: CPython's negation wraps it to a negative width, which is ignored.
        for a in args.iter_mut() {
            if a["t"] == "int" {
                let v: i64 = a["v"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
                if v != i64::MIN && v.abs() > 99_999_999 {
                    *a = t_int(v % 1000);
                }
            }
        }
    }
    let args = if args.len() == 1 && r.chance(50) && args[0]["t"] != "tuple" {
        args.pop().unwrap_or_else(t_none)
    } else {
        json!({"t": "tuple", "v": args})
    };
    json!({"kind": "percent", "fmt": fmt, "args": args})
}

fn gen_percent_map_case(r: &mut Rng) -> J {
    let (mut fmt, _, map) = gen_percent_fmt(r, true);
    if r.chance(15) {
        // An unkeyed conversion takes the mapping itself (a dict); all but %s/%r/%a fail the
        // same way for a lookup function.
        let unkeyed = r.pick(&["%d", "%5x", "%*d", "%.2f", "%c", "%q", "%i", "%-*.*e"]);
        fmt = format!("{unkeyed} {fmt}");
    }
    let map: Vec<J> = map.into_iter().map(|(k, v)| json!([k, v])).collect();
    json!({"kind": "percent_map", "fmt": fmt, "map": map})
}

#[path = "pyfmt_differential/gen.rs"]
mod gen;

// ---------------------------------------------------------------- the Rust side

#[derive(Debug)]
struct TestObj {
    name: String,
    repr: String,
    str_: Option<String>,
    raise: Option<String>,
    int: Option<i64>,
    float: Option<f64>,
    attrs: Vec<(String, Value)>,
}

impl PyObject for TestObj {
    fn type_name(&self) -> &str {
        &self.name
    }
    fn py_str(&self) -> Result<String> {
        if let Some(m) = &self.raise {
            return Err(Error::new(ErrorKind::RuntimeError, m.clone()));
        }
        Ok(self.str_.clone().unwrap_or_else(|| self.repr.clone()))
    }
    fn py_repr(&self) -> Result<String> {
        Ok(self.repr.clone())
    }
    fn as_int(&self) -> Option<i64> {
        self.int
    }
    fn as_float(&self) -> Option<f64> {
        self.float
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

fn s_of(j: &J) -> String {
    j.as_str().unwrap_or_default().to_string()
}

fn from_tagged(j: &J) -> Value {
    let v = &j["v"];
    let items = || v.as_array().cloned().unwrap_or_default();
    match j["t"].as_str().unwrap_or_default() {
        "bool" => Value::Bool(v.as_bool().unwrap_or_default()),
        "int" => Value::Int(s_of(v).parse().unwrap_or_default()),
        "float" => Value::Float(s_of(v).parse().unwrap_or(f64::NAN)),
        "str" => Value::from(s_of(v)),
        "list" => Value::List(Rc::new(items().iter().map(from_tagged).collect())),
        "tuple" => Value::Tuple(Rc::new(items().iter().map(from_tagged).collect())),
        "dict" => Value::Dict(Rc::new(
            items()
                .iter()
                .map(|kv| (from_tagged(&kv[0]), from_tagged(&kv[1])))
                .collect(),
        )),
        "obj" => Value::Object(Rc::new(TestObj {
            name: s_of(&j["name"]),
            repr: s_of(&j["repr"]),
            str_: j["str"].as_str().map(str::to_string),
            raise: j["raise"].as_str().map(str::to_string),
            int: j["int"].as_str().and_then(|s| s.parse().ok()),
            float: j["float"].as_str().and_then(|s| s.parse().ok()),
            attrs: j["attrs"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|kv| (s_of(&kv[0]), from_tagged(&kv[1])))
                        .collect()
                })
                .unwrap_or_default(),
        })),
        _ => Value::None,
    }
}

fn pairs(j: &J) -> Vec<(String, Value)> {
    j.as_array()
        .map(|a| {
            a.iter()
                .map(|kv| (s_of(&kv[0]), from_tagged(&kv[1])))
                .collect()
        })
        .unwrap_or_default()
}

fn result(r: Result<String>) -> J {
    match r {
        Ok(s) => json!({"ok": s}),
        Err(e) => json!({"err": format!("{}: {}", e.kind().name(), e.message())}),
    }
}

fn with_out(f: impl FnOnce(&mut String) -> Result<()>) -> Result<String> {
    let mut out = String::new();
    f(&mut out).map(|()| out)
}

fn run_rust(case: &J) -> J {
    let fmt = s_of(&case["fmt"]);
    let lookup_in = |m: Vec<(String, Value)>| {
        move |k: &str| m.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    match case["kind"].as_str().unwrap_or_default() {
        "percent" => {
            let args = from_tagged(&case["args"]);
            result(with_out(|o| match &args {
                Value::Tuple(items) => percent_format(&fmt, PercentArgs::Tuple(items), o),
                v => percent_format(&fmt, PercentArgs::Single(v), o),
            }))
        }
        "percent_map" => {
            let f = lookup_in(pairs(&case["map"]));
            result(with_out(|o| {
                percent_format(&fmt, PercentArgs::Mapping(&f), o)
            }))
        }
        "brace" => {
            let args: Vec<Value> = case["args"]
                .as_array()
                .map(|a| a.iter().map(from_tagged).collect())
                .unwrap_or_default();
            let f = lookup_in(pairs(&case["kwargs"]));
            result(with_out(|o| brace_format(&fmt, &args, &f, o)))
        }
        "format" => result(with_out(|o| {
            format_value(&from_tagged(&case["value"]), &s_of(&case["spec"]), o)
        })),
        "template" => {
            let f = lookup_in(pairs(&case["kwargs"]));
            result(with_out(|o| template_substitute(&fmt, &f, o)))
        }
        "str" => result(with_out(|o| write_str(&from_tagged(&case["value"]), o))),
        "repr" => result(with_out(|o| write_repr(&from_tagged(&case["value"]), o))),
        "ascii" => result(with_out(|o| write_ascii(&from_tagged(&case["value"]), o))),
        "parse" => match parse_fields(&fmt) {
            Ok(items) => json!({"ok": items.iter().map(|(lit, f)| match f {
                Some((n, s, c)) => json!([lit, n, s, c.map(|c| c.to_string())]),
                None => json!([lit, null, null, null]),
            }).collect::<Vec<_>>()}),
            Err(e) => result(Err(e)),
        },
        "vpercent" => result(validate_percent_style(&fmt).map(|()| "valid".to_string())),
        "vbrace" => result(validate_str_format_style(&fmt).map(|()| "valid".to_string())),
        "vtemplate" => result(validate_template_style(&fmt).map(|()| "valid".to_string())),
        k => json!({"err": format!("unknown kind {k}")}),
    }
}

// ---------------------------------------------------------------- the oracle

fn python() -> (String, bool) {
    let exe = common::python_exe();
    let is_reference = common::python_version(&exe) == (3, 13);
    (exe, is_reference)
}

fn run_python(cases: &[J]) -> Vec<J> {
    let (py, is_reference) = python();
    if !is_reference {
        eprintln!("note: CPython 3.13 not found; comparing against `python3`, which may differ");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/pyfmt_oracle.py");
    let mut child = Command::new(&py)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {py}: {e}"));
    let input = serde_json::to_vec(cases).expect("cases serialize");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer thread").expect("write cases");
    assert!(
        output.status.success(),
        "oracle failed: {:?}",
        output.status
    );
    serde_json::from_slice(&output.stdout).expect("oracle JSON")
}

#[test]
fn pyfmt_matches_cpython() {
    let cases = gen::all_cases();
    assert!(cases.len() >= 1500, "only {} cases", cases.len());
    let expected = run_python(&cases);
    assert_eq!(expected.len(), cases.len());
    if let Ok(path) = std::env::var("PYFMT_DUMP") {
        // Debugging aid: the cases and CPython's answers, one JSON pair per line.
        let lines: Vec<String> = cases
            .iter()
            .zip(&expected)
            .map(|(c, e)| json!([c, e]).to_string())
            .collect();
        std::fs::write(path, lines.join("\n")).expect("dump");
    }
    let mut mismatches = Vec::new();
    let mut per_kind = std::collections::BTreeMap::<String, usize>::new();
    for (case, want) in cases.iter().zip(&expected) {
        let outcome = if want.get("ok").is_some() {
            "ok"
        } else {
            "err"
        };
        *per_kind
            .entry(format!("{}/{outcome}", s_of(&case["kind"])))
            .or_default() += 1;
        let got = run_rust(case);
        if &got != want {
            mismatches.push((case, want, got));
        }
    }
    eprintln!("{} differential cases: {per_kind:?}", cases.len());
    for (case, want, got) in mismatches.iter().take(20) {
        eprintln!("case:     {case}\nexpected: {want}\ngot:      {got}\n");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from CPython",
        mismatches.len(),
        cases.len()
    );
}
