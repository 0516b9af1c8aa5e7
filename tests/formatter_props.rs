//! Property tests: `Formatter::builder()…build()` and `format()` never panic — whatever the
//! format string (all three styles, validate on and off), datefmt, message, arguments,
//! extras, defaults, creation time (including the `i64` extremes) and host UTC offset.
//! Errors are fine (they are CPython's exceptions); panics are not.

#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use proptest::prelude::*;
use proptest::test_runner::Config;

use wasm_logging::core::time::LocalOffset;
use wasm_logging::host::{self, FixedClock, Identity};
use wasm_logging::{
    Converter, ExcInfo, Formatter, Frame, Location, LogRecord, RecordFormatter, Style, Text, Value,
};

/// Format strings: random characters dense in format syntax, concatenated syntax tokens
/// (which reach deeper into the parsers), and arbitrary Unicode.
fn format_string() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "%(",
        ")",
        "%",
        "s",
        "d",
        "r",
        "a",
        "x",
        "e",
        "f",
        "g",
        "c",
        "*",
        ".",
        "-",
        "+",
        " ",
        "#",
        "0",
        "7",
        "99",
        "l",
        "z",
        "{",
        "}",
        "{{",
        "}}",
        "$",
        "${",
        "$$",
        "!",
        "!r",
        "!s",
        ":",
        "<",
        ">",
        "^",
        "=",
        ",",
        "_",
        "[",
        "]",
        "[0]",
        "[-1]",
        ".real",
        "name",
        "message",
        "asctime",
        "created",
        "msecs",
        "relativeCreated",
        "levelno",
        "lineno",
        "args",
        "msg",
        "thread",
        "taskName",
        "exc_info",
        "exc_text",
        "x_v",
        "d_v",
        "nope",
        "é",
        "日本",
        "\n",
        "\\",
        "%%",
        "%(message)s",
        "{message}",
        "${message}",
        "%(asctime)",
        "{asctime",
        "$asctime",
        ".3f",
        ">30",
        "%(created)f",
        "{created:.2e}",
        "{levelno:#x}",
        "\u{0}",
        "9999999999999999999999",
        "{0}",
        "{}",
        // Unterminated and odd constructs, where parsers slice past their input.
        "${name",
        "{name",
        "%(name",
        "{name!",
        "{name:",
        "${ name }",
        "$1",
        "{0[",
        "{name[",
        "%(name)*d",
        "%(name).*f",
        "{message:{",
        "{message:{x_w}}",
        "%(x_v)c",
        "{x_v:c}",
        "$x_v",
        "{args[0]}",
        "{msg.real}",
        "%(msecs)ld",
    ];
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(TOKENS), 0..12).prop_map(|v| v.concat()),
        2 => "[%(){}$!:.,_<>=^+# 0-9a-zA-Z*\\[\\]\\-é]{0,40}",
        1 => any::<String>(),
    ]
}

fn datefmt_string() -> impl Strategy<Value = Option<String>> {
    const CODES: &[&str] = &[
        "%Y", "%m", "%d", "%H", "%M", "%S", "%j", "%a", "%A", "%b", "%B", "%p", "%I", "%y", "%Z",
        "%z", "%U", "%W", "%w", "%c", "%x", "%X", "%e", "%%", "%", "%E", "%O", "%Ey", "%Od", "%G",
        "%V", "%u", "%C", "%s", "%k", "%l", "%P", "%n", "%t", "%Q", "%-d", "%_H", "%10Y", "%^a",
        "%#Z", "é", " ", ",", "\u{0}", "%5", "%+",
    ];
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(String::new())),
        4 => prop::collection::vec(prop::sample::select(CODES), 0..10)
            .prop_map(|v| Some(v.concat())),
        1 => any::<String>().prop_map(Some),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        prop::sample::select(vec![
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
            1e-300,
            1e16,
            0.5,
        ]),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            any::<i64>(),
            Just(i64::MIN),
            Just(i64::MAX),
            0x10FFFFi64..0x110001
        ]
        .prop_map(Value::Int),
        float().prop_map(Value::Float),
        ".{0,12}".prop_map(Value::from),
        format_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::list),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::tuple),
            prop::collection::vec(("[a-z0-9 ]{0,3}", inner), 0..4).prop_map(Value::dict),
        ]
    })
}

