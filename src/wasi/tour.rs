//! `wasm-logging:logging/tour`: the cookbook recipes `wasm-logging demo` runs inside the
//! component. `host/tests/python/tour.py` is the same tour in CPython, line for line; the
//! host's tests run both with the same clock and compare the console output and the logs.

use std::rc::Rc;

use crate::core::adapter::LoggerAdapter;
use crate::core::error::{Error, Result};
use crate::core::formatter::{Formatter, RecordFormatter, Style};
use crate::core::handler::Handler;
use crate::core::handlers::{ConsoleHandler, FileHandler, RotatingFileHandler};
use crate::core::host;
use crate::core::level::{DEBUG, ERROR, INFO};
use crate::core::logger::{LogOptions, Logger};
use crate::core::manager::{get_logger, root};
use crate::core::message::{BraceMessage, DollarMessage};
use crate::core::pyfmt;
use crate::core::sink::{StorageSink, Stream};
use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::config as wit_config;
use super::bindings::exports::wasm_logging::logging::tour::Guest;
use super::messages::StructuredMessage;
use super::sinks::HostStorage;
use super::{init, Component};

impl Guest for Component {
    fn run() -> std::result::Result<(), String> {
        init();
        run(Rc::new(HostStorage)).map_err(|e| e.to_string())
    }
}

/// The rotating log of recipe 13 and how many backups it keeps.
const ROTATING_LOG: &str = "app.log";
const BACKUPS: u32 = 5;

fn print(text: &str) {
    host::console().write(Stream::Stdout, text, None).ok();
}

fn banner(title: &str) {
    print(&format!("\n=== {title} ===\n"));
}

fn formatter(fmt: &str, style: Style) -> Result<Rc<dyn RecordFormatter>> {
    Ok(Rc::new(
        Formatter::builder()
            .fmt(fmt.to_owned())
            .style(style)
            .build()?,
    ))
}

fn console(stream: Stream, level: i64, fmt: &str, style: Style) -> Result<Rc<ConsoleHandler>> {
    let h = Rc::new(ConsoleHandler::new(stream));
    h.core().set_level(level)?;
    h.core().set_formatter(Some(formatter(fmt, style)?));
    Ok(h)
}

/// A logger of its own for one recipe: it does not propagate to the root, which recipe 4
/// configures with `basicConfig`.
fn recipe_logger(name: &str, level: i64) -> Result<Logger> {
    let logger = get_logger(name);
    logger.set_level(level)?;
    logger.set_propagate(false);
    Ok(logger)
}

/// Runs every recipe, with the logs in `storage`.
pub(crate) fn run(storage: Rc<dyn StorageSink>) -> Result<()> {
    multiple_modules(&storage)?;
    multiple_handlers(&storage)?;
    multiple_destinations()?;
    adapters()?;
    alternative_styles()?;
    rotation(&storage)?;
    structured()?;
    Ok(())
}

/// Recipe 1, "Using logging in multiple modules".
fn multiple_modules(storage: &Rc<dyn StorageSink>) -> Result<()> {
    banner("Using logging in multiple modules");
    let logger = recipe_logger("spam_application", DEBUG)?;
    let fmt = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";
    let fh = Rc::new(FileHandler::new(storage.clone(), "spam.log", "w", false)?);
    fh.core().set_level(DEBUG)?;
    fh.core()
        .set_formatter(Some(formatter(fmt, Style::Percent)?));
    logger.add_handler(fh);
    logger.add_handler(console(Stream::Stdout, INFO, fmt, Style::Percent)?);

    // auxiliary_module: a module logger, and one per Auxiliary instance.
    let module_logger = get_logger("spam_application.auxiliary");
    let aux = get_logger("spam_application.auxiliary.Auxiliary");

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
    Ok(())
}

/// Recipe 3, "Multiple handlers and formatters": everything to a file, errors to stderr.
fn multiple_handlers(storage: &Rc<dyn StorageSink>) -> Result<()> {
    banner("Multiple handlers and formatters");
    let logger = recipe_logger("simple_example", DEBUG)?;
    let fh = Rc::new(FileHandler::new(storage.clone(), "simple.log", "w", false)?);
    fh.core().set_level(DEBUG)?;
    fh.core().set_formatter(Some(formatter(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
        Style::Percent,
    )?));
    logger.add_handler(fh);
    logger.add_handler(console(
        Stream::Stderr,
        ERROR,
        "%(levelname)-8s %(name)s: %(message)s",
        Style::Percent,
    )?);
    logger.debug("debug message", ());
    logger.info("info message", ());
    logger.warning("warn message", ());
    logger.error("error message", ());
    logger.critical("critical message", ());
    Ok(())
}

/// Recipe 4, "Logging to multiple destinations", with `basicConfig` as the cookbook has it.
fn multiple_destinations() -> Result<()> {
    banner("Logging to multiple destinations");
    let options = wit_config::BasicConfigOptions {
        level: Some(wit_config::Level::Number(DEBUG)),
        format: Some("%(asctime)s %(name)-12s %(levelname)-8s %(message)s".to_owned()),
        datefmt: Some("%m-%d %H:%M".to_owned()),
        style: None,
        stream: None,
        filename: Some("myapp.log".to_owned()),
        filemode: Some("w".to_owned()),
        handlers: None,
        force: false,
    };
    super::config::basic_config(options, Rc::new(HostStorage))
        .map_err(|e| Error::value_error(format!("basicConfig: {}: {}", e.path, e.reason)))?;
    let root = root();
    root.add_handler(console(
        Stream::Stdout,
        INFO,
        "%(name)-12s: %(levelname)-8s %(message)s",
        Style::Percent,
    )?);
    root.info("Jackdaws love my big sphinx of quartz.", ());
    let logger1 = get_logger("myapp.area1");
    let logger2 = get_logger("myapp.area2");
    logger1.debug("Quick zephyrs blow, vexing daft Jim.", ());
    logger1.info("How quickly daft jumping zebras vex.", ());
    logger2.warning("Jail zesty vixen who grabbed pay from quack.", ());
    logger2.error("The five boxing wizards jump quickly.", ());
    Ok(())
}

