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

/// Where the component's console goes.
#[derive(Clone, Debug, Default)]
pub enum Console {
    /// The host process's stdout and stderr.
    #[default]
    Inherit,
    /// Kept in memory; read it with [`Console::captured`].
    Capture(Arc<Mutex<Captured>>),
}

impl Console {
    /// A console that keeps what it is given.
    pub fn capture() -> Self {
        Console::Capture(Arc::default())
    }

    /// What a capturing console holds so far (empty for [`Console::Inherit`]).
    pub fn captured(&self) -> Captured {
        match self {
            Console::Inherit => Captured::default(),
            Console::Capture(c) => c.lock().unwrap_or_else(PoisonError::into_inner).clone(),
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
            Console::Capture(_) => Ok(()),
        }
    }
}
