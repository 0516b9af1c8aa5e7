// The comparison harness (issues 6 and 13): wasm-logging against pino (three configurations),
// loglevel, LogTape, winston and CPython's logging on five workloads, plus sizes (the app of
// the size target and each feature's marginal size, compare-sizes.js), cold start and WASI vs
// native. Fair by construction: one sink that reads every record's text, the peers' order
// rotated per round, same-round ratios with the load average of each round (compare-report.js
// judges issue 13's targets on them). Methodology: ../../bench/README.md. Run through make
// (the package must be built first):
//
//   make bench          the real run: bench/results/<date>-<host>.{md,json} and latest.md
//   make bench-smoke    tiny counts, every peer and workload, shapes asserted; writes target/
//
//   node bench/compare.js [--smoke] [--runs N] [--target-ms MS] [--out DIR] [--latest]
//        [--python PATH] [--wasi-bin PATH] [--wasi-component PATH] [--criterion DIR]
//        [--cold-spawns N] [--skip-wasi] [--print]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { reportOf, targetsOf } from "./compare-report.js";
import { npmPack, sizes } from "./compare-sizes.js";
import { PEERS, WORKLOADS, WORKLOAD_INFO, checkShape } from "./peers.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JS = path.resolve(HERE, "..");
const ROOT = path.resolve(JS, "..");

// ---- arguments ------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const SMOKE = flag("--smoke");
const RUNS = Number(opt("--runs", SMOKE ? 1 : 5));
const TARGET_MS = Number(opt("--target-ms", SMOKE ? 5 : 400));
const COLD_SPAWNS = Number(opt("--cold-spawns", SMOKE ? 1 : 15));
const OUT = path.resolve(opt("--out", path.join(ROOT, SMOKE ? "target/bench-smoke" : "bench/results")));
const LATEST = flag("--latest");
const PYTHON = opt(
  "--python",
  fs.existsSync("/root/.pyenv/versions/3.13.0/bin/python3.13") ? "/root/.pyenv/versions/3.13.0/bin/python3.13" : "python3",
);
const WASI_BIN = opt("--wasi-bin", undefined) && path.resolve(opt("--wasi-bin"));
const WASI_COMPONENT = path.resolve(opt("--wasi-component", path.join(ROOT, "target/wasm32-wasip2/release/wasm_logging.wasm")));
const CRITERION = path.resolve(opt("--criterion", path.join(ROOT, "target/criterion")));
const WASI_RECORDS = Number(opt("--wasi-records", SMOKE ? 200 : 200_000));
// A run of the JS side only (a trial while the component or criterion's results are missing).
const SKIP_WASI = flag("--skip-wasi");

const log = (...a) => console.error(...a);
const errors = [];

// ---- the machine ----------------------------------------------------------------------
function sh(cmd, args, cwd = ROOT) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}
function pkgVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(JS, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}
const loadBefore = os.loadavg();
const started = new Date();
const pyVersion = sh(PYTHON, ["-c", "import sys; print(sys.version.split()[0])"]);
const env = {
  date: started.toISOString(),
  host: os.hostname(),
  cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown cpu"}`,
  memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  python: `${PYTHON} (${pyVersion ?? "not found"})`,
  commit: (sh("git", ["rev-parse", "--short", "HEAD"]) ?? "?") + (sh("git", ["status", "--porcelain", "--untracked-files=no"]) ? " (dirty)" : ""),
  versions: {
    "wasm-logging": JSON.parse(fs.readFileSync(path.join(JS, "package.json"), "utf8")).version,
    pino: pkgVersion("pino"),
    loglevel: pkgVersion("loglevel"),
    "@logtape/logtape": pkgVersion("@logtape/logtape"),
    winston: pkgVersion("winston"),
    esbuild: pkgVersion("esbuild"),
    python: pyVersion,
  },
  mode: SMOKE ? "smoke" : "full",
  runs: RUNS,
  targetMs: TARGET_MS,
  loadavgBefore: loadBefore,
};
log(`${env.cpu}, node ${env.node}, ${env.python}, load ${loadBefore.map((x) => x.toFixed(2)).join(" ")}`);

