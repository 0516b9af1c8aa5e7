//! `logging.handlers.TimedRotatingFileHandler` over a [`StorageSink`]: the log is rotated to
//! `app.log.2024-03-31` (a suffix per `when`) at times computed as CPython 3.13 computes them.
//!
//! The arithmetic is CPython 3.13's, step for step: `computeRollover` (midnight and weekday
//! rollovers at `atTime`, with the one-hour DST correction in local time), `shouldRollover`
//! comparing `int(time.time())` with `rolloverAt`, `doRollover` naming the backup for the
//! *start* of the interval (corrected by an hour when DST changed since), doing nothing when
//! that backup already exists, and `getFilesToDelete` keeping the newest `backupCount`
//! backups found by CPython's suffix patterns (`extMatch`).
//!
//! Two differences come from storage, not from choice:
//! - storage has no modification times, so the first rollover is computed from the time the
//!   handler is built (CPython 3.13 uses the log's `st_mtime` when the log exists, and the
//!   current time otherwise; for a log the handler creates, the two agree);
//! - finding old backups needs [`StorageSink::list`]; a storage that cannot list its logs
//!   fails the rollover of a handler with `backupCount > 0` (and `dictConfig` refuses such a
//!   handler up front).
//!
//! "Now" is the host clock (`time.time()` in CPython 3.13), not the record's `created`: a
//! record buffered by a `MemoryHandler` rolls the log over when it is written, as in CPython.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use super::file::{FileHandler, Namer, RotationHooks, Rotator};
use crate::core::error::{Error, Result};
use crate::core::handler::{Handler, HandlerCore};
use crate::core::record::LogRecord;
use crate::core::sink::StorageSink;
use crate::core::time::{gmtime, localtime, strftime, BrokenDownTime};
use crate::core::value::Text;

/// `_MIDNIGHT`: seconds in a day.
const MIDNIGHT: i64 = 24 * 60 * 60;

/// When a [`TimedRotatingFileHandler`] rolls over: CPython's `when`, upper-cased.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// `'S'`: every `interval` seconds.
    Seconds,
    /// `'M'`: every `interval` minutes.
    Minutes,
    /// `'H'`: every `interval` hours.
    Hours,
    /// `'D'`: every `interval` days (counted from the handler's start, not from midnight).
    Days,
    /// `'MIDNIGHT'`: at midnight (or `atTime`), every `interval` days.
    Midnight,
    /// `'W0'`…`'W6'`: on that weekday (0 is Monday) at midnight (or `atTime`), every
    /// `interval` weeks.
    Weekday(u8),
}

impl When {
    /// Parses `when` as CPython's constructor does (case-insensitive), with its
    /// `ValueError` messages.
    pub fn parse(when: &str) -> Result<When> {
        let upper = when.to_uppercase();
        Ok(match upper.as_str() {
            "S" => When::Seconds,
            "M" => When::Minutes,
            "H" => When::Hours,
            "D" => When::Days,
            "MIDNIGHT" => When::Midnight,
            w if w.starts_with('W') => {
                let chars: Vec<char> = w.chars().collect();
                if chars.len() != 2 {
                    return Err(Error::value_error(format!(
                        "You must specify a day for weekly rollover from 0 to 6 (0 is Monday): {w}"
                    )));
                }
                if !('0'..='6').contains(&chars[1]) {
                    return Err(Error::value_error(format!(
                        "Invalid day specified for weekly rollover: {w}"
                    )));
                }
                When::Weekday(chars[1] as u8 - b'0')
            }
            w => {
                return Err(Error::value_error(format!(
                    "Invalid rollover interval specified: {w}"
                )))
            }
        })
    }

    /// The unit `interval` multiplies, in seconds.
    fn unit(self) -> i64 {
        match self {
            When::Seconds => 1,
            When::Minutes => 60,
            When::Hours => 60 * 60,
            When::Days | When::Midnight => MIDNIGHT,
            When::Weekday(_) => MIDNIGHT * 7,
        }
    }

