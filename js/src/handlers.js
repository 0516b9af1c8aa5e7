// Handlers: the base class (subclass it and override emit), the console, memory, null and
// callback handlers.

import { ERROR, NOTSET, need, raw, report, reportCaught } from "./state.js";
import { Formatter, defaultFormatter } from "./formatter.js";
import { addFilterTo, removeFilterFrom } from "./filter.js";


// Handlers by id, held weakly (CPython's `logging._handlers` is a WeakValueDictionary): a
// handler a logger holds keeps its JS object alive through its callback, and `logger.handlers`
// gives back the very object that was added.
const handlersById = new Map();
/** Passed as `level` by subclasses that wrap a handler the core built. */
export const RAW = Symbol("wasm-logging raw handler");

/** The JS object for the handler with `id` (a plain `Handler` for one the core made). */
export function handlerFromId(id) {
  let h = handlersById.get(id)?.deref();
  if (h === undefined) {
    const r = raw.JsHandler.fromId(id);
    h = new Handler(RAW, r);
  }
  return h;
}

/**
 * `logging.Handler`. Subclass it and override `emit(record)` for a handler of your own;
 * `this.format(record)` gives the formatted text.
 */
export class Handler {
  constructor(level = NOTSET, rawHandler = undefined) {
    if (level === RAW) {
      this._raw = rawHandler;
    } else {
      const texts = new WeakMap();
      this._texts = texts;
      this._raw = need().JsHandler.callback((text, record) => {
        texts.set(record, text);
        this.emit(record);
      });
      if (level !== NOTSET) this.setLevel(level);
    }
    /** The filters added with `addFilter`. */
    this.filters = [];
    this._formatter = null;
    handlersById.set(this._raw.id, new WeakRef(this));
    if (handlersById.size > 64) {
      for (const [id, ref] of handlersById) if (ref.deref() === undefined) handlersById.delete(id);
    }
  }

  /** `emit(record)`: override in subclasses. */
  emit(_record) {
    throw new Error("emit must be implemented by Handler subclasses");
  }

  /** `format(record)`: the record formatted by this handler's formatter. */
  format(record) {
    const text = this._texts !== undefined ? this._texts.get(record) : undefined;
    if (text !== undefined) return text;
    return (this._formatter ?? defaultFormatter()).format(record);
  }

  /** The handler's level. */
  get level() {
    return this._raw.level;
  }

  /** `setLevel(level)`. */
  setLevel(level) {
    try {
      this._raw.setLevel(level);
    } catch (e) {
      reportCaught(e);
    }
  }

  /** The handler's name (`get_name`), or `null`. */
  get name() {
    return this._raw.name ?? null;
  }

  set name(name) {
    this._raw.name = name === null || name === undefined ? undefined : String(name);
  }

  /** The formatter set with `setFormatter`, or `null`. */
  get formatter() {
    return this._formatter;
  }

  /** `setFormatter(formatter)`: a `Formatter`, any object with `format(record)`, or `null`. */
  setFormatter(formatter) {
    if (formatter === null || formatter === undefined) {
      this._raw.clearFormatter();
    } else if (formatter instanceof Formatter && formatter.format === Formatter.prototype.format) {
      this._raw.setFormatter(formatter._raw);
    } else if (typeof formatter.format === "function") {
      this._raw.setFormatterFunction((record) => formatter.format(record));
    } else {
      report("TypeError", "setFormatter: expected a Formatter or an object with format(record)");
      return;
    }
    this._formatter = formatter ?? null;
  }

  /** `addFilter(filter)`. */
  addFilter(filter) {
    addFilterTo(this, filter);
  }

  /** `removeFilter(filter)`. */
  removeFilter(filter) {
    removeFilterFrom(this, filter);
  }

  /**
   * `handler.listener`: for a `QueueHandler` made by `dictConfig`, its `QueueListener`
   * (`start()`, then `pump()` dispatches; `stop()` dispatches what is queued and stops);
   * otherwise `null`.
   */
  get listener() {
    return this._raw.hasListener ? new QueueListener(this._raw) : null;
  }

