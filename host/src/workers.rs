//! Many workers, one log: the cookbook's listener/worker arrangement (recipes 12 and 20) with
//! real concurrent instances. Each worker is an instance on its own thread with its own
//! store; its `QueueHandler` puts records on a host queue ([`crate::queue_bus`]); one
//! listener instance, which alone owns the files and the console, delivers them through its
//! own configuration.
//!
//! Shutdown runs in the cookbook's order: the workers finish, then the listener is told to
//! stop, delivers everything queued, and stops ([`pump_listener`]). A worker that fails or
//! traps ends only itself: what it queued before stays queued and is delivered.
//!
//! ```no_run
//! use std::time::Duration;
//! use wasm_logging_host::bindings::exports::wasm_logging::logging::config::ListenerTarget;
//! use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
//! use wasm_logging_host::workers::run_workers;
//! use wasm_logging_host::{HostOptions, QueueOptions, Runtime, SharedQueues};
//! use wasmtime::format_err;
//!
//! # const LISTENER_JSON: &str = "";
//! # const WORKER_JSON: &str = "";
//! # fn main() -> wasmtime::Result<()> {
//! let runtime = Runtime::load("target/wasm32-wasip2/release/wasm_logging.wasm")?;
//! // The cookbook's `q`: bounded, a full queue makes a worker wait up to a second.
//! let queues = SharedQueues::new();
//! let options = QueueOptions { maxsize: 10_000, put_timeout: Duration::from_secs(1) };
//! let q = queues.create("__main__.q", options).map_err(|e| format_err!("{e}"))?;
//!
//! // The listener owns the files and the console.
//! let mut listener = runtime.instantiate(HostOptions {
//!     process_name: "listener".into(),
//!     ..HostOptions::default().shared_queues(queues.clone())
//! })?;
//! listener.dict_config(LISTENER_JSON)?.map_err(|e| format_err!("{}: {}", e.path, e.reason))?;
//! let target = ListenerTarget::Loggers(Some("listener".into())); // the recipe's MyHandler
//! listener.start_listener("__main__.q", &target, false)?.map_err(|e| format_err!("{e}"))?;
//!
//! // Four workers, each an instance on its own thread.
//! let workers: Vec<_> = (1..=4)
//!     .map(|n| {
//!         let options = HostOptions {
//!             process_name: format!("worker {n}"),
//!             ..HostOptions::default().shared_queues(queues.clone())
//!         };
//!         let runtime = &runtime;
//!         move || -> wasmtime::Result<()> {
//!             let mut worker = runtime.instantiate(options)?;
//!             worker.dict_config(WORKER_JSON)?.map_err(|e| format_err!("{}", e.reason))?;
//!             worker.log("foo.bar", 20, "Message no. %d", &[Value::Int(0)], &[])?;
//!             worker.shutdown()
//!         }
//!     })
//!     .collect();
//! let report = run_workers(&mut listener, &q, workers)?;
//! listener.stop_listener("__main__.q")?;
//! listener.shutdown()?;
//! println!("{} delivered, {} refused", report.delivered, report.refused);
//! # Ok(())
//! # }
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wasmtime::Result;

use crate::bindings::exports::wasm_logging::logging::config::ListenerTarget;
use crate::bindings::exports::wasm_logging::logging::loggers::Value;
use crate::queue_bus::{HostQueue, QueueOptions, SharedQueues};
use crate::{HostOptions, Instance, Runtime};

/// How long the listener sleeps on an empty queue before it looks at `stop` again.
const IDLE_WAIT: Duration = Duration::from_millis(20);

/// Runs `listener`'s `pump` (its started `QueueListener`s) on `queue` until `stop()` says the
/// producers are done, then delivers what they left and returns how many records it
/// delivered in all. `stop` is asked after every pump, so records put before it turned true
/// are always delivered. Sleeps on the queue while it is empty instead of spinning.
pub fn pump_listener(
    listener: &mut Instance,
    queue: &HostQueue,
    stop: &dyn Fn() -> bool,
) -> Result<u64> {
    let mut delivered = 0u64;
    loop {
        let n = u64::from(listener.pump()?);
        delivered += n;
        if stop() {
            // Each pump takes what was queued when it began; with the producers done, a
            // pump that delivers nothing means the queue is empty (or nobody listens).
            loop {
                let n = u64::from(listener.pump()?);
                delivered += n;
                if n == 0 {
                    return Ok(delivered);
                }
            }
        }
        if n == 0 {
            queue.wait_for_records(IDLE_WAIT);
        }
    }
}

