//! Issue 13: a warm enabled call on the W2/W3 path (a `%`-format message with an argument,
//! formatted as `%(asctime)s %(name)s %(levelname)s %(message)s` into a console sink, on the
//! logger itself or on an ancestor) makes no heap allocation. A counting global allocator
//! counts this thread's allocations while the calls run.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::rc::Rc;

use wasm_logging::{
    host, info, ConsoleHandler, ConsoleSink, Converter, Formatter, Handler, LogRecord, Manager,
    Stream, Value, INFO,
};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: never touch a thread-local that is being torn down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    ALLOCS.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    f();
    COUNTING.with(|on| on.set(false));
    ALLOCS.with(|n| n.get())
}

/// A console sink that reads every line (a checksum of its bytes) and keeps the last one.
#[derive(Default)]
struct ReadingSink {
    sum: Cell<u64>,
    lines: Cell<usize>,
    last: std::cell::RefCell<String>,
}

impl ConsoleSink for ReadingSink {
    fn write(
        &self,
        _s: Stream,
        text: &str,
        _r: Option<&LogRecord>,
    ) -> wasm_logging::core::error::Result<()> {
        let sum = text
            .bytes()
            .fold(self.sum.get(), |a, b| a.wrapping_add(u64::from(b)));
        self.sum.set(sum);
        self.lines.set(self.lines.get() + 1);
        let mut last = self.last.borrow_mut();
        last.clear();
        last.push_str(text);
        Ok(())
    }
}

/// A clock that moves `step` ns per reading.
struct SteppingClock(Cell<i64>, i64);

impl host::Clock for SteppingClock {
    fn now_ns(&self) -> i64 {
        let t = self.0.get();
        self.0.set(t + self.1);
        t
    }
}

fn setup_stepping(
    handler_on: &str,
    log_on: &str,
    step: i64,
) -> (Manager, wasm_logging::Logger, Rc<ReadingSink>) {
    host::install_clock(Rc::new(SteppingClock(
        Cell::new(1_700_000_000_123_456_789),
        step,
    )));
    let m = Manager::new();
    let sink = Rc::new(ReadingSink::default());
    *sink.last.borrow_mut() = String::with_capacity(256);
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stderr, sink.clone()));
    h.core().set_formatter(Some(Rc::new(
        Formatter::builder()
            .fmt("%(asctime)s %(name)s %(levelname)s %(message)s")
            .converter(Converter::Utc)
            .build()
            .expect("valid format"),
    )));
    let owner = m.get_logger(handler_on);
    owner.add_handler(h);
    owner.set_level(INFO).expect("level");
    let logger = m.get_logger(log_on);
    (m, logger, sink)
}

fn setup(handler_on: &str, log_on: &str) -> (Manager, wasm_logging::Logger, Rc<ReadingSink>) {
    setup_stepping(handler_on, log_on, 1_000)
}

fn assert_no_allocation(handler_on: &str, log_on: &str) {
    let (_m, logger, sink) = setup(handler_on, log_on);
    // Warm-up: the pools fill, the time cache is made.
    for i in 0..100i64 {
        info!(logger, "Message no. %d", i);
        logger.info("Message no. %d", (i,));
    }
    let n = allocations(|| {
        for i in 100..3100i64 {
            info!(logger, "Message no. %d", i);
            logger.info("Message no. %d", (i,));
        }
    });
    assert_eq!(sink.lines.get(), 6200, "every record reached the sink");
    let last = sink.last.borrow().clone();
    assert!(
        last.starts_with("2023-11-14 22:13:20,12")
            && last.ends_with(&format!(" {log_on} INFO Message no. 3099\n")),
        "{last:?}"
    );
    assert_eq!(
        n, 0,
        "{n} allocations in 6000 enabled calls ({handler_on} ← {log_on})"
    );
}

#[test]
fn w2_and_w3_make_no_allocation_per_record() {
    // W2: the handler on the logger itself.
    assert_no_allocation("app", "app");
    // W3: the handler on an ancestor of app.net.http.
    assert_no_allocation("app", "app.net.http");
}

#[test]
fn a_new_second_costs_a_few_allocations_once() {
    // 1 ms per clock reading: 6000 records cross 6 seconds. The broken-down time of a new
    // second (its zone name, strftime's scratch) is made once per second, not per record.
    let (_m, logger, sink) = setup_stepping("app", "app", 1_000_000);
    for i in 0..100i64 {
        info!(logger, "Message no. %d", i);
    }
    let n = allocations(|| {
        for i in 0..6000i64 {
            info!(logger, "Message no. %d", i);
        }
    });
    assert_eq!(sink.lines.get(), 6100);
    assert!(
        n <= 8 * 7,
        "{n} allocations for 6000 records over 6 seconds"
    );
}

#[test]
fn a_record_kept_elsewhere_keeps_its_strings() {
    // A record cloned out of the path (a queue, a memory buffer) holds its message; the pool
    // must not hand that buffer to the next record.
    let (_m, logger, _sink) = setup("keep", "keep");
    let kept: Rc<std::cell::RefCell<Vec<LogRecord>>> = Rc::default();
    let k = kept.clone();
    let h = Rc::new(wasm_logging::FnHandler::new(
        move |_t: &str, r: &LogRecord| {
            k.borrow_mut().push(r.clone());
            Ok(())
        },
    ));
    logger.add_handler(h);
    for i in 0..50i64 {
        logger.info("kept %d %s", (i, Value::from("x")));
    }
    let kept = kept.borrow();
    assert_eq!(kept.len(), 50);
    for (i, r) in kept.iter().enumerate() {
        assert_eq!(r.message.as_deref(), Some(format!("kept {i} x").as_str()));
        assert_eq!(r.args.len(), 2);
    }
}