  /** `flush()`. */
  flush() {
    this._raw.flush();
  }

  /** `close()`. */
  close() {
    this._raw.close();
    handlersById.delete(this._raw.id);
  }
}

/** `logging.handlers.QueueListener`, as `handler.listener` gives it; `pump()` drives it. */
class QueueListener {
  constructor(rawHandler) {
    this._raw = rawHandler;
  }

  /** `start()`: from now on `pump()` dispatches this listener's queued records. */
  start() {
    this._raw.listenerStart();
  }

  /** `stop()`: dispatches what is queued, then stops. */
  stop() {
    this._raw.listenerStop();
  }
}

function consoleOptions(streamOrOptions) {
  if (streamOrOptions !== null && typeof streamOrOptions === "object") {
    const { stream = "stderr", styles = false, extras = false } = streamOrOptions;
    return [stream, styles, extras];
  }
  return [streamOrOptions ?? "stderr", false, false];
}

/**
 * The devtools console (CPython's `StreamHandler`): one `console.debug/info/warn/error` call
 * per record, by level, so the devtools level filter works. Options: `stream` (`'stderr'`
 * default, `'stdout'`), `styles` (`true` for built-in `%c` level styles, or `{LEVEL: css}`),
 * `extras` (append the record's extra fields as an inspectable object).
 */
export class ConsoleHandler extends Handler {
  constructor(streamOrOptions) {
    const [stream, styles, extras] = consoleOptions(streamOrOptions);
    let s = stream;
    if (s === globalThis.console) s = "stderr";
    super(RAW, need().JsHandler.console(String(s), styles, Boolean(extras)));
  }

  /** `terminator` (one trailing newline is dropped, as the console adds its own). */
  set terminator(t) {
    this._raw.setTerminator(String(t));
  }
}

/** `logging.StreamHandler`: the console handler under CPython's name. */
export const StreamHandler = ConsoleHandler;

/**
 * `logging.handlers.MemoryHandler(capacity, flushLevel, target, flushOnClose)`: buffers
 * records and hands them to `target` when full or when a record at `flushLevel` arrives.
 */
export class MemoryHandler extends Handler {
  constructor(capacity, flushLevel = ERROR, target = null, flushOnClose = true) {
    super(RAW, need().JsHandler.memory(Number(capacity), flushLevel, Boolean(flushOnClose)));
    this._target = null;
    if (target !== null && target !== undefined) this.setTarget(target);
  }

  /** `setTarget(target)`. */
  setTarget(target) {
    if (target === null || target === undefined) {
      this._raw.clearTarget();
      this._target = null;
    } else if (target instanceof Handler) {
      this._raw.setTarget(target._raw);
      this._target = target;
    } else {
      report("TypeError", "setTarget: expected a Handler");
    }
  }

  /** The target handler, or `null`. */
  get target() {
    return this._target;
  }

  /** How many records are buffered. */
  get buffered() {
    return this._raw.buffered;
  }
}

/** `logging.NullHandler`: does nothing (libraries attach it to their top logger). */
export class NullHandler extends Handler {
  constructor() {
    super(RAW, need().JsHandler.null());
  }
}

/**
 * A handler calling `fn(text, record)` for each record: `text` is the formatted line,
 * `record` a plain object with CPython's attribute names. The record object is built only
 * for a function that declares a second parameter (`fn.length >= 2`, e.g.
 * `(text, record) => …`); `(text) => …` receives the text alone, which is much cheaper. A
 * throwing `fn` is reported through `handleError`; logging goes on.
 */
export class CallbackHandler extends Handler {
  constructor(fn) {
    if (typeof fn !== "function") throw new TypeError("CallbackHandler: expected a function");
    super(RAW, need().JsHandler.callback(fn));
  }
}
