//! Syslog frames: what CPython 3.13's `logging.handlers.SysLogHandler` sends, the cookbook's
//! RFC 5424 variant (`SysLogHandler5424`, "Logging to syslog with RFC5424 support", with the
//! BOM placement of "Inserting a BOM into messages sent to a SysLogHandler"), and RFC 6587
//! octet counting for stream transports.
//!
//! ```
//! use wasm_logging::core::wire::syslog::{message, octet_counted, LOG_LOCAL0};
//!
//! let frame = message("disk full", "app: ", true, LOG_LOCAL0, "ERROR");
//! assert_eq!(frame, b"<131>app: disk full\0");
//! assert_eq!(octet_counted(b"<14>hi"), b"6 <14>hi");
//! ```

use super::WireError;
use crate::core::pyfmt::repr::dict_entries;
use crate::core::pyfmt::write_str_repr;
use crate::core::record::LogRecord;
use crate::core::time::gmtime;
use crate::core::value::Value;

/// `logging.handlers.SYSLOG_UDP_PORT`: syslog's UDP port.
pub const SYSLOG_UDP_PORT: u16 = 514;
/// `logging.handlers.SYSLOG_TCP_PORT`: syslog's TCP port.
pub const SYSLOG_TCP_PORT: u16 = 514;

/// System is unusable.
pub const LOG_EMERG: u32 = 0;
/// Action must be taken immediately.
pub const LOG_ALERT: u32 = 1;
/// Critical conditions.
pub const LOG_CRIT: u32 = 2;
/// Error conditions.
pub const LOG_ERR: u32 = 3;
/// Warning conditions.
pub const LOG_WARNING: u32 = 4;
/// Normal but significant condition.
pub const LOG_NOTICE: u32 = 5;
/// Informational.
pub const LOG_INFO: u32 = 6;
/// Debug-level messages.
pub const LOG_DEBUG: u32 = 7;

/// Kernel messages.
pub const LOG_KERN: u32 = 0;
/// Random user-level messages (`SysLogHandler`'s default facility).
pub const LOG_USER: u32 = 1;
/// Mail system.
pub const LOG_MAIL: u32 = 2;
/// System daemons.
pub const LOG_DAEMON: u32 = 3;
/// Security/authorization messages.
pub const LOG_AUTH: u32 = 4;
/// Messages generated internally by syslogd.
pub const LOG_SYSLOG: u32 = 5;
/// Line printer subsystem.
pub const LOG_LPR: u32 = 6;
/// Network news subsystem.
pub const LOG_NEWS: u32 = 7;
/// UUCP subsystem.
pub const LOG_UUCP: u32 = 8;
/// Clock daemon.
pub const LOG_CRON: u32 = 9;
/// Security/authorization messages (private).
pub const LOG_AUTHPRIV: u32 = 10;
/// FTP daemon.
pub const LOG_FTP: u32 = 11;
/// NTP subsystem.
pub const LOG_NTP: u32 = 12;
/// Log audit.
pub const LOG_SECURITY: u32 = 13;
/// Log alert.
pub const LOG_CONSOLE: u32 = 14;
/// Scheduling daemon (Solaris).
pub const LOG_SOLCRON: u32 = 15;
/// Reserved for local use.
pub const LOG_LOCAL0: u32 = 16;
/// Reserved for local use.
pub const LOG_LOCAL1: u32 = 17;
/// Reserved for local use.
pub const LOG_LOCAL2: u32 = 18;
/// Reserved for local use.
pub const LOG_LOCAL3: u32 = 19;
/// Reserved for local use.
pub const LOG_LOCAL4: u32 = 20;
/// Reserved for local use.
pub const LOG_LOCAL5: u32 = 21;
/// Reserved for local use.
pub const LOG_LOCAL6: u32 = 22;
/// Reserved for local use.
pub const LOG_LOCAL7: u32 = 23;

/// `SysLogHandler.priority_names`, in CPython's order (`error`, `panic` and `warn` are
/// deprecated aliases there).
pub const PRIORITY_NAMES: &[(&str, u32)] = &[
    ("alert", LOG_ALERT),
    ("crit", LOG_CRIT),
    ("critical", LOG_CRIT),
    ("debug", LOG_DEBUG),
    ("emerg", LOG_EMERG),
    ("err", LOG_ERR),
    ("error", LOG_ERR),
    ("info", LOG_INFO),
    ("notice", LOG_NOTICE),
    ("panic", LOG_EMERG),
    ("warn", LOG_WARNING),
    ("warning", LOG_WARNING),
];

