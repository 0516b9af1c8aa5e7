//! Case generators for `str.format`, `format()`, `Template`, the parser, the validators and
//! `str`/`repr`/`ascii` (the `%` generators live in the main file).

use serde_json::{json, Value as J};

use super::{
    gen_char, gen_float, gen_int, gen_obj, gen_percent_case, gen_percent_fmt, gen_percent_map_case,
    gen_scalar, gen_str, gen_text, gen_value, t_bool, t_float, t_int, t_none, t_str, Rng,
};

const ALL_TYPES: &[char] = &[
    'b', 'c', 'd', 'e', 'E', 'f', 'F', 'g', 'G', 'n', 'o', 's', 'x', 'X', '%',
];

/// A format spec, mostly well-formed for `kind` ("str", "int", "float" or "any").
fn gen_spec(r: &mut Rng, kind: &str, in_brace: bool) -> String {
    if r.chance(4) {
        return r
            .pick(&[
                "xx",
                ".",
                ",,",
                "_,",
                ",_",
                "99999999999999999999",
                ".99999999999999999999f",
                ".3000000000f",
                ".3000000000",
                "\u{661}\u{662}",
                ".\u{661}f",
                "=",
                "0=5",
                "<05",
                ">05",
                "#+c",
                "z#c",
                "z",
                "zd",
                "+z",
                "z#",
                "#=",
                "=#",
                "\x01",
                "€",
                "s<5",
            ])
            .to_string();
    }
    let mut s = String::new();
    if r.chance(30) {
        if r.chance(60) {
            let fill = if in_brace {
                r.pick(&['*', '0', ' ', 'é', '-', 'x', '😀', '<', '=', '_'])
            } else {
                r.pick(&['*', '0', ' ', 'é', '{', '}', '😀', '=', '\n'])
            };
            s.push(fill);
        }
        s.push(r.pick(&['<', '>', '=', '^']));
    }
    if r.chance(20) {
        s.push(r.pick(&['+', '-', ' ']));
    }
    if r.chance(6) {
        s.push('z');
    }
    if r.chance(15) {
        s.push('#');
    }
    if r.chance(15) {
        s.push('0');
    }
    if r.chance(45) {
        s.push_str(&r.range(0, 20).to_string());
    }
    if r.chance(15) {
        s.push(r.pick(&[',', '_']));
    }
    if r.chance(30) {
        s.push('.');
        if !r.chance(5) {
            let hi = if r.chance(10) { 40 } else { 12 };
            s.push_str(&r.range(0, hi).to_string());
        }
    }
    if r.chance(65) {
        let types: &[char] = match kind {
            "str" => &['s'],
            "int" => &[
                'b', 'c', 'd', 'o', 'x', 'X', 'n', 'e', 'E', 'f', 'F', 'g', 'G', '%', 'd',
            ],
            "float" => &['e', 'E', 'f', 'F', 'g', 'G', 'n', '%'],
            _ => ALL_TYPES,
        };
        let t = if r.chance(85) {
            r.pick(types)
        } else {
            r.pick(ALL_TYPES)
        };
        s.push(t);
    }
    s
}

fn gen_format_case(r: &mut Rng) -> J {
    let (value, kind) = match r.below(10) {
        0..=2 => (t_int(gen_int(r)), "int"),
        3..=5 => (t_float(gen_float(r)), "float"),
        6 | 7 => (t_str(&gen_str(r)), "str"),
        8 => (t_bool(r.chance(50)), "int"),
        _ => (gen_value(r, 1), "any"),
    };
    let spec = if r.chance(6) {
        String::new()
    } else {
        gen_spec(r, kind, false)
    };
    json!({"kind": "format", "value": value, "spec": spec})
}

const KW_NAMES: &[&str] = &[
    "name", "a", "b", "x", "é", "obj", "d", "l", "w", "p", "al", "nope",
];

fn brace_literal(r: &mut Rng) -> String {
    let mut s = gen_text(r, 3, &['{', '}']);
    if r.chance(10) {
        s.push_str(r.pick(&["{{", "}}", "{{}}"]));
    }
    s
}

