//! The cookbook's seed `dictConfig` configurations, unchanged, through the real component,
//! with their `()` and custom-class factories registered by the host ([`Factories`]): each
//! prints (and writes) byte for byte what CPython 3.13 does for the same JSON and calls.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{files, instance_with, python_snippet, temp_dir};
use serde_json::Value;
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
use wasm_logging_host::{Console, Factories, HostRecord, Instance};

/// CPython's side: the factories the seed configurations name, shared with the native and
/// Node suites.
const PY_FACTORIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/dictconfig/seed_factories.py"
);

/// Runs `calls` after `dictConfig(json.loads(config))` in CPython, in `dir`.
fn python_run(dir: &Path, config: &str, calls: &str) -> (String, String) {
    python_snippet(
        dir,
        &format!(
            "import json, logging.config\nexec(compile(open({PY_FACTORIES:?}).read(), {PY_FACTORIES:?}, 'exec'))\nlogging.config.dictConfig(json.loads({config:?}))\n{calls}\n"
        ),
    )
}

/// `getattr(logging, name)` for the level names.
fn level_number(name: &str) -> Option<i64> {
    Some(match name {
        "CRITICAL" | "FATAL" => 50,
        "ERROR" => 40,
        "WARNING" | "WARN" => 30,
        "INFO" => 20,
        "DEBUG" => 10,
        "NOTSET" => 0,
        _ => return None,
    })
}

/// Python's `str()` of a JSON value (`['pulse', 'pulse']`).
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The seed factories for the host; `special` collects what `AdminEmailHandler` saw of
/// `record.special`.
fn seed_factories(special: Arc<Mutex<Vec<String>>>) -> Factories {
    let mut f = Factories::new();
    f.filter("__main__.filter_maker", |kw| {
        let name = kw["level"]
            .as_str()
            .ok_or("filter_maker() missing 'level'")?;
        let level = level_number(name)
            .ok_or_else(|| format!("module 'logging' has no attribute '{name}'"))?;
        Ok(move |r: &mut HostRecord| Ok(r.levelno <= level))
    });
    f.filter("project.logging.SpecialFilter", |kw| {
        let value = kw["foo"].clone();
        if kw.as_object().map_or(0, |m| m.len()) != 1 || value.is_null() {
            return Err("SpecialFilter() takes exactly one argument 'foo'".to_owned());
        }
        Ok(move |r: &mut HostRecord| {
            r.extra.insert("special".to_owned(), value.clone());
            Ok(true)
        })
    });
    f.handler("django.utils.log.AdminEmailHandler", move |_kw| {
        let special = special.clone();
        Ok(move |text: &str, r: &HostRecord, console: &Console| {
            if let Some(s) = r.extra.get("special") {
                special.lock().unwrap().push(py_str(s));
            }
            console.write(Stream::Stdout, &format!("EMAIL: {text}\n"))
        })
    });
    f.handler("myapp.owned_file_handler", |kw| {
        let filename = kw["filename"]
            .as_str()
            .ok_or("owned_file_handler() missing 'filename'")?
            .to_owned();
        let owner = py_str(&kw["owner"]);
        Ok(move |text: &str, _r: &HostRecord, console: &Console| {
            console.write(
                Stream::Stdout,
                &format!("OWNED[{filename}:{owner}] {text}\n"),
            )
        })
    });
    f
}

fn configured(dir: &Path, config: &str) -> (Instance, Arc<Mutex<Vec<String>>>) {
    let special = Arc::new(Mutex::new(Vec::new()));
    let mut i = instance_with(dir, seed_factories(special.clone()));
    i.dict_config(config)
        .unwrap()
        .unwrap_or_else(|e| panic!("refused: {}: {}", e.path, e.reason));
    (i, special)
}

fn output(i: &mut Instance) -> (String, String) {
    i.shutdown().unwrap();
    let c = i.captured();
    (c.stdout, c.stderr)
}

/// Recipe 5 ("custom handling of levels") in full, its `FileHandler` included.
const RECIPE_5: &str = include_str!("../../tests/fixtures/dictconfig/recipe_5.json");

