//! Many workers, one log (issue 14, cookbook recipes 12 and 20) with real concurrent
//! instances: worker instances, each on its own thread with its own store, put records on a
//! host queue through their `QueueHandler`; one listener instance owns the files and the
//! console. Real Wasmtime, real threads, and CPython 3.13 with real processes as the oracle.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{python_exe, runtime, temp_dir, NOW_NS};
use wasm_logging_host::bindings::exports::wasm_logging::logging::config::ListenerTarget;
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
use wasm_logging_host::workers::{pump_listener, run_workers};
use wasm_logging_host::{
    Console, HostOptions, Instance, LocalTime, QueueOptions, Runtime, SharedQueues, Zone,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/dictconfig");

fn fixture(part: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/recipe_20_{part}.json")).unwrap()
}

/// An instance's options: fixed clock, UTC, captured console, logs in `dir`, sharing `queues`.
fn options(
    dir: &Path,
    process_name: &str,
    thread_name: &str,
    queues: &SharedQueues,
) -> HostOptions {
    HostOptions {
        log_dir: dir.to_path_buf(),
        console: Console::capture(),
        clock: Some(NOW_NS),
        zone: Zone::Fixed(LocalTime::utc()),
        process_name: process_name.to_owned(),
        thread_name: thread_name.to_owned(),
        process: 4242,
        ..HostOptions::default()
    }
    .shared_queues(queues.clone())
}

fn configure(i: &mut Instance, json: &str) {
    i.dict_config(json)
        .unwrap()
        .unwrap_or_else(|e| panic!("refused: {}: {}", e.path, e.reason));
}

/// Every worker's configuration here: everything onto the host queue `q`.
const WORKER: &str = r#"{"version": 1,
  "handlers": {"queue": {"class": "logging.handlers.QueueHandler", "queue": "ext://host:q"}},
  "root": {"level": "DEBUG", "handlers": ["queue"]}}"#;

const LEVELS: [(i32, &str); 5] = [
    (10, "DEBUG"),
    (20, "INFO"),
    (30, "WARNING"),
    (40, "ERROR"),
    (50, "CRITICAL"),
];
const LOGGERS: [&str; 4] = ["app", "app.db", "app.net.http", "jobs"];

/// Worker `w`'s `i`-th record: (level, logger).
fn pick(w: usize, i: usize) -> (i32, &'static str) {
    (LEVELS[(i * 3 + w) % 5].0, LOGGERS[(i * 7 + w) % 4])
}

/// Worker `w` logging `n` records with extras, counting its `handleError` reports in
/// `errors[w]`.
fn worker(
    rt: &'static Runtime,
    dir: &Path,
    queues: &SharedQueues,
    w: usize,
    n: usize,
    errors: Arc<Vec<AtomicU64>>,
) -> impl FnOnce() -> wasmtime::Result<()> + Send {
    let opts = options(dir, &format!("worker-{w}"), &format!("thread-{w}"), queues);
    move || {
        let mut i = rt.instantiate(opts)?;
        configure(&mut i, WORKER);
        for k in 0..n {
            let (level, name) = pick(w, k);
            i.log(
                name,
                level,
                "record %d of %s",
                &[Value::Int(k as i64), Value::Str(format!("worker-{w}"))],
                &[
                    ("user".to_owned(), Value::Str(format!("u{w}"))),
                    ("seq".to_owned(), Value::Int(k as i64)),
                    ("ratio".to_owned(), Value::Float(k as f64 / 4.0)),
                ],
            )?;
        }
        errors[w].store(i.error_count()?, Ordering::SeqCst);
        i.shutdown()
    }
}

