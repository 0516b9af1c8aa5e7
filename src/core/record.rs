//! `LogRecord`: everything about one logging event, with CPython's attributes.

use std::rc::Rc;

use super::error::{Error, Result};
use super::pyfmt::{percent_format, push_int, PercentArgs};
use super::value::{PyObject, Text, Value};

/// Where a log call came from: CPython's `pathname`, `lineno`, `funcName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The source path (`record.pathname`).
    pub pathname: Text,
    /// The line number.
    pub lineno: u32,
    /// The function name (`record.funcName`).
    pub func_name: Text,
}

impl Location {
    /// CPython's placeholder when the caller cannot be found.
    pub fn unknown() -> Self {
        Location {
            pathname: Text::Static("(unknown file)"),
            lineno: 0,
            func_name: Text::Static("(unknown function)"),
        }
    }

    /// The location of the caller of a `#[track_caller]` function; the function name is not
    /// known this way (the logging macros supply it).
    #[track_caller]
    pub fn caller() -> Self {
        let loc = std::panic::Location::caller();
        Location {
            pathname: Text::Static(loc.file()),
            lineno: loc.line(),
            func_name: Text::Static("(unknown function)"),
        }
    }
}

/// One frame of a traceback, as `traceback.FrameSummary` has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The file name.
    pub filename: Text,
    /// The line number.
    pub lineno: u32,
    /// The function name (`<module>` at top level in Python).
    pub name: Text,
    /// The source line, if known.
    pub line: Option<Text>,
}

/// How an exception is chained to the one it was raised from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    /// `raise X from Y` (`__cause__`).
    Cause,
    /// Raised while handling another (`__context__`).
    Context,
}

/// An exception: CPython's `exc_info`, for Rust errors and host exceptions (a JS `Error`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExcInfo {
    /// The exception class name (`ValueError`, `TypeError`, a JS error's `name`).
    pub type_name: Text,
    /// The exception's message (`str(exc)`).
    pub message: Text,
    /// The traceback, outermost frame first.
    pub frames: Vec<Frame>,
    /// The exception this one was chained from.
    pub chained: Option<(Chain, Rc<ExcInfo>)>,
    /// Notes added with `add_note` (printed after the message).
    pub notes: Vec<Text>,
}

impl ExcInfo {
    /// An exception with no traceback.
    pub fn new(type_name: impl Into<Text>, message: impl Into<Text>) -> Self {
        ExcInfo {
            type_name: type_name.into(),
            message: message.into(),
            frames: Vec::new(),
            chained: None,
            notes: Vec::new(),
        }
    }

    /// The same exception with a traceback.
    pub fn with_frames(mut self, frames: Vec<Frame>) -> Self {
        self.frames = frames;
        self
    }

    /// The same exception chained from `other`.
    pub fn chained_from(mut self, how: Chain, other: ExcInfo) -> Self {
        self.chained = Some((how, Rc::new(other)));
        self
    }

    /// From any Rust error: its `Display` text, with its `source()` chain as `__cause__`s.
    pub fn from_error(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut exc = ExcInfo::new(short_type_name(err), err.to_string());
        if let Some(source) = err.source() {
            exc = exc.chained_from(Chain::Cause, ExcInfo::from_error(source));
        }
        exc
    }

    /// `traceback.format_exception` of this exception, joined, without the final newline
    /// (what `Formatter.formatException` returns).
    pub fn format(&self) -> String {
        let mut out = String::new();
        self.write_chain(&mut out);
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }

