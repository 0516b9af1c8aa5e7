// The demo panel: cookbook recipes run in the page, and Web Workers logging to it.
import * as logging from "../js/src/browser.js";

let listener = null;

/** Recipe 1: using logging in multiple modules. */
function modules() {
  const logger = logging.getLogger("spam_application");
  class Auxiliary {
    constructor() {
      this.logger = logging.getLogger("spam_application.auxiliary.Auxiliary");
      this.logger.info("creating an instance of Auxiliary");
    }
    doSomething() {
      this.logger.info("doing something");
      this.logger.info("done doing something");
    }
  }
  const someFunction = () => logging.getLogger("spam_application.auxiliary").info('received a call to "some_function"');
  logger.info("creating an instance of auxiliary_module.Auxiliary");
  const a = new Auxiliary();
  logger.info("created an instance of auxiliary_module.Auxiliary");
  logger.info("calling auxiliary_module.Auxiliary.do_something");
  a.doSomething();
  logger.info("finished auxiliary_module.Auxiliary.do_something");
  logger.info("calling auxiliary_module.some_function()");
  someFunction();
  logger.info("done with auxiliary_module.some_function()");
  return "recipe 1: 9 records from spam_application and spam_application.auxiliary";
}

/** Recipe 7: contextual information through a LoggerAdapter. */
function adapter() {
  class CustomAdapter extends logging.LoggerAdapter {
    process(msg, kwargs) {
      return [`[${this.extra.connid}] ${msg}`, kwargs];
    }
  }
  const log = new CustomAdapter(logging.getLogger("network.conn"), { connid: "c-42" });
  log.info("connection opened from %s", "10.0.0.7");
  log.warning("slow read: %d ms", 870);
  log.info("connection closed");
  return "recipe 7: 3 records prefixed with the connection id";
}

/** Recipe 8: a filter that imparts contextual information. */
function filter() {
  const users = ["jim", "fred", "sheila"];
  const ips = ["192.168.0.1", "127.0.0.1"];
  const ctx = {
    filter(record) {
      record.user = users[Math.floor(Math.random() * users.length)];
      record.ip = ips[Math.floor(Math.random() * ips.length)];
      return true;
    },
  };
  const a = logging.getLogger("a.b.c");
  const d = logging.getLogger("d.e.f");
  a.addFilter(ctx);
  d.addFilter(ctx);
  const levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL];
  a.debug("A debug message");
  a.info("An info message with %s", "some parameters");
  for (let i = 0; i < 10; i++) {
    const lvl = levels[i % levels.length];
    d.log(lvl, "A message at %s level with %d %s", logging.getLevelName(lvl), 2, "parameters");
  }
  a.removeFilter(ctx);
  d.removeFilter(ctx);
  return 'recipe 8: 12 records with user and ip (try the format "%(asctime)s %(levelname)-8s %(ip)-15s %(user)-8s %(message)s")';
}

/** Logging an exception with its traceback. */
function exception() {
  const log = logging.getLogger("app.payment");
  try {
    JSON.parse("{broken");
  } catch (err) {
    log.exception("could not read the order", err);
  }
  return "1 ERROR record with the exception (Enter on the row shows the traceback)";
}

function levels() {
  const log = logging.getLogger("app.levels");
  log.debug("a debug message");
  log.info("an info message");
  log.warning("a warning message");
  log.error("an error message");
  log.critical("a critical message");
  return "5 records, one per level";
}

function flood(n = 10_000) {
  const log = logging.getLogger("app.flood");
  const t0 = performance.now();
  for (let i = 0; i < n; i++) log.info("record %d of %d", i + 1, n);
  return `${n} records in ${(performance.now() - t0).toFixed(0)} ms`;
}

/** Recipes 12 and 20 in a browser: two module Workers log to this page's listener. */
async function workers(count = 2, records = 5) {
  const made = [];
  for (let i = 1; i <= count; i++) {
    const w = new Worker(new URL("./demo-worker.js", import.meta.url), { type: "module", name: `w${i}` });
    made.push(w);
  }
  if (listener !== null) listener.stop();
  listener = new logging.PortQueueListener(made);
  listener.start();
  const done = made.map(
    (w) =>
      new Promise((resolve, reject) => {
        w.addEventListener("message", (e) => {
          if (e.data?.ready) w.postMessage({ records });
          if (e.data?.done) resolve();
        });
        w.addEventListener("error", (e) => reject(new Error(e.message || "worker failed to load")));
      }),
  );
  await Promise.all(done);
  // Records are posted before "done": a turn of the event loop hands them all to the listener.
  await new Promise((r) => setTimeout(r, 50));
  for (const w of made) w.terminate();
  return `${count} workers: ${listener.received} records received, ${listener.dropped} dropped`;
}

const DEMOS = { modules, adapter, filter, exception, levels, flood, workers };

/** Runs a demo by name; returns a line describing what it logged. */
export async function runDemo(name, ...args) {
  const demo = DEMOS[name];
  if (demo === undefined) throw new Error(`no demo named ${name}`);
  return demo(...args);
}
