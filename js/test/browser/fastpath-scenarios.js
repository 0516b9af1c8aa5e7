// Issue 13's enabled-path scenarios, run in Node (../fastpath.test.js) and in Chromium
// (fastpath.html): the same calls in both hosts, compared with CPython 3.13's output.
//
// `logging` is the package (either entry); `raw` the wasm-bindgen glue the wrapper bound
// (state.js's `raw`), whose `JsLogger.storeExtra` is counted; `capture(fn)` runs `fn` and
// returns what handleError reported, as text (each host reports on its own console).

const FMT = "%(asctime)s %(name)s %(levelname)s %(message)s";

function logger(logging, name, formatter, cb) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  const h = new logging.CallbackHandler(cb);
  h.setFormatter(formatter);
  l.addHandler(h);
  return l;
}

/** Runs every scenario; returns their outputs (see ../fastpath.test.js for the expectations). */
export function runFastpath(logging, raw, capture) {
  const out = {};

  // 1,500 distinct templates: past the 1,024 the core keeps by number.
  const many = [];
  const lm = logger(logging, "fast.many", new logging.Formatter(FMT), (t) => many.push(t));
  for (let i = 0; i < 1500; i++) lm.info(`template ${i}: %d and %s`, i, "x");
  lm.warning("template 3: %d and %s", 3, "y");
  lm.warning("template 1400: %d and %s", 1400, "z");
  out.many = many;

  // Non-ASCII lines, long templates, lone surrogates.
  const utf8 = [];
  const lu = logger(logging, "fast.utf8", new logging.Formatter("%(message)s"), (t) => utf8.push(t));
  const long = "ü".repeat(300) + " %d";
  lu.info("héllo %s — %d €", "wörld 𝄞", 7);
  lu.info(long, 1);
  lu.info(long, 2);
  lu.info("ends in half a pair %d \ud83d", 3);
  lu.info("arg with half a pair %s!", "x\ud83d");
  out.utf8 = utf8;

  // A line read after the Wasm memory grew, and a multi-megabyte line.
  const grow = [];
  const lg = logger(logging, "fast.grow", new logging.Formatter("%(levelname)s %(message)s"), (t) => grow.push(t));
  lg.info("before %d", 1);
  const big = "a".repeat(6 * 1024 * 1024);
  lg.info("%s", big);
  lg.info("after %d", 2);
  lg.info("non-ASCII after growth %s", "ß");
  out.grow = {
    count: grow.length,
    first: grow[0],
    bigLength: grow[1]?.length,
    bigOk: grow[1]?.startsWith("INFO aaaa") && grow[1]?.endsWith("aaaa"),
    rest: grow.slice(2),
  };

  // A callback that throws: reported, and the next record arrives.
  const thrown = [];
  let fail = true;
  const lt = logger(logging, "fast.throw", new logging.Formatter("%(message)s"), (t) => {
    if (fail) {
      fail = false;
      throw new RangeError("sink is full");
    }
    thrown.push(t);
  });
  const thrownReport = capture(() => {
    lt.info("first %d", 1);
    lt.info("second %d", 2);
  });
  out.thrown = { lines: thrown, report: thrownReport };

  // extra objects held by the core by slot.
  const extra = [];
  const le = logger(
    logging,
    "fast.extra",
    new logging.JsonFormatter({ keys: ["name", "message"], extra: true }),
    (t) => extra.push(t),
  );
  const store = raw.JsLogger.storeExtra;
  let stores = 0;
  raw.JsLogger.storeExtra = (...a) => (stores++, store.apply(raw.JsLogger, a));
  let extraReport;
  try {
    const bound = { user: "ann", req: 42 };
    const ad = new logging.LoggerAdapter(le, bound);
    for (let i = 0; i < 3; i++) ad.info("call %d", i); // stored from the second call on
    bound.user = "bob"; // the same object, changed
    ad.info("after change");
    bound.extra1 = true; // a key added
    ad.info("after add");
    delete bound.req; // a key removed
    ad.info("after delete");
    bound.nested = { k: 1 }; // no longer primitive values: packed per call again
    ad.info("nested");
    delete bound.nested;
    ad.info("flat again");
    // 70 objects, each logged twice in a row, in two rounds: they cycle through 64 slots.
    const objects = Array.from({ length: 70 }, (_, i) => ({ n: i, tag: `t${i}` }));
    for (const round of [0, 1]) {
      for (const o of objects) {
        le.info("many %d", round, { extra: o });
        le.info("again %d", round, { extra: o });
      }
    }
    // Adapters: the base class's `process` over a Logger takes the logger's short path;
    // an overridden `process`, a call's own options and an adapter over an adapter do not.
    class Tagged extends logging.LoggerAdapter {
      process(msg, kwargs) {
        return [`[${this.extra.tag}] ${msg}`, kwargs];
      }
    }
    new Tagged(le, { tag: "t" }).info("subclass %d", 1);
    new logging.LoggerAdapter(le, null).info("no extra %d", 2);
    new logging.LoggerAdapter(le, { a: 1 }, true).info("merged %s", "x", { extra: { b: 2 } });
    new logging.LoggerAdapter(new logging.LoggerAdapter(le, { outer: 1 }), { inner: 2 }).info("nested %d", 3);
    new logging.LoggerAdapter(le, { z: 0 }).warning("no args");
    // A reserved key is CPython's KeyError each time (reported), whether stored or not.
    extraReport = capture(() => {
      const bad = { message: "x" };
      for (let i = 0; i < 3; i++) le.info("bad", { extra: bad });
    });
  } finally {
    raw.JsLogger.storeExtra = store;
  }
  out.extra = { lines: extra, stores, report: extraReport };
  return out;
}