/// `SysLogHandler.facility_names`, in CPython's order.
pub const FACILITY_NAMES: &[(&str, u32)] = &[
    ("auth", LOG_AUTH),
    ("authpriv", LOG_AUTHPRIV),
    ("console", LOG_CONSOLE),
    ("cron", LOG_CRON),
    ("daemon", LOG_DAEMON),
    ("ftp", LOG_FTP),
    ("kern", LOG_KERN),
    ("lpr", LOG_LPR),
    ("mail", LOG_MAIL),
    ("news", LOG_NEWS),
    ("ntp", LOG_NTP),
    ("security", LOG_SECURITY),
    ("solaris-cron", LOG_SOLCRON),
    ("syslog", LOG_SYSLOG),
    ("user", LOG_USER),
    ("uucp", LOG_UUCP),
    ("local0", LOG_LOCAL0),
    ("local1", LOG_LOCAL1),
    ("local2", LOG_LOCAL2),
    ("local3", LOG_LOCAL3),
    ("local4", LOG_LOCAL4),
    ("local5", LOG_LOCAL5),
    ("local6", LOG_LOCAL6),
    ("local7", LOG_LOCAL7),
];

/// A facility or priority as `encodePriority` takes it: a name from the tables or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code<'a> {
    /// A key of [`FACILITY_NAMES`] / [`PRIORITY_NAMES`] (case-sensitive, as a dict lookup).
    Name(&'a str),
    /// A number, used as is (CPython does not range-check it).
    Number(i64),
}

/// The facility number of a name in [`FACILITY_NAMES`].
pub fn facility_by_name(name: &str) -> Option<u32> {
    lookup(FACILITY_NAMES, name)
}

/// The priority number of a name in [`PRIORITY_NAMES`].
pub fn priority_by_name(name: &str) -> Option<u32> {
    lookup(PRIORITY_NAMES, name)
}

fn lookup(table: &[(&str, u32)], name: &str) -> Option<u32> {
    table.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

/// `SysLogHandler.encodePriority(facility, priority)`: names are looked up (an unknown name
/// is CPython's `KeyError`), then `(facility << 3) | priority` — a bitwise or, so a
/// priority above 7 overlaps the facility bits exactly as in CPython.
pub fn encode_priority(facility: Code<'_>, priority: Code<'_>) -> Result<i64, WireError> {
    let resolve = |code: Code<'_>, table| match code {
        Code::Number(n) => Ok(n),
        Code::Name(name) => lookup(table, name).map(i64::from).ok_or_else(|| {
            let mut msg = String::from("KeyError: ");
            write_str_repr(name, &mut msg);
            WireError::new(msg)
        }),
    };
    let facility = resolve(facility, FACILITY_NAMES)?;
    let priority = resolve(priority, PRIORITY_NAMES)?;
    let shifted = facility
        .checked_mul(8)
        .ok_or_else(|| WireError::new("OverflowError: facility does not fit in 64 bits"))?;
    Ok(shifted | priority)
}

/// `SysLogHandler.mapPriority(levelname)`: the standard level names map to their syslog
/// priority names, anything else (custom levels, `"Level 25"`) to `"warning"`.
pub fn map_priority(levelname: &str) -> &'static str {
    match levelname {
        "DEBUG" => "debug",
        "INFO" => "info",
        "WARNING" => "warning",
        "ERROR" => "error",
        "CRITICAL" => "critical",
        _ => "warning",
    }
}

/// `<PRI>` for a facility number and a level name.
fn pri(facility: u32, levelname: &str) -> String {
    let priority = priority_by_name(map_priority(levelname)).unwrap_or(LOG_WARNING);
    format!("<{}>", (u64::from(facility) << 3) | u64::from(priority))
}

/// The bytes `SysLogHandler.emit` sends for a record whose formatted text is `formatted`:
/// `<PRI>` then the UTF-8 of `ident + formatted`, plus a NUL when `append_nul` (CPython's
/// default). The priority is `encodePriority(facility, mapPriority(levelname))`.
pub fn message(
    formatted: &str,
    ident: &str,
    append_nul: bool,
    facility: u32,
    levelname: &str,
) -> Vec<u8> {
    let mut out = pri(facility, levelname).into_bytes();
    out.reserve(ident.len() + formatted.len() + 1);
    out.extend_from_slice(ident.as_bytes());
    out.extend_from_slice(formatted.as_bytes());
    if append_nul {
        out.push(0);
    }
    out
}

/// RFC 6587 octet counting: `LEN SP frame`, for syslog over TCP or TLS.
pub fn octet_counted(frame: &[u8]) -> Vec<u8> {
    let mut out = format!("{} ", frame.len()).into_bytes();
    out.extend_from_slice(frame);
    out
}

