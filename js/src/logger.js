// Loggers: getLogger, the level methods and their no-op swap, and the one crossing into Wasm
// an enabled call makes.

import {
  CRITICAL,
  DEBUG,
  ERROR,
  INFO,
  WARNING,
  internalError,
  isError,
  levelArgument,
  need,
  raw,
  report,
  reportCaught,
} from "./state.js";
import { callerFrames, describeError, renderStack } from "./stack.js";
import { wantLocation } from "./callerinfo.js";
import { copyOptions, readExtra, readOptions } from "./options.js";
import { contextFields } from "./context.js";
import { addFilterTo, removeFilterFrom } from "./filter.js";
import { Handler, handlerFromId } from "./handlers.js";


// The packed fast path (JsLogger::logShared): the message, the arguments
// and the `extra` entries, when they are plain data, as one string (every string piece
// concatenated, UTF-8-encoded once) and one Float64Array describing them (kinds, lengths,
// numbers), so an enabled call copies two buffers into Wasm instead of passing an externref
// per value that Wasm then reads back through JS one property at a time. The layout is
// `Packed` in src/js/logger.rs.
const encoder = new TextEncoder();
let spec = new Float64Array(64);
let specLen = 0;
let text = "";
/** Values nested deeper than this are left to the full path (convert.rs `MAX_DEPTH`). */
const MAX_DEPTH = 8;

/** Whether `s` ends in half a surrogate pair (which the next piece could complete). */
function endsInHighSurrogate(s) {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xd800 && c <= 0xdbff;
}

function put(x) {
  if (specLen === spec.length) {
    const bigger = new Float64Array(specLen * 2);
    bigger.set(spec);
    spec = bigger;
  }
  spec[specLen++] = x;
}

/** Appends a string piece (its length to `spec`); false if it ends in half a pair. */
function putStr(s) {
  if (endsInHighSurrogate(s)) return false;
  text += s;
  put(s.length);
  return true;
}

