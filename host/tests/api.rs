//! The `loggers` interface beyond scalar `log` calls, through the real component, against
//! CPython 3.13 making the same calls: adapters, level names, `disable`, `disabled`,
//! structured arguments and extras, message objects, exception chains, call sites, identity
//! overrides, the start time, and the errors CPython raises into the caller.

mod common;

use common::{instance, py_bool, python_snippet, temp_dir, Transcript, NOW_NS};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::BasicConfigOptions;
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::{
    CallError, Chain, Exception, Frame, IdentityOverride, Level,
};
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
use wasm_logging_host::{Call, Instance, PyValue};

/// `basicConfig(stream=sys.stdout, level=DEBUG, format=fmt)`.
fn configure(i: &mut Instance, fmt: &str) {
    let options = BasicConfigOptions {
        stream: Some(Stream::Stdout),
        level: Some(Level::Number(10)),
        ..wasm_logging_host::basic_options(fmt)
    };
    i.basic_config(&options).unwrap().unwrap();
}

fn fields(items: &[(&str, PyValue)]) -> Vec<(String, PyValue)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn error_line(e: CallError) -> String {
    format!("{} {}", e.exception, e.message)
}

const BIG: &str = "1180591620717411303424"; // 2**70

#[test]
fn adapters_bind_extra_and_merge_it_as_cpython_does() {
    let dir = temp_dir("adapters");
    let mut i = instance(&dir);
    configure(
        &mut i,
        "%(name)s %(levelname)s %(message)s | ctx=%(ctx)r user=%(user)r",
    );
    let mut t = Transcript::default();
    let ctx = PyValue::dict([
        ("ip", "10.0.0.1".into()),
        ("ports", PyValue::list([80.into(), 443.into()])),
    ]);
    let a = i
        .adapter(
            "app",
            &fields(&[("ctx", ctx), ("user", "ann".into())]),
            false,
        )
        .unwrap()
        .unwrap();
    i.adapter_log_with(a, 20, &Call::new("plain %s").arg("arg"))
        .unwrap()
        .unwrap();
    // Without merge_extra the adapter's extra replaces the call's.
    let replaced = Call::new("call extra replaced")
        .extra("user", "bob")
        .extra("ctx", PyValue::None);
    i.adapter_log_with(a, 30, &replaced).unwrap().unwrap();
    let m = i
        .adapter(
            "app",
            &fields(&[
                ("ctx", PyValue::tuple(["t".into(), 1.into()])),
                ("user", "ann".into()),
            ]),
            true,
        )
        .unwrap()
        .unwrap();
    i.adapter_log_with(m, 20, &Call::new("merged").extra("user", "bob"))
        .unwrap()
        .unwrap();
    let outer = i
        .adapt(
            m,
            &fields(&[("ctx", "outer".into()), ("user", "zed".into())]),
            false,
        )
        .unwrap()
        .unwrap();
    i.adapter_log_with(outer, 40, &Call::new("nested %d").arg(3))
        .unwrap()
        .unwrap();
    i.set_level("app", 30).unwrap();
    i.adapter_log_with(m, 20, &Call::new("dropped"))
        .unwrap()
        .unwrap();
    let on = (
        i.adapter_is_enabled_for(m, 20).unwrap(),
        i.adapter_is_enabled_for(m, 30).unwrap(),
    );
    t.print(&i, format!("{} {}", py_bool(on.0), py_bool(on.1)));
    for ad in [a, m, outer] {
        i.drop_adapter(ad).unwrap();
    }

    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10,
                    format="%(name)s %(levelname)s %(message)s | ctx=%(ctx)r user=%(user)r")
log = logging.getLogger("app")
a = logging.LoggerAdapter(log, {"ctx": {"ip": "10.0.0.1", "ports": [80, 443]}, "user": "ann"})
a.info("plain %s", "arg")
a.warning("call extra replaced", extra={"user": "bob", "ctx": None})
m = logging.LoggerAdapter(log, {"ctx": ("t", 1), "user": "ann"}, merge_extra=True)
m.info("merged", extra={"user": "bob"})
outer = logging.LoggerAdapter(m, {"ctx": "outer", "user": "zed"})
outer.error("nested %d", 3)
log.setLevel(30)
m.info("dropped")
print(m.isEnabledFor(20), m.isEnabledFor(30))
"#,
    );
    assert_eq!(t.out, py);
    assert!(py.contains("app INFO merged | ctx=('t', 1) user='bob'\n"));
    assert!(py.contains("app ERROR nested 3 | ctx='outer' user='zed'\n"));
}

