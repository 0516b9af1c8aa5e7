//! # wasm-logging-host
//!
//! The Wasmtime embedder of the wasm-logging component (`wit/world.wit`, world
//! `wasm-logging`), and the library behind the `wasm-logging` command-line tool.
//!
//! The host provides the component's imports — the console ([`Console`]), named logs in a
//! directory ([`LogDir`]), TCP connections ([`Remote`]), the local time zone and the
//! instance's identity, and the `()` factories an embedder registers ([`Factories`]) — links WASI Preview 2 for what Rust's `std` imports, and wraps the
//! component's exports in [`Instance`]:
//!
//! ```no_run
//! use wasm_logging_host::{HostOptions, Runtime};
//! use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
//!
//! # fn main() -> wasmtime::Result<()> {
//! let runtime = Runtime::load("target/wasm32-wasip2/debug/wasm_logging.wasm")?;
//! let mut instance = runtime.instantiate(HostOptions::default())?;
//! instance.basic_config(&wasm_logging_host::basic_options("%(levelname)s %(name)s %(message)s"))?
//!     .map_err(|e| wasmtime::format_err!("{}: {}", e.path, e.reason))?;
//! instance.log("app.net", 30, "connected to %s:%d", &[Value::Str("example.org".into()), Value::Int(443)], &[])?;
//! # Ok(())
//! # }
//! ```
//!
//! Each [`Instance`] has its own [`wasmtime::Store`], so its own logger hierarchy: the
//! cookbook's "processes" are instances here.

pub mod call;
pub mod clock;
pub mod config;
pub mod console;
pub mod factories;
mod handlers;
pub mod http_serve;
pub mod interop;
mod loggers;
pub mod queue_bus;
pub mod remote;
pub mod route;
pub mod serve;
pub mod storage;
pub mod workers;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use wasmtime::component::{Component, HasSelf, Linker, ResourceAny, ResourceTable};
use wasmtime::error::Context as _;
use wasmtime::{Engine, Result, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

pub use call::{Call, PyValue};
pub use clock::{FixedClock, LocalTime, Zone};
pub use console::{Captured, Console, Counted};
pub use factories::{Factories, HostRecord};
pub use loggers::Adapter;
pub use queue_bus::{HostQueue, QueueOptions, SharedQueues};
pub use remote::Remote;
pub use storage::LogDir;

/// Bindings generated from `wit/` by `wasmtime::component::bindgen!`.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "wasm-logging",
        // The wall clock is WASI's own; wasmtime-wasi implements it. So are the other WASI
        // imports Rust's std brings (wit/world.wit), linked by `add_to_linker_sync`; mapping
        // wasi:io to wasmtime-wasi's keeps its resources out of the derives below.
        with: {
            "wasi:clocks": wasmtime_wasi::p2::bindings::clocks,
            "wasi:io": wasmtime_wasi::p2::bindings::io,
        },
        require_store_data_send: true,
        // Records and variants compare, for embedders' tests and ours.
        additional_derives: [PartialEq],
    });
}

use bindings::exports::wasm_logging::logging::config::{
    BasicConfigOptions, ConfigError, ListenerTarget,
};
use bindings::exports::wasm_logging::logging::loggers::{
    ForeignRecord, Level, LogEntry, PackedEntries, Value,
};
use bindings::wasm_logging::logging::{
    console as wit_console, factories as wit_factories, host_info, queue_bus as wit_queue_bus,
    remote as wit_remote, storage as wit_storage,
};

/// How an instance is set up.
#[derive(Clone, Debug)]
pub struct HostOptions {
    /// Where `storage` names live (default `./logs`).
    pub log_dir: PathBuf,
    /// Where the console goes.
    pub console: Console,
    /// A fixed wall clock (nanoseconds since the epoch); `None` is the system clock.
    pub clock: Option<u64>,
    /// The local time zone.
    pub zone: Zone,
    /// `record.processName` (the instance's name).
    pub process_name: String,
    /// `record.threadName`.
    pub thread_name: String,
    /// `record.process`.
    pub process: u32,
    /// The factories `dictConfig` may name in `()` or `class` ([`factories`]).
    pub factories: Factories,
    /// The endpoints the component's network handlers may connect to (`HOST:PORT`, or
    /// `HOST:*`); empty by default, so nothing connects unless the embedder says so.
    pub allow_remote: Vec<String>,
    /// The host queues this instance shares with others ([`queue_bus`]); none by default.
    pub shared_queues: SharedQueues,
    /// The fuel the instance may burn, for a runtime whose engine was made with
    /// `Config::consume_fuel` (required there): a CPU budget for an untrusted guest, which
    /// traps when it runs out. `None` for an ordinary engine.
    pub fuel: Option<u64>,
}

