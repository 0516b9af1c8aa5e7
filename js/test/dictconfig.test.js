// dictConfig(config): the cookbook's configurations (the same JSON as tests/dict_config.rs)
// give what CPython 3.13's logging.config.dictConfig gives for the same calls, with the
// factories they name registered in JavaScript; refused configurations throw with a path and
// change nothing; the level methods' no-op swap follows what a configuration changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { logging, fixTime, pythonPath, NS, REPO } from "./helpers.js";

fixTime();

// ---- CPython -------------------------------------------------------------------------------

/** The factories the seeds name, on CPython's side (shared with the Rust suites). */
const FACTORIES = path.join(REPO, "tests/fixtures/dictconfig/seed_factories.py");

// The factories the seeds name (as in tests/dict_config.rs), sys.stdout / sys.stderr replaced
// by writers that tag each line with its stream, so the order across both streams is kept.
const PY_PRELUDE = `
import io, json, logging, logging.config, logging.handlers, sys, time, types, threading
NS = ${NS}
time.time_ns = lambda: NS
time.time = lambda: NS / 1e9
logging._startTime = NS
events = []
class Tagged:
    def __init__(self, name):
        self.name = name
        self.partial = ""
    def write(self, s):
        *lines, self.partial = (self.partial + s).split("\\n")
        for line in lines:
            events.append([self.name, line])
        return len(s)
    def flush(self):
        pass
real_stdout = sys.stdout
sys.stdout = Tagged("stdout")
sys.stderr = Tagged("stderr")

exec(compile(open(${JSON.stringify(FACTORIES)}).read(), ${JSON.stringify(FACTORIES)}, 'exec'))
`;

/**
 * Runs `before`, `dictConfig(json.loads(config))`, then `calls` under CPython (fixed clock,
 * UTC), then `logging.shutdown()`; returns `[stream, line]` pairs in
 * the order they were written.
 */