fn gen_brace_fmt(r: &mut Rng, nargs: usize) -> String {
    let mode = r.below(3);
    let mut fmt = String::new();
    for _ in 0..r.range(1, 3) {
        fmt.push_str(&brace_literal(r));
        fmt.push('{');
        let name = if r.chance(5) {
            r.pick(&[
                "", "0", "1", "name", "nope", "\u{661}", "00", "-1", " 0", "0x", "a-b",
            ])
            .to_string()
        } else {
            match mode {
                0 => String::new(),
                1 if r.chance(95) => r.range(0, nargs as i64 - 1).to_string(),
                1 => nargs.to_string(),
                _ => r.pick(KW_NAMES).to_string(),
            }
        };
        fmt.push_str(&name);
        if r.chance(20) {
            fmt.push_str(r.pick(&[
                ".real",
                ".imag",
                ".x",
                ".name",
                ".numerator",
                ".denominator",
                "[0]",
                "[1]",
                "[k0]",
                "[5]",
                "[-1]",
                "[x]",
                "[0][0]",
                ".real.imag",
                "[k1é]",
                "[]",
                ".",
                "[0]x",
                "[\u{661}]",
            ]));
        }
        if r.chance(15) {
            fmt.push('!');
            fmt.push(r.pick(&['r', 's', 'a', 'r', 'x', ' ']));
        }
        if r.chance(55) {
            fmt.push(':');
            if r.chance(12) {
                fmt.push_str(r.pick(&[
                    "{w}", ">{w}", "{al}{w}", "{}", "{p}", ".{p}f", "{w}.{p}", "{w:{p}}",
                ]));
            } else {
                fmt.push_str(&gen_spec(r, "any", true));
            }
        }
        fmt.push('}');
    }
    fmt.push_str(&brace_literal(r));
    if r.chance(5) {
        fmt.push_str(r.pick(&[
            "{", "}", "{0", "{0:", "{0!", "{0!r", "{0[", "{:{:{}}}", "{0}}", "{a{b}", "{0!r:",
        ]));
    }
    fmt
}

fn brace_kwargs(r: &mut Rng) -> Vec<J> {
    let mut kw = Vec::new();
    for &k in KW_NAMES {
        if k == "nope" || r.chance(4) {
            continue;
        }
        let v = match k {
            "w" => t_int(r.range(0, 15)),
            "p" => t_int(r.range(0, 8)),
            "al" => t_str(r.pick(&["<", ">", "^", "="])),
            "obj" => gen_obj(r),
            "d" => json!({"t": "dict", "v": [
                [t_str("k0"), gen_scalar(r)], [t_str("k1é"), t_int(7)], [t_int(0), t_str("zero")],
                [t_str("x"), json!({"t": "list", "v": [t_int(1), t_int(2)]})]]}),
            "l" => json!({"t": "list", "v": [gen_scalar(r), t_str("second")]}),
            _ => gen_value(r, 1),
        };
        kw.push(json!([k, v]));
    }
    kw
}

/// A well-formed format whose specs suit their arguments, so that most cases render.
fn gen_clean_brace_case(r: &mut Rng) -> J {
    let mut args = Vec::new();
    let mut fmt = String::new();
    let auto = r.chance(50);
    for i in 0..r.range(1, 4) {
        let (v, kind) = match r.below(4) {
            0 => (t_int(gen_int(r)), "int"),
            1 => (t_float(gen_float(r)), "float"),
            2 => (t_str(&gen_str(r)), "str"),
            _ => (gen_scalar(r), "any"),
        };
        args.push(v);
        fmt.push_str(&brace_literal(r));
        fmt.push('{');
        if !auto {
            fmt.push_str(&i.to_string());
        }
        if r.chance(10) {
            fmt.push('!');
            fmt.push(r.pick(&['r', 's', 'a']));
        }
        let kind = if fmt.ends_with(['r', 's', 'a']) && fmt.contains('!') {
            "str"
        } else {
            kind
        };
        if r.chance(85) {
            fmt.push(':');
            fmt.push_str(&gen_spec(r, kind, true));
        }
        fmt.push('}');
    }
    fmt.push_str(&brace_literal(r));
    json!({"kind": "brace", "fmt": fmt, "args": args, "kwargs": brace_kwargs(r)})
}