/// The header fields of an RFC 5424 frame that do not come from the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rfc5424Fields<'a> {
    /// The facility number ([`LOG_USER`] by default).
    pub facility: u32,
    /// The local time's offset from UTC in seconds east (what `time.strftime('%z')` says in
    /// the cookbook recipe); 0 writes `Z`, anything else `+HH:MM` / `-HH:MM`.
    pub utc_offset: i32,
    /// HOSTNAME (`socket.gethostname()` in the recipe); `None` or empty writes `-`.
    pub hostname: Option<&'a str>,
    /// APP-NAME; `None` or empty writes `-`.
    pub app_name: Option<&'a str>,
    /// MSGID; `None` or empty writes `-` (the recipe always writes `-`).
    pub msgid: Option<&'a str>,
    /// Put U+FEFF (the UTF-8 BOM) before MSG, as RFC 5424 asks for a UTF-8 message.
    pub bom: bool,
    /// Append a NUL, as the recipe does through `SysLogHandler.append_nul` (which defaults to
    /// true there; RFC 5424 receivers expect no NUL, hence false here).
    pub append_nul: bool,
}

impl Default for Rfc5424Fields<'_> {
    /// Facility `user`, UTC, every optional field `-`, no BOM, no NUL.
    fn default() -> Self {
        Rfc5424Fields {
            facility: LOG_USER,
            utc_offset: 0,
            hostname: None,
            app_name: None,
            msgid: None,
            bom: false,
            append_nul: false,
        }
    }
}

/// The cookbook's `SysLogHandler5424` frame:
/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [BOM]MSG`.
///
/// - TIMESTAMP is `datetime.fromtimestamp(record.created).isoformat()` in a zone
///   `utc_offset` seconds east of UTC (microseconds rounded half-even, and omitted when zero,
///   as `isoformat` does), then `Z` or `±HH:MM`.
/// - PROCID is `record.process` (`-` when unknown; the recipe would print `None`).
/// - SD comes from the record's `structured_data` attribute (an `extra`), a dict
///   `{SD-ID: {PARAM-NAME: value}}`: `[SD-ID PARAM="value"…]` per entry, with `]`, `"` and
///   `\` in `str(value)` escaped by a backslash. Absent, `None` or empty writes `-` (the
///   recipe writes an empty field for `{}`, which RFC 5424 does not allow).
/// - MSG is `formatted`, the record as the handler's formatter renders it.
///
/// Errors are CPython's: a timestamp outside years 1–9999, a `structured_data` that is not
/// a dict of dicts, a `str()` that fails.
pub fn rfc5424(
    record: &LogRecord,
    formatted: &str,
    options: &Rfc5424Fields<'_>,
) -> Result<Vec<u8>, WireError> {
    let ts = timestamp(record.created, options.utc_offset)?;
    let mut sd = String::new();
    write_structured_data(record.get_attr("structured_data").as_ref(), &mut sd)?;
    Ok(assemble(record, formatted, options, &ts, &sd))
}

/// The frame from its parts.
fn assemble(
    record: &LogRecord,
    formatted: &str,
    options: &Rfc5424Fields<'_>,
    timestamp: &str,
    sd: &str,
) -> Vec<u8> {
    let nil = |s: Option<&str>| -> String {
        match s {
            Some(s) if !s.is_empty() => s.to_owned(),
            _ => "-".to_owned(),
        }
    };
    let mut text = format!(
        "1 {timestamp} {} {} {} {} {sd} ",
        nil(options.hostname),
        nil(options.app_name),
        record.process.map_or("-".to_owned(), |p| p.to_string()),
        nil(options.msgid),
    );
    if options.bom {
        text.push('\u{feff}');
    }
    text.push_str(formatted);
    if options.append_nul {
        text.push('\0');
    }
    let mut out = pri(options.facility, &record.levelname).into_bytes();
    out.extend_from_slice(text.as_bytes());
    out
}

/// [`rfc5424`] for a `SysLogHandler5424` configured with the handler's
/// [`Rfc5424Options`](crate::core::handlers::Rfc5424Options), never failing: with no
/// `utc_offset` the host's offset at `record.created` is used; a timestamp CPython could not
/// print becomes RFC 5424's NILVALUE `-`, and a `structured_data` that is not a dict of
/// dicts (or whose `str()` fails) is left out as `-`.
pub fn rfc5424_record(
    record: &LogRecord,
    formatted: &str,
    facility: u32,
    options: &crate::core::handlers::Rfc5424Options,
) -> Vec<u8> {
    let utc_offset = options.utc_offset.unwrap_or_else(|| {
        let secs = if record.created.is_finite() {
            record.created.floor() as i64
        } else {
            0
        };
        crate::core::host::local_offset(secs).utc_offset
    });
    let fields = Rfc5424Fields {
        facility,
        utc_offset,
        hostname: Some(&options.hostname),
        app_name: Some(&options.appname),
        msgid: Some(&options.msgid),
        bom: options.bom,
        append_nul: false,
    };
    let ts = timestamp(record.created, utc_offset).unwrap_or_else(|_| "-".to_owned());
    let mut sd = String::new();
    if write_structured_data(record.get_attr("structured_data").as_ref(), &mut sd).is_err() {
        sd = "-".to_owned();
    }
    assemble(record, formatted, &fields, &ts, &sd)
}

