//! Host factories for `dictConfig`'s `()` keys and custom `class` names (`wit/factories.wit`).
//!
//! An embedder registers named closures in [`Factories`] and passes them in
//! [`HostOptions::factories`](crate::HostOptions::factories). The component learns the names
//! at its first call; when a configuration names one, the closure gets the entry's keyword
//! arguments as JSON and returns the instance: a filter, a formatter or a handler, itself a
//! closure the component calls per record.
//!
//! ```
//! use wasm_logging_host::factories::Factories;
//! use wasm_logging_host::bindings::wasm_logging::logging::console::Stream;
//!
//! let mut f = Factories::new();
//! // `{"()": "__main__.filter_maker", "level": "WARNING"}`
//! f.filter("__main__.filter_maker", |kwargs| {
//!     let level = match kwargs["level"].as_str() {
//!         Some("WARNING") => 30,
//!         _ => return Err("level must be 'WARNING'".to_owned()),
//!     };
//!     Ok(move |record: &mut wasm_logging_host::HostRecord| Ok(record.levelno <= level))
//! });
//! // `{"class": "django.utils.log.AdminEmailHandler"}`
//! f.handler("django.utils.log.AdminEmailHandler", |_kwargs| {
//!     Ok(|text: &str, _record: &_, console: &wasm_logging_host::Console| {
//!         console.write(Stream::Stdout, &format!("EMAIL: {text}\n"))
//!     })
//! });
//! ```
//!
//! An `Err` from a factory refuses the configuration (with the entry's path, nothing
//! changed); an `Err` from an instance is reported by the component through `handleError`.
//! A panic counts as an `Err` (`host factory 'NAME' panicked: …`, `host handler panicked:
//! …`): it never unwinds out of the host API into the embedder, and the handler keeps
//! working for the next record.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::bindings::wasm_logging::logging::factories as wit;
use crate::console::Console;
use crate::storage::LogDir;

/// What a host filter, formatter or handler sees of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct HostRecord {
    /// `record.name`.
    pub name: String,
    /// `record.levelno`.
    pub levelno: i64,
    /// `record.levelname`.
    pub levelname: String,
    /// `str(record.msg)`.
    pub msg: String,
    /// `record.getMessage()`.
    pub message: String,
    /// `record.pathname`.
    pub pathname: String,
    /// `record.filename`.
    pub filename: String,
    /// `record.module`.
    pub module: String,
    /// `record.lineno`.
    pub lineno: u32,
    /// `record.funcName`.
    pub func_name: String,
    /// `record.created`.
    pub created: f64,
    /// `record.threadName`.
    pub thread_name: String,
    /// `record.processName`.
    pub process_name: String,
    /// Attributes from `extra` and filters. A filter may add or change entries: they are set
    /// on the record (`record.special = 'bar'`).
    pub extra: Map<String, Value>,
}

impl HostRecord {
    fn from_view(v: wit::RecordView) -> Self {
        let extra = match serde_json::from_str(&v.extra) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        HostRecord {
            name: v.name,
            levelno: v.levelno,
            levelname: v.levelname,
            msg: v.msg,
            message: v.message,
            pathname: v.pathname,
            filename: v.filename,
            module: v.module,
            lineno: v.lineno,
            func_name: v.func_name,
            created: v.created,
            thread_name: v.thread_name,
            process_name: v.process_name,
            extra,
        }
    }
}

/// A filter instance, boxed: `Ok(true)` keeps the record.
pub type FilterFn = Box<dyn FnMut(&mut HostRecord) -> Result<bool, String> + Send>;
/// A formatter instance: the record's complete text.
pub type FormatFn = Box<dyn FnMut(&HostRecord) -> Result<String, String> + Send>;
/// A handler instance: emits the text the component formatted; the console is the
/// instance's own (captured or inherited).
pub type EmitFn = Box<dyn FnMut(&str, &HostRecord, &Console) -> Result<(), String> + Send>;

/// A namer instance (recipe 19): the name a backup gets from its default name.
pub type NamerFn = Box<dyn FnMut(&str) -> Result<String, String> + Send>;
/// A rotator instance (recipe 19): moves the log `source` to the backup `dest` in the
/// instance's log directory.
pub type RotatorFn = Box<dyn FnMut(&LogDir, &str, &str) -> Result<(), String> + Send>;

type Make<T> = Arc<dyn Fn(&Value) -> Result<T, String> + Send + Sync>;

#[derive(Clone)]
enum Factory {
    Filter(Make<FilterFn>),
    Formatter(Make<FormatFn>),
    Handler(Make<EmitFn>),
    Namer(Make<NamerFn>),
    Rotator(Make<RotatorFn>),
}

