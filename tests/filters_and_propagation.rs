//! Ported from CPython's `BasicFilterTest` and `CustomLevelsAndFiltersTest`, plus the
//! propagation rules DESIGN.md pins: an ancestor's *handlers* apply their own level and
//! filters; an ancestor *logger's* level and filters are not re-checked.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::Base;
use wasm_logging::{
    add_level_name, all_of, any_of, filter_fn, not, ConsoleHandler, Filter, FilterResult, Handler,
    LogRecord, MemoryConsole, NameFilter, Stream, Value, DEBUG, ERROR, INFO, NOTSET, WARNING,
};

const SILENT: i64 = 120;
const TACITURN: i64 = 119;
const TERSE: i64 = 118;
const EFFUSIVE: i64 = 117;
const SOCIABLE: i64 = 116;
const VERBOSE: i64 = 115;
const TALKATIVE: i64 = 114;
const GARRULOUS: i64 = 113;
const CHATTERBOX: i64 = 112;
const BORING: i64 = 111;

fn custom_levels() {
    for (l, n) in [
        (SILENT, "Silent"),
        (TACITURN, "Taciturn"),
        (TERSE, "Terse"),
        (EFFUSIVE, "Effusive"),
        (SOCIABLE, "Sociable"),
        (VERBOSE, "Verbose"),
        (TALKATIVE, "Talkative"),
        (GARRULOUS, "Garrulous"),
        (CHATTERBOX, "Chatterbox"),
        (BORING, "Boring"),
    ] {
        add_level_name(l, n);
    }
}

fn log_at_all_levels(b: &Base) {
    for lvl in BORING..=SILENT {
        b.root.log(lvl, b.m(), ());
    }
}

#[test]
fn name_filter_passes_the_named_logger_and_its_descendants() {
    let b = Base::new();
    let f: Rc<dyn Filter> = Rc::new(NameFilter::new("spam.eggs"));
    b.handler.core().add_filter(f.clone());
    b.logger("spam").info(b.m(), ());
    b.logger("spam.eggs").info(b.m(), ());
    b.logger("spam.eggs.fish").info(b.m(), ());
    b.logger("spam.bakedbeans").info(b.m(), ());
    b.logger("spam.eggsandham").info(b.m(), ());
    b.assert_lines(&[("spam.eggs", "INFO", "2"), ("spam.eggs.fish", "INFO", "3")]);
    b.handler.core().remove_filter(&f);
    b.logger("spam").info(b.m(), ());
    assert_eq!(b.lines().len(), 3);
}

#[test]
fn callable_filter_decides_like_a_filter_object() {
    let b = Base::new();
    b.handler.core().add_filter(filter_fn(|r: &mut LogRecord| {
        let prefix: Vec<&str> = r.name.split('.').take(2).collect();
        prefix.join(".") == "spam.eggs"
    }));
    b.logger("spam").info(b.m(), ());
    b.logger("spam.eggs").info(b.m(), ());
    b.logger("spam.eggs.fish").info(b.m(), ());
    b.logger("spam.bakedbeans").info(b.m(), ());
    b.assert_lines(&[("spam.eggs", "INFO", "2"), ("spam.eggs.fish", "INFO", "3")]);
}

#[test]
fn empty_name_filter_passes_everything() {
    assert!(NameFilter::new("").passes("spam.eggs"));
    assert!(NameFilter::new("a").passes("a"));
    assert!(!NameFilter::new("a.b").passes("a"));
}

#[test]
fn handler_filter_replacing_record_affects_only_that_handler() {
    let b = Base::new();
    let parent = b.logger("parent");
    let child = b.logger("parent.child");
    let s1 = Rc::new(MemoryConsole::new());
    let s2 = Rc::new(MemoryConsole::new());
    let h1 = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, s1.clone()));
    let h2 = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, s2.clone()));
    h2.core().add_filter(filter_fn(|r: &mut LogRecord| {
        let mut copy = r.clone();
        copy.msg = Value::from("new message!");
        FilterResult::Replace(Box::new(copy))
    }));
    parent.add_handler(h1);
    child.add_handler(h2);
    child.info("original message", ());
    assert_eq!(s1.text(Stream::Stdout), "original message\n");
    assert_eq!(s2.text(Stream::Stdout), "new message!\n");
}

#[test]
fn logger_filters_each_see_the_previous_replacement() {
    let b = Base::new();
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = b.logger("logger");
    l.set_level(INFO).unwrap();
    for tag in ["a", "b"] {
        let seen = seen.clone();
        l.add_filter(filter_fn(move |r: &mut LogRecord| {
            seen.borrow_mut().push(r.get_message().unwrap());
            let mut copy = r.clone();
            copy.msg = Value::from(format!("{}+{tag}", r.get_message().unwrap()));
            FilterResult::Replace(Box::new(copy))
        }));
    }
    l.info("msg", ());
    assert_eq!(*seen.borrow(), vec!["msg".to_owned(), "msg+a".to_owned()]);
    b.assert_lines(&[("logger", "INFO", "msg+a+b")]);
}

#[test]
fn logger_level_filters_custom_levels() {
    custom_levels();
    let b = Base::new();
    b.root.set_level(VERBOSE).unwrap();
    log_at_all_levels(&b);
    b.assert_level_lines(&[
        ("Verbose", "5"),
        ("Sociable", "6"),
        ("Effusive", "7"),
        ("Terse", "8"),
        ("Taciturn", "9"),
        ("Silent", "10"),
    ]);
}