fn created_ns() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        prop::sample::select(vec![
            i64::MIN,
            i64::MIN + 1,
            i64::MAX,
            i64::MAX - 1,
            0,
            -1,
            1,
            999_999_999,
            -999_999_999,
            1_677_903_920_999_999_900,
        ]),
        -5_000_000_000_000_000_000i64..5_000_000_000_000_000_000,
    ]
}

fn utc_offset() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => -86_400i32..=86_400,
        1 => any::<i32>(),
        1 => prop::sample::select(vec![i32::MIN, i32::MAX, 0, -1, 1]),
    ]
}

#[derive(Debug, Clone)]
struct Settings {
    fmt: Option<String>,
    style: Style,
    validate: bool,
    datefmt: Option<String>,
    defaults: Vec<(Text, Value)>,
    utc: bool,
}

#[derive(Debug, Clone)]
struct Event {
    name: String,
    levelno: i64,
    pathname: String,
    lineno: u32,
    msg: Value,
    args: Vec<Value>,
    extra: Vec<(Text, Value)>,
    created_ns: i64,
    start_ns: i64,
    offset: i32,
    zone: String,
    with_exc: bool,
    stack_info: Option<String>,
}

prop_compose! {
    fn settings()(
        fmt in prop::option::weighted(0.9, format_string()),
        style in prop::sample::select(vec![Style::Percent, Style::Brace, Style::Dollar]),
        validate in any::<bool>(),
        datefmt in datefmt_string(),
        defaults in prop::collection::vec(
            (prop::sample::select(vec!["d_v", "name", "message", "asctime", "x_v", "nope"]),
             value()),
            0..3,
        ),
        utc in any::<bool>(),
    ) -> Settings {
        Settings {
            fmt,
            style,
            validate,
            datefmt,
            defaults: defaults.into_iter().map(|(k, v)| (Text::from(k), v)).collect(),
            utc,
        }
    }
}

prop_compose! {
    fn event()(
        name in ".{0,10}",
        levelno in any::<i64>(),
        pathname in prop_oneof![".{0,16}", "[/\\\\.a-z]{0,12}"],
        lineno in any::<u32>(),
        msg in prop_oneof![
            3 => format_string().prop_map(Value::from),
            1 => value(),
        ],
        args in prop::collection::vec(value(), 0..4),
        extra in prop::collection::vec(
            (prop::sample::select(vec!["x_v", "x_w", "ключ", "_", "a b"]), value()),
            0..3,
        ),
        created_ns in created_ns(),
        start_ns in created_ns(),
        offset in utc_offset(),
        zone in ".{0,6}",
        with_exc in any::<bool>(),
        stack_info in prop::option::of(".{0,20}"),
    ) -> Event {
        Event {
            name,
            levelno,
            pathname,
            lineno,
            msg,
            args,
            extra: extra.into_iter().map(|(k, v)| (Text::from(k), v)).collect(),
            created_ns,
            start_ns,
            offset,
            zone,
            with_exc,
            stack_info,
        }
    }
}