    /// `self.suffix`: the `strftime` format of a backup's suffix.
    pub fn suffix(self) -> &'static str {
        match self {
            When::Seconds => "%Y-%m-%d_%H-%M-%S",
            When::Minutes => "%Y-%m-%d_%H-%M",
            When::Hours => "%Y-%m-%d_%H",
            When::Days | When::Midnight | When::Weekday(_) => "%Y-%m-%d",
        }
    }

    /// `self.extMatch` as a template: `d` is an ASCII digit, anything else itself; the
    /// pattern's `(?<!\d)` and `(?!\d)` are checked around it by [`ext_match_at`].
    fn ext_template(self) -> &'static [u8] {
        match self {
            When::Seconds => b"dddd-dd-dd_dd-dd-dd",
            When::Minutes => b"dddd-dd-dd_dd-dd",
            When::Hours => b"dddd-dd-dd_dd",
            When::Days | When::Midnight | When::Weekday(_) => b"dddd-dd-dd",
        }
    }
}

/// A time of day: CPython's `atTime` (a `datetime.time`; its microseconds are ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtTime {
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
}

impl AtTime {
    /// A time of day, checked as `datetime.time` checks it.
    pub fn new(hour: u32, minute: u32, second: u32) -> Result<AtTime> {
        if hour > 23 {
            return Err(Error::value_error("hour must be in 0..23"));
        }
        if minute > 59 {
            return Err(Error::value_error("minute must be in 0..59"));
        }
        if second > 59 {
            return Err(Error::value_error("second must be in 0..59"));
        }
        Ok(AtTime {
            hour,
            minute,
            second,
        })
    }

    /// `"HH:MM"` or `"HH:MM:SS"` (two digits each), as `datetime.time.fromisoformat` reads
    /// them.
    pub fn parse(text: &str) -> Result<AtTime> {
        let bad = || {
            Error::value_error(format!(
                "Invalid isoformat string: '{text}' (use \"HH:MM\" or \"HH:MM:SS\")"
            ))
        };
        let parts: Vec<&str> = text.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let mut fields = [0u32; 3];
        for (field, part) in fields.iter_mut().zip(&parts) {
            if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            *field = part.parse().map_err(|_| bad())?;
        }
        AtTime::new(fields[0], fields[1], fields[2])
    }

    /// Seconds since midnight, 0..86400, as a time of day.
    pub fn from_seconds(seconds: i64) -> Result<AtTime> {
        if !(0..MIDNIGHT).contains(&seconds) {
            return Err(Error::value_error(format!(
                "atTime must be a number of seconds in 0..86399, got {seconds}"
            )));
        }
        let s = seconds as u32;
        AtTime::new(s / 3600, s / 60 % 60, s % 60)
    }

    /// Seconds since midnight.
    fn seconds(self) -> i64 {
        i64::from((self.hour * 60 + self.minute) * 60 + self.second)
    }
}

/// `logging.handlers.TimedRotatingFileHandler(filename, when='h', interval=1,
/// backupCount=0, encoding=None, delay=False, utc=False, atTime=None)` over host storage.
pub struct TimedRotatingFileHandler {
    file: FileHandler,
    when: When,
    /// `self.interval`: seconds between rollovers (`interval` times the unit of `when`).
    interval: i64,
    backup_count: u32,
    utc: bool,
    at_time: Option<AtTime>,
    rollover_at: Cell<i64>,
    hooks: RotationHooks,
}

impl fmt::Debug for TimedRotatingFileHandler {
    /// CPython's repr: `<TimedRotatingFileHandler app.log (NOTSET)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<TimedRotatingFileHandler {} ({})>",
            self.file.base_filename,
            crate::core::level::level_name(self.file.core.level())
        )
    }
}

/// `int(time.time())` from the host clock: `time.time()` is the nanoseconds as a double
/// divided by 1e9, so a time a few nanoseconds before a second rounds up to it, as in CPython.
fn now_secs() -> i64 {
    let (ns, _) = crate::core::host::now_ns();
    // `as` truncates towards zero, as `int()` does, and saturates.
    (ns as f64 / 1e9) as i64
}