/// The listener's configuration: one file with every record's identity and extras, ERROR
/// and above on the console.
const LISTENER: &str = r#"{"version": 1,
  "formatters": {"all": {"format": "%(processName)s|%(threadName)s|%(name)s|%(levelname)s|%(message)s|%(user)s|%(seq)d|%(ratio)s"},
                 "short": {"format": "%(levelname)s %(processName)s %(message)s"}},
  "handlers": {"file": {"class": "logging.FileHandler", "filename": "all.log", "mode": "w", "formatter": "all"},
               "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "level": "ERROR", "formatter": "short"}},
  "root": {"level": "DEBUG", "handlers": ["file", "console"]}}"#;

#[test]
fn four_workers_on_four_threads_log_8000_records_each_delivered_once_in_worker_order() {
    const N: usize = 2000;
    const W: usize = 4;
    let dir = temp_dir("workers-4x2000");
    let queues = SharedQueues::new();
    // Bounded, with back-pressure: a worker ahead of the listener waits for room.
    let q = queues
        .create(
            "q",
            QueueOptions {
                maxsize: 500,
                put_timeout: Duration::from_secs(30),
            },
        )
        .unwrap();
    let rt = runtime();
    let mut listener = rt
        .instantiate(options(&dir, "listener", "MainThread", &queues))
        .unwrap();
    configure(&mut listener, LISTENER);
    listener
        .start_listener("host:q", &ListenerTarget::Loggers(None), false)
        .unwrap()
        .unwrap();
    let errors = Arc::new((0..W).map(|_| AtomicU64::new(0)).collect::<Vec<_>>());
    let workers = (0..W)
        .map(|w| worker(rt, &dir, &queues, w, N, errors.clone()))
        .collect();
    let report = run_workers(&mut listener, &q, workers).unwrap();
    assert!(
        report.workers.iter().all(|o| o.error.is_none()),
        "{report:?}"
    );
    assert_eq!(
        (report.delivered, report.put, report.refused, report.left),
        ((W * N) as u64, (W * N) as u64, 0, 0)
    );
    assert_eq!(listener.stop_listener("host:q").unwrap(), 0);
    listener.shutdown().unwrap();
    assert_eq!(listener.error_count().unwrap(), 0);
    for e in errors.iter() {
        assert_eq!(e.load(Ordering::SeqCst), 0);
    }

    let log = std::fs::read_to_string(dir.join("all.log")).unwrap();
    assert!(log.ends_with('\n'));
    let mut next = [0usize; W];
    let mut lines = 0;
    for line in log.lines() {
        lines += 1;
        let f: Vec<&str> = line.split('|').collect();
        assert_eq!(f.len(), 8, "a whole line: {line:?}");
        let w: usize = f[0].strip_prefix("worker-").unwrap().parse().unwrap();
        let k = next[w];
        let (level, name) = pick(w, k);
        let levelname = LEVELS.iter().find(|l| l.0 == level).unwrap().1;
        let ratio = format!("{:?}", k as f64 / 4.0);
        let want = [
            format!("worker-{w}"),
            format!("thread-{w}"),
            name.to_owned(),
            levelname.to_owned(),
            format!("record {k} of worker-{w}"),
            format!("u{w}"),
            k.to_string(),
            ratio,
        ];
        assert_eq!(f, want, "worker {w}'s record {k} next, in its order");
        next[w] += 1;
    }
    assert_eq!(lines, W * N);
    assert_eq!(next, [N; W], "every record exactly once");

    let out = listener.captured().stdout;
    let errors_expected = (0..W)
        .flat_map(|w| (0..N).map(move |k| (w, k)))
        .filter(|&(w, k)| pick(w, k).0 >= 40)
        .count();
    assert_eq!(out.lines().count(), errors_expected);
    assert!(out.lines().all(|l| (l.starts_with("ERROR worker-")
        || l.starts_with("CRITICAL worker-"))
        && l.contains(" record ")));
}

/// The recipe's per-worker choices (deterministic stand-ins for `random.choice`).
fn recipe_choices(workers: usize, records: usize) -> Vec<Vec<(i32, &'static str)>> {
    (0..workers)
        .map(|w| {
            (0..records)
                .map(|i| wasm_logging_host::workers::recipe_choice(w, i))
                .collect()
        })
        .collect()
}

