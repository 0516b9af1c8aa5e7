//! `BufferingHandler` and `MemoryHandler`: records held in memory and flushed in batches.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::core::error::Result;
use crate::core::handler::{Handler, HandlerCore};
use crate::core::level::ERROR;
use crate::core::record::LogRecord;

/// What a [`BufferingHandler`] does with a full buffer.
pub type FlushFn = dyn Fn(Vec<LogRecord>) -> Result<()>;

/// `logging.handlers.BufferingHandler`: keeps records until `capacity` is reached, then hands
/// the batch to a flush function (CPython subclasses override `flush`; here the function is
/// the override — e.g. send the batch by HTTP or mail). If the flush function fails, the
/// batch is reported through `handle_error`, never dropped silently.
pub struct BufferingHandler {
    core: HandlerCore,
    capacity: usize,
    buffer: RefCell<Vec<LogRecord>>,
    flush_fn: Box<FlushFn>,
}

impl fmt::Debug for BufferingHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferingHandler")
            .field("capacity", &self.capacity)
            .field("buffered", &self.buffer.borrow().len())
            .finish()
    }
}

impl BufferingHandler {
    /// A buffer of `capacity` records flushed through `flush_fn`.
    pub fn new(capacity: usize, flush_fn: impl Fn(Vec<LogRecord>) -> Result<()> + 'static) -> Self {
        BufferingHandler {
            core: HandlerCore::default(),
            capacity,
            buffer: RefCell::new(Vec::new()),
            flush_fn: Box::new(flush_fn),
        }
    }

    /// `capacity`.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many records are waiting.
    pub fn buffered(&self) -> usize {
        self.buffer.borrow().len()
    }
}

impl Handler for BufferingHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let full = {
            let mut buf = self.buffer.borrow_mut();
            buf.push(record.clone());
            buf.len() >= self.capacity
        };
        if full {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        // Take the batch before calling out: the flush function may log.
        let batch = std::mem::take(&mut *self.buffer.borrow_mut());
        if batch.is_empty() {
            return Ok(());
        }
        (self.flush_fn)(batch)
    }

    fn close(&self) {
        if let Err(e) = self.flush() {
            super::super::handler::report_error(None, &e);
        }
        self.core.mark_closed();
    }
}

/// `logging.handlers.MemoryHandler(capacity, flushLevel=ERROR, target=None,
/// flushOnClose=True)`: buffers records and passes them to `target` when the buffer is full
/// or a record at `flushLevel` or above arrives — the cookbook's "emit buffered debug output
/// only when an error occurs".
pub struct MemoryHandler {
    core: HandlerCore,
    capacity: usize,
    flush_level: Cell<i64>,
    flush_on_close: bool,
    target: RefCell<Option<Rc<dyn Handler>>>,
    buffer: RefCell<Vec<LogRecord>>,
}

impl fmt::Debug for MemoryHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryHandler")
            .field("capacity", &self.capacity)
            .field("flush_level", &self.flush_level.get())
            .field("buffered", &self.buffer.borrow().len())
            .finish()
    }
}

impl MemoryHandler {
    /// `MemoryHandler(capacity, flushLevel=ERROR, target=None, flushOnClose=True)`.
    pub fn new(
        capacity: usize,
        flush_level: i64,
        target: Option<Rc<dyn Handler>>,
        flush_on_close: bool,
    ) -> Self {
        MemoryHandler {
            core: HandlerCore::default(),
            capacity,
            flush_level: Cell::new(flush_level),
            flush_on_close,
            target: RefCell::new(target),
            buffer: RefCell::new(Vec::new()),
        }
    }

    /// `MemoryHandler(capacity)` with CPython's defaults.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::new(capacity, ERROR, None, true)
    }

    /// `setTarget(target)`.
    pub fn set_target(&self, target: Option<Rc<dyn Handler>>) {
        *self.target.borrow_mut() = target;
    }

    /// The target handler.
    pub fn target(&self) -> Option<Rc<dyn Handler>> {
        self.target.borrow().clone()
    }

    /// `capacity`.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// `flushLevel`.
    pub fn flush_level(&self) -> i64 {
        self.flush_level.get()
    }

    /// How many records are waiting.
    pub fn buffered(&self) -> usize {
        self.buffer.borrow().len()
    }

    /// Discards the buffered records without sending them anywhere (recipe 28: keep the
    /// debug context only when an error follows); returns how many were dropped.
    pub fn clear(&self) -> usize {
        std::mem::take(&mut *self.buffer.borrow_mut()).len()
    }

    /// `shouldFlush(record)`: the buffer is full or the record is at `flushLevel` or above.
    pub fn should_flush(&self, record: &LogRecord) -> bool {
        self.buffer.borrow().len() >= self.capacity || record.levelno >= self.flush_level.get()
    }
}

impl Handler for MemoryHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        self.buffer.borrow_mut().push(record.clone());
        if self.should_flush(record) {
            self.flush()?;
        }
        Ok(())
    }

    /// Passes the buffered records to the target and clears the buffer. Without a target the
    /// records stay buffered, as in CPython (nothing is dropped).
    fn flush(&self) -> Result<()> {
        let Some(target) = self.target() else {
            return Ok(());
        };
        // Take the records first: the target (or its filters) may log back into this handler.
        let batch = std::mem::take(&mut *self.buffer.borrow_mut());
        for mut record in batch {
            // CPython calls target.handle(record) unconditionally: the target's filters apply
            // but its level is not checked here.
            target.handle(&mut record);
        }
        Ok(())
    }

    fn flush_on_close(&self) -> bool {
        self.flush_on_close
    }

    fn close(&self) {
        if self.flush_on_close {
            let _ = self.flush();
        }
        *self.target.borrow_mut() = None;
        self.core.mark_closed();
    }
}
