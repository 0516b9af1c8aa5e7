//! The demo's tour inside the component against the same tour in CPython
//! (`tests/python/tour.py`): console output and every log written, byte for byte.

mod common;

use common::{files, instance, python, temp_dir, NOW_NS};

#[test]
fn tour_output_and_logs_match_cpython() {
    let ours = temp_dir("tour-ours");
    let theirs = temp_dir("tour-cpython");
    // A leftover from an earlier run must not change the result: the tour starts its
    // rotation from nothing, and opens its other logs with mode 'w'.
    std::fs::write(ours.join("app.log.3"), "stale\n").unwrap();
    std::fs::write(ours.join("spam.log"), "stale\n").unwrap();

    let mut inst = instance(&ours);
    inst.tour().unwrap().unwrap();
    let got = inst.captured();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/tour.py");
    let (py_out, py_err) = python(&[script, theirs.to_str().unwrap(), &NOW_NS.to_string()]);

    assert_eq!(got.stdout, py_out);
    assert_eq!(got.stderr, py_err);
    assert_eq!(files(&ours), files(&theirs));
    // The recipes really ran: spot-check a few lines of each.
    assert!(got.stdout.contains(
        "2023-11-14 22:13:20,123 - spam_application.auxiliary - INFO - received a call to \"some_function\"\n"
    ));
    assert!(got
        .stdout
        .contains("myapp.area2 : ERROR    The five boxing wizards jump quickly.\n"));
    assert!(got.stdout.contains("app.log.5: i = 9 | i = 10\n"));
    assert!(got
        .stdout
        .contains("message 2 >>> {\"city\": \"Z\\u00fcrich\", \"ok\": true, \"none\": null}\n"));
    assert_eq!(
        got.stderr,
        "ERROR    simple_example: error message\nCRITICAL simple_example: critical message\n"
    );
    let names: Vec<String> = files(&ours).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "app.log",
            "app.log.1",
            "app.log.2",
            "app.log.3",
            "app.log.4",
            "app.log.5",
            "myapp.log",
            "simple.log",
            "spam.log"
        ]
    );
    std::fs::remove_dir_all(&ours).unwrap();
    std::fs::remove_dir_all(&theirs).unwrap();
}

#[test]
fn demo_command_runs_the_tour_and_lists_the_logs() {
    let dir = temp_dir("demo-cli");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wasm-logging"))
        .args(["demo", "--log-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    for banner in [
        "=== Using logging in multiple modules ===",
        "=== Logging to multiple destinations ===",
        "=== Contextual information with adapters ===",
        "=== Alternative formatting styles ===",
        "=== File rotation ===",
        "=== Structured logging ===",
    ] {
        assert!(stdout.contains(banner), "{banner} missing from:\n{stdout}");
    }
    assert!(stdout.contains(&format!("=== Logs written to {} ===", dir.display())));
    // Recipe 8 live: one instance's SocketHandler, `serve`, the cookbook receiver's format.
    let network = stdout
        .split("=== Sending and receiving events across a network ===\n")
        .nth(1)
        .unwrap_or_default();
    let received: Vec<&str> = network.lines().take(6).collect();
    assert_eq!(received.len(), 6, "{stdout}");
    assert!(
        received[0].ends_with(" root            INFO     Jackdaws love my big sphinx of quartz."),
        "{stdout}"
    );
    assert!(
        received[4].ends_with(" myapp.area2     ERROR    The five boxing wizards jump quickly."),
        "{stdout}"
    );
    assert!(received[5].starts_with("(5 records sent"), "{stdout}");
    // The wasi:logging guest, linked live, logs through the root the tour configured.
    assert!(stdout.contains(
        "=== A wasi:logging component linked to this one ===\n\
         guest.app   : INFO     guest started\n\
         guest.db    : WARNING  slow query took %d ms (no interpolation)\n"
    ));
    let myapp = std::fs::read_to_string(dir.join("myapp.log")).unwrap();
    assert!(
        myapp.contains(" guest.app    DEBUG    cache warmed: 100% of 12 entries\n"),
        "{myapp}"
    );
    let listed = |name: &str, size: &str| {
        stdout
            .lines()
            .any(|l| l.split_whitespace().eq([name, size, "bytes"]))
    };
    assert!(listed("app.log.5", "13"), "{stdout}");
    assert!(listed("app.log", "7"), "{stdout}");
    assert!(stderr.contains("CRITICAL simple_example: critical message\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}