/// Lines of `text` sorted, for output whose interleaving concurrency decides.
fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::to_owned).collect();
    v.sort();
    v
}

/// The lines of each worker (by the `(for worker N)` label), in order.
fn per_worker(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        let who = line
            .split("(for ")
            .nth(1)
            .and_then(|s| s.split(')').next())
            .unwrap_or("")
            .to_owned();
        m.entry(who).or_default().push(line.to_owned());
    }
    m
}

/// Recipe 20 in full with real concurrency on both sides: CPython forks a listener and four
/// workers around a `multiprocessing.Queue`; here four worker instances on four threads and
/// a listener instance share a host queue named `__main__.q`, so the recipe's worker and
/// listener configurations run unchanged. Same files and console, up to the interleaving
/// concurrency decides: the same lines, and each worker's in its own order.
#[test]
fn recipe_20_with_four_concurrent_worker_instances_matches_cpython_processes() {
    const W: usize = 4;
    const N: usize = 100;
    let choices = recipe_choices(W, N);
    let theirs = temp_dir("workers-recipe20-py");
    let out = std::process::Command::new(python_exe())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/workers_recipe20.py"
        ))
        .arg(NOW_NS.to_string())
        .arg(FIXTURES)
        .arg(serde_json::to_string(&choices).unwrap())
        .current_dir(&theirs)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py_err = String::from_utf8(out.stderr).unwrap();

    let ours = temp_dir("workers-recipe20");
    let queues = SharedQueues::new();
    let q = queues
        .create("__main__.q", QueueOptions::default())
        .unwrap();
    let rt = runtime();
    // The main process: the initial configuration (its console is stderr).
    let mut main = rt
        .instantiate(options(&ours, "MainProcess", "MainThread", &queues))
        .unwrap();
    configure(&mut main, &fixture("initial"));
    main.log("setup", 20, "About to create workers ...", &[], &[])
        .unwrap();
    // Each worker and the listener start as the recipe's forked processes do: with the
    // parent's `setup` logger, which their configuration disables.
    let workers: Vec<_> = choices
        .iter()
        .enumerate()
        .map(|(w, mine)| {
            let opts = options(&ours, &format!("worker {}", w + 1), "MainThread", &queues);
            let mine = mine.clone();
            move || -> wasmtime::Result<()> {
                let mut i = rt.instantiate(opts)?;
                configure(&mut i, &fixture("initial"));
                i.logger("setup")?;
                configure(&mut i, &fixture("worker"));
                i.log(
                    "setup",
                    50,
                    "Should not appear, because of disabled logger ...",
                    &[],
                    &[],
                )?;
                for (k, (level, name)) in mine.iter().enumerate() {
                    i.log(name, *level, "Message no. %d", &[Value::Int(k as i64)], &[])?;
                }
                assert_eq!(i.error_count()?, 0);
                assert_eq!(
                    i.captured(),
                    Default::default(),
                    "a worker writes nothing itself"
                );
                i.shutdown()
            }
        })
        .collect();
    for w in 0..W {
        main.log(
            "setup",
            20,
            "Started worker: %s",
            &[Value::Str(format!("worker {}", w + 1))],
            &[],
        )
        .unwrap();
    }
    main.log("setup", 20, "About to create listener ...", &[], &[])
        .unwrap();
    let mut listener = rt
        .instantiate(options(&ours, "listener", "MainThread", &queues))
        .unwrap();
    configure(&mut listener, &fixture("initial"));
    listener.logger("setup").unwrap();
    configure(&mut listener, &fixture("listener"));
    listener
        .start_listener(
            "ext://__main__.q",
            &ListenerTarget::Loggers(Some("listener".into())),
            false,
        )
        .unwrap()
        .unwrap();
    listener
        .log(
            "setup",
            50,
            "Should not appear, because of disabled logger ...",
            &[],
            &[],
        )
        .unwrap();
    main.log("setup", 20, "Started listener", &[], &[]).unwrap();
    let report = run_workers(&mut listener, &q, workers).unwrap();
    assert!(
        report.workers.iter().all(|o| o.error.is_none()),
        "{report:?}"
    );
    main.log("setup", 20, "Telling listener to stop ...", &[], &[])
        .unwrap();
    assert_eq!(listener.stop_listener("__main__.q").unwrap(), 0);
    listener.shutdown().unwrap();
    main.log("setup", 20, "All done.", &[], &[]).unwrap();
    main.shutdown().unwrap();
    assert_eq!(report.delivered, (W * N) as u64);
    assert_eq!(listener.error_count().unwrap(), 0);

    // The console: the main process's and the listener's lines.
    let console = main.captured().stderr + &listener.captured().stderr;
    assert_eq!(sorted_lines(&console), sorted_lines(&py_err));
    assert_eq!(per_worker(&console), per_worker(&py_err));
    let mine = common::files(&ours);
    let theirs = common::files(&theirs);
    assert_eq!(
        mine.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["mplog-errors.log", "mplog-foo.log", "mplog.log"]
    );
    for ((name, a), (_, b)) in mine.iter().zip(&theirs) {
        assert_eq!(sorted_lines(a), sorted_lines(b), "{name}: the same lines");
        assert_eq!(
            per_worker(a),
            per_worker(b),
            "{name}: each worker's in order"
        );
        assert!(a.ends_with('\n'));
    }
    assert_eq!(mine[2].1.lines().count(), W * N);
}

