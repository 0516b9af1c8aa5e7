//! One host crossing per batch instead of per record: while a `log-many` call (or another
//! batch of records) runs, the console's writes are gathered here and handed to the host in
//! one `console.write` per stream run when the batch ends, and the wall clock is read once.
//!
//! Measured with `host/examples/wasi_bench.rs` (docs/wasi-performance.md): each import call
//! costs the component 60–100 ns of canonical-ABI work (lifting the string, entering the
//! host, the resource-table scope checks), and a record made three of them (clock, write,
//! flush).
//!
//! What stays as it was:
//! - **Order.** Output keeps its order across streams (a run of stdout, then stderr, is two
//!   writes in that order), and the batch is written out before anything that could show
//!   output of its own (a host factory's filter, formatter or handler, a host queue) and at
//!   the end of the call, so no later output overtakes it.
//! - **Bounds.** More than [`MAX_PENDING`] bytes are written out at once: a batch never
//!   holds more than that.
//! - **Failures.** A write or flush the host refuses is reported through `handleError` (and
//!   counted by `error-count`), with the number of writes it carried: nothing is dropped
//!   silently. The report cannot name the record (CPython's `Message:` lines), because the
//!   write happens after the records' own emits returned.
//! - **Flushes.** A handler's `flush` inside a batch is kept as a request and done once,
//!   after the batch's writes, on the streams that asked.
//!
//! Every record of a batch carries the time the clock gave at its first record (CPython
//! reads `time.time_ns()` per record; a batch is one call, so its records were made at the
//! same moment as far as the caller is concerned). A fixed clock (`set-fixed-time`) is not
//! affected.

use std::cell::{Cell, RefCell};

use crate::core::error::Error;
use crate::core::handler::report_error;
use crate::core::sink::Stream;

use super::bindings::wasm_logging::logging::console;
use super::sinks::stream;

/// The most console text a batch holds before writing it out.
pub(crate) const MAX_PENDING: usize = 64 * 1024;

/// The gathered output of the running batch.
#[derive(Default)]
struct Pending {
    /// Runs of text, each for one stream, in order; consecutive writes to the same stream
    /// share a run.
    runs: Vec<(Stream, String)>,
    /// Bytes held in `runs`.
    bytes: usize,
    /// Writes gathered in `runs` (one per record a handler emitted; for the failure report).
    writes: usize,
    /// Streams whose flush was asked for: stdout, stderr.
    flush: [bool; 2],
}

thread_local! {
    /// How many batches are open (a batch may start inside another: a handler that logs).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static PENDING: RefCell<Pending> = RefCell::new(Pending::default());
    /// The wall-clock time of the open batch, once read.
    static NOW: Cell<Option<i64>> = const { Cell::new(None) };
    /// A cleared buffer of an earlier batch, reused for the next batch's first run.
    static SPARE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` as one batch: console output is gathered and written when the outermost batch
/// ends, and the wall clock is read at most once.
pub(crate) fn run<R>(f: impl FnOnce() -> R) -> R {
    DEPTH.with(|d| d.set(d.get() + 1));
    // Closed on every exit of `f`, so a batch can never stay open past its call (the
    // component is built with `panic = abort` for release, but tests unwind).
    struct Close;
    impl Drop for Close {
        fn drop(&mut self) {
            let outermost = DEPTH.with(|d| {
                let n = d.get().saturating_sub(1);
                d.set(n);
                n == 0
            });
            if outermost {
                NOW.with(|n| n.set(None));
                write_out();
            }
        }
    }
    let _close = Close;
    f()
}

/// Whether a batch is open.
fn open() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// The batch's time: `read` once per batch, then the same value; `read` every time outside
/// a batch.
pub(crate) fn now_ns(read: impl FnOnce() -> i64) -> i64 {
    if !open() {
        return read();
    }
    NOW.with(|n| match n.get() {
        Some(t) => t,
        None => {
            let t = read();
            n.set(Some(t));
            t
        }
    })
}

/// Gathers `text` for `s` if a batch is open; `false` (nothing kept) otherwise.
pub(crate) fn write(s: Stream, text: &str) -> bool {
    if !open() {
        return false;
    }
    let full = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        p.bytes += text.len();
        p.writes += 1;
        match p.runs.last_mut() {
            Some((last, run)) if *last == s => run.push_str(text),
            _ => {
                let mut run = SPARE.with(|b| b.borrow_mut().take()).unwrap_or_default();
                run.push_str(text);
                p.runs.push((s, run));
            }
        }
        p.bytes >= MAX_PENDING
    });
    if full {
        write_out();
    }
    true
}

/// Keeps a flush of `s` for the end of the batch if one is open; `false` otherwise.
pub(crate) fn flush(s: Stream) -> bool {
    if !open() {
        return false;
    }
    PENDING.with(|p| p.borrow_mut().flush[s as usize] = true);
    true
}

/// Writes out what the batch holds so far, then does the flushes asked for: before the
/// host runs code of its own that could print, and at the end of the batch.
pub(crate) fn write_out() {
    let pending = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.runs.is_empty() && p.flush == [false; 2] {
            return None;
        }
        Some(std::mem::take(&mut *p))
    });
    let Some(Pending {
        runs,
        writes,
        flush,
        ..
    }) = pending
    else {
        return;
    };
    // A failure report below writes to the console too: it must go straight out, not into
    // the batch being written.
    let depth = DEPTH.with(|d| d.replace(0));
    let mut failed = None;
    for (s, text) in &runs {
        if let Err(e) = console::write(stream(*s), text) {
            failed.get_or_insert(e);
        }
    }
    if let Some(e) = failed {
        report_error(
            None,
            &Error::os_error(format!("{e} (a batch of {writes} console writes)")),
        );
    }
    for s in [Stream::Stdout, Stream::Stderr] {
        if flush[s as usize] {
            if let Err(e) = console::flush(stream(s)) {
                report_error(None, &Error::os_error(e));
            }
        }
    }
    DEPTH.with(|d| d.set(depth));
    // Keep the largest run's buffer for the next batch, within the bound.
    if let Some((_, mut buf)) = runs.into_iter().max_by_key(|(_, r)| r.capacity()) {
        if buf.capacity() <= MAX_PENDING * 2 {
            buf.clear();
            SPARE.with(|s| *s.borrow_mut() = Some(buf));
        }
    }
}
