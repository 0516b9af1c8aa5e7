//! `wasm-logging-tour`: a WASI command (`wasi:cli/run`) that drives the wasm-logging component
//! it is composed with (`make compose`, docs/wasi-tooling.md), so that a stock WASI Preview 2
//! runtime can run it:
//!
//! ```text
//! wasmtime run --dir logs::logs composed.wasm             # the cookbook tour
//! wasmtime run -S inherit-network composed.wasm send 127.0.0.1 9020 tcp
//! ```
//!
//! - no argument, or `tour`: the cookbook tour of `wasm-logging demo` (console output on
//!   stdout/stderr, logs in the sinks' log directory);
//! - `send HOST PORT [tcp|udp|http]`: recipe 8's client: the cookbook's five records through
//!   a `SocketHandler` (or `DatagramHandler`, or `HTTPHandler` POSTing to `/log`) to HOST:PORT;
//! - `config JSON [--listen HANDLER]`: the same records through any `dictConfig`, with the
//!   `QueueListener` of the `QueueHandler` HANDLER running while they are logged.
//!
//! `WASM_LOGGING_FIXED_TIME_NS` (nanoseconds since the epoch) fixes the records' time and
//! logging's start time, for output that can be compared byte for byte. The command fails
//! (exit status 1: `wasi:cli/run` has only success and failure) when the tour stops, a handler
//! reported an error, or the command line is wrong.

use std::process::ExitCode;

/// Generated bindings for the command's imports (`wit/` of the repository root).
#[allow(missing_docs)]
mod bindings {
    wit_bindgen::generate!({
        inline: "
            package wasm-logging:wasi-tour;

            /// What the command needs from the wasm-logging component.
            world tour-command {
                import wasm-logging:logging/loggers@0.1.0;
                import wasm-logging:logging/config@0.1.0;
                import wasm-logging:logging/tour@0.1.0;
            }
        ",
        path: "../../wit",
        generate_all,
    });
}

use bindings::wasm_logging::logging::{config, loggers, tour};

const USAGE: &str =
    "usage: wasm-logging-tour [tour | send HOST PORT [tcp|udp|http] | config JSON [--listen HANDLER]]";

/// The configuration of recipe 8's client, as JSON for `dictConfig`: the records to
/// `host:port` over `transport` (`tcp`: `SocketHandler`, `udp`: `DatagramHandler`, `http`:
/// `HTTPHandler` POSTing to `/log`).
fn sender_config(host: &str, port: u16, transport: &str) -> Result<String, String> {
    let host = host.replace('\\', "\\\\").replace('"', "\\\"");
    let handler = match transport {
        "tcp" => format!(
            r#"{{"class": "logging.handlers.SocketHandler", "host": "{host}", "port": {port}}}"#
        ),
        "udp" => format!(
            r#"{{"class": "logging.handlers.DatagramHandler", "host": "{host}", "port": {port}}}"#
        ),
        "http" => format!(
            r#"{{"class": "logging.handlers.HTTPHandler", "host": "{host}:{port}", "url": "/log", "method": "POST"}}"#
        ),
        other => return Err(format!("unknown transport '{other}'\n{USAGE}")),
    };
    Ok(format!(
        r#"{{"version": 1, "root": {{"level": "DEBUG", "handlers": ["remote"]}},
            "handlers": {{"remote": {handler}}}}}"#
    ))
}

fn send(args: &[String]) -> Result<(), String> {
    let (host, port, transport) = match args {
        [h, p] => (h, p, "tcp"),
        [h, p, t] => (h, p, t.as_str()),
        _ => return Err(USAGE.to_owned()),
    };
    let port: u16 = port
        .parse()
        .map_err(|_| format!("'{port}' is not a port\n{USAGE}"))?;
    apply(&sender_config(host, port, transport)?)?;
    log_client_records();
    Ok(())
}

fn apply(json: &str) -> Result<(), String> {
    config::dict_config(json).map_err(|e| format!("dictConfig: {}: {}", e.path, e.reason))
}

/// Recipe 8's client records.
fn log_client_records() {
    for (name, level, msg) in [
        ("", 20, "Jackdaws love my big sphinx of quartz."),
        ("myapp.area1", 10, "Quick zephyrs blow, vexing daft Jim."),
        ("myapp.area1", 20, "How quickly daft jumping zebras vex."),
        (
            "myapp.area2",
            30,
            "Jail zesty vixen who grabbed pay from quack.",
        ),
        ("myapp.area2", 40, "The five boxing wizards jump quickly."),
    ] {
        loggers::get_logger(name).log(level, msg, &[], &[]);
    }
}

/// `config JSON [--listen HANDLER]`: applies a dictConfig, starts the `QueueListener` of the
/// `QueueHandler` named HANDLER if asked, logs recipe 8's client records, and stops the
/// listener (which hands on every record still queued).
fn configured(args: &[String]) -> Result<(), String> {
    let (json, listen) = match args {
        [json] => (json, None),
        [json, flag, handler] if flag == "--listen" => (json, Some(handler)),
        _ => return Err(USAGE.to_owned()),
    };
    apply(json)?;
    if let Some(h) = listen {
        config::start_handler_listener(h).map_err(|e| format!("--listen {h}: {e}"))?;
    }
    log_client_records();
    if let Some(h) = listen {
        config::stop_handler_listener(h).map_err(|e| format!("--listen {h}: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Some(ns) = std::env::var("WASM_LOGGING_FIXED_TIME_NS")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        loggers::set_start_time(ns);
        loggers::set_fixed_time(Some(ns));
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("tour") if args.len() <= 1 => tour::run(),
        Some("send") => send(&args[1..]),
        Some("config") => configured(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    // logging.shutdown(): flushes and closes every handler (and a socket's last frames).
    loggers::shutdown();
    if let Err(e) = result {
        eprintln!("wasm-logging-tour: {e}");
        return ExitCode::FAILURE;
    }
    let errors = loggers::error_count();
    if errors > 0 {
        eprintln!("wasm-logging-tour: {errors} handler error(s) reported");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