/// CPython 3.12's `QueueHandler` keys in the listener: its configuration names the host queue
/// and the handlers; the listener `dictConfig` made is started and stopped by handler name.
#[test]
fn a_listener_made_by_the_queue_handler_keys_delivers_what_workers_put() {
    let dir = temp_dir("workers-qh-keys");
    let queues = SharedQueues::new();
    let q = queues.create("q", QueueOptions::default()).unwrap();
    let rt = runtime();
    let mut listener = rt
        .instantiate(options(&dir, "listener", "MainThread", &queues))
        .unwrap();
    configure(
        &mut listener,
        r#"{"version": 1,
          "formatters": {"f": {"format": "%(processName)s %(name)s %(levelname)s %(message)s"}},
          "handlers": {"file": {"class": "logging.FileHandler", "filename": "one.log", "formatter": "f", "level": "INFO"},
                       "qh": {"class": "logging.handlers.QueueHandler", "queue": "ext://host:q",
                              "handlers": ["file"], "respect_handler_level": true}},
          "root": {"level": "DEBUG", "handlers": ["qh"]}}"#,
    );
    listener.start_handler_listener("qh").unwrap().unwrap();
    // The listener's own records go through the same host queue.
    listener.log("main", 20, "listener up", &[], &[]).unwrap();
    let workers: Vec<_> = (0..3)
        .map(|w| {
            let opts = options(&dir, &format!("w{w}"), "MainThread", &queues);
            move || -> wasmtime::Result<()> {
                let mut i = rt.instantiate(opts)?;
                configure(&mut i, WORKER);
                for k in 0..300 {
                    i.log(
                        "job",
                        if k % 3 == 0 { 10 } else { 20 },
                        "step %d",
                        &[Value::Int(k)],
                        &[],
                    )?;
                }
                i.shutdown()
            }
        })
        .collect();
    let report = run_workers(&mut listener, &q, workers).unwrap();
    assert_eq!(report.delivered, 901);
    assert_eq!(listener.stop_handler_listener("qh").unwrap().unwrap(), 0);
    listener.shutdown().unwrap();
    let log = std::fs::read_to_string(dir.join("one.log")).unwrap();
    assert_eq!(log.lines().next(), Some("listener main INFO listener up"));
    for w in 0..3 {
        let mine: Vec<&str> = log
            .lines()
            .filter(|l| l.starts_with(&format!("w{w} ")))
            .collect();
        let want: Vec<String> = (0..300)
            .filter(|k| k % 3 != 0)
            .map(|k| format!("w{w} job INFO step {k}"))
            .collect();
        assert_eq!(mine, want, "respect_handler_level drops DEBUG; order kept");
    }
}

