// The enabled path's packing: plain-data arguments and `extra` go into shared buffers, and
// everything else takes the general path with the same results; a one-parameter callback
// gets only the text; a log call from inside a handler is safe.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, python, captureConsole } from "./helpers.js";

fixTime();

function logger(name, fmt, cb) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  const h = new logging.CallbackHandler(cb);
  h.setFormatter(typeof fmt === "string" ? new logging.Formatter(fmt) : fmt);
  l.addHandler(h);
  return l;
}

test("a one-parameter callback receives exactly the text; a two-parameter one also the record", () => {
  const one = [];
  logger("pack.one", "%(message)s", function (text) {
    one.push([...arguments]);
    void text;
  }).info("hi %s", "there");
  assert.deepEqual(one, [["hi there"]]);
  const two = [];
  logger("pack.two", "%(message)s", (text, record) => two.push([text, record.name, record.args])).info("n=%d", 3);
  assert.deepEqual(two, [["n=3", "pack.two", [3]]]);
});

test("extra with plain data and with other objects (Date, Error) renders as CPython's equivalents", () => {
  const lines = [];
  const l = logger("pack.extra", new logging.JsonFormatter({ keys: ["message"] }), (t) => lines.push(t));
  l.info("plain", { extra: { s: "x", n: 3, f: 0.5, b: true, z: null, a: [1, [2, "three"]], o: { k: { deep: false } } } });
  const when = new Date(0);
  const lines2 = [];
  const l2 = logger("pack.date", "%(message)s %(when)s %(err)s", (t) => lines2.push(t));
  l2.info("mixed", { extra: { when, err: new Error("boom") } });
  const py = python(`
h = collector(logging.Formatter('%(message)s'))
import json
class J(logging.Formatter):
    def format(self, r):
        return json.dumps({'message': r.getMessage(), **{k: getattr(r, k) for k in ('s','n','f','b','z','a','o')}})
l = logging.getLogger('p'); l.addHandler(collector(J())); l.propagate = False
l.warning('plain', extra={'s': 'x', 'n': 3, 'f': 0.5, 'b': True, 'z': None, 'a': [1, [2, 'three']], 'o': {'k': {'deep': False}}})
`);
  assert.deepEqual(lines, py);
  assert.deepEqual(lines2, [`mixed ${String(when)} boom`]);
});

test("a throwing getter in extra or args is reported, never thrown; a lone surrogate becomes U+FFFD", () => {
  const lines = [];
  const l = logger("pack.throw", "%(message)s %(v)s", (t) => lines.push(t));
  const evil = {};
  Object.defineProperty(evil, "v", { enumerable: true, get() { throw new Error("getter exploded"); } });
  const before = logging.errorCount();
  const calls = captureConsole(() => {
    assert.doesNotThrow(() => l.info("evil", { extra: evil }));
  });
  // The unreadable field is reported once and stands as an unreadable argument prints, so
  // the record is still logged (issue 15).
  assert.equal(logging.errorCount(), before + 1);
  assert.match(calls.map((c) => c.slice(1).join(" ")).join("\n"), /the log call's extra 'v' cannot be read: getter exploded/);
  assert.deepEqual(lines, ["evil <unprintable object>"]);
  l.info("half %s", "a\uD800", { extra: { v: "b\uDBFF" } });
  assert.equal(lines.at(-1), "half a\uFFFD b\uFFFD");
});

test("a handler that logs again from inside its callback: both records arrive, in order", () => {
  const lines = [];
  const inner = logger("pack.inner", "%(name)s %(message)s", (t) => lines.push(t));
  logger("pack.outer", "%(name)s %(message)s", (t) => {
    lines.push(t);
    if (!t.includes("nested")) inner.info("nested from %s", "callback");
  }).warning("outer %d", 1);
  assert.deepEqual(lines, ["pack.outer outer 1", "pack.inner nested from callback"]);
});

test("with the real clock, %Z prints Intl's short zone name and a format without %Z skips Intl", () => {
  logging.setFixedTime(null);
  try {
    const lines = [];
    const l = logger("pack.zone", new logging.Formatter("%(asctime)s", "%Z %z"), (t) => lines.push(t));
    const plain = [];
    const h = new logging.CallbackHandler((t) => plain.push(t));
    h.setFormatter(new logging.Formatter("%(asctime)s"));
    l.addHandler(h);
    l.warning("now");
    const now = new Date();
    const name = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(now)
      .find((p) => p.type === "timeZoneName").value;
    const off = -now.getTimezoneOffset();
    const z = `${off < 0 ? "-" : "+"}${String(Math.floor(Math.abs(off) / 60)).padStart(2, "0")}${String(Math.abs(off) % 60).padStart(2, "0")}`;
    assert.deepEqual(lines, [`${name} ${z}`]);
    assert.match(plain[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
  } finally {
    fixTime();
  }
});
