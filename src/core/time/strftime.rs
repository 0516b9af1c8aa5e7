//! `time.strftime` as CPython 3.13 runs it on Linux: CPython's argument checks, then glibc
//! 2.36's `wcsftime` in the C locale, then CPython's retry loop around it.
//!
//! The conversion code follows glibc's `__strftime_internal` step by step (flags, width,
//! `E`/`O` modifier, conversion), including its quirks:
//!
//! * an unknown conversion, a modifier a conversion does not take (`%Ea`, `%OY`) or a `%`
//!   at the end of the format is copied through from its `%`, width padding and `^`
//!   upper-casing included (`%5q` gives `"  %5q"`, `%^é` gives `"%^É"`); a modifier on `%%`
//!   copies only the final `%` (`%E%` gives `"%"`);
//! * `-` stops numbers being padded to their natural width but an explicit width still pads
//!   them, with spaces (`%-5d` gives `"    1"`);
//! * `%z`'s width applies to its sign and again to its digits (`%10z` gives
//!   `"         +0000000000"`), `%-z` drops the digits' padding (`"+530"`), and `%z` prints
//!   nothing when `tm_isdst` is negative;
//! * `%s` pads through the width only, so `%010s` of -5 is `"00000000-5"`;
//! * `%C`, `%Y` and `%G` have no minimum width (`%Y` of year 999 is `"999"`, `%C` of it
//!   `"9"`), negative years print with a sign, `%C` rounds towards minus infinity;
//! * the width of `%c`, `%D`, `%F`, `%r`, `%R`, `%T`, `%x`, `%X` pads their whole expansion
//!   and `^` upper-cases it; `#` has no effect on them;
//! * `#` upper-cases `%a %A %b %B %h` and lower-cases `%p` and `%Z`; `%P` is lower case and
//!   stays so whatever the flags; `%#Eb` and `%#Eh` are refused but copied upper-cased
//!   (`"%#EB"`), because glibc applies `#` before it looks at the modifier there;
//! * `%+`, `%:z`, `%N`, `%f` are not glibc conversions and are copied through.

use super::case::Case;
use super::civil::{is_leap, timegm};
use super::writer::{cap_for, Overflow, Pad, Sink};
use super::{BrokenDownTime, StrftimeError};

/// `ABDAY_1..7` of the C locale.
const ABDAY: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// `DAY_1..7` of the C locale.
const DAY: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
/// `ABMON_1..12` (and `ABALTMON`, used by `%Ob`) of the C locale.
const ABMON: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// `MON_1..12` (and `ALTMON`, used by `%OB`) of the C locale.
const MON: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// `D_T_FMT` (`%c`; the C locale has no `ERA_D_T_FMT`, so `%Ec` is the same).
const D_T_FMT: &str = "%a %b %e %H:%M:%S %Y";
/// `D_FMT` (`%x`, `%Ex`), the same as `%D`.
const D_FMT: &str = "%m/%d/%y";
/// `T_FMT` (`%X`, `%EX`), the same as `%T`.
const T_FMT: &str = "%H:%M:%S";
/// `T_FMT_AMPM` (`%r`).
const T_FMT_AMPM: &str = "%I:%M:%S %p";

/// The broken-down time as glibc sees it after CPython's checks and normalisations.
struct Tm<'a> {
    year: i128,
    /// 0..=11.
    mon: usize,
    mday: u32,
    hour: u32,
    min: u32,
    sec: u32,
    /// 0..=6, Sunday = 0.
    wday: usize,
    /// 0..=365.
    yday: u32,
    /// -1..=1.
    isdst: i32,
    gmtoff: i32,
    /// `tm_zone` as a C string: up to the first NUL.
    zone: &'a str,
}

