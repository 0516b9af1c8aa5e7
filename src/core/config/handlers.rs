//! Building handlers from their configuration entries: CPython's class names, host
//! factories, storage-backed file handlers and the handlers that name other handlers.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::rc::Rc;

use super::classes::{
    self, builtin_handler, Built, BuiltinHandler, FactoryKind, NOT_YET_AVAILABLE,
};
use super::planner::Planner;
use super::read::{self, entries, expected, join, level_of, str_list, KwError, Kwargs};
use super::{
    check_encoding, entry_error, storage_file_handler, storage_timed_handler, ConfigError,
    HandlerErr, Opener, TimedSpec,
};
use crate::core::filter::Filter;
use crate::core::formatter::RecordFormatter;
use crate::core::handler::Handler;
use crate::core::handlers::{AtTime, LogQueue, MemoryHandler, QueueHandler, QueueListener, When};
use crate::core::level::ERROR;
use crate::core::value::Value;

impl Planner<'_> {
    /// `configure_handler`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn handler(
        &self,
        name: &str,
        v: &Value,
        formatters: &HashMap<String, Rc<dyn RecordFormatter>>,
        filters: &HashMap<String, Rc<dyn Filter>>,
        built: &BTreeMap<String, Rc<dyn Handler>>,
        configured: &BTreeMap<String, Value>,
        extra_tracked: &mut Vec<Rc<dyn Handler>>,
        openers: &mut Vec<Opener>,
    ) -> Result<Rc<dyn Handler>, HandlerErr> {
        let path = format!("handlers.{name}");
        let fail = entry_error("handler", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let (mut formatter, mut level, mut filter_list, mut props, mut factory_name, mut class) =
            (None, None, None, None, None, None);
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            let nonnull = !matches!(val, Value::None);
            match k.as_str() {
                "formatter" if nonnull => {
                    let fname = val.as_str().ok_or_else(|| {
                        fail(Some("formatter"), expected("a formatter name", &val))
                    })?;
                    formatter = Some(formatters.get(fname).cloned().ok_or_else(|| {
                        fail(
                            Some("formatter"),
                            format!("Unable to set formatter '{fname}': no such formatter"),
                        )
                    })?);
                }
                "level" if nonnull => {
                    level = Some(level_of(&val).map_err(|m| fail(Some("level"), m))?)
                }
                "filters" if nonnull => {
                    let mut list: Vec<Rc<dyn Filter>> = Vec::new();
                    for (i, f) in str_list(&val)
                        .map_err(|m| fail(Some("filters"), m))?
                        .iter()
                        .enumerate()
                    {
                        list.push(filters.get(f.as_str()).cloned().ok_or_else(|| {
                            fail(
                                Some(&format!("filters[{i}]")),
                                format!("Unable to add filter '{f}': no such filter"),
                            )
                        })?);
                    }
                    filter_list = Some(list);
                }
                "." => props = Some(val),
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "class" => {
                    class = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("class"), expected("a class name", &val)))?,
                    )
                }
                "formatter" | "level" | "filters" => {}
                _ => kw.push(k, val),
            }
        }
        let target_name = factory_name.clone().or(class.clone()).ok_or_else(|| {
            fail(
                Some("class"),
                "missing: a handler needs 'class' or '()'".into(),
            )
        })?;
        let bare = target_name
            .strip_prefix("ext://")
            .unwrap_or(&target_name)
            .to_owned();
        let key = if factory_name.is_some() {
            "()"
        } else {
            "class"
        };
        let handler: Rc<dyn Handler> = if let Some(kind) = builtin_handler(&bare) {
            let kwerr = |(k, m): KwError| HandlerErr::Failed(fail(Some(&k), m));
            match kind {
                BuiltinHandler::Stream => {
                    let h = classes::stream_handler(&mut kw).map_err(kwerr)?;
                    kw.finish("StreamHandler()").map_err(kwerr)?;
                    h
                }
                BuiltinHandler::Null => {
                    kw.finish("NullHandler()").map_err(kwerr)?;
                    classes::null_handler()
                }
                BuiltinHandler::Memory => {
                    let capacity = kw.take_count("capacity").map_err(kwerr)?.ok_or_else(|| {
                        HandlerErr::Failed(fail(
                            Some("capacity"),
                            "missing required argument 'capacity'".into(),
                        ))
                    })?;
                    let flush_level = kw.take_level("flushLevel").map_err(kwerr)?.unwrap_or(ERROR);
                    let flush_on_close =
                        kw.take_bool("flushOnClose").map_err(kwerr)?.unwrap_or(true);
                    let target = match kw.take_str("target").map_err(kwerr)? {
                        None => None,
                        Some(t) => Some(self.handler_ref(&t, built, configured).map_err(
                            |e| match e {
                                HandlerErr::Failed(_) => HandlerErr::Failed(fail(
                                    Some("target"),
                                    format!("Unable to set target handler '{t}': no such handler"),
                                )),
                                p => p,
                            },
                        )?),
                    };
                    kw.finish("MemoryHandler()").map_err(kwerr)?;
                    Rc::new(MemoryHandler::new(
                        capacity,
                        flush_level,
                        target,
                        flush_on_close,
                    ))
                }
                BuiltinHandler::Queue => {
                    let queue = match kw.take("queue") {
                        None | Some(Value::None) => LogQueue::new(0),
                        Some(q) => self
                            .queue_from(&q)
                            .map_err(|m| HandlerErr::Failed(fail(Some("queue"), m)))?,
                    };
                    match kw.take("listener") {
                        None | Some(Value::None) => {}
                        Some(Value::Str(s))
                            if matches!(
                                s.strip_prefix("ext://").unwrap_or(&s),
                                "logging.handlers.QueueListener"
                            ) => {}
                        Some(other) => {
                            return Err(HandlerErr::Failed(fail(
                                Some("listener"),
                                format!("Invalid listener specifier {}", read::describe(&other)),
                            )))
                        }
                    }
                    let respect = kw
                        .take_bool("respect_handler_level")
                        .map_err(kwerr)?
                        .unwrap_or(false);
                    let mut targets: Vec<Rc<dyn Handler>> = Vec::new();
                    for hn in kw
                        .take_str_list("handlers")
                        .map_err(kwerr)?
                        .unwrap_or_default()
                    {
                        targets.push(self.handler_ref(&hn, built, configured).map_err(|e| match e {
                            HandlerErr::Failed(_) => HandlerErr::Failed(fail(Some("handlers"), format!("Unable to set required handler '{hn}': no such handler"))),
                            p => p,
                        })?);
                    }
                    kw.finish("QueueHandler()").map_err(kwerr)?;
                    extra_tracked.extend(targets.iter().cloned());
                    let qh = QueueHandler::new(queue.clone());
                    qh.set_listener(Some(QueueListener::new(queue, targets, respect)));
                    Rc::new(qh)
                }
            }
        } else if let Some((h, opener)) = self
            .storage_handler(&bare, &mut kw)
            .map_err(|(k, m)| HandlerErr::Failed(fail(Some(&k), m)))?
        {
            openers.extend(opener);
            h
        } else if let Some(h) = super::network::remote_handler(self.env, &bare, &mut kw)
            .map_err(|(k, m)| HandlerErr::Failed(fail(Some(&k), m)))?
        {
            h
        } else if let Some(factory) = classes::factory(&bare) {
            match factory(FactoryKind::Handler, kw.items())
                .map_err(|m| HandlerErr::Failed(fail(None, m)))?
            {
                Built::Handler(h) => h,
                _ => {
                    return Err(HandlerErr::Failed(fail(
                        None,
                        format!("factory '{bare}' did not build a handler"),
                    )))
                }
            }
        } else if NOT_YET_AVAILABLE.contains(&bare.as_str()) {
            return Err(HandlerErr::Failed(fail(
                Some(key),
                format!("'{bare}' has no equivalent in wasm-logging yet"),
            )));
        } else {
            return Err(HandlerErr::Failed(fail(
                Some(key),
                format!("Cannot resolve '{bare}': no such handler class and no factory registered under that name"),
            )));
        };
        if let Some(f) = formatter {
            handler.core().set_formatter(Some(f));
        }
        if let Some(l) = level {
            handler.core().set_level(l).ok();
        }
        for f in filter_list.unwrap_or_default() {
            handler.core().add_filter(f);
        }
        if let Some(p) = props {
            for (k, val) in entries(&p, &join(&path, "."))
                .map_err(|e| fail(Some("."), e.message().to_owned()))?
            {
                handler.set_attribute(&k, &val).map_err(|e| {
                    HandlerErr::Failed(fail(Some(&format!(".{k}")), e.message().to_owned()))
                })?;
            }
        }
        Ok(handler)
    }

    /// A handler named by another handler's configuration: built, still to be built
    /// (`Pending`), or missing.
    fn handler_ref(
        &self,
        name: &str,
        built: &BTreeMap<String, Rc<dyn Handler>>,
        configured: &BTreeMap<String, Value>,
    ) -> Result<Rc<dyn Handler>, HandlerErr> {
        match built.get(name) {
            Some(h) => Ok(h.clone()),
            None if configured.contains_key(name) => Err(HandlerErr::Pending(name.to_owned())),
            None => Err(HandlerErr::Failed(ConfigError::new("", ""))),
        }
    }

    /// A `QueueHandler`'s `queue`: a registered queue factory by name, or `{"()": name, …}`.
    fn queue_from(&self, spec: &Value) -> Result<Rc<LogQueue>, String> {
        let (name, kwargs) = match spec {
            Value::Str(s) => (s.clone(), Vec::new()),
            Value::Dict(_) => {
                let items = entries(spec, "").map_err(|e| e.message().to_owned())?;
                let name = items
                    .iter()
                    .find(|(k, _)| k.as_str() == "()")
                    .and_then(|(_, v)| read::as_text(v))
                    .ok_or_else(|| format!("Invalid queue specifier {}", read::describe(spec)))?;
                (
                    name,
                    items
                        .into_iter()
                        .filter(|(k, _)| k.as_str() != "()")
                        .collect(),
                )
            }
            other => return Err(format!("Invalid queue specifier {}", read::describe(other))),
        };
        let factory = classes::factory(&name).ok_or_else(|| {
            format!("Invalid queue specifier '{name}': no queue is registered under that name")
        })?;
        match factory(FactoryKind::Queue, &kwargs)? {
            Built::Queue(q) => Ok(q),
            _ => Err(format!(
                "Invalid queue specifier '{name}': it did not build a queue"
            )),
        }
    }

    /// `logging.FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)` and
    /// `logging.handlers.RotatingFileHandler(…, maxBytes=0, backupCount=0, …)` over the host's
    /// storage; `None` for any other class.
    #[allow(clippy::type_complexity)]
    fn storage_handler(
        &self,
        class: &str,
        kw: &mut Kwargs,
    ) -> Result<Option<(Rc<dyn Handler>, Option<Opener>)>, KwError> {
        let (what, rotating) = match class {
            "logging.FileHandler" => ("FileHandler()", false),
            "logging.handlers.RotatingFileHandler" => ("RotatingFileHandler()", true),
            "logging.handlers.TimedRotatingFileHandler" => {
                return self.timed_storage_handler(kw).map(Some)
            }
            _ => return Ok(None),
        };
        let filename = kw.take_str("filename")?.ok_or_else(|| {
            (
                "filename".to_owned(),
                "missing required argument 'filename'".to_owned(),
            )
        })?;
        let mode = kw.take_str("mode")?;
        let delay = kw.take_bool("delay")?.unwrap_or(false);
        check_encoding(kw.take_str("encoding")?)?;
        let _errors = kw.take_str("errors")?;
        let rotation = if rotating {
            // `maxBytes=None` makes CPython's `if maxBytes > 0` raise a TypeError.
            if matches!(
                kw.items().iter().find(|(k, _)| k.as_str() == "maxBytes"),
                Some((_, Value::None))
            ) {
                return Err((
                    "maxBytes".to_owned(),
                    "'>' not supported between instances of 'NoneType' and 'int'".to_owned(),
                ));
            }
            let max_bytes = kw.take_count("maxBytes")?.unwrap_or(0) as u64;
            let backup_count = kw.take_count("backupCount")?.unwrap_or(0);
            let backup_count = u32::try_from(backup_count).map_err(|_| {
                (
                    "backupCount".to_owned(),
                    format!("backupCount {backup_count} is too large"),
                )
            })?;
            Some((max_bytes, backup_count))
        } else {
            None
        };
        std::mem::take(kw).finish(what)?;
        storage_file_handler(
            self.env,
            &filename,
            mode.as_deref().unwrap_or("a"),
            delay,
            rotation,
        )
        .map(Some)
    }

    /// `logging.handlers.TimedRotatingFileHandler(filename, when='h', interval=1,
    /// backupCount=0, encoding=None, delay=False, utc=False, atTime=None, errors=None)` over
    /// the host's storage. JSON has no `datetime.time`, so `atTime` is accepted as
    /// `"HH:MM"`, `"HH:MM:SS"` or a number of seconds after midnight (0–86399).
    #[allow(clippy::type_complexity)]
    fn timed_storage_handler(
        &self,
        kw: &mut Kwargs,
    ) -> Result<(Rc<dyn Handler>, Option<Opener>), KwError> {
        let filename = kw.take_str("filename")?.ok_or_else(|| {
            (
                "filename".to_owned(),
                "missing required argument 'filename'".to_owned(),
            )
        })?;
        let when = kw.take_str("when")?;
        let when = when.as_deref().unwrap_or("h");
        When::parse(when).map_err(|e| ("when".to_owned(), e.message().to_owned()))?;
        let interval = kw.take_int("interval")?.unwrap_or(1);
        let backup_count = kw.take_count("backupCount")?.unwrap_or(0);
        let backup_count = u32::try_from(backup_count).map_err(|_| {
            (
                "backupCount".to_owned(),
                format!("backupCount {backup_count} is too large"),
            )
        })?;
        let delay = kw.take_bool("delay")?.unwrap_or(false);
        let utc = kw.take_bool("utc")?.unwrap_or(false);
        let at_time = match kw.take("atTime") {
            None | Some(Value::None) => None,
            Some(Value::Str(s)) => Some(AtTime::parse(&s)),
            Some(Value::Int(i)) => Some(AtTime::from_seconds(i)),
            Some(other) => {
                return Err((
                    "atTime".to_owned(),
                    expected("a time of day (\"HH:MM:SS\" or seconds)", &other),
                ))
            }
        }
        .transpose()
        .map_err(|e| ("atTime".to_owned(), e.message().to_owned()))?;
        check_encoding(kw.take_str("encoding")?)?;
        let _errors = kw.take_str("errors")?;
        std::mem::take(kw).finish("TimedRotatingFileHandler()")?;
        storage_timed_handler(
            self.env,
            &filename,
            TimedSpec {
                when: when.to_owned(),
                interval,
                backup_count,
                delay,
                utc,
                at_time,
            },
        )
    }
}
