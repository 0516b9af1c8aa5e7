//! Batching HTTP handlers: recipe 29's buffering sender for HTTP (`BufferingHTTPHandler`)
//! and the OTLP/HTTP JSON logs exporter (`OTLPHandler`). Records are encoded into a batch
//! that becomes **one** POST when it holds `capacity` records or about `batch_bytes` bytes,
//! when its oldest record is `interval` seconds old, on `flush()` and at `close()`. The body
//! is formatted records one per line (recipe 29), NDJSON of the record dicts `makePickle`
//! builds, or an OTLP `ExportLogsServiceRequest`. Each request carries an `Idempotency-Key`
//! made with the batch, so a retry of the same batch is recognisable by the receiver.
//!
//! The request goes through the same delivery as every remote handler: queued, sent in
//! order, kept (bounded) while the collector is down, reported when lost.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use super::network::HttpOptions;
use super::remote::{FrameEncoder, RemoteHandler, RemoteOptions};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::handler::{report_error, Handler, HandlerCore};
use crate::core::host;
use crate::core::record::LogRecord;
use crate::core::sink::{Endpoint, RemoteSink, Transport};
use crate::core::value::{Text, Value};
use crate::core::wire::{http, otlp, pickle};

/// Never asked to encode: the batch handler builds whole requests itself.
struct Batches(&'static str);

impl FrameEncoder for Batches {
    fn class_name(&self) -> &'static str {
        self.0
    }
    fn encode(&self, _core: &HandlerCore, _record: &mut LogRecord) -> Result<Vec<u8>> {
        Err(Error::new(
            ErrorKind::RuntimeError,
            format!("{} sends batches, not single records", self.0),
        ))
    }
}

/// What a batch's body is made of.
#[derive(Clone, Debug)]
pub enum BatchBody {
    /// Recipe 29: the formatted records, one per line, sent with this content type.
    Formatted(String),
    /// NDJSON (`application/x-ndjson`): per line, the record dict `SocketHandler.makePickle`
    /// pickles, as `json.dumps` writes it.
    Records,
    /// OTLP/HTTP JSON (`application/json`): an `ExportLogsServiceRequest` whose resource has
    /// these attributes.
    Otlp(Vec<(Text, Value)>),
}

impl BatchBody {
    fn content_type(&self) -> &str {
        match self {
            BatchBody::Formatted(t) => t,
            BatchBody::Records => "application/x-ndjson",
            BatchBody::Otlp(_) => "application/json",
        }
    }
}

/// When a batch is sent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchOptions {
    /// The most records in one batch.
    pub capacity: usize,
    /// The most body bytes in one batch (a record bigger than this goes alone). The default,
    /// 60,000, keeps each request under the browsers' 64 KiB beacon and keepalive limit.
    pub batch_bytes: usize,
    /// Seconds after its first record that a batch is sent even when not full (`None`: only
    /// when full, on `flush()` and at `close()`).
    pub interval: Option<f64>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            capacity: 100,
            batch_bytes: 60_000,
            interval: None,
        }
    }
}

thread_local! {
    /// Live batch handlers, for [`pump_batches`].
    static LIVE: RefCell<Vec<Weak<BufferingHttpHandler>>> = const { RefCell::new(Vec::new()) };
    /// The state of the generator of idempotency keys.
    static IDS: Cell<u64> = const { Cell::new(0) };
}

/// Mixes `seed` into the generator of idempotency keys: hosts with a source of randomness
/// (JavaScript's `crypto`/`Math.random`, the OS) call this once, so keys from two pages or
/// processes do not collide. Without it the generator is seeded from the clock.
pub fn seed_batch_ids(seed: u64) {
    IDS.with(|s| s.set(s.get() ^ seed ^ 0x9e37_79b9_7f4a_7c15));
}

