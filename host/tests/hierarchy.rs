//! The logging API through the component's WIT exports, against CPython making the same
//! calls: hierarchy and placeholders, levels, propagation, lastResort, `%`-arguments of
//! every WIT value type, `extra`, and `basicConfig` with several handlers.

mod common;

use common::{instance, python_snippet, temp_dir};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::{
    BasicConfigOptions, HandlerKind, HandlerSpec, Level, Style,
};
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;

fn stream_handler(stream: Stream, level: Option<Level>, fmt: Option<(&str, Style)>) -> HandlerSpec {
    HandlerSpec {
        kind: HandlerKind::Stream(stream),
        level,
        format: fmt.map(|(f, _)| f.to_owned()),
        datefmt: None,
        style: fmt.map(|(_, s)| s),
    }
}

fn user(name: &str) -> Vec<(String, Value)> {
    vec![("user".to_owned(), Value::Str(name.to_owned()))]
}

#[test]
fn hierarchy_levels_and_formatting_match_cpython() {
    let dir = temp_dir("hierarchy");
    let mut i = instance(&dir);
    let options = BasicConfigOptions {
        level: Some(Level::Name("INFO".to_owned())),
        format: Some("%(asctime)s %(name)s:%(levelname)s:%(message)s".to_owned()),
        datefmt: Some("%H:%M:%S".to_owned()),
        style: None,
        stream: None,
        filename: None,
        filemode: None,
        handlers: Some(vec![
            stream_handler(Stream::Stdout, None, None),
            stream_handler(
                Stream::Stderr,
                Some(Level::Number(40)),
                Some(("{levelname} {name} user={user}", Style::Brace)),
            ),
        ]),
        force: false,
    };
    i.basic_config(&options).unwrap().unwrap();
    // A second basicConfig without force changes nothing, as in CPython.
    i.basic_config(&wasm_logging_host::basic_options("IGNORED %(message)s"))
        .unwrap()
        .unwrap();

    // a.b.c exists before a: a placeholder, re-linked when a is created.
    i.log("a.b.c", 20, "child first", &[], &[]).unwrap();
    i.set_level("a", 30).unwrap();
    i.log("a.b.c", 20, "below a's WARNING", &[], &[]).unwrap();
    i.log(
        "a.b.c",
        30,
        "%s=%d %s %s %s %r",
        &[
            Value::Str("x".into()),
            Value::Int(5),
            Value::Float(2.5),
            Value::Boolean(true),
            Value::None,
            Value::Str("quoted".into()),
        ],
        &[],
    )
    .unwrap();
    i.set_level("a", 10).unwrap();
    i.log("a.b.c", 10, "debug now enabled", &[], &[]).unwrap();
    i.log("a.b", 25, "custom level", &[], &[]).unwrap();
    i.log(
        "a.b",
        40,
        "error with %s",
        &[Value::Str("extra".into())],
        &user("ann"),
    )
    .unwrap();
    // No handler on the way up: lastResort (WARNING+, bare message, stderr).
    i.set_propagate("a.b", false).unwrap();
    i.log("a.b.c", 30, "to lastResort", &[], &[]).unwrap();
    i.log("a.b.c", 20, "lastResort ignores INFO", &[], &[])
        .unwrap();
    i.set_propagate("a.b", true).unwrap();
    i.log("", 50, "root critical", &[], &user("bob")).unwrap();
    let mut levels = String::new();
    for name in ["a.b.c", "a.b", "a", "other", ""] {
        let eff = i.get_effective_level(name).unwrap();
        let on = i.is_enabled_for(name, 15).unwrap();
        let on = if on { "True" } else { "False" };
        levels.push_str(&format!("'{name}' {eff} {on}\n"));
    }
    let got = i.captured();

    let (py_out, py_err) = python_snippet(
        &dir,
        r#"
logging.basicConfig(level="INFO", format="%(asctime)s %(name)s:%(levelname)s:%(message)s",
                    datefmt="%H:%M:%S",
                    handlers=[logging.StreamHandler(sys.stdout), logging.StreamHandler(sys.stderr)])
h = logging.getLogger().handlers[1]
h.setLevel(40)
h.setFormatter(logging.Formatter("{levelname} {name} user={user}", style="{"))
logging.basicConfig(format="IGNORED %(message)s")
g = logging.getLogger
g("a.b.c").log(20, "child first")
g("a").setLevel(30)
g("a.b.c").log(20, "below a's WARNING")
g("a.b.c").log(30, "%s=%d %s %s %s %r", "x", 5, 2.5, True, None, "quoted")
g("a").setLevel(10)
g("a.b.c").log(10, "debug now enabled")
g("a.b").log(25, "custom level")
g("a.b").log(40, "error with %s", "extra", extra={"user": "ann"})
g("a.b").propagate = False
g("a.b.c").log(30, "to lastResort")
g("a.b.c").log(20, "lastResort ignores INFO")
g("a.b").propagate = True
g("").log(50, "root critical", extra={"user": "bob"})
for name in ["a.b.c", "a.b", "a", "other", ""]:
    l = g(name)
    print(repr(name), l.getEffectiveLevel(), l.isEnabledFor(15), file=sys.stderr)
"#,
    );
    assert_eq!(got.stdout, py_out);
    assert_eq!(format!("{}{levels}", got.stderr), py_err);
    // What CPython defines, spelled out once.
    assert!(py_out.contains("22:13:20 a.b.c:WARNING:x=5 2.5 True None 'quoted'\n"));
    assert!(py_out.contains("22:13:20 a.b:Level 25:custom level\n"));
    assert!(py_err.starts_with("ERROR a.b user=ann\nto lastResort\nCRITICAL root user=bob\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `logger.log-many`: one call, each entry handled as its own `log` call would be (level
/// check, `%`-arguments, `extra`), in order.
#[test]
fn log_many_is_log_for_each_entry_in_order() {
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::LogEntry;
    let dir = temp_dir("log-many");
    let mut one = instance(&dir);
    let mut many = instance(&dir);
    let fmt = "%(name)s %(levelname)s %(message)s %(user)s";
    for i in [&mut one, &mut many] {
        let mut o = wasm_logging_host::basic_options(fmt);
        o.level = Some(Level::Number(20));
        i.basic_config(&o).unwrap().unwrap();
    }
    let entries: Vec<LogEntry> = (0..5)
        .map(|n| LogEntry {
            level: [10, 20, 30, 40, 20][n],
            msg: "entry %d of %s".to_owned(),
            args: vec![Value::Int(n as i64), Value::Str("five".into())],
            extra: user(&format!("u{n}")),
        })
        .collect();
    for e in &entries {
        one.log("batch", e.level, &e.msg, &e.args, &e.extra)
            .unwrap();
    }
    many.log_many("batch", &entries).unwrap();
    let (a, b) = (one.captured(), many.captured());
    assert_eq!(a.stderr, b.stderr);
    assert_eq!(
        b.stderr,
        "batch INFO entry 1 of five u1\nbatch WARNING entry 2 of five u2\nbatch ERROR entry 3 of five u3\nbatch INFO entry 4 of five u4\n"
    );
}
