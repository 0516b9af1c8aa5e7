//! `Formatter`: CPython's `logging.Formatter` with the `%`, `{` and `$` styles, `validate`,
//! `defaults`, the local/UTC converter and `formatTime` / `formatException` / `formatStack`.

use std::rc::Rc;

use super::error::{Error, ErrorKind, Result};
use super::host;
use super::pool;
use super::pyfmt::{self, PercentArgs};
use super::record::{ExcInfo, LogRecord};
use super::time;
use super::value::{Text, Value};

/// Anything that turns a record into text: [`Formatter`], or a user's own (a JSON formatter,
/// a one-line exception formatter).
pub trait RecordFormatter {
    /// Formats `record`, setting `record.message` (and `asctime`, `exc_text` where used) as
    /// CPython's `Formatter.format` does.
    fn format(&self, record: &mut LogRecord) -> Result<String>;
}

/// The format style: CPython's `style` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `'%'`: `%(name)s`.
    Percent,
    /// `'{'`: `{name}`.
    Brace,
    /// `'$'`: `${name}`.
    Dollar,
}

/// The `ValueError` for a `{` or `$` style in a build without the `full` feature.
#[cfg(not(feature = "full"))]
fn style_not_built(c: &str) -> Error {
    Error::value_error(format!(
        "Style '{c}' is not in this build, which has the '%' style only (wasm-logging/lite: \
         import wasm-logging for '{{' and '$')"
    ))
}

impl Style {
    /// The style for CPython's style character; anything else is CPython's
    /// `ValueError: Style must be one of: %,{,$`.
    ///
    /// Built without the `full` feature (the npm package's `wasm-logging/lite`), `{` and `$`
    /// are a `ValueError` that says so.
    pub fn from_char(c: &str) -> Result<Style> {
        match c {
            "%" => Ok(Style::Percent),
            #[cfg(feature = "full")]
            "{" => Ok(Style::Brace),
            #[cfg(feature = "full")]
            "$" => Ok(Style::Dollar),
            #[cfg(not(feature = "full"))]
            "{" | "$" => Err(style_not_built(c)),
            _ => Err(Error::value_error("Style must be one of: %,{,$")),
        }
    }

    /// The style's default format (`%(message)s`, `{message}`, `${message}`).
    pub fn default_format(self) -> &'static str {
        match self {
            Style::Percent => "%(message)s",
            Style::Brace => "{message}",
            Style::Dollar => "${message}",
        }
    }

    fn uses_time(self, fmt: &str) -> bool {
        match self {
            Style::Percent => fmt.contains("%(asctime)"),
            Style::Brace => fmt.contains("{asctime"),
            Style::Dollar => fmt.contains("$asctime") || fmt.contains("${asctime}"),
        }
    }

    fn validate(self, fmt: &str) -> Result<()> {
        match self {
            Style::Percent => pyfmt::validate_percent_style(fmt),
            #[cfg(feature = "full")]
            Style::Brace => pyfmt::validate_str_format_style(fmt),
            #[cfg(feature = "full")]
            Style::Dollar => pyfmt::validate_template_style(fmt),
            #[cfg(not(feature = "full"))]
            Style::Brace => Err(style_not_built("{")),
            #[cfg(not(feature = "full"))]
            Style::Dollar => Err(style_not_built("$")),
        }
    }
}

/// How a record's time becomes a broken-down time: CPython's `Formatter.converter`
/// (`time.localtime`, or `time.gmtime` for UTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Converter {
    /// Local time, with the offset from the host.
    #[default]
    Local,
    /// UTC (`time.gmtime`).
    Utc,
    /// A converter that is not a function: what `dictConfig`'s `.` leaves on a formatter
    /// (CPython sets the string itself, so every record's `formatTime` raises
    /// `TypeError: 'str' object is not callable`).
    NotCallable,
}

/// `logging.Formatter`.
#[derive(Clone, Debug)]
pub struct Formatter {
    fmt: Text,
    style: Style,
    datefmt: Option<Text>,
    defaults: Vec<(Text, Value)>,
    uses_time: bool,
    /// A `%` format with a conversion that takes no `(key)`: it formats the record's dict.
    keyless: bool,
    /// The `%` format precompiled, when it is only literals, `%%` and plain `%(key)s`.
    compiled: Option<Rc<[Segment]>>,
    /// The last second formatted.
    time_cache: std::cell::RefCell<Option<TimeCacheEntry>>,
    /// `time.localtime` or `time.gmtime`.
    pub converter: Converter,
    /// `default_time_format`, `'%Y-%m-%d %H:%M:%S'`.
    pub default_time_format: Text,
    /// `default_msec_format`, `'%s,%03d'`; `None` leaves milliseconds out.
    pub default_msec_format: Option<Text>,
}

