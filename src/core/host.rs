//! What the core takes from its host: the clock, the local time zone, the standard console
//! (CPython's `sys.stderr`, used by `lastResort` and `handle_error`), the stack of the caller
//! and the identity of the current worker (`threadName`, `processName`, `taskName`).
//!
//! These are per-thread globals because CPython's equivalents (`time`, `sys.stderr`,
//! `threading.current_thread()`) are process globals and the core is single-threaded. A host
//! binding installs its implementations once at start-up; tests install fixed ones.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::sink::{ConsoleSink, Stream};
use super::time::LocalOffset;
use super::value::Text;

/// The host's clock and time zone.
pub trait Clock {
    /// Nanoseconds since the Unix epoch (`time.time_ns()`).
    fn now_ns(&self) -> i64;
    /// The local UTC offset, zone name and DST flag at `unix_secs` (`time.localtime`).
    fn local_offset(&self, _unix_secs: i64) -> LocalOffset {
        LocalOffset {
            utc_offset: 0,
            zone: "UTC".to_owned(),
            is_dst: 0,
        }
    }
    /// [`Clock::local_offset`] when the zone name will not be used (a time format without
    /// `%Z`): a host whose zone name is costly (a browser's `Intl`) leaves `zone` empty.
    fn local_offset_without_zone(&self, unix_secs: i64) -> LocalOffset {
        self.local_offset(unix_secs)
    }
    /// The caller's stack as CPython's `stack_info` renders it (without the
    /// `Stack (most recent call last):` header), skipping `skip` innermost frames; `None` when
    /// the host cannot capture stacks.
    fn capture_stack(&self, _skip: usize) -> Option<String> {
        None
    }
}

/// A clock that always returns the same instant: for tests and reproducible output.
#[derive(Clone, Debug)]
pub struct FixedClock {
    /// The instant, in nanoseconds since the epoch.
    pub now_ns: Cell<i64>,
    /// The local offset reported for every instant.
    pub offset: LocalOffset,
}

impl FixedClock {
    /// A clock fixed at `now_ns`, in UTC.
    pub fn new(now_ns: i64) -> Self {
        FixedClock {
            now_ns: Cell::new(now_ns),
            offset: LocalOffset {
                utc_offset: 0,
                zone: "UTC".to_owned(),
                is_dst: 0,
            },
        }
    }

    /// The same clock reporting `offset` as local time.
    pub fn with_offset(mut self, offset: LocalOffset) -> Self {
        self.offset = offset;
        self
    }
}

impl Clock for FixedClock {
    fn now_ns(&self) -> i64 {
        self.now_ns.get()
    }
    fn local_offset(&self, _unix_secs: i64) -> LocalOffset {
        self.offset.clone()
    }
}

/// Who is logging: CPython's `thread`, `threadName`, `process`, `processName`. In a browser
/// these are the worker's name; in a WASI host, the component instance's.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// `record.thread`.
    pub thread: Option<i64>,
    /// `record.threadName` (`"MainThread"` by default, as in CPython).
    pub thread_name: Option<Text>,
    /// `record.process`.
    pub process: Option<u32>,
    /// `record.processName` (`"MainProcess"` by default).
    pub process_name: Option<Text>,
}

impl Default for Identity {
    fn default() -> Self {
        Identity {
            thread: None,
            thread_name: Some(Text::Static("MainThread")),
            process: None,
            process_name: Some(Text::Static("MainProcess")),
        }
    }
}

struct Host {
    clock: Rc<dyn Clock>,
    console: Rc<dyn ConsoleSink>,
    identity: Identity,
    task_name: Option<Text>,
    start_ns: i64,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new({
        let (clock, console) = crate::platform::default_host();
        let start_ns = clock.now_ns();
        Host { clock, console, identity: crate::platform::default_identity(), task_name: None, start_ns }
    });
    static RAISE_EXCEPTIONS: Cell<bool> = const { Cell::new(true) };
    static ERROR_COUNT: Cell<u64> = const { Cell::new(0) };
}

