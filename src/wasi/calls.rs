//! `log-with`: a whole `logger.log(level, msg, *args, **kwargs)` call from its WIT form, and
//! CPython's `Logger._log` for it — `makeRecord` (identity overrides standing in for a
//! record factory, then `extra`), then `handle`. Where CPython raises into the caller (an
//! `extra` key that would overwrite a record attribute) the call returns the error and no
//! record is emitted.

use std::rc::Rc;

use crate::core::error::Error;
use crate::core::logger::Logger;
use crate::core::record::{Chain, ExcInfo, Frame, Location};
use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::loggers as wit;
use super::messages::message;
use super::values::{value_error, Tree};

/// A core error as what CPython raises.
pub(crate) fn call_error(e: &Error) -> wit::CallError {
    wit::CallError {
        exception: e.kind().name().to_owned(),
        message: e.message().to_owned(),
    }
}

/// A call decoded into core values, ready for `makeRecord`.
pub(crate) struct Call {
    /// `msg`.
    pub(crate) msg: Value,
    /// `args`.
    pub(crate) args: Vec<Value>,
    /// `extra` (after an adapter's `process`, the adapter's).
    pub(crate) extra: Vec<(Text, Value)>,
    exc_info: Option<Rc<ExcInfo>>,
    stack_info: Option<String>,
    location: Location,
    identity: wit::IdentityOverride,
}

impl Call {
    /// Decodes `call`: its value tree, message, arguments, extras and exception chain.
    pub(crate) fn decode(call: wit::LogCall) -> Result<Call, wit::CallError> {
        let tree = Tree::decode(call.values)?;
        Ok(Call {
            msg: message(call.msg, &tree)?,
            args: tree.list(&call.args, "args")?,
            extra: tree.fields(call.extra, "extra")?,
            exc_info: exc_info(call.exc_info)?.map(Rc::new),
            stack_info: call.stack_info,
            location: call.location.map_or_else(Location::unknown, |l| Location {
                pathname: Text::from(l.pathname),
                lineno: l.lineno,
                func_name: Text::from(l.func_name),
            }),
            identity: call.identity,
        })
    }

    /// `Logger._log` for a caller that already checked the level: makes the record and
    /// handles it. An `extra` key that is a record attribute is CPython's `KeyError`, and
    /// then the record is not handled.
    pub(crate) fn log(self, logger: &Logger, level: i64) -> Result<(), Error> {
        let mut record =
            logger.make_record(level, self.location, self.msg, self.args, self.exc_info);
        let id = self.identity;
        if let Some(t) = id.thread {
            record.thread = Some(t);
        }
        if let Some(t) = id.thread_name {
            record.thread_name = Some(Text::from(t));
        }
        if let Some(p) = id.process {
            record.process = Some(p);
        }
        if let Some(p) = id.process_name {
            record.process_name = Some(Text::from(p));
        }
        if let Some(t) = id.task_name {
            record.task_name = Some(Text::from(t));
        }
        if let Some(stack) = self.stack_info {
            // CPython: the header, the printed stack, and the last newline removed.
            let mut s = String::from("Stack (most recent call last):\n");
            s.push_str(&stack);
            if s.ends_with('\n') {
                s.pop();
            }
            record.stack_info = Some(Text::from(s));
        }
        if !self.extra.is_empty() {
            // `add_extra` checks every key before adding any.
            record.add_extra(&self.extra)?;
        }
        logger.handle(&mut record);
        Ok(())
    }
}

/// The `exc-info` list as the core's chained [`ExcInfo`]: each entry that says how it is
/// chained is chained from the next one.
fn exc_info(list: Vec<wit::Exception>) -> Result<Option<ExcInfo>, wit::CallError> {
    let n = list.len();
    let mut earlier: Option<ExcInfo> = None;
    for (i, e) in list.into_iter().enumerate().rev() {
        let mut exc = ExcInfo::new(e.type_name, e.message).with_frames(
            e.frames
                .into_iter()
                .map(|f| Frame {
                    filename: Text::from(f.filename),
                    lineno: f.lineno,
                    name: Text::from(f.name),
                    line: f.line.map(Text::from),
                })
                .collect(),
        );
        exc.notes = e.notes.into_iter().map(Text::from).collect();
        exc = match (e.chained, earlier.take()) {
            (Some(how), Some(from)) => exc.chained_from(
                match how {
                    wit::Chain::Cause => Chain::Cause,
                    wit::Chain::Context => Chain::Context,
                },
                from,
            ),
            (None, None) => exc,
            (Some(_), None) => {
                return Err(value_error(format!(
                    "exc-info[{i}].chained: no exception follows it (the list has {n})"
                )))
            }
            (None, Some(_)) => {
                return Err(value_error(format!(
                    "exc-info[{}] follows exc-info[{i}], which is not chained to it",
                    i + 1
                )))
            }
        };
        earlier = Some(exc);
    }
    Ok(earlier)
}
