// Who is logging, for `threadName` / `processName`, and whether there are real standard
// streams to write `sys.stdout` / `sys.stderr` to.

/**
 * Whether this is Node (or a runtime with Node's `process` streams) rather than a page or a
 * Worker: a bundler build may run under Node for server-side rendering.
 */
export function nodeStreams() {
  const p = globalThis.process;
  return (
    typeof globalThis.document === "undefined" &&
    p !== undefined &&
    p !== null &&
    typeof p.versions?.node === "string" &&
    typeof p.stdout?.write === "function" &&
    typeof p.stderr?.write === "function"
  );
}

/**
 * Node's identity: CPython's names on the main thread; a worker thread is
 * `worker-<threadId>` (Node gives a worker no name it can read), in the same process.
 * `workerThreads` is `node:worker_threads`.
 */
export function nodeIdentity(workerThreads) {
  const { isMainThread, threadId } = workerThreads;
  return {
    threadName: isMainThread ? "MainThread" : `worker-${threadId}`,
    processName: "MainProcess",
    thread: threadId,
    process: globalThis.process.pid,
    streams: true,
  };
}

/**
 * The identity of this browser realm: CPython's defaults (`MainThread`, `MainProcess`) on
 * the page; in a Web Worker, `threadName` is the worker's name (`"Worker"` if it has none),
 * as a thread's name is in CPython, while `processName` stays the page's process. A browser
 * entry run by Node (server-side rendering, `wasm-logging/lite` in a script) gets Node's
 * identity, through `process.getBuiltinModule` (no import a bundler would follow).
 */
export function browserIdentity() {
  const g = globalThis;
  const inWorker = typeof g.WorkerGlobalScope === "function" && g instanceof g.WorkerGlobalScope;
  if (!inWorker && nodeStreams() && typeof g.process.getBuiltinModule === "function") {
    try {
      return nodeIdentity(g.process.getBuiltinModule("node:worker_threads"));
    } catch {
      // a runtime whose process imitates Node's only in part: the browser's names below
    }
  }
  const pid = g.process && typeof g.process.pid === "number" ? g.process.pid : undefined;
  return {
    threadName: inWorker ? g.name || "Worker" : "MainThread",
    processName: "MainProcess",
    process: pid,
    streams: nodeStreams(),
  };
}

/** Flush on page hide (the last moment a page is sure to run code). */
export function flushOnPageHide(flush) {
  if (typeof globalThis.addEventListener === "function") {
    globalThis.addEventListener("pagehide", () => flush());
  }
}
//# sourceMappingURL=identity.js.map
