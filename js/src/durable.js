// Durable browser storage behind the synchronous core: the part OPFSStorage and
// IndexedDBStorage share. The core's file handlers call append/size/rename/remove/truncate
// synchronously, once per record; the browser's durable stores are asynchronous. So a
// durable storage answers from an in-memory mirror of the logs' names and sizes (loaded when
// it is opened) and hands the operations, in order, to a write-behind queue that a promise
// chain drains into the store ("the backend"). Failures and overflow are counted and reported
// through handleError (`--- Logging error ---`), never thrown into a log call and never left
// as an unhandled rejection.

import { report } from "./state.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Default bound on bytes waiting to be written: 8 MiB. */
export const DEFAULT_MAX_PENDING = 8 * 1024 * 1024;

const RESOLVED = Promise.resolve();

/** The durable storages open in this realm (what `flushAsync()` waits for). */
const open = new Set();

/**
 * Resolves once every open durable storage has written what is pending, or after `ms`
 * milliseconds, whichever comes first (never rejects). `flushAsync()` waits for it.
 */
export function storagesWritten(ms) {
  if (open.size === 0) return RESOLVED;
  let timer = null;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  return Promise.race([Promise.all([...open].map((s) => s.flush())), limit]).then(() => clearTimeout(timer));
}

function copyBytes(bytes) {
  // `bytes` is a view on Wasm memory, valid only during the call: keep a copy.
  return typeof bytes === "string" ? encoder.encode(bytes) : Uint8Array.from(bytes);
}

