//! The `adapter` resource: CPython's `LoggerAdapter` over the core's, for a component caller.
//!
//! An adapter over an adapter is a chain of layers, outermost first: a call goes through
//! each layer's `process` in turn, exactly as `outer.log` → `outer.process` → `inner.log` →
//! `inner.process` → `logger.log` does in CPython (the level checks all ask the same
//! logger).

use std::rc::Rc;

use crate::core::adapter::LoggerAdapter;
use crate::core::logger::{LogOptions, Logger};
use crate::core::value::Value;

use super::bindings::exports::wasm_logging::logging::loggers as wit;
use super::calls::{call_error, Call};
use super::init;
use super::loggers::{level_number, LoggerResource};
use super::values::Tree;

/// `LoggerAdapter(logger, extra, merge_extra)`, possibly over other adapters.
pub(crate) struct AdapterResource {
    logger: Logger,
    /// The adapters a call goes through, outermost first.
    layers: Vec<Rc<LoggerAdapter>>,
}

/// One layer: the core adapter with `extra` decoded from its value tree.
fn layer(
    logger: &Logger,
    values: Vec<wit::ValueNode>,
    extra: Vec<(String, u32)>,
    merge_extra: bool,
) -> Result<Rc<LoggerAdapter>, wit::CallError> {
    let tree = Tree::decode(values)?;
    let extra = tree.fields(extra, "extra")?;
    Ok(Rc::new(
        LoggerAdapter::new(logger.clone(), extra).merge_extra(merge_extra),
    ))
}

impl wit::GuestAdapter for AdapterResource {
    fn create(
        logger: wit::LoggerBorrow<'_>,
        values: Vec<wit::ValueNode>,
        extra: Vec<(String, u32)>,
        merge_extra: bool,
    ) -> Result<wit::Adapter, wit::CallError> {
        init();
        let logger = logger.get::<LoggerResource>().0.clone();
        let first = layer(&logger, values, extra, merge_extra)?;
        Ok(wit::Adapter::new(AdapterResource {
            logger,
            layers: vec![first],
        }))
    }

    fn adapt(
        &self,
        values: Vec<wit::ValueNode>,
        extra: Vec<(String, u32)>,
        merge_extra: bool,
    ) -> Result<wit::Adapter, wit::CallError> {
        let outer = layer(&self.logger, values, extra, merge_extra)?;
        let mut layers = Vec::with_capacity(self.layers.len() + 1);
        layers.push(outer);
        layers.extend(self.layers.iter().cloned());
        Ok(wit::Adapter::new(AdapterResource {
            logger: self.logger.clone(),
            layers,
        }))
    }

    fn name(&self) -> String {
        self.logger.name().to_owned()
    }

    fn log_with(&self, level: i64, call: wit::LogCall) -> Result<(), wit::CallError> {
        init();
        if !self.logger.is_enabled_for(level) {
            return Ok(());
        }
        let mut call = Call::decode(call)?;
        let mut msg = std::mem::replace(&mut call.msg, Value::None);
        let mut opts = LogOptions {
            extra: std::mem::take(&mut call.extra),
            ..LogOptions::default()
        };
        for adapter in &self.layers {
            (msg, opts) = adapter.process(msg, opts);
        }
        call.msg = msg;
        call.extra = opts.extra;
        call.log(&self.logger, level).map_err(|e| call_error(&e))
    }

    fn is_enabled_for(&self, level: i64) -> bool {
        self.logger.is_enabled_for(level)
    }

    fn get_effective_level(&self) -> i64 {
        self.logger.get_effective_level()
    }

    fn set_level(&self, level: wit::Level) -> Result<(), wit::CallError> {
        let n = level_number(level)?;
        self.logger.set_level(n).map_err(|e| call_error(&e))
    }

    fn has_handlers(&self) -> bool {
        self.logger.has_handlers()
    }
}
