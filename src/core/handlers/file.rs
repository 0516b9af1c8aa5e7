//! `FileHandler` and `RotatingFileHandler` over a [`StorageSink`]: CPython's file handlers
//! with a named log in host storage standing for the file.
//!
//! The rules are CPython 3.13's, step for step: `mode='w'` truncates when the log is opened
//! (at construction, or at the first record with `delay`); a closed `'w'` handler writes
//! nothing more (bpo-42378) while an `'a'` handler reopens; `shouldRollover` never rolls an
//! empty log over (gh-116263) and compares the log's size plus the length of
//! `format(record) + "\n"` *in characters* with `maxBytes`, as CPython does; `doRollover`
//! shifts `name.N-1` → `name.N` down to `name.1`, through the `namer` and `rotator` hooks.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::core::error::{Error, Result};
use crate::core::handler::{Handler, HandlerCore};
use crate::core::record::LogRecord;
use crate::core::sink::StorageSink;
use crate::core::value::Text;

/// How a [`FileHandler`] opens its log: CPython's `mode` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// `'a'`: append to what is there.
    Append,
    /// `'w'`: empty the log when it is opened.
    Write,
}

impl FileMode {
    /// Parses CPython's mode string. Text modes `a`/`w` (with optional `t` or `+`) are
    /// accepted; binary modes cannot take formatted text and read modes cannot log.
    pub fn parse(mode: &str) -> Result<FileMode> {
        let mut chars = mode.chars();
        let base = match chars.next() {
            Some('a') => FileMode::Append,
            Some('w') => FileMode::Write,
            _ => {
                return Err(Error::value_error(format!(
                    "invalid mode: '{mode}' (use 'a' or 'w')"
                )))
            }
        };
        let mut seen = String::new();
        for c in chars {
            if !matches!(c, 't' | '+') || seen.contains(c) {
                return Err(Error::value_error(format!(
                    "invalid mode: '{mode}' (use 'a' or 'w')"
                )));
            }
            seen.push(c);
        }
        Ok(base)
    }

    /// The mode letter.
    pub fn as_str(self) -> &'static str {
        match self {
            FileMode::Append => "a",
            FileMode::Write => "w",
        }
    }
}

/// `logging.FileHandler(filename, mode='a', delay=False)` over host storage: each record is
/// `format(record) + terminator`, UTF-8 encoded and appended to the log `filename`.
pub struct FileHandler {
    pub(super) core: HandlerCore,
    storage: Rc<dyn StorageSink>,
    pub(super) base_filename: Text,
    mode: FileMode,
    pub(super) delay: bool,
    /// CPython's `self.stream is not None`: the log has been opened and not closed since.
    open: Cell<bool>,
    pub(super) terminator: RefCell<Text>,
}

impl fmt::Debug for FileHandler {
    /// CPython's repr: `<FileHandler app.log (NOTSET)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<FileHandler {} ({})>",
            self.base_filename,
            crate::core::level::level_name(self.core.level())
        )
    }
}

impl FileHandler {
    /// `FileHandler(filename, mode, delay=delay)`. Without `delay` the log is opened now:
    /// created if missing, emptied if `mode` is `'w'`; a storage failure is returned, as
    /// CPython's constructor raises it.
    pub fn new(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        mode: &str,
        delay: bool,
    ) -> Result<Self> {
        let handler = Self::unopened(storage, filename, mode, delay)?;
        if !delay {
            handler.open()?;
        }
        Ok(handler)
    }

    /// The handler [`FileHandler::new`] builds, before it opens the log: nothing touches
    /// storage until [`FileHandler::open`] or the first record. Configurations use this to
    /// stay atomic (build everything, commit, then open).
    pub fn unopened(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        mode: &str,
        delay: bool,
    ) -> Result<Self> {
        let filename: Text = filename.into();
        let base_filename = Text::from(storage.resolve(&filename)?);
        Ok(FileHandler {
            core: HandlerCore::default(),
            storage,
            base_filename,
            mode: FileMode::parse(mode)?,
            delay,
            open: Cell::new(false),
            terminator: RefCell::new(Text::Static("\n")),
        })
    }

    /// `baseFilename`: the log's name in storage.
    pub fn base_filename(&self) -> &str {
        &self.base_filename
    }

    /// The mode the log is opened with.
    pub fn mode(&self) -> FileMode {
        self.mode
    }

    /// `delay`.
    pub fn delay(&self) -> bool {
        self.delay
    }

    /// The storage the log lives in.
    pub fn storage(&self) -> &Rc<dyn StorageSink> {
        &self.storage
    }

