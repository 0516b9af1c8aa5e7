// A Node process for js/test/workers.test.js: logs `count` records through a WebSocketBus to
// the listener at `url` (Node 20: run with --experimental-websocket), then closes.
//   node --experimental-websocket ws-child.js URL NAME COUNT
import * as logging from "../../src/node.js";

const [url, name, count] = process.argv.slice(2);
logging.setProcessName(name);
const bus = new logging.WebSocketBus(url);
const root = logging.getLogger();
root.setLevel(logging.DEBUG);
root.addHandler(new logging.PortQueueHandler(bus));
const log = logging.getLogger(`ws.${name}`);
// Record 0 carries NaN, which JSON would turn into null: reported once, sent as its repr.
for (let i = 0; i < Number(count); i++) {
  log.info("record %d of %s", i, name, { extra: i === 0 ? { seqno: i, ratio: NaN } : { seqno: i } });
}
// Everything queued while connecting goes out on open; close once the socket has sent it.
const done = () => (bus.socket.bufferedAmount === 0 ? bus.close() : setTimeout(done, 5));
bus.socket.addEventListener("open", () => setTimeout(done, 0));