/** The chunks joined into one array (the chunk itself when there is one). */
export function joinChunks(chunks) {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function errorText(e) {
  try {
    if (e && typeof e === "object" && "name" in e && "message" in e) return `${e.name}: ${e.message}`;
    return String(e);
  } catch {
    return "<unprintable error>";
  }
}

function quote(name) {
  return `'${name}'`;
}

/** The names among `names` that sit directly in the folder `dir` ("" for the top). */
function inFolder(names, dir) {
  const prefix = dir === "" || dir === undefined || dir === null ? "" : `${String(dir).replace(/\/+$/, "")}/`;
  return names.filter((n) => n.startsWith(prefix) && !n.slice(prefix.length).includes("/"));
}

/** Applies one queued operation to a mirror (`Map` of name → size). */
export function applyToMirror(mirror, op) {
  switch (op.t) {
    case "append":
      mirror.set(op.name, (mirror.get(op.name) ?? 0) + op.bytes);
      break;
    case "rename":
      if (mirror.has(op.from)) {
        mirror.set(op.to, mirror.get(op.from));
        mirror.delete(op.from);
      }
      break;
    case "remove":
      mirror.delete(op.name);
      break;
    case "truncate":
      mirror.set(op.name, 0);
      break;
  }
}

/**
 * The logs of a rotated set as they sort oldest → newest: timed backups (`base.2023-11-14…`,
 * whose suffixes sort by time) first, then numbered ones from the highest number
 * (`base.3`, `base.2`, `base.1`, also namer-made `base.1.gz`), then `base` itself.
 * @param {string[]} names every log's name
 * @param {string} base the set's current log
 */
export function rotatedSet(names, base) {
  const numbered = [];
  const other = [];
  for (const n of names) {
    if (!n.startsWith(`${base}.`)) continue;
    const m = /^(\d+)(?:\.|$)/.exec(n.slice(base.length + 1));
    if (m) numbered.push([Number(m[1]), n]);
    else other.push(n);
  }
  numbered.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
  other.sort();
  const out = [...other, ...numbered.map(([, n]) => n)];
  if (names.includes(base)) out.push(base);
  return out;
}

/**
 * The synchronous storage interface over an asynchronous durable backend. Not constructed
 * directly: `await OPFSStorage.open(...)` / `await IndexedDBStorage.open(...)`.
 *
 * A backend has `load()` → `Map` of name → size (what is durable now), `apply(ops)` →
 * promise of one error-or-null per operation (never rejecting), `read(name)` → bytes or
 * `null`, optionally `appendNow(name, bytes)` (a synchronous write when it can: OPFS in a
 * Worker), `sync()` and `close()`, `keep(queued)` (page hide: keep what is not written yet,
 * synchronously, for the next visit) and `written()` (nothing is pending any more), and
 * `concurrent` (whether a second batch may be handed over while one is being written;
 * IndexedDB orders its transactions itself).
 */
export class DurableStorage {
  constructor(backend, label, mirror, options = {}) {
    this._backend = backend;
    /** Who this is in reports: `OPFSStorage('logs')`. */
    this.label = label;
    /** @type {Map<string, number>} names and sizes as the core sees them */
    this._mirror = mirror;
    /** Operations not yet handed to the backend, in order. */
    this._queue = [];
    /** Batches being written plus a running resync. */
    this._busy = 0;
    this._scheduled = false;
    this._resync = false;
    this._pendingBytes = 0;
    this._pendingRecords = 0;
    const max = Number(options.maxPending ?? DEFAULT_MAX_PENDING);
    /** Bound on bytes waiting to be written; beyond it the oldest waiting records are dropped. */
    this.maxPending = Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_PENDING;
    this._idle = null;
    this._idleResolve = null;
    this._stats = { writtenBytes: 0, writtenRecords: 0, failures: 0, lostRecords: 0, lostBytes: 0, droppedRecords: 0, droppedBytes: 0 };
    /** The overflow episode under way: records and bytes dropped since the queue last drained. */
    this._episode = { records: 0, bytes: 0 };
    this._listeners = [];
    this._closed = false;
    this._watchPage();
    open.add(this);
  }

  // ---- the synchronous interface the core calls ------------------------------------------

  /** Appends `bytes` to the log `name` (creating it): written behind, in order. */
  append(name, bytes) {
    const n = bytes.length;
    if (n === 0 && this._mirror.has(name)) return;
    if (n > 0 && this._backend.appendNow !== undefined && this._queue.length === 0 && this._busy === 0 && !this._resync) {
      // Nothing is waiting ahead of this record and the backend can write synchronously
      // (OPFS in a Worker, its access handle already open): write now, no copy, no queue.
      let done = false;
      try {
        done = this._backend.appendNow(name, bytes);
      } catch (e) {
        // Reported after the log call returns, not from inside it (which runs inside Wasm).
        queueMicrotask(() => this._failed([{ t: "append", name, bytes: n, records: 1 }], e));
        this._mirror.set(name, this._mirror.get(name) ?? 0);
        this._resync = true;
        this._schedule();
        return;
      }
      if (done) {
        this._mirror.set(name, (this._mirror.get(name) ?? 0) + n);
        this._stats.writtenBytes += n;
        this._stats.writtenRecords += 1;
        return;
      }
    }
    this._mirror.set(name, (this._mirror.get(name) ?? 0) + n);
    const last = this._queue[this._queue.length - 1];
    const chunk = copyBytes(bytes);
    if (last !== undefined && last.t === "append" && last.name === name) {
      // Records of the same log in a row become one write.
      if (n > 0) {
        last.chunks.push(chunk);
        last.bytes += n;
        last.records += 1;
      }
    } else {
      this._queue.push({ t: "append", name, chunks: n > 0 ? [chunk] : [], bytes: n, records: n > 0 ? 1 : 0 });
    }
    if (n > 0) {
      this._pendingBytes += n;
      this._pendingRecords += 1;
      if (this._pendingBytes > this.maxPending) this._dropOldest();
    }
    this._schedule();
  }

  /** The log's size in bytes as the core sees it (including what is still pending), or `null`. */
  size(name) {
    const s = this._mirror.get(name);
    return s === undefined ? null : s;
  }

  /** Renames a log (rotation), replacing `to`; throws if `from` does not exist. */
  rename(from, to) {
    if (!this._mirror.has(from)) throw new Error(`[Errno 2] No such file or directory: '${from}'`);
    const op = { t: "rename", from, to };
    applyToMirror(this._mirror, op);
    this._queue.push(op);
    this._schedule();
  }

  /** Removes a log (a missing one is no error). */
  remove(name) {
    if (!this._mirror.has(name)) return;
    const op = { t: "remove", name };
    applyToMirror(this._mirror, op);
    this._queue.push(op);
    this._schedule();
  }

  /** Empties a log (creating it). */
  truncate(name) {
    const op = { t: "truncate", name };
    applyToMirror(this._mirror, op);
    this._queue.push(op);
    this._schedule();
  }

  /**
   * Synchronous `read(name)`: `null` for a missing log. A durable log's bytes are not kept in
   * memory, so for an existing log this throws (a rotator that reads synchronously gets a
   * `handleError` report): read with `await readAsync(name)`, `text(name)` or `readSet(base)`.
   */
  read(name) {
    if (!this._mirror.has(name)) return null;
    throw new Error(
      `${this.label}: read(${quote(name)}) cannot answer synchronously; use await readAsync(${quote(name)})`,
    );
  }

  /**
   * Starts writing what is pending and returns a promise that resolves (never rejects) once
   * nothing is pending any more: every operation made before (and during) the wait has
   * reached the store, or failed and been reported. `flush(name)` is what a file handler calls
   * after each record (it only schedules the write); `await storage.flush()` waits, and
   * also asks the store to make the data durable (OPFS access handles' `flush()`).
   */
  flush(name) {
    if (name === undefined) this._wantSync = true;
    this._schedule();
    if (this._queue.length === 0 && this._busy === 0 && !this._scheduled && !this._resync && !this._wantSync) {
      return RESOLVED;
    }
    if (this._idle === null) {
      this._idle = new Promise((resolve) => {
        this._idleResolve = resolve;
      });
    }
    return this._idle;
  }

  /** The logs in the folder `dir` ("" for the top), as the other methods name them. */
  list(dir) {
    return inFolder(this.names(), dir);
  }

  // ---- reading and downloading ----------------------------------------------------------

  /** Every log's name, sorted (from the mirror: includes logs still being written). */
  names() {
    return [...this._mirror.keys()].sort();
  }

  /** The logs of the rotated set of `base`, oldest first (see `rotatedSet`). */
  setNames(base) {
    return rotatedSet(this.names(), String(base));
  }

  /** The bytes of the log `name` once everything pending is written, or `null`. */
  async readAsync(name) {
    await this.flush();
    try {
      return await this._backend.read(String(name));
    } catch (e) {
      this._report(`could not read ${quote(name)}: ${errorText(e)}`);
      return null;
    }
  }

  /** The log `name` as text (UTF-8) once everything pending is written, or `null`. */
  async text(name) {
    const bytes = await this.readAsync(name);
    return bytes === null ? null : decoder.decode(bytes);
  }

  /**
   * The rotated set of `base` (`base`, `base.1` … or timed suffixes) as one `Blob`, oldest
   * first. `format: "log"` (default) joins the logs' bytes; `"ndjson"` gives one JSON object
   * per line, `{"file": name, "line": text}` (the line without its newline).
   * @param {string} base
   * @param {{format?: "log" | "ndjson"}} [options]
   */
  async readSet(base, { format = "log" } = {}) {
    if (format !== "log" && format !== "ndjson") {
      throw new TypeError(`${this.label}.readSet: format must be "log" or "ndjson", not ${JSON.stringify(format)}`);
    }
    await this.flush();
    const parts = [];
    for (const name of this.setNames(base)) {
      const bytes = await this.readAsync(name);
      if (bytes === null) continue;
      if (format === "log") {
        parts.push(bytes);
      } else {
        const lines = decoder.decode(bytes).split("\n");
        if (lines[lines.length - 1] === "") lines.pop();
        for (const line of lines) parts.push(`${JSON.stringify({ file: name, line })}\n`);
      }
    }
    return new Blob(parts, { type: format === "log" ? "text/plain;charset=utf-8" : "application/x-ndjson" });
  }

  /**
   * `readSet(base, {format})`, and on a page also saves it through a download link
   * (`filename`, default the last part of `base`, plus `.ndjson` for that format). Returns
   * the `Blob`.
   * @param {string} base
   * @param {{format?: "log" | "ndjson", filename?: string}} [options]
   */
  async download(base, { format = "log", filename } = {}) {
    const blob = await this.readSet(base, { format });
    const doc = globalThis.document;
    if (doc !== undefined && typeof URL.createObjectURL === "function") {
      const a = doc.createElement("a");
      a.href = URL.createObjectURL(blob);
      const last = String(base).split("/").pop();
      a.download = filename ?? (format === "ndjson" ? `${last}.ndjson` : last);
      a.style.display = "none";
      doc.body?.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    }
    return blob;
  }

  /**
   * Counters: bytes and records written, waiting (`pendingBytes`, `pendingRecords`), store
   * failures and the records they lost, records dropped by overflow.
   */
  stats() {
    return { ...this._stats, pendingBytes: this._pendingBytes, pendingRecords: this._pendingRecords };
  }

  /** Writes what is pending, stops watching the page and releases the store. */
  async close() {
    await this.flush();
    for (const [target, type, fn] of this._listeners) target.removeEventListener(type, fn);
    this._listeners = [];
    this._closed = true;
    open.delete(this);
    try {
      await this._backend.close?.();
    } catch (e) {
      this._report(`close failed: ${errorText(e)}`);
    }
  }

  // ---- the write-behind queue -----------------------------------------------------------

  _schedule() {
    if (this._scheduled || this._busy > 0) return;
    this._scheduled = true;
    queueMicrotask(() => {
      this._scheduled = false;
      this._dispatch(false);
    });
  }

  /**
   * Hands everything queued to the backend. `force` (page hide) hands it over even while a
   * batch is being written when the backend orders batches itself (IndexedDB): a transaction
   * must be started before the page's last task ends to have a chance to complete.
   */
  _dispatch(force) {
    if (this._busy > 0 && !(force && this._backend.concurrent && !this._resync)) return;
    if (this._resync) {
      this._startResync();
      return;
    }
    if (this._queue.length === 0) {
      if (this._wantSync) {
        this._wantSync = false;
        this._busy++;
        Promise.resolve()
          .then(() => this._backend.sync?.())
          .catch((e) => this._report(`flush failed: ${errorText(e)}`))
          .finally(() => this._settle());
        return;
      }
      this._settle(true);
      return;
    }
    const ops = this._queue;
    this._queue = [];
    this._busy++;
    let p;
    try {
      p = Promise.resolve(this._backend.apply(ops));
    } catch (e) {
      p = Promise.resolve(ops.map(() => e));
    }
    p.then(
      (errors) => this._written(ops, errors),
      (e) => this._written(ops, ops.map(() => e)),
    );
  }

  _written(ops, errors) {
    const failed = [];
    let failure = null;
    ops.forEach((op, i) => {
      if (op.t === "append") {
        this._pendingBytes -= op.bytes;
        this._pendingRecords -= op.records;
      }
      const e = errors?.[i];
      if (e !== null && e !== undefined) {
        failed.push(op);
        failure = e;
      } else if (op.t === "append") {
        this._stats.writtenBytes += op.bytes;
        this._stats.writtenRecords += op.records;
      }
    });
    if (failed.length > 0) {
      this._failed(failed, failure);
      this._resync = true;
    }
    this._settle();
  }

  /** A batch (or resync, or sync) finished: go on with what queued meanwhile, or go idle. */
  _settle(idleCheck = false) {
    if (!idleCheck) this._busy--;
    if (this._busy > 0) return;
    if (this._resync || this._queue.length > 0 || this._wantSync) {
      this._dispatch(false);
      return;
    }
    if (this._episode.records > 0) {
      const { records, bytes } = this._episode;
      this._episode = { records: 0, bytes: 0 };
      this._report(
        `${records} records (${bytes} bytes) waiting to be written were dropped: more than ` +
          `maxPending (${this.maxPending} bytes) were waiting; the store is not keeping up`,
      );
    }
    // Everything is written: what a page hide kept for the next visit is not needed.
    this._backend.written?.();
    if (this._idleResolve !== null) {
      const resolve = this._idleResolve;
      this._idle = null;
      this._idleResolve = null;
      resolve();
    }
  }

  /** After a failure the mirror may be wrong: reload what is durable, replay what waits. */
  _startResync() {
    this._resync = false;
    this._busy++;
    Promise.resolve()
      .then(() => this._backend.load())
      .then(
        (durable) => {
          for (const op of this._queue) applyToMirror(durable, op);
          this._mirror = durable;
        },
        (e) => this._report(`could not reload the list of logs after a failure: ${errorText(e)}`),
      )
      .finally(() => this._settle());
  }

  /** Drops the oldest records that wait (not those being written) until under maxPending. */
  _dropOldest() {
    for (const op of this._queue) {
      if (this._pendingBytes <= this.maxPending) break;
      if (op.t !== "append") continue;
      while (op.chunks.length > 0 && this._pendingBytes > this.maxPending) {
        const c = op.chunks.shift();
        op.bytes -= c.length;
        op.records -= 1;
        this._pendingBytes -= c.length;
        this._pendingRecords -= 1;
        this._episode.records += 1;
        this._episode.bytes += c.length;
        this._stats.droppedRecords += 1;
        this._stats.droppedBytes += c.length;
      }
    }
    // The mirror counted the dropped bytes: reload it once the queue drains.
    this._resync = true;
  }

  _failed(ops, e) {
    this._stats.failures += 1;
    let records = 0;
    let bytes = 0;
    const logs = new Set();
    const other = [];
    for (const op of ops) {
      if (op.t === "append") {
        records += op.records;
        bytes += op.bytes;
        logs.add(quote(op.name));
      } else if (op.t === "rename") {
        other.push(`rename ${quote(op.from)} to ${quote(op.to)}`);
      } else {
        other.push(`${op.t} ${quote(op.name)}`);
      }
    }
    this._stats.lostRecords += records;
    this._stats.lostBytes += bytes;
    const what = [];
    if (records > 0 || logs.size > 0) what.push(`write ${records} records (${bytes} bytes) to ${[...logs].join(", ")}`);
    what.push(...other);
    this._report(`could not ${what.join("; ")}: ${errorText(e)}`);
  }

  _report(message) {
    report("OSError", `${this.label}: ${message}`);
  }

  /**
   * The page is hidden or left: hand what is pending over now, and let a backend that cannot
   * finish in time keep it synchronously (OPFS writables: a journal in localStorage).
   */
  _hidden() {
    this._dispatch(true);
    if (this._backend.keep !== undefined && (this._queue.length > 0 || this._busy > 0)) {
      try {
        this._backend.keep(this._queue);
      } catch (e) {
        this._report(`could not keep the pending records for the next visit: ${errorText(e)}`);
      }
    }
  }

  /** On a page: write what is pending when the page is hidden or left. */
  _watchPage() {
    const g = globalThis;
    if (typeof g.document === "undefined" || typeof g.addEventListener !== "function") return;
    const onHide = () => this._hidden();
    const onVisibility = () => {
      if (g.document.visibilityState === "hidden") this._hidden();
    };
    g.addEventListener("pagehide", onHide);
    g.document.addEventListener("visibilitychange", onVisibility);
    this._listeners.push([g, "pagehide", onHide], [g.document, "visibilitychange", onVisibility]);
  }
}
//# sourceMappingURL=durable.js.map