impl HostOptions {
    /// These options sharing `queues` with every other instance given the same set.
    pub fn shared_queues(mut self, queues: SharedQueues) -> Self {
        self.shared_queues = queues;
        self
    }
}

impl Default for HostOptions {
    fn default() -> Self {
        HostOptions {
            log_dir: PathBuf::from("logs"),
            console: Console::Inherit,
            clock: None,
            zone: Zone::System,
            process_name: "MainProcess".to_owned(),
            thread_name: "MainThread".to_owned(),
            process: std::process::id(),
            factories: Factories::default(),
            allow_remote: Vec::new(),
            shared_queues: SharedQueues::default(),
            fuel: None,
        }
    }
}

/// What a store holds: WASI's context and the sinks behind the component's imports.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    console: Console,
    storage: LogDir,
    remote: Remote,
    zone: Zone,
    identity: host_info::Identity,
    factories: factories::FactoryState,
    queues: SharedQueues,
    /// The component's exports, once instantiated: what a linked `wasi:logging` guest calls.
    exports: Option<Arc<bindings::WasmLogging>>,
}

impl HostState {
    /// The log directory behind `storage`.
    pub fn storage(&self) -> &LogDir {
        &self.storage
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wit_console::Host for HostState {
    fn write(&mut self, stream: wit_console::Stream, text: String) -> Result<(), String> {
        self.console.write(stream, &text)
    }
    fn flush(&mut self, stream: wit_console::Stream) -> Result<(), String> {
        self.console.flush(stream)
    }
}

impl wit_storage::Host for HostState {
    fn append(&mut self, name: String, bytes: Vec<u8>) -> Result<(), String> {
        self.storage.append(&name, &bytes)
    }
    fn size(&mut self, name: String) -> Result<Option<u64>, String> {
        self.storage.size(&name)
    }
    fn rename(&mut self, source: String, dest: String) -> Result<(), String> {
        self.storage.rename(&source, &dest)
    }
    fn remove(&mut self, name: String) -> Result<(), String> {
        self.storage.remove(&name)
    }
    fn read(&mut self, name: String) -> Result<Option<Vec<u8>>, String> {
        self.storage.read(&name)
    }
    fn truncate(&mut self, name: String) -> Result<(), String> {
        self.storage.truncate(&name)
    }
    fn list_logs(&mut self, dir: String) -> Result<Vec<String>, String> {
        self.storage.list_dir(&dir)
    }
}

impl wit_remote::Host for HostState {
    fn check(&mut self, endpoint: wit_remote::Endpoint) -> Result<(), String> {
        self.remote.check(endpoint)
    }
    fn open(&mut self, endpoint: wit_remote::Endpoint) -> Result<u32, String> {
        self.remote.open(endpoint)
    }
    fn send(&mut self, conn: u32, frame: Vec<u8>) -> Result<wit_remote::SendStatus, String> {
        self.remote.send(conn, &frame)
    }
    fn flush(&mut self, conn: u32) -> Result<(), String> {
        self.remote.flush(conn)
    }
    fn close(&mut self, conn: u32) -> Result<(), String> {
        self.remote.close(conn)
    }
}

impl wit_factories::Host for HostState {
    fn names(&mut self) -> Vec<String> {
        self.factories.names()
    }
    fn create(
        &mut self,
        name: String,
        kind: wit_factories::Kind,
        kwargs: String,
    ) -> Result<u32, String> {
        self.factories.create(&name, kind, &kwargs)
    }
    fn filter(
        &mut self,
        id: u32,
        rec: wit_factories::RecordView,
    ) -> Result<wit_factories::Verdict, String> {
        self.factories.filter(id, rec)
    }
    fn format(&mut self, id: u32, rec: wit_factories::RecordView) -> Result<String, String> {
        self.factories.format(id, rec)
    }
    fn emit(
        &mut self,
        id: u32,
        text: String,
        rec: wit_factories::RecordView,
    ) -> Result<(), String> {
        self.factories.emit(id, &text, rec, &self.console)
    }
    fn name(&mut self, id: u32, default_name: String) -> Result<String, String> {
        self.factories.name(id, &default_name)
    }
    fn rotate(&mut self, id: u32, source: String, dest: String) -> Result<(), String> {
        self.factories.rotate(id, &self.storage, &source, &dest)
    }
    fn flush(&mut self, _id: u32) -> Result<(), String> {
        Ok(())
    }
    fn close(&mut self, id: u32) {
        self.factories.close(id)
    }
}

impl host_info::Host for HostState {
    fn local_offset(&mut self, unix_seconds: i64) -> host_info::LocalTime {
        let t = self.zone.at(unix_seconds);
        host_info::LocalTime {
            utc_offset: t.utc_offset,
            zone: t.zone,
            is_dst: t.is_dst,
        }
    }
    fn instance_identity(&mut self) -> host_info::Identity {
        self.identity.clone()
    }
}

/// A compiled component and a linker with every import it needs: compile once, then
/// [`Runtime::instantiate`] as many instances as you like.
pub struct Runtime {
    engine: Engine,
    component: Component,
    linker: Linker<HostState>,
}

/// Adds WASI p2 and the component's own imports to `linker`.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    wit_console::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    wit_storage::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    wit_remote::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    host_info::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    wit_factories::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    wit_queue_bus::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    Ok(())
}

impl Runtime {
    /// Compiles the component at `path`, or loads the compilation an earlier run left next
    /// to it (`wasm_logging.<hash>.cwasm`, see [`compile_cached`]).
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let engine = Engine::default();
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the component {}", path.display()))?;
        let component = compile_cached(&engine, path, &bytes)
            .with_context(|| format!("{} is not a valid component", path.display()))?;
        Self::new(engine, component)
    }

