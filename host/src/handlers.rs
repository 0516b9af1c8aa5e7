//! [`Instance`] methods for the `handlers` interface: handlers and filters made one at a
//! time from `dictConfig` entries (JSON) and changed by name.

use wasmtime::Result;

use crate::bindings::exports::wasm_logging::logging::config::ConfigError;
use crate::bindings::exports::wasm_logging::logging::loggers::Level;
use crate::loggers::Raised;
use crate::Instance;

/// A configuration-style outcome: `Err` names the offending key inside the entry.
type Checked = std::result::Result<(), ConfigError>;

impl Instance {
    /// Makes the handler a `dictConfig` `handlers` entry describes and names it `name`
    /// (`logging.StreamHandler(sys.stdout)` is
    /// `{"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}`). Its `formatter`
    /// is a formatter entry (an object), its `filters` names from
    /// [`Instance::create_filter`] or filter entries.
    pub fn create_handler(&mut self, name: &str, spec_json: &str) -> Result<Checked> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_create_handler(&mut self.store, name, spec_json)
    }

    /// `getHandlerByName(name).setLevel(level)`.
    pub fn set_handler_level(&mut self, name: &str, level: &Level) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_set_handler_level(&mut self.store, name, level)
    }

    /// `getHandlerByName(name).setFormatter(...)` with a `formatters` entry (JSON), or
    /// `None` for the default `Formatter()`.
    pub fn set_handler_formatter(
        &mut self,
        name: &str,
        spec_json: Option<&str>,
    ) -> Result<Checked> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_set_handler_formatter(&mut self.store, name, spec_json)
    }

    /// `getHandlerByName(name).addFilter(f)` with a filter [`Instance::create_filter`] made.
    pub fn add_handler_filter(&mut self, name: &str, filter: &str) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_add_handler_filter(&mut self.store, name, filter)
    }

    /// `getHandlerByName(name).removeFilter(f)`.
    pub fn remove_handler_filter(&mut self, name: &str, filter: &str) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_remove_handler_filter(&mut self.store, name, filter)
    }

    /// `getHandlerByName(name).flush()`.
    pub fn flush_handler(&mut self, name: &str) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_flush_handler(&mut self.store, name)
    }

    /// `getHandlerByName(name).close()`: the name is forgotten; loggers keep the handler.
    pub fn close_handler(&mut self, name: &str) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_close_handler(&mut self.store, name)
    }

    /// `getHandlerByName(name).namer = namer` (recipe 19) with the host namer factory
    /// `factory` ([`Factories::namer`](crate::Factories::namer)); `None` restores the default.
    pub fn set_handler_namer(&mut self, name: &str, factory: Option<&str>) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_set_handler_namer(&mut self.store, name, factory)
    }

    /// `getHandlerByName(name).rotator = rotator` (recipe 19) with the host rotator factory
    /// `factory` ([`Factories::rotator`](crate::Factories::rotator)); `None` restores the
    /// default rename.
    pub fn set_handler_rotator(&mut self, name: &str, factory: Option<&str>) -> Result<Raised> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_set_handler_rotator(&mut self.store, name, factory)
    }

    /// Makes the filter a `dictConfig` `filters` entry describes (`{"name": "app.net"}`,
    /// `{"()": "wasm_logging.max_level", "level": "INFO"}`) and names it `name`.
    pub fn create_filter(&mut self, name: &str, spec_json: &str) -> Result<Checked> {
        self.exports
            .wasm_logging_logging_handlers()
            .call_create_filter(&mut self.store, name, spec_json)
    }
}