impl<'a> Tm<'a> {
    /// CPython's `checktm` (with `gettmarg`'s conversions), in its order and with its
    /// messages; a zero month or day is taken as the first, a zero year day is day 0.
    fn check(tm: &'a BrokenDownTime) -> Result<Self, StrftimeError> {
        let mon = match tm.month {
            0 => 0,
            m @ 1..=12 => m as usize - 1,
            _ => return Err(StrftimeError::MonthOutOfRange),
        };
        let mday = match tm.day {
            0 => 1,
            d @ 1..=31 => d,
            _ => return Err(StrftimeError::DayOfMonthOutOfRange),
        };
        if tm.hour > 23 {
            return Err(StrftimeError::HourOutOfRange);
        }
        if tm.minute > 59 {
            return Err(StrftimeError::MinuteOutOfRange);
        }
        if tm.second > 61 {
            return Err(StrftimeError::SecondsOutOfRange);
        }
        if tm.yearday > 365 {
            return Err(StrftimeError::DayOfYearOutOfRange);
        }
        let zone = match tm.zone.find('\0') {
            Some(end) => &tm.zone[..end],
            None => &tm.zone,
        };
        Ok(Tm {
            year: i128::from(tm.year),
            mon,
            mday,
            hour: tm.hour,
            min: tm.minute,
            sec: tm.second,
            // CPython reduces the weekday modulo 7.
            wday: (tm.weekday % 7) as usize,
            yday: tm.yearday,
            // "Normalize tm_isdst just in case someone foolishly implements %Z based on
            // the assumption that tm_isdst falls within the range of [-1, 1]".
            isdst: tm.is_dst.clamp(-1, 1),
            gmtoff: tm.utc_offset,
            zone,
        })
    }

    /// The 12-hour clock hour (1..=12).
    fn hour12(&self) -> u32 {
        match self.hour {
            0 => 12,
            h if h > 12 => h - 12,
            h => h,
        }
    }
}

/// [`super::try_strftime`]: checks, then formats into `out`, appending nothing when the
/// result does not fit CPython's largest buffer.
pub(super) fn try_strftime(
    fmt: &str,
    tm: &BrokenDownTime,
    out: &mut String,
) -> Result<(), StrftimeError> {
    let tm = Tm::check(tm)?;
    if fmt.contains('\0') {
        return Err(StrftimeError::EmbeddedNul);
    }
    let start = out.len();
    let cap = cap_for(fmt.chars().count());
    let mut sink = Sink::new(out, cap);
    if format(fmt, &tm, &mut sink).is_err() {
        out.truncate(start);
    }
    Ok(())
}

/// The format loop of `__strftime_internal`.
fn format(fmt: &str, tm: &Tm<'_>, sink: &mut Sink<'_>) -> Result<(), Overflow> {
    let bytes = fmt.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            i = conversion(fmt, i, tm, sink)?;
        } else {
            let end = bytes[i..]
                .iter()
                .position(|&b| b == b'%')
                .map_or(bytes.len(), |p| i + p);
            let text = &fmt[i..end];
            sink.literal(text, text.chars().count())?;
            i = end;
        }
    }
    Ok(())
}

/// Flags, width and modifier of one conversion.
struct Spec {
    pad: Pad,
    /// `^` (glibc's `to_uppcase`).
    upper: bool,
    /// `#` (glibc's `change_case`).
    change_case: bool,
    /// -1 when absent; at most `i32::MAX`.
    width: i64,
    /// `E`, `O` or 0.
    modifier: u8,
}

impl Spec {
    /// `DO_NUMBER (d, v)`.
    fn number(&self, sink: &mut Sink<'_>, d: i64, v: i128) -> Result<(), Overflow> {
        sink.number(v, d.max(self.width), self.width, self.pad)
    }

    /// `DO_NUMBER_SPACEPAD (d, v)`: the `_` flag unless `0` or `-` was given.
    fn number_spacepad(&self, sink: &mut Sink<'_>, d: i64, v: i128) -> Result<(), Overflow> {
        let pad = match self.pad {
            Pad::Zero | Pad::None => self.pad,
            Pad::Default | Pad::Space => Pad::Space,
        };
        sink.number(v, d.max(self.width), self.width, pad)
    }

    /// `cpy` of a name: `^`, or `#` for names, upper-cases it.
    fn name(&self, sink: &mut Sink<'_>, text: &str, hash_upper: bool) -> Result<(), Overflow> {
        let case = if self.upper || (hash_upper && self.change_case) {
            Case::Upper
        } else {
            Case::Keep
        };
        sink.cpy(text, text.chars().count(), self.width, self.pad, case)
    }

    /// `add` of one character, no case change (`%%`, `%n`, `%t`, the sign of `%z`).
    fn one(&self, sink: &mut Sink<'_>, text: &str) -> Result<(), Overflow> {
        sink.cpy(text, 1, self.width, self.pad, Case::Keep)
    }

