// BufferingHandler (shouldFlush / flush overridable, called by shutdown() as in CPython) and
// a MemoryHandler whose buffer can be discarded: recipe 28's "log only if errors occur",
// run in child processes on both sides with stderr compared byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { logging, fixTime, collector, python, pythonPath, NS } from "./helpers.js";

fixTime();

const ENTRY = new URL("../src/node.js", import.meta.url).href;

test("a BufferingHandler subclass flushes its batches when full, as CPython's does", () => {
  const batches = [];
  class Batcher extends logging.BufferingHandler {
    flush() {
      if (this.buffer.length) batches.push(this.buffer.map((r) => this.format(r)).join(" + "));
      super.flush();
    }
  }
  const h = new Batcher(3);
  h.setFormatter(new logging.Formatter("%(levelname)s:%(message)s"));
  const l = logging.getLogger("buf1");
  l.propagate = false;
  l.addHandler(h);
  for (let i = 0; i < 7; i++) l.warning("n%d", i);
  assert.equal(h.buffer.length, 1);
  h.close();
  const want = python(`
import logging.handlers
class Batcher(logging.handlers.BufferingHandler):
    def flush(self):
        if self.buffer:
            out.append(" + ".join(self.format(r) for r in self.buffer))
        super().flush()
h = Batcher(3)
h.setFormatter(logging.Formatter("%(levelname)s:%(message)s"))
l = logging.getLogger("buf1")
l.propagate = False
l.addHandler(h)
for i in range(7):
    l.warning("n%d", i)
h.close()
`);
  assert.deepEqual(batches, want);
  assert.deepEqual(batches, ["WARNING:n0 + WARNING:n1 + WARNING:n2", "WARNING:n3 + WARNING:n4 + WARNING:n5", "WARNING:n6"]);
  assert.ok(h instanceof logging.Handler);
  assert.ok(new logging.MemoryHandler(1) instanceof logging.BufferingHandler);
});

test("shouldFlush can be overridden (flush on ERROR); the base shouldFlush is 'the buffer is full'", () => {
  const flushed = [];
  class OnError extends logging.BufferingHandler {
    shouldFlush(record) {
      return record.levelno >= logging.ERROR || super.shouldFlush(record);
    }

    flush() {
      flushed.push(this.buffer.map((r) => r.msg));
      super.flush();
    }
  }
  const h = new OnError(100);
  const l = logging.getLogger("buf2");
  l.propagate = false;
  l.addHandler(h);
  l.warning("a");
  l.warning("b");
  l.error("c");
  l.warning("d");
  assert.deepEqual(flushed, [["a", "b", "c"]]);
  assert.deepEqual(h.buffer.map((r) => r.msg), ["d"]);
});