/// SD: `-`, or the recipe's `[SD-ID PARAM="value"]` elements.
fn write_structured_data(sd: Option<&Value>, out: &mut String) -> Result<(), WireError> {
    let items = match sd {
        None | Some(Value::None) => {
            out.push('-');
            return Ok(());
        }
        Some(Value::Dict(items)) => dict_entries(items),
        Some(other) => {
            return Err(WireError::new(format!(
                "AttributeError: '{}' object has no attribute 'items'",
                other.type_name()
            )))
        }
    };
    if items.is_empty() {
        out.push('-');
        return Ok(());
    }
    for (sd_id, params) in items {
        out.push('[');
        out.push_str(&sd_id.to_py_str()?);
        let Value::Dict(params) = params else {
            return Err(WireError::new(format!(
                "AttributeError: '{}' object has no attribute 'items'",
                params.type_name()
            )));
        };
        for (name, value) in dict_entries(params) {
            out.push(' ');
            out.push_str(&name.to_py_str()?);
            out.push_str("=\"");
            for c in value.to_py_str()?.chars() {
                if matches!(c, ']' | '"' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        out.push(']');
    }
    Ok(())
}

/// `datetime.fromtimestamp(created).isoformat()` at `utc_offset`, then `Z` or `±HH:MM`.
fn timestamp(created: f64, utc_offset: i32) -> Result<String, WireError> {
    if created.is_nan() {
        return Err(WireError::new(
            "ValueError: Invalid value NaN (not a number)",
        ));
    }
    // `_PyTime_DoubleToDenominator` with `_PyTime_ROUND_HALF_EVEN`: split with `modf`, scale
    // the fraction, round it half-even and carry.
    let mut secs = created.trunc();
    let mut us = round_half_even(created.fract() * 1e6);
    if us >= 1e6 {
        us -= 1e6;
        secs += 1.0;
    } else if us < 0.0 {
        us += 1e6;
        secs -= 1.0;
    }
    let overflow = || WireError::new("OverflowError: timestamp out of range for platform time_t");
    // -2^63 <= secs < 2^63 (the comparison is exact: both bounds are powers of two).
    if !(-9.223372036854776e18..9.223372036854776e18).contains(&secs) {
        return Err(overflow());
    }
    let local = (secs as i64)
        .checked_add(i64::from(utc_offset))
        .ok_or_else(overflow)?;
    let tm = gmtime(local);
    // For local time CPython also converts the instant a day earlier (probing for a DST
    // fold), and that conversion has the same year range: the first day of year 1 fails.
    let probe = gmtime(local.saturating_sub(86_400));
    for year in [tm.year, probe.year] {
        if !(1..=9999).contains(&year) {
            return Err(WireError::new(format!(
                "ValueError: year {year} is out of range"
            )));
        }
    }
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        tm.year, tm.month, tm.day, tm.hour, tm.minute, tm.second
    );
    let us = us as u32;
    if us != 0 {
        out.push_str(&format!(".{us:06}"));
    }
    if utc_offset == 0 {
        out.push('Z');
    } else {
        // `%z` prints whole minutes.
        let minutes = utc_offset.unsigned_abs() / 60;
        let sign = if utc_offset < 0 { '-' } else { '+' };
        out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    Ok(out)
}

/// `_PyTime_RoundHalfEven`.
fn round_half_even(x: f64) -> f64 {
    let rounded = x.round();
    if (x - rounded).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_encode_as_cpython() {
        assert_eq!(
            encode_priority(Code::Name("local7"), Code::Name("debug")),
            Ok(191)
        );
        assert_eq!(encode_priority(Code::Number(1), Code::Number(9)), Ok(9));
        assert_eq!(
            encode_priority(Code::Name("nope"), Code::Number(0))
                .unwrap_err()
                .message(),
            "KeyError: 'nope'"
        );
        assert_eq!(map_priority("Level 25"), "warning");
    }

    #[test]
    fn timestamps_follow_isoformat() {
        assert_eq!(timestamp(0.0, 0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(
            timestamp(1_700_000_000.5, 19800).unwrap(),
            "2023-11-15T03:43:20.500000+05:30"
        );
        assert_eq!(
            timestamp(-0.5, -1800).unwrap(),
            "1969-12-31T23:29:59.500000-00:30"
        );
        assert!(timestamp(1e18, 0).is_err());
        assert!(timestamp(f64::NAN, 0).is_err());
    }
}
