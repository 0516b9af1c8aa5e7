// Where file handlers write: the storage interface, memory and localStorage storage, the
// file handlers over it, and the queue pieces of the cookbook's listener/worker recipe.

import { need } from "./state.js";
import { Handler, RAW } from "./handlers.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function copyBytes(bytes) {
  // `bytes` is a view on Wasm memory, valid only during the call: keep a copy.
  return typeof bytes === "string" ? encoder.encode(bytes) : Uint8Array.from(bytes);
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The names among `names` that sit directly in the folder `dir` ("" for the top). */
function inFolder(names, dir) {
  const prefix = dir === "" ? "" : `${String(dir).replace(/\/+$/, "")}/`;
  return names.filter((n) => n.startsWith(prefix) && !n.slice(prefix.length).includes("/"));
}

/**
 * Logs kept in memory (the browser's "memory mode", tests, an in-page viewer):
 * `read(name)` gives the bytes, `text(name)` the text, `names()` every log.
 */
export class MemoryStorage {
  constructor() {
    /** @type {Map<string, Uint8Array[]>} */
    this._logs = new Map();
    /** Byte sizes kept as logs grow: `size()` is asked per record by rotating handlers, and
     * summing the chunks made it O(log size) (100,000 records with maxBytes 1 MB: 49 s). */
    this._sizes = new Map();
  }

  append(name, bytes) {
    const chunks = this._logs.get(name);
    if (chunks === undefined) this._logs.set(name, [copyBytes(bytes)]);
    else chunks.push(copyBytes(bytes));
    this._sizes.set(name, (this._sizes.get(name) ?? 0) + bytes.length);
  }

  size(name) {
    return this._logs.has(name) ? (this._sizes.get(name) ?? 0) : null;
  }

  rename(from, to) {
    const chunks = this._logs.get(from);
    if (chunks === undefined) throw new Error(`[Errno 2] No such file or directory: '${from}'`);
    this._logs.delete(from);
    this._logs.set(to, chunks);
    this._sizes.set(to, this._sizes.get(from) ?? 0);
    this._sizes.delete(from);
  }

  remove(name) {
    this._logs.delete(name);
    this._sizes.delete(name);
  }

  read(name) {
    const chunks = this._logs.get(name);
    if (chunks === undefined) return null;
    const joined = chunks.length === 1 ? chunks[0] : chunks.reduce(concat, new Uint8Array(0));
    this._logs.set(name, [joined]);
    return joined;
  }

  truncate(name) {
    this._logs.set(name, []);
    this._sizes.set(name, 0);
  }

  /** The log `name` as text, or `null`. */
  text(name) {
    const bytes = this.read(name);
    return bytes === null ? null : decoder.decode(bytes);
  }

  /** The names of all logs, sorted. */
  names() {
    return [...this._logs.keys()].sort();
  }

  /** The logs in the folder `dir` ("" for the top), as the other methods name them. */
  list(dir) {
    return inFolder(this.names(), dir);
  }
}

/**
 * Logs in the browser's `localStorage` (or any object with its `getItem`/`setItem`/
 * `removeItem`), one key per log: `prefix + name`. Synchronous and persistent across
 * reloads; about 5 MB per origin, so pair it with a `RotatingFileHandler`. A full store
 * throws `QuotaExceededError`, which the handler reports through `handleError`.
 */
export class LocalStorage {
  constructor(prefix = "wasm-logging:", store = globalThis.localStorage) {
    if (store === undefined || store === null) {
      throw new TypeError("LocalStorage: no localStorage in this environment (use MemoryStorage)");
    }
    this.prefix = String(prefix);
    this._store = store;
    /** Byte sizes, so rotation checks do not re-encode a whole log per record. */
    this._sizes = new Map();
    /** Chunk counts per log (see `append`). */
    this._counts = new Map();
  }

  /** Characters per chunk: an append rewrites at most this much. */
  static CHUNK = 16384;

  _key(name) {
    return this.prefix + name;
  }

  /** The key of chunk `i` of `name`: chunk 0 is `prefix + name` (the format of earlier
   * versions, still read as is); later chunks hide behind a NUL, which no log name holds. */
  _chunkKey(name, i) {
    return i === 0 ? this._key(name) : `${this.prefix}\u0000${name}\u0000${i}`;
  }

  /** How many chunks `name` has (0 when it does not exist), cached. */
  _chunks(name) {
    let n = this._counts.get(name);
    if (n === undefined) {
      n = 0;
      while (this._store.getItem(this._chunkKey(name, n)) !== null) n++;
      this._counts.set(name, n);
    }
    return n;
  }

  _removeChunks(name) {
    const n = this._chunks(name);
    for (let i = 0; i < n; i++) this._store.removeItem(this._chunkKey(name, i));
    this._counts.set(name, 0);
  }