/** Runs `code` with the package in a fresh Node process (clock fixed); returns its output. */
function node(code) {
  const script = `import * as logging from ${JSON.stringify(ENTRY)};
logging.setFixedTime(${NS}n, { utcOffset: 0, zone: "UTC" });
${code}`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

function cpython(code) {
  return spawnSync(pythonPath(), ["-c", `import logging, sys, time\ntime.time_ns = lambda: ${NS}\n${code}`], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
}

test("shutdown() flushes and closes handler subclasses (flushOnClose = false: closes only), as CPython's shutdown", () => {
  const ours = node(`
class Shout extends logging.BufferingHandler {
  constructor(name, capacity) { super(capacity); this.label = name; }
  flush() { process.stdout.write(this.label + " flush " + this.buffer.length + "\\n"); super.flush(); }
  close() { process.stdout.write(this.label + " close\\n"); super.close(); }
}
const a = new Shout("a", 10);
const b = new Shout("b", 10);
b.flushOnClose = false;
const l = logging.getLogger("s");
l.addHandler(a);
l.addHandler(b);
l.warning("one");
l.warning("two");
logging.shutdown();
`);
  const theirs = cpython(`
import logging.handlers
class Shout(logging.handlers.BufferingHandler):
    def __init__(self, name, capacity):
        super().__init__(capacity)
        self.label = name
    def flush(self):
        sys.stdout.write("%s flush %d\\n" % (self.label, len(self.buffer)))
        super().flush()
    def close(self):
        sys.stdout.write("%s close\\n" % self.label)
        super().close()
a = Shout("a", 10)
b = Shout("b", 10)
b.flushOnClose = False
l = logging.getLogger("s")
l.addHandler(a)
l.addHandler(b)
l.warning("one")
l.warning("two")
logging.shutdown()
`);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, theirs.stdout);
  // The handlers most recently added first; BufferingHandler.close() flushes; and shutdown()
  // runs once more at exit (CPython's atexit, Node's exit event).
  const pass = (n) => `b close\nb flush ${n}\na flush ${n}\na close\na flush 0\n`;
  assert.equal(ours.stdout, pass(2) + pass(0));
});

// The cookbook's recipe 28, verbatim on CPython's side; in JavaScript the decorator is a
// wrapper function and `super(MemoryHandler, handler).flush()` is
// `BufferingHandler.prototype.flush.call(handler)` (or `handler.clear()`).
const RECIPE_28_PY = `
from logging.handlers import MemoryHandler
logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())
def log_if_errors(logger, target_handler=None, flush_level=None, capacity=None):
    if target_handler is None:
        target_handler = logging.StreamHandler()
    if flush_level is None:
        flush_level = logging.ERROR
    if capacity is None:
        capacity = 100
    handler = MemoryHandler(capacity, flushLevel=flush_level, target=target_handler)
    def decorator(fn):
        def wrapper(*args, **kwargs):
            logger.addHandler(handler)
            try:
                return fn(*args, **kwargs)
            except Exception:
                logger.exception('call failed')
                raise
            finally:
                super(MemoryHandler, handler).flush()
                logger.removeHandler(handler)
        return wrapper
    return decorator
def write_line(s):
    sys.stderr.write('%s\\n' % s)
def foo(fail=False):
    write_line('about to log at DEBUG ...')
    logger.debug('Actually logged at DEBUG')
    write_line('about to log at INFO ...')
    logger.info('Actually logged at INFO')
    write_line('about to log at WARNING ...')
    logger.warning('Actually logged at WARNING')
    if fail:
        write_line('about to log at ERROR ...')
        logger.error('Actually logged at ERROR')
        write_line('about to log at CRITICAL ...')
        logger.critical('Actually logged at CRITICAL')
    return fail
decorated_foo = log_if_errors(logger)(foo)
logger.setLevel(logging.DEBUG)
write_line('Calling undecorated foo with False')
assert not foo(False)
write_line('Calling undecorated foo with True')
assert foo(True)
write_line('Calling decorated foo with False')
assert not decorated_foo(False)
write_line('Calling decorated foo with True')
assert decorated_foo(True)
`;

const RECIPE_28_JS = `
const { MemoryHandler, BufferingHandler } = logging;
const logger = logging.getLogger("__main__");
logger.addHandler(new logging.NullHandler());
function logIfErrors(logger, targetHandler = null, flushLevel = null, capacity = null, discard) {
  targetHandler ??= new logging.StreamHandler();
  flushLevel ??= logging.ERROR;
  capacity ??= 100;
  const handler = new MemoryHandler(capacity, flushLevel, targetHandler);
  return (fn) => (...args) => {
    logger.addHandler(handler);
    try {
      return fn(...args);
    } catch (e) {
      logger.exception("call failed", e);
      throw e;
    } finally {
      discard(handler);
      logger.removeHandler(handler);
    }
  };
}
const writeLine = (s) => process.stderr.write(s + "\\n");
function foo(fail = false) {
  writeLine("about to log at DEBUG ...");
  logger.debug("Actually logged at DEBUG");
  writeLine("about to log at INFO ...");
  logger.info("Actually logged at INFO");
  writeLine("about to log at WARNING ...");
  logger.warning("Actually logged at WARNING");
  if (fail) {
    writeLine("about to log at ERROR ...");
    logger.error("Actually logged at ERROR");
    writeLine("about to log at CRITICAL ...");
    logger.critical("Actually logged at CRITICAL");
  }
  return fail;
}
const decoratedFoo = logIfErrors(logger, null, null, null, DISCARD)(foo);
logger.setLevel(logging.DEBUG);
writeLine("Calling undecorated foo with False");
if (foo(false)) throw new Error("assert");
writeLine("Calling undecorated foo with True");
if (!foo(true)) throw new Error("assert");
writeLine("Calling decorated foo with False");
if (decoratedFoo(false)) throw new Error("assert");
writeLine("Calling decorated foo with True");
if (!decoratedFoo(true)) throw new Error("assert");
`;

test("recipe 28: buffered debug output appears only when an error follows; the rest is discarded (as CPython)", () => {
  const theirs = cpython(RECIPE_28_PY);
  assert.equal(theirs.status, 0, theirs.stderr);
  for (const discard of ["(h) => BufferingHandler.prototype.flush.call(h)", "(h) => h.clear()"]) {
    const ours = node(RECIPE_28_JS.replace("DISCARD", discard));
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stderr, theirs.stderr, discard);
    assert.equal(ours.stdout, theirs.stdout);
  }
  assert.match(theirs.stderr, /Calling decorated foo with True\nabout to log at DEBUG \.\.\.\nabout to log at INFO \.\.\.\nabout to log at WARNING \.\.\.\nabout to log at ERROR \.\.\.\nActually logged at DEBUG\nActually logged at INFO\nActually logged at WARNING\nActually logged at ERROR\n/);
});

test("MemoryHandler.clear() drops what is buffered and says how many; flush() still reaches the target", () => {
  const col = collector(new logging.Formatter("%(message)s"));
  const m = new logging.MemoryHandler(10, logging.ERROR, col.handler);
  const l = logging.getLogger("buf5");
  l.propagate = false;
  l.addHandler(m);
  l.warning("dropped 1");
  l.warning("dropped 2");
  assert.equal(m.buffered, 2);
  assert.equal(m.clear(), 2);
  assert.equal(m.buffered, 0);
  l.warning("kept");
  assert.equal(m.shouldFlush({ levelno: logging.ERROR }), true);
  assert.equal(m.shouldFlush({ levelno: logging.WARNING }), false);
  m.flush();
  assert.deepEqual(col.lines, ["kept"]);
  assert.equal(m.flushLevel, logging.ERROR);
});