#[test]
fn level_names_disable_and_disabled_match_cpython() {
    let dir = temp_dir("levels");
    let mut i = instance(&dir);
    configure(&mut i, "%(levelname)s:%(name)s:%(message)s");
    let mut t = Transcript::default();
    let name = |s: &str| Level::Name(s.to_owned());
    i.add_level_name(25, "NOTICE").unwrap();
    i.set_logger_level("lv", &name("NOTICE")).unwrap().unwrap();
    let level = i.logger_level("lv").unwrap();
    t.print(&i, level);
    i.log_with("lv", 25, &Call::new("notice")).unwrap().unwrap();
    i.log_with("lv", 20, &Call::new("hidden")).unwrap().unwrap();
    let e = i
        .set_logger_level("lv", &name("LOUD"))
        .unwrap()
        .unwrap_err();
    t.print(&i, error_line(e));
    i.disable(&name("NOTICE")).unwrap().unwrap();
    i.log_with("lv", 25, &Call::new("disabled"))
        .unwrap()
        .unwrap();
    i.log_with("lv", 30, &Call::new("warning passes"))
        .unwrap()
        .unwrap();
    let e = i.disable(&name("NOPE")).unwrap().unwrap_err();
    t.print(&i, error_line(e));
    i.log_with("lv", 25, &Call::new("still disabled"))
        .unwrap()
        .unwrap();
    i.disable(&Level::Number(0)).unwrap().unwrap();
    i.log_with("lv", 25, &Call::new("again")).unwrap().unwrap();
    i.set_disabled("lv", true).unwrap();
    i.log_with("lv", 50, &Call::new("disabled logger"))
        .unwrap()
        .unwrap();
    let disabled = i.disabled("lv").unwrap();
    t.print(&i, py_bool(disabled));
    i.set_disabled("lv", false).unwrap();
    i.log_with("lv", 50, &Call::new("enabled again"))
        .unwrap()
        .unwrap();
    let mut mapping = i.get_level_names_mapping().unwrap();
    mapping.sort();
    let shown: Vec<String> = mapping
        .iter()
        .map(|(n, l)| format!("('{n}', {l})"))
        .collect();
    t.print(&i, format!("[{}]", shown.join(", ")));
    let (n25, n26) = (i.level_name(25).unwrap(), i.level_name(26).unwrap());
    t.print(&i, format!("{n25} {n26}"));

    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10, format="%(levelname)s:%(name)s:%(message)s")
logging.addLevelName(25, "NOTICE")
l = logging.getLogger("lv")
l.setLevel("NOTICE")
print(l.level)
l.log(25, "notice")
l.log(20, "hidden")
try:
    l.setLevel("LOUD")
except ValueError as e:
    print("ValueError", e)
logging.disable("NOTICE")
l.log(25, "disabled")
l.log(30, "warning passes")
try:
    logging.disable("NOPE")
except ValueError as e:
    print("ValueError", e)
l.log(25, "still disabled")
logging.disable(0)
l.log(25, "again")
l.disabled = True
l.log(50, "disabled logger")
print(l.disabled)
l.disabled = False
l.log(50, "enabled again")
print(sorted(logging.getLevelNamesMapping().items()))
print(logging.getLevelName(25), logging.getLevelName(26))
"#,
    );
    assert_eq!(t.out, py);
}