  append(name, bytes) {
    // One record rewrites only the last chunk (at most CHUNK characters), not the whole log:
    // localStorage has no append, and a log read and written whole per record made appends
    // O(log size).
    const text = decoder.decode(bytes);
    const size = this.size(name) ?? 0;
    const n = this._chunks(name);
    if (n === 0) {
      this._store.setItem(this._key(name), text);
      this._counts.set(name, 1);
    } else {
      const lastKey = this._chunkKey(name, n - 1);
      const last = this._store.getItem(lastKey) ?? "";
      if (last.length > 0 && last.length + text.length > LocalStorage.CHUNK) {
        this._store.setItem(this._chunkKey(name, n), text);
        this._counts.set(name, n + 1);
      } else {
        this._store.setItem(lastKey, last + text);
      }
    }
    this._sizes.set(name, size + bytes.length);
  }

  size(name) {
    let size = this._sizes.get(name);
    if (size === undefined) {
      const text = this.read(name);
      if (text === null) return null;
      size = encoder.encode(text).length;
      this._sizes.set(name, size);
    }
    return size;
  }

  rename(from, to) {
    const n = this._chunks(from);
    if (n === 0) throw new Error(`[Errno 2] No such file or directory: '${from}'`);
    const size = this.size(from);
    this._removeChunks(to);
    for (let i = 0; i < n; i++) {
      this._store.setItem(this._chunkKey(to, i), this._store.getItem(this._chunkKey(from, i)) ?? "");
      this._store.removeItem(this._chunkKey(from, i));
    }
    this._counts.set(to, n);
    this._counts.set(from, 0);
    this._sizes.set(to, size);
    this._sizes.delete(from);
  }

  remove(name) {
    this._removeChunks(name);
    this._sizes.delete(name);
  }

  read(name) {
    const n = this._chunks(name);
    if (n === 0) return null;
    let text = "";
    for (let i = 0; i < n; i++) text += this._store.getItem(this._chunkKey(name, i)) ?? "";
    return text;
  }

  truncate(name) {
    this._removeChunks(name);
    this._store.setItem(this._key(name), "");
    this._counts.set(name, 1);
    this._sizes.set(name, 0);
  }

  /** The names of the logs under this prefix, sorted. */
  names() {
    const out = [];
    for (let i = 0; i < this._store.length; i++) {
      const k = this._store.key(i);
      if (k !== null && k.startsWith(this.prefix) && k[this.prefix.length] !== "\u0000") {
        out.push(k.slice(this.prefix.length));
      }
    }
    return out.sort();
  }

  /** The logs in the folder `dir` ("" for the top), as the other methods name them. */
  list(dir) {
    return inFolder(this.names(), dir);
  }
}

/**
 * `setStorage(storage)`: where `FileHandler`, `RotatingFileHandler`, `basicConfig({filename})`
 * and `dictConfig`'s file handlers write from now on. `storage` is a `MemoryStorage`, a
 * `LocalStorage`, a `NodeFileStorage` (Node's default, the working directory) or any object
 * with synchronous `append(name, bytes)`, `size(name)` (`null` if missing), `rename(from, to)`,
 * `remove(name)`, `read(name)`, `truncate(name)` and optionally `flush(name)`; `null` for none.
 */
export function setStorage(storage) {
  need().setStorage(storage ?? undefined);
  currentStorage = storage ?? null;
}

let currentStorage = null;

/**
 * The name a file handler made now keeps: the storage's `resolve(name)` if it has one
 * (NodeFileStorage: the absolute path, CPython's `os.path.abspath`), else the name.
 */
function resolvedName(filename) {
  const name = String(filename);
  try {
    if (currentStorage !== null && typeof currentStorage.resolve === "function") return String(currentStorage.resolve(name));
  } catch {
    // the handler was made, so the storage took the name; keep it as given
  }
  return name;
}

/** The storage set with `setStorage`, or `null`. */
export function getStorage() {
  return currentStorage;
}

/**
 * `logging.FileHandler(filename, mode = 'a', encoding, delay = false)` over the storage set
 * with `setStorage` (in Node: `filename` relative to the working directory, as in CPython).
 */
export class FileHandler extends Handler {
  constructor(filename, mode = "a", encoding = undefined, delay = false) {
    super(RAW, need().JsHandler.file(String(filename), String(mode), encoding ?? undefined, Boolean(delay)));
    /** The log's name in storage, as the storage resolved it when the handler was made. */
    this.baseFilename = resolvedName(filename);
  }
}

/**
 * `logging.handlers.RotatingFileHandler(filename, mode, maxBytes, backupCount, encoding, delay)`,
 * or `(filename, {mode, maxBytes, backupCount, encoding, delay})`: CPython's rollover
 * (`app.log` → `app.log.1` …) in whatever storage is set.
 */
