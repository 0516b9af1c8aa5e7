//! Ported from CPython's `MemoryHandlerTest`, `LastResortTest`, `StreamHandlerTest`,
//! `ShutdownTest` and `LogRecordTest`, plus the "never throws, never panics" rules.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::Base;
use wasm_logging::{
    host, BufferingHandler, ConsoleHandler, FnHandler, Handler, LogOptions, LogRecord,
    MemoryHandler, NullHandler, Stream, Value, DEBUG, INFO, WARNING,
};

fn mem_setup(b: &Base, flush_on_close: bool) -> (Rc<MemoryHandler>, wasm_logging::Logger) {
    let target: Rc<dyn Handler> = b.handler.clone();
    let mem = Rc::new(MemoryHandler::new(
        10,
        WARNING,
        Some(target),
        flush_on_close,
    ));
    let l = b.logger("mem");
    l.set_propagate(false);
    l.add_handler(mem.clone());
    (mem, l)
}

#[test]
fn memory_handler_flushes_at_capacity_and_at_flush_level() {
    let b = Base::new();
    let (_mem, l) = mem_setup(&b, true);
    l.debug(b.m(), ());
    b.assert_level_lines(&[]);
    l.info(b.m(), ());
    b.assert_level_lines(&[]);
    l.warning(b.m(), ());
    let mut lines: Vec<(String, String)> = vec![
        ("DEBUG".into(), "1".into()),
        ("INFO".into(), "2".into()),
        ("WARNING".into(), "3".into()),
    ];
    let check = |lines: &Vec<(String, String)>| {
        let v: Vec<(&str, &str)> = lines
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        b.assert_level_lines(&v);
    };
    check(&lines);
    for n in [4, 14] {
        for _ in 0..9 {
            l.debug(b.m(), ());
        }
        check(&lines);
        l.debug(b.m(), ());
        lines.extend((n..n + 10).map(|i| ("DEBUG".to_owned(), i.to_string())));
        check(&lines);
    }
    l.debug(b.m(), ());
    check(&lines);
}

#[test]
fn memory_handler_flushes_on_close_unless_told_not_to() {
    let b = Base::new();
    let (mem, l) = mem_setup(&b, true);
    l.debug(b.m(), ());
    l.info(b.m(), ());
    let h: Rc<dyn Handler> = mem.clone();
    l.remove_handler(&h);
    mem.close();
    b.assert_level_lines(&[("DEBUG", "1"), ("INFO", "2")]);
    assert!(mem.target().is_none(), "close drops the target");

    let (mem2, l2) = mem_setup(&b, false);
    l2.debug(b.m(), ());
    l2.info(b.m(), ());
    mem2.close();
    b.assert_level_lines(&[("DEBUG", "1"), ("INFO", "2")]);
}

#[test]
fn shutdown_flushes_and_respects_flush_on_close() {
    let b = Base::new();
    let (_mem, l) = mem_setup(&b, true);
    l.debug(b.m(), ());
    l.info(b.m(), ());
    b.manager.shutdown();
    b.assert_level_lines(&[("DEBUG", "1"), ("INFO", "2")]);
}

#[test]
fn memory_handler_without_target_keeps_records() {
    let mem = MemoryHandler::with_capacity(2);
    let mut r = LogRecord::new(
        "x".into(),
        INFO,
        "INFO".into(),
        wasm_logging::Location::unknown(),
        Value::from("m"),
        vec![],
        None,
        0,
        0,
    );
    for _ in 0..5 {
        mem.handle(&mut r);
    }
    assert_eq!(
        mem.buffered(),
        5,
        "no target: nothing is dropped (as in CPython)"
    );
}

