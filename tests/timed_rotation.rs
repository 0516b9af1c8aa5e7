//! `TimedRotatingFileHandler` against CPython 3.13: the same (time, message) records go
//! through CPython's handler in a temporary folder, with `time.time`/`time.time_ns` patched
//! and `TZ` set, and through the core's handler over `MemoryStorage`, with a host clock that
//! reports the same instants and the same zone. The log names and contents must be equal.
// Native only: runs the reference CPython.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::core::handlers::{AtTime, MemoryHandler, TimedRotatingFileHandler};
use wasm_logging::core::sink::StorageSink;
use wasm_logging::core::time::{gmtime, LocalOffset};
use wasm_logging::{host, Formatter, Handler, Manager, MemoryStorage, Value};

const SEC: i64 = 1_000_000_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// The zones the tests run in: CPython gets them through `TZ`, the core through its clock.
#[derive(Clone, Copy, Debug)]
enum Zone {
    Utc,
    /// Europe/Berlin: CET, CEST from the last Sunday of March to the last Sunday of October
    /// (01:00 UTC both).
    Berlin,
}

impl Zone {
    fn tz(self) -> &'static str {
        match self {
            Zone::Utc => "UTC",
            Zone::Berlin => "Europe/Berlin",
        }
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of a UTC civil time.
fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
    (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60) * SEC
}

/// 01:00 UTC on the last Sunday of March or October of `year`.
fn eu_switch(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    let weekday = (last + 4).rem_euclid(7); // 0 = Sunday
    (last - weekday) * 86_400 + 3600
}

/// The host clock of the core: an instant the test moves, and the zone's offsets.
struct TestClock {
    now: Cell<i64>,
    zone: Zone,
}

impl host::Clock for TestClock {
    fn now_ns(&self) -> i64 {
        self.now.get()
    }
    fn local_offset(&self, secs: i64) -> LocalOffset {
        match self.zone {
            Zone::Utc => LocalOffset {
                utc_offset: 0,
                zone: "UTC".into(),
                is_dst: 0,
            },
            Zone::Berlin => {
                let year = gmtime(secs).year;
                let summer = (eu_switch(year, 3)..eu_switch(year, 10)).contains(&secs);
                LocalOffset {
                    utc_offset: if summer { 7200 } else { 3600 },
                    zone: if summer { "CEST" } else { "CET" }.into(),
                    is_dst: i32::from(summer),
                }
            }
        }
    }
}

/// One run: a handler's arguments and the records it receives.
#[derive(Clone, Debug)]
struct Scenario {
    zone: Zone,
    when: &'static str,
    interval: i64,
    backup_count: u32,
    utc: bool,
    at_time: Option<(u32, u32, u32)>,
    delay: bool,
    /// `namer = lambda n: n + ".gz"`.
    namer: bool,
    /// Logs in the folder before the handler is built.
    existing: Vec<(&'static str, &'static str)>,
    /// A `MemoryHandler(capacity)` in front of the handler, if not 0.
    buffered: usize,
    start_ns: i64,
    /// (instant, message); each message is logged at its instant.
    records: Vec<(i64, String)>,
}

impl Scenario {
    fn new(zone: Zone, when: &'static str, start_ns: i64) -> Self {
        Scenario {
            zone,
            when,
            interval: 1,
            backup_count: 0,
            utc: false,
            at_time: None,
            delay: false,
            namer: false,
            existing: Vec::new(),
            buffered: 0,
            start_ns,
            records: Vec::new(),
        }
    }

    /// `count` records `step` apart, the first `first` after the start.
    fn every(mut self, first: i64, step: i64, count: usize) -> Self {
        for i in 0..count as i64 {
            let t = self.start_ns + first + i * step;
            self.records.push((t, format!("m{i} at {t}")));
        }
        self
    }
}

const LOG: &str = "app.log";

