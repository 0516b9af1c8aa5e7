//! Logging from several native threads.
//!
//! The core is single-threaded by design (it runs in Wasm, where the Rc/Cell tree costs
//! nothing): loggers, handlers and managers are `!Send`, so handing one to another thread
//! does not compile:
//!
//! ```compile_fail
//! let logger = wasm_logging::get_logger("app");
//! std::thread::spawn(move || logger.warning("from a worker", ()));
//! ```
//!
//! ```compile_fail
//! let handler: std::rc::Rc<dyn wasm_logging::Handler> =
//!     std::rc::Rc::new(wasm_logging::NullHandler::new());
//! std::thread::spawn(move || drop(handler));
//! ```
//!
//! The default hierarchy (`get_logger`, `dict_config`, `basic_config`) belongs to the first
//! thread that uses it. Another thread that calls those functions gets a hierarchy of its own,
//! without the configuration; so that this is never a silent surprise, the first such call on
//! each thread says so on standard error. The way to log from worker threads into the
//! configured hierarchy is the cookbook's (recipes 2 and 12): workers put records on a
//! [`ThreadQueue`] through a [`ThreadQueueHandler`], and the configuring thread dispatches
//! them with [`ThreadQueue::pump`], as a `QueueListener` would:
//!
//! ```
//! use wasm_logging::threads::{ThreadQueue, ThreadQueueHandler};
//!
//! let queue = ThreadQueue::new(10_000);
//! let q = queue.clone();
//! std::thread::spawn(move || {
//!     let manager = wasm_logging::Manager::new();
//!     let root = manager.root();
//!     root.set_level(wasm_logging::DEBUG).unwrap();
//!     root.add_handler(std::rc::Rc::new(ThreadQueueHandler::new(q)));
//!     manager.get_logger("worker.db").info("query took %d ms", (12,));
//! })
//! .join()
//! .unwrap();
//! // On the configured thread: each record goes to getLogger(record.name).handle(record).
//! assert_eq!(queue.pump(), 1);
//! ```
//!
//! Records cross as CPython's own `SocketHandler` frames (the pickled record dict, message
//! merged with its arguments), so a record handled on the configuring thread keeps the
//! worker's `threadName`, `thread`, time and location.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::core::error::{Error, Result};
use crate::core::handler::{Handler, HandlerCore};
use crate::core::manager::{default_manager, Manager};
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};
use crate::core::wire::pickle;

static OWNER_TAKEN: AtomicBool = AtomicBool::new(false);

/// Called when a thread's default hierarchy is created: the first thread owns the configured
/// one; any later thread is told, once, that its hierarchy is its own.
pub(crate) fn default_tree_created() {
    if OWNER_TAKEN.swap(true, Ordering::SeqCst) {
        let t = std::thread::current();
        let name = t.name().unwrap_or("unnamed");
        eprintln!(
            "wasm-logging: thread '{name}' is using the default logger hierarchy of its own, \
             which has no configuration (the configured one belongs to the thread that first \
             used logging); send records there with wasm_logging::threads::ThreadQueue \
             (docs/threads.md)"
        );
    }
}

struct Shared {
    frames: Mutex<VecDeque<Vec<u8>>>,
    capacity: usize,
    dropped: AtomicU64,
}

/// A bounded queue of records that threads share (`Send + Sync`): workers put, the
/// configuring thread pumps.
#[derive(Clone)]
pub struct ThreadQueue {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ThreadQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadQueue")
            .field("len", &self.len())
            .field("dropped", &self.dropped())
            .finish()
    }
}

impl ThreadQueue {
    /// A queue holding at most `capacity` records (the oldest are dropped, and counted, when
    /// it is full).
    pub fn new(capacity: usize) -> Self {
        ThreadQueue {
            shared: Arc::new(Shared {
                frames: Mutex::new(VecDeque::new()),
                capacity: capacity.max(1),
                dropped: AtomicU64::new(0),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Vec<u8>>> {
        self.shared.frames.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records waiting.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no record is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Puts `record` on the queue; `false` when the oldest record had to be dropped.
    pub fn put(&self, record: &LogRecord) -> Result<bool> {
        let frame = pickle::make_pickle(record).map_err(|e| Error::value_error(e.to_string()))?;
        let mut q = self.lock();
        let mut kept = true;
        if q.len() >= self.shared.capacity {
            q.pop_front();
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            kept = false;
        }
        q.push_back(frame);
        Ok(kept)
    }

    /// On the configuring thread: each waiting record goes to
    /// `get_logger(record.name).handle(record)` on the default hierarchy. Returns how many.
    pub fn pump(&self) -> usize {
        self.pump_into(&default_manager())
    }

    /// [`ThreadQueue::pump`] into a given hierarchy.
    pub fn pump_into(&self, manager: &Manager) -> usize {
        let frames: Vec<Vec<u8>> = self.lock().drain(..).collect();
        let n = frames.len();
        for frame in frames {
            let Some(fields) = frame
                .get(4..)
                .and_then(|body| pickle::loads_plain(body).ok())
                .and_then(|v| match v {
                    Value::Dict(items) => Some(
                        items
                            .iter()
                            .filter_map(|(k, v)| match k {
                                Value::Str(s) => Some((s.clone(), v.clone())),
                                _ => None,
                            })
                            .collect::<Vec<(Text, Value)>>(),
                    ),
                    _ => None,
                })
            else {
                continue;
            };
            let mut record = crate::core::received::make_log_record(&fields);
            manager
                .get_logger_or_root(Some(record.name.as_str()))
                .handle(&mut record);
        }
        n
    }
}

/// A handler (on a worker thread) that puts records on a [`ThreadQueue`]. A full queue drops
/// its oldest record and reports it, once per filling, through `handleError`.
pub struct ThreadQueueHandler {
    core: HandlerCore,
    queue: ThreadQueue,
    reported: std::cell::Cell<bool>,
}

impl ThreadQueueHandler {
    /// A handler feeding `queue`.
    pub fn new(queue: ThreadQueue) -> Self {
        ThreadQueueHandler {
            core: HandlerCore::default(),
            queue,
            reported: std::cell::Cell::new(false),
        }
    }
}

impl Handler for ThreadQueueHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        // As QueueHandler.prepare: the message merged, exception text rendered.
        if record.exc_info.is_some() {
            self.core.format(record)?;
        }
        if self.queue.put(record)? {
            self.reported.set(false);
            Ok(())
        } else if !self.reported.replace(true) {
            Err(Error::os_error(format!(
                "ThreadQueue is full ({} records): dropping the oldest ({} dropped so far)",
                self.queue.shared.capacity,
                self.queue.dropped()
            )))
        } else {
            Ok(())
        }
    }
}