fn gen_brace_case(r: &mut Rng) -> J {
    if r.chance(40) {
        return gen_clean_brace_case(r);
    }
    let n = if r.chance(10) {
        r.below(2)
    } else {
        r.range(3, 5) as usize
    };
    let args: Vec<J> = (0..n)
        .map(|_| {
            if r.chance(75) {
                gen_scalar(r)
            } else {
                gen_value(r, 1)
            }
        })
        .collect();
    let mut args = args;
    let fmt = gen_brace_fmt(r, args.len());
    if fmt.contains(":{") {
        // A nested "{}" may turn a positional int into a width; keep those below MAX_WIDTH,
        // past which CPython allocates what it is asked for and this crate refuses.
        for a in args.iter_mut() {
            if a["t"] == "int" {
                let v: i64 = a["v"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
                *a = t_int(v % 1000);
            } else if a["t"] == "float" {
                let v: f64 = a["v"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0.0);
                *a = t_float(if v.is_finite() { v % 1000.0 } else { v });
            }
        }
    }
    json!({"kind": "brace", "fmt": fmt, "args": args, "kwargs": brace_kwargs(r)})
}

const TPL_PIECES: &[&str] = &[
    "$name", "${name}", "$$", "text ", "\n", "\r\n", "\r", "\u{2028}", "€", "$NAME", "$_x9",
    "${_}", "$n", "$n2", "x", "${n}y", "\x0b", "\u{85}", "é", " ", "$name.", "$$name",
];
const TPL_BAD: &[&str] = &[
    "$", "${", "${name", "$1", "$ ", "$é", "${a b}", "$nope", "${}",
];

fn gen_template_fmt(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..r.range(1, 6) {
        if r.chance(12) {
            s.push_str(r.pick(TPL_BAD));
        } else {
            s.push_str(r.pick(TPL_PIECES));
        }
    }
    s
}

fn gen_template_case(r: &mut Rng) -> J {
    let fmt = gen_template_fmt(r);
    let mut kw = vec![
        json!(["name", gen_value(r, 1)]),
        json!(["n", gen_scalar(r)]),
    ];
    for k in ["NAME", "_x9", "_", "n2"] {
        if r.chance(70) {
            kw.push(json!([k, gen_scalar(r)]));
        }
    }
    json!({"kind": "template", "fmt": fmt, "kwargs": kw})
}

fn gen_parse_case(r: &mut Rng) -> J {
    let fmt = if r.chance(50) {
        gen_brace_fmt(r, 2)
    } else {
        let n = r.below(11);
        (0..n)
            .map(|_| {
                r.pick(&[
                    '{', '}', '[', ']', '!', ':', '.', 'a', '0', 'r', ' ', 'é', '{', '}',
                ])
            })
            .collect()
    };
    json!({"kind": "parse", "fmt": fmt})
}

const VPERCENT: &[&str] = &[
    "",
    "%(message)s",
    "%(asctime)s %(levelname)-8s %(message)s",
    "%s",
    "%(a)",
    "%(a)q",
    "%(a)5.2f",
    "%(a)*.*d",
    "%(a)-#0 +5S",
    "%(a).s",
    "%(a).x",
    "%()s",
    "%(a b)s",
    "%(é)s",
    "%(\u{661})\u{17f}",
    "%(a)\u{130}",
    "%(a)\u{131}",
    "%(a)\u{212a}",
    "%(a)%",
    "%(a)0005d",
    "%(a)\u{661}d",
    "no fields",
    "%%(a)s",
    "%(a)l",
    "%(a)ld",
    "%(a)#x",
    "%(a) d",
];

const VBRACE_NAMES: &[&str] = &[
    "a",
    "a.b",
    "a[0]",
    "0",
    "a[",
    "a.",
    "a b",
    "*",
    "é",
    "a\n",
    "\u{661}",
    "a[x y]",
    "a[]",
    "a.b.c",
    "a[0].b",
    "a]",
    "a-b",
    "_",
    "a.\u{661}",
    "a[b][c]",
    "a[b]c",
    "0.real",
];
const VBRACE_SPECS: &[&str] = &[
    "",
    ">10",
    "<<",
    "*^20",
    "+",
    " ",
    "#x",
    "010",
    "10,",
    "_d",
    ".2f",
    ".{p}",
    "{w}",
    "{w}.{p}f",
    "{}",
    "q",
    "X",
    "F",
    "%",
    "\u{17f}",
    "ss",
    "010,.2F",
    "=+#012_.3e",
    "\n",
    "5\n",
    "\n5",
    "z",
    "\u{661}",
    "{w-x}",
    "{é}",
    "..2",
    "0=10",
    ",",
    "_,",
];

fn gen_vbrace_case(r: &mut Rng) -> J {
    let fmt = if r.chance(40) {
        gen_brace_fmt(r, 2)
    } else {
        let mut s = gen_text(r, 2, &['{', '}']);
        for _ in 0..r.range(1, 2) {
            s.push('{');
            s.push_str(r.pick(VBRACE_NAMES));
            if r.chance(20) {
                s.push('!');
                s.push(r.pick(&['r', 's', 'a', 'x', 'R']));
            }
            let spec = r.pick(VBRACE_SPECS);
            if !spec.is_empty() || r.chance(20) {
                s.push(':');
                s.push_str(spec);
            }
            s.push('}');
            s.push_str(&gen_text(r, 2, &['{', '}']));
        }
        s
    };
    json!({"kind": "vbrace", "fmt": fmt})
}

fn gen_repr_case(r: &mut Rng) -> J {
    let kind = r.pick(&["str", "repr", "ascii", "repr"]);
    let value = if r.chance(30) {
        let s: String = (0..r.below(12)).map(|_| gen_char(r)).collect();
        t_str(&s)
    } else if r.chance(20) {
        t_float(gen_float(r))
    } else {
        gen_value(r, 0)
    };
    json!({"kind": kind, "value": value})
}

/// Hand-picked corners, kept whatever the generators happen to produce.
fn fixed_cases() -> Vec<J> {
    let tuple = |v: Vec<J>| json!({"t": "tuple", "v": v});
    let dict = |kv: Vec<(&str, J)>| json!({"t": "dict", "v": kv.into_iter().map(|(k, v)| json!([t_str(k), v])).collect::<Vec<_>>()});
    let mut cases = Vec::new();
    let percent: Vec<(&str, J)> = vec![
        ("%#010o", t_int(8)),
        ("% #08x", t_int(255)),
        ("%#08X", t_int(-255)),
        ("%-05d|", t_int(3)),
        ("%- 5d|", t_int(3)),
        ("%05.1f", t_float(-2.5)),
        ("%.3d", t_float(1.5)),
        ("%d", t_float(1e300)),
        ("%x", t_float(1.0)),
        ("%5%", tuple(vec![])),
        ("%5%", t_int(1)),
        ("%q", tuple(vec![])),
        ("%*s|", tuple(vec![t_int(i64::MIN), t_str("a")])),
        ("%*d", tuple(vec![t_bool(true), t_int(1)])),
        ("%.*s|", tuple(vec![t_int(-5), t_str("abc")])),
        ("%c%c", tuple(vec![t_int(0x10ffff), t_str("😀")])),
        ("%ld %hd %Ld", tuple(vec![t_int(1), t_int(2), t_int(3)])),
        ("%lld", t_int(1)),
        ("%(a)%", dict(vec![("a", t_int(1))])),
        ("%((a))s", dict(vec![("(a)", t_int(1))])),
        ("%%%(a)s", dict(vec![("a", t_int(1))])),
        ("%(a)*d", dict(vec![("a", t_int(5))])),
        ("%s %s", dict(vec![])),
        ("abc", json!({"t": "list", "v": [t_int(1)]})),
        ("abc", t_int(1)),
        ("%s", tuple(vec![tuple(vec![t_int(1)])])),
        ("%a", t_str("é€😀")),
        ("%.1r", t_str("xyz")),
        (
            "%#.0e %#.0f %#.0g",
            tuple(vec![t_float(1.0), t_float(1.0), t_float(5.5)]),
        ),
    ];
    for (fmt, args) in percent {
        cases.push(json!({"kind": "percent", "fmt": fmt, "args": args}));
    }
    let formats: Vec<(J, &str)> = vec![
        (t_int(1234), "^010,"),
        (t_int(1234), "0<10,"),
        (t_int(-1234), "010_"),
        (t_int(1234), "#010_b"),
        (t_int(i64::MIN), "#o"),
        (t_int(65), "05c"),
        (t_float(1234.5), "010,"),
        (t_float(f64::INFINITY), "08,"),
        (t_float(f64::NAN), "+08,"),
        (t_float(-0.0), "z.1f"),
        (t_float(-1e-10), "z.3g"),
        (t_float(1.0), "#.0"),
        (t_float(123.0), ".2"),
        (t_float(1e16), "#.16"),
        (t_float("2094465496176776.25".parse().unwrap_or(0.0)), ""),
        (t_float(0.5), ".0%"),
        (t_str("abc"), "05"),
        (t_str("abc"), "*^7.2"),
        (t_str("a"), " "),
        (t_str("a"), "\u{661}\u{662}"),
        (t_bool(true), ">6"),
        (t_bool(true), "s"),
        (t_none(), "x"),
        (t_int(5), "{^5"),
        (t_int(1), "99999999999999999999"),
        (t_float(1.0), ".3000000000f"),
    ];
    for (value, spec) in formats {
        cases.push(json!({"kind": "format", "value": value, "spec": spec}));
    }
    let brace: Vec<&str> = vec![
        "{0:{1}}",
        "{:{}}",
        "{0:{}}",
        "{0:{1:{2}}}",
        "{0!r:>{1}}",
        "{!}",
        "{0!rr}",
        "{0!",
        "{0:",
        "{0}}",
        "{0]}",
        "{0[0]x}",
        "{0.}",
        "{0[]}",
        "{00}",
        "{ 0}",
        "}",
        "{",
        "{{}}",
        "{0[}]}",
    ];
    for fmt in brace {
        let args = [t_str("a"), t_int(5), t_int(3)];
        cases.push(json!({"kind": "brace", "fmt": fmt, "args": args, "kwargs": []}));
    }
    cases
}

/// Every generated case, in a fixed order for a fixed seed.
pub(super) fn all_cases() -> Vec<J> {
    // PYFMT_SEED explores other case sets while debugging; the default set is what CI runs.
    let seed = std::env::var("PYFMT_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut r = Rng(seed.unwrap_or(0x5EED_0FC0_FFEE));
    let mut cases = fixed_cases();
    for _ in 0..1400 {
        cases.push(gen_percent_case(&mut r));
    }
    for _ in 0..250 {
        cases.push(gen_percent_map_case(&mut r));
    }
    for _ in 0..1200 {
        cases.push(gen_brace_case(&mut r));
    }
    for _ in 0..1800 {
        cases.push(gen_format_case(&mut r));
    }
    for _ in 0..350 {
        cases.push(gen_template_case(&mut r));
        let fmt = gen_template_fmt(&mut r);
        cases.push(json!({"kind": "vtemplate", "fmt": fmt}));
    }
    for _ in 0..400 {
        cases.push(gen_parse_case(&mut r));
        cases.push(gen_vbrace_case(&mut r));
    }
    for f in VPERCENT {
        cases.push(json!({"kind": "vpercent", "fmt": f}));
    }
    for _ in 0..300 {
        let keyed = r.chance(60);
        let (fmt, _, _) = gen_percent_fmt(&mut r, keyed);
        cases.push(json!({"kind": "vpercent", "fmt": fmt}));
    }
    for _ in 0..700 {
        cases.push(gen_repr_case(&mut r));
    }
    for v in [
        t_none(),
        t_bool(false),
        t_float(-0.0),
        t_float(f64::NAN),
        t_int(i64::MIN),
    ] {
        for kind in ["str", "repr", "ascii"] {
            cases.push(json!({"kind": kind, "value": v.clone()}));
        }
    }
    cases
}
