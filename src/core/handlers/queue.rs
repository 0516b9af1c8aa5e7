//! `QueueHandler` and `QueueListener` for a no-threads core (cookbook recipe 7, "Dealing with
//! handlers that block").
//!
//! The caller's log call only formats and enqueues; a [`QueueListener`] drains the queue into
//! its (possibly slow) handlers when the host's event loop calls [`pump`] (or
//! [`QueueListener::pump`]) — the role CPython's listener thread plays. The queue is bounded
//! if you ask for it: a full queue refuses the record through `handle_error` and counts it,
//! so nothing is lost silently.
//!
//! A queue may also live outside this instance ([`LogQueue::external`], an [`ExternalQueue`]):
//! a host-owned queue that several instances share, CPython's `multiprocessing.Queue` between
//! worker processes and a listener process (cookbook recipes 12 and 20). Its records cross as
//! the attribute dictionaries the [`ExternalQueue`] implementation chooses, and a listener
//! pumping it delivers what was queued when the pump began (CPython's sentinel), so producers
//! that keep logging never keep it from returning.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::{Rc, Weak};

use crate::core::error::{Error, Result};
use crate::core::handler::{Handler, HandlerCore};
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};

/// A queue outside this instance that [`LogQueue::external`] puts to and takes from: a host
/// queue shared by several instances (CPython's `multiprocessing.Queue`). Implementations
/// never block for long and never panic: a full or unreachable queue is an error, which the
/// [`QueueHandler`] reports through `handle_error`.
pub trait ExternalQueue {
    /// `put_nowait(record)` of a prepared record; a full queue is an error saying so.
    fn put(&self, record: &LogRecord) -> Result<()>;
    /// Takes up to `max` records, oldest first; none when the queue is empty.
    fn take(&self, max: usize) -> Vec<LogRecord>;
    /// `qsize()`: how many records wait (other instances may change it at any moment).
    fn len(&self) -> usize;
    /// `empty()`.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How many records a pump takes from an [`ExternalQueue`] per call: one boundary crossing
/// per batch, and no more records out of the shared queue than this instance is delivering.
const EXTERNAL_BATCH: usize = 256;

/// A queue of prepared records shared by producers ([`QueueHandler`]s) and a consumer
/// ([`QueueListener`]); CPython's `queue.Queue`, or, made by [`LogQueue::external`], a queue
/// outside this instance.
#[derive(Default)]
pub struct LogQueue {
    records: RefCell<VecDeque<LogRecord>>,
    maxsize: usize,
    refused: Cell<u64>,
    external: Option<Rc<dyn ExternalQueue>>,
}

impl fmt::Debug for LogQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogQueue")
            .field("queued", &self.records.borrow().len())
            .field("maxsize", &self.maxsize)
            .field("refused", &self.refused.get())
            .field("external", &self.external.is_some())
            .finish()
    }
}

impl LogQueue {
    /// `queue.Queue(maxsize)`: `0` is unbounded.
    pub fn new(maxsize: usize) -> Rc<Self> {
        Rc::new(LogQueue {
            records: RefCell::new(VecDeque::new()),
            maxsize,
            refused: Cell::new(0),
            external: None,
        })
    }

    /// A queue whose records live in `queue`, outside this instance; its bound is the
    /// external queue's own.
    pub fn external(queue: Rc<dyn ExternalQueue>) -> Rc<Self> {
        Rc::new(LogQueue {
            external: Some(queue),
            ..LogQueue::default()
        })
    }

    /// Whether the records live outside this instance ([`LogQueue::external`]).
    pub fn is_external(&self) -> bool {
        self.external.is_some()
    }

    /// Takes up to `max` records at once: from the external queue in one call, or from this
    /// one.
    pub fn take(&self, max: usize) -> Vec<LogRecord> {
        match &self.external {
            Some(ext) => ext.take(max),
            None => {
                let mut q = self.records.borrow_mut();
                let n = max.min(q.len());
                q.drain(..n).collect()
            }
        }
    }

    /// `put_nowait`: a full queue is CPython's `queue.Full`, here an error.
    pub fn put_nowait(&self, record: LogRecord) -> Result<()> {
        if let Some(ext) = &self.external {
            return ext.put(&record).inspect_err(|_| {
                self.refused.set(self.refused.get() + 1);
            });
        }
        let mut q = self.records.borrow_mut();
        if self.maxsize > 0 && q.len() >= self.maxsize {
            self.refused.set(self.refused.get() + 1);
            return Err(Error::new(
                crate::core::error::ErrorKind::RuntimeError,
                format!("queue.Full: the log queue holds {} records", self.maxsize),
            ));
        }
        q.push_back(record);
        Ok(())
    }

    /// `get_nowait`, or `None` when empty.
    pub fn get_nowait(&self) -> Option<LogRecord> {
        match &self.external {
            Some(ext) => ext.take(1).pop(),
            None => self.records.borrow_mut().pop_front(),
        }
    }

    /// `qsize()`.
    pub fn len(&self) -> usize {
        match &self.external {
            Some(ext) => ext.len(),
            None => self.records.borrow().len(),
        }
    }

    /// `empty()`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many records a full queue has refused (for an external queue: refused to this
    /// instance).
    pub fn refused(&self) -> u64 {
        self.refused.get()
    }
}

/// `logging.handlers.QueueHandler(queue)`: formats each record into its message and enqueues
/// a copy with `msg = message`, `args = ()`, `exc_info`/`exc_text`/`stack_info` cleared
/// (CPython's `prepare`).
pub struct QueueHandler {
    core: HandlerCore,
    queue: Rc<LogQueue>,
    listener: RefCell<Option<Rc<QueueListener>>>,
}

