//! Unit tests of [`super::strftime`]; every expected string was printed by CPython 3.13 on
//! glibc 2.36 (`time.strftime(fmt, time.localtime(t))` with the `TZ` named in each test).

use super::*;

/// 2024-07-07 16:07:09 CEST (a Sunday), `TZ=CET-1CEST,M3.5.0,M10.5.0/3`, t = 1720361229.
fn cest() -> BrokenDownTime {
    let off = LocalOffset {
        utc_offset: 7200,
        zone: "CEST".into(),
        is_dst: 1,
    };
    localtime(1_720_361_229, &off)
}

fn fmt(f: &str, tm: &BrokenDownTime) -> String {
    let mut s = String::new();
    strftime(f, tm, &mut s);
    s
}

#[track_caller]
fn check(tm: &BrokenDownTime, cases: &[(&str, &str)]) {
    for (f, want) in cases {
        assert_eq!(fmt(f, tm), *want, "format {f:?}");
    }
}

#[test]
fn every_conversion() {
    check(
        &cest(),
        &[
            ("%a %A %b %B %h", "Sun Sunday Jul July Jul"),
            ("%c", "Sun Jul  7 16:07:09 2024"),
            ("%C %d %D %e %F", "20 07 07/07/24  7 2024-07-07"),
            ("%g %G %V", "24 2024 27"),
            ("%H %I %j %k %l", "16 04 189 16  4"),
            ("%m %M %p %P %r %R", "07 07 PM pm 04:07:09 PM 16:07"),
            ("%S %t %T %u %U %w %W", "09 \t 16:07:09 7 27 0 27"),
            (
                "%x %X %y %Y %z %Z %%",
                "07/07/24 16:07:09 24 2024 +0200 CEST %",
            ),
            ("%n", "\n"),
            ("%s", "1720361229"),
        ],
    );
}

#[test]
fn modifiers() {
    check(
        &cest(),
        &[
            (
                "%Ec %EC %Ex %EX %Ey %EY",
                "Sun Jul  7 16:07:09 2024 20 07/07/24 16:07:09 24 2024",
            ),
            (
                "%Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy",
                "07  7 16 04 07 07 09 7 27 27 0 27 24",
            ),
            ("%Ob %OB %Oh", "Jul July Jul"),
            ("%Ea %OY %E% %5%", "%Ea %OY %     %"),
        ],
    );
}

#[test]
fn flags_and_widths() {
    check(
        &cest(),
        &[
            (
                "%^a %^A %^b %^B %#a %#b %#p %^p %#Z %^Z",
                "SUN SUNDAY JUL JULY SUN JUL pm PM cest CEST",
            ),
            (
                "%10A|%-10A|%_10A|%010A",
                "    Sunday|    Sunday|    Sunday|0000Sunday",
            ),
            ("%5d|%-5d|%_5d|%05d|%-d|%_d", "00007|    7|    7|00007|7| 7"),
            ("%5e|%-e|%0e", "    7|7|07"),
            (
                "%10z|%-z|%_z|%010z",
                "         +0000000200|+200|+ 200|000000000+0000000200",
            ),
            (
                "%15c|%^c|%015D",
                "Sun Jul  7 16:07:09 2024|SUN JUL  7 16:07:09 2024|000000007/07/24",
            ),
        ],
    );
}

#[test]
fn unknown_and_trailing() {
    check(
        &cest(),
        &[
            ("%q %5q %^q", "%q   %5q %^Q"),
            ("%", "%"),
            ("abc%", "abc%"),
            ("%-", "%-"),
            ("%5", "   %5"),
            ("%E", "%E"),
            ("%^10", "      %^10"),
            ("é%aé%^é", "éSuné%^É"),
            ("%+ %:z %N %f", "%+ %:z %N %f"),
            ("%#Eb|%#Eh|%#EB|%#Ea|%^Ea", "%#EB|%#EH|%#EB|%#Ea|%^EA"),
            ("", ""),
        ],
    );
}

#[test]
fn length_bound_of_cpython() {
    let tm = cest();
    assert_eq!(fmt("%2147483647Y", &tm), "");
    assert_eq!(fmt("%99999999999999Y", &tm), "");
    // Six characters of format: CPython stops at a 2048-character buffer.
    assert_eq!(fmt("%2047Y", &tm).len(), 2047);
    assert_eq!(fmt("%2048Y", &tm), "");
    let long = fmt("%1015Y%Y", &tm);
    assert_eq!(long.len(), 1019);
    assert!(long.starts_with("000") && long.ends_with("020242024"));
    // Appending keeps what was there, also when the result is dropped.
    let mut s = String::from("x");
    strftime("%3000Y", &tm, &mut s);
    assert_eq!(s, "x");
    strftime("-%Y", &tm, &mut s);
    assert_eq!(s, "x-2024");
}

#[test]
fn gmtime_zone_and_epoch() {
    check(
        &gmtime(0),
        &[
            ("%Z %z %s", "GMT +0000 0"),
            ("%-5z|%_10z", "    +    0|         +         0"),
            (
                "%c|%x|%X|%D|%r",
                "Thu Jan  1 00:00:00 1970|01/01/70|00:00:00|01/01/70|12:00:00 AM",
            ),
            ("%#P|%^P|%^#p", "am|am|am"),
        ],
    );
}

