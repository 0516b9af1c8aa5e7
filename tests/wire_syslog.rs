//! Syslog frames against CPython 3.13: `message` is byte-identical to the datagrams
//! `SysLogHandler.emit` sends (levels including custom ones, facilities by name and number,
//! `ident`, `append_nul` on and off, unicode), `encode_priority` to `encodePriority`, and
//! `rfc5424` to the datagrams of the Logging Cookbook's `SysLogHandler5424` run under fixed
//! POSIX time zones (`tests/python/wire_syslog_oracle.py`). Without Python 3.13 those tests
//! skip. `WIRE_SEED` (u64) changes the seed.

#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/wire_support.rs"]
mod wire_support;

use wasm_logging::core::wire::syslog::{
    encode_priority, facility_by_name, map_priority, message, octet_counted, priority_by_name,
    rfc5424, Code, Rfc5424Fields, FACILITY_NAMES, LOG_LOCAL0, LOG_USER, PRIORITY_NAMES,
};
use wasm_logging::{Location, LogRecord, Text, Value};
use wire_support::{gen_str, gen_value, json_str, oracle, python, show, unhex, Gen, Rng, V};

fn seed() -> u64 {
    std::env::var("WIRE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_5157_0001)
}

const LEVELS: &[(i64, &str)] = &[
    (10, "DEBUG"),
    (20, "INFO"),
    (30, "WARNING"),
    (40, "ERROR"),
    (50, "CRITICAL"),
    (25, "Level 25"),
    (5, "TRACE"),
    (20, "info"),
    (60, "FATAL"),
];

/// A facility as the handler is given it.
#[derive(Clone, Debug)]
enum Facility {
    Name(&'static str),
    Number(u32),
}

impl Facility {
    fn json(&self) -> String {
        match self {
            Facility::Name(n) => format!("\"{n}\""),
            Facility::Number(n) => n.to_string(),
        }
    }
    fn number(&self) -> Option<u32> {
        match self {
            Facility::Name(n) => facility_by_name(n),
            Facility::Number(n) => Some(*n),
        }
    }
}

fn gen_facility(rng: &mut Rng) -> Facility {
    match rng.below(6) {
        0 | 1 => Facility::Name(rng.pick(FACILITY_NAMES).0),
        2 => Facility::Name(rng.pick(&["nope", "LOCAL0", "Local1", ""])),
        3 => Facility::Number(rng.pick(&[100, 1 << 20, u32::MAX >> 3])),
        _ => Facility::Number(rng.below(24) as u32),
    }
}

#[test]
fn message_matches_sysloghandler_datagrams() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed());
    struct Case {
        msg: String,
        ident: String,
        append_nul: bool,
        facility: Facility,
        level: (i64, &'static str),
    }
    let cases: Vec<Case> = (0..400)
        .map(|_| Case {
            msg: if rng.chance(10) {
                "é".repeat(rng.below(3000) as usize)
            } else {
                gen_str(&mut rng)
            },
            ident: rng.pick(&["", "app: ", "ünï[1]: ", "x"]).to_owned(),
            append_nul: rng.chance(50),
            facility: gen_facility(&mut rng),
            level: rng.pick(LEVELS),
        })
        .collect();
    let mut input = String::from("[");
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            input.push(',');
        }
        input.push_str("{\"msg\":");
        json_str(&c.msg, &mut input);
        input.push_str(",\"ident\":");
        json_str(&c.ident, &mut input);
        input.push_str(&format!(
            ",\"append_nul\":{},\"facility\":{},\"levelno\":{},\"levelname\":",
            c.append_nul,
            c.facility.json(),
            c.level.0
        ));
        json_str(c.level.1, &mut input);
        input.push('}');
    }
    input.push(']');
    let want = oracle(&py, "wire_syslog_oracle.py", &["plain"], &input);
    let mut failures = Vec::new();
    let mut errors = 0;
    for (c, w) in cases.iter().zip(want.as_array().expect("a list")) {
        match (c.facility.number(), w.as_str()) {
            (Some(fac), Some(hex)) => {
                let got = message(&c.msg, &c.ident, c.append_nul, fac, c.level.1);
                let want = unhex(hex);
                if got != want {
                    failures.push(format!(
                        "{:?} {:?}\n  python: {}\n  rust:   {}",
                        c.facility,
                        c.level,
                        show(&want),
                        show(&got)
                    ));
                }
            }
            (None, None) => {
                errors += 1;
                assert!(w["err"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("KeyError"));
            }
            (fac, _) => failures.push(format!("{:?}: rust {fac:?}, python {w}", c.facility)),
        }
    }
    eprintln!(
        "{} datagrams compared, {errors} unknown facilities",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn encode_priority_matches_cpython() {
    let Some(py) = python() else { return };
    let codes: Vec<(String, Code<'static>)> = FACILITY_NAMES
        .iter()
        .chain(PRIORITY_NAMES)
        .map(|(n, _)| (format!("\"{n}\""), Code::Name(n)))
        .chain(
            ["nope", "", "DEBUG", "Info"]
                .iter()
                .map(|n| (format!("\"{n}\""), Code::Name(n))),
        )
        .chain(
            [0i64, 1, 7, 8, 9, 23, 24, -1, -8, 1 << 40, i64::MAX >> 3]
                .iter()
                .map(|&n| (n.to_string(), Code::Number(n))),
        )
        .collect();
    let mut pairs = Vec::new();
    for (i, f) in codes.iter().enumerate() {
        for (j, p) in codes.iter().enumerate() {
            if (i + j) % 3 == 0 || i < 3 || j < 3 {
                pairs.push((f, p));
            }
        }
    }
    let input = format!(
        "[{}]",
        pairs
            .iter()
            .map(|(f, p)| format!("[{},{}]", f.0, p.0))
            .collect::<Vec<_>>()
            .join(",")
    );
    let want = oracle(&py, "wire_syslog_oracle.py", &["encode"], &input);
    for ((f, p), w) in pairs.iter().zip(want.as_array().expect("a list")) {
        let got = encode_priority(f.1, p.1);
        match (got, w.as_i64(), w["err"].as_str()) {
            (Ok(v), Some(want), _) => assert_eq!(v, want, "{f:?} {p:?}"),
            (Err(e), None, Some(err)) => assert_eq!(e.message(), err),
            (got, ..) => panic!("{f:?} {p:?}: rust {got:?}, python {w}"),
        }
    }
    eprintln!("{} pairs compared", pairs.len());
}

/// A fixed POSIX zone and its offset in seconds east of UTC.
const ZONES: &[(&str, i32)] = &[
    ("UTC0", 0),
    ("XXX-05:30", 19800),
    ("XXX+08", -28800),
    ("XXX-14", 50400),
    ("XXX+00:30", -1800),
    ("XXX-00:45", 2700),
    ("XXX+12", -43200),
    ("XXX-01", 3600),
];

#[test]
fn rfc5424_matches_cookbook_sysloghandler5424() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed() ^ 0x5424);
    struct Case {
        zone: (&'static str, i32),
        created: f64,
        hostname: Option<&'static str>,
        appname: Option<&'static str>,
        process: u32,
        level: (i64, &'static str),
        msg: String,
        sd: Option<V>,
        bom: bool,
        append_nul: bool,
        facility: u32,
    }
    let g = Gen {
        objects: false,
        equal_keys: false,
        depth: 2,
    };
    let cases: Vec<Case> = (0..300)
        .map(|_| {
            let created: f64 = match rng.below(6) {
                0 => rng.pick(&[
                    0.0,
                    1e-6,
                    5e-7,
                    -5e-7,
                    1.5e-6,
                    2.5e-6,
                    -1.0,
                    1_700_000_000.0,
                    1_700_000_000.5,
                    1_700_000_000.000_000_5,
                    1_677_903_921.0,
                    1_699_999_999.999_999_7,
                    -1_500_000_000.25,
                    253_402_300_799.0,
                    253_402_300_799.999_99,
                    -62_135_596_800.0,
                    -62_135_596_800.5,
                    1e12,
                    f64::INFINITY,
                ]),
                1 => -(rng.below(1 << 62) as f64) / 1e9,
                2 => (rng.below(1 << 40) as f64) / 1024.0,
                _ => (1_000_000_000_000_000_000 + rng.below(1 << 60) as i64) as f64 / 1e9,
            };
            let sd = match rng.below(4) {
                0 => None,
                _ => Some(V::Dict(
                    (0..1 + rng.below(3))
                        .map(|i| {
                            (
                                V::Str(format!(
                                    "{}@{}",
                                    rng.pick(&["foo", "origin", "meta", "x"]),
                                    32473 + i
                                )),
                                V::Dict(
                                    (0..rng.below(4))
                                        .map(|j| {
                                            (
                                                V::Str(format!(
                                                    "{}{j}",
                                                    rng.pick(&["ip", "k", "software"])
                                                )),
                                                match rng.below(3) {
                                                    0 => V::Str(
                                                        rng.pick(&[
                                                            "a]b",
                                                            "q\"uote",
                                                            "back\\slash",
                                                            "]\"\\",
                                                            "",
                                                        ])
                                                        .to_owned(),
                                                    ),
                                                    _ => gen_value(&mut rng, g, 1),
                                                },
                                            )
                                        })
                                        .collect(),
                                ),
                            )
                        })
                        .collect(),
                )),
            };
            Case {
                zone: rng.pick(ZONES),
                created,
                hostname: rng.pick(&[Some("myhost"), Some("h.example.com"), None]),
                appname: rng.pick(&[Some("app"), Some("my_app"), Some(""), None]),
                process: rng.pick(&[4242, 1, 99999]),
                level: rng.pick(LEVELS),
                msg: gen_str(&mut rng),
                sd,
                bom: rng.chance(50),
                append_nul: rng.chance(50),
                facility: rng.below(24) as u32,
            }
        })
        .collect();
    let mut input = String::from("[");
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            input.push(',');
        }
        input.push_str(&format!(
            "{{\"tz\":\"{}\",\"created\":\"{:?}\",\"process\":{},\"levelno\":{},\"bom\":{},\
             \"append_nul\":{},\"facility\":{},\"hostname\":",
            c.zone.0, c.created, c.process, c.level.0, c.bom, c.append_nul, c.facility
        ));
        match c.hostname {
            Some(h) => json_str(h, &mut input),
            None => input.push_str("null"),
        }
        input.push_str(",\"appname\":");
        match c.appname {
            Some(h) => json_str(h, &mut input),
            None => input.push_str("null"),
        }
        input.push_str(",\"levelname\":");
        json_str(c.level.1, &mut input);
        input.push_str(",\"msg\":");
        json_str(&c.msg, &mut input);
        input.push_str(",\"sd\":");
        match &c.sd {
            Some(v) => v.json(&mut input),
            None => input.push_str("null"),
        }
        input.push('}');
    }
    input.push(']');
    let want = oracle(&py, "wire_syslog_oracle.py", &["rfc5424"], &input);
    let mut failures = Vec::new();
    let mut errors = 0;
    for (c, w) in cases.iter().zip(want.as_array().expect("a list")) {
        let mut r = LogRecord::new(
            Text::from("app"),
            c.level.0,
            Text::from(c.level.1),
            Location::unknown(),
            Value::from(c.msg.clone()),
            vec![],
            None,
            0,
            0,
        );
        r.created = c.created;
        r.process = Some(c.process);
        if let Some(sd) = &c.sd {
            r.add_extra(&[(Text::from("structured_data"), sd.to_value())])
                .expect("not a record attribute");
        }
        let fields = Rfc5424Fields {
            facility: c.facility,
            utc_offset: c.zone.1,
            hostname: c.hostname,
            app_name: c.appname,
            msgid: None,
            bom: c.bom,
            append_nul: c.append_nul,
        };
        let got = rfc5424(&r, &c.msg, &fields);
        match (&got, w.as_str()) {
            (Ok(got), Some(hex)) => {
                let want = unhex(hex);
                if *got != want {
                    failures.push(format!(
                        "{} created={}\n  python: {}\n  rust:   {}",
                        c.zone.0,
                        r.created,
                        show(&want),
                        show(got)
                    ));
                }
            }
            (Err(e), None) if Some(e.message()) == w["err"].as_str() => errors += 1,
            _ => failures.push(format!(
                "{} created={}: rust {got:?}, python {w}",
                c.zone.0, r.created
            )),
        }
    }
    eprintln!(
        "{} frames compared, {errors} out of datetime's range",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

fn record(level: &'static str, created_ns: i64) -> LogRecord {
    LogRecord::new(
        "app".into(),
        20,
        level.into(),
        Location::unknown(),
        Value::from("m"),
        vec![],
        None,
        created_ns,
        0,
    )
}

#[test]
fn rfc5424_fills_missing_fields_with_nilvalue() {
    let mut r = record("INFO", 1_700_000_000_000_000_000);
    r.process = None;
    let frame = rfc5424(&r, "hello", &Rfc5424Fields::default()).unwrap();
    assert_eq!(frame, b"<14>1 2023-11-14T22:13:20Z - - - - - hello");
    r.add_extra(&[(Text::from("structured_data"), Value::dict::<&str>([]))])
        .unwrap();
    let fields = Rfc5424Fields {
        facility: LOG_LOCAL0,
        utc_offset: -18000,
        hostname: Some("h"),
        app_name: Some("a"),
        msgid: Some("ID47"),
        bom: true,
        append_nul: false,
    };
    assert_eq!(
        rfc5424(&r, "é", &fields).unwrap(),
        "<134>1 2023-11-14T17:13:20-05:00 h a - ID47 - \u{feff}é".as_bytes()
    );
    let mut bad = record("ERROR", 0);
    bad.add_extra(&[(Text::from("structured_data"), Value::list([]))])
        .unwrap();
    assert_eq!(
        rfc5424(&bad, "m", &fields).unwrap_err().message(),
        "AttributeError: 'list' object has no attribute 'items'"
    );
    let mut far = record("ERROR", 0);
    far.created = 253_402_300_799.0;
    far.process = Some(7);
    assert_eq!(
        rfc5424(&far, "m", &fields).unwrap(),
        "<131>1 9999-12-31T18:59:59-05:00 h a 7 ID47 - \u{feff}m".as_bytes()
    );
    let east = Rfc5424Fields {
        utc_offset: 3600,
        ..fields
    };
    assert_eq!(
        rfc5424(&far, "m", &east).unwrap_err().message(),
        "ValueError: year 10000 is out of range"
    );
}

#[test]
fn tables_and_framing() {
    assert_eq!(octet_counted(b""), b"0 ");
    assert_eq!(octet_counted("é".as_bytes()), b"2 \xc3\xa9");
    for (level, name) in [
        ("DEBUG", "debug"),
        ("INFO", "info"),
        ("WARNING", "warning"),
        ("ERROR", "error"),
        ("CRITICAL", "critical"),
        ("WARN", "warning"),
        ("Level 5", "warning"),
    ] {
        assert_eq!(map_priority(level), name);
    }
    assert_eq!(priority_by_name("panic"), Some(0));
    assert_eq!(facility_by_name("solaris-cron"), Some(15));
    assert_eq!(message("x", "", false, LOG_USER, "CRITICAL"), b"<10>x");
    assert_eq!(
        message("x", "", true, u32::MAX, "DEBUG"),
        b"<34359738367>x\0"
    );
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    proptest! {
        #![proptest_config(Config { cases: 3000, failure_persistence: None, ..Config::default() })]

        #[test]
        fn rfc5424_never_panics(
            created in any::<f64>(),
            edge in prop::sample::select(vec![0.0, -62_135_596_800.0, 253_402_300_799.0, 9.3e18, -9.3e18, f64::MAX]),
            use_edge in any::<bool>(),
            utc_offset in any::<i32>(),
            facility in any::<u32>(),
            msg in "\\PC{0,20}",
            level in "\\PC{0,8}",
        ) {
            let mut r = record("INFO", 0);
            r.created = if use_edge { edge } else { created };
            r.levelname = Text::from(level);
            let fields = Rfc5424Fields { facility, utc_offset, ..Rfc5424Fields::default() };
            let _ = rfc5424(&r, &msg, &fields);
            let _ = message(&msg, &msg, true, facility, &r.levelname);
        }
    }
}
