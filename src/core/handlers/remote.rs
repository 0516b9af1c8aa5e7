//! `RemoteHandler`: the machinery every handler that ships records to a collector shares
//! (`SocketHandler`, `DatagramHandler`, `SysLogHandler`, `HTTPHandler`): encode the record
//! into a frame, keep it in a bounded buffer, and hand frames to the host's [`RemoteSink`]
//! in order, reconnecting with CPython's back-off while the peer is down.
//!
//! The log call only encodes and enqueues, then tries to deliver without waiting: a host
//! that is still connecting answers "not ready" and pumps later. Unlike CPython's
//! `SocketHandler`, which drops records while its peer is down, records wait in the buffer
//! (`capacity` records and `max_bytes` bytes, oldest dropped first when full); each outage's
//! overflow is counted and reported once through `handleError`, and `flush()`/`close()`
//! deliver what is pending.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::{Rc, Weak};

use crate::core::error::{Error, Result};
use crate::core::handler::{report_error, Handler, HandlerCore};
use crate::core::host;
use crate::core::record::LogRecord;
use crate::core::sink::{ConnectionId, Endpoint, RemoteSink, SendStatus};
use crate::core::value::Value;

/// Turns a record into the bytes of one frame (a length-prefixed pickle, a syslog message,
/// an HTTP request).
pub trait FrameEncoder {
    /// The CPython class this encoder stands for, for messages (`SocketHandler`).
    fn class_name(&self) -> &'static str;
    /// Encodes `record`; `core` is the handler's state (its formatter).
    fn encode(&self, core: &HandlerCore, record: &mut LogRecord) -> Result<Vec<u8>>;
    /// Sets an attribute named in a configuration's `.` section (`ident`, `append_nul`);
    /// `None` when the encoder has no such attribute.
    fn set_attribute(&self, _name: &str, _value: &Value) -> Option<Result<()>> {
        None
    }
}

/// CPython's reconnection back-off (`SocketHandler.retryStart`, `retryFactor`, `retryMax`,
/// in seconds) and the buffer bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RemoteOptions {
    /// The first delay after a failed connect (`retryStart`, 1.0).
    pub retry_start: f64,
    /// The factor each further failure multiplies the delay by (`retryFactor`, 2.0).
    pub retry_factor: f64,
    /// The longest delay (`retryMax`, 30.0).
    pub retry_max: f64,
    /// The most records waiting for delivery (10,000).
    pub capacity: usize,
    /// The most bytes waiting for delivery (8 MiB).
    pub max_bytes: usize,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            retry_start: 1.0,
            retry_factor: 2.0,
            retry_max: 30.0,
            capacity: 10_000,
            max_bytes: 8 << 20,
        }
    }
}

/// Delivery counters of one remote handler.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemoteStats {
    /// Frames the host took.
    pub sent: u64,
    /// Frames waiting now.
    pub pending: usize,
    /// Frames dropped because the buffer was full (oldest first).
    pub dropped: u64,
    /// Connections opened.
    pub connects: u64,
    /// Connects and connections that failed.
    pub failures: u64,
}

#[derive(Default)]
struct State {
    conn: Option<ConnectionId>,
    pending: VecDeque<Vec<u8>>,
    pending_bytes: usize,
    /// When the next connect may be tried (ns since the epoch), after a failure.
    retry_time: Option<i64>,
    /// The current back-off delay in seconds.
    retry_period: Option<f64>,
    /// Whether this outage's overflow was reported already.
    overflow_reported: bool,
    /// Whether this outage's connection failure was reported already.
    failure_reported: bool,
    stats: RemoteStats,
}

/// A handler that sends each record as one frame through a [`RemoteSink`].
pub struct RemoteHandler {
    core: HandlerCore,
    sink: Rc<dyn RemoteSink>,
    endpoint: Endpoint,
    encoder: Box<dyn FrameEncoder>,
    options: Cell<RemoteOptions>,
    state: RefCell<State>,
    delivering: Cell<bool>,
}