impl Default for Formatter {
    /// `Formatter()`: `%(message)s`.
    fn default() -> Self {
        Formatter {
            fmt: Text::Static("%(message)s"),
            style: Style::Percent,
            datefmt: None,
            defaults: Vec::new(),
            uses_time: false,
            keyless: false,
            compiled: None,
            time_cache: std::cell::RefCell::new(None),
            converter: Converter::Local,
            default_time_format: Text::Static("%Y-%m-%d %H:%M:%S"),
            default_msec_format: Some(Text::Static(DEFAULT_MSEC_FORMAT)),
        }
    }
}

/// Builds a [`Formatter`] with CPython's keyword arguments.
#[derive(Clone, Debug)]
pub struct FormatterBuilder {
    fmt: Option<Text>,
    datefmt: Option<Text>,
    style: Style,
    validate: bool,
    defaults: Vec<(Text, Value)>,
    converter: Converter,
}

impl FormatterBuilder {
    /// `fmt`; `None` (the default) is the style's default format.
    pub fn fmt(mut self, fmt: impl Into<Text>) -> Self {
        self.fmt = Some(fmt.into());
        self
    }
    /// `datefmt`.
    pub fn datefmt(mut self, datefmt: impl Into<Text>) -> Self {
        self.datefmt = Some(datefmt.into());
        self
    }
    /// `style`.
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
    /// `validate` (default `true`).
    pub fn validate(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }
    /// `defaults`: values for fields a record lacks.
    pub fn defaults(mut self, defaults: Vec<(Text, Value)>) -> Self {
        self.defaults = defaults;
        self
    }
    /// The converter (`Converter::Utc` is CPython's `converter = time.gmtime`).
    pub fn converter(mut self, converter: Converter) -> Self {
        self.converter = converter;
        self
    }
    /// The formatter, or CPython's `ValueError` if `validate` rejects the format.
    pub fn build(self) -> Result<Formatter> {
        // CPython: `self._fmt = fmt or self.default_format` — an empty string is "no format".
        let fmt = match self.fmt {
            Some(f) if !f.is_empty() => f,
            _ => Text::Static(self.style.default_format()),
        };
        if self.validate {
            self.style.validate(&fmt)?;
        }
        Ok(Formatter {
            uses_time: self.style.uses_time(&fmt),
            keyless: self.style == Style::Percent && has_keyless_conversion(&fmt),
            compiled: if self.style == Style::Percent {
                compile_percent(&fmt)
            } else {
                None
            },
            fmt,
            style: self.style,
            datefmt: self.datefmt.filter(|d| !d.is_empty()),
            defaults: self.defaults,
            converter: self.converter,
            ..Formatter::default()
        })
    }
}

impl Formatter {
    /// A builder with CPython's defaults (`%` style, `validate=True`).
    pub fn builder() -> FormatterBuilder {
        FormatterBuilder {
            fmt: None,
            datefmt: None,
            style: Style::Percent,
            validate: true,
            defaults: Vec::new(),
            converter: Converter::Local,
        }
    }

    /// `Formatter(fmt)` in `%` style, validated.
    pub fn new(fmt: impl Into<Text>) -> Result<Formatter> {
        Formatter::builder().fmt(fmt).build()
    }

    /// The format string (`formatter._fmt`).
    pub fn fmt(&self) -> &str {
        &self.fmt
    }

    /// The style.
    pub fn style(&self) -> Style {
        self.style
    }

    /// `datefmt`.
    pub fn datefmt(&self) -> Option<&str> {
        self.datefmt.as_deref()
    }

    /// `usesTime()`: whether the format refers to `asctime`.
    pub fn uses_time(&self) -> bool {
        self.uses_time
    }

