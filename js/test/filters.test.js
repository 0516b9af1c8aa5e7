// Filters through the JS wrapper: Filter(name), plain functions returning a boolean,
// functions that add fields (recipe 9), a replacement record for one handler only (3.12,
// recipe 11), objects with filter(), and filters or callbacks that throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

function logger(name, fmt = "%(name)s:%(levelname)s:%(message)s") {
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  return [l, col];
}

test("Filter(name) passes the named logger and its descendants only (as CPython)", () => {
  const [top, col] = logger("fl1");
  const f = new logging.Filter("fl1.a");
  col.handler.addFilter(f);
  for (const n of ["fl1", "fl1.a", "fl1.a.b", "fl1.ab", "fl1.b"]) logging.getLogger(n).warning("from %s", n);
  const want = python(`
top = logging.getLogger("fl1"); top.propagate = False; top.setLevel(logging.DEBUG)
h = collector(logging.Formatter("%(name)s:%(levelname)s:%(message)s"))
h.addFilter(logging.Filter("fl1.a"))
top.addHandler(h)
for n in ["fl1", "fl1.a", "fl1.a.b", "fl1.ab", "fl1.b"]:
    logging.getLogger(n).warning("from %s", n)
`);
  assert.deepEqual(col.lines, want);
  assert.equal(f.filter({ name: "fl1.a.c" }), true);
  assert.equal(f.filter({ name: "fl1.ab" }), false);
  col.handler.removeFilter(f);
  top.warning("unfiltered");
  assert.equal(col.lines.at(-1), "fl1:WARNING:unfiltered");
  assert.deepEqual(col.handler.filters, []);
});

test("function filters: a boolean verdict, and fields added to the record (recipe 9)", () => {
  const [l, col] = logger("fl2", "%(levelname)s %(ip)s %(user)s %(message)s");
  let n = 0;
  const contextFilter = (record) => {
    record.ip = `10.0.0.${++n}`;
    record.user = "ann";
    return true;
  };
  const onlyWarnings = (record) => record.levelno <= logging.WARNING;
  l.addFilter(contextFilter);
  col.handler.addFilter(onlyWarnings);
  l.debug("one");
  l.warning("two %s", "x");
  l.error("three");
  const want = python(`
l = logging.getLogger("fl2"); l.propagate = False; l.setLevel(logging.DEBUG)
h = collector(logging.Formatter("%(levelname)s %(ip)s %(user)s %(message)s"))
l.addHandler(h)
n = 0
def context_filter(record):
    global n
    n += 1
    record.ip = "10.0.0.%d" % n
    record.user = "ann"
    return True
l.addFilter(context_filter)
h.addFilter(lambda r: r.levelno <= logging.WARNING)
l.debug("one")
l.warning("two %s", "x")
l.error("three")
`);
  assert.deepEqual(col.lines, want);
  assert.deepEqual(l.filters, [contextFilter]);
  l.removeFilter(contextFilter);
  assert.deepEqual(l.filters, []);
});

test("a filter returning a new record changes it for that handler only (3.12, recipe 11)", () => {
  const [l, plain] = logger("fl3");
  const special = collector(new logging.Formatter("%(name)s:%(levelname)s:%(message)s"));
  l.addHandler(special.handler);
  special.handler.addFilter((record) => ({ ...record, msg: `[special] ${record.msg}` }));
  l.info("hello %s", "there");
  const want = python(`
import copy
l = logging.getLogger("fl3"); l.propagate = False; l.setLevel(logging.DEBUG)
fmt = logging.Formatter("%(name)s:%(levelname)s:%(message)s")
plain, lspecial = [], []
hp, hs = collector(fmt, plain), collector(fmt, lspecial)
l.addHandler(hp); l.addHandler(hs)
def special(record):
    r = copy.copy(record)
    r.msg = "[special] " + r.msg
    return r
hs.addFilter(special)
l.info("hello %s", "there")
out.extend(plain + lspecial)
`);
  assert.deepEqual([...plain.lines, ...special.lines], want);
});

test("an object with a filter() method is a filter; a Filter subclass overriding it too", () => {
  const [l, col] = logger("fl4");
  l.addFilter({ filter: (r) => !r.msg.startsWith("skip") });
  class NoDebug extends logging.Filter {
    filter(record) {
      return record.levelno > logging.DEBUG;
    }
  }
  col.handler.addFilter(new NoDebug());
  l.info("keep");
  l.info("skip me");
  l.debug("debug dropped");
  assert.deepEqual(col.lines, ["fl4:INFO:keep"]);
});

test("a filter that throws is reported through handleError; the logger keeps working", () => {
  const [l, col] = logger("fl5");
  let fail = true;
  const flaky = () => {
    if (fail) throw new TypeError("filter exploded");
    return true;
  };
  l.addFilter(flaky);
  const before = logging.errorCount();
  const calls = captureConsole(() => {
    l.warning("dropped %d", 1);
    fail = false;
    l.warning("kept %d", 2);
  });
  assert.deepEqual(col.lines, ["fl5:WARNING:kept 2"]);
  assert.equal(logging.errorCount(), before + 1);
  assert.deepEqual(errorReports(calls), [
    "--- Logging error ---\nTypeError: filter exploded\nMessage: 'dropped %d'\nArguments: (1,)",
  ]);
});

test("a CallbackHandler whose callback throws is reported; later records still arrive", () => {
  const l = logging.getLogger("fl6");
  l.propagate = false;
  let n = 0;
  const got = [];
  l.addHandler(
    new logging.CallbackHandler((text, record) => {
      n++;
      if (n === 1) throw new Error("sink down");
      if (n === 2) throw "a string"; // eslint-disable-line no-throw-literal
      got.push([text, record.levelname, record.name, record.args]);
    }),
  );
  const calls = captureConsole(() => {
    l.error("first %s", "a");
    l.error("second");
    l.error("third %d", 3);
  });
  assert.deepEqual(got, [["third 3", "ERROR", "fl6", [3]]]);
  assert.deepEqual(errorReports(calls), [
    "--- Logging error ---\nRuntimeError: sink down\nMessage: 'first %s'\nArguments: ('a',)",
    "--- Logging error ---\nRuntimeError: uncaught a string\nMessage: 'second'\nArguments: ()",
  ]);
});

test("a Handler subclass with emit(): this.format(record) gives the formatted line", () => {
  const seen = [];
  class ListHandler extends logging.Handler {
    emit(record) {
      seen.push(`${this.format(record)} (${record.levelno})`);
    }
  }
  const h = new ListHandler();
  h.setFormatter(new logging.Formatter("<%(message)s>"));
  const l = logging.getLogger("fl7");
  l.propagate = false;
  l.addHandler(h);
  l.warning("w");
  h.setLevel(logging.ERROR);
  l.warning("below the handler's level");
  l.error("e");
  assert.deepEqual(seen, ["<w> (30)", "<e> (40)"]);
});