#[test]
fn recipe_5_with_a_host_filter_factory_and_its_file_matches_cpython() {
    let theirs = temp_dir("dict-recipe5-py");
    let py = python_run(
        &theirs,
        RECIPE_5,
        "for f in (logging.debug, logging.info, logging.warning, logging.error, logging.critical):\n    f(f.__name__ + ' message')",
    );
    let ours = temp_dir("dict-recipe5");
    let (mut i, _) = configured(&ours, RECIPE_5);
    for (level, name) in [
        (10, "debug"),
        (20, "info"),
        (30, "warning"),
        (40, "error"),
        (50, "critical"),
    ] {
        i.log("", level, &format!("{name} message"), &[], &[])
            .unwrap();
    }
    assert_eq!(output(&mut i), py);
    assert_eq!(
        py.0,
        "INFO     - info message\nWARNING  - warning message\n"
    );
    assert_eq!(files(&ours), files(&theirs));
    assert_eq!(files(&ours)[0].0, "app.log");
    assert_eq!(files(&ours)[0].1.lines().count(), 5);
    assert_eq!(i.error_count().unwrap(), 0);
}

/// The Django example from the cookbook (the `{`-style variant).
const DJANGO: &str = include_str!("../../tests/fixtures/dictconfig/django.json");

#[test]
fn django_example_with_host_filter_and_handler_factories_matches_cpython() {
    let theirs = temp_dir("dict-django-py");
    let py = python_run(
        &theirs,
        DJANGO,
        r#"
logging.getLogger('django').info('django info')
logging.getLogger('django').debug('django debug (dropped: WARNING from root)')
logging.getLogger('django.request').error('request failed %d', 500)
logging.getLogger('django.request').warning('dropped: below ERROR')
logging.getLogger('myproject.custom').info('custom info')
logging.getLogger('myproject.custom').error('custom error')
"#,
    );
    let ours = temp_dir("dict-django");
    let (mut i, special) = configured(&ours, DJANGO);
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value as V;
    i.log("django", 20, "django info", &[], &[]).unwrap();
    i.log(
        "django",
        10,
        "django debug (dropped: WARNING from root)",
        &[],
        &[],
    )
    .unwrap();
    i.log(
        "django.request",
        40,
        "request failed %d",
        &[V::Int(500)],
        &[],
    )
    .unwrap();
    i.log("django.request", 30, "dropped: below ERROR", &[], &[])
        .unwrap();
    i.log("myproject.custom", 20, "custom info", &[], &[])
        .unwrap();
    i.log("myproject.custom", 40, "custom error", &[], &[])
        .unwrap();
    assert_eq!(output(&mut i), py);
    assert!(py.0.contains("EMAIL: request failed 500\n"));
    assert!(py.0.contains("EMAIL: custom error\n"));
    // The host filter's `record.special = 'bar'` reached the host handler.
    assert_eq!(*special.lock().unwrap(), ["bar", "bar"]);
    assert_eq!(i.error_count().unwrap(), 0);
}

/// Recipe 23: a handler built by a factory named in `()`, with keyword arguments.
const RECIPE_23: &str = include_str!("../../tests/fixtures/dictconfig/recipe_23.json");

#[test]
fn recipe_23_host_handler_factory_with_kwargs_matches_cpython() {
    let theirs = temp_dir("dict-recipe23-py");
    let py = python_run(
        &theirs,
        RECIPE_23,
        "logging.getLogger('mylogger').debug('A debug message')",
    );
    let ours = temp_dir("dict-recipe23");
    let (mut i, _) = configured(&ours, RECIPE_23);
    i.log("mylogger", 10, "A debug message", &[], &[]).unwrap();
    assert_eq!(output(&mut i), py);
    assert_eq!(
        py.0,
        "OWNED[chowntest.log:['pulse', 'pulse']] A debug message\n\
         2023-11-14 22:13:20,123 DEBUG mylogger A debug message\n"
    );
}

