// JsonFormatter through the JS wrapper, compared with CPython 3.13 running the idiomatic
// recipe (tests/python/json_oracle.py's JsonFormatter: json.dumps of the keys, the extras,
// then exc_info / stack_info) at the same fixed clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { logging, fixTime, collector, python, captureConsole, errorReports, REPO } from "./helpers.js";

fixTime();

const PY_IMPORT = `
sys.path.insert(0, ${JSON.stringify(path.join(REPO, "tests/python"))})
from json_oracle import JsonFormatter
`;

function setup(name, options) {
  const col = collector(new logging.JsonFormatter(options));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  return [l, col];
}

const PY_SETUP = (name, formatter = "JsonFormatter()") => `${PY_IMPORT}
l = logging.getLogger(${JSON.stringify(name)})
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(${formatter}))
`;

test("extra with strings, ints, floats, booleans and nested objects, as CPython's json.dumps", () => {
  const [l, col] = setup("j1");
  l.info("event", { extra: { s: "x", n: 3, f: 0.5, b: true, o: { a: [1, 2, { c: null }] } } });
  const want = python(`${PY_SETUP("j1")}
l.info("event", extra={"s": "x", "n": 3, "f": 0.5, "b": True, "o": {"a": [1, 2, {"c": None}]}})
`);
  assert.deepEqual(col.lines, want);
  assert.equal(
    col.lines[0],
    '{"asctime": "2023-11-14 22:13:20,123", "name": "j1", "levelname": "INFO", "message": "event", ' +
      '"s": "x", "n": 3, "f": 0.5, "b": true, "o": {"a": [1, 2, {"c": null}]}}',
  );
});

test("a LoggerAdapter's extra through the JsonFormatter", () => {
  const [l, col] = setup("j2");
  const a = new logging.LoggerAdapter(l, { user: "ann", req: 42 });
  a.info("hello %s", "world");
  a.warning("w", { extra: { ignored: 1 } });
  const want = python(`${PY_SETUP("j2")}
a = logging.LoggerAdapter(l, {"user": "ann", "req": 42})
a.info("hello %s", "world")
a.warning("w", extra={"ignored": 1})
`);
  assert.deepEqual(col.lines, want);
});

test("keys, extra: false, datefmt, utc; escapes, astral characters, NaN and Infinity", () => {
  const options = {
    keys: ["levelno", "message", "asctime", "name", "msg", "args", "created", "msecs"],
    extra: true,
    datefmt: "%Y-%m-%dT%H:%M:%S%z",
    utc: true,
  };
  const [l, col] = setup("j3", options);
  l.error("q\"uote \\ tab\t nl\n ctl\u0001 é 日本 😀 %s", "arg", {
    // Integer-valued numbers are ints (1e16 is Python's 10**16); past 2**63 they are floats.
    extra: { nan: NaN, inf: -Infinity, big: 1e16, huge: 1e300, small: 1e-7, neg: -12, u: undefined, arr: [[], {}, "𝄞"] },
  });
  const [l2, col2] = setup("j3b", { keys: ["message"], extra: false });
  l2.debug("only %d", 5, { extra: { hidden: true } });
  const want = python(`${PY_IMPORT}
import time
f = JsonFormatter(${JSON.stringify(options.keys)}, True, ${JSON.stringify(options.datefmt)})
f.converter = time.gmtime
l = logging.getLogger("j3")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(f))
l.error("q\\"uote \\\\ tab\\t nl\\n ctl\\u0001 é 日本 😀 %s", "arg",
        extra={"nan": float("nan"), "inf": float("-inf"), "big": 10**16, "huge": 1e300, "small": 1e-7, "neg": -12,
               "u": None, "arr": [[], {}, "𝄞"]})
l2 = logging.getLogger("j3b")
l2.propagate = False
l2.setLevel(logging.DEBUG)
l2.addHandler(collector(JsonFormatter(["message"], False)))
l2.debug("only %d", 5, extra={"hidden": True})
`);
  assert.deepEqual([...col.lines, ...col2.lines], want);
});

test("the formatter's own API", () => {
  const f = new logging.JsonFormatter({ keys: ["asctime", "message"], datefmt: "%H:%M" });
  assert.ok(f instanceof logging.Formatter);
  assert.equal(f.fmt, null);
  assert.equal(f.datefmt, "%H:%M");
  assert.deepEqual(f.keys, ["asctime", "message"]);
  assert.equal(f.extra, true);
  assert.equal(f.usesTime(), true);
  assert.equal(new logging.JsonFormatter({ keys: ["message"] }).usesTime(), false);
  assert.throws(() => new logging.JsonFormatter({ keys: "message" }), TypeError);
});

test("a value JSON cannot encode, or a missing key, is a logging error as in CPython", () => {
  const [l, col] = setup("j4", { keys: ["message", "nope"] });
  const [l2, col2] = setup("j4b");
  const before = logging.errorCount();
  const calls = captureConsole(() => {
    l.info("missing");
    l2.info("date", { extra: { when: new Date(0) } });
    l2.info("fine");
  });
  assert.equal(logging.errorCount(), before + 2);
  const reports = errorReports(calls);
  assert.equal(reports.length, 2);
  assert.match(reports[0], /AttributeError: 'LogRecord' object has no attribute 'nope'/);
  assert.match(reports[1], /TypeError: Object of type object is not JSON serializable/);
  assert.deepEqual(col.lines, []);
  assert.equal(col2.lines.length, 1);
});

test("an exception's traceback text is the exc_info key", () => {
  const [l, col] = setup("j5", { keys: ["levelname", "message"] });
  try {
    JSON.parse("{");
  } catch (err) {
    l.exception("bad config", err);
  }
  const obj = JSON.parse(col.lines[0]);
  assert.deepEqual(Object.keys(obj), ["levelname", "message", "exc_info"]);
  assert.match(obj.exc_info, /SyntaxError/);
});
