// LoggerAdapter through the JS wrapper: bound extra, merge_extra (3.13), a process()
// override in a subclass (the cookbook's recipe), adapters over adapters — against CPython.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python } from "./helpers.js";

fixTime();
const FMT = "%(name)s %(levelname)s [%(connid)s] %(message)s";

function setup(name) {
  const col = collector(new logging.Formatter(FMT, null, "%", true, { connid: "-" }));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  return [l, col];
}

const PY_SETUP = (name) => `
l = logging.getLogger(${JSON.stringify(name)})
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter(${JSON.stringify(FMT)}, None, "%", True, defaults={"connid": "-"})))
`;

test("an adapter binds extra to every call; a call's own extra is replaced (CPython's default)", () => {
  const [l, col] = setup("a1");
  const a = new logging.LoggerAdapter(l, { connid: 7 });
  a.debug("d %s", "x");
  a.info("with own extra", { extra: { connid: 99 } });
  a.log(logging.WARNING, "log %d", 3);
  a.error("e");
  a.critical("c");
  l.info("direct");
  const want = python(`${PY_SETUP("a1")}
a = logging.LoggerAdapter(l, {"connid": 7})
a.debug("d %s", "x")
a.info("with own extra", extra={"connid": 99})
a.log(logging.WARNING, "log %d", 3)
a.error("e")
a.critical("c")
l.info("direct")
`);
  assert.deepEqual(col.lines, want);
});

test("mergeExtra: the call's extra wins over the adapter's (merge_extra=True)", () => {
  const [l, col] = setup("a2");
  const a = new logging.LoggerAdapter(l, { connid: 7 }, true);
  a.info("own", { extra: { connid: 99 } });
  a.info("bound");
  const want = python(`${PY_SETUP("a2")}
a = logging.LoggerAdapter(l, {"connid": 7}, merge_extra=True)
a.info("own", extra={"connid": 99})
a.info("bound")
`);
  assert.deepEqual(col.lines, want);
});

test("a subclass overriding process() rewrites every message (the cookbook's adapter)", () => {
  const [l, col] = setup("a3");
  class CustomAdapter extends logging.LoggerAdapter {
    process(msg, kwargs) {
      return [`[${this.extra.connid}] ${msg}`, kwargs];
    }
  }
  const a = new CustomAdapter(l, { connid: "abc" });
  a.warning("hello %s", "world");
  const want = python(`${PY_SETUP("a3")}
class CustomAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return '[%s] %s' % (self.extra['connid'], msg), kwargs
a = CustomAdapter(l, {"connid": "abc"})
a.warning("hello %s", "world")
`);
  assert.deepEqual(col.lines, want);
});

test("an adapter over an adapter: both process() run, the inner one last", () => {
  const [l, col] = setup("a4");
  const inner = new logging.LoggerAdapter(l, { connid: "inner" });
  const outer = new logging.LoggerAdapter(inner, { connid: "outer" });
  outer.info("nested");
  const want = python(`${PY_SETUP("a4")}
inner = logging.LoggerAdapter(l, {"connid": "inner"})
outer = logging.LoggerAdapter(inner, {"connid": "outer"})
outer.info("nested")
`);
  assert.deepEqual(col.lines, want);
});

test("adapters follow their logger's level without entering Wasm when disabled", () => {
  const [l, col] = setup("a5");
  const a = new logging.LoggerAdapter(l, { connid: 1 });
  l.setLevel(logging.ERROR);
  const rawLog = l._raw.log;
  let crossings = 0;
  l._raw.log = function (...args) {
    crossings++;
    return rawLog.apply(this, args);
  };
  l._raw.logFull = () => crossings++;
  l._raw.logShared = () => crossings++;
  try {
    a.debug("no");
    a.info("no");
    a.warning("no");
    assert.equal(crossings, 0);
    assert.equal(a.isEnabledFor(logging.WARNING), false);
    assert.equal(a.getEffectiveLevel(), logging.ERROR);
  } finally {
    delete l._raw.log;
    delete l._raw.logFull;
    delete l._raw.logShared;
  }
  a.error("yes");
  assert.deepEqual(col.lines, ["a5 ERROR [1] yes"]);
  assert.equal(String(a), "<LoggerAdapter a5 (ERROR)>");
});

test("an adapter's process() that throws is reported, and the adapter keeps working", () => {
  const [l, col] = setup("a6");
  let fail = true;
  class Flaky extends logging.LoggerAdapter {
    process(msg, kwargs) {
      if (fail) throw new Error("process failed");
      return super.process(msg, kwargs);
    }
  }
  const a = new Flaky(l, { connid: 2 });
  const before = logging.errorCount();
  const saved = console.error;
  console.error = () => {};
  try {
    a.info("lost");
  } finally {
    console.error = saved;
  }
  fail = false;
  a.info("kept");
  assert.equal(logging.errorCount(), before + 1);
  assert.deepEqual(col.lines, ["a6 INFO [2] kept"]);
});

test("an adapter whose extra getter throws: the call does not throw, the error is reported, the next call logs", async () => {
  const { captureConsole, errorReports } = await import("./helpers.js");
  const [l, col] = setup("adapter.hostile");
  let fail = true;
  class Flaky extends logging.LoggerAdapter {
    get extra() {
      if (fail) throw new RangeError("extra is not ready");
      return { connid: "c9" };
    }
    set extra(_) {}
  }
  const a = new Flaky(l, {});
  const calls = captureConsole(() => {
    assert.doesNotThrow(() => a.info("first %d", 1));
  });
  assert.equal(errorReports(calls).length, 1, JSON.stringify(calls));
  assert.match(errorReports(calls)[0], /extra is not ready/);
  fail = false;
  a.info("second %d", 2); // the short path this time
  assert.deepEqual(col.lines, ["adapter.hostile INFO [c9] second 2"]);
});
