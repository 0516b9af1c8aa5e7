// A Web Worker of the demo panel (recipes 12 and 20): it logs through a PortQueueHandler to
// the page, whose PortQueueListener hands each record to the page's loggers (table, storage).
import * as logging from "../js/src/browser.js";

const root = logging.getLogger();
root.setLevel(logging.DEBUG);
root.addHandler(new logging.PortQueueHandler(self));

self.onmessage = (e) => {
  const { records = 5 } = e.data ?? {};
  const log = logging.getLogger(`worker.${self.name}`);
  log.info("worker %s starting %d tasks", self.name, records);
  for (let i = 0; i < records; i++) {
    const lg = logging.getLogger(`worker.${self.name}.task`);
    lg.log(i % 3 === 0 ? logging.DEBUG : logging.INFO, "task %d of %d done", i + 1, records);
  }
  try {
    JSON.parse("{not json");
  } catch (err) {
    log.exception("a task failed", err);
  }
  log.warning("worker %s finished", self.name);
  self.postMessage({ done: true });
};
self.postMessage({ ready: true });