    /// The error CPython's `formatTime` raises for `created`, if any: `time.localtime` (or
    /// `gmtime`) refuses a NaN (`ValueError`), a value beyond `time_t` (`OverflowError`) and
    /// an instant whose year glibc cannot hold (`OSError`, EOVERFLOW), and `time.strftime`
    /// a year outside `[-2147481748, 2147483647]` (`OverflowError`). [`format_time`] itself
    /// never fails; formatters call this first so such a record is reported, not clamped.
    ///
    /// [`format_time`]: Formatter::format_time
    pub fn check_created(&self, created: f64) -> Result<()> {
        if created.is_nan() {
            return Err(Error::value_error("Invalid value NaN (not a number)"));
        }
        let secs = created.floor();
        // 2⁶³ is exact as a double; time_t is 64-bit.
        const TIME_T_END: f64 = 9_223_372_036_854_775_808.0;
        if !(-TIME_T_END..TIME_T_END).contains(&secs) {
            return Err(Error::new(
                ErrorKind::OverflowError,
                "timestamp out of range for platform time_t",
            ));
        }
        // Years stay far inside a C int below ±6e16 s (about ±1.9e9 years): no conversion.
        if secs.abs() < 6e16 {
            return Ok(());
        }
        let secs = secs as i64;
        let year = match self.converter {
            Converter::Utc => time::gmtime(secs).year,
            _ => time::localtime(secs, &host::local_offset_without_zone(secs)).year,
        };
        if i32::try_from(year - 1900).is_err() {
            return Err(Error::new(
                ErrorKind::OSError,
                "[Errno 75] Value too large for defined data type",
            ));
        }
        if year > i64::from(i32::MAX) || year < -2_147_481_748 {
            return Err(Error::new(ErrorKind::OverflowError, "year out of range"));
        }
        Ok(())
    }

    /// `formatTime(record, datefmt)`.
    pub fn format_time(&self, record: &LogRecord, datefmt: Option<&str>) -> String {
        let mut s = String::new();
        self.format_time_into(record, datefmt, &mut s);
        s
    }

    /// Sets `record.asctime` to [`format_time`](Self::format_time), written into a reused
    /// buffer.
    pub fn stamp_asctime(&self, record: &mut LogRecord, datefmt: Option<&str>) {
        let asctime = pool::text_with::<()>(|out| {
            self.format_time_into(record, datefmt, out);
            Ok(())
        });
        if let Ok(t) = asctime {
            pool::replace(&mut record.asctime, t);
        }
    }

    /// [`format_time`](Self::format_time) written into `s` (which must be empty).
    pub fn format_time_into(&self, record: &LogRecord, datefmt: Option<&str>, s: &mut String) {
        // time.localtime(float) floors the float: use the float, not the nanoseconds, so a
        // `created` that rounded up to the next second shows that second (and msecs is 0).
        let secs = record.created.floor();
        let secs = if secs.is_finite() { secs as i64 } else { 0 };
        // The formatter's own texts (the usual callers pass them) key the cache by address.
        let source = match datefmt {
            None => Some(&self.default_time_format),
            Some(d) => self
                .datefmt
                .as_ref()
                .filter(|t| std::ptr::eq(t.as_ptr(), d.as_ptr())),
        };
        self.strftime_cached(
            secs,
            datefmt.unwrap_or(&self.default_time_format),
            source,
            s,
        );
        if datefmt.is_none() {
            match self.default_msec_format.as_deref() {
                None => {}
                // The default `'%s,%03d' % (s, msecs)`, written directly (msecs is 0..999).
                Some(m)
                    if same_text(m, DEFAULT_MSEC_FORMAT)
                        && (0.0..1000.0).contains(&record.msecs) =>
                {
                    let ms = record.msecs as u32;
                    let digits = [
                        b',',
                        b'0' + (ms / 100) as u8,
                        b'0' + (ms / 10 % 10) as u8,
                        b'0' + (ms % 10) as u8,
                    ];
                    s.push_str(std::str::from_utf8(&digits).unwrap_or_default());
                }
                Some(msec_fmt) => {
                    let args = [
                        Value::Str(Text::from(s.clone())),
                        Value::Float(record.msecs),
                    ];
                    let mut out = String::with_capacity(s.len() + 4);
                    // A user-set msec format can be wrong; fall back to the bare time rather
                    // than losing the record over it.
                    if pyfmt::percent_format(msec_fmt, PercentArgs::Tuple(&args), &mut out).is_ok()
                    {
                        *s = out;
                    }
                }
            }
        }
    }