// ---- throughput -----------------------------------------------------------------------
function runChild(peer, w) {
  const cmd = peer === "cpython" ? PYTHON : process.execPath;
  const args =
    peer === "cpython"
      ? [path.join(ROOT, "bench/python/run_one.py"), w, String(TARGET_MS)]
      : [path.join(HERE, "compare-child.js"), peer, w, String(TARGET_MS)];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: JS, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status, signal) => {
      if (status !== 0) {
        resolve({ error: `exit ${status ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}` });
        return;
      }
      try {
        const doc = JSON.parse(stdout.trim().split("\n").pop());
        if (!doc.na) {
          const shape = doc.error ?? checkShape(w, doc.sample, doc.count);
          if (shape === null && w !== "W1" && doc.count !== doc.n) doc.error = `${doc.count} lines for ${doc.n} calls`;
          else if (shape === null && w !== "W1" && typeof doc.checksum !== "number") doc.error = "no sink checksum";
          else doc.error = shape;
        }
        resolve(doc);
      } catch (e) {
        resolve({ error: `unreadable output: ${e.message}: ${stdout.slice(0, 200)}` });
      }
    });
  });
}

/**
 * The measuring order of workload `wi` in round `round`: the peers rotated by 2 × round + wi,
 * the list reversed first in odd rounds, so no peer is always first or last, nor always after
 * the same neighbour (with 8 peers and 5 rounds each peer takes 4 or 5 different places; a
 * step of 1 would undo the reversal's shift and repeat places in pairs of rounds).
 */
function peerOrder(round, wi) {
  const base = round % 2 ? [...PEERS].reverse() : PEERS;
  const k = (2 * round + wi) % base.length;
  return [...base.slice(k), ...base.slice(0, k)];
}

const raw = {}; // raw[w][peer] = [{round, nsPerOp, n, checksum}]
for (const w of WORKLOADS) raw[w] = Object.fromEntries(PEERS.map((p) => [p.id, []]));
const samples = {}; // samples[w][peer] = line
const na = {}; // na[w][peer] = reason
const rounds = []; // [{round, loadavgStart, loadavgEnd, order: {W1: [ids]…}}]
// The real run measures one process at a time (the machine has 2 cores); the smoke run, whose
// numbers mean nothing, runs two at a time to stay short.
for (let round = 0; round < RUNS; round++) {
  const info = { round: round + 1, loadavgStart: os.loadavg(), order: {} };
  const jobs = [];
  WORKLOADS.forEach((w, wi) => {
    const order = peerOrder(round, wi);
    info.order[w] = order.map((p) => p.id);
    for (const p of order) jobs.push({ w, p });
  });
  log(`round ${round + 1}/${RUNS}, load ${info.loadavgStart.map((x) => x.toFixed(2)).join(" ")}`);
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const { w, p } = job;
      const r = await runChild(p.id, w);
      if (r.na) {
        (na[w] ??= {})[p.id] = r.na;
        continue;
      }
      if (r.error) {
        errors.push(`${p.id} ${w} round ${round + 1}: ${r.error}`);
        log(`  ${w} ${p.id}: ERROR ${r.error}`);
        continue;
      }
      raw[w][p.id].push({ round: round + 1, nsPerOp: r.nsPerOp, n: r.n, checksum: r.checksum ?? null });
      if (round === 0) (samples[w] ??= {})[p.id] = r.sample;
      log(`  ${w} ${p.id.padEnd(12)} ${r.nsPerOp.toFixed(2)} ns/op (n=${r.n})`);
    }
  };
  await Promise.all(Array.from({ length: SMOKE ? 2 : 1 }, worker));
  info.loadavgEnd = os.loadavg();
  rounds.push(info);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs } : null);
const throughput = {};
for (const w of WORKLOADS) {
  throughput[w] = {};
  for (const p of PEERS) throughput[w][p.id] = stats(raw[w][p.id].map((r) => r.nsPerOp));
}
// Same-round ratios: in each round, the peer's time per call ÷ ours (= ours ÷ the peer's in
// records/s for W2–W5; for W1 the peer's time ÷ ours). Above 1, ours is faster.
const ratios = {}; // ratios[w][peer] = {median, min, max, runs: [{round, ratio}]}
for (const w of WORKLOADS) {
  ratios[w] = {};
  const ours = new Map(raw[w].ours.map((r) => [r.round, r.nsPerOp]));
  for (const p of PEERS) {
    if (p.id === "ours") continue;
    const per = raw[w][p.id].filter((r) => ours.has(r.round)).map((r) => ({ round: r.round, ratio: r.nsPerOp / ours.get(r.round) }));
    const st = stats(per.map((x) => x.ratio));
    ratios[w][p.id] = st ? { ...st, runs: per } : null;
  }
}

