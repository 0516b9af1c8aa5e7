//! The planner: builds and checks every formatter, filter and logger setting of a
//! configuration before anything changes (handlers are in `handlers.rs`).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::classes::{self, Built, FactoryKind};
use super::read::{self, entries, expected, join, level_of, str_list, KwError, Kwargs, Reader};
use super::{
    entry_error, ConfigEnv, ConfigError, HandlerErr, IncrementalPlan, LoggerPlan, Opener, Plan,
};
use crate::core::filter::{Filter, NameFilter};
use crate::core::formatter::{Converter, Formatter, RecordFormatter, Style};
use crate::core::handler::{get_handler_by_name, Handler};
use crate::core::value::{Text, Value};

pub(super) struct Planner<'a> {
    pub(super) reader: Reader<'a>,
    pub(super) env: &'a ConfigEnv,
}

pub(super) type Section<'a> = &'a dyn Fn(&str) -> Option<&'a Value>;

impl Planner<'_> {
    /// The `(name, entry)` pairs of a top-level section, `cfg://` resolved.
    fn section(&self, get: Section<'_>, key: &str) -> Result<Vec<(Text, Value)>, ConfigError> {
        match get(key) {
            None => Ok(Vec::new()),
            Some(v) => {
                let v = self.reader.resolve(v, key)?;
                entries(&v, key)
                    .map_err(|e| ConfigError::new(key, format!("{key}: {}", e.message())))
            }
        }
    }

    pub(super) fn plan(
        &self,
        get: Section<'_>,
        disable_existing: bool,
    ) -> Result<Plan, ConfigError> {
        let mut formatters: HashMap<String, Rc<dyn RecordFormatter>> = HashMap::new();
        for (name, v) in self.section(get, "formatters")? {
            let f = self.formatter(&name, &v)?;
            formatters.insert(name.to_string(), f);
        }
        let mut filters: HashMap<String, Rc<dyn Filter>> = HashMap::new();
        for (name, v) in self.section(get, "filters")? {
            let f = self.filter(&name, &v)?;
            filters.insert(name.to_string(), f);
        }

        // Handlers may name other handlers (MemoryHandler.target, QueueHandler.handlers):
        // build in sorted order, as CPython does, and retry the ones waiting on another until
        // no progress is made; what is left is a cycle.
        let handler_cfgs: BTreeMap<String, Value> = self
            .section(get, "handlers")?
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let mut handlers: BTreeMap<String, Rc<dyn Handler>> = BTreeMap::new();
        let mut extra_tracked: Vec<Rc<dyn Handler>> = Vec::new();
        let mut openers: Vec<Opener> = Vec::new();
        let mut pending: Vec<String> = handler_cfgs.keys().cloned().collect();
        loop {
            let before = pending.len();
            let mut waiting = Vec::new();
            for name in pending {
                let cfg = &handler_cfgs[&name];
                match self.handler(
                    &name,
                    cfg,
                    &formatters,
                    &filters,
                    &handlers,
                    &handler_cfgs,
                    &mut extra_tracked,
                    &mut openers,
                ) {
                    Ok(h) => {
                        handlers.insert(name, h);
                    }
                    Err(HandlerErr::Pending(dep)) => waiting.push((name, dep)),
                    Err(HandlerErr::Failed(e)) => return Err(e),
                }
            }
            if waiting.is_empty() {
                break;
            }
            if waiting.len() == before {
                let (name, dep) = &waiting[0];
                return Err(ConfigError::new(
                    format!("handlers.{name}"),
                    format!(
                        "Unable to configure handler '{name}': handler '{dep}' is not configured yet \
                         (handlers that refer to each other form a cycle)"
                    ),
                ));
            }
            pending = waiting.into_iter().map(|(n, _)| n).collect();
        }

        let mut loggers = Vec::new();
        for (name, v) in self.section(get, "loggers")? {
            let path = format!("loggers.{name}");
            let what = format!("logger '{name}'");
            loggers.push(self.logger_plan(
                name.to_string(),
                &v,
                &path,
                &what,
                true,
                &handlers,
                &filters,
            )?);
        }
        let root = match get("root") {
            None => None,
            Some(v) => Some(self.logger_plan(
                String::new(),
                v,
                "root",
                "root logger",
                false,
                &handlers,
                &filters,
            )?),
        };
        Ok(Plan {
            handlers,
            extra_tracked,
            openers,
            loggers,
            root,
            disable_existing,
        })
    }

    pub(super) fn plan_incremental(
        &self,
        get: Section<'_>,
    ) -> Result<IncrementalPlan, ConfigError> {
        let mut handler_levels = Vec::new();
        for (name, v) in self.section(get, "handlers")? {
            let path = format!("handlers.{name}");
            let Some(h) = get_handler_by_name(&name) else {
                return Err(ConfigError::new(
                    path,
                    format!("No handler found with name '{name}'"),
                ));
            };
            let v = self.reader.resolve(&v, &path)?;
            if let Some(level) = v.dict_get("level").filter(|l| !matches!(l, Value::None)) {
                let level = level_of(level).map_err(|m| {
                    ConfigError::new(
                        join(&path, "level"),
                        format!("Unable to configure handler '{name}': level: {m}"),
                    )
                })?;
                handler_levels.push((h, level));
            }
        }
        let mut loggers = Vec::new();
        for (name, v) in self.section(get, "loggers")? {
            let path = format!("loggers.{name}");
            let v = self.reader.resolve(&v, &path)?;
            let level = self.opt_level(&v, &path, &format!("logger '{name}'"))?;
            let propagate = match v.dict_get("propagate") {
                None | Some(Value::None) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(other) => {
                    return Err(ConfigError::new(
                        join(&path, "propagate"),
                        format!(
                            "Unable to configure logger '{name}': propagate: {}",
                            expected("a boolean", other)
                        ),
                    ))
                }
            };
            loggers.push((name.to_string(), level, propagate));
        }
        let root_level = match get("root") {
            None => None,
            Some(v) => {
                let v = self.reader.resolve(v, "root")?;
                self.opt_level(&v, "root", "root logger")?
            }
        };
        Ok(IncrementalPlan {
            handler_levels,
            loggers,
            root_level,
        })
    }

    fn opt_level(&self, v: &Value, path: &str, what: &str) -> Result<Option<i64>, ConfigError> {
        match v.dict_get("level") {
            None | Some(Value::None) => Ok(None),
            Some(l) => {
                let l = self.reader.resolve(l, &join(path, "level"))?;
                level_of(&l).map(Some).map_err(|m| {
                    ConfigError::new(
                        join(path, "level"),
                        format!("Unable to configure {what}: level: {m}"),
                    )
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn logger_plan(
        &self,
        name: String,
        v: &Value,
        path: &str,
        what: &str,
        allow_propagate: bool,
        handlers: &BTreeMap<String, Rc<dyn Handler>>,
        filters: &HashMap<String, Rc<dyn Filter>>,
    ) -> Result<LoggerPlan, ConfigError> {
        let fail = |key: &str, msg: String| {
            ConfigError::new(
                join(path, key),
                format!("Unable to configure {what}: {msg}"),
            )
        };
        let v = self.reader.resolve(v, path)?;
        let items = entries(&v, path).map_err(|e| {
            ConfigError::new(path, format!("Unable to configure {what}: {}", e.message()))
        })?;
        let mut plan = LoggerPlan {
            name,
            level: None,
            propagate: None,
            handlers: Vec::new(),
            filters: Vec::new(),
        };
        for (key, raw) in items {
            let kpath = join(path, &key);
            let val = self.reader.resolve(&raw, &kpath)?;
            if matches!(val, Value::None) {
                continue;
            }
            match key.as_str() {
                "level" => {
                    plan.level =
                        Some(level_of(&val).map_err(|m| fail("level", format!("level: {m}")))?)
                }
                "propagate" if allow_propagate => match val {
                    Value::Bool(b) => plan.propagate = Some(b),
                    other => {
                        return Err(fail(
                            "propagate",
                            format!("propagate: {}", expected("a boolean", &other)),
                        ))
                    }
                },
                "handlers" => {
                    for (i, hn) in str_list(&val)
                        .map_err(|m| fail("handlers", format!("handlers: {m}")))?
                        .iter()
                        .enumerate()
                    {
                        let h = handlers.get(hn.as_str()).ok_or_else(|| {
                            ConfigError::new(
                                format!("{kpath}[{i}]"),
                                format!("Unable to configure {what}: Unable to add handler '{hn}': no such handler"),
                            )
                        })?;
                        plan.handlers.push(h.clone());
                    }
                }
                "filters" => {
                    for (i, fname) in str_list(&val)
                        .map_err(|m| fail("filters", format!("filters: {m}")))?
                        .iter()
                        .enumerate()
                    {
                        let f = filters.get(fname.as_str()).ok_or_else(|| {
                            ConfigError::new(
                                format!("{kpath}[{i}]"),
                                format!("Unable to configure {what}: Unable to add filter '{fname}': no such filter"),
                            )
                        })?;
                        plan.filters.push(f.clone());
                    }
                }
                // CPython's `configure_logger` reads only its own keys: a misspelt one
                // (`propgate`) is ignored, not refused.
                _ => {}
            }
        }
        Ok(plan)
    }

    /// `configure_formatter`.
    fn formatter(&self, name: &str, v: &Value) -> Result<Rc<dyn RecordFormatter>, ConfigError> {
        let path = format!("formatters.{name}");
        let fail = entry_error("formatter", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let mut factory_name: Option<Text> = None;
        let mut class: Option<Text> = None;
        let mut props: Option<Value> = None;
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            match k.as_str() {
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "class" if !matches!(val, Value::None) => {
                    class = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("class"), expected("a class name", &val)))?,
                    )
                }
                "." => props = Some(val),
                _ => kw.push(k, val),
            }
        }
        let builtin_name =
            |n: &str| matches!(n.strip_prefix("ext://").unwrap_or(n), "logging.Formatter");
        if factory_name.is_none() {
            // CPython's `configure_formatter` without `()` reads only these keys and calls
            // `c(fmt, datefmt, style, validate=…, defaults=…)`: anything else, `.` included,
            // is ignored (only `configure_custom` applies `.` attributes).
            kw = Kwargs::new(
                kw.items()
                    .iter()
                    .filter(|(k, _)| {
                        matches!(
                            k.as_str(),
                            "format" | "datefmt" | "style" | "validate" | "defaults"
                        )
                    })
                    .cloned()
                    .collect(),
            );
            props = None;
        }
        let formatter: Rc<dyn RecordFormatter> = match (&factory_name, &class) {
            (Some(f), _) | (None, Some(f)) if !builtin_name(f) => {
                if factory_name.is_none() {
                    // `class` gets CPython's positional names as keywords.
                    kw.rename("format", "fmt");
                }
                let factory = classes::factory(f).ok_or_else(|| {
                    fail(
                        Some(if factory_name.is_some() {
                            "()"
                        } else {
                            "class"
                        }),
                        format!("Cannot resolve '{f}': no factory is registered under that name"),
                    )
                })?;
                let Built::Formatter(built) =
                    factory(FactoryKind::Formatter, kw.items()).map_err(|m| fail(None, m))?
                else {
                    return Err(fail(
                        None,
                        format!("factory '{f}' did not build a formatter"),
                    ));
                };
                if props.is_some() {
                    return Err(fail(
                        Some("."),
                        "attributes can be set only on logging.Formatter".into(),
                    ));
                }
                built
            }
            _ => {
                let f = builtin_formatter(&mut kw, factory_name.is_some())
                    .map_err(|(k, m)| fail(Some(&k), m))?;
                kw.finish("Formatter()")
                    .map_err(|(k, m)| fail(Some(&k), m))?;
                let mut f = f;
                if let Some(p) = props {
                    set_formatter_props(&mut f, &p)
                        .map_err(|(k, m)| fail(Some(&format!(".{k}")), m))?;
                }
                Rc::new(f)
            }
        };
        Ok(formatter)
    }

    /// `configure_filter`.
    fn filter(&self, name: &str, v: &Value) -> Result<Rc<dyn Filter>, ConfigError> {
        let path = format!("filters.{name}");
        let fail = entry_error("filter", name, &path);
        let v = self.reader.resolve(v, &path)?;
        let items = entries(&v, &path).map_err(|e| fail(None, e.message().to_owned()))?;
        let mut kw = Kwargs::new(Vec::new());
        let mut factory_name = None;
        for (k, raw) in items {
            let val = self.reader.resolve_deep(&raw, &join(&path, &k))?;
            match k.as_str() {
                "()" => {
                    factory_name = Some(
                        read::as_text(&val)
                            .ok_or_else(|| fail(Some("()"), expected("a factory name", &val)))?,
                    )
                }
                "." => {
                    return Err(fail(
                        Some("."),
                        "attributes cannot be set on filters".into(),
                    ))
                }
                _ => kw.push(k, val),
            }
        }
        match factory_name {
            Some(f) if !matches!(f.strip_prefix("ext://").unwrap_or(&f), "logging.Filter") => {
                let factory = classes::factory(&f).ok_or_else(|| {
                    fail(
                        Some("()"),
                        format!("Cannot resolve '{f}': no factory is registered under that name"),
                    )
                })?;
                match factory(FactoryKind::Filter, kw.items()).map_err(|m| fail(None, m))? {
                    Built::Filter(built) => Ok(built),
                    _ => Err(fail(None, format!("factory '{f}' did not build a filter"))),
                }
            }
            Some(_) => {
                // `"()": "logging.Filter"`: a call, so unknown arguments are a TypeError.
                let name_arg = kw.take_str("name").map_err(|(k, m)| fail(Some(&k), m))?;
                kw.finish("Filter()").map_err(|(k, m)| fail(Some(&k), m))?;
                Ok(Rc::new(NameFilter::new(name_arg.unwrap_or_default())))
            }
            None => {
                // CPython's plain filter entry reads `name` and ignores anything else.
                let name_arg = kw.take_str("name").map_err(|(k, m)| fail(Some(&k), m))?;
                Ok(Rc::new(NameFilter::new(name_arg.unwrap_or_default())))
            }
        }
    }
}

/// `logging.Formatter(fmt, datefmt, style, validate, defaults)` from keyword arguments
/// (`format` is accepted for `fmt`, as dictConfig passes it).
pub(super) fn builtin_formatter(kw: &mut Kwargs, from_factory: bool) -> Result<Formatter, KwError> {
    let fmt = match kw.take_str("format")? {
        Some(f) => Some(f),
        None => kw.take_str("fmt")?,
    };
    let _ = from_factory;
    let datefmt = kw.take_str("datefmt")?;
    let style = match kw.take_str("style")? {
        None => Style::Percent,
        Some(s) => {
            Style::from_char(&s).map_err(|e| ("style".to_owned(), e.message().to_owned()))?
        }
    };
    let validate = kw.take_bool("validate")?.unwrap_or(true);
    let defaults = match kw.take("defaults") {
        None | Some(Value::None) => Vec::new(),
        Some(d) => {
            entries(&d, "defaults").map_err(|e| ("defaults".to_owned(), e.message().to_owned()))?
        }
    };
    let mut b = Formatter::builder()
        .style(style)
        .validate(validate)
        .defaults(defaults);
    if let Some(f) = fmt {
        b = b.fmt(f);
    }
    if let Some(d) = datefmt {
        b = b.datefmt(d);
    }
    b.build()
        .map_err(|e| ("format".to_owned(), e.message().to_owned()))
}

/// The `.` attributes the built-in formatter accepts.
fn set_formatter_props(f: &mut Formatter, props: &Value) -> Result<(), KwError> {
    for (k, v) in entries(props, ".").map_err(|e| (String::new(), e.message().to_owned()))? {
        match (k.as_str(), &v) {
            ("default_time_format", Value::Str(s)) => f.default_time_format = s.clone(),
            ("default_msec_format", Value::Str(s)) => f.default_msec_format = Some(s.clone()),
            ("default_msec_format", Value::None) => f.default_msec_format = None,
            // CPython's `.` values are not converted (`ext://` included): the converter becomes
            // a string and every record fails to format. The same here; a UTC formatter is
            // `"()": "wasm_logging.UTCFormatter"` (the cookbook's `UTCFormatter`).
            ("converter", Value::Str(_)) => f.converter = Converter::NotCallable,
            (name, _) => {
                return Err((
                    name.to_owned(),
                    format!("Formatter has no settable attribute '{name}' of that type"),
                ))
            }
        }
    }
    Ok(())
}