#[test]
fn structured_arguments_and_extra_values_format_as_cpython() {
    let dir = temp_dir("values");
    let mut i = instance(&dir);
    configure(&mut i, "%(message)s | %(ctx)r");
    let big = PyValue::BigInt(BIG.to_owned());
    let neg_big = PyValue::BigInt(format!("-{BIG}"));
    let list = PyValue::list([1.into(), 2.5.into(), PyValue::None, true.into()]);
    let tuple = PyValue::tuple(["a".into(), PyValue::tuple(["b".into()])]);
    let nested = PyValue::dict([(
        "k",
        PyValue::list([1.into(), PyValue::dict([("n", PyValue::None)])]),
    )]);
    let odd_keys = PyValue::Dict(vec![
        (1.into(), "x".into()),
        (PyValue::tuple([1.into(), 2.into()]), PyValue::None),
        (PyValue::None, PyValue::Float(f64::INFINITY)),
    ]);
    let calls = [
        Call::new("%s %r %s %s %s")
            .arg(list.clone())
            .arg(tuple.clone())
            .arg(nested.clone())
            .arg(big.clone())
            .arg(odd_keys)
            .extra(
                "ctx",
                PyValue::dict([
                    ("when", PyValue::tuple([1.into(), 2.into()])),
                    ("big", neg_big.clone()),
                ]),
            ),
        Call::new("mapping %(user)s %(ids)s")
            .arg(PyValue::dict([
                ("user", "ann".into()),
                ("ids", PyValue::list([1.into(), 2.into()])),
            ]))
            .extra("ctx", PyValue::list([])),
        Call::new("%.1f %e %s %r")
            .arg(big.clone())
            .arg(neg_big.clone())
            .arg(PyValue::list([big.clone()]))
            .arg(PyValue::tuple([]))
            .extra("ctx", PyValue::tuple([PyValue::tuple([])])),
        Call::value(PyValue::dict([("msg", "is a dict".into())])).extra("ctx", big),
        Call::value(PyValue::list(["%s".into()]))
            .arg("ignored?")
            .extra("ctx", PyValue::Str("q'uote\"s\n".into())),
    ];
    for c in &calls {
        i.log_with("v", 30, c).unwrap().unwrap();
    }
    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10, format="%(message)s | %(ctx)r")
l = logging.getLogger("v")
big = 2**70
l.warning("%s %r %s %s %s", [1, 2.5, None, True], ("a", ("b",)), {"k": [1, {"n": None}]}, big,
          {1: "x", (1, 2): None, None: float("inf")}, extra={"ctx": {"when": (1, 2), "big": -big}})
l.warning("mapping %(user)s %(ids)s", {"user": "ann", "ids": [1, 2]}, extra={"ctx": []})
l.warning("%.1f %e %s %r", big, -big, [big], (), extra={"ctx": ((),)})
l.warning({"msg": "is a dict"}, extra={"ctx": big})
l.warning(["%s"], "ignored?", extra={"ctx": "q'uote\"s\n"})
"#,
    );
    assert_eq!(i.captured().stdout, py);
    assert!(py.contains(&format!("{BIG} {{1: 'x', (1, 2): None, None: inf}}")));
}

