//! `dictConfig` / `basicConfig`: the cookbook's configurations run unchanged and print what
//! CPython 3.13 prints for the same calls; invalid configurations are refused with a path and
//! change nothing.

mod common;

use std::rc::Rc;

use common::python_exe;
use wasm_logging::core::config::{
    basic_config_with, dict_config_with, json::parse_json, register_factory, BasicConfig, Built,
    ConfigEnv, FactoryKind, Kwargs,
};
use wasm_logging::core::handler::{get_handler_by_name, get_handler_names};
use wasm_logging::core::handlers::QueueHandler;
use wasm_logging::{
    filter_fn, host, ConsoleSink, FnHandler, Handler, LogRecord, Manager, MemoryConsole,
    NullHandler, StorageSink, Stream, Value,
};

const NOW_NS: i64 = 1_700_000_000_123_456_789;

/// Runs `calls` (Python statements using `logging`) after `dictConfig(json.loads(CONFIG))`
/// in CPython, with the fixed clock and the factories the seeds name, and returns
/// (stdout, stderr).
fn python_run(config_json: &str, calls: &str) -> (String, String) {
    let factories = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dictconfig/seed_factories.py"
    );
    let script = format!(
        r#"
import io, json, logging, logging.config, logging.handlers, sys, time, types
time.time_ns = lambda: {NOW_NS}
logging._startTime = {NOW_NS}

exec(compile(open({factories:?}).read(), {factories:?}, 'exec'))

CONFIG = {config_json:?}
logging.config.dictConfig(json.loads(CONFIG))
{calls}
"#
    );
    let out = std::process::Command::new(python_exe())
        .arg("-c")
        .arg(&script)
        .env("TZ", "UTC")
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The same factories, registered for the core.
fn register_seed_factories(console: Rc<MemoryConsole>) {
    register_factory(
        "__main__.filter_maker",
        Rc::new(|kind, kwargs: &[(wasm_logging::Text, Value)]| {
            assert_eq!(kind, FactoryKind::Filter);
            let mut kw = Kwargs::new(kwargs.to_vec());
            let level = kw.take_level("level").map_err(|(_, m)| m)?.ok_or("level")?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                r.levelno <= level
            })))
        }),
    );
    register_factory(
        "project.logging.SpecialFilter",
        Rc::new(|_kind, kwargs: &[(wasm_logging::Text, Value)]| {
            let mut kw = Kwargs::new(kwargs.to_vec());
            let foo_arg = kw.take_str("foo").map_err(|(_, m)| m)?.unwrap_or_default();
            kw.finish("SpecialFilter()").map_err(|(_, m)| m)?;
            Ok(Built::Filter(filter_fn(move |r: &mut LogRecord| {
                r.set_attr("special", Value::Str(foo_arg.clone())).is_ok()
            })))
        }),
    );
    let c = console.clone();
    register_factory(
        "django.utils.log.AdminEmailHandler",
        Rc::new(move |_kind, _kwargs: &[(wasm_logging::Text, Value)]| {
            let c = c.clone();
            Ok(Built::Handler(Rc::new(FnHandler::new(
                move |text: &str, _r: &LogRecord| {
                    c.write(Stream::Stdout, &format!("EMAIL: {text}\n"), None)
                },
            ))))
        }),
    );
    register_factory(
        "django.utils.log.NullHandler",
        Rc::new(|_k, _kw: &[(wasm_logging::Text, Value)]| {
            Ok(Built::Handler(Rc::new(NullHandler::new())))
        }),
    );
    register_factory(
        "myapp.owned_file_handler",
        Rc::new(|_k, kwargs: &[(wasm_logging::Text, Value)]| {
            let mut kw = Kwargs::new(kwargs.to_vec());
            let filename = kw
                .take_str("filename")
                .map_err(|(_, m)| m)?
                .unwrap_or_default();
            let _mode = kw.take_str("mode").map_err(|(_, m)| m)?;
            let owner = kw.take("owner").unwrap_or(Value::None);
            kw.finish("owned_file_handler()").map_err(|(_, m)| m)?;
            let h = wasm_logging::ConsoleHandler::new(Stream::Stdout);
            let owner = owner.to_py_str().map_err(|e| e.to_string())?;
            h.core().set_formatter(Some(Rc::new(
                wasm_logging::Formatter::new(format!("OWNED[{filename}:{owner}] %(message)s"))
                    .map_err(|e| e.to_string())?,
            )));
            Ok(Built::Handler(Rc::new(h)))
        }),
    );
}