function isPlain(v) {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Appends one value; false for anything but plain data (the caller then takes the full path). */
function putValue(v, depth) {
  switch (typeof v) {
    case "string":
      put(0);
      return putStr(v);
    case "number":
      put(1);
      put(v);
      return true;
    case "boolean":
      put(2);
      put(v ? 1 : 0);
      return true;
    case "undefined":
      put(4);
      put(0);
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (v === null) {
    put(3);
    put(0);
    return true;
  }
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    const n = v.length;
    put(6);
    put(n);
    for (let i = 0; i < n; i++) if (!putValue(v[i], depth + 1)) return false;
    return true;
  }
  if (!isPlain(v)) return false;
  return putEntries(v, depth);
}

/** Appends a plain object: kind 7, its entry count, then its own enumerable entries. */
function putEntries(obj, depth) {
  const keys = Object.keys(obj);
  const n = keys.length;
  put(7);
  put(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (!putStr(k) || !putValue(obj[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Packs `msg`, `args` and the entries of `extra` (undefined, null or a plain object) into
 * `text`/`spec`; returns the number of `extra` entries (-1 for none; -3 - slot for an object
 * the core holds, see `extraSlot`), or -2 if something is not plain data (the caller then
 * takes the full path). A getter on `extra` or an argument that throws makes it -2 too.
 */
function pack(msg, args, extra) {
  const slot = extra !== undefined && extra !== null ? extraSlot(extra) : -1;
  text = "";
  specLen = 0;
  const id = messageId(msg);
  if (id >= 0) put(-1 - id);
  else if (!putStr(msg)) return -2;
  const n = args.length;
  for (let i = 0; i < n; i++) {
    const a = args[i];
    // The common case inline: strings and numbers.
    if (typeof a === "string") {
      put(0);
      if (!putStr(a)) return -2;
    } else if (typeof a === "number") {
      put(1);
      put(a);
    } else if (!putValue(a, 0)) {
      return -2;
    }
  }
  if (extra === undefined || extra === null) return -1;
  if (slot >= 0) return -3 - slot;
  if (typeof extra !== "object" || Array.isArray(extra) || !isPlain(extra)) return -2;
  const keys = Object.keys(extra);
  const m = keys.length;
  for (let i = 0; i < m; i++) {
    const k = keys[i];
    if (!putStr(k) || !putValue(extra[k], 0)) return -2;
  }
  return m === 0 ? -1 : m;
}

// Message templates the core holds (JsLogger.internMessage), by their text: a template that
// comes back (nearly every call's) is sent as its number, neither encoded nor copied. Bounded:
// past MAX_MESSAGES templates, or for a long one, the text is sent as before.
const messageIds = new Map();
const MAX_MESSAGES = 1024;
const MAX_MESSAGE_LENGTH = 256;

/** The core's number for the template `msg`, or -1 (then `msg` is sent as text). */
let lastMessage;
let lastId = -1;
function messageId(msg) {
  // The template sent last (a loop's) without a lookup.
  if (msg === lastMessage) return lastId;
  let id = messageIds.get(msg);
  if (id === undefined) {
    if (messageIds.size >= MAX_MESSAGES || msg.length > MAX_MESSAGE_LENGTH || endsInHighSurrogate(msg)) return -1;
    id = raw.JsLogger.internMessage(msg);
    if (id < 0) return -1;
    messageIds.set(msg, id);
  }
  lastMessage = msg;
  lastId = id;
  return id;
}

// `extra` objects that come back call after call (a LoggerAdapter's bound fields, a constant
// object) are stored in the core once (JsLogger.storeExtra) and sent by slot number. Each call
// checks the object still has the same keys and values (its own fields, in order, compared
// with ===), so a changed object is stored again; only objects of up to MAX_SLOT_FIELDS
// primitive values (strings, numbers, booleans, null, undefined) qualify. An object is stored
// the second time it is seen among the last RECENT ones, so a fresh object per call never
// costs a store.
const EXTRA_SLOTS = 64; // src/js/logger.rs EXTRA_SLOTS
const MAX_SLOT_FIELDS = 16;
const RECENT = 4;
const slots = new Map(); // object → {slot, keys, values}
const slotOwners = new Array(EXTRA_SLOTS).fill(null);
let nextSlot = 0;
const recent = new Array(RECENT).fill(null);
let recentAt = 0;

/** Whether `obj`'s own enumerable fields are still `e.keys` / `e.values`. */
function unchanged(obj, e) {
  const keys = e.keys;
  const values = e.values;
  let i = 0;
  for (const k in obj) {
    if (i >= keys.length || keys[i] !== k || obj[k] !== values[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** The slot the core holds `obj`'s fields in, storing them if needed; -1 for none. */
function extraSlot(obj) {
  if (typeof obj !== "object") return -1;
  const e = slots.get(obj);
  if (e !== undefined && unchanged(obj, e)) return e.slot;
  if (e === undefined) {
    if (!recent.includes(obj)) {
      recent[recentAt] = obj;
      recentAt = (recentAt + 1) % RECENT;
      return -1;
    }
    if (Array.isArray(obj) || !isPlain(obj)) return -1;
  }
  const keys = Object.keys(obj);
  if (keys.length === 0 || keys.length > MAX_SLOT_FIELDS) return -1;
  const values = new Array(keys.length);
  text = "";
  specLen = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]];
    if (typeof v === "object" ? v !== null : typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
      return -1;
    }
    values[i] = v;
    if (!putStr(keys[i]) || !putValue(v, 0)) return -1;
  }
  let slot;
  if (e !== undefined) {
    slot = e.slot;
  } else {
    slot = nextSlot;
    nextSlot = (nextSlot + 1) % EXTRA_SLOTS;
    const owner = slotOwners[slot];
    if (owner !== null) slots.delete(owner);
  }
  const bytes = writePacked();
  if (!raw.JsLogger.storeExtra(slot, bytes, specLen, keys.length)) return -1;
  slotOwners[slot] = obj;
  slots.set(obj, { slot, keys, values });
  return slot;
}

// The buffers in Wasm memory a packed call is written to (JsLogger.packBuffers): their
// addresses and sizes, and views on them, remade when the memory grows (its ArrayBuffer is
// then a new one).
let wasmMemory = null;
let bytesAt = 0;
let bytesRoom = 0;
let specAt = 0;
let specRoom = 0;
let bytesView = null;
let specView = null;

/**
 * Writes the packed call into Wasm memory: the text as UTF-8 (by the engine's encoder,
 * straight into place) and the spec; returns the byte count.
 */
function writePacked() {
  const need = text.length * 3;
  if (need > bytesRoom || specLen > specRoom) {
    const r = raw.JsLogger.packBuffers(Math.max(need, 2 * bytesRoom, 1024), Math.max(specLen, 2 * specRoom, 256));
    bytesAt = r[0];
    specAt = r[1];
    bytesRoom = r[2];
    specRoom = r[3];
    specView = null;
  }
  // A grown memory detaches the old buffer: its views then have length 0.
  if (specView === null || specView.length === 0) {
    if (wasmMemory === null) wasmMemory = raw.JsLogger.memory();
    bytesView = new Uint8Array(wasmMemory.buffer, bytesAt, bytesRoom);
    specView = new Float64Array(wasmMemory.buffer, specAt, specRoom);
  }
  let written = 0;
  if (text.length !== 0) {
    written = encoder.encodeInto(text, bytesView).written;
    text = "";
  }
  if (specLen <= 16) {
    for (let i = 0; i < specLen; i++) specView[i] = spec[i];
  } else {
    specView.set(spec.subarray(0, specLen));
  }
  return written;
}

/** The shared no-op every disabled level method is. */
function noop() {}

const TOKEN = Symbol("wasm-logging internal");
const loggers = new Map();

/* The enabled level methods, shared by all loggers. Each passes its own depth (frames between
   the user's call and the stack capture) so `%(lineno)d` names the user's line. */
function debugOn(msg, ...args) {
  this._log(DEBUG, msg, args, undefined, false, 2);
}
function infoOn(msg, ...args) {
  this._log(INFO, msg, args, undefined, false, 2);
}
function warningOn(msg, ...args) {
  this._log(WARNING, msg, args, undefined, false, 2);
}
function errorOn(msg, ...args) {
  this._log(ERROR, msg, args, undefined, false, 2);
}
function exceptionOn(msg, ...args) {
  this._log(ERROR, msg, args, undefined, true, 2);
}
function criticalOn(msg, ...args) {
  this._log(CRITICAL, msg, args, undefined, false, 2);
}

function sync(l) {
  let t;
  try {
    t = l._raw.threshold();
  } catch (e) {
    internalError(e);
    t = Infinity;
  }
  l._t = t;
  const on = l._on;
  l.debug = DEBUG >= t ? on.debug : noop;
  l.info = INFO >= t ? on.info : noop;
  l.warning = WARNING >= t ? on.warning : noop;
  l.warn = l.warning;
  l.error = ERROR >= t ? on.error : noop;
  l.exception = ERROR >= t ? on.exception : noop;
  l.critical = CRITICAL >= t ? on.critical : noop;
  l.fatal = l.critical;
}

/** Re-reads every logger's threshold: after anything that can change effective levels. */
export function resyncAll() {
  for (const l of loggers.values()) sync(l);
}

/**
 * `logging.Logger`: get one with `getLogger(name)`. Level methods take a `%`-format and its
 * arguments, and optionally a last options object `{extra, excInfo, stackInfo, stacklevel}`.
 */
export class Logger {
  /** @internal use `getLogger(name)` */
  constructor(token, rawLogger) {
    if (token !== TOKEN) throw new TypeError("use getLogger(name) to get a Logger");
    this._raw = rawLogger;
    this._t = 0;
    /** The logger's name. */
    this.name = rawLogger.name;
    /** The filters added with `addFilter`. */
    this.filters = [];
    // The enabled level methods, bound once so a detached call (`const {info} = log`,
    // `items.forEach(log.info)`) works as a bound method does in Python.
    this._on = {
      debug: debugOn.bind(this),
      info: infoOn.bind(this),
      warning: warningOn.bind(this),
      error: errorOn.bind(this),
      exception: exceptionOn.bind(this),
      critical: criticalOn.bind(this),
    };
    this.log = Logger.prototype.log.bind(this);
    // Every level method is an own property from the start (one object shape for all
    // loggers), then set to its enabled function or the no-op by `sync`.
    this.debug = noop;
    this.info = noop;
    this.warning = noop;
    this.warn = noop;
    this.error = noop;
    this.exception = noop;
    this.critical = noop;
    this.fatal = noop;
  }

  /** `logger.parent` (`null` for the root). */
  get parent() {
    const p = this._raw.parentName;
    return p === undefined ? null : getLogger(p);
  }

  /** The level set on this logger (`NOTSET` if none). */
  get level() {
    return this._raw.level;
  }

  /** `propagate`. */
  get propagate() {
    return this._raw.propagate;
  }

  set propagate(on) {
    this._raw.propagate = Boolean(on);
  }

  /** `disabled`: a disabled logger drops every record. */
  get disabled() {
    return this._raw.disabled;
  }

  set disabled(on) {
    this._raw.disabled = Boolean(on);
    sync(this);
  }

  /** `setLevel(level)`: a number or a registered name such as `'INFO'`. */
  setLevel(level) {
    try {
      this._raw.setLevel(level);
    } catch (e) {
      reportCaught(e);
    }
    resyncAll();
  }

  /** `getEffectiveLevel()`. */
  getEffectiveLevel() {
    return this._raw.getEffectiveLevel();
  }

  /** `isEnabledFor(level)`, answered in JavaScript from the cached threshold. */
  isEnabledFor(level) {
    return level >= this._t;
  }

  /** `getChild(suffix)`. */
  getChild(suffix) {
    return getLogger(this._raw.isRoot ? String(suffix) : `${this.name}.${suffix}`);
  }

  /** `getChildren()`: the loggers immediately below this one. */
  getChildren() {
    const out = new Set();
    for (const l of loggers.values()) {
      if (l !== this && l._raw.parentName === this.name && !l._raw.isRoot) {
        const depth = this._raw.isRoot ? 0 : this.name.split(".").length;
        if (l.name.split(".").length === depth + 1) out.add(l);
      }
    }
    return out;
  }

  /** `addHandler(handler)`. */
  addHandler(handler) {
    if (!(handler instanceof Handler)) {
      report("TypeError", `addHandler: expected a Handler, not ${typeof handler}`);
      return;
    }
    this._raw.addHandler(handler._raw);
  }

  /**
   * `handle(record)`: a record object (as a handler's `emit` receives it, possibly changed,
   * or from `makeLogRecord`) through this logger's filters and handlers and its ancestors'.
   */
  handle(record) {
    if (record === null || typeof record !== "object") {
      report("TypeError", "handle: expected a record object");
      return;
    }
    this._raw.handle(record);
  }

  /** `removeHandler(handler)`. */
  removeHandler(handler) {
    if (handler instanceof Handler) this._raw.removeHandler(handler._raw);
  }

  /** The handlers attached to this logger. */
  get handlers() {
    return Array.from(this._raw.handlerIds(), handlerFromId);
  }

  /** `hasHandlers()`. */
  hasHandlers() {
    return this._raw.hasHandlers();
  }

  /** `addFilter(filter)`: a `Filter`, a function `(record) => boolean | record`, or an object with `filter(record)`. */
  addFilter(filter) {
    addFilterTo(this, filter);
  }

  /** `removeFilter(filter)`. */
  removeFilter(filter) {
    removeFilterFrom(this, filter);
  }

  /**
   * `log(level, msg, ...args)`: `level` must be an integer the core can hold (64 bits; a
   * `bigint` too when a double holds it exactly); any other is reported through
   * `handleError` and nothing is logged.
   */
  log(level, msg, ...args) {
    level = levelArgument(level);
    if (level === undefined) return;
    if (level < this._t) return;
    this._log(level, msg, args, undefined, false, 2);
  }

  /**
   * CPython's `_log`: everything after the level check. `kw` is the options object if the
   * caller already split it off (adapters); `exc` is true for `exception()`; `depth` counts
   * the wrapper frames above the stack capture.
   * @internal
   */
  _log(level, msg, args, kw, exc, depth) {
    // The common call first: plain-data arguments, no options (only an object can be one),
    // no exception, no caller location, no context.
    if (kw === undefined && !exc && !wantLocation && typeof msg === "string" && this._plain(level, msg, args)) return;
    try {
      if (kw === undefined) {
        const n = args.length;
        if (n !== 0) {
          // Read once, never throwing: hostile objects (Proxies, throwing getters) are
          // reported here and the call goes on.
          kw = readOptions(args[n - 1]);
          if (kw !== undefined) args.pop();
        }
      } else {
        // From an adapter's `process`: its option fields, each read once, never throwing.
        kw = copyOptions(kw);
      }
      let excInfo;
      if (kw !== undefined) excInfo = kw.excInfo !== undefined ? kw.excInfo : kw.exc_info;
      if (exc && (excInfo === undefined || excInfo === true)) {
        // exception(err), or exception(msg, ...args, err): the error is the exception.
        if (isError(msg)) excInfo = msg;
        else if (args.length !== 0 && isError(args[args.length - 1])) excInfo = args.pop();
        else excInfo = undefined;
      }
      const stackInfo = kw !== undefined && Boolean(kw.stackInfo ?? kw.stack_info);
      let file;
      let line = 0;
      let func;
      let stack;
      if (wantLocation || stackInfo) {
        let skip = 0;
        if (kw !== undefined && kw.stacklevel !== undefined) {
          skip = Math.max(0, Math.trunc(Number(kw.stacklevel) || 1) - 1);
        }
        const frames = callerFrames(depth + skip, stackInfo);
        if (frames.length !== 0 && wantLocation) [file, line, func] = frames[0];
        if (stackInfo) stack = renderStack(frames);
      }
      const n = args.length;
      const noExc = excInfo === undefined || excInfo === null || excInfo === false;
      // The current context's fields (runWithContext), under the call's own `extra`: they
      // take the same path into the record (CPython's KeyError rule included).
      let extra = kw === undefined ? undefined : kw.extra;
      const ctx = contextFields();
      if (ctx !== null) {
        if (extra === undefined || extra === null) extra = ctx;
        else if (typeof extra === "object") {
          try {
            extra = { ...ctx, ...extra };
          } catch (e) {
            // A getter of `extra` that throws: reported, and the record keeps the context.
            reportCaught(e, "the log call's extra cannot be read (left out)");
            extra = ctx;
          }
        }
      }
      let nextra = -2;
      if (noExc && stack === undefined && typeof msg === "string" && n <= 64) {
        if (kw === undefined && n === 0 && ctx === null) {
          this._raw.log(level, msg, undefined, file, line, func);
          return;
        }
        try {
          nextra = pack(msg, args, extra);
        } catch {
          nextra = -2;
        }
      }
      if (nextra !== -2) {
        const bytes = writePacked();
        this._raw.logShared(level, bytes, specLen, n, nextra, file, line, func);
      } else {
        const opts = {
          extra: readExtra(extra),
          exc: noExc ? undefined : describeError(excInfo),
          stack,
        };
        this._raw.logFull(level, msg, n === 0 ? undefined : args, file, line, func, opts);
      }
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        internalError(e); // a trap: a bug, said once
        return;
      }
      // Something user code threw that the steps above did not expect: reported each time,
      // and the record still logged with what is certain (the message and arguments go to
      // the core's converters, which never throw).
      reportCaught(e, "a log call's arguments cannot be read");
      try {
        this._raw.logFull(level, msg, args.length === 0 ? undefined : args, undefined, 0, undefined, {});
      } catch (e2) {
        internalError(e2);
      }
    }
  }

  /**
   * `_log` for the common call (see there): packs and sends it and returns true, or returns
   * false having sent nothing (the caller then takes the general path). `extra` is an
   * adapter's bound fields (LoggerAdapter's own fast path), else undefined.
   * @internal
   */
  _plain(level, msg, args, extra) {
    const n = args.length;
    if ((n === 0 && extra === undefined) || n > 64 || contextFields() !== null) return false;
    // Only an object can be an options argument: those take the general path.
    const last = n === 0 ? undefined : args[n - 1];
    if (typeof last === "object" && last !== null) return false;
    let nextra;
    try {
      nextra = pack(msg, args, extra);
    } catch {
      return false; // a hostile argument or extra: the general path reports it
    }
    if (nextra === -2) return false;
    try {
      const bytes = writePacked();
      if (nextra === -1) this._raw.logPlain(level, bytes, specLen, n);
      else this._raw.logShared(level, bytes, specLen, n, nextra, undefined, 0, undefined);
    } catch (e) {
      internalError(e); // only a trap can throw here: a bug, said once
    }
    return true;
  }

  toString() {
    return `<${this._raw.isRoot ? "RootLogger" : "Logger"} ${this.name} (${raw.getLevelName(this.getEffectiveLevel())})>`;
  }
}

/**
 * `logging.getLogger(name)`: the same `Logger` for the same name; no name (or `""` or
 * `"root"`) gives the root logger.
 * @param {string} [name]
 * @returns {Logger}
 */
export function getLogger(name) {
  const key = name === undefined || name === null || name === "" || name === "root" ? "root" : String(name);
  let l = loggers.get(key);
  if (l === undefined) {
    const r = need().JsLogger.get(key === "root" ? undefined : key);
    l = new Logger(TOKEN, r);
    loggers.set(key, l);
    sync(l);
  }
  return l;
}
//# sourceMappingURL=logger.js.map
