//! `wasm-logging route --config FILE`: JSON-lines records on stdin dispatched through the
//! configured hierarchy; malformed lines reported with their numbers and skipped; bad
//! configurations refused with the path of the offending key.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{files, python_snippet, temp_dir};

/// Runs the real binary; returns (success, stdout, stderr).
fn run_route(dir: &Path, config: &str, input: &str) -> (bool, String, String) {
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-logging"))
        .args(["route", "--config"])
        .arg(&config_path)
        .arg("--log-dir")
        .arg(dir.join("logs"))
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

const CONFIG: &str = r#"{
  "level": "INFO",
  "format": "%(msecs)03d %(name)s %(levelname)s %(message)s",
  "handlers": [
    {"type": "stream", "stream": "ext://sys.stdout"},
    {"type": "rotating", "filename": "routed.log", "maxBytes": 60, "backupCount": 2,
     "level": "WARNING", "format": "{levelname}:{name}:{message} ip={ip}", "style": "{"}
  ]
}"#;

#[test]
fn route_dispatches_good_lines_and_reports_malformed_ones() {
    let dir = temp_dir("route");
    let input = [
        r#"{"name": "app", "level": "INFO", "msg": "user %s logged in", "args": ["ann"], "created": 1700000000.25}"#,
        r#"{"name": "app.db", "level": 10, "msg": "below the configured level"}"#,
        r#"{"name": "app", "level": "INFO", "msg": "truncated"#,
        "",
        r#"{"name": "app.db", "level": "WARNING", "msg": "%d slow queries", "args": [3], "extra": {"ip": "10.0.0.1"}, "created": 1700000000.5}"#,
        r#"{"level": 40, "msg": "no name: the root", "extra": {"ip": "10.0.0.2"}, "created": 1700000001}"#,
        r#"{"name": "app", "msg": "no level"}"#,
        r#"{"name": "app", "level": 30, "msg": "disk %s%% full", "args": [97.5], "extra": {"ip": "10.0.0.3"}, "created": 1700000002.75}"#,
    ]
    .join("\n");
    let (ok, stdout, stderr) = run_route(&dir, CONFIG, &input);
    assert!(ok, "{stderr}");
    assert_eq!(
        stderr,
        "line 3: invalid JSON: EOF while parsing a string at line 1 column 50\n\
         line 7: level: missing\n\
         wasm-logging: 4 dispatched, 1 below level, 2 malformed\n"
    );

    // CPython, given the same four records the way the cookbook's receiver rebuilds them
    // (`makeLogRecord` keeps `msecs` as given: ours is `created` to the microsecond).
    let theirs = temp_dir("route-cpython");
    let (py_out, _) = python_snippet(
        &theirs,
        r#"
H = logging.handlers.RotatingFileHandler("routed.log", maxBytes=60, backupCount=2)
H.setLevel("WARNING")
H.setFormatter(logging.Formatter("{levelname}:{name}:{message} ip={ip}", style="{"))
logging.basicConfig(level="INFO", format="%(msecs)03d %(name)s %(levelname)s %(message)s",
                    handlers=[logging.StreamHandler(sys.stdout), H])
def route(name, level, msg, args=(), extra={}, created=None):
    record = logging.makeLogRecord(dict(name=name, levelno=level, levelname=logging.getLevelName(level),
        msg=msg, args=tuple(args), created=created,
        msecs=round(created * 1e6) % 1_000_000 // 1000, **extra))
    logging.getLogger(name).handle(record)
route("app", 20, "user %s logged in", ["ann"], created=1700000000.25)
route("app.db", 30, "%d slow queries", [3], {"ip": "10.0.0.1"}, 1700000000.5)
route("root", 40, "no name: the root", [], {"ip": "10.0.0.2"}, 1700000001)
route("app", 30, "disk %s%% full", [97.5], {"ip": "10.0.0.3"}, 1700000002.75)
logging.shutdown()
"#,
    );
    assert_eq!(stdout, py_out);
    assert_eq!(
        stdout,
        "250 app INFO user ann logged in\n\
         500 app.db WARNING 3 slow queries\n\
         000 root ERROR no name: the root\n\
         750 app WARNING disk 97.5% full\n"
    );
    let ours: Vec<_> = files(&dir.join("logs"));
    let py: Vec<_> = files(&theirs);
    assert_eq!(ours, py);
    assert_eq!(ours.len(), 3, "routed.log rolled over twice: {ours:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&theirs).unwrap();
}

#[test]
fn route_refuses_a_bad_configuration_with_its_path() {
    let dir = temp_dir("route-bad");
    let cases = [
        (
            r#"{"handlers": [{"type": "rotating", "filename": "a.log", "maxBytes": "big"}]}"#,
            "handlers[0].maxBytes: expected a non-negative integer, found a string",
        ),
        (r#"{"level": "LOUD"}"#, "level: Unknown level: 'LOUD'"),
        (
            r#"{"filename": "../outside.log"}"#,
            "filename: log name '../outside.log' is outside the log directory (use a relative name without '..')",
        ),
        (r#"{"formatt": "%(message)s"}"#, "Unrecognised argument(s): formatt"),
    ];
    for (config, message) in cases {
        let (ok, stdout, stderr) = run_route(&dir, config, "");
        assert!(!ok);
        assert_eq!(stdout, "");
        let config_path = dir.join("config.json");
        assert_eq!(
            stderr,
            format!("wasm-logging: {}: {message}\n", config_path.display())
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn route_accepts_a_dict_config_document() {
    let dir = temp_dir("route-dict");
    let config = r#"{
      "version": 1,
      "formatters": {"brief": {"format": "%(levelname)-8s %(name)s: %(message)s"}},
      "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "brief",
                               "stream": "ext://sys.stdout"}},
      "loggers": {"app.noisy": {"level": "ERROR"}},
      "root": {"level": "DEBUG", "handlers": ["console"]}
    }"#;
    let input = [
        r#"{"name": "app", "level": "DEBUG", "msg": "debug passes the root"}"#,
        r#"{"name": "app.noisy", "level": "WARNING", "msg": "dropped: app.noisy is at ERROR"}"#,
        r#"{"name": "app.noisy.sub", "level": "ERROR", "msg": "kept"}"#,
    ]
    .join("\n");
    let (ok, stdout, stderr) = run_route(&dir, config, &input);
    assert!(ok, "{stderr}");
    let (py_out, _) = python_snippet(
        &dir,
        &format!(
            r#"
import json, logging.config
logging.config.dictConfig(json.loads({config:?}))
for line in {input:?}.splitlines():
    r = json.loads(line)
    level = logging.getLevelName(r["level"])
    logger = logging.getLogger(r["name"])
    if logger.isEnabledFor(level):
        logger.handle(logging.makeLogRecord(dict(name=r["name"], levelno=level,
                                                 levelname=r["level"], msg=r["msg"])))
"#
        ),
    );
    assert_eq!(stdout, py_out);
    assert_eq!(
        stdout,
        "DEBUG    app: debug passes the root\nERROR    app.noisy.sub: kept\n"
    );
    assert_eq!(
        stderr,
        "wasm-logging: 2 dispatched, 1 below level, 0 malformed\n"
    );
    let (_, _, stderr) = run_route(&dir, r#"{"version": 2}"#, "");
    assert!(
        stderr.ends_with(": version: Unsupported version: 2\n"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