    /// A runtime for an already compiled component.
    pub fn new(engine: Engine, component: Component) -> Result<Self> {
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker)?;
        Ok(Runtime {
            engine,
            component,
            linker,
        })
    }

    /// The compiled component.
    pub fn component(&self) -> &Component {
        &self.component
    }

    /// The engine the component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A new instance with its own store, logger hierarchy and sinks.
    pub fn instantiate(&self, options: HostOptions) -> Result<Instance> {
        let storage = LogDir::open(&options.log_dir).with_context(|| {
            format!(
                "cannot open the log directory {}",
                options.log_dir.display()
            )
        })?;
        let mut wasi = WasiCtx::builder();
        // The component's own std stderr (a panic message) stays visible; it gets no files
        // and no network: storage and remote go through the imports.
        wasi.inherit_stderr();
        if let Some(ns) = options.clock {
            wasi.wall_clock(FixedClock(ns));
        }
        let state = HostState {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            console: options.console,
            storage,
            remote: Remote::new(
                wasm_logging::net::AllowList::parse(&options.allow_remote)
                    .map_err(|e| wasmtime::format_err!("allow_remote: {e}"))?,
            ),
            zone: options.zone,
            identity: host_info::Identity {
                process: options.process,
                process_name: options.process_name,
                thread_name: options.thread_name,
            },
            factories: factories::FactoryState::new(options.factories),
            queues: options.shared_queues,
            exports: None,
        };
        let mut store = Store::new(&self.engine, state);
        if let Some(fuel) = options.fuel {
            store.set_fuel(fuel)?;
        }
        let exports = Arc::new(bindings::WasmLogging::instantiate(
            &mut store,
            &self.component,
            &self.linker,
        )?);
        store.data_mut().exports = Some(exports.clone());
        Ok(Instance {
            store,
            exports,
            loggers: HashMap::new(),
            last_logger: None,
            packed: PackedEntries {
                levels: Vec::new(),
                msgs: String::new(),
                msg_lens: Vec::new(),
                args: Vec::new(),
                arg_counts: Vec::new(),
                extra: Vec::new(),
                extra_counts: Vec::new(),
            },
        })
    }
}

/// `basicConfig(format=fmt)` options with everything else at CPython's defaults.
pub fn basic_options(format: &str) -> BasicConfigOptions {
    BasicConfigOptions {
        level: None,
        format: Some(format.to_owned()),
        datefmt: None,
        style: None,
        stream: None,
        filename: None,
        filemode: None,
        handlers: None,
        force: false,
    }
}

/// One instance of the component: its store and typed access to its exports.
///
/// A `wasmtime::Result` error from these methods means the instance trapped (which the
/// component is built never to do on input); logging errors are reported by the component
/// itself on its console's stderr, and configuration errors are the inner `Result`.
pub struct Instance {
    store: Store<HostState>,
    exports: Arc<bindings::WasmLogging>,
    /// Logger handles by name, so a router does not fetch one per record.
    loggers: HashMap<String, ResourceAny>,
    /// The last logger asked for: a caller logging on one logger skips the map's hashing
    /// (about 20 ns of the 300 ns crossing).
    last_logger: Option<(String, ResourceAny)>,
    /// The buffers [`Instance::log_many`] packs its entries into, kept between calls.
    packed: PackedEntries,
}

