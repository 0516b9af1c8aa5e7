// logging.LoggerAdapter: contextual fields bound to every call.

import { CRITICAL, DEBUG, ERROR, INFO, WARNING, levelArgument, raw, reportCaught } from "./state.js";
import { Logger } from "./logger.js";
import { readOptions } from "./options.js";
import { wantLocation } from "./callerinfo.js";


/**
 * `logging.LoggerAdapter(logger, extra, mergeExtra)`: binds `extra` to every call. Subclasses
 * override `process(msg, kwargs)` as in CPython (kwargs is the call's options object).
 */
export class LoggerAdapter {
  constructor(logger, extra = null, mergeExtra = false) {
    if (!(logger instanceof Logger) && !(logger instanceof LoggerAdapter)) {
      throw new TypeError("LoggerAdapter: the first argument must be a Logger or a LoggerAdapter");
    }
    /** The wrapped logger (or adapter). */
    this.logger = logger;
    /** The bound fields. */
    this.extra = extra;
    /** Merge a call's own `extra` over the adapter's (3.13) instead of replacing it. */
    this.mergeExtra = Boolean(mergeExtra);
    // Bound, so detached calls work (subclass overrides included).
    for (const m of ["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"]) {
      this[m] = this[m].bind(this);
    }
  }

  /** `process(msg, kwargs)`: returns `[msg, kwargs]`. */
  process(msg, kwargs) {
    if (this.mergeExtra && kwargs.extra) kwargs.extra = { ...this.extra, ...kwargs.extra };
    else kwargs.extra = this.extra;
    return [msg, kwargs];
  }

  debug(msg, ...args) {
    if (this.isEnabledFor(DEBUG)) this._log(DEBUG, msg, args, false, 2);
  }
  info(msg, ...args) {
    if (this.isEnabledFor(INFO)) this._log(INFO, msg, args, false, 2);
  }
  warning(msg, ...args) {
    if (this.isEnabledFor(WARNING)) this._log(WARNING, msg, args, false, 2);
  }
  warn(msg, ...args) {
    if (this.isEnabledFor(WARNING)) this._log(WARNING, msg, args, false, 2);
  }
  error(msg, ...args) {
    if (this.isEnabledFor(ERROR)) this._log(ERROR, msg, args, false, 2);
  }
  exception(msg, ...args) {
    if (this.isEnabledFor(ERROR)) this._log(ERROR, msg, args, true, 2);
  }
  critical(msg, ...args) {
    if (this.isEnabledFor(CRITICAL)) this._log(CRITICAL, msg, args, false, 2);
  }
  fatal(msg, ...args) {
    if (this.isEnabledFor(CRITICAL)) this._log(CRITICAL, msg, args, false, 2);
  }
  log(level, msg, ...args) {
    level = levelArgument(level);
    if (level === undefined) return;
    if (this.isEnabledFor(level)) this._log(level, msg, args, false, 2);
  }

  /** @internal */
  _log(level, msg, args, exc, depth) {
    // The common call: the base class's `process` (which only sets kwargs.extra to the bound
    // fields when the call has no options) over a Logger, no exception, no caller location.
    // The logger's short path sends it, or declines having sent nothing. Anything that throws
    // here (an `extra` getter, a Proxy) leaves the call to the general path, which reports it.
    if (!exc && !wantLocation && typeof msg === "string") {
      let sent = false;
      try {
        sent = this.process === baseProcess && this.logger instanceof Logger && this.logger._plain(level, msg, args, this.extra);
      } catch {
        sent = false;
      }
      if (sent) return;
    }
    let kw = {};
    const n = args.length;
    if (n !== 0) {
      const read = readOptions(args[n - 1]); // never throws: hostile objects are reported
      if (read !== undefined) {
        args.pop();
        kw = read;
      }
    }
    let processed;
    try {
      processed = this.process(msg, kw);
    } catch (e) {
      reportCaught(e);
      return;
    }
    const [m, k] = processed;
    this._forward(level, m, args, k === undefined ? {} : k, exc, depth + 1);
  }

  /** @internal */
  _forward(level, msg, args, kw, exc, depth) {
    const inner = this.logger;
    if (inner instanceof LoggerAdapter) {
      let processed;
      try {
        processed = inner.process(msg, { ...kw });
      } catch (e) {
        reportCaught(e);
        return;
      }
      inner._forward(level, processed[0], args, processed[1] ?? {}, exc, depth + 1);
    } else {
      inner._log(level, msg, args, kw, exc, depth + 1);
    }
  }

  isEnabledFor(level) {
    return this.logger.isEnabledFor(level);
  }
  getEffectiveLevel() {
    return this.logger.getEffectiveLevel();
  }
  setLevel(level) {
    this.logger.setLevel(level);
  }
  hasHandlers() {
    return this.logger.hasHandlers();
  }
  /** The underlying logger's name. */
  get name() {
    return this.logger.name;
  }
  toString() {
    const l = this.logger instanceof LoggerAdapter ? this.logger.logger : this.logger;
    return `<LoggerAdapter ${l.name} (${raw.getLevelName(this.getEffectiveLevel())})>`;
  }
}

/** The base class's `process`: an adapter that keeps it may take the logger's short path. */
const baseProcess = LoggerAdapter.prototype.process;
//# sourceMappingURL=adapter.js.map
