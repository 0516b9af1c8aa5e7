//! A tour of the cookbook recipes the core serves, run natively: `make demo` runs this until
//! the Wasmtime host (which runs the same tour inside the component) lands.

use std::rc::Rc;

use wasm_logging::{
    filter_fn, host, BraceMessage, ConsoleHandler, DollarMessage, Formatter, Handler, LogOptions,
    LogRecord, LoggerAdapter, MemoryHandler, Stream, Style, Value, DEBUG, ERROR, INFO, WARNING,
};

fn banner(title: &str) {
    println!("\n=== {title} ===");
}

fn handler(stream: Stream, fmt: &str, style: Style) -> Rc<ConsoleHandler> {
    let h = Rc::new(ConsoleHandler::new(stream));
    h.core().set_formatter(Some(Rc::new(
        Formatter::builder()
            .fmt(fmt.to_owned())
            .style(style)
            .build()
            .expect("the tour's formats are valid"),
    )));
    h
}

fn main() {
    let manager = wasm_logging::default_manager();

    banner("1. Using logging in multiple modules");
    let app = manager.get_logger("spam_application");
    app.set_level(DEBUG).ok();
    app.add_handler(handler(
        Stream::Stdout,
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
        Style::Percent,
    ));
    let aux = manager.get_logger("spam_application.auxiliary.Auxiliary");
    app.info("creating an instance of auxiliary_module.Auxiliary", ());
    aux.info("creating an instance of Auxiliary", ());
    aux.info("doing something", ());

    banner("3. Multiple handlers and formatters");
    let simple = manager.get_logger("simple_example");
    simple.set_level(DEBUG).ok();
    simple.set_propagate(false);
    simple.add_handler(handler(
        Stream::Stdout,
        "%(levelname)-8s %(name)s: %(message)s",
        Style::Percent,
    ));
    let errors = handler(
        Stream::Stdout,
        "ERRORS ONLY >> %(levelname)s %(message)s",
        Style::Percent,
    );
    errors.core().set_level(ERROR).ok();
    simple.add_handler(errors);
    simple.debug("debug message", ());
    simple.warning("warn message", ());
    simple.error("error message", ());

    banner("5. Custom handling of levels (filters)");
    let lv = manager.get_logger("levels");
    lv.set_propagate(false);
    lv.set_level(DEBUG).ok();
    let low = handler(
        Stream::Stdout,
        "stdout: %(levelname)s %(message)s",
        Style::Percent,
    );
    low.core()
        .add_filter(filter_fn(|r: &mut LogRecord| r.levelno <= WARNING));
    let high = handler(
        Stream::Stdout,
        "stderr: %(levelname)s %(message)s",
        Style::Percent,
    );
    high.core().set_level(ERROR).ok();
    lv.add_handler(low);
    lv.add_handler(high);
    lv.info("an info message", ());
    lv.error("an error message", ());

    banner("9. Contextual information: LoggerAdapter");
    let conn = manager.get_logger("conn");
    conn.set_propagate(false);
    conn.set_level(DEBUG).ok();
    conn.add_handler(handler(
        Stream::Stdout,
        "%(name)s [%(connid)s] %(message)s",
        Style::Percent,
    ));
    let adapter = LoggerAdapter::new(conn, vec![("connid".into(), Value::from(1234))]);
    adapter.info("connected from %s", ("10.0.0.7",));

    banner("14. Alternative formatting styles");
    let styles = manager.get_logger("styles");
    styles.set_propagate(false);
    styles.add_handler(handler(
        Stream::Stdout,
        "{levelname:<8} | {name:^10} | {message}",
        Style::Brace,
    ));
    styles.add_handler(handler(
        Stream::Stdout,
        "$levelname $$ ${message}",
        Style::Dollar,
    ));
    styles.warning(
        BraceMessage::new(
            "Message with {0} {name}",
            vec![Value::from(2)],
            vec![("name".into(), Value::from("placeholders"))],
        ),
        (),
    );
    styles.warning(
        DollarMessage::new(
            "Message with $num $what",
            vec![
                ("num".into(), Value::from(2)),
                ("what".into(), Value::from("placeholders")),
            ],
        ),
        (),
    );

    banner("25. Buffer debug output, emit it only when an error occurs (MemoryHandler)");
    let buffered = manager.get_logger("buffered");
    buffered.set_propagate(false);
    buffered.set_level(DEBUG).ok();
    let target: Rc<dyn Handler> = handler(
        Stream::Stdout,
        "  replay: %(levelname)s %(message)s",
        Style::Percent,
    );
    buffered.add_handler(Rc::new(MemoryHandler::new(100, ERROR, Some(target), false)));
    buffered.debug("step 1", ());
    buffered.debug("step 2", ());
    println!("  (nothing printed yet)");
    buffered.error("step 3 failed", ());

    banner("Errors never escape a log call");
    let bad = manager.get_logger("bad");
    bad.set_propagate(false);
    bad.add_handler(handler(Stream::Stdout, "%(message)s", Style::Percent));
    bad.log_with(
        WARNING,
        "two args expected: %s %s",
        ("one",),
        LogOptions::new(),
    );
    bad.warning("and logging goes on", ());
    println!("  errors reported so far: {}", host::error_count());
    let _ = INFO;
}
