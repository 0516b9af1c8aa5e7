//! `Manager`: the logger hierarchy with CPython's placeholders, the root logger,
//! `disable()`, `lastResort`, the record factory, and the one path that invalidates every
//! logger's effective-level cache.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::{Rc, Weak};

use super::error::Result;
use super::handler::Handler;
use super::handlers::ConsoleHandler;
use super::level::{NOTSET, WARNING};
use super::logger::{Logger, LoggerInner};
use super::record::LogRecord;
use super::value::Text;

/// The longest logger name the hierarchy takes, in bytes (UTF-8).
pub const MAX_NAME_BYTES: usize = 1024;
/// The most dotted parts a logger name may have (`a.b.c` has 3).
pub const MAX_NAME_DEPTH: usize = 128;

/// Whether `name` is within the hierarchy's bounds ([`MAX_NAME_BYTES`], [`MAX_NAME_DEPTH`]);
/// the `ValueError` otherwise. CPython has no bound, but it builds a placeholder per dotted
/// prefix, so a name of n parts costs O(n²) memory: 16,000 parts exhaust a Wasm instance.
pub fn check_logger_name(name: &str) -> Result<()> {
    let depth = name.bytes().filter(|&b| b == b'.').count() + 1;
    if name.len() > MAX_NAME_BYTES || depth > MAX_NAME_DEPTH {
        let head: String = name.chars().take(40).collect();
        return Err(super::error::Error::value_error(format!(
            "logger name too long ({} bytes, {depth} dotted parts; the limits are \
             {MAX_NAME_BYTES} bytes and {MAX_NAME_DEPTH} parts): '{head}…' is logged through \
             a logger outside the hierarchy, under the root",
            name.len()
        )));
    }
    Ok(())
}

/// The state every logger of a manager reads on the hot path: `disable()` and the cache
/// generation. Loggers hold it strongly; bumping `generation` is how caches are cleared.
#[derive(Debug, Default)]
pub(crate) struct LevelState {
    pub(crate) disable: Cell<i64>,
    pub(crate) generation: Cell<u64>,
}

impl LevelState {
    /// Invalidates every cached effective level (CPython's `_clear_cache`).
    pub(crate) fn invalidate(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
    }
}

/// A node of the name → logger map: a logger, or CPython's `PlaceHolder` remembering the
/// loggers created below a name that has no logger yet.
enum Node {
    Logger(Logger),
    PlaceHolder(Vec<Logger>),
}

/// A hook run on every new record before `extra` is applied: CPython's
/// `setLogRecordFactory`, in the form the cookbook uses it (call the old factory, then add
/// attributes).
pub type RecordFactory = dyn Fn(&mut LogRecord);

pub(crate) struct ManagerShared {
    pub(crate) levels: Rc<LevelState>,
    loggers: RefCell<HashMap<Text, Node>>,
    root: RefCell<Option<Logger>>,
    emitted_no_handler_warning: Cell<bool>,
    last_resort: RefCell<Option<Rc<dyn Handler>>>,
    record_factory: RefCell<Option<Rc<RecordFactory>>>,
    /// Every handler ever attached to a logger of this manager, for `shutdown()`.
    handlers: RefCell<Vec<Weak<dyn Handler>>>,
    /// The last logger made outside the hierarchy for a name past the bounds: asked for again
    /// (a router looks a record's logger up more than once), it is returned without a second
    /// report. One, so the bound on memory holds.
    last_detached: RefCell<Option<Logger>>,
}

/// `logging.Manager`: owns the hierarchy. Most programs use the per-thread default through
/// [`get_logger`]; tests and embedders can make their own.
#[derive(Clone)]
pub struct Manager {
    pub(crate) shared: Rc<ManagerShared>,
}

impl fmt::Debug for Manager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Manager({} loggers)", self.shared.loggers.borrow().len())
    }
}

impl Default for Manager {
    fn default() -> Self {
        Self::new()
    }
}