#[test]
fn a_configuration_a_host_factory_refuses_names_its_path_and_changes_nothing() {
    let dir = temp_dir("dict-refused");
    let (mut i, _) = configured(&dir, RECIPE_23);
    // Recipe 5 with a level `getattr(logging, ...)` cannot find: refused at the filter.
    let bad = RECIPE_5.replace(r#""level": "WARNING""#, r#""level": "LOUD""#);
    let err = i.dict_config(&bad).unwrap().unwrap_err();
    assert_eq!(err.path, "filters.warnings_and_below");
    assert!(
        err.reason
            .contains("module 'logging' has no attribute 'LOUD'"),
        "{}",
        err.reason
    );
    // A handler factory named as a filter is refused too.
    let wrong_kind = RECIPE_5.replace("__main__.filter_maker", "myapp.owned_file_handler");
    let err = i.dict_config(&wrong_kind).unwrap().unwrap_err();
    assert_eq!(err.path, "filters.warnings_and_below");
    assert!(
        err.reason
            .contains("host factory 'myapp.owned_file_handler' builds handlers, not a filter"),
        "{}",
        err.reason
    );
    // Nothing changed: recipe 23's handlers still run, and recipe 5's log was not created.
    i.log("mylogger", 10, "A debug message", &[], &[]).unwrap();
    assert_eq!(
        output(&mut i),
        (
            "OWNED[chowntest.log:['pulse', 'pulse']] A debug message\n\
             2023-11-14 22:13:20,123 DEBUG mylogger A debug message\n"
                .to_owned(),
            String::new()
        )
    );
    assert!(files(&dir).is_empty());
}

/// A formatter factory named in `()`: CPython's side is a `logging.Formatter` subclass.
const HOST_FORMATTER: &str = r#"{
    "version": 1,
    "formatters": {"loud": {"()": "myapp.loud_formatter", "suffix": "!"}},
    "handlers": {"out": {"class": "logging.StreamHandler", "formatter": "loud", "stream": "ext://sys.stdout"}},
    "root": {"level": "INFO", "handlers": ["out"]}
}"#;

#[test]
fn a_host_formatter_factory_matches_cpython_and_a_failing_host_handler_is_reported() {
    let theirs = temp_dir("dict-formatter-py");
    let py = python_run(
        &theirs,
        HOST_FORMATTER,
        r#"
logging.getLogger('app.db').warning('%d slow queries', 3)
logging.getLogger('app').info('done')
"#,
    )
    .0;
    let ours = temp_dir("dict-formatter");
    let mut f = Factories::new();
    f.formatter("myapp.loud_formatter", |kw| {
        let suffix = kw["suffix"].as_str().unwrap_or_default().to_owned();
        Ok(move |r: &HostRecord| {
            Ok(format!(
                "{}:{}:{}{suffix}",
                r.levelname,
                r.name,
                r.message.to_uppercase()
            ))
        })
    });
    f.handler("myapp.broken", |_kw| {
        Ok(|_t: &str, _r: &HostRecord, _c: &Console| Err("mail server down".to_owned()))
    });
    let mut i = instance_with(&ours, f);
    i.dict_config(HOST_FORMATTER).unwrap().unwrap();
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value as V;
    i.log("app.db", 30, "%d slow queries", &[V::Int(3)], &[])
        .unwrap();
    i.log("app", 20, "done", &[], &[]).unwrap();
    assert_eq!(i.captured().stdout, py);
    assert_eq!(py, "WARNING:app.db:3 SLOW QUERIES!\nINFO:app:DONE!\n");

    // A host handler's error is a `handleError` report, not a trap.
    i.dict_config(
        r#"{"version": 1, "handlers": {"h": {"class": "myapp.broken"}}, "root": {"handlers": ["h"]}}"#,
    )
    .unwrap()
    .unwrap();
    i.log("", 40, "lost", &[], &[]).unwrap();
    assert_eq!(i.error_count().unwrap(), 1);
    let err = i.captured().stderr;
    assert!(err.starts_with("--- Logging error ---\n"), "{err}");
    assert!(err.contains("mail server down"), "{err}");
    i.shutdown().unwrap();
}