    fn write_chain(&self, out: &mut String) {
        if let Some((how, earlier)) = &self.chained {
            earlier.write_chain(out);
            out.push_str(match how {
                Chain::Cause => {
                    "\nThe above exception was the direct cause of the following exception:\n\n"
                }
                Chain::Context => {
                    "\nDuring handling of the above exception, another exception occurred:\n\n"
                }
            });
        }
        if !self.frames.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for f in &self.frames {
                out.push_str(&format!(
                    "  File \"{}\", line {}, in {}\n",
                    f.filename, f.lineno, f.name
                ));
                if let Some(line) = &f.line {
                    let line = line.trim();
                    if !line.is_empty() {
                        out.push_str("    ");
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
        out.push_str(&self.type_name);
        if !self.message.is_empty() {
            out.push_str(": ");
            out.push_str(&self.message);
        }
        out.push('\n');
        for note in &self.notes {
            out.push_str(note);
            out.push('\n');
        }
    }
}

/// The last path segment of a Rust error's type is not available through `dyn Error`; Rust
/// errors are named `Error` unless a binding supplies a better name.
fn short_type_name(_err: &dyn std::error::Error) -> &'static str {
    "Error"
}

/// `exc_info` seen as a Python object (for `%(exc_info)s` and `{exc_info}` fields).
#[derive(Debug)]
struct ExcInfoObject(Rc<ExcInfo>);

impl PyObject for ExcInfoObject {
    fn type_name(&self) -> &str {
        "tuple"
    }
    fn py_repr(&self) -> Result<String> {
        let mut msg = String::new();
        super::pyfmt::write_str_repr(&self.0.message, &mut msg);
        Ok(format!(
            "(<class '{}'>, {}({}), <traceback object>)",
            self.0.type_name, self.0.type_name, msg
        ))
    }
}

/// One logging event.
///
/// Field names follow CPython's attributes in snake case (`funcName` → `func_name`); the
/// formatter looks them up by CPython's names through [`LogRecord::get_attr`].
#[derive(Clone, Debug)]
pub struct LogRecord {
    /// The logger's name.
    pub name: Text,
    /// The message: usually a format string, or any object whose `str()` is the message.
    pub msg: Value,
    /// The `%`-arguments; a single non-empty `dict` is used as the mapping for `%(key)s`.
    pub args: Vec<Value>,
    /// The numeric level.
    pub levelno: i64,
    /// The level name at the time of the call.
    pub levelname: Text,
    /// The source path of the call.
    pub pathname: Text,
    /// The last component of `pathname`.
    pub filename: Text,
    /// `filename` without its extension.
    pub module: Text,
    /// The source line of the call.
    pub lineno: u32,
    /// The calling function.
    pub func_name: Text,
    /// Creation time in seconds since the epoch (`created`).
    pub created: f64,
    /// Creation time in nanoseconds since the epoch (what `created` was computed from).
    pub created_ns: i64,
    /// The millisecond part of the creation time.
    pub msecs: f64,
    /// Milliseconds since the logging system started (`relativeCreated`).
    pub relative_created: f64,
    /// `thread`.
    pub thread: Option<i64>,
    /// `threadName`.
    pub thread_name: Option<Text>,
    /// `process`.
    pub process: Option<u32>,
    /// `processName`.
    pub process_name: Option<Text>,
    /// `taskName`.
    pub task_name: Option<Text>,
    /// The exception being logged, if any.
    pub exc_info: Option<Rc<ExcInfo>>,
    /// The formatted exception, cached by the first formatter that renders it.
    pub exc_text: Option<Text>,
    /// The stack at the call, already rendered, if `stack_info` was asked for.
    pub stack_info: Option<Text>,
    /// The merged message, set by `Formatter::format` (`record.message`).
    pub message: Option<Text>,
    /// The formatted time, set by `Formatter::format` when its format uses it.
    pub asctime: Option<Text>,
    /// Attributes added by `extra`, filters or a record factory, in insertion order.
    pub extra: Vec<(Text, Value)>,
}

/// Whether `key` is one of [`RECORD_ATTRIBUTES`] (a `match`, not a scan: asked for every
/// `extra` key of every record a JSON formatter writes).
pub fn is_record_attribute(key: &str) -> bool {
    matches!(
        key,
        "name"
            | "msg"
            | "args"
            | "levelname"
            | "levelno"
            | "pathname"
            | "filename"
            | "module"
            | "exc_info"
            | "exc_text"
            | "stack_info"
            | "lineno"
            | "funcName"
            | "created"
            | "msecs"
            | "relativeCreated"
            | "thread"
            | "threadName"
            | "processName"
            | "process"
            | "taskName"
            | "message"
            | "asctime"
    )
}

impl Drop for LogRecord {
    /// Gives the record's reused buffers (arguments, merged message, `asctime`) back to the
    /// [`pool`](super::pool) when nothing else holds them.
    fn drop(&mut self) {
        if self.args.capacity() != 0 {
            super::pool::give_values(std::mem::take(&mut self.args));
        }
        if let Some(t) = self.message.take() {
            super::pool::recycle_text(t);
        }
        if let Some(t) = self.asctime.take() {
            super::pool::recycle_text(t);
        }
        if self.extra.capacity() != 0 {
            super::pool::give_fields(std::mem::take(&mut self.extra));
        }
    }
}

/// CPython's `LogRecord.__dict__` keys (plus `message` and `asctime`, which `makeRecord`
/// refuses in `extra` too).
pub const RECORD_ATTRIBUTES: &[&str] = &[
    "name",
    "msg",
    "args",
    "levelname",
    "levelno",
    "pathname",
    "filename",
    "module",
    "exc_info",
    "exc_text",
    "stack_info",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "thread",
    "threadName",
    "processName",
    "process",
    "taskName",
    "message",
    "asctime",
];

impl LogRecord {
    /// Builds a record as `LogRecord.__init__` does, with the time (`ns` since the epoch) and
    /// start time from the host.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: Text,
        levelno: i64,
        levelname: Text,
        location: Location,
        msg: Value,
        args: Vec<Value>,
        exc_info: Option<Rc<ExcInfo>>,
        created_ns: i64,
        start_ns: i64,
    ) -> Self {
        let (filename, module) = split_path(&location.pathname);
        // CPython 3.13: created = ns / 1e9 (a float division of the int converted to float);
        // msecs = whole milliseconds of the fractional second, forced to 0 when the float
        // conversion rounded `created` up to the next second.
        let created = created_ns as f64 / 1e9;
        let mut msecs = (created_ns.rem_euclid(1_000_000_000) / 1_000_000) as f64;
        // `int(self.created)` truncates toward zero, so for negative times this also fires.
        if msecs == 999.0 && (created as i64) != created_ns.div_euclid(1_000_000_000) {
            msecs = 0.0;
        }
        // Python ints do not overflow: subtract in i128.
        let relative_created = (created_ns as i128 - start_ns as i128) as f64 / 1e6;
        let (identity, task_name) = super::host::identity();
        LogRecord {
            name,
            msg,
            args,
            levelno,
            levelname,
            pathname: location.pathname,
            filename,
            module,
            lineno: location.lineno,
            func_name: location.func_name,
            created,
            created_ns,
            msecs,
            relative_created,
            thread: identity.thread,
            thread_name: identity.thread_name,
            process: identity.process,
            process_name: identity.process_name,
            task_name,
            exc_info,
            exc_text: None,
            stack_info: None,
            message: None,
            asctime: None,
            extra: Vec::new(),
        }
    }

    /// `record.getMessage()`: `str(msg)`, then `% args` if there are any.
    pub fn get_message(&self) -> Result<String> {
        let mut out = String::new();
        self.get_message_into(&mut out)?;
        Ok(out)
    }

    /// Sets `message` to [`get_message`](Self::get_message), written into a reused buffer
    /// (what `Formatter.format` does first).
    pub fn merge_message(&mut self) -> Result<()> {
        let message = super::pool::text_with(|out| self.get_message_into(out))?;
        super::pool::replace(&mut self.message, message);
        Ok(())
    }

    /// [`get_message`](Self::get_message) written into `out` (which must be empty).
    pub fn get_message_into(&self, out: &mut String) -> Result<()> {
        if self.args.is_empty() {
            return super::pyfmt::write_str(&self.msg, out);
        }
        let template;
        let fmt: &str = match &self.msg {
            Value::Str(s) => s.as_str(),
            other => {
                template = other.to_py_str()?;
                &template
            }
        };
        if simple_percent(fmt, &self.args, out) {
            return Ok(());
        }
        out.clear();
        // `LogRecord.__init__` unwraps a single non-empty mapping so `%(key)s` works.
        let args = match self.args.as_slice() {
            [single @ Value::Dict(d)] if !d.is_empty() => PercentArgs::Single(single),
            all => PercentArgs::Tuple(all),
        };
        percent_format(fmt, args, out)
    }

    /// The `args` attribute as Python shows it: a tuple, or the unwrapped mapping.
    pub fn args_value(&self) -> Value {
        match self.args.as_slice() {
            [single @ Value::Dict(d)] if !d.is_empty() => single.clone(),
            all => Value::Tuple(Rc::new(all.to_vec())),
        }
    }

    /// An attribute by its CPython name (`levelname`, `funcName`, an `extra` key …), as the
    /// formatter's `%(name)s` looks it up in `record.__dict__`.
    pub fn get_attr(&self, key: &str) -> Option<Value> {
        let opt_text = |t: &Option<Text>| t.clone().map_or(Value::None, Value::Str);
        // Extras first would be wrong: CPython refuses extras that shadow attributes, but a
        // filter may set any attribute; such assignments land in `extra` only for new names.
        Some(match key {
            "name" => Value::Str(self.name.clone()),
            "msg" => self.msg.clone(),
            "args" => self.args_value(),
            "levelname" => Value::Str(self.levelname.clone()),
            "levelno" => Value::Int(self.levelno),
            "pathname" => Value::Str(self.pathname.clone()),
            "filename" => Value::Str(self.filename.clone()),
            "module" => Value::Str(self.module.clone()),
            "lineno" => Value::Int(self.lineno as i64),
            "funcName" => Value::Str(self.func_name.clone()),
            "created" => Value::Float(self.created),
            "msecs" => Value::Float(self.msecs),
            "relativeCreated" => Value::Float(self.relative_created),
            "thread" => self.thread.map_or(Value::None, Value::Int),
            "threadName" => opt_text(&self.thread_name),
            "process" => self.process.map_or(Value::None, |p| Value::Int(p as i64)),
            "processName" => opt_text(&self.process_name),
            "taskName" => opt_text(&self.task_name),
            "exc_info" => match &self.exc_info {
                Some(e) => Value::Object(Rc::new(ExcInfoObject(e.clone()))),
                None => Value::None,
            },
            "exc_text" => opt_text(&self.exc_text),
            "stack_info" => opt_text(&self.stack_info),
            "message" => return self.message.clone().map(Value::Str),
            "asctime" => return self.asctime.clone().map(Value::Str),
            _ => {
                return self
                    .extra
                    .iter()
                    .rev()
                    .find(|(k, _)| k.as_str() == key)
                    .map(|(_, v)| v.clone())
            }
        })
    }

    /// `record.__dict__`: every attribute in CPython's order (the constructor's, then
    /// `extra`, then `message` and `asctime` once a formatter has set them), for a format
    /// that renders the whole record (`Formatter('%s')`).
    pub fn to_dict(&self) -> Value {
        let mut items: Vec<(Value, Value)> =
            Vec::with_capacity(RECORD_ATTRIBUTES.len() + self.extra.len());
        for key in &RECORD_ATTRIBUTES[..RECORD_ATTRIBUTES.len() - 2] {
            if let Some(v) = self.get_attr(key) {
                items.push((Value::Str(Text::Static(key)), v));
            }
        }
        for (k, v) in &self.extra {
            items.push((Value::Str(k.clone()), v.clone()));
        }
        for key in ["message", "asctime"] {
            if let Some(v) = self.get_attr(key) {
                items.push((Value::Str(Text::Static(key)), v));
            }
        }
        Value::Dict(Rc::new(items))
    }

    /// Sets an attribute added by a filter or a record factory (`record.ip = ...`). Setting
    /// one of CPython's own attributes through this is refused with an `AttributeError`-like
    /// message; set the field directly instead.
    pub fn set_attr(&mut self, key: impl Into<Text>, value: Value) -> Result<()> {
        let key = key.into();
        if is_record_attribute(key.as_str()) {
            return Err(Error::new(
                super::error::ErrorKind::AttributeError,
                format!("'{key}' is a LogRecord field; assign the field directly"),
            ));
        }
        match self.extra.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.extra.push((key, value)),
        }
        Ok(())
    }