impl fmt::Debug for RemoteHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteHandler")
            .field("class", &self.encoder.class_name())
            .field("endpoint", &self.endpoint)
            .field("stats", &self.state.borrow().stats)
            .finish()
    }
}

thread_local! {
    /// Live remote handlers, for [`pump`].
    static LIVE: RefCell<Vec<Weak<RemoteHandler>>> = const { RefCell::new(Vec::new()) };
}

impl RemoteHandler {
    /// A handler sending frames made by `encoder` to `endpoint` through `sink`. It is
    /// registered with [`pump`] at once; nothing is opened before the first record.
    pub fn new(
        sink: Rc<dyn RemoteSink>,
        endpoint: Endpoint,
        encoder: Box<dyn FrameEncoder>,
        options: RemoteOptions,
    ) -> Rc<Self> {
        let h = Rc::new(RemoteHandler {
            core: HandlerCore::default(),
            sink,
            endpoint,
            encoder,
            options: Cell::new(options),
            state: RefCell::new(State::default()),
            delivering: Cell::new(false),
        });
        LIVE.with(|l| {
            let mut l = l.borrow_mut();
            l.retain(|w| w.strong_count() > 0);
            l.push(Rc::downgrade(&h));
        });
        h
    }

    /// Where frames go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The delivery counters.
    pub fn stats(&self) -> RemoteStats {
        self.state
            .try_borrow()
            .map(|s| RemoteStats {
                pending: s.pending.len(),
                ..s.stats
            })
            .unwrap_or_default()
    }

    /// Frames waiting for delivery.
    pub fn pending(&self) -> usize {
        // `try_borrow`: a host sink asking mid-delivery must not panic the instance.
        self.state.try_borrow().map_or(0, |s| s.pending.len())
    }

    fn what(&self) -> String {
        format!(
            "{} to {} ({})",
            self.encoder.class_name(),
            self.endpoint,
            self.endpoint.transport.name()
        )
    }

    /// Asks the host to pump after `delay_ms` milliseconds (a batch's interval runs out).
    pub fn wake_after(&self, delay_ms: u64) {
        self.sink.wake_after(delay_ms);
    }

    /// Queues `frame`, dropping the oldest frames when the buffer is full; returns how many
    /// were dropped.
    fn enqueue(&self, frame: Vec<u8>) -> u64 {
        let mut s = self.state.borrow_mut();
        let mut dropped = 0;
        while !s.pending.is_empty()
            && (s.pending.len() >= self.options.get().capacity.max(1)
                || s.pending_bytes + frame.len() > self.options.get().max_bytes)
        {
            if let Some(old) = s.pending.pop_front() {
                s.pending_bytes -= old.len();
                dropped += 1;
            }
        }
        s.pending_bytes += frame.len();
        s.pending.push_back(frame);
        s.stats.dropped += dropped;
        dropped
    }

    /// Queues a frame made elsewhere (a batch of records) and tries to deliver it, as `emit`
    /// does for one record's frame. `record`, if any, is named in an overflow report.
    pub fn send_frame(&self, frame: Vec<u8>, record: Option<&LogRecord>) {
        let dropped = self.enqueue(frame);
        if dropped > 0 {
            let total = self.state.borrow().stats.dropped;
            let first = !std::mem::replace(&mut self.state.borrow_mut().overflow_reported, true);
            if first {
                report_error(
                    record,
                    &Error::os_error(format!(
                        "{}: the buffer of {} records / {} bytes is full while the peer is unreachable; dropping the oldest records ({total} dropped so far)",
                        self.what(),
                        self.options.get().capacity,
                        self.options.get().max_bytes
                    )),
                );
            }
        }
        self.deliver(false);
    }