#[test]
fn message_objects_render_when_emitted_as_cpython_does() {
    let dir = temp_dir("messages");
    let mut i = instance(&dir);
    configure(&mut i, "%(levelname)s %(message)s");
    let calls = [
        Call::brace(
            "{0} {name!r} {1:>6.2f} {2[0]} {big}",
            ["a".into(), 2.5.into(), PyValue::list(["first".into()])],
            [
                ("name", "x".into()),
                ("big", PyValue::BigInt(BIG.to_owned())),
            ],
        ),
        Call::dollar(
            "$who likes ${what}s and $$",
            [
                ("who", "ann".into()),
                ("what", PyValue::list(["tea".into()])),
            ],
        ),
        Call::structured(
            "done",
            [
                ("ids", PyValue::list([1.into(), 2.into()])),
                ("ok", true.into()),
                ("nested", PyValue::dict([("a", PyValue::None)])),
                ("t", PyValue::tuple([1.into(), "Zürich".into()])),
                ("f", 123.456.into()),
            ],
        ),
    ];
    for c in &calls {
        i.log_with("m", 20, c).unwrap().unwrap();
    }
    // A message that cannot render is a handleError report when emitted, not a call error.
    let before = i.error_count().unwrap();
    i.log_with("m", 20, &Call::brace("{missing}", [], []))
        .unwrap()
        .unwrap();
    assert_eq!(i.error_count().unwrap(), before + 1);
    assert!(i.captured().stderr.contains("KeyError: 'missing'"));

    let (py, _) = python_snippet(
        &dir,
        r#"
import json
from string import Template
class BraceMessage:
    def __init__(self, fmt, /, *args, **kwargs):
        self.fmt, self.args, self.kwargs = fmt, args, kwargs
    def __str__(self):
        return self.fmt.format(*self.args, **self.kwargs)
class DollarMessage:
    def __init__(self, fmt, /, **kwargs):
        self.fmt, self.kwargs = fmt, kwargs
    def __str__(self):
        return Template(self.fmt).substitute(**self.kwargs)
class StructuredMessage:
    def __init__(self, message, /, **kwargs):
        self.message, self.kwargs = message, kwargs
    def __str__(self):
        return "%s >>> %s" % (self.message, json.dumps(self.kwargs))
logging.basicConfig(stream=sys.stdout, level=10, format="%(levelname)s %(message)s")
l = logging.getLogger("m")
l.info(BraceMessage("{0} {name!r} {1:>6.2f} {2[0]} {big}", "a", 2.5, ["first"], name="x", big=2**70))
l.info(DollarMessage("$who likes ${what}s and $$", who="ann", what=["tea"]))
l.info(StructuredMessage("done", ids=[1, 2], ok=True, nested={"a": None}, t=(1, "Zürich"), f=123.456))
"#,
    );
    assert_eq!(i.captured().stdout, py);
}

/// CPython raises, catches and logs a chain of exceptions (a `KeyError` during which a
/// `TypeError`, from which a `ValueError` with a note) and prints the chain's frames as
/// JSON; the component gets those frames and must render the same traceback.
#[test]
fn exception_chains_render_as_cpython_tracebacks() {
    let dir = temp_dir("exceptions");
    let (py_out, py_err) = python_snippet(
        &dir,
        r#"
import json, traceback
logging.basicConfig(stream=sys.stdout, level=10, format="%(levelname)s %(name)s %(message)s")
log = logging.getLogger("exc")
def dump(e):
    chain = []
    while e is not None:
        how = ("cause" if e.__cause__ is not None else
               "context" if e.__context__ is not None and not e.__suppress_context__ else None)
        chain.append({"type": type(e).__name__, "message": str(e),
                      "notes": getattr(e, "__notes__", []), "chained": how,
                      "frames": [[f.filename, f.lineno, f.name, f.line]
                                 for f in traceback.extract_tb(e.__traceback__)]})
        e = e.__cause__ if how == "cause" else e.__context__ if how == "context" else None
    print(json.dumps(chain), file=sys.stderr)
try:
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise TypeError("during")
    except TypeError as e:
        err = ValueError("bad value")
        err.add_note("a note")
        raise err from e
except ValueError as e:
    log.exception("failed %s", 1)
    dump(e)
# Frames without source lines (a file that does not exist), several deep; the whole try
# runs there, so no frame of this script (whose lines 3.13 would underline) is in it.
src = """def inner():
    raise RuntimeError('deep')
def outer():
    inner()
try:
    outer()
except RuntimeError as e:
    log.error("job failed", exc_info=True)
    dump(e)
"""
exec(compile(src, "app/jobs.py", "exec"), {"log": log, "dump": dump})
try:
    raise OSError()
except OSError as e:
    log.critical("no message", exc_info=True)
    dump(e)
"#,
    );
    let mut i = instance(&dir);
    configure(&mut i, "%(levelname)s %(name)s %(message)s");
    let logged = [
        (40, "failed %s", true),
        (40, "job failed", false),
        (50, "no message", false),
    ];
    for ((level, msg, arg), line) in logged.into_iter().zip(py_err.lines()) {
        let chain: serde_json::Value = serde_json::from_str(line).unwrap();
        let exc: Vec<Exception> = chain
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Exception {
                type_name: e["type"].as_str().unwrap().to_owned(),
                message: e["message"].as_str().unwrap().to_owned(),
                notes: e["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap().to_owned())
                    .collect(),
                chained: match e["chained"].as_str() {
                    Some("cause") => Some(Chain::Cause),
                    Some("context") => Some(Chain::Context),
                    _ => None,
                },
                frames: e["frames"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| Frame {
                        filename: f[0].as_str().unwrap().to_owned(),
                        lineno: f[1].as_u64().unwrap() as u32,
                        name: f[2].as_str().unwrap().to_owned(),
                        line: f[3].as_str().filter(|l| !l.is_empty()).map(str::to_owned),
                    })
                    .collect(),
            })
            .collect();
        let mut call = Call::new(msg).exc_info(exc);
        if arg {
            call = call.arg(1);
        }
        i.log_with("exc", level, &call).unwrap().unwrap();
    }
    assert_eq!(i.captured().stdout, py_out);
    assert!(py_out.contains(
        "KeyError: 'k'\n\nDuring handling of the above exception, another exception occurred:\n"
    ));
    assert!(py_out.contains("ValueError: bad value\na note\n"));
    assert!(py_out.contains("  File \"app/jobs.py\", line 4, in outer\n"));
}