/// How one worker ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerOutcome {
    /// The worker's index (0-based).
    pub index: usize,
    /// Why it stopped early: its error or trap, or its thread's panic; `None` if it finished.
    pub error: Option<String>,
}

/// What [`run_workers`] did.
#[derive(Clone, Debug)]
pub struct WorkersReport {
    /// Each worker's outcome, in index order.
    pub workers: Vec<WorkerOutcome>,
    /// Records the listener delivered.
    pub delivered: u64,
    /// Records put on the queue in all.
    pub put: u64,
    /// Puts refused because the queue was full (each also reported by its worker's
    /// `handleError`).
    pub refused: u64,
    /// Records still on the queue afterwards (nothing listened for them).
    pub left: usize,
}

/// Runs each of `workers` on its own thread (each makes and drives its own instance, and
/// returns when done) while `listener`, on this thread, delivers what they put on `queue`;
/// when every worker has returned, the listener delivers the rest ([`pump_listener`]). The
/// listener must already be configured with a started listener on `queue`. A worker's
/// error, trap or panic is its outcome; the others and the listener go on.
pub fn run_workers<W>(
    listener: &mut Instance,
    queue: &HostQueue,
    workers: Vec<W>,
) -> Result<WorkersReport>
where
    W: FnOnce() -> Result<()> + Send,
{
    let count = workers.len();
    let finished = AtomicUsize::new(0);
    let (delivered, outcomes) = std::thread::scope(|s| {
        let handles: Vec<_> = workers
            .into_iter()
            .map(|work| {
                let finished = &finished;
                s.spawn(move || {
                    // Counted however the worker ends, so the listener never waits forever.
                    struct Done<'a>(&'a AtomicUsize);
                    impl Drop for Done<'_> {
                        fn drop(&mut self) {
                            self.0.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    let _done = Done(finished);
                    work()
                })
            })
            .collect();
        let delivered = pump_listener(listener, queue, &|| {
            finished.load(Ordering::SeqCst) == count
        });
        if delivered.is_err() {
            // The listener trapped: nobody will make room, so workers must not wait for it.
            queue.refuse_waiting();
        }
        let outcomes: Vec<WorkerOutcome> = handles
            .into_iter()
            .enumerate()
            .map(|(index, h)| WorkerOutcome {
                index,
                error: match h.join() {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(format!("{e:?}")),
                    Err(_) => Some("the worker's thread panicked".to_owned()),
                },
            })
            .collect();
        (delivered, outcomes)
    });
    Ok(WorkersReport {
        workers: outcomes,
        delivered: delivered?,
        put: queue.put_count(),
        refused: queue.refused(),
        left: queue.len(),
    })
}

/// `wasm-logging workers`: recipe 20 with real concurrent instances.
#[derive(Clone, Debug)]
pub struct RecipeOptions {
    /// The listener's dictConfig JSON (the cookbook's `config_listener`).
    pub listener_config: String,
    /// The workers' dictConfig JSON (`config_worker`); its `QueueHandler` names the queue.
    pub worker_config: String,
    /// How many workers.
    pub workers: usize,
    /// How many records each worker logs.
    pub records: usize,
    /// The host queue's name (default `__main__.q`, the cookbook's).
    pub queue: String,
    /// Its bound.
    pub queue_options: QueueOptions,
    /// `Some(name)`: start the listener that `dictConfig` made for the listener
    /// configuration's `QueueHandler` `name` (CPython 3.12's `handlers` key); `None`: a
    /// `QueueListener` handing each record to the logger it names, relabelled
    /// `listener (for worker N)` as the recipe's `MyHandler` does.
    pub listener_handler: Option<String>,
    /// Where the listener's files go.
    pub log_dir: PathBuf,
}

