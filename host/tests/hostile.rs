//! Hostile inputs (issue 15, "Breaks") through the real component in Wasmtime: the review's
//! exact inputs and their neighbours. Nothing traps, nothing unwinds into the embedder, every
//! bad input is one report, and the lines and records after it are still processed.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{instance, instance_with, temp_dir};
use wasm_logging_host::{Console, Factories, HostRecord};

const STDOUT_CONFIG: &str = r#"{
  "version": 1,
  "formatters": {"f": {"format": "%(levelno)s %(levelname)s %(name).12s %(message)s"}},
  "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "f"}},
  "root": {"level": 1, "handlers": ["out"]}
}"#;

/// Runs `wasm-logging route` on `input` under TZ=UTC; returns (success, stdout, stderr).
fn run_route(dir: &Path, config: &str, input: &str) -> (bool, String, String) {
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-logging"))
        .args(["route", "--config"])
        .arg(&config_path)
        .arg("--log-dir")
        .arg(dir.join("logs"))
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

// ---- 3. deep names: no trap, the lines after still processed -------------------------------

#[test]
fn route_with_a_16000_part_name_reports_it_and_processes_every_line_after_it() {
    let dir = temp_dir("hostile-route-deep");
    let deep = vec!["a"; 16_000].join(".");
    let input = [
        r#"{"name": "app", "level": "WARNING", "msg": "before"}"#.to_owned(),
        format!(r#"{{"name": "{deep}", "level": "WARNING", "msg": "deep"}}"#),
        format!(r#"{{"name": "{deep}.b", "level": "WARNING", "msg": "deeper"}}"#),
        r#"{"name": "app", "level": "WARNING", "msg": "after"}"#.to_owned(),
    ]
    .join("\n");
    let config = r#"{"level": "INFO", "format": "%(name).10s %(levelname)s %(message)s",
                     "handlers": [{"type": "stream", "stream": "ext://sys.stdout"}]}"#;
    let (ok, stdout, stderr) = run_route(&dir, config, &input);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "app WARNING before\na.a.a.a.a. WARNING deep\na.a.a.a.a. WARNING deeper\napp WARNING after\n"
    );
    assert_eq!(
        stderr
            .matches("ValueError: logger name too long (31999 bytes, 16000 dotted parts; the limits are 1024 bytes and 128 parts)")
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("ValueError: logger name too long").count(),
        2
    );
    assert!(
        stderr.ends_with("wasm-logging: 4 dispatched, 0 below level, 0 malformed\n"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn get_logger_through_the_host_api_is_bounded_too() {
    let dir = temp_dir("hostile-api-deep");
    let mut i = instance(&dir);
    i.dict_config(STDOUT_CONFIG).unwrap().unwrap();
    let deep = vec!["z"; 200].join(".");
    i.log(&deep, 30, "deep", &[], &[]).unwrap();
    i.log("fine", 30, "fine", &[], &[]).unwrap();
    let c = i.captured();
    assert_eq!(
        c.stdout,
        "30 WARNING z.z.z.z.z.z. deep\n30 WARNING fine fine\n"
    );
    assert!(c
        .stderr
        .contains("ValueError: logger name too long (399 bytes, 200 dotted parts"));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- 4. created outside 1677-2262 --------------------------------------------------------

#[test]
fn route_prints_created_as_cpython_does_and_reports_what_cpython_refuses() {
    let dir = temp_dir("hostile-route-created");
    let input = [
        r#"{"name": "t", "level": 30, "msg": "at 1e10", "created": 1e10}"#,
        r#"{"name": "t", "level": 30, "msg": "at 1e300", "created": 1e300}"#,
        r#"{"name": "t", "level": 30, "msg": "at -1e10", "created": -1e10}"#,
        r#"{"name": "t", "level": 30, "msg": "at 1e11", "created": 1e11}"#,
        r#"{"name": "t", "level": 30, "msg": "at 1e18", "created": 1e18}"#,
        r#"{"name": "t", "level": 30, "msg": "after", "created": 1700000000.25}"#,
    ]
    .join("\n");
    let config = r#"{"level": "INFO", "format": "%(asctime)s %(message)s",
                     "handlers": [{"type": "stream", "stream": "ext://sys.stdout"}]}"#;
    let (ok, stdout, stderr) = run_route(&dir, config, &input);
    assert!(ok, "{stderr}");
    // CPython 3.13 (TZ=UTC): time.localtime(1e10) is 2286-11-20 17:46:40, 1e11 is
    // 5138-11-16 09:46:40, -1e10 is 1653-02-10 06:13:20; 1e300 raises OverflowError and
    // 1e18 OSError (EOVERFLOW), which handleError reports.
    assert_eq!(
        stdout,
        "2286-11-20 17:46:40,000 at 1e10\n\
         1653-02-10 06:13:20,000 at -1e10\n\
         5138-11-16 09:46:40,000 at 1e11\n\
         2023-11-14 22:13:20,250 after\n"
    );
    assert!(stderr.contains(
        "--- Logging error ---\nOverflowError: timestamp out of range for platform time_t\nMessage: 'at 1e300'\nArguments: ()\n"
    ), "{stderr}");
    assert!(stderr.contains(
        "--- Logging error ---\nOSError: [Errno 75] Value too large for defined data type\nMessage: 'at 1e18'\n"
    ), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- 2. levels beyond 32 bits through WIT ------------------------------------------------

#[test]
fn levels_beyond_32_bits_cross_wit_unchanged() {
    let dir = temp_dir("hostile-levels");
    let mut i = instance(&dir);
    i.dict_config(STDOUT_CONFIG).unwrap().unwrap();
    i.log("lv", 4_294_967_316_i64, "big", &[], &[]).unwrap();
    i.add_level_name(4_294_967_316_i64, "BIGINFO").unwrap();
    i.log("lv", 4_294_967_316_i64, "named", &[], &[]).unwrap();
    i.log("lv", 20, "plain", &[], &[]).unwrap();
    i.set_level("lv", 1_i64 << 40).unwrap();
    i.log("lv", (1_i64 << 40) - 1, "below", &[], &[]).unwrap();
    assert!(i.is_enabled_for("lv", 1_i64 << 40).unwrap());
    assert_eq!(i.get_effective_level("lv").unwrap(), 1 << 40);
    assert_eq!(i.level_name(20).unwrap(), "INFO");
    assert_eq!(i.level_name(4_294_967_316_i64).unwrap(), "BIGINFO");
    // The same as CPython 3.13 prints for log(2**32 + 20, …) and friends.
    assert_eq!(
        i.captured().stdout,
        "4294967316 Level 4294967316 lv big\n4294967316 BIGINFO lv named\n20 INFO lv plain\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- 5. panicking embedder factories and closures ----------------------------------------

/// The handler type a factory that never returns one names.
type EmitOnce = fn(&str, &HostRecord, &Console) -> Result<(), String>;

fn panicking_factories() -> Factories {
    let mut f = Factories::new();
    f.handler("boom.make", |_kw| -> Result<EmitOnce, String> {
        panic!("make boom")
    });
    f.handler("boom.emit", |_kw| {
        Ok(|text: &str, _r: &HostRecord, console: &Console| {
            if text.contains("boom") {
                panic!("emit boom");
            }
            console.write(
                wasm_logging_host::bindings::wasm_logging::logging::console::Stream::Stdout,
                &format!("EMIT {text}\n"),
            )
        })
    });
    f.filter("boom.filter", |_kw| {
        Ok(|r: &mut HostRecord| {
            if r.msg.contains("filter-boom") {
                panic!("filter boom");
            }
            Ok(true)
        })
    });
    f.formatter("boom.formatter", |_kw| {
        Ok(|r: &HostRecord| {
            if r.msg.contains("format-boom") {
                panic!("format boom");
            }
            Ok(format!("F {}", r.msg))
        })
    });
    f
}

#[test]
fn a_panicking_factory_fails_the_configuration_with_its_path_and_changes_nothing() {
    let dir = temp_dir("hostile-panic-make");
    let mut i = instance_with(&dir, panicking_factories());
    i.dict_config(STDOUT_CONFIG).unwrap().unwrap();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = i
        .dict_config(
            r#"{"version": 1, "handlers": {"bad": {"()": "boom.make"}}, "root": {"handlers": ["bad"]}}"#,
        )
        .expect("no unwind into the embedder");
    std::panic::set_hook(quiet);
    let e = r.unwrap_err();
    assert!(e.path.contains("bad"), "{e}");
    assert!(
        e.reason
            .contains("host factory 'boom.make' panicked: make boom"),
        "{e}"
    );
    // The previous configuration still works.
    i.log("x", 30, "still configured", &[], &[]).unwrap();
    assert_eq!(i.captured().stdout, "30 WARNING x still configured\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn panicking_handler_filter_and_formatter_closures_are_reported_and_the_handler_goes_on() {
    let dir = temp_dir("hostile-panic-emit");
    let mut i = instance_with(&dir, panicking_factories());
    i.dict_config(
        r#"{"version": 1,
            "formatters": {"f": {"()": "boom.formatter"}},
            "filters": {"p": {"()": "boom.filter"}},
            "handlers": {"h": {"()": "boom.emit", "formatter": "f", "filters": ["p"]}},
            "root": {"level": "DEBUG", "handlers": ["h"]}}"#,
    )
    .unwrap()
    .unwrap();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for msg in [
        "one",
        "boom",
        "two",
        "filter-boom",
        "three",
        "format-boom",
        "boom",
        "four",
    ] {
        i.log("app", 30, msg, &[], &[])
            .expect("no unwind into the embedder");
    }
    std::panic::set_hook(quiet);
    let c = i.captured();
    assert_eq!(
        c.stdout,
        "EMIT F one\nEMIT F two\nEMIT F three\nEMIT F four\n"
    );
    assert_eq!(
        c.stderr.matches("host handler panicked: emit boom").count(),
        2,
        "{}",
        c.stderr
    );
    assert_eq!(
        c.stderr
            .matches("host filter panicked: filter boom")
            .count(),
        1,
        "{}",
        c.stderr
    );
    assert_eq!(
        c.stderr
            .matches("host formatter panicked: format boom")
            .count(),
        1,
        "{}",
        c.stderr
    );
    assert!(
        !c.stderr.contains("re-entered"),
        "the guard is reset: {}",
        c.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
