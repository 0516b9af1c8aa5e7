// Issue 13's enabled path: message templates sent by number (past the table's bound, and for
// long or surrogate-ending templates, as text), lines read from Wasm memory and decoded once
// (ASCII and UTF-8, across a memory growth), a throwing callback reported and the next record
// delivered — each compared with CPython 3.13 running the same calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, python, captureConsole } from "./helpers.js";

fixTime();

function logger(name, fmt, cb) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  const h = new logging.CallbackHandler(cb);
  h.setFormatter(new logging.Formatter(fmt));
  l.addHandler(h);
  return l;
}

const FMT = "%(asctime)s %(name)s %(levelname)s %(message)s";

test("1,500 distinct templates (past the 1,024 the core keeps by number) print as CPython's", () => {
  const lines = [];
  const l = logger("fast.many", FMT, (t) => lines.push(t));
  for (let i = 0; i < 1500; i++) l.info(`template ${i}: %d and %s`, i, "x");
  // The first templates again, now sent by number, and the later ones as text.
  l.warning("template 3: %d and %s", 3, "y");
  l.warning("template 1400: %d and %s", 1400, "z");
  const py = python(`
l = logging.getLogger("fast.many")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter(${JSON.stringify(FMT)})))
for i in range(1500):
    l.info(f"template {i}: %d and %s", i, "x")
l.warning("template 3: %d and %s", 3, "y")
l.warning("template 1400: %d and %s", 1400, "z")
`);
  assert.equal(lines.length, 1502);
  assert.deepEqual(lines, py);
});

test("non-ASCII lines, long templates and lone surrogates decode as the general path's", () => {
  const lines = [];
  const l = logger("fast.utf8", "%(message)s", (t) => lines.push(t));
  const long = "ü".repeat(300) + " %d";
  l.info("héllo %s — %d €", "wörld 𝄞", 7);
  l.info(long, 1);
  l.info(long, 2);
  l.info("ends in half a pair %d \ud83d", 3); // a template the core is not sent by number
  l.info("arg with half a pair %s!", "x\ud83d");
  assert.deepEqual(lines, [
    "héllo wörld 𝄞 — 7 €",
    "ü".repeat(300) + " 1",
    "ü".repeat(300) + " 2",
    // encodeInto's replacement for an unpaired surrogate, as every text path gives it.
    "ends in half a pair 3 \ufffd",
    "arg with half a pair x\ufffd!",
  ]);
});

test("a line read after the Wasm memory grew (and a multi-megabyte line) is exact", () => {
  const lines = [];
  const l = logger("fast.grow", "%(levelname)s %(message)s", (t) => lines.push(t));
  l.info("before %d", 1);
  const big = "a".repeat(6 * 1024 * 1024);
  l.info("%s", big);
  l.info("after %d", 2);
  l.info("non-ASCII after growth %s", "ß");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "INFO before 1");
  assert.equal(lines[1].length, 5 + big.length);
  assert.ok(lines[1].startsWith("INFO aaaa") && lines[1].endsWith("aaaa"));
  assert.equal(lines[2], "INFO after 2");
  assert.equal(lines[3], "INFO non-ASCII after growth ß");
});

test("a callback that throws is reported through handleError, and the next record arrives", () => {
  const lines = [];
  let fail = true;
  const l = logger("fast.throw", "%(message)s", (t) => {
    if (fail) {
      fail = false;
      throw new RangeError("sink is full");
    }
    lines.push(t);
  });
  const calls = captureConsole(() => {
    l.info("first %d", 1);
    l.info("second %d", 2);
  });
  assert.deepEqual(lines, ["second 2"]);
  const err = calls.map((c) => c.slice(1).join(" ")).join("\n");
  assert.match(err, /--- Logging error ---/);
  // A JS RangeError is Python's ValueError (convert.rs, as every callback's error).
  assert.match(err, /ValueError: sink is full/);
  assert.match(err, /Message: 'first %d'/);
});

test("the same records through a stream handler to stdout, byte for byte", () => {
  const l = logging.getLogger("fast.stream");
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  const h = new logging.StreamHandler("stdout");
  h.setFormatter(new logging.Formatter(FMT));
  l.addHandler(h);
  const calls = captureConsole(() => {
    for (let i = 0; i < 3; i++) l.info("stream %d %s", i, "ünï");
  });
  const py = python(`
l = logging.getLogger("fast.stream")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter(${JSON.stringify(FMT)})))
for i in range(3):
    l.info("stream %d %s", i, "ünï")
`);
  assert.deepEqual(
    calls,
    py.map((line) => ["stdout", line + "\n"]),
  );
});