    /// Hands pending frames to the host, in order, until it is not ready or the buffer is
    /// empty. `force` ignores the back-off (`flush()` and `close()` try once more at once).
    /// Failures are reported once per outage, naming the endpoint.
    pub fn deliver(&self, force: bool) {
        // A report below may log through a handler that ends up here again.
        if self.delivering.replace(true) {
            return;
        }
        let mut rejections = Vec::new();
        let failure = self.deliver_inner(force, &mut rejections);
        self.delivering.set(false);
        for err in rejections.iter().chain(failure.iter()) {
            report_error(None, err);
        }
    }

    fn deliver_inner(&self, force: bool, rejections: &mut Vec<Error>) -> Option<Error> {
        let mut s = self.state.borrow_mut();
        if s.pending.is_empty() {
            return None;
        }
        let now = host::now_ns().0;
        if s.conn.is_none() {
            if let Some(t) = s.retry_time {
                if !force && now < t {
                    return None;
                }
            }
            match self.sink.open(&self.endpoint) {
                Ok(c) => {
                    s.conn = Some(c);
                    s.stats.connects += 1;
                }
                Err(e) => return self.failed(&mut s, now, e),
            }
        }
        let conn = s.conn?;
        while let Some(frame) = s.pending.front() {
            match self.sink.send(conn, frame) {
                Ok(SendStatus::Sent) => {
                    let n = frame.len();
                    s.pending.pop_front();
                    s.pending_bytes -= n;
                    if let Some(why) = self.sink.take_rejection(conn) {
                        // Refused for good: retrying would only repeat the refusal.
                        s.stats.dropped += 1;
                        rejections.push(Error::os_error(format!(
                            "{}: {why}; the request was dropped",
                            self.what()
                        )));
                        continue;
                    }
                    s.stats.sent += 1;
                    if s.retry_time.take().is_some() || s.retry_period.is_some() {
                        s.retry_period = None;
                    }
                    s.failure_reported = false;
                    s.overflow_reported = false;
                }
                Ok(SendStatus::NotReady) => return None,
                Err(e) => {
                    // The connection is broken already; its close has nothing to add.
                    let _ = self.sink.close(conn);
                    s.conn = None;
                    return self.failed(&mut s, now, e);
                }
            }
        }
        None
    }

    /// CPython's `createSocket` back-off after a failure, and the outage's one report.
    fn failed(&self, s: &mut State, now: i64, e: Error) -> Option<Error> {
        s.stats.failures += 1;
        let period = match s.retry_period {
            None => self.options.get().retry_start,
            Some(p) => (p * self.options.get().retry_factor).min(self.options.get().retry_max),
        };
        s.retry_period = Some(period);
        // The peer's own `Retry-After` wins when it asks for longer than the back-off.
        let wait = match self.sink.retry_after(&self.endpoint) {
            Some(r) if r.is_finite() && r > period => r.min(86_400.0),
            _ => period,
        };
        let delay_ns = (wait * 1e9) as i64;
        s.retry_time = Some(now.saturating_add(delay_ns));
        self.sink.wake_after((wait * 1000.0).ceil() as u64);
        if s.failure_reported {
            return None;
        }
        s.failure_reported = true;
        Some(Error::os_error(format!(
            "{}: {}; {} record(s) kept for delivery, retrying in {wait} s",
            self.what(),
            e.message(),
            s.pending.len()
        )))
    }
}

