// JS values as log-call arguments and extra fields: values both languages share format as
// CPython formats them; JS-only values keep their JS spelling; objects come back to
// callbacks as themselves; reserved extra keys are reported, never thrown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

function setup(name, fmt = "%(message)s") {
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.addHandler(col.handler);
  return [l, col];
}

test("strings, integers and floats format exactly as CPython's % operator", () => {
  const [l, col] = setup("v1");
  const calls = [
    ["%s|%r|%5s|%-5s|%.2s", "ab", "ab", "ab", "ab", "abc"],
    ["%d|%i|%5d|%-5d|%05d|%+d|%x|%X|%o|%c", 42, -7, 42, 42, 42, 42, 255, 255, 8, 65],
    ["%f|%.2f|%e|%.3g|%g|%s|%r", 3.5, 2.675, 12345.678, 0.0001234, 1e-10, 0.1, 1.5],
    ["%s %s %s", 1e16, 2 ** 53, -0],
    ["%(a)s and %(b)d", { a: "x", b: 2 }],
  ];
  for (const [msg, ...args] of calls) l.warning(msg, ...args);
  const want = python(`
l = logging.getLogger("v1"); l.propagate = False; l.addHandler(collector(logging.Formatter("%(message)s")))
l.warning("%s|%r|%5s|%-5s|%.2s", "ab", "ab", "ab", "ab", "abc")
l.warning("%d|%i|%5d|%-5d|%05d|%+d|%x|%X|%o|%c", 42, -7, 42, 42, 42, 42, 255, 255, 8, 65)
l.warning("%f|%.2f|%e|%.3g|%g|%s|%r", 3.5, 2.675, 12345.678, 0.0001234, 1e-10, 0.1, 1.5)
l.warning("%s %s %s", 10**16, 2**53, 0)
l.warning("%(a)s and %(b)d", {"a": "x", "b": 2})
`);
  assert.deepEqual(col.lines, want);
});

test("JS-only values keep their JS spelling; numbers convert for %d", () => {
  const [l, col] = setup("v2");
  l.warning("%s %s %s %r", true, null, undefined, false);
  l.warning("%d %d", true, false);
  l.warning("%s", 12345678901234567890n);
  l.warning("%s", Symbol("tag"));
  l.warning("%s", function namedFn() {});
  assert.deepEqual(col.lines, [
    "true null undefined false",
    "1 0",
    "12345678901234567890",
    "Symbol(tag)",
    "<function namedFn>",
  ]);
});

test("arrays and plain objects are lists and dicts (Python's repr)", () => {
  const [l, col] = setup("v3");
  l.warning("%s %s", [1, "a", 2.5], { k: "v", n: [1, 2] });
  l.warning("%r", ["x"]);
  const want = python(`
l = logging.getLogger("v3"); l.propagate = False; l.addHandler(collector(logging.Formatter("%(message)s")))
l.warning("%s %s", [1, "a", 2.5], {"k": "v", "n": [1, 2]})
l.warning("%r", ["x"])
`);
  assert.deepEqual(col.lines, want);
});

test("Errors and class instances: str() is the message / String(v), objects come back as themselves", () => {
  const seen = [];
  const l = logging.getLogger("v4");
  l.propagate = false;
  l.addHandler(new logging.CallbackHandler((text, r) => seen.push([text, r.args, r.user])));
  class Point {
    toString() {
      return "Point(1, 2)";
    }
  }
  const p = new Point();
  const err = new RangeError("too far");
  const cyclic = { name: "loop" };
  cyclic.self = cyclic;
  l.warning("%s | %r | %s", err, err, p, { extra: { user: p } });
  l.warning("%s", new Date(0));
  l.warning("cyclic %s", cyclic);
  assert.equal(seen[0][0], 'too far | RangeError("too far") | Point(1, 2)');
  assert.equal(seen[0][1][0], err);
  assert.equal(seen[0][1][2], p);
  assert.equal(seen[0][2], p);
  assert.equal(seen[1][0], String(new Date(0)));
  assert.match(seen[2][0], /^cyclic \{'name': 'loop', 'self': \{'name': 'loop', 'self':/);
});

test("extra keys that would overwrite record attributes are reported (CPython's KeyError)", () => {
  const [l, col] = setup("v5");
  const calls = captureConsole(() => {
    l.warning("bad", { extra: { msg: "clobber", user: "ann" } });
  });
  assert.deepEqual(errorReports(calls), [
    "--- Logging error ---\nKeyError: \"Attempt to overwrite 'msg' in LogRecord\"\nMessage: 'bad'\nArguments: ()",
  ]);
  // CPython raises into the caller and emits nothing; here it is reported, and nothing is emitted.
  assert.deepEqual(col.lines, []);
});

test("a message that is not a string is str()-ed; an options-looking mapping is an argument", () => {
  const [l, col] = setup("v6");
  l.warning(42);
  l.warning({ a: 1 });
  l.warning(new Error("as message"));
  l.warning("%(extra)s", { extra: "not options" });
  l.warning("%(extra)s", { extra: { nested: 1 } }); // looks like options: extra is applied
  assert.deepEqual(col.lines.slice(0, 4), ["42", "{'a': 1}", "as message", "not options"]);
});

test("arguments that don't match the format are reported with the message and arguments", () => {
  const [l, col] = setup("v7");
  const calls = captureConsole(() => {
    l.warning("one %s");
    l.warning("none", 1);
    l.warning("%d", "x");
  });
  const want = python(`
import io, contextlib
msgs = []
for fmt, args in [("one %s", ()), ("none", (1,)), ("%d", ("x",))]:
    try:
        fmt % args
        msgs.append("ok")
    except Exception as e:
        msgs.append("%s: %s" % (type(e).__name__, e))
out.extend(msgs)
`);
  const reports = errorReports(calls).map((r) => r.split("\n")[1]);
  // "one %s" with no args is not formatted at all (CPython only applies % when args exist).
  assert.deepEqual(col.lines, ["one %s"]);
  assert.deepEqual(reports, want.slice(1));
});

test("non-ASCII and astral characters split correctly; lone surrogates become U+FFFD", () => {
  const [l, col] = setup("v8");
  l.warning("😀 %s|%s|%d", "日本😀", "ü", 5);
  l.warning("%s%s", "a\ud83d", "\ude00b"); // halves of one emoji in two arguments
  const want = python(`
l = logging.getLogger("v8"); l.propagate = False; l.addHandler(collector(logging.Formatter("%(message)s")))
l.warning("😀 %s|%s|%d", "日本😀", "ü", 5)
`);
  assert.deepEqual(col.lines, [...want, "a\ufffd\ufffdb"]);
});
