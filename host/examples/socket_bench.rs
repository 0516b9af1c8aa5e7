//! Records per second through the WASI component's `SocketHandler` in Wasmtime (the host's
//! `remote` import, served by `NetRemote`): the "component" sender of `make bench-remote`
//! (`bench/remote.py`, `bench/README.md`). Not a test.
//!
//! ```text
//! cargo run --release -p wasm-logging-host --example socket_bench -- --port P \
//!     [--records N] [--batch B] [--component target/wasm32-wasip2/release/wasm_logging.wasm]
//! ```
//!
//! The component is instantiated with a capturing console and only `127.0.0.1:P` allowed,
//! configured by `dictConfig` (a `SocketHandler` on the root at `INFO`), then `N` records
//! `info("Message no. %d", i)` on logger `bench`: one `logger.log` call into the component
//! per record, or with `--batch B` one `log-many` call per `B` records (the argument lists
//! are built outside the timing, as in `wasi_bench`). Then `flush()` and `remote-pending`
//! until every frame has been handed to the kernel: that span is the figure. Afterwards,
//! untimed, one `WARNING` "socket-bench: done" (the harness's receiver prints only that one),
//! delivered, then `shutdown()`.
//!
//! Back-pressure as in `examples/socket_bench.rs`: the core never blocks and keeps at most
//! 10,000 frames, so every 1,000 records (the first `log-many` call at or past each 1,000 with
//! `--batch`) the loop checks `remote-pending` and, above 5,000,
//! pumps and naps until it is at most 1,000 (inside the timing).
//!
//! Prints one JSON line: `{"sender":"component","n":N,"secs":S,"t0":EPOCH_SECONDS,"waits":W}`
//! (`"component-log-many"` with `--batch`).

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wasm_logging_host::bindings::exports::wasm_logging::logging::loggers::{LogEntry, Value};
use wasm_logging_host::{default_component_path, Console, HostOptions, Runtime, COMPONENT_FILE};
use wasmtime::Result;

const CHECK_EVERY: u64 = 1_000;
const HIGH: u32 = 5_000;
const LOW: u32 = 1_000;

struct Args {
    component: PathBuf,
    host: String,
    port: u16,
    records: u64,
    batch: Option<usize>,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        component: default_component_path(COMPONENT_FILE),
        host: "127.0.0.1".to_owned(),
        port: 0,
        records: 200_000,
        batch: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--component" => args.component = PathBuf::from(value()?),
            "--host" => args.host = value()?,
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--records" => {
                args.records = value()?.parse().map_err(|e| format!("--records: {e}"))?
            }
            "--batch" => {
                let b: usize = value()?.parse().map_err(|e| format!("--batch: {e}"))?;
                if b == 0 {
                    return Err("--batch must be at least 1".to_owned());
                }
                args.batch = Some(b);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.port == 0 {
        return Err("--port is required".to_owned());
    }
    Ok(args)
}

/// Flushes, then pumps until at most `left` frames wait.
fn drain(inst: &mut wasm_logging_host::Instance, left: u32, deadline: Instant) -> Result<()> {
    inst.flush()?;
    loop {
        let pending = inst.remote_pending()?;
        if pending <= left {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(wasmtime::format_err!("{pending} frames still undelivered"));
        }
        std::thread::sleep(Duration::from_micros(50));
    }
}

fn main() -> Result<()> {
    let args = parse_args().map_err(|e| wasmtime::format_err!("{e}"))?;
    let runtime = Runtime::load(&args.component)?;
    let log_dir =
        std::env::temp_dir().join(format!("wasm-logging-socket-bench-{}", std::process::id()));
    let mut inst = runtime.instantiate(HostOptions {
        log_dir: log_dir.clone(),
        console: Console::capture(),
        allow_remote: vec![format!("{}:{}", args.host, args.port)],
        ..HostOptions::default()
    })?;
    let config = format!(
        r#"{{"version": 1,
            "handlers": {{"s": {{"class": "logging.handlers.SocketHandler",
                                 "host": "{}", "port": {}}}}},
            "root": {{"handlers": ["s"], "level": "INFO"}}}}"#,
        args.host, args.port
    );
    inst.dict_config(&config)?
        .map_err(|e| wasmtime::format_err!("{}: {}", e.path, e.reason))?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut waits = 0u64;

    // `--batch`: the entries of each `log-many` call, built before the timing.
    let batches: Vec<Vec<LogEntry>> = match args.batch {
        None => Vec::new(),
        Some(b) => (0..args.records)
            .collect::<Vec<_>>()
            .chunks(b)
            .map(|c| {
                c.iter()
                    .map(|i| LogEntry {
                        level: 20,
                        msg: "Message no. %d".to_owned(),
                        args: vec![Value::Int(*i as i64)],
                        extra: Vec::new(),
                    })
                    .collect()
            })
            .collect(),
    };

    let wall0 = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let t0 = Instant::now();
    if args.batch.is_none() {
        for i in 0..args.records {
            inst.log("bench", 20, "Message no. %d", &[Value::Int(i as i64)], &[])?;
            if (i + 1) % CHECK_EVERY == 0 && inst.remote_pending()? > HIGH {
                waits += 1;
                drain(&mut inst, LOW, deadline)?;
            }
        }
    } else {
        let (mut done, mut check) = (0u64, CHECK_EVERY);
        for b in &batches {
            inst.log_many("bench", b)?;
            done += b.len() as u64;
            if done >= check {
                check += CHECK_EVERY;
                if inst.remote_pending()? <= HIGH {
                    continue;
                }
                waits += 1;
                drain(&mut inst, LOW, deadline)?;
            }
        }
    }
    drain(&mut inst, 0, deadline)?;
    let secs = t0.elapsed().as_secs_f64();

    inst.log("bench", 30, "socket-bench: done", &[], &[])?;
    drain(&mut inst, 0, deadline)?;
    inst.shutdown()?;
    let errors = inst.error_count()?;
    // handleError's reports (a refused connection, an overflow), captured: shown, not lost.
    let captured = inst.captured();
    eprint!("{}{}", captured.stdout, captured.stderr);
    let _ = std::fs::remove_dir_all(&log_dir);
    let sender = if args.batch.is_some() {
        "component-log-many"
    } else {
        "component"
    };
    println!(
        r#"{{"sender":"{sender}","n":{},"secs":{secs},"t0":{wall0},"waits":{waits},"errors":{errors}}}"#,
        args.records
    );
    Ok(())
}
