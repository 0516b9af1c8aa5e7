// The consumer app every bundler builds (copied to <project>/src/ by run.test.js): the
// console through basicConfig, the same records into a list, and a module Worker that logs
// with the package too and posts its lines back.
import * as logging from "wasm-logging";

logging.basicConfig({ level: "DEBUG", format: "%(levelname)s:%(name)s:%(message)s" });
const lines = [];
const h = new logging.CallbackHandler((text) => lines.push(text));
h.setFormatter(new logging.Formatter("%(levelname)s %(name)s %(threadName)s: %(message)s"));
logging.getLogger().addHandler(h);

const log = logging.getLogger("consumer.main");
log.info("main says %s", "hello");
log.debug("%d items", 3);

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "log-worker" });
worker.onmessage = (event) => {
  globalThis.__consumer = [...lines, ...event.data];
};
worker.onerror = (event) => {
  globalThis.__consumer = [...lines, `worker failed: ${event.message}`];
};
