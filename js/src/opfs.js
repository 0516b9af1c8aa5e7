// OPFSStorage: logs as files in the Origin Private File System, behind the synchronous core
// (see durable.js). Log names may hold folders ("logs/app.log").
//
// Two ways of writing, chosen at open (`mode`):
// - "sync" (the default in a dedicated Worker): FileSystemSyncAccessHandle, one kept open per
//   log being written. Once a log's handle is open and nothing waits ahead, a record is
//   written synchronously inside the log call (no copy, no queue); opening a handle, renames
//   and removals go through the write-behind queue.
// - "async" (the default on a page, where access handles do not exist): each batch of records
//   of a log is one `createWritable({keepExistingData: true})` … `close()`. Chromium makes a
//   writable's data visible at `close()` by swapping in a copy of the file, so a batch costs
//   a copy of the log: keep logs small with a RotatingFileHandler (measured in docs/storage.md).
//   A page being left stops its promise chains, so a writable in progress never closes and
//   what waits is lost; on page hide the operations not yet written are therefore also kept,
//   synchronously, in localStorage (a journal), and replayed by the next `open()` of the same
//   folder. Replaying checks each operation against the files (sizes, and the bytes of an
//   append), so one that did complete after all is not done twice.

import { DurableStorage, applyToMirror, joinChunks } from "./durable.js";
import { report } from "./state.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const JOURNAL = "wasm-logging:opfs-journal:";

function isNotFound(e) {
  return e && (e.name === "NotFoundError" || e.name === "TypeError" && /not found/i.test(e.message));
}

function split(name) {
  const parts = String(name).split("/").filter((p) => p !== "" && p !== ".");
  const file = parts.pop();
  if (file === undefined || parts.includes("..") || file === "..") {
    throw new TypeError(`OPFSStorage: '${name}' is not a log name`);
  }
  return [parts, file];
}

class OPFSBackend {
  constructor(root, mode, dir) {
    /** @type {FileSystemDirectoryHandle} */
    this.root = root;
    this.mode = mode;
    this.concurrent = false;
    /** name → FileSystemSyncAccessHandle ("sync" mode) */
    this.handles = new Map();
    /** name → size of the files as the operations done so far leave them */
    this.sizes = new Map();
    /** The batch being written and how many of its operations are done. */
    this.current = null;
    this.journalKey = JOURNAL + dir;
    this.kept = false;
    if (mode === "sync") this.appendNow = (name, bytes) => this._appendNow(name, bytes);
    if (mode === "async" && journalStore() !== null) this.keep = (queued) => this._keep(queued);
  }

  async _dir(parts, create) {
    let d = this.root;
    for (const p of parts) d = await d.getDirectoryHandle(p, { create });
    return d;
  }

  async _file(name, create) {
    const [parts, file] = split(name);
    const dir = await this._dir(parts, create);
    return dir.getFileHandle(file, { create });
  }

  async load() {
    this._closeAll();
    const sizes = new Map();
    const walk = async (dir, prefix) => {
      for await (const [n, h] of dir.entries()) {
        if (h.kind === "file") sizes.set(prefix + n, (await h.getFile()).size);
        else await walk(h, `${prefix}${n}/`);
      }
    };
    await walk(this.root, "");
    this.sizes = new Map(sizes);
    return sizes;
  }

  _appendNow(name, bytes) {
    const h = this.handles.get(name);
    if (h === undefined) return false;
    h.write(bytes, { at: h.getSize() });
    return true;
  }

  async _handle(name) {
    let h = this.handles.get(name);
    if (h === undefined) {
      const fh = await this._file(name, true);
      h = await fh.createSyncAccessHandle();
      this.handles.set(name, h);
    }
    return h;
  }

  _close(name) {
    const h = this.handles.get(name);
    if (h !== undefined) {
      this.handles.delete(name);
      h.close();
    }
  }

  _closeAll() {
    for (const name of [...this.handles.keys()]) {
      try {
        this._close(name);
      } catch {
        // a handle the browser already closed
      }
    }
  }

  async _append(op) {
    if (this.mode === "sync") {
      const h = await this._handle(op.name);
      if (op.bytes > 0) h.write(joinChunks(op.chunks), { at: h.getSize() });
      return;
    }
    const fh = await this._file(op.name, true);
    if (op.bytes === 0) return;
    const w = await fh.createWritable({ keepExistingData: true });
    try {
      const at = (await fh.getFile()).size;
      await w.write({ type: "write", position: at, data: joinChunks(op.chunks) });
      await w.close();
    } catch (e) {
      await w.abort().catch(() => {});
      throw e;
    }
  }

