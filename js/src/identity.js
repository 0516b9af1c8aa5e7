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
 * The identity of this browser realm: CPython's defaults (`MainThread`, `MainProcess`) on
 * the page; in a Web Worker, `threadName` is the worker's name (`"Worker"` if it has none),
 * as a thread's name is in CPython, while `processName` stays the page's process.
 */
export function browserIdentity() {
  const g = globalThis;
  const inWorker = typeof g.WorkerGlobalScope === "function" && g instanceof g.WorkerGlobalScope;
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
