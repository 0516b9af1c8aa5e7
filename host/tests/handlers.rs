//! The `handlers` interface through the real component, against CPython 3.13 making the
//! same calls: handlers made from `dictConfig` entries outside a configuration, added,
//! re-levelled, re-formatted, removed and closed by name; filters on loggers and handlers,
//! by name and by factory; `JsonFormatter` and the structured-logging recipe in
//! configurations.

mod common;

use common::{files, instance, python_snippet, temp_dir, Transcript};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::BasicConfigOptions;
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Level;
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
use wasm_logging_host::{Call, Instance, PyValue};

/// CPython's structured-logging formatter (the recipe `wasm_logging.JsonFormatter` is).
const PY_JSON_FORMATTER: &str = r#"
import json
STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
class JsonFormatter(logging.Formatter):
    def __init__(self, keys=("asctime", "name", "levelname", "message"), extra=True,
                 datefmt=None):
        super().__init__(datefmt=datefmt)
        self.keys, self.extra = tuple(keys), extra
    def format(self, record):
        record.message = record.getMessage()
        if "asctime" in self.keys:
            record.asctime = self.formatTime(record, self.datefmt)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        d = {k: getattr(record, k) for k in self.keys}
        if self.extra:
            d.update((k, v) for k, v in record.__dict__.items() if k not in STANDARD)
        if record.exc_text:
            d["exc_info"] = record.exc_text
        if record.stack_info:
            d["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(d)
"#;

fn ok(r: wasmtime::Result<Result<(), impl std::fmt::Debug>>) {
    r.unwrap().unwrap()
}

fn names(i: &mut Instance) -> String {
    let n: Vec<String> = i
        .get_handler_names()
        .unwrap()
        .iter()
        .map(|n| format!("'{n}'"))
        .collect();
    format!("[{}]", n.join(", "))
}

#[test]
fn handlers_made_and_changed_by_name_match_cpython() {
    let dir = temp_dir("by-name");
    let mut i = instance(&dir);
    let mut t = Transcript::default();
    ok(i.create_handler(
        "out",
        r#"{"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "level": "INFO",
            "formatter": {"format": "%(levelname)s:%(name)s:%(message)s"}}"#,
    ));
    i.set_level("h", 10).unwrap();
    i.set_propagate("h", false).unwrap();
    ok(i.add_handler("h", "out"));
    ok(i.add_handler("h", "out"));
    let attached = i.handler_names("h").unwrap();
    t.print(&i, format!("{attached:?}").replace('"', "'"));
    i.log("h", 10, "below the handler's level", &[], &[])
        .unwrap();
    i.log("h", 20, "info", &[], &[]).unwrap();
    ok(i.set_handler_level("out", &Level::Name("WARNING".into())));
    i.log("h", 20, "hidden now", &[], &[]).unwrap();
    i.log("h", 30, "warning", &[], &[]).unwrap();
    ok(i.set_handler_formatter(
        "out",
        Some(r#"{"format": "{levelname} {message} [{name}]", "style": "{"}"#),
    ));
    i.log("h", 40, "brace", &[], &[]).unwrap();
    ok(i.create_handler(
        "file",
        r#"{"class": "logging.FileHandler", "filename": "app.log", "mode": "w",
            "formatter": {"format": "%(levelname)s %(message)s"}}"#,
    ));
    ok(i.add_handler("h", "file"));
    i.log("h", 40, "to both", &[], &[]).unwrap();
    let listed = names(&mut i);
    t.print(&i, listed);
    // A MemoryHandler whose target is a live handler, made outside any configuration.
    ok(i.create_handler(
        "mem",
        r#"{"class": "logging.handlers.MemoryHandler", "capacity": 10, "target": "out"}"#,
    ));
    ok(i.remove_handler("h", "out"));
    ok(i.remove_handler("h", "file"));
    ok(i.add_handler("h", "mem"));
    i.log("h", 30, "buffered 1", &[], &[]).unwrap();
    i.log("h", 30, "buffered 2", &[], &[]).unwrap();
    t.print(&i, "before the flush");
    i.log("h", 40, "flush now", &[], &[]).unwrap();
    ok(i.set_handler_formatter("out", None));
    i.log("h", 50, "default formatter", &[], &[]).unwrap();
    ok(i.close_handler("mem"));
    ok(i.close_handler("file"));
    let listed = names(&mut i);
    t.print(&i, listed);
    let has = i.has_handlers("h").unwrap();
    t.print(&i, common::py_bool(has));
    ok(i.remove_handler("h", "out"));
    let has = i.has_handlers("h").unwrap();
    t.print(&i, common::py_bool(has));
    t.sync(&i);
    let component_files = files(&dir);
    std::fs::remove_file(dir.join("app.log")).unwrap();

    let (py, _) = python_snippet(
        &dir,
        r#"
out = logging.StreamHandler(sys.stdout)
out.name = "out"
out.setLevel("INFO")
out.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
l = logging.getLogger("h")
l.setLevel(10)
l.propagate = False
l.addHandler(out)
l.addHandler(out)
print([h.name for h in l.handlers])
l.log(10, "below the handler's level")
l.log(20, "info")
out.setLevel("WARNING")
l.log(20, "hidden now")
l.log(30, "warning")
out.setFormatter(logging.Formatter("{levelname} {message} [{name}]", style="{"))
l.log(40, "brace")
f = logging.FileHandler("app.log", mode="w")
f.name = "file"
f.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
l.addHandler(f)
l.log(40, "to both")
print(sorted(logging.getHandlerNames()))
mem = logging.handlers.MemoryHandler(10, target=out)
mem.name = "mem"
l.removeHandler(out)
l.removeHandler(f)
l.addHandler(mem)
l.log(30, "buffered 1")
l.log(30, "buffered 2")
print("before the flush")
l.log(40, "flush now")
out.setFormatter(None)
l.log(50, "default formatter")
mem.close()
f.close()
print(sorted(logging.getHandlerNames()))
print(l.hasHandlers())
l.removeHandler(out)
print(l.hasHandlers())
"#,
    );
    assert_eq!(t.out, py);
    assert_eq!(component_files, files(&dir));
    assert!(py.contains("WARNING buffered 1 [h]\nWARNING buffered 2 [h]\nERROR flush now [h]\n"));
}

