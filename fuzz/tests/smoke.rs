//! Every driver, briefly (`make test` runs this through `make fuzz-smoke`): 20,000 executions
//! each from the seeds, no panic, and every seed must load (a moved fixture would otherwise
//! leave a driver fuzzing nothing but its built-in seeds).

use wasm_logging_fuzz::engine::{fuzz, run_one, Options};
use wasm_logging_fuzz::targets;

const EXECS: u64 = 20_000;

fn smoke(name: &str, min_seeds: usize) {
    let target = targets::by_name(name).expect("the target exists");
    let seeds = (target.seeds)();
    assert!(
        seeds.len() >= min_seeds,
        "{name}: {} seeds, expected at least {min_seeds}",
        seeds.len()
    );
    for s in &seeds {
        assert!(run_one(&target, s).is_ok(), "{name}: a seed panics: {s:?}");
    }
    let report = fuzz(
        &target,
        &Options {
            execs: EXECS,
            seed: 7,
            ..Options::default()
        },
    );
    println!("{}", report.line());
    assert_eq!(report.execs, EXECS);
    assert!(
        report.unique_panics.is_empty(),
        "{name}: {:?}",
        report.unique_panics
    );
    assert!(
        report.corpus > seeds.len().min(1),
        "{name}: nothing new was kept"
    );
}

#[test]
fn format_strings() {
    smoke("format", 20);
}

#[test]
fn interpolation() {
    smoke("interp", 40);
}

#[test]
fn strftime() {
    smoke("strftime", 10);
}

#[test]
fn dict_config() {
    smoke("dictconfig", 15);
}

#[test]
fn frames() {
    smoke("frames", 20);
}

#[cfg(feature = "host")]
#[test]
fn route_lines() {
    smoke("route", 15);
}

#[test]
fn every_target_is_listed_once() {
    let names: Vec<&str> = targets::all().iter().map(|t| t.name).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(names.len(), unique.len());
    assert!(names.len() >= if cfg!(feature = "host") { 6 } else { 5 });
}
