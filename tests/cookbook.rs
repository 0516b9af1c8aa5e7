//! Cookbook recipes 1 ("Using logging in multiple modules") and 3 ("Multiple handlers and
//! formatters"), and the adapter recipe, run through the core and through CPython with the
//! same fixed clock; outputs must be byte-identical. "File" handlers write to an in-memory
//! sink standing for `spam.log` (storage sinks are a host concern).

mod common;

use std::rc::Rc;

use common::python;
use wasm_logging::{
    host, ConsoleHandler, Formatter, Handler, LogOptions, LoggerAdapter, Manager, MemoryConsole,
    Stream, Value, DEBUG, ERROR, INFO,
};

/// 2023-11-14 22:13:20.123456789 UTC.
const NOW_NS: i64 = 1_700_000_000_123_456_789;

/// Python preamble: the same fixed clock, UTC, and `spam.log` as a StringIO.
const PY_PRELUDE: &str = r#"
import io, logging, sys, time
time.time_ns = lambda: 1_700_000_000_123_456_789
logging._startTime = 1_700_000_000_123_456_789
logging.Formatter.converter = time.gmtime
spam_log = io.StringIO()
def FileHandler(_name):
    return logging.StreamHandler(spam_log)
"#;

fn fixed_host() -> Rc<MemoryConsole> {
    let stderr = Rc::new(MemoryConsole::new());
    host::install_console(stderr.clone());
    host::install_clock(Rc::new(host::FixedClock::new(NOW_NS)));
    stderr
}

/// The recipes' set-up: `name` at DEBUG, a DEBUG "file" handler writing to the returned
/// memory sink (standing for `spam.log`) and an ERROR console handler on stderr, neither
/// attached yet nor formatted.
fn debug_file_and_error_console(
    m: &Manager,
    name: &str,
) -> (
    wasm_logging::Logger,
    Rc<MemoryConsole>,
    Rc<ConsoleHandler>,
    Rc<ConsoleHandler>,
) {
    let spam_log = Rc::new(MemoryConsole::new());
    let logger = m.get_logger(name);
    logger.set_level(DEBUG).unwrap();
    let fh = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, spam_log.clone()));
    fh.core().set_level(DEBUG).unwrap();
    let ch = Rc::new(ConsoleHandler::stderr());
    ch.core().set_level(ERROR).unwrap();
    (logger, spam_log, fh, ch)
}

fn formatter(fmt: &str) -> Rc<Formatter> {
    Rc::new(
        Formatter::builder()
            .fmt(fmt.to_owned())
            .converter(wasm_logging::Converter::Utc)
            .build()
            .unwrap(),
    )
}

#[test]
fn recipe_1_multiple_modules_matches_cpython() {
    let (py_out, py_err) = python(&format!(
        "{PY_PRELUDE}{}",
        r#"
logger = logging.getLogger('spam_application')
logger.setLevel(logging.DEBUG)
fh = FileHandler('spam.log')
fh.setLevel(logging.DEBUG)
ch = logging.StreamHandler()
ch.setLevel(logging.ERROR)
formatter = logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s')
fh.setFormatter(formatter)
ch.setFormatter(formatter)
logger.addHandler(fh)
logger.addHandler(ch)

# auxiliary_module
module_logger = logging.getLogger('spam_application.auxiliary')
class Auxiliary:
    def __init__(self):
        self.logger = logging.getLogger('spam_application.auxiliary.Auxiliary')
        self.logger.info('creating an instance of Auxiliary')
    def do_something(self):
        self.logger.info('doing something')
        a = 1 + 1
        self.logger.info('done doing something')
def some_function():
    module_logger.info('received a call to "some_function"')

logger.info('creating an instance of auxiliary_module.Auxiliary')
a = Auxiliary()
logger.info('created an instance of auxiliary_module.Auxiliary')
logger.info('calling auxiliary_module.Auxiliary.do_something')
a.do_something()
logger.info('finished auxiliary_module.Auxiliary.do_something')
logger.info('calling auxiliary_module.some_function()')
some_function()
logger.info('done with auxiliary_module.some_function()')
logger.error('an error for the console too')
sys.stdout.write(spam_log.getvalue())
"#
    ));

    let stderr = fixed_host();
    let m = Manager::new();
    let (logger, spam_log, fh, ch) = debug_file_and_error_console(&m, "spam_application");
    let f = formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s");
    fh.core().set_formatter(Some(f.clone()));
    ch.core().set_formatter(Some(f));
    logger.add_handler(fh);
    logger.add_handler(ch);

    // The "auxiliary module": its loggers are children found by name only.
    let module_logger = m.get_logger("spam_application.auxiliary");
    let aux = m.get_logger("spam_application.auxiliary.Auxiliary");
    logger.info("creating an instance of auxiliary_module.Auxiliary", ());
    aux.info("creating an instance of Auxiliary", ());
    logger.info("created an instance of auxiliary_module.Auxiliary", ());
    logger.info("calling auxiliary_module.Auxiliary.do_something", ());
    aux.info("doing something", ());
    aux.info("done doing something", ());
    logger.info("finished auxiliary_module.Auxiliary.do_something", ());
    logger.info("calling auxiliary_module.some_function()", ());
    module_logger.info("received a call to \"some_function\"", ());
    logger.info("done with auxiliary_module.some_function()", ());
    logger.error("an error for the console too", ());

    assert_eq!(spam_log.text(Stream::Stdout), py_out);
    assert_eq!(stderr.text(Stream::Stderr), py_err);
    assert!(py_out.contains(
        "2023-11-14 22:13:20,123 - spam_application.auxiliary.Auxiliary - INFO - doing something"
    ));
}