#[test]
fn years_outside_four_digits() {
    // time.gmtime(-62135683200): 0000-12-31.
    check(
        &gmtime(-62_135_683_200),
        &[(
            "%Y|%C|%y|%G|%g|%V|%s|%F|%c|%5Y|%_5C|%-y|%3G|%j|%u|%U|%W",
            "0|0|00|0|00|52|-62135683200|0-12-31|Sun Dec 31 00:00:00 0|00000|    0|0|000|366|7|53|52",
        )],
    );
    check(
        &gmtime(-62_167_219_201),
        &[(
            "%Y|%C|%y|%G|%g|%V|%F|%5Y|%_5C|%3G",
            "-1|-1|99|-1|99|52|-1-12-31|-0001|   -1|-01",
        )],
    );
    check(
        &gmtime(-99_999_999_999),
        &[(
            "%Y|%C|%y|%G|%c",
            "-1199|-12|01|-1199|Thu Feb 15 14:13:21 -1199",
        )],
    );
    check(
        &gmtime(253_402_300_800),
        &[(
            "%Y|%C|%y|%G|%g|%V|%5Y|%_5C",
            "10000|100|00|9999|99|52|10000|  100",
        )],
    );
    check(
        &gmtime(-1_000_000_000_000_000),
        &[(
            "%Y|%C|%y|%s|%F",
            "-31686769|-316868|31|-1000000000000000|-31686769-06-29",
        )],
    );
    // Beyond what CPython accepts: still formatted, never a panic.
    assert_eq!(
        fmt("%Y %G %s", &gmtime(i64::MAX)),
        "292277026596 292277026596 9223372036854775807"
    );
    assert_eq!(fmt("%Y %C", &gmtime(i64::MIN)), "-292277022657 -2922770227");
}

#[test]
fn negative_seconds_pad_before_the_sign() {
    let mut tm = gmtime(-5);
    assert_eq!(
        fmt("[%s|%010s|%_10s|%-10s|%10s]", &tm),
        "[-5|00000000-5|        -5|        -5|        -5]"
    );
    tm.utc_offset = 0;
    tm.is_dst = -1;
    assert_eq!(fmt("[%z]", &tm), "[]");
}

#[test]
fn cpython_checks() {
    let base = gmtime(0);
    let err = |f: &dyn Fn(&mut BrokenDownTime)| {
        let mut tm = base.clone();
        f(&mut tm);
        let mut s = String::from("kept");
        let r = try_strftime("%Y", &tm, &mut s);
        assert_eq!(s, "kept");
        r.unwrap_err().message()
    };
    assert_eq!(err(&|t| t.month = 13), "month out of range");
    assert_eq!(err(&|t| t.day = 32), "day of month out of range");
    assert_eq!(err(&|t| t.hour = 24), "hour out of range");
    assert_eq!(err(&|t| t.minute = 60), "minute out of range");
    assert_eq!(err(&|t| t.second = 62), "seconds out of range");
    assert_eq!(err(&|t| t.yearday = 366), "day of year out of range");
    let mut s = String::new();
    assert_eq!(
        try_strftime("a\0b", &base, &mut s),
        Err(StrftimeError::EmbeddedNul)
    );
    assert_eq!(
        StrftimeError::EmbeddedNul.to_string(),
        "embedded null character"
    );
    assert_eq!(StrftimeError::EmbeddedNul.python_class(), "ValueError");
    strftime("a\0b", &base, &mut s);
    assert_eq!(s, "");
    // time.strftime('%Y-%m-%d %H:%M:%S %a %j %U', (2024,0,0,0,0,0,0,0,0)) and
    // (2024,1,1,0,0,61,9,366,0): zeros become the first month / day; the weekday wraps.
    let mut tm = base.clone();
    tm.year = 2024;
    tm.month = 0;
    tm.day = 0;
    tm.weekday = 1;
    assert_eq!(
        fmt("%Y-%m-%d %H:%M:%S %a %j %U", &tm),
        "2024-01-01 00:00:00 Mon 001 00"
    );
    tm.month = 1;
    tm.day = 1;
    tm.second = 61;
    tm.weekday = 10;
    tm.yearday = 365;
    assert_eq!(
        fmt("%Y-%m-%d %H:%M:%S %a %j %U", &tm),
        "2024-01-01 00:00:61 Wed 366 52"
    );
}

#[test]
fn zone_edge_cases() {
    let mut tm = gmtime(0);
    tm.zone = "straße\u{130}".into();
    assert_eq!(
        fmt("%^Z|%#Z|%Z", &tm),
        "STRAßE\u{130}|straßei|straße\u{130}"
    );
    tm.zone = "AB\0CD".into();
    assert_eq!(fmt("[%Z]", &tm), "[AB]");
    tm.zone = String::new();
    assert_eq!(fmt("[%5Z]", &tm), "[     ]");
    tm.utc_offset = -1050;
    assert_eq!(fmt("%z", &tm), "-0017");
    tm.utc_offset = i32::MIN;
    assert_eq!(fmt("%z", &tm), "-59652314");
}

#[test]
fn split_nanos_floors() {
    assert_eq!(split_unix_nanos(0), (0, 0));
    assert_eq!(split_unix_nanos(1_500_000_000), (1, 500_000_000));
    assert_eq!(split_unix_nanos(-1), (-1, 999_999_999));
    assert_eq!(split_unix_nanos(-1_000_000_000), (-1, 0));
    assert_eq!(split_unix_nanos(i64::MIN), (-9_223_372_037, 145_224_192));
    assert_eq!(split_unix_nanos(i64::MAX), (9_223_372_036, 854_775_807));
}