/// splitmix64: small, fast, and every 64-bit state gives a different output.
fn next_u64() -> u64 {
    IDS.with(|s| {
        let mut x = s.get();
        if x == 0 {
            x = (host::now_ns().0 as u64) ^ 0x6a09_e667_f3bc_c909;
        }
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        s.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// A version 4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower case).
pub fn new_idempotency_key() -> String {
    let hi = (next_u64() & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (next_u64() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[derive(Default)]
struct Batch {
    /// (logger name, encoded record) in order.
    items: Vec<(Text, String)>,
    bytes: usize,
    /// When the first record of this batch arrived (ns since the epoch).
    since_ns: Option<i64>,
}

/// Records encoded into batches and POSTed, one request per batch.
pub struct BufferingHttpHandler {
    core: HandlerCore,
    class: &'static str,
    batch: BatchOptions,
    options: HttpOptions,
    body: BatchBody,
    buffer: RefCell<Batch>,
    sender: Rc<RemoteHandler>,
}

impl std::fmt::Debug for BufferingHttpHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufferingHttpHandler")
            .field("class", &self.class)
            .field("batch", &self.batch)
            .field("host", &self.options.host)
            .field("url", &self.options.url)
            .finish()
    }
}

impl BufferingHttpHandler {
    /// A handler POSTing batches to `options.url` on `options.host`. `class` names it in
    /// messages (`BufferingHTTPHandler`, `OTLPHandler`). It is registered with
    /// [`pump_batches`] (the `interval`) at once.
    pub fn new(
        sink: Rc<dyn RemoteSink>,
        class: &'static str,
        options: HttpOptions,
        body: BatchBody,
        batch: BatchOptions,
        remote: RemoteOptions,
    ) -> Result<Rc<Self>> {
        let (host, port) = http::parse_host(&options.host, options.secure)
            .map_err(|e| Error::value_error(e.to_string()))?;
        // Everything but the body is known now: a bad url or content type is a configuration
        // error, not a report at every batch.
        http::body_request(
            "POST",
            &options.host,
            &options.url,
            options.secure,
            None,
            body.content_type(),
            b"",
        )
        .map_err(|e| Error::value_error(e.to_string()))?;
        let sender = RemoteHandler::new(
            sink,
            Endpoint::new(Transport::http(options.secure), host, port),
            Box::new(Batches(class)),
            remote,
        );
        let h = Rc::new(BufferingHttpHandler {
            core: HandlerCore::default(),
            class,
            batch: BatchOptions {
                capacity: batch.capacity.max(1),
                batch_bytes: batch.batch_bytes.max(1),
                interval: batch.interval.filter(|i| i.is_finite() && *i >= 0.0),
            },
            options,
            body,
            buffer: RefCell::new(Batch::default()),
            sender,
        });
        LIVE.with(|l| {
            let mut l = l.borrow_mut();
            l.retain(|w| w.strong_count() > 0);
            l.push(Rc::downgrade(&h));
        });
        Ok(h)
    }

    /// Records waiting for the next batch.
    pub fn buffered(&self) -> usize {
        self.buffer.try_borrow().map_or(0, |b| b.items.len())
    }

    /// The delivery side (its counters, its pending requests).
    pub fn sender(&self) -> &Rc<RemoteHandler> {
        &self.sender
    }

    /// One record's part of a body.
    fn encode(&self, record: &mut LogRecord) -> Result<String> {
        match &self.body {
            BatchBody::Formatted(_) => self.core.format(record),
            BatchBody::Records => {
                // As `makePickle`: format only to fill `exc_text`.
                if record.exc_info.is_some() {
                    self.core.format(record)?;
                }
                let frame = pickle::make_json_frame(record)
                    .map_err(|e| Error::value_error(e.to_string()))?;
                String::from_utf8(frame.get(4..).unwrap_or_default().to_vec())
                    .map_err(|e| Error::value_error(e.to_string()))
            }
            BatchBody::Otlp(_) => {
                if record.exc_info.is_some() {
                    self.core.format(record)?;
                }
                otlp::log_record(record).map_err(|e| Error::value_error(e.to_string()))
            }
        }
    }

    /// Turns the buffer into one request and queues it.
    fn send_batch(&self) -> Result<()> {
        let batch = std::mem::take(&mut *self.buffer.borrow_mut());
        if batch.items.is_empty() {
            return Ok(());
        }
        let body = match &self.body {
            BatchBody::Formatted(_) | BatchBody::Records => {
                let mut body = String::with_capacity(batch.bytes);
                for (_, l) in &batch.items {
                    body.push_str(l);
                    body.push('\n');
                }
                body
            }
            BatchBody::Otlp(resource) => otlp::export_request(resource, &batch.items)
                .map_err(|e| Error::value_error(e.to_string()))?,
        };
        let o = &self.options;
        let key = new_idempotency_key();
        let request = http::body_request_with_headers(
            "POST",
            &o.host,
            &o.url,
            o.secure,
            o.credentials
                .as_ref()
                .map(|(u, p)| (u.as_str(), p.as_str())),
            self.body.content_type(),
            &[("Idempotency-Key", &key)],
            body.as_bytes(),
        )
        .map_err(|e| Error::value_error(e.to_string()))?;
        self.sender.send_frame(request, None);
        Ok(())
    }

    /// Sends the batch if `force`, or if its `interval` has run out.
    fn pump(&self, force: bool) {
        if self.core.is_closed() {
            return;
        }
        let due = force
            || match (self.batch.interval, self.buffer.try_borrow().ok()) {
                (Some(i), Some(b)) => b
                    .since_ns
                    .is_some_and(|t| host::now_ns().0.saturating_sub(t) >= (i * 1e9) as i64),
                _ => false,
            };
        if due {
            if let Err(e) = self.send_batch() {
                report_error(None, &e);
            }
        }
    }
}

/// Sends every live batch handler's batch whose `interval` ran out (all of them when
/// `force`): the remote `pump` and `flush_all` call this first.
pub fn pump_batches(force: bool) {
    let live: Vec<Rc<BufferingHttpHandler>> =
        LIVE.with(|l| l.borrow().iter().filter_map(Weak::upgrade).collect());
    for h in live {
        h.pump(force);
    }
}

/// Records waiting in batches not yet made into requests.
pub fn batched() -> usize {
    LIVE.with(|l| {
        l.borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .map(|h| h.buffered())
            .sum()
    })
}

impl Handler for BufferingHttpHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let piece = self.encode(record)?;
        let size = piece.len() + 1;
        let overflowing = {
            let b = self.buffer.borrow();
            !b.items.is_empty() && b.bytes + size > self.batch.batch_bytes
        };
        if overflowing {
            self.send_batch()?;
        }
        let (full, first) = {
            let mut b = self.buffer.borrow_mut();
            let first = b.items.is_empty();
            if first {
                b.since_ns = Some(host::now_ns().0);
            }
            b.items.push((record.name.clone(), piece));
            b.bytes += size;
            (
                b.items.len() >= self.batch.capacity || b.bytes >= self.batch.batch_bytes,
                first,
            )
        };
        if full {
            self.send_batch()?;
        } else if first {
            if let Some(i) = self.batch.interval {
                self.sender.wake_after((i * 1000.0).ceil() as u64);
            }
        }
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        self.send_batch()?;
        self.sender.flush()
    }

    fn close(&self) {
        if self.core.is_closed() {
            return;
        }
        if let Err(e) = self.send_batch() {
            report_error(None, &e);
        }
        self.sender.close();
        self.core.mark_closed();
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn set_attribute(&self, name: &str, value: &Value) -> Result<()> {
        // The delivery settings (`retryStart`, `capacity` of the pending buffer …).
        self.sender.set_attribute(name, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_version_4_uuids_and_differ() {
        seed_batch_ids(42);
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        for k in [&a, &b] {
            assert_eq!(k.len(), 36);
            let parts: Vec<&str> = k.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'), "{k}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{k}");
            assert!(k
                .bytes()
                .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        }
    }
}
