//! The `console` import: the host's standard output and error, or a capture of them for
//! tests and embedders that show the output themselves.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use crate::bindings::wasm_logging::logging::console::Stream;

/// What the component writes to its console, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captured {
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

/// How much a counting console ([`Console::count`]) was given, per stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// Bytes written to stdout.
    pub stdout_bytes: u64,
    /// Lines (`\n`) written to stdout.
    pub stdout_lines: u64,
    /// Bytes written to stderr.
    pub stderr_bytes: u64,
    /// Lines (`\n`) written to stderr.
    pub stderr_lines: u64,
    /// `console.write` calls that reached the host (a batch of records is one).
    pub writes: u64,
}

/// Where the component's console goes.
#[derive(Clone, Debug, Default)]
pub enum Console {
    /// The host process's stdout and stderr.
    #[default]
    Inherit,
    /// Kept in memory; read it with [`Console::captured`].
    Capture(Arc<Mutex<Captured>>),
    /// Received and counted, not kept (as `/dev/null` with a meter): for benchmarks, whose
    /// sink must not grow with the run; read it with [`Console::counted`].
    Count(Arc<Mutex<Counted>>),
}

impl Console {
    /// A console that keeps what it is given.
    pub fn capture() -> Self {
        Console::Capture(Arc::default())
    }

    /// A console that counts what it is given and keeps nothing.
    pub fn count() -> Self {
        Console::Count(Arc::default())
    }

    /// What a capturing console holds so far (empty for the others).
    pub fn captured(&self) -> Captured {
        match self {
            Console::Inherit | Console::Count(_) => Captured::default(),
            Console::Capture(c) => c.lock().unwrap_or_else(PoisonError::into_inner).clone(),
        }
    }

    /// What a counting console was given so far (zero for the others).
    pub fn counted(&self) -> Counted {
        match self {
            Console::Count(c) => *c.lock().unwrap_or_else(PoisonError::into_inner),
            _ => Counted::default(),
        }
    }

    /// Writes `text` to `stream`, as the component's `console.write` does: what a host
    /// handler ([`crate::factories`]) uses to print beside the component's own output.
    pub fn write(&self, stream: Stream, text: &str) -> Result<(), String> {
        match self {
            // Flushed at once: a log line must not wait in a buffer behind later stderr
            // output (or be lost if the host is killed).
            Console::Inherit => {
                let r = match stream {
                    Stream::Stdout => {
                        let mut out = std::io::stdout().lock();
                        out.write_all(text.as_bytes()).and_then(|()| out.flush())
                    }
                    Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
                };
                r.map_err(|e| e.to_string())
            }
            Console::Capture(c) => {
                let mut c = c.lock().unwrap_or_else(PoisonError::into_inner);
                match stream {
                    Stream::Stdout => c.stdout.push_str(text),
                    Stream::Stderr => c.stderr.push_str(text),
                }
                Ok(())
            }
            Console::Count(c) => {
                let lines = text.bytes().filter(|&b| b == b'\n').count() as u64;
                let bytes = text.len() as u64;
                let mut c = c.lock().unwrap_or_else(PoisonError::into_inner);
                c.writes += 1;
                match stream {
                    Stream::Stdout => {
                        c.stdout_bytes += bytes;
                        c.stdout_lines += lines;
                    }
                    Stream::Stderr => {
                        c.stderr_bytes += bytes;
                        c.stderr_lines += lines;
                    }
                }
                Ok(())
            }
        }
    }

    pub(crate) fn flush(&self, stream: Stream) -> Result<(), String> {
        match self {
            Console::Inherit => {
                let r = match stream {
                    Stream::Stdout => std::io::stdout().lock().flush(),
                    Stream::Stderr => std::io::stderr().lock().flush(),
                };
                r.map_err(|e| e.to_string())
            }
            Console::Capture(_) | Console::Count(_) => Ok(()),
        }
    }
}