/// Runs the config and the calls through the core; `calls` gets the manager.
fn rust_run(config_json: &str, calls: impl FnOnce(&Manager)) -> (String, String) {
    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    host::install_clock(Rc::new(host::FixedClock::new(NOW_NS)));
    register_seed_factories(console.clone());
    let m = Manager::new();
    let config = parse_json(config_json).expect("valid JSON");
    dict_config_with(&m, &ConfigEnv::default(), &config).expect("the configuration is accepted");
    calls(&m);
    // Python runs logging.shutdown() at exit: flush and close every handler.
    m.shutdown();
    (console.text(Stream::Stdout), console.text(Stream::Stderr))
}

/// Recipe 5's configuration without its file handler (file handlers are tested with the
/// storage hosts): stdout gets WARNING and below through the `filter_maker` factory,
/// stderr gets ERROR and above.
const RECIPE_5: &str = include_str!("fixtures/dictconfig/recipe_5_console.json");

#[test]
fn recipe_5_custom_level_handling_matches_cpython() {
    let py = python_run(
        RECIPE_5,
        "for f in (logging.debug, logging.info, logging.warning, logging.error, logging.critical):\n    f(f.__name__ + ' message')",
    );
    let ours = rust_run(RECIPE_5, |m| {
        let r = m.root();
        r.debug("debug message", ());
        r.info("info message", ());
        r.warning("warning message", ());
        r.error("error message", ());
        r.critical("critical message", ());
    });
    assert_eq!(ours, py);
    assert_eq!(
        py.0,
        "INFO     - info message\nWARNING  - warning message\n"
    );
}

/// The Django example from the cookbook (the `{`-style variant), with its factories
/// registered: `django.request` goes to the e-mail handler only, `myproject.custom` to both.
const DJANGO: &str = include_str!("fixtures/dictconfig/django.json");

#[test]
fn django_example_with_registered_factories_matches_cpython() {
    let calls_py = r#"
logging.getLogger('django').info('django info')
logging.getLogger('django').debug('django debug (dropped: WARNING from root)')
logging.getLogger('django.request').error('request failed %d', 500)
logging.getLogger('django.request').warning('dropped: below ERROR')
logging.getLogger('myproject.custom').info('custom info')
logging.getLogger('myproject.custom').error('custom error')
print(sorted(logging.getHandlerNames()))
"#;
    let py = python_run(DJANGO, calls_py);
    let ours = rust_run(DJANGO, |m| {
        m.get_logger("django").info("django info", ());
        m.get_logger("django")
            .debug("django debug (dropped: WARNING from root)", ());
        m.get_logger("django.request")
            .error("request failed %d", (500,));
        m.get_logger("django.request")
            .warning("dropped: below ERROR", ());
        m.get_logger("myproject.custom").info("custom info", ());
        m.get_logger("myproject.custom").error("custom error", ());
        let names = get_handler_names();
        host::console()
            .write(
                Stream::Stdout,
                &format!("['{}']\n", names.join("', '")),
                None,
            )
            .unwrap();
    });
    assert_eq!(ours, py);
    assert!(py.0.contains("EMAIL: custom error\n"));
}

/// Recipe 23: a handler built by a user factory named in `()`, with keyword arguments.
const RECIPE_23: &str = include_str!("fixtures/dictconfig/recipe_23.json");

#[test]
fn recipe_23_handler_factory_with_kwargs_matches_cpython() {
    // CPython passes the JSON list as a list: `owner=['pulse', 'pulse']`.
    let py = python_run(
        RECIPE_23,
        "logging.getLogger('mylogger').debug('A debug message')",
    );
    let ours = rust_run(RECIPE_23, |m| {
        m.get_logger("mylogger").debug("A debug message", ())
    });
    assert_eq!(ours, py);
    assert!(py
        .0
        .starts_with("OWNED[chowntest.log:['pulse', 'pulse']] A debug message\n"));
}

