// A module Web Worker for workers.js: logs `count` records through the transport the page
// asks for (a transferred MessagePort, the worker's own port `self`, a BroadcastChannel or a
// WebSocket), then says "done" (on the same port, so after its records).
import init, * as logging from "../../src/web.js";

self.addEventListener("message", async (event) => {
  const { transport, count, channel, url, hostile } = event.data;
  await init();
  logging.setFixedTime(1_700_000_000_123, { utcOffset: 0, zone: "UTC" });
  const port = event.ports[0];
  let bus;
  if (transport === "port") bus = port;
  else if (transport === "self") bus = self;
  else if (transport === "broadcast") bus = new logging.BroadcastChannelBus(channel);
  else bus = new logging.WebSocketBus(url);
  const handler = new logging.PortQueueHandler(bus);
  const root = logging.getLogger();
  root.setLevel(logging.DEBUG);
  root.addHandler(handler);
  const log = logging.getLogger(`w.${transport}`);
  for (let i = 0; i < count; i++) {
    const extra = { n: i };
    if (hostile && i === 0) extra.n = () => i; // not clonable: sent as its repr, reported
    log.info("record %d of %s via %s", i, self.name, transport, { extra });
  }
  const finish = () => {
    const summary = { done: self.name, sent: handler.sent, lost: handler.lost, errors: logging.errorCount() };
    if (transport === "port") port.postMessage(summary);
    else self.postMessage(summary);
  };
  if (transport === "websocket") {
    const wait = () => (bus.socket.readyState === 1 && bus.socket.bufferedAmount === 0 ? finish() : setTimeout(wait, 5));
    wait();
  } else {
    finish();
  }
});
