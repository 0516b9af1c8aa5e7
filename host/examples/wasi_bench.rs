//! Records per second through the WASI component in Wasmtime: the benchmark harness's WASI
//! row (`make bench`, `bench/README.md`). Not a test.
//!
//! The workload is the one `benches/core.rs` times on the native core: `info('Message no.
//! %d', i)` on logger `app.net.http`, handled by the root's handler with
//! `%(asctime)s %(name)s %(levelname)s %(message)s`, a fixed clock and UTC, into an in-process
//! sink that receives the formatted text and keeps none of it (here the host's counting
//! console, [`Console::count`]; natively a byte-counting `ConsoleSink`). Each record is one
//! call of the component's exported `logger.log` from the host, so the figure includes the
//! crossing (the message string and the `list<value>` of arguments lowered into the
//! component, the clock read, the text lifted back out through the `console` import). The
//! batched row sends 64 records per `Instance::log_many` call (packed, `logger.log-packed`),
//! which writes the console once and reads the clock once per call; `batched_log_many_export_ns`
//! is the same through the `logger.log-many` export's `list<log-entry>`.
//!
//! ```text
//! cargo run --release -p wasm-logging-host --example wasi_bench -- \
//!     [--component target/wasm32-wasip2/release/wasm_logging.wasm] [--records N] [--runs R] \
//!     [--perfmap] [--sink count|capture|inherit]
//! ```
//!
//! `--perfmap` writes `/tmp/perf-<pid>.map` for the compiled guest code, so that
//! `perf record -g` / `perf report` name the component's functions (profiling only: the
//! engine then skips the compilation cache). `--sink capture` times into the capturing
//! console instead (which keeps every line in a growing string, as this harness did before
//! issue 13); `--sink inherit` into this process's stderr (`2>/dev/null`: real writes).
//!
//! Prints one JSON object: the nanoseconds per record of each run (enabled one call per
//! record, enabled 64 records per `log-many` call, and a disabled `debug` call for
//! reference), the console writes per record of the enabled rows, and one sample line (the
//! same bytes through `log` and `log-many`, checked).

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
    /// Write `/tmp/perf-<pid>.map` so `perf report` names the guest's functions.
    perfmap: bool,
    /// `--sink`: `count` (the default), `capture` (the capturing console, which keeps every
    /// line, as the harness did before issue 13) or `inherit` (this process's stderr: real
    /// `write` calls; redirect it, e.g. to /dev/null, and the line checks are skipped).
    sink: String,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        component: default_component_path(COMPONENT_FILE),
        records: 200_000,
        runs: 5,
        perfmap: false,
        sink: "count".to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--component" => args.component = PathBuf::from(value()?),
            "--records" => args.records = value()?.parse().map_err(|e| format!("{e}"))?,
            "--runs" => args.runs = value()?.parse().map_err(|e| format!("{e}"))?,
            "--perfmap" => args.perfmap = true,
            "--sink" => {
                args.sink = value()?;
                if !["count", "capture", "inherit"].contains(&args.sink.as_str()) {
                    return Err(format!(
                        "--sink: count, capture or inherit, not {}",
                        args.sink
                    ));
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// One fresh instance, set up as the native benchmark is: a formatted handler on the root,
/// the root at `level`, writing to `console` (a counting console for the timed runs: like
/// the native benchmark's sink, it receives every byte and keeps none).
fn instance(
    runtime: &Runtime,
    level: i64,
    console: Console,
) -> Result<wasm_logging_host::Instance> {
    let mut inst = runtime.instantiate(HostOptions {
        console,
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

/// Nanoseconds per record of `level` records on `app.net.http`, sent `BATCH` per
/// `Instance::log_many` call (packed: `logger.log-packed`), or with `packed` false per call
/// of the `logger.log-many` export itself (`list<log-entry>`). The entries are built outside
/// the timing, as a relay has them already; packing them is inside.
fn timed_batched(
    inst: &mut wasm_logging_host::Instance,
    level: i64,
    n: u64,
    packed: bool,
) -> Result<f64> {
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
    if packed {
        for b in &batches {
            inst.log_many("app.net.http", b)?;
        }
    } else {
        let l = inst.logger("app.net.http")?;
        let exports = inst.exports().clone();
        for b in &batches {
            exports
                .wasm_logging_logging_loggers()
                .logger()
                .call_log_many(inst.store(), l, b)?;
        }
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

/// The lines and writes a counting console received (lines only, for a capturing one).
fn received(inst: &wasm_logging_host::Instance) -> (u64, u64) {
    let c = inst.counted();
    let out = inst.captured();
    let captured = (out.stdout.lines().count() + out.stderr.lines().count()) as u64;
    (c.stdout_lines + c.stderr_lines + captured, c.writes)
}

/// The last line of `records` records sent one call each and 64 per `log-many` call, into
/// a capturing console: both must be the same bytes.
fn sample(runtime: &Runtime, records: u64) -> Result<String> {
    use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::LogEntry;
    let last = |inst: &wasm_logging_host::Instance| {
        let out = inst.captured();
        out.stderr.lines().last().unwrap_or_default().to_owned()
    };
    let n = records.saturating_sub(1) as i64;
    let mut one = instance(runtime, 20, Console::capture())?;
    one.log("app.net.http", 20, "Message no. %d", &[Value::Int(n)], &[])?;
    let mut many = instance(runtime, 20, Console::capture())?;
    let entries: Vec<LogEntry> = (n - 1..=n)
        .map(|i| LogEntry {
            level: 20,
            msg: "Message no. %d".to_owned(),
            args: vec![Value::Int(i)],
            extra: Vec::new(),
        })
        .collect();
    many.log_many("app.net.http", &entries)?;
    let (a, b) = (last(&one), last(&many));
    if a != b || a.is_empty() {
        return Err(wasmtime::format_err!(
            "log and log-many differ: {a:?} vs {b:?}"
        ));
    }
    Ok(a)
}

fn main() -> Result<()> {
    let args = parse_args().map_err(|e| wasmtime::format_err!("{e}"))?;
    let runtime = if args.perfmap {
        let mut config = wasmtime::Config::new();
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        let engine = wasmtime::Engine::new(&config)?;
        let component = wasmtime::component::Component::from_file(&engine, &args.component)?;
        Runtime::new(engine, component)?
    } else {
        Runtime::load(&args.component)?
    };
    let warm = (args.records / 10).max(100);
    let expected = warm + args.records;
    let sink = || match args.sink.as_str() {
        "capture" => Console::capture(),
        "inherit" => Console::Inherit,
        _ => Console::count(),
    };
    // What the sink received can be checked unless it is the process's own stderr.
    let expected_lines = |lines: u64| args.sink == "inherit" || lines == expected;

    let mut enabled = Vec::new();
    let mut writes = 0;
    for _ in 0..args.runs {
        let mut inst = instance(&runtime, 20, sink())?;
        timed(&mut inst, 20, warm)?;
        enabled.push(timed(&mut inst, 20, args.records)?);
        let (lines, w) = received(&inst);
        if !expected_lines(lines) {
            return Err(wasmtime::format_err!(
                "the sink received {lines} lines, expected {expected}"
            ));
        }
        writes = w;
    }

    let mut disabled = Vec::new();
    for _ in 0..args.runs {
        let mut inst = instance(&runtime, 30, sink())?;
        timed(&mut inst, 10, warm)?;
        disabled.push(timed(&mut inst, 10, args.records)?);
        if received(&inst) != (0, 0) {
            return Err(wasmtime::format_err!("a disabled call produced output"));
        }
    }

    let mut batched = Vec::new();
    let mut entries = Vec::new();
    let mut batched_writes = 0;
    for _ in 0..args.runs {
        for packed in [true, false] {
            let mut inst = instance(&runtime, 20, sink())?;
            timed_batched(&mut inst, 20, warm, packed)?;
            let t = timed_batched(&mut inst, 20, args.records, packed)?;
            let (lines, w) = received(&inst);
            if !expected_lines(lines) {
                return Err(wasmtime::format_err!(
                    "batched: the sink received {lines} lines, expected {expected}"
                ));
            }
            if packed {
                batched.push(t);
                batched_writes = w;
            } else {
                entries.push(t);
            }
        }
    }
    let sample = sample(&runtime, args.records)?;

    let doc = serde_json::json!({
        "batched_ns": batched,
        "batched_log_many_export_ns": entries,
        "batch": BATCH,
        "component": args.component.display().to_string(),
        "records": args.records,
        "enabled_ns": enabled,
        "disabled_ns": disabled,
        "sample": sample,
        "console_writes_per_record": writes as f64 / expected as f64,
        "batched_console_writes_per_record": batched_writes as f64 / expected as f64,
    });
    println!("{doc}");
    Ok(())
}