#[test]
fn call_sites_identity_overrides_start_time_and_stacks_match_cpython() {
    let dir = temp_dir("sites");
    let mut i = instance(&dir);
    configure(
        &mut i,
        "%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s|%(relativeCreated).3f|\
         %(threadName)s|%(thread)s|%(processName)s|%(process)s|%(taskName)s|%(message)s",
    );
    i.set_start_time(NOW_NS as i64 - 1_500_250_000).unwrap();
    let worker = IdentityOverride {
        thread: Some(140_000_000_001),
        thread_name: Some("worker-1".to_owned()),
        process: Some(77),
        process_name: Some("SpawnProcess-2".to_owned()),
        task_name: Some("Task-3".to_owned()),
    };
    let only_thread = IdentityOverride {
        thread: Some(5),
        thread_name: None,
        process: None,
        process_name: None,
        task_name: None,
    };
    i.log_with(
        "site",
        20,
        &Call::new("located")
            .location("/srv/app/views.tar.py", 42, "handle")
            .identity(only_thread.clone()),
    )
    .unwrap()
    .unwrap();
    i.log_with(
        "site",
        30,
        &Call::new("worker")
            .location("jobs.py", 7, "run")
            .identity(worker),
    )
    .unwrap()
    .unwrap();
    i.log_with(
        "site",
        40,
        &Call::new("nowhere").identity(only_thread.clone()),
    )
    .unwrap()
    .unwrap();
    i.log_with(
        "site",
        20,
        &Call::new("with stack")
            .location("main.py", 3, "<module>")
            .identity(only_thread)
            .stack_info("  File \"main.py\", line 3, in <module>\n    main()\n"),
    )
    .unwrap()
    .unwrap();

    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10, format=
    "%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s|%(relativeCreated).3f|"
    "%(threadName)s|%(thread)s|%(processName)s|%(process)s|%(taskName)s|%(message)s")
logging._startTime = time.time_ns() - 1_500_250_000
l = logging.getLogger("site")
def emit(level, msg, fn="(unknown file)", lno=0, func="(unknown function)", sinfo=None, **ident):
    r = l.makeRecord(l.name, level, fn, lno, msg, (), None, func, None, sinfo)
    r.process = 4242
    for k, v in ident.items():
        setattr(r, k, v)
    l.handle(r)
emit(20, "located", "/srv/app/views.tar.py", 42, "handle", thread=5)
emit(30, "worker", "jobs.py", 7, "run", thread=140000000001, threadName="worker-1", process=77,
     processName="SpawnProcess-2", taskName="Task-3")
emit(40, "nowhere", thread=5)
emit(20, "with stack", "main.py", 3, "<module>", thread=5,
     sinfo='Stack (most recent call last):\n  File "main.py", line 3, in <module>\n    main()')
