//! `NullHandler` and a handler from a closure.

use std::fmt;

use crate::core::error::Result;
use crate::core::handler::{Handler, HandlerCore};
use crate::core::record::LogRecord;

/// `logging.NullHandler`: does nothing. Libraries attach it to their top logger so an
/// application without configuration does not see `lastResort` output.
#[derive(Debug, Default)]
pub struct NullHandler {
    core: HandlerCore,
}

impl NullHandler {
    /// A new null handler.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Handler for NullHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, _record: &mut LogRecord) -> Result<()> {
        Ok(())
    }
    // CPython's NullHandler.handle does not even filter: nothing to do, so do nothing.
    fn handle(&self, _record: &mut LogRecord) -> bool {
        true
    }
}

/// A handler that formats each record and passes the text and the record to a closure: the
/// core of the JS `CallbackHandler` and a convenient sink in tests. An `Err` from the closure
/// is reported through `handle_error`.
pub struct FnHandler<F> {
    core: HandlerCore,
    f: F,
}

impl<F> fmt::Debug for FnHandler<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnHandler")
            .field("core", &self.core)
            .finish()
    }
}

impl<F> FnHandler<F>
where
    F: Fn(&str, &LogRecord) -> Result<()>,
{
    /// A handler calling `f(formatted_text, record)` for each record.
    pub fn new(f: F) -> Self {
        FnHandler {
            core: HandlerCore::default(),
            f,
        }
    }
}

impl<F> Handler for FnHandler<F>
where
    F: Fn(&str, &LogRecord) -> Result<()>,
{
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        let text = self.core.format(record)?;
        let r = (self.f)(&text, record);
        crate::core::pool::give_string(text);
        r
    }
}