export class RotatingFileHandler extends Handler {
  constructor(filename, mode = "a", maxBytes = 0, backupCount = 0, encoding = undefined, delay = false) {
    if (mode !== null && typeof mode === "object") {
      ({ mode = "a", maxBytes = 0, backupCount = 0, encoding = undefined, delay = false } = mode);
    }
    super(
      RAW,
      need().JsHandler.rotatingFile(
        String(filename),
        String(mode),
        Number(maxBytes),
        Number(backupCount),
        encoding ?? undefined,
        Boolean(delay),
      ),
    );
    /** The log's name in storage, as the storage resolved it when the handler was made. */
    this.baseFilename = resolvedName(filename);
    this._namer = null;
    this._rotator = null;
  }

  /**
   * `namer` (recipe 19): `(defaultName) => name`, the name a backup gets (`app.log.1` →
   * `app.log.1.gz`); `null` for the default. A namer that throws is reported through
   * `handleError` and the default name is used.
   */
  get namer() {
    return this._namer;
  }

  set namer(fn) {
    if (fn !== null && fn !== undefined && typeof fn !== "function") {
      throw new TypeError("RotatingFileHandler.namer: expected a function or null");
    }
    this._namer = fn ?? null;
    this._raw.setNamer(this._namer ?? undefined);
  }

  /**
   * `rotator` (recipe 19): `(source, dest) => void` moves the log `source` to the backup
   * `dest` — in Node with `node:fs` (names are paths relative to the working directory, as
   * in CPython), elsewhere through `getStorage()`; `null` for the default rename. A throw
   * fails the rollover, reported through `handleError`.
   */
  get rotator() {
    return this._rotator;
  }

  set rotator(fn) {
    if (fn !== null && fn !== undefined && typeof fn !== "function") {
      throw new TypeError("RotatingFileHandler.rotator: expected a function or null");
    }
    this._rotator = fn ?? null;
    this._raw.setRotator(this._rotator ?? undefined);
  }

  /** `rotation_filename(defaultName)`: what the namer makes of `defaultName`. */
  rotation_filename(defaultName) {
    return this._namer === null ? defaultName : this._namer(defaultName);
  }
}

/**
 * `queue.Queue(maxsize = 0)` for `QueueHandler` and `QueueListener`. Hand one to
 * `dictConfig` through a factory: `registerFactory('__main__.q', () => q)` makes
 * `"queue": "ext://__main__.q"` in a configuration this queue.
 */
export class Queue {
  constructor(maxsize = 0) {
    this._raw = new (need().JsQueue)(Number(maxsize) || 0);
  }

  /** `qsize()`. */
  qsize() {
    return this._raw.qsize();
  }

  /** `empty()`. */
  empty() {
    return this._raw.qsize() === 0;
  }
}

/** `logging.handlers.QueueHandler(queue)`: puts records on `queue` (a `Queue`). */
export class QueueHandler extends Handler {
  constructor(queue) {
    if (!(queue instanceof Queue)) throw new TypeError("QueueHandler: expected a Queue");
    super(RAW, need().JsHandler.queue(queue._raw));
    /** The queue. */
    this.queue = queue;
  }
}

/**
 * `logging.handlers.QueueListener(queue, ...handlers, {respectHandlerLevel})`: after
 * `start()`, `pump()` hands each queued record to the handlers (what CPython's listener
 * thread does); `stop()` dispatches what is left and stops.
 */
export class QueueListener {
  constructor(queue, ...handlers) {
    let respect = false;
    const last = handlers[handlers.length - 1];
    if (last !== undefined && !(last instanceof Handler) && typeof last === "object") {
      respect = Boolean(last.respectHandlerLevel);
      handlers.pop();
    }
    if (!(queue instanceof Queue)) throw new TypeError("QueueListener: expected a Queue");
    if (!handlers.every((h) => h instanceof Handler)) {
      throw new TypeError("QueueListener: handlers must be Handler objects");
    }
    /** The queue. */
    this.queue = queue;
    /** The handlers records go to. */
    this.handlers = handlers;
    /** `respect_handler_level`. */
    this.respectHandlerLevel = respect;
    this._raw = new (need().JsQueueListener)(
      queue._raw,
      Uint32Array.from(handlers, (h) => h._raw.id),
      respect,
    );
  }

  /** `start()`. */
  start() {
    this._raw.start();
  }

  /** `stop()`: dispatches what is queued, then stops. */
  stop() {
    this._raw.stop();
  }
}

/** `logging.makeLogRecord(attrs)`: a record object from a plain object of attributes. */
export function makeLogRecord(attrs) {
  return need().makeLogRecord(attrs ?? {});
}
//# sourceMappingURL=storage.js.map