    /// `terminator` (default `"\n"`).
    pub fn set_terminator(&self, terminator: impl Into<Text>) {
        *self.terminator.borrow_mut() = terminator.into();
    }

    /// Whether the log is open (CPython: `handler.stream is not None`).
    pub fn is_open(&self) -> bool {
        self.open.get()
    }

    /// `_open()`: opens the log now — creates it, emptying it for `'w'`. A delayed handler
    /// does this at its first record; a configuration that builds handlers delayed, so
    /// that refusing it leaves no trace in storage, calls it once the configuration is
    /// committed.
    pub fn open(&self) -> Result<()> {
        match self.mode {
            FileMode::Append => self.storage.append(&self.base_filename, b"")?,
            FileMode::Write => self.storage.truncate(&self.base_filename)?,
        }
        self.open.set(true);
        Ok(())
    }

    /// `stream.close()` without closing the handler (what `doRollover` does first).
    pub(super) fn close_stream(&self) -> Result<()> {
        if self.open.replace(false) {
            self.storage.flush(&self.base_filename)?;
        }
        Ok(())
    }

    /// `stream.tell()`: the position an append-mode stream is at, the log's size.
    fn tell(&self) -> Result<u64> {
        Ok(self.storage.size(&self.base_filename)?.unwrap_or(0))
    }
}

impl Handler for FileHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    /// `FileHandler.emit`: reopens a log closed earlier unless it was opened with `'w'`
    /// (which would empty it again, bpo-42378), then `StreamHandler.emit`.
    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        if !self.open.get() {
            if self.mode == FileMode::Write && self.core.is_closed() {
                return Ok(());
            }
            self.open()?;
        }
        let mut text = self.core.format(record)?;
        text.push_str(&self.terminator.borrow());
        // One append per record: text and terminator never interleave with another writer.
        let r = self.storage.append(&self.base_filename, text.as_bytes());
        crate::core::pool::give_string(text);
        r?;
        self.storage.flush(&self.base_filename)
    }

    fn flush(&self) -> Result<()> {
        if self.open.get() {
            self.storage.flush(&self.base_filename)?;
        }
        Ok(())
    }

    fn set_attribute(&self, name: &str, value: &crate::core::value::Value) -> Result<()> {
        super::stream::terminator_attribute("FileHandler", name, value, &self.terminator)
    }

    fn close(&self) {
        if let Err(e) = self.close_stream() {
            crate::core::handler::report_error(None, &e);
        }
        self.core.mark_closed();
    }
}

/// `BaseRotatingHandler.namer`: maps the default name of a backup (`app.log.1`) to the name
/// actually used (`app.log.1.gz`).
pub type Namer = dyn Fn(&str) -> String;

/// `BaseRotatingHandler.rotator`: moves the current log `source` to the backup `dest` (for
/// example compressing it); the default renames it if it exists.
pub type Rotator = dyn Fn(&dyn StorageSink, &str, &str) -> Result<()>;

/// `BaseRotatingHandler`'s `namer` and `rotator`, shared by the rotating handlers.
#[derive(Default)]
pub(crate) struct RotationHooks {
    namer: RefCell<Option<Rc<Namer>>>,
    rotator: RefCell<Option<Rc<Rotator>>>,
}

impl RotationHooks {
    pub(crate) fn set_namer(&self, namer: Option<Rc<Namer>>) {
        *self.namer.borrow_mut() = namer;
    }

    pub(crate) fn set_rotator(&self, rotator: Option<Rc<Rotator>>) {
        *self.rotator.borrow_mut() = rotator;
    }

    /// The namer, if one is set.
    pub(crate) fn namer(&self) -> Option<Rc<Namer>> {
        self.namer.borrow().clone()
    }

    /// `rotation_filename(default_name)`: the namer's answer, or the default.
    pub(crate) fn rotation_filename(&self, default_name: &str) -> String {
        match self.namer() {
            Some(namer) => namer(default_name),
            None => default_name.to_owned(),
        }
    }

    /// `rotate(source, dest)`: the rotator, or a rename if `source` exists (issue 18940: a
    /// delayed log may never have been created).
    pub(crate) fn rotate(&self, storage: &dyn StorageSink, source: &str, dest: &str) -> Result<()> {
        let rotator = self.rotator.borrow().clone();
        match rotator {
            Some(rotator) => rotator(storage, source, dest),
            None => {
                if storage.size(source)?.is_some() {
                    storage.rename(source, dest)?;
                }
                Ok(())
            }
        }
    }
}