/// A MemoryHandler whose target is another handler (CPython's deferred second pass: the
/// names sort so that the memory handler is configured before its target).
const MEMORY_TARGET: &str = include_str!("fixtures/dictconfig/memory_target.json");

#[test]
fn memory_handler_target_is_resolved_in_a_second_pass_like_cpython() {
    let calls = |debug: &dyn Fn(&str)| {
        debug("one");
        debug("two");
    };
    let _ = calls;
    let py = python_run(
        MEMORY_TARGET,
        "a = logging.getLogger('app')\na.debug('one')\na.debug('two')\nprint('-- buffered --')\na.error('boom')\na.info('after')",
    );
    let ours = rust_run(MEMORY_TARGET, |m| {
        let a = m.get_logger("app");
        a.debug("one", ());
        a.debug("two", ());
        host::console()
            .write(Stream::Stdout, "-- buffered --\n", None)
            .unwrap();
        a.error("boom", ());
        a.info("after", ());
    });
    assert_eq!(ours, py);
}

/// The 3.12 QueueHandler configuration: `handlers` names the listener's handlers.
const QUEUE: &str = include_str!("fixtures/dictconfig/queue_handler.json");

#[test]
fn queue_handler_configuration_matches_cpython() {
    let py = python_run(
        QUEUE,
        "qh = logging.getHandlerByName('qh')\nqh.listener.start()\nlogging.debug('not for console')\nlogging.info('queued %s', 'info')\nlogging.warning('queued warning')\nqh.listener.stop()",
    );
    let ours = rust_run(QUEUE, |m| {
        let qh = get_handler_by_name("qh").expect("named handler");
        let r = m.root();
        r.debug("not for console", ());
        r.info("queued %s", ("info",));
        r.warning("queued warning", ());
        let qh = qh
            .as_any()
            .and_then(|a| a.downcast_ref::<QueueHandler>())
            .expect("a QueueHandler");
        // The caller only enqueued: all three records wait in the queue.
        assert_eq!(qh.queue().len(), 3);
        let listener = qh.listener().expect("dictConfig sets handler.listener");
        listener.start();
        assert_eq!(wasm_logging::core::handlers::queue::pump(), 3);
        listener.stop();
    });
    assert_eq!(ours, py);
}

#[test]
fn incremental_configuration_changes_levels_only() {
    let (out, _) = rust_run(RECIPE_5, |m| {
        let inc = parse_json(
            r#"{"version": 1, "incremental": true,
                "handlers": {"stdout": {"level": "WARNING"}},
                "root": {"level": "INFO"}}"#,
        )
        .unwrap();
        dict_config_with(m, &ConfigEnv::default(), &inc).unwrap();
        m.root().info("info now dropped by the stdout handler", ());
        m.root().warning("warning still shown", ());
        let bad = parse_json(
            r#"{"version": 1, "incremental": true, "handlers": {"nope": {"level": "INFO"}}}"#,
        )
        .unwrap();
        let err = dict_config_with(m, &ConfigEnv::default(), &bad).unwrap_err();
        assert_eq!(err.message(), "No handler found with name 'nope'");
    });
    assert_eq!(out, "WARNING  - warning still shown\n");
}

#[test]
fn disable_existing_loggers_disables_unnamed_but_not_children_of_named() {
    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    let m = Manager::new();
    let old = m.get_logger("old");
    let child = m.get_logger("kept.child");
    child.set_level(wasm_logging::ERROR).unwrap();
    let cfg = parse_json(
        r#"{"version": 1,
            "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
            "loggers": {"kept": {"level": "INFO", "handlers": ["h"]}}}"#,
    )
    .unwrap();
    dict_config_with(&m, &ConfigEnv::default(), &cfg).unwrap();
    assert!(old.disabled());
    assert!(!child.disabled());
    assert_eq!(
        child.level(),
        wasm_logging::NOTSET,
        "children of named loggers are reset"
    );
    child.info("child info", ());
    old.error("disabled", ());
    assert_eq!(console.text(Stream::Stdout), "child info\n");
}

