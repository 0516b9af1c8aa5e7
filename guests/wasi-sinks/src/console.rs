//! `console`: `sys.stdout` and `sys.stderr` are the runtime's `wasi:cli/stdout` and
//! `wasi:cli/stderr`.

use std::io::Write;

use crate::bindings::exports::wasm_logging::logging::console::{Guest, Stream};
use crate::Sinks;

/// Writes `text` and flushes: std's buffer lives in this component, which has no exit hook
/// of its own, so text left in it (a record without a trailing newline) would never reach
/// the runtime.
fn write_to(out: &mut dyn Write, text: &str) -> Result<(), String> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to the console: {e}"))
}

impl Guest for Sinks {
    fn write(stream: Stream, text: String) -> Result<(), String> {
        match stream {
            Stream::Stdout => write_to(&mut std::io::stdout().lock(), &text),
            Stream::Stderr => write_to(&mut std::io::stderr().lock(), &text),
        }
    }

    fn flush(stream: Stream) -> Result<(), String> {
        let result = match stream {
            Stream::Stdout => std::io::stdout().lock().flush(),
            Stream::Stderr => std::io::stderr().lock().flush(),
        };
        result.map_err(|e| format!("cannot flush the console: {e}"))
    }
}