/// A full queue refuses at once (no wait allowed): each refusal is counted by the host and
/// reported by the worker's `handleError` with CPython's `queue.Full`; what was queued is
/// delivered later, in order.
#[test]
fn a_full_queue_refuses_counts_and_reports_and_keeps_what_it_holds() {
    let dir = temp_dir("workers-full");
    let queues = SharedQueues::new();
    let q = queues
        .create(
            "q",
            QueueOptions {
                maxsize: 10,
                put_timeout: Duration::ZERO,
            },
        )
        .unwrap();
    let rt = runtime();
    let mut w = rt
        .instantiate(options(&dir, "worker", "MainThread", &queues))
        .unwrap();
    configure(&mut w, WORKER);
    for k in 0..25 {
        w.log("app", 20, "n=%d", &[Value::Int(k)], &[]).unwrap();
    }
    assert_eq!((q.len(), q.put_count(), q.refused()), (10, 10, 15));
    assert_eq!(w.error_count().unwrap(), 15);
    let err = w.captured().stderr;
    assert_eq!(err.matches("--- Logging error ---").count(), 15);
    assert_eq!(
        err.matches("queue.Full: the host queue 'q' holds 10 records")
            .count(),
        15,
        "{err}"
    );
    assert_eq!(w.queue_size("host:q").unwrap(), Some(10));

    let mut l = rt
        .instantiate(options(&dir, "listener", "MainThread", &queues))
        .unwrap();
    configure(
        &mut l,
        r#"{"version": 1, "formatters": {"f": {"format": "%(processName)s %(message)s"}},
            "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "f"}},
            "root": {"handlers": ["out"]}}"#,
    );
    l.start_listener("host:q", &ListenerTarget::Loggers(None), false)
        .unwrap()
        .unwrap();
    assert_eq!(l.pump().unwrap(), 10);
    let want: String = (0..10).map(|k| format!("worker n={k}\n")).collect();
    assert_eq!(l.captured().stdout, want);
    assert!(q.is_empty());
}

/// A listener stopped while workers still log: it delivers what was queued when it was told
/// to stop and no more; the workers go on until the bounded queue is full, and every refusal
/// is reported. A second listener instance then delivers what was left: every record is
/// either delivered exactly once or counted as refused by its worker.
#[test]
fn a_listener_that_stops_early_leaves_the_rest_queued_for_the_next_one() {
    const W: usize = 2;
    const N: usize = 1500;
    let dir = temp_dir("workers-stop-early");
    let queues = SharedQueues::new();
    let q = queues
        .create(
            "q",
            QueueOptions {
                maxsize: 300,
                put_timeout: Duration::ZERO,
            },
        )
        .unwrap();
    let rt = runtime();
    let listener_config = r#"{"version": 1, "formatters": {"f": {"format": "%(processName)s %(seq)d"}},
        "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "f"}},
        "root": {"handlers": ["out"]}}"#;
    let mut first = rt
        .instantiate(options(&dir, "first", "MainThread", &queues))
        .unwrap();
    configure(&mut first, listener_config);
    first
        .start_listener("host:q", &ListenerTarget::Loggers(None), false)
        .unwrap()
        .unwrap();
    let errors = Arc::new((0..W).map(|_| AtomicU64::new(0)).collect::<Vec<_>>());
    let delivered_first = std::thread::scope(|s| {
        let handles: Vec<_> = (0..W)
            .map(|w| s.spawn(worker(rt, &dir, &queues, w, N, errors.clone())))
            .collect();
        // Deliver until 200 records are through, then stop while the workers go on.
        let mut n = 0u64;
        while n < 200 {
            n += u64::from(first.pump().unwrap());
            q.wait_for_records(Duration::from_millis(5));
        }
        n += u64::from(first.stop_listener("host:q").unwrap());
        for h in handles {
            h.join().unwrap().unwrap();
        }
        n
    });
    assert_eq!(first.pump().unwrap(), 0, "a stopped listener takes nothing");
    let refused: u64 = errors.iter().map(|e| e.load(Ordering::SeqCst)).sum();
    assert_eq!(refused, q.refused(), "each refusal reported by its worker");
    assert_eq!(q.put_count() + refused, (W * N) as u64);
    let left = q.len() as u64;
    assert_eq!(delivered_first + left, q.put_count());
    assert!(left > 0 && left <= 300, "left {left}");

    let mut second = rt
        .instantiate(options(&dir, "second", "MainThread", &queues))
        .unwrap();
    configure(&mut second, listener_config);
    second
        .start_listener("host:q", &ListenerTarget::Loggers(None), false)
        .unwrap()
        .unwrap();
    let delivered_second = pump_listener(&mut second, &q, &|| true).unwrap();
    assert_eq!(delivered_second, left);
    assert!(q.is_empty());
    // Each worker's delivered records, across both listeners, in order and once.
    let all = first.captured().stdout + &second.captured().stdout;
    for w in 0..W {
        let seqs: Vec<u64> = all
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("worker-{w} ")))
            .map(|s| s.parse().unwrap())
            .collect();
        assert!(
            seqs.windows(2).all(|p| p[0] < p[1]),
            "worker {w} in order, once"
        );
        assert_eq!(
            seqs.len() as u64 + errors[w].load(Ordering::SeqCst),
            N as u64
        );
    }
}

