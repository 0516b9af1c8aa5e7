//! The pickle wire format against CPython 3.13.
//!
//! - `dumps` is byte-identical to `pickle.dumps(v, 1)` for several hundred generated values
//!   (unicode and astral strings, ints at every opcode boundary, floats such as -0.0, inf,
//!   NaN and 1e300, nested containers, lists and dicts around the 1000-item batch size, memo
//!   indices past 255, dict keys Python finds equal, objects pickled as their `str()`).
//! - `make_pickle` is byte-identical to `SocketHandler.makePickle` for records built the same
//!   way on both sides, and `make_json_frame` to `json.dumps` of the same dict.
//! - `loads_plain` reads CPython's pickles of plain data at protocols 0–5 back to the value,
//!   refuses every pickle that needs anything else (naming the first such opcode), and never
//!   panics on random or mutated input.
//!
//! The CPython side is `tests/python/wire_pickle_oracle.py`; without Python 3.13 those tests
//! skip. `WIRE_SEED` (u64) changes the seed.

#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/wire_support.rs"]
mod wire_support;

use std::rc::Rc;

use proptest::prelude::*;
use proptest::test_runner::Config;

use wasm_logging::core::wire::pickle::{
    dumps, loads_plain, loads_plain_with, make_json_frame, make_pickle, Limits,
};
use wasm_logging::{Location, LogRecord, Value};
use wire_support::{
    edge_ints, first_difference, gen_record_case, gen_value, hex, oracle, python, show, unhex, Gen,
    RecordCase, Rng, V,
};

