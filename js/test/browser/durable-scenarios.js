// The steps ../durable.test.js runs in Chromium, on a page or in a Worker (see durable.js):
// each opens an OPFSStorage or IndexedDBStorage, logs through the file handlers, and answers
// with what it saw. Logging errors (`--- Logging error ---` on console.error) are collected.
import init, * as logging from "../../src/web.js";

/** 2023-11-14 22:13:20.123456789 UTC, as js/test/helpers.js. */
const NS = 1_700_000_000_123_456_789n;
const UTC = { utcOffset: 0, zone: "UTC" };

const reports = [];
const consoleError = console.error.bind(console);
console.error = (...args) => {
  const text = args.map(String).join(" ");
  const last = args[args.length - 1];
  if (typeof last === "string" && last.startsWith("--- Logging error ---")) reports.push(last);
  else if (text.includes("--- Logging error ---")) reports.push(text);
  consoleError(...args);
};

function quiet(logger) {
  const l = logging.getLogger(logger);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  for (const h of l.handlers) l.removeHandler(h);
  return l;
}

function nextTask() {
  return new Promise((resolve) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => {
      c.port1.close();
      resolve();
    };
    c.port2.postMessage(0);
  });
}

export class Scenarios {
  constructor() {
    this.storage = null;
    /** What each visibilitychange saw (pages; see `open`). */
    this.visibility = [];
  }

  /** Loads the package and opens the storage `kind` ("opfs" | "idb") under `label`. */
  async open({ kind, label, mode, maxPending }) {
    await init();
    logging.setFixedTime(NS, UTC);
    logging.setStartTime(NS);
    if (kind === "opfs") this.storage = await logging.OPFSStorage.open({ dir: label, mode, maxPending });
    else if (kind === "idb") this.storage = await logging.IndexedDBStorage.open({ name: label, maxPending });
    else if (kind === "local") this.storage = new logging.LocalStorage(`${label}:`);
    else this.storage = new logging.MemoryStorage();
    if (typeof this.storage.flush !== "function") this.storage.flush = async () => {};
    if (typeof this.storage.stats !== "function") this.storage.stats = () => ({});
    logging.setStorage(this.storage);
    if (typeof document !== "undefined" && kind !== "memory" && kind !== "local") {
      // Registered after the storage's own listener: what was still unwritten when the page
      // was hidden, for the next visit to see (`hidden`).
      addEventListener("pagehide", () => {
        const s = this.storage.stats();
        localStorage.setItem(`wl-hidden:${label}`, JSON.stringify({ pendingRecords: s.pendingRecords, writtenRecords: s.writtenRecords }));
      });
      document.addEventListener("visibilitychange", () => {
        const journal = this.storage._backend.journalKey;
        this.visibility.push({
          state: document.visibilityState,
          pendingRecords: this.storage.stats().pendingRecords,
          journal: journal === undefined ? null : localStorage.getItem(journal) !== null,
        });
      });
    }
    return { names: this.storage.names(), mode: this.storage.mode ?? null };
  }

  /**
   * The cookbook-style writes compared with CPython: a RotatingFileHandler (maxBytes 120,
   * backupCount 3, 40 records), a FileHandler from dictConfig in a folder, and a
   * TimedRotatingFileHandler (when "S", backupCount 2) under a clock advancing 1 s a record.
   */
  async write() {
    const h = new logging.RotatingFileHandler("r.log", { maxBytes: 120, backupCount: 3 });
    h.setFormatter(new logging.Formatter("%(asctime)s %(levelname)s %(message)s"));
    const rot = quiet("rot");
    rot.addHandler(h);
    for (let i = 0; i < 40; i++) rot.info("record number %d with some padding", i);
    h.close();
    rot.removeHandler(h);

    logging.dictConfig({
      version: 1,
      disable_existing_loggers: false,
      formatters: { f: { format: "%(asctime)s %(name)s %(levelname)s %(message)s" } },
      handlers: { file: { class: "logging.FileHandler", filename: "logs/app.log", formatter: "f" } },
      loggers: { cfg: { handlers: ["file"], level: "DEBUG", propagate: false } },
    });
    const cfg = logging.getLogger("cfg");
    cfg.debug("ünïcödé %s", "débug");
    cfg.info("%d%% done", 50);
    cfg.warning("a warning with %r", "repr");
    cfg.error("an error");

    logging.dictConfig({
      version: 1,
      disable_existing_loggers: false,
      formatters: { f: { format: "%(message)s" } },
      handlers: {
        t: { class: "logging.handlers.TimedRotatingFileHandler", filename: "logs/t.log", when: "S", backupCount: 2, formatter: "f" },
      },
      loggers: { timed: { handlers: ["t"], level: "DEBUG", propagate: false } },
    });
    ["a", "b", "c", "d", "e"].forEach((m, i) => {
      logging.setFixedTime(NS + BigInt(i) * 1_000_000_000n, UTC);
      logging.getLogger("timed").info(m);
    });
    logging.shutdown();
    logging.setFixedTime(NS, UTC);
    await this.storage.flush();
    return { names: this.storage.names(), stats: this.storage.stats(), reports };
  }

  /** Every log's text, read back from the store; and the rotated sets as Blobs. */
  async read({ sets = [] } = {}) {
    const logs = {};
    const sizes = {};
    for (const n of this.storage.names()) {
      logs[n] = await this.storage.text(n);
      sizes[n] = this.storage.size(n);
    }
    const blobs = {};
    for (const base of sets) {
      blobs[base] = {
        names: this.storage.setNames(base),
        log: await (await this.storage.readSet(base)).text(),
        ndjson: await (await this.storage.readSet(base, { format: "ndjson" })).text(),
      };
    }
    return { names: this.storage.names(), logs, sizes, blobs, reports };
  }