/// Builds the formatter and formats the record; any `Err` is acceptable.
fn run(s: &Settings, e: &Event) {
    host::install_clock(Rc::new(FixedClock::new(e.created_ns).with_offset(
        LocalOffset {
            utc_offset: e.offset,
            zone: e.zone.clone(),
            is_dst: (e.offset & 1),
        },
    )));
    host::set_identity(Identity {
        thread: Some(e.lineno as i64 * 7919),
        thread_name: Some(Text::from(e.name.clone())),
        process: Some(e.lineno),
        process_name: None,
    });
    host::set_task_name(if e.with_exc {
        Some(Text::from(e.zone.clone()))
    } else {
        None
    });
    let exc = e.with_exc.then(|| {
        Rc::new(
            ExcInfo::new("ValueError", e.name.clone()).with_frames(vec![Frame {
                filename: Text::from(e.pathname.clone()),
                lineno: e.lineno,
                name: Text::from("<module>"),
                line: Some(Text::from(e.zone.clone())),
            }]),
        )
    });
    let mut record = LogRecord::new(
        Text::from(e.name.clone()),
        e.levelno,
        Text::from("LEVEL"),
        Location {
            pathname: Text::from(e.pathname.clone()),
            lineno: e.lineno,
            func_name: Text::from("f"),
        },
        e.msg.clone(),
        e.args.clone(),
        exc,
        e.created_ns,
        e.start_ns,
    );
    record.stack_info = e.stack_info.clone().map(Text::from);
    // Extras that clash with record attributes are refused; that is not a panic either.
    let _ = record.add_extra(&e.extra);
    let mut b = Formatter::builder()
        .style(s.style)
        .validate(s.validate)
        .defaults(s.defaults.clone())
        .converter(if s.utc {
            Converter::Utc
        } else {
            Converter::Local
        });
    if let Some(f) = &s.fmt {
        b = b.fmt(f.clone());
    }
    if let Some(d) = &s.datefmt {
        b = b.datefmt(d.clone());
    }
    if let Ok(formatter) = b.build() {
        let _ = formatter.format(&mut record);
        // Formatting the same record twice (cached exc_text, set message/asctime) is fine too.
        let _ = formatter.format(&mut record);
    }
}

fn config(cases: u32) -> Config {
    Config {
        // PROPTEST_CASES overrides the default count, e.g. for a longer local run.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        // Don't write regression files into the source tree; a failure prints its input.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(768))]

    /// Arbitrary formats, styles, validate, datefmt, messages, arguments and times.
    #[test]
    fn build_and_format_never_panic(s in settings(), e in event()) {
        run(&s, &e);
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// The time path on its own: every time attribute and an arbitrary datefmt, at any
    /// `i64` instant and any host UTC offset, with both converters.
    #[test]
    fn time_fields_never_panic(
        created_ns in created_ns(),
        start_ns in created_ns(),
        offset in utc_offset(),
        datefmt in datefmt_string(),
        utc in any::<bool>(),
        style in prop::sample::select(vec![Style::Percent, Style::Brace, Style::Dollar]),
    ) {
        let fmt = match style {
            Style::Percent => "%(asctime)s %(msecs)03d %(created)f %(relativeCreated).3e %(msecs)s",
            Style::Brace => "{asctime} {msecs:03.0f} {created:.6f} {relativeCreated:e} {created}",
            Style::Dollar => "$asctime ${msecs} ${created} ${relativeCreated}",
        };
        let s = Settings {
            fmt: Some(fmt.to_owned()),
            style,
            validate: true,
            datefmt,
            defaults: Vec::new(),
            utc,
        };
        let e = Event {
            name: "app".into(),
            levelno: 20,
            pathname: "/srv/app.py".into(),
            lineno: 1,
            msg: Value::from("m"),
            args: Vec::new(),
            extra: Vec::new(),
            created_ns,
            start_ns,
            offset,
            zone: "Z".into(),
            with_exc: false,
            stack_info: None,
        };
        run(&s, &e);
    }

    /// `%`-messages with arbitrary arguments (positional, a single mapping, wrong counts).
    #[test]
    fn messages_never_panic(
        msg in format_string(),
        args in prop_oneof![
            3 => prop::collection::vec(value(), 0..5),
            1 => prop::collection::vec(("[a-z]{0,2}", value()), 0..4)
                .prop_map(|kv| vec![Value::dict(kv)]),
        ],
    ) {
        let s = Settings {
            fmt: None,
            style: Style::Percent,
            validate: true,
            datefmt: None,
            defaults: Vec::new(),
            utc: true,
        };
        let e = Event {
            name: "app".into(),
            levelno: 20,
            pathname: "/srv/app.py".into(),
            lineno: 1,
            msg: Value::from(msg),
            args,
            extra: Vec::new(),
            created_ns: 1_700_000_000_000_000_000,
            start_ns: 0,
            offset: 0,
            zone: "UTC".into(),
            with_exc: false,
            stack_info: None,
        };
        run(&s, &e);
    }
}