/// What CPython 3.13 leaves in the folder: name → content.
fn cpython(s: &Scenario) -> BTreeMap<String, String> {
    let records: Vec<String> = s
        .records
        .iter()
        .map(|(t, m)| format!("({t}, {m:?})"))
        .collect();
    let existing: Vec<String> = s
        .existing
        .iter()
        .map(|(n, c)| format!("({n:?}, {c:?})"))
        .collect();
    let at_time = match s.at_time {
        Some((h, m, sec)) => format!("datetime.time({h}, {m}, {sec})"),
        None => "None".into(),
    };
    let script = format!(
        r#"
import datetime, json, logging, logging.handlers, os, sys, tempfile, time
NOW = [{start}]
time.time_ns = lambda: NOW[0]
time.time = lambda: NOW[0] / 1e9
d = tempfile.mkdtemp()
os.chdir(d)
for name, content in [{existing}]:
    with open(name, "w") as f:
        f.write(content)
delay = {delay}
if not delay:
    # The core has no modification times: it starts from the time the handler is built,
    # which is CPython's st_mtime of a log the handler has just created.
    open("{LOG}", "a").close()
    os.utime("{LOG}", ns=(NOW[0], NOW[0]))
h = logging.handlers.TimedRotatingFileHandler("{LOG}", when={when:?}, interval={interval},
    backupCount={backup}, delay=delay, utc={utc}, atTime={at_time})
if {namer}:
    h.namer = lambda n: n + ".gz"
h.setFormatter(logging.Formatter("%(message)s"))
target = h
if {buffered}:
    target = logging.handlers.MemoryHandler({buffered}, flushLevel=logging.CRITICAL, target=h)
log = logging.getLogger("t")
log.propagate = False
log.setLevel(logging.DEBUG)
log.addHandler(target)
for t, msg in [{records}]:
    NOW[0] = t
    log.info(msg)
target.close()
h.close()
out = {{}}
for name in sorted(os.listdir(d)):
    with open(name, encoding="utf-8") as f:
        out[name] = f.read()
print(json.dumps(out))
"#,
        start = s.start_ns,
        existing = existing.join(", "),
        delay = if s.delay { "True" } else { "False" },
        when = s.when,
        interval = s.interval,
        backup = s.backup_count,
        utc = if s.utc { "True" } else { "False" },
        namer = if s.namer { "True" } else { "False" },
        buffered = s.buffered,
        records = records.join(", "),
    );
    let out = std::process::Command::new(common::python_exe())
        .arg("-c")
        .arg(&script)
        .env("TZ", s.zone.tz())
        .output()
        .expect("run the reference CPython");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = parse_json(String::from_utf8_lossy(&out.stdout).trim()).expect("CPython's JSON");
    let Value::Dict(d) = json else {
        panic!("not a dict: {json:?}")
    };
    d.iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_owned(),
                v.as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What the core leaves in storage: name → content. `via_config` builds the handler with
/// `dictConfig` (`atTime` as "HH:MM:SS") instead of the constructor.
fn core(s: &Scenario, via_config: bool) -> BTreeMap<String, String> {
    let clock = Rc::new(TestClock {
        now: Cell::new(s.start_ns),
        zone: s.zone,
    });
    host::install_clock(clock.clone());
    let storage = Rc::new(MemoryStorage::new());
    for (name, content) in &s.existing {
        storage.append(name, content.as_bytes()).unwrap();
    }
    let m = Manager::new();
    let log = m.get_logger("t");
    log.set_propagate(false);
    log.set_level(10).unwrap();
    let timed: Rc<dyn Handler> = if via_config {
        let at_time = match s.at_time {
            Some((h, mi, sec)) => format!(r#""{h:02}:{mi:02}:{sec:02}""#),
            None => "null".into(),
        };
        let config = format!(
            r#"{{"version": 1, "formatters": {{"f": {{"format": "%(message)s"}}}},
                "handlers": {{"timed": {{"class": "logging.handlers.TimedRotatingFileHandler",
                    "formatter": "f", "filename": "{LOG}", "when": "{}", "interval": {},
                    "backupCount": {}, "delay": {}, "utc": {}, "atTime": {at_time},
                    "encoding": "utf-8"}}}},
                "loggers": {{"t": {{"handlers": ["timed"], "level": "DEBUG", "propagate": false}}}}}}"#,
            s.when, s.interval, s.backup_count, s.delay, s.utc
        );
        let env = ConfigEnv {
            storage: Some(storage.clone()),
            ..ConfigEnv::default()
        };
        dict_config_with(&m, &env, &parse_json(&config).unwrap()).unwrap();
        assert!(s.buffered == 0 && !s.namer, "not expressible in a config");
        log.handlers()[0].clone()
    } else {
        let at_time = s
            .at_time
            .map(|(h, mi, sec)| AtTime::new(h, mi, sec).unwrap());
        let h = TimedRotatingFileHandler::new(
            storage.clone(),
            LOG,
            s.when,
            s.interval,
            s.backup_count,
            s.delay,
            s.utc,
            at_time,
        )
        .unwrap();
        if s.namer {
            h.set_namer(Some(Rc::new(|n: &str| format!("{n}.gz"))));
        }
        h.core()
            .set_formatter(Some(Rc::new(Formatter::new("%(message)s").unwrap())));
        Rc::new(h)
    };
    let target: Rc<dyn Handler> = if s.buffered > 0 {
        Rc::new(MemoryHandler::new(
            s.buffered,
            50,
            Some(timed.clone()),
            true,
        ))
    } else {
        timed.clone()
    };
    if !via_config {
        log.add_handler(target.clone());
    }
    let errors = host::error_count();
    for (t, msg) in &s.records {
        clock.now.set(*t);
        log.info(msg.clone(), ());
    }
    target.close();
    timed.close();
    assert_eq!(host::error_count(), errors, "no handler error");
    storage
        .names()
        .into_iter()
        .map(|n| {
            let bytes = storage.read(&n).unwrap().unwrap();
            (n, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

fn check_with(s: Scenario, via_config: bool) {
    let want = cpython(&s);
    let got = core(&s, via_config);
    assert!(
        want.len() > 1 || !s.records.is_empty(),
        "nothing to compare"
    );
    assert_eq!(got, want, "{s:?}");
}

fn check(s: Scenario) {
    check_with(s, false);
}

/// 2024-03-31 01:00 UTC: Berlin moves from CET to CEST.
fn spring_2024() -> i64 {
    eu_switch(2024, 3) * SEC
}

/// 2024-10-27 01:00 UTC: Berlin moves from CEST back to CET.
fn autumn_2024() -> i64 {
    eu_switch(2024, 10) * SEC
}

#[test]
fn eu_rule_finds_the_2024_switches() {
    assert_eq!(spring_2024(), utc(2024, 3, 31, 1, 0));
    assert_eq!(autumn_2024(), utc(2024, 10, 27, 1, 0));
}

#[test]
fn seconds_roll_over_every_second_and_keep_backup_count_backups() {
    let mut s = Scenario::new(Zone::Utc, "S", utc(2024, 5, 1, 12, 0) + 250_000_000);
    s.utc = true;
    s.backup_count = 3;
    for (i, ms) in [0, 500, 1000, 2200, 5000, 5900, 7000, 12_000, 12_999, 13_000]
        .into_iter()
        .enumerate()
    {
        let t = s.start_ns + ms * 1_000_000;
        s.records.push((t, format!("r{i}")));
    }
    check(s);
}

#[test]
fn seconds_with_an_interval_in_local_time() {
    let mut s = Scenario::new(Zone::Berlin, "s", spring_2024() - 17 * SEC).every(
        0,
        3 * SEC + 300_000_000,
        14,
    );
    s.interval = 5;
    check(s);
}

#[test]
fn minutes_with_an_interval_and_backups() {
    let mut s =
        Scenario::new(Zone::Berlin, "M", utc(2024, 1, 9, 8, 59) + 30 * SEC).every(0, 47 * SEC, 16);
    s.interval = 2;
    s.backup_count = 2;
    check(s);
}

#[test]
fn hours_in_local_time_across_the_spring_switch() {
    check(
        Scenario::new(Zone::Berlin, "H", spring_2024() - 3 * HOUR - 20 * MIN).every(
            0,
            40 * MIN,
            10,
        ),
    );
}

#[test]
fn hours_in_local_time_across_the_autumn_switch() {
    let mut s =
        Scenario::new(Zone::Berlin, "h", autumn_2024() - 2 * HOUR - 5 * MIN).every(0, 25 * MIN, 14);
    s.backup_count = 3;
    check(s);
}

#[test]
fn hours_with_an_interval_in_utc() {
    let mut s = Scenario::new(Zone::Berlin, "H", utc(2024, 7, 1, 22, 10)).every(0, 70 * MIN, 12);
    s.interval = 3;
    s.utc = true;
    s.backup_count = 1;
    check(s);
}

#[test]
fn days_count_from_the_start_across_the_autumn_switch() {
    let mut s =
        Scenario::new(Zone::Berlin, "D", autumn_2024() - 2 * DAY - 5 * HOUR).every(0, 7 * HOUR, 16);
    s.backup_count = 2;
    check(s);
}

#[test]
fn midnight_in_local_time_across_the_spring_switch() {
    let mut s = Scenario::new(Zone::Berlin, "MIDNIGHT", spring_2024() - 2 * DAY - 3 * HOUR).every(
        0,
        5 * HOUR,
        24,
    );
    s.backup_count = 2;
    check(s);
}

#[test]
fn midnight_in_local_time_across_the_autumn_switch() {
    // Records every 20 minutes: one lands in the hour a missing DST correction would
    // misplace midnight by.
    let s = Scenario::new(Zone::Berlin, "midnight", autumn_2024() - DAY - 30 * MIN).every(
        0,
        20 * MIN,
        150,
    );
    check(s);
}

#[test]
fn midnight_at_a_time_of_day_every_two_days_in_utc() {
    let mut s = Scenario::new(Zone::Utc, "MIDNIGHT", utc(2024, 2, 27, 3, 0)).every(0, 4 * HOUR, 40);
    s.utc = true;
    s.interval = 2;
    s.at_time = Some((2, 30, 0));
    check(s);
}

#[test]
fn midnight_at_a_time_of_day_inside_the_skipped_spring_hour() {
    // 02:30 does not exist in Berlin on 2024-03-31.
    let mut s =
        Scenario::new(Zone::Berlin, "MIDNIGHT", spring_2024() - 2 * DAY).every(0, 50 * MIN, 120);
    s.at_time = Some((2, 30, 0));
    s.backup_count = 3;
    check(s);
}

#[test]
fn midnight_at_a_time_of_day_inside_the_repeated_autumn_hour() {
    let mut s =
        Scenario::new(Zone::Berlin, "MIDNIGHT", autumn_2024() - 2 * DAY).every(0, 50 * MIN, 120);
    s.at_time = Some((2, 30, 15));
    check(s);
}

#[test]
fn every_weekday_in_local_time_across_the_autumn_switch() {
    for day in 0..7 {
        let when: &'static str = ["W0", "w1", "W2", "W3", "W4", "W5", "w6"][day];
        let mut s = Scenario::new(Zone::Berlin, when, autumn_2024() - 9 * DAY - 4 * HOUR).every(
            0,
            13 * HOUR,
            40,
        );
        s.backup_count = 2;
        if day == 3 {
            s.at_time = Some((12, 0, 0));
        }
        check(s);
    }
}

#[test]
fn weekday_every_two_weeks_in_utc_at_a_time_of_day() {
    let mut s = Scenario::new(Zone::Utc, "W2", utc(2024, 1, 1, 0, 0)).every(0, 29 * HOUR, 50);
    s.utc = true;
    s.interval = 2;
    s.at_time = Some((23, 59, 59));
    check(s);
}

#[test]
fn weekday_in_local_time_across_the_spring_switch() {
    let mut s = Scenario::new(Zone::Berlin, "W6", spring_2024() - 15 * DAY).every(0, 11 * HOUR, 70);
    s.backup_count = 1;
    check(s);
}

#[test]
fn delayed_log_is_created_by_the_first_record() {
    let mut s = Scenario::new(Zone::Utc, "M", utc(2024, 4, 4, 4, 4)).every(3 * MIN, 50 * SEC, 8);
    s.delay = true;
    s.backup_count = 2;
    check(s);
}

#[test]
fn namer_names_the_backups_and_finds_them_for_deletion() {
    let mut s = Scenario::new(Zone::Utc, "S", utc(2024, 6, 6, 6, 6)).every(0, 1500 * 1_000_000, 12);
    s.namer = true;
    s.backup_count = 2;
    // Names that look like backups but that the namer would not have made stay.
    s.existing = vec![
        ("app.log.2020-01-01_00-00-00", "plain\n"),
        ("app.log.2020-01-01_00-00-001.gz", "digit after\n"),
        ("other.log.2020-01-01_00-00-00.gz", "other log\n"),
    ];
    check(s);
}

#[test]
fn backups_of_other_logs_and_near_misses_are_not_deleted() {
    let mut s = Scenario::new(Zone::Utc, "D", utc(2024, 6, 1, 0, 0)).every(0, 9 * HOUR, 12);
    s.backup_count = 1;
    s.existing = vec![
        ("app.log.2020-01-01", "oldest\n"),
        ("app.log.2020-01-01.gz", "not a suffix\n"),
        ("app.log.2020-1-01", "not a date\n"),
        ("app.logx2020-01-02", "no dot\n"),
        ("other.log.2020-01-01", "other log\n"),
    ];
    check(s);
}

#[test]
fn an_existing_backup_stops_the_rollover_for_good() {
    // CPython 3.13: "Already rolled over" returns without a new rolloverAt, so every later
    // record tries again and stays in the log.
    let mut s = Scenario::new(Zone::Utc, "H", utc(2024, 8, 8, 8, 30)).every(0, 25 * MIN, 8);
    s.existing = vec![("app.log.2024-08-08_08", "earlier run\n")];
    check(s);
}

#[test]
fn the_clock_at_emit_decides_not_the_record_time() {
    // Records made before the rollover time but written after it (a MemoryHandler flushing
    // at its capacity) land in the new log, as in CPython 3.13.
    let mut s = Scenario::new(Zone::Utc, "M", utc(2024, 9, 9, 9, 9)).every(0, 25 * SEC, 9);
    s.buffered = 3;
    check(s);
}

#[test]
fn dict_config_builds_the_same_handler() {
    let mut s =
        Scenario::new(Zone::Berlin, "MIDNIGHT", spring_2024() - 2 * DAY).every(0, 50 * MIN, 100);
    s.at_time = Some((2, 30, 0));
    s.backup_count = 2;
    check_with(s, true);
    let mut s = Scenario::new(Zone::Utc, "w5", utc(2024, 1, 1, 0, 0)).every(0, 17 * HOUR, 30);
    s.utc = true;
    s.delay = true;
    s.backup_count = 1;
    check_with(s, true);
}

fn config_error(handler: &str, storage: Rc<dyn StorageSink>) -> String {
    let config = format!(
        r#"{{"version": 1, "handlers": {{"t": {{"class": "logging.handlers.TimedRotatingFileHandler",
            "filename": "{LOG}", {handler}}}}}}}"#
    );
    let env = ConfigEnv {
        storage: Some(storage),
        ..ConfigEnv::default()
    };
    dict_config_with(&Manager::new(), &env, &parse_json(&config).unwrap())
        .unwrap_err()
        .to_string()
}

