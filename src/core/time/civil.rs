//! Calendar arithmetic: Unix seconds to broken-down time and back (proleptic Gregorian).
//!
//! Every `i64` number of seconds converts: days since the epoch are at most
//! `i64::MAX / 86400` (about 1.07e14) in size, so years stay within about ±2.9e11 and every
//! intermediate value fits an `i64`; the way back ([`timegm`]) works in `i128` so that any
//! [`BrokenDownTime`] a caller builds by hand (even with `year == i64::MAX`) converts without
//! overflow. glibc's `gmtime` gives up (CPython raises `OSError`) once `tm_year` no longer
//! fits a C `int`, beyond roughly ±6.78e16 seconds; below that the results are the same,
//! except that CPython wraps years above 2147483647 negative.

use super::{BrokenDownTime, LocalOffset};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Days from 1970-01-01 to `year`-`month`-`day` (month 1..=12; a day past the month's end
/// runs on into the next month, as `mktime` normalises it).
pub(super) fn days_from_civil(year: i128, month: u32, day: u32) -> i128 {
    // Howard Hinnant's `days_from_civil`, with the year starting in March.
    let m = i128::from(month);
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // 0..=399
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1..=12, day 1..=31) `days` days after 1970-01-01.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // |days| <= i64::MAX / 86400 + 1, far from overflowing anything below.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // `day` is 1..=31 and `month` 1..=12 by construction.
    (year, month as u32, day as u32)
}

/// Whether `year` is a Gregorian leap year.
pub(super) fn is_leap(year: i128) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Broken-down time for `days` days and `secs_of_day` (0..86400) seconds after the epoch.
fn breakdown(days: i64, secs_of_day: i64) -> BrokenDownTime {
    let (year, month, day) = civil_from_days(days);
    let jan1 = days_from_civil(i128::from(year), 1, 1);
    // 0..=365, so the narrowing is exact.
    let yearday = (i128::from(days) - jan1) as u32;
    // 1970-01-01 was a Thursday (4).
    let weekday = (days + 4).rem_euclid(7) as u32;
    let s = secs_of_day as u32;
    BrokenDownTime {
        year,
        month,
        day,
        hour: s / 3600,
        minute: s / 60 % 60,
        second: s % 60,
        weekday,
        yearday,
        is_dst: 0,
        utc_offset: 0,
        zone: String::new(),
    }
}

/// `time.gmtime(secs)`: UTC, `tm_isdst` 0, zone `"GMT"` (what glibc's `gmtime` puts in
/// `tm_zone`, hence what CPython prints for `%Z`).
pub fn gmtime(unix_secs: i64) -> BrokenDownTime {
    let mut tm = breakdown(unix_secs.div_euclid(DAY), unix_secs.rem_euclid(DAY));
    tm.zone.push_str("GMT");
    tm
}

/// `time.localtime(secs)` in a zone whose offset, name and DST flag at that instant the host
/// reports in `offset`. The fields are those of UTC shifted by `offset.utc_offset`; `is_dst`,
/// `utc_offset` and `zone` are copied from `offset` unchanged.
pub fn localtime(unix_secs: i64, offset: &LocalOffset) -> BrokenDownTime {
    let local = i128::from(unix_secs) + i128::from(offset.utc_offset);
    let day = i128::from(DAY);
    // |local| < 2^63 + 2^31, so the day count fits an i64 with room to spare.
    let days = local.div_euclid(day) as i64;
    let secs = local.rem_euclid(day) as i64;
    let mut tm = breakdown(days, secs);
    tm.is_dst = offset.is_dst;
    tm.utc_offset = offset.utc_offset;
    tm.zone.push_str(&offset.zone);
    tm
}

