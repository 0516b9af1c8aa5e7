//! Recipe 19 ("Using a rotator and namer to customise log rotation processing") through the
//! component: the embedder's namer and rotator ([`Factories::namer`], [`Factories::rotator`])
//! set on a `RotatingFileHandler` and a `TimedRotatingFileHandler` by name
//! (`set-handler-namer`, `set-handler-rotator`), compared with CPython 3.13 running the same
//! hooks (`rh.namer = namer; rh.rotator = rotator`); hooks that fail or panic are reported
//! and logging goes on; a bad call changes nothing.

mod common;

use common::{files, instance, instance_with, python_snippet, temp_dir, NOW_NS};
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
use wasm_logging_host::{Factories, LogDir};

/// The recipe's hooks, with an exact transform in place of gzip (two gzip implementations
/// need not agree byte for byte): the backup is the log upper-cased behind a header.
const PY_HOOKS: &str = r#"
def namer(name):
    return name + ".gz"

def rotator(source, dest):
    with open(source, "rb") as sf:
        data = sf.read()
    with open(dest, "wb") as df:
        df.write(b"compressed:" + data.upper())
    os.remove(source)
"#;

fn recipe_factories() -> Factories {
    let mut f = Factories::new();
    f.namer("__main__.namer", |_| {
        Ok(|name: &str| Ok(format!("{name}.gz")))
    });
    f.rotator("__main__.rotator", |_| {
        Ok(|dir: &LogDir, source: &str, dest: &str| {
            let data = dir
                .read(source)?
                .ok_or_else(|| format!("no log {source}"))?;
            let mut out = b"compressed:".to_vec();
            out.extend(data.to_ascii_uppercase());
            dir.remove(dest)?;
            dir.append(dest, &out)?;
            dir.remove(source)
        })
    });
    f.namer("broken.namer", |_| {
        Ok(|_: &str| Err("no names today".to_owned()))
    });
    f.rotator("panicking.rotator", |_| {
        Ok(|_: &LogDir, _: &str, _: &str| -> Result<(), String> { panic!("rotator exploded") })
    });
    f
}

const ROTATING: &str = r#"{"class": "logging.handlers.RotatingFileHandler",
    "filename": "app.log", "maxBytes": 60, "backupCount": 3,
    "formatter": {"format": "%(levelname)s %(message)s"}}"#;

#[test]
fn namer_and_rotator_on_a_rotating_handler_match_cpython() {
    let ours = temp_dir("recipe19-ours");
    let theirs = temp_dir("recipe19-cpython");
    let mut i = instance_with(&ours, recipe_factories());
    i.create_handler("rh", ROTATING).unwrap().unwrap();
    i.set_handler_namer("rh", Some("__main__.namer"))
        .unwrap()
        .unwrap();
    i.set_handler_rotator("rh", Some("ext://__main__.rotator"))
        .unwrap()
        .unwrap();
    i.add_handler("", "rh").unwrap().unwrap();
    i.set_level("", 10).unwrap();
    for n in 0..20 {
        i.log("app", 20, "message number %d", &[Value::Int(n)], &[])
            .unwrap();
    }
    i.shutdown().unwrap();
    assert!(i.captured().stderr.is_empty(), "{}", i.captured().stderr);

    let (_, err) = python_snippet(
        &theirs,
        &format!(
            "{PY_HOOKS}\n\
             rh = logging.handlers.RotatingFileHandler('app.log', maxBytes=60, backupCount=3)\n\
             rh.setFormatter(logging.Formatter('%(levelname)s %(message)s'))\n\
             rh.namer = namer\n\
             rh.rotator = rotator\n\
             root = logging.getLogger()\n\
             root.addHandler(rh)\n\
             root.setLevel(logging.DEBUG)\n\
             for n in range(20):\n    logging.getLogger('app').info('message number %d', n)\n\
             logging.shutdown()\n"
        ),
    );
    assert!(err.is_empty(), "{err}");
    let ours = files(&ours);
    assert_eq!(ours, files(&theirs));
    // The hooks really ran: gzip-style names, transformed contents, three backups.
    let names: Vec<&str> = ours.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["app.log", "app.log.1.gz", "app.log.2.gz", "app.log.3.gz"]
    );
    assert!(
        ours[1].1.starts_with("compressed:INFO MESSAGE NUMBER"),
        "{:?}",
        ours[1]
    );
}

#[test]
fn namer_and_rotator_on_a_timed_handler_name_and_delete_backups() {
    let dir = temp_dir("recipe19-timed");
    let mut i = instance_with(&dir, recipe_factories());
    i.dict_config(
        r#"{"version": 1,
            "formatters": {"f": {"format": "%(message)s"}},
            "handlers": {"t": {"class": "logging.handlers.TimedRotatingFileHandler",
                               "filename": "app.log", "when": "S", "backupCount": 2,
                               "formatter": "f"}},
            "root": {"handlers": ["t"], "level": "DEBUG"}}"#,
    )
    .unwrap()
    .unwrap();
    i.set_handler_namer("t", Some("__main__.namer"))
        .unwrap()
        .unwrap();
    i.set_handler_rotator("t", Some("__main__.rotator"))
        .unwrap()
        .unwrap();
    for (n, m) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        i.set_fixed_time(Some(NOW_NS as i64 + n as i64 * 1_000_000_000))
            .unwrap();
        i.log("app", 20, m, &[], &[]).unwrap();
    }
    i.shutdown().unwrap();
    assert!(i.captured().stderr.is_empty(), "{}", i.captured().stderr);
    // CPython 3.13 finds a namer's backups for deletion by the name before the suffix: the
    // two newest are kept, named by the namer, written by the rotator.
    assert_eq!(
        files(&dir),
        [
            ("app.log".to_owned(), "e\n".to_owned()),
            (
                "app.log.2023-11-14_22-13-22.gz".to_owned(),
                "compressed:C\n".to_owned()
            ),
            (
                "app.log.2023-11-14_22-13-23.gz".to_owned(),
                "compressed:D\n".to_owned()
            ),
        ]
    );
}