/// A `QueueHandler` made by name whose listener feeds a live handler (through the stand-in
/// a configuration needs to name it), with `respect_handler_level`, as CPython's
/// `QueueListener(q, out, respect_handler_level=True)` does.
#[test]
fn a_queue_handler_made_by_name_feeds_live_handlers_like_cpythons_listener() {
    let dir = temp_dir("queue");
    let mut i = instance(&dir);
    ok(i.create_handler(
        "out",
        r#"{"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "level": "WARNING",
            "formatter": {"format": "%(threadName)s %(levelname)s %(message)s"}}"#,
    ));
    ok(i.create_handler(
        "q",
        r#"{"class": "logging.handlers.QueueHandler", "handlers": ["out"],
            "respect_handler_level": true}"#,
    ));
    i.set_level("qlog", 10).unwrap();
    ok(i.add_handler("qlog", "q"));
    i.start_handler_listener("q").unwrap().unwrap();
    for (level, msg) in [(10, "debug"), (30, "warning"), (20, "info"), (40, "error")] {
        i.log("qlog", level, msg, &[], &[]).unwrap();
    }
    let delivered = i.stop_handler_listener("q").unwrap().unwrap();
    assert_eq!(delivered, 4);
    let (py, _) = python_snippet(
        &dir,
        r#"
import queue
out = logging.StreamHandler(sys.stdout)
out.setLevel("WARNING")
out.setFormatter(logging.Formatter("%(threadName)s %(levelname)s %(message)s"))
q = queue.Queue()
listener = logging.handlers.QueueListener(q, out, respect_handler_level=True)
l = logging.getLogger("qlog")
l.setLevel(10)
l.addHandler(logging.handlers.QueueHandler(q))
listener.start()
for level, msg in [(10, "debug"), (30, "warning"), (20, "info"), (40, "error")]:
    l.log(level, msg)
listener.stop()
"#,
    );
    assert_eq!(i.captured().stdout, py);
    assert_eq!(py, "MainThread WARNING warning\nMainThread ERROR error\n");
}

