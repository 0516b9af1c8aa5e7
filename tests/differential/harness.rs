//! The Rust side of the differential scenarios (tests/differential/README.md): loading them,
//! comparing what a host printed with what CPython printed, and the report every runner
//! prints. Shared by the native runner (`tests/differential.rs`) and the Wasmtime runner
//! (`host/tests/differential.rs`, through `#[path]`); the Node and Chromium runners have the
//! same rules in `js/test/browser/differential.js`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

/// The scenarios, generated (or found current) by `build.py` with the reference CPython.
pub fn load(repo: &Path, python: &str) -> Vec<Json> {
    let out = Command::new(python)
        .arg(repo.join("tests/differential/build.py"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(
        out.status.success(),
        "build.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let only = std::env::var("DIFF_ONLY").ok();
    text.lines()
        .filter(|l| !l.starts_with("{\"meta\""))
        .map(|l| serde_json::from_str::<Json>(l).expect("a scenario is JSON"))
        .filter(|s| match &only {
            Some(prefix) => s["id"].as_str().unwrap_or("").starts_with(prefix.as_str()),
            None => true,
        })
        .collect()
}

/// A standard stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stream {
    /// `sys.stdout`.
    Stdout,
    /// `sys.stderr`.
    Stderr,
}

impl Stream {
    fn parse(s: &str) -> Stream {
        if s == "stdout" {
            Stream::Stdout
        } else {
            Stream::Stderr
        }
    }
    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// A configuration step a host refused.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// The index of the setup step.
    pub step: usize,
    /// The path the host named, if it names one.
    pub path: Option<String>,
    /// The host's message.
    pub message: String,
}

/// What a host printed: writes in order, each in a phase (-1 setup, i call i, n shutdown).
#[derive(Clone, Debug, Default)]
pub struct Observed {
    /// `(phase, stream, text)`.
    pub writes: Vec<(i64, Stream, String)>,
    /// The refused step, if one was.
    pub refusal: Option<Refusal>,
    /// Calls that returned an error (what CPython raises into the caller): the call's
    /// index, the exception's class and message.
    pub raised: Vec<(i64, String, String)>,
}

/// How much of the order a host lets us see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fidelity {
    /// Every write, in order, with its stream.
    Ordered,
    /// Per phase, what went to stdout and what went to stderr (the order between the two
    /// streams inside one phase is not observable).
    PerPhase,
}

/// The result of one scenario in one host.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Same output (and same refusal) as CPython.
    Pass,
    /// Different: the diff.
    Fail(String),
    /// The host's API cannot express something the scenario does: why.
    Inexpressible(String),
}

/// Adjacent writes to the same stream in the same phase, joined.
fn coalesce(writes: impl IntoIterator<Item = (i64, Stream, String)>) -> Vec<(i64, Stream, String)> {
    let mut out: Vec<(i64, Stream, String)> = Vec::new();
    for (p, s, t) in writes {
        if t.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((lp, ls, lt)) if *lp == p && *ls == s => lt.push_str(&t),
            _ => out.push((p, s, t)),
        }
    }
    out
}

fn per_phase(writes: &[(i64, Stream, String)]) -> BTreeMap<(i64, Stream), String> {
    let mut m: BTreeMap<(i64, Stream), String> = BTreeMap::new();
    for (p, s, t) in writes {
        if !t.is_empty() {
            m.entry((*p, *s)).or_default().push_str(t);
        }
    }
    m
}

/// The names a CPython error message quotes (`'LOUD'`, `'colour'`): a host's message must
/// name the same things; with no quoted names, it must contain CPython's message.
pub fn names_same_culprit(cpython: &str, host: &str) -> bool {
    let quoted: Vec<&str> = cpython.split('\'').skip(1).step_by(2).collect();
    if cpython.matches('\'').count() >= 2 && !quoted.is_empty() {
        quoted.iter().all(|q| host.contains(q))
    } else {
        host.contains(cpython)
    }
}

