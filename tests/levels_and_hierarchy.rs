//! Ported from CPython's `BuiltinLevelsTest`, `ChildLoggerTest`, `ManagerTest` and
//! `ModuleLevelMiscTest.test_disable`: levels, inheritance, placeholders and the cache.

mod common;

use common::Base;
use wasm_logging::{
    add_level_name, check_level, level_name, level_number, LoggerAdapter, Manager, CRITICAL, DEBUG,
    ERROR, INFO, NOTSET, WARNING,
};

#[test]
fn flat_namespace_levels_filter_each_logger() {
    let b = Base::new();
    let err = b.logger("ERR");
    err.set_level(ERROR).unwrap();
    let inf = LoggerAdapter::new(b.logger("INF"), vec![]);
    b.logger("INF").set_level(INFO).unwrap();
    let deb = b.logger("DEB");
    deb.set_level(DEBUG).unwrap();

    err.log(CRITICAL, b.m(), ());
    err.error(b.m(), ());
    inf.log(CRITICAL, b.m(), ());
    inf.error(b.m(), ());
    inf.warning(b.m(), ());
    inf.info(b.m(), ());
    deb.log(CRITICAL, b.m(), ());
    deb.error(b.m(), ());
    deb.warning(b.m(), ());
    deb.info(b.m(), ());
    deb.debug(b.m(), ());
    // These should not log.
    err.warning(b.m(), ());
    err.info(b.m(), ());
    err.debug(b.m(), ());
    inf.debug(b.m(), ());

    b.assert_lines(&[
        ("ERR", "CRITICAL", "1"),
        ("ERR", "ERROR", "2"),
        ("INF", "CRITICAL", "3"),
        ("INF", "ERROR", "4"),
        ("INF", "WARNING", "5"),
        ("INF", "INFO", "6"),
        ("DEB", "CRITICAL", "7"),
        ("DEB", "ERROR", "8"),
        ("DEB", "WARNING", "9"),
        ("DEB", "INFO", "10"),
        ("DEB", "DEBUG", "11"),
    ]);
}

#[test]
fn nested_explicit_levels_apply_to_the_child() {
    let b = Base::new();
    b.logger("INF").set_level(INFO).unwrap();
    let inf_err = b.logger("INF.ERR");
    inf_err.set_level(ERROR).unwrap();
    inf_err.log(CRITICAL, b.m(), ());
    inf_err.error(b.m(), ());
    inf_err.warning(b.m(), ());
    inf_err.info(b.m(), ());
    inf_err.debug(b.m(), ());
    b.assert_lines(&[("INF.ERR", "CRITICAL", "1"), ("INF.ERR", "ERROR", "2")]);
}

#[test]
fn unset_levels_are_inherited_from_the_nearest_ancestor() {
    let b = Base::new();
    b.logger("INF").set_level(INFO).unwrap();
    b.logger("INF.ERR").set_level(ERROR).unwrap();
    let inf_undef = b.logger("INF.UNDEF");
    let inf_err_undef = b.logger("INF.ERR.UNDEF");
    let _undef = b.logger("UNDEF");

    inf_undef.log(CRITICAL, b.m(), ());
    inf_undef.error(b.m(), ());
    inf_undef.warning(b.m(), ());
    inf_undef.info(b.m(), ());
    inf_err_undef.log(CRITICAL, b.m(), ());
    inf_err_undef.error(b.m(), ());
    inf_undef.debug(b.m(), ());
    inf_err_undef.warning(b.m(), ());
    inf_err_undef.info(b.m(), ());
    inf_err_undef.debug(b.m(), ());

    b.assert_lines(&[
        ("INF.UNDEF", "CRITICAL", "1"),
        ("INF.UNDEF", "ERROR", "2"),
        ("INF.UNDEF", "WARNING", "3"),
        ("INF.UNDEF", "INFO", "4"),
        ("INF.ERR.UNDEF", "CRITICAL", "5"),
        ("INF.ERR.UNDEF", "ERROR", "6"),
    ]);
}

