// The differential scenarios (tests/differential/README.md) in Node, through the package's
// public API, each compared with what CPython 3.13 printed: on which stream, in which order.
//
// Each scenario gets a fresh instance of the package (its state — loggers, level names,
// handler names — is per instance, as `logging`'s is per process; the oracle forks a fresh
// CPython for each), on the main thread of a child process. There `process.stdout.write` /
// `process.stderr.write` and the console methods are recorded before the package loads; a
// console method counts as the
// stream Node prints it on (log/info/debug: stdout; warn/error: stderr), so the comparison is
// with what a terminal would show on each stream. The report (counts by family, feature and
// reason, and the first diffs) is printed and written to target/differential/report-node.*.
//
// DIFF_ONLY=<id prefix> runs a subset; DIFF_SHOW=<n> prints more diffs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Report, loadScenarios, outcome } from "./browser/differential.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");

// The replay, in a child process: each scenario gets a fresh instance of the package (a new
// module graph and a new Wasm instance: a resolve hook tags every module URL under js/ (the
// wrapper in src/, the glue in pkg/) with the scenario's number), so
// nothing carries over, as the oracle's forked CPython starts afresh. A batch of scenarios
// per process keeps the memory of the instances bounded (the module map keeps them).
const CHILD = `
import { register } from "node:module";
import { format } from "node:util";
import fs from "node:fs";
const [src, lib, batchPath, outPath, entry] = process.argv.slice(1);
register("data:text/javascript," + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  const gen = context.parentURL ? new URL(context.parentURL).searchParams.get("dgen") : null;
  if (gen !== null && r.url.startsWith(\${JSON.stringify(new URL("../", src).href)}) && !r.url.includes("?")) {
    return { ...r, url: r.url + "?dgen=" + gen };
  }
  return r;
}\`));
let writes = [];
let phase = -1;
const record = (stream) => (chunk, encoding, callback) => {
  writes.push([phase, stream, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")]);
  const cb = typeof encoding === "function" ? encoding : callback;
  if (typeof cb === "function") cb();
  return true;
};
process.stdout.write = record("stdout");
process.stderr.write = record("stderr");
for (const [m, stream] of [["log", "stdout"], ["info", "stdout"], ["debug", "stdout"], ["warn", "stderr"], ["error", "stderr"], ["trace", "stderr"]]) {
  console[m] = (...args) => writes.push([phase, stream, format(...args) + "\\n"]);
}
const D = await import(lib);
const results = [];
const batch = JSON.parse(fs.readFileSync(batchPath, "utf8"));
for (const [n, scenario] of batch.entries()) {
  const exits = new Set(process.listeners("exit"));
  writes = [];
  phase = -1;
  let result;
  try {
    // lite.js, a browser entry, takes Node's identity and streams when Node runs it.
    const L = await import(src + entry + "?dgen=" + n);
    const r = D.runScenario(L, scenario, {
      mark: (p) => { phase = p; },
      out: (stream, text) => process[stream].write(text),
    });
    result = { writes, refusal: r.refusal, soft: [...r.soft] };
  } catch (e) {
    result = e instanceof D.Inexpressible ? { inexpressible: e.message } : { crash: String(e && e.stack || e) };
  }
  for (const f of process.listeners("exit")) if (!exits.has(f)) process.removeListener("exit", f);
  process.removeAllListeners("beforeExit");
  results.push(result);
}
fs.writeFileSync(outPath, JSON.stringify(results));
`;

const SRC = pathToFileURL(path.join(REPO, "js/src")).href + "/";
const LIB = pathToFileURL(path.join(HERE, "browser/differential.js")).href;
const BATCH = 120;

function runBatch(scenarios, n, dir, entry) {
  const batchPath = path.join(dir, `${entry}-batch-${n}.json`);
  const outPath = path.join(dir, `${entry}-batch-${n}.out.json`);
  fs.writeFileSync(batchPath, JSON.stringify(scenarios));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, SRC, LIB, batchPath, outPath, entry], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => {
      let results;
      try {
        results = JSON.parse(fs.readFileSync(outPath, "utf8"));
      } catch {
        results = scenarios.map(() => ({ crash: `the replay process exited with ${code}: ${err}` }));
      }
      fs.rmSync(batchPath, { force: true });
      fs.rmSync(outPath, { force: true });
      resolve(results);
    });
  });
}

/**
 * Replays every scenario through `entry` (a file of js/src/) in child processes, compares
 * each with CPython's output, writes the report to target/differential/report-<name>.* and
 * prints it; returns the scenarios and the report.
 */
async function replay(t, entry, host, name) {
  const scenarios = await loadScenarios(REPO);
  const dir = path.join(REPO, "target/differential");
  fs.mkdirSync(dir, { recursive: true });
  const batches = [];
  for (let i = 0; i < scenarios.length; i += BATCH) batches.push(scenarios.slice(i, i + BATCH));
  const done = new Array(batches.length);
  let next = 0;
  const lanes = Math.max(1, Math.min(2, os.availableParallelism?.() ?? 2));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < batches.length) {
        const i = next++;
        done[i] = await runBatch(batches[i], i, dir, entry);
      }
    }),
  );
  const results = done.flat();
  const report = new Report(host);
  scenarios.forEach((s, i) => report.add(s, outcome(s, results[i], "ordered")));
  const text = report.text(Number(process.env.DIFF_SHOW ?? 10));
  fs.writeFileSync(path.join(dir, `report-${name}.txt`), `${text}\n`);
  fs.writeFileSync(path.join(dir, `report-${name}.jsonl`), report.rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  for (const line of text.split("\n").slice(0, 60)) t.diagnostic(line);
  console.log(text);
  return { scenarios, report };
}

test("differential scenarios: Node matches CPython 3.13 (streams and order)", async (t) => {
  const { scenarios, report } = await replay(t, "node.js", "node", "node");
  const total = scenarios.length;
  if (process.env.DIFF_ONLY === undefined) assert.ok(total >= 1000, `only ${total} scenarios`);
  // Where Node stands: all but a few of the scenarios the API can express match CPython
  // (the failures are listed in the report above: `%d`-style conversions of ints beyond 64
  // bits); what it cannot express is JavaScript's values (tuples, integral floats;
  // None/True/False spelled the JS way are left out of the share).
  assert.equal(report.count("fail"), 0, `${report.passRate().toFixed(1)}% of the expressible scenarios pass in Node`);
  assert.equal(report.count("inexpressible", false), 0, "scenarios the API cannot express in Node");
  assert.ok(report.inexpressibleRate() <= 2.5, `${report.inexpressibleRate().toFixed(1)}% of the scenarios are inexpressible in Node`);
});

test("differential scenarios: wasm-logging/lite matches CPython 3.13 wherever its API reaches", async (t) => {
  const { report } = await replay(t, "lite.js", "node (wasm-logging/lite)", "lite");
  // The small module's output is the full one's: every scenario it can express matches.
  // What it cannot express is what it leaves out (dictConfig, the `{`/`$` styles, message
  // objects, files), said per scenario, and JavaScript's values, as in the Node entry.
  assert.equal(report.count("fail"), 0, `${report.passRate().toFixed(1)}% of the expressible scenarios pass in lite`);
  const passed = report.count("pass");
  if (process.env.DIFF_ONLY === undefined) assert.ok(passed >= 300, `only ${passed} scenarios pass in lite`);
});
