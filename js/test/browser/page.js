// Runs in Chromium (see ../browser.test.js): the package's `web` entry from a plain module
// script. Results go to window.__results for the test to read.
import init, * as logging from "../../src/web.js";

function here() {
  const line = new Error().stack.split("\n")[2];
  return Number(/:(\d+):\d+\)?$/.exec(line)[1]);
}

async function run() {
  await init();
  const results = {};
  logging.setFixedTime(1700000000123.456, { utcOffset: 0, zone: "UTC" });
  logging.setStartTime(1700000000123.456);

  // Level → console method, through the real devtools console (the test listens to it).
  const l = logging.getLogger("browser");
  l.propagate = false;
  l.setLevel(1);
  const h = new logging.ConsoleHandler();
  h.setFormatter(new logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(message)s"));
  l.addHandler(h);
  l.log(5, "level five");
  l.debug("debug %d%%", 10);
  l.info("info");
  l.warning("warning");
  l.error("error");
  l.critical("critical");
  l.removeHandler(h);

  // %c styles and extras, captured by replacing the console methods for a moment.
  const calls = [];
  const saved = { ...console };
  for (const m of ["debug", "info", "warn", "error"]) console[m] = (...a) => calls.push([m, ...a]);
  const styled = new logging.ConsoleHandler({ styles: { DEBUG: "color: gray", ERROR: "color: red" }, extras: true });
  styled.setFormatter(new logging.Formatter("%(message)s"));
  l.addHandler(styled);
  l.debug("styled");
  l.error("with extra", { extra: { user: "ann" } });
  l.removeHandler(styled);
  Object.assign(console, saved);
  results.styled = calls;

  // Caller location in Chromium names this file and line.
  const loc = [];
  const lh = new logging.CallbackHandler((t) => loc.push(t));
  lh.setFormatter(new logging.Formatter("%(filename)s:%(lineno)d %(funcName)s %(message)s"));
  l.addHandler(lh);
  function handler() {
    l.warning("located"); return here();
  }
  results.locLine = handler();
  l.removeHandler(lh);
  results.loc = loc;

  // An exception with its traceback.
  const exc = [];
  const eh = new logging.CallbackHandler((t) => exc.push(t));
  l.addHandler(eh);
  try {
    JSON.parse("{");
  } catch (e) {
    l.exception("parse failed", e);
  }
  results.exc = exc;

  results.issue12 = await issue12(l);
  results.context = await contextScenario();

  // A named Web Worker's records carry its name.
  const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "render-worker" });
  results.worker = await new Promise((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve(["error", String(e.message)]);
  });
  w.terminate();
  results.errors = logging.errorCount();
  return results;
}

/**
 * Issue 14's per-request context in a browser: a synchronous stack (no AsyncLocalStorage;
 * AsyncContext.Variable only where the engine has it), carried past an await explicitly.
 */
async function contextScenario() {
  const out = { asyncContext: typeof globalThis.AsyncContext };
  const lines = [];
  const c = logging.getLogger("ctx");
  c.propagate = false;
  c.setLevel(logging.DEBUG);
  const h = new logging.CallbackHandler((t) => lines.push(t));
  h.setFormatter(new logging.Formatter("%(request_id)s %(user)s %(message)s", undefined, "%", true, { user: "-" }));
  h.addFilter((record) => record.request_id !== "dropped");
  c.addHandler(h);
  out.returned = logging.runWithContext({ request_id: "r-1", user: "ann" }, () => {
    c.info("outer");
    logging.runWithContext({ user: "bob" }, () => c.info("inner"));
    c.info("explicit", { extra: { user: "call" } });
    logging.runWithContext({ request_id: "dropped" }, () => c.info("filtered out"));
    out.frozen = Object.isFrozen(logging.getContext());
    return logging.getContext();
  });
  out.after = logging.getContext();
  await logging.runWithContext({ request_id: "r-2" }, async () => {
    const carried = logging.getContext();
    await null;
    out.afterAwait = logging.getContext();
    logging.runWithContext(carried, () => c.info("carried past await"));
  });
  c.removeHandler(h);
  out.lines = lines;
  return out;
}

/** Replaces the console methods with recorders while `fn` runs; returns the calls. */
function recordConsole(fn) {
  const calls = [];
  const saved = { ...console };
  for (const m of ["debug", "info", "warn", "error", "log"]) console[m] = (...a) => calls.push([m, ...a]);
  try {
    fn();
  } finally {
    Object.assign(console, saved);
  }
  return calls;
}

