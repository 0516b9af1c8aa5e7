//! `ConsoleHandler`: CPython's `StreamHandler` over a [`ConsoleSink`].

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::core::error::Result;
use crate::core::handler::{Handler, HandlerCore};
use crate::core::host;
use crate::core::record::LogRecord;
use crate::core::sink::{ConsoleSink, Stream};
use crate::core::value::Text;

/// `logging.StreamHandler`: writes `format(record) + terminator` to a console stream and
/// flushes it. Without an explicit sink it writes to the host's standard console, looked up
/// at each emit (as CPython's `lastResort` looks up `sys.stderr`).
pub struct ConsoleHandler {
    core: HandlerCore,
    stream: Stream,
    sink: Option<Rc<dyn ConsoleSink>>,
    terminator: RefCell<Text>,
}

impl fmt::Debug for ConsoleHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleHandler")
            .field("core", &self.core)
            .field("stream", &self.stream)
            .finish()
    }
}

impl ConsoleHandler {
    /// `StreamHandler(stream)` on the host console (`ext://sys.stdout` / `ext://sys.stderr`).
    pub fn new(stream: Stream) -> Self {
        ConsoleHandler {
            core: HandlerCore::default(),
            stream,
            sink: None,
            terminator: RefCell::new(Text::Static("\n")),
        }
    }

    /// `StreamHandler()`: standard error, as in CPython.
    pub fn stderr() -> Self {
        Self::new(Stream::Stderr)
    }

    /// A handler writing to `stream` of a specific console sink.
    pub fn with_sink(stream: Stream, sink: Rc<dyn ConsoleSink>) -> Self {
        ConsoleHandler {
            sink: Some(sink),
            ..Self::new(stream)
        }
    }

    /// The stream written to.
    pub fn stream(&self) -> Stream {
        self.stream
    }

    /// `terminator` (default `"\n"`).
    pub fn set_terminator(&self, terminator: impl Into<Text>) {
        *self.terminator.borrow_mut() = terminator.into();
    }

    fn sink(&self) -> Rc<dyn ConsoleSink> {
        match &self.sink {
            Some(s) => s.clone(),
            None => host::console(),
        }
    }
}

impl Handler for ConsoleHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let mut text = self.core.format(record)?;
        text.push_str(&self.terminator.borrow());
        let sink = self.sink();
        // One write per record (CPython issue 35046): text and terminator never interleave.
        let r = sink.write(self.stream, &text, Some(record));
        crate::core::pool::give_string(text);
        r?;
        sink.flush(self.stream)
    }

    fn flush(&self) -> Result<()> {
        self.sink().flush(self.stream)
    }

    fn set_attribute(&self, name: &str, value: &crate::core::value::Value) -> Result<()> {
        terminator_attribute("StreamHandler", name, value, &self.terminator)
    }
}

/// The `.` attribute the stream and file handlers share: `terminator`, a string.
pub(crate) fn terminator_attribute(
    class: &str,
    name: &str,
    value: &crate::core::value::Value,
    slot: &RefCell<Text>,
) -> Result<()> {
    match (name, value) {
        ("terminator", crate::core::value::Value::Str(t)) => {
            *slot.borrow_mut() = t.clone();
            Ok(())
        }
        ("terminator", other) => Err(crate::core::error::Error::type_error(format!(
            "terminator: expected a string, got {}",
            other.type_name()
        ))),
        _ => Err(crate::core::error::Error::new(
            crate::core::error::ErrorKind::AttributeError,
            format!("{class} has no settable attribute '{name}'"),
        )),
    }
}