impl fmt::Debug for QueueHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueHandler")
            .field("queued", &self.queue.len())
            .finish()
    }
}

impl QueueHandler {
    /// A handler enqueueing into `queue`.
    pub fn new(queue: Rc<LogQueue>) -> Self {
        QueueHandler {
            core: HandlerCore::default(),
            queue,
            listener: RefCell::new(None),
        }
    }

    /// The queue.
    pub fn queue(&self) -> Rc<LogQueue> {
        self.queue.clone()
    }

    /// The listener set up by `dictConfig` (`handler.listener`), if any.
    pub fn listener(&self) -> Option<Rc<QueueListener>> {
        self.listener.borrow().clone()
    }

    /// Sets `handler.listener`.
    pub fn set_listener(&self, listener: Option<Rc<QueueListener>>) {
        *self.listener.borrow_mut() = listener;
    }

    /// `prepare(record)`: the copy that is enqueued.
    pub fn prepare(&self, record: &mut LogRecord) -> Result<LogRecord> {
        let msg = Text::from(self.core.format(record)?);
        let mut copy = record.clone();
        copy.message = Some(msg.clone());
        copy.msg = Value::Str(msg);
        copy.args = Vec::new();
        copy.exc_info = None;
        copy.exc_text = None;
        copy.stack_info = None;
        Ok(copy)
    }
}

impl Handler for QueueHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let prepared = self.prepare(record)?;
        self.queue.put_nowait(prepared)
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// `logging.handlers.QueueListener(queue, *handlers, respect_handler_level=False)`, driven by
/// [`QueueListener::pump`] instead of a thread.
pub struct QueueListener {
    queue: Rc<LogQueue>,
    handlers: Vec<Rc<dyn Handler>>,
    respect_handler_level: bool,
    started: Cell<bool>,
}

impl fmt::Debug for QueueListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueListener")
            .field("handlers", &self.handlers.len())
            .field("respect_handler_level", &self.respect_handler_level)
            .field("started", &self.started.get())
            .finish()
    }
}

thread_local! {
    /// Started listeners, drained by [`pump`].
    static STARTED: RefCell<Vec<Weak<QueueListener>>> = const { RefCell::new(Vec::new()) };
}

impl QueueListener {
    /// A listener dispatching records from `queue` to `handlers`.
    pub fn new(
        queue: Rc<LogQueue>,
        handlers: Vec<Rc<dyn Handler>>,
        respect_handler_level: bool,
    ) -> Rc<Self> {
        Rc::new(QueueListener {
            queue,
            handlers,
            respect_handler_level,
            started: Cell::new(false),
        })
    }

    /// The handlers records go to.
    pub fn handlers(&self) -> &[Rc<dyn Handler>] {
        &self.handlers
    }

    /// `respect_handler_level`.
    pub fn respect_handler_level(&self) -> bool {
        self.respect_handler_level
    }

    /// `start()`: registers the listener with [`pump`], which the host's event loop calls.
    pub fn start(self: &Rc<Self>) {
        if !self.started.replace(true) {
            STARTED.with(|s| s.borrow_mut().push(Rc::downgrade(self)));
        }
    }

    /// `stop()`: drains what is queued (nothing is lost) and unregisters.
    pub fn stop(self: &Rc<Self>) {
        self.stop_counted();
    }

    /// [`QueueListener::stop`], returning how many records it delivered.
    pub fn stop_counted(self: &Rc<Self>) -> usize {
        let n = self.pump();
        self.started.set(false);
        let me = Rc::downgrade(self);
        STARTED.with(|s| {
            s.borrow_mut()
                .retain(|w| !w.ptr_eq(&me) && w.strong_count() > 0)
        });
        n
    }

    /// Whether `start()` was called and `stop()` was not.
    pub fn is_started(&self) -> bool {
        self.started.get()
    }

    /// Dispatches every queued record (`handle()` for each); returns how many. On an
    /// external queue: the records queued when the pump began, taken in batches (other
    /// instances may keep putting; what they put later waits for the next pump).
    pub fn pump(&self) -> usize {
        if self.queue.is_external() {
            return self.pump_external();
        }
        let mut n = 0;
        // One record at a time, no borrow held: a handler may log into this same queue.
        while let Some(mut record) = self.queue.get_nowait() {
            self.handle(&mut record);
            n += 1;
        }
        n
    }

    fn pump_external(&self) -> usize {
        let mut left = self.queue.len();
        let mut n = 0;
        while left > 0 {
            let batch = self.queue.take(left.min(EXTERNAL_BATCH));
            if batch.is_empty() {
                break;
            }
            left = left.saturating_sub(batch.len());
            for mut record in batch {
                self.handle(&mut record);
                n += 1;
            }
        }
        n
    }

    /// `handle(record)`: to every handler, or only those whose level the record meets when
    /// `respect_handler_level` is set.
    pub fn handle(&self, record: &mut LogRecord) {
        for h in &self.handlers {
            if !self.respect_handler_level || record.levelno >= h.level() {
                h.handle(record);
            }
        }
    }
}

/// Drains every started listener: what the host calls from its event loop (a `setTimeout`
/// or microtask in a browser, the WIT `pump` export in a WASI host). Returns the number of
/// records dispatched.
pub fn pump() -> usize {
    let listeners: Vec<Rc<QueueListener>> =
        STARTED.with(|s| s.borrow().iter().filter_map(Weak::upgrade).collect());
    listeners.iter().map(|l| l.pump()).sum()
}