// ---- sizes ----------------------------------------------------------------------------
log("sizes (esbuild, minified, browser, esm; npm pack --dry-run)...");
const size = await sizes(JS);
const pack = npmPack(JS);

// ---- cold start -----------------------------------------------------------------------
function firstLine(cmd, args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: JS, stdio: ["ignore", "pipe", "ignore"] });
    let done = false;
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      if (!done && text.includes("\n")) {
        done = true;
        resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, line: text.split("\n")[0] });
      }
    });
    child.on("close", (code) => {
      if (!done) resolve({ error: `exit ${code} before a line` });
    });
  });
}
const COLD = [
  { id: "baseline", label: "node, console.log only (baseline)", cmd: process.execPath, args: ["bench/coldstart/baseline.js"] },
  { id: "ours", label: "wasm-logging", cmd: process.execPath, args: ["bench/coldstart/ours.js"] },
  { id: "pino", label: "pino", cmd: process.execPath, args: ["bench/coldstart/pino.js"] },
  { id: "loglevel", label: "loglevel", cmd: process.execPath, args: ["bench/coldstart/loglevel.js"] },
  { id: "logtape", label: "LogTape", cmd: process.execPath, args: ["bench/coldstart/logtape.js"] },
  { id: "winston", label: "winston", cmd: process.execPath, args: ["bench/coldstart/winston.js"] },
  {
    id: "cpython",
    label: "CPython (python -c: import logging, basicConfig, info)",
    cmd: PYTHON,
    args: ["-c", "import logging, sys; logging.basicConfig(stream=sys.stdout, level=20, format='%(asctime)s %(name)s %(levelname)s %(message)s'); logging.getLogger('app').info('ready %d', 1)"],
  },
];
log(`cold start (${COLD_SPAWNS} spawns each, interleaved, order alternating)...`);
const coldRaw = Object.fromEntries(COLD.map((c) => [c.id, []])); // [{round, ms}]
const coldSample = {};
for (let k = 0; k < COLD_SPAWNS; k++) {
  // Forward in even rounds, backward in odd ones: no script always starts right after another.
  for (const c of k % 2 ? [...COLD].reverse() : COLD) {
    const r = await firstLine(c.cmd, c.args);
    if (r.error) errors.push(`cold start ${c.id}: ${r.error}`);
    else {
      coldRaw[c.id].push({ round: k + 1, ms: r.ms });
      coldSample[c.id] = r.line;
    }
  }
}
const cold = Object.fromEntries(COLD.map((c) => [c.id, stats(coldRaw[c.id].map((r) => r.ms))]));
// Same-round figures: ours ÷ pino, and each script's time over the bare-node baseline.
const sameRound = (a, b, f) => {
  const bs = new Map(coldRaw[b].map((r) => [r.round, r.ms]));
  return stats(coldRaw[a].filter((r) => bs.has(r.round)).map((r) => f(r.ms, bs.get(r.round))));
};
const coldVsPino = sameRound("ours", "pino", (o, p) => o / p);
const coldOverBaseline = Object.fromEntries(
  COLD.filter((c) => c.id !== "baseline" && c.cmd === process.execPath).map((c) => [c.id, sameRound(c.id, "baseline", (x, b) => x - b)]),
);