impl Instance {
    /// The store, for calling the generated bindings directly.
    pub fn store(&mut self) -> &mut Store<HostState> {
        &mut self.store
    }

    /// The generated bindings of the component's exports.
    pub fn exports(&self) -> &Arc<bindings::WasmLogging> {
        &self.exports
    }

    /// The log directory.
    pub fn log_dir(&self) -> &LogDir {
        &self.store.data().storage
    }

    /// What a capturing console holds so far.
    pub fn captured(&self) -> Captured {
        self.store.data().console.captured()
    }

    /// What a counting console ([`Console::count`]) was given so far.
    pub fn counted(&self) -> Counted {
        self.store.data().console.counted()
    }

    /// `logging.basicConfig(**options)`.
    pub fn basic_config(
        &mut self,
        options: &BasicConfigOptions,
    ) -> Result<std::result::Result<(), ConfigError>> {
        self.exports
            .wasm_logging_logging_config()
            .call_basic_config(&mut self.store, options)
    }

    /// `logging.basicConfig(**kwargs)`, the keyword arguments as a JSON object (every value
    /// Python code could pass, with CPython's errors).
    pub fn basic_config_kwargs(
        &mut self,
        kwargs_json: &str,
    ) -> Result<std::result::Result<(), ConfigError>> {
        self.exports
            .wasm_logging_logging_config()
            .call_basic_config_kwargs(&mut self.store, kwargs_json)
    }

    /// `logging.config.dictConfig(config)`, the configuration as JSON.
    pub fn dict_config(&mut self, json: &str) -> Result<std::result::Result<(), ConfigError>> {
        self.exports
            .wasm_logging_logging_config()
            .call_dict_config(&mut self.store, json)
    }

    /// `logging.getHandlerNames()`.
    pub fn get_handler_names(&mut self) -> Result<Vec<String>> {
        self.exports
            .wasm_logging_logging_config()
            .call_get_handler_names(&mut self.store)
    }

    /// A queue configurations share under `name` (`"queue": "ext://name"`).
    pub fn create_queue(&mut self, name: &str, maxsize: u32) -> Result<()> {
        self.exports
            .wasm_logging_logging_config()
            .call_create_queue(&mut self.store, name, maxsize)
    }

    /// How many records wait on the queue `name`.
    pub fn queue_size(&mut self, name: &str) -> Result<Option<u32>> {
        self.exports
            .wasm_logging_logging_config()
            .call_queue_size(&mut self.store, name)
    }

    /// `QueueListener(queue, ...).start()` on the queue `name`.
    pub fn start_listener(
        &mut self,
        queue: &str,
        target: &ListenerTarget,
        respect_handler_level: bool,
    ) -> Result<std::result::Result<(), String>> {
        self.exports
            .wasm_logging_logging_config()
            .call_start_listener(&mut self.store, queue, target, respect_handler_level)
    }

    /// `listener.stop()` on the queue `name`: how many records it delivered.
    pub fn stop_listener(&mut self, queue: &str) -> Result<u32> {
        self.exports
            .wasm_logging_logging_config()
            .call_stop_listener(&mut self.store, queue)
    }

    /// `getHandlerByName(handler).listener.start()`.
    pub fn start_handler_listener(
        &mut self,
        handler: &str,
    ) -> Result<std::result::Result<(), String>> {
        self.exports
            .wasm_logging_logging_config()
            .call_start_handler_listener(&mut self.store, handler)
    }

    /// `getHandlerByName(handler).listener.stop()`: how many records it delivered.
    pub fn stop_handler_listener(
        &mut self,
        handler: &str,
    ) -> Result<std::result::Result<u32, String>> {
        self.exports
            .wasm_logging_logging_config()
            .call_stop_handler_listener(&mut self.store, handler)
    }

