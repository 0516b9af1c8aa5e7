//! `wasm-logging`: the wasm-logging component in Wasmtime, from the command line.
//!
//! - `wasm-logging demo`: the cookbook tour inside the component, then what it wrote.
//! - `wasm-logging route --config FILE`: JSON-lines records on stdin, dispatched through the
//!   configured hierarchy.
//! - `wasm-logging serve --config FILE`: the cookbook's socket receiver, re-dispatching
//!   records from `SocketHandler`/`DatagramHandler` clients through the configuration.
//! - `wasm-logging workers --config FILE --worker-config FILE`: cookbook recipe 20 with real
//!   concurrent instances: workers on their own threads, one listener owning the files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use wasm_logging_host::{
    config, http_serve, route, serve, workers, HostOptions, Instance, QueueOptions, Runtime,
    COMPONENT_FILE,
};
use wasmtime::error::Context as _;
use wasmtime::Result;

const USAGE: &str = "\
usage: wasm-logging demo [--log-dir DIR] [--component FILE]
       wasm-logging route --config FILE [--log-dir DIR] [--component FILE]
       wasm-logging serve --config FILE [--listen HOST:PORT] [--udp HOST:PORT]
                          [--max-frame BYTES] [--http HOST:PORT [--allow-origin ORIGIN]
                          [--max-body BYTES] [--http-path PATH] [--www DIR]]
                          [--log-dir DIR] [--component FILE]
       wasm-logging workers --config FILE --worker-config FILE [--workers N]
                          [--records N] [--queue NAME] [--maxsize N] [--put-timeout-ms MS]
                          [--listener-handler NAME] [--log-dir DIR] [--component FILE]

  demo     run the cookbook tour inside the component: console output here, logs in
           the log directory, then the list of logs written
  route    read JSON-lines records on stdin ({\"name\", \"level\", \"msg\", \"args\",
           \"extra\", \"created\"}) and dispatch them through the configuration in FILE:
           a dictConfig document (with \"version\": 1) or basicConfig's arguments
  serve    receive records from CPython's SocketHandler (TCP) and DatagramHandler (UDP),
           pickled or as JSON, and dispatch them through the configuration in FILE as the
           cookbook's receiver does; frames with anything but plain data are rejected;
           prints \"N received, N rejected\" on SIGINT/SIGTERM
  workers  cookbook recipe 20 with real concurrent instances: N worker instances, each
           on its own thread, configured from --worker-config, log the recipe's records
           (\"Message no. %d\" at random levels and loggers) onto a host queue; one
           listener instance configured from --config delivers them to the loggers they
           name (the recipe's MyHandler) and owns the files and the console; prints what
           was put, delivered and refused, and the records per second

  --log-dir DIR     where the component's logs go (default ./logs)
  --allow-remote HOST:PORT
                    let the component's network handlers connect there (repeatable;
                    HOST:* allows every port; nothing is allowed by default)
  --listen HOST:PORT  serve's TCP address (default 127.0.0.1:9020; port 0 picks one)
  --udp HOST:PORT     serve's UDP address (default: none)
  --max-frame BYTES   the longest frame serve accepts (default 1048576)
  --http HOST:PORT    serve's HTTP address: CPython HTTPHandler at the --http-path,
                    NDJSON batches at /batch, OTLP/HTTP JSON at /v1/logs, WebSocket senders
                    at /ws and viewers at /ws/view (default: none)
  --allow-origin ORIGIN  a browser origin allowed besides serve's own (repeatable; *
                    allows any); other origins get 403
  --max-body BYTES    the largest HTTP body or WebSocket message (default 1048576)
  --http-path PATH    where HTTPHandler records are accepted (default /log)
  --www DIR           serve the files of DIR on the HTTP port
  --worker-config FILE  the workers' dictConfig (its QueueHandler's queue names the host
                    queue: \"ext://__main__.q\", or \"ext://host:NAME\" with --queue NAME)
  --workers N       how many worker instances (default 4)
  --records N       records per worker (default 100, the recipe's)
  --queue NAME      the host queue's name (default __main__.q)
  --maxsize N       the host queue's bound (default 10000; 0 unbounded)
  --put-timeout-ms MS  how long a worker waits for room in a full queue before the record
                    is refused and reported (default 1000)
  --listener-handler NAME  start the listener of the --config QueueHandler NAME (3.12's
                    \"handlers\" key) instead of the recipe's MyHandler
  --component FILE  the component (default: wasm32-wasip2/<profile>/wasm_logging.wasm
                    next to this executable's target directory, or $WASM_LOGGING_COMPONENT)
";

struct Args {
    command: String,
    config: Option<PathBuf>,
    log_dir: PathBuf,
    component: PathBuf,
    allow_remote: Vec<String>,
    serve: serve::ServeOptions,
    worker_config: Option<PathBuf>,
    workers: usize,
    records: usize,
    queue: String,
    queue_options: QueueOptions,
    listener_handler: Option<String>,
}

fn number(flag: &str, v: &str) -> Result<u64, String> {
    v.parse().map_err(|_| format!("{flag} {v}: not a number"))
}

fn socket_addr(flag: &str, v: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    v.to_socket_addrs()
        .map_err(|e| format!("{flag} {v}: {e}"))?
        .next()
        .ok_or_else(|| format!("{flag} {v}: no address"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or("missing command")?;
    let mut parsed = Args {
        command,
        config: None,
        log_dir: PathBuf::from("logs"),
        component: wasm_logging_host::default_component_path(COMPONENT_FILE),
        allow_remote: Vec::new(),
        serve: serve::ServeOptions::default(),
        worker_config: None,
        workers: 4,
        records: 100,
        queue: "__main__.q".to_owned(),
        queue_options: QueueOptions {
            maxsize: 10_000,
            put_timeout: std::time::Duration::from_secs(1),
        },
        listener_handler: None,
    };
    let mut http_addr = None;
    let mut http_options = http_serve::HttpOptions::new(std::net::SocketAddr::from(([0; 4], 0)));
    let mut http_flag = None;
    while let Some(flag) = args.next() {
        if matches!(
            flag.as_str(),
            "--allow-origin" | "--max-body" | "--http-path" | "--www"
        ) {
            http_flag = Some(flag.clone());
        }
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--config" => parsed.config = Some(PathBuf::from(value()?)),
            "--log-dir" => parsed.log_dir = PathBuf::from(value()?),
            "--component" => parsed.component = PathBuf::from(value()?),
            "--allow-remote" => {
                let v = value()?;
                wasm_logging::net::AllowList::parse(&[v.as_str()])?;
                parsed.allow_remote.push(v);
            }
            "--listen" => parsed.serve.listen = Some(socket_addr(&flag, &value()?)?),
            "--udp" => parsed.serve.udp = Some(socket_addr(&flag, &value()?)?),
            "--max-frame" => {
                let v = value()?;
                parsed.serve.max_frame = v
                    .parse()
                    .map_err(|_| format!("--max-frame {v}: not a number of bytes"))?;
            }
            "--http" => http_addr = Some(socket_addr(&flag, &value()?)?),
            "--allow-origin" => http_options.allow_origins.push(value()?),
            "--max-body" => {
                let v = value()?;
                http_options.max_body = v
                    .parse()
                    .map_err(|_| format!("--max-body {v}: not a number of bytes"))?;
            }
            "--http-path" => {
                let v = value()?;
                if !v.starts_with('/') {
                    return Err(format!("--http-path {v}: a path starting with /"));
                }
                http_options.log_path = v;
            }
            "--www" => {
                let v = PathBuf::from(value()?);
                if !v.is_dir() {
                    return Err(format!("--www {}: not a directory", v.display()));
                }
                http_options.www = Some(v);
            }
            "--worker-config" => parsed.worker_config = Some(PathBuf::from(value()?)),
            "--workers" => parsed.workers = number(&flag, &value()?)? as usize,
            "--records" => parsed.records = number(&flag, &value()?)? as usize,
            "--queue" => parsed.queue = value()?,
            "--maxsize" => parsed.queue_options.maxsize = number(&flag, &value()?)? as usize,
            "--put-timeout-ms" => {
                parsed.queue_options.put_timeout =
                    std::time::Duration::from_millis(number(&flag, &value()?)?)
            }
            "--listener-handler" => parsed.listener_handler = Some(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    match (http_addr, http_flag) {
        (Some(addr), _) => {
            http_options.addr = addr;
            parsed.serve.http = Some(http_options);
        }
        (None, Some(flag)) => return Err(format!("{flag} needs --http HOST:PORT")),
        (None, None) => {}
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
    network_demo(&runtime, args)?;
    let mut out = std::io::stdout().lock();
    let dir = instance.log_dir();
    writeln!(out, "\n=== Logs written to {} ===", dir.path().display())?;
    for (name, size) in dir.list()? {
        writeln!(out, "{name:<14} {size:>5} bytes")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The cookbook's receiver configuration (recipe 8): every record on the console.
const RECEIVER_CONFIG: &str = r#"{"version": 1,
  "formatters": {"f": {"format": "%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s"}},
  "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "f", "stream": "ext://sys.stdout"}},
  "root": {"handlers": ["console"]}}"#;

/// Recipe 8 live: one instance sends the cookbook client's records with `SocketHandler`
/// (allowed to reach only the receiver), a `serve` listener receives them, and a second
/// instance re-dispatches them through the cookbook receiver's configuration.
fn network_demo(runtime: &Runtime, args: &Args) -> Result<()> {
    println!("\n=== Sending and receiving events across a network ===");
    let stop = Arc::new(AtomicBool::new(false));
    let options = serve::ServeOptions {
        listen: Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
        ..serve::ServeOptions::default()
    };
    let (listening, rx) = serve::start(&options, stop.clone())?;
    let port = listening.tcp.map_or(0, |a| a.port());
    let mut receiver = runtime.instantiate(HostOptions {
        log_dir: args.log_dir.clone(),
        process_name: "receiver".to_owned(),
        ..HostOptions::default()
    })?;
    receiver
        .dict_config(RECEIVER_CONFIG)?
        .map_err(|e| wasmtime::format_err!("{}: {}", e.path, e.reason))?;
    let mut sender = runtime.instantiate(HostOptions {
        log_dir: args.log_dir.clone(),
        process_name: "client".to_owned(),
        allow_remote: vec![format!("127.0.0.1:{port}")],
        ..HostOptions::default()
    })?;
    let config = format!(
        r#"{{"version": 1, "root": {{"level": "DEBUG", "handlers": ["socket"]}},
            "handlers": {{"socket": {{"class": "logging.handlers.SocketHandler",
                                      "host": "127.0.0.1", "port": {port}}}}}}}"#
    );
    sender
        .dict_config(&config)?
        .map_err(|e| wasmtime::format_err!("{}: {}", e.path, e.reason))?;
    let calls = [
        ("", 20, "Jackdaws love my big sphinx of quartz."),
        ("myapp.area1", 10, "Quick zephyrs blow, vexing daft Jim."),
        ("myapp.area1", 20, "How quickly daft jumping zebras vex."),
        (
            "myapp.area2",
            30,
            "Jail zesty vixen who grabbed pay from quack.",
        ),
        ("myapp.area2", 40, "The five boxing wizards jump quickly."),
    ];
    for (name, level, msg) in calls {
        sender.log(name, level, msg, &[], &[])?;
    }
    sender.flush()?;
    let got = serve::dispatch_n(
        &mut receiver,
        &rx,
        &listening.stats,
        calls.len() as u64,
        std::time::Duration::from_secs(5),
    )?;
    stop.store(true, Ordering::SeqCst);
    sender.shutdown()?;
    receiver.shutdown()?;
    println!(
        "({got} records sent by one component instance over TCP, received by `serve` and \
         dispatched by another)"
    );
    Ok(())
}

/// An instance configured from `--config FILE`, or the message saying why not.
fn configured(args: &Args, process_name: &str) -> Result<Result<Instance, String>> {
    let path = args
        .config
        .as_ref()
        .with_context(|| format!("{} needs --config FILE", args.command))?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let options = match config::load(&text) {
        Ok(o) => o,
        Err(e) => return Ok(Err(format!("{}: {e}", path.display()))),
    };
    let runtime = Runtime::load(&args.component)?;
    let mut instance = runtime.instantiate(HostOptions {
        log_dir: args.log_dir.clone(),
        process_name: process_name.to_owned(),
        allow_remote: args.allow_remote.clone(),
        ..HostOptions::default()
    })?;
    let applied = match &options {
        config::Config::Basic(o) => instance.basic_config(o)?,
        config::Config::Dict(json) => instance.dict_config(json)?,
    };
    Ok(match applied {
        Ok(()) => Ok(instance),
        Err(e) => Err(format!("{}: {}: {}", path.display(), e.path, e.reason)),
    })
}

fn route_cmd(args: &Args) -> Result<ExitCode> {
    let mut instance = match configured(args, "wasm-logging-route")? {
        Ok(i) => i,
        Err(e) => {
            eprintln!("wasm-logging: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let stdin = std::io::stdin().lock();
    let stats = route::route(&mut instance, stdin, &mut std::io::stderr())?;
    instance.shutdown()?;
    eprintln!(
        "wasm-logging: {} dispatched, {} below level, {} malformed",
        stats.dispatched, stats.below_level, stats.malformed
    );
    Ok(ExitCode::SUCCESS)
}

/// Set by SIGINT/SIGTERM.
static STOP: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();

extern "C" fn on_signal(_: libc::c_int) {
    if let Some(stop) = STOP.get() {
        stop.store(true, Ordering::SeqCst);
    }
}

fn serve_cmd(args: &Args) -> Result<ExitCode> {
    let mut instance = match configured(args, "wasm-logging-serve")? {
        Ok(i) => i,
        Err(e) => {
            eprintln!("wasm-logging: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let stop = STOP
        .get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone();
    let handler = on_signal as extern "C" fn(libc::c_int);
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        libc::signal(libc::SIGTERM, handler as libc::sighandler_t);
    }
    let (listening, rx) = serve::start(&args.serve, stop.clone())?;
    if let Some(a) = listening.tcp {
        eprintln!("wasm-logging serve: listening on {a} (tcp)");
    }
    if let Some(a) = listening.udp {
        eprintln!("wasm-logging serve: listening on {a} (udp)");
    }
    if let Some(a) = listening.http {
        eprintln!("wasm-logging serve: listening on {a} (http)");
    }
    let result = serve::run(&mut instance, &rx, &listening.stats, &stop);
    instance.shutdown()?;
    let stats = &listening.stats;
    eprintln!(
        "wasm-logging serve: {} received, {} rejected",
        stats.received.load(Ordering::Relaxed),
        stats.rejected.load(Ordering::Relaxed)
    );
    if listening.http.is_some() {
        eprintln!(
            "wasm-logging serve: http: {} refused (origin), {} duplicate batches, {} dropped for slow viewers",
            stats.refused.load(Ordering::Relaxed),
            stats.duplicates.load(Ordering::Relaxed),
            stats.viewers.drops.load(Ordering::Relaxed)
        );
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

fn workers_cmd(args: &Args) -> Result<ExitCode> {
    let read = |flag: &str, path: Option<&PathBuf>| -> Result<String> {
        let path = path.with_context(|| format!("workers needs {flag} FILE"))?;
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let options = workers::RecipeOptions {
        listener_config: read("--config", args.config.as_ref())?,
        worker_config: read("--worker-config", args.worker_config.as_ref())?,
        workers: args.workers,
        records: args.records,
        queue: args.queue.clone(),
        queue_options: args.queue_options,
        listener_handler: args.listener_handler.clone(),
        log_dir: args.log_dir.clone(),
    };
    let runtime = Runtime::load(&args.component)?;
    let base = HostOptions {
        allow_remote: args.allow_remote.clone(),
        ..HostOptions::default()
    };
    let started = std::time::Instant::now();
    let report = workers::run_recipe(&runtime, &base, &options)?;
    let secs = started.elapsed().as_secs_f64();
    for w in &report.workers {
        if let Some(e) = &w.error {
            eprintln!("wasm-logging workers: worker {} stopped: {e}", w.index + 1);
        }
    }
    eprintln!(
        "wasm-logging workers: {} workers, {} put, {} delivered, {} refused, {} left; \
         {secs:.2} s, {:.0} records/s",
        report.workers.len(),
        report.put,
        report.delivered,
        report.refused,
        report.left,
        report.delivered as f64 / secs.max(1e-9)
    );
    let failed = report.workers.iter().any(|w| w.error.is_some()) || report.left > 0;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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
        "serve" => serve_cmd(&args),
        "workers" => workers_cmd(&args),
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
