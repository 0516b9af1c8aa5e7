//! The standard `wasi:logging/logging` export: levels map to CPython's numbers, `context`
//! names the logger, and a separate guest component that logs only through the standard
//! interface, linked to our export by the host, has its records formatted by our hierarchy.

mod common;

use common::{instance, python_snippet, runtime, temp_dir};
use wasm_logging_host::bindings::exports::wasi::logging::logging::Level;
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::BasicConfigOptions;
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::Level as ConfigLevel;
use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;

const FORMAT: &str = "%(levelno)s %(levelname)s %(name)s: %(message)s";

#[test]
fn wasi_logging_levels_and_context_match_cpython() {
    let dir = temp_dir("wasi-logging");
    let mut i = instance(&dir);
    i.basic_config(&BasicConfigOptions {
        level: Some(ConfigLevel::Number(1)),
        stream: Some(Stream::Stdout),
        ..wasm_logging_host::basic_options(FORMAT)
    })
    .unwrap()
    .unwrap();
    let calls = [
        (Level::Trace, "svc", "trace"),
        (Level::Debug, "svc.db", "debug"),
        (Level::Info, "", "info on the root"),
        (Level::Warn, "svc", "100% sure, no %s interpolation"),
        (Level::Error, "svc.db", "error"),
        (Level::Critical, "root", "critical"),
    ];
    for (level, context, message) in calls {
        i.wasi_log(level, context, message).unwrap();
    }
    let (py_out, _) = python_snippet(
        &dir,
        &format!(
            r#"
logging.basicConfig(level=1, format={FORMAT:?}, stream=sys.stdout)
for level, context, message in [(5, "svc", "trace"), (10, "svc.db", "debug"), (20, "", "info on the root"),
        (30, "svc", "100% sure, no %s interpolation"), (40, "svc.db", "error"), (50, "root", "critical")]:
    logging.getLogger(context).log(level, message)
"#
        ),
    );
    assert_eq!(i.captured().stdout, py_out);
    assert!(py_out.starts_with(
        "5 Level 5 svc: trace\n10 DEBUG svc.db: debug\n20 INFO root: info on the root\n"
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wasi_logging_guest_logs_through_our_hierarchy() {
    let dir = temp_dir("guest");
    let mut i = instance(&dir);
    i.basic_config(&BasicConfigOptions {
        level: Some(ConfigLevel::Name("DEBUG".to_owned())),
        stream: Some(Stream::Stdout),
        ..wasm_logging_host::basic_options("%(asctime)s %(name)-9s %(levelname)-8s %(message)s")
    })
    .unwrap()
    .unwrap();
    // Our configuration decides what the guest's records become: guest.db only from ERROR.
    i.set_level("guest.db", 40).unwrap();
    let path = common::guest_path();
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; `make test-wasi` builds the guest", path.display()));
    let guest = wasm_logging_host::compile_cached(runtime().engine(), &path, &bytes).unwrap();
    i.run_guest(&guest, "run").unwrap();
    assert_eq!(
        i.captured().stdout,
        "2023-11-14 22:13:20,123 guest.app INFO     guest started\n\
         2023-11-14 22:13:20,123 guest.app DEBUG    cache warmed: 100% of 12 entries\n\
         2023-11-14 22:13:20,123 root      ERROR    an error on the root logger\n\
         2023-11-14 22:13:20,123 guest.db  CRITICAL disk full\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