    /// The `subformat` label: `sub` expanded, then padded and `^`-upper-cased as a whole.
    fn subformat(&self, sink: &mut Sink<'_>, sub: &str, tm: &Tm<'_>) -> Result<(), Overflow> {
        let mut text = String::new();
        let mut inner = Sink::new(&mut text, usize::MAX);
        // A fixed, short sub-format cannot exceed an unbounded sink; its length is checked
        // against the real bound just below, as glibc does.
        format(sub, tm, &mut inner)?;
        let n = inner.chars();
        let case = if self.upper { Case::Upper } else { Case::Keep };
        sink.cpy(&text, n, self.width, self.pad, case)
    }
}

/// Parses and expands the conversion starting at the `%` at byte `start`; returns the byte
/// index just past it.
fn conversion(
    fmt: &str,
    start: usize,
    tm: &Tm<'_>,
    sink: &mut Sink<'_>,
) -> Result<usize, Overflow> {
    let bytes = fmt.as_bytes();
    let mut f = start + 1;
    let mut spec = Spec {
        pad: Pad::Default,
        upper: false,
        change_case: false,
        width: -1,
        modifier: 0,
    };
    while let Some(&b) = bytes.get(f) {
        match b {
            b'_' => spec.pad = Pad::Space,
            b'-' => spec.pad = Pad::None,
            b'0' => spec.pad = Pad::Zero,
            b'^' => spec.upper = true,
            b'#' => spec.change_case = true,
            _ => break,
        }
        f += 1;
    }
    if bytes.get(f).is_some_and(u8::is_ascii_digit) {
        let max = i64::from(i32::MAX);
        let mut width: i64 = 0;
        while let Some(&d) = bytes.get(f).filter(|b| b.is_ascii_digit()) {
            let d = i64::from(d - b'0');
            width = if width > max / 10 || (width == max / 10 && d > max % 10) {
                max
            } else {
                width * 10 + d
            };
            f += 1;
        }
        spec.width = width;
    }
    if let Some(&m @ (b'E' | b'O')) = bytes.get(f) {
        spec.modifier = m;
        f += 1;
    }
    // Everything consumed so far is ASCII, so `f` is on a character boundary.
    let conv = fmt[f..].chars().next();
    let next = f + conv.map_or(0, char::len_utf8);
    let s = &spec;
    let m = spec.modifier;
    let year = tm.year;
    let result = match conv {
        Some('%') => s.one(sink, "%"),
        Some('a') if m == 0 => s.name(sink, ABDAY[tm.wday], true),
        Some('A') if m == 0 => s.name(sink, DAY[tm.wday], true),
        Some('b' | 'h') if m != b'E' => s.name(sink, ABMON[tm.mon], true),
        Some('B') if m != b'E' => s.name(sink, MON[tm.mon], true),
        Some('c') if m != b'O' => s.subformat(sink, D_T_FMT, tm),
        Some('C') => s.number(sink, 1, year.div_euclid(100)),
        Some('x') if m != b'O' => s.subformat(sink, D_FMT, tm),
        Some('D') if m == 0 => s.subformat(sink, D_FMT, tm),
        Some('d') if m != b'E' => s.number(sink, 2, tm.mday.into()),
        Some('e') if m != b'E' => s.number_spacepad(sink, 2, tm.mday.into()),
        Some('F') if m == 0 => s.subformat(sink, "%Y-%m-%d", tm),
        Some('H') if m != b'E' => s.number(sink, 2, tm.hour.into()),
        Some('I') if m != b'E' => s.number(sink, 2, tm.hour12().into()),
        Some('k') if m != b'E' => s.number_spacepad(sink, 2, tm.hour.into()),
        Some('l') if m != b'E' => s.number_spacepad(sink, 2, tm.hour12().into()),
        Some('j') if m != b'E' => s.number(sink, 3, i128::from(tm.yday) + 1),
        Some('M') if m != b'E' => s.number(sink, 2, tm.min.into()),
        Some('m') if m != b'E' => s.number(sink, 2, tm.mon as i128 + 1),
        Some('n') => s.one(sink, "\n"),
        Some(c @ ('p' | 'P')) => {
            let lower = c == 'P' || s.change_case;
            let case = if lower {
                Case::Lower
            } else if s.upper {
                Case::Upper
            } else {
                Case::Keep
            };
            let ampm = if tm.hour > 11 { "PM" } else { "AM" };
            sink.cpy(ampm, 2, s.width, s.pad, case)
        }
        Some('R') => s.subformat(sink, "%H:%M", tm),
        Some('r') => s.subformat(sink, T_FMT_AMPM, tm),
        Some('S') if m != b'E' => s.number(sink, 2, tm.sec.into()),
        Some('s') => {
            // glibc runs `mktime` in the process's zone; the instant the fields describe
            // is theirs read as UTC minus the offset they carry.
            let t = timegm(year, tm.mon as u32 + 1, tm.mday, tm.hour, tm.min, tm.sec)
                - i128::from(tm.gmtoff);
            sink.number(t, 1, s.width, s.pad)
        }
        Some('X') if m != b'O' => s.subformat(sink, T_FMT, tm),
        Some('T') => s.subformat(sink, T_FMT, tm),
        Some('t') => s.one(sink, "\t"),
        Some('u') => s.number(sink, 1, ((tm.wday + 6) % 7 + 1) as i128),
        Some('U') if m != b'E' => {
            s.number(sink, 2, (i128::from(tm.yday) - tm.wday as i128 + 7) / 7)
        }
        Some(c @ ('V' | 'g' | 'G')) if m != b'E' => {
            let (iso_year, days) = iso_week(year, tm.yday.into(), tm.wday as i128);
            match c {
                'g' => s.number(sink, 2, iso_year.rem_euclid(100)),
                'G' => s.number(sink, 1, iso_year),
                _ => s.number(sink, 2, days / 7 + 1),
            }
        }
        Some('W') if m != b'E' => {
            let monday_based = (tm.wday as i128 + 6) % 7;
            s.number(sink, 2, (i128::from(tm.yday) - monday_based + 7) / 7)
        }
        Some('w') if m != b'E' => s.number(sink, 1, tm.wday as i128),
        Some('Y') if m != b'O' => s.number(sink, 1, year),
        Some('y') => s.number(sink, 2, year.rem_euclid(100)),
        Some('Z') => {
            let case = if s.change_case {
                Case::Lower
            } else if s.upper {
                Case::Upper
            } else {
                Case::Keep
            };
            sink.cpy(tm.zone, tm.zone.chars().count(), s.width, s.pad, case)
        }
        Some('z') => zone_offset(s, tm, sink),
        // `bad_format`: unknown conversion, refused modifier, or `%` at the end.
        _ => {
            let text = &fmt[start..next];
            // glibc's `%b`/`%h` applies `#` before it refuses `E`: `%#Eb` gives "%#EB".
            let hash_upper = s.change_case && matches!(conv, Some('b' | 'h'));
            let case = if s.upper || hash_upper {
                Case::Upper
            } else {
                Case::Keep
            };
            sink.cpy(text, text.chars().count(), s.width, s.pad, case)
        }
    };
    result.map(|()| next)
}