/// The recipe's levels and loggers.
const LEVELS: [i32; 5] = [10, 20, 30, 40, 50];
const LOGGERS: [&str; 6] = [
    "foo",
    "foo.bar",
    "foo.bar.baz",
    "spam",
    "spam.ham",
    "spam.ham.eggs",
];

/// The recipe's `random.choice`s, reproducibly: worker `w`'s `i`-th (level, logger).
pub fn recipe_choice(w: usize, i: usize) -> (i32, &'static str) {
    // SplitMix64 of (worker, index): the same choices on every run and every host.
    let mut z = ((w as u64) << 32 | i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (LEVELS[(z % 5) as usize], LOGGERS[((z >> 8) % 6) as usize])
}

/// Applies `json` to `instance`, or says why it was refused.
fn apply(instance: &mut Instance, json: &str, what: &str) -> Result<()> {
    instance
        .dict_config(json)?
        .map_err(|e| wasmtime::format_err!("{what}: {}: {}", e.path, e.reason))
}

/// Runs recipe 20: a listener instance configured with `listener_config` on this thread,
/// `workers` worker instances (`worker 1` …) on their own threads, each logging `records`
/// records (`Message no. %d` at the recipe's random levels and loggers) through
/// `worker_config`. As on POSIX, where the recipe's processes are forked from a parent that
/// made the `setup` logger, each worker and the listener has a `setup` logger before its
/// configuration (which disables it) and logs `Should not appear …` to it.
pub fn run_recipe(
    runtime: &Runtime,
    base: &HostOptions,
    options: &RecipeOptions,
) -> Result<WorkersReport> {
    let queues = SharedQueues::new();
    let queue = queues
        .create(&options.queue, options.queue_options)
        .map_err(|e| wasmtime::format_err!("{e}"))?;
    let mut listener = runtime.instantiate(HostOptions {
        log_dir: options.log_dir.clone(),
        process_name: "listener".to_owned(),
        ..base.clone().shared_queues(queues.clone())
    })?;
    listener.logger("setup")?;
    apply(
        &mut listener,
        &options.listener_config,
        "the listener configuration",
    )?;
    match &options.listener_handler {
        Some(name) => listener
            .start_handler_listener(name)?
            .map_err(|e| wasmtime::format_err!("{e}"))?,
        None => listener
            .start_listener(
                &options.queue,
                &ListenerTarget::Loggers(Some("listener".into())),
                false,
            )?
            .map_err(|e| wasmtime::format_err!("{e}"))?,
    }
    listener.log(
        "setup",
        50,
        "Should not appear, because of disabled logger ...",
        &[],
        &[],
    )?;
    let workers: Vec<_> = (0..options.workers)
        .map(|w| {
            let instance_options = HostOptions {
                log_dir: options.log_dir.clone(),
                process_name: format!("worker {}", w + 1),
                process: base.process.wrapping_add(w as u32 + 1),
                ..base.clone().shared_queues(queues.clone())
            };
            let config = options.worker_config.clone();
            let records = options.records;
            move || -> Result<()> {
                let mut worker = runtime.instantiate(instance_options)?;
                worker.logger("setup")?;
                apply(&mut worker, &config, "the worker configuration")?;
                worker.log(
                    "setup",
                    50,
                    "Should not appear, because of disabled logger ...",
                    &[],
                    &[],
                )?;
                for i in 0..records {
                    let (level, name) = recipe_choice(w, i);
                    worker.log(name, level, "Message no. %d", &[Value::Int(i as i64)], &[])?;
                }
                worker.shutdown()
            }
        })
        .collect();
    let mut report = run_workers(&mut listener, &queue, workers)?;
    report.delivered += match &options.listener_handler {
        Some(name) => u64::from(
            listener
                .stop_handler_listener(name)?
                .map_err(|e| wasmtime::format_err!("{e}"))?,
        ),
        None => u64::from(listener.stop_listener(&options.queue)?),
    };
    listener.shutdown()?;
    report.left = queue.len();
    Ok(report)
}
