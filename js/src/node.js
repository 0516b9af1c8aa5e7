// Node entry: the `nodejs` wasm-bindgen build, loaded synchronously.
import { createRequire } from "node:module";
import { isMainThread, threadId } from "node:worker_threads";
import bind, { setStorage, shutdown } from "./logging.js";
import { NodeFileStorage } from "./nodestorage.js";

const require = createRequire(import.meta.url);
bind(require("../pkg/nodejs/wasm_logging.js"), {
  name: isMainThread ? "main" : `worker-${threadId}`,
  thread: threadId,
  process: process.pid,
});
// File handlers write files, relative names under the working directory (as in CPython).
setStorage(new NodeFileStorage());
// CPython registers logging.shutdown with atexit.
process.once("exit", () => shutdown());

export * from "./logging.js";
export { NodeFileStorage } from "./nodestorage.js";