"#,
    );
    assert_eq!(i.captured().stdout, py);
    assert!(py.starts_with(
        "/srv/app/views.tar.py|views.tar.py|views.tar|42|handle|1500.250|MainThread|5|"
    ));
}

#[test]
fn calls_fail_where_cpython_raises_and_emit_nothing() {
    let dir = temp_dir("raises");
    let mut i = instance(&dir);
    configure(&mut i, "%(levelname)s %(name)s %(message)s");
    let mut t = Transcript::default();
    let clash = Call::new("clash").extra("msg", "overwrite");
    let e = i.log_with("r", 30, &clash).unwrap().unwrap_err();
    t.print(&i, error_line(e));
    // Below the level nothing is made, so nothing is raised.
    i.log_with("r", 5, &clash).unwrap().unwrap();
    let a = i
        .adapter("r", &fields(&[("name", "bound".into())]), false)
        .unwrap()
        .unwrap();
    let e = i
        .adapter_log_with(a, 30, &Call::new("x"))
        .unwrap()
        .unwrap_err();
    t.print(&i, error_line(e));
    i.log_with("r", 30, &Call::new("fine")).unwrap().unwrap();
    t.sync(&i);

    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10, format="%(levelname)s %(name)s %(message)s")
l = logging.getLogger("r")
try:
    l.warning("clash", extra={"msg": "overwrite"})
except KeyError as e:
    print(type(e).__name__, e)
l.log(5, "clash", extra={"msg": "overwrite"})
a = logging.LoggerAdapter(l, {"name": "bound"})
try:
    a.warning("x")
except KeyError as e:
    print(type(e).__name__, e)
l.warning("fine")
"#,
    );
    assert_eq!(t.out, py);

    // The scalar `log` has no error result: the KeyError is reported, nothing is emitted.
    let before = i.captured().stdout.len();
    let extra = [(
        "asctime".to_owned(),
        wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value::Int(1),
    )];
    i.log("r", 30, "scalar clash", &[], &extra).unwrap();
    assert_eq!(i.captured().stdout.len(), before);
    assert!(i.captured().stderr.contains(
        "KeyError: \"Attempt to overwrite 'asctime' in LogRecord\"\nMessage: 'scalar clash'\n"
    ));

    // Malformed calls are ValueErrors naming the part.
    let mut bad = Call::new("x").to_wit();
    bad.args = vec![3];
    let l = i.logger("r").unwrap();
    let loggers = i.exports().clone();
    let e = loggers
        .wasm_logging_logging_loggers()
        .logger()
        .call_log_with(i.store(), l, 30, &bad)
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error_line(e),
        "ValueError args[0]: no value node 3 (the call has 0)"
    );
    let mut cyclic = Call::new("x").arg(PyValue::list([])).to_wit();
    cyclic.values = vec![
        wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::ValueNode::List(
            vec![0],
        ),
    ];
    let e = loggers
        .wasm_logging_logging_loggers()
        .logger()
        .call_log_with(i.store(), l, 30, &cyclic)
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error_line(e),
        "ValueError values[0]: child 0 does not come before its parent (children are listed first)"
    );
    let dangling = Call::new("x").exc_info(vec![Exception {
        chained: Some(Chain::Cause),
        ..wasm_logging_host::call::exception("ValueError", "v")
    }]);
    let e = i.log_with("r", 30, &dangling).unwrap().unwrap_err();
    assert_eq!(
        error_line(e),
        "ValueError exc-info[0].chained: no exception follows it (the list has 1)"
    );
    let bad_int = Call::new("%s").arg(PyValue::BigInt("12x".into()));
    let e = i.log_with("r", 30, &bad_int).unwrap().unwrap_err();
    assert_eq!(error_line(e), "ValueError values[0]: \"12x\" is not an int");
    assert_eq!(i.captured().stdout.len(), before);

    // Formatting errors stay handleError reports, as in CPython: the call succeeds.
    i.log_with("r", 30, &Call::new("bad %d").arg("x"))
        .unwrap()
        .unwrap();
    assert!(i.captured().stderr.ends_with(
        "TypeError: %d format: a real number is required, not str\nMessage: 'bad %d'\nArguments: ('x',)\n"
    ));
}
