//! Host-owned queues that several component instances share (the `queue-bus` import):
//! CPython's `multiprocessing.Queue` between the cookbook's worker processes and its listener
//! process (recipes 12 and 20), here between instances on their own threads.
//!
//! An embedder makes a [`SharedQueues`] set, adds queues to it, and gives the same set to
//! every instance ([`shared_queues`](method@crate::HostOptions::shared_queues) in
//! [`crate::HostOptions`]). Inside each instance, the queue `<name>` is a `QueueHandler`'s
//! `"queue": "ext://host:<name>"` (or `"ext://<name>"`, so a queue named `__main__.q` runs
//! the cookbook's configuration unchanged). Workers' handlers put prepared records'
//! attribute dictionaries on it; a listener instance's `QueueListener`
//! takes them when its `pump` runs ([`crate::workers::pump_listener`]).
//!
//! A queue is bounded by its `maxsize` (0: unbounded). A put on a full queue waits at most
//! the queue's `put_timeout` for room (0: not at all), then is refused: the host counts it
//! ([`HostQueue::refused`]) and the worker's `QueueHandler` reports it through `handleError`,
//! as CPython's `put_nowait` raising `queue.Full` is. Nothing blocks forever, nothing traps.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::bindings::wasm_logging::logging::queue_bus as wit;

pub use wit::FieldValue;

/// One record on a host queue: its attribute dictionary, in attribute order.
pub type QueueRecord = Vec<(String, FieldValue)>;

/// How a host queue is bounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueOptions {
    /// The most records it holds; 0 is unbounded (`multiprocessing.Queue(-1)`).
    pub maxsize: usize,
    /// How long a put on a full queue waits for room before it is refused; zero refuses at
    /// once (`put_nowait`).
    pub put_timeout: Duration,
}

/// A set of named queues that instances share. Cloning it shares the same queues.
#[derive(Clone, Debug, Default)]
pub struct SharedQueues {
    queues: Arc<Mutex<BTreeMap<String, Arc<HostQueue>>>>,
}

