// The disabled path: a level below the effective level is a shared no-op that never enters
// Wasm, and every change that can move effective levels re-syncs the methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector } from "./helpers.js";

fixTime();
const METHODS = ["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"];
const LEVELS = { debug: 10, info: 20, warning: 30, warn: 30, error: 40, exception: 40, critical: 50, fatal: 50 };

/** Counts calls that cross into Wasm for logger `l` while `fn` runs. */
function crossings(l, fn) {
  let n = 0;
  // Every entry point of a log call into Wasm.
  const entries = ["log", "logShared", "logFull"];
  for (const e of entries) l._raw[e] = () => n++;
  try {
    fn();
  } finally {
    for (const e of entries) delete l._raw[e];
  }
  return n;
}

function enabledMethods(l) {
  return METHODS.filter((m) => l[m].name !== "noop");
}

test("disabled level methods are one shared no-op; enabled ones cross once", () => {
  const a = logging.getLogger("d1.a");
  const b = logging.getLogger("d1.b");
  logging.getLogger("d1").setLevel(logging.WARNING);
  assert.equal(a.debug, b.debug);
  assert.equal(a.debug, a.info);
  assert.equal(a.debug.name, "noop");
  assert.notEqual(a.warning, a.debug);
  assert.equal(a.warning.name, "bound warningOn");
  assert.equal(a.warn, a.warning);
  assert.equal(a.fatal, a.critical);
  assert.equal(crossings(a, () => {
    for (let i = 0; i < 100; i++) {
      a.debug("x %s", i);
      a.info("y");
    }
  }), 0);
  assert.equal(crossings(a, () => a.warning("z")), 1);
});

test("setLevel on an ancestor re-syncs every descendant's methods", () => {
  const top = logging.getLogger("d2");
  const leaf = logging.getLogger("d2.x.y");
  top.setLevel(logging.ERROR);
  assert.equal(leaf.info.name, "noop");
  top.setLevel(logging.DEBUG);
  assert.notEqual(leaf.info.name, "noop");
  assert.notEqual(leaf.debug.name, "noop");
  logging.getLogger("d2.x").setLevel(logging.CRITICAL);
  for (const m of METHODS) assert.equal(leaf[m].name === "noop", LEVELS[m] < logging.CRITICAL, m);
  logging.getLogger("d2.x").setLevel(logging.NOTSET);
  assert.notEqual(leaf.debug.name, "noop");
});

test("a logger created after the levels were set starts in sync", () => {
  logging.getLogger("d3").setLevel(logging.ERROR);
  const late = logging.getLogger("d3.late.child");
  assert.equal(late.warning.name, "noop");
  assert.notEqual(late.error.name, "noop");
});

test("disable(level) silences everything at or below it, everywhere, and re-syncs back", () => {
  const l = logging.getLogger("d4");
  l.setLevel(logging.DEBUG);
  const col = collector();
  l.propagate = false;
  l.addHandler(col.handler);
  logging.disable(logging.WARNING);
  assert.equal(l.warning.name, "noop");
  assert.notEqual(l.error.name, "noop");
  assert.equal(l.isEnabledFor(logging.WARNING), false);
  assert.equal(crossings(l, () => l.warning("no")), 0);
  l.log(logging.WARNING, "no either");
  l.error("yes");
  logging.disable(logging.NOTSET);
  assert.notEqual(l.debug.name, "noop");
  l.debug("back");
  logging.disable();
  assert.equal(l.critical.name, "noop");
  logging.disable(logging.NOTSET);
  assert.deepEqual(col.lines, ["yes", "back"]);
});

test("logger.disabled swaps every method to the no-op and back", () => {
  const l = logging.getLogger("d5");
  l.setLevel(logging.DEBUG);
  l.disabled = true;
  for (const m of METHODS) assert.equal(l[m].name, "noop", m);
  assert.equal(l.isEnabledFor(logging.CRITICAL), false);
  l.disabled = false;
  for (const m of METHODS) assert.notEqual(l[m].name, "noop", m);
});

test("basicConfig's level re-syncs the loggers that inherit it", () => {
  const l = logging.getLogger("d6.inherits");
  logging.basicConfig({ level: "ERROR", handlers: [new logging.NullHandler()], force: true });
  assert.equal(l.warning.name, "noop");
  logging.basicConfig({ level: logging.DEBUG, handlers: [new logging.NullHandler()], force: true });
  assert.notEqual(l.debug.name, "noop");
  logging.getLogger().setLevel(logging.WARNING);
  assert.equal(l.debug.name, "noop");
});

test("log(level) checks the cached threshold in JS; a non-integer level is reported", () => {
  const l = logging.getLogger("d7");
  l.setLevel(logging.INFO);
  assert.equal(crossings(l, () => l.log(15, "below")), 0);
  assert.equal(crossings(l, () => l.log(25, "above")), 1);
  const before = logging.errorCount();
  const saved = console.error;
  console.error = () => {};
  try {
    l.log("INFO", "a string level");
    l.log(20.5, "a fraction");
  } finally {
    console.error = saved;
  }
  assert.equal(logging.errorCount(), before + 2);
});

test("a CRITICAL logger has exactly critical and fatal enabled", () => {
  const l = logging.getLogger("d8");
  l.setLevel(logging.CRITICAL);
  assert.deepEqual(enabledMethods(l), ["critical", "fatal"]);
});

test("detached level methods work (as Python's bound methods do) and never throw", () => {
  const l = logging.getLogger("d9");
  l.setLevel(logging.INFO);
  const col = collector();
  l.propagate = false;
  l.addHandler(col.handler);
  const { info, debug, log } = l;
  info("detached %s", "info");
  debug("detached debug");
  log(logging.ERROR, "detached log");
  const later = l.warning;
  later("a");
  later("b");
  const a = new logging.LoggerAdapter(l, {});
  const { error } = a;
  error("adapter %s", "detached");
  assert.deepEqual(col.lines, ["detached info", "detached log", "a", "b", "adapter detached"]);
});