/// `logging.handlers.RotatingFileHandler(filename, mode='a', maxBytes=0, backupCount=0,
/// delay=False)` over host storage: `app.log`, then `app.log.1` … `app.log.N` for
/// `backupCount = N`.
pub struct RotatingFileHandler {
    file: FileHandler,
    max_bytes: u64,
    backup_count: u32,
    hooks: RotationHooks,
}

impl fmt::Debug for RotatingFileHandler {
    /// CPython's repr: `<RotatingFileHandler app.log (NOTSET)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<RotatingFileHandler {} ({})>",
            self.file.base_filename,
            crate::core::level::level_name(self.file.core.level())
        )
    }
}

impl RotatingFileHandler {
    /// `RotatingFileHandler(filename, mode, maxBytes, backupCount, delay=delay)`. As in
    /// CPython, `mode` is forced to `'a'` when `max_bytes > 0`.
    pub fn new(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        mode: &str,
        max_bytes: u64,
        backup_count: u32,
        delay: bool,
    ) -> Result<Self> {
        let handler = Self::unopened(storage, filename, mode, max_bytes, backup_count, delay)?;
        if !delay {
            handler.open()?;
        }
        Ok(handler)
    }

    /// The handler [`RotatingFileHandler::new`] builds, before it opens the log (see
    /// [`FileHandler::unopened`]).
    pub fn unopened(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        mode: &str,
        max_bytes: u64,
        backup_count: u32,
        delay: bool,
    ) -> Result<Self> {
        // Parse even a mode that is then overridden: CPython would fail on it in open().
        FileMode::parse(mode)?;
        let mode = if max_bytes > 0 { "a" } else { mode };
        Ok(RotatingFileHandler {
            file: FileHandler::unopened(storage, filename, mode, delay)?,
            max_bytes,
            backup_count,
            hooks: RotationHooks::default(),
        })
    }

    /// Opens the log now (see [`FileHandler::open`]).
    pub fn open(&self) -> Result<()> {
        self.file.open()
    }

    /// The underlying file handler (`baseFilename`, `mode`, `terminator`).
    pub fn file(&self) -> &FileHandler {
        &self.file
    }

    /// `maxBytes`.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// `backupCount`.
    pub fn backup_count(&self) -> u32 {
        self.backup_count
    }

    /// The `namer` and `rotator` of `handler` if it is a rotating handler (this one or a
    /// `TimedRotatingFileHandler`).
    fn hooks_of(handler: &dyn Handler) -> Option<&RotationHooks> {
        let any = handler.as_any()?;
        any.downcast_ref::<RotatingFileHandler>()
            .map(|h| &h.hooks)
            .or_else(|| {
                any.downcast_ref::<super::TimedRotatingFileHandler>()
                    .map(|h| h.hooks())
            })
    }

    /// Whether `handler` is a rotating handler (this one or a `TimedRotatingFileHandler`),
    /// with a `namer` and a `rotator`.
    pub fn is_rotating(handler: &dyn Handler) -> bool {
        Self::hooks_of(handler).is_some()
    }

    /// `handler.namer = namer` when `handler` is a rotating handler (this one or a
    /// `TimedRotatingFileHandler`, found by name, say); `false` for any other handler.
    pub fn set_namer_of(handler: &dyn Handler, namer: Option<Rc<Namer>>) -> bool {
        Self::hooks_of(handler)
            .map(|h| h.set_namer(namer))
            .is_some()
    }

    /// `handler.rotator = rotator` when `handler` is a rotating handler; `false` otherwise.
    pub fn set_rotator_of(handler: &dyn Handler, rotator: Option<Rc<Rotator>>) -> bool {
        Self::hooks_of(handler)
            .map(|h| h.set_rotator(rotator))
            .is_some()
    }

    /// Sets `namer` (cookbook recipe 19, "Using a rotator and namer").
    pub fn set_namer(&self, namer: Option<Rc<Namer>>) {
        self.hooks.set_namer(namer);
    }

    /// Sets `rotator`.
    pub fn set_rotator(&self, rotator: Option<Rc<Rotator>>) {
        self.hooks.set_rotator(rotator);
    }

    /// `rotation_filename(default_name)`: the namer's answer, or the default.
    pub fn rotation_filename(&self, default_name: &str) -> String {
        self.hooks.rotation_filename(default_name)
    }

    /// `rotate(source, dest)`: the rotator, or a rename if `source` exists (issue 18940: a
    /// delayed log may never have been created).
    pub fn rotate(&self, source: &str, dest: &str) -> Result<()> {
        self.hooks.rotate(&*self.file.storage, source, dest)
    }

