// The Node host, set up on a wasm-bindgen glue instance: src/node.js (the package's Node
// entry) calls `connectNode` once with the `web` glue and re-exports the API. Built-ins that only some programs use are required on
// demand: an ES import of `node:util` or `node:async_hooks` builds their whole export list,
// and `globalThis.performance` loads perf_hooks (the glue's clock uses process.hrtime in
// Node).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as workerThreads from "node:worker_threads";
import bind, { flushAsync, setRemote, setStorage, shutdown } from "./logging.js";
import { NodeFileStorage } from "./nodestorage.js";
import { NodeRemote } from "./noderemote.js";
import { waitingTotal } from "./remote.js";
import { setConsoleFormat } from "./capture.js";
import { useAsyncLocalStorage } from "./context.js";
import { nodeIdentity } from "./identity.js";

const require = createRequire(import.meta.url);

/**
 * Instantiates `glue`'s module (the package's one .wasm, read synchronously) and connects
 * the wrapper to it with Node's identity, streams, storage, sockets and exit hooks.
 */
export function connectNode(glue) {
  // CPython's names (identity.js); `sys.stdout` / `sys.stderr` are the process's real streams.
  glue.initSync({ module: readFileSync(new URL("../pkg/bundler/wasm_logging_bg.wasm", import.meta.url)) });
  bind(glue, nodeIdentity(workerThreads));
  // runWithContext's fields follow async code (await, timers, callbacks), as contextvars
  // follow asyncio tasks.
  useAsyncLocalStorage(new (require("node:async_hooks").AsyncLocalStorage)());
  // Captured console calls read as Node's console prints them.
  setConsoleFormat(require("node:util").format);
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
}

//# sourceMappingURL=nodehost.js.map