#[test]
fn child_created_before_parent_is_relinked() {
    let b = Base::new();
    let inf = b.logger("INF");
    let grandchild = b.logger("INF.BADPARENT.UNDEF");
    let child = b.logger("INF.BADPARENT");
    inf.set_level(INFO).unwrap();

    assert!(grandchild.parent().unwrap().ptr_eq(&child));
    assert!(child.parent().unwrap().ptr_eq(&inf));

    grandchild.log(CRITICAL, b.m(), ());
    grandchild.info(b.m(), ());
    child.log(CRITICAL, b.m(), ());
    child.info(b.m(), ());
    grandchild.debug(b.m(), ());
    child.debug(b.m(), ());
    b.assert_lines(&[
        ("INF.BADPARENT.UNDEF", "CRITICAL", "1"),
        ("INF.BADPARENT.UNDEF", "INFO", "2"),
        ("INF.BADPARENT", "CRITICAL", "3"),
        ("INF.BADPARENT", "INFO", "4"),
    ]);
}

#[test]
fn relinking_keeps_children_that_already_point_below_the_new_logger() {
    // _fixupChildren only re-parents a child whose parent's name does not start with the new
    // logger's name.
    let m = Manager::new();
    let abc = m.get_logger("a.b.c");
    let ab = m.get_logger("a.b");
    let a = m.get_logger("a");
    assert!(abc.parent().unwrap().ptr_eq(&ab));
    assert!(ab.parent().unwrap().ptr_eq(&a));
    assert!(a.parent().unwrap().ptr_eq(&m.root()));
    // A placeholder-only name is not a logger.
    let m2 = Manager::new();
    let _x = m2.get_logger("x.y.z");
    assert!(!m2.has_logger("x.y"));
    assert_eq!(m2.logger_names(), vec!["x.y.z".to_owned()]);
}

#[test]
fn odd_names_with_consecutive_and_leading_dots_link_like_cpython() {
    // CPython searches name[0:i-1] after each dot, so "a..b" creates the placeholder "a."
    // but never "a"; ".x" (dot at 0) goes straight to the root.
    let m = Manager::new();
    let a = m.get_logger("a");
    let ab = m.get_logger("a..b");
    assert!(ab.parent().unwrap().ptr_eq(&m.root()));
    assert!(!a.ptr_eq(&ab.parent().unwrap()));
    let dotted = m.get_logger(".x");
    assert!(dotted.parent().unwrap().ptr_eq(&m.root()));
    let uni = m.get_logger("é.ü.x");
    assert!(uni.parent().unwrap().ptr_eq(&m.root()));
    let e = m.get_logger("é");
    assert!(m.get_logger("é.ü.x").parent().unwrap().ptr_eq(&e));
}

#[test]
fn level_names_resolve_both_ways_as_get_level_name_does() {
    assert_eq!(level_number("INFO"), Some(INFO));
    assert_eq!(level_name(INFO), "INFO");
    assert_eq!(level_number("FATAL"), Some(CRITICAL));
    assert_eq!(level_name(NOTSET), "NOTSET");
    assert_eq!(level_number("NOTSET"), Some(NOTSET));
    assert_eq!(level_name(7), "Level 7");
}

#[test]
fn empty_level_name_is_allowed_regression_29220() {
    add_level_name(INFO, "");
    assert_eq!(level_name(INFO), "");
    assert_eq!(level_name(NOTSET), "NOTSET");
    add_level_name(INFO, "INFO");
}

#[test]
fn set_level_accepts_registered_names_and_rejects_unknown_ones() {
    let b = Base::new();
    let l = b.logger("lv");
    l.set_level("ERROR").unwrap();
    assert_eq!(l.level(), ERROR);
    let err = l.set_level("NOPE").unwrap_err();
    assert_eq!(err.to_string(), "ValueError: Unknown level: 'NOPE'");
    assert_eq!(l.level(), ERROR, "a failed set_level changes nothing");
    assert_eq!(check_level(35), Ok(35));
}