    /// `shouldRollover(record)`: whether writing `record` would make the log reach
    /// `maxBytes`. Opens a delayed log first, as CPython does.
    pub fn should_rollover(&self, record: &mut LogRecord) -> Result<bool> {
        if !self.file.open.get() {
            self.file.open()?;
        }
        if self.max_bytes == 0 {
            return Ok(false);
        }
        let pos = self.file.tell()?;
        if pos == 0 {
            // gh-116263: never roll over an empty log.
            return Ok(false);
        }
        // CPython: len("%s\n" % self.format(record)) — a length in characters, added to a
        // position in bytes. Kept as is so non-ASCII logs roll over exactly where CPython's do.
        let chars = self.file.core.format(record)?.chars().count() as u64 + 1;
        Ok(pos.saturating_add(chars) >= self.max_bytes)
    }

    /// The `i` of CPython's `for i in range(backupCount - 1, 0, -1)`, in that order. A large
    /// `backupCount` on a storage that lists its logs, with no namer, visits only the backups
    /// that exist (the loop renames nothing else): a `backupCount` of three billion would
    /// otherwise cost three billion size queries per rollover (found by `make fuzz`,
    /// tests/fuzz_findings.rs).
    fn backups_to_shift(
        &self,
        storage: &dyn StorageSink,
        base: &str,
    ) -> Box<dyn Iterator<Item = u32>> {
        const LIST_ABOVE: u32 = 1024;
        if self.backup_count > LIST_ABOVE && self.hooks.namer().is_none() {
            let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
            if let Ok(names) = storage.list(dir) {
                let prefix = format!("{base}.");
                let mut found: Vec<u32> = names
                    .iter()
                    .filter_map(|n| n.strip_prefix(prefix.as_str()))
                    .filter(|i| !i.starts_with('0') && i.bytes().all(|b| b.is_ascii_digit()))
                    .filter_map(|i| i.parse::<u32>().ok())
                    .filter(|i| (1..self.backup_count).contains(i))
                    .collect();
                found.sort_unstable_by(|a, b| b.cmp(a));
                return Box::new(found.into_iter());
            }
        }
        Box::new((1..self.backup_count).rev())
    }

    /// `doRollover()`: closes the log, shifts the backups up by one (dropping the oldest),
    /// rotates the log to `name.1`, and reopens it unless `delay`.
    pub fn do_rollover(&self) -> Result<()> {
        self.file.close_stream()?;
        let storage = &*self.file.storage;
        let base = self.file.base_filename.as_str();
        if self.backup_count > 0 {
            for i in self.backups_to_shift(storage, base) {
                let sfn = self.rotation_filename(&format!("{base}.{i}"));
                let dfn = self.rotation_filename(&format!("{base}.{}", i + 1));
                if storage.size(&sfn)?.is_some() {
                    if storage.size(&dfn)?.is_some() {
                        storage.remove(&dfn)?;
                    }
                    storage.rename(&sfn, &dfn)?;
                }
            }
            let dfn = self.rotation_filename(&format!("{base}.1"));
            if storage.size(&dfn)?.is_some() {
                storage.remove(&dfn)?;
            }
            self.rotate(base, &dfn)?;
        }
        if !self.file.delay {
            self.file.open()?;
        }
        Ok(())
    }
}

impl Handler for RotatingFileHandler {
    fn core(&self) -> &HandlerCore {
        &self.file.core
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    /// `BaseRotatingHandler.emit`: roll over if needed, then `FileHandler.emit`.
    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        if self.should_rollover(record)? {
            self.do_rollover()?;
        }
        self.file.emit(record)
    }

    fn flush(&self) -> Result<()> {
        self.file.flush()
    }

    fn set_attribute(&self, name: &str, value: &crate::core::value::Value) -> Result<()> {
        super::stream::terminator_attribute(
            "RotatingFileHandler",
            name,
            value,
            &self.file.terminator,
        )
    }

