//! Levels: CPython's numbers, the name registry (`addLevelName` / `getLevelName`) and
//! `_checkLevel`.
//!
//! Levels are plain integers compared as integers, so the hot-path check in
//! [`Logger::is_enabled_for`](super::logger::Logger::is_enabled_for) stays a load, a
//! comparison and a jump. The registry is per thread, like CPython's module globals are per
//! interpreter: the core never runs on more than one thread.

use std::cell::RefCell;

use super::error::{Error, Result};
use super::value::Text;

/// `logging.NOTSET`.
pub const NOTSET: i64 = 0;
/// `logging.DEBUG`.
pub const DEBUG: i64 = 10;
/// `logging.INFO`.
pub const INFO: i64 = 20;
/// `logging.WARNING` (and `WARN`).
pub const WARNING: i64 = 30;
/// `logging.ERROR`.
pub const ERROR: i64 = 40;
/// `logging.CRITICAL` (and `FATAL`).
pub const CRITICAL: i64 = 50;

struct Registry {
    // Both directions, in registration order. A handful of entries: a linear scan beats hashing.
    level_to_name: Vec<(i64, Text)>,
    name_to_level: Vec<(Text, i64)>,
}

impl Registry {
    fn new() -> Self {
        let level_to_name = vec![
            (CRITICAL, Text::Static("CRITICAL")),
            (ERROR, Text::Static("ERROR")),
            (WARNING, Text::Static("WARNING")),
            (INFO, Text::Static("INFO")),
            (DEBUG, Text::Static("DEBUG")),
            (NOTSET, Text::Static("NOTSET")),
        ];
        let name_to_level = vec![
            (Text::Static("CRITICAL"), CRITICAL),
            (Text::Static("FATAL"), CRITICAL),
            (Text::Static("ERROR"), ERROR),
            (Text::Static("WARN"), WARNING),
            (Text::Static("WARNING"), WARNING),
            (Text::Static("INFO"), INFO),
            (Text::Static("DEBUG"), DEBUG),
            (Text::Static("NOTSET"), NOTSET),
        ];
        Registry {
            level_to_name,
            name_to_level,
        }
    }
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::new());
}

/// `logging.addLevelName(level, name)`: associates `name` with `level` both ways.
pub fn add_level_name(level: i64, name: impl Into<Text>) {
    let name = name.into();
    REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        match r.level_to_name.iter_mut().find(|(l, _)| *l == level) {
            Some(slot) => slot.1 = name.clone(),
            None => r.level_to_name.push((level, name.clone())),
        }
        match r.name_to_level.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = level,
            None => r.name_to_level.push((name, level)),
        }
    })
}

/// The name of a level, as `logging.getLevelName(int)` returns it: the registered name, or
/// `"Level N"` for an unregistered number.
pub fn level_name(level: i64) -> Text {
    // Fast path for the built-in names, unless one has been re-registered: the registry holds
    // them first, so the scan finds them in one or two steps.
    REGISTRY
        .with(|r| {
            r.borrow()
                .level_to_name
                .iter()
                .find(|(l, _)| *l == level)
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_else(|| Text::from(format!("Level {level}")))
}

/// The number of a level name, as `logging.getLevelName(str)` returns it, if registered.
pub fn level_number(name: &str) -> Option<i64> {
    REGISTRY.with(|r| {
        r.borrow()
            .name_to_level
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, l)| *l)
    })
}

/// `logging.getLevelNamesMapping()`: every registered name and its number.
pub fn level_names_mapping() -> Vec<(Text, i64)> {
    REGISTRY.with(|r| r.borrow().name_to_level.clone())
}

/// A level given either as a number or as a registered name (CPython accepts both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelSpec {
    /// A numeric level.
    Number(i64),
    /// A level name such as `"INFO"`.
    Name(String),
}

impl From<i64> for LevelSpec {
    fn from(n: i64) -> Self {
        LevelSpec::Number(n)
    }
}
impl From<i32> for LevelSpec {
    fn from(n: i32) -> Self {
        LevelSpec::Number(n.into())
    }
}
impl From<&str> for LevelSpec {
    fn from(s: &str) -> Self {
        LevelSpec::Name(s.to_owned())
    }
}
impl From<String> for LevelSpec {
    fn from(s: String) -> Self {
        LevelSpec::Name(s)
    }
}

/// `logging._checkLevel`: a number is taken as is; a name must be registered
/// (`ValueError: Unknown level: 'LOUD'`).
pub fn check_level(level: impl Into<LevelSpec>) -> Result<i64> {
    match level.into() {
        LevelSpec::Number(n) => Ok(n),
        LevelSpec::Name(name) => level_number(&name).ok_or_else(|| {
            let mut repr = String::new();
            super::pyfmt::write_str_repr(&name, &mut repr);
            Error::value_error(format!("Unknown level: {repr}"))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_map_both_ways() {
        assert_eq!(level_name(INFO), "INFO");
        assert_eq!(level_name(CRITICAL), "CRITICAL");
        assert_eq!(level_number("WARN"), Some(WARNING));
        assert_eq!(level_number("FATAL"), Some(CRITICAL));
        assert_eq!(level_name(25), "Level 25");
        assert_eq!(level_number("Level 25"), None);
    }

    #[test]
    fn added_level_name_maps_both_ways_and_can_rename_builtin() {
        add_level_name(25, "NOTICE");
        assert_eq!(level_name(25), "NOTICE");
        assert_eq!(check_level("NOTICE"), Ok(25));
        add_level_name(INFO, "INFORMATION");
        assert_eq!(level_name(INFO), "INFORMATION");
        // The old name keeps resolving, as in CPython (the dict entry is not removed).
        assert_eq!(level_number("INFO"), Some(INFO));
    }

    #[test]
    fn unknown_level_name_is_a_value_error() {
        let err = check_level("LOUD").unwrap_err();
        assert_eq!(err.to_string(), "ValueError: Unknown level: 'LOUD'");
    }
}