#[test]
fn filters_by_name_and_by_factory_on_loggers_and_handlers_match_cpython() {
    let dir = temp_dir("filters");
    let mut i = instance(&dir);
    let options = BasicConfigOptions {
        stream: Some(Stream::Stdout),
        level: Some(Level::Number(10)),
        ..wasm_logging_host::basic_options("root %(name)s %(levelname)s %(message)s")
    };
    i.basic_config(&options).unwrap().unwrap();
    ok(i.create_filter("net", r#"{"name": "f.net"}"#));
    ok(i.create_filter(
        "upto-info",
        r#"{"()": "wasm_logging.max_level", "level": "INFO"}"#,
    ));
    ok(i.add_filter("f.net", "upto-info"));
    ok(i.add_filter("f", "net"));
    for (name, level, msg) in [
        ("f.net", 20, "net info passes"),
        ("f.net", 30, "net warning is above upto-info"),
        ("f", 40, "f itself is not f.net"),
        (
            "f.net.http",
            40,
            "a child's record skips f's and f.net's filters",
        ),
    ] {
        i.log(name, level, msg, &[], &[]).unwrap();
    }
    ok(i.remove_filter("f", "net"));
    i.log("f", 40, "f passes again", &[], &[]).unwrap();
    // A handler with a named filter and an inline factory entry.
    ok(i.create_handler(
        "only-net",
        r#"{"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
            "formatter": {"format": "only-net %(name)s %(message)s"},
            "filters": ["net", {"()": "wasm_logging.min_level", "level": "WARNING"}]}"#,
    ));
    ok(i.add_handler("", "only-net"));
    for (name, level, msg) in [
        ("f.net.db", 30, "both handlers"),
        ("f.net.db", 20, "root handler only (below min_level)"),
        ("g", 40, "root handler only (not f.net)"),
    ] {
        i.log(name, level, msg, &[], &[]).unwrap();
    }
    ok(i.remove_handler_filter("only-net", "net"));
    i.log("g", 40, "both handlers now", &[], &[]).unwrap();
    let e = i.add_filter("g", "nope").unwrap().unwrap_err();
    assert_eq!(
        (e.exception.as_str(), e.message.as_str()),
        ("ValueError", "no filter named 'nope'")
    );

    let (py, _) = python_snippet(
        &dir,
        r#"
logging.basicConfig(stream=sys.stdout, level=10, format="root %(name)s %(levelname)s %(message)s")
class Level(logging.Filter):
    def __init__(self, level, up_to):
        self.level, self.up_to = logging._checkLevel(level), up_to
    def filter(self, r):
        return r.levelno <= self.level if self.up_to else r.levelno >= self.level
net = logging.Filter("f.net")
g = logging.getLogger
g("f.net").addFilter(Level("INFO", True))
g("f").addFilter(net)
g("f.net").log(20, "net info passes")
g("f.net").log(30, "net warning is above upto-info")
g("f").log(40, "f itself is not f.net")
g("f.net.http").log(40, "a child's record skips f's and f.net's filters")
g("f").removeFilter(net)
g("f").log(40, "f passes again")
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter("only-net %(name)s %(message)s"))
h.addFilter(net)
h.addFilter(Level("WARNING", False))
g().addHandler(h)
g("f.net.db").log(30, "both handlers")
g("f.net.db").log(20, "root handler only (below min_level)")
g("g").log(40, "root handler only (not f.net)")
h.removeFilter(net)
g("g").log(40, "both handlers now")
"#,
    );
    assert_eq!(i.captured().stdout, py);
}