    /// Adds `extra` as `makeRecord` does: a key that would overwrite a record attribute is a
    /// `KeyError: "Attempt to overwrite 'msg' in LogRecord"`, and nothing is added.
    pub fn add_extra(&mut self, extra: &[(Text, Value)]) -> Result<()> {
        if let Some((key, _)) = extra.iter().find(|(k, _)| is_record_attribute(k.as_str())) {
            return Err(Error::key_error(format!(
                "\"Attempt to overwrite '{key}' in LogRecord\""
            )));
        }
        if self.extra.capacity() == 0 {
            self.extra = super::pool::take_fields();
        }
        for (k, v) in extra {
            match self.extra.iter_mut().find(|(ek, _)| ek == k) {
                Some(slot) => slot.1 = v.clone(),
                None => self.extra.push((k.clone(), v.clone())),
            }
        }
        Ok(())
    }
}

/// `os.path.basename` and `os.path.splitext(basename)[0]`, without copying static strings.
fn split_path(path: &Text) -> (Text, Text) {
    fn parts(p: &str) -> (usize, usize) {
        // posixpath.basename, as CPython on the reference platform: only '/' separates. A
        // binding that receives Windows paths normalises them before they get here.
        let start = p.rfind('/').map_or(0, |i| i + 1);
        let base = &p[start..];
        // splitext: the last dot, unless the name is only leading dots (".bashrc").
        let stem_len = match base.rfind('.') {
            Some(i) if base[..i].chars().any(|c| c != '.') => i,
            _ => base.len(),
        };
        (start, start + stem_len)
    }
    match path {
        // The placeholder of every record whose caller is not taken (the common case).
        Text::Static("(unknown file)") => (path.clone(), path.clone()),
        Text::Static(s) => {
            let (start, end) = parts(s);
            (Text::Static(&s[start..]), Text::Static(&s[start..end]))
        }
        Text::Shared(_) | Text::Buf(_) => {
            let s = path.as_str();
            let (start, end) = parts(s);
            (
                Text::from(s[start..].to_owned()),
                Text::from(s[start..end].to_owned()),
            )
        }
    }
}

