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

import { DurableStorage, joinChunks } from "./durable.js";

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
  constructor(root, mode) {
    /** @type {FileSystemDirectoryHandle} */
    this.root = root;
    this.mode = mode;
    this.concurrent = false;
    /** name → FileSystemSyncAccessHandle ("sync" mode) */
    this.handles = new Map();
    if (mode === "sync") this.appendNow = (name, bytes) => this._appendNow(name, bytes);
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
    for (const op of ops) {
      try {
        if (op.t === "append") await this._append(op);
        else if (op.t === "rename") await this._rename(op.from, op.to);
        else if (op.t === "remove") await this._remove(op.name);
        else if (op.t === "truncate") await this._truncate(op.name);
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
    }
    return errors;
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
    const backend = new OPFSBackend(root, mode === "auto" ? (canSync ? "sync" : "async") : mode);
    const mirror = await backend.load();
    return new OPFSStorage(backend, `OPFSStorage('${dir}')`, mirror, options);
  }

  /** How records are written: `"sync"` (access handles) or `"async"` (writables). */
  get mode() {
    return this._backend.mode;
  }
}
//# sourceMappingURL=opfs.js.map
