//! Native micro-benchmarks of the core (not tests): a disabled call, and an enabled call
//! formatted CPython-style into an in-process sink. `make bench` runs them; issue-level
//! comparisons with other loggers live in the bench harness, not here.

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wasm_logging::{
    debug, host, ConsoleHandler, ConsoleSink, Converter, Formatter, Handler, LogRecord, Manager,
    Stream, INFO, WARNING,
};

/// A sink that receives the formatted text and only counts bytes, so the benchmark measures
/// the logging path and not a growing buffer.
#[derive(Default)]
struct CountingSink {
    bytes: Cell<usize>,
}

impl ConsoleSink for CountingSink {
    fn write(
        &self,
        _s: Stream,
        text: &str,
        _r: Option<&LogRecord>,
    ) -> wasm_logging::core::error::Result<()> {
        self.bytes.set(self.bytes.get() + text.len());
        Ok(())
    }
}

fn setup(level: i64) -> (Manager, wasm_logging::Logger, Rc<CountingSink>) {
    host::install_clock(Rc::new(host::FixedClock::new(1_700_000_000_123_456_789)));
    let m = Manager::new();
    let sink = Rc::new(CountingSink::default());
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, sink.clone()));
    h.core().set_formatter(Some(Rc::new(
        Formatter::builder()
            .fmt("%(asctime)s %(name)s %(levelname)s %(message)s")
            .converter(Converter::Utc)
            .build()
            .expect("valid format"),
    )));
    m.root().add_handler(h);
    m.root().set_level(level).expect("level");
    let logger = m.get_logger("app.net.http");
    (m, logger, sink)
}

fn disabled(c: &mut Criterion) {
    let (_m, logger, sink) = setup(WARNING);
    let mut g = c.benchmark_group("disabled");
    g.bench_function("method debug('message %d', i)", |b| {
        let mut i = 0i64;
        b.iter(|| {
            i += 1;
            logger.debug(black_box("message %d"), (black_box(i),));
        })
    });
    g.bench_function("macro debug!(log, 'message %d', i)", |b| {
        let mut i = 0i64;
        b.iter(|| {
            i += 1;
            debug!(logger, black_box("message %d"), black_box(i));
        })
    });
    g.finish();
    assert_eq!(sink.bytes.get(), 0, "a disabled call must emit nothing");
}

fn enabled(c: &mut Criterion) {
    let (_m, logger, sink) = setup(INFO);
    let mut g = c.benchmark_group("enabled");
    g.throughput(Throughput::Elements(1));
    g.bench_function(
        "info('Message no. %d', i) → '%(asctime)s %(name)s %(levelname)s %(message)s'",
        |b| {
            let mut i = 0i64;
            b.iter(|| {
                i += 1;
                logger.info(black_box("Message no. %d"), (black_box(i),));
            })
        },
    );
    g.finish();
    assert!(sink.bytes.get() > 0);
}

criterion_group!(benches, disabled, enabled);
criterion_main!(benches);