/// `%z`: sign, then `hhmm` of the offset truncated to minutes; nothing if `tm_isdst < 0`.
fn zone_offset(s: &Spec, tm: &Tm<'_>, sink: &mut Sink<'_>) -> Result<(), Overflow> {
    if tm.isdst < 0 {
        return Ok(());
    }
    // glibc works in `long`, so even `i32::MIN` negates.
    let mut diff = i64::from(tm.gmtoff);
    if diff < 0 {
        s.one(sink, "-")?;
        diff = -diff;
    } else {
        s.one(sink, "+")?;
    }
    diff /= 60;
    s.number(sink, 4, i128::from((diff / 60) * 100 + diff % 60))
}

/// glibc's `iso_week_days`: days from the Monday starting ISO week 1 of the year to the year
/// day `yday` falling on week day `wday` (negative: the day is in the previous ISO year).
fn iso_week_days(yday: i128, wday: i128) -> i128 {
    // Enough to make the left operand of `%` non-negative for yday >= -366.
    let big_enough_multiple_of_7 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big_enough_multiple_of_7) % 7 + 3
}

/// The ISO 8601 year and days since its week 1 began, as glibc computes them for `%G %g %V`.
fn iso_week(year: i128, yday: i128, wday: i128) -> (i128, i128) {
    let year_len = |y: i128| 365 + i128::from(is_leap(y));
    let days = iso_week_days(yday, wday);
    if days < 0 {
        let prev = year - 1;
        (prev, iso_week_days(yday + year_len(prev), wday))
    } else {
        let d = iso_week_days(yday - year_len(year), wday);
        if d >= 0 {
            (year + 1, d)
        } else {
            (year, days)
        }
    }
}
