//! Native (non-Wasm) host defaults: the system clock and the process's stdout/stderr.

use std::io::Write;

use crate::core::error::{Error, Result};
use crate::core::host::Clock;
use crate::core::record::LogRecord;
use crate::core::sink::{ConsoleSink, Stream};

/// `time.time_ns()` from `std::time::SystemTime`. Local time is reported as UTC: the core
/// has no time-zone database, and a native embedder that needs local time installs a clock
/// that knows it.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ns(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }

    fn capture_stack(&self, _skip: usize) -> Option<String> {
        Some(std::backtrace::Backtrace::force_capture().to_string())
    }
}

/// The process's standard output and error.
#[derive(Clone, Copy, Debug, Default)]
pub struct StdConsole;

impl ConsoleSink for StdConsole {
    fn write(&self, stream: Stream, text: &str, _record: Option<&LogRecord>) -> Result<()> {
        let r = match stream {
            Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
            Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
        };
        r.map_err(|e| Error::os_error(e.to_string()))
    }

    fn flush(&self, stream: Stream) -> Result<()> {
        let r = match stream {
            Stream::Stdout => std::io::stdout().lock().flush(),
            Stream::Stderr => std::io::stderr().lock().flush(),
        };
        r.map_err(|e| Error::os_error(e.to_string()))
    }
}