    /// `handle-fields`: `makeLogRecord(fields)` then `getLogger(record.name).handle(record)`,
    /// the cookbook receiver's step for a record dictionary from the network.
    pub fn handle_fields(&mut self, fields: &[(String, Value)]) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_handle_fields(&mut self.store, fields)
    }

    /// `handle-fields-many`: [`Instance::handle_fields`] for a batch, in one call.
    pub fn handle_fields_many(&mut self, records: &[Vec<(String, Value)>]) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_handle_fields_many(&mut self.store, records)
    }

    /// Moves remote handlers' records on; how many still wait for their collector.
    pub fn remote_pending(&mut self) -> Result<u32> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_remote_pending(&mut self.store)
    }

    /// Delivers what started listeners have queued; how many records.
    pub fn pump(&mut self) -> Result<u32> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_pump(&mut self.store)
    }

    /// The handle of logger `name`, fetched once.
    pub fn logger(&mut self, name: &str) -> Result<ResourceAny> {
        if let Some((last, l)) = &self.last_logger {
            if last == name {
                return Ok(*l);
            }
        }
        if let Some(l) = self.loggers.get(name) {
            let l = *l;
            // The name's buffer is reused: a router switching loggers allocates nothing here.
            match &mut self.last_logger {
                Some((last, handle)) => {
                    last.clear();
                    last.push_str(name);
                    *handle = l;
                }
                None => self.last_logger = Some((name.to_owned(), l)),
            }
            return Ok(l);
        }
        let l = self
            .exports
            .wasm_logging_logging_loggers()
            .call_get_logger(&mut self.store, name)?;
        self.loggers.insert(name.to_owned(), l);
        Ok(l)
    }

    /// `getLogger(name).log(level, msg, *args, extra=extra)`.
    pub fn log(
        &mut self,
        name: &str,
        level: impl Into<i64>,
        msg: &str,
        args: &[Value],
        extra: &[(String, Value)],
    ) -> Result<()> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_log(&mut self.store, l, level.into(), msg, args, extra)
    }

    /// `getLogger(name).log(...)` for each entry, in one call into the component, which
    /// writes the console once and reads the clock once for the whole call.
    ///
    /// The entries are sent packed (`logger.log-packed`: the messages as one string, the
    /// arguments as one list), which costs the crossing a few allocations per call instead of
    /// two or three per entry; the output is the same as `logger.log-many`'s.
    pub fn log_many(&mut self, name: &str, entries: &[LogEntry]) -> Result<()> {
        let l = self.logger(name)?;
        let p = &mut self.packed;
        p.levels.clear();
        p.msgs.clear();
        p.msg_lens.clear();
        p.args.clear();
        p.arg_counts.clear();
        p.extra.clear();
        p.extra_counts.clear();
        for e in entries {
            // A message or argument list past 4 GiB cannot be counted in a u32: such a
            // batch goes as it is.
            let (Ok(len), Ok(nargs), Ok(nextra)) = (
                u32::try_from(e.msg.len()),
                u32::try_from(e.args.len()),
                u32::try_from(e.extra.len()),
            ) else {
                return self
                    .exports
                    .wasm_logging_logging_loggers()
                    .logger()
                    .call_log_many(&mut self.store, l, entries);
            };
            p.levels.push(e.level);
            p.msgs.push_str(&e.msg);
            p.msg_lens.push(len);
            p.args.extend_from_slice(&e.args);
            p.arg_counts.push(nargs);
            p.extra.extend_from_slice(&e.extra);
            p.extra_counts.push(nextra);
        }
        let r = self
            .exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_log_packed(&mut self.store, l, &self.packed);
        // Kept for the next call, unless one batch made them large.
        if self.packed.msgs.capacity() > 1 << 20 || self.packed.args.capacity() > 1 << 16 {
            self.packed.msgs = String::new();
            self.packed.args = Vec::new();
            self.packed.extra = Vec::new();
        }
        r
    }

    /// `getLogger(name).setLevel(level)` with a number (which is always a valid level); see
    /// [`Instance::set_logger_level`] for names.
    pub fn set_level(&mut self, name: &str, level: impl Into<i64>) -> Result<()> {
        self.set_logger_level(name, &Level::Number(level.into()))?
            .map_err(|e| wasmtime::format_err!("{}: {}", e.exception, e.message))
    }

    /// `getLogger(name).propagate = on`.
    pub fn set_propagate(&mut self, name: &str, on: bool) -> Result<()> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_set_propagate(&mut self.store, l, on)
    }

    /// `getLogger(name).isEnabledFor(level)`.
    pub fn is_enabled_for(&mut self, name: &str, level: impl Into<i64>) -> Result<bool> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_is_enabled_for(&mut self.store, l, level.into())
    }

    /// `getLogger(name).getEffectiveLevel()`.
    pub fn get_effective_level(&mut self, name: &str) -> Result<i64> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_get_effective_level(&mut self.store, l)
    }

    /// A record made elsewhere, handled as the cookbook's socket receiver does.
    pub fn handle(&mut self, record: &ForeignRecord) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_handle(&mut self.store, record)
    }

    /// `wasi:logging/logging.log(level, context, message)`.
    pub fn wasi_log(
        &mut self,
        level: bindings::exports::wasi::logging::logging::Level,
        context: &str,
        message: &str,
    ) -> Result<()> {
        self.exports
            .wasi_logging_logging()
            .call_log(&mut self.store, level, context, message)
    }

    /// Flushes every handler.
    pub fn flush(&mut self) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_flush(&mut self.store)
    }

    /// `logging.shutdown()`, and releases the logger handles.
    pub fn shutdown(&mut self) -> Result<()> {
        self.last_logger = None;
        for (_, l) in self.loggers.drain() {
            l.resource_drop(&mut self.store)?;
        }
        self.exports
            .wasm_logging_logging_loggers()
            .call_shutdown(&mut self.store)
    }

    /// How many `handleError` reports the component has made.
    pub fn error_count(&mut self) -> Result<u64> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_error_count(&mut self.store)
    }

    /// Runs the cookbook tour.
    pub fn tour(&mut self) -> Result<std::result::Result<(), String>> {
        self.exports
            .wasm_logging_logging_tour()
            .call_run(&mut self.store)
    }
}