impl Manager {
    /// A new hierarchy whose root logger is at `WARNING`, with CPython's `lastResort`.
    pub fn new() -> Self {
        let shared = Rc::new(ManagerShared {
            levels: Rc::new(LevelState::default()),
            loggers: RefCell::new(HashMap::new()),
            root: RefCell::new(None),
            emitted_no_handler_warning: Cell::new(false),
            last_resort: RefCell::new(Some(Rc::new(last_resort_handler()))),
            record_factory: RefCell::new(None),
            handlers: RefCell::new(Vec::new()),
            last_detached: RefCell::new(None),
        });
        let root = Logger::from_inner(LoggerInner::new(
            Text::Static("root"),
            WARNING,
            true,
            Rc::downgrade(&shared),
            shared.levels.clone(),
        ));
        *shared.root.borrow_mut() = Some(root);
        Manager { shared }
    }

    /// The root logger.
    pub fn root(&self) -> Logger {
        self.shared.root()
    }

    /// `manager.getLogger(name)`: the logger called `name`, created (and linked into the
    /// hierarchy, re-linking any children created before it) if it does not exist yet.
    ///
    /// Unlike the module-level [`get_logger`], an empty name or `"root"` is a logger of that
    /// name here, exactly as in CPython.
    pub fn get_logger(&self, name: &str) -> Logger {
        self.shared.get_logger(name)
    }

    /// `logging.getLogger(name)`: `None`, `""` and `"root"` give the root logger.
    pub fn get_logger_or_root(&self, name: Option<&str>) -> Logger {
        match name {
            None | Some("") | Some("root") => self.root(),
            Some(n) => self.get_logger(n),
        }
    }

    /// The names of all loggers (not placeholders), sorted: `loggerDict` keys that are loggers.
    pub fn logger_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .shared
            .loggers
            .borrow()
            .iter()
            .filter(|(_, n)| matches!(n, Node::Logger(_)))
            .map(|(k, _)| k.to_string())
            .collect();
        names.sort();
        names
    }

    /// Every logger except the root, sorted by name.
    pub fn loggers(&self) -> Vec<Logger> {
        let mut loggers: Vec<Logger> = self
            .shared
            .loggers
            .borrow()
            .values()
            .filter_map(|n| match n {
                Node::Logger(l) => Some(l.clone()),
                Node::PlaceHolder(_) => None,
            })
            .collect();
        loggers.sort_by(|a, b| a.name().cmp(b.name()));
        loggers
    }

    /// Every name in the hierarchy, loggers and placeholders alike, sorted (CPython's
    /// `loggerDict` keys).
    pub fn node_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .shared
            .loggers
            .borrow()
            .keys()
            .map(|k| k.to_string())
            .collect();
        names.sort();
        names
    }

    /// The logger called `name` if it exists (placeholders are not loggers); never creates one.
    pub fn existing_logger(&self, name: &str) -> Option<Logger> {
        match self.shared.loggers.borrow().get(name) {
            Some(Node::Logger(l)) => Some(l.clone()),
            _ => None,
        }
    }

    /// Whether `name` exists as a logger (not just a placeholder).
    pub fn has_logger(&self, name: &str) -> bool {
        matches!(
            self.shared.loggers.borrow().get(name),
            Some(Node::Logger(_))
        )
    }

    /// `logging.disable(level)`: no record at or below `level` is created, on any logger.
    pub fn disable(&self, level: i64) {
        self.shared.levels.disable.set(level);
        self.clear_cache();
    }

    /// `logging.disable(level)` with a level name or number, as CPython 3.13 takes it
    /// (`_checkLevel`): an unknown name is a `ValueError` and changes nothing.
    pub fn disable_level(&self, level: impl Into<super::level::LevelSpec>) -> Result<()> {
        let level = super::level::check_level(level)?;
        self.disable(level);
        Ok(())
    }

    /// The current `disable()` level.
    pub fn disabled_level(&self) -> i64 {
        self.shared.levels.disable.get()
    }

    /// `manager._clear_cache()`: the one path that invalidates every effective-level cache.
    /// Every level change, `disable()` and configuration goes through here.
    pub fn clear_cache(&self) {
        self.shared.clear_cache();
    }

    /// `logging.lastResort`: the handler used when no handler is found (WARNING+ to the host's
    /// standard error), or `None` for CPython's one-time "No handlers could be found" notice.
    pub fn set_last_resort(&self, handler: Option<Rc<dyn Handler>>) {
        *self.shared.last_resort.borrow_mut() = handler;
    }

    /// The current `lastResort`.
    pub fn last_resort(&self) -> Option<Rc<dyn Handler>> {
        self.shared.last_resort.borrow().clone()
    }

    /// `logging.setLogRecordFactory`: a hook that adds attributes to every new record.
    pub fn set_record_factory(&self, factory: Option<Rc<RecordFactory>>) {
        *self.shared.record_factory.borrow_mut() = factory;
    }

    /// `logging.shutdown()`: flushes and closes every handler that was attached to a logger,
    /// most recently attached first, reporting failures without stopping.
    pub fn shutdown(&self) {
        let handlers: Vec<Rc<dyn Handler>> = self
            .shared
            .handlers
            .borrow()
            .iter()
            .rev()
            .filter_map(Weak::upgrade)
            .collect();
        for h in handlers {
            if h.flush_on_close() {
                if let Err(e) = h.flush() {
                    super::handler::report_error(None, &e);
                }
            }
            h.close();
        }
    }

    /// CPython's `_clearExistingHandlers` (what `dictConfig` does first): flushes and closes
    /// every tracked handler, forgets them and their names.
    pub fn clear_existing_handlers(&self) {
        self.shutdown();
        self.shared.handlers.borrow_mut().clear();
        super::handler::clear_handler_names();
    }

    /// Records `handler` for `shutdown()` even if no logger holds it (a `MemoryHandler`'s
    /// target, a queue listener's handlers).
    pub fn track_handler(&self, handler: &Rc<dyn Handler>) {
        self.shared.track_handler(handler);
    }

    /// Resets the one-time "No handlers could be found" notice.
    pub fn reset_no_handler_warning(&self) {
        self.shared.emitted_no_handler_warning.set(false);
    }

    /// Flushes every attached handler without closing it (page hide, before exit).
    pub fn flush(&self) {
        let handlers: Vec<Rc<dyn Handler>> = self
            .shared
            .handlers
            .borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for h in handlers {
            if let Err(e) = h.flush() {
                super::handler::report_error(None, &e);
            }
        }
    }
}

