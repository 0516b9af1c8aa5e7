// Per-request context (issue 14, cookbook recipe 10 "Using contextvars"): runWithContext /
// getContext, fields on every record made inside (as `extra`, under an explicit `extra`, with
// CPython's KeyError rule), following `await` in Node through AsyncLocalStorage; the
// recipe's concurrent web apps with per-app FileHandlers chosen by a filter, compared byte
// for byte with CPython 3.13's contextvars + asyncio version; the browser builds' synchronous
// stack and AsyncContext.Variable; the disabled fast path untouched.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import os from "node:os";
import path from "node:path";
import { logging, fixTime, collector, pythonPath, captureConsole, errorReports, NS } from "./helpers.js";

fixTime();

const scratch = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
  logging.setStorage(new logging.NodeFileStorage());
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A non-propagating logger at DEBUG with a collector formatting `fmt`. */
function setup(name, fmt) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  for (const h of l.handlers) l.removeHandler(h);
  const c = collector(new logging.Formatter(fmt));
  l.addHandler(c.handler);
  return [l, c.lines];
}

test("fields appear on records made inside; runWithContext returns fn's result; nesting overrides outer fields", () => {
  const [l, lines] = setup("ctx.basic", "%(request_id)s %(user)s %(message)s");
  const r = logging.runWithContext({ request_id: "r-1", user: "ann" }, () => {
    l.info("outer");
    const inner = logging.runWithContext({ user: "bob", extra_field: 1 }, () => {
      l.info("inner %d", 2);
      assert.deepEqual(logging.getContext(), { request_id: "r-1", user: "bob", extra_field: 1 });
      return "inner result";
    });
    l.info("outer again");
    return [inner, logging.getContext()];
  });
  assert.deepEqual(r, ["inner result", { request_id: "r-1", user: "ann" }]);
  assert.deepEqual(lines, ["r-1 ann outer", "r-1 bob inner 2", "r-1 ann outer again"]);
  // Outside: no context, and the fields are gone from new records.
  assert.deepEqual(logging.getContext(), {});
  const calls = captureConsole(() => l.info("outside"));
  assert.match(errorReports(calls)[0], /^--- Logging error ---\nValueError: Formatting field not found in record: 'request_id'/);
});

test("getContext is a frozen copy; a throwing fn restores the outer context", () => {
  const fields = { a: 1 };
  const ctx = logging.runWithContext(fields, () => logging.getContext());
  fields.a = 2;
  assert.deepEqual(ctx, { a: 1 });
  assert.ok(Object.isFrozen(ctx));
  assert.throws(() => {
    ctx.a = 3;
  }, TypeError);
  assert.ok(Object.isFrozen(logging.getContext()));
  logging.runWithContext({ a: "outer" }, () => {
    assert.throws(
      () =>
        logging.runWithContext({ a: "inner" }, () => {
          throw new RangeError("boom");
        }),
      RangeError,
    );
    assert.deepEqual(logging.getContext(), { a: "outer" });
  });
  // Set-up errors throw (as other set-up calls do).
  assert.throws(() => logging.runWithContext(null, () => 1), TypeError);
  assert.throws(() => logging.runWithContext(["x"], () => 1), TypeError);
  assert.throws(() => logging.runWithContext({}, "not a function"), TypeError);
});

test("in Node the context follows await, timers and callbacks; concurrent tasks keep their own", async () => {
  const [l, lines] = setup("ctx.async", "%(request_id)s %(step)s %(message)s");
  const work = (id, pauses) =>
    logging.runWithContext({ request_id: id, step: 0 }, async () => {
      l.info("start");
      for (let i = 1; i <= pauses; i++) {
        await tick();
        await logging.runWithContext({ step: i }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          l.info("pause");
        });
      }
      await new Promise((resolve) => queueMicrotask(resolve));
      l.info("done");
      return logging.getContext().request_id;
    });
  const ids = await Promise.all([work("a", 3), work("b", 1), work("c", 2)]);
  assert.deepEqual(ids, ["a", "b", "c"]);
  assert.deepEqual(logging.getContext(), {});
  // Every line carries its own task's fields, whatever the interleaving.
  const byId = { a: [], b: [], c: [] };
  for (const line of lines) {
    const [id, step, msg] = line.split(" ");
    byId[id].push(`${step} ${msg}`);
  }
  assert.deepEqual(byId, {
    a: ["0 start", "1 pause", "2 pause", "3 pause", "0 done"],
    b: ["0 start", "1 pause", "0 done"],
    c: ["0 start", "1 pause", "2 pause", "0 done"],
  });
  assert.notDeepEqual(lines.map((s) => s[0]).join(""), "aaaaabbbcccc", "the tasks interleave");
});