#[test]
fn buffering_handler_passes_full_batches_to_its_flush_function() {
    let b = Base::new();
    let batches = Rc::new(RefCell::new(Vec::<Vec<String>>::new()));
    let sink = batches.clone();
    let h = Rc::new(BufferingHandler::new(3, move |batch| {
        sink.borrow_mut()
            .push(batch.iter().map(|r| r.get_message().unwrap()).collect());
        Ok(())
    }));
    let l = b.logger("batch");
    l.add_handler(h.clone());
    for i in 0..7 {
        l.info("n=%d", (i,));
    }
    assert_eq!(batches.borrow().len(), 2);
    assert_eq!(h.buffered(), 1);
    h.close();
    assert_eq!(
        *batches.borrow(),
        vec![
            vec!["n=0", "n=1", "n=2"],
            vec!["n=3", "n=4", "n=5"],
            vec!["n=6"]
        ]
    );
}

#[test]
fn last_resort_prints_warnings_when_no_handler_is_found() {
    let b = Base::new();
    let h: Rc<dyn Handler> = b.handler.clone();
    b.root.remove_handler(&h);
    b.root.debug("This should not appear", ());
    assert_eq!(b.stderr_text(), "");
    b.root.warning("Final chance!", ());
    assert_eq!(b.stderr_text(), "Final chance!\n");

    b.stderr.clear();
    b.manager.set_last_resort(None);
    b.root.warning("Final chance!", ());
    assert_eq!(
        b.stderr_text(),
        "No handlers could be found for logger \"root\"\n"
    );
    b.stderr.clear();
    b.root.warning("Final chance!", ());
    assert_eq!(b.stderr_text(), "", "the notice is printed once");
}

#[test]
fn null_handler_counts_as_a_handler_and_silences_last_resort() {
    let b = Base::new();
    let h: Rc<dyn Handler> = b.handler.clone();
    b.root.remove_handler(&h);
    let lib = b.logger("lib");
    lib.add_handler(Rc::new(NullHandler::new()));
    lib.error("swallowed", ());
    assert_eq!(b.stderr_text(), "");
}

#[test]
fn formatting_error_is_reported_like_cpython_and_logging_continues() {
    let b = Base::new();
    let before = host::error_count();
    b.root.info("hello %s %s", ("only one",));
    b.root.info("two %d", ("x",));
    b.root.info("fine %d", (5,));
    assert_eq!(host::error_count() - before, 2);
    assert_eq!(
        b.stderr_text(),
        "--- Logging error ---\n\
         TypeError: not enough arguments for format string\n\
         Message: 'hello %s %s'\n\
         Arguments: ('only one',)\n\
         --- Logging error ---\n\
         TypeError: %d format: a real number is required, not str\n\
         Message: 'two %d'\n\
         Arguments: ('x',)\n"
    );
    b.assert_lines(&[("root", "INFO", "fine 5")]);
}

#[test]
fn raise_exceptions_off_silences_reports_but_still_counts_them() {
    let b = Base::new();
    host::set_raise_exceptions(false);
    let before = host::error_count();
    b.root.info("bad %d", ("x",));
    host::set_raise_exceptions(true);
    assert_eq!(b.stderr_text(), "");
    assert_eq!(host::error_count() - before, 1);
}

#[test]
fn failing_sink_is_reported_through_handle_error() {
    let b = Base::new();
    b.console.set_failure(Some("disk on fire"));
    b.root.warning("lost?", ());
    assert_eq!(
        b.stderr_text(),
        "--- Logging error ---\nOSError: disk on fire\nMessage: 'lost?'\nArguments: ()\n"
    );
    b.console.set_failure(None);
    b.root.warning("after", ());
    b.assert_lines(&[("root", "WARNING", "after")]);
}

#[test]
fn extra_that_overwrites_a_record_attribute_is_reported_and_the_record_not_emitted() {
    let b = Base::new();
    b.root.log_with(
        INFO,
        "with bad extra",
        (),
        LogOptions::new().extra("msg", "x").extra("ok", 1),
    );
    assert_eq!(
        b.stderr_text(),
        "--- Logging error ---\nKeyError: \"Attempt to overwrite 'msg' in LogRecord\"\n\
         Message: 'with bad extra'\nArguments: ()\n"
    );
    // CPython raises the KeyError and emits nothing.
    b.assert_lines(&[]);
}

