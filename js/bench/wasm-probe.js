// What a machine charges for the pieces of a record that are not our code: the crossings
// between JS and Wasm, a small `memory.copy`, the clocks and the string a line becomes, and
// whether V8's tier-up or its bounds checks change W2. Written to compare two machines
// (docs/performance.md, "Two machines"): when our ratios to JS peers move between machines,
// this tells the boundary from the Wasm code itself.
//
//   node bench/wasm-probe.js            (after `make js-build`; about 30 s)
//
// Each line: the probe, ns per operation (the best of 5 timed batches, after a warm-up).
// The W2 lines run bench/compare-child.js in a fresh process, once per V8 flag set, 3 times
// each, and print the median.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";

const here = path.dirname(fileURLToPath(import.meta.url));

// A module with the crossings and copies to time (binaryen parses the text form).
const WAT = `(module
  (import "e" "f" (func $f (param i32 i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "nop") (param i32 f64 i32) (result i32) (local.get 0))
  (func (export "callout") (param $n i32)
    (loop $l
      (drop (call $f (local.get $n) (i32.const 3)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n))))
  (func (export "copy") (param $n i32) (param $len i32)
    (loop $l
      (memory.copy (i32.const 1000) (i32.const 2000) (local.get $len))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))))`;

const mod = binaryen.parseText(WAT);
mod.setFeatures(binaryen.Features.BulkMemory);
const bytes = mod.emitBinary();
mod.dispose();
let sink = 0;
const { instance } = await WebAssembly.instantiate(bytes, {
  e: {
    f: (a, b) => {
      sink = (sink + a) | 0;
      return b;
    },
  },
});
const { nop, callout, copy } = instance.exports;

/** ns per operation of `run(n)` (which does n operations): the best of 5 batches. */
function time(run, n) {
  run(n); // warm-up (tier-up)
  run(n);
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    run(n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  return best;
}

const buf = Buffer.alloc(128, 65);
const probes = [
  ["JS -> Wasm call (3 numbers)", (n) => {
    for (let i = 0; i < n; i++) sink = (sink + nop(i, 1.5, 3)) | 0;
  }, 1e7],
  ["Wasm -> JS call (2 numbers)", (n) => callout(n), 1e7],
  ["memory.copy, 16 bytes", (n) => copy(n, 16), 1e7],
  ["memory.copy, 48 bytes", (n) => copy(n, 48), 1e7],
  ["process.hrtime()", (n) => {
    for (let i = 0; i < n; i++) sink = (sink + process.hrtime()[1]) | 0;
  }, 1e6],
  ["Date.now()", (n) => {
    for (let i = 0; i < n; i++) sink = (sink + Date.now()) | 0;
  }, 1e6],
  ["performance.now()", (n) => {
    for (let i = 0; i < n; i++) sink = (sink + performance.now()) | 0;
  }, 1e6],
  ["Buffer latin1Slice, 55-58 bytes", (n) => {
    for (let i = 0; i < n; i++) sink = (sink + buf.latin1Slice(0, 55 + (i & 3)).length) | 0;
  }, 1e6],
];
console.log(`machine: ${(await import("node:os")).cpus()[0].model}; node ${process.version}`);
for (const [name, run, n] of probes) console.log(`${name.padEnd(38)} ${time(run, n).toFixed(1).padStart(7)} ns`);

// W2 as `make bench` runs it, under V8 flags that would show a tier-up or bounds-check cost.
const flagSets = [
  ["defaults", []],
  ["every function optimized at once", ["--no-wasm-dynamic-tiering"]],
  ["explicit bounds checks", ["--wasm-enforce-bounds-checks"]],
];
for (const [name, flags] of flagSets) {
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const r = spawnSync(process.execPath, [...flags, path.join(here, "compare-child.js"), "ours", "W2", "300"], {
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`compare-child.js failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split("\n").pop()).nsPerOp);
  }
  runs.sort((a, b) => a - b);
  console.log(`${("W2, " + name).padEnd(38)} ${runs[1].toFixed(1).padStart(7)} ns (runs: ${runs.map((x) => x.toFixed(0)).join(", ")})`);
}
if (sink === 0.5) console.log(""); // keeps the sink live
