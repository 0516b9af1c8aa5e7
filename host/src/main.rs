//! `wasm-logging`: the wasm-logging component in Wasmtime, from the command line.
//!
//! - `wasm-logging demo`: the cookbook tour inside the component, then what it wrote.
//! - `wasm-logging route --config FILE`: JSON-lines records on stdin, dispatched through the
//!   configured hierarchy.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use wasm_logging_host::{config, route, HostOptions, Runtime, COMPONENT_FILE};
use wasmtime::error::Context as _;
use wasmtime::Result;

const USAGE: &str = "\
usage: wasm-logging demo [--log-dir DIR] [--component FILE]
       wasm-logging route --config FILE [--log-dir DIR] [--component FILE]

  demo     run the cookbook tour inside the component: console output here, logs in
           the log directory, then the list of logs written
  route    read JSON-lines records on stdin ({\"name\", \"level\", \"msg\", \"args\",
           \"extra\", \"created\"}) and dispatch them through the configuration in FILE:
           a dictConfig document (with \"version\": 1) or basicConfig's arguments

  --log-dir DIR     where the component's logs go (default ./logs)
  --component FILE  the component (default: wasm32-wasip2/<profile>/wasm_logging.wasm
                    next to this executable's target directory, or $WASM_LOGGING_COMPONENT)
";

struct Args {
    command: String,
    config: Option<PathBuf>,
    log_dir: PathBuf,
    component: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or("missing command")?;
    let mut parsed = Args {
        command,
        config: None,
        log_dir: PathBuf::from("logs"),
        component: wasm_logging_host::default_component_path(COMPONENT_FILE),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--config" => parsed.config = Some(PathBuf::from(value()?)),
            "--log-dir" => parsed.log_dir = PathBuf::from(value()?),
            "--component" => parsed.component = PathBuf::from(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(parsed)
}

fn demo(args: &Args) -> Result<ExitCode> {
    let runtime = Runtime::load(&args.component)?;
    let mut instance = runtime.instantiate(HostOptions {
        log_dir: args.log_dir.clone(),
        process_name: "wasm-logging-demo".to_owned(),
        ..HostOptions::default()
    })?;
    if let Err(e) = instance.tour()? {
        eprintln!("wasm-logging: the tour stopped: {e}");
        return Ok(ExitCode::FAILURE);
    }
    // The interop proof, live: a component that only knows `wasi:logging` logs through the
    // hierarchy the tour configured (its root handlers: myapp.log and the console).
    let guest_path = wasm_logging_host::default_component_path("wasi_logging_guest.wasm");
    if guest_path.exists() {
        println!("\n=== A wasi:logging component linked to this one ===");
        let bytes = std::fs::read(&guest_path)?;
        let guest = wasm_logging_host::compile_cached(runtime.engine(), &guest_path, &bytes)?;
        instance.run_guest(&guest, "run")?;
    }
    instance.shutdown()?;
    let mut out = std::io::stdout().lock();
    let dir = instance.log_dir();
    writeln!(out, "\n=== Logs written to {} ===", dir.path().display())?;
    for (name, size) in dir.list()? {
        writeln!(out, "{name:<14} {size:>5} bytes")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn route_cmd(args: &Args) -> Result<ExitCode> {
    let path = args.config.as_ref().context("route needs --config FILE")?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let options = match config::load(&text) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("wasm-logging: {}: {e}", path.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = Runtime::load(&args.component)?;
    let mut instance = runtime.instantiate(HostOptions {
        log_dir: args.log_dir.clone(),
        process_name: "wasm-logging-route".to_owned(),
        ..HostOptions::default()
    })?;
    let applied = match &options {
        config::Config::Basic(o) => instance.basic_config(o)?,
        config::Config::Dict(json) => instance.dict_config(json)?,
    };
    if let Err(e) = applied {
        eprintln!("wasm-logging: {}: {}: {}", path.display(), e.path, e.reason);
        return Ok(ExitCode::FAILURE);
    }
    let stdin = std::io::stdin().lock();
    let stats = route::route(&mut instance, stdin, &mut std::io::stderr())?;
    instance.shutdown()?;
    eprintln!(
        "wasm-logging: {} dispatched, {} below level, {} malformed",
        stats.dispatched, stats.below_level, stats.malformed
    );
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("wasm-logging: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.command.as_str() {
        "demo" => demo(&args),
        "route" => route_cmd(&args),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprintln!("wasm-logging: unknown command {other}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("wasm-logging: {e:?}");
        ExitCode::FAILURE
    })
}
