//! Time for `Formatter.formatTime`: CPython's `time.gmtime`, `time.localtime` and
//! `time.strftime`, without a clock or an OS.
//!
//! The host supplies the instant (Unix nanoseconds, split with [`split_unix_nanos`]) and, for
//! local time, the zone's offset, name and DST flag at that instant ([`LocalOffset`]).
//! [`strftime`] then produces exactly what CPython 3.13 on Linux produces, which is what
//! glibc 2.36's `wcsftime` produces in the C locale for `LC_TIME` (CPython formats through
//! the wide-character function) with CPython's own checks around it.
//!
//! # Ranges
//!
//! * [`gmtime`] and [`localtime`] accept every `i64` of seconds (and every `i32` offset):
//!   years run to about ±2.9e11 in the proleptic Gregorian calendar, with no overflow and no
//!   panic. CPython agrees for years up to 2147483647 (about 6.78e16 seconds); past that its
//!   `time.gmtime` first wraps the year negative (`tm_year + 1900` overflows a C `int`) and
//!   then raises `OSError` (EOVERFLOW from glibc).
//! * [`strftime`] formats any `i64` year (`%Y`, `%G`, `%C`, `%s` print the exact value);
//!   CPython refuses years outside `[-2147481748, 2147483647]` with `OverflowError`.
//! * The output of one call is bounded as CPython bounds it: when it would have `cap` or
//!   more characters, where `cap` is the first of 1024, 2048, 4096 … that is at least 256
//!   times the format's length in characters, CPython returns `''` and so does this module.
//!   Widths saturate at `i32::MAX` as in glibc and are checked before anything is written,
//!   so `%2147483647Y` costs nothing.
//!
//! # What the host does not tell
//!
//! glibc reads the process's `TZ` in two places that have no equivalent here:
//!
//! * `%s` calls `mktime`, which reads the fields in the process's zone. Here the fields are
//!   read through their own `utc_offset`, which is the same for a [`localtime`] result of the
//!   process's zone (and for [`gmtime`] under `TZ=UTC`), and the instant itself in any case.
//! * `%Z` with an empty `zone` and `is_dst >= 0` prints `tzname[is_dst]`; here it prints
//!   nothing. [`gmtime`] and [`localtime`] always fill `zone` from their inputs.
//!
//! A `zone` is a C string to glibc: it ends at its first NUL.

mod case;
mod case_data;
mod civil;
mod strftime;
mod writer;

#[cfg(test)]
mod tests;

use std::fmt;

pub use civil::{gmtime, localtime};

/// Broken-down time, as C's `struct tm` plus what `%z`/`%Z` need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenDownTime {
    /// Full year, e.g. 2026 (may be < 1970, < 1000, > 9999 or negative).
    pub year: i64,
    /// Month, 1..=12 (0 is taken as January by [`strftime`], as CPython does).
    pub month: u32,
    /// Day of the month, 1..=31 (0 is taken as 1 by [`strftime`], as CPython does).
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    /// Second, 0..=61 (C allows leap seconds).
    pub second: u32,
    /// Day of the week, 0 = Sunday (`tm_wday`; Python's `tm_wday` counts from Monday).
    pub weekday: u32,
    /// Day of the year, 0..=365 (`tm_yday`; Python's `tm_yday` counts from 1).
    pub yearday: u32,
    /// `tm_isdst`: 1 in daylight saving time, 0 not, -1 unknown (then `%z` prints nothing).
    pub is_dst: i32,
    /// Seconds east of UTC (`tm_gmtoff`).
    pub utc_offset: i32,
    /// Zone abbreviation (`tm_zone`), e.g. `"UTC"`, `"CET"`, `"EST"`, `"GMT"` for [`gmtime`].
    pub zone: String,
}

/// The host's description of local time at an instant (what `localtime_r` finds in
/// `tm_gmtoff`, `tm_zone` and `tm_isdst`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalOffset {
    /// Seconds east of UTC, e.g. 3600 for CET, -18000 for EST.
    pub utc_offset: i32,
    /// Zone abbreviation, e.g. `"CEST"`.
    pub zone: String,
    /// 1 in daylight saving time, 0 not, -1 unknown.
    pub is_dst: i32,
}

/// Why CPython's `time.strftime` would raise instead of returning a string. Every one is a
/// `ValueError` in CPython; [`fmt::Display`] gives its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrftimeError {
    /// `month` above 12: "month out of range".
    MonthOutOfRange,
    /// `day` above 31: "day of month out of range".
    DayOfMonthOutOfRange,
    /// `hour` above 23: "hour out of range".
    HourOutOfRange,
    /// `minute` above 59: "minute out of range".
    MinuteOutOfRange,
    /// `second` above 61: "seconds out of range".
    SecondsOutOfRange,
    /// `yearday` above 365: "day of year out of range".
    DayOfYearOutOfRange,
    /// The format contains `'\0'`: "embedded null character".
    EmbeddedNul,
}

impl StrftimeError {
    /// The Python exception class CPython raises: always `"ValueError"`.
    pub fn python_class(self) -> &'static str {
        "ValueError"
    }

    /// CPython's message, e.g. `"month out of range"`.
    pub fn message(self) -> &'static str {
        match self {
            StrftimeError::MonthOutOfRange => "month out of range",
            StrftimeError::DayOfMonthOutOfRange => "day of month out of range",
            StrftimeError::HourOutOfRange => "hour out of range",
            StrftimeError::MinuteOutOfRange => "minute out of range",
            StrftimeError::SecondsOutOfRange => "seconds out of range",
            StrftimeError::DayOfYearOutOfRange => "day of year out of range",
            StrftimeError::EmbeddedNul => "embedded null character",
        }
    }
}

impl fmt::Display for StrftimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for StrftimeError {}

/// `time.strftime(fmt, tm)` exactly as CPython 3.13 on glibc in the C locale, appended to
/// `out`. Where CPython would raise ([`StrftimeError`]) nothing is appended; use
/// [`try_strftime`] to tell. Never panics, and never appends more than CPython's bound
/// (see the module documentation).
pub fn strftime(fmt: &str, tm: &BrokenDownTime, out: &mut String) {
    // The error case appends nothing, which is all this signature can say.
    let _ = try_strftime(fmt, tm, out);
}

/// [`strftime`], reporting what CPython would raise. `tm` is checked first (as CPython does),
/// then the format; on error `out` is left as it was. A result CPython gives up on for its
/// length is `Ok` with nothing appended, as CPython returns `''` for it.
pub fn try_strftime(fmt: &str, tm: &BrokenDownTime, out: &mut String) -> Result<(), StrftimeError> {
    strftime::try_strftime(fmt, tm, out)
}

/// Splits nanoseconds since the epoch into whole seconds, rounded towards minus infinity,
/// and the nanoseconds past them (0..1_000_000_000): `-1` ns is `(-1, 999_999_999)`.
pub fn split_unix_nanos(ns: i64) -> (i64, u32) {
    const NANOS: i64 = 1_000_000_000;
    // rem_euclid is in 0..NANOS, so it fits a u32.
    (ns.div_euclid(NANOS), ns.rem_euclid(NANOS) as u32)
}
