// The comparison harness of issue 6: wasm-logging against pino, loglevel, LogTape, winston and
// CPython's logging on five workloads, plus package sizes, cold start and WASI vs native.
// Methodology: ../../bench/README.md. Run through make (the package must be built first):
//
//   make bench          the real run: bench/results/<date>-<host>.{md,json} and latest.md
//   make bench-smoke    tiny counts, every peer and workload, shapes asserted; writes target/
//
//   node bench/compare.js [--smoke] [--runs N] [--target-ms MS] [--out DIR] [--latest]
//        [--python PATH] [--wasi-bin PATH] [--wasi-component PATH] [--criterion DIR]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
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
          else doc.error = shape;
        }
        resolve(doc);
      } catch (e) {
        resolve({ error: `unreadable output: ${e.message}: ${stdout.slice(0, 200)}` });
      }
    });
  });
}

const raw = {}; // raw[w][peer] = [{nsPerOp, ...}]
for (const w of WORKLOADS) raw[w] = Object.fromEntries(PEERS.map((p) => [p.id, []]));
const samples = {}; // samples[w][peer] = line
const na = {}; // na[w][peer] = reason
// The real run measures one process at a time (the machine has 2 cores); the smoke run, whose
// numbers mean nothing, runs two at a time to stay short.
const jobs = [];
for (let round = 0; round < RUNS; round++) for (const w of WORKLOADS) for (const p of PEERS) jobs.push({ round, w, p });
async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const { round, w, p } = job;
    const r = await runChild(p.id, w);
    if (r.na) {
      (na[w] ??= {})[p.id] = r.na;
      continue;
    }
    if (r.error) {
      errors.push(`${p.id} ${w}: ${r.error}`);
      log(`  ${w} ${p.id}: ERROR ${r.error}`);
      continue;
    }
    raw[w][p.id].push(r.nsPerOp);
    if (round === 0) (samples[w] ??= {})[p.id] = r.sample;
    log(`  round ${round + 1}/${RUNS} ${w} ${p.id.padEnd(9)} ${r.nsPerOp.toFixed(2)} ns/op (n=${r.n})`);
  }
}
await Promise.all(Array.from({ length: SMOKE ? 2 : 1 }, worker));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs } : null);
const throughput = {};
for (const w of WORKLOADS) {
  throughput[w] = {};
  for (const p of PEERS) throughput[w][p.id] = stats(raw[w][p.id]);
}