#[test]
fn child_loggers_are_the_same_objects_as_get_logger_gives() {
    let m = Manager::new();
    let r = m.root();
    let l1 = m.get_logger("abc");
    let _l2 = m.get_logger("def.ghi");
    assert!(r.get_child("xyz").ptr_eq(&m.get_logger("xyz")));
    assert!(r.get_child("uvw.xyz").ptr_eq(&m.get_logger("uvw.xyz")));
    let c1 = l1.get_child("def");
    let c2 = c1.get_child("ghi");
    let c3 = l1.get_child("def.ghi");
    assert!(c1.ptr_eq(&m.get_logger("abc.def")));
    assert!(c2.ptr_eq(&m.get_logger("abc.def.ghi")));
    assert!(c2.ptr_eq(&c3));
}

#[test]
fn get_children_returns_only_direct_children() {
    let m = Manager::new();
    let r = m.root();
    let l1 = m.get_logger("foo");
    let l2 = m.get_logger("foo.bar");
    let _l3 = m.get_logger("foo.bar.baz.bozz");
    let l4 = m.get_logger("bar");
    let kids = r.get_children();
    assert!(kids.iter().any(|k| k.ptr_eq(&l1)));
    assert!(kids.iter().any(|k| k.ptr_eq(&l4)));
    assert!(!kids.iter().any(|k| k.ptr_eq(&l2)));
    let kids = l1.get_children();
    assert_eq!(kids.len(), 1);
    assert!(kids[0].ptr_eq(&l2));
    // foo.bar.baz.bozz hangs off foo.bar through a placeholder: not a direct child.
    assert!(l2.get_children().is_empty());
}

#[test]
fn module_get_logger_maps_empty_and_root_names_to_the_root() {
    let m = Manager::new();
    assert!(m.get_logger_or_root(None).is_root());
    assert!(m.get_logger_or_root(Some("")).is_root());
    assert!(m.get_logger_or_root(Some("root")).is_root());
    // The manager itself makes a logger literally called "root" (as CPython's does).
    let named_root = m.get_logger("root");
    assert!(!named_root.is_root());
    assert_eq!(format!("{:?}", m.root()), "<RootLogger root (WARNING)>");
    assert_eq!(format!("{named_root:?}"), "<Logger root (WARNING)>");
}

#[test]
fn disable_suppresses_at_and_below_the_level_and_is_undone_by_notset() {
    let b = Base::new();
    let l = b.logger("dis");
    b.manager.disable(WARNING);
    l.warning(b.m(), ());
    l.error(b.m(), ());
    assert!(!l.is_enabled_for(WARNING));
    b.manager.disable(NOTSET);
    l.warning(b.m(), ());
    b.assert_lines(&[("dis", "ERROR", "2"), ("dis", "WARNING", "3")]);
}

#[test]
fn effective_level_cache_is_cleared_by_any_level_change() {
    let m = Manager::new();
    let parent = m.get_logger("p");
    let child = m.get_logger("p.c.d");
    assert!(!child.is_enabled_for(INFO)); // root WARNING, cached
    parent.set_level(INFO).unwrap();
    assert!(
        child.is_enabled_for(INFO),
        "a parent's change reaches the cached child"
    );
    m.root().set_level(DEBUG).unwrap();
    assert!(
        !child.is_enabled_for(DEBUG),
        "p's INFO is nearer than root's DEBUG"
    );
    // A logger created between them afterwards re-links without changing the result.
    let mid = m.get_logger("p.c");
    assert!(child.parent().unwrap().ptr_eq(&mid));
    mid.set_level(ERROR).unwrap();
    assert!(!child.is_enabled_for(WARNING));
    assert!(child.is_enabled_for(ERROR));
    child.set_disabled(true);
    assert!(!child.is_enabled_for(CRITICAL));
}

#[test]
fn level_zero_records_are_never_emitted() {
    // CPython: manager.disable (0) >= level (0) → not enabled.
    let b = Base::new();
    b.root.set_level(NOTSET).unwrap();
    b.root.log(0, "zero", ());
    b.root.log(1, "one", ());
    b.assert_lines(&[("root", "Level 1", "one")]);
}