// ---- WASI vs native -------------------------------------------------------------------
function wasi() {
  if (SKIP_WASI) return { skipped: true, error: "skipped (--skip-wasi)" };
  const candidates = WASI_BIN
    ? [WASI_BIN]
    : [path.join(ROOT, "target/bench-host/release/examples/wasi_bench"), path.join(ROOT, "target/debug/examples/wasi_bench")];
  const bin = candidates.find((p) => fs.existsSync(p));
  const res = { bin: bin ?? null, component: WASI_COMPONENT };
  if (!bin) {
    res.error = "no wasi_bench binary (make bench builds it: host/examples/wasi_bench.rs)";
    return res;
  }
  res.optimized = !bin.includes("/debug/");
  let component = WASI_COMPONENT;
  if (!fs.existsSync(component)) component = path.join(ROOT, "target/wasm32-wasip2/debug/wasm_logging.wasm");
  res.component = component;
  const r = spawnSync(bin, ["--component", component, "--records", String(WASI_RECORDS), "--runs", String(RUNS)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
    res.error = `wasi_bench ${why}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")}`;
    return res;
  }
  const doc = JSON.parse(r.stdout.trim());
  res.enabled = stats(doc.enabled_ns);
  res.disabled = stats(doc.disabled_ns);
  if (doc.batched_ns) {
    res.batched = stats(doc.batched_ns);
    res.batch = doc.batch;
  }
  res.sample = doc.sample;
  // The native core: criterion's samples of the same workload (benches/core.rs), per iteration.
  const fromCriterion = (group, prefix) => {
    try {
      const dir = fs.readdirSync(path.join(CRITERION, group)).find((d) => d.startsWith(prefix));
      if (!dir) return null;
      const s = JSON.parse(fs.readFileSync(path.join(CRITERION, group, dir, "new/sample.json"), "utf8"));
      const per = s.iters.map((it, i) => s.times[i] / it);
      const st = fs.statSync(path.join(CRITERION, group, dir, "new/sample.json"));
      return { ...stats(per), runs: undefined, samples: per.length, measured: st.mtime.toISOString() };
    } catch {
      return null;
    }
  };
  res.native = fromCriterion("enabled", "info('Message no. %d', i)");
  res.nativeDisabled = fromCriterion("disabled", "method debug");
  if (!res.native) res.nativeError = `no criterion results under ${CRITERION} (make bench runs cargo bench first)`;
  return res;
}
log("WASI component vs native core...");
const wasiRes = wasi();
if (wasiRes.skipped) log("  skipped (--skip-wasi)");
else if (wasiRes.error && SMOKE && !wasiRes.bin) log(`  (smoke) ${wasiRes.error}`);
else if (wasiRes.error) errors.push(`wasi: ${wasiRes.error}`);

const loadAfter = os.loadavg();
env.loadavgAfter = loadAfter;
env.seconds = Math.round((Date.now() - started.getTime()) / 1000);

// ---- targets and report (compare-report.js) ------------------------------------------
const data = {
  env,
  smoke: SMOKE,
  root: ROOT,
  runs: RUNS,
  targetMs: TARGET_MS,
  coldSpawns: COLD_SPAWNS,
  rounds,
  throughput,
  ratios,
  na,
  samples,
  size,
  pack,
  COLD,
  cold,
  coldSample,
  coldVsPino,
  coldOverBaseline,
  wasi: wasiRes,
  errors,
};
const targets = targetsOf(data);
const md = reportOf({ ...data, targets });
if (!SMOKE || flag("--print")) process.stdout.write(md);

fs.mkdirSync(OUT, { recursive: true });
// A real run never overwrites an earlier one (results are committed): a second run on the same
// day and host gets "-2", "-3", …
const base = `${env.date.slice(0, 10)}-${env.host.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
let stamp = base;
for (let k = 2; !SMOKE && (fs.existsSync(path.join(OUT, `${stamp}.md`)) || fs.existsSync(path.join(OUT, `${stamp}.json`))); k++) stamp = `${base}-${k}`;
const json = {
  env,
  method: {
    sink: "one function for every peer; per record it reads the middle character and folds it and the length into a checksum (printed by the child)",
    order: "per round and workload, the peers rotated by 2 × round + workload index, the list reversed in odd rounds",
    ratios: "per workload and round: the peer's ns per call ÷ ours; median (min–max) over rounds",
  },
  targets,
  rounds,
  ratios,
  throughput,
  runs: raw,
  unavailable: na,
  samples,
  sizes: size,
  npmPack: pack,
  coldStart: { ms: cold, runs: coldRaw, oursOverPino: coldVsPino, overBaseline: coldOverBaseline, lines: coldSample },
  wasi: wasiRes,
  errors,
};
fs.writeFileSync(path.join(OUT, `${stamp}.md`), md);
fs.writeFileSync(path.join(OUT, `${stamp}.json`), JSON.stringify(json, null, 2) + "\n");
if (LATEST) fs.writeFileSync(path.join(OUT, "latest.md"), md);
log(`written: ${path.join(OUT, stamp)}.{md,json}${LATEST ? " and latest.md" : ""}`);

if (errors.length) {
  log(`${errors.length} error(s):\n  ${errors.join("\n  ")}`);
  process.exit(1);
}
if (SMOKE) {
  // Every peer must have produced output on every workload (or be n/a, said so).
  const missing = [];
  for (const w of WORKLOADS) for (const p of PEERS) if (!throughput[w][p.id] && !na[w]?.[p.id]) missing.push(`${p.id} ${w}`);
  if (missing.length) {
    log(`smoke: no result for ${missing.join(", ")}`);
    process.exit(1);
  }
  log("bench-smoke: every peer × workload ran and produced the expected shape");
}