/// CPython's `_StderrHandler(WARNING)`: the host's standard error at emit time.
fn last_resort_handler() -> ConsoleHandler {
    let h = ConsoleHandler::stderr();
    h.core().set_level(WARNING).ok();
    h
}

impl ManagerShared {
    pub(crate) fn root(&self) -> Logger {
        self.root.borrow().clone().unwrap_or_else(unreachable_root)
    }

    pub(crate) fn clear_cache(&self) {
        self.levels.invalidate();
    }

    pub(crate) fn get_logger(self: &Rc<Self>, name: &str) -> Logger {
        if let Err(e) = check_logger_name(name) {
            if let Some(l) = self.last_detached.borrow().as_ref() {
                if l.name() == name {
                    return l.clone();
                }
            }
            // Reported, and still a working logger: named as asked, its parent the root (so
            // its records reach the root's handlers), but kept out of the name map, so it
            // builds no placeholders.
            super::handler::report_error(None, &e);
            let detached = Logger::from_inner(LoggerInner::new(
                Text::from(name.to_owned()),
                NOTSET,
                false,
                Rc::downgrade(self),
                self.levels.clone(),
            ));
            detached.set_parent(Some(self.root()));
            *self.last_detached.borrow_mut() = Some(detached.clone());
            return detached;
        }
        let mut loggers = self.loggers.borrow_mut();
        let placeholder_children = match loggers.get(name) {
            Some(Node::Logger(l)) => return l.clone(),
            Some(Node::PlaceHolder(children)) => Some(children.clone()),
            None => None,
        };
        let key: Text = Text::from(name.to_owned());
        let logger = Logger::from_inner(LoggerInner::new(
            key.clone(),
            NOTSET,
            false,
            Rc::downgrade(self),
            self.levels.clone(),
        ));
        loggers.insert(key, Node::Logger(logger.clone()));
        if let Some(children) = placeholder_children {
            fixup_children(&logger, &children);
        }
        self.fixup_parents(&mut loggers, &logger);
        drop(loggers);
        // A new logger in the middle of the tree does not change anyone's effective level
        // (it is NOTSET), but re-linking is a structural change: clear to stay obviously right.
        self.clear_cache();
        logger
    }

