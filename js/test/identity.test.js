// Who and when: records carry the worker's name ("main" here, "worker-N" in a worker
// thread), the process id, and the host clock's time (Date.now / performance.now).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { logging } from "./helpers.js";

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

test("the main thread's records say main, with this process's id", () => {
  const r = lastRecord((l) => l.warning("x"));
  assert.equal(r.threadName, "main");
  assert.equal(r.processName, "main");
  assert.equal(r.process, process.pid);
  assert.equal(r.thread, 0);
  assert.equal(r.taskName, null);
});

test("setWorkerName and setTaskName stamp later records", () => {
  logging.setWorkerName("renderer");
  logging.setTaskName("request-7");
  try {
    const r = lastRecord((l) => l.warning("x"));
    assert.equal(r.threadName, "renderer");
    assert.equal(r.processName, "renderer");
    assert.equal(r.taskName, "request-7");
  } finally {
    logging.setWorkerName("main");
    logging.setTaskName(null);
  }
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
  assert.equal(msg[1], msg[0]);
  assert.ok(msg[2] > 0);
});

test("the real clock: created is Date.now() (sub-millisecond), msecs and relativeCreated agree", () => {
  logging.setFixedTime(null);
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
