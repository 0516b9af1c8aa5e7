// The write-behind queue under OPFSStorage and IndexedDBStorage (js/src/durable.js), over a
// backend whose writes the test holds back, fails or lets through: operations keep their
// order through rotation, overflow drops the oldest waiting records and is reported once per
// episode, a failed write is reported (never thrown) and the sizes the core sees are reloaded
// from the store. The real stores are tested in Chromium (durable.test.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, errorReports } from "./helpers.js";
import { DurableStorage, rotatedSet } from "../src/durable.js";

const decoder = new TextDecoder();

/** An in-memory store behind a gate: `hold()` makes the next batches wait for `release()`. */
class GatedBackend {
  constructor() {
    this.files = new Map();
    this.concurrent = false;
    this.batches = 0;
    this.gate = null;
    this.open = null;
    /** (op) => an error to fail `op` with, or null */
    this.fail = () => null;
  }

  hold() {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release() {
    this.open?.();
    this.gate = null;
  }

  async load() {
    return new Map([...this.files].map(([k, v]) => [k, v.length]));
  }

  async apply(ops) {
    this.batches++;
    if (this.gate !== null) await this.gate;
    return ops.map((op) => {
      const e = this.fail(op);
      if (e) return e;
      const f = this.files;
      if (op.t === "append") {
        const old = f.get(op.name) ?? new Uint8Array(0);
        const out = new Uint8Array(old.length + op.bytes);
        out.set(old, 0);
        let at = old.length;
        for (const c of op.chunks) {
          out.set(c, at);
          at += c.length;
        }
        f.set(op.name, out);
      } else if (op.t === "rename") {
        f.set(op.to, f.get(op.from));
        f.delete(op.from);
      } else if (op.t === "remove") {
        f.delete(op.name);
      } else if (op.t === "truncate") {
        f.set(op.name, new Uint8Array(0));
      }
      return null;
    });
  }

  async read(name) {
    return this.files.get(name) ?? null;
  }

  text(name) {
    const b = this.files.get(name);
    return b === undefined ? null : decoder.decode(b);
  }
}

function logger(name, storage, handler) {
  logging.setStorage(storage);
  const h = handler();
  h.setFormatter(new logging.Formatter("%(message)s"));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(h);
  return { l, h };
}

/**
 * Records what `fn` writes to stderr (where Node's logging errors go). Not helpers.js's
 * captureConsoleAsync: over an await that would also take node:test's own stdout reports.
 */
async function captureStderr(fn) {
  const calls = [];
  const write = process.stderr.write;
  process.stderr.write = (text) => calls.push(["stderr", String(text)]) > 0;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return calls;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("rotation through the write-behind queue leaves what MemoryStorage holds, batch by batch", async () => {
  const backend = new GatedBackend();
  const durable = new DurableStorage(backend, "Test('q')", new Map());
  const memory = new logging.MemoryStorage();
  for (const [storage, name] of [[durable, "q.durable"], [memory, "q.memory"]]) {
    const { l, h } = logger(name, storage, () => new logging.RotatingFileHandler("r.log", { maxBytes: 200, backupCount: 1000 }));
    for (let i = 0; i < 5000; i++) {
      l.info("record %d", i);
      if (i % 97 === 0 && storage === durable) await tick();
    }
    h.close();
    l.removeHandler(h);
  }
  await durable.flush();
  assert.ok(backend.batches > 50, `${backend.batches} batches`);
  assert.deepEqual([...backend.files.keys()].sort(), memory.names());
  for (const n of memory.names()) assert.equal(backend.text(n), memory.text(n), n);
  assert.deepEqual(durable.names(), memory.names());
  assert.deepEqual(durable.stats().pendingBytes, 0);
  logging.setStorage(new logging.NodeFileStorage());
});

test("overflow drops the oldest waiting records, reported once per episode; the core then sees the real sizes", async () => {
  const backend = new GatedBackend();
  const durable = new DurableStorage(backend, "Test('o')", new Map(), { maxPending: 1000 });
  const { l, h } = logger("q.overflow", durable, () => new logging.FileHandler("o.log"));
  const calls = await captureStderr(async () => {
    l.info("first");
    await tick(); // "first" is being written (held): it is not dropped
    backend.hold();
    for (let i = 0; i < 500; i++) l.info("line %d", i); // about 5,000 bytes against 1,000
    assert.ok(durable.stats().pendingBytes <= 1000);
    backend.release();
    await durable.flush();
    // A second episode, reported on its own.
    backend.hold();
    l.info("x".repeat(600));
    l.info("y".repeat(600));
    backend.release();
    await durable.flush();
  });
  const reports = errorReports(calls);
  assert.equal(reports.length, 2, reports.join("\n"));
  const s = durable.stats();
  const [, firstDropped, firstBytes] = /OSError: Test\('o'\): (\d+) records \((\d+) bytes\) waiting to be written were dropped: more than maxPending \(1000 bytes\)/.exec(reports[0]);
  assert.equal(s.droppedRecords, Number(firstDropped) + 1);
  assert.match(reports[1], /: 1 records \(601 bytes\) waiting/);
  const text = backend.text("o.log");
  const kept = text.split("\n").slice(1, -2);
  // The newest records survive, in order, after the one already being written.
  assert.equal(text.split("\n")[0], "first");
  assert.equal(kept.length + Number(firstDropped), 500);
  kept.forEach((line, i) => assert.equal(line, `line ${500 - kept.length + i}`));
  assert.equal(durable.size("o.log"), new TextEncoder().encode(text).length);
  assert.equal(s.pendingBytes, 0);
  h.close();
  l.removeHandler(h);
  logging.setStorage(new logging.NodeFileStorage());
});

test("a failed write is reported through handleError, never thrown; later records are written; sizes reload", async () => {
  const backend = new GatedBackend();
  const durable = new DurableStorage(backend, "Test('f')", new Map());
  const { l, h } = logger("q.fail", durable, () => new logging.FileHandler("f.log"));
  let failing = true;
  backend.fail = (op) =>
    failing && op.t === "append" && op.bytes > 0 ? new Error("The operation failed because it would cause the application to exceed its storage quota.") : null;
  const calls = await captureStderr(async () => {
    l.info("a");
    await tick();
    await durable.flush();
    l.info("b");
    l.info("c");
    failing = false;
    await durable.flush();
    // The size the core sees is the store's: "a" was lost.
    assert.equal(durable.size("f.log"), 4);
    l.info("d");
    await durable.flush();
    // A backend that throws instead of answering: reported, the log call still returns.
    backend.apply = () => {
      throw new TypeError("backend gone");
    };
    l.info("e");
    await durable.flush();
  });
  const reports = errorReports(calls);
  assert.deepEqual(reports, [
    "--- Logging error ---\nOSError: Test('f'): could not write 1 records (2 bytes) to 'f.log': Error: The operation failed because it would cause the application to exceed its storage quota.",
    "--- Logging error ---\nOSError: Test('f'): could not write 1 records (2 bytes) to 'f.log': TypeError: backend gone",
  ]);
  assert.equal(backend.text("f.log"), "b\nc\nd\n");
  const s = durable.stats();
  assert.equal(s.failures, 2);
  assert.equal(s.lostRecords, 2);
  assert.equal(s.writtenRecords, 3);
  h.close();
  l.removeHandler(h);
  logging.setStorage(new logging.NodeFileStorage());
});

test("read() answers null for a missing log and refuses an existing one (readAsync reads it); flush() resolves when idle", async () => {
  const backend = new GatedBackend();
  const durable = new DurableStorage(backend, "Test('r')", new Map([["old.log", 0]]));
  assert.equal(durable.read("none.log"), null);
  assert.throws(() => durable.read("old.log"), /read\('old\.log'\) cannot answer synchronously; use await readAsync\('old\.log'\)/);
  durable.append("a.log", new TextEncoder().encode("hé\n"));
  assert.equal(durable.size("a.log"), 4);
  assert.deepEqual(durable.list(""), ["a.log", "old.log"]);
  assert.equal(await durable.text("a.log"), "hé\n");
  await durable.flush();
  await durable.flush();
});

test("rotatedSet orders a set oldest first: timed backups, numbered from the highest, then the log", () => {
  const names = ["app.log", "app.log.1", "app.log.10", "app.log.2", "app.log.2.gz", "other.log", "app.logx", "a/app.log"];
  assert.deepEqual(rotatedSet(names, "app.log"), ["app.log.10", "app.log.2", "app.log.2.gz", "app.log.1", "app.log"]);
  assert.deepEqual(
    rotatedSet(["t.log", "t.log.2023-11-14_22-13-23", "t.log.2023-11-14_22-13-22"], "t.log"),
    ["t.log.2023-11-14_22-13-22", "t.log.2023-11-14_22-13-23", "t.log"],
  );
  assert.deepEqual(rotatedSet(["x.log.1"], "x.log"), ["x.log.1"]);
});