  /**
   * Logs `count` records "line <i>" (from `start`; `pad` x's after it) to `file` through a FileHandler without
   * waiting for them to be written. `warm`: first one record, written and awaited (a Worker's
   * access handle is then open and the rest are written inside the log calls).
   */
  async burst({ file, count, start = 0, warm = false, pad = 0 }) {
    const h = new logging.FileHandler(file);
    h.setFormatter(new logging.Formatter("%(message)s"));
    const l = quiet("burst");
    l.addHandler(h);
    if (warm) {
      l.info("warm-up");
      await this.storage.flush();
    }
    let threw = null;
    try {
      const x = "x".repeat(pad);
      for (let i = start; i < start + count; i++) {
        if (pad > 0) l.info("line %d %s", i, x);
        else l.info("line %d", i);
      }
    } catch (e) {
      threw = String(e);
    }
    l.removeHandler(h);
    return { threw, pending: this.storage.stats().pendingRecords };
  }

  /**
   * Two bursts in two tasks (the second while the first is being written), then returns at
   * once: what page hide must flush.
   */
  async twoTasks({ file, count }) {
    await this.burst({ file, count });
    await new Promise((resolve) => setTimeout(resolve, 0));
    return this.burst({ file, count, start: count });
  }

  /**
   * An OPFS page's journal whose operations did complete after all: logs `count` records,
   * hides the page (the journal is kept while the batch is being written), lets the batch
   * finish, then puts the journal back as if the page had died right after.
   */
  async keptButWritten({ file, count }) {
    const r = await this.burst({ file, count });
    this.storage._hidden();
    const key = this.storage._backend.journalKey;
    const kept = localStorage.getItem(key);
    await this.storage.flush();
    const cleared = localStorage.getItem(key) === null;
    localStorage.setItem(key, kept);
    return { ...r, kept: JSON.parse(kept).ops.length, cleared };
  }

  /** A burst, then `await flushAsync()` (which waits for durable storages too). */
  async viaFlushAsync({ file, count }) {
    const r = await this.burst({ file, count });
    const left = await logging.flushAsync({ timeout: 30_000 });
    return { ...r, left, after: this.storage.stats().pendingRecords, text: await this.storage.text(file) };
  }

  /** `storage.download(base, options)` (a page saves it); returns the Blob's text. */
  async download({ base, ...options }) {
    return (await this.storage.download(base, options)).text();
  }

  /** What each visibilitychange saw, and whether an OPFS journal is there now. */
  async seen() {
    const journal = this.storage._backend.journalKey;
    return { visibility: this.visibility, journal: journal === undefined ? null : localStorage.getItem(journal) !== null };
  }

  /** What the page listed under `label` saw when it was hidden (see `open`), or null. */
  async hidden({ label }) {
    return JSON.parse(localStorage.getItem(`wl-hidden:${label}`) ?? "null");
  }

  /** `await storage.flush()`, then the counters and the reports so far. */
  async flush() {
    await this.storage.flush();
    return { stats: this.storage.stats(), reports };
  }

  /**
   * 20,000 records (`count`) through a RotatingFileHandler with a small maxBytes, in bursts
   * with yields between them (rotation while batches are being written); returns the rotated
   * set read back in order.
   */
  async order({ count = 20000, maxBytes = 4096, burst = 1000 }) {
    const h = new logging.RotatingFileHandler("o.log", { maxBytes, backupCount: 10000 });
    h.setFormatter(new logging.Formatter("%(message)s"));
    const l = quiet("order");
    l.addHandler(h);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      l.info("n=%d", i);
      if (i % burst === burst - 1) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const logged = performance.now() - t0;
    await this.storage.flush();
    const written = performance.now() - t0;
    h.close();
    l.removeHandler(h);
    const set = this.storage.setNames("o.log");
    const text = await (await this.storage.readSet("o.log")).text();
    return { files: set.length, first: set[0], last: set[set.length - 1], text, logged, written, stats: this.storage.stats(), reports };
  }

  /**
   * Appends per second through a RotatingFileHandler (`maxBytes`, 3 backups) for `count`
   * records, all in one task or `perTask` a task; `logged` is the time inside the log calls.
   */
  async bench({ count = 20000, maxBytes = 1 << 18, perTask = 0 }) {
    const h = new logging.RotatingFileHandler("bench.log", { maxBytes, backupCount: 3 });
    h.setFormatter(new logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"));
    const l = quiet("bench");
    l.addHandler(h);
    const t0 = performance.now();
    let logging_ms = 0;
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      l.info("benchmark record number %d with a little payload", i);
      logging_ms += performance.now() - t;
      // `perTask` records a task (a message-channel turn: no timer clamping), so each batch
      // the store writes holds that many.
      if (perTask > 0 && i % perTask === perTask - 1) await nextTask();
    }
    const logged = logging_ms;
    await this.storage.flush();
    const written = performance.now() - t0;
    h.close();
    l.removeHandler(h);
    return { count, logged, written, stats: this.storage.stats() };
  }

  /**
   * Makes access handles' writes fail with a QuotaExceededError (`on`) or work again: Chromium
   * applies DevTools' quota override to writables and IndexedDB but not to access handles.
   */
  async inject({ on }) {
    const proto = globalThis.FileSystemSyncAccessHandle.prototype;
    this._write ??= proto.write;
    proto.write = on
      ? () => {
          throw new DOMException(
            "The operation failed because it would cause the application to exceed its storage quota.",
            "QuotaExceededError",
          );
        }
      : this._write;
  }

  /** The reports collected so far. */
  async reports() {
    return reports;
  }
}
