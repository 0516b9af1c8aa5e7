//! [`Instance`] methods for the rest of the `loggers` interface: whole log calls
//! (`log-with`), adapters, levels by name, `disable`, `disabled`, handlers and filters on
//! loggers, the start time. Loggers are named by their names, as `getLogger` names them;
//! the instance keeps one handle per name.

use wasmtime::component::ResourceAny;
use wasmtime::Result;

use crate::bindings::exports::wasm_logging::logging::loggers::{CallError, Level};
use crate::call::{Call, PyValue, Values};
use crate::Instance;

/// A `LoggerAdapter` inside the component ([`Instance::adapter`]); release it with
/// [`Instance::drop_adapter`].
#[derive(Clone, Copy, Debug)]
pub struct Adapter(ResourceAny);

/// A call's outcome: `Err` is what CPython would have raised.
pub type Raised<T = ()> = std::result::Result<T, CallError>;

impl Instance {
    /// `getLogger(name).log(level, msg, *args, exc_info=…, stack_info=…, extra=…)`: the whole
    /// call, with structured values, message objects, the call site and identity overrides.
    /// Below the logger's level nothing happens; an `extra` key that is a record attribute is
    /// CPython's `KeyError` (the inner `Err`), and then no record is emitted.
    pub fn log_with(&mut self, name: &str, level: impl Into<i64>, call: &Call) -> Result<Raised> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_log_with(&mut self.store, l, level.into(), &call.to_wit())
    }

    /// `getLogger(name).setLevel(level)`, a number or a registered name (`ValueError`
    /// otherwise).
    pub fn set_logger_level(&mut self, name: &str, level: &Level) -> Result<Raised> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_set_level(&mut self.store, l, level)
    }

    /// `getLogger(name).level`.
    pub fn logger_level(&mut self, name: &str) -> Result<i64> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_level(&mut self.store, l)
    }

    /// `getLogger(name).disabled`.
    pub fn disabled(&mut self, name: &str) -> Result<bool> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_disabled(&mut self.store, l)
    }

    /// `getLogger(name).disabled = on`.
    pub fn set_disabled(&mut self, name: &str, on: bool) -> Result<()> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_set_disabled(&mut self.store, l, on)
    }

    /// `getLogger(name).propagate`.
    pub fn propagate(&mut self, name: &str) -> Result<bool> {
        let l = self.logger(name)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_propagate(&mut self.store, l)
    }

    /// The names of `getLogger(name).getChildren()`.
    pub fn get_children(&mut self, name: &str) -> Result<Vec<String>> {
        let l = self.logger(name)?;
        let loggers = self.exports.wasm_logging_logging_loggers();
        let children = loggers.logger().call_get_children(&mut self.store, l)?;
        let mut names = Vec::with_capacity(children.len());
        for c in children {
            names.push(loggers.logger().call_name(&mut self.store, c)?);
            c.resource_drop(&mut self.store)?;
        }
        Ok(names)
    }

    /// `getLogger(logger).addHandler(getHandlerByName(handler))`.
    pub fn add_handler(&mut self, logger: &str, handler: &str) -> Result<Raised> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_add_handler(&mut self.store, l, handler)
    }

    /// `getLogger(logger).removeHandler(getHandlerByName(handler))`.
    pub fn remove_handler(&mut self, logger: &str, handler: &str) -> Result<Raised> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_remove_handler(&mut self.store, l, handler)
    }

    /// The names of the handlers attached to `getLogger(logger)` (`""` for unnamed ones).
    pub fn handler_names(&mut self, logger: &str) -> Result<Vec<String>> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_handler_names(&mut self.store, l)
    }

    /// `getLogger(logger).hasHandlers()`.
    pub fn has_handlers(&mut self, logger: &str) -> Result<bool> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_has_handlers(&mut self.store, l)
    }

    /// `getLogger(logger).addFilter(f)` with the filter [`Instance::create_filter`] named.
    pub fn add_filter(&mut self, logger: &str, filter: &str) -> Result<Raised> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_add_filter(&mut self.store, l, filter)
    }

    /// `getLogger(logger).removeFilter(f)`.
    pub fn remove_filter(&mut self, logger: &str, filter: &str) -> Result<Raised> {
        let l = self.logger(logger)?;
        self.exports
            .wasm_logging_logging_loggers()
            .logger()
            .call_remove_filter(&mut self.store, l, filter)
    }

    /// `LoggerAdapter(getLogger(logger), extra, merge_extra=merge_extra)`.
    pub fn adapter(
        &mut self,
        logger: &str,
        extra: &[(String, PyValue)],
        merge_extra: bool,
    ) -> Result<Raised<Adapter>> {
        let l = self.logger(logger)?;
        let mut values = Values::default();
        let fields = values.fields(extra);
        let made = self
            .exports
            .wasm_logging_logging_loggers()
            .adapter()
            .call_create(
                &mut self.store,
                l,
                &values.into_nodes(),
                &fields,
                merge_extra,
            )?;
        Ok(made.map(Adapter))
    }

    /// `LoggerAdapter(adapter, extra, merge_extra=merge_extra)`: an adapter over an adapter.
    pub fn adapt(
        &mut self,
        adapter: Adapter,
        extra: &[(String, PyValue)],
        merge_extra: bool,
    ) -> Result<Raised<Adapter>> {
        let mut values = Values::default();
        let fields = values.fields(extra);
        let made = self
            .exports
            .wasm_logging_logging_loggers()
            .adapter()
            .call_adapt(
                &mut self.store,
                adapter.0,
                &values.into_nodes(),
                &fields,
                merge_extra,
            )?;
        Ok(made.map(Adapter))
    }

    /// `adapter.log(level, msg, *args, **kwargs)`: `process`, then the logger's `log-with`.
    pub fn adapter_log_with(
        &mut self,
        adapter: Adapter,
        level: impl Into<i64>,
        call: &Call,
    ) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_loggers()
            .adapter()
            .call_log_with(&mut self.store, adapter.0, level.into(), &call.to_wit())
    }

    /// `adapter.isEnabledFor(level)`.
    pub fn adapter_is_enabled_for(
        &mut self,
        adapter: Adapter,
        level: impl Into<i64>,
    ) -> Result<bool> {
        self.exports
            .wasm_logging_logging_loggers()
            .adapter()
            .call_is_enabled_for(&mut self.store, adapter.0, level.into())
    }

    /// Releases an adapter.
    pub fn drop_adapter(&mut self, adapter: Adapter) -> Result<()> {
        adapter.0.resource_drop(&mut self.store)
    }

    /// `logging.addLevelName(level, name)`.
    pub fn add_level_name(&mut self, level: impl Into<i64>, name: &str) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_add_level_name(&mut self.store, level.into(), name)
    }

    /// `logging.getLevelName(level)`.
    pub fn level_name(&mut self, level: impl Into<i64>) -> Result<String> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_level_name(&mut self.store, level.into())
    }

    /// `logging.getLevelNamesMapping()`, in registration order.
    pub fn get_level_names_mapping(&mut self) -> Result<Vec<(String, i64)>> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_get_level_names_mapping(&mut self.store)
    }

    /// `logging.disable(level)`: a number or a registered name.
    pub fn disable(&mut self, level: &Level) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_disable(&mut self.store, level)
    }

    /// `logging._startTime = ns`: `relativeCreated` of later records counts from it.
    pub fn set_start_time(&mut self, ns: i64) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_set_start_time(&mut self.store, ns)
    }

    /// Fixes the time of later records at `ns` (before 1970 included); `None` returns to the
    /// wall clock. The start time is kept.
    pub fn set_fixed_time(&mut self, ns: Option<i64>) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_set_fixed_time(&mut self.store, ns)
    }

    /// `logging.raiseExceptions = on`.
    pub fn set_raise_exceptions(&mut self, on: bool) -> Result<()> {
        self.exports
            .wasm_logging_logging_loggers()
            .call_set_raise_exceptions(&mut self.store, on)
    }
}