/// A worker that traps mid-way (its fuel runs out inside a log call) ends only itself: the
/// other workers finish, the listener delivers everything, and the records the trapped worker
/// queued before the trap are delivered too, in order.
#[test]
fn a_worker_that_traps_mid_way_loses_nothing_it_already_queued() {
    const N: usize = 1000;
    let path = wasm_logging_host::default_component_path(wasm_logging_host::COMPONENT_FILE);
    let mut config = wasmtime::Config::new();
    config.consume_fuel(true);
    let engine = wasmtime::Engine::new(&config).unwrap();
    // Not through the compilation cache: it keeps one engine's compilation per component.
    let component =
        wasmtime::component::Component::from_file(&engine, &path).expect("the component");
    let rt: &'static Runtime = Box::leak(Box::new(Runtime::new(engine, component).unwrap()));
    let dir = temp_dir("workers-trap");
    let queues = SharedQueues::new();
    let q = queues.create("q", QueueOptions::default()).unwrap();
    let fueled = |name: &str| HostOptions {
        fuel: Some(u64::MAX),
        ..options(&dir, name, "MainThread", &queues)
    };
    let mut listener = rt.instantiate(fueled("listener")).unwrap();
    configure(
        &mut listener,
        r#"{"version": 1, "formatters": {"f": {"format": "%(processName)s %(seq)d"}},
            "handlers": {"file": {"class": "logging.FileHandler", "filename": "all.log", "formatter": "f"}},
            "root": {"handlers": ["file"]}}"#,
    );
    listener
        .start_listener("host:q", &ListenerTarget::Loggers(None), false)
        .unwrap()
        .unwrap();
    let workers: Vec<Box<dyn FnOnce() -> wasmtime::Result<()> + Send>> = (0..3)
        .map(|w| {
            let opts = fueled(&format!("worker-{w}"));
            Box::new(move || -> wasmtime::Result<()> {
                let mut i = rt.instantiate(opts)?;
                configure(&mut i, WORKER);
                let log = |i: &mut Instance, k: usize| {
                    i.log(
                        "app",
                        20,
                        "x",
                        &[],
                        &[("seq".to_owned(), Value::Int(k as i64))],
                    )
                };
                log(&mut i, 0)?;
                if w == 1 {
                    // Fuel for about 300 more records, measured on this one.
                    let before = i.store().get_fuel()?;
                    log(&mut i, 1)?;
                    let per_record = before - i.store().get_fuel()?;
                    i.store().set_fuel(per_record * 300 + per_record / 2)?;
                    for k in 2..N {
                        log(&mut i, k)?;
                    }
                    unreachable!("the worker ran out of fuel");
                }
                for k in 1..N {
                    log(&mut i, k)?;
                }
                i.shutdown()
            }) as Box<dyn FnOnce() -> wasmtime::Result<()> + Send>
        })
        .collect();
    let report = run_workers(&mut listener, &q, workers).unwrap();
    assert!(report.workers[0].error.is_none() && report.workers[2].error.is_none());
    let trap = report.workers[1].error.as_deref().unwrap();
    assert!(trap.contains("fuel"), "{trap}");
    listener.shutdown().unwrap();
    let log = std::fs::read_to_string(dir.join("all.log")).unwrap();
    for w in [0, 2] {
        let seqs: Vec<String> = log
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("worker-{w} ")).map(str::to_owned))
            .collect();
        assert_eq!(seqs, (0..N).map(|k| k.to_string()).collect::<Vec<_>>());
    }
    let trapped: Vec<usize> = log
        .lines()
        .filter_map(|l| l.strip_prefix("worker-1 ").map(|s| s.parse().unwrap()))
        .collect();
    // Every record whose put returned before the trap, in order, none twice.
    assert_eq!(trapped, (0..trapped.len()).collect::<Vec<_>>());
    assert!((150..=600).contains(&trapped.len()), "{}", trapped.len());
    assert_eq!(report.put, report.delivered);
    assert_eq!(report.left, 0);
}