#[test]
fn handler_level_filters_custom_levels() {
    custom_levels();
    let b = Base::new();
    b.handler.core().set_level(SOCIABLE).unwrap();
    log_at_all_levels(&b);
    b.assert_level_lines(&[
        ("Sociable", "6"),
        ("Effusive", "7"),
        ("Terse", "8"),
        ("Taciturn", "9"),
        ("Silent", "10"),
    ]);
    b.handler.core().set_level(NOTSET).unwrap();
}

#[test]
fn handler_and_logger_filters_combine() {
    custom_levels();
    let b = Base::new();
    b.handler
        .core()
        .add_filter(filter_fn(|r: &mut LogRecord| r.levelno != GARRULOUS));
    log_at_all_levels(&b);
    let first = vec![
        ("Boring", "1"),
        ("Chatterbox", "2"),
        ("Talkative", "4"),
        ("Verbose", "5"),
        ("Sociable", "6"),
        ("Effusive", "7"),
        ("Terse", "8"),
        ("Taciturn", "9"),
        ("Silent", "10"),
    ];
    b.assert_level_lines(&first);
    let specific = filter_fn(|r: &mut LogRecord| ![SOCIABLE, TACITURN].contains(&r.levelno));
    b.root.add_filter(specific.clone());
    log_at_all_levels(&b);
    let mut all = first.clone();
    all.extend([
        ("Boring", "11"),
        ("Chatterbox", "12"),
        ("Talkative", "14"),
        ("Verbose", "15"),
        ("Effusive", "17"),
        ("Terse", "18"),
        ("Silent", "20"),
    ]);
    b.assert_level_lines(&all);
    b.root.remove_filter(&specific);
}

#[test]
fn ancestor_logger_level_is_not_rechecked_during_propagation() {
    let b = Base::new();
    b.root.set_level(ERROR).unwrap();
    let child = b.logger("app.child");
    child.set_level(DEBUG).unwrap();
    // The root's level is ERROR but its handler still gets the DEBUG record from the child.
    child.debug("from child", ());
    b.root.debug("from root", ());
    b.assert_lines(&[("app.child", "DEBUG", "from child")]);
}

#[test]
fn ancestor_logger_filters_are_not_applied_to_propagated_records() {
    let b = Base::new();
    b.root.add_filter(filter_fn(|_: &mut LogRecord| false));
    b.logger("x").warning("propagated", ());
    b.root.warning("direct", ());
    b.assert_lines(&[("x", "WARNING", "propagated")]);
}

#[test]
fn ancestor_handler_level_and_filters_do_apply() {
    let b = Base::new();
    b.handler.core().set_level(WARNING).unwrap();
    let l = b.logger("y");
    l.set_level(DEBUG).unwrap();
    l.info("dropped by the root handler's level", ());
    l.warning("kept", ());
    b.assert_lines(&[("y", "WARNING", "kept")]);
}

#[test]
fn propagate_false_stops_at_the_logger() {
    let b = Base::new();
    let s = Rc::new(MemoryConsole::new());
    let l = b.logger("quiet");
    l.add_handler(Rc::new(ConsoleHandler::with_sink(
        Stream::Stdout,
        s.clone(),
    )));
    l.set_propagate(false);
    l.warning("only local", ());
    b.logger("quiet.child")
        .warning("child reaches quiet only", ());
    assert_eq!(
        s.text(Stream::Stdout),
        "only local\nchild reaches quiet only\n"
    );
    b.assert_lines(&[]);
    assert!(b.logger("quiet.child").has_handlers());
    l.remove_handler(&(l.handlers()[0].clone()));
    assert!(!b.logger("quiet.child").has_handlers());
}

#[test]
fn disabled_logger_handles_nothing_but_children_still_propagate() {
    let b = Base::new();
    let p = b.logger("p");
    p.set_disabled(true);
    p.error("dropped", ());
    b.logger("p.c")
        .error("still propagates past a disabled parent", ());
    b.assert_lines(&[("p.c", "ERROR", "still propagates past a disabled parent")]);
}

#[test]
fn filters_may_add_attributes_used_by_the_format() {
    let b = Base::new();
    b.handler.core().set_formatter(Some(Rc::new(
        wasm_logging::Formatter::new("%(ip)s %(user)s %(message)s").unwrap(),
    )));
    b.handler.core().add_filter(filter_fn(|r: &mut LogRecord| {
        r.set_attr("ip", Value::from("10.0.0.1")).unwrap();
        r.set_attr("user", Value::from("fred")).unwrap();
        true
    }));
    b.root.info("hello", ());
    assert_eq!(b.lines(), vec!["10.0.0.1 fred hello"]);
}

#[test]
fn composed_filters_short_circuit() {
    let b = Base::new();
    let is_warning_or_below = filter_fn(|r: &mut LogRecord| r.levelno <= WARNING);
    let from_net: Rc<dyn Filter> = Rc::new(NameFilter::new("net"));
    b.handler.core().add_filter(all_of(vec![
        is_warning_or_below.clone(),
        not(from_net.clone()),
    ]));
    b.logger("net").info("a", ());
    b.logger("db").info("b", ());
    b.logger("db").error("c", ());
    b.assert_lines(&[("db", "INFO", "b")]);
    let either = any_of(vec![
        from_net,
        filter_fn(|r: &mut LogRecord| r.levelno >= ERROR),
    ]);
    let mut r = b.root.make_record(
        INFO,
        wasm_logging::Location::unknown(),
        Value::from("x"),
        vec![],
        None,
    );
    assert!(matches!(either.filter(&mut r), FilterResult::Reject));
    r.levelno = ERROR;
    assert!(matches!(either.filter(&mut r), FilterResult::Accept));
}