/// Compares what a host did with what CPython did; `Err` is the diff.
pub fn compare(s: &Json, obs: &Observed, fidelity: Fidelity) -> Result<(), String> {
    let expect = &s["expect"];
    let ncalls = s["calls"].as_array().map_or(0, Vec::len) as i64;
    let mut want: Vec<(i64, Stream, String)> = expect["output"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w[2].as_i64().unwrap_or(-1),
                Stream::parse(w[0].as_str().unwrap_or("")),
                w[1].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let mut got = obs.writes.clone();
    let mut problems = String::new();
    // A call CPython raised from (an `extra` key naming a record attribute): nothing may be
    // emitted; the call may return the error (the component's `log-with`) or, where a log
    // call cannot fail (the native and JS rule), report it: a logging-error report naming
    // the same problem is then allowed on stderr.
    let expected_raises: Vec<i64> = expect["call_errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|ce| ce["call"].as_i64())
        .collect();
    for (i, exc, msg) in &obs.raised {
        if !expected_raises.contains(i) {
            let _ = writeln!(problems, "call {i} raised {exc}: {msg}; CPython's did not");
        }
    }
    for ce in expect["call_errors"].as_array().into_iter().flatten() {
        let i = ce["call"].as_i64().unwrap_or(-2);
        let msg = ce["message"].as_str().unwrap_or("");
        if let Some((_, exc, m)) = obs.raised.iter().find(|r| r.0 == i) {
            if !names_same_culprit(msg, m) {
                let _ = writeln!(problems, "call {i} raised {exc}: {m}; CPython: {msg}");
            }
        }
        got.retain(|(p, st, t)| {
            !(*p == i
                && *st == Stream::Stderr
                && t.starts_with("--- Logging error ---")
                && names_same_culprit(msg, t))
        });
        want.retain(|(p, _, _)| *p != i);
    }
    match (&expect["error"], &obs.refusal) {
        (Json::Null, None) => {}
        (Json::Null, Some(r)) => {
            let _ = writeln!(
                problems,
                "refused step {} ({}): {}",
                r.step,
                r.path.as_deref().unwrap_or("-"),
                r.message
            );
        }
        (e, None) => {
            let _ = writeln!(
                problems,
                "accepted step {} which CPython refuses: {}: {}",
                e["step"], e["type"], e["message"]
            );
        }
        (e, Some(r)) => {
            let step = e["step"].as_u64().unwrap_or(0) as usize;
            let declared = s["setup"][step]["error_path"].as_str();
            let cause = e["cause"].as_str().unwrap_or("");
            let message = e["message"].as_str().unwrap_or("");
            if r.step != step {
                let _ = writeln!(problems, "refused step {} but CPython step {step}", r.step);
            }
            if let (Some(want_path), Some(got_path)) = (declared, r.path.as_deref()) {
                if want_path != got_path {
                    let _ = writeln!(problems, "path {got_path:?}, want {want_path:?}");
                }
            }
            if !names_same_culprit(cause, &r.message) && !names_same_culprit(message, &r.message) {
                let _ = writeln!(
                    problems,
                    "message {:?} does not name what CPython's does: {}: {}",
                    r.message, e["cause_type"], cause
                );
            }
        }
    }
    let _ = ncalls;
    match fidelity {
        Fidelity::Ordered => {
            let (w, g) = (coalesce(want), coalesce(got));
            if w != g {
                let _ = writeln!(problems, "output differs:\n{}", diff_ordered(&w, &g));
            }
        }
        Fidelity::PerPhase => {
            let (w, g) = (per_phase(&want), per_phase(&got));
            if w != g {
                let mut keys: Vec<&(i64, Stream)> = w.keys().chain(g.keys()).collect();
                keys.sort();
                keys.dedup();
                let _ = writeln!(problems, "output differs:");
                for k in keys {
                    let (a, b) = (w.get(k), g.get(k));
                    if a != b {
                        let _ = writeln!(
                            problems,
                            "  phase {} {}:\n    want {:?}\n    got  {:?}",
                            k.0,
                            k.1.name(),
                            a.map_or("", String::as_str),
                            b.map_or("", String::as_str)
                        );
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn diff_ordered(w: &[(i64, Stream, String)], g: &[(i64, Stream, String)]) -> String {
    let mut out = String::new();
    let n = w.len().max(g.len());
    for i in 0..n {
        let (a, b) = (w.get(i), g.get(i));
        if a == b {
            continue;
        }
        let show = |x: Option<&(i64, Stream, String)>| match x {
            Some((p, s, t)) => format!("[{p}] {}: {t:?}", s.name()),
            None => "(nothing)".to_owned(),
        };
        let _ = writeln!(out, "    want {}\n    got  {}", show(a), show(b));
    }
    out
}

/// Counts per host, and the failures by family and feature.
#[derive(Default)]
pub struct Report {
    host: String,
    total: usize,
    pass: usize,
    fail: Vec<(String, String)>,
    inexpressible: BTreeMap<String, Vec<String>>,
    by_family: BTreeMap<String, [usize; 3]>,
    by_feature: BTreeMap<String, [usize; 3]>,
    rows: Vec<Json>,
}

impl Report {
    /// An empty report for `host`.
    pub fn new(host: &str) -> Self {
        Report {
            host: host.to_owned(),
            ..Default::default()
        }
    }

    /// Records one scenario's outcome.
    pub fn add(&mut self, s: &Json, outcome: Outcome) {
        let id = s["id"].as_str().unwrap_or("?").to_owned();
        let family = s["family"].as_str().unwrap_or("?").to_owned();
        let features: Vec<String> = s["features"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_owned))
            .collect();
        let col = match &outcome {
            Outcome::Pass => 0,
            Outcome::Fail(_) => 1,
            Outcome::Inexpressible(_) => 2,
        };
        self.total += 1;
        self.by_family.entry(family).or_default()[col] += 1;
        for f in &features {
            self.by_feature.entry(f.clone()).or_default()[col] += 1;
        }
        let (status, detail) = match outcome {
            Outcome::Pass => {
                self.pass += 1;
                ("pass", String::new())
            }
            Outcome::Fail(d) => {
                self.fail.push((id.clone(), d.clone()));
                ("fail", d)
            }
            Outcome::Inexpressible(why) => {
                self.inexpressible
                    .entry(why.clone())
                    .or_default()
                    .push(id.clone());
                ("inexpressible", why)
            }
        };
        self.rows.push(serde_json::json!({
            "id": id, "status": status, "detail": detail, "features": features,
        }));
    }

    /// Passing scenarios.
    pub fn pass(&self) -> usize {
        self.pass
    }
    /// Failing scenarios.
    pub fn failed(&self) -> usize {
        self.fail.len()
    }
    /// Inexpressible scenarios.
    pub fn inexpressible(&self) -> usize {
        self.inexpressible.values().map(Vec::len).sum()
    }
    /// All scenarios.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Passing scenarios among the expressible ones, in percent.
    pub fn pass_rate(&self) -> f64 {
        let expressible = self.pass + self.fail.len();
        if expressible == 0 {
            100.0
        } else {
            self.pass as f64 * 100.0 / expressible as f64
        }
    }

    /// Inexpressible scenarios among all, in percent.
    pub fn inexpressible_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.inexpressible() as f64 * 100.0 / self.total as f64
        }
    }

    /// Prints the counts, the failures and inexpressible scenarios by family, feature and
    /// reason, and the first `show` diffs; writes every row to `target/differential/`.
    pub fn print(&self, repo: &Path, show: usize) {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "differential ({}): {} scenarios: {} pass, {} fail, {} inexpressible",
            self.host,
            self.total,
            self.pass,
            self.fail.len(),
            self.inexpressible()
        );
        let _ = writeln!(
            out,
            "  {:.1}% of the expressible scenarios pass; {:.1}% of all are inexpressible",
            self.pass_rate(),
            self.inexpressible_rate()
        );
        let _ = writeln!(out, "  by family (pass/fail/inexpressible):");
        for (k, [p, f, i]) in &self.by_family {
            let _ = writeln!(out, "    {k:<12} {p}/{f}/{i}");
        }
        let _ = writeln!(out, "  features of failing scenarios (fail of total):");
        let mut feats: Vec<_> = self.by_feature.iter().filter(|(_, c)| c[1] > 0).collect();
        feats.sort_by_key(|(_, c)| std::cmp::Reverse(c[1]));
        for (k, c) in feats.iter().take(25) {
            let _ = writeln!(out, "    {k:<36} {} of {}", c[1], c[0] + c[1] + c[2]);
        }
        let _ = writeln!(out, "  inexpressible, by reason:");
        for (why, ids) in &self.inexpressible {
            let _ = writeln!(
                out,
                "    {:>4}  {why}  (e.g. {})",
                ids.len(),
                ids.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        for (id, d) in self.fail.iter().take(show) {
            let _ = writeln!(out, "  FAIL {id}:\n{}", indent(d));
        }
        println!("{out}");
        let dir = repo.join("target/differential");
        let _ = std::fs::create_dir_all(&dir);
        let rows: String = self
            .rows
            .iter()
            .map(|r| format!("{r}\n"))
            .collect::<Vec<_>>()
            .concat();
        let _ = std::fs::write(dir.join(format!("report-{}.jsonl", self.host)), rows);
        let _ = std::fs::write(dir.join(format!("report-{}.txt", self.host)), out);
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}