#[test]
fn handler_that_logs_into_itself_is_refused_not_recursed() {
    let b = Base::new();
    let l = b.logger("loop");
    let inner = l.clone();
    let h = Rc::new(FnHandler::new(move |text: &str, _r: &LogRecord| {
        inner.warning("echo: %s", (text.to_owned(),));
        Ok(())
    }));
    l.add_handler(h);
    l.warning("start", ());
    // The first record reaches root's handler; the echo reaches root's handler too, and the
    // re-entry into the FnHandler is reported.
    b.assert_lines(&[
        ("loop", "WARNING", "echo: start"),
        ("loop", "WARNING", "start"),
    ]);
    assert!(b
        .stderr_text()
        .contains("RuntimeError: handler re-entered while emitting"));
}

#[test]
fn handler_may_remove_itself_while_handling() {
    let b = Base::new();
    let l = b.logger("self.remove");
    let slot: Rc<RefCell<Option<Rc<dyn Handler>>>> = Rc::new(RefCell::new(None));
    let (lc, sc) = (l.clone(), slot.clone());
    let h: Rc<dyn Handler> = Rc::new(FnHandler::new(move |_t: &str, _r: &LogRecord| {
        if let Some(me) = sc.borrow().as_ref() {
            lc.remove_handler(me);
        }
        Ok(())
    }));
    *slot.borrow_mut() = Some(h.clone());
    l.add_handler(h);
    l.warning("one", ());
    l.warning("two", ());
    assert!(l.handlers().is_empty());
    assert_eq!(b.lines().len(), 2);
}

#[test]
fn console_handler_writes_text_and_terminator_in_one_write() {
    let b = Base::new();
    b.handler.set_terminator("\r\n");
    b.root.info("a", ());
    let lines = b.console.lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].text, "root -> INFO: a\r\n");
    assert_eq!(lines[0].levelno, Some(INFO));
    assert_eq!(lines[0].stream, Stream::Stdout);
}

#[test]
fn default_console_handler_goes_to_the_hosts_stderr() {
    let b = Base::new();
    let h = Rc::new(ConsoleHandler::stderr());
    let l = b.logger("to.stderr");
    l.set_propagate(false);
    l.add_handler(h);
    l.set_level(DEBUG).unwrap();
    l.debug("hi %s", ("there",));
    assert_eq!(b.stderr_text(), "hi there\n");
}

#[test]
fn dict_arg_is_used_as_mapping_like_log_record_test_dict_arg() {
    let b = Base::new();
    let d = Value::dict([("less", Value::from("more"))]);
    b.root.warning("less is %(less)s", (d.clone(),));
    b.assert_lines(&[("root", "WARNING", "less is more")]);
    // An empty dict is not unwrapped: it is an ordinary positional argument.
    b.root
        .warning("%s", (Value::dict(Vec::<(&str, Value)>::new()),));
    assert_eq!(b.lines()[1], "root -> WARNING: {}");
}

#[test]
fn caller_location_is_the_call_site_for_loggers_adapters_and_macros() {
    let b = Base::new();
    b.handler.core().set_formatter(Some(Rc::new(
        wasm_logging::Formatter::new("%(filename)s:%(lineno)d %(funcName)s %(message)s").unwrap(),
    )));
    let l = b.logger("loc");
    let a = wasm_logging::LoggerAdapter::new(l.clone(), vec![]);
    let line = line!();
    l.info("method", ());
    a.warning("adapter", ());
    wasm_logging::info!(l, "macro %d", 1);
    assert_eq!(
        b.lines(),
        vec![
            format!("handlers.rs:{} (unknown function) method", line + 1),
            format!("handlers.rs:{} (unknown function) adapter", line + 2),
            format!(
                "handlers.rs:{} caller_location_is_the_call_site_for_loggers_adapters_and_macros macro 1",
                line + 3
            ),
        ]
    );
}