impl Handler for RemoteHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let frame = self.encoder.encode(&self.core, record)?;
        self.send_frame(frame, Some(record));
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        self.deliver(true);
        let conn = self.state.try_borrow().ok().and_then(|s| s.conn);
        if let Some(c) = conn {
            self.sink
                .flush(c)
                .map_err(|e| Error::os_error(format!("{}: {}", self.what(), e.message())))?;
        }
        Ok(())
    }

    fn close(&self) {
        if self.core.is_closed() {
            return;
        }
        self.deliver(true);
        let (conn, left) = {
            let mut s = self.state.borrow_mut();
            let left = s.pending.len();
            s.pending.clear();
            s.pending_bytes = 0;
            s.stats.dropped += left as u64;
            (s.conn.take(), left)
        };
        if let Some(c) = conn {
            if let Err(e) = self.sink.close(c) {
                report_error(
                    None,
                    &Error::os_error(format!("{}: {}", self.what(), e.message())),
                );
            }
        }
        if left > 0 {
            report_error(
                None,
                &Error::os_error(format!(
                    "{}: closed with {left} record(s) undelivered",
                    self.what()
                )),
            );
        }
        self.core.mark_closed();
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn set_attribute(&self, name: &str, value: &Value) -> Result<()> {
        let number = |v: &Value| match v {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() && *f >= 0.0 => Some(*f),
            _ => None,
        };
        let mut o = self.options.get();
        let slot: Option<&mut f64> = match name {
            "retryStart" => Some(&mut o.retry_start),
            "retryFactor" => Some(&mut o.retry_factor),
            "retryMax" => Some(&mut o.retry_max),
            _ => None,
        };
        if let Some(slot) = slot {
            *slot = number(value).ok_or_else(|| {
                Error::type_error(format!("{name}: expected a number of seconds"))
            })?;
            self.options.set(o);
            return Ok(());
        }
        if name == "capacity" || name == "max_bytes" {
            let n = match value {
                Value::Int(i) if *i > 0 => *i as usize,
                _ => {
                    return Err(Error::type_error(format!(
                        "{name}: expected a positive integer"
                    )))
                }
            };
            if name == "capacity" {
                o.capacity = n;
            } else {
                o.max_bytes = n;
            }
            self.options.set(o);
            return Ok(());
        }
        self.encoder.set_attribute(name, value).unwrap_or_else(|| {
            Err(Error::new(
                crate::core::error::ErrorKind::AttributeError,
                format!(
                    "'{}' object has no settable attribute '{name}'",
                    self.encoder.class_name()
                ),
            ))
        })
    }
}

/// Tries delivery on every live, open remote handler (`force` ignores back-off); returns how
/// many frames are still pending.
fn deliver_all(force: bool) -> usize {
    let live: Vec<Rc<RemoteHandler>> =
        LIVE.with(|l| l.borrow().iter().filter_map(Weak::upgrade).collect());
    live.iter()
        .map(|h| {
            if !h.core.is_closed() {
                h.deliver(force);
            }
            h.pending()
        })
        .sum()
}

/// Moves pending frames of every live remote handler on (respecting each one's back-off):
/// what a host calls when a connection becomes ready, when a `wake_after` timer fires, or
/// from its event loop. Returns how many frames are still pending.
pub fn pump() -> usize {
    super::http_batch::pump_batches(false);
    deliver_all(false)
}

/// Puts `frame` at the head of the first live, open remote handler sending to `endpoint`
/// and tries delivery: for frames a host kept across a restart (a page's spilled requests).
/// `false` when no handler sends there, or its buffer is full (the caller keeps the frame).
pub fn requeue(endpoint: &Endpoint, frame: Vec<u8>) -> bool {
    let live: Vec<Rc<RemoteHandler>> =
        LIVE.with(|l| l.borrow().iter().filter_map(Weak::upgrade).collect());
    let Some(h) = live
        .into_iter()
        .find(|h| !h.core.is_closed() && &h.endpoint == endpoint)
    else {
        return false;
    };
    {
        let Ok(mut s) = h.state.try_borrow_mut() else {
            return false;
        };
        let o = h.options.get();
        if s.pending.len() >= o.capacity || s.pending_bytes + frame.len() > o.max_bytes {
            return false;
        }
        s.pending_bytes += frame.len();
        s.pending.push_front(frame);
    }
    h.deliver(false);
    true
}

/// Frames pending in every live remote handler (what an awaitable flush waits for).
pub fn pending() -> usize {
    LIVE.with(|l| {
        l.borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .map(|h| h.pending())
            .sum()
    })
}

/// `flush()` on every live remote handler: one immediate attempt, ignoring back-off.
/// Returns how many frames are still pending.
pub fn flush_all() -> usize {
    super::http_batch::pump_batches(true);
    deliver_all(true)
}