    /// `time.strftime(fmt, converter(secs))`, remembering the last second formatted: records
    /// arrive many per second, and the broken-down time is a function of the second (the
    /// host's local offset is a function of the instant). Callgrind put strftime at 16% of
    /// an enabled call before this.
    fn strftime_cached(&self, secs: i64, fmt: &str, source: Option<&Text>, out: &mut String) {
        if let Some((cs, cc, cf, ct)) = &*self.time_cache.borrow() {
            if *cs == secs && *cc == self.converter && same_text(cf, fmt) {
                out.push_str(ct);
                return;
            }
        }
        let tm = match self.converter {
            Converter::Utc => time::gmtime(secs),
            // Only `%Z` prints the zone name (a `Z` anywhere is a conservative test).
            Converter::Local if fmt.contains('Z') => {
                time::localtime(secs, &host::local_offset(secs))
            }
            Converter::Local | Converter::NotCallable => {
                time::localtime(secs, &host::local_offset_without_zone(secs))
            }
        };
        let start = out.len();
        time::strftime(fmt, &tm, out);
        // The entry is updated in place: a new second reuses its buffers.
        let mut cache = self.time_cache.borrow_mut();
        match &mut *cache {
            Some((cs, cc, cf, ct)) => {
                *cs = secs;
                *cc = self.converter;
                if !same_text(cf, fmt) {
                    *cf = source
                        .cloned()
                        .unwrap_or_else(|| Text::from(fmt.to_owned()));
                }
                ct.clear();
                ct.push_str(&out[start..]);
            }
            None => {
                let key = source
                    .cloned()
                    .unwrap_or_else(|| Text::from(fmt.to_owned()));
                *cache = Some((secs, self.converter, key, out[start..].to_owned()));
            }
        }
    }

    /// `formatException(exc_info)`.
    pub fn format_exception(&self, exc: &ExcInfo) -> String {
        exc.format()
    }

    /// `formatStack(stack_info)`: returned unchanged, as in CPython.
    pub fn format_stack(&self, stack_info: &str) -> String {
        stack_info.to_owned()
    }

    /// `defaults | record.__dict__`: the defaults' keys first, values from the record.
    fn values_dict(&self, record: &LogRecord) -> Value {
        let Value::Dict(rec) = record.to_dict() else {
            return Value::None;
        };
        if self.defaults.is_empty() {
            return Value::Dict(rec);
        }
        let mut items: Vec<(Value, Value)> = self
            .defaults
            .iter()
            .map(|(k, v)| {
                let key = k.as_str();
                let value = rec
                    .iter()
                    .find(|(rk, _)| rk.as_str() == Some(key))
                    .map_or_else(|| v.clone(), |(_, rv)| rv.clone());
                (Value::Str(k.clone()), value)
            })
            .collect();
        for (k, v) in rec.iter() {
            if !self
                .defaults
                .iter()
                .any(|(dk, _)| k.as_str() == Some(dk.as_str()))
            {
                items.push((k.clone(), v.clone()));
            }
        }
        Value::Dict(Rc::new(items))
    }

    /// `formatMessage(record)`: the style applied to the record's attributes (and
    /// `defaults` for what the record lacks). A missing field is CPython's
    /// `ValueError: Formatting field not found in record: 'name'`.
    pub fn format_message(&self, record: &LogRecord) -> Result<String> {
        let mut out = String::with_capacity(self.fmt.len() + 64);
        self.format_message_into(record, &mut out)?;
        Ok(out)
    }

    /// [`format_message`](Self::format_message) written into `out` (which must be empty).
    pub fn format_message_into(&self, record: &LogRecord, out: &mut String) -> Result<()> {
        let lookup = |key: &str| self.field(record, key);
        if let Some(segments) = &self.compiled {
            if self.format_compiled(segments, record, out)? {
                return Ok(());
            }
            out.clear();
        }
        let result = match self.style {
            // A keyless conversion (`Formatter('%s')`) renders `record.__dict__` itself; only
            // such formats pay for building it.
            Style::Percent if self.keyless => {
                let dict = self.values_dict(record);
                pyfmt::percent_format(&self.fmt, PercentArgs::Single(&dict), out)
            }
            Style::Percent => pyfmt::percent_format(&self.fmt, PercentArgs::Mapping(&lookup), out),
            #[cfg(feature = "full")]
            Style::Brace => pyfmt::brace_format(&self.fmt, &[], &lookup, out),
            #[cfg(feature = "full")]
            Style::Dollar => pyfmt::template_substitute(&self.fmt, &lookup, out),
            #[cfg(not(feature = "full"))]
            Style::Brace => Err(style_not_built("{")),
            #[cfg(not(feature = "full"))]
            Style::Dollar => Err(style_not_built("$")),
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::KeyError => Err(Error::value_error(format!(
                "Formatting field not found in record: {}",
                e.message()
            ))),
            Err(e) => Err(e),
        }
    }
}