#[test]
fn failing_hooks_are_reported_and_logging_goes_on() {
    let dir = temp_dir("recipe19-failing");
    let mut i = instance_with(&dir, recipe_factories());
    i.create_handler("rh", ROTATING).unwrap().unwrap();
    i.add_handler("", "rh").unwrap().unwrap();
    i.set_level("", 10).unwrap();
    // A namer that fails: the default name is used, with a report.
    i.set_handler_namer("rh", Some("broken.namer"))
        .unwrap()
        .unwrap();
    for n in 0..8 {
        i.log("app", 20, "first %d", &[Value::Int(n)], &[]).unwrap();
    }
    let err = i.captured().stderr;
    assert!(err.contains("--- Logging error ---"), "{err}");
    assert!(err.contains("namer: no names today"), "{err}");
    assert!(dir.join("app.log.1").exists());
    // A rotator that panics: that rollover fails with a report, the handler keeps working.
    i.set_handler_namer("rh", None).unwrap().unwrap();
    i.set_handler_rotator("rh", Some("panicking.rotator"))
        .unwrap()
        .unwrap();
    for n in 0..8 {
        i.log("app", 20, "second %d", &[Value::Int(n)], &[])
            .unwrap();
    }
    let err = i.captured().stderr;
    assert!(
        err.contains("host rotator panicked: rotator exploded"),
        "{err}"
    );
    // The default rename again: rollovers work and the records are all there.
    i.set_handler_rotator("rh", None).unwrap().unwrap();
    i.log("app", 40, "after the hooks", &[], &[]).unwrap();
    i.shutdown().unwrap();
    let all: String = files(&dir).into_iter().map(|(_, c)| c).collect();
    // With the failing namer the default names were used: the first records are all kept.
    for n in 0..8 {
        assert!(all.contains(&format!("INFO first {n}\n")), "{all}");
    }
    assert!(all.contains("ERROR after the hooks\n"), "{all}");
}

#[test]
fn bad_calls_are_refused_and_change_nothing() {
    let dir = temp_dir("recipe19-refused");
    let mut i = instance_with(&dir, recipe_factories());
    i.create_handler("rh", ROTATING).unwrap().unwrap();
    i.create_handler(
        "out",
        r#"{"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}"#,
    )
    .unwrap()
    .unwrap();
    i.set_handler_namer("rh", Some("__main__.namer"))
        .unwrap()
        .unwrap();
    // Not a rotating handler.
    let e = i
        .set_handler_namer("out", Some("__main__.namer"))
        .unwrap()
        .unwrap_err();
    assert_eq!(e.exception, "TypeError");
    assert!(
        e.message.contains("'out' is not a RotatingFileHandler"),
        "{}",
        e.message
    );
    // Unknown factory, and a factory of the wrong kind: the namer set before stays.
    let e = i
        .set_handler_namer("rh", Some("no.such"))
        .unwrap()
        .unwrap_err();
    assert_eq!(e.exception, "ValueError");
    assert!(e.message.contains("no.such"), "{}", e.message);
    let e = i
        .set_handler_namer("rh", Some("__main__.rotator"))
        .unwrap()
        .unwrap_err();
    assert!(
        e.message.contains("builds rotators, not a namer"),
        "{}",
        e.message
    );
    let e = i.set_handler_rotator("nobody", None).unwrap().unwrap_err();
    assert!(e.message.contains("nobody"), "{}", e.message);
    i.add_handler("", "rh").unwrap().unwrap();
    i.set_level("", 10).unwrap();
    for n in 0..8 {
        i.log("app", 20, "record %d", &[Value::Int(n)], &[])
            .unwrap();
    }
    i.shutdown().unwrap();
    assert!(dir.join("app.log.1.gz").exists(), "{:?}", files(&dir));
}

#[test]
fn without_hooks_a_plain_instance_still_rotates() {
    let dir = temp_dir("recipe19-plain");
    let mut i = instance(&dir);
    i.create_handler("rh", ROTATING).unwrap().unwrap();
    i.set_handler_namer("rh", None).unwrap().unwrap();
    i.add_handler("", "rh").unwrap().unwrap();
    i.set_level("", 10).unwrap();
    for n in 0..8 {
        i.log("app", 20, "record %d", &[Value::Int(n)], &[])
            .unwrap();
    }
    i.shutdown().unwrap();
    assert!(dir.join("app.log.1").exists(), "{:?}", files(&dir));
}
