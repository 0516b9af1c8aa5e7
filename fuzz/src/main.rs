//! `wasm-logging-fuzz`: run the fuzz drivers, or re-run saved inputs.
//!
//! ```text
//! wasm-logging-fuzz list
//! wasm-logging-fuzz run [TARGET|all] [--execs N] [--seed S] [--timeout-ms T] [--slow-ms S]
//!                       [--heavy-mb M] [--malloc-limit-mb M] [--artifacts DIR] [--progress S]
//! wasm-logging-fuzz repro [--artifacts DIR] [FILE ...]
//! ```
//!
//! `run` prints one line per target (executions, execs/s, panics, slow inputs) and exits 1 if
//! any input panicked. `repro` runs each saved input (by default every file under the
//! artifacts directory; the target is the file's folder name) and exits 1 if one still fails.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use wasm_logging_fuzz::engine::{self, Options};
use wasm_logging_fuzz::targets;

const USAGE: &str = "usage:
  wasm-logging-fuzz list
  wasm-logging-fuzz run [TARGET|all] [--execs N] [--seed S] [--timeout-ms T] [--slow-ms S]
                        [--heavy-mb M] [--malloc-limit-mb M] [--artifacts DIR] [--progress SECS]
  wasm-logging-fuzz repro [--artifacts DIR] [FILE ...]";

fn default_artifacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

fn parse_num(flag: &str, v: Option<String>) -> Result<u64, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
    v.replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: expected a number, got {v:?}"))
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wasm-logging-fuzz: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().unwrap_or_default();
    let mut opts = Options {
        artifacts: Some(default_artifacts()),
        progress_secs: 30,
        ..Options::default()
    };
    let mut names: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--execs" => opts.execs = parse_num(&a, args.next())?,
            "--seed" => opts.seed = parse_num(&a, args.next())?,
            "--timeout-ms" => opts.timeout = Duration::from_millis(parse_num(&a, args.next())?),
            "--slow-ms" => opts.slow = Duration::from_millis(parse_num(&a, args.next())?),
            "--heavy-mb" => opts.heavy_bytes = (parse_num(&a, args.next())? as usize) << 20,
            "--malloc-limit-mb" => opts.malloc_limit = (parse_num(&a, args.next())? as usize) << 20,
            "--progress" => opts.progress_secs = parse_num(&a, args.next())?,
            "--artifacts" => {
                opts.artifacts = Some(PathBuf::from(
                    args.next().ok_or("--artifacts needs a value")?,
                ))
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => names.push(a),
        }
    }
    match cmd.as_str() {
        "list" => {
            for t in targets::all() {
                println!("{:<11} {}", t.name, t.about);
            }
            Ok(ExitCode::SUCCESS)
        }
        "run" => run(&names, &opts),
        "repro" => repro(&names, opts.artifacts.as_deref()),
        _ => Err(format!("unknown command {cmd:?}")),
    }
}

fn run(names: &[String], opts: &Options) -> Result<ExitCode, String> {
    let chosen: Vec<_> = if names.is_empty() || names.iter().any(|n| n == "all") {
        targets::all()
    } else {
        names
            .iter()
            .map(|n| targets::by_name(n).ok_or_else(|| format!("no target {n:?}")))
            .collect::<Result<_, _>>()?
    };
    let mut failed = false;
    for t in &chosen {
        eprintln!(
            "fuzz {}: {} executions, seed {} — {}",
            t.name,
            engine::thousands(opts.execs),
            opts.seed,
            t.about
        );
        let report = engine::fuzz(t, opts);
        for p in &report.unique_panics {
            println!("  panic ×{}: {}", p.count, p.what);
        }
        println!("{}", report.line());
        failed |= report.panics > 0;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn repro(files: &[String], artifacts: Option<&Path>) -> Result<ExitCode, String> {
    let mut paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    if paths.is_empty() {
        let dir = artifacts.map_or_else(default_artifacts, Path::to_path_buf);
        for t in targets::all() {
            if let Ok(entries) = std::fs::read_dir(dir.join(t.name)) {
                let mut found: Vec<PathBuf> =
                    entries.filter_map(Result::ok).map(|e| e.path()).collect();
                found.sort();
                paths.extend(found);
            }
        }
        if paths.is_empty() {
            println!("no saved inputs under {}", dir.display());
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut failed = 0;
    for path in &paths {
        let path = &path.canonicalize().unwrap_or_else(|_| path.clone());
        let target_name = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let target = targets::by_name(target_name).ok_or_else(|| {
            format!(
                "{}: the folder name should be a target ({})",
                path.display(),
                targets::all()
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let t0 = Instant::now();
        let result = engine::run_one(&target, &data);
        let took = t0.elapsed();
        match result {
            Ok(_) => println!(
                "ok    {} ({} bytes, {:.1} ms)",
                path.display(),
                data.len(),
                took.as_secs_f64() * 1e3
            ),
            Err(what) => {
                failed += 1;
                println!("PANIC {}: {what}", path.display());
            }
        }
    }
    println!("{} inputs re-run, {failed} still panic", paths.len());
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
