// Storage: file handlers over Node files, memory and localStorage-like stores; the cookbook's
// file-writing configurations (recipe 5 with its app.log, recipe 16/20's listener and worker
// configurations over a shared queue) compared byte for byte with CPython 3.13; rotation as
// CPython rotates; storage failures reported, never thrown.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { logging, fixTime, pythonPath, captureConsole, errorReports, streamText, NS, REPO } from "./helpers.js";

fixTime();

const FIXTURES = path.join(REPO, "tests/fixtures/dictconfig");
const fixture = (name) => readFileSync(path.join(FIXTURES, name), "utf8");
const scratch = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
  logging.setStorage(new logging.NodeFileStorage());
});

function tmpdir() {
  const d = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-storage-"));
  scratch.push(d);
  return d;
}

/** Runs `src` under CPython in `dir` (fixed clock, UTC); returns stdout and stderr. */
function python(src, dir, args = []) {
  const r = spawnSync(pythonPath(), [...(src.endsWith(".py") ? [src] : ["-c", src]), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return { out: r.stdout, err: r.stderr };
}

/** The root as a fresh process has it: WARNING, no handlers. */
function freshRoot() {
  const root = logging.getLogger();
  root.setLevel(logging.WARNING);
  for (const h of root.handlers) root.removeHandler(h);
}

test("recipe 5 in full: app.log written by NodeFileStorage is CPython's app.log, byte for byte", () => {
  const config = fixture("recipe_5.json");
  const pyDir = tmpdir();
  python(
    `import json, logging, logging.config, time
time.time_ns = lambda: ${NS}
def filter_maker(level):
    level = getattr(logging, level)
    return lambda record: record.levelno <= level
logging.config.dictConfig(json.loads(${JSON.stringify(config)}))
for f in (logging.debug, logging.info, logging.warning, logging.error, logging.critical):
    f(f.__name__ + ' message')
logging.shutdown()`,
    pyDir,
  );
  const ourDir = tmpdir();
  logging.setStorage(new logging.NodeFileStorage(ourDir));
  logging.registerFactory("__main__.filter_maker", ({ level }) => {
    const levelno = logging.getLevelName(level);
    return (record) => record.levelno <= levelno;
  });
  freshRoot();
  captureConsole(() => {
    logging.dictConfig(JSON.parse(config));
    for (const m of ["debug", "info", "warning", "error", "critical"]) logging.getLogger()[m](`${m} message`);
    logging.shutdown();
  });
  const ours = readFileSync(path.join(ourDir, "app.log"), "utf8");
  assert.equal(ours, readFileSync(path.join(pyDir, "app.log"), "utf8"));
  assert.match(ours, /^DEBUG    - debug message\n/);
  assert.equal(ours.split("\n").length, 6);
  freshRoot();
});

/** The workers' choices, fixed so both sides make the same ones. */
function choices() {
  const levels = [10, 20, 30, 40, 50];
  const names = ["foo", "foo.bar", "foo.bar.baz", "spam", "spam.ham", "spam.ham.eggs"];
  let seed = 0x2545f491;
  const next = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return Array.from({ length: 100 }, () => [levels[next(5)], names[next(6)]]);
}

test("recipes 16/20: listener and worker configurations over a shared Queue match CPython's logs and console", () => {
  const picks = choices();
  const pyDir = tmpdir();
  const py = python(path.join(FIXTURES, "recipe_20.py"), pyDir, [String(NS), JSON.stringify(picks)]);

  const storage = new logging.MemoryStorage();
  logging.setStorage(storage);
  const q = new logging.Queue();
  logging.registerFactory("__main__.q", () => q);
  // CPython's records say processName 'MainProcess', as ours do by default.
  assert.equal(logging.getWorkerNames().processName, "MainProcess");
  freshRoot();
  class MyHandler extends logging.Handler {
    emit(record) {
      record.processName = `listener (for ${record.processName})`;
      logging.getLogger(record.name).handle(record);
    }
  }
  const calls = captureConsole(() => {
    logging.dictConfig(JSON.parse(fixture("recipe_20_initial.json")));
    const setup = logging.getLogger("setup");
    setup.info("About to create workers ...");
    setup.info("Started worker: %s", "worker 1");
    logging.dictConfig(JSON.parse(fixture("recipe_20_worker.json")));
    setup.critical("Should not appear, because of disabled logger ...");
    picks.forEach(([lvl, name], i) => logging.getLogger(name).log(lvl, "Message no. %d", i));
    assert.equal(q.qsize(), 100, "the workers only enqueue");
    logging.dictConfig(JSON.parse(fixture("recipe_20_listener.json")));
    const listener = new logging.QueueListener(q, new MyHandler());
    listener.start();
    listener.stop();
    logging.shutdown();
  });
  assert.equal(q.qsize(), 0);
  // The console lines: stderr, in order, as CPython's.
  assert.equal(streamText(calls, "stderr"), py.err);
  assert.deepEqual(new Set(calls.map((c) => c[0])), new Set(["stderr"]));
  for (const name of ["mplog.log", "mplog-foo.log", "mplog-errors.log"]) {
    const theirs = readFileSync(path.join(pyDir, name), "utf8");
    assert.ok(theirs.length > 0, name);
    assert.equal(storage.text(name), theirs, name);
  }
  assert.match(storage.text("mplog.log"), /listener \(for MainProcess\)/);
  logging.unregisterFactory("__main__.q");
  freshRoot();
});

test("RotatingFileHandler rotates as CPython does (names, contents, backupCount) in Node files and in memory", () => {
  const pyDir = tmpdir();
  python(
    `import logging, logging.handlers, time
time.time_ns = lambda: ${NS}
h = logging.handlers.RotatingFileHandler('r.log', maxBytes=120, backupCount=3)
h.setFormatter(logging.Formatter('%(asctime)s %(levelname)s %(message)s'))
l = logging.getLogger('rot'); l.propagate = False; l.addHandler(h); l.setLevel(logging.DEBUG)
for i in range(40):
    l.info('record number %d with some padding', i)
h.close()`,
    pyDir,
  );
  const expected = readdirSync(pyDir).sort();
  assert.deepEqual(expected, ["r.log", "r.log.1", "r.log.2", "r.log.3"]);
  const nodeDir = tmpdir();
  for (const storage of [new logging.NodeFileStorage(nodeDir), new logging.MemoryStorage()]) {
    logging.setStorage(storage);
    const h = new logging.RotatingFileHandler("r.log", { maxBytes: 120, backupCount: 3 });
    h.setFormatter(new logging.Formatter("%(asctime)s %(levelname)s %(message)s"));
    const l = logging.getLogger(`rot.${storage.constructor.name}`);
    l.propagate = false;
    l.setLevel(logging.DEBUG);
    l.addHandler(h);
    for (let i = 0; i < 40; i++) l.info("record number %d with some padding", i);
    h.close();
    l.removeHandler(h);
    for (const name of expected) {
      const ours =
        storage instanceof logging.MemoryStorage ? storage.text(name) : readFileSync(path.join(nodeDir, name), "utf8");
      assert.equal(ours, readFileSync(path.join(pyDir, name), "utf8"), `${storage.constructor.name} ${name}`);
    }
  }
  assert.deepEqual(readdirSync(nodeDir).sort(), expected);
});

test("basicConfig({filename, filemode}) and FileHandler write through the storage; mode 'w' empties", () => {
  const dir = tmpdir();
  logging.setStorage(new logging.NodeFileStorage(dir));
  freshRoot();
  logging.basicConfig({ filename: "basic.log", filemode: "w", format: "%(levelname)s:%(name)s:%(message)s", force: true });
  logging.getLogger("b").warning("one %d", 1);
  logging.basicConfig({ filename: "basic.log", filemode: "w", format: "%(message)s", force: true });
  logging.getLogger("b").warning("two");
  logging.shutdown();
  assert.equal(readFileSync(path.join(dir, "basic.log"), "utf8"), "two\n");
  const fh = new logging.FileHandler(path.join(dir, "abs.log"));
  assert.equal(fh.baseFilename, path.join(dir, "abs.log"));
  const l = logging.getLogger("fh");
  l.propagate = false;
  l.addHandler(fh);
  l.warning("absolute paths are used as given");
  fh.close();
  l.removeHandler(fh);
  assert.equal(readFileSync(path.join(dir, "abs.log"), "utf8"), "absolute paths are used as given\n");
  // delay: nothing is created until the first record.
  const delayed = new logging.FileHandler("delayed.log", "a", "utf-8", true);
  assert.equal(existsSync(path.join(dir, "delayed.log")), false);
  delayed.close();
  assert.throws(() => new logging.FileHandler("x.log", "a", "latin-1"), /only UTF-8/);
  assert.throws(() => new logging.FileHandler("x.log", "r"), /mode/);
  freshRoot();
});

test("LocalStorage over a Storage-like object: rotation by UTF-8 size, names under the prefix", () => {
  const map = new Map();
  const store = {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
  const storage = new logging.LocalStorage("app:", store);
  logging.setStorage(storage);
  const h = new logging.RotatingFileHandler("ui.log", "a", 40, 2);
  h.setFormatter(new logging.Formatter("%(message)s"));
  const l = logging.getLogger("ls");
  l.propagate = false;
  l.addHandler(h);
  for (let i = 0; i < 10; i++) l.warning("é line %d", i);
  h.close();
  l.removeHandler(h);
  assert.deepEqual(storage.names(), ["ui.log", "ui.log.1", "ui.log.2"]);
  // "é line N\n" is 10 bytes in UTF-8: four records fit in 40 bytes, the fifth rolls over.
  assert.equal(storage.read("ui.log"), "é line 8\né line 9\n");
  assert.equal(storage.read("ui.log.1"), "é line 4\né line 5\né line 6\né line 7\n");
  assert.equal(storage.read("ui.log.2"), "é line 0\né line 1\né line 2\né line 3\n");
  assert.equal(storage.size("ui.log"), 20);
});

test("a failing storage is reported through handleError, never thrown; configurations without storage are refused", () => {
  const failing = new logging.MemoryStorage();
  failing.append = () => {
    throw new Error("disk full");
  };
  logging.setStorage(failing);
  const h = new logging.FileHandler("f.log", "a", undefined, true);
  const l = logging.getLogger("failing");
  l.propagate = false;
  l.addHandler(h);
  const before = logging.errorCount();
  const calls = captureConsole(() => l.error("lost?"));
  assert.equal(logging.errorCount(), before + 1);
  assert.match(calls.map((c) => c.slice(1).join(" ")).join("\n"), /--- Logging error ---[\s\S]*disk full/);
  l.removeHandler(h);

  logging.setStorage(null);
  assert.throws(() => new logging.FileHandler("nowhere.log"), /no storage is set/);
  const root = logging.getLogger();
  const keep = root.handlers;
  assert.throws(
    () =>
      logging.dictConfig({
        version: 1,
        handlers: { f: { class: "logging.FileHandler", filename: "x.log" } },
        root: { handlers: ["f"] },
      }),
    (e) => e.name === "ValueError" && e.path === "handlers.f.filename" && /no storage/.test(e.message),
  );
  assert.deepEqual(root.handlers, keep);
  assert.throws(() => logging.setStorage({ append() {} }), /no size\(\) method/);
});

test("a factory that returns something other than a Queue for a queue is refused with its path", () => {
  logging.registerFactory("__main__.notq", () => ({}));
  assert.throws(
    () =>
      logging.dictConfig({
        version: 1,
        handlers: { q: { class: "logging.handlers.QueueHandler", queue: "ext://__main__.notq" } },
      }),
    (e) => e.name === "ValueError" && /handlers\.q/.test(e.path) && /not a Queue/.test(e.message),
  );
  logging.unregisterFactory("__main__.notq");
});

test("makeLogRecord and Logger.handle: a record built from attributes reaches the handlers", () => {
  const lines = [];
  const h = new logging.CallbackHandler((t) => lines.push(t));
  h.setFormatter(new logging.Formatter("%(name)s %(levelname)s %(processName)s %(message)s %(extraField)s"));
  const l = logging.getLogger("remote.sender");
  l.propagate = false;
  l.addHandler(h);
  const rec = logging.makeLogRecord({
    name: "remote.sender",
    levelno: 40,
    levelname: "ERROR",
    msg: "from %s",
    args: ["afar"],
    processName: "worker-7",
    extraField: 42,
  });
  assert.equal(rec.lineno, 0);
  l.handle(rec);
  assert.deepEqual(lines, ["remote.sender ERROR worker-7 from afar 42"]);
  l.removeHandler(h);
});

test("MemoryStorage keeps sizes as logs grow, move and shrink (size() is O(1): rotation asks it per record)", () => {
  const s = new logging.MemoryStorage();
  assert.equal(s.size("a.log"), null);
  s.append("a.log", new TextEncoder().encode("héllo\n"));
  s.append("a.log", new TextEncoder().encode("x\n"));
  assert.equal(s.size("a.log"), 9);
  s.rename("a.log", "a.log.1");
  assert.equal(s.size("a.log"), null);
  assert.equal(s.size("a.log.1"), 9);
  assert.equal(s.text("a.log.1"), "héllo\nx\n");
  s.truncate("a.log.1");
  assert.equal(s.size("a.log.1"), 0);
  s.remove("a.log.1");
  assert.equal(s.size("a.log.1"), null);
});

test("LocalStorage appends rewrite one chunk, not the whole log; logs of earlier versions still read", () => {
  const store = {
    m: new Map(),
    get length() { return this.m.size; },
    key(i) { return [...this.m.keys()][i] ?? null; },
    getItem(k) { return this.m.has(k) ? this.m.get(k) : null; },
    setItem(k, v) { this.m.set(k, String(v)); },
    removeItem(k) { this.m.delete(k); },
  };
  store.setItem("p:old.log", "from an earlier version\n");
  const s = new logging.LocalStorage("p:", store);
  const enc = new TextEncoder();
  assert.equal(s.read("old.log"), "from an earlier version\n");
  let want = "";
  let largest = 0;
  for (let i = 0; i < 5000; i++) {
    const line = `line ${i} héllo\n`;
    want += line;
    s.append("a.log", enc.encode(line));
    for (const v of store.m.values()) largest = Math.max(largest, v.length);
  }
  assert.equal(s.read("a.log"), want);
  assert.ok(largest <= logging.LocalStorage.CHUNK, `a stored value of ${largest} characters`);
  assert.equal(s.size("a.log"), enc.encode(want).length);
  assert.deepEqual(s.names(), ["a.log", "old.log"]);
  s.rename("a.log", "a.log.1");
  assert.equal(s.read("a.log"), null);
  assert.equal(s.read("a.log.1"), want);
  // A new instance over the same store (a page reload) finds every chunk.
  const again = new logging.LocalStorage("p:", store);
  assert.equal(again.read("a.log.1"), want);
  assert.equal(again.size("a.log.1"), enc.encode(want).length);
  again.truncate("a.log.1");
  assert.equal(again.read("a.log.1"), "");
  again.remove("a.log.1");
  again.remove("old.log");
  assert.equal(store.m.size, 0);
});