impl SharedQueues {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the queue `name`; fails if the set already has one by that name (instances know
    /// queues by name, so replacing one would strand its records). Add queues before the
    /// instances that use them start: an instance learns the names once, when it starts.
    pub fn create(&self, name: &str, options: QueueOptions) -> Result<Arc<HostQueue>, String> {
        let mut queues = lock(&self.queues);
        if queues.contains_key(name) {
            return Err(format!("a host queue named '{name}' already exists"));
        }
        let q = Arc::new(HostQueue {
            name: name.to_owned(),
            options,
            records: Mutex::new(VecDeque::new()),
            changed: Condvar::new(),
            put: AtomicU64::new(0),
            taken: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            no_wait: AtomicBool::new(false),
        });
        queues.insert(name.to_owned(), q.clone());
        Ok(q)
    }

    /// The queue `name`.
    pub fn get(&self, name: &str) -> Option<Arc<HostQueue>> {
        lock(&self.queues).get(name).cloned()
    }

    /// The queues' names, sorted.
    pub fn names(&self) -> Vec<String> {
        lock(&self.queues).keys().cloned().collect()
    }
}

/// One host queue: bounded, first in first out, safe to use from any thread.
#[derive(Debug)]
pub struct HostQueue {
    name: String,
    options: QueueOptions,
    records: Mutex<VecDeque<QueueRecord>>,
    /// Notified on every put and take: takers wait for records, putters for room.
    changed: Condvar,
    put: AtomicU64,
    taken: AtomicU64,
    refused: AtomicU64,
    /// Set when nobody will make room any more: full puts are refused at once.
    no_wait: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves a consistent queue (every operation
    // is one push or one drain), so poisoning is ignored rather than spread.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl HostQueue {
    /// Its name in the set.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its bound.
    pub fn options(&self) -> QueueOptions {
        self.options
    }

    /// `qsize()`.
    pub fn len(&self) -> usize {
        lock(&self.records).len()
    }

    /// `empty()`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `put(record)`: waits at most `put_timeout` for room in a full queue, then refuses
    /// (counted in [`HostQueue::refused`]) with CPython's `queue.Full` in the message.
    pub fn put(&self, record: QueueRecord) -> Result<(), String> {
        let maxsize = self.options.maxsize;
        let mut records = lock(&self.records);
        if maxsize > 0 && records.len() >= maxsize {
            let deadline = Instant::now() + self.options.put_timeout;
            while records.len() >= maxsize {
                let now = Instant::now();
                if now >= deadline || self.no_wait.load(Ordering::SeqCst) {
                    self.refused.fetch_add(1, Ordering::Relaxed);
                    return Err(format!(
                        "queue.Full: the host queue '{}' holds {maxsize} records",
                        self.name
                    ));
                }
                records = self
                    .changed
                    .wait_timeout(records, deadline - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
        records.push_back(record);
        self.put.fetch_add(1, Ordering::Relaxed);
        drop(records);
        self.changed.notify_all();
        Ok(())
    }

    /// Takes up to `max` records, oldest first.
    pub fn take(&self, max: usize) -> Vec<QueueRecord> {
        let mut records = lock(&self.records);
        let n = max.min(records.len());
        let taken: Vec<QueueRecord> = records.drain(..n).collect();
        drop(records);
        if n > 0 {
            self.taken.fetch_add(n as u64, Ordering::Relaxed);
            self.changed.notify_all();
        }
        taken
    }

    /// Waits at most `timeout` until the queue holds a record; whether it does.
    pub fn wait_for_records(&self, timeout: Duration) -> bool {
        let records = lock(&self.records);
        let (records, _) = self
            .changed
            .wait_timeout_while(records, timeout, |r| r.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        !records.is_empty()
    }

    /// From now on a put on a full queue is refused at once, and puts waiting for room stop
    /// waiting: for when the listener is gone and nobody will make room ([`run_workers`]
    /// calls it when its listener fails).
    ///
    /// [`run_workers`]: crate::workers::run_workers
    pub fn refuse_waiting(&self) {
        self.no_wait.store(true, Ordering::SeqCst);
        // Taking the lock orders the flag before any waiter's next check.
        drop(lock(&self.records));
        self.changed.notify_all();
    }

    /// Records put so far.
    pub fn put_count(&self) -> u64 {
        self.put.load(Ordering::Relaxed)
    }

    /// Records taken so far.
    pub fn taken_count(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }

    /// Puts refused because the queue was full.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

/// The text of a field (`str` and other scalars as CPython's `str()` prints them), for an
/// embedder reading records off a queue.
pub fn field_text(record: &QueueRecord, key: &str) -> Option<String> {
    let (_, v) = record.iter().find(|(k, _)| k == key)?;
    Some(match v {
        FieldValue::None => "None".to_owned(),
        FieldValue::Boolean(true) => "True".to_owned(),
        FieldValue::Boolean(false) => "False".to_owned(),
        FieldValue::Int(i) => i.to_string(),
        FieldValue::Float(f) => format!("{f:?}"),
        FieldValue::Str(s) => s.clone(),
        FieldValue::Pickled(bytes) => match wasm_logging::core::wire::pickle::loads_plain(bytes) {
            Ok(value) => value.to_py_str().unwrap_or_default(),
            Err(e) => format!("<unreadable pickle: {e}>"),
        },
    })
}

impl wit::Host for crate::HostState {
    fn names(&mut self) -> Vec<String> {
        self.queues.names()
    }

    fn put(&mut self, queue: String, fields: QueueRecord) -> Result<(), String> {
        match self.queues.get(&queue) {
            Some(q) => q.put(fields),
            None => Err(format!("no host queue named '{queue}'")),
        }
    }

    fn take(&mut self, queue: String, max: u32) -> Vec<QueueRecord> {
        self.queues
            .get(&queue)
            .map_or_else(Vec::new, |q| q.take(max as usize))
    }

    fn size(&mut self, queue: String) -> Option<u32> {
        self.queues
            .get(&queue)
            .map(|q| u32::try_from(q.len()).unwrap_or(u32::MAX))
    }
}