test("fields are extra: an explicit extra key wins, adapters too; CPython's KeyError for record attributes", () => {
  const [l, lines] = setup("ctx.extra", "%(user)s %(ip)s %(message)s");
  logging.runWithContext({ user: "ctx-user", ip: "10.0.0.1" }, () => {
    l.info("plain");
    l.info("explicit", { extra: { user: "call-user" } });
    new logging.LoggerAdapter(l, { ip: "adapter-ip" }).info("adapter");
    l.info("%s args and %r", "packed", { nested: [1, 2] });
    l.info("full path %s", new Date(0).constructor.name, { extra: { user: new URL("http://u/") } });
  });
  assert.deepEqual(lines, [
    "ctx-user 10.0.0.1 plain",
    "call-user 10.0.0.1 explicit",
    "ctx-user adapter-ip adapter",
    "ctx-user 10.0.0.1 packed args and {'nested': [1, 2]}",
    "http://u/ 10.0.0.1 full path Date",
  ]);
  lines.length = 0;
  // A field named after a record attribute: each record made inside is CPython's KeyError
  // ("Attempt to overwrite"), reported, and nothing is emitted.
  const calls = captureConsole(() => logging.runWithContext({ msg: "clobber" }, () => l.warning("bad")));
  assert.deepEqual(errorReports(calls), [
    "--- Logging error ---\nKeyError: \"Attempt to overwrite 'msg' in LogRecord\"\nMessage: 'bad'\nArguments: ()",
  ]);
  assert.deepEqual(lines, []);
});

test("filters read the context from the record (record.request_id) or from getContext()", () => {
  const [l, lines] = setup("ctx.filter", "%(request_id)s %(message)s");
  const seen = [];
  l.addFilter((record) => {
    seen.push([record.request_id, logging.getContext().request_id]);
    return record.request_id !== "drop-me";
  });
  logging.runWithContext({ request_id: "keep" }, () => l.info("kept"));
  logging.runWithContext({ request_id: "drop-me" }, () => l.info("dropped"));
  assert.deepEqual(lines, ["keep kept"]);
  assert.deepEqual(seen, [
    ["keep", "keep"],
    ["drop-me", "drop-me"],
  ]);
});

test("the disabled fast path is untouched: a disabled call is the shared no-op and never reads the context", () => {
  const [l, lines] = setup("ctx.disabled", "%(request_id)s %(message)s");
  l.setLevel(logging.WARNING);
  let reads = 0;
  const getStore = AsyncLocalStorage.prototype.getStore;
  AsyncLocalStorage.prototype.getStore = function counted() {
    reads++;
    return getStore.call(this);
  };
  try {
    logging.runWithContext({ request_id: "r" }, () => {
      assert.equal(l.debug.name, "noop");
      assert.equal(l.info, l.debug);
      const before = reads;
      for (let i = 0; i < 100; i++) {
        l.debug("x %d", i);
        l.info("y");
      }
      assert.equal(reads, before, "no context reads for disabled calls");
      l.warning("made");
      assert.equal(reads, before + 1, "one read per record made");
    });
  } finally {
    AsyncLocalStorage.prototype.getStore = getStore;
  }
  assert.deepEqual(lines, ["r made"]);
});

// ---- recipe 10 with asyncio and contextvars, against CPython 3.13 ---------------------

const REQUESTS = [
  ["GET", "192.168.2.20", "jim"],
  ["POST", "192.168.3.20", "fred"],
  ["GET", "192.168.2.21", "sheila"],
  ["POST", "192.168.3.21", "jim"],
  ["GET", "192.168.2.22", "fred"],
  ["POST", "192.168.3.22", "sheila"],
];
const FORMAT = "%(threadName)-11s %(appName)s %(name)-9s %(user)-6s %(ip)s %(method)-4s %(message)s";

/** The simulation's choices (app, request, pauses), fixed so both sides make the same ones. */
function picks(count) {
  let seed = 0x1f2e3d4c;
  const next = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return Array.from({ length: count }, () => [next(2), next(REQUESTS.length), next(4)]);
}

