// Many workers, one log (cookbook recipes 12, 16/17, 20) across realms: a QueueHandler that
// posts each record over a transport (a MessagePort, a BroadcastChannel, a Worker's implicit
// port, Node's parentPort, a WebSocket, or any bus with `send(obj)`), and a QueueListener on
// the owning side that rebuilds each record with makeLogRecord and hands it on.
//
// One record is one message: a line can never interleave with another. Each handler numbers
// its messages, so the listener sees a gap or a reordering per sender and reports it. A record
// that cannot be sent (a closed port, a full backlog) is reported through handleError and
// counted in `handler.lost`; a value the transport cannot carry is sent as its repr and
// reported.

import { need, report, reportCaught } from "./state.js";
import { Handler } from "./handlers.js";
import { getLogger } from "./logger.js";
import { makeLogRecord } from "./storage.js";
import { addConfigRewriter, lookupFactory, registerFactory } from "./dictconfig.js";
import { cloneable, describe, isBus, isPortLike, toBus } from "./buses.js";

/** The key marking a message as a record from a `PortQueueHandler` (its value: 1). */
export const RECORD_TAG = "wasm-logging-record";

/** Messages a listener keeps before `start()` (or while stopped), unless told otherwise. */
const DEFAULT_CAPACITY = 10_000;

