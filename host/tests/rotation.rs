//! `RotatingFileHandler` over the host's log directory against CPython's own, on the same
//! records: the same file names (`r.log`, `r.log.1` …) with the same contents, including
//! non-ASCII records (CPython compares a length in characters with `maxBytes`), a record
//! longer than `maxBytes`, `backupCount=0` and `delay=True`.

mod common;

use common::{files, instance, python_snippet, temp_dir};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::{
    BasicConfigOptions, HandlerKind, HandlerSpec, RotatingOptions,
};

fn rotating(filename: &str, max_bytes: u64, backup_count: u32, delay: bool) -> HandlerSpec {
    HandlerSpec {
        kind: HandlerKind::Rotating(RotatingOptions {
            filename: filename.to_owned(),
            mode: None,
            max_bytes,
            backup_count,
            delay,
        }),
        level: None,
        format: None,
        datefmt: None,
        style: None,
    }
}

#[test]
fn rotation_names_and_contents_match_cpython() {
    let ours = temp_dir("rotation-ours");
    let theirs = temp_dir("rotation-cpython");
    // An existing log is appended to, then rotated, in both.
    for dir in [&ours, &theirs] {
        std::fs::write(dir.join("r.log"), "from an earlier run\n").unwrap();
    }
    let mut i = instance(&ours);
    let options = BasicConfigOptions {
        level: Some(
            wasm_logging_host::bindings::exports::wasm_logging::logging::config::Level::Number(10),
        ),
        format: Some("%(levelname)s %(name)s %(message)s".to_owned()),
        datefmt: None,
        style: None,
        stream: None,
        filename: None,
        filemode: None,
        handlers: Some(vec![
            rotating("r.log", 64, 3, false),
            rotating("never.log", 10, 0, false),
            rotating("d.log", 40, 2, true),
        ]),
        force: false,
    };
    i.basic_config(&options).unwrap().unwrap();
    let messages: Vec<String> = (0..24)
        .map(|n| match n % 4 {
            0 => format!("record {n}"),
            1 => format!("récord {n} ééééé"),
            2 => format!("a longer record number {n} that is more than sixty-four bytes long"),
            _ => format!("#{n}"),
        })
        .collect();
    for (n, m) in messages.iter().enumerate() {
        let level = [10, 20, 30, 40][n % 4];
        i.log("app.rot", level, m, &[], &[]).unwrap();
    }
    i.shutdown().unwrap();

    let py_messages = format!("{messages:?}");
    python_snippet(
        &theirs,
        &format!(
            r#"
H = logging.handlers.RotatingFileHandler
logging.basicConfig(level=10, format="%(levelname)s %(name)s %(message)s",
    handlers=[H("r.log", maxBytes=64, backupCount=3), H("never.log", maxBytes=10, backupCount=0),
              H("d.log", maxBytes=40, backupCount=2, delay=True)])
for n, m in enumerate({py_messages}):
    logging.getLogger("app.rot").log([10, 20, 30, 40][n % 4], m)
logging.shutdown()
"#
        ),
    );
    let got = files(&ours);
    assert_eq!(got, files(&theirs));
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "d.log",
            "d.log.1",
            "d.log.2",
            "never.log",
            "r.log",
            "r.log.1",
            "r.log.2",
            "r.log.3"
        ]
    );
    std::fs::remove_dir_all(&ours).unwrap();
    std::fs::remove_dir_all(&theirs).unwrap();
}