/// Named factories an embedder provides to the component's `dictConfig`. A name may carry
/// CPython's dotted path (`project.logging.SpecialFilter`); configurations may prefix it
/// with `ext://`.
#[derive(Clone, Default)]
pub struct Factories {
    map: BTreeMap<String, Factory>,
}

impl fmt::Debug for Factories {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.map.keys()).finish()
    }
}

impl Factories {
    /// No factories.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a filter factory: `make(kwargs)` builds one filter.
    pub fn filter<F>(
        &mut self,
        name: &str,
        make: impl Fn(&Value) -> Result<F, String> + Send + Sync + 'static,
    ) -> &mut Self
    where
        F: FnMut(&mut HostRecord) -> Result<bool, String> + Send + 'static,
    {
        let make: Make<FilterFn> = Arc::new(move |kw| Ok(Box::new(make(kw)?) as FilterFn));
        self.map.insert(name.to_owned(), Factory::Filter(make));
        self
    }

    /// Registers a formatter factory: `make(kwargs)` builds one formatter.
    pub fn formatter<F>(
        &mut self,
        name: &str,
        make: impl Fn(&Value) -> Result<F, String> + Send + Sync + 'static,
    ) -> &mut Self
    where
        F: FnMut(&HostRecord) -> Result<String, String> + Send + 'static,
    {
        let make: Make<FormatFn> = Arc::new(move |kw| Ok(Box::new(make(kw)?) as FormatFn));
        self.map.insert(name.to_owned(), Factory::Formatter(make));
        self
    }

    /// Registers a handler factory: `make(kwargs)` builds one handler. The configuration's
    /// `level`, `formatter` and `filters` for it apply inside the component.
    pub fn handler<F>(
        &mut self,
        name: &str,
        make: impl Fn(&Value) -> Result<F, String> + Send + Sync + 'static,
    ) -> &mut Self
    where
        F: FnMut(&str, &HostRecord, &Console) -> Result<(), String> + Send + 'static,
    {
        let make: Make<EmitFn> = Arc::new(move |kw| Ok(Box::new(make(kw)?) as EmitFn));
        self.map.insert(name.to_owned(), Factory::Handler(make));
        self
    }

    /// Registers a namer factory (recipe 19): the component's `set-handler-namer(handler,
    /// name)` makes one with `make(&{})` and asks it for every backup's name
    /// (`app.log.1` → `app.log.1.gz`). An `Err` is reported and the default name used.
    pub fn namer<F>(
        &mut self,
        name: &str,
        make: impl Fn(&Value) -> Result<F, String> + Send + Sync + 'static,
    ) -> &mut Self
    where
        F: FnMut(&str) -> Result<String, String> + Send + 'static,
    {
        let make: Make<NamerFn> = Arc::new(move |kw| Ok(Box::new(make(kw)?) as NamerFn));
        self.map.insert(name.to_owned(), Factory::Namer(make));
        self
    }

    /// Registers a rotator factory (recipe 19): `set-handler-rotator(handler, name)` makes one,
    /// and each rollover calls it with the log directory, the log and the backup's name
    /// instead of renaming. An `Err` fails that rollover, reported through `handleError`.
    pub fn rotator<F>(
        &mut self,
        name: &str,
        make: impl Fn(&Value) -> Result<F, String> + Send + Sync + 'static,
    ) -> &mut Self
    where
        F: FnMut(&LogDir, &str, &str) -> Result<(), String> + Send + 'static,
    {
        let make: Make<RotatorFn> = Arc::new(move |kw| Ok(Box::new(make(kw)?) as RotatorFn));
        self.map.insert(name.to_owned(), Factory::Rotator(make));
        self
    }

    /// The registered names.
    pub fn names(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }
}

enum Live {
    Filter(FilterFn),
    Formatter(FormatFn),
    Handler(EmitFn),
    Namer(NamerFn),
    Rotator(RotatorFn),
}

/// An instance's factories and the objects they built, behind the `factories` import.
pub(crate) struct FactoryState {
    factories: Factories,
    live: HashMap<u32, Live>,
    next: u32,
}

impl FactoryState {
    pub(crate) fn new(factories: Factories) -> Self {
        FactoryState {
            factories,
            live: HashMap::new(),
            next: 1,
        }
    }

    pub(crate) fn names(&self) -> Vec<String> {
        self.factories.names()
    }

