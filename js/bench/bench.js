// Benchmarks (not tests): the cost of a disabled call (must not enter Wasm) and the throughput
// of enabled ones, with the machine's load average. `make js-bench` (release build).
//
//   node bench/bench.js [--quick]
import os from "node:os";
import * as logging from "../src/node.js";

const quick = process.argv.includes("--quick");
const SCALE = quick ? 0.1 : 1;

function measure(label, n, fn) {
  // Warm up (JIT, first-call costs), then take the best of three runs.
  fn(Math.max(1000, Math.floor(n / 20)));
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    fn(n);
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns);
  }
  return { label, n, nsPerOp: best / n, perSec: (n * 1e9) / best };
}

function report(r, unit) {
  const v = unit === "ns/op" ? `${r.nsPerOp.toFixed(2)} ns/op` : `${Math.round(r.perSec).toLocaleString("en-US")} records/s (${r.nsPerOp.toFixed(0)} ns/record)`;
  console.log(`  ${r.label.padEnd(64)} ${v}`);
}

const results = [];
const [l1, l5, l15] = os.loadavg();
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`);
console.log(`load average before: ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`);

// ---- disabled --------------------------------------------------------------------------
const quiet = logging.getLogger("bench.quiet");
quiet.setLevel(logging.WARNING);
let crossings = 0;
const ENTRY_POINTS = ["log", "logShared", "logFull"];
for (const name of ENTRY_POINTS) {
  const original = quiet._raw[name];
  quiet._raw[name] = (...a) => {
    crossings++;
    return original.apply(quiet._raw, a);
  };
}
function empty() {}
console.log("disabled calls (level below the effective level):");
const N_DIS = Math.floor(50_000_000 * SCALE);
const base = measure("baseline: calling an empty function with the same arguments", N_DIS, (n) => {
  for (let i = 0; i < n; i++) empty("user %s id %d", "ann", i);
});
report(base, "ns/op");
const dis = measure('log.debug("user %s id %d", "ann", i) on a WARNING logger', N_DIS, (n) => {
  for (let i = 0; i < n; i++) quiet.debug("user %s id %d", "ann", i);
});
report(dis, "ns/op");
const disLog = measure("log.log(DEBUG, ...) (level checked in JS, no swap)", N_DIS, (n) => {
  for (let i = 0; i < n; i++) quiet.log(logging.DEBUG, "user %s id %d", "ann", i);
});
report(disLog, "ns/op");
console.log(`  Wasm crossings during the disabled runs: ${crossings}`);
for (const name of ENTRY_POINTS) delete quiet._raw[name];
results.push(base, dis, disLog);

// ---- enabled ---------------------------------------------------------------------------
logging.setCallerInfo(false);
function enabledLogger(name, handler, fmt) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  if (fmt !== undefined) handler.setFormatter(new logging.Formatter(fmt));
  l.addHandler(handler);
  return l;
}
const FMT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s";
const N_EN = Math.floor(300_000 * SCALE);
console.log("enabled calls (one crossing into Wasm per call):");

const toNull = enabledLogger("bench.null", new logging.NullHandler());
const rNull = measure("info('user %s id %d', ...) → NullHandler (record built, dropped)", N_EN, (n) => {
  for (let i = 0; i < n; i++) toNull.info("user %s id %d", "ann", i);
});
report(rNull, "rec/s");

let chars = 0;
const toCb = enabledLogger("bench.cb", new logging.CallbackHandler((t) => (chars += t.length)), FMT);
const rCb = measure(`info(...) → Formatter('${FMT}') → CallbackHandler`, N_EN, (n) => {
  for (let i = 0; i < n; i++) toCb.info("user %s id %d", "ann", i);
});
report(rCb, "rec/s");

const target = new logging.CallbackHandler((t) => (chars += t.length));
const toMem = enabledLogger("bench.mem", new logging.MemoryHandler(1000, logging.CRITICAL, target), undefined);
target.setFormatter(new logging.Formatter(FMT));
const rMem = measure("info(...) → MemoryHandler(1000) → formatted CallbackHandler", N_EN, (n) => {
  for (let i = 0; i < n; i++) toMem.info("user %s id %d", "ann", i);
});
report(rMem, "rec/s");

// How the message and arguments cross into Wasm through the raw entry points (NullHandler,
// so the crossing dominates), next to the wrapper, which packs plain data into shared buffers
// in Wasm memory (`logShared`):
//   logFull: msg as a JsValue, args as externrefs; Wasm calls back into JS to read each one
//   log:     msg as &str (wasm-bindgen's per-character copy loop), args as externrefs
const raw = toNull._raw;
for (const [label, msg, args] of [
  ["'user %s id %d', 'ann', i", "user %s id %d", ["ann", 0]],
  ["a 2 KB message, one string arg", "x".repeat(2000) + " %s", ["a"]],
]) {
  const n = label.startsWith("a 2 KB") ? Math.floor(N_EN / 4) : N_EN;
  const full = measure(`raw logFull (JsValue msg, externref args): ${label}`, n, (k) => {
    for (let i = 0; i < k; i++) raw.logFull(logging.INFO, msg, args, undefined, 0, undefined, undefined);
  });
  report(full, "rec/s");
  const str = measure(`raw log     (&str msg, externref args):   ${label}`, n, (k) => {
    for (let i = 0; i < k; i++) raw.log(logging.INFO, msg, args, undefined, 0, undefined);
  });
  report(str, "rec/s");
  const wrapped = measure(`toNull.info (packed into shared buffers): ${label}`, n, (k) => {
    for (let i = 0; i < k; i++) toNull.info(msg, ...args);
  });
  report(wrapped, "rec/s");
}

logging.setCallerInfo(true);
const rLoc = measure("info(...) → formatted CallbackHandler, caller location captured", Math.floor(N_EN / 2), (n) => {
  for (let i = 0; i < n; i++) toCb.info("user %s id %d", "ann", i);
});
report(rLoc, "rec/s");
logging.setCallerInfo("auto");

const [a1, a5, a15] = os.loadavg();
console.log(`load average after: ${a1.toFixed(2)} ${a5.toFixed(2)} ${a15.toFixed(2)}`);
if (chars === 0) throw new Error("nothing was formatted");