/// Recipes 16/20: the listener/worker configurations, unchanged, through the component. The
/// worker's `QueueHandler` names the shared queue `ext://__main__.q` (made with
/// `create-queue`); the listener's `QueueListener` hands each record to the logger it names,
/// relabelled as the recipe's `MyHandler` does. The console and the three logs are CPython's.
#[test]
fn recipe_20_listener_and_worker_configurations_share_a_queue_and_match_cpython() {
    use wasm_logging_host::bindings::exports::wasm_logging::logging::config::ListenerTarget;
    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/dictconfig");
    let fixture =
        |part: &str| std::fs::read_to_string(format!("{FIXTURES}/recipe_20_{part}.json")).unwrap();
    let levels = [10, 20, 30, 40, 50];
    let names = [
        "foo",
        "foo.bar",
        "foo.bar.baz",
        "spam",
        "spam.ham",
        "spam.ham.eggs",
    ];
    let choices: Vec<(i32, &str)> = (0..100usize)
        .map(|i| (levels[(i * 7 + i / 5) % 5], names[(i * 5 + i / 3) % 6]))
        .collect();
    let json_choices = serde_json::to_string(&choices).unwrap();

    let theirs = temp_dir("dict-recipe20-py");
    let driver = format!("{FIXTURES}/recipe_20.py");
    let (py_out, py_err) = {
        let out = std::process::Command::new(common::python_exe())
            .arg(&driver)
            .arg(common::NOW_NS.to_string())
            .arg(&json_choices)
            .current_dir(&theirs)
            .env("TZ", "UTC")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };

    let ours = temp_dir("dict-recipe20");
    let mut i = instance_with(&ours, Factories::new());
    i.create_queue("__main__.q", 0).unwrap();
    let apply = |i: &mut Instance, part: &str| {
        i.dict_config(&fixture(part))
            .unwrap()
            .unwrap_or_else(|e| panic!("{part} refused: {}: {}", e.path, e.reason));
    };
    apply(&mut i, "initial");
    i.log("setup", 20, "About to create workers ...", &[], &[])
        .unwrap();
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value as V;
    i.log(
        "setup",
        20,
        "Started worker: %s",
        &[V::Str("worker 1".into())],
        &[],
    )
    .unwrap();
    apply(&mut i, "worker");
    i.log(
        "setup",
        50,
        "Should not appear, because of disabled logger ...",
        &[],
        &[],
    )
    .unwrap();
    for (n, (level, name)) in choices.iter().enumerate() {
        i.log(name, *level, "Message no. %d", &[V::Int(n as i64)], &[])
            .unwrap();
    }
    assert_eq!(i.queue_size("ext://__main__.q").unwrap(), Some(100));
    assert_eq!(i.pump().unwrap(), 0, "no listener yet");
    apply(&mut i, "listener");
    assert_eq!(
        i.get_handler_names().unwrap(),
        ["console", "errors", "file", "foofile"]
    );
    i.start_listener(
        "__main__.q",
        &ListenerTarget::Loggers(Some("listener".into())),
        false,
    )
    .unwrap()
    .unwrap();
    assert_eq!(i.pump().unwrap(), 100);
    assert_eq!(
        i.stop_listener("__main__.q").unwrap(),
        0,
        "pump delivered everything"
    );
    let err = i
        .start_listener("nope", &ListenerTarget::Handlers(vec![]), false)
        .unwrap()
        .unwrap_err();
    assert_eq!(err, "no queue named 'nope'");
    let err = i
        .start_listener(
            "__main__.q",
            &ListenerTarget::Handlers(vec!["missing".into()]),
            false,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(err, "no handler named 'missing'");
    i.shutdown().unwrap();
    let c = i.captured();
    assert_eq!((c.stdout, c.stderr), (py_out, py_err));
    let ours_files = files(&ours);
    assert_eq!(ours_files, files(&theirs));
    assert_eq!(
        ours_files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["mplog-errors.log", "mplog-foo.log", "mplog.log"]
    );
    assert!(ours_files[2].1.contains("listener (for MainProcess)"));
    assert_eq!(i.error_count().unwrap(), 0);
}

/// The 3.12 `QueueHandler` configuration: `handlers` names the listener's handler; the
/// listener `dict-config` made is started and stopped by handler name, as the cookbook does
/// with `getHandlerByName('qh').listener`.
const QUEUE: &str = include_str!("../../tests/fixtures/dictconfig/queue_handler.json");

#[test]
fn queue_handler_configuration_and_its_listener_match_cpython() {
    let theirs = temp_dir("dict-queue-py");
    let py = python_run(
        &theirs,
        QUEUE,
        "import threading\nthreading.current_thread().name = 'MainThread'\nqh = logging.getHandlerByName('qh')\nqh.listener.start()\nlogging.debug('not for console')\nlogging.info('queued %s', 'info')\nlogging.warning('queued warning')\nqh.listener.stop()\nlogging.shutdown()",
    );
    let ours = temp_dir("dict-queue");
    let (mut i, _) = configured(&ours, QUEUE);
    i.start_handler_listener("qh").unwrap().unwrap();
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value as V;
    i.log("", 10, "not for console", &[], &[]).unwrap();
    i.log("", 20, "queued %s", &[V::Str("info".into())], &[])
        .unwrap();
    i.log("", 30, "queued warning", &[], &[]).unwrap();
    assert_eq!(i.stop_handler_listener("qh").unwrap(), Ok(3));
    assert_eq!(
        i.stop_handler_listener("console").unwrap(),
        Err("handler 'console' is not a QueueHandler".to_owned())
    );
    assert_eq!(
        i.start_handler_listener("nope").unwrap(),
        Err("no handler named 'nope'".to_owned())
    );
    assert_eq!(output(&mut i), py);
    assert_eq!(
        py.0,
        "MainThread root INFO queued info\nMainThread root WARNING queued warning\n"
    );
}
