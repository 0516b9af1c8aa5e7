// Node entry: the `nodejs` wasm-bindgen build, loaded synchronously.
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { format } from "node:util";
import { isMainThread, threadId } from "node:worker_threads";
import bind, { flushAsync, setRemote, setStorage, shutdown } from "./logging.js";
import { NodeFileStorage } from "./nodestorage.js";
import { NodeRemote } from "./noderemote.js";
import { waitingTotal } from "./remote.js";
import { setConsoleFormat } from "./capture.js";
import { useAsyncLocalStorage } from "./context.js";

const require = createRequire(import.meta.url);
// CPython's names on the main thread; a worker thread is `worker-<threadId>` (Node gives a
// worker no name it can read), in the same process. `sys.stdout` / `sys.stderr` are the
// process's real streams.
bind(require("../pkg/nodejs/wasm_logging.js"), {
  threadName: isMainThread ? "MainThread" : `worker-${threadId}`,
  processName: "MainProcess",
  thread: threadId,
  process: process.pid,
  streams: true,
});
// runWithContext's fields follow async code (await, timers, callbacks), as contextvars
// follow asyncio tasks.
useAsyncLocalStorage(new AsyncLocalStorage());
// Captured console calls read as Node's console prints them.
setConsoleFormat(format);
// File handlers write files, relative names under the working directory (as in CPython).
setStorage(new NodeFileStorage());
// Network handlers connect over node:net / node:dgram / node:tls. A Node program trusts its
// own configuration, as CPython does: any endpoint is allowed. Restrict it with
// `setRemote(new NodeRemote({allow: ["host:port", "host:*"]}))`.
setRemote(new NodeRemote({ allow: "*" }));
// Records still waiting for a peer when the event loop empties (CPython's handlers would have
// sent them synchronously): deliver them before the process exits. beforeExit comes again
// after that work, so a batch that made no progress (the same count still waiting) is given
// up on: the exit below reports it as undelivered.
let gaveUpAt = -1;
process.on("beforeExit", () => {
  let waiting = 0;
  try {
    waiting = waitingTotal();
  } catch {
    return;
  }
  if (waiting === 0 || waiting === gaveUpAt) return;
  flushAsync().then((left) => {
    gaveUpAt = left;
  });
});
// CPython registers logging.shutdown with atexit.
process.once("exit", () => shutdown());

export * from "./logging.js";
export { NodeFileStorage } from "./nodestorage.js";
export { NodeRemote } from "./noderemote.js";
//# sourceMappingURL=node.js.map