/// Installs the host clock. The start time used for `relativeCreated` is reset to its `now`.
pub fn install_clock(clock: Rc<dyn Clock>) {
    let start = clock.now_ns();
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        h.clock = clock;
        h.start_ns = start;
    })
}

/// Installs the host clock keeping logging's start time (`logging._startTime`): a clock fixed
/// for reproducible output need not make every `relativeCreated` zero.
pub fn install_clock_keeping_start(clock: Rc<dyn Clock>) {
    HOST.with(|h| h.borrow_mut().clock = clock)
}

/// Sets logging's start time (`logging._startTime`, nanoseconds since the epoch), from
/// which `relativeCreated` is measured, without touching the clock.
pub fn set_start_ns(ns: i64) {
    HOST.with(|h| h.borrow_mut().start_ns = ns)
}

/// Installs the host's standard console (`sys.stdout` / `sys.stderr`).
pub fn install_console(console: Rc<dyn ConsoleSink>) {
    HOST.with(|h| h.borrow_mut().console = console)
}

/// Sets the identity stamped on every new record.
pub fn set_identity(identity: Identity) {
    HOST.with(|h| h.borrow_mut().identity = identity)
}

/// Sets the current task name (`record.taskName`; CPython's asyncio task), or clears it.
pub fn set_task_name(name: Option<Text>) {
    HOST.with(|h| h.borrow_mut().task_name = name)
}

/// The identity and task name for a new record.
pub(crate) fn identity() -> (Identity, Option<Text>) {
    HOST.with(|h| {
        let h = h.borrow();
        (h.identity.clone(), h.task_name.clone())
    })
}

/// `time.time_ns()` from the host clock, and the start time (`logging._startTime`).
pub fn now_ns() -> (i64, i64) {
    HOST.with(|h| {
        let h = h.borrow();
        (h.clock.now_ns(), h.start_ns)
    })
}

/// The host's local offset at `unix_secs`.
pub fn local_offset(unix_secs: i64) -> LocalOffset {
    let clock = HOST.with(|h| h.borrow().clock.clone());
    clock.local_offset(unix_secs)
}

/// The host's local offset at `unix_secs` for a time format that does not print the zone
/// name (see [`Clock::local_offset_without_zone`]).
pub fn local_offset_without_zone(unix_secs: i64) -> LocalOffset {
    let clock = HOST.with(|h| h.borrow().clock.clone());
    clock.local_offset_without_zone(unix_secs)
}

/// The caller's stack from the host, if it can capture one.
pub fn capture_stack(skip: usize) -> Option<String> {
    let clock = HOST.with(|h| h.borrow().clock.clone());
    clock.capture_stack(skip)
}

/// The host's standard console.
pub fn console() -> Rc<dyn ConsoleSink> {
    HOST.with(|h| h.borrow().console.clone())
}

/// Writes to the host's standard error stream, ignoring failure (as CPython's `handleError`
/// ignores an `OSError` from `sys.stderr`: there is nowhere left to report it).
pub fn write_stderr(text: &str) {
    let console = console();
    let _ = console.write(Stream::Stderr, text, None);
}

/// `logging.raiseExceptions`: whether errors inside handlers are reported to stderr.
pub fn raise_exceptions() -> bool {
    RAISE_EXCEPTIONS.with(Cell::get)
}

/// Sets `logging.raiseExceptions`.
pub fn set_raise_exceptions(on: bool) {
    RAISE_EXCEPTIONS.with(|c| c.set(on))
}

/// How many errors inside handlers have been reported (or suppressed) so far: nothing is
/// lost silently, even with `raiseExceptions` off.
pub fn error_count() -> u64 {
    ERROR_COUNT.with(Cell::get)
}

pub(crate) fn count_error() {
    ERROR_COUNT.with(|c| c.set(c.get().saturating_add(1)))
}