/// `time.localtime(secs)` through the host's zone.
fn local(secs: i64) -> BrokenDownTime {
    localtime(secs, &crate::core::host::local_offset(secs))
}

impl TimedRotatingFileHandler {
    /// `TimedRotatingFileHandler(filename, when, interval, backupCount, delay=delay,
    /// utc=utc, atTime=at_time)`: opens the log now unless `delay`. The first rollover is
    /// computed from the host clock's current time (see the module documentation).
    // CPython's own argument list, kept whole so a Python user finds it.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        when: &str,
        interval: i64,
        backup_count: u32,
        delay: bool,
        utc: bool,
        at_time: Option<AtTime>,
    ) -> Result<Self> {
        let h = Self::unopened(
            storage,
            filename,
            when,
            interval,
            backup_count,
            delay,
            utc,
            at_time,
        )?;
        if !delay {
            h.open()?;
        }
        Ok(h)
    }

    /// The handler [`TimedRotatingFileHandler::new`] builds, before it opens the log (see
    /// [`FileHandler::unopened`]). Its first rollover is already computed.
    #[allow(clippy::too_many_arguments)]
    pub fn unopened(
        storage: Rc<dyn StorageSink>,
        filename: impl Into<Text>,
        when: &str,
        interval: i64,
        backup_count: u32,
        delay: bool,
        utc: bool,
        at_time: Option<AtTime>,
    ) -> Result<Self> {
        let when = When::parse(when)?;
        let h = TimedRotatingFileHandler {
            file: FileHandler::unopened(storage, filename, "a", delay)?,
            when,
            interval: when.unit().saturating_mul(interval),
            backup_count,
            utc,
            at_time,
            rollover_at: Cell::new(0),
            hooks: RotationHooks::default(),
        };
        h.rollover_at.set(h.compute_rollover(now_secs()));
        Ok(h)
    }

    /// Opens the log now (see [`FileHandler::open`]).
    pub fn open(&self) -> Result<()> {
        self.file.open()
    }

    /// The underlying file handler (`baseFilename`, `terminator`).
    pub fn file(&self) -> &FileHandler {
        &self.file
    }

    /// `when`, parsed.
    pub fn when(&self) -> When {
        self.when
    }

    /// `self.interval`: seconds between rollovers.
    pub fn interval(&self) -> i64 {
        self.interval
    }

    /// `backupCount`.
    pub fn backup_count(&self) -> u32 {
        self.backup_count
    }

    /// `utc`.
    pub fn utc(&self) -> bool {
        self.utc
    }

    /// `atTime`.
    pub fn at_time(&self) -> Option<AtTime> {
        self.at_time
    }

    /// `rolloverAt`: the next rollover, in seconds since the epoch.
    pub fn rollover_at(&self) -> i64 {
        self.rollover_at.get()
    }

    /// The `namer` and `rotator`.
    pub(crate) fn hooks(&self) -> &RotationHooks {
        &self.hooks
    }

    /// Sets `namer`: maps `app.log.2024-03-31` to the name used (`app.log.2024-03-31.gz`).
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

    /// `rotate(source, dest)`: the rotator, or a rename if `source` exists.
    pub fn rotate(&self, source: &str, dest: &str) -> Result<()> {
        self.hooks.rotate(&**self.file.storage(), source, dest)
    }

    /// `computeRollover(currentTime)`: the next rollover after `current` (whole seconds).
    pub fn compute_rollover(&self, current: i64) -> i64 {
        let mut result = current.saturating_add(self.interval);
        let weekday = match self.when {
            When::Midnight => None,
            When::Weekday(d) => Some(i64::from(d)),
            _ => return result,
        };
        let t = if self.utc {
            gmtime(current)
        } else {
            local(current)
        };
        // Python's tm_wday counts from Monday; ours from Sunday.
        let mut current_day = (i64::from(t.weekday) + 6) % 7;
        let rotate_ts = self.at_time.map_or(MIDNIGHT, AtTime::seconds);
        let mut r = rotate_ts - i64::from((t.hour * 60 + t.minute) * 60 + t.second);
        if r <= 0 {
            // The rotation time has passed today: it is tomorrow.
            r += MIDNIGHT;
            current_day = (current_day + 1) % 7;
        }
        result = current.saturating_add(r);
        match weekday {
            Some(day_of_week) => {
                if current_day != day_of_week {
                    let days_to_wait = if current_day < day_of_week {
                        day_of_week - current_day
                    } else {
                        6 - current_day + day_of_week + 1
                    };
                    result = result.saturating_add(days_to_wait * MIDNIGHT);
                }
                result = result.saturating_add(self.interval.saturating_sub(MIDNIGHT * 7));
            }
            None => result = result.saturating_add(self.interval.saturating_sub(MIDNIGHT)),
        }
        if !self.utc {
            let dst_now = t.is_dst;
            let dst_at_rollover = local(result).is_dst;
            if dst_now != dst_at_rollover {
                let addend = if dst_now == 0 {
                    // DST starts before the rollover: an hour earlier, unless that hour is
                    // not in DST either.
                    if local(result.saturating_sub(3600)).is_dst == 0 {
                        0
                    } else {
                        -3600
                    }
                } else {
                    // DST ends before the rollover: an hour later.
                    3600
                };
                result = result.saturating_add(addend);
            }
        }
        result
    }

    /// `shouldRollover(record)`: whether the host clock has reached `rolloverAt`. As in
    /// CPython 3.13 the record is not consulted.
    pub fn should_rollover(&self, _record: &LogRecord) -> bool {
        now_secs() >= self.rollover_at.get()
    }

    /// The suffix-matching names in `names` (`os.listdir` of the log's folder), as
    /// `getFilesToDelete` finds them, full names in storage.
    fn backups_in(&self, names: Vec<String>) -> Vec<String> {
        let base = self.file.base_filename();
        let (dir, base_name) = match base.rfind('/') {
            Some(i) => base.split_at(i + 1),
            None => ("", base),
        };
        let template = self.when.ext_template();
        let namer = self.hooks.namer();
        let mut result = Vec::new();
        for full in names {
            let Some(file_name) = full.strip_prefix(dir) else {
                continue;
            };
            if file_name.contains('/') {
                continue;
            }
            let keep = match &namer {
                None => file_name
                    .strip_prefix(base_name)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|suffix| {
                        suffix.len() == template.len()
                            && ext_match_at(suffix.as_bytes(), 0, template)
                    }),
                Some(namer) => {
                    let bytes = file_name.as_bytes();
                    (0..bytes.len()).any(|start| {
                        ext_match_at(bytes, start, template) && {
                            let suffix = &file_name[start..start + template.len()];
                            let dfn = namer(&format!("{base}.{suffix}"));
                            dfn.rsplit('/').next() == Some(file_name)
                        }
                    })
                }
            };
            if keep {
                result.push(full);
            }
        }
        result
    }

    /// `getFilesToDelete()`: every backup but the newest `backupCount`, oldest first.
    pub fn files_to_delete(&self) -> Result<Vec<String>> {
        let base = self.file.base_filename();
        let dir = base.rfind('/').map_or("", |i| &base[..i]);
        let mut result = self.backups_in(self.file.storage().list(dir)?);
        let keep = self.backup_count as usize;
        if result.len() < keep {
            return Ok(Vec::new());
        }
        result.sort();
        result.truncate(result.len() - keep);
        Ok(result)
    }

    /// `doRollover()`: rotates the log to the name of the interval that ends now, deletes
    /// the backups beyond `backupCount`, reopens the log unless `delay`, and computes the
    /// next rollover. If the backup already exists, nothing at all happens (CPython's
    /// "Already rolled over", which leaves `rolloverAt` as it was).
    pub fn do_rollover(&self) -> Result<()> {
        let current = now_secs();
        let t = self.rollover_at.get().saturating_sub(self.interval);
        let time_tuple = if self.utc {
            gmtime(t)
        } else {
            let then = local(t);
            let dst_now = local(current).is_dst;
            if dst_now != then.is_dst {
                local(t.saturating_add(if dst_now != 0 { 3600 } else { -3600 }))
            } else {
                then
            }
        };
        let mut suffix = String::new();
        strftime(self.when.suffix(), &time_tuple, &mut suffix);
        let base = self.file.base_filename();
        let dfn = self.rotation_filename(&format!("{base}.{suffix}"));
        let storage = &**self.file.storage();
        if storage.size(&dfn)?.is_some() {
            return Ok(());
        }
        self.file.close_stream()?;
        self.rotate(base, &dfn)?;
        if self.backup_count > 0 {
            for s in self.files_to_delete()? {
                storage.remove(&s)?;
            }
        }
        if !self.file.delay() {
            self.file.open()?;
        }
        self.rollover_at.set(self.compute_rollover(current));
        Ok(())
    }
}