    /// `_fixupParents`: walk up the dotted name; create placeholders for missing ancestors and
    /// link to the nearest existing logger (or the root).
    fn fixup_parents(&self, loggers: &mut HashMap<Text, Node>, logger: &Logger) {
        let name = logger.name();
        let mut parent: Option<Logger> = None;
        // CPython: i = name.rfind("."); ...; i = name.rfind(".", 0, i - 1). Searching bytes is
        // exact ('.' never occurs inside a multi-byte character) and cannot split a character.
        let mut i = name.rfind('.');
        while let Some(dot) = i.filter(|&d| d > 0) {
            let sub = &name[..dot];
            match loggers.get_mut(sub) {
                None => {
                    loggers.insert(
                        Text::from(sub.to_owned()),
                        Node::PlaceHolder(vec![logger.clone()]),
                    );
                }
                Some(Node::PlaceHolder(children)) => {
                    if !children.iter().any(|c| c.ptr_eq(logger)) {
                        children.push(logger.clone());
                    }
                }
                Some(Node::Logger(l)) => {
                    parent = Some(l.clone());
                    break;
                }
            }
            i = name.as_bytes()[..dot - 1].iter().rposition(|&b| b == b'.');
        }
        logger.set_parent(Some(parent.unwrap_or_else(|| self.root())));
    }

    pub(crate) fn emitted_no_handler_warning(&self) -> bool {
        self.emitted_no_handler_warning.replace(true)
    }

    pub(crate) fn last_resort(&self) -> Option<Rc<dyn Handler>> {
        self.last_resort.borrow().clone()
    }

    pub(crate) fn record_factory(&self) -> Option<Rc<RecordFactory>> {
        self.record_factory.borrow().clone()
    }

    pub(crate) fn track_handler(&self, handler: &Rc<dyn Handler>) {
        let mut handlers = self.handlers.borrow_mut();
        handlers.retain(|w| w.strong_count() > 0);
        let weak = Rc::downgrade(handler);
        if !handlers.iter().any(|w| w.ptr_eq(&weak)) {
            handlers.push(weak);
        }
    }

    /// Loggers whose parent is `logger` and that sit exactly one level below it.
    pub(crate) fn children_of(&self, logger: &Logger) -> Vec<Logger> {
        let depth = |l: &Logger| -> usize {
            if l.is_root() {
                0
            } else {
                1 + l.name().matches('.').count()
            }
        };
        let mut out: Vec<Logger> = self
            .loggers
            .borrow()
            .values()
            .filter_map(|n| match n {
                Node::Logger(l) => Some(l.clone()),
                Node::PlaceHolder(_) => None,
            })
            .filter(|l| {
                l.parent().is_some_and(|p| p.ptr_eq(logger)) && depth(l) == 1 + depth(logger)
            })
            .collect();
        out.sort_by(|a, b| a.name().cmp(b.name()));
        out
    }
}

/// `_fixupChildren`: children created before `logger` that point above it now point to it.
fn fixup_children(logger: &Logger, children: &[Logger]) {
    let name = logger.name();
    for c in children {
        let Some(cp) = c.parent() else { continue };
        if !cp.name().starts_with(name) {
            logger.set_parent(Some(cp));
            c.set_parent(Some(logger.clone()));
        }
    }
}

#[cold]
fn unreachable_root() -> Logger {
    // The root is set in Manager::new before the manager is shared; this cannot run. A
    // detached logger is still better than a panic if it ever did.
    Logger::from_inner(LoggerInner::new(
        Text::Static("root"),
        WARNING,
        true,
        Weak::new(),
        Rc::new(LevelState::default()),
    ))
}

thread_local! {
    static DEFAULT: Manager = {
        crate::platform::default_tree_created();
        Manager::new()
    };
}

/// The default manager (CPython's `Logger.manager`). The core is single-threaded: natively
/// each thread has its own default hierarchy, and a thread other than the first to use logging
/// is told so once (see [`crate::threads`] for logging across threads).
pub fn default_manager() -> Manager {
    DEFAULT.with(Manager::clone)
}

/// `logging.getLogger(name)`: `""` or `"root"` give the root logger.
pub fn get_logger(name: &str) -> Logger {
    default_manager().get_logger_or_root(Some(name))
}

/// `logging.getLogger()`: the root logger.
pub fn root() -> Logger {
    default_manager().root()
}

/// `logging.disable(level)` on the default manager.
pub fn disable(level: i64) {
    default_manager().disable(level)
}

/// `logging.shutdown()` on the default manager.
pub fn shutdown() {
    default_manager().shutdown()
}
