// Many workers, one log, in Chromium (loaded by ../workers-browser.test.js): real module Web
// Workers log through a MessagePort each, the Worker's own port, a BroadcastChannel and a
// WebSocket; the page's PortQueueListener owns a rotating file over MemoryStorage and a file
// over the real localStorage. `window.__run(options)` runs one round and returns what the
// files hold.
import init, * as logging from "../../src/web.js";

function startWorker(name) {
  return new Worker(new URL("./log-worker.js", import.meta.url), { type: "module", name });
}

/** Resolves with the worker's "done" summary on `target` (a port or the Worker). */
function doneOn(target) {
  return new Promise((resolve) => {
    const fn = (e) => {
      if (e.data && e.data.done) {
        target.removeEventListener("message", fn);
        resolve(e.data);
      }
    };
    target.addEventListener("message", fn);
    if (typeof target.start === "function") target.start();
  });
}

async function until(cond, ms = 20_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

window.__run = async ({ count, wsUrl }) => {
  await init();
  logging.setFixedTime(1_700_000_000_123, { utcOffset: 0, zone: "UTC" });
  const memory = new logging.MemoryStorage();
  logging.setStorage(memory);
  const rotating = new logging.RotatingFileHandler("all.log", { maxBytes: 50_000, backupCount: 100 });
  rotating.setFormatter(new logging.Formatter("%(threadName)s|%(name)s|%(message)s|%(n)s"));
  localStorage.clear();
  const local = new logging.LocalStorage("wl-workers:");
  logging.setStorage(local);
  const warnings = new logging.FileHandler("port.log", "w");
  warnings.setFormatter(new logging.Formatter("%(asctime)s %(threadName)s %(message)s"));
  warnings.addFilter((r) => r.name === "w.port");
  logging.setStorage(memory);

  const listener = new logging.PortQueueListener([], rotating, warnings);
  listener.start();
  const summaries = [];
  // Two workers with a MessagePort each (one sends a value that cannot be cloned).
  for (const [name, hostile] of [["port-a", false], ["port-b", true]]) {
    const { port1, port2 } = new MessageChannel();
    listener.attach(port1);
    const w = startWorker(name);
    w.postMessage({ transport: "port", count, hostile }, [port2]);
    summaries.push(doneOn(port1));
  }
  // Two workers on their own port (self.postMessage; the page listens on the Worker).
  for (const name of ["self-a", "self-b"]) {
    const w = startWorker(name);
    listener.attach(w);
    w.postMessage({ transport: "self", count });
    summaries.push(doneOn(w));
  }
  // Two workers on a BroadcastChannel the page also opens.
  const channel = `wl-${Math.random()}`;
  const bus = new logging.BroadcastChannelBus(channel);
  listener.attach(bus);
  for (const name of ["bc-a", "bc-b"]) {
    const w = startWorker(name);
    w.postMessage({ transport: "broadcast", count, channel });
    summaries.push(doneOn(w));
  }
  // One worker to a WebSocket server in Node (its listener is there).
  if (wsUrl) {
    const w = startWorker("ws-a");
    w.postMessage({ transport: "websocket", count, url: wsUrl });
    summaries.push(doneOn(w));
  }
  const done = await Promise.all(summaries);
  await until(() => listener.received === 6 * count);
  listener.stop();
  bus.close();
  rotating.close();
  logging.setStorage(local);
  warnings.close();
  const files = Object.fromEntries(memory.names().map((n) => [n, memory.text(n)]));
  return {
    done,
    files,
    portLog: local.read("port.log"),
    received: listener.received,
    missing: listener.missing,
    dropped: listener.dropped,
    errors: logging.errorCount(),
  };
};
window.__ready = true;

// Hostile inputs in the page: a closed BroadcastChannel, a port closed through its bus, a
// listener handler that throws. Returns what was counted and reported. (A MessagePort whose
// *other* end closed cannot be noticed: Chromium fires no close event for it.)
window.__hostile = async () => {
  await init();
  const before = logging.errorCount();
  const log = logging.getLogger("hostile");
  log.propagate = false;
  const channel = new BroadcastChannel("wl-hostile");
  const viaChannel = new logging.PortQueueHandler(channel);
  channel.close();
  const { port1 } = new MessageChannel();
  const viaPort = new logging.PortQueueHandler(port1);
  viaPort.bus.close();
  log.addHandler(viaChannel);
  log.addHandler(viaPort);
  log.warning("into closed transports");
  log.removeHandler(viaChannel);
  log.removeHandler(viaPort);
  const afterClosed = logging.errorCount();

  const c = new MessageChannel();
  const sender = new logging.PortQueueHandler(c.port1);
  const got = [];
  const good = new logging.CallbackHandler((t) => got.push(t));
  const listener = new logging.PortQueueListener(c.port2, { handle() { throw new Error("boom"); } }, good);
  listener.start();
  log.addHandler(sender);
  log.warning("one");
  log.warning("two");
  await until(() => listener.received === 2);
  listener.stop();
  log.removeHandler(sender);
  return {
    lost: [viaChannel.lost, viaPort.lost],
    sent: [viaChannel.sent, viaPort.sent],
    closedReports: afterClosed - before,
    got,
    throwReports: logging.errorCount() - afterClosed,
  };
};
