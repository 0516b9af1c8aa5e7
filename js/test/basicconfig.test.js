// basicConfig(options): level, format, datefmt, style, handlers, force, stream → the
// process's stderr / stdout in Node, whatever the level;
// a no-op when the root already has handlers (unless force); bad options throw, as CPython's
// raise, and change nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole } from "./helpers.js";

fixTime();

test("handlers get the format, style and datefmt; the root gets the level (as CPython)", () => {
  const a = collector();
  const b = collector(new logging.Formatter("own: %(message)s"));
  logging.basicConfig({
    level: "INFO",
    format: "{levelname}|{name}|{asctime}|{message}",
    datefmt: "%H:%M",
    style: "{",
    handlers: [a.handler, b.handler],
    force: true,
  });
  const l = logging.getLogger("b1");
  l.debug("hidden");
  l.info("shown %s", "x");
  const want = python(`
la, lb = [], []
a = collector(None, la)
b = collector(logging.Formatter("own: %(message)s"), lb)
logging.basicConfig(level="INFO", format="{levelname}|{name}|{asctime}|{message}", datefmt="%H:%M", style="{", handlers=[a, b], force=True)
l = logging.getLogger("b1")
l.debug("hidden")
l.info("shown %s", "x")
out.extend(la + lb)
`);
  assert.deepEqual([...a.lines, ...b.lines], want);
  assert.equal(logging.getLogger().level, logging.INFO);
  assert.deepEqual(logging.getLogger().handlers, [a.handler, b.handler]);
});

test("without force, a configured root is left alone; force closes and replaces its handlers", () => {
  const first = collector();
  logging.basicConfig({ handlers: [first.handler], force: true, level: logging.WARNING });
  const second = collector();
  logging.basicConfig({ handlers: [second.handler], level: logging.DEBUG });
  assert.deepEqual(logging.getLogger().handlers, [first.handler]);
  assert.equal(logging.getLogger().level, logging.WARNING);
  logging.basicConfig({ handlers: [second.handler], force: true });
  assert.deepEqual(logging.getLogger().handlers, [second.handler]);
});

test("the default: a stream handler on stderr with BASIC_FORMAT; stream stdout is stdout whatever the level", () => {
  const root = logging.getLogger();
  for (const h of root.handlers) root.removeHandler(h);
  const calls = captureConsole(() => {
    logging.basicConfig({ level: logging.INFO });
    logging.getLogger("b3").info("hello %s", "world");
    logging.getLogger("b3").critical("and %s", "more");
  });
  assert.deepEqual(calls, [
    ["stderr", "INFO:b3:hello world\n"],
    ["stderr", "CRITICAL:b3:and more\n"],
  ]);
  assert.equal(root.handlers.length, 1);
  assert.ok(root.handlers[0] instanceof logging.Handler);
  assert.equal(logging.BASIC_FORMAT, "%(levelname)s:%(name)s:%(message)s");
  logging.basicConfig({ stream: "stdout", format: "%(message)s", force: true });
  const out = captureConsole(() => {
    logging.getLogger("b3").error("to stdout");
    logging.getLogger("b3").warning("also to stdout");
  });
  assert.deepEqual(out, [
    ["stdout", "to stdout\n"],
    ["stdout", "also to stdout\n"],
  ]);
  logging.basicConfig({ stream: process.stderr, format: "%(message)s", force: true });
  assert.deepEqual(captureConsole(() => logging.getLogger("b3").warning("a stream object")), [
    ["stderr", "a stream object\n"],
  ]);
});

test("bad options throw CPython's errors and change nothing", () => {
  const keep = collector();
  logging.basicConfig({ handlers: [keep.handler], force: true, level: logging.ERROR });
  const attempts = [
    [{ nope: 1 }, /Unrecognised argument\(s\): nope/],
    [{ force: true, style: "^" }, /Style must be one of: %,\{,\$/],
    [{ force: true, level: "LOUD" }, /Unknown level: 'LOUD'/],
    [{ force: true, stream: "stdout", handlers: [collector().handler] }, /should not be specified together/],
    [{ force: true, handlers: ["not a handler"] }, /handlers must be an array of Handler/],
    [{ force: true, format: "no fields" }, /Invalid format/],
    [{ force: true, filename: "app.log", stream: "stdout" }, /'stream' and 'filename' should not be specified together/],
    [{ force: true, filename: "app.log", encoding: "latin-1" }, /only UTF-8/],
  ];
  for (const [options, message] of attempts) {
    assert.throws(() => logging.basicConfig(options), message, JSON.stringify(options));
    assert.deepEqual(logging.getLogger().handlers, [keep.handler], JSON.stringify(options));
    assert.equal(logging.getLogger().level, logging.ERROR);
  }
});