/// Whether `template` (see [`When::ext_template`]) matches `s` at `start`, not preceded or
/// followed by an ASCII digit: `extMatch`'s `(?<!\d)…(?!\d)` with `re.ASCII`.
fn ext_match_at(s: &[u8], start: usize, template: &[u8]) -> bool {
    let end = start + template.len();
    if end > s.len() {
        return false;
    }
    let fits = s[start..end].iter().zip(template).all(|(&c, &t)| {
        if t == b'd' {
            c.is_ascii_digit()
        } else {
            c == t
        }
    });
    let before = start > 0 && s[start - 1].is_ascii_digit();
    let after = s.get(end).is_some_and(u8::is_ascii_digit);
    fits && !before && !after
}

impl Handler for TimedRotatingFileHandler {
    fn core(&self) -> &HandlerCore {
        &self.file.core
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    /// `BaseRotatingHandler.emit`: roll over if needed, then `FileHandler.emit`.
    fn emit(&self, record: &mut LogRecord) -> Result<()> {
        if self.should_rollover(record) {
            self.do_rollover()?;
        }
        self.file.emit(record)
    }

    fn flush(&self) -> Result<()> {
        self.file.flush()
    }

    fn set_attribute(&self, name: &str, value: &crate::core::value::Value) -> Result<()> {
        super::stream::terminator_attribute(
            "TimedRotatingFileHandler",
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

    #[test]
    fn when_parses_like_cpython() {
        assert_eq!(When::parse("midnight").unwrap(), When::Midnight);
        assert_eq!(When::parse("w6").unwrap(), When::Weekday(6));
        assert_eq!(When::parse("s").unwrap(), When::Seconds);
        let msg = |w: &str| When::parse(w).unwrap_err().message().to_owned();
        assert_eq!(
            msg("w"),
            "You must specify a day for weekly rollover from 0 to 6 (0 is Monday): W"
        );
        assert_eq!(msg("W7"), "Invalid day specified for weekly rollover: W7");
        assert_eq!(msg("x"), "Invalid rollover interval specified: X");
    }

    #[test]
    fn at_time_reads_iso_times_and_seconds() {
        assert_eq!(
            AtTime::parse("02:30").unwrap(),
            AtTime::new(2, 30, 0).unwrap()
        );
        assert_eq!(AtTime::parse("23:59:59").unwrap().seconds(), 86399);
        assert_eq!(
            AtTime::from_seconds(3661).unwrap(),
            AtTime::new(1, 1, 1).unwrap()
        );
        for bad in ["2:30", "24:00", "12", "12:00:00:00", "ab:cd"] {
            assert!(AtTime::parse(bad).is_err(), "{bad}");
        }
        assert!(AtTime::from_seconds(86400).is_err());
    }

    #[test]
    fn ext_match_needs_digit_boundaries() {
        let t = When::Days.ext_template();
        assert!(ext_match_at(b"a.2024-01-02.gz", 2, t));
        assert!(!ext_match_at(b"a.12024-01-02", 3, t));
        assert!(!ext_match_at(b"a.2024-01-023", 2, t));
        assert!(!ext_match_at(b"a.2024-01-0x", 2, t));
    }
}