impl Formatter {
    /// The record's attribute `key`, else the formatter's default for it.
    fn field(&self, record: &LogRecord, key: &str) -> Option<Value> {
        record.get_attr(key).or_else(|| {
            self.defaults
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v.clone())
        })
    }

    /// `formatMessage` for a precompiled format: `None` when a field is missing (the full
    /// path then raises CPython's error), else the text, exactly as the full path gives it.
    fn format_compiled(
        &self,
        segments: &[Segment],
        record: &LogRecord,
        out: &mut String,
    ) -> Result<bool> {
        for seg in segments {
            let (key, field) = match seg {
                Segment::Literal(t) => {
                    out.push_str(t);
                    continue;
                }
                Segment::Field(key, field) => (key, field),
            };
            let direct = match field {
                Field::Name => Some(record.name.as_str()),
                Field::Levelname => Some(record.levelname.as_str()),
                Field::Message => record.message.as_deref(),
                Field::Asctime => record.asctime.as_deref(),
                Field::Other => None,
            };
            if let Some(t) = direct {
                out.push_str(t);
                continue;
            }
            match self.field(record, key) {
                None => return Ok(false),
                Some(Value::Str(t)) => out.push_str(&t),
                Some(v) => {
                    pyfmt::percent_format("%s", PercentArgs::Tuple(std::slice::from_ref(&v)), out)?
                }
            }
        }
        Ok(true)
    }
}

/// A piece of a precompiled `%` format.
#[derive(Clone, Debug)]
enum Segment {
    /// Text copied as is (`%%` already turned into `%`).
    Literal(Box<str>),
    /// `%(key)s`.
    Field(Text, Field),
}

/// Record attributes a precompiled format reads without a lookup by name.
#[derive(Clone, Copy, Debug)]
enum Field {
    Name,
    Levelname,
    Message,
    Asctime,
    Other,
}

/// `fmt` as segments if it holds only literal text, `%%` and `%(key)s` with no flags, width
/// or precision (the shape of nearly every logging format); `None` for anything else.
fn compile_percent(fmt: &str) -> Option<Rc<[Segment]>> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        literal.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('%') {
            literal.push('%');
            rest = r;
            continue;
        }
        let inner = after.strip_prefix('(')?;
        let close = inner.find(')')?;
        let key = &inner[..close];
        if key.contains('(') {
            return None;
        }
        rest = inner[close + 1..].strip_prefix('s')?;
        if !literal.is_empty() {
            segments.push(Segment::Literal(
                std::mem::take(&mut literal).into_boxed_str(),
            ));
        }
        let field = match key {
            "name" => Field::Name,
            "levelname" => Field::Levelname,
            "message" => Field::Message,
            "asctime" => Field::Asctime,
            _ => Field::Other,
        };
        segments.push(Segment::Field(Text::from(key.to_owned()), field));
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal.into_boxed_str()));
    }
    Some(segments.into())
}

impl RecordFormatter for Formatter {
    fn format(&self, record: &mut LogRecord) -> Result<String> {
        record.merge_message()?;
        if self.uses_time && self.converter == Converter::NotCallable {
            return Err(Error::type_error("'str' object is not callable"));
        }
        if self.uses_time {
            self.check_created(record.created)?;
            self.stamp_asctime(record, self.datefmt.as_deref());
        }
        let mut s = pool::take_string();
        if let Err(e) = self.format_message_into(record, &mut s) {
            pool::give_string(s);
            return Err(e);
        }
        if let Some(exc) = &record.exc_info {
            // CPython: `if not record.exc_text` — an empty cached text is recomputed too.
            if record.exc_text.as_deref().is_none_or(str::is_empty) {
                record.exc_text = Some(Text::from(self.format_exception(exc)));
            }
        }
        if let Some(exc_text) = record.exc_text.as_deref().filter(|t| !t.is_empty()) {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(exc_text);
        }
        if let Some(stack) = record.stack_info.as_deref().filter(|t| !t.is_empty()) {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(&self.format_stack(stack));
        }
        Ok(s)
    }
}