  async _remove(name) {
    this._close(name);
    const [parts, file] = split(name);
    try {
      const dir = await this._dir(parts, false);
      await dir.removeEntry(file);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async _rename(from, to) {
    this._close(from);
    await this._remove(to);
    const src = await this._file(from, false);
    const [parts, file] = split(to);
    const dir = await this._dir(parts, true);
    await src.move(dir, file);
  }

  async _truncate(name) {
    if (this.mode === "sync") {
      (await this._handle(name)).truncate(0);
      return;
    }
    const fh = await this._file(name, true);
    const w = await fh.createWritable({ keepExistingData: false });
    await w.close();
  }

  async apply(ops) {
    const errors = [];
    this.current = { ops, done: 0 };
    for (const op of ops) {
      try {
        if (op.t === "append") await this._append(op);
        else if (op.t === "rename") await this._rename(op.from, op.to);
        else if (op.t === "remove") await this._remove(op.name);
        else if (op.t === "truncate") await this._truncate(op.name);
        applyToMirror(this.sizes, op);
        errors.push(null);
      } catch (e) {
        // A handle that failed may be unusable (closed by the browser): open it afresh.
        if (op.name !== undefined) {
          try {
            this._close(op.name);
          } catch {
            // already closed
          }
        }
        errors.push(e);
      }
      this.current.done += 1;
    }
    this.current = null;
    return errors;
  }

  /**
   * Page hide: the operations of the batch in progress not done yet and the queued ones,
   * each with what the files looked like before it, into localStorage (synchronously).
   */
  _keep(queued) {
    const store = journalStore();
    const pending = [...(this.current === null ? [] : this.current.ops.slice(this.current.done)), ...queued];
    if (pending.length === 0) return;
    const sim = new Map(this.sizes);
    const size = (n) => (sim.has(n) ? sim.get(n) : null);
    const entries = pending.map((op) => {
      let e;
      if (op.t === "append") e = { t: op.t, name: op.name, at: size(op.name), text: decoder.decode(joinChunks(op.chunks)) };
      else if (op.t === "rename") e = { t: op.t, from: op.from, to: op.to, fromSize: size(op.from), toSize: size(op.to) };
      else e = { t: op.t, name: op.name, size: size(op.name) };
      applyToMirror(sim, op);
      return e;
    });
    store.setItem(this.journalKey, JSON.stringify({ v: 1, ops: entries }));
    this.kept = true;
  }

  /** Everything is written: the journal a page hide kept is not needed any more. */
  written() {
    if (this.kept) {
      this.kept = false;
      journalStore()?.removeItem(this.journalKey);
    }
  }

  /** Whether the log `name` holds `bytes` at `at`. */
  async _holds(name, at, bytes) {
    const fh = await this._file(name, false);
    const got = new Uint8Array(await (await fh.getFile()).slice(at, at + bytes.length).arrayBuffer());
    return got.length === bytes.length && got.every((b, i) => b === bytes[i]);
  }

  /**
   * Replays the journal an earlier page kept on hide (see the top of this file); returns how
   * many operations it held. Each is checked against the files first: an append whose bytes
   * are already in place, a rename whose source or target is no longer as it was, … are done.
   */
  async replay(label) {
    const store = journalStore();
    const raw = store?.getItem(this.journalKey) ?? null;
    if (raw === null) return 0;
    store.removeItem(this.journalKey);
    let ops;
    try {
      ops = JSON.parse(raw).ops;
      if (!Array.isArray(ops)) throw new TypeError("no operations");
    } catch (e) {
      report("OSError", `${label}: the records kept on the last page hide are unreadable and were dropped: ${e}`);
      return 0;
    }
    const sizes = await this.load();
    const cur = (n) => (sizes.has(n) ? sizes.get(n) : null);
    let lost = 0;
    for (const e of ops) {
      try {
        if (e.t === "append") {
          const bytes = encoder.encode(e.text);
          const size = cur(e.name);
          // A log missing before the append (at null) would hold the bytes from its start.
          const at = e.at ?? 0;
          if (size !== null && size >= at + bytes.length && (await this._holds(e.name, at, bytes))) continue;
          await this._append({ t: "append", name: e.name, chunks: [bytes], bytes: bytes.length });
          sizes.set(e.name, (size ?? 0) + bytes.length);
        } else if (e.t === "rename") {
          if (e.fromSize === null || cur(e.from) !== e.fromSize || cur(e.to) !== e.toSize) continue;
          await this._rename(e.from, e.to);
          applyToMirror(sizes, e);
        } else if (e.t === "remove" || e.t === "truncate") {
          if (e.size === null ? e.t === "remove" || cur(e.name) !== null : cur(e.name) !== e.size) continue;
          if (e.t === "remove") await this._remove(e.name);
          else await this._truncate(e.name);
          applyToMirror(sizes, e);
        }
      } catch (err) {
        lost += 1;
        report("OSError", `${label}: could not replay ${e.t} of '${e.name ?? e.from}' kept on the last page hide: ${err?.name}: ${err?.message}`);
      }
    }
    return ops.length - lost;
  }

  async read(name) {
    const h = this.handles.get(name);
    if (h !== undefined) {
      const out = new Uint8Array(h.getSize());
      h.read(out, { at: 0 });
      return out;
    }
    try {
      const fh = await this._file(name, false);
      return new Uint8Array(await (await fh.getFile()).arrayBuffer());
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  sync() {
    for (const h of this.handles.values()) h.flush();
  }

  close() {
    this._closeAll();
  }
}

/** localStorage where this realm has one (pages), else `null`. */
function journalStore() {
  try {
    const s = globalThis.localStorage;
    return s === undefined || s === null ? null : s;
  } catch {
    return null; // a sandboxed frame throws on access
  }
}

function inDedicatedWorker() {
  const g = globalThis;
  return typeof g.DedicatedWorkerGlobalScope === "function" && g instanceof g.DedicatedWorkerGlobalScope;
}

/**
 * Logs as files in the Origin Private File System, behind the synchronous core:
 * `size`/`rename`/`remove`/`truncate`/`list` answer from memory, records are written behind
 * in order (synchronously through access handles in a Worker). `await OPFSStorage.open({dir})`,
 * then `setStorage(storage)`.
 */
export class OPFSStorage extends DurableStorage {
  /**
   * Opens (creating) the folder `dir` of the origin's private file system (default `"logs"`;
   * `""` for its root) and loads its logs' names and sizes. `mode`: `"sync"` (access handles:
   * dedicated Workers only), `"async"` (writables: anywhere) or `"auto"` (default: sync in a
   * dedicated Worker). `maxPending`: the bound on bytes waiting to be written (default 8 MiB).
   * Rejects where there is no OPFS.
   * @param {{dir?: string, mode?: "auto" | "sync" | "async", maxPending?: number}} [options]
   */
  static async open(options = {}) {
    const dir = String(options.dir ?? "logs");
    const mode = options.mode ?? "auto";
    if (!["auto", "sync", "async"].includes(mode)) {
      throw new TypeError(`OPFSStorage.open: mode must be "auto", "sync" or "async", not ${JSON.stringify(mode)}`);
    }
    const getDirectory = globalThis.navigator?.storage?.getDirectory;
    if (typeof getDirectory !== "function") {
      throw new TypeError("OPFSStorage: no Origin Private File System here (navigator.storage.getDirectory)");
    }
    const canSync =
      inDedicatedWorker() && typeof globalThis.FileSystemFileHandle?.prototype?.createSyncAccessHandle === "function";
    if (mode === "sync" && !canSync) {
      throw new TypeError("OPFSStorage: mode \"sync\" needs a dedicated Worker (createSyncAccessHandle)");
    }
    let root = await navigator.storage.getDirectory();
    for (const p of dir.split("/").filter((s) => s !== "")) root = await root.getDirectoryHandle(p, { create: true });
    const label = `OPFSStorage('${dir}')`;
    const backend = new OPFSBackend(root, mode === "auto" ? (canSync ? "sync" : "async") : mode, dir);
    await backend.replay(label);
    const mirror = await backend.load();
    return new OPFSStorage(backend, label, mirror, options);
  }

  /** How records are written: `"sync"` (access handles) or `"async"` (writables). */
  get mode() {
    return this._backend.mode;
  }
}
//# sourceMappingURL=opfs.js.map
