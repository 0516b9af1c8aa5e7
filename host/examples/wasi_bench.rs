//! Records per second through the WASI component in Wasmtime: the benchmark harness's WASI
//! row (`make bench`, `bench/README.md`). Not a test.
//!
//! The workload is the one `benches/core.rs` times on the native core: `info('Message no.
//! %d', i)` on logger `app.net.http`, handled by the root's handler with
//! `%(asctime)s %(name)s %(levelname)s %(message)s`, a fixed clock and UTC, into an in-process
//! sink (here the host's capturing console, which receives the formatted text). Each record is
//! one call of the component's exported `logger.log` from the host, so the figure includes
//! the crossing (the message string and the `list<value>` of arguments lowered into the
//! component, the text lifted back out through the `console` import).
//!
//! ```text
//! cargo run --release -p wasm-logging-host --example wasi_bench -- \
//!     [--component target/wasm32-wasip2/release/wasm_logging.wasm] [--records N] [--runs R]
//! ```
//!
//! Prints one JSON object: the nanoseconds per record of each run (enabled one call per
//! record, enabled 64 records per `log-many` call, and a disabled `debug` call for
//! reference), and one sample line.

use std::path::PathBuf;
use std::time::Instant;

use wasm_logging_host::bindings::exports::wasm_logging::logging::config::Level;
use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::Value;
use wasm_logging_host::{
    basic_options, default_component_path, Console, HostOptions, LocalTime, Runtime, Zone,
    COMPONENT_FILE,
};
use wasmtime::Result;

const FORMAT: &str = "%(asctime)s %(name)s %(levelname)s %(message)s";
const CLOCK_NS: u64 = 1_700_000_000_123_456_789;

struct Args {
    component: PathBuf,
    records: u64,
    runs: u32,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        component: default_component_path(COMPONENT_FILE),
        records: 200_000,
        runs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--component" => args.component = PathBuf::from(value()?),
            "--records" => args.records = value()?.parse().map_err(|e| format!("{e}"))?,
            "--runs" => args.runs = value()?.parse().map_err(|e| format!("{e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// One fresh instance (so the captured text of earlier runs is not carried along), set up
/// as the native benchmark is: a formatted handler on the root, the root at `level`.
fn instance(runtime: &Runtime, level: i64) -> Result<wasm_logging_host::Instance> {
    let mut inst = runtime.instantiate(HostOptions {
        console: Console::capture(),
        clock: Some(CLOCK_NS),
        zone: Zone::Fixed(LocalTime::utc()),
        ..HostOptions::default()
    })?;
    let mut options = basic_options(FORMAT);
    options.level = Some(Level::Number(level));
    inst.basic_config(&options)?
        .map_err(|e| wasmtime::format_err!("{}: {}", e.path, e.reason))?;
    Ok(inst)
}

/// Records per `log-many` call in the batched row.
const BATCH: usize = 64;

/// Nanoseconds per record of `level` records on `app.net.http`, sent `BATCH` per `log-many`
/// call (the argument lists are built outside the timing, as a relay has them already).
fn timed_batched(inst: &mut wasm_logging_host::Instance, level: i64, n: u64) -> Result<f64> {
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::LogEntry;
    let batches: Vec<Vec<LogEntry>> = (0..n)
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .map(|c| {
            c.iter()
                .map(|i| LogEntry {
                    level,
                    msg: "Message no. %d".to_owned(),
                    args: vec![Value::Int(*i as i64)],
                    extra: Vec::new(),
                })
                .collect()
        })
        .collect();
    let t0 = Instant::now();
    for b in &batches {
        inst.log_many("app.net.http", b)?;
    }
    Ok(t0.elapsed().as_nanos() as f64 / n as f64)
}

/// Nanoseconds per call of `level` records on `app.net.http`.
fn timed(inst: &mut wasm_logging_host::Instance, level: i64, n: u64) -> Result<f64> {
    let t0 = Instant::now();
    for i in 0..n {
        let args = [Value::Int(i as i64)];
        inst.log("app.net.http", level, "Message no. %d", &args, &[])?;
    }
    Ok(t0.elapsed().as_nanos() as f64 / n as f64)
}

fn main() -> Result<()> {
    let args = parse_args().map_err(|e| wasmtime::format_err!("{e}"))?;
    let runtime = Runtime::load(&args.component)?;
    let warm = (args.records / 10).max(100);

    let mut enabled = Vec::new();
    let mut sample = String::new();
    let mut lines = 0usize;
    for _ in 0..args.runs {
        let mut inst = instance(&runtime, 20)?;
        timed(&mut inst, 20, warm)?;
        enabled.push(timed(&mut inst, 20, args.records)?);
        let out = inst.captured();
        lines = out.stderr.lines().count() + out.stdout.lines().count();
        sample = out
            .stderr
            .lines()
            .chain(out.stdout.lines())
            .last()
            .unwrap_or_default()
            .to_owned();
    }
    let expected = (warm + args.records) as usize;
    if lines != expected {
        return Err(wasmtime::format_err!(
            "the sink received {lines} lines, expected {expected}"
        ));
    }

    let mut disabled = Vec::new();
    for _ in 0..args.runs {
        let mut inst = instance(&runtime, 30)?;
        timed(&mut inst, 10, warm)?;
        disabled.push(timed(&mut inst, 10, args.records)?);
        let out = inst.captured();
        if !out.stderr.is_empty() || !out.stdout.is_empty() {
            return Err(wasmtime::format_err!("a disabled call produced output"));
        }
    }

    let mut batched = Vec::new();
    for _ in 0..args.runs {
        let mut inst = instance(&runtime, 20)?;
        timed_batched(&mut inst, 20, warm)?;
        batched.push(timed_batched(&mut inst, 20, args.records)?);
        let out = inst.captured();
        let got = out.stderr.lines().count() + out.stdout.lines().count();
        if got != expected || out.stderr.lines().last() != Some(sample.as_str()) {
            return Err(wasmtime::format_err!(
                "batched: the sink received {got} lines, expected {expected} ending with the same sample"
            ));
        }
    }

    let doc = serde_json::json!({
        "batched_ns": batched,
        "batch": BATCH,
        "component": args.component.display().to_string(),
        "records": args.records,
        "enabled_ns": enabled,
        "disabled_ns": disabled,
        "sample": sample,
    });
    println!("{doc}");
    Ok(())
}