#[test]
fn basic_config_matches_cpython_and_is_a_no_op_when_root_has_handlers() {
    let script = r#"
import logging, time
time.time_ns = lambda: 1_700_000_000_123_456_789
logging._startTime = 1_700_000_000_123_456_789
logging.basicConfig(level='INFO', format='{asctime} {levelname:>8} {name}: {message}', style='{', datefmt='%H:%M:%S')
logging.basicConfig(level='ERROR', format='ignored')
logging.getLogger('a.b').info('hello %s', 'world')
logging.getLogger('a.b').debug('dropped')
"#;
    let out = std::process::Command::new(python_exe())
        .arg("-c")
        .arg(script)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let py_err = String::from_utf8_lossy(&out.stderr).into_owned();

    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    host::install_clock(Rc::new(host::FixedClock::new(NOW_NS)));
    let m = Manager::new();
    let opts = |json: &str| BasicConfig::from_value(&parse_json(json).unwrap()).unwrap();
    basic_config_with(
        &m,
        &ConfigEnv::default(),
        opts(r#"{"level": "INFO", "format": "{asctime} {levelname:>8} {name}: {message}", "style": "{", "datefmt": "%H:%M:%S"}"#),
    )
    .unwrap();
    basic_config_with(
        &m,
        &ConfigEnv::default(),
        opts(r#"{"level": "ERROR", "format": "ignored"}"#),
    )
    .unwrap();
    m.get_logger("a.b").info("hello %s", ("world",));
    m.get_logger("a.b").debug("dropped", ());
    assert_eq!(console.text(Stream::Stderr), py_err);
    assert_eq!(py_err, "22:13:20     INFO a.b: hello world\n");

    let err = BasicConfig::from_value(&parse_json(r#"{"levle": "INFO"}"#).unwrap()).unwrap_err();
    assert_eq!(err.message(), "Unrecognised argument(s): levle");
    let err = basic_config_with(
        &m,
        &ConfigEnv::default(),
        BasicConfig {
            force: true,
            style: Some("#".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.message(), "Style must be one of: %,{,$");
    assert_eq!(
        m.root().handlers().len(),
        1,
        "a failed forced basicConfig changes nothing"
    );
}

/// Invalid configurations: each is refused with the expected path and message, and the
/// running configuration is exactly as before.
#[test]
fn invalid_configurations_are_refused_with_a_path_and_change_nothing() {
    let cases: &[(&str, &str, &str)] = &[
        (r#"[]"#, "", "the configuration: expected an object, got []"),
        (r#"{}"#, "version", "dictionary doesn't specify a version"),
        (r#"{"version": 2}"#, "version", "Unsupported version: 2"),
        (r#"{"version": "1"}"#, "version", "Unsupported version: 1"),
        (
            r#"{"version": 1, "incremental": "yes"}"#,
            "incremental",
            "incremental: expected a boolean, got \"yes\"",
        ),
        (
            r#"{"version": 1, "disable_existing_loggers": 0}"#,
            "disable_existing_loggers",
            "expected a boolean, got 0",
        ),
        (
            r#"{"version": 1, "formatters": []}"#,
            "formatters",
            "formatters: expected an object, got []",
        ),
        (
            r#"{"version": 1, "formatters": {"f": "x"}}"#,
            "formatters.f",
            "Unable to configure formatter 'f': expected an object, got \"x\"",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"format": "%(x)z"}}}"#,
            "formatters.f.format",
            "Invalid format '%(x)z' for '%' style",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"format": "{x!z}", "style": "{"}}}"#,
            "formatters.f.format",
            "invalid format",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"format": "$", "style": "$"}}}"#,
            "formatters.f.format",
            "invalid format: bare '$' not allowed",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"format": "no fields", "style": "{"}}}"#,
            "formatters.f.format",
            "invalid format: no fields",
        ),
        (
            r##"{"version": 1, "formatters": {"f": {"style": "#"}}}"##,
            "formatters.f.style",
            "Style must be one of: %,{,$",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"format": 5}}}"#,
            "formatters.f.format",
            "format: expected a string, got 5",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"validate": "no"}}}"#,
            "formatters.f.validate",
            "expected a boolean",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"defaults": [1]}}}"#,
            "formatters.f.defaults",
            "expected an object",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"()": "logging.Formatter", "fromat": "%(message)s"}}}"#,
            "formatters.f.fromat",
            "unexpected keyword argument 'fromat'",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"class": "my.Formatter"}}}"#,
            "formatters.f.class",
            "Cannot resolve 'my.Formatter'",
        ),
        (
            r#"{"version": 1, "formatters": {"f": {"()": "nope.factory"}}}"#,
            "formatters.f.()",
            "Cannot resolve 'nope.factory'",
        ),
        (
            r#"{"version": 1, "filters": {"x": {"name": 3}}}"#,
            "filters.x.name",
            "expected a string, got 3",
        ),
        (
            r#"{"version": 1, "filters": {"x": {"()": "no.such.factory"}}}"#,
            "filters.x.()",
            "Cannot resolve 'no.such.factory'",
        ),
        (
            r#"{"version": 1, "filters": {"x": {"()": "wasm_logging.max_level"}}}"#,
            "filters.x",
            "missing required argument 'level'",
        ),
        (
            r#"{"version": 1, "filters": {"x": {"()": "wasm_logging.max_level", "level": "LOUD"}}}"#,
            "filters.x",
            "Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {}}}"#,
            "handlers.h.class",
            "a handler needs 'class' or '()'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.Nope"}}}"#,
            "handlers.h.class",
            "Cannot resolve 'logging.Nope'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.handlers.SMTPHandler", "mailhost": "x", "fromaddr": "a", "toaddrs": [], "subject": "s"}}}"#,
            "handlers.h.class",
            "'logging.handlers.SMTPHandler' has no equivalent in wasm-logging yet",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.handlers.HTTPHandler"}}}"#,
            "handlers.h.host",
            "missing required argument 'host'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.handlers.SysLogHandler"}}}"#,
            "handlers.h.address",
            "needs network connections, and this host provides none",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "level": "LOUD"}}}"#,
            "handlers.h.level",
            "Unable to configure handler 'h': level: Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "level": [1]}}}"#,
            "handlers.h.level",
            "Level not an integer or a valid string: [1]",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "nope"}}}"#,
            "handlers.h.formatter",
            "Unable to set formatter 'nope'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "filters": ["nope"]}}}"#,
            "handlers.h.filters[0]",
            "Unable to add filter 'nope'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "filters": "f"}}}"#,
            "handlers.h.filters",
            "expected a list of names",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stdin"}}}"#,
            "handlers.h.stream",
            "expected \"ext://sys.stdout\" or \"ext://sys.stderr\"",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "colour": "red"}}}"#,
            "handlers.h.colour",
            "StreamHandler() got an unexpected keyword argument 'colour'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", ".": {"nope": 1}}}}"#,
            "handlers.h..nope",
            "no settable attribute 'nope'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", ".": {"terminator": 1}}}}"#,
            "handlers.h..terminator",
            "expected a string",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.NullHandler", "x": 1}}}"#,
            "handlers.h.x",
            "unexpected keyword argument 'x'",
        ),
        (
            r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler"}}}"#,
            "handlers.m.capacity",
            "missing required argument 'capacity'",
        ),
        (
            r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": "abc"}}}"#,
            "handlers.m.capacity",
            "Unable to configure handler 'm': capacity: expected an integer, got \"abc\"",
        ),
        (
            r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": -1}}}"#,
            "handlers.m.capacity",
            "expected a non-negative integer",
        ),
        (
            r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "flushLevel": "HUGE"}}}"#,
            "handlers.m.flushLevel",
            "Unknown level: 'HUGE'",
        ),
        (
            r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "nope"}}}"#,
            "handlers.m.target",
            "Unable to set target handler 'nope'",
        ),
        (
            r#"{"version": 1, "handlers": {"a": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "b"}, "b": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "a"}}}"#,
            "handlers.a",
            "form a cycle",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "handlers": ["q"]}}}"#,
            "handlers.q",
            "form a cycle",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "handlers": ["missing"]}}}"#,
            "handlers.q.handlers",
            "Unable to set required handler 'missing'",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "queue": 5}}}"#,
            "handlers.q.queue",
            "Invalid queue specifier 5",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "queue": "my.q"}}}"#,
            "handlers.q.queue",
            "no queue is registered under that name",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "listener": "my.Listener"}}}"#,
            "handlers.q.listener",
            "Invalid listener specifier \"my.Listener\"",
        ),
        (
            r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "respect_handler_level": "yes"}}}"#,
            "handlers.q.respect_handler_level",
            "expected a boolean",
        ),
        (
            r#"{"version": 1, "loggers": {"a": {"level": "LOUD"}}}"#,
            "loggers.a.level",
            "Unable to configure logger 'a': level: Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "loggers": {"a": {"handlers": ["nope"]}}}"#,
            "loggers.a.handlers[0]",
            "Unable to add handler 'nope'",
        ),
        (
            r#"{"version": 1, "loggers": {"a": {"filters": ["nope"]}}}"#,
            "loggers.a.filters[0]",
            "Unable to add filter 'nope'",
        ),
        (
            r#"{"version": 1, "loggers": {"a": {"propagate": "no"}}}"#,
            "loggers.a.propagate",
            "propagate: expected a boolean, got \"no\"",
        ),
        (
            r#"{"version": 1, "loggers": {"a": []}}"#,
            "loggers.a",
            "expected an object",
        ),
        (
            r#"{"version": 1, "root": {"level": "NOPE"}}"#,
            "root.level",
            "Unable to configure root logger: level: Unknown level: 'NOPE'",
        ),
        (
            r#"{"version": 1, "root": {"handlers": ["h"]}}"#,
            "root.handlers[0]",
            "Unable to add handler 'h'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "cfg://nowhere.x"}}}"#,
            "handlers.h.class",
            "cfg://nowhere.x: no key 'nowhere'",
        ),
        (
            r#"{"version": 1, "a": "cfg://b", "b": "cfg://a", "handlers": {"h": {"class": "cfg://a"}}}"#,
            "handlers.h.class",
            "nest more than",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "level": "cfg://levels[3]"}}, "levels": ["INFO"]}"#,
            "handlers.h.level",
            "index 3 out of range",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": 7}}}"#,
            "handlers.h.class",
            "expected a class name, got 7",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}}, "formatters": {"f": {"format": "%(message)s"}}, "loggers": {"x": {"handlers": ["h", "zz"]}}}"#,
            "loggers.x.handlers[1]",
            "Unable to add handler 'zz'",
        ),
    ];
    assert!(cases.len() >= 50, "at least 50 invalid configurations");

    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    let m = Manager::new();
    let good = parse_json(
        r#"{"version": 1,
            "formatters": {"f": {"format": "%(name)s %(levelname)s %(message)s"}},
            "handlers": {"out": {"class": "logging.StreamHandler", "formatter": "f", "stream": "ext://sys.stdout"}},
            "loggers": {"app": {"level": "INFO", "handlers": ["out"], "propagate": false}},
            "root": {"level": "ERROR"}}"#,
    )
    .unwrap();
    dict_config_with(&m, &ConfigEnv::default(), &good).unwrap();
    let probe = |m: &Manager| {
        console.clear();
        m.get_logger("app").info("probe %d", (1,));
        m.get_logger("app").debug("hidden", ());
        m.get_logger("other")
            .warning("to lastResort? no: root has no handler → lastResort", ());
        (
            console.text(Stream::Stdout),
            console.text(Stream::Stderr),
            get_handler_names(),
            m.root().level(),
            m.get_logger("app").level(),
        )
    };
    let before = probe(&m);
    assert_eq!(before.0, "app INFO probe 1\n");
    for (json, path, msg) in cases {
        let cfg = parse_json(json).unwrap_or_else(|e| panic!("case is not JSON: {json}: {e}"));
        let err = dict_config_with(&m, &ConfigEnv::default(), &cfg)
            .expect_err(&format!("accepted an invalid configuration: {json}"));
        assert_eq!(err.path(), *path, "path for {json}: {err}");
        assert!(
            err.message().contains(msg),
            "message for {json}:\n  got:  {err}\n  want: …{msg}…"
        );
        assert_eq!(
            probe(&m),
            before,
            "{json} changed the running configuration"
        );
    }
}

