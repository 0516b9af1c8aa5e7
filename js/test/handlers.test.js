// MemoryHandler (the cookbook's "buffer debug output, emit it only when an error occurs"),
// NullHandler, handler levels and names, flush() and shutdown(), against CPython.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python } from "./helpers.js";

fixTime();

test("MemoryHandler buffers until a record at flushLevel, then hands the batch to its target", () => {
  const target = collector(new logging.Formatter("%(levelname)s %(message)s"));
  const mem = new logging.MemoryHandler(10, logging.ERROR, target.handler);
  const l = logging.getLogger("m1");
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(mem);
  l.debug("step %d", 1);
  l.info("step %d", 2);
  assert.equal(mem.buffered, 2);
  assert.deepEqual(target.lines, []);
  l.error("failed");
  assert.equal(mem.buffered, 0);
  for (let i = 0; i < 12; i++) l.debug("fill %d", i);
  const want = python(`
from logging.handlers import MemoryHandler
target = collector(logging.Formatter("%(levelname)s %(message)s"))
mem = MemoryHandler(10, logging.ERROR, target)
l = logging.getLogger("m1"); l.propagate = False; l.setLevel(logging.DEBUG); l.addHandler(mem)
l.debug("step %d", 1)
l.info("step %d", 2)
l.error("failed")
for i in range(12):
    l.debug("fill %d", i)
`);
  assert.deepEqual(target.lines, want);
  assert.equal(mem.buffered, 2);
  assert.equal(mem.target, target.handler);
});

test("MemoryHandler without a target keeps its records; setTarget then flush delivers them", () => {
  const target = collector();
  const mem = new logging.MemoryHandler(100);
  const l = logging.getLogger("m2");
  l.propagate = false;
  l.addHandler(mem);
  l.error("kept 1");
  l.error("kept 2");
  assert.equal(mem.buffered, 2);
  mem.setTarget(target.handler);
  mem.flush();
  assert.deepEqual(target.lines, ["kept 1", "kept 2"]);
});

test("shutdown() flushes buffered records (flushOnClose) and flush() flushes without closing", () => {
  const target = collector();
  const mem = new logging.MemoryHandler(100, logging.CRITICAL, target.handler);
  const l = logging.getLogger("m3");
  l.propagate = false;
  l.addHandler(mem);
  l.warning("pending");
  logging.flush();
  assert.deepEqual(target.lines, ["pending"]);
  l.warning("pending again");
  logging.shutdown();
  assert.deepEqual(target.lines, ["pending", "pending again"]);
  l.removeHandler(mem);
});

test("NullHandler swallows records and keeps lastResort away", () => {
  const l = logging.getLogger("m4");
  l.propagate = false;
  l.addHandler(new logging.NullHandler());
  const saved = [console.warn, console.error];
  const seen = [];
  console.warn = console.error = (...a) => seen.push(a);
  try {
    l.critical("nowhere");
  } finally {
    [console.warn, console.error] = saved;
  }
  assert.deepEqual(seen, []);
});

test("handler names, levels by name, and errors in setLevel reported not thrown", () => {
  const h = new logging.CallbackHandler(() => {});
  assert.equal(h.name, null);
  h.name = "sink";
  assert.equal(h.name, "sink");
  h.setLevel("WARNING");
  assert.equal(h.level, logging.WARNING);
  const before = logging.errorCount();
  const saved = console.error;
  console.error = () => {};
  try {
    h.setLevel("LOUD");
    h.setLevel({});
  } finally {
    console.error = saved;
  }
  assert.equal(h.level, logging.WARNING);
  assert.equal(logging.errorCount(), before + 2);
  assert.throws(() => new logging.CallbackHandler("not a function"), TypeError);
  assert.throws(() => new logging.MemoryHandler(-1), TypeError);
});

test("addLevelName / getLevelName / getLevelNamesMapping follow CPython", () => {
  logging.addLevelName(25, "NOTICE");
  const js = [
    logging.getLevelName(25),
    logging.getLevelName("NOTICE"),
    logging.getLevelName(logging.WARNING),
    logging.getLevelName("WARN"),
    logging.getLevelName(33),
    logging.getLevelName("LOUD"),
    logging.getLevelNamesMapping().NOTICE,
  ].map(String);
  const want = python(`
logging.addLevelName(25, "NOTICE")
out.extend(str(x) for x in [
    logging.getLevelName(25), logging.getLevelName("NOTICE"), logging.getLevelName(logging.WARNING),
    logging.getLevelName("WARN"), logging.getLevelName(33), logging.getLevelName("LOUD"),
    logging.getLevelNamesMapping()["NOTICE"]])
`);
  assert.deepEqual(js, want);
});
