//! Properties of `core::time` over arbitrary input: no panic, output bounded as CPython
//! bounds it, nothing appended on error, and the calendar consistent with itself.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use wasm_logging::core::time::{
    gmtime, localtime, split_unix_nanos, strftime, try_strftime, BrokenDownTime, LocalOffset,
};

/// CPython's largest buffer for a format of `n` characters: the output is shorter.
fn cap(n: usize) -> usize {
    let mut size = 1024usize;
    while size < n.saturating_mul(256) {
        size = size.saturating_mul(2);
    }
    size
}

/// Formats that look like strftime formats: conversions with flags, widths (some huge) and
/// modifiers, literal text, and maybe a `%` at the end.
fn format_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "(%[-_0^#]{0,3}[0-9]{0,12}[EO]?[a-zA-Z%+: é]|[^%]{0,3}){0,12}%?",
        ".{0,40}",
        "(%[0-9]{3,11}[cYsZz]){1,4}",
    ]
}

fn tm_strategy() -> impl Strategy<Value = BrokenDownTime> {
    (
        (
            any::<i64>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
        ),
        (
            any::<u32>(),
            any::<u32>(),
            any::<i32>(),
            any::<i32>(),
            ".{0,8}",
        ),
    )
        .prop_map(
            |(
                (year, month, day, hour, minute, second),
                (weekday, yearday, is_dst, utc_offset, zone),
            )| {
                BrokenDownTime {
                    year,
                    month: month % 14,
                    day: day % 33,
                    hour: hour % 25,
                    minute: minute % 61,
                    second: second % 63,
                    weekday,
                    yearday: yearday % 367,
                    is_dst,
                    utc_offset,
                    zone,
                }
            },
        )
}

fn offset_strategy() -> impl Strategy<Value = LocalOffset> {
    (any::<i32>(), ".{0,8}", any::<i32>()).prop_map(|(utc_offset, zone, is_dst)| LocalOffset {
        utc_offset,
        zone,
        is_dst,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn output_is_bounded_and_appended(fmt in format_strategy(), t in any::<i64>(), off in offset_strategy()) {
        for tm in [gmtime(t), localtime(t, &off)] {
            let mut out = String::from("prefix");
            strftime(&fmt, &tm, &mut out);
            prop_assert!(out.starts_with("prefix"));
            let added = out["prefix".len()..].chars().count();
            prop_assert!(added < cap(fmt.chars().count()), "{} chars for {:?}", added, fmt);
        }
    }

    #[test]
    fn any_fields_never_panic(fmt in format_strategy(), tm in tm_strategy()) {
        let mut out = String::from("x");
        match try_strftime(&fmt, &tm, &mut out) {
            Ok(()) => prop_assert!(out.chars().count() - 1 < cap(fmt.chars().count())),
            Err(e) => {
                prop_assert_eq!(out.as_str(), "x");
                prop_assert!(!e.message().is_empty());
            }
        }
    }

    #[test]
    fn fields_are_in_range_and_consistent(t in any::<i64>(), off in offset_strategy()) {
        for tm in [gmtime(t), localtime(t, &off)] {
            prop_assert!((1..=12).contains(&tm.month));
            prop_assert!((1..=31).contains(&tm.day));
            prop_assert!(tm.hour < 24 && tm.minute < 60 && tm.second < 60);
            prop_assert!(tm.weekday < 7 && tm.yearday < 366);
            // %Y is the year; %s reads the fields back to the instant.
            let mut s = String::new();
            strftime("%Y|%s", &tm, &mut s);
            prop_assert_eq!(s, format!("{}|{}", tm.year, t));
        }
        let tm = localtime(t, &off);
        prop_assert_eq!((tm.utc_offset, tm.is_dst, tm.zone.as_str()), (off.utc_offset, off.is_dst, off.zone.as_str()));
    }

    #[test]
    fn days_advance_the_calendar(t in -4_000_000_000_000_000i64..4_000_000_000_000_000) {
        let a = gmtime(t);
        let b = gmtime(t + 86_400);
        prop_assert_eq!(b.weekday, (a.weekday + 1) % 7);
        prop_assert_eq!((b.hour, b.minute, b.second), (a.hour, a.minute, a.second));
        if b.year == a.year {
            prop_assert_eq!(b.yearday, a.yearday + 1);
        } else {
            prop_assert_eq!((b.year, b.month, b.day, b.yearday), (a.year + 1, 1, 1, 0));
            prop_assert_eq!((a.month, a.day), (12, 31));
        }
    }

    #[test]
    fn nanos_split_floors(ns in any::<i64>()) {
        let (s, n) = split_unix_nanos(ns);
        prop_assert!(n < 1_000_000_000);
        prop_assert_eq!(i128::from(s) * 1_000_000_000 + i128::from(n), i128::from(ns));
    }
}
