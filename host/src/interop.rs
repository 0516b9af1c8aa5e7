//! Linking another component's `wasi:logging/logging` import to our component's export: the
//! interop proof. A guest that knows nothing of wasm-logging logs through the standard
//! interface, and its records come out through our hierarchy, handlers and formatters.
//!
//! The link is made by the host: the guest's import is a host function that forwards each
//! call to the `wasi:logging/logging` export of the [`Instance`] in the same store. (Static
//! composition with `wac plug` would give the same wiring without a host in the middle.)

use wasmtime::component::{Component, Linker};
use wasmtime::error::Context as _;
use wasmtime::{Engine, Result, StoreContextMut};

use crate::bindings::exports::wasi::logging::logging::Level;
use crate::{HostState, Instance};

/// The import name a `wasi:logging` guest uses.
pub const WASI_LOGGING: &str = "wasi:logging/logging@0.1.0-draft";

/// A linker for guests: WASI p2, and `wasi:logging/logging` forwarded to our component.
pub fn guest_linker(engine: &Engine) -> Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    linker.instance(WASI_LOGGING)?.func_wrap(
        "log",
        |mut store: StoreContextMut<'_, HostState>,
         (level, context, message): (Level, String, String)| {
            let exports = store
                .data()
                .exports
                .clone()
                .context("the wasm-logging component is not instantiated in this store")?;
            exports
                .wasi_logging_logging()
                .call_log(&mut store, level, &context, &message)
        },
    )?;
    Ok(linker)
}

impl Instance {
    /// Instantiates `guest` in this instance's store, its `wasi:logging` import linked to
    /// this component, and calls its exported function `entry` (no parameters, no results).
    pub fn run_guest(&mut self, guest: &Component, entry: &str) -> Result<()> {
        let engine = self.store().engine().clone();
        let linker = guest_linker(&engine)?;
        let instance = linker.instantiate(&mut *self.store(), guest)?;
        let func = instance
            .get_typed_func::<(), ()>(&mut *self.store(), entry)
            .with_context(|| format!("the guest exports no function `{entry}: func()`"))?;
        func.call(&mut *self.store(), ())?;
        Ok(())
    }
}
