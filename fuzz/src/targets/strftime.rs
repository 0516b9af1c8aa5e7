//! `strftime`: `time.strftime` (datefmt) over `gmtime`/`localtime` of any instant and over
//! arbitrary broken-down times, and `Formatter.formatTime` with the format as `datefmt`.
//!
//! Input: 13 header bytes (seconds since the epoch as i64 LE, the UTC offset as i32 LE, one
//! byte for the zone and DST flag; missing bytes are zeros), then the format.

use wasm_logging::core::formatter::{Converter, Formatter};
use wasm_logging::core::time::{gmtime, localtime, try_strftime, BrokenDownTime, LocalOffset};
use wasm_logging::core::value::Text;

use super::{outcome, quiet_host, sample_record, text};
use crate::engine::Target;

/// The driver.
pub fn target() -> Target {
    Target {
        name: "strftime",
        about: "strftime/datefmt over gmtime, localtime, raw struct tm and formatTime",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 300,
        json: false,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"%",
    b"%%",
    b"%a",
    b"%A",
    b"%b",
    b"%B",
    b"%c",
    b"%C",
    b"%d",
    b"%D",
    b"%e",
    b"%F",
    b"%g",
    b"%G",
    b"%h",
    b"%H",
    b"%I",
    b"%j",
    b"%k",
    b"%l",
    b"%m",
    b"%M",
    b"%n",
    b"%p",
    b"%P",
    b"%r",
    b"%R",
    b"%s",
    b"%S",
    b"%t",
    b"%T",
    b"%u",
    b"%U",
    b"%V",
    b"%w",
    b"%W",
    b"%x",
    b"%X",
    b"%y",
    b"%Y",
    b"%z",
    b"%Z",
    b"%+",
    b"%E",
    b"%O",
    b"%Ec",
    b"%Oy",
    b"%-",
    b"%_",
    b"%0",
    b"%^",
    b"%#",
    b"%10",
    b"%2147483647",
    b"%-d",
    b"%_H",
    b"%^a",
    b"%#Z",
    b"%:z",
    b"%f",
    b"%Q",
    b"\x00",
    b"\xc3\xa9",
    b"\xf0\x9d\x84\x9e",
];

/// Instants the header starts from: now-ish, the epoch, before 1970, far past and future.
const INSTANTS: &[(i64, i32)] = &[
    (1_700_000_000, 3600),
    (0, 0),
    (-1, -18000),
    (951_782_400, 19800),
    (-62_135_596_800, 0),
    (253_402_300_799, -43200),
    (67_768_036_191_676_799, 50400),
    (i64::MAX, i32::MAX),
    (i64::MIN, i32::MIN),
];

fn seeds() -> Vec<Vec<u8>> {
    let mut formats = super::cookbook_strings(&["datefmts"]);
    formats.extend(
        [
            "%Y-%m-%d %H:%M:%S",
            "%a %b %e %H:%M:%S %Z %Y",
            "%c | %x | %X | %D | %T | %r | %R",
            "%G-W%V-%u %j %U %W %w %y %C %g",
            "%s %z %Z %p %I %l %k %n%t%%",
            "%10Y %-d %_m %^b %#Z %010s %-5z",
            "%Ey %EC %Od %Ex",
            "%2147483647Y",
            "%",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    let mut out = Vec::new();
    for (i, f) in formats.iter().enumerate() {
        let (secs, off) = INSTANTS[i % INSTANTS.len()];
        let mut s = secs.to_le_bytes().to_vec();
        s.extend_from_slice(&off.to_le_bytes());
        s.push(i as u8);
        s.extend_from_slice(f.as_bytes());
        out.push(s);
    }
    out
}

const ZONES: &[&str] = &[
    "UTC",
    "CET",
    "CEST",
    "EST",
    "",
    "A\0B",
    "+0530",
    "\u{e9}t\u{e9}",
];

fn run(data: &[u8]) -> u64 {
    quiet_host();
    let mut header = [0u8; 13];
    let n = data.len().min(13);
    header[..n].copy_from_slice(&data[..n]);
    let fmt = text(&data[n..]);
    let secs = i64::from_le_bytes(header[0..8].try_into().unwrap_or([0; 8]));
    let offset = i32::from_le_bytes(header[8..12].try_into().unwrap_or([0; 4]));
    let flags = header[12];
    let local = LocalOffset {
        utc_offset: offset,
        zone: ZONES[usize::from(flags) % ZONES.len()].to_owned(),
        is_dst: i32::from(flags >> 6) - 1,
    };
    let mut out = String::new();

    let tm = localtime(secs, &local);
    let r = try_strftime(&fmt, &tm, &mut out).map(|()| out.len());
    let mut sig = outcome(1, &r);

    out.clear();
    let r = try_strftime(&fmt, &gmtime(secs), &mut out).map(|()| out.len());
    sig ^= outcome(2, &r).rotate_left(9);

    // A struct tm no clock made: every field out of range somewhere.
    let raw = BrokenDownTime {
        year: secs,
        month: u32::from(header[0] % 16),
        day: u32::from(header[1] % 40),
        hour: u32::from(header[2] % 30),
        minute: u32::from(header[3] % 70),
        second: u32::from(header[4] % 70),
        weekday: u32::from(header[5] % 10),
        yearday: u32::from(header[6]) * 2 % 400,
        is_dst: i32::from(header[7] as i8),
        utc_offset: offset,
        zone: local.zone.clone(),
    };
    out.clear();
    let r = try_strftime(&fmt, &raw, &mut out).map(|()| out.len());
    sig ^= outcome(3, &r).rotate_left(19);

    // formatTime with this datefmt, for a record made at `secs` (plus nanoseconds).
    let converter = if flags & 1 == 0 {
        Converter::Local
    } else {
        Converter::Utc
    };
    if let Ok(formatter) = Formatter::builder()
        .fmt("%(asctime)s %(message)s")
        .datefmt(Text::from(fmt.to_string()))
        .converter(converter)
        .build()
    {
        let mut record = sample_record("tick", Vec::new());
        record.created_ns = secs.saturating_mul(1_000_000_000);
        record.created = secs as f64;
        record.msecs = f64::from(header[5]) * 3.9;
        let with = formatter.format_time(&record, Some(&fmt));
        let without = formatter.format_time(&record, None);
        sig ^= (with.len() as u64) << 3 ^ without.len() as u64;
        // The class attributes a user may set: the format as default_time_format and as
        // default_msec_format (`'%s,%03d' % (asctime, msecs)`).
        let mut custom = formatter.clone();
        custom.default_time_format = Text::from(fmt.to_string());
        custom.default_msec_format = Some(Text::from(fmt.to_string()));
        sig ^= (custom.format_time(&record, None).len() as u64) << 17;
    }
    sig
}