/// Recipe 9, "Adding contextual information": `LoggerAdapter` with `extra`, a custom
/// `process`, and `merge_extra` (3.13).
fn adapters() -> Result<()> {
    banner("Contextual information with adapters");
    let conn = recipe_logger("conn", DEBUG)?;
    conn.add_handler(console(
        Stream::Stdout,
        DEBUG,
        "%(name)s %(connid)s: %(message)s",
        Style::Percent,
    )?);
    let adapter = LoggerAdapter::new(conn.clone(), vec![("connid".into(), Value::from("abc123"))]);
    adapter.info("connected from %s", ("10.0.0.7",));

    // CustomAdapter.process: return '[%s] %s' % (self.extra['connid'], msg), kwargs
    let custom = LoggerAdapter::new(conn, vec![("connid".into(), Value::from("xyz789"))])
        .with_process(|adapter, msg, opts| {
            let (msg, opts) = adapter.default_process(msg, opts);
            let connid = adapter
                .extra()
                .iter()
                .find(|(k, _)| k.as_str() == "connid")
                .map_or(Value::None, |(_, v)| v.clone());
            let args = [connid, msg];
            let mut out = String::new();
            match pyfmt::percent_format("[%s] %s", pyfmt::PercentArgs::Tuple(&args), &mut out) {
                Ok(()) => (Value::from(out), opts),
                Err(_) => (args[1].clone(), opts),
            }
        });
    custom.info("session started", ());

    let http = recipe_logger("conn.http", DEBUG)?;
    http.add_handler(console(
        Stream::Stdout,
        DEBUG,
        "%(name)s %(connid)s %(user)s: %(message)s",
        Style::Percent,
    )?);
    let merged =
        LoggerAdapter::new(http, vec![("connid".into(), Value::from("abc123"))]).merge_extra(true);
    merged.log_with(
        INFO,
        "GET %s",
        ("/index.html",),
        LogOptions::new().extra("user", "ann"),
    );
    Ok(())
}

/// Recipe 14, "Use of alternative formatting styles": `{` and `$` formatters, and messages
/// built lazily by `BraceMessage` / `DollarMessage`.
fn alternative_styles() -> Result<()> {
    banner("Alternative formatting styles");
    let logger = recipe_logger("styles", INFO)?;
    logger.add_handler(console(
        Stream::Stdout,
        INFO,
        "{levelname}:{name}: {message}",
        Style::Brace,
    )?);
    logger.add_handler(console(
        Stream::Stdout,
        INFO,
        "${levelname}/$name: $message",
        Style::Dollar,
    )?);
    logger.info(
        BraceMessage::new(
            "Message with {0} {name}",
            vec![Value::from(2)],
            vec![("name".into(), Value::from("placeholders"))],
        ),
        (),
    );
    logger.info(
        DollarMessage::new(
            "Message with $num $what",
            vec![
                ("num".into(), Value::from(2)),
                ("what".into(), Value::from("placeholders")),
            ],
        ),
        (),
    );
    logger.info("%s with %d placeholders", ("Percent", 2));
    Ok(())
}

/// Recipe 13, "Using file rotation", as the cookbook runs it: 20 records, `maxBytes=20`,
/// `backupCount=5`; then the logs it left.
fn rotation(storage: &Rc<dyn StorageSink>) -> Result<()> {
    banner("File rotation");
    let names: Vec<String> = std::iter::once(ROTATING_LOG.to_owned())
        .chain((1..=BACKUPS).map(|i| format!("{ROTATING_LOG}.{i}")))
        .collect();
    // Start from nothing, so every run shows the same files.
    for name in &names {
        storage.remove(name)?;
    }
    let logger = recipe_logger("MyLogger", DEBUG)?;
    let handler = Rc::new(RotatingFileHandler::new(
        storage.clone(),
        ROTATING_LOG,
        "a",
        20,
        BACKUPS,
        false,
    )?);
    logger.add_handler(handler.clone());
    for i in 0..20 {
        logger.debug("i = %d", (i,));
    }
    handler.flush()?;
    for name in &names {
        if let Some(bytes) = storage.read(name)? {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            print(&format!("{name}: {}\n", lines.join(" | ")));
        }
    }
    Ok(())
}

/// Recipe 22, "Implementing structured logging": `message >>> {json}`.
fn structured() -> Result<()> {
    banner("Structured logging");
    let logger = recipe_logger("structured", INFO)?;
    logger.add_handler(console(
        Stream::Stdout,
        INFO,
        "%(message)s",
        Style::Percent,
    )?);
    logger.info(
        StructuredMessage::value(
            "message 1",
            vec![
                (Text::from("foo"), Value::from("bar")),
                (Text::from("bar"), Value::from("baz")),
                (Text::from("num"), Value::from(123)),
                (Text::from("fnum"), Value::from(123.456)),
            ],
        ),
        (),
    );
    logger.info(
        StructuredMessage::value(
            "message 2",
            vec![
                (Text::from("city"), Value::from("Zürich")),
                (Text::from("ok"), Value::from(true)),
                (Text::from("none"), Value::None),
            ],
        ),
        (),
    );
    Ok(())
}
