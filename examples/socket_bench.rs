//! Records per second through the native core's `SocketHandler` (TCP, CPython's
//! length-prefixed pickle frames): the "native" sender of `make bench-remote`
//! (`bench/remote.py`, `bench/README.md`). Not a test.
//!
//! ```text
//! cargo run --release --example socket_bench -- --port P [--records N] [--host 127.0.0.1]
//! ```
//!
//! Configured with `dictConfig` as a program would be: a `SocketHandler` on the root at
//! `INFO`, connections through `NetRemote` (any endpoint allowed). Then `N` calls of
//! `info("Message no. %d", i)` on logger `bench`, and `flush()` until every frame has been
//! handed to the kernel (`remote::pending() == 0`): that span is the figure. Afterwards,
//! untimed, one `WARNING` "socket-bench: done" (the harness's receiver prints only that one,
//! so it knows every earlier frame on this connection was dispatched), delivered, then
//! `shutdown()`.
//!
//! Back-pressure: CPython's `SocketHandler` blocks in `sendall` while the socket is full; ours
//! never blocks, it keeps up to 10,000 frames waiting and drops the oldest beyond that. So
//! every `BATCH` records the loop checks `pending()` and, above `HIGH`, flushes and naps
//! until it is below `LOW`: what a producer that must not lose records does (the checks are
//! inside the timing).
//!
//! Prints one JSON line: `{"sender":"native","n":N,"secs":S,"t0":EPOCH_SECONDS,"waits":W}`
//! (`t0`: the wall clock at the first call, for the harness's end-to-end figure; `waits`: how
//! many times the loop waited for the receiver).
//!
//! `--receive --expect K` is the harness's other receiver instead, one that cannot be the
//! bottleneck: it listens on `127.0.0.1:0` (printing `{"port":P}`), takes one connection, and
//! only splits the byte stream into frames (4-byte big-endian length, payload; nothing is
//! unpickled) until the peer closes. It prints `{"frames":F,"bytes":B,"t_last":EPOCH_SECONDS,
//! "last_is_sentinel":bool}`: `t_last` is when frame `K` was complete, and the last frame must
//! be the sender's "socket-bench: done".

use std::io::{Read, Write};
use std::net::TcpListener;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wasm_logging::core::config::{dict_config_with, json::parse_json, ConfigEnv};
use wasm_logging::core::handlers::remote;
use wasm_logging::net::{AllowList, NetRemote};
use wasm_logging::{Manager, RemoteSink, Value};

const BATCH: i64 = 1_000;
const HIGH: usize = 5_000;
const LOW: usize = 1_000;

const SENTINEL: &[u8] = b"socket-bench: done";

struct Args {
    host: String,
    port: u16,
    records: i64,
    receive: bool,
    expect: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        host: "127.0.0.1".to_owned(),
        port: 0,
        records: 200_000,
        receive: false,
        expect: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--host" => args.host = value()?,
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--records" => {
                args.records = value()?.parse().map_err(|e| format!("--records: {e}"))?
            }
            "--receive" => args.receive = true,
            "--expect" => args.expect = value()?.parse().map_err(|e| format!("--expect: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.receive {
        return Ok(args);
    }
    if args.port == 0 {
        return Err("--port is required".to_owned());
    }
    Ok(args)
}

/// Flushes (one immediate delivery attempt each) until at most `left` frames wait.
fn drain(manager: &Manager, left: usize, deadline: Instant) -> Result<(), String> {
    loop {
        manager.flush();
        let pending = remote::pending();
        if pending <= left {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{pending} frames still undelivered"));
        }
        std::thread::sleep(Duration::from_micros(50));
    }
}

fn wall_clock() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// `--receive`: counts the frames of one connection until the peer closes it.
fn receive(expect: u64) -> Result<(), String> {
    let e = |e: std::io::Error| e.to_string();
    let listener = TcpListener::bind("127.0.0.1:0").map_err(e)?;
    let port = listener.local_addr().map_err(e)?.port();
    println!(r#"{{"port":{port}}}"#);
    std::io::stdout().flush().map_err(e)?;
    let (mut conn, _) = listener.accept().map_err(e)?;
    conn.set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(e)?;
    let mut buf = vec![0u8; 1 << 20];
    // `buf[start..end]` holds bytes not yet split into frames.
    let (mut start, mut end) = (0usize, 0usize);
    let (mut frames, mut bytes) = (0u64, 0u64);
    let mut t_last = 0.0;
    let mut last: Vec<u8> = Vec::new();
    loop {
        if end == buf.len() {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
            if end == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
        }
        let got = conn.read(&mut buf[end..]).map_err(e)?;
        if got == 0 {
            break;
        }
        end += got;
        bytes += got as u64;
        while end - start >= 4 {
            let n = u32::from_be_bytes(buf[start..start + 4].try_into().unwrap()) as usize;
            if end - start - 4 < n {
                break;
            }
            frames += 1;
            if frames == expect {
                t_last = wall_clock();
                last = buf[start + 4..start + 4 + n].to_vec();
            }
            start += 4 + n;
        }
    }
    let sentinel = last.windows(SENTINEL.len()).any(|w| w == SENTINEL);
    println!(
        r#"{{"frames":{frames},"bytes":{bytes},"partial":{},"t_last":{t_last},"last_is_sentinel":{sentinel}}}"#,
        end - start
    );
    Ok(())
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    if args.receive {
        return receive(args.expect);
    }
    let manager = Manager::new();
    let sink: Rc<dyn RemoteSink> = Rc::new(NetRemote::new(AllowList::Any));
    let env = ConfigEnv {
        remote: Some(sink),
        ..ConfigEnv::default()
    };
    let config = parse_json(&format!(
        r#"{{"version": 1,
            "handlers": {{"s": {{"class": "logging.handlers.SocketHandler",
                                 "host": "{}", "port": {}}}}},
            "root": {{"handlers": ["s"], "level": "INFO"}}}}"#,
        args.host, args.port
    ))?;
    dict_config_with(&manager, &env, &config).map_err(|e| e.to_string())?;
    let log = manager.get_logger("bench");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut waits = 0u64;

    let wall0 = wall_clock();
    let t0 = Instant::now();
    for i in 0..args.records {
        log.info("Message no. %d", [Value::Int(i)]);
        if (i + 1) % BATCH == 0 && remote::pending() > HIGH {
            waits += 1;
            drain(&manager, LOW, deadline)?;
        }
    }
    drain(&manager, 0, deadline)?;
    let secs = t0.elapsed().as_secs_f64();

    log.warning("socket-bench: done", ());
    drain(&manager, 0, deadline)?;
    manager.shutdown();
    println!(
        r#"{{"sender":"native","n":{},"secs":{secs},"t0":{wall0},"waits":{waits}}}"#,
        args.records
    );
    Ok(())
}