/** Issue 12's scenarios in a browser (the Node suites check the same against CPython). */
async function issue12(l) {
  for (const h of l.handlers) l.removeHandler(h);
  const out = {};
  const lines = [];
  const collect = (fmt) => {
    const h = new logging.CallbackHandler((t) => lines.push(t));
    h.setFormatter(fmt);
    return h;
  };

  // No streams here: a stream handler, basicConfig(), lastResort and handleError are the
  // devtools console, method by level.
  out.streams = recordConsole(() => {
    const s = new logging.StreamHandler("stdout");
    s.setFormatter(new logging.Formatter("%(levelname)s %(message)s"));
    const sl = logging.getLogger("streams");
    sl.propagate = false;
    sl.setLevel(logging.DEBUG);
    sl.addHandler(s);
    sl.info("to a stream");
    sl.error("an error");
    logging.getLogger("nohandlers").warning("last resort");
    logging.warning("root %s", "warning");
    logging.info("root info, dropped");
    sl.warning("%d", "bad");
  });

  // Identity and start time.
  logging.setThreadName("ui-thread");
  logging.setStartTime(1700000000123.456 - 1500);
  const who = collect(new logging.Formatter("%(threadName)s/%(processName)s %(relativeCreated)d"));
  l.addHandler(who);
  l.warning("who");
  l.removeHandler(who);
  logging.setThreadName("MainThread");

  // Module-level functions, a record factory, message objects.
  const old = logging.getLogRecordFactory();
  logging.setLogRecordFactory((...args) => Object.assign(old(...args), { custom_attribute: 0xdecafbad }));
  const fac = collect(new logging.Formatter("%(custom_attribute)x %(message)s"));
  l.addHandler(fac);
  l.info(new logging.BraceMessage("Message with {0} {name}", 2, { name: "placeholders" }));
  l.info(new logging.DollarMessage("Message with $num $what", { num: 2, what: "placeholders" }));
  l.removeHandler(fac);
  logging.setLogRecordFactory(null);

  // Recipe 26: a one-line exception formatter.
  class OneLine extends logging.Formatter {
    formatException(ei) {
      return JSON.stringify(super.formatException(ei));
    }

    format(record) {
      const s = super.format(record);
      return record.exc_text ? `${s.replace(/\n/g, "")}|` : s;
    }
  }
  const one = collect(new OneLine("%(levelname)s|%(message)s|"));
  l.addHandler(one);
  try {
    JSON.parse("{");
  } catch (e) {
    l.exception("Sample message", e);
  }
  l.removeHandler(one);

  // Buffering: a subclass's flush, a MemoryHandler's clear().
  class Batcher extends logging.BufferingHandler {
    flush() {
      if (this.buffer.length) lines.push(this.buffer.map((r) => r.msg).join("+"));
      super.flush();
    }
  }
  const b = new Batcher(2);
  const mem = new logging.MemoryHandler(10, logging.ERROR, b);
  l.addHandler(mem);
  l.info("dropped");
  out.cleared = mem.clear();
  l.info("a");
  l.info("b");
  l.error("c");
  l.removeHandler(mem);
  b.close();

  // Recipe 19 over memory: a namer and a rotator.
  const storage = new logging.MemoryStorage();
  logging.setStorage(storage);
  const rh = new logging.RotatingFileHandler("r.log", { maxBytes: 40, backupCount: 2 });
  rh.namer = (name) => `${name}.bak`;
  rh.rotator = (source, dest) => {
    storage.truncate(dest);
    storage.append(dest, new TextEncoder().encode(storage.text(source).toUpperCase()));
    storage.remove(source);
  };
  rh.setFormatter(new logging.Formatter("%(message)s"));
  l.addHandler(rh);
  for (let i = 0; i < 5; i++) l.warning("rotating line %d", i);
  l.removeHandler(rh);
  rh.close();
  out.rotated = Object.fromEntries(storage.names().map((n) => [n, storage.text(n)]));

  // Levels: 64-bit, kept as CPython keeps them (no wrapping past 32 bits); disable() by name.
  const lv = collect(new logging.Formatter("%(levelname)s %(message)s"));
  l.addHandler(lv);
  out.overflow = recordConsole(() => l.log(2 ** 32 + 20, "kept, not wrapped to INFO"));
  logging.disable("INFO");
  l.info("disabled");
  l.warning("after disable");
  logging.disable(0);
  l.removeHandler(lv);

  // console.* captured into a logger; a console handler on it writes to the real console.
  const cap = logging.getLogger("cap");
  cap.propagate = false;
  cap.setLevel(logging.DEBUG);
  cap.addHandler(collect(new logging.Formatter("%(levelname)s %(filename)s %(message)s")));
  cap.addHandler(new logging.ConsoleHandler());
  out.captured = recordConsole(() => {
    const undo = logging.captureConsole(cap);
    console.log("count %d", 3);
    console.warn("careful");
    undo();
    console.info("after undo");
  });

  // Uncaught errors and unhandled rejections captured into a logger.
  const errs = logging.getLogger("errs");
  errs.propagate = false;
  errs.addHandler(collect(new logging.Formatter("%(levelname)s %(message)s")));
  const undoErrors = logging.captureErrors(errs, { preventDefault: true });
  setTimeout(() => {
    throw new TypeError("uncaught in a timer");
  }, 0);
  Promise.reject(new RangeError("nobody caught me"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  undoErrors();

  out.lines = lines;
  return out;
}

run().then(
  (r) => {
    window.__results = r;
  },
  (e) => {
    window.__results = { failed: String(e && e.stack ? e.stack : e) };
  },
);