#[test]
fn recipe_3_multiple_handlers_and_formatters_matches_cpython() {
    let (py_out, py_err) = python(&format!(
        "{PY_PRELUDE}{}",
        r#"
logger = logging.getLogger('simple_example')
logger.setLevel(logging.DEBUG)
fh = FileHandler('spam.log')
fh.setLevel(logging.DEBUG)
ch = logging.StreamHandler()
ch.setLevel(logging.ERROR)
formatter = logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s')
ch.setFormatter(formatter)
fh.setFormatter(logging.Formatter('%(levelname)-8s %(name)s:%(lineno)d %(message)s'))
logger.addHandler(ch)
logger.addHandler(fh)
logger.debug('debug message')
logger.info('info message')
logger.warning('warn message')
logger.error('error message')
logger.critical('critical message')
sys.stdout.write(spam_log.getvalue())
"#
    ));
    let stderr = fixed_host();
    let m = Manager::new();
    let (logger, spam_log, fh, ch) = debug_file_and_error_console(&m, "simple_example");
    ch.core().set_formatter(Some(formatter(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
    )));
    fh.core().set_formatter(Some(formatter(
        "%(levelname)-8s %(name)s:%(lineno)d %(message)s",
    )));
    logger.add_handler(ch);
    logger.add_handler(fh);
    // Python's line numbers are those of its script; give ours the same ones.
    let at = |line: u32| {
        LogOptions::new().location(wasm_logging::Location {
            pathname: "<string>".into(),
            lineno: line,
            func_name: "<module>".into(),
        })
    };
    logger.log_with(DEBUG, "debug message", (), at(21));
    logger.log_with(INFO, "info message", (), at(22));
    logger.log_with(wasm_logging::WARNING, "warn message", (), at(23));
    logger.log_with(ERROR, "error message", (), at(24));
    logger.log_with(wasm_logging::CRITICAL, "critical message", (), at(25));
    assert_eq!(spam_log.text(Stream::Stdout), py_out);
    assert_eq!(stderr.text(Stream::Stderr), py_err);
    assert!(py_out.starts_with("DEBUG    simple_example:21 debug message\n"));
}

#[test]
fn recipe_adapter_binds_context_and_merge_extra_matches_cpython() {
    let (py_out, _) = python(&format!(
        "{PY_PRELUDE}{}",
        r#"
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(name)s %(connid)s %(user)s: %(message)s', defaults={'user': '-'}))
base = logging.getLogger('conn')
base.setLevel(logging.DEBUG)
base.addHandler(h)
a = logging.LoggerAdapter(base, {'connid': 42})
a.info('plain')
a.info('call extra is replaced: %s', 'x', extra={'connid': 1, 'user': 'bob'})
m = logging.LoggerAdapter(base, {'connid': 7, 'user': 'ann'}, merge_extra=True)
m.warning('merged', extra={'user': 'eve'})
m.debug('adapter only')
class Custom(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return '[%s] %s' % (self.extra['connid'], msg), dict(kwargs, extra=self.extra)
c = Custom(base, {'connid': 9})
c.error('custom %d', 5)
"#
    ));
    fixed_host();
    let m = Manager::new();
    let console = Rc::new(MemoryConsole::new());
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    h.core().set_formatter(Some(Rc::new(
        Formatter::builder()
            .fmt("%(name)s %(connid)s %(user)s: %(message)s")
            .defaults(vec![("user".into(), Value::from("-"))])
            .build()
            .unwrap(),
    )));
    let base = m.get_logger("conn");
    base.set_level(DEBUG).unwrap();
    base.add_handler(h);
    let a = LoggerAdapter::new(base.clone(), vec![("connid".into(), Value::from(42))]);
    a.info("plain", ());
    a.log_with(
        INFO,
        "call extra is replaced: %s",
        ("x",),
        LogOptions::new().extra("connid", 1).extra("user", "bob"),
    );
    let merged = LoggerAdapter::new(
        base.clone(),
        vec![
            ("connid".into(), Value::from(7)),
            ("user".into(), Value::from("ann")),
        ],
    )
    .merge_extra(true);
    merged.log_with(
        wasm_logging::WARNING,
        "merged",
        (),
        LogOptions::new().extra("user", "eve"),
    );
    merged.debug("adapter only", ());
    let custom = LoggerAdapter::new(base, vec![("connid".into(), Value::from(9))]).with_process(
        |ad, msg, opts| {
            let connid = ad.extra()[0].1.to_py_str().unwrap();
            let msg = Value::from(format!("[{connid}] {}", msg.to_py_str().unwrap()));
            ad.default_process(msg, opts)
        },
    );
    custom.error("custom %d", (5,));
    assert_eq!(console.text(Stream::Stdout), py_out);
    assert!(py_out.ends_with("conn 9 -: [9] custom 5\n"));
}
