//! `BufferingHTTPHandler`: recipe 29's buffering sender for HTTP. Like the cookbook's
//! `BufferingSMTPHandler`, it is a `BufferingHandler`: records are formatted into a buffer of
//! `capacity`, and a full buffer (or `flush()`, or `close()` at shutdown) becomes **one** POST
//! whose body is the formatted records, one per line (NDJSON with a `JsonFormatter`). The
//! request goes through the same delivery as every remote handler: queued, sent in order,
//! kept while the collector is down, reported when lost.

use std::cell::RefCell;
use std::rc::Rc;

use super::network::HttpOptions;
use super::remote::{FrameEncoder, RemoteHandler, RemoteOptions};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::handler::{Handler, HandlerCore};
use crate::core::record::LogRecord;
use crate::core::sink::{Endpoint, RemoteSink, Transport};
use crate::core::wire::http;

/// Never asked to encode: the batch handler builds whole requests itself.
struct Batches;

impl FrameEncoder for Batches {
    fn class_name(&self) -> &'static str {
        "BufferingHTTPHandler"
    }
    fn encode(&self, _core: &HandlerCore, _record: &mut LogRecord) -> Result<Vec<u8>> {
        Err(Error::new(
            ErrorKind::RuntimeError,
            "BufferingHTTPHandler sends batches, not single records",
        ))
    }
}

/// Formatted records buffered and POSTed in batches.
pub struct BufferingHttpHandler {
    core: HandlerCore,
    capacity: usize,
    options: HttpOptions,
    content_type: String,
    buffer: RefCell<Vec<String>>,
    sender: Rc<RemoteHandler>,
}

impl std::fmt::Debug for BufferingHttpHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufferingHttpHandler")
            .field("capacity", &self.capacity)
            .field("host", &self.options.host)
            .field("url", &self.options.url)
            .finish()
    }
}

impl BufferingHttpHandler {
    /// A handler POSTing batches of `capacity` formatted records to `options.url` on
    /// `options.host`, with `content_type` (e.g. `application/x-ndjson`).
    pub fn new(
        sink: Rc<dyn RemoteSink>,
        capacity: usize,
        options: HttpOptions,
        content_type: &str,
        remote: RemoteOptions,
    ) -> Result<Self> {
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
            content_type,
            b"",
        )
        .map_err(|e| Error::value_error(e.to_string()))?;
        let sender = RemoteHandler::new(
            sink,
            Endpoint::new(Transport::http(options.secure), host, port),
            Box::new(Batches),
            remote,
        );
        Ok(BufferingHttpHandler {
            core: HandlerCore::default(),
            capacity: capacity.max(1),
            options,
            content_type: content_type.to_owned(),
            buffer: RefCell::new(Vec::new()),
            sender,
        })
    }

    /// Records waiting for the next batch.
    pub fn buffered(&self) -> usize {
        self.buffer.borrow().len()
    }

    /// The delivery side (its counters, its pending requests).
    pub fn sender(&self) -> &Rc<RemoteHandler> {
        &self.sender
    }

    /// Turns the buffer into one request and queues it.
    fn send_batch(&self) -> Result<()> {
        let lines = std::mem::take(&mut *self.buffer.borrow_mut());
        if lines.is_empty() {
            return Ok(());
        }
        let mut body = String::new();
        for l in &lines {
            body.push_str(l);
            body.push('\n');
        }
        let o = &self.options;
        let request = http::body_request(
            "POST",
            &o.host,
            &o.url,
            o.secure,
            o.credentials
                .as_ref()
                .map(|(u, p)| (u.as_str(), p.as_str())),
            &self.content_type,
            body.as_bytes(),
        )
        .map_err(|e| Error::value_error(e.to_string()))?;
        self.sender.send_frame(request, None);
        Ok(())
    }
}

impl Handler for BufferingHttpHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let line = self.core.format(record)?;
        let full = {
            let mut b = self.buffer.borrow_mut();
            b.push(line);
            b.len() >= self.capacity
        };
        if full {
            self.send_batch()?;
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
            crate::core::handler::report_error(None, &e);
        }
        self.sender.close();
        self.core.mark_closed();
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}
