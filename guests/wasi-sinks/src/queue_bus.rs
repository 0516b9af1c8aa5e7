//! `queue-bus`: the queues a `QueueHandler` with `queue: "ext://host:<name>"` puts records
//! on and a `QueueListener` takes them from. Under the wasm-logging host they are shared
//! between instances; a composed component is one instance, so here they live in this
//! component's memory. Their names come from `WASM_LOGGING_QUEUES` (comma-separated).
//! Each holds at most [`CAPACITY`] records: a put beyond that is refused with a message,
//! which the core counts and reports, as the host does for a full queue.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use crate::bindings::exports::wasm_logging::logging::queue_bus::{Guest, RecordFields};
use crate::{env, Sinks};

/// The most records one queue holds.
pub const CAPACITY: usize = 10_000;

thread_local! {
    static QUEUES: RefCell<Option<HashMap<String, VecDeque<RecordFields>>>> =
        const { RefCell::new(None) };
}

fn configured() -> Vec<String> {
    let mut names: Vec<String> = env("WASM_LOGGING_QUEUES")
        .unwrap_or_default()
        .split(',')
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    names.dedup();
    names
}

fn with_queues<R>(f: impl FnOnce(&mut HashMap<String, VecDeque<RecordFields>>) -> R) -> R {
    QUEUES.with(|q| {
        let mut q = q.borrow_mut();
        let queues = q.get_or_insert_with(|| {
            configured()
                .into_iter()
                .map(|n| (n, VecDeque::new()))
                .collect()
        });
        f(queues)
    })
}

impl Guest for Sinks {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = with_queues(|q| q.keys().cloned().collect());
        names.sort();
        names
    }

    fn put(queue: String, fields: RecordFields) -> Result<(), String> {
        with_queues(|q| match q.get_mut(&queue) {
            None => Err(format!(
                "no queue named '{queue}' (the WASI sinks offer those in WASM_LOGGING_QUEUES)"
            )),
            Some(items) if items.len() >= CAPACITY => {
                Err(format!("queue '{queue}' is full ({CAPACITY} records)"))
            }
            Some(items) => {
                items.push_back(fields);
                Ok(())
            }
        })
    }

    fn take(queue: String, max: u32) -> Vec<RecordFields> {
        with_queues(|q| match q.get_mut(&queue) {
            Some(items) => {
                let n = items.len().min(max as usize);
                items.drain(..n).collect()
            }
            None => Vec::new(),
        })
    }

    fn size(queue: String) -> Option<u32> {
        with_queues(|q| {
            q.get(&queue)
                .map(|i| u32::try_from(i.len()).unwrap_or(u32::MAX))
        })
    }
}
