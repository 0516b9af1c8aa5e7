//! wasm-logging's sinks on standard WASI 0.2, as a component of their own.
//!
//! The wasm-logging component imports its console, log storage and connections
//! (`wasm-logging:logging/console`, `storage`, `remote`) plus `host-info`, `factories` and
//! `queue-bus`; the project's Wasmtime host (`host/`) implements them natively. This component
//! exports the same interfaces on nothing but standard WASI, so `wac plug` can compose the
//! two and any WASI Preview 2 runtime (the Wasmtime CLI, jco in Node) can run the result:
//!
//! - `console`: `wasi:cli/stdout` and `wasi:cli/stderr` (through `std::io`);
//! - `storage`: files in a `wasi:filesystem` preopen: the one whose name is in the
//!   `WASM_LOGGING_LOG_DIR` environment variable, else the first preopened directory;
//! - `remote`: `wasi:sockets` TCP and UDP (through `std::net`), HTTP as requests over TCP;
//!   whether a connection may be made is the runtime's decision (the Wasmtime CLI's
//!   `-S inherit-network`);
//! - `host-info`: UTC (WASI 0.2 has no stable time zone interface) and an identity from
//!   `WASM_LOGGING_PROCESS_NAME`, `WASM_LOGGING_THREAD_NAME`, `WASM_LOGGING_PROCESS`;
//! - `factories`: none (a `()` factory is refused with a message naming it);
//! - `queue-bus`: the queues named by `WASM_LOGGING_QUEUES`, in this component's memory
//!   (one composed instance has no other instance to share them with).
//!
//! Every function answers with a value or an error message; none panics or traps.

mod console;
mod factories;
mod host_info;
mod queue_bus;
mod remote;
mod storage;

/// Generated bindings for the `sinks` world (`wit/` of the repository root), never edited.
#[allow(missing_docs)]
mod bindings {
    wit_bindgen::generate!({
        inline: "
            package wasm-logging:wasi-sinks;

            /// What the wasm-logging component imports beyond WASI, made from WASI.
            world sinks {
                import wasi:filesystem/preopens@0.2.6;
                export wasm-logging:logging/console@0.1.0;
                export wasm-logging:logging/storage@0.1.0;
                export wasm-logging:logging/remote@0.1.0;
                export wasm-logging:logging/host-info@0.1.0;
                export wasm-logging:logging/factories@0.1.0;
                export wasm-logging:logging/queue-bus@0.1.0;
            }
        ",
        path: "../../wit",
        generate_all,
    });
}

/// The type every exported interface is implemented on.
struct Sinks;

bindings::export!(Sinks with_types_in bindings);

/// An environment variable, if it is set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
