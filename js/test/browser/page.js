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

run().then(
  (r) => {
    window.__results = r;
  },
  (e) => {
    window.__results = { failed: String(e && e.stack ? e.stack : e) };
  },
);