/** The same calls for CPython 3.13 (helpers.js `python()` appends to `out`). */
export const PYTHON = `
def logger(name, fmt):
    l = logging.getLogger(name)
    l.propagate = False
    l.setLevel(logging.DEBUG)
    l.addHandler(collector(fmt))
    return l
import json as _json
class J(logging.Formatter):
    def format(self, r):
        d = {"name": r.name, "message": r.getMessage()}
        base = logging.LogRecord("", 0, "", 0, "", (), None).__dict__
        for k, v in r.__dict__.items():
            if k not in base and k not in ("message", "asctime"):
                d[k] = v
        return _json.dumps(d)
lm = logger("fast.many", logging.Formatter(${JSON.stringify(FMT)}))
for i in range(1500):
    lm.info(f"template {i}: %d and %s", i, "x")
lm.warning("template 3: %d and %s", 3, "y")
lm.warning("template 1400: %d and %s", 1400, "z")
le = logger("fast.extra", J())
bound = {"user": "ann", "req": 42}
ad = logging.LoggerAdapter(le, bound)
for i in range(3):
    ad.info("call %d", i)
bound["user"] = "bob"
ad.info("after change")
bound["extra1"] = True
ad.info("after add")
del bound["req"]
ad.info("after delete")
bound["nested"] = {"k": 1}
ad.info("nested")
del bound["nested"]
ad.info("flat again")
objects = [{"n": i, "tag": f"t{i}"} for i in range(70)]
for rnd in (0, 1):
    for o in objects:
        le.info("many %d", rnd, extra=o)
        le.info("again %d", rnd, extra=o)
class Tagged(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return f"[{self.extra['tag']}] {msg}", kwargs
Tagged(le, {"tag": "t"}).info("subclass %d", 1)
logging.LoggerAdapter(le, None).info("no extra %d", 2)
logging.LoggerAdapter(le, {"a": 1}, merge_extra=True).info("merged %s", "x", extra={"b": 2})
logging.LoggerAdapter(logging.LoggerAdapter(le, {"outer": 1}), {"inner": 2}).info("nested %d", 3)
logging.LoggerAdapter(le, {"z": 0}).warning("no args")
`;

/** The lines CPython printed, split by scenario (`PYTHON` runs many, then extra). */
export function splitPython(lines) {
  return { many: lines.slice(0, 1502), extra: lines.slice(1502) };
}
