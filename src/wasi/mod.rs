//! The WASI component: the core behind the WIT world in `wit/world.wit`.
//!
//! The bindings are generated from `wit/` by `wit_bindgen::generate!` and never edited. Each
//! exported interface has its own module (`loggers`, with `adapters`, `calls`, `messages` and
//! `values` for its log calls; `config` with `queues`; `handlers` with `build`;
//! `wasi_logging` for `wasi:logging/logging`; `tour`); the host's imports become the core's
//! sinks and clock in `sinks`, and its `()` factories core factories in `factories`. Every
//! export calls [`init`] first, which installs those once per instance: the core never reads
//! a clock or writes a byte by itself.

mod adapters;
mod batch;
mod build;
mod calls;
mod config;
mod factories;
mod handlers;
mod loggers;
mod messages;
mod packed;
mod queue_bus;
mod queues;
mod sinks;
mod tour;
mod values;
mod wasi_logging;

use std::cell::Cell;
use std::rc::Rc;

use crate::core::host;
use crate::core::value::Text;

/// Generated bindings for the `wasm-logging` world.
#[allow(missing_docs)]
mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "wasm-logging",
        generate_all,
    });
}

/// The type every exported interface is implemented on.
struct Component;

bindings::export!(Component with_types_in bindings);

thread_local! {
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

/// Installs the host's clock, console and identity into the core, once per instance. Called
/// at the top of every export: a component has no start hook that may call imports.
pub(crate) fn init() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    host::install_clock(Rc::new(sinks::WasiClock));
    host::install_console(Rc::new(sinks::HostConsole));
    crate::core::config::set_default_env(crate::core::config::ConfigEnv {
        storage: Some(Rc::new(sinks::HostStorage)),
        remote: Some(Rc::new(sinks::HostRemote)),
    });
    factories::install();
    queue_bus::install();
    let id = bindings::wasm_logging::logging::host_info::instance_identity();
    host::set_identity(host::Identity {
        thread: None,
        thread_name: Some(Text::from(id.thread_name)),
        process: Some(id.process),
        process_name: Some(Text::from(id.process_name)),
    });
}