// ---- sizes ----------------------------------------------------------------------------
async function sizes() {
  const esbuild = await import("esbuild");
  const measure = (bytes) => ({
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
  const bundle = async (opts) => {
    const r = await esbuild.build({
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
      absWorkingDir: JS,
      ...opts,
    });
    return Buffer.concat(r.outputFiles.map((f) => Buffer.from(f.contents)));
  };
  const out = {};
  try {
    const js = await bundle({ entryPoints: [path.join(JS, "src/web.js")], outfile: "out.js", loader: { ".wasm": "file" } });
    const wasm = fs.readFileSync(path.join(JS, "pkg/web/wasm_logging_bg.wasm"));
    const j = measure(js);
    const m = measure(wasm);
    out.ours = { js: j, wasm: m, total: { raw: j.raw + m.raw, gzip: j.gzip + m.gzip, brotli: j.brotli + m.brotli } };
  } catch (e) {
    out.ours = { error: String(e.message ?? e).split("\n")[0] };
  }
  const entries = {
    pino: 'export { default } from "pino";',
    loglevel: 'export { default } from "loglevel";',
    logtape: 'export * from "@logtape/logtape";',
    winston: 'export { default } from "winston";',
  };
  for (const [id, contents] of Object.entries(entries)) {
    try {
      const js = await bundle({ stdin: { contents, resolveDir: JS, loader: "js" } });
      out[id] = { js: measure(js), total: measure(js) };
    } catch (e) {
      const msgs = [...new Set((e.errors ?? []).map((x) => x.text))];
      out[id] = { error: `esbuild failed (${e.errors?.length ?? 1} errors), e.g. ${msgs.slice(0, 3).join("; ") || e.message}` };
    }
  }
  return out;
}
log("sizes (esbuild, minified, browser, esm)...");
const size = await sizes();

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
log(`cold start (${COLD_SPAWNS} spawns each, interleaved)...`);
const coldRaw = Object.fromEntries(COLD.map((c) => [c.id, []]));
const coldSample = {};
for (let k = 0; k < COLD_SPAWNS; k++) {
  for (const c of COLD) {
    const r = await firstLine(c.cmd, c.args);
    if (r.error) errors.push(`cold start ${c.id}: ${r.error}`);
    else {
      coldRaw[c.id].push(r.ms);
      coldSample[c.id] = r.line;
    }
  }
}
const cold = Object.fromEntries(COLD.map((c) => [c.id, stats(coldRaw[c.id])]));

// ---- WASI vs native -------------------------------------------------------------------
function wasi() {
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
if (wasiRes.error && SMOKE && !wasiRes.bin) log(`  (smoke) ${wasiRes.error}`);
else if (wasiRes.error) errors.push(`wasi: ${wasiRes.error}`);

const loadAfter = os.loadavg();
env.loadavgAfter = loadAfter;
env.seconds = Math.round((Date.now() - started.getTime()) / 1000);

// ---- targets --------------------------------------------------------------------------
const med = (w, p) => throughput[w][p]?.median;
const fmtX = (x) => (x === undefined || Number.isNaN(x) ? "—" : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);
const targets = [];
const target = (name, met, detail) => targets.push({ name, met, detail });
{
  const o = med("W1", "ours");
  const l = med("W1", "loglevel");
  if (o && l) target("W1 within 1.5× of loglevel's no-op call", o / l <= 1.5, `ours ${o.toFixed(2)} ns vs loglevel ${l.toFixed(2)} ns: ${fmtX(o / l)} its time`);
  else target("W1 within 1.5× of loglevel's no-op call", null, "not measured");
}
for (const w of ["W2", "W3", "W4", "W5"]) {
  const o = med(w, "ours");
  if (!o) {
    target(`${w} ahead of every peer`, null, na[w]?.ours ? `n/a (${na[w].ours})` : "not measured");
    continue;
  }
  const behind = PEERS.filter((p) => p.id !== "ours" && med(w, p.id) !== undefined && med(w, p.id) < o);
  const fastest = PEERS.filter((p) => p.id !== "ours" && med(w, p.id) !== undefined).sort((a, b) => med(w, a.id) - med(w, b.id))[0];
  target(
    `${w} ahead of every peer`,
    behind.length === 0,
    behind.length === 0
      ? `ours ${fmtX(med(w, fastest.id) ? med(w, fastest.id) / o : NaN)} the speed of the fastest peer (${fastest.label})`
      : `behind ${behind.map((p) => `${p.label} (ours at ${fmtX(med(w, p.id) / o)} its speed)`).join(", ")}`,
  );
}
for (const w of WORKLOADS) {
  const o = med(w, "ours");
  const c = med(w, "cpython");
  if (o && c) target(`${w} at least 5× CPython`, c / o >= 5, `${fmtX(c / o)} CPython's speed`);
  else target(`${w} at least 5× CPython`, null, na[w]?.ours ? `n/a (${na[w].ours})` : "not measured");
}
{
  const KB40 = 40 * 1024;
  const t = size.ours?.total;
  if (t) target("npm package ≤ 40 KB gzip (JS + Wasm)", t.gzip <= KB40, `${(t.gzip / 1024).toFixed(1)} KiB gzip (${fmtX(t.gzip / KB40)} the budget of 40 KiB)`);
  else target("npm package ≤ 40 KB gzip (JS + Wasm)", null, size.ours?.error ?? "not measured");
}
{
  const o = cold.ours?.median;
  const p = cold.pino?.median;
  if (o && p) target("cold start no slower than pino's", o <= p, `ours ${o.toFixed(1)} ms vs pino ${p.toFixed(1)} ms (${fmtX(o / p)})`);
  else target("cold start no slower than pino's", null, "not measured");
}
{
  const wv = wasiRes.enabled?.median;
  const nv = wasiRes.native?.median;
  if (wv && nv)
    target(
      "WASI within 1.5× of native",
      wasiRes.optimized ? wv / nv <= 1.5 : null,
      `component ${wv.toFixed(0)} ns/record vs native ${nv.toFixed(0)} ns/record: ${fmtX(wv / nv)}${wasiRes.optimized ? "" : " (debug host build: not comparable)"}`,
    );
  else target("WASI within 1.5× of native", null, wasiRes.error ?? wasiRes.nativeError ?? "not measured");
  const bv = wasiRes.batched?.median;
  if (bv && nv)
    target(
      `WASI within 1.5× of native, ${wasiRes.batch} records per \`log-many\` call`,
      wasiRes.optimized ? bv / nv <= 1.5 : null,
      `component ${bv.toFixed(0)} ns/record vs native ${nv.toFixed(0)} ns/record: ${fmtX(bv / nv)}${wasiRes.optimized ? "" : " (debug host build: not comparable)"}`,
    );
}

// ---- report ---------------------------------------------------------------------------
const nf = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const perSec = (ns) => nf(1e9 / ns);
const lines = [];
const P = (s = "") => lines.push(s);
P(`# wasm-logging comparison benchmark — ${env.date.slice(0, 10)} on ${env.host}${SMOKE ? " (SMOKE MODE: tiny counts, not results)" : ""}`);
P();
P(`Produced by \`make bench\` (js/bench/compare.js); methodology in bench/README.md.`);
P();
P(`| | |`);
P(`|---|---|`);
P(`| machine | ${env.cpu}, ${env.memory}, ${env.os} |`);
P(`| load average (1/5/15 min) | before ${loadBefore.map((x) => x.toFixed(2)).join(" / ")}, after ${loadAfter.map((x) => x.toFixed(2)).join(" / ")} |`);
P(`| node | ${env.node} |`);
P(`| python | ${env.python} |`);
P(`| packages | ${Object.entries(env.versions).filter(([k]) => k !== "python").map(([k, v]) => `${k} ${v}`).join(", ")} |`);
P(`| commit | ${env.commit} |`);
P(`| method | ${RUNS} runs per peer × workload, each in a fresh process, warm-up ≥ ${TARGET_MS} ms then one timed batch of ≈ ${TARGET_MS} ms; median (min–max) |`);
P(`| caller location | off for every peer (ours: \`setCallerInfo(false)\`; CPython: \`logging._srcfile = None\`; the others never capture it) |`);
P(`| took | ${env.seconds} s |`);
P();
P(`## Targets`);
P();
P(`| target | result | measured |`);
P(`|---|---|---|`);
for (const t of targets) P(`| ${t.name} | ${t.met === null ? "not measured" : t.met ? "**met**" : "**not met**"} | ${t.detail} |`);
P();
P(`## Throughput`);
P();
P(`"ours vs this" is this peer's median time per call divided by ours: above 1× ours is faster, below 1× ours is slower.`);
for (const w of WORKLOADS) {
  const info = WORKLOAD_INFO[w];
  P();
  P(`### ${w} — ${info.title} (${info.unit})`);
  P();
  if (info.unit === "ns/op") {
    P(`| peer | median ns/op | min | max | ours vs this |`);
    P(`|---|---:|---:|---:|---:|`);
  } else {
    P(`| peer | median records/s | min | max | ns/record (median) | ours vs this |`);
    P(`|---|---:|---:|---:|---:|---:|`);
  }
  const o = med(w, "ours");
  for (const p of PEERS) {
    const s = throughput[w][p.id];
    if (!s) {
      const why = na[w]?.[p.id] ? `n/a (${na[w][p.id]})` : "failed";
      P(info.unit === "ns/op" ? `| ${p.label} | ${why} | | | |` : `| ${p.label} | ${why} | | | | |`);
      continue;
    }
    const vs = p.id === "ours" ? "—" : o ? fmtX(s.median / o) : "—";
    if (info.unit === "ns/op") P(`| ${p.label} | ${nf(s.median, 2)} | ${nf(s.min, 2)} | ${nf(s.max, 2)} | ${vs} |`);
    else P(`| ${p.label} | ${perSec(s.median)} | ${perSec(s.max)} | ${perSec(s.min)} | ${nf(s.median)} | ${vs} |`);
  }
}
P();
P(`## What each peer produced (one sample line per workload, from the first run)`);
P();
for (const w of WORKLOADS) {
  P(`### ${w}`);
  P();
  P("```text");
  for (const p of PEERS) {
    const s = samples[w]?.[p.id];
    const shown = w === "W1" ? "(nothing: disabled, checked)" : s ?? (na[w]?.[p.id] ? `n/a (${na[w][p.id]})` : "(failed)");
    P(`${p.id.padEnd(9)} ${shown}`);
  }
  P("```");
  P();
}
P(`How each peer is set up:`);
P();
for (const p of PEERS) P(`- **${p.label}**: ${p.how}`);
P();
P(`## Size (browser bundle: esbuild --bundle --minify --format=esm --platform=browser)`);
P();
P(`| package | raw | gzip -9 | brotli 11 | note |`);
P(`|---|---:|---:|---:|---|`);
const kb = (b) => `${nf(b / 1024, 1)} KiB`;
if (size.ours?.total) {
  const s = size.ours;
  P(`| wasm-logging (web entry JS) | ${kb(s.js.raw)} | ${kb(s.js.gzip)} | ${kb(s.js.brotli)} | js/src/web.js and its imports |`);
  P(`| wasm-logging (.wasm) | ${kb(s.wasm.raw)} | ${kb(s.wasm.gzip)} | ${kb(s.wasm.brotli)} | js/pkg/web/wasm_logging_bg.wasm |`);
  P(`| **wasm-logging total** | **${kb(s.total.raw)}** | **${kb(s.total.gzip)}** | **${kb(s.total.brotli)}** | JS + Wasm, each compressed on its own |`);
} else P(`| wasm-logging | ${size.ours?.error ?? "failed"} | | | |`);
for (const id of ["pino", "loglevel", "logtape", "winston"]) {
  const s = size[id];
  const label = PEERS.find((p) => p.id === id || p.pkg === id)?.pkg ?? id;
  if (s?.js) P(`| ${label} | ${kb(s.js.raw)} | ${kb(s.js.gzip)} | ${kb(s.js.brotli)} | ${id === "pino" ? "pino's browser build (package.json \"browser\")" : ""} |`);
  else P(`| ${label} | — | — | — | ${s?.error ?? "failed"} |`);
}
P();
P(`## Cold start in Node: spawn to the first line on stdout (ms, ${COLD_SPAWNS} spawns each, interleaved)`);
P();
P(`| script | median | min | max | vs pino | line |`);
P(`|---|---:|---:|---:|---:|---|`);
for (const c of COLD) {
  const s = cold[c.id];
  if (!s) {
    P(`| ${c.label} | failed | | | | |`);
    continue;
  }
  P(`| ${c.label} | ${nf(s.median, 1)} | ${nf(s.min, 1)} | ${nf(s.max, 1)} | ${cold.pino ? fmtX(s.median / cold.pino.median) : "—"} | \`${(coldSample[c.id] ?? "").slice(0, 90)}\` |`);
}
P();
P(`## WASI: the component in Wasmtime vs the same core built natively`);
P();
if (wasiRes.enabled) {
  const n = wasiRes.native;
  P(`Workload: \`info('Message no. %d', i)\` on \`app.net.http\`, the handler on the root, \`%(asctime)s %(name)s %(levelname)s %(message)s\`, fixed clock, UTC, in-process sink.`);
  P(`Component: \`${path.relative(ROOT, wasiRes.component)}\`, driven by \`${path.relative(ROOT, wasiRes.bin)}\`${wasiRes.optimized ? "" : " (**debug build of the host: not comparable**)"}; native: criterion's samples of \`benches/core.rs\` (${n ? `measured ${n.measured}` : "missing"}).`);
  P();
  const dp = (x) => (x < 100 ? 2 : 0);
  P(`| | median ns/call | min | max | calls/s (median) | vs native |`);
  P(`|---|---:|---:|---:|---:|---:|`);
  const row = (label, s, ref) =>
    s ? P(`| ${label} | ${nf(s.median, dp(s.median))} | ${nf(s.min, dp(s.min))} | ${nf(s.max, dp(s.max))} | ${perSec(s.median)} | ${ref ? fmtX(s.median / ref.median) : "—"} |`) : P(`| ${label} | ${wasiRes.nativeError ?? "missing"} | | | | |`);
  row("component in Wasmtime, enabled (host → `logger.log` export → console import)", wasiRes.enabled, n);
  if (wasiRes.batched) row(`component, enabled, ${wasiRes.batch} records per \`logger.log-many\` call (per record)`, wasiRes.batched, n);
  row("native core, enabled (criterion)", n, null);
  row("component, disabled `debug` (one crossing, level checked inside)", wasiRes.disabled, wasiRes.nativeDisabled);
  row("native core, disabled `debug` (criterion)", wasiRes.nativeDisabled, null);
  P();
  P(`Sample: \`${wasiRes.sample}\``);
} else P(`Not measured: ${wasiRes.error ?? "?"}`);
if (errors.length) {
  P();
  P(`## Errors`);
  P();
  for (const e of errors) P(`- ${e}`);
}
const md = lines.join("\n") + "\n";
if (!SMOKE || flag("--print")) process.stdout.write(md);

fs.mkdirSync(OUT, { recursive: true });
const stamp = `${env.date.slice(0, 10)}-${env.host.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
const json = { env, targets, throughput, unavailable: na, samples, sizes: size, coldStart: { ms: cold, lines: coldSample }, wasi: wasiRes, errors };
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
