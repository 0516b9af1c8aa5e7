// Who and when: records carry CPython's names (MainThread / MainProcess here, the worker's
// name in a worker thread), set together or separately, the process id, the host clock's
// time (Date.now / performance.now), and relativeCreated from a start time that a fixed
// clock does not move.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { logging, python, collector, NS } from "./helpers.js";

function lastRecord(fn) {
  const seen = [];
  const l = logging.getLogger("id");
  l.propagate = false;
  const h = new logging.CallbackHandler((_t, r) => seen.push(r));
  l.addHandler(h);
  try {
    fn(l);
  } finally {
    l.removeHandler(h);
  }
  return seen.at(-1);
}

test("the main thread's records say MainThread and MainProcess (CPython's defaults), with this process's id", () => {
  const r = lastRecord((l) => l.warning("x"));
  assert.equal(r.threadName, "MainThread");
  assert.equal(r.processName, "MainProcess");
  assert.equal(r.process, process.pid);
  assert.equal(r.thread, 0);
  assert.equal(r.taskName, null);
  const fmt = "%(threadName)s/%(processName)s/%(taskName)s %(message)s";
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger("id.names");
  l.propagate = false;
  l.addHandler(col.handler);
  l.warning("names");
  l.removeHandler(col.handler);
  assert.deepEqual(col.lines, python(`
l = logging.getLogger("id.names")
l.propagate = False
l.addHandler(collector(logging.Formatter(${JSON.stringify(fmt)})))
l.warning("names")
`));
  assert.deepEqual(logging.getWorkerNames(), { threadName: "MainThread", processName: "MainProcess" });
});

test("setThreadName and setProcessName set each name alone; setWorkerName sets both; setTaskName", () => {
  try {
    logging.setThreadName("renderer");
    let r = lastRecord((l) => l.warning("x"));
    assert.deepEqual([r.threadName, r.processName], ["renderer", "MainProcess"]);
    logging.setProcessName("pool-1");
    r = lastRecord((l) => l.warning("x"));
    assert.deepEqual([r.threadName, r.processName], ["renderer", "pool-1"]);
    logging.setWorkerName("both");
    logging.setTaskName("request-7");
    r = lastRecord((l) => l.warning("x"));
    assert.deepEqual([r.threadName, r.processName, r.taskName], ["both", "both", "request-7"]);
    assert.deepEqual(logging.getWorkerNames(), { threadName: "both", processName: "both" });
  } finally {
    logging.setThreadName("MainThread");
    logging.setProcessName("MainProcess");
    logging.setTaskName(null);
  }
});

test("setFixedTime leaves the start time alone; setStartTime sets it, so relativeCreated matches CPython's", () => {
  const start = logging.getStartTime();
  logging.setFixedTime(NS + 1_234_567_891n, { utcOffset: 0, zone: "UTC" });
  assert.equal(logging.getStartTime(), start);
  logging.setStartTime(NS);
  assert.equal(logging.getStartTime(), Number(NS) / 1e6);
  const fmt = "%(relativeCreated)d|%(relativeCreated).6f|%(msecs)d|%(created).6f";
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger("id.rel");
  l.propagate = false;
  l.addHandler(col.handler);
  l.warning("later");
  // A start time in milliseconds (a number) works too: 250 ms after the fixed instant's start.
  logging.setStartTime(Number(NS / 1_000_000n) + 250);
  l.warning("ms");
  l.removeHandler(col.handler);
  const want = python(`
time.time_ns = lambda: NS + 1_234_567_891
l = logging.getLogger("id.rel")
l.propagate = False
l.addHandler(collector(logging.Formatter(${JSON.stringify(fmt)})))
l.warning("later")
logging._startTime = (NS // 1_000_000 + 250) * 1_000_000
l.warning("ms")
`);
  assert.deepEqual(col.lines, want);
  assert.match(col.lines[0], /^1234\|1234\.567891\|/);
  assert.throws(() => logging.setStartTime(Number.NaN), TypeError);
  logging.setFixedTime(null);
});

test("a worker thread's records carry its name", async () => {
  const src = `
    import { parentPort } from "node:worker_threads";
    import * as logging from ${JSON.stringify(new URL("../src/node.js", import.meta.url).href)};
    const l = logging.getLogger("w");
    l.addHandler(new logging.CallbackHandler((_t, r) => parentPort.postMessage([r.threadName, r.processName, r.thread])));
    l.warning("from the worker");
  `;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(src)}`));
  const msg = await new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", reject);
  });
  await w.terminate();
  assert.equal(msg[0], `worker-${msg[2]}`);
  // A worker thread is a thread of this process.
  assert.equal(msg[1], "MainProcess");
  assert.ok(msg[2] > 0);
});

test("the real clock: created is Date.now() (sub-millisecond), msecs and relativeCreated agree", () => {
  logging.setFixedTime(null);
  logging.setStartTime(Date.now() - 5);
  const before = Date.now();
  const r = lastRecord((l) => l.warning("now"));
  const after = Date.now();
  assert.ok(r.created * 1000 >= before - 2 && r.created * 1000 <= after + 2, `${r.created} vs ${before}..${after}`);
  // msecs comes from the nanoseconds; the float may round across a millisecond boundary.
  const m = Math.floor((r.created * 1000) % 1000);
  assert.ok([m, (m + 999) % 1000, (m + 1) % 1000].includes(r.msecs), `${r.msecs} vs ${m}`);
  assert.ok(r.relativeCreated >= 0 && r.relativeCreated < 60_000, String(r.relativeCreated));
  const r2 = lastRecord((l) => l.warning("later"));
  assert.ok(r2.created >= r.created);
});

test("the real local zone: %z matches Date's getTimezoneOffset", () => {
  logging.setFixedTime(null);
  const seen = [];
  const l = logging.getLogger("id.tz");
  l.propagate = false;
  const h = new logging.CallbackHandler((t) => seen.push(t));
  h.setFormatter(new logging.Formatter("%(asctime)s", "%z"));
  l.addHandler(h);
  l.warning("x");
  const off = -new Date().getTimezoneOffset();
  const sign = off < 0 ? "-" : "+";
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, "0");
  const mm = String(Math.abs(off) % 60).padStart(2, "0");
  assert.deepEqual(seen, [`${sign}${hh}${mm}`]);
});
