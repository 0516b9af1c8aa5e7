// A Node worker thread for js/test/workers.test.js: logs through a PortQueueHandler over
// parentPort (or a BroadcastChannel), as workerData.mode says, then ends.
import { parentPort, workerData } from "node:worker_threads";
import * as logging from "../../src/node.js";

const { mode, name, count = 0, choices = [], ns, config, channel } = workerData;
if (ns !== undefined) {
  logging.setFixedTime(BigInt(ns), { utcOffset: 0, zone: "UTC" });
  logging.setStartTime(BigInt(ns));
}
if (name !== undefined) logging.setThreadName(name);

if (mode === "bulk") {
  // 2,000 records through parentPort, one line each, numbered.
  const root = logging.getLogger();
  root.setLevel(logging.DEBUG);
  root.addHandler(new logging.PortQueueHandler(parentPort));
  const log = logging.getLogger(`bulk.${logging.getWorkerNames().threadName}`);
  for (let i = 0; i < count; i++) log.info("record %d of %s %s", i, logging.getWorkerNames().threadName, "x".repeat(i % 97));
} else if (mode === "recipe20") {
  // The cookbook's worker_process: the worker configuration (its QueueHandler's queue is this
  // thread's parentPort), then the worker's choices. `setup` exists already, as it does in a
  // forked CPython worker, so disable_existing_loggers disables it.
  logging.setProcessName(name);
  logging.registerFactory("__main__.q", () => parentPort);
  const setup = logging.getLogger("setup");
  logging.dictConfig(config);
  setup.critical("Should not appear, because of disabled logger ...");
  choices.forEach(([lvl, logger], i) => logging.getLogger(logger).log(lvl, "Message no. %d", i));
} else if (mode === "broadcast") {
  const bus = new logging.BroadcastChannelBus(channel);
  const root = logging.getLogger();
  root.setLevel(logging.DEBUG);
  root.addHandler(new logging.PortQueueHandler(bus));
  const log = logging.getLogger(`broadcast.${name}`);
  for (let i = 0; i < count; i++) log.info("record %d of %s", i, name);
  bus.close();
}
