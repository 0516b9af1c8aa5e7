// Who is logging, for `threadName` / `processName`: a Web Worker's name, or "main".

/** The identity of this browser realm (a bundler build may also run under Node for SSR). */
export function browserIdentity() {
  const g = globalThis;
  const inWorker = typeof g.WorkerGlobalScope === "function" && g instanceof g.WorkerGlobalScope;
  const pid = g.process && typeof g.process.pid === "number" ? g.process.pid : undefined;
  return { name: inWorker ? g.name || "worker" : "main", process: pid };
}

/** Flush on page hide (the last moment a page is sure to run code). */
export function flushOnPageHide(flush) {
  if (typeof globalThis.addEventListener === "function") {
    globalThis.addEventListener("pagehide", () => flush());
  }
}
