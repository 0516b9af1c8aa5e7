// setLogRecordFactory / getLogRecordFactory: the cookbook's pattern (call the old factory, add
// attributes) and CPython's semantics — the factory runs before `extra` is applied, may change
// what it passes on, and the default costs nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

function logger(name, fmt) {
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  return [l, col];
}

test("the cookbook's record factory adds an attribute every record carries (as CPython)", () => {
  assert.equal(logging.getLogRecordFactory(), logging.LogRecord);
  const [l, col] = logger("fac1", "%(custom_attribute)x %(levelname)s %(message)s");
  const old = logging.getLogRecordFactory();
  logging.setLogRecordFactory((...args) => {
    const record = old(...args);
    record.custom_attribute = 0xdecafbad;
    return record;
  });
  try {
    l.info("hello %s", "world");
    l.warning("with extra", { extra: { user: "ann" } });
  } finally {
    logging.setLogRecordFactory(old);
  }
  assert.equal(logging.getLogRecordFactory(), logging.LogRecord);
  const want = python(`
old_factory = logging.getLogRecordFactory()
def record_factory(*args, **kwargs):
    record = old_factory(*args, **kwargs)
    record.custom_attribute = 0xdecafbad
    return record
logging.setLogRecordFactory(record_factory)
l = logging.getLogger("fac1")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter("%(custom_attribute)x %(levelname)s %(message)s")))
l.info("hello %s", "world")
l.warning("with extra", extra={"user": "ann"})
logging.setLogRecordFactory(old_factory)
`);
  assert.deepEqual(col.lines, want);
  assert.deepEqual(col.lines, ["decafbad INFO hello world", "decafbad WARNING with extra"]);
});

test("a factory sees CPython's arguments and may change what it passes on; extra comes after it", () => {
  const [l, col] = logger("fac2", "%(name)s|%(levelname)s|%(lineno)d|%(message)s|%(user)s");
  const seen = [];
  logging.setLogRecordFactory((name, level, pathname, lineno, msg, args, excInfo, func, sinfo) => {
    seen.push([name, level, typeof pathname, typeof lineno, msg, args, excInfo, typeof func, sinfo]);
    return logging.LogRecord(name, level, pathname, 7, `[${msg}]`, args, excInfo, func, sinfo);
  });
  try {
    l.error("x=%d", 3, { extra: { user: "bob" } });
  } finally {
    logging.setLogRecordFactory(null);
  }
  assert.deepEqual(seen, [["fac2", 40, "string", "number", "x=%d", [3], null, "string", null]]);
  assert.deepEqual(col.lines, ["fac2|ERROR|7|[x=3]|bob"]);
  const want = python(`
old = logging.getLogRecordFactory()
def factory(name, level, fn, lno, msg, args, exc_info, func=None, sinfo=None, **kw):
    return old(name, level, fn, 7, "[" + msg + "]", args, exc_info, func, sinfo, **kw)
logging.setLogRecordFactory(factory)
l = logging.getLogger("fac2")
l.propagate = False
l.addHandler(collector(logging.Formatter("%(name)s|%(levelname)s|%(lineno)d|%(message)s|%(user)s")))
l.error("x=%d", 3, extra={"user": "bob"})
`);
  assert.deepEqual(col.lines, want);
});

test("a factory that throws (or returns no record) is reported; the record goes on unchanged", () => {
  const [l, col] = logger("fac4", "%(message)s");
  let reports;
  logging.setLogRecordFactory(() => {
    throw new RangeError("factory broke");
  });
  try {
    reports = errorReports(captureConsole(() => l.warning("still here")));
    logging.setLogRecordFactory(() => undefined);
    reports.push(...errorReports(captureConsole(() => l.warning("and here"))));
  } finally {
    logging.setLogRecordFactory(null);
  }
  assert.deepEqual(col.lines, ["still here", "and here"]);
  assert.equal(reports.length, 2);
  assert.match(reports[0], /factory broke/);
  assert.match(reports[1], /TypeError: the log record factory returned undefined, not a record/);
  assert.throws(() => logging.setLogRecordFactory("nope"), TypeError);
});

test("outside a log call the default factory makes a record from its arguments", () => {
  const r = logging.LogRecord("made", logging.WARNING, "/x/y.js", 12, "m %s", ["a"], null, "fn", null);
  assert.equal(r.name, "made");
  assert.equal(r.levelname, "WARNING");
  assert.equal(r.filename, "y.js");
  assert.equal(r.module, "y");
  assert.equal(r.lineno, 12);
  assert.equal(new logging.Formatter("%(funcName)s %(message)s").format(r), "fn m a");
});
