// One measurement in a fresh process (no JIT cross-talk between peers or workloads):
//
//   node bench/compare-child.js PEER WORKLOAD TARGET_MS
//
// Sets the peer up, calibrates (which also warms up: at least TARGET_MS in all, until a batch
// takes a quarter of TARGET_MS), then times one batch sized to take about TARGET_MS. Prints one JSON line:
// {peer, workload, n, ns, nsPerOp, count, checksum, sample, error}. The sink (peers.js) reads
// every record's text; `checksum` is what it folded from those reads, printed so that they
// cannot be optimized away. The shape check runs after the timing, on the last line the sink
// received.
import { NotAvailable, checkShape, setup, sink } from "./peers.js";

const [peer, workload, targetArg] = process.argv.slice(2);
const targetNs = Number(targetArg ?? 500) * 1e6;

function out(doc) {
  process.stdout.write(JSON.stringify({ peer, workload, ...doc }) + "\n");
}

let run;
try {
  run = await setup(peer, workload);
} catch (e) {
  if (e instanceof NotAvailable) {
    out({ na: e.message });
    process.exit(0);
  }
  throw e;
}

const now = () => process.hrtime.bigint();
// Each batch's first index, kept small: a loop counter past 2^30 is no longer a small integer
// in V8 (a heap number), which made a fast peer's W1 loop pay for float arithmetic that a
// slower peer, running fewer iterations, never reached (ours measured 0.96 vs 0.49 ns/call).
const start = (i) => i % 2 ** 20;
let i = 0;
let n = workload === "W1" ? 100_000 : 200;
const warmStart = now();
for (;;) {
  const t0 = now();
  run(start(i), n);
  i += n;
  const ns = Number(now() - t0);
  // Warm-up: at least TARGET_MS in all (Wasm and JS tier up), the last batch >= a quarter.
  if ((ns >= targetNs / 4 && Number(now() - warmStart) >= targetNs) || n >= 2 ** 29) {
    // At most 2^29 calls per batch, so start + n stays below 2^30 (see `start`).
    n = Math.min(2 ** 29, Math.max(1, Math.round((n * targetNs) / Math.max(ns, 1))));
    break;
  }
  n *= ns < targetNs / 40 ? 8 : 2;
}
// Settle anything asynchronous (winston's streams) before the timed batch.
await new Promise((r) => setImmediate(r));
const before = sink.count;
const t0 = now();
run(start(i), n);
const ns = Number(now() - t0);
await new Promise((r) => setImmediate(r));
const produced = sink.count - before;
const expectLines = workload !== "W1";
let error = checkShape(workload, sink.last, sink.count);
if (error === null && expectLines && produced !== n) error = `the sink received ${produced} lines for ${n} calls`;
out({ n, ns, nsPerOp: ns / n, count: produced, checksum: sink.sum, sample: sink.last.replace(/\n$/, ""), error });