/// A formatted second: (seconds, converter, strftime format, text). The format is held as
/// the `Text` it came from when there is one (the formatter's `datefmt` or
/// `default_time_format`), so a hit is a pointer comparison: holding it keeps that string
/// alive, so an equal address is the same, immutable text.
type TimeCacheEntry = (i64, Converter, Text, String);

/// CPython's `default_msec_format`. A `static`, so the default formatter's text has one
/// address and the per-record check is a pointer comparison.
static DEFAULT_MSEC_FORMAT: &str = "%s,%03d";

/// `a == b`, answered by address and length when `a` and `b` are the same string.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

/// Whether a `%` format has a conversion without a `(key)` (other than `%%`).
fn has_keyless_conversion(fmt: &str) -> bool {
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        match rest[i + 1..].chars().next() {
            Some('%') => rest = &rest[i + 2..],
            Some('(') | None => rest = &rest[i + 1..],
            Some(_) => return true,
        }
    }
    false
}

/// `logging.BufferingFormatter`: formats a batch of records with a header and footer.
#[derive(Clone)]
pub struct BufferingFormatter {
    line: Rc<dyn RecordFormatter>,
}

impl std::fmt::Debug for BufferingFormatter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BufferingFormatter")
    }
}

impl BufferingFormatter {
    /// Uses `line` for each record (CPython's default is `Formatter()`).
    pub fn new(line: Rc<dyn RecordFormatter>) -> Self {
        BufferingFormatter { line }
    }

    /// `formatHeader(records)`: empty by default.
    pub fn format_header(&self, _records: &[LogRecord]) -> String {
        String::new()
    }

    /// `formatFooter(records)`: empty by default.
    pub fn format_footer(&self, _records: &[LogRecord]) -> String {
        String::new()
    }

    /// `format(records)`: header, each record, footer.
    pub fn format(&self, records: &mut [LogRecord]) -> Result<String> {
        let mut out = self.format_header(records);
        for r in records.iter_mut() {
            out.push_str(&self.line.format(r)?);
        }
        out.push_str(&self.format_footer(records));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_only_plain_key_conversions() {
        assert!(compile_percent("%(asctime)s %(name)s %(levelname)s %(message)s").is_some());
        assert!(compile_percent("100%% %(message)s").is_some());
        assert!(compile_percent("%(levelname)-8s %(message)s").is_none());
        assert!(compile_percent("%(lineno)d").is_none());
        assert!(compile_percent("%(a(b)c)s").is_none());
        assert!(compile_percent("%s").is_none());
        assert!(compile_percent("50%").is_none());
    }

    #[test]
    fn compiled_formats_match_the_full_implementation() {
        let mut r = LogRecord::new(
            "app.net".into(),
            20,
            "INFO".into(),
            crate::core::record::Location::unknown(),
            Value::from("hi %d"),
            vec![Value::Int(3)],
            None,
            1_677_903_920_123_456_789,
            0,
        );
        r.message = Some(Text::from("hi 3".to_owned()));
        r.asctime = Some(Text::from("2024-01-02 03:04:05,006".to_owned()));
        r.extra.push((Text::from("user".to_owned()), Value::Int(7)));
        for fmt in [
            "%(asctime)s %(name)s %(levelname)s %(message)s",
            "[%(lineno)s] %(filename)s %(user)s 100%% %(created)s %(thread)s",
            "%(exc_info)s|%(process)s",
        ] {
            let f = Formatter::new(fmt).unwrap();
            let segments = f.compiled.clone().expect(fmt);
            let mut fast = String::new();
            assert!(
                f.format_compiled(&segments, &r, &mut fast).unwrap(),
                "{fmt}"
            );
            let mut full = String::new();
            let lookup = |key: &str| r.get_attr(key);
            pyfmt::percent_format(fmt, PercentArgs::Mapping(&lookup), &mut full).unwrap();
            assert_eq!(fast, full, "{fmt}");
        }
        // A missing field is left to the full path (CPython's error).
        let f = Formatter::new("%(nope)s").unwrap();
        let segments = f.compiled.clone().unwrap();
        assert!(!f
            .format_compiled(&segments, &r, &mut String::new())
            .unwrap());
        assert!(f.format_message(&r).is_err());
    }
}
