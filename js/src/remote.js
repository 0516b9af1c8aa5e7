// Network handlers' connections (any platform): which remote object the core sends through,
// and `flushAsync`, which waits until what was logged has left the process.
//
// The core's network handlers (`SocketHandler`, `DatagramHandler`, `SysLogHandler`,
// `HTTPHandler` …, by class name in `dictConfig`) hand frames to a remote object: in Node the
// entry installs `NodeRemote` (js/src/noderemote.js); browsers have none, so those classes are
// refused there.

import { need, raw } from "./state.js";
import { storagesWritten } from "./durable.js";

/** Every remote object installed so far (handlers made earlier keep theirs). */
const installed = new Set();
let current = null;

/**
 * `setRemote(remote)`: the connections network handlers made from now on use (`null`: none,
 * and their classes are refused by `dictConfig`). `remote` is a `NodeRemote` or any object
 * with synchronous `check(endpoint)`, `open(endpoint)`, `send(conn, bytes)`, `close(conn)`
 * and optionally `wakeAfter(ms)`, `unflushed()` and `whenProgress()` (see the README).
 */
export function setRemote(remote) {
  need().setRemote(remote ?? null);
  current = remote ?? null;
  if (current !== null) installed.add(current);
}

/** The remote object set with `setRemote`, or `null`. */
export function getRemote() {
  return current;
}

/**
 * Moves every network handler's waiting records on, respecting each one's reconnect back-off
 * (what the remote object calls when a connection becomes ready). Returns how many still wait.
 */
export function remotePump() {
  return raw === null ? 0 : raw.remotePump();
}

/** How many records network handlers hold, waiting for delivery. */
export function remotePending() {
  return raw === null ? 0 : raw.remotePending();
}

/** Records waiting in the core plus frames still in sockets (internal: the Node entry's exit hook). */
export function waitingTotal() {
  return remotePending() + unflushed();
}

function unflushed() {
  let n = 0;
  for (const r of installed) {
    try {
      if (typeof r.unflushed === "function") n += Number(r.unflushed()) || 0;
    } catch {
      // a broken remote object counts nothing
    }
  }
  return n;
}

function progress() {
  const waits = [];
  for (const r of installed) {
    try {
      if (typeof r.whenProgress === "function") waits.push(Promise.resolve(r.whenProgress()));
    } catch {
      // ignore
    }
  }
  return waits;
}

/**
 * Flushes every handler, waits for the durable browser storages (OPFSStorage,
 * IndexedDBStorage) to write what is pending, then until the network handlers' records have
 * left the process: none waiting in the core (`remotePending()` is 0) and none buffered in a
 * socket.
 * Retries delivery at once (ignoring the reconnect back-off) whenever a connection makes
 * progress, and every few hundred milliseconds otherwise. Resolves with the number of records
 * still undelivered when `timeout` (ms, default 5000) runs out; never rejects.
 * @param {{timeout?: number} | number} [options]
 * @returns {Promise<number>}
 */
export async function flushAsync(options = {}) {
  const timeout = typeof options === "number" ? options : Number(options?.timeout ?? 5000);
  const deadline = Date.now() + (Number.isFinite(timeout) ? Math.max(0, timeout) : 5000);
  if (raw === null) return 0;
  try {
    raw.flush();
  } catch {
    // flush() reports through handleError; a trap leaves nothing to wait for
  }
  // Durable browser storages (OPFSStorage, IndexedDBStorage) write behind: wait for them too.
  await storagesWritten(deadline - Date.now());
  let delay = 5;
  let before = Infinity;
  for (;;) {
    let left;
    try {
      left = raw.remoteFlush() + unflushed();
    } catch {
      return 0;
    }
    if (left === 0) return 0;
    if (left < before) delay = 5;
    before = left;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return left;
    let timer = null;
    const sleep = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.min(delay, remaining));
    });
    await Promise.race([sleep, ...progress()]);
    clearTimeout(timer);
    delay = Math.min(delay * 2, 200);
  }
}
//# sourceMappingURL=remote.js.map