fn seed() -> u64 {
    std::env::var("WIRE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_9c41_e001)
}

/// Whether a loaded value is the case's value: same shapes, floats bit for bit.
fn same(v: &V, x: &Value) -> bool {
    match (v, x) {
        (V::None, Value::None) => true,
        (V::Bool(a), Value::Bool(b)) => a == b,
        (V::Int(a), Value::Int(b)) => a == b,
        (V::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
        (V::Str(a), Value::Str(b)) => a.as_str() == b.as_str(),
        (V::List(a), Value::List(b)) | (V::Tuple(a), Value::Tuple(b)) => {
            matches!(
                (v, x),
                (V::List(_), Value::List(_)) | (V::Tuple(_), Value::Tuple(_))
            ) && a.len() == b.len()
                && a.iter().zip(b.iter()).all(|(p, q)| same(p, q))
        }
        (V::Dict(a), Value::Dict(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        _ => false,
    }
}

fn strs(n: usize, prefix: &str) -> Vec<V> {
    (0..n).map(|i| V::Str(format!("{prefix}{i}"))).collect()
}

/// Hand-picked values at the writer's edges.
fn edge_values() -> Vec<V> {
    let mut out: Vec<V> = edge_ints().iter().map(|&i| V::Int(i)).collect();
    for f in [
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1e300,
        5e-324,
        0.1,
    ] {
        out.push(V::Float(f));
    }
    out.extend([
        V::None,
        V::Bool(true),
        V::Bool(false),
        V::s(""),
        V::s("😀𝄞\u{10ffff}"),
    ]);
    for n in [0, 1, 2, 999, 1000, 1001, 2000, 2001] {
        out.push(V::List((0..n).map(|i| V::Int(i as i64)).collect()));
        out.push(V::Dict(
            (0..n).map(|i| (V::Int(i as i64), V::None)).collect(),
        ));
    }
    out.push(V::Tuple(vec![]));
    out.push(V::Tuple(vec![V::Tuple(vec![]), V::Tuple(vec![V::Int(1)])]));
    // Memo indices past 255 (LONG_BINPUT), then singletons first seen there (LONG_BINGET).
    let mut many = strs(300, "s");
    many.extend([
        V::s("a"),
        V::s("a"),
        V::s(""),
        V::s(""),
        V::s("é"),
        V::s("é"),
    ]);
    many.extend([V::s("中"), V::s("中"), V::s("ab"), V::s("ab")]);
    out.push(V::List(many));
    // Keys Python finds equal collapse; NaN keys never do.
    out.push(V::Dict(vec![
        (V::Int(1), V::s("one")),
        (V::Bool(true), V::s("true")),
        (V::Float(1.0), V::s("float")),
        (V::Float(f64::NAN), V::s("n1")),
        (V::Float(f64::NAN), V::s("n2")),
        (V::Float(0.0), V::s("z")),
        (V::Bool(false), V::s("f")),
        (V::Tuple(vec![V::Int(1), V::s("x")]), V::None),
        (V::Tuple(vec![V::Bool(true), V::s("x")]), V::Int(2)),
    ]));
    out.push(V::Dict(vec![(V::s("k"), V::s("v"))]));
    out.push(V::Dict(vec![
        (V::s("a"), V::s("a")),
        (V::s("b"), V::s("a")),
    ]));
    out.push(V::List(vec![
        V::Obj("shown".into()),
        V::Obj("x".into()),
        V::Obj("x".into()),
    ]));
    // Deep but within the limit.
    let mut deep = V::Int(0);
    for i in 0..150 {
        deep = if i % 2 == 0 {
            V::List(vec![deep])
        } else {
            V::Dict(vec![(V::s("k"), deep)])
        };
    }
    out.push(deep);
    // Big dict of string keys and mixed values (several batches, memo past 255).
    out.push(V::Dict(
        (0..2500)
            .map(|i| {
                (
                    V::Str(format!("key{i}")),
                    if i % 3 == 0 {
                        V::Str(format!("v{i}"))
                    } else {
                        V::Float(i as f64 / 7.0)
                    },
                )
            })
            .collect(),
    ));
    out
}

#[test]
fn dumps_matches_cpython_protocol_1() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed());
    let mut cases = edge_values();
    let g = Gen {
        objects: true,
        equal_keys: true,
        depth: 4,
    };
    while cases.len() < 700 {
        cases.push(gen_value(&mut rng, g, 0));
    }
    let input = format!(
        "[{}]",
        cases.iter().map(V::to_json).collect::<Vec<_>>().join(",")
    );
    let want = oracle(&py, "wire_pickle_oracle.py", &["dumps"], &input);
    let want = want.as_array().expect("a list");
    assert_eq!(want.len(), cases.len());
    let mut failures = Vec::new();
    for (c, w) in cases.iter().zip(want) {
        let w = unhex(w.as_str().expect("hex"));
        let got = dumps(&c.to_value()).expect("dumps");
        if got != w {
            failures.push(format!(
                "value {}\n  python: {}\n  rust:   {}",
                c.to_json().chars().take(300).collect::<String>(),
                show(&w).chars().take(400).collect::<String>(),
                show(&got).chars().take(400).collect::<String>()
            ));
        }
    }
    eprintln!("{} values compared", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

#[test]
fn make_pickle_and_json_frame_match_socket_handler() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed() ^ 0x5ec0);
    let cases: Vec<RecordCase> = (0..300).map(|_| gen_record_case(&mut rng)).collect();
    let mut rust = Vec::new();
    let mut input = String::from("[");
    for (i, c) in cases.iter().enumerate() {
        let r = c.record();
        let frame = make_pickle(&r);
        let json = make_json_frame(&r);
        if i > 0 {
            input.push(',');
        }
        input.push_str(&c.json(&[("rust_pickle", hex(frame.as_deref().unwrap_or_default()))]));
        rust.push((frame, json));
    }
    input.push(']');
    let want = oracle(&py, "wire_pickle_oracle.py", &["records"], &input);
    let want = want.as_array().expect("a list");
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut json_errors = 0;
    let mut errors = 0;
    for ((c, (frame, json)), w) in cases.iter().zip(&rust).zip(want) {
        if let Some(err) = w["err"].as_str() {
            // CPython could not format the message: the same error here.
            errors += 1;
            match frame {
                Err(e) if e.message() == err => {}
                other => failures.push(format!("{c:?}\n  python raised {err}\n  rust: {other:?}")),
            }
            continue;
        }
        compared += 1;
        let Ok(frame) = frame else {
            failures.push(format!("{c:?}\n  rust failed: {frame:?}"));
            continue;
        };
        let py_frame = unhex(w["pickle"].as_str().unwrap_or_default());
        if *frame != py_frame {
            failures.push(format!(
                "{c:?}\n  python | rust {}",
                first_difference(&py_frame[4..], &frame[4..])
            ));
        }
        if w["rust_repr"] != w["py_repr"] {
            failures.push(format!(
                "{c:?}\n  python dict: {}\n  rust dict:   {}",
                w["py_repr"], w["rust_repr"]
            ));
        }
        match (json, w["json"].as_str(), w["json_err"].as_str()) {
            (Ok(json), Some(py_json), _) => {
                let len = u32::from_be_bytes([json[0], json[1], json[2], json[3]]) as usize;
                if &json[4..] != py_json.as_bytes() || len != json.len() - 4 {
                    failures.push(format!(
                        "{c:?}\n  python json: {py_json}\n  rust json:   {}",
                        String::from_utf8_lossy(&json[4..])
                    ));
                }
            }
            (Err(e), None, Some(py_err)) => {
                json_errors += 1;
                if e.message() != py_err {
                    failures.push(format!("{c:?}\n  python: {py_err}\n  rust:   {e}"));
                }
            }
            (got, _, _) => failures.push(format!(
                "{c:?}\n  python: {} {}\n  rust:   {got:?}",
                w["json"], w["json_err"]
            )),
        }
    }
    eprintln!(
        "{compared} of {} records compared ({json_errors} not JSON serializable), \
         {errors} getMessage errors",
        cases.len()
    );
    assert!(compared > 200, "{compared}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}

#[test]
fn loads_plain_reads_cpython_pickles_at_every_protocol() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed() ^ 0x10ad);
    let g = Gen {
        objects: false,
        equal_keys: false,
        depth: 4,
    };
    let mut cases: Vec<V> = edge_values()
        .into_iter()
        .filter(|v| !v.to_json().contains("\"obj\"") && !matches!(v, V::Dict(d) if d.len() == 9))
        .collect();
    while cases.len() < 500 {
        cases.push(gen_value(&mut rng, g, 0));
    }
    let input = format!(
        "[{}]",
        cases.iter().map(V::to_json).collect::<Vec<_>>().join(",")
    );
    let want = oracle(&py, "wire_pickle_oracle.py", &["protocols"], &input);
    let mut failures = Vec::new();
    let mut loaded = 0;
    for (c, w) in cases.iter().zip(want.as_array().expect("a list")) {
        for (proto, p) in w.as_array().expect("six pickles").iter().enumerate() {
            let bytes = unhex(p.as_str().unwrap_or_default());
            match loads_plain(&bytes) {
                Ok(v) if same(c, &v) => loaded += 1,
                other => failures.push(format!(
                    "protocol {proto}: {}\n  pickle {}\n  got {:?}",
                    c.to_json().chars().take(200).collect::<String>(),
                    show(&bytes).chars().take(300).collect::<String>(),
                    other.map(|v| v.to_py_repr().unwrap_or_default())
                )),
            }
        }
    }
    eprintln!("{loaded} pickles loaded");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}

#[test]
fn loads_plain_rejects_every_non_plain_opcode_cpython_writes() {
    let Some(py) = python() else { return };
    let got = oracle(&py, "wire_pickle_oracle.py", &["forbidden"], "");
    let mut n = 0;
    for case in got.as_array().expect("a list") {
        let what = case["what"].as_str().unwrap_or_default();
        let op = case["op"]
            .as_str()
            .expect("each pickle has a forbidden opcode");
        let bytes = unhex(case["hex"].as_str().unwrap_or_default());
        let err = loads_plain(&bytes).expect_err(what);
        assert!(
            err.message().contains(&format!("opcode {op} ")),
            "{what}: expected {op}, got {err}"
        );
        n += 1;
    }
    assert!(n > 90, "{n}");
}

#[test]
fn loads_plain_rejects_exploits_without_running_anything() {
    let cases: &[(&[u8], &str)] = &[
        (b"cos\nsystem\n(S'echo hi'\ntR.", "GLOBAL"),
        (b"\x80\x04\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x02hi\x94\x85\x94R\x94.", "STACK_GLOBAL"),
        (b"(S'echo hi'\nios\nsystem\n.", "INST"),
        (b"(cos\nsystem\nS'x'\no.", "GLOBAL"),
        (b"\x80\x02N)\x81.", "NEWOBJ"),
        (b"N)}\x92.", "NEWOBJ_EX"),
        (b"Pid\n.", "PERSID"),
        (b"NQ.", "BINPERSID"),
        (b"\x80\x02\x82\x01.", "EXT1"),
        (b"\x80\x02\x83\x01\x00.", "EXT2"),
        (b"\x80\x02\x84\x01\x00\x00\x00.", "EXT4"),
        (b"}Nb.", "BUILD"),
        (b"NR.", "REDUCE"),
        (b"C\x01x.", "SHORT_BINBYTES"),
        (b"B\x01\x00\x00\x00x.", "BINBYTES"),
        (b"\x8e\x01\x00\x00\x00\x00\x00\x00\x00x.", "BINBYTES8"),
        (b"\x96\x01\x00\x00\x00\x00\x00\x00\x00x.", "BYTEARRAY8"),
        (b"\x97.", "NEXT_BUFFER"),
        (b"N\x98.", "READONLY_BUFFER"),
        (b"\x8f.", "EMPTY_SET"),
        (b"\x8f(K\x01\x90.", "EMPTY_SET"),
        (b"(K\x01\x91.", "FROZENSET"),
        // A harmless prefix does not help: the bad opcode still rejects everything.
        (b"](K\x01K\x02ecos\nsystem\n.", "GLOBAL"),
    ];
    for (bytes, op) in cases {
        let err = loads_plain(bytes).expect_err(op);
        assert!(
            err.message().contains(&format!("opcode {op} ")),
            "{}: {err}",
            show(bytes)
        );
    }
}

#[test]
fn loads_plain_reports_malformed_input_clearly() {
    let err = |b: &[u8]| loads_plain(b).unwrap_err().to_string();
    assert_eq!(err(b""), "pickle data was truncated (no STOP opcode)");
    assert!(err(b"X\x05\x00\x00\x00ab").contains("truncated"));
    assert!(err(b"N.x").contains("1 bytes after STOP"));
    assert!(err(b"X\x02\x00\x00\x00\xc3(.").contains("invalid UTF-8"));
    assert!(err(b"X\x03\x00\x00\x00\xed\xa0\x80.").contains("lone surrogate"));
    assert!(err(b"\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.").contains("64 bits"));
    assert!(err(b"L18446744073709551616L\n.").contains("64 bits"));
    assert!(err(b"\x80\x06N.").contains("unsupported pickle protocol: 6"));
    assert!(err(b"h\x05.").contains("Memo value not found at index 5"));
    assert!(err(b"a.").contains("stack underflow"));
    assert!(err(b"(N.").contains("MARK still open"));
    assert!(err(b"NN.").contains("2 items on the stack"));
    assert!(err(b"}(K\x01u.").contains("odd number"));
    assert!(err(b"\xff").contains("unknown opcode b'\\xff' at offset 0"));
    // A length field larger than the input allocates nothing.
    assert!(err(b"X\xff\xff\xff\xff.").contains("truncated"));
    assert!(err(b"\x8d\xff\xff\xff\xff\xff\xff\xff\xff.").contains("truncated"));
    // Limits.
    let tight = Limits {
        max_bytes: 8,
        ..Limits::default()
    };
    assert!(loads_plain_with(b"X\x05\x00\x00\x00hello.", &tight)
        .unwrap_err()
        .message()
        .contains("exceed the limit"));
    let mut deep = vec![b']'; 300];
    deep.extend(std::iter::repeat_n(b'a', 299));
    deep.push(b'.');
    assert!(err(&deep).contains("nesting deeper than 200"));
    let few_memo = Limits {
        max_memo: 2,
        ..Limits::default()
    };
    assert!(loads_plain_with(b"Nq\x00q\x01q\x02.", &few_memo)
        .unwrap_err()
        .message()
        .contains("memo exceeds"));
}

#[test]
fn loads_plain_reads_protocol_0_text_forms() {
    let ok = |b: &[u8]| {
        loads_plain(b)
            .unwrap_or_else(|e| panic!("{}: {e}", show(b)))
            .to_py_repr()
            .unwrap()
    };
    assert_eq!(ok(b"I01\n."), "True");
    assert_eq!(ok(b"I010\n."), "8"); // strtol base 0: octal
    assert_eq!(ok(b"I1_000\n."), "1000"); // PyLong_FromString fallback
    assert_eq!(ok(b"L-9223372036854775808L\n."), "-9223372036854775808");
    assert_eq!(ok(b"Fnan\n."), "nan");
    assert_eq!(ok(b"F-0.0\n."), "-0.0");
    assert_eq!(ok(b"S'a\\x41\\n\\'b'\n."), "\"aA\\n'b\"");
    assert_eq!(ok(b"S'\\xe9'\n."), "'é'"); // Python 2 str: Latin-1
    assert_eq!(ok(b"U\x01\xff."), "'ÿ'");
    assert_eq!(
        ok(b"Va\\u20ac\\U0001f600\\\\u0041\n."),
        "'a€😀\\\\\\\\u0041'"
    );
    assert_eq!(
        ok(b"(lp0\nI1\naI2\na(dp1\nVk\np2\nL3L\nsa."),
        "[1, 2, {'k': 3}]"
    );
    // The memo holds the object, so a GET after a SETITEM sees the item.
    assert!(loads_plain(b"(lp0\n(dp1\nVk\nNsag1\na.").is_ok());
}

#[test]
fn dumps_then_loads_plain_round_trips() {
    let mut rng = Rng(seed() ^ 0x0dd);
    let g = Gen {
        objects: false,
        equal_keys: false,
        depth: 5,
    };
    for _ in 0..3000 {
        let v = gen_value(&mut rng, g, 0);
        let bytes = dumps(&v.to_value()).expect("dumps");
        let back = loads_plain(&bytes).expect("loads");
        assert!(same(&v, &back), "{v:?}");
    }
    for v in edge_values() {
        if v.to_json().contains("\"obj\"") || matches!(&v, V::Dict(d) if d.len() == 9) {
            continue;
        }
        let back = loads_plain(&dumps(&v.to_value()).expect("dumps")).expect("loads");
        assert!(same(&v, &back));
    }
}

#[test]
fn dumps_known_bytes() {
    assert_eq!(
        dumps(&Value::list([Value::Bool(true), Value::Int(-2147483649)])).unwrap(),
        b"]q\x00(I01\nL-2147483649L\ne."
    );
    let deep = (0..600).fold(Value::None, |v, _| Value::tuple([v]));
    assert!(dumps(&deep).is_err());
    let r = LogRecord::new(
        "app".into(),
        20,
        "INFO".into(),
        Location {
            pathname: "main".into(),
            lineno: 3,
            func_name: "f".into(),
        },
        Value::from("hi %s"),
        vec![Value::from("you")],
        None,
        1_700_000_000_000_000_000,
        1_700_000_000_000_000_000,
    );
    let frame = make_pickle(&r).unwrap();
    assert_eq!(
        u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize,
        frame.len() - 4
    );
    // pathname, filename and module are one object when the path has no '/' nor extension.
    let body = &frame[4..];
    let at = body
        .windows(8)
        .position(|w| w == b"pathname")
        .expect("pathname key");
    let tail = &body[at..];
    let want: &[u8] = b"pathnameq\x09X\x04\x00\x00\x00mainq\x0aX\x08\x00\x00\x00filenameq\x0bh\x0aX\x06\x00\x00\x00moduleq\x0ch\x0a";
    assert!(tail.starts_with(want), "{}", show(tail));
    let d = loads_plain(body).unwrap();
    assert_eq!(d.dict_get("msg").and_then(Value::as_str), Some("hi you"));
    assert!(matches!(d.dict_get("args"), Some(Value::None)));
    let Value::Dict(items) = &d else {
        panic!("a dict")
    };
    assert!(!items.iter().any(|(k, _)| k.as_str() == Some("message")));
    let _ = Rc::clone(items);
}

#[test]
fn loads_plain_never_panics_on_random_bytes() {
    let mut rng = Rng(seed() ^ 0xbad);
    // Biased towards opcode bytes so that inputs get past the first byte.
    const OPS: &[u8] =
        b"(.012FIJKLMNSTUVXadeghjlpqrstu}])G\x80\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x94\x95\n";
    let mut buf = Vec::with_capacity(64);
    let mut ok = 0u32;
    for _ in 0..4_000_000 {
        buf.clear();
        let n = rng.below(48) as usize;
        for _ in 0..n {
            let r = rng.next_u64();
            buf.push(if r % 3 == 0 {
                (r >> 8) as u8
            } else {
                OPS[((r >> 8) % OPS.len() as u64) as usize]
            });
        }
        if rng.chance(50) {
            buf.push(b'.');
        }
        if loads_plain(&buf).is_ok() {
            ok += 1;
        }
    }
    eprintln!("{ok} random inputs were valid pickles");
}

fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(0xc0de);
    let g = Gen {
        objects: false,
        equal_keys: true,
        depth: 3,
    };
    let mut out: Vec<Vec<u8>> = (0..40)
        .map(|_| dumps(&gen_value(&mut rng, g, 0).to_value()).expect("dumps"))
        .collect();
    out.extend([
        b"(lp0\nI1\naI2\na(dp1\nVk\np2\nL3L\nsa.".to_vec(),
        b"\x80\x04\x95\x1b\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94K\x01\x8c\x01b\x94]\x94(\x88\x89N\x8a\x01\xffeu.".to_vec(),
        b"\x80\x02}q\x00(X\x01\x00\x00\x00kq\x01\x8a\x05\x00\x00\x00\x00\x01X\x01\x00\x00\x00tq\x02K\x01K\x02\x86q\x03u.".to_vec(),
        b"(S'a\\x41'\np0\nF1.5\ntp1\n.".to_vec(),
    ]);
    out
}

proptest! {
    #![proptest_config(Config { cases: 20_000, failure_persistence: None, ..Config::default() })]

    #[test]
    fn loads_plain_never_panics_on_mutated_pickles(
        pick in 0usize..44,
        edits in proptest::collection::vec((0usize..4096, any::<u8>(), 0u8..4), 0..6),
        cut in proptest::option::of(0usize..4096),
    ) {
        let corpus = corpus_cached();
        let mut b = corpus[pick % corpus.len()].clone();
        for (at, byte, how) in edits {
            let at = if b.is_empty() { 0 } else { at % (b.len() + 1) };
            match how {
                0 if at < b.len() => b[at] = byte,
                1 => b.insert(at, byte),
                2 if at < b.len() => { b.remove(at); }
                _ => b.insert(at, b"(.]}hqage0"[usize::from(byte) % 10]),
            }
        }
        if let Some(cut) = cut {
            b.truncate(cut % (b.len() + 1));
        }
        let _ = loads_plain(&b);
    }
}

fn corpus_cached() -> &'static [Vec<u8>] {
    use std::sync::OnceLock;
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(corpus)
}
