// logging.Formatter over the core's formatter, and Formatter subclasses whose overrides
// (format, formatTime, formatMessage, formatException, formatStack, usesTime) are honoured.

import { need, raw } from "./state.js";
import { noteFormat } from "./callerinfo.js";
import { describeError } from "./stack.js";

/** The methods a subclass may override; any override makes handlers call the JS `format`. */
const OVERRIDABLE = ["format", "formatTime", "formatMessage", "formatException", "formatStack", "usesTime"];

/** Whether `f` (a Formatter) overrides any of the methods of its package class. */
function overrides(f) {
  const base = f instanceof JsonFormatter ? JsonFormatter.prototype : Formatter.prototype;
  for (const m of OVERRIDABLE) if (f[m] !== base[m]) return true;
  return false;
}

/**
 * The core formatter behind `f` when the core can format for it alone (a `Formatter` or
 * `JsonFormatter` without overrides), else `null`: handlers then call `f.format(record)`.
 */
export function rawFormatterOf(f) {
  return f instanceof Formatter && !overrides(f) ? f._raw : null;
}


/**
 * `logging.Formatter(fmt, datefmt, style, validate, defaults)`, or one options object
 * `{fmt, datefmt, style, validate, defaults, utc}` (`utc: true` is `converter = time.gmtime`).
 * An invalid format throws CPython's `ValueError` (an `Error` named `ValueError`).
 */
/** Marks a subclass's construction: `datefmt` is then the raw formatter it made. */
const RAW = Symbol("raw formatter");

export class Formatter {
  constructor(fmt, datefmt, style = "%", validate = true, defaults) {
    if (fmt === RAW) {
      this._raw = datefmt;
      return;
    }
    let utc = false;
    if (fmt !== null && typeof fmt === "object") {
      ({ fmt, datefmt, style = "%", validate = true, defaults, utc = false } = fmt);
    }
    if (fmt !== undefined && fmt !== null && typeof fmt !== "string") {
      throw new TypeError(`Formatter: fmt must be a string, not ${typeof fmt}`);
    }
    if (datefmt !== undefined && datefmt !== null && typeof datefmt !== "string") {
      throw new TypeError(`Formatter: datefmt must be a string, not ${typeof datefmt}`);
    }
    this._raw = new (need().JsFormatter)(
      fmt ?? undefined,
      datefmt ?? undefined,
      style ?? "%",
      validate !== false,
      defaults ?? undefined,
      Boolean(utc),
    );
    noteFormat(this._raw.fmt);
  }

  /** The format string. */
  get fmt() {
    return this._raw.fmt;
  }

  /** The date format, or `null`. */
  get datefmt() {
    return this._raw.datefmt ?? null;
  }

  /** The style: `'%'`, `'{'` or `'$'`. */
  get style() {
    return this._raw.style;
  }

  /** `usesTime()`. */
  usesTime() {
    return this._raw.usesTime();
  }

  /**
   * `format(record)` for a record object (as callbacks and filters receive it). In a
   * subclass that overrides any of the formatting methods this is CPython's
   * `Formatter.format`, step for step: sets `record.message`, `record.asctime` (if
   * `usesTime()`, through `formatTime`), formats with `formatMessage`, caches
   * `formatException(record.exc_info)` in `record.exc_text` and appends it, then appends
   * `formatStack(record.stack_info)`.
   */
  format(record) {
    if (!overrides(this)) return this._raw.format(record);
    record.message = raw.getMessage(record);
    if (this.usesTime()) record.asctime = this.formatTime(record, this.datefmt);
    let s = String(this.formatMessage(record));
    if (record.exc_info) {
      if (!record.exc_text) record.exc_text = this.formatException(record.exc_info);
    }
    if (record.exc_text) {
      if (!s.endsWith("\n")) s += "\n";
      s += record.exc_text;
    }
    if (record.stack_info) {
      if (!s.endsWith("\n")) s += "\n";
      s += this.formatStack(record.stack_info);
    }
    return s;
  }

  /**
   * `formatTime(record, datefmt)`: `record.created` through the converter (local time, or
   * UTC with `utc: true`) and `datefmt`; without one, `%Y-%m-%d %H:%M:%S,mmm`.
   */
  formatTime(record, datefmt = null) {
    return this._raw.formatTime(record, datefmt ?? undefined);
  }

  /** `formatMessage(record)`: the format string applied to the record's attributes. */
  formatMessage(record) {
    return this._raw.formatMessage(record);
  }

  /**
   * `formatException(excInfo)`: the traceback of the error a record carries
   * (`record.exc_info`), as the package renders one (outermost frame first, with `cause`
   * chains).
   */
  formatException(excInfo) {
    const r = need();
    const known = r.JsFormatter.formatException(excInfo, undefined);
    if (known !== "" || excInfo === null || excInfo === undefined) return known;
    return r.JsFormatter.formatException(excInfo, describeError(excInfo));
  }

  /** `formatStack(stackInfo)`: the stack as is (CPython's default). */
  formatStack(stackInfo) {
    return stackInfo;
  }
}

const DEFAULT_JSON_KEYS = Object.freeze(["asctime", "name", "levelname", "message"]);

/**
 * Structured logging: one JSON object per record, byte-identical to CPython 3.13's
 * idiomatic recipe (a `logging.Formatter` subclass returning `json.dumps(d)`): the record
 * attributes `keys` in order, then (if `extra`) the record's extras in insertion order, then
 * the traceback text as `"exc_info"` and the stack as `"stack_info"` when present.
 * `json.dumps` defaults: `", "` / `": "` separators, `ensure_ascii`, `NaN` / `Infinity`.
 * JavaScript values encode as their Python equivalents (integer-valued numbers as ints,
 * others as floats, `true`/`false`, `null`/`undefined` as `null`, arrays, plain objects);
 * other objects (a `Date`, a class instance) are CPython's
 * `TypeError: Object of type object is not JSON serializable`, reported through
 * `handleError`, as is a key the record lacks (`AttributeError`).
 */
export class JsonFormatter extends Formatter {
  constructor({ keys = DEFAULT_JSON_KEYS, extra = true, datefmt, utc = false } = {}) {
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) {
      throw new TypeError("JsonFormatter: keys must be an array of strings");
    }
    if (datefmt !== undefined && datefmt !== null && typeof datefmt !== "string") {
      throw new TypeError(`JsonFormatter: datefmt must be a string, not ${typeof datefmt}`);
    }
    super(RAW, need().JsFormatter.json(keys, extra !== false, datefmt ?? undefined, Boolean(utc)));
    this._keys = Object.freeze([...keys]);
    this._extra = extra !== false;
    this._datefmt = datefmt || null;
    // Location fields among the keys turn caller capture on, as they do in a format string.
    noteFormat(keys.map((k) => `%(${k})s`).join(""));
  }

  /**
   * `format(record)`: the JSON object. (A subclass may override `format` and call
   * `super.format(record)`; the other formatting methods are not used by the JSON format.)
   */
  format(record) {
    return this._raw.format(record);
  }

  /** `null`: a JSON formatter has no format string. */
  get fmt() {
    return null;
  }

  /** The date format, or `null`. */
  get datefmt() {
    return this._datefmt;
  }

  /** The keys, in output order. */
  get keys() {
    return this._keys;
  }

  /** Whether the record's extras are output. */
  get extra() {
    return this._extra;
  }
}

let defaultFmt = null;
/** `Formatter()`, made once. */
export function defaultFormatter() {
  if (defaultFmt === null) defaultFmt = new Formatter();
  return defaultFmt;
}
//# sourceMappingURL=formatter.js.map
