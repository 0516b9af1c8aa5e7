//! `TimedRotatingFileHandler` through the component: configured by class name, its backups
//! named and deleted as CPython 3.13 names and deletes them (the arithmetic itself is
//! compared with CPython in `tests/timed_rotation.rs`), in the host's log directory, which
//! the component lists through `storage.list-logs`.

mod common;

use common::{instance, temp_dir, NOW_NS};

#[test]
fn timed_rotation_names_and_deletes_backups_in_the_log_directory() {
    let dir = temp_dir("timed");
    let mut inst = instance(&dir);
    inst.dict_config(
        r#"{"version": 1,
            "formatters": {"f": {"format": "%(message)s"}},
            "handlers": {"t": {"class": "logging.handlers.TimedRotatingFileHandler",
                               "filename": "app.log", "when": "S", "backupCount": 2,
                               "formatter": "f"}},
            "root": {"handlers": ["t"], "level": "DEBUG"}}"#,
    )
    .unwrap()
    .unwrap();
    // One record a second, from 2023-11-14 22:13:20.123 UTC (the instance's clock).
    for (i, m) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        inst.set_fixed_time(Some(NOW_NS as i64 + i as i64 * 1_000_000_000))
            .unwrap();
        inst.log("app", 20, m, &[], &[]).unwrap();
    }
    inst.shutdown().unwrap();
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    // Each roll names the backup after the interval it closes; the two newest are kept.
    assert_eq!(
        files,
        [
            ("app.log".to_owned(), "e\n".to_owned()),
            ("app.log.2023-11-14_22-13-22".to_owned(), "c\n".to_owned()),
            ("app.log.2023-11-14_22-13-23".to_owned(), "d\n".to_owned()),
        ]
    );
}
