//! `logger.log-packed`: a batch of `log` calls whose messages are one string and whose
//! arguments are one list (`packed-entries` in `wit/loggers.wit`).
//!
//! Lowering a `list<log-entry>` into the component calls its allocator two or three times
//! per record (the message, the arguments, the extras), each a call into the guest from
//! Wasmtime; the packed form needs seven per batch, whatever its size. Measured with
//! `host/examples/wasi_bench.rs` (docs/wasi-performance.md). The host's
//! `Instance::log_many` sends its entries this way.

use crate::core::error::Error;
use crate::core::handler::report_error;
use crate::core::logger::Logger;

use super::bindings::exports::wasm_logging::logging::loggers as wit;
use super::loggers::{fields, log_call, values};

/// Checks that the counts and lengths of `b` add up: every record has a level, a message
/// length, an argument count and an extra count, and they cover `msgs`, `args` and `extra`
/// exactly, with every message on character boundaries. The error names the field.
fn check(b: &wit::PackedEntries) -> Result<(), String> {
    let n = b.levels.len();
    for (field, len) in [
        ("msg-lens", b.msg_lens.len()),
        ("arg-counts", b.arg_counts.len()),
        ("extra-counts", b.extra_counts.len()),
    ] {
        if len != n {
            return Err(format!("{field}: {len} entries for {n} levels"));
        }
    }
    let mut at = 0usize;
    for (i, &len) in b.msg_lens.iter().enumerate() {
        let end = at.saturating_add(len as usize);
        if end > b.msgs.len() {
            return Err(format!(
                "msg-lens[{i}]: the messages end at byte {end}, msgs has {}",
                b.msgs.len()
            ));
        }
        if !b.msgs.is_char_boundary(end) {
            return Err(format!(
                "msg-lens[{i}]: byte {end} of msgs is inside a character"
            ));
        }
        at = end;
    }
    if at != b.msgs.len() {
        return Err(format!(
            "msg-lens: the messages take {at} bytes, msgs has {}",
            b.msgs.len()
        ));
    }
    for (field, counts, total) in [
        ("arg-counts", &b.arg_counts, b.args.len()),
        ("extra-counts", &b.extra_counts, b.extra.len()),
    ] {
        let sum = counts.iter().map(|&c| c as u64).sum::<u64>();
        if sum != total as u64 {
            return Err(format!(
                "{field}: the counts add up to {sum}, the list has {total}"
            ));
        }
    }
    Ok(())
}

/// Logs each record of `batch` on `logger`, in order, as `log` would; a malformed batch is
/// reported and nothing of it is logged.
pub(crate) fn log_packed(logger: &Logger, batch: wit::PackedEntries) {
    if let Err(e) = check(&batch) {
        report_error(None, &Error::value_error(format!("log-packed: {e}")));
        return;
    }
    let wit::PackedEntries {
        levels,
        msgs,
        msg_lens,
        args,
        arg_counts,
        extra,
        extra_counts,
    } = batch;
    let mut args = args.into_iter();
    let mut extra = extra.into_iter();
    let mut at = 0usize;
    for (i, level) in levels.into_iter().enumerate() {
        let end = at + msg_lens[i] as usize;
        let msg = &msgs[at..end];
        at = end;
        // A record below the level still takes its arguments off the lists.
        let a = args.by_ref().take(arg_counts[i] as usize);
        let e = extra.by_ref().take(extra_counts[i] as usize);
        if !logger.is_enabled_for(level) {
            a.for_each(drop);
            e.for_each(drop);
            continue;
        }
        let (a, e) = (values(a), fields(e));
        log_call(logger, level, msg, || a, || e);
    }
}