// The recipe's main.py and webapplib.py as one asyncio program: each request is a task (its
// own copy of the context), and webapplib.useful() yields `pauses` times, so the requests
// interleave. Handlers and filter as in the recipe.
const RECIPE_PY = `
import asyncio, json, logging, sys, time
from contextvars import ContextVar
time.time_ns = lambda: ${NS}
logging._startTime = ${NS} / 1e9

liblogger = logging.getLogger('webapplib')

async def useful(pauses):
    liblogger.debug('Hello from webapplib!')
    for _ in range(pauses):
        await asyncio.sleep(0)

logger = logging.getLogger('__main__')
root = logging.getLogger()
root.setLevel(logging.DEBUG)

class Request:
    def __init__(self, method, ip, user):
        self.method = method
        self.ip = ip
        self.user = user

REQUESTS = [Request(*r) for r in ${JSON.stringify(REQUESTS)}]
formatter = logging.Formatter(${JSON.stringify(FORMAT)})
ctx_request = ContextVar('request')
ctx_appname = ContextVar('appname')

class InjectingFilter(logging.Filter):
    def __init__(self, app):
        self.app = app

    def filter(self, record):
        request = ctx_request.get()
        record.method = request.method
        record.ip = request.ip
        record.user = request.user
        record.appName = appName = ctx_appname.get()
        return appName == self.app.name

class WebApp:
    def __init__(self, name):
        self.name = name
        handler = logging.FileHandler(name + '.log', 'w')
        f = InjectingFilter(self)
        handler.setFormatter(formatter)
        handler.addFilter(f)
        root.addHandler(handler)
        self.num_requests = 0

    async def process_request(self, request, pauses):
        ctx_request.set(request)
        ctx_appname.set(self.name)
        self.num_requests += 1
        logger.debug('Request processing started')
        await useful(pauses)
        logger.debug('Request processing finished')

async def main(picks):
    app1 = WebApp('app1')
    app2 = WebApp('app2')
    apps = [app1, app2]
    handler = logging.FileHandler('app.log', 'w')
    handler.setFormatter(formatter)
    root.addHandler(handler)
    await asyncio.gather(*(apps[a].process_request(REQUESTS[r], p) for a, r, p in picks))
    for app in apps:
        print('%s processed %s requests' % (app.name, app.num_requests))

asyncio.run(main(json.loads(sys.argv[1])))
logging.shutdown()
`;

function tmpdir() {
  const d = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-context-"));
  scratch.push(d);
  return d;
}