#[test]
fn json_formatter_is_reachable_through_dict_config_and_matches_cpython() {
    let dir = temp_dir("json");
    let mut i = instance(&dir);
    let config = |factory: &str| {
        format!(
            r#"{{"version": 1,
                "formatters": {{
                    "json": {{"()": "{factory}", "keys": ["name", "levelname", "message"]}},
                    "full": {{"()": "{factory}", "datefmt": "%H:%M:%S"}}}},
                "handlers": {{
                    "out": {{"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "formatter": "json"}},
                    "file": {{"class": "logging.FileHandler", "filename": "json.log",
                              "mode": "w", "formatter": "full", "level": "ERROR"}}}},
                "root": {{"level": "DEBUG", "handlers": ["out", "file"]}}}}"#
        )
    };
    i.dict_config(&config("wasm_logging.JsonFormatter"))
        .unwrap()
        .unwrap();
    let ctx = PyValue::dict([
        ("ids", PyValue::list([1.into(), 2.into()])),
        ("where", PyValue::tuple(["eu".into(), 3.5.into()])),
        ("none", PyValue::None),
    ]);
    ok(i.log_with(
        "api",
        20,
        &Call::new("user %s")
            .arg("ann")
            .extra("ctx", ctx)
            .extra("n", 7),
    ));
    ok(i.log_with(
        "api",
        40,
        &Call::structured("done", [("ok", true.into()), ("city", "Zürich".into())])
            .extra("request_id", "r-1"),
    ));
    ok(i.log_with(
        "api",
        40,
        &Call::new("boom").exc_info(vec![wasm_logging_host::call::exception(
            "ValueError",
            "bad",
        )]),
    ));
    // A created handler can use it too.
    ok(i.create_handler(
        "made",
        r#"{"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
            "formatter": {"()": "wasm_logging.JsonFormatter", "keys": ["levelname", "message"],
                          "extra": false}}"#,
    ));
    ok(i.add_handler("api", "made"));
    ok(i.log_with("api", 30, &Call::new("twice").extra("hidden", 1)));
    i.flush().unwrap();
    let component_files = files(&dir);
    std::fs::remove_file(dir.join("json.log")).unwrap();

    let (py, _) = python_snippet(
        &dir,
        &format!(
            r#"
import logging.config
{PY_JSON_FORMATTER}
import json as _json
class StructuredMessage:
    def __init__(self, message, /, **kwargs):
        self.message, self.kwargs = message, kwargs
    def __str__(self):
        return "%s >>> %s" % (self.message, _json.dumps(self.kwargs))
logging.config.dictConfig(_json.loads({config:?}))
log = logging.getLogger("api")
log.info("user %s", "ann", extra={{"ctx": {{"ids": [1, 2], "where": ("eu", 3.5), "none": None}}, "n": 7}})
log.error(StructuredMessage("done", ok=True, city="Zürich"), extra={{"request_id": "r-1"}})
try:
    raise ValueError("bad")
except ValueError:
    exc = sys.exc_info()
# The component gets the exception without frames: no traceback, as here.
log.error("boom", exc_info=(exc[0], exc[1], None))
made = logging.StreamHandler(sys.stdout)
made.setFormatter(JsonFormatter(keys=["levelname", "message"], extra=False))
log.addHandler(made)
log.warning("twice", extra={{"hidden": 1}})
logging.shutdown()
"#,
            config = config("__main__.JsonFormatter")
        ),
    );
    assert_eq!(i.captured().stdout, py);
    assert_eq!(component_files, files(&dir));
    assert!(py.starts_with(
        "{\"name\": \"api\", \"levelname\": \"INFO\", \"message\": \"user ann\", \"ctx\": {\"ids\": [1, 2], \"where\": [\"eu\", 3.5], \"none\": null}, \"n\": 7}\n"
    ));
}

#[test]
fn refused_entries_name_their_key_and_make_nothing() {
    let dir = temp_dir("refused");
    let mut i = instance(&dir);
    let cases = [
        (
            r#"{"class": "logging.StreamHandler", "level": "LOUD"}"#,
            "level",
            "Unknown level: 'LOUD'",
        ),
        (
            r#"{"class": "logging.StreamHandler", "formatter": {"format": "%(message)s", "style": "?"}}"#,
            "formatter.style",
            "",
        ),
        (
            r#"{"class": "logging.StreamHandler", "formatter": "named"}"#,
            "formatter",
            "",
        ),
        (
            r#"{"class": "logging.StreamHandler", "filters": ["unknown"]}"#,
            "filters[0]",
            "no filter named 'unknown'",
        ),
        (
            r#"{"class": "logging.handlers.MemoryHandler", "capacity": 2, "target": "ghost"}"#,
            "target",
            "",
        ),
        (r#"{"class": "no.such.Handler"}"#, "class", ""),
        (
            r#"["not", "an", "object"]"#,
            "",
            "a handler entry is a JSON object",
        ),
        (
            r#"{"class": "logging.FileHandler", "filename": "../out.log"}"#,
            "filename",
            "",
        ),
    ];
    for (spec, path, reason) in cases {
        let e = i.create_handler("x", spec).unwrap().unwrap_err();
        assert_eq!(e.path, path, "{spec}: {e:?}");
        assert!(e.reason.contains(reason), "{spec}: {e:?}");
        assert_eq!(i.get_handler_names().unwrap(), Vec::<String>::new());
    }
    ok(i.create_handler("x", r#"{"class": "logging.NullHandler"}"#));
    let e = i
        .create_handler("x", r#"{"class": "logging.NullHandler"}"#)
        .unwrap()
        .unwrap_err();
    assert!(e.reason.contains("exists already"), "{e:?}");
    // A full configuration closes and forgets handlers made by name, as CPython's does.
    i.dict_config(r#"{"version": 1}"#).unwrap().unwrap();
    assert_eq!(i.get_handler_names().unwrap(), Vec::<String>::new());
    let e = i.close_handler("x").unwrap().unwrap_err();
    assert_eq!(e.message, "no handler named 'x'");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}