/// Compiles `bytes` (read from `path`), reusing the native code cached beside `path` by an
/// earlier run with the same component and a compatible engine.
///
/// Compiling the component takes seconds (most of a `wasm-logging demo` run); loading the
/// cached compilation takes milliseconds. The cache file's name carries a hash of the
/// component's bytes and of the engine's settings, so a rebuilt component or another
/// Wasmtime never picks up a stale file; older cache files of the same component are
/// removed. If the cache cannot be read or written, the component is simply compiled.
pub fn compile_cached(engine: &Engine, path: &Path, bytes: &[u8]) -> Result<Component> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    engine.precompile_compatibility_hash().hash(&mut h);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cached = path.with_file_name(format!("{stem}.{:016x}.cwasm", h.finish()));
    if cached.is_file() {
        // SAFETY: `deserialize_file` runs native code from the file, so the file must come
        // from `Component::serialize`. This one was written below, by this function, into
        // the directory of the component itself (the build's target directory): whoever
        // can replace it can already replace the component and this executable. Wasmtime
        // still checks that the file was made by a compatible engine and refuses it
        // otherwise, and then we compile.
        if let Ok(c) = unsafe { Component::deserialize_file(engine, &cached) } {
            return Ok(c);
        }
    }
    let component = Component::from_binary(engine, bytes)?;
    if let Ok(native) = component.serialize() {
        if let Some(dir) = path.parent() {
            let old = std::fs::read_dir(dir).into_iter().flatten().flatten();
            for entry in old {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&format!("{stem}.")) && name.ends_with(".cwasm") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        // Write aside and rename, so a concurrent run never reads half a file.
        let tmp = cached.with_extension(format!("cwasm.{}", std::process::id()));
        if std::fs::write(&tmp, native).is_ok() && std::fs::rename(&tmp, &cached).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(component)
}

/// Where the component built by `cargo build --target wasm32-wasip2` is, next to the running
/// executable's target directory: `<target>/debug/wasm-logging` and
/// `<target>/debug/deps/<test>` both lead to `<target>/wasm32-wasip2/<profile>/`. The
/// `WASM_LOGGING_COMPONENT` environment variable overrides it.
pub fn default_component_path(file: &str) -> PathBuf {
    if let Some(p) = std::env::var_os("WASM_LOGGING_COMPONENT").filter(|_| file == COMPONENT_FILE) {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    // `<target>/<profile>` → `<target>`; prefer the same profile, then the other.
    let profile = dir
        .file_name()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| "debug".to_owned());
    dir.pop();
    let wasm = dir.join("wasm32-wasip2");
    let same = wasm.join(&profile).join(file);
    if same.exists() {
        return same;
    }
    let other = if profile == "release" {
        "debug"
    } else {
        "release"
    };
    let alt = wasm.join(other).join(file);
    if alt.exists() {
        alt
    } else {
        same
    }
}

/// The component's file name as cargo writes it.
pub const COMPONENT_FILE: &str = "wasm_logging.wasm";