/// Storage without a listing (the trait's default `list`).
struct Unlisted(MemoryStorage);

impl StorageSink for Unlisted {
    fn append(&self, name: &str, bytes: &[u8]) -> wasm_logging::core::error::Result<()> {
        self.0.append(name, bytes)
    }
    fn size(&self, name: &str) -> wasm_logging::core::error::Result<Option<u64>> {
        self.0.size(name)
    }
    fn rename(&self, from: &str, to: &str) -> wasm_logging::core::error::Result<()> {
        self.0.rename(from, to)
    }
    fn remove(&self, name: &str) -> wasm_logging::core::error::Result<()> {
        self.0.remove(name)
    }
    fn read(&self, name: &str) -> wasm_logging::core::error::Result<Option<Vec<u8>>> {
        self.0.read(name)
    }
    fn truncate(&self, name: &str) -> wasm_logging::core::error::Result<()> {
        self.0.truncate(name)
    }
}

#[test]
fn dict_config_refuses_bad_arguments_with_cpython_messages() {
    let mem = || Rc::new(MemoryStorage::new()) as Rc<dyn StorageSink>;
    for (handler, want) in [
        (
            r#""when": "W7""#,
            "Unable to configure handler 't': when: Invalid day specified for weekly rollover: W7",
        ),
        (
            r#""when": "fortnight""#,
            "Unable to configure handler 't': when: Invalid rollover interval specified: FORTNIGHT",
        ),
        (
            r#""when": "W""#,
            "Unable to configure handler 't': when: You must specify a day for weekly rollover from 0 to 6 (0 is Monday): W",
        ),
        (r#""atTime": "25:00""#, "Unable to configure handler 't': atTime: hour must be in 0..23"),
        (r#""mode": "w""#, "mode"),
    ] {
        let got = config_error(handler, mem());
        assert!(got.contains(want), "{handler}: {got}");
    }
    let unlisted = Rc::new(Unlisted(MemoryStorage::new()));
    let got = config_error(r#""backupCount": 2"#, unlisted.clone());
    assert!(
        got.contains("backupCount: deleting old backups needs a storage that lists its logs: this storage cannot list its logs"),
        "{got}"
    );
    assert!(
        unlisted.0.names().is_empty(),
        "a refused configuration opens nothing"
    );
}
