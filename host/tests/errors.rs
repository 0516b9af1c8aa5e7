//! Failures stay values: a failing sink is reported through `handleError` and the instance
//! goes on; storage names that would leave the log directory are refused; a refused
//! configuration changes nothing.

mod common;

use common::{instance, temp_dir};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::{
    BasicConfigOptions, FileOptions, HandlerKind, HandlerSpec, Level, RotatingOptions,
};
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;

fn options(handlers: Vec<HandlerSpec>) -> BasicConfigOptions {
    BasicConfigOptions {
        handlers: Some(handlers),
        ..wasm_logging_host::basic_options("%(levelname)s %(message)s")
    }
}

fn spec(kind: HandlerKind) -> HandlerSpec {
    HandlerSpec {
        kind,
        level: None,
        format: None,
        datefmt: None,
        style: None,
    }
}

fn file(name: &str) -> HandlerKind {
    HandlerKind::File(FileOptions {
        filename: name.to_owned(),
        mode: None,
        delay: false,
    })
}

#[test]
fn sink_failure_is_reported_through_handle_error_without_trapping() {
    let dir = temp_dir("sink-failure");
    let mut i = instance(&dir);
    i.basic_config(&options(vec![
        spec(file("app.log")),
        spec(HandlerKind::Stream(Stream::Stdout)),
    ]))
    .unwrap()
    .unwrap();
    i.log("app", 30, "before", &[], &[]).unwrap();
    // The directory disappears under the running instance: every append now fails.
    std::fs::remove_dir_all(&dir).unwrap();
    i.log(
        "app",
        30,
        "disk gone %s",
        &[wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value::Int(1)],
        &[],
    )
    .unwrap();
    i.log("app", 40, "still logging", &[], &[]).unwrap();
    let got = i.captured();
    // The console handler never noticed.
    assert_eq!(
        got.stdout,
        "WARNING before\nWARNING disk gone 1\nERROR still logging\n"
    );
    assert_eq!(
        got.stderr,
        "--- Logging error ---\n\
         OSError: [Errno 2] No such file or directory: 'app.log'\n\
         Message: 'disk gone %s'\n\
         Arguments: (1,)\n\
         --- Logging error ---\n\
         OSError: [Errno 2] No such file or directory: 'app.log'\n\
         Message: 'still logging'\n\
         Arguments: ()\n"
    );
    assert_eq!(i.error_count().unwrap(), 2);
    // The instance is alive: its exports still answer.
    assert_eq!(i.get_effective_level("app").unwrap(), 30);
    i.shutdown().unwrap();
}

#[test]
fn storage_names_outside_the_log_directory_are_refused() {
    let root = temp_dir("traversal");
    let logs = root.join("logs");
    let mut i = instance(&logs);
    for (name, path, opts) in [
        (
            "../escape.log",
            "filename",
            BasicConfigOptions {
                filename: Some("../escape.log".to_owned()),
                ..wasm_logging_host::basic_options("%(message)s")
            },
        ),
        (
            "/tmp/escape.log",
            "handlers[1].filename",
            options(vec![
                spec(HandlerKind::Stream(Stream::Stdout)),
                spec(HandlerKind::Rotating(RotatingOptions {
                    filename: "/tmp/escape.log".to_owned(),
                    mode: None,
                    max_bytes: 10,
                    backup_count: 1,
                    delay: false,
                })),
            ]),
        ),
        (
            "sub/../../escape.log",
            "handlers[0].filename",
            options(vec![spec(file("sub/../../escape.log"))]),
        ),
    ] {
        let err = i.basic_config(&opts).unwrap().unwrap_err();
        assert_eq!(err.path, path);
        assert_eq!(
            err.reason,
            format!(
                "log name '{name}' is outside the log directory (use a relative name without '..')"
            )
        );
    }
    assert!(!root.join("escape.log").exists());
    assert!(!std::path::Path::new("/tmp/escape.log").exists());
    // Nothing was configured by the refused calls: the root has no handler, so a warning
    // goes to lastResort (stderr) and nothing to stdout.
    i.log("x", 30, "unconfigured", &[], &[]).unwrap();
    let got = i.captured();
    assert_eq!(
        (got.stdout.as_str(), got.stderr.as_str()),
        ("", "unconfigured\n")
    );
    assert_eq!(std::fs::read_dir(&logs).unwrap().count(), 0);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_refused_configuration_changes_nothing() {
    let dir = temp_dir("atomic");
    let mut i = instance(&dir);
    i.basic_config(&options(vec![spec(HandlerKind::Stream(Stream::Stdout))]))
        .unwrap()
        .unwrap();
    let cases = [
        (
            BasicConfigOptions {
                level: Some(Level::Name("LOUD".to_owned())),
                force: true,
                ..options(vec![spec(file("new.log"))])
            },
            "level",
            "Unknown level: 'LOUD'",
        ),
        (
            BasicConfigOptions {
                force: true,
                ..options(vec![
                    spec(file("new.log")),
                    spec(HandlerKind::File(FileOptions {
                        filename: "b.log".to_owned(),
                        mode: Some("r".to_owned()),
                        delay: false,
                    })),
                ])
            },
            "handlers[1].mode",
            "invalid mode: 'r' (use 'a' or 'w')",
        ),
        (
            BasicConfigOptions {
                stream: Some(Stream::Stdout),
                filename: Some("x.log".to_owned()),
                force: true,
                ..wasm_logging_host::basic_options("%(message)s")
            },
            "stream",
            "'stream' and 'filename' should not be specified together",
        ),
        (
            BasicConfigOptions {
                stream: Some(Stream::Stdout),
                force: true,
                ..options(vec![])
            },
            "handlers",
            "'stream' or 'filename' should not be specified together with 'handlers'",
        ),
    ];
    for (opts, path, reason) in cases {
        let err = i.basic_config(&opts).unwrap().unwrap_err();
        assert_eq!((err.path.as_str(), err.reason.as_str()), (path, reason));
    }
    // The first configuration is intact and no log was created by the refused ones.
    i.log("app", 30, "still configured", &[], &[]).unwrap();
    assert_eq!(i.captured().stdout, "WARNING still configured\n");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
