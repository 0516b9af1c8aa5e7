//! The queue half of `wasm-logging:logging/config`: named queues that configurations share
//! (the cookbook's `"queue": "ext://__main__.q"`), `QueueListener`s on them, and
//! `getHandlerNames`. A named queue is a configuration factory of the queue kind, so the
//! core's `QueueHandler` entries resolve it exactly as they resolve any other `ext://` name.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::core::config::{self, Built, FactoryKind};
use crate::core::error::Result;
use crate::core::handler::{get_handler_by_name, get_handler_names, Handler};
use crate::core::handlers::{FnHandler, LogQueue, QueueHandler, QueueListener};
use crate::core::manager::default_manager;
use crate::core::record::LogRecord;
use crate::core::value::Text;

use super::bindings::exports::wasm_logging::logging::config as wit;

thread_local! {
    static QUEUES: RefCell<BTreeMap<String, Rc<LogQueue>>> = const { RefCell::new(BTreeMap::new()) };
    static LISTENERS: RefCell<BTreeMap<String, Rc<QueueListener>>> = const { RefCell::new(BTreeMap::new()) };
}

fn bare(name: &str) -> &str {
    name.strip_prefix("ext://").unwrap_or(name)
}

fn queue(name: &str) -> Option<Rc<LogQueue>> {
    QUEUES
        .with(|q| q.borrow().get(bare(name)).cloned())
        .or_else(|| super::queue_bus::queue(name))
}

/// `create-queue(name, maxsize)`.
pub(crate) fn create_queue(name: String, maxsize: u32) {
    let name = bare(&name).to_owned();
    let q = LogQueue::new(maxsize as usize);
    let shared = q.clone();
    let label = name.clone();
    config::register_factory(
        &name,
        Rc::new(
            move |kind: FactoryKind, kwargs: &[(Text, crate::core::value::Value)]| match kind {
                FactoryKind::Queue if kwargs.is_empty() => Ok(Built::Queue(shared.clone())),
                FactoryKind::Queue => Err(format!("queue '{label}' takes no arguments")),
                _ => Err(format!("'{label}' is a queue")),
            },
        ),
    );
    QUEUES.with(|qs| qs.borrow_mut().insert(name, q));
}

/// `queue-size(name)`.
pub(crate) fn queue_size(name: &str) -> Option<u32> {
    queue(name).map(|q| u32::try_from(q.len()).unwrap_or(u32::MAX))
}

/// The recipe's `MyHandler`: each record to the logger it names, relabelled.
fn to_loggers(label: Option<String>) -> Rc<dyn Handler> {
    Rc::new(FnHandler::new(
        move |_text: &str, r: &LogRecord| -> Result<()> {
            let mut r = r.clone();
            if let Some(label) = &label {
                let was = r.process_name.as_deref().unwrap_or("None").to_owned();
                r.process_name = Some(Text::from(format!("{label} (for {was})")));
            }
            default_manager()
                .get_logger_or_root(Some(&r.name))
                .handle(&mut r);
            Ok(())
        },
    ))
}

/// `start-listener(queue, target, respect-handler-level)`.
pub(crate) fn start_listener(
    name: &str,
    target: wit::ListenerTarget,
    respect_handler_level: bool,
) -> std::result::Result<(), String> {
    let q = queue(name).ok_or_else(|| format!("no queue named '{}'", bare(name)))?;
    let handlers = match target {
        wit::ListenerTarget::Handlers(names) => names
            .iter()
            .map(|n| get_handler_by_name(n).ok_or_else(|| format!("no handler named '{n}'")))
            .collect::<std::result::Result<Vec<_>, _>>()?,
        wit::ListenerTarget::Loggers(label) => vec![to_loggers(label)],
    };
    let listener = QueueListener::new(q, handlers, respect_handler_level);
    listener.start();
    if let Some(old) = LISTENERS.with(|l| l.borrow_mut().insert(bare(name).to_owned(), listener)) {
        old.stop();
    }
    Ok(())
}

/// `stop-listener(queue)`: how many records the stop delivered.
pub(crate) fn stop_listener(name: &str) -> u32 {
    let Some(listener) = LISTENERS.with(|l| l.borrow_mut().remove(bare(name))) else {
        return 0;
    };
    stop_counting(&listener)
}

/// `stop()` on `listener`: how many records it delivered (counted as delivered, not as the
/// queue's shrinking: a host queue shared with other instances may grow meanwhile).
fn stop_counting(listener: &Rc<QueueListener>) -> u32 {
    u32::try_from(listener.stop_counted()).unwrap_or(u32::MAX)
}

/// The listener `dictConfig` made for the `QueueHandler` named `name`, with its queue.
fn handler_listener(name: &str) -> std::result::Result<(Rc<QueueListener>, Rc<LogQueue>), String> {
    let h = get_handler_by_name(name).ok_or_else(|| format!("no handler named '{name}'"))?;
    let qh = h
        .as_any()
        .and_then(|a| a.downcast_ref::<QueueHandler>())
        .ok_or_else(|| format!("handler '{name}' is not a QueueHandler"))?;
    let listener = qh
        .listener()
        .ok_or_else(|| format!("handler '{name}' has no listener (configure its 'handlers')"))?;
    Ok((listener, qh.queue()))
}

/// `start-handler-listener(name)`.
pub(crate) fn start_handler_listener(name: &str) -> std::result::Result<(), String> {
    handler_listener(name).map(|(l, _)| l.start())
}

/// `stop-handler-listener(name)`.
pub(crate) fn stop_handler_listener(name: &str) -> std::result::Result<u32, String> {
    handler_listener(name).map(|(l, _)| stop_counting(&l))
}

/// `get-handler-names()`.
pub(crate) fn handler_names() -> Vec<String> {
    get_handler_names().iter().map(|n| n.to_string()).collect()
}
