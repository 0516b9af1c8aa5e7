// Handlers: the base class (subclass it and override emit), the stream, console, buffering,
// memory, null and callback handlers.

import { ERROR, NOTSET, need, raw, report, reportCaught } from "./state.js";
import { defaultFormatter, rawFormatterOf } from "./formatter.js";
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
 * `this.format(record)` gives the formatted text. `flush()` and `close()` overrides are
 * called by `shutdown()` (and when `dictConfig` replaces handlers) as in CPython, and a
 * `flushOnClose = false` property keeps `shutdown()` from flushing.
 */
export class Handler {
  constructor(level = NOTSET, rawHandler = undefined) {
    if (level === RAW) {
      this._raw = rawHandler;
      this._own = false;
    } else {
      const texts = new WeakMap();
      this._texts = texts;
      this._own = true;
      this._raw = need().JsHandler.subclass(
        (text, record) => {
          texts.set(record, text);
          this.emit(record);
        },
        () => this.flush(),
        () => this.close(),
        () => this.flushOnClose !== false,
      );
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

  /**
   * `setFormatter(formatter)`: a `Formatter` (a subclass's overrides of `format`,
   * `formatTime`, `formatMessage`, `formatException` and `formatStack` are honoured), any
   * object with `format(record)`, or `null`.
   */
  setFormatter(formatter) {
    const core = formatter === null || formatter === undefined ? null : rawFormatterOf(formatter);
    if (formatter === null || formatter === undefined) {
      this._raw.clearFormatter();
    } else if (core !== null) {
      this._raw.setFormatter(core);
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

  /**
   * `flush()`: a handler of the package's flushes its output; on a subclass of `Handler`
   * itself it does nothing (CPython's `Handler.flush`), for overrides to fill in.
   */
  flush() {
    if (!this._own) this._raw.flush();
  }

  /** `close()`: releases the handler (overrides call `super.close()`). */
  close() {
    if (this._own) this._raw.markClosed();
    else this._raw.close();
    handlersById.delete(this._raw.id);
  }

  /**
   * `handle(record)`: a record object (as `emit` receives it, or from `makeLogRecord`) through
   * the handler's filters, then `emit`; a failure is reported through `handleError`. What a
   * `QueueListener` calls. Returns whether the filters passed the record.
   */
  handle(record) {
    return this._raw.handle(record);
  }

  /**
   * `handleError(record, err)`: reports `err`, caught inside `emit`, the way CPython does
   * (`--- Logging error ---` on stderr, counted in `errorCount()`). An error thrown out of
   * `emit` is reported the same way without this.
   */
  handleError(_record, err = new Error("error in emit")) {
    reportCaught(err);
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

/** `stream` as the core names it: `"stdout"`, `"stderr"`, or null for another object. */
export function standardStream(stream) {
  if (stream === undefined || stream === null) return "stderr";
  if (typeof stream === "string") return stream;
  const p = globalThis.process;
  if (p !== undefined && p !== null) {
    if (stream === p.stdout) return "stdout";
    if (stream === p.stderr) return "stderr";
  }
  if (stream === globalThis.console) return "stderr";
  return null;
}

/**
 * `logging.StreamHandler(stream)`: writes `format(record) + terminator` to `stream` and
 * flushes it. `stream` is `process.stderr` (the default; also `'stderr'`), `process.stdout`
 * (`'stdout'`) or any object with `write(text)` (and optionally `flush()`).
 *
 * The rule: where there are real standard streams (Node), stdout is stdout and stderr is
 * stderr whatever the record's level, exactly as in CPython. A browser has none: there a
 * standard stream is the devtools console, with the method chosen by level
 * (`console.debug/info/warn/error`, as `ConsoleHandler` does) so the devtools level filter
 * works.
 */
export class StreamHandler extends Handler {
  constructor(stream = undefined, rawHandler = undefined) {
    if (stream === RAW) {
      super(RAW, rawHandler);
      return;
    }
    const standard = standardStream(stream);
    super(RAW, standard === null ? need().JsHandler.writer(stream) : need().JsHandler.stream(standard));
    this._stream = stream ?? "stderr";
  }

  /** The stream written to (as given: `process.stdout`, `'stderr'`, an object …). */
  get stream() {
    return this._stream;
  }

  /** `terminator`, written after each record (`"\n"`; a console drops one trailing newline). */
  set terminator(t) {
    this._terminator = String(t);
    this._raw.setTerminator(this._terminator);
  }

  get terminator() {
    return this._terminator ?? "\n";
  }
}

function consoleOptions(streamOrOptions) {
  if (streamOrOptions !== null && typeof streamOrOptions === "object" && streamOrOptions !== globalThis.console) {
    const { stream = "stderr", styles = false, extras = false } = streamOrOptions;
    return [stream, styles, extras];
  }
  return [streamOrOptions ?? "stderr", false, false];
}

/**
 * The devtools console in every host (Node's console included): one
 * `console.debug/info/warn/error` call per record, by level, so the devtools level filter
 * works. Options: `stream` (`'stderr'` default, `'stdout'`: used only for text without a
 * record), `styles` (`true` for built-in `%c` level styles, or `{LEVEL: css}`), `extras`
 * (append the record's extra fields as an inspectable object).
 */
export class ConsoleHandler extends StreamHandler {
  constructor(streamOrOptions) {
    const [stream, styles, extras] = consoleOptions(streamOrOptions);
    let s = stream;
    if (s === globalThis.console) s = "stderr";
    super(RAW, need().JsHandler.console(String(s), styles, Boolean(extras)));
    this._stream = globalThis.console;
  }
}

/**
 * `logging.handlers.BufferingHandler(capacity)`: keeps records in `this.buffer`; after each,
 * `shouldFlush(record)` (the buffer holds `capacity` records) decides whether to `flush()`,
 * which here empties the buffer. Subclass it and override `flush` (send `this.buffer`
 * somewhere, then empty it) and `shouldFlush`.
 */
export class BufferingHandler extends Handler {
  constructor(capacity, rawHandler = undefined) {
    if (capacity === RAW) {
      super(RAW, rawHandler);
      return;
    }
    super();
    /** How many records make the buffer full. */
    this.capacity = Number(capacity);
    /** The buffered records (record objects, as `emit` receives them). */
    this.buffer = [];
  }

  /** Appends the record; flushes if `shouldFlush(record)`. */
  emit(record) {
    this.buffer.push(record);
    if (this.shouldFlush(record)) this.flush();
  }

  /** `shouldFlush(record)`: whether the buffer is full. */
  shouldFlush(_record) {
    return this.buffer.length >= this.capacity;
  }

  /**
   * `flush()`: empties the buffer (records are dropped). On a `MemoryHandler`, called as
   * `BufferingHandler.prototype.flush.call(handler)` (Python's
   * `super(MemoryHandler, handler).flush()`), it discards the buffered records too.
   */
  flush() {
    if (this instanceof MemoryHandler) this._raw.clearBuffer();
    else this.buffer.length = 0;
  }

  /** `close()`: flushes, then closes. */
  close() {
    try {
      this.flush();
    } finally {
      super.close();
    }
  }
}

/**
 * `logging.handlers.MemoryHandler(capacity, flushLevel, target, flushOnClose)`: buffers
 * records and hands them to `target` when full or when a record at `flushLevel` arrives.
 * `clear()` discards what is buffered (recipe 28: keep debug context only when an error
 * follows).
 */
export class MemoryHandler extends BufferingHandler {
  constructor(capacity, flushLevel = ERROR, target = null, flushOnClose = true) {
    super(RAW, need().JsHandler.memory(Number(capacity), flushLevel, Boolean(flushOnClose)));
    /** `capacity`. */
    this.capacity = Number(capacity);
    /** `flushOnClose`. */
    this.flushOnClose = Boolean(flushOnClose);
    this._target = null;
    if (target !== null && target !== undefined) this.setTarget(target);
  }

  /** `flush()`: hands the buffered records to the target (kept if there is none). */
  flush() {
    this._raw.flush();
  }

  /** `close()`: flushes (if `flushOnClose`), drops the target, closes. */
  close() {
    this._raw.close();
    this._target = null;
    handlersById.delete(this._raw.id);
  }

  /** `shouldFlush(record)`: the buffer is full or the record is at `flushLevel` or above. */
  shouldFlush(record) {
    return this.buffered >= this.capacity || record.levelno >= this.flushLevel;
  }

  /** `flushLevel`. */
  get flushLevel() {
    return this._raw.flushLevel;
  }

  /** Discards the buffered records without sending them; returns how many were dropped. */
  clear() {
    return this._raw.clearBuffer();
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

  /** The buffered records are inside the core: `buffer` is not an array here (use `buffered`, `clear()`). */
  get buffer() {
    return undefined;
  }

  set buffer(_v) {
    // BufferingHandler's constructor is not run for a MemoryHandler; nothing to keep.
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
//# sourceMappingURL=handlers.js.map