    pub(crate) fn create(
        &mut self,
        name: &str,
        kind: wit::Kind,
        kwargs: &str,
    ) -> Result<u32, String> {
        let bare = name.strip_prefix("ext://").unwrap_or(name);
        let factory = self
            .factories
            .map
            .get(bare)
            .ok_or_else(|| format!("no host factory is registered under '{bare}'"))?;
        let kwargs: Value =
            serde_json::from_str(kwargs).map_err(|e| format!("invalid keyword arguments: {e}"))?;
        let what = |f: &Factory| match f {
            Factory::Filter(_) => "filters",
            Factory::Formatter(_) => "formatters",
            Factory::Handler(_) => "handlers",
            Factory::Namer(_) => "namers",
            Factory::Rotator(_) => "rotators",
        };
        let factory_name = format!("host factory '{bare}'");
        let live = match (factory, kind) {
            (Factory::Filter(m), wit::Kind::Filter) => {
                Live::Filter(contained(&factory_name, || m(&kwargs))?)
            }
            (Factory::Formatter(m), wit::Kind::Formatter) => {
                Live::Formatter(contained(&factory_name, || m(&kwargs))?)
            }
            (Factory::Handler(m), wit::Kind::Handler) => {
                Live::Handler(contained(&factory_name, || m(&kwargs))?)
            }
            (Factory::Namer(m), wit::Kind::Namer) => {
                Live::Namer(contained(&factory_name, || m(&kwargs))?)
            }
            (Factory::Rotator(m), wit::Kind::Rotator) => {
                Live::Rotator(contained(&factory_name, || m(&kwargs))?)
            }
            (f, k) => {
                let wanted = match k {
                    wit::Kind::Filter => "a filter",
                    wit::Kind::Formatter => "a formatter",
                    wit::Kind::Handler => "a handler",
                    wit::Kind::Namer => "a namer",
                    wit::Kind::Rotator => "a rotator",
                };
                return Err(format!(
                    "host factory '{bare}' builds {}, not {wanted}",
                    what(f)
                ));
            }
        };
        let id = self.next;
        self.next = self.next.wrapping_add(1).max(1);
        self.live.insert(id, live);
        Ok(id)
    }

    pub(crate) fn filter(
        &mut self,
        id: u32,
        view: wit::RecordView,
    ) -> Result<wit::Verdict, String> {
        let Some(Live::Filter(f)) = self.live.get_mut(&id) else {
            return Err(format!("no host filter {id}"));
        };
        let mut record = HostRecord::from_view(view);
        let before = record.extra.clone();
        let keep = contained("host filter", || f(&mut record))?;
        let set: Map<String, Value> = record
            .extra
            .into_iter()
            .filter(|(k, v)| before.get(k) != Some(v))
            .collect();
        Ok(wit::Verdict {
            keep,
            set: Value::Object(set).to_string(),
        })
    }

    pub(crate) fn format(&mut self, id: u32, view: wit::RecordView) -> Result<String, String> {
        let Some(Live::Formatter(f)) = self.live.get_mut(&id) else {
            return Err(format!("no host formatter {id}"));
        };
        let record = HostRecord::from_view(view);
        contained("host formatter", || f(&record))
    }

    pub(crate) fn emit(
        &mut self,
        id: u32,
        text: &str,
        view: wit::RecordView,
        console: &Console,
    ) -> Result<(), String> {
        let Some(Live::Handler(f)) = self.live.get_mut(&id) else {
            return Err(format!("no host handler {id}"));
        };
        let record = HostRecord::from_view(view);
        contained("host handler", || f(text, &record, console))
    }

    pub(crate) fn name(&mut self, id: u32, default_name: &str) -> Result<String, String> {
        let Some(Live::Namer(f)) = self.live.get_mut(&id) else {
            return Err(format!("no host namer {id}"));
        };
        contained("host namer", || f(default_name))
    }

    pub(crate) fn rotate(
        &mut self,
        id: u32,
        storage: &LogDir,
        source: &str,
        dest: &str,
    ) -> Result<(), String> {
        let Some(Live::Rotator(f)) = self.live.get_mut(&id) else {
            return Err(format!("no host rotator {id}"));
        };
        contained("host rotator", || f(storage, source, dest))
    }

    pub(crate) fn close(&mut self, id: u32) {
        self.live.remove(&id);
    }
}

/// Runs an embedder's closure, turning a panic into the `Err` the component reports (or, for
/// a factory, refuses the configuration with): `"{what} panicked: {message}"`. A panic never
/// unwinds through Wasmtime into the guest's call and on into the embedder.
fn contained<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string panic payload".to_owned());
        Err(format!("{what} panicked: {message}"))
    })
}