/// `fmt % args` for the common shapes only: `%s` of a `str` or `int`, `%d`/`%i` of an `int`
/// and `%%`, every argument used exactly once. Returns false (with `out` partly written)
/// for anything else, which the caller then formats with the full `%` implementation — so
/// the result is always what CPython gives, and errors come from the full path.
fn simple_percent(fmt: &str, args: &[Value], out: &mut String) -> bool {
    out.reserve(fmt.len() + 16);
    let bytes = fmt.as_bytes();
    let mut next = args.iter();
    let mut start = 0;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + off;
        out.push_str(&fmt[start..at]);
        match (bytes.get(at + 1), next.as_slice().first()) {
            (Some(b'%'), _) => out.push('%'),
            (Some(b's'), Some(Value::Str(t))) => out.push_str(t),
            (Some(b's' | b'd' | b'i'), Some(Value::Int(n))) => push_int(out, *n),
            _ => return false,
        }
        if bytes[at + 1] != b'%' {
            next.next();
        }
        i = at + 2;
        start = i;
    }
    out.push_str(&fmt[start..]);
    next.as_slice().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_record_attribute_is_the_list() {
        for k in RECORD_ATTRIBUTES {
            assert!(is_record_attribute(k), "{k}");
        }
        for k in ["", "user", "Name", "names", "asctim", "funcname", "extra"] {
            assert!(!is_record_attribute(k), "{k}");
        }
    }

    #[test]
    fn simple_percent_agrees_with_the_full_implementation_or_declines() {
        let s = |t: &str| Value::Str(Text::from(t.to_owned()));
        let cases: Vec<(&str, Vec<Value>)> = vec![
            ("Message no. %d", vec![Value::Int(42)]),
            ("%s and %s", vec![s("a"), Value::Int(-7)]),
            ("%i%%%s", vec![Value::Int(i64::MIN), s("é€𝄞")]),
            ("100%% %s", vec![s("")]),
            ("%d", vec![Value::Float(1.5)]),
            ("%s", vec![Value::Bool(true)]),
            ("%5d", vec![Value::Int(1)]),
            ("%s %s", vec![s("one")]),
            ("%s", vec![s("a"), s("b")]),
            ("trailing %", vec![Value::Int(1)]),
            ("%(k)s", vec![Value::Int(1)]),
            ("no conversions", vec![Value::Int(1)]),
        ];
        for (fmt, args) in cases {
            let mut fast = String::new();
            let ok = simple_percent(fmt, &args, &mut fast);
            let mut full = String::new();
            let r = super::super::pyfmt::percent_format(fmt, PercentArgs::Tuple(&args), &mut full);
            if ok {
                assert!(r.is_ok(), "{fmt}");
                assert_eq!(fast, full, "{fmt}");
            }
        }
        let mut out = String::new();
        assert!(simple_percent(
            "Message no. %d",
            &[Value::Int(42)],
            &mut out
        ));
        assert_eq!(out, "Message no. 42");
    }

    #[test]
    fn filename_and_module_follow_os_path() {
        let t = |p: &'static str| {
            let (f, m) = split_path(&Text::Static(p));
            (f.to_string(), m.to_string())
        };
        assert_eq!(t("src/app/main.rs"), ("main.rs".into(), "main".into()));
        assert_eq!(t("/a/b.tar.gz"), ("b.tar.gz".into(), "b.tar".into()));
        assert_eq!(t(".bashrc"), (".bashrc".into(), ".bashrc".into()));
        // CPython: os.path.basename / splitext of the placeholder give it back unchanged.
        assert_eq!(
            t("(unknown file)"),
            ("(unknown file)".into(), "(unknown file)".into())
        );
        assert_eq!(t("dir/"), ("".into(), "".into()));
        assert_eq!(t("C:\\x\\y.py"), ("C:\\x\\y.py".into(), "C:\\x\\y".into()));
    }

    #[test]
    fn msecs_is_zero_when_created_rounds_up_to_next_second() {
        let r = LogRecord::new(
            "x".into(),
            20,
            "INFO".into(),
            Location::unknown(),
            Value::from("m"),
            vec![],
            None,
            1_677_903_920_999_999_900,
            0,
        );
        assert_eq!(r.created, 1_677_903_921.0);
        assert_eq!(r.msecs, 0.0);
        let r2 = LogRecord::new(
            "x".into(),
            20,
            "INFO".into(),
            Location::unknown(),
            Value::from("m"),
            vec![],
            None,
            1_677_903_920_999_998_503,
            1_677_903_920_000_000_000,
        );
        assert_eq!(r2.msecs, 999.0);
        assert_eq!(r2.relative_created, 999.998503);
    }
}