/// Runs a Python script in a fresh temporary directory (for the logs its FileHandlers
/// write) and returns stdout, stderr and the named files' contents.
fn python_in_tmp(script: &str, files: &[&str]) -> (String, String, Vec<String>) {
    let dir = std::env::temp_dir().join(format!(
        "wasm-logging-dictconfig-{}-{}",
        std::process::id(),
        NOW_NS ^ script.len() as i64
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(python_exe())
        .arg("-c")
        .arg(script)
        .current_dir(&dir)
        .env("TZ", "UTC")
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let contents = files
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        contents,
    )
}

/// Recipe 5 exactly as the cookbook has it, file handler included.
const RECIPE_5_FULL: &str = include_str!("fixtures/dictconfig/recipe_5.json");

#[test]
fn recipe_5_with_its_file_handler_matches_cpython_files_and_streams() {
    let script = format!(
        r#"
import json, logging, logging.config
def filter_maker(level):
    level = getattr(logging, level)
    def filter(record):
        return record.levelno <= level
    return filter
logging.config.dictConfig(json.loads({RECIPE_5_FULL:?}))
logging.debug('A DEBUG message')
logging.info('An INFO message')
logging.warning('A WARNING message')
logging.error('An ERROR message')
logging.critical('A CRITICAL message')
"#
    );
    let (py_out, py_err, py_files) = python_in_tmp(&script, &["app.log"]);

    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    register_seed_factories(console.clone());
    let storage = Rc::new(wasm_logging::MemoryStorage::new());
    // A stale log that mode 'w' must empty.
    storage.append("app.log", b"stale line\n").unwrap();
    let env = ConfigEnv {
        storage: Some(storage.clone()),
        ..ConfigEnv::default()
    };
    let m = Manager::new();
    dict_config_with(&m, &env, &parse_json(RECIPE_5_FULL).unwrap()).unwrap();
    let r = m.root();
    r.debug("A DEBUG message", ());
    r.info("An INFO message", ());
    r.warning("A WARNING message", ());
    r.error("An ERROR message", ());
    r.critical("A CRITICAL message", ());
    m.shutdown();
    let app_log = String::from_utf8(storage.read("app.log").unwrap().unwrap()).unwrap();
    assert_eq!(console.text(Stream::Stdout), py_out);
    assert_eq!(console.text(Stream::Stderr), py_err);
    assert_eq!(app_log, py_files[0]);
    assert!(app_log.starts_with("DEBUG    - A DEBUG message\n"));
}

#[test]
fn file_handler_without_host_storage_is_refused_and_touches_nothing() {
    register_seed_factories(Rc::new(MemoryConsole::new()));
    let m = Manager::new();
    let err = dict_config_with(
        &m,
        &ConfigEnv::default(),
        &parse_json(RECIPE_5_FULL).unwrap(),
    )
    .unwrap_err();
    assert_eq!(err.path(), "handlers.file.filename");
    assert!(
        err.message().contains("this host provides no storage"),
        "{err}"
    );
    // With storage, a configuration refused later (a bad logger level) creates no log.
    let storage = Rc::new(wasm_logging::MemoryStorage::new());
    let env = ConfigEnv {
        storage: Some(storage.clone()),
        ..ConfigEnv::default()
    };
    let bad = RECIPE_5_FULL.replace(r#""level": "DEBUG""#, r#""level": "LOUD""#);
    let err = dict_config_with(&m, &env, &parse_json(&bad).unwrap()).unwrap_err();
    assert_eq!(err.path(), "root.level");
    assert!(
        storage.names().is_empty(),
        "a refused configuration opened {:?}",
        storage.names()
    );
}

/// Recipe 16/20 ("A more elaborate multiprocessing example"): the main configuration, then
/// workers configured with a QueueHandler to a shared queue, then a listener configured
/// from its own dictionary draining the queue through `MyHandler` (dispatch by logger
/// name). CPython runs the same three configurations in sequence in one process; the
/// console and all three log files must be identical.
#[test]
fn recipe_20_listener_and_worker_configurations_match_cpython() {
    const CONFIG_INITIAL: &str = include_str!("fixtures/dictconfig/recipe_20_initial.json");
    const CONFIG_WORKER: &str = include_str!("fixtures/dictconfig/recipe_20_worker.json");
    const CONFIG_LISTENER: &str = include_str!("fixtures/dictconfig/recipe_20_listener.json");
    // The workers' "random" choices, fixed so both sides make the same ones.
    let levels = [10, 20, 30, 40, 50];
    let loggers = [
        "foo",
        "foo.bar",
        "foo.bar.baz",
        "spam",
        "spam.ham",
        "spam.ham.eggs",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let choices: Vec<(i64, &str)> = (0..100)
        .map(|_| (levels[next(5)], loggers[next(6)]))
        .collect();
    let py_choices = format!(
        "[{}]",
        choices
            .iter()
            .map(|(l, n)| format!("[{l}, \"{n}\"]"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let driver = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dictconfig/recipe_20.py"
    );
    let script = format!(
        "import runpy, sys\nsys.argv = ['recipe_20.py', '{NOW_NS}', '{py_choices}']\nrunpy.run_path({driver:?})\n"
    );
    let (_py_out, py_err, py_files) =
        python_in_tmp(&script, &["mplog.log", "mplog-foo.log", "mplog-errors.log"]);

    let console = Rc::new(MemoryConsole::new());
    host::install_console(console.clone());
    host::install_clock(Rc::new(host::FixedClock::new(NOW_NS)));
    let q = wasm_logging::core::handlers::LogQueue::new(0);
    let shared = q.clone();
    register_factory(
        "__main__.q",
        Rc::new(move |_k, _kw: &[(wasm_logging::Text, Value)]| Ok(Built::Queue(shared.clone()))),
    );
    let storage = Rc::new(wasm_logging::MemoryStorage::new());
    let env = ConfigEnv {
        storage: Some(storage.clone()),
        ..ConfigEnv::default()
    };

    // The main process, then a worker instance.
    let main = Manager::new();
    dict_config_with(&main, &env, &parse_json(CONFIG_INITIAL).unwrap()).unwrap();
    let setup = main.get_logger("setup");
    setup.info("About to create workers ...", ());
    setup.info("Started worker: %s", ("worker 1",));
    dict_config_with(&main, &env, &parse_json(CONFIG_WORKER).unwrap()).unwrap();
    setup.critical("Should not appear, because of disabled logger ...", ());
    for (i, (lvl, name)) in choices.iter().enumerate() {
        main.get_logger(name).log(*lvl, "Message no. %d", (i,));
    }
    assert_eq!(q.len(), 100, "the workers only enqueue");

    // The listener instance, configured from its own dictionary.
    dict_config_with(&main, &env, &parse_json(CONFIG_LISTENER).unwrap()).unwrap();
    let my_handler: Rc<dyn Handler> = Rc::new(FnHandler::new({
        let main = main.clone();
        move |_t: &str, r: &LogRecord| {
            let mut r = r.clone();
            let was = r.process_name.as_deref().unwrap_or("None").to_owned();
            r.process_name = Some(format!("listener (for {was})").into());
            main.get_logger_or_root(Some(&r.name)).handle(&mut r);
            Ok(())
        }
    }));
    let listener =
        wasm_logging::core::handlers::QueueListener::new(q.clone(), vec![my_handler], false);
    listener.start();
    listener.stop();
    main.shutdown();

    assert_eq!(console.text(Stream::Stderr), py_err);
    for (name, py) in ["mplog.log", "mplog-foo.log", "mplog-errors.log"]
        .iter()
        .zip(&py_files)
    {
        let ours = String::from_utf8(storage.read(name).unwrap().unwrap_or_default()).unwrap();
        assert_eq!(&ours, py, "{name}");
        assert!(!ours.is_empty(), "{name} is empty");
    }
}