/// Seconds since the epoch of the civil time in `tm`'s fields read as UTC (`timegm`), with
/// out-of-range fields carried over as `mktime` does. Never overflows for any field values.
pub(super) fn timegm(
    year: i128,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> i128 {
    // Months past December carry into the year (0 is taken as January by the caller).
    let m0 = i128::from(month.max(1)) - 1;
    let year = year + m0.div_euclid(12);
    let month = (m0.rem_euclid(12) + 1) as u32;
    let days = days_from_civil(year, month, 1) + i128::from(day) - 1;
    days * i128::from(DAY) + i128::from(hour) * 3600 + i128::from(minute) * 60 + i128::from(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(t: &BrokenDownTime) -> (i64, u32, u32, u32, u32, u32, u32, u32) {
        (
            t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday, t.yearday,
        )
    }

    #[test]
    fn epoch_and_known_instants() {
        let t = gmtime(0);
        assert_eq!(fields(&t), (1970, 1, 1, 0, 0, 0, 4, 0));
        assert_eq!((t.is_dst, t.utc_offset, t.zone.as_str()), (0, 0, "GMT"));
        // 2000-02-29 12:34:56 UTC, a Tuesday, day 59 of the year.
        assert_eq!(
            fields(&gmtime(951_827_696)),
            (2000, 2, 29, 12, 34, 56, 2, 59)
        );
        // One second before the epoch.
        assert_eq!(fields(&gmtime(-1)), (1969, 12, 31, 23, 59, 59, 3, 364));
        // 1900-01-01 was a Monday; 1900 was not a leap year.
        assert_eq!(fields(&gmtime(-2_208_988_800)), (1900, 1, 1, 0, 0, 0, 1, 0));
        assert_eq!(
            fields(&gmtime(-2_203_891_200)),
            (1900, 3, 1, 0, 0, 0, 4, 59)
        );
        // Year 0 and year -1 (values CPython 3.13 prints for these instants).
        assert_eq!(fields(&gmtime(-62_167_219_200)), (0, 1, 1, 0, 0, 0, 6, 0));
        assert_eq!(
            fields(&gmtime(-62_167_219_201)),
            (-1, 12, 31, 23, 59, 59, 5, 364)
        );
        assert_eq!(
            fields(&gmtime(253_402_300_800)),
            (10000, 1, 1, 0, 0, 0, 6, 0)
        );
        assert_eq!(
            fields(&gmtime(1_000_000_000_000_000)),
            (31_690_708, 7, 5, 1, 46, 40, 0, 186)
        );
    }

    #[test]
    fn extremes_do_not_overflow() {
        for s in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let t = gmtime(s);
            let back = timegm(
                i128::from(t.year),
                t.month,
                t.day,
                t.hour,
                t.minute,
                t.second,
            );
            assert_eq!(back, i128::from(s));
            for off in [i32::MIN, -1, 0, 1, i32::MAX] {
                let o = LocalOffset {
                    utc_offset: off,
                    zone: "X".into(),
                    is_dst: 1,
                };
                let l = localtime(s, &o);
                let back = timegm(
                    i128::from(l.year),
                    l.month,
                    l.day,
                    l.hour,
                    l.minute,
                    l.second,
                );
                assert_eq!(back - i128::from(off), i128::from(s));
            }
        }
        assert_eq!(gmtime(i64::MAX).year, 292_277_026_596);
        assert_eq!(gmtime(i64::MIN).year, -292_277_022_657);
    }

    #[test]
    fn localtime_shifts_and_copies() {
        let o = LocalOffset {
            utc_offset: 19_800,
            zone: "+0530".into(),
            is_dst: 0,
        };
        let t = localtime(0, &o);
        assert_eq!(fields(&t), (1970, 1, 1, 5, 30, 0, 4, 0));
        assert_eq!(
            (t.utc_offset, t.zone.as_str(), t.is_dst),
            (19_800, "+0530", 0)
        );
        let o = LocalOffset {
            utc_offset: -18_000,
            zone: "EST".into(),
            is_dst: 0,
        };
        assert_eq!(fields(&localtime(0, &o)), (1969, 12, 31, 19, 0, 0, 3, 364));
    }

    #[test]
    fn timegm_normalises_like_mktime() {
        // Feb 31 runs on into March; month 13 into the next year.
        assert_eq!(timegm(2023, 2, 31, 0, 0, 0), timegm(2023, 3, 3, 0, 0, 0));
        assert_eq!(timegm(2023, 13, 1, 0, 0, 0), timegm(2024, 1, 1, 0, 0, 0));
        assert_eq!(timegm(1970, 1, 1, 0, 0, 61), 61);
        assert!(timegm(i128::from(i64::MAX), 12, 31, 23, 59, 59) > 0);
    }

    #[test]
    fn round_trip_many_days() {
        let mut d: i64 = -800_000;
        while d < 800_000 {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(i128::from(y), m, day), i128::from(d));
            d += 97;
        }
        assert!(is_leap(2000) && is_leap(-4) && is_leap(0));
        assert!(!is_leap(1900) && !is_leap(2100) && !is_leap(-1));
    }
}
