// Many workers, one log (recipes 12, 16/17, 20) across real Node worker threads and processes:
// PortQueueHandler in each worker, PortQueueListener on the main thread; every record once,
// whole lines, each worker's order; recipe 20's configurations with real workers compared with
// CPython 3.13 running real processes; BroadcastChannel and WebSocket buses; hostile inputs.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { MessageChannel, Worker } from "node:worker_threads";
import os from "node:os";
import path from "node:path";
import { WebSocketServer } from "ws";
import {
  logging,
  fixTime,
  pythonPath,
  captureConsoleAsync,
  errorReports,
  streamText,
  NS,
  REPO,
  HERE,
} from "./helpers.js";

fixTime();

const WORKER = path.join(HERE, "workers/node-worker.js");
const FIXTURES = path.join(REPO, "tests/fixtures/dictconfig");
const scratch = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
  logging.setStorage(new logging.NodeFileStorage());
});

function tmpdir() {
  const d = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-workers-"));
  scratch.push(d);
  return d;
}

const fixture = (name) => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));

/** The root as a fresh process has it: WARNING, no handlers. */
function freshRoot() {
  const root = logging.getLogger();
  root.setLevel(logging.WARNING);
  for (const h of root.handlers) root.removeHandler(h);
}

function startWorker(workerData) {
  const w = new Worker(WORKER, { workerData });
  const exited = new Promise((resolve, reject) => {
    w.once("error", reject);
    w.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
  return { worker: w, exited };
}

/** Waits until `cond()` holds (polling the event loop), at most `ms`. */
async function until(cond, ms = 30_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The lines of a rotated log, oldest first: app.log.N … app.log.1, app.log. */
function rotatedLines(dir, base) {
  const backups = readdirSync(dir)
    .filter((n) => n.startsWith(`${base}.`))
    .map((n) => Number(n.slice(base.length + 1)))
    .sort((a, b) => b - a);
  const files = [...backups.map((n) => `${base}.${n}`), base];
  return { files, lines: files.flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n").slice(0, -1)) };
}

test("4 worker threads × 2,000 records into one RotatingFileHandler: each record once, whole lines, each worker's order, worker names", async () => {
  const dir = tmpdir();
  logging.setStorage(new logging.NodeFileStorage(dir));
  const file = new logging.RotatingFileHandler("app.log", { maxBytes: 100_000, backupCount: 100 });
  file.setFormatter(new logging.Formatter("%(threadName)s|%(processName)s|%(name)s|%(levelname)s|%(message)s"));
  const workers = [
    startWorker({ mode: "bulk", count: 2000 }),
    startWorker({ mode: "bulk", count: 2000 }),
    startWorker({ mode: "bulk", count: 2000, name: "render" }),
    startWorker({ mode: "bulk", count: 2000, name: "compute" }),
  ];
  const listener = new logging.PortQueueListener(
    workers.map((w) => w.worker),
    file,
  );
  const names = [`worker-${workers[0].worker.threadId}`, `worker-${workers[1].worker.threadId}`, "render", "compute"];
  listener.start();
  const t0 = performance.now();
  const calls = await captureConsoleAsync(() => Promise.all(workers.map((w) => w.exited)));
  const elapsed = performance.now() - t0;
  listener.stop();
  file.close();
  assert.deepEqual(errorReports(calls), []);
  assert.equal(listener.received, 8000);
  assert.equal(listener.missing, 0);
  const { files, lines } = rotatedLines(dir, "app.log");
  assert.ok(files.length > 5, `rotated (${files.length} files)`);
  assert.equal(lines.length, 8000);
  const next = new Map(names.map((n) => [n, 0]));
  for (const line of lines) {
    const m = /^([\w-]+)\|MainProcess\|bulk\.([\w-]+)\|INFO\|record (\d+) of ([\w-]+) (x*)$/.exec(line);
    assert.ok(m, `a whole line: ${JSON.stringify(line.slice(0, 120))}`);
    const [, thread, loggerName, i, named, xs] = m;
    assert.equal(loggerName, thread);
    assert.equal(named, thread);
    assert.equal(xs.length, Number(i) % 97);
    assert.ok(next.has(thread), `a worker's name: ${thread}`);
    assert.equal(Number(i), next.get(thread), `${thread}'s records in order`);
    next.set(thread, Number(i) + 1);
  }
  assert.deepEqual([...next.values()], [2000, 2000, 2000, 2000]);
  console.log(`# 8,000 records from 4 worker threads into one rotating file: ${elapsed.toFixed(0)} ms`);
});

/** The workers' choices, fixed so both sides make the same ones. */
function choices(seed0, n) {
  const levels = [10, 20, 30, 40, 50];
  const names = ["foo", "foo.bar", "foo.bar.baz", "spam", "spam.ham", "spam.ham.eggs"];
  let seed = seed0;
  const next = (k) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  return Array.from({ length: n }, () => [levels[next(5)], names[next(6)]]);
}

/** Lines of `text` whose processName is `(for NAME)`, in order. */
const linesOf = (text, name) => text.split("\n").filter((l) => l.includes(`(for ${name})`));
const sorted = (text) => text.split("\n").sort().join("\n");

test("recipe 20 with real workers: worker threads on the worker configuration, the listener configuration on the main thread; logs and console match CPython's real processes", async () => {
  const picks = { "worker 1": choices(11, 60), "worker 2": choices(22, 60), "worker 3": choices(33, 60), "worker 4": choices(44, 60) };
  const pyDir = tmpdir();
  const py = spawnSync(
    pythonPath(),
    [path.join(HERE, "workers/recipe_20_processes.py"), FIXTURES, String(NS), JSON.stringify(picks)],
    { cwd: pyDir, encoding: "utf8", env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" } },
  );
  assert.equal(py.status, 0, py.stderr);

  const storage = new logging.MemoryStorage();
  logging.setStorage(storage);
  freshRoot();
  class MyHandler {
    handle(record) {
      record.processName = `listener (for ${record.processName})`;
      logging.getLogger(record.name).handle(record);
    }
  }
  const workerConfig = fixture("recipe_20_worker.json");
  let listener;
  const calls = await captureConsoleAsync(async () => {
    logging.dictConfig(fixture("recipe_20_initial.json"));
    const setup = logging.getLogger("setup");
    setup.info("About to create workers ...");
    const workers = [];
    for (const [name, list] of Object.entries(picks)) {
      workers.push(startWorker({ mode: "recipe20", name, choices: list, ns: String(NS), config: workerConfig }));
      setup.info("Started worker: %s", name);
    }
    // The listener takes each worker's messages from the start; they wait (bounded) until
    // the listener configuration is in place and start() is called.
    listener = new logging.PortQueueListener(
      workers.map((w) => w.worker),
      new MyHandler(),
    );
    logging.dictConfig(fixture("recipe_20_listener.json"));
    listener.start();
    await Promise.all(workers.map((w) => w.exited));
    listener.stop();
    logging.shutdown();
  });
  assert.equal(listener.received, 240);
  assert.equal(listener.dropped + listener.missing, 0);
  assert.deepEqual(errorReports(calls), []);
  const ours = { stderr: streamText(calls, "stderr") };
  for (const name of ["mplog.log", "mplog-foo.log", "mplog-errors.log"]) ours[name] = storage.text(name);
  const theirs = { stderr: py.stderr };
  for (const name of ["mplog.log", "mplog-foo.log", "mplog-errors.log"]) {
    theirs[name] = readFileSync(path.join(pyDir, name), "utf8");
  }
  // Workers interleave differently from run to run in both; what must match: the same lines
  // (as multisets), each worker's lines in the same order, and the main thread's own lines
  // first on the console.
  for (const key of Object.keys(theirs)) {
    assert.ok(theirs[key].length > 0, key);
    assert.equal(sorted(ours[key]), sorted(theirs[key]), key);
    for (const w of Object.keys(picks)) assert.deepEqual(linesOf(ours[key], w), linesOf(theirs[key], w), `${key}: ${w}`);
  }
  const head = "About to create workers ...\nStarted worker: worker 1\nStarted worker: worker 2\nStarted worker: worker 3\nStarted worker: worker 4\n";
  assert.ok(theirs.stderr.startsWith(head));
  assert.ok(ours.stderr.startsWith(head));
  assert.doesNotMatch(ours["mplog.log"], /Should not appear/);
  assert.match(ours["mplog.log"], /listener \(for worker 3\) Message no\. 59\n/);
  freshRoot();
});

test("BroadcastChannel bus between worker threads and the main thread: every record once, in each worker's order", async () => {
  const channel = `wasm-logging-test-${process.pid}`;
  const bus = new logging.BroadcastChannelBus(channel);
  const got = [];
  const sink = new logging.CallbackHandler((text) => got.push(text));
  sink.setFormatter(new logging.Formatter("%(threadName)s %(message)s"));
  const listener = new logging.PortQueueListener(bus, sink);
  listener.start();
  const workers = ["a", "b", "c"].map((name) => startWorker({ mode: "broadcast", name, count: 500, channel }));
  await Promise.all(workers.map((w) => w.exited));
  await until(() => listener.received === 1500);
  listener.stop();
  bus.close();
  assert.equal(listener.missing, 0);
  for (const name of ["a", "b", "c"]) {
    const mine = got.filter((l) => l.startsWith(`${name} `));
    assert.deepEqual(
      mine,
      Array.from({ length: 500 }, (_, i) => `${name} record ${i} of ${name}`),
    );
  }
});

test("WebSocket bus between Node processes: three processes log to a listener behind a ws server", async () => {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => server.once("listening", r));
  const url = `ws://127.0.0.1:${server.address().port}`;
  const got = [];
  const sink = new logging.CallbackHandler((text) => got.push(text));
  sink.setFormatter(new logging.Formatter("%(processName)s %(name)s %(message)s %(seqno)d"));
  const ratios = [];
  const listener = new logging.PortQueueListener([], sink, { handle: (r) => r.ratio !== undefined && ratios.push(r.ratio) });
  listener.start();
  server.on("connection", (socket) => listener.attach(new logging.WebSocketBus(socket)));
  const children = ["p1", "p2", "p3"].map((name) => {
    const c = spawn(process.execPath, ["--experimental-websocket", path.join(HERE, "workers/ws-child.js"), url, name, "700"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    c.stderr.on("data", (d) => {
      err += d;
    });
    return new Promise((resolve) => c.once("exit", (code) => resolve([code, err])));
  });
  for (const [code, err] of await Promise.all(children)) {
    assert.equal(code, 0, err);
    assert.equal(err.match(/--- Logging error ---/g)?.length, 1, err);
    assert.match(err, /TypeError: PortQueueHandler: 'ratio' cannot travel over this transport/);
  }
  await until(() => listener.received === 2100);
  listener.stop();
  await new Promise((r) => server.close(r));
  assert.equal(listener.missing, 0);
  assert.deepEqual(ratios, ["nan", "nan", "nan"]);
  for (const name of ["p1", "p2", "p3"]) {
    assert.deepEqual(
      got.filter((l) => l.startsWith(`${name} `)),
      Array.from({ length: 700 }, (_, i) => `${name} ws.${name} record ${i} of ${name} ${i}`),
    );
  }
});

test("a record carries its extra fields and prepare()'s fields; the exception text travels in msg", async () => {
  const { port1, port2 } = new MessageChannel();
  const h = new logging.PortQueueHandler(port1);
  const raw = [];
  port2.on("message", (m) => raw.push(m));
  const log = logging.getLogger("prep");
  log.propagate = false;
  log.setLevel(logging.DEBUG);
  log.addHandler(h);
  log.info("user %s did %d things", "ann", 3, { extra: { user: "ann", tags: ["a", "b"] } });
  try {
    throw new TypeError("bad input");
  } catch (e) {
    log.exception("failed for %s", "bob", { exc_info: e });
  }
  await until(() => raw.length === 2);
  port1.close();
  log.removeHandler(h);
  const [a, b] = raw;
  assert.equal(a["wasm-logging-record"], 1);
  assert.deepEqual([a.seq, b.seq], [1, 2]);
  assert.equal(a.record.msg, "user ann did 3 things");
  assert.equal(a.record.message, "user ann did 3 things");
  assert.equal(a.record.args, null);
  assert.equal(a.record.user, "ann");
  assert.deepEqual(a.record.tags, ["a", "b"]);
  assert.equal(a.record.levelname, "INFO");
  assert.equal(a.record.threadName, "MainThread");
  assert.equal(a.record.created, Number(NS) / 1e9); // CPython: time_ns() / 1e9
  // CPython's prepare: the traceback is part of msg; exc_info, exc_text and stack_info are None.
  assert.match(b.record.msg, /^failed for bob\nTraceback \(most recent call last\):\n[\s\S]*TypeError: bad input$/);
  assert.equal(b.record.exc_info, null);
  assert.equal(b.record.exc_text, null);
  assert.equal(b.record.stack_info, null);
  // A listener on the other side rebuilds them with makeLogRecord and formats them as CPython
  // formats its prepared records: the message text once, no second traceback.
  const rebuilt = logging.makeLogRecord(b.record);
  const f = new logging.Formatter("%(levelname)s:%(name)s:%(message)s");
  assert.equal(f.format(rebuilt), `ERROR:prep:${b.record.msg}`);
});

test("hostile: a closed port, a value that cannot be cloned, a throwing listener handler, a full backlog, a gap", async () => {
  const log = logging.getLogger("hostile");
  log.propagate = false;
  log.setLevel(logging.DEBUG);

  // A closed port: the record is reported and counted, never thrown.
  const c1 = new MessageChannel();
  const closed = new logging.PortQueueHandler(c1.port1);
  log.addHandler(closed);
  c1.port2.close();
  await until(() => closed.bus.closed);
  let calls = await captureConsoleAsync(async () => log.info("into a closed port"));
  log.removeHandler(closed);
  assert.equal(closed.lost, 1);
  assert.equal(closed.sent, 0);
  assert.equal(errorReports(calls).length, 1);
  assert.match(streamText(calls, "stderr"), /record not sent: the port is closed[\s\S]*Message: 'into a closed port'/);

  // A function as an extra value: reported, and the record still goes, the value as its repr.
  const c2 = new MessageChannel();
  const h = new logging.PortQueueHandler(c2.port1);
  const got = [];
  const sink = new logging.CallbackHandler((text, r) => got.push([text, r.callback, r.ok]));
  sink.setFormatter(new logging.Formatter("%(message)s|%(callback)s"));
  const throwing = {
    handle() {
      throw new Error("listener handler failed");
    },
  };
  const listener = new logging.PortQueueListener(c2.port2, throwing, sink, { capacity: 3 });
  log.addHandler(h);
  calls = await captureConsoleAsync(async () => {
    log.warning("with a function", { extra: { callback: function onDone() {}, ok: 1 } });
    log.warning("plain", { extra: { callback: "none", ok: 2 } });
    for (let i = 0; i < 4; i++) log.info("burst %d", i, { extra: { callback: "cb", ok: 3 } });
    await until(() => listener.received === 6);
  });
  // Nothing started yet: 3 kept, 3 dropped and reported once.
  assert.equal(listener.pending, 3);
  assert.equal(listener.dropped, 3);
  let reports = errorReports(calls);
  assert.equal(reports.length, 2, reports.join("\n"));
  assert.match(reports[0], /'callback' cannot travel over this transport[\s\S]*sent as its repr/);
  assert.match(reports[1], /OverflowError: PortQueueListener: the backlog holds 3 records/);
  assert.equal(h.sent, 6);
  assert.equal(h.lost, 0);

  // start(): each kept record reaches the good handler although the first handler throws
  // (each throw reported); then a forged message with a gap is reported as missing records.
  calls = await captureConsoleAsync(async () => {
    listener.start();
    c2.port1.postMessage({ "wasm-logging-record": 1, sender: "forged", seq: 1, record: { msg: "one", callback: "x" } });
    c2.port1.postMessage({ "wasm-logging-record": 1, sender: "forged", seq: 4, record: { msg: "four", callback: "x" } });
    c2.port1.postMessage({ other: "traffic on the same port is left alone" });
    await until(() => listener.received === 8);
  });
  listener.stop();
  c2.port1.close();
  log.removeHandler(h);
  assert.deepEqual(got, [
    ["with a function|<function onDone>", "<function onDone>", 1],
    ["plain|none", "none", 2],
    ["burst 0|cb", "cb", 3],
    ["one|x", "x", undefined],
    ["four|x", "x", undefined],
  ]);
  reports = errorReports(calls);
  assert.equal(reports.filter((r) => /listener handler failed/.test(r)).length, 5);
  assert.equal(reports.filter((r) => /2 record\(s\) from sender forged never arrived/.test(r)).length, 1);
  assert.equal(listener.missing, 2);
});

test("dictConfig: a QueueHandler whose queue is a port becomes a PortQueueHandler; listener keys and unknown keys are refused with their path", async () => {
  const { port1, port2 } = new MessageChannel();
  logging.registerFactory("__main__.port", () => port1);
  const got = [];
  port2.on("message", (m) => got.push(m.record));
  freshRoot();
  logging.dictConfig({
    version: 1,
    handlers: { q: { class: "logging.handlers.QueueHandler", queue: "ext://__main__.port" } },
    root: { level: "DEBUG", handlers: ["q"] },
  });
  const [h] = logging.getLogger().handlers;
  assert.ok(h instanceof logging.PortQueueHandler);
  assert.equal(h.name, "q");
  logging.getLogger("cfg").info("through %s", "config");
  await until(() => got.length === 1);
  assert.equal(got[0].msg, "through config");
  for (const [extra, key] of [
    [{ handlers: ["x"] }, "'handlers' belongs to the listener"],
    [{ respect_handler_level: true }, "'respect_handler_level' belongs to the listener"],
    [{ bogus: 1 }, "unexpected keyword argument 'bogus'"],
  ]) {
    assert.throws(
      () =>
        logging.dictConfig({
          version: 1,
          handlers: { q2: { class: "wasm_logging.PortQueueHandler", queue: "ext://__main__.port", ...extra } },
          root: { level: "INFO", handlers: ["q2"] },
        }),
      (e) => e.name === "ValueError" && e.path.startsWith("handlers.q2") && e.message.includes(key),
    );
    assert.equal(logging.getLogger().handlers[0], h, "nothing changed");
  }
  assert.throws(
    () =>
      logging.dictConfig({
        version: 1,
        handlers: { q3: { class: "wasm_logging.PortQueueHandler", queue: "ext://__main__.nothing" } },
      }),
    (e) => e.name === "ValueError" && e.message.includes("no factory is registered"),
  );
  freshRoot();
  port1.close();
  logging.unregisterFactory("__main__.port");
});

test("respectHandlerLevel skips handlers above the record's level (CPython's respect_handler_level); without handlers records go to getLogger(record.name).handle", async () => {
  const { port1, port2 } = new MessageChannel();
  const sender = new logging.PortQueueHandler(port1);
  const log = logging.getLogger("levels.src");
  log.propagate = false;
  log.setLevel(logging.DEBUG);
  log.addHandler(sender);
  const all = [];
  const errorsOnly = [];
  const h1 = new logging.CallbackHandler((t) => all.push(t));
  const h2 = new logging.CallbackHandler((t) => errorsOnly.push(t));
  h2.setLevel(logging.ERROR);
  const respecting = new logging.PortQueueListener(port2, h1, h2, { respectHandlerLevel: true });
  respecting.start();
  log.info("i");
  log.error("e");
  await until(() => respecting.received === 2);
  respecting.stop();
  assert.deepEqual(all, ["i", "e"]);
  assert.deepEqual(errorsOnly, ["e"]);
  // Without respectHandlerLevel the handler gets every record, as CPython's listener does.
  const c2 = new MessageChannel();
  const s2 = new logging.PortQueueHandler(c2.port1);
  log.addHandler(s2);
  log.removeHandler(sender);
  const got = [];
  const h3 = new logging.CallbackHandler((t) => got.push(t));
  h3.setLevel(logging.ERROR);
  const plain = new logging.PortQueueListener(c2.port2, h3);
  plain.start();
  log.info("i2");
  await until(() => plain.received === 1);
  plain.stop();
  assert.deepEqual(got, ["i2"]);
  // No handlers: the logger the record names handles it (the cookbook's
  // getLogger(record.name).handle(record)); its handlers' levels apply, as in Logger.handle.
  const c3 = new MessageChannel();
  const viaLogger = [];
  const dest = logging.getLogger("levels.dest");
  dest.propagate = false;
  const destHandler = new logging.CallbackHandler((t) => viaLogger.push(t));
  destHandler.setFormatter(new logging.Formatter("%(name)s:%(levelname)s:%(message)s"));
  destHandler.setLevel(logging.WARNING);
  dest.addHandler(destHandler);
  const byName = new logging.PortQueueListener(c3.port2);
  byName.start();
  const envelope = (seq, levelno, msg) => ({
    "wasm-logging-record": 1,
    sender: "elsewhere",
    seq,
    record: { name: "levels.dest", levelno, levelname: logging.getLevelName(levelno), msg },
  });
  c3.port1.postMessage(envelope(1, logging.INFO, "below the handler"));
  c3.port1.postMessage(envelope(2, logging.ERROR, "to the logger the record names"));
  await until(() => byName.received === 2);
  byName.stop();
  dest.removeHandler(destHandler);
  for (const p of [c3.port1, c2.port1, port1]) p.close();
  log.removeHandler(s2);
  assert.deepEqual(viaLogger, ["levels.dest:ERROR:to the logger the record names"]);
});