    fn close(&self) {
        self.file.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::formatter::Formatter;
    use crate::core::sink::MemoryStorage;
    use crate::core::value::Value;

    fn record(msg: &'static str) -> LogRecord {
        LogRecord::new(
            "t".into(),
            20,
            "INFO".into(),
            crate::core::record::Location::unknown(),
            Value::from(msg),
            vec![],
            None,
            0,
            0,
        )
    }

    fn text(storage: &MemoryStorage, name: &str) -> Option<String> {
        storage
            .read(name)
            .unwrap()
            .map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn modes_parse_like_open() {
        assert_eq!(FileMode::parse("a").unwrap(), FileMode::Append);
        assert_eq!(FileMode::parse("w+").unwrap(), FileMode::Write);
        assert_eq!(FileMode::parse("at").unwrap(), FileMode::Append);
        for bad in ["", "r", "ab", "wb", "aa+", "x", "a++"] {
            assert!(FileMode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_handler_creates_truncates_and_appends() {
        let storage = Rc::new(MemoryStorage::new());
        storage.append("w.log", b"old\n").unwrap();
        storage.append("a.log", b"old\n").unwrap();
        let w = FileHandler::new(storage.clone(), "w.log", "w", false).unwrap();
        let a = FileHandler::new(storage.clone(), "a.log", "a", false).unwrap();
        let d = FileHandler::new(storage.clone(), "d.log", "a", true).unwrap();
        assert_eq!(text(&storage, "w.log").as_deref(), Some(""));
        assert_eq!(text(&storage, "d.log"), None, "delay creates nothing");
        for h in [&w, &a, &d] {
            h.handle(&mut record("new"));
        }
        assert_eq!(text(&storage, "w.log").as_deref(), Some("new\n"));
        assert_eq!(text(&storage, "a.log").as_deref(), Some("old\nnew\n"));
        assert_eq!(text(&storage, "d.log").as_deref(), Some("new\n"));
    }

    #[test]
    fn closed_write_mode_handler_writes_nothing_but_append_mode_reopens() {
        let storage = Rc::new(MemoryStorage::new());
        let w = FileHandler::new(storage.clone(), "w.log", "w", false).unwrap();
        let a = FileHandler::new(storage.clone(), "a.log", "a", false).unwrap();
        w.handle(&mut record("1"));
        a.handle(&mut record("1"));
        w.close();
        a.close();
        w.handle(&mut record("2"));
        a.handle(&mut record("2"));
        assert_eq!(text(&storage, "w.log").as_deref(), Some("1\n"));
        assert_eq!(text(&storage, "a.log").as_deref(), Some("1\n2\n"));
    }

    #[test]
    fn rotation_counts_characters_and_never_rolls_an_empty_log() {
        let storage = Rc::new(MemoryStorage::new());
        let h = RotatingFileHandler::new(storage.clone(), "r.log", "a", 6, 2, false).unwrap();
        h.core()
            .set_formatter(Some(Rc::new(Formatter::new("%(message)s").unwrap())));
        // Longer than maxBytes, but the log is empty: no rollover (gh-116263).
        h.handle(&mut record("0123456789abc"));
        assert_eq!(storage.names(), vec!["r.log"]);
        h.handle(&mut record("x"));
        // 2 bytes + len("éé\n") = 5 < 6: no rollover, though in bytes it would be 7.
        h.handle(&mut record("éé"));
        h.handle(&mut record("y"));
        assert_eq!(storage.names(), vec!["r.log", "r.log.1", "r.log.2"]);
        assert_eq!(
            text(&storage, "r.log.2").as_deref(),
            Some("0123456789abc\n")
        );
        assert_eq!(text(&storage, "r.log.1").as_deref(), Some("x\néé\n"));
        assert_eq!(text(&storage, "r.log").as_deref(), Some("y\n"));
    }

    #[test]
    fn namer_and_rotator_hooks_are_used() {
        let storage = Rc::new(MemoryStorage::new());
        let h = RotatingFileHandler::new(storage.clone(), "r.log", "a", 4, 3, false).unwrap();
        h.set_namer(Some(Rc::new(|n: &str| format!("{n}.z"))));
        h.set_rotator(Some(Rc::new(
            |s: &dyn StorageSink, src: &str, dst: &str| {
                let data = s.read(src)?.unwrap_or_default();
                s.append(dst, &data.to_ascii_uppercase())?;
                s.remove(src)
            },
        )));
        for m in ["a", "b", "c"] {
            h.handle(&mut record(m));
        }
        assert_eq!(storage.names(), vec!["r.log", "r.log.1.z", "r.log.2.z"]);
        assert_eq!(text(&storage, "r.log.2.z").as_deref(), Some("A\n"));
        assert_eq!(text(&storage, "r.log.1.z").as_deref(), Some("B\n"));
    }

    #[test]
    fn max_bytes_forces_append_mode() {
        let storage = Rc::new(MemoryStorage::new());
        storage.append("r.log", b"kept\n").unwrap();
        let h = RotatingFileHandler::new(storage.clone(), "r.log", "w", 100, 1, false).unwrap();
        assert_eq!(h.file().mode(), FileMode::Append);
        assert_eq!(text(&storage, "r.log").as_deref(), Some("kept\n"));
    }
}
