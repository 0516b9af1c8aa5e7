// Records per second through the npm package's SocketHandler in Node (NodeRemote over
// node:net, CPython's length-prefixed pickle frames): the "node" sender of
// `make bench-remote` (bench/remote.py, bench/README.md). Not a test.
//
//   node js/bench/socket.js --port P [--records N] [--host 127.0.0.1]
//
// The package's Node entry (js/src/node.js, which installs `NodeRemote({allow: "*"})`),
// caller location off as in the comparison harness (`setCallerInfo(false)`), `dictConfig`
// with a SocketHandler on the root at INFO, then N calls of `info("Message no. %d", i)` on
// logger "bench" and `await flushAsync()`: that span is the figure (flushAsync resolves once
// no record waits in the core and no frame in a socket). Afterwards, untimed, one WARNING
// "socket-bench: done" (the harness's receiver prints only that one, so it knows every
// earlier frame on this connection was dispatched), flushAsync, shutdown.
//
// Node's sockets connect and drain only when the event loop turns, and the core keeps at
// most 10,000 waiting frames (oldest dropped beyond), so a synchronous loop of N records
// would lose all but the last 10,000. The loop yields once every 1,000 records
// (`setImmediate`) and, when more than 5,000 wait, awaits `flushAsync()`: what a Node
// producer that must not lose records does (inside the timing).
//
// Prints one JSON line: {"sender":"node","n":N,"secs":S,"t0":EPOCH_SECONDS,"waits":W}.

import { setImmediate as turn } from "node:timers/promises";

const BATCH = 1000;
const HIGH = 5000;

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const host = arg("--host", "127.0.0.1");
const port = Number(arg("--port", "0"));
const n = Number(arg("--records", "200000"));
if (!(port > 0) || !(n >= 0)) {
  console.error("usage: node js/bench/socket.js --port P [--records N] [--host H]");
  process.exit(2);
}

const logging = await import("../src/node.js");
logging.setCallerInfo(false);
logging.dictConfig({
  version: 1,
  handlers: { s: { class: "logging.handlers.SocketHandler", host, port } },
  root: { handlers: ["s"], level: "INFO" },
});
const logger = logging.getLogger("bench");
const TIMEOUT = 120000;
let waits = 0;

const wall0 = Date.now() / 1000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; ) {
  const end = Math.min(n, i + BATCH);
  for (; i < end; i++) logger.info("Message no. %d", i);
  if (logging.remotePending() > HIGH) {
    waits += 1;
    const left = await logging.flushAsync({ timeout: TIMEOUT });
    if (left !== 0) throw new Error(`${left} records undelivered after ${TIMEOUT} ms`);
  } else {
    await turn();
  }
}
const left = await logging.flushAsync({ timeout: TIMEOUT });
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
if (left !== 0) throw new Error(`${left} records undelivered after ${TIMEOUT} ms`);

logger.warning("socket-bench: done");
if ((await logging.flushAsync({ timeout: TIMEOUT })) !== 0) throw new Error("the last record was not delivered");
logging.shutdown();
const errors = logging.errorCount();
console.log(JSON.stringify({ sender: "node", n, secs, t0: wall0, waits, errors }));
