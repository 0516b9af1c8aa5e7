// Loggers: getLogger, the level methods and their no-op swap, and the one crossing into Wasm
// an enabled call makes.

import { CRITICAL, DEBUG, ERROR, INFO, WARNING, internalError, need, raw, report, reportCaught } from "./state.js";
import { callerFrames, describeError, renderStack } from "./stack.js";
import { wantLocation } from "./callerinfo.js";
import { isOptions } from "./options.js";
import { addFilterTo, removeFilterFrom } from "./filter.js";
import { Handler, handlerFromId } from "./handlers.js";


// The packed fast path (JsLogger::logPacked): the message and the string arguments in one
// string, lengths and numbers in one Float64Array, so an enabled call copies two buffers into
// Wasm instead of passing an externref per argument that Wasm then reads back through JS.
const SPEC = new Float64Array(1 + 2 * 16);
const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);
let packedBytes = scratch;

/** Whether `s` ends in half a surrogate pair (which the next piece could complete). */
function endsInHighSurrogate(s) {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * Packs `msg` and `args` if they are all strings and numbers (at most 16); else null (the
 * caller then passes them one by one). The lengths are JS lengths: a piece ending in half a
 * surrogate pair is not packed, so concatenation never makes a pair across two pieces.
 */
function pack(msg, args) {
  const n = args.length;
  if (n > 16 || endsInHighSurrogate(msg)) return null;
  let text = msg;
  SPEC[0] = msg.length;
  for (let i = 0; i < n; i++) {
    const a = args[i];
    if (typeof a === "string") {
      if (endsInHighSurrogate(a)) return null;
      SPEC[1 + 2 * i] = 0;
      SPEC[2 + 2 * i] = a.length;
      text += a;
    } else if (typeof a === "number") {
      SPEC[1 + 2 * i] = 1;
      SPEC[2 + 2 * i] = a;
    } else {
      return null;
    }
  }
  // UTF-8 by the engine's encoder (native, and it flattens a concatenated string once),
  // then one memcpy into Wasm: faster than a per-character copy loop for any length.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  packedBytes = scratch.subarray(0, encoder.encodeInto(text, scratch).written);
  return SPEC.subarray(0, 1 + 2 * n);
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
    t = 0x7fffffff;
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

  /** `log(level, msg, ...args)`: `level` must be an integer. */
  log(level, msg, ...args) {
    if (typeof level !== "number" || !Number.isInteger(level)) {
      report("TypeError", "level must be an integer");
      return;
    }
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
    try {
      if (kw === undefined) {
        const n = args.length;
        if (n !== 0 && isOptions(args[n - 1])) kw = args.pop();
      }
      let excInfo;
      if (kw !== undefined) excInfo = kw.excInfo !== undefined ? kw.excInfo : kw.exc_info;
      if (exc && (excInfo === undefined || excInfo === true)) {
        // exception(err), or exception(msg, ...args, err): the error is the exception.
        if (msg instanceof Error) excInfo = msg;
        else if (args.length !== 0 && args[args.length - 1] instanceof Error) excInfo = args.pop();
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
      if (kw === undefined && excInfo === undefined && typeof msg === "string") {
        if (n === 0) {
          this._raw.log(level, msg, undefined, file, line, func);
        } else {
          const spec = pack(msg, args);
          if (spec === null) this._raw.log(level, msg, args, file, line, func);
          else this._raw.logPacked(level, packedBytes, spec, file, line, func);
        }
      } else {
        const opts = {
          extra: kw === undefined ? undefined : kw.extra,
          exc: excInfo === undefined || excInfo === null || excInfo === false ? undefined : describeError(excInfo),
          stack,
        };
        this._raw.logFull(level, msg, n === 0 ? undefined : args, file, line, func, opts);
      }
    } catch (e) {
      internalError(e);
    }
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
