// IndexedDBStorage: logs in an IndexedDB database, behind the synchronous core (see
// durable.js). Works on pages and in Workers.
//
// Layout: the object store "logs" maps a log's name to {id, size, next}; "chunks" holds its
// bytes under the keys [id, 0], [id, 1] … (one chunk per batch of records). A rename is a
// change of the name → id entry (no bytes move), a removal deletes the id's key range, so
// rotation costs the same whatever the size of the logs. Each batch of operations is one
// readwrite transaction, issued synchronously: transactions run in the order they were
// created, and the one started on page hide has its best chance to complete.

import { DurableStorage, joinChunks } from "./durable.js";

const LOGS = "logs";
const CHUNKS = "chunks";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = (ev) => {
      ev.preventDefault?.();
      reject(req.error);
    };
  });
}

function chunkRange(id) {
  return IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
}

class IndexedDBBackend {
  constructor(name, durability, onLost) {
    this.name = name;
    this.durability = durability;
    /** @type {IDBDatabase | null} */
    this.db = null;
    /** name → {id, size, next}, as the transactions issued so far leave the database. */
    this.logs = new Map();
    this.nextId = 1;
    this.concurrent = true;
    this._onLost = onLost;
  }

  async connect() {
    const factory = globalThis.indexedDB;
    if (factory === undefined || factory === null) {
      throw new TypeError("IndexedDBStorage: no indexedDB in this environment");
    }
    const req = factory.open(this.name, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(LOGS)) db.createObjectStore(LOGS);
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
    };
    const db = await new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = (ev) => {
        ev.preventDefault?.();
        reject(req.error);
      };
      req.onblocked = () =>
        reject(new Error(`IndexedDBStorage: database '${this.name}' is blocked by another connection (another tab?)`));
    });
    db.onversionchange = () => {
      // Another connection deletes or upgrades the database: let it, and say so.
      db.close();
      if (this.db === db) this.db = null;
      this._onLost("another connection is deleting or upgrading the database; it was closed");
    };
    db.onclose = () => {
      if (this.db === db) this.db = null;
      this._onLost("the browser closed the database (storage cleared?)");
    };
    this.db = db;
  }

  async load() {
    if (this.db === null) await this.connect();
    const tx = this.db.transaction([LOGS], "readonly");
    const store = tx.objectStore(LOGS);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    this.logs = new Map();
    const sizes = new Map();
    let maxId = 0;
    keys.forEach((k, i) => {
      const v = values[i];
      this.logs.set(String(k), { id: v.id, size: v.size, next: v.next });
      sizes.set(String(k), v.size);
      maxId = Math.max(maxId, v.id);
    });
    this.nextId = maxId + 1;
    return sizes;
  }

  _meta(logs, name) {
    let m = this.logs.get(name);
    if (m === undefined) {
      m = { id: this.nextId++, size: 0, next: 0 };
      this.logs.set(name, m);
      logs.put({ ...m }, name);
    }
    return m;
  }

  apply(ops) {
    if (this.db === null) {
      const e = new DOMException(`database '${this.name}' is closed`, "InvalidStateError");
      return Promise.resolve(ops.map(() => e));
    }
    const tx = this.db.transaction([LOGS, CHUNKS], "readwrite", { durability: this.durability });
    const done = new Promise((resolve) => {
      tx.oncomplete = () => resolve(ops.map(() => null));
      tx.onabort = () => {
        const e = tx.error ?? new DOMException("the transaction was aborted", "AbortError");
        resolve(ops.map(() => e));
      };
    });
    try {
      const logs = tx.objectStore(LOGS);
      const chunks = tx.objectStore(CHUNKS);
      for (const op of ops) {
        if (op.t === "append") {
          const m = this._meta(logs, op.name);
          if (op.bytes > 0) {
            chunks.put(joinChunks(op.chunks), [m.id, m.next++]);
            m.size += op.bytes;
            logs.put({ ...m }, op.name);
          }
        } else if (op.t === "rename") {
          const m = this.logs.get(op.from);
          if (m === undefined) continue;
          const old = this.logs.get(op.to);
          if (old !== undefined) chunks.delete(chunkRange(old.id));
          logs.delete(op.from);
          logs.put({ ...m }, op.to);
          this.logs.delete(op.from);
          this.logs.set(op.to, m);
        } else if (op.t === "remove") {
          const m = this.logs.get(op.name);
          if (m === undefined) continue;
          chunks.delete(chunkRange(m.id));
          logs.delete(op.name);
          this.logs.delete(op.name);
        } else if (op.t === "truncate") {
          const m = this._meta(logs, op.name);
          chunks.delete(chunkRange(m.id));
          m.size = 0;
          logs.put({ ...m }, op.name);
        }
      }
      // Ask for the commit now rather than when the task ends (what page hide needs).
      tx.commit?.();
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      return Promise.resolve(ops.map(() => e));
    }
    return done;
  }

  async read(name) {
    if (this.db === null) await this.connect();
    const tx = this.db.transaction([LOGS, CHUNKS], "readonly");
    const m = await request(tx.objectStore(LOGS).get(name));
    if (m === undefined) return null;
    const parts = await request(tx.objectStore(CHUNKS).getAll(chunkRange(m.id)));
    return joinChunks(parts.length === 0 ? [new Uint8Array(0)] : parts.map((p) => new Uint8Array(p)));
  }

  close() {
    this.db?.close();
    this.db = null;
  }
}

/**
 * Logs in IndexedDB (pages and Workers), behind the synchronous core: `size`/`rename`/
 * `remove`/`truncate`/`list` answer from memory, records are written behind in order, one
 * transaction per batch. `await IndexedDBStorage.open({name})`, then `setStorage(storage)`.
 */
export class IndexedDBStorage extends DurableStorage {
  /**
   * Opens (creating) the database `name` (default `"wasm-logging"`) and loads its logs' names
   * and sizes. `durability`: the transactions' hint, `"default"`, `"strict"` (flushed to disk
   * before a batch counts as written) or `"relaxed"`. `maxPending`: the bound on bytes waiting
   * to be written (default 8 MiB). Rejects if IndexedDB is missing or the database is blocked.
   * @param {{name?: string, durability?: "default" | "strict" | "relaxed", maxPending?: number}} [options]
   */
  static async open(options = {}) {
    const name = String(options.name ?? "wasm-logging");
    const durability = options.durability ?? "default";
    if (!["default", "strict", "relaxed"].includes(durability)) {
      throw new TypeError(`IndexedDBStorage.open: durability must be "default", "strict" or "relaxed", not ${JSON.stringify(durability)}`);
    }
    let storage = null;
    const backend = new IndexedDBBackend(name, durability, (why) => storage?._report(why));
    await backend.connect();
    const mirror = await backend.load();
    storage = new IndexedDBStorage(backend, `IndexedDBStorage('${name}')`, mirror, options);
    return storage;
  }

  /** The database's name. */
  get name() {
    return this._backend.name;
  }
}
//# sourceMappingURL=idbstorage.js.map