function realmId() {
  try {
    if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
  } catch {
    // fall through
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// Made with the first handler, not at import: in Node, touching `globalThis.crypto` loads
// WebCrypto (~1 ms of every process's start).
let REALM = null;
let handlerCount = 0;

/** Python's `repr(v)` as the core spells it (`<function f>`, `'text'`, `[1, 2]`). */
function reprOf(v) {
  try {
    return need().getMessage({ msg: "%r", args: [v] });
  } catch {
    try {
      return String(v);
    } catch {
      return "<unprintable object>";
    }
  }
}

export { BroadcastChannelBus, PortBus, WebSocketBus } from "./buses.js";

// ---- the sending side --------------------------------------------------------------------

/**
 * `QueueHandler` over a transport, for a Worker (or any realm) whose records another realm
 * writes: `new PortQueueHandler(self)` in a Web Worker, `new PortQueueHandler(parentPort)` in
 * a Node worker thread, a `MessagePort`, a `BroadcastChannel`, or a bus with `send(obj)`
 * (`BroadcastChannelBus`, `WebSocketBus`, your own).
 *
 * Each record is `prepare`d as CPython's `QueueHandler.prepare` does (the formatted text
 * becomes `msg` and `message`; `args`, `exc_info`, `exc_text` and `stack_info` become null,
 * their text being in `msg`) and posted as one plain object of its attributes, extra fields
 * included, inside `{"wasm-logging-record": 1, sender, seq, record}`. A value the transport
 * cannot carry (a function, say) is sent as its repr, and reported. A record that cannot be
 * sent at all is reported through `handleError` and counted in `lost`. `close()` closes the
 * handler, not the port (it may carry other messages): close the port or bus yourself.
 */
export class PortQueueHandler extends Handler {
  constructor(target) {
    super();
    /** The bus records go over. */
    this.bus = toBus(target);
    if (typeof this.bus.send !== "function") throw new TypeError("PortQueueHandler: the bus has no send(obj)");
    /** Records sent. */
    this.sent = 0;
    /** Records that could not be sent (each reported through `handleError`). */
    this.lost = 0;
    if (REALM === null) REALM = realmId();
    this._sender = `${REALM}/${++handlerCount}`;
  }

  /**
   * `prepare(record)`: CPython 3.13's `QueueHandler.prepare` as a plain object — a copy of
   * the record's attributes with `msg` and `message` set to the formatted text and `args`,
   * `exc_info`, `exc_text`, `stack_info` set to null. Override it to send something else.
   */
  prepare(record) {
    const text = this.format(record);
    const out = {};
    for (const k of Object.keys(record)) {
      const v = record[k];
      if (v !== undefined) out[k] = v;
    }
    out.message = text;
    out.msg = text;
    out.args = null;
    out.exc_info = null;
    out.exc_text = null;
    out.stack_info = null;
    return out;
  }

  /** Posts the prepared record. */
  emit(record) {
    const dict = this.prepare(record);
    const message = { [RECORD_TAG]: 1, sender: this._sender, seq: this.sent + 1, record: dict };
    try {
      this.bus.send(message);
    } catch (e) {
      const bad = this._unencodable(dict);
      if (bad.length === 0) {
        this.lost += 1;
        throw new Error(`PortQueueHandler: record not sent: ${e?.message ?? e}`);
      }
      for (const k of bad) dict[k] = reprOf(dict[k]);
      const err = new TypeError(
        `PortQueueHandler: ${bad.map((k) => `'${k}'`).join(", ")} cannot travel over this transport (not structured-clonable / not JSON); sent as its repr`,
      );
      this.handleError(record, err);
      try {
        this.bus.send(message);
      } catch (e2) {
        this.lost += 1;
        throw new Error(`PortQueueHandler: record not sent: ${e2?.message ?? e2}`);
      }
    }
    this.sent += 1;
  }

  _unencodable(dict) {
    const check = typeof this.bus.encodable === "function" ? (v) => this.bus.encodable(v) : cloneable;
    return Object.keys(dict).filter((k) => !check(dict[k]));
  }
}

// ---- the receiving side ------------------------------------------------------------------

function isHandlerLike(h) {
  return h instanceof Handler || (h !== null && typeof h === "object" && typeof h.handle === "function");
}

/**
 * `QueueListener` for records that arrive over transports: `new PortQueueListener(source,
 * ...handlers, {respectHandlerLevel, capacity})`. `source` is a `Worker`, a `MessagePort`, a
 * `BroadcastChannel`, a bus with `subscribe(cb)` (`BroadcastChannelBus`, `WebSocketBus`), or an
 * array of them; `attach(source)` adds more. Handlers are `Handler`s or any object with
 * `handle(record)` (the cookbook's listener hands records to `getLogger(record.name).handle`);
 * with none, each record goes to `getLogger(record.name).handle(record)`.
 *
 * Listening starts at construction; until `start()` (and after `stop()`) at most `capacity`
 * records are kept (beyond that they are counted in `dropped` and reported through
 * `handleError`). Once started, each record is handled as it arrives, in arrival order, which
 * keeps every sender's order. `stop()` hands on everything already received and stops
 * listening. Messages that are not records (other traffic on the same port) are left alone.
 */
export class PortQueueListener {
  constructor(source, ...handlers) {
    let options = {};
    const last = handlers[handlers.length - 1];
    if (last !== undefined && last !== null && typeof last === "object" && !isHandlerLike(last)) {
      options = handlers.pop();
    }
    for (const h of handlers) {
      if (!isHandlerLike(h)) throw new TypeError(`PortQueueListener: a handler must be a Handler or have handle(record), got ${describe(h)}`);
    }
    /** The handlers records go to (none: `getLogger(record.name).handle`). */
    this.handlers = handlers;
    /** `respect_handler_level`: skip a handler whose level is above the record's. */
    this.respectHandlerLevel = Boolean(options.respectHandlerLevel);
    /** The most records kept while not started. */
    this.capacity = options.capacity === undefined ? DEFAULT_CAPACITY : Math.max(0, Number(options.capacity) || 0);
    /** Records received. */
    this.received = 0;
    /** Records dropped because the backlog was full (each run of them reported once). */
    this.dropped = 0;
    /** Records a sender numbered but that never arrived (reported as they are noticed). */
    this.missing = 0;
    this._backlog = [];
    this._started = false;
    this._overflowing = false;
    this._lastSeq = new Map();
    this._sources = [];
    for (const s of Array.isArray(source) ? source : [source]) this.attach(s);
  }

  /** Listens to one more source (a Worker, port, channel or bus). */
  attach(source) {
    const bus = toBus(source);
    if (typeof bus.subscribe !== "function") throw new TypeError("PortQueueListener: the bus has no subscribe(cb)");
    const off = bus.subscribe((data) => this._receive(data));
    this._sources.push({ source, bus, off });
    return this;
  }

  /** Stops listening to `source` (what is already received stays). */
  detach(source) {
    const i = this._sources.findIndex((s) => s.source === source || s.bus === source);
    if (i >= 0) {
      const [s] = this._sources.splice(i, 1);
      s.off?.();
    }
    return this;
  }

  /** How many received records wait for `start()`. */
  get pending() {
    return this._backlog.length;
  }

  /** `start()`: hands on the records received so far, then each as it arrives. */
  start() {
    this._started = true;
    this._drain();
  }

  /** `stop()`: hands on everything already received, then stops listening to every source. */
  stop() {
    this._drain();
    this._started = false;
    for (const s of this._sources.splice(0)) {
      try {
        s.off?.();
      } catch (e) {
        reportCaught(e);
      }
    }
  }

  /** `prepare(record)`: the record as handlers get it (CPython's hook; unchanged here). */
  prepare(record) {
    return record;
  }

  /**
   * `handle(record)`: to each handler (skipping those above the record's level when
   * `respectHandlerLevel`), or to `getLogger(record.name).handle(record)` when there are
   * none. A handler that throws is reported; the others still get the record.
   */
  handle(record) {
    const r = this.prepare(record);
    if (this.handlers.length === 0) {
      getLogger(r.name).handle(r);
      return;
    }
    for (const h of this.handlers) {
      if (this.respectHandlerLevel && h instanceof Handler && r.levelno < h.level) continue;
      try {
        h.handle(r);
      } catch (e) {
        reportCaught(e);
      }
    }
  }

  _receive(data) {
    if (data === null || typeof data !== "object" || data[RECORD_TAG] !== 1) return;
    const dict = data.record;
    if (dict === null || typeof dict !== "object") {
      report("ValueError", "PortQueueListener: a record message without a record was ignored");
      return;
    }
    this.received += 1;
    this._checkOrder(data.sender, data.seq);
    if (this._started && this._backlog.length === 0) {
      this._dispatch(dict);
      return;
    }
    if (this._backlog.length >= this.capacity) {
      this.dropped += 1;
      if (!this._overflowing) {
        this._overflowing = true;
        report(
          "OverflowError",
          `PortQueueListener: the backlog holds ${this.capacity} records and the listener is not started; records are dropped (see listener.dropped)`,
        );
      }
      return;
    }
    this._backlog.push(dict);
  }

  _checkOrder(sender, seq) {
    if (typeof sender !== "string" || typeof seq !== "number") return;
    const last = this._lastSeq.get(sender) ?? 0;
    if (seq > last + 1) {
      this.missing += seq - last - 1;
      report("RuntimeError", `PortQueueListener: ${seq - last - 1} record(s) from sender ${sender} never arrived (before its record ${seq})`);
    } else if (seq <= last) {
      report("RuntimeError", `PortQueueListener: record ${seq} from sender ${sender} arrived after its record ${last}`);
    }
    if (seq > last) this._lastSeq.set(sender, seq);
  }

  _drain() {
    while (this._backlog.length > 0) {
      const batch = this._backlog;
      this._backlog = [];
      for (const dict of batch) this._dispatch(dict);
    }
    this._overflowing = false;
  }

  _dispatch(dict) {
    let record;
    try {
      record = makeLogRecord(dict);
    } catch (e) {
      reportCaught(e);
      return;
    }
    try {
      this.handle(record);
    } catch (e) {
      reportCaught(e);
    }
  }
}

// ---- dictConfig --------------------------------------------------------------------------

const CLASS_NAME = "wasm_logging.PortQueueHandler";
const QUEUE_HANDLER = new Set(["logging.handlers.QueueHandler", CLASS_NAME]);
const LISTENER_KEYS = ["handlers", "listener", "respect_handler_level"];
let registered = false;

function bare(name) {
  return typeof name === "string" && name.startsWith("ext://") ? name.slice(6) : name;
}

function callFactory(fn, kwargs) {
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(fn));
  return isClass ? new fn(kwargs) : fn(kwargs);
}

/** What a `queue` value names: the object its registered factory makes, or undefined. */
function resolveQueue(spec) {
  if (typeof spec === "string") {
    const fn = lookupFactory(bare(spec));
    return fn === undefined ? undefined : callFactory(fn, {});
  }
  if (spec !== null && typeof spec === "object" && typeof spec["()"] === "string") {
    const fn = lookupFactory(bare(spec["()"]));
    if (fn === undefined) return undefined;
    const { "()": _, ...kwargs } = spec;
    return callFactory(fn, kwargs);
  }
  return spec;
}

/** The `wasm_logging.PortQueueHandler` class of dictConfig: `queue` names a port or bus. */
function portQueueHandlerFactory(kwargs) {
  const { queue, ...rest } = kwargs;
  for (const k of Object.keys(rest)) {
    if (LISTENER_KEYS.includes(k)) {
      throw new TypeError(`'${k}' belongs to the listener, which runs where the port's other end is (a PortQueueListener there)`);
    }
    throw new TypeError(`PortQueueHandler() got an unexpected keyword argument '${k}'`);
  }
  if (queue === undefined || queue === null) throw new TypeError("PortQueueHandler() needs 'queue': a port or bus, e.g. \"ext://__main__.port\"");
  const port = resolveQueue(queue);
  if (port === undefined) throw new TypeError(`Invalid queue specifier ${JSON.stringify(queue)}: no factory is registered under that name`);
  return new PortQueueHandler(port);
}

function ensureRegistered() {
  if (!registered) {
    registerFactory(CLASS_NAME, portQueueHandlerFactory);
    registered = true;
  }
}

/**
 * dictConfig's pre-pass: registers `wasm_logging.PortQueueHandler`, and turns a
 * `logging.handlers.QueueHandler` whose `queue` factory makes a port or bus (not a `Queue`)
 * into one, so the cookbook's worker configuration runs unchanged in a Worker.
 */
function rewrite(config) {
  const handlers = config?.handlers;
  if (handlers === null || typeof handlers !== "object") return config;
  let out = config;
  for (const [name, spec] of Object.entries(handlers)) {
    if (spec === null || typeof spec !== "object") continue;
    const cls = bare(spec.class ?? spec["()"]);
    if (!QUEUE_HANDLER.has(cls)) continue;
    ensureRegistered();
    if (cls === CLASS_NAME) continue;
    let target;
    try {
      target = resolveQueue(spec.queue);
    } catch {
      continue; // the core calls the factory again and reports its error with the path
    }
    if (!isPortLike(target) && !isBus(target)) continue;
    if (out === config) out = { ...config, handlers: { ...handlers } };
    const { class: _c, "()": _f, ...others } = spec;
    out.handlers[name] = { class: CLASS_NAME, ...others };
  }
  return out;
}

addConfigRewriter(rewrite);
//# sourceMappingURL=workers.js.map