function pythonRun(config, calls, before = "") {
  const src = `${PY_PRELUDE}
${before}
logging.config.dictConfig(json.loads(${JSON.stringify(config)}))
${calls}
logging.shutdown()
real_stdout.write(json.dumps(events))
`;
  const r = spawnSync(pythonPath(), ["-c", src], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---- this package ----------------------------------------------------------------------------

/**
 * What this package wrote: `[stream, line]` for the process's stdout and stderr (as CPython's
 * tagged writers record them), `[console method, text]` for a `ConsoleHandler`, or
 * `[handler tag, text]` for JS handlers.
 */
let events = [];

class AdminEmailHandler extends logging.Handler {
  emit(record) {
    events.push(["email", `EMAIL: ${this.format(record)}`]);
  }
}

// CPython's `SpecialFilter` is a class; a registered class is constructed with `new`.
class SpecialFilter extends logging.Filter {
  constructor({ foo }) {
    super();
    this.foo = foo;
  }

  filter(record) {
    record.special = this.foo;
    return true;
  }
}

/** `str()` of a list of strings, as CPython prints it. */
const pyList = (items) => `[${items.map((s) => `'${s}'`).join(", ")}]`;

logging.registerFactory("__main__.filter_maker", ({ level }) => {
  const levelno = logging.getLevelName(level);
  return (record) => record.levelno <= levelno;
});
logging.registerFactory("project.logging.SpecialFilter", SpecialFilter);
logging.registerFactory("django.utils.log.AdminEmailHandler", () => new AdminEmailHandler());
logging.registerFactory("myapp.owned_file_handler", ({ filename, mode, owner }) => {
  assert.equal(mode, "w");
  const h = new logging.ConsoleHandler("stdout");
  h.setFormatter(new logging.Formatter(`OWNED[${filename}:${pyList(owner)}] %(message)s`));
  return h;
});

const CONSOLE_METHODS = ["debug", "info", "warn", "error", "log"];

/** A stream's `write` recording complete lines into `events` as `[name, line]`. */
function tagged(name) {
  let partial = "";
  return (text) => {
    const lines = (partial + String(text)).split("\n");
    partial = lines.pop();
    for (const line of lines) events.push([name, line]);
    return true;
  };
}

/**
 * Runs `fn` with the console methods and the standard streams recording into `events`;
 * returns what was recorded.
 */
function capture(fn) {
  events = [];
  const saved = CONSOLE_METHODS.map((n) => console[n]);
  for (const n of CONSOLE_METHODS) console[n] = (_fmt, text) => events.push([n, text]);
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = tagged("stdout");
  process.stderr.write = tagged("stderr");
  try {
    fn();
  } finally {
    CONSOLE_METHODS.forEach((n, i) => {
      console[n] = saved[i];
    });
    [process.stdout.write, process.stderr.write] = writes;
  }
  return events;
}

/** The root as a fresh process has it (each CPython run is one): WARNING, no handlers. */
function freshRoot() {
  const root = logging.getLogger();
  root.setLevel(logging.WARNING);
  for (const h of root.handlers) root.removeHandler(h);
}

/** `dictConfig(JSON.parse(config))`, the calls, then `shutdown()`, as `pythonRun` does. */
function run(config, calls) {
  freshRoot();
  return capture(() => {
    logging.dictConfig(JSON.parse(config));
    calls();
    logging.shutdown();
  });
}

const texts = (evs) => evs.map((e) => e[1]);
const sources = (evs) => evs.map((e) => e[0]);

/** Whether each level method of `l` is the shared no-op. */
const noops = (l) => ["debug", "info", "warning", "error", "exception", "critical"].map((m) => l[m].name === "noop");

// ---- the seeds (verbatim from tests/dict_config.rs) ----------------------------------------

// The seed configurations, shared with the native and Wasmtime suites.
const fixture = (name) =>
  readFileSync(new URL(`../../tests/fixtures/dictconfig/${name}`, import.meta.url), "utf8");

const RECIPE_5 = fixture("recipe_5_console.json");

const DJANGO = fixture("django.json");

const RECIPE_23 = fixture("recipe_23.json");

const MEMORY_TARGET = fixture("memory_target.json");

const QUEUE = fixture("queue_handler.json");

// ---- tests -------------------------------------------------------------------------------------

test("recipe 5: stdout gets INFO..WARNING through a JS filter_maker factory, stderr ERROR and up (as CPython)", () => {
  const py = pythonRun(
    RECIPE_5,
    "for f in (logging.debug, logging.info, logging.warning, logging.error, logging.critical):\n    f(f.__name__ + ' message')",
  );
  // Which handler emitted which record: a filter appended to each handler's chain sees only
  // what passed the handler's level and its configured filters.
  const emittedBy = { stdout: [], stderr: [] };
  const ours = run(RECIPE_5, () => {
    for (const name of ["stdout", "stderr"]) {
      logging.getHandlerByName(name).addFilter((r) => emittedBy[name].push(r.msg) > 0);
    }
    const root = logging.getLogger();
    root.debug("debug message");
    root.info("info message");
    root.warning("warning message");
    root.error("error message");
    root.critical("critical message");
  });
  assert.deepEqual(texts(ours), texts(py));
  assert.deepEqual(py, [
    ["stdout", "INFO     - info message"],
    ["stdout", "WARNING  - warning message"],
    ["stderr", "ERROR    - error message"],
    ["stderr", "CRITICAL - critical message"],
  ]);
  // ext://sys.stdout / ext://sys.stderr are the process's stdout and stderr in Node, whatever
  // the level: the split is CPython's, stream for stream.
  assert.deepEqual(sources(ours), sources(py));
  assert.deepEqual(sources(ours), ["stdout", "stdout", "stderr", "stderr"]);
  assert.deepEqual(emittedBy, {
    stdout: ["info message", "warning message"],
    stderr: ["error message", "critical message"],
  });
});

test("the Django example with SpecialFilter and AdminEmailHandler registered as JS factories (as CPython)", () => {
  const py = pythonRun(
    DJANGO,
    `
logging.getLogger('django').info('django info')
logging.getLogger('django').debug('django debug (dropped: WARNING from root)')
logging.getLogger('django.request').error('request failed %d', 500)
logging.getLogger('django.request').warning('dropped: below ERROR')
logging.getLogger('myproject.custom').info('custom info')
logging.getLogger('myproject.custom').error('custom error')
events.append(['names', json.dumps(sorted(logging.getHandlerNames()), separators=(',', ':'))])
`,
  );
  let mailAdmins;
  const ours = run(DJANGO, () => {
    logging.getLogger("django").info("django info");
    logging.getLogger("django").debug("django debug (dropped: WARNING from root)");
    logging.getLogger("django.request").error("request failed %d", 500);
    logging.getLogger("django.request").warning("dropped: below ERROR");
    logging.getLogger("myproject.custom").info("custom info");
    logging.getLogger("myproject.custom").error("custom error");
    events.push(["names", JSON.stringify(logging.getHandlerNames())]);
    mailAdmins = logging.getHandlerByName("mail_admins");
  });
  assert.deepEqual(texts(ours), texts(py));
  // The JS AdminEmailHandler tags its lines "email" (CPython's seed prints them to stdout);
  // the configured console handler writes stderr in both.
  assert.deepEqual(sources(ours), ["email", "stderr", "stderr", "email", "names"]);
  assert.deepEqual(sources(py), ["stdout", "stderr", "stderr", "stdout", "names"]);
  assert.ok(texts(py).includes("EMAIL: custom error"));
  // The handler a factory built comes back as the very object the factory returned.
  assert.ok(mailAdmins instanceof AdminEmailHandler);
  assert.equal(mailAdmins.name, "mail_admins");
  assert.equal(mailAdmins.level, logging.ERROR);
  assert.equal(logging.getHandlerByName("nope"), null);
});

test("recipe 23: a () handler factory receives its keyword arguments (as CPython)", () => {
  const py = pythonRun(RECIPE_23, "logging.getLogger('mylogger').debug('A debug message')");
  const ours = run(RECIPE_23, () => logging.getLogger("mylogger").debug("A debug message"));
  assert.deepEqual(texts(ours), texts(py));
  assert.equal(texts(py)[0], "OWNED[chowntest.log:['pulse', 'pulse']] A debug message");
  // The factory's handler is a ConsoleHandler (console.debug for DEBUG); the configured
  // StreamHandler writes the stream CPython's writes.
  assert.deepEqual(sources(ours), ["debug", sources(py)[1]]);
});

test("a MemoryHandler's target is another configured handler (as CPython)", () => {
  const py = pythonRun(
    MEMORY_TARGET,
    "a = logging.getLogger('app')\na.debug('one')\na.debug('two')\nprint('-- buffered --')\na.error('boom')\na.info('after')",
  );
  const ours = run(MEMORY_TARGET, () => {
    const a = logging.getLogger("app");
    a.debug("one");
    a.debug("two");
    events.push(["marker", "-- buffered --"]);
    a.error("boom");
    a.info("after");
  });
  assert.deepEqual(texts(ours), texts(py));
  assert.deepEqual(texts(ours), ["-- buffered --", "app:DEBUG:one", "app:DEBUG:two", "app:ERROR:boom", "app:INFO:after"]);
});

test("the QueueHandler configuration: handlers and respect_handler_level, drained by pump() (as CPython)", () => {
  const py = pythonRun(
    QUEUE,
    "qh = logging.getHandlerByName('qh')\nqh.listener.start()\nlogging.debug('not for console')\nlogging.info('queued %s', 'info')\nlogging.warning('queued warning')\nqh.listener.stop()",
  );
  let queuedOnly;
  let pumped;
  const ours = run(QUEUE, () => {
    const qh = logging.getHandlerByName("qh");
    assert.equal(logging.getHandlerByName("console").listener, null);
    qh.listener.start();
    const root = logging.getLogger();
    root.debug("not for console");
    root.info("queued %s", "info");
    root.warning("queued warning");
    // The caller only enqueued: nothing reached the console yet.
    queuedOnly = events.length === 0;
    pumped = logging.pump();
    qh.listener.stop();
    assert.equal(logging.pump(), 0);
  });
  assert.ok(queuedOnly);
  assert.equal(pumped, 3);
  assert.deepEqual(texts(ours), texts(py));
  assert.deepEqual(texts(ours), ["MainThread root INFO queued info", "MainThread root WARNING queued warning"]);
});

test("disable_existing_loggers: disabled loggers get the no-op for every level; children of named ones are reset (as CPython)", () => {
  const config = String.raw`{"version": 1,
            "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
            "loggers": {"dx.kept": {"level": "INFO", "handlers": ["h"]}}}`;
  const before =
    "logging.getLogger().setLevel(logging.DEBUG)\nold = logging.getLogger('dx.old')\nchild = logging.getLogger('dx.kept.child')\nchild.setLevel(logging.ERROR)";
  const py = pythonRun(
    config,
    "child.info('child info')\nold.critical('disabled')\nevents.append(['state', json.dumps([old.disabled, child.disabled, child.level], separators=(',', ':'))])",
    before,
  );
  freshRoot();
  logging.getLogger().setLevel(logging.DEBUG);
  const old = logging.getLogger("dx.old");
  const child = logging.getLogger("dx.kept.child");
  child.setLevel(logging.ERROR);
  assert.deepEqual(noops(old), [false, false, false, false, false, false]);
  const ours = capture(() => {
    logging.dictConfig(JSON.parse(config));
    child.info("child info");
    old.critical("disabled");
    events.push(["state", JSON.stringify([old.disabled, child.disabled, child.level])]);
  });
  assert.deepEqual(texts(ours), texts(py));
  assert.deepEqual(noops(old), [true, true, true, true, true, true]);
  assert.equal(old.isEnabledFor(logging.CRITICAL), false);
  assert.deepEqual(noops(child), [true, false, false, false, false, false]);
  // A later configuration naming the logger enables it again, and its methods follow.
  logging.dictConfig({ version: 1, disable_existing_loggers: false, loggers: { "dx.old": { level: "WARNING" } } });
  assert.equal(old.disabled, false);
  assert.deepEqual(noops(old), [true, true, false, false, false, false]);
  logging.dictConfig({ version: 1, incremental: true, loggers: { "dx.old": { level: "DEBUG" } } });
  assert.deepEqual(noops(old), [false, false, false, false, false, false]);
});

// Verbatim from tests/dict_config.rs: (JSON, expected path, part of the message).
const INVALID = [
  [String.raw`[]`, "", "the configuration: expected an object, got []"],
  [String.raw`{}`, "version", "dictionary doesn't specify a version"],
  [String.raw`{"version": 2}`, "version", "Unsupported version: 2"],
  [String.raw`{"version": 1, "disable_existing_loggers": 0}`, "disable_existing_loggers", "expected a boolean, got 0"],
  [String.raw`{"version": 1, "formatters": {"f": {"format": "%(x)z"}}}`, "formatters.f.format", "Invalid format '%(x)z' for '%' style"],
  [String.raw`{"version": 1, "formatters": {"f": {"()": "logging.Formatter", "fromat": "%(message)s"}}}`, "formatters.f.fromat", "unexpected keyword argument 'fromat'"],
  [String.raw`{"version": 1, "filters": {"x": {"()": "no.such.factory"}}}`, "filters.x.()", "Cannot resolve 'no.such.factory'"],
  [String.raw`{"version": 1, "handlers": {"h": {}}}`, "handlers.h.class", "a handler needs 'class' or '()'"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.handlers.SMTPHandler", "mailhost": "x", "fromaddr": "a", "toaddrs": [], "subject": "s"}}}`, "handlers.h.class", "'logging.handlers.SMTPHandler' has no equivalent in wasm-logging yet"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "level": "LOUD"}}}`, "handlers.h.level", "Unable to configure handler 'h': level: Unknown level: 'LOUD'"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "nope"}}}`, "handlers.h.formatter", "Unable to set formatter 'nope'"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stdin"}}}`, "handlers.h.stream", 'expected "ext://sys.stdout" or "ext://sys.stderr"'],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "colour": "red"}}}`, "handlers.h.colour", "StreamHandler() got an unexpected keyword argument 'colour'"],
  [String.raw`{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler"}}}`, "handlers.m.capacity", "missing required argument 'capacity'"],
  [String.raw`{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": "abc"}}}`, "handlers.m.capacity", "Unable to configure handler 'm': capacity: expected an integer, got \"abc\""],
  [String.raw`{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "nope"}}}`, "handlers.m.target", "Unable to set target handler 'nope'"],
  [String.raw`{"version": 1, "handlers": {"a": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "b"}, "b": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "a"}}}`, "handlers.a", "form a cycle"],
  [String.raw`{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "handlers": ["missing"]}}}`, "handlers.q.handlers", "Unable to set required handler 'missing'"],
  [String.raw`{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler", "listener": "my.Listener"}}}`, "handlers.q.listener", 'Invalid listener specifier "my.Listener"'],
  [String.raw`{"version": 1, "loggers": {"a": {"level": "LOUD"}}}`, "loggers.a.level", "Unable to configure logger 'a': level: Unknown level: 'LOUD'"],
  [String.raw`{"version": 1, "loggers": {"a": {"handlers": ["nope"]}}}`, "loggers.a.handlers[0]", "Unable to add handler 'nope'"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "level": "cfg://levels[3]"}}, "levels": ["INFO"]}`, "handlers.h.level", "index 3 out of range"],
  [String.raw`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}}, "formatters": {"f": {"format": "%(message)s"}}, "loggers": {"x": {"handlers": ["h", "zz"]}}}`, "loggers.x.handlers[1]", "Unable to add handler 'zz'"],
];

const GOOD = String.raw`{"version": 1,
            "formatters": {"f": {"format": "%(name)s %(levelname)s %(message)s"}},
            "handlers": {"out": {"class": "logging.StreamHandler", "formatter": "f", "stream": "ext://sys.stdout"}},
            "loggers": {"app": {"level": "INFO", "handlers": ["out"], "propagate": false}},
            "root": {"level": "ERROR"}}`;

/** Logs through the running configuration and reads back everything a refusal must keep. */
function probe() {
  const app = logging.getLogger("app");
  const other = logging.getLogger("other");
  const out = capture(() => {
    app.info("probe %d", 1);
    app.debug("hidden");
    other.warning("dropped: the root is at ERROR");
    other.error("to lastResort: the root has no handler");
  });
  return {
    out,
    names: logging.getHandlerNames(),
    levels: [logging.getLogger().level, app.level, app.propagate, app.handlers.length],
    noops: [noops(app), noops(other)],
  };
}

test(`${INVALID.length} invalid configurations throw an Error with the path and change nothing`, () => {
  const goodPy = pythonRun(
    GOOD,
    "logging.getLogger('app').info('probe %d', 1)\nlogging.getLogger('app').debug('hidden')\nlogging.getLogger('other').warning('dropped: the root is at ERROR')\nlogging.getLogger('other').error('to lastResort: the root has no handler')",
  );
  logging.dictConfig(JSON.parse(GOOD));
  const before = probe();
  assert.deepEqual(texts(before.out), texts(goodPy));
  assert.deepEqual(before.names, ["out"]);
  for (const [json, path, message] of INVALID) {
    let thrown;
    try {
      logging.dictConfig(JSON.parse(json));
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof Error, `accepted an invalid configuration: ${json}`);
    assert.equal(thrown.name, "ValueError", json);
    assert.equal(thrown.path, path, `path for ${json}: ${thrown.message}`);
    assert.ok(thrown.message.includes(message), `message for ${json}:\n  got:  ${thrown.message}\n  want: …${message}…`);
    assert.deepEqual(probe(), before, `${json} changed the running configuration`);
  }
  assert.ok(INVALID.length >= 10);
});

test("a factory's exception is the error's message; a wrong product and an unregistered name are refused", () => {
  logging.dictConfig(JSON.parse(GOOD));
  const before = probe();
  const attempt = (config) => {
    try {
      logging.dictConfig(config);
    } catch (e) {
      return [e.path, e.message];
    }
    return null;
  };
  logging.registerFactory("test.boom", () => {
    throw new RangeError("no such mailbox");
  });
  assert.deepEqual(attempt({ version: 1, handlers: { h: { class: "test.boom" } } }), [
    "handlers.h",
    "Unable to configure handler 'h': no such mailbox",
  ]);
  assert.deepEqual(attempt({ version: 1, filters: { f: { "()": "test.boom" } } }), [
    "filters.f",
    "Unable to configure filter 'f': no such mailbox",
  ]);
  logging.registerFactory("test.number", () => 42);
  assert.deepEqual(attempt({ version: 1, handlers: { h: { "()": "test.number" } } }), [
    "handlers.h",
    "Unable to configure handler 'h': factory 'test.number' returned number, not a Handler",
  ]);
  assert.deepEqual(attempt({ version: 1, formatters: { f: { "()": "test.number" } } }), [
    "formatters.f",
    "Unable to configure formatter 'f': factory 'test.number' returned number, not a formatter (a Formatter or an object with format())",
  ]);
  logging.unregisterFactory("test.boom");
  const [path, message] = attempt({ version: 1, handlers: { h: { class: "test.boom" } } });
  assert.equal(path, "handlers.h.class");
  assert.match(message, /Cannot resolve 'test.boom'/);
  assert.deepEqual(probe(), before);
  assert.throws(() => logging.registerFactory("x", "not a function"), TypeError);
});

test("factories build formatters and filters from their kwargs; JS values in the configuration reach them as themselves", () => {
  const seen = [];
  const marker = new (class Mailbox {})();
  logging.registerFactory("test.fmt", ({ prefix }) => new logging.Formatter(`${prefix} %(levelname)s %(message)s`));
  logging.registerFactory("test.jsonfmt", () => ({ format: (r) => JSON.stringify([r.levelname, r.message]) }));
  logging.registerFactory("test.filter", (kwargs) => {
    seen.push(kwargs);
    return { filter: (r) => r.msg !== kwargs.drop };
  });
  const ours = capture(() => {
    logging.dictConfig({
      version: 1,
      formatters: { p: { "()": "test.fmt", prefix: ">>" }, j: { "()": "test.jsonfmt" } },
      filters: { no_b: { "()": "test.filter", drop: "b", opaque: marker, nested: { list: [1, true, null] } } },
      handlers: {
        a: { class: "logging.StreamHandler", formatter: "p", filters: ["no_b"], stream: "ext://sys.stdout" },
        b: { class: "logging.StreamHandler", formatter: "j" },
      },
      loggers: { kw: { level: "INFO", handlers: ["a", "b"], propagate: false } },
    });
    const l = logging.getLogger("kw");
    l.info("a");
    l.info("b");
    l.debug("c");
  });
  assert.deepEqual(ours, [
    ["stdout", ">> INFO a"],
    ["stderr", '["INFO","a"]'],
    ["stderr", '["INFO","b"]'],
  ]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].opaque, marker);
  assert.deepEqual(seen[0].nested, { list: [1, true, null] });
  assert.deepEqual(Object.keys(seen[0]), ["drop", "opaque", "nested"]);
});