/// A host queue's bound is the host's: a configuration that tries to set it is refused, names
/// the offending path, and changes nothing.
#[test]
fn a_configuration_cannot_resize_a_host_queue() {
    let dir = temp_dir("workers-resize");
    let queues = SharedQueues::new();
    queues.create("q", QueueOptions::default()).unwrap();
    let mut i = runtime()
        .instantiate(options(&dir, "worker", "MainThread", &queues))
        .unwrap();
    let err = i
        .dict_config(
            r#"{"version": 1, "handlers": {"queue": {"class": "logging.handlers.QueueHandler",
                 "queue": {"()": "ext://host:q", "maxsize": 10}}}, "root": {"handlers": ["queue"]}}"#,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(err.path, "handlers.queue.queue");
    assert!(
        err.reason.contains("host queue 'q' takes no arguments"),
        "{}",
        err.reason
    );
    assert!(i.get_handler_names().unwrap().is_empty());
    let err = i
        .dict_config(
            r#"{"version": 1, "handlers": {"queue": {"class": "logging.handlers.QueueHandler",
                 "queue": "ext://host:nope"}}}"#,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(err.path, "handlers.queue.queue");
}

/// When nobody will make room any more (the listener is gone), a put waiting for room stops
/// waiting and is refused, and later ones are refused at once: a dead listener never holds
/// a worker for its whole `put_timeout` per record.
#[test]
fn refuse_waiting_releases_a_put_waiting_on_a_full_queue() {
    let queues = SharedQueues::new();
    let q = queues
        .create(
            "q",
            QueueOptions {
                maxsize: 1,
                put_timeout: Duration::from_secs(60),
            },
        )
        .unwrap();
    q.put(vec![]).unwrap();
    let started = std::time::Instant::now();
    let waiting = {
        let q = q.clone();
        std::thread::spawn(move || q.put(vec![]))
    };
    std::thread::sleep(Duration::from_millis(100));
    q.refuse_waiting();
    let err = waiting.join().unwrap().unwrap_err();
    assert_eq!(err, "queue.Full: the host queue 'q' holds 1 records");
    assert!(q.put(vec![]).is_err());
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!((q.len(), q.put_count(), q.refused()), (1, 1, 2));
}