test("recipe 10: concurrent web apps, per-app logs chosen by a filter reading the context, are CPython's files byte for byte", async () => {
  const choices = picks(40);
  const pyDir = tmpdir();
  const py = spawnSync(pythonPath(), ["-c", RECIPE_PY, JSON.stringify(choices)], {
    cwd: pyDir,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  assert.equal(py.status, 0, py.stderr);

  const ourDir = tmpdir();
  logging.setStorage(new logging.NodeFileStorage(ourDir));
  const root = logging.getLogger();
  const savedLevel = root.level;
  for (const h of root.handlers) root.removeHandler(h);
  root.setLevel(logging.DEBUG);
  const formatter = new logging.Formatter(FORMAT);
  const added = [];

  // webapplib.js
  const liblogger = logging.getLogger("webapplib");
  async function useful(pauses) {
    liblogger.debug("Hello from webapplib!");
    for (let i = 0; i < pauses; i++) await tick();
  }

  // main.js: the context is the request's fields plus the app's name; the filter reads it.
  const logger = logging.getLogger("__main__");
  class WebApp {
    constructor(name) {
      this.name = name;
      const handler = new logging.FileHandler(`${name}.log`, "w");
      handler.setFormatter(formatter);
      handler.addFilter((record) => record.appName === this.name);
      root.addHandler(handler);
      added.push(handler);
      this.numRequests = 0;
    }

    processRequest([method, ip, user], pauses) {
      return logging.runWithContext({ appName: this.name }, () =>
        logging.runWithContext({ method, ip, user }, async () => {
          this.numRequests += 1;
          logger.debug("Request processing started");
          await useful(pauses);
          logger.debug("Request processing finished");
        }),
      );
    }
  }
  const apps = [new WebApp("app1"), new WebApp("app2")];
  const handler = new logging.FileHandler("app.log", "w");
  handler.setFormatter(formatter);
  root.addHandler(handler);
  added.push(handler);
  // Each request arrives in its own turn of the event loop, as each asyncio task starts in
  // its own step of the loop (gather schedules them in order).
  await Promise.all(choices.map(([a, r, p]) => tick().then(() => apps[a].processRequest(REQUESTS[r], p))));
  const out = apps.map((app) => `${app.name} processed ${app.numRequests} requests\n`).join("");
  for (const h of added) {
    root.removeHandler(h);
    h.close();
  }
  root.setLevel(savedLevel);

  assert.equal(out, py.stdout);
  assert.deepEqual(readdirSync(ourDir).sort(), ["app.log", "app1.log", "app2.log"]);
  for (const name of ["app.log", "app1.log", "app2.log"]) {
    const theirs = readFileSync(path.join(pyDir, name), "utf8");
    assert.equal(readFileSync(path.join(ourDir, name), "utf8"), theirs, name);
  }
  // The shape the recipe describes: three lines per request (started, webapplib, finished),
  // each app's log holding only its own, the common log all of them, interleaved.
  const app = readFileSync(path.join(ourDir, "app.log"), "utf8").split("\n").slice(0, -1);
  const app1 = readFileSync(path.join(ourDir, "app1.log"), "utf8").split("\n").slice(0, -1);
  assert.equal(app.length, 3 * choices.length);
  assert.ok(app1.length > 0 && app1.every((line) => line.startsWith("MainThread  app1 ")));
  assert.match(app.at(-1), /Request processing finished$/);
  const firstFinished = app.findIndex((line) => line.endsWith("Request processing finished"));
  assert.ok(firstFinished > 2, "requests interleave");
});

// ---- the browser builds: a synchronous stack, or AsyncContext.Variable ---------------

const CONTEXT = new URL("../src/context.js", import.meta.url).href;

test("without AsyncLocalStorage (browsers): a synchronous stack that holds until fn's first await", async () => {
  // A separate instance of the module, as the browser builds load it (no Node entry).
  const ctx = await import(`${CONTEXT}?sync`);
  assert.deepEqual(ctx.getContext(), {});
  const seen = [];
  const p = ctx.runWithContext({ id: 1 }, async () => {
    seen.push(ctx.getContext().id);
    ctx.runWithContext({ id: 2 }, () => seen.push(ctx.getContext().id));
    seen.push(ctx.getContext().id);
    await null;
    seen.push(ctx.getContext().id);
    // Carried over explicitly with getContext():
  });
  assert.deepEqual(ctx.getContext(), {});
  await p;
  assert.deepEqual(seen, [1, 2, 1, undefined]);
  const carried = ctx.runWithContext({ id: 3 }, () => ctx.getContext());
  assert.equal(ctx.runWithContext(carried, () => ctx.getContext().id), 3);
});

test("with TC39 AsyncContext (where the engine has it): the context lives in an AsyncContext.Variable", async () => {
  // A minimal Variable: what the module must call (run/get), recorded.
  const calls = [];
  class Variable {
    constructor(opts) {
      this.value = opts.defaultValue;
      calls.push(["new", opts.name]);
    }
    run(value, fn) {
      calls.push(["run", value]);
      const saved = this.value;
      this.value = value;
      try {
        return fn();
      } finally {
        this.value = saved;
      }
    }
    get() {
      return this.value;
    }
  }
  globalThis.AsyncContext = { Variable };
  try {
    const ctx = await import(`${CONTEXT}?asynccontext`);
    assert.equal(ctx.runWithContext({ a: 1 }, () => ctx.runWithContext({ b: 2 }, () => ctx.getContext())).b, 2);
    assert.deepEqual(calls, [["new", "wasm-logging context"], ["run", { a: 1 }], ["run", { a: 1, b: 2 }]]);
  } finally {
    delete globalThis.AsyncContext;
  }
});

test("the browser builds' module graph never imports node:async_hooks (only the Node entry does)", () => {
  const SRC = fileURLToPath(new URL("../src/", import.meta.url));
  const importsOf = (file) =>
    [
      ...readFileSync(file, "utf8").matchAll(
        /^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\brequire\("(node:[^"]+)"\)/gm,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
  function graph(entry) {
    const seen = new Set();
    const specs = new Set();
    const walk = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of importsOf(file)) {
        specs.add(s);
        if (s.startsWith("./") && s.endsWith(".js")) walk(path.join(path.dirname(file), s));
      }
    };
    walk(path.join(SRC, entry));
    return { files: seen, specs };
  }
  for (const entry of ["web.js", "bundler.js"]) {
    const { files, specs } = graph(entry);
    assert.ok(files.has(path.join(SRC, "context.js")), entry);
    assert.deepEqual([...specs].filter((s) => s.startsWith("node:")), [], entry);
  }
  assert.ok(graph("node.js").specs.has("node:async_hooks"));
});
